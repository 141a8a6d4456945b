"""The command line's arguments: the parser, parsing (:func:`parse_arguments`), the checks of
what goes together (:func:`check_arguments`) and what the settings take from them
(:func:`command_line`)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from dockerlint import __version__
from dockerlint.reporters import BUILTIN_FORMATS
from dockerlint.util import limits

if TYPE_CHECKING:
    from dockerlint.config.settings import CommandLine

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C
DEFAULT_FAIL_ON = "low"
DEFAULT_FORMAT = "text"


class UsageError(Exception):
    pass


class Exit(Exception):
    """argparse has finished the run (it printed the help, the version or a usage error)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, sized without importing shutil: argparse builds one for every
    add_argument call, and shutil (with bz2 and lzma) is a noticeable part of a one-file
    run's start-up. Same width rule: $COLUMNS, else the terminal's, else 80; minus 2."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _terminal_columns() -> int:
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


def add_input_options(group: Any) -> None:
    """The options that decide which files are read and how far (``--kind``, ``--compose-file``,
    ``--exclude`` and the limits), for ``dockerlint`` and ``dockerlint inspect`` alike."""
    from dockerlint.discovery import KINDS

    group.add_argument(
        "--kind",
        choices=list(KINDS),
        metavar="KIND",
        help=f"treat every given file as this kind: {', '.join(KINDS)} (a file of any "
        "name, such as an extension-less script without a shebang)",
    )
    group.add_argument(
        "--compose-file",
        action="append",
        metavar="FILE",
        help="Compose files merged into one project, in this order (repeatable, like "
        "'docker compose -f'); they are linted even if their names are not Compose names",
    )
    group.add_argument(
        "--exclude",
        action="append",
        metavar="PATTERN",
        help="skip paths matching this .gitignore line, with git's semantics ('!' re-includes; "
        "repeatable, the last match decides)",
    )
    group.add_argument(
        "--max-file-size",
        type=int,
        default=None,
        metavar="BYTES",
        help="skip (and report) files larger than this (default 10 MiB)",
    )
    group.add_argument(
        "--max-depth",
        type=limits.positive,
        default=limits.DEFAULT_MAX_DEPTH,
        metavar="N",
        help="refuse (and report) YAML and JSON nested deeper than this (default %(default)s)",
    )
    group.add_argument(
        "--max-alias-expansion",
        type=limits.positive,
        default=limits.DEFAULT_MAX_ALIAS_EXPANSION,
        metavar="N",
        help="refuse (and report) YAML whose aliases add more than N nodes when expanded (default %(default)s)",
    )


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        formatter_class=HelpFormatter,
        prog="dockerlint",
        description="Static security linter for Dockerfiles, Compose files, daemon.json and Docker systemd units.",
        epilog="Subcommands: 'dockerlint rules' lists the rules, 'dockerlint rule ID' prints a "
        "rule's documentation, 'dockerlint inspect PATH...' prints what the rules judge, "
        "'dockerlint server' serves an editor (the 'server' extra). "
        "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 errors. "
        "Settings: defaults < configuration file < DOCKERLINT_* environment < command line.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        default=None,
        metavar="PATH",
        help="files or folders to lint (default: .); '-' reads standard input",
    )
    out = p.add_argument_group("output")
    out.add_argument(
        "-f",
        "--format",
        default=None,
        help=f"output format: {', '.join(BUILTIN_FORMATS)} or a plugin's (default: text; env DOCKERLINT_FORMAT)",
    )
    out.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the report to FILE instead of stdout ('-': stdout); a symbolic link in the "
        "working directory, a scanned folder or its checkout is refused",
    )
    out.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="text: one line per finding (path:line:col: ID severity message), also on a terminal; no progress display",
    )
    out.add_argument("--statistics", action="store_true", help="text: the number of findings per rule")
    out.add_argument(
        "--show-source",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="text: findings grouped by file with the source line and a caret under the span "
        "(default: on a terminal; when piped, one line per finding)",
    )
    out.add_argument(
        "--show-why",
        action="store_true",
        help="text: under each finding, the first sentence of its rule page's 'Why is this bad?'",
    )
    out.add_argument(
        "--sarif-category",
        metavar="NAME",
        default="",
        help="sarif: set runs[0].automationDetails.id to NAME/ (GitHub's analysis category)",
    )
    out.add_argument(
        "--sarif-include-suppressed",
        action="store_true",
        help="sarif: also emit suppressed findings, with 'suppressions' (GitHub ignores them)",
    )
    out.add_argument("--no-color", action="store_true", help="never colour the text output")

    sel = p.add_argument_group("rules")
    sel.add_argument(
        "--select",
        action="append",
        metavar="IDS",
        help="only these rule ids or prefixes (comma-separated; 'DF2' turns on the hygiene group, 'ALL' everything)",
    )
    sel.add_argument(
        "--extend-select",
        action="append",
        metavar="IDS",
        help="rules or prefixes to turn on in addition to the selection",
    )
    sel.add_argument("--ignore", action="append", metavar="IDS", help="rule ids or prefixes to turn off")
    sel.add_argument(
        "--fail-on",
        default=None,
        metavar="SEVERITY",
        help="lowest severity that makes the exit code 1: info, low (default), medium, high, "
        "critical; 'never' always exits 0 unless there are errors",
    )

    cfg = p.add_argument_group("configuration")
    cfg.add_argument("--config", metavar="FILE", help="use this configuration file for every linted file (no search)")
    cfg.add_argument(
        "--isolated",
        action="store_true",
        help="ignore every configuration file, and walk the folders skipped by default "
        "(node_modules, virtual environments...) too: nothing in the tree decides what is linted. "
        "With --no-inline-ignores and no --baseline: the mode for code you do not trust",
    )
    cfg.add_argument(
        "--no-inline-ignores",
        action="store_true",
        help="do not honour '# dockerlint: ignore[...]' or hadolint ignore comments",
    )
    cfg.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    cfg.add_argument(
        "--write-baseline", metavar="FILE", help="record the current findings in FILE (exit 0) for a later --baseline"
    )

    fx = p.add_argument_group("fixes")
    fx.add_argument("--fix", action="store_true", help="apply the automatic fixes to the files")
    fx.add_argument(
        "--diff",
        action="store_true",
        help="print the automatic fixes as a unified diff and change nothing (exit 1 if any)",
    )

    inp = p.add_argument_group("input")
    inp.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="with '-': the name of the input on standard input (its kind, the paths reported, the configuration used)",
    )
    add_input_options(inp)
    p.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=0,
        metavar="N",
        help="lint in N processes (default 0: one per CPU when there are at least "
        f"{limits.PARALLEL_MIN_FILES} files to lint on their own; 1: a single process). "
        "The output does not depend on N",
    )
    p.add_argument("-V", "--version", action="version", version=f"dockerlint {__version__}")
    return p


