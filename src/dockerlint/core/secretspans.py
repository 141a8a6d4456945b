"""Credentials one rule found mask every finding's excerpt in that file.

A rule that finds a credential says where it is written (``Hit.secrets``), and the engine
masks those characters in that finding's snippet and source lines. Another rule's finding on
the same line (DF104 on ``RUN curl https://bob:pw@host/x | sh``, where DF117 found the
password) would still print the line as written: so before the excerpts are cut, every
finding of a file gets the credential spans of the file that fall on the lines it shows or
covers (its fingerprint then hashes the masked text too).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Protocol, TypeVar, cast

from dockerlint.models.base import Span


class _Located(Protocol):
    """A finding, as this module reads it (a frozen dataclass: engine.Finding)."""

    @property
    def span(self) -> Span: ...

    @property
    def secrets(self) -> tuple[Span, ...]: ...


F = TypeVar("F", bound=_Located)


def share_secrets(findings: Sequence[F], excerpt_lines: int) -> list[F]:
    """``findings`` with each one's ``secrets`` widened to the credential spans that other
    findings of its file found on the lines it covers or shows (``excerpt_lines`` from its
    first line)."""
    by_path: dict[str, list[Span]] = {}
    for f in findings:
        if f.secrets:
            by_path.setdefault(f.span.path, []).extend(f.secrets)
    if not by_path:
        return list(findings)
    index = {path: sorted(spans, key=lambda s: s.line) for path, spans in by_path.items()}
    lines_of = {path: [s.line for s in spans] for path, spans in index.items()}
    out: list[F] = []
    for f in findings:
        spans = index.get(f.span.path)
        if spans is not None:
            lines = lines_of[f.span.path]
            last = max(f.span.end_line, f.span.line + excerpt_lines - 1)
            near = spans[bisect_left(lines, f.span.line):bisect_right(lines, last)]
            merged = {(s.line, s.col, s.end_line, s.end_col): s for s in (*f.secrets, *near)}
            if len(merged) != len(f.secrets):
                out.append(cast(F, replace(cast(Any, f), secrets=tuple(merged.values()))))
                continue
        out.append(f)
    return out
