"""Command line: ``dockerlint [PATHS]``, ``dockerlint rules``, ``dockerlint rule ID``.

Exit codes: 0 no finding at or above ``--fail-on``; 1 findings at or above it;
2 usage, configuration, plugin or I/O error (a path that does not exist, a file that
cannot be read, an internal error).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from dockerlint import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
DEFAULT_FAIL_ON = "low"
BUILTIN_FORMATS = {
    "text": "dockerlint.reporters.text:render",
    "json": "dockerlint.reporters.json_report:render",
    "sarif": "dockerlint.reporters.sarif:render",
}


class UsageError(Exception):
    pass


def _split_ids(values: Sequence[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or ():
        out.extend(x.strip().upper() for x in v.split(",") if x.strip())
    return out


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dockerlint",
        description="Static security linter for Dockerfiles, Compose files, daemon.json and "
        "Docker systemd units.",
        epilog="Subcommands: 'dockerlint rules' lists the rules, 'dockerlint rule ID' prints a "
        "rule's documentation. Exit codes: 0 clean, 1 findings at or above --fail-on, 2 errors.",
    )
    p.add_argument("paths", nargs="*", default=None, metavar="PATH",
                   help="files or folders to lint (default: .)")
    p.add_argument("-f", "--format", default="text", help="output format: text (default), json, sarif")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    p.add_argument("--select", action="append", metavar="IDS",
                   help="only these rule ids or prefixes (comma-separated; 'DF2' turns on the hygiene group, 'ALL' everything)")
    p.add_argument("--extend-select", action="append", metavar="IDS",
                   help="rules or prefixes to turn on in addition to the defaults")
    p.add_argument("--ignore", action="append", metavar="IDS", help="rule ids or prefixes to turn off")
    p.add_argument("--fail-on", default=DEFAULT_FAIL_ON, metavar="SEVERITY",
                   help="lowest severity that makes the exit code 1: info, low (default), medium, high, "
                   "critical; 'never' always exits 0 unless there are errors")
    p.add_argument("--kind", choices=["dockerfile", "compose", "daemon", "systemd"],
                   help="treat every given file as this kind")
    p.add_argument("--exclude", action="append", metavar="GLOB",
                   help="skip paths matching this .gitignore-style glob (repeatable)")
    p.add_argument("--max-file-size", type=int, default=None, metavar="BYTES",
                   help="skip (and report) files larger than this (default 10 MiB)")
    p.add_argument("--no-color", action="store_true", help="never colour the text output")
    p.add_argument("-V", "--version", action="version", version=f"dockerlint {__version__}")
    return p


def _load_registry():  # type: ignore[no-untyped-def]
    from dockerlint.registry import load_registry

    return load_registry()


def _formatter(name: str):  # type: ignore[no-untyped-def]
    import importlib

    target = BUILTIN_FORMATS.get(name)
    if target is None:
        from importlib.metadata import entry_points

        for ep in entry_points(group="dockerlint.formatters"):
            if ep.name == name:
                return ep.load()
        raise UsageError(f"unknown format {name!r} (available: {', '.join(BUILTIN_FORMATS)})")
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def _write(text: str, output: str | None) -> None:
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def cmd_rules(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="dockerlint rules", description="List the registered rules.")
    p.add_argument("-f", "--format", choices=["text", "json", "markdown"], default="text")
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    from dockerlint import ruledocs

    registry = _load_registry()
    render = {"json": ruledocs.rules_json, "markdown": ruledocs.rules_markdown}.get(args.format, ruledocs.rules_table)
    _write(render(registry), None)
    return EXIT_OK


def cmd_rule(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="dockerlint rule", description="Print a rule's documentation.")
    p.add_argument("id", help="rule id, e.g. DC101, or its name, e.g. docker-socket-mount")
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    from dockerlint.ruledocs import find_rule, read_doc

    registry = _load_registry()
    r = find_rule(registry, args.id)
    if r is None:
        print(f"dockerlint: no rule {args.id!r} (see 'dockerlint rules')", file=sys.stderr)
        return EXIT_ERROR
    _write(read_doc(r), None)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "rules":
            return cmd_rules(argv[1:])
        if argv and argv[0] == "rule":
            return cmd_rule(argv[1:])
        return lint(argv)
    except UsageError as exc:
        print(f"dockerlint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR


def lint(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help/--version
        return int(exc.code or 0)

    from dockerlint.registry import PluginError, Severity

    fail_on = args.fail_on.strip().lower()
    if fail_on != "never":
        try:
            threshold = Severity.parse(fail_on)
        except ValueError as exc:
            raise UsageError(f"--fail-on: {exc}") from None
    try:
        render = _formatter(args.format)
    except UsageError:
        raise
    try:
        registry = _load_registry()
    except PluginError as exc:
        print(f"dockerlint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR

    from dockerlint.discovery import discover
    from dockerlint.engine import DEFAULT_MAX_FILE_SIZE, Engine, Options

    select, ignore, extend = _split_ids(args.select), _split_ids(args.ignore), _split_ids(args.extend_select)
    for sel in select + ignore + extend:
        if sel != "ALL" and not any(r.id.startswith(sel) for r in registry):
            raise UsageError(f"no rule id or prefix matches {sel!r} (see 'dockerlint rules')")
    options = Options(select=select, ignore=ignore, extend_select=extend, forced_kind=args.kind,
                      max_file_size=args.max_file_size or DEFAULT_MAX_FILE_SIZE)
    paths = args.paths or ["."]
    candidates, path_errors = discover(paths, exclude=args.exclude)
    for err in path_errors:
        print(f"dockerlint: error: {err}", file=sys.stderr)

    engine = Engine(registry, options)
    result = engine.run(candidates)
    for msg in result.notices + result.internal_errors:
        print(f"dockerlint: {msg}", file=sys.stderr)

    from dockerlint.reporters import ReportContext

    color = (not args.no_color and not args.output and "NO_COLOR" not in os.environ
             and sys.stdout.isatty())
    report = render(result, ReportContext(registry=registry, version=__version__, color=color,
                                          cwd=os.getcwd()))
    _write(report, args.output)

    if path_errors or result.io_errors or result.internal_errors:
        return EXIT_ERROR
    if fail_on == "never":
        return EXIT_OK
    if any(f.severity.rank >= threshold.rank for f in result.findings):
        return EXIT_FINDINGS
    return EXIT_OK


def main_entry() -> None:
    sys.exit(main())
