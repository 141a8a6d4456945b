"""What the engine needs to know of the configuration (of one file, or of the run)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dockerlint.api import Severity
from dockerlint.util import limits as _limits

DEFAULT_MAX_FILE_SIZE = _limits.DEFAULT_MAX_FILE_SIZE


@dataclass
class Options:
    """What the engine needs to know of the configuration (of one file, or of the run)."""

    select: list[str] = field(default_factory=list)  # ids or prefixes; empty: the defaults
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    forced_kind: str | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    limits: _limits.Limits = _limits.DEFAULTS  # nesting depth, alias expansion (the parsers read them)
    rule_options: dict[str, Any] = field(default_factory=dict)  # rule id -> validated options
    # The exact ids that are on, when the selection was resolved already (configuration
    # layers); overrides select / extend_select / ignore.
    enabled: frozenset[str] | None = None
    # (glob, selectors): rules off for the files a glob matches, relative to ``base_dir``.
    per_file_ignores: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    base_dir: str = ""  # absolute folder the globs are relative to ("" = working directory)
    allow_inline_ignores: bool = True
    require_reason: bool = True
    fail_on: str = "low"  # lowest severity that fails the run ("never": none)
    # The options of the configuration that applies to a file (by absolute path); None:
    # these options apply to every file.
    for_file: Callable[[str], Options] | None = None
    # Called before each file is read: (index from 1, total, display path).
    progress: Callable[[int, int, str], None] | None = None
    # Compose: files given with --compose-file (absolute, in merge order: one project, like
    # ``docker compose -f``), and the absolute folders the scan covers (files a project
    # refers to outside them are not read; empty: the working directory).
    compose_files: tuple[str, ...] = ()
    roots: tuple[str, ...] = ()
    # Worker processes for the files linted on their own (0: one per CPU, when the run is
    # big enough to gain from it; 1: this process only).
    jobs: int = 1
    # Whether the repository's ignore rules (.gitignore) may say a file is not committed
    # (DC117 on a .env); --isolated: no, nothing the repository commits hides a finding.
    repository_ignores: bool = True
    # Whether the user's exclude globs (--exclude, the configuration's ``exclude``) drop a
    # file the scan refers to (a Dockerfile a Compose build or a ``docker build -f`` line
    # names), by absolute path; None: nothing is excluded.
    excluded: Callable[[str], bool] | None = None
    # Compute Finding.line_hash (the SARIF report's primaryLocationLineHash) while each
    # file's text is in memory.
    line_hashes: bool = False
    # Give each finding the source lines it starts on (Finding.lines), for a report that shows
    # them; off for the built-in reports that never do (JSON, SARIF, GitHub, GitLab, JUnit).
    excerpts: bool = True