def _jobs(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """The parsed arguments, normalised: ``output`` None for standard output, ``fmt`` the
    format asked for (``--format``, ``DOCKERLINT_FORMAT``, the default; as written),
    ``scanned`` the folders of the paths to lint, ``inputs`` the paths to lint ('-' when only
    ``--stdin-filename`` is given) and ``limits`` the limits in force. Raises :class:`Exit`
    when argparse is done (exit 0 for --help/--version, 2 for a usage error)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help/--version
        raise Exit(int(exc.code or 0)) from None
    if args.output == "-":
        args.output = None  # standard output, as without -o
    args.fmt = args.format or _env("DOCKERLINT_FORMAT") or DEFAULT_FORMAT
    args.scanned = scanned_dirs([*(args.paths or ["."]), *(args.compose_file or ())])
    args.inputs = list(args.paths or [])
    if args.stdin_filename and not args.inputs:
        args.inputs = ["-"]
    # Every file the run reads (configuration, standard input, extends / include / env_file
    # targets) and everything it parses obeys the limits given on the command line.
    args.limits = limits.Limits(
        args.max_depth, args.max_alias_expansion, args.max_file_size or limits.DEFAULT_MAX_FILE_SIZE
    )
    return args


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value is not None and value.strip() != "" else None


def scanned_dirs(paths: Sequence[str]) -> list[str]:
    """The folders of the paths to lint (a file's own folder): the tree whose content is the
    attacker's, where no plugin is looked for and no link is written through."""
    out = []
    for p in paths:
        if p == "-":
            continue
        abspath = os.path.abspath(p)
        out.append(abspath if os.path.isdir(abspath) else os.path.dirname(abspath))
    return out


def check_arguments(args: argparse.Namespace, environ: Mapping[str, str]) -> None:
    """The ``fail-on`` values (``--fail-on``, then ``DOCKERLINT_FAIL_ON``; kept checked in
    ``args.fail_on`` and ``args.environment_fail_on``), then the options that do not go
    together. Raises :class:`UsageError` (or the configuration's ``SettingError``)."""
    from dockerlint.config.layers import check_severity, environment_fail_on

    args.fail_on = check_severity(args.fail_on, "--fail-on") if args.fail_on is not None else None
    args.environment_fail_on = environment_fail_on(environ)
    if args.statistics and args.fmt != "text":
        raise UsageError("--statistics goes with --format text")
    if args.show_why and args.fmt != "text":
        raise UsageError("--show-why goes with --format text (SARIF carries the rule page as help)")
    if args.fix and args.diff:
        raise UsageError("--fix writes the fixes and --diff only shows them: choose one")
    if args.write_baseline and (args.fix or args.diff):
        raise UsageError("--write-baseline records findings as they are: it does not go with --fix or --diff")
    _check_stdin(args)


def _check_stdin(args: argparse.Namespace) -> None:
    paths = args.inputs
    if paths.count("-") > 1:
        raise UsageError("'-' (standard input) can be given once")
    if args.stdin_filename and "-" not in paths:
        raise UsageError("--stdin-filename names standard input: give '-' as the path")
    if "-" in paths and args.fix:
        raise UsageError("--fix cannot write standard input; use --diff to see the fixes")


def command_line(args: argparse.Namespace, read_roots: list[str], progress: Any) -> CommandLine:
    """What the settings take from the arguments (checked by :func:`check_arguments`)."""
    from dockerlint.config.settings import CommandLine

    return CommandLine(
        select=args.select,
        extend_select=args.extend_select,
        ignore=args.ignore,
        fail_on=args.fail_on,
        environment_fail_on=args.environment_fail_on,
        no_inline_ignores=args.no_inline_ignores,
        config=args.config,
        isolated=args.isolated,
        kind=args.kind,
        max_file_size=args.limits.max_file_size,
        progress=progress,
        read_roots=read_roots,
    )
