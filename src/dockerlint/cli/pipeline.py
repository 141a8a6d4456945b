"""``dockerlint [PATHS]``: the lint pipeline. Each step is a function of its own module:
arguments (:mod:`~dockerlint.cli.args`), settings (:mod:`dockerlint.config.settings`),
inputs (:mod:`~dockerlint.cli.inputs`), the run (:mod:`~dockerlint.cli.fixing`), the output
(:mod:`~dockerlint.cli.output`) and the exit code (:func:`exit_code`)."""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dockerlint.cli.args import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    check_arguments,
    command_line,
    parse_arguments,
)
from dockerlint.cli.fixing import run_lint
from dockerlint.cli.inputs import Inputs, collect_inputs, excluder, resolve_targets
from dockerlint.cli.output import (
    Outcome,
    Progress,
    apply_baseline,
    isatty,
    say,
    working_directory,
    write_baseline,
    write_diff,
    write_report,
)
from dockerlint.util import containment, limits

if TYPE_CHECKING:
    from dockerlint.config.settings import Settings
    from dockerlint.core.options import Options

# The cyclic collector's thresholds of a run (see lint).
GC_THRESHOLDS = (100_000, 50, 100)


def lint(argv: list[str]) -> int:
    """Lint the paths of ``argv``; the exit code (2 errors, 1 findings at or above fail-on, 0)."""
    # Parsers allocate hundreds of thousands of small acyclic model objects; with the
    # default thresholds the cyclic collector rescans that heap again and again (about
    # half of a corpus run). Reference counting frees them anyway, so collect rarely.
    gc.set_threshold(*GC_THRESHOLDS)
    args = parse_arguments(argv)
    cwd = working_directory()
    # One run scope from the start: the plugin path, the tree, the guarded folders and the
    # engine resolve the same named files; within it each absolute path is resolved once.
    with limits.using(args.limits), containment.run_scope():
        render = formatter(args.fmt.strip(), args.scanned)
        check_arguments(args, os.environ)
        registry = load_plugins(args.scanned)
        from dockerlint.config.settings import load_settings
        from dockerlint.core.engine import Engine

        targets = resolve_targets(args, cwd)
        progress = Progress(sys.stderr) if isatty(sys.stderr) and not args.quiet else None
        settings = load_settings(command_line(args, targets.read_roots, progress), cwd, registry, os.environ)
        inputs = collect_inputs(args, cwd, settings, targets)
        options = engine_options(args, settings, inputs, cwd)
        for err in inputs.errors:
            say(f"error: {err}")
        engine = Engine(registry, options)
        try:
            outcome = run_lint(engine, inputs, args)
        finally:
            if progress is not None:
                progress.done()
        announce(outcome, inputs, args.quiet)
        if args.diff:
            return write_diff(outcome, inputs, args)
        if args.write_baseline:
            return write_baseline(outcome, inputs, args)
        apply_baseline(outcome, args, settings)
        write_report(render, outcome, args, inputs, registry, cwd)
        return exit_code(outcome, inputs, engine)


def formatter(name: str, untrusted: Sequence[str] = ()) -> Any:
    """The format's ``render`` (see :func:`dockerlint.reporters.formatter`); an unknown one is a
    usage error."""
    from dockerlint.reporters import UnknownFormat
    from dockerlint.reporters import formatter as find

    try:
        return find(name, untrusted)
    except UnknownFormat as exc:
        raise UsageError(str(exc)) from None


def load_plugins(untrusted: Sequence[str]) -> Any:
    """The registry with the plugins' rules (none looked for in the ``untrusted`` folders); a
    plugin that fails to load is an error."""
    from dockerlint.core.registry import PluginError, load_registry

    try:
        return load_registry(untrusted)
    except PluginError as exc:
        raise UsageError(str(exc)) from None


# The built-in reports that never show a finding's source lines (Finding.lines): not kept for them.
NO_EXCERPTS = frozenset({"json", "sarif", "github", "gitlab", "junit"})


def engine_options(args: argparse.Namespace, settings: Settings, inputs: Inputs, cwd: str) -> Options:
    """The options of the run: the working directory's, with the run's own (per-file
    resolver, limits, roots, jobs, excluder...)."""
    base_opts = settings.for_file(cwd)
    return dataclasses.replace(
        base_opts,
        for_file=settings.for_file,
        progress=settings.base.progress,
        limits=args.limits,
        compose_files=inputs.compose_files,
        roots=inputs.roots,
        jobs=args.jobs,
        repository_ignores=not args.isolated,
        line_hashes=args.fmt.strip() == "sarif",
        excerpts=args.fmt.strip() not in NO_EXCERPTS,
        excluded=excluder(args.exclude or [], inputs.roots, settings),
    )


def announce(outcome: Outcome, inputs: Inputs, quiet: bool) -> None:
    """What stderr says after a run: a warning when nothing was linted, notices (the remarks,
    such as references not followed, only without --quiet), then internal errors."""
    from dockerlint.discovery import nothing_to_lint

    result = outcome.result
    others = inputs.targets.others
    result.notices.extend(
        nothing_to_lint(inputs.unmatched, result.files_checked, [] if result.notices or inputs.errors else others)
    )
    for msg in [*result.notices, *([] if quiet else result.remarks), *result.internal_errors]:
        say(msg)


def exit_code(outcome: Outcome, inputs: Inputs, engine: Any) -> int:
    """2 on errors; 1 when a finding is at or above its file's fail-on; else 0."""
    from dockerlint.core.registry import Severity

    if outcome.errors(inputs):
        return EXIT_ERROR
    for f in outcome.result.findings:
        fail_on = engine.options_for(f.path).fail_on
        if fail_on != "never" and f.severity.rank >= Severity.parse(fail_on).rank:
            return EXIT_FINDINGS
    return EXIT_OK
