"""Configuration files: finding them, reading them with line numbers, validating them.

Where: ``.dockerlint.toml``, ``.dockerlint.yaml`` / ``.dockerlint.yml``, or the
``[tool.dockerlint]`` table of ``pyproject.toml``. For each linted file the closest one
wins, searched upward from the file's folder to the repository root (the folder holding
``.git``) or the filesystem root. ``--config FILE`` uses one file for everything;
``--isolated`` uses none.

The :class:`~dockerlint.config.model.Config` model is the single source of truth: it validates the files, and
the README's configuration reference is generated from it (:func:`~dockerlint.config.model.reference_markdown`,
kept equal by a test). Every mistake is an error with the file, the line and, for a
misspelt key or rule id, the closest valid one. Nothing is silently ignored.

Precedence, lowest first: defaults < configuration file < environment (``DOCKERLINT_*``)
< command line. For the rule selection each layer is applied in turn, as ruff does: a
layer's ``select`` starts the selection over, ``extend-select`` adds to it, ``ignore``
removes from it. Other keys: the highest layer that sets a key wins; ``exclude`` lists
of the file and the command line both apply.

The package, by job: :mod:`~dockerlint.config.model` (the :class:`Config` model, pydantic,
imported only when a configuration file is read; the README reference),
:mod:`~dockerlint.config.files` (finding and reading files, with key lines; the rules' options,
dataclasses, validated through a pydantic ``TypeAdapter`` built only then),
:mod:`~dockerlint.config.layers` (the environment and command-line layers, the selection) and
:mod:`~dockerlint.config.settings` (the layers and files together: the engine options of
each linted file).
"""
