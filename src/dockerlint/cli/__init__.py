"""Command line: ``dockerlint [PATHS]``, ``dockerlint rules``, ``dockerlint rule ID``.

Exit codes: 0 no finding at or above ``--fail-on``; 1 findings at or above it (with
``--diff``: fixes to show); 2 usage, configuration, plugin or I/O error (a path that
does not exist, a file that cannot be read, an internal error).

Settings come from, lowest first: defaults < configuration file < environment
(``DOCKERLINT_*``) < command line (see :mod:`dockerlint.config`).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

from dockerlint import __version__
from dockerlint.util import limits
from dockerlint.util.safetext import json_text, visible

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C
DEFAULT_FAIL_ON = "low"
DEFAULT_FORMAT = "text"
BUILTIN_FORMATS = {
    "text": "dockerlint.reporters.text:render",
    "json": "dockerlint.reporters.json_report:render",
    "sarif": "dockerlint.reporters.sarif:render",
    "github": "dockerlint.reporters.github:render",
    "gitlab": "dockerlint.reporters.gitlab:render",
    "junit": "dockerlint.reporters.junit:render",
}
MAX_FIX_PASSES = 10
TRUE_WORDS, FALSE_WORDS = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


class UsageError(Exception):
    pass


def _split_ids(values: Sequence[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or ():
        out.extend(x.strip().upper() for x in v.split(",") if x.strip())
    return out


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, sized without importing shutil: argparse builds one for every
    add_argument call, and shutil (with bz2 and lzma) is a noticeable part of a one-file
    run's start-up. Same width rule: $COLUMNS, else the terminal's, else 80; minus 2."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
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


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        formatter_class=_HelpFormatter,
        prog="dockerlint",
        description="Static security linter for Dockerfiles, Compose files, daemon.json and "
        "Docker systemd units.",
        epilog="Subcommands: 'dockerlint rules' lists the rules, 'dockerlint rule ID' prints a "
        "rule's documentation. Exit codes: 0 clean, 1 findings at or above --fail-on, 2 errors. "
        "Settings: defaults < configuration file < DOCKERLINT_* environment < command line.",
    )
    p.add_argument("paths", nargs="*", default=None, metavar="PATH",
                   help="files or folders to lint (default: .); '-' reads standard input")
    out = p.add_argument_group("output")
    out.add_argument("-f", "--format", default=None,
                     help=f"output format: {', '.join(BUILTIN_FORMATS)} or a plugin's "
                     "(default: text; env DOCKERLINT_FORMAT)")
    out.add_argument("-o", "--output", metavar="FILE",
                     help="write the report to FILE instead of stdout ('-': stdout); a symbolic link in the "
                     "working directory, a scanned folder or its checkout is refused")
    out.add_argument("-q", "--quiet", action="store_true",
                     help="text: one line per finding (path:line:col: ID severity message), also on a "
                     "terminal; no progress display")
    out.add_argument("--statistics", action="store_true", help="text: the number of findings per rule")
    out.add_argument("--show-source", action=argparse.BooleanOptionalAction, default=None,
                     help="text: findings grouped by file with the source line and a caret under the span "
                     "(default: on a terminal; when piped, one line per finding)")
    out.add_argument("--sarif-category", metavar="NAME", default="",
                     help="sarif: set runs[0].automationDetails.id to NAME/ (GitHub's analysis category)")
    out.add_argument("--sarif-include-suppressed", action="store_true",
                     help="sarif: also emit suppressed findings, with 'suppressions' (GitHub ignores them)")
    out.add_argument("--no-color", action="store_true", help="never colour the text output")

    sel = p.add_argument_group("rules")
    sel.add_argument("--select", action="append", metavar="IDS",
                     help="only these rule ids or prefixes (comma-separated; 'DF2' turns on the hygiene "
                     "group, 'ALL' everything)")
    sel.add_argument("--extend-select", action="append", metavar="IDS",
                     help="rules or prefixes to turn on in addition to the selection")
    sel.add_argument("--ignore", action="append", metavar="IDS", help="rule ids or prefixes to turn off")
    sel.add_argument("--fail-on", default=None, metavar="SEVERITY",
                     help="lowest severity that makes the exit code 1: info, low (default), medium, high, "
                     "critical; 'never' always exits 0 unless there are errors")

    cfg = p.add_argument_group("configuration")
    cfg.add_argument("--config", metavar="FILE",
                     help="use this configuration file for every linted file (no search)")
    cfg.add_argument("--isolated", action="store_true",
                     help="ignore every configuration file, and walk the folders skipped by default "
                     "(node_modules, virtual environments...) too: nothing in the tree decides what is linted. "
                     "With --no-inline-ignores and no --baseline: the mode for code you do not trust")
    cfg.add_argument("--no-inline-ignores", action="store_true",
                     help="do not honour '# dockerlint: ignore[...]' or hadolint ignore comments")
    cfg.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    cfg.add_argument("--write-baseline", metavar="FILE",
                     help="record the current findings in FILE (exit 0) for a later --baseline")

    fx = p.add_argument_group("fixes")
    fx.add_argument("--fix", action="store_true", help="apply the automatic fixes to the files")
    fx.add_argument("--diff", action="store_true",
                    help="print the automatic fixes as a unified diff and change nothing (exit 1 if any)")

    inp = p.add_argument_group("input")
    inp.add_argument("--stdin-filename", metavar="NAME",
                     help="with '-': the name of the input on standard input (its kind, the paths "
                     "reported, the configuration used)")
    from dockerlint.discovery import KINDS

    inp.add_argument("--kind", choices=list(KINDS), metavar="KIND",
                     help=f"treat every given file as this kind: {', '.join(KINDS)} (a file of any "
                     "name, such as an extension-less script without a shebang)")
    inp.add_argument("--compose-file", action="append", metavar="FILE",
                     help="Compose files merged into one project, in this order (repeatable, like "
                     "'docker compose -f'); they are linted even if their names are not Compose names")
    inp.add_argument("--exclude", action="append", metavar="PATTERN",
                     help="skip paths matching this .gitignore line, with git's semantics ('!' re-includes; "
                     "repeatable, the last match decides)")
    inp.add_argument("--max-file-size", type=int, default=None, metavar="BYTES",
                     help="skip (and report) files larger than this (default 10 MiB)")
    inp.add_argument("--max-depth", type=limits.positive, default=limits.DEFAULT_MAX_DEPTH, metavar="N",
                     help="refuse (and report) YAML and JSON nested deeper than this (default %(default)s)")
    inp.add_argument("--max-alias-expansion", type=limits.positive, default=limits.DEFAULT_MAX_ALIAS_EXPANSION,
                     metavar="N", help="refuse (and report) YAML whose aliases add more than N nodes when "
                     "expanded (default %(default)s)")
    p.add_argument("-j", "--jobs", type=_jobs, default=0, metavar="N",
                   help="lint in N processes (default 0: one per CPU when there are at least "
                   f"{limits.PARALLEL_MIN_FILES} files to lint on their own; 1: a single process). "
                   "The output does not depend on N")
    p.add_argument("-V", "--version", action="version", version=f"dockerlint {__version__}")
    return p


def _jobs(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


def _load_registry(untrusted: Sequence[str] = ()) -> Any:
    from dockerlint.core.registry import load_registry

    return load_registry(untrusted)


def _scanned_dirs(paths: Sequence[str]) -> list[str]:
    """The folders of the paths to lint (a file's own folder): the tree whose content is the
    attacker's, where no plugin is looked for and no link is written through."""
    out = []
    for p in paths:
        if p == "-":
            continue
        abspath = os.path.abspath(p)
        out.append(abspath if os.path.isdir(abspath) else os.path.dirname(abspath))
    return out


def _formatter(name: str, untrusted: Sequence[str] = ()) -> Any:
    import importlib

    target = BUILTIN_FORMATS.get(name)
    if target is None:
        from dockerlint.core.registry import entry_points_of, plugin_path

        for ep in entry_points_of("dockerlint.formatters", plugin_path(untrusted)):
            if ep.name == name:
                return ep.load()
        raise UsageError(f"unknown format {name!r} (available: {', '.join(BUILTIN_FORMATS)})")
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def _write(text: str, output: str | None, guarded: Sequence[str] = ()) -> None:
    """Write to ``output`` (a file; None or '-': standard output). A symbolic link inside
    one of the ``guarded`` folders (the working directory, the scanned ones) is refused."""
    if output and output != "-":
        from dockerlint.util.safefiles import WriteRefused, write_report

        try:
            write_report(output, text.encode("utf-8"), guarded)
        except WriteRefused as exc:
            raise UsageError(f"not writing the report to {output}: {exc}: dockerlint does not write "
                             "through links of the tree it lints") from None
        except OSError as exc:
            raise UsageError(f"cannot write the report to {output}: {exc.strerror or exc}") from None
    else:
        if sys.stdout is None:
            raise UsageError("standard output is closed")
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:  # a full disk, /dev/full, an I/O error
            _discard_stdout()
            raise UsageError(f"cannot write the report to standard output: {exc.strerror or exc}") from None


def _discard_stdout() -> None:
    """Point standard output at /dev/null once writing to it failed, so that what is still
    buffered does not fail again (with a traceback) when the interpreter exits."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    os.dup2(devnull, fd)
    os.close(devnull)


def _say(message: str) -> None:
    """One line on stderr, ``dockerlint: message``, with every character that is unsafe to
    show escaped (paths and values in it come from the scanned files). A closed or failing
    stderr loses the line, never the run."""
    if sys.stderr is None:
        return
    try:
        sys.stderr.write(f"dockerlint: {visible(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _isatty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False


def _tolerant_stdout() -> None:
    """Never fail on a character standard output cannot encode (``PYTHONIOENCODING=ascii``,
    a C locale): write it as a backslash escape instead."""
    out = sys.stdout
    if out is not None and hasattr(out, "reconfigure") and getattr(out, "errors", None) != "backslashreplace":
        try:
            out.reconfigure(errors="backslashreplace")
        except (OSError, ValueError, AttributeError, TypeError):
            pass


def cmd_rules(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="dockerlint rules", description="List the registered rules.",
                                formatter_class=_HelpFormatter)
    p.add_argument("-f", "--format", choices=["text", "json", "markdown", "coverage"], default="text")
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    from dockerlint.reporters import ruledocs

    registry = _load_registry()
    render = {"json": ruledocs.rules_json, "markdown": ruledocs.rules_markdown,
              "coverage": ruledocs.coverage_markdown}.get(args.format, ruledocs.rules_table)
    text = render(registry)  # plugins' rules too: escaped like everything else shown
    _write(json_text(text) if args.format == "json" else visible(text, keep="\n\t"), None)
    return EXIT_OK


def cmd_rule(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="dockerlint rule", formatter_class=_HelpFormatter,
                                description="Print a rule's documentation "
                                "(Markdown when piped, formatted on a terminal).")
    p.add_argument("id", help="rule id, e.g. DC101, or its name, e.g. docker-socket-mount")
    p.add_argument("--raw", action="store_true", help="print the Markdown even on a terminal")
    p.add_argument("--no-color", action="store_true", help="no colour on a terminal")
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    from dockerlint.reporters.ruledocs import find_rule, read_doc

    registry = _load_registry()
    r = find_rule(registry, args.id)
    if r is None:
        import difflib

        close = difflib.get_close_matches(args.id.upper(), [x.id for x in registry], n=1, cutoff=0.6)
        close += difflib.get_close_matches(args.id.lower(), [x.name for x in registry], n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else ""
        _say(f"no rule {args.id!r}{hint} (see 'dockerlint rules')")
        return EXIT_ERROR
    doc = visible(read_doc(r), keep="\n\t")
    if not args.raw and _isatty(sys.stdout):
        from dockerlint.util.mdterm import render

        doc = render(doc, color=not args.no_color and "NO_COLOR" not in os.environ)
    _write(doc, None)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _tolerant_stdout()
    try:
        if argv and argv[0] == "rules":
            return cmd_rules(argv[1:])
        if argv and argv[0] == "rule":
            return cmd_rule(argv[1:])
        return _start(argv)
    except UsageError as exc:
        _say(f"error: {exc}")
        return EXIT_ERROR
    except BrokenPipeError:  # `dockerlint . | head`: the reader has what it wanted
        _discard_stdout()
        return EXIT_ERROR
    except KeyboardInterrupt:  # Ctrl-C: no traceback (worker processes are killed on the way out)
        return EXIT_INTERRUPTED


# -- environment -------------------------------------------------------------------


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value is not None and value.strip() != "" else None


def _env_flag(name: str) -> bool | None:
    value = os.environ.get(name)
    if value is None:
        return None
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise UsageError(f"environment variable {name}={value!r}: expected 1/true or 0/false")


def _check_severity(value: str, where: str) -> str:
    from dockerlint.core.registry import Severity

    word = value.strip().lower()
    if word == "never":
        return word
    try:
        Severity.parse(word)
    except ValueError as exc:
        raise UsageError(f"{where}: {exc} or 'never'") from None
    return word


def _check_selectors(registry: Any, ids: list[str], where: str) -> None:
    for sel in ids:
        if sel != "ALL" and not any(rid.startswith(sel) for rid in registry.ids()):
            from dockerlint.core.selection import suggest_rule_id

            close = suggest_rule_id(sel, registry.ids())
            hint = f" (did you mean {close}?)" if close else ""
            raise UsageError(f"{where}: no rule id or prefix matches {sel!r}{hint} (see 'dockerlint rules')")


# -- progress ----------------------------------------------------------------------


class Progress:
    """``[n/N] path`` on stderr, for long runs on a terminal only: it starts after
    ``delay`` seconds, redraws at most ten times a second and is erased at the end."""

    def __init__(self, stream: TextIO, delay: float = 1.0, clock: Any = time.monotonic) -> None:
        self.stream = stream
        self.delay = delay
        self.clock = clock
        self.start = clock()
        self.last = 0.0
        self.shown = False

    def __call__(self, index: int, total: int, path: str) -> None:
        now = self.clock()
        if now - self.start < self.delay or (self.shown and now - self.last < 0.1 and index != total):
            return
        self.last = now
        text = f"[{index}/{total}] {visible(path)}"
        if len(text) > 78:
            text = text[:37] + "..." + text[-38:]
        self.stream.write("\r\033[K" + text)
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False


# -- linting -----------------------------------------------------------------------


# The cyclic collector's thresholds of a run (see _start).
GC_THRESHOLDS = (100_000, 50, 100)


def _start(argv: list[str]) -> int:
    """Parse the arguments and lint under the limits they set."""
    # Parsers allocate hundreds of thousands of small acyclic model objects; with the
    # default thresholds the cyclic collector rescans that heap again and again (about
    # half of a corpus run). Reference counting frees them anyway, so collect rarely.
    gc.set_threshold(*GC_THRESHOLDS)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help/--version
        return int(exc.code or 0)
    try:
        cwd = os.getcwd()
    except FileNotFoundError:
        raise UsageError("the working directory no longer exists (it was deleted or moved away); "
                         "cd to the folder to lint") from None
    except OSError as exc:
        raise UsageError(f"cannot find the working directory: {exc.strerror or exc}") from None
    # Every file the run reads (configuration, standard input, extends / include / env_file
    # targets) and everything it parses obeys the limits given on the command line.
    in_force = limits.Limits(args.max_depth, args.max_alias_expansion,
                             args.max_file_size or limits.DEFAULT_MAX_FILE_SIZE)
    with limits.using(in_force):
        return lint(args, in_force, cwd)


def lint(args: argparse.Namespace, in_force: limits.Limits, cwd: str) -> int:
    from dockerlint.core.registry import PluginError, Severity

    if args.output == "-":
        args.output = None  # standard output, as without -o
    scanned = _scanned_dirs([*(args.paths or ["."]), *(args.compose_file or ())])
    fmt = args.format or _env("DOCKERLINT_FORMAT") or DEFAULT_FORMAT
    render = _formatter(fmt.strip(), scanned)
    cli_fail_on = _check_severity(args.fail_on, "--fail-on") if args.fail_on is not None else None
    env_fail_on = (_check_severity(os.environ["DOCKERLINT_FAIL_ON"], "environment variable DOCKERLINT_FAIL_ON")
                   if _env("DOCKERLINT_FAIL_ON") else None)
    if args.statistics and fmt != "text":
        raise UsageError("--statistics goes with --format text")
    if args.fix and args.diff:
        raise UsageError("--fix writes the fixes and --diff only shows them: choose one")
    if args.write_baseline and (args.fix or args.diff):
        raise UsageError("--write-baseline records findings as they are: it does not go with --fix or --diff")
    paths = list(args.paths or [])
    if args.stdin_filename and not paths:
        paths = ["-"]
    if paths.count("-") > 1:
        raise UsageError("'-' (standard input) can be given once")
    if args.stdin_filename and "-" not in paths:
        raise UsageError("--stdin-filename names standard input: give '-' as the path")
    if "-" in paths and args.fix:
        raise UsageError("--fix cannot write standard input; use --diff to see the fixes")

    try:
        registry = _load_registry(scanned)
    except PluginError as exc:
        _say(f"error: {exc}")
        return EXIT_ERROR

    from dockerlint import config as cfgmod
    from dockerlint.core.engine import Engine
    from dockerlint.core.options import Options
    from dockerlint.discovery import Candidate, Unmatched, classify_name, discover, nothing_to_lint

    env_layer = cfgmod.Layer(name="environment")
    if _env("DOCKERLINT_SELECT"):
        env_layer.select = _split_ids([os.environ["DOCKERLINT_SELECT"]])
    env_layer.extend_select = _split_ids([os.environ.get("DOCKERLINT_EXTEND_SELECT", "")])
    env_layer.ignore = _split_ids([os.environ.get("DOCKERLINT_IGNORE", "")])
    env_layer.fail_on = env_fail_on
    if _env_flag("DOCKERLINT_NO_INLINE_IGNORES"):
        env_layer.allow_inline_ignores = False
    cli_layer = cfgmod.Layer(
        name="command line", select=_split_ids(args.select) if args.select else None,
        extend_select=_split_ids(args.extend_select), ignore=_split_ids(args.ignore), fail_on=cli_fail_on,
        allow_inline_ignores=False if args.no_inline_ignores else None)
    for layer, what in ((env_layer, "environment variable DOCKERLINT_"), (cli_layer, "--")):
        for key, ids in (("select", layer.select or []), ("extend-select", layer.extend_select),
                         ("ignore", layer.ignore)):
            where = f"{what}{key.upper().replace('-', '_')}" if what.startswith("env") else f"--{key}"
            _check_selectors(registry, ids, where)

    from dockerlint.util import containment
    from dockerlint.util.safefiles import guarded_dirs

    # What the repository holds: nothing is read through one of its links that leads out of
    # the tree (the linted folders; the working directory when standard input alone is
    # linted); a path you name outside the working directory is yours (--config
    # /etc/dockerlint.toml). Links in the working directory and in the checkouts holding the
    # linted folders are the repository's too.
    others = [p for p in paths if p != "-"] or ([] if "-" in paths else ["."])
    others, path_errors = _inside_working_directory(others, cwd)
    given_compose, refused = _inside_working_directory(list(args.compose_file or ()), cwd)
    path_errors += refused
    read_roots = _scanned_dirs([*others, *given_compose])
    tree = containment.tree_dirs(read_roots or [cwd])
    holders = guarded_dirs(cwd, read_roots)  # and every checkout holding them
    finder: cfgmod.Finder | None = None
    fixed: cfgmod.FileConfig | None = None
    config_path = args.config or (None if args.isolated else _env("DOCKERLINT_CONFIG"))
    try:
        if config_path:
            fixed = cfgmod.load_file(config_path, registry, tree, holders)
            if fixed is None:
                raise UsageError(f"{config_path}: has no [tool.dockerlint] table")
            fixed.base_dir = cwd  # globs of a file given with --config are relative to where we run
        elif not args.isolated:
            finder = cfgmod.Finder(registry, tree, holders)
    except cfgmod.ConfigError as exc:
        raise UsageError(f"configuration: {exc}") from None

    progress: Progress | None = None
    if _isatty(sys.stderr) and not args.quiet:
        progress = Progress(sys.stderr)
    base = Options(forced_kind=args.kind, max_file_size=in_force.max_file_size,
                   progress=progress)
    resolver = cfgmod.options_resolver(registry, finder, fixed, [env_layer, cli_layer], base, cwd)

    contents: dict[str, bytes] = {}
    candidates: list[Candidate] = []
    unmatched: list[Unmatched] = []
    try:
        if "-" in paths:
            name = args.stdin_filename or "-"
            abspath = os.path.abspath(name)
            if sys.stdin is None:
                raise UsageError("standard input is closed")
            # At most one byte more than the limit: a 1 GB pipe is refused, not held in memory.
            contents[abspath] = sys.stdin.buffer.read(in_force.max_file_size + 1)
            display = os.path.relpath(abspath, cwd).replace(os.sep, "/") if args.stdin_filename else "-"
            if display.startswith("../"):
                display = abspath
            kind = classify_name(os.path.basename(os.path.dirname(abspath)) + "/" + os.path.basename(abspath))
            candidates.append(Candidate(display, abspath, kind, explicit=True))
        if others:
            # --isolated: the tree decides nothing, not even which of its folders are skipped.
            found, missing = discover(others, exclude=args.exclude, kind=args.kind, unmatched=unmatched,
                                      skip_tool_dirs=not args.isolated)
            path_errors += missing
            candidates.extend(found)
        compose_files = tuple(os.path.abspath(f) for f in given_compose)
        if compose_files:
            found, missing = discover(given_compose, kind="compose")
            path_errors += missing
            have = {os.path.realpath(c.abspath) for c in candidates}
            candidates.extend(Candidate(c.path, c.abspath, "compose", explicit=True) for c in found
                              if os.path.realpath(c.abspath) not in have)
        candidates = _apply_config_excludes(candidates, finder, fixed)
        base_opts = resolver(cwd)
    except cfgmod.ConfigError as exc:
        raise UsageError(f"configuration: {exc}") from None
    for err in path_errors:
        _say(f"error: {err}")

    import dataclasses

    def _for_file(abspath: str) -> Options:
        try:
            return resolver(abspath)
        except cfgmod.ConfigError as exc:
            raise UsageError(f"configuration: {exc}") from None

    roots = tuple(dict.fromkeys(
        os.path.abspath(p) if os.path.isdir(p) else os.path.dirname(os.path.abspath(p))
        for p in [*others, *given_compose]))
    options = dataclasses.replace(base_opts, for_file=_for_file, progress=progress,
                                  limits=in_force,
                                  compose_files=compose_files, roots=roots, jobs=args.jobs,
                                  repository_ignores=not args.isolated, line_hashes=fmt.strip() == "sarif",
                                  excluded=_excluder(args.exclude or [], roots, finder, fixed))
    engine = Engine(registry, options)
    guarded = guarded_dirs(cwd, roots)
    try:
        result, fix_summary = _run(engine, candidates, contents, args, guarded)
    finally:
        if progress is not None:
            progress.done()
    result.notices.extend(nothing_to_lint(unmatched, result.files_checked,
                                          [] if result.notices or path_errors else others))
    for msg in _said(result, args.quiet):
        _say(msg)

    errors = bool(path_errors or result.io_errors or result.internal_errors)
    if args.diff:
        _write(fix_summary, args.output, guarded)
        return EXIT_ERROR if errors else (EXIT_FINDINGS if fix_summary else EXIT_OK)

    if args.write_baseline:
        from dockerlint import baseline

        try:
            n = baseline.write(args.write_baseline, result, guarded)
        except baseline.BaselineError as exc:
            raise UsageError(str(exc)) from None
        _say(f"recorded {n} finding{'s' if n != 1 else ''} in {args.write_baseline}")
        return EXIT_ERROR if errors else EXIT_OK
    if args.baseline:
        from dockerlint import baseline

        try:
            baseline.apply(result, args.baseline, baseline.load(args.baseline, tree, holders, base.max_file_size))
        except baseline.BaselineError as exc:
            raise UsageError(str(exc)) from None

    from dockerlint.reporters import ReportContext

    color = (not args.no_color and not args.output and "NO_COLOR" not in os.environ
             and _isatty(sys.stdout))
    shown = {c.path: data for c in candidates for a, data in contents.items() if c.abspath == a}
    # Text layout: grouped with source on a terminal (people), one line per finding when
    # piped or written to a file (programs, grep, editors); --quiet / --show-source decide.
    on_terminal = not args.output and _isatty(sys.stdout)
    quiet = args.quiet or (args.show_source is None and not on_terminal)
    report = render(result, ReportContext(
        registry=registry, version=__version__, color=color, cwd=cwd, quiet=quiet,
        statistics=args.statistics, show_source=args.show_source is not False,
        sarif_category=args.sarif_category,
        include_suppressed=args.sarif_include_suppressed, contents=shown))
    _write(report, args.output, guarded)

    if errors:
        return EXIT_ERROR
    for f in result.findings:
        fail_on = engine.options_for(f.path).fail_on
        if fail_on != "never" and f.severity.rank >= Severity.parse(fail_on).rank:
            return EXIT_FINDINGS
    return EXIT_OK


def _inside_working_directory(paths: list[str], cwd: str) -> tuple[list[str], list[str]]:
    """The paths to lint, and an error for each one reached through a symbolic link of the
    working directory (or of the repository above it) that leads out of it.

    ``dockerlint Dockerfile``, ``dockerlint deploy/``, ``git ls-files | xargs dockerlint``:
    names in the checkout are the repository's, and a committed ``Dockerfile -> /etc/shadow``
    would put the target's lines in the findings. A path that lies outside the working
    directory (``/etc/docker/daemon.json``) is yours and its links are followed."""
    from dockerlint.util import containment
    from dockerlint.util.safefiles import guarded_dirs

    tree = containment.tree_dirs([cwd])
    holders = guarded_dirs(cwd, [cwd]) if tree else ()  # and every checkout holding it
    kept: list[str] = []
    errors: list[str] = []
    for p in paths:
        try:
            containment.resolve(p, tree, holders)
        except containment.OutsideTree as exc:
            errors.append(f"{p}: not read: {exc} (dockerlint follows no link of the repository out of the "
                          "working directory; name the file it points to instead to lint it)")
            continue
        except containment.LinkLoop:
            pass  # reading it fails and says so, as for any path that cannot be opened
        kept.append(p)
    return kept, errors


def _apply_config_excludes(candidates: list[Any], finder: Any, fixed: Any) -> list[Any]:
    """Drop candidates that their configuration's ``exclude`` globs match."""
    if finder is None and fixed is None:
        return candidates
    return [cand for cand in candidates if not _config_excludes(cand.abspath, finder, fixed)]


def _config_excludes(abspath: str, finder: Any, fixed: Any) -> bool:
    """Whether the ``exclude`` globs of the configuration that applies to ``abspath`` match it."""
    from dockerlint.core.selection import globs_match as _globs_match

    fc = fixed if fixed is not None else finder.for_path(abspath) if finder is not None else None
    if fc is None or not fc.config.exclude:
        return False
    rel = os.path.relpath(abspath, fc.base_dir).replace(os.sep, "/")
    return _globs_match(fc.config.exclude, rel)


def _said(result: Any, quiet: bool) -> list[str]:
    """What stderr says after a run: notices (the remarks, such as references not followed,
    only without --quiet), then internal errors."""
    return [*result.notices, *([] if quiet else result.remarks), *result.internal_errors]


def _excluder(globs: Sequence[str], roots: Sequence[str], finder: Any, fixed: Any) -> Any:
    """For a file the scan refers to (a Dockerfile a build names; the walk did not pass it):
    whether ``--exclude`` (relative to a linted folder holding it, the file or one of its
    folders, as the walk applies it) or the configuration's ``exclude`` drops it."""
    from dockerlint.discovery import Excluder

    excluder = Excluder(list(globs))

    def excluded(abspath: str) -> bool:
        if excluder.patterns:
            for root in roots:
                rel = os.path.relpath(abspath, root).replace(os.sep, "/")
                if rel.startswith("../") or rel == "..":
                    continue
                parts = rel.split("/")
                if any(excluder.excluded("/".join(parts[:k]), is_dir=True) for k in range(1, len(parts))):
                    return True
                if excluder.excluded(rel):
                    return True
        from dockerlint import config as cfgmod

        try:
            return _config_excludes(abspath, finder, fixed)
        except cfgmod.ConfigError as exc:
            raise UsageError(f"configuration: {exc}") from None

    return excluded


def _run(engine: Any, candidates: list[Any], contents: dict[str, bytes], args: argparse.Namespace,
         guarded: Sequence[str] = ()) -> tuple[Any, str]:
    """Lint; with --fix or --diff, apply the fixes in memory and lint again until nothing
    changes. Returns the final result and, for --diff, the diff (for --fix, the files are
    written here)."""
    result = engine.run(candidates, contents=contents)
    if not (args.fix or args.diff):
        return result, ""
    from dockerlint.fixes.diff import unified_diff
    from dockerlint.fixes.plan import plan
    from dockerlint.fixes.write import PendingWrite, write

    current = dict(contents)
    pending: dict[str, PendingWrite] = {}  # by display path
    fixed_count: dict[str, int] = {}
    refused: list[str] = []
    for _ in range(MAX_FIX_PASSES):
        planned, notices = plan(result.files, result.findings)
        refused.extend(n for n in notices if n not in refused)
        if not planned:
            break
        for ff in planned.values():
            entry = pending.setdefault(ff.path, PendingWrite(ff.path, ff.abspath, ff.before, ff.before))
            entry.fixed = ff.after
            entry.passes.append(ff.edits)
            current[ff.abspath] = ff.after.encode("utf-8")
            fixed_count[ff.path] = fixed_count.get(ff.path, 0) + len(ff.fixed)
        result = engine.run(candidates, contents=current)
    if args.diff:
        result.notices.extend(refused)
        return result, unified_diff({p: w.linted for p, w in pending.items()},
                                          {p: w.fixed for p, w in pending.items()})
    not_written = write(list(pending.values()), guarded)
    if not_written:
        # Report what is on disk: lint again with the files that were not written as they are.
        for path in not_written:
            abspath = pending[path].abspath
            if abspath in contents:
                current[abspath] = contents[abspath]
            else:
                current.pop(abspath, None)
        result = engine.run(candidates, contents=current)
    result.notices.extend(refused)
    result.internal_errors.extend(not_written.values())
    n_fixed = sum(n for path, n in fixed_count.items() if path not in not_written)
    if n_fixed:
        n_files = sum(1 for path in fixed_count if path not in not_written)
        _say(f"fixed {n_fixed} finding{'s' if n_fixed != 1 else ''} in {n_files} "
             f"file{'s' if n_files != 1 else ''}")
    return result, ""


def main_entry() -> None:
    """The ``dockerlint`` command (and ``python -m dockerlint``)."""
    import signal

    ours = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    if ours:  # not when SIGINT is ignored or handled by whoever started us
        signal.signal(signal.SIGINT, _first_interrupt)
    code = main()
    if ours and code == EXIT_INTERRUPTED:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # also while the interpreter shuts down
    sys.exit(code)


def _first_interrupt(signum: int, frame: Any) -> None:
    """The first Ctrl-C interrupts the run (exit 130, workers killed); later ones, while it
    cleans up, are ignored instead of printing tracebacks."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt
