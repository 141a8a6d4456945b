"""The inputs of a run: the paths to lint (:func:`resolve_targets`), then the files
(:func:`collect_inputs`): standard input, discovery, ``--compose-file``, with the
configuration's excludes applied."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dockerlint.cli.args import UsageError, scanned_dirs

if TYPE_CHECKING:
    from dockerlint.config.settings import Settings
    from dockerlint.discovery import Candidate, Unmatched


@dataclass
class Targets:
    """The paths to lint as given (``others``: not '-'; ``compose``: ``--compose-file``), less
    those refused (``errors``); ``read_roots``: their folders."""

    others: list[str]
    compose: list[str]
    errors: list[str]
    read_roots: list[str]


@dataclass
class Inputs:
    """What a run lints: the candidates, the bytes of standard input (``contents``, by
    absolute path), the files no reader claimed (``unmatched``), the path errors, the roots
    (the linted folders), the ``--compose-file`` files and the folders not written through."""

    targets: Targets
    candidates: list[Candidate] = field(default_factory=list)
    contents: dict[str, bytes] = field(default_factory=dict)
    unmatched: list[Unmatched] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    roots: tuple[str, ...] = ()
    compose_files: tuple[str, ...] = ()
    guarded: tuple[str, ...] = ()


def resolve_targets(args: argparse.Namespace, cwd: str) -> Targets:
    """The paths to lint (default: '.'; none when only standard input is), each checked
    against the working directory's links."""
    paths = args.inputs
    others = [p for p in paths if p != "-"] or ([] if "-" in paths else ["."])
    others, errors = inside_working_directory(others, cwd)
    given_compose, refused = inside_working_directory(list(args.compose_file or ()), cwd)
    return Targets(others, given_compose, errors + refused, scanned_dirs([*others, *given_compose]))


def collect_inputs(args: argparse.Namespace, cwd: str, settings: Settings, targets: Targets) -> Inputs:
    """Standard input, then the files found under the paths, then the ``--compose-file`` ones
    (each file once), less the configuration's excludes."""
    from dockerlint.config.files import ConfigError
    from dockerlint.config.layers import SettingError
    from dockerlint.util.safefiles import guarded_dirs

    inputs = Inputs(targets, errors=list(targets.errors))
    try:
        if "-" in args.inputs:
            _read_stdin(args, cwd, inputs)
        if targets.others:
            _discover(args, targets.others, inputs)
        inputs.compose_files = tuple(os.path.abspath(f) for f in targets.compose)
        if inputs.compose_files:
            _add_compose_files(targets.compose, inputs)
        if settings.has_files():
            inputs.candidates = [c for c in inputs.candidates if not settings.excludes(c.abspath)]
    except ConfigError as exc:
        raise SettingError(f"configuration: {exc}") from None
    inputs.roots = tuple(
        dict.fromkeys(
            os.path.abspath(p) if os.path.isdir(p) else os.path.dirname(os.path.abspath(p))
            for p in [*targets.others, *targets.compose]
        )
    )
    inputs.guarded = guarded_dirs(cwd, inputs.roots)
    return inputs


def _read_stdin(args: argparse.Namespace, cwd: str, inputs: Inputs) -> None:
    from dockerlint.discovery import Candidate, classify_name

    name = args.stdin_filename or "-"
    abspath = os.path.abspath(name)
    if sys.stdin is None:
        raise UsageError("standard input is closed")
    # At most one byte more than the limit: a 1 GB pipe is refused, not held in memory.
    inputs.contents[abspath] = sys.stdin.buffer.read(args.limits.max_file_size + 1)
    display = os.path.relpath(abspath, cwd).replace(os.sep, "/") if args.stdin_filename else "-"
    if display.startswith("../"):
        display = abspath
    kind = classify_name(os.path.basename(os.path.dirname(abspath)) + "/" + os.path.basename(abspath))
    inputs.candidates.append(Candidate(display, abspath, kind, explicit=True))


def _discover(args: argparse.Namespace, others: list[str], inputs: Inputs) -> None:
    from dockerlint.discovery import discover

    # --isolated: the tree decides nothing, not even which of its folders are skipped.
    found, missing = discover(
        others, exclude=args.exclude, kind=args.kind, unmatched=inputs.unmatched, skip_tool_dirs=not args.isolated
    )
    inputs.errors += missing
    inputs.candidates.extend(found)


def _add_compose_files(given: list[str], inputs: Inputs) -> None:
    from dockerlint.discovery import Candidate, discover

    found, missing = discover(given, kind="compose")
    inputs.errors += missing
    have = {os.path.realpath(c.abspath) for c in inputs.candidates}
    inputs.candidates.extend(
        Candidate(c.path, c.abspath, "compose", explicit=True) for c in found if os.path.realpath(c.abspath) not in have
    )


def inside_working_directory(paths: list[str], cwd: str) -> tuple[list[str], list[str]]:
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
            errors.append(
                f"{p}: not read: {exc} (dockerlint follows no link of the repository out of the "
                "working directory; name the file it points to instead to lint it)"
            )
            continue
        except containment.LinkLoop:
            pass  # reading it fails and says so, as for any path that cannot be opened
        kept.append(p)
    return kept, errors


def excluder(globs: Sequence[str], roots: Sequence[str], settings: Settings) -> Callable[[str], bool]:
    """For a file the scan refers to (a Dockerfile a build names; the walk did not pass it):
    whether ``--exclude`` (relative to a linted folder holding it, the file or one of its
    folders, as the walk applies it) or the configuration's ``exclude`` drops it."""
    from dockerlint.discovery import Excluder

    patterns = Excluder(list(globs))

    def excluded(abspath: str) -> bool:
        if patterns.patterns and _excluded_by_patterns(patterns, roots, abspath):
            return True
        return _excluded_by_config(settings, abspath)

    return excluded


def _excluded_by_patterns(patterns: Any, roots: Sequence[str], abspath: str) -> bool:
    for root in roots:
        rel = os.path.relpath(abspath, root).replace(os.sep, "/")
        if rel.startswith("../") or rel == "..":
            continue
        parts = rel.split("/")
        if any(patterns.excluded("/".join(parts[:k]), is_dir=True) for k in range(1, len(parts))):
            return True
        if patterns.excluded(rel):
            return True
    return False


def _excluded_by_config(settings: Settings, abspath: str) -> bool:
    from dockerlint.config.files import ConfigError
    from dockerlint.config.layers import SettingError

    if not settings.has_files():
        return False
    try:
        return settings.excludes(abspath)
    except ConfigError as exc:
        raise SettingError(f"configuration: {exc}") from None
