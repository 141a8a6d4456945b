"""What a run produces: findings (and why some are not reported) and the run's result."""

from __future__ import annotations

from dataclasses import dataclass, field

from dockerlint.api import Fix, Severity
from dockerlint.models.base import Span
from dockerlint.models.source import SourceFile

EXCERPT_LINES = 4  # source lines a finding carries for reporters (Finding.lines)


@dataclass(frozen=True, slots=True)
class Suppressed:
    """Why a finding is not reported: ``kind`` is "inline" (a ``dockerlint: ignore[...]``
    comment), "file" (``ignore-file[...]``), "hadolint" (a hadolint ignore comment) or
    "baseline"; ``reason`` is the justification written with it."""

    kind: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    rule_name: str
    severity: Severity
    span: Span
    message: str
    context: str = ""
    # The source text the span covers (as written; "" when the file could not be read).
    snippet: str = ""
    # The source lines the span starts on (at most EXCERPT_LINES), for reporters that show
    # them: the file's text is not kept once it has been linted.
    lines: tuple[str, ...] = ()
    # GitHub's primaryLocationLineHash of the start line, computed from the text the engine
    # read (with Options.line_hashes; "" otherwise or when the file could not be read):
    # reporters never read a file again.
    line_hash: str = ""
    fix: Fix | None = None
    suppression: Suppressed | None = None  # set on findings in ``Result.suppressed``
    # Where credentials are written (``Hit.secrets``): masked in ``snippet`` and ``lines``.
    secrets: tuple[Span, ...] = ()

    @property
    def path(self) -> str:
        return self.span.path

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.path, self.span.line, self.span.col, self.rule_id, self.message)


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    io_errors: int = 0  # files that could not be read
    files_checked: int = 0  # files linted or reported as unreadable/unparseable
    internal_errors: list[str] = field(default_factory=list)  # bugs: exit code 2
    notices: list[str] = field(default_factory=list)  # said on stderr, exit code unaffected
    remarks: list[str] = field(default_factory=list)  # the same, but not under --quiet
    rule_ids: list[str] = field(default_factory=list)  # the rules that were enabled
    # Findings silenced by an inline comment or the baseline (``Finding.suppression`` says which).
    suppressed: list[Finding] = field(default_factory=list)

    def absorb(self, other: Result) -> None:
        """Add ``other``'s counts and messages (not its findings, files or rule ids) to this one."""
        self.io_errors += other.io_errors
        self.files_checked += other.files_checked
        self.internal_errors.extend(other.internal_errors)
        self.notices.extend(other.notices)
        self.remarks.extend(other.remarks)


def unique(findings: list[Finding]) -> list[Finding]:
    """``findings`` (sorted by :meth:`Finding.sort_key`) without repeats (same rule, span and
    message), in order. Repeats share their sort key, so only the findings of one key are
    remembered at a time, not every finding of a big run."""
    seen: set[tuple[str, Span, str]] = set()
    out = []
    last: tuple[str, int, int, str, str] | None = None
    for f in findings:
        order = f.sort_key()
        if order != last:
            last = order
            seen.clear()
        key = (f.rule_id, f.span, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
