"""Command line: ``dockerlint [PATHS]``, ``dockerlint rules``, ``dockerlint rule ID``,
``dockerlint inspect PATHS``.

Exit codes: 0 no finding at or above ``--fail-on``; 1 findings at or above it (with
``--diff``: fixes to show); 2 usage, configuration, plugin or I/O error (a path that
does not exist, a file that cannot be read, an internal error).

Settings come from, lowest first: defaults < configuration file < environment
(``DOCKERLINT_*``) < command line (see :mod:`dockerlint.config`).

The package: :mod:`~dockerlint.cli.args` (the arguments), :mod:`~dockerlint.cli.pipeline`
(the lint pipeline), :mod:`~dockerlint.cli.inputs` (what is linted),
:mod:`~dockerlint.cli.fixing` (the run, and the ``--fix`` / ``--diff`` passes),
:mod:`~dockerlint.cli.output` (what is written), :mod:`~dockerlint.cli.commands` (the
``rules`` and ``rule`` subcommands) and :mod:`~dockerlint.cli.inspect` (``inspect``).
This module holds the entry points.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

# Nothing else is imported here: ``main`` first checks that the working directory exists
# (pydantic-core fails to import without one, on Python 3.13), then loads the pipeline. The
# names below stay importable from here.
_LAZY = {
    "BUILTIN_FORMATS": "dockerlint.reporters",
    "_formatter": "dockerlint.reporters",
    "GC_THRESHOLDS": "dockerlint.cli.pipeline",
    "Progress": "dockerlint.cli.output",
    "UsageError": "dockerlint.cli.args",
    "build_parser": "dockerlint.cli.args",
}
_RENAMED = {"_formatter": "formatter"}

__all__ = [
    "BUILTIN_FORMATS",
    "GC_THRESHOLDS",
    "Progress",
    "UsageError",
    "_formatter",
    "build_parser",
    "main",
    "main_entry",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_LAZY[name]), _RENAMED.get(name, name))


def main(argv: Sequence[str] | None = None) -> int:
    from dockerlint.cli.args import EXIT_ERROR, EXIT_INTERRUPTED, Exit, UsageError
    from dockerlint.cli.output import discard_stdout, say, tolerant_stdout, working_directory

    argv = list(sys.argv[1:] if argv is None else argv)
    tolerant_stdout()
    try:
        working_directory()  # before the models are imported: pydantic-core cannot be, without one
    except UsageError as exc:
        say(f"error: {exc}")
        return EXIT_ERROR
    try:
        from dockerlint.cli.pipeline import lint
        from dockerlint.config.layers import SettingError

        if argv and argv[0] in ("rules", "rule"):
            from dockerlint.cli.commands import cmd_rule, cmd_rules

            return (cmd_rules if argv[0] == "rules" else cmd_rule)(argv[1:])
        if argv and argv[0] == "inspect":
            from dockerlint.cli.inspect import cmd_inspect

            return cmd_inspect(argv[1:])
        if argv and argv[0] == "server":  # the language server (the `server` extra)
            from dockerlint.server import main as serve

            return serve(argv[1:])
        return lint(argv)
    except KeyboardInterrupt:  # Ctrl-C: no traceback (worker processes are killed on the way out)
        return EXIT_INTERRUPTED
    except Exit as exc:  # argparse is done: --help, --version or a usage error it printed
        return exc.code
    except (UsageError, SettingError) as exc:
        say(f"error: {exc}")
        return EXIT_ERROR
    except BrokenPipeError:  # `dockerlint . | head`: the reader has what it wanted
        discard_stdout()
        return EXIT_ERROR


def main_entry() -> None:
    """The ``dockerlint`` command (and ``python -m dockerlint``)."""
    import signal

    ours = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    if ours:  # not when SIGINT is ignored or handled by whoever started us
        signal.signal(signal.SIGINT, _first_interrupt)
    code = main()
    from dockerlint.cli.args import EXIT_INTERRUPTED

    if ours and code == EXIT_INTERRUPTED:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # also while the interpreter shuts down
    sys.exit(code)


def _first_interrupt(signum: int, frame: Any) -> None:
    """The first Ctrl-C interrupts the run (exit 130, workers killed); later ones, while it
    cleans up, are ignored instead of printing tracebacks."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt
