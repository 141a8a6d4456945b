"""``python -m dockerlint``.

``python -m`` puts the working directory first on ``sys.path`` (unless ``-P`` or
``PYTHONSAFEPATH`` is given). dockerlint runs in checkouts nobody has reviewed, so that entry
(and any other naming the working directory) is dropped before anything else is imported:
a ``yaml.py``, an ``argparse.py`` or a ``*.dist-info`` plugin committed there must never be
imported. Only ``os`` and ``sys``, loaded with the interpreter, are used before that.

What Python did before this module runs cannot be undone here: ``dockerlint`` itself has
been found (in a checkout that holds a ``dockerlint/`` folder, ``python -m dockerlint`` runs
that folder's code), and ``runpy`` has imported ``contextlib``, ``warnings``, ``types``,
``functools``, ``collections``... from the working directory (a committed
``contextlib.py`` has run). The installed ``dockerlint`` command, or
``python -P -m dockerlint``, does not look there; the README says to use them.
"""

import os
import sys


def _drop_working_directory() -> None:
    try:
        here = os.path.realpath(os.getcwd())
    except OSError:  # deleted: nothing can be imported from it any more
        here = None
    sys.path[:] = [
        entry
        for entry in sys.path
        if not (
            isinstance(entry, str) and (entry in ("", ".") or (here is not None and os.path.realpath(entry) == here))
        )
    ]


_drop_working_directory()

from dockerlint.cli import main_entry  # noqa: E402 -- only once the working directory is off sys.path

main_entry()
