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
    index = _spans_by_path(findings)
    if not index:
        return list(findings)
    lines_of = {path: [s.line for s in spans] for path, spans in index.items()}
    out: list[F] = []
    # The findings of one group share one secrets tuple and one line: merge once for them all
    # (a line of 5,000 credentials is 5,000 findings of 5,000 spans each). A tuple is kept in
    # its entry, so its id is not reused while the entry lives.
    done: dict[tuple[str, int, int, int], tuple[tuple[Span, ...], tuple[Span, ...]]] = {}
    for f in findings:
        spans = index.get(f.span.path)
        if spans is None:
            out.append(f)
            continue
        lines = lines_of[f.span.path]
        last = max(f.span.end_line, f.span.line + excerpt_lines - 1)
        lo, hi = bisect_left(lines, f.span.line), bisect_right(lines, last)
        key = (f.span.path, id(f.secrets), lo, hi)
        entry = done.get(key)
        if entry is None or entry[0] is not f.secrets:
            entry = done[key] = (f.secrets, _widened(f.secrets, spans[lo:hi]))
        out.append(f if entry[1] is f.secrets else cast(F, replace(cast(Any, f), secrets=entry[1])))
    return out


def _spans_by_path(findings: Sequence[F]) -> dict[str, list[Span]]:
    """Each file's distinct credential spans, by line. The findings of one group share one
    tuple of all its spans: each tuple is read once."""
    by_path: dict[str, dict[tuple[int, int, int, int], Span]] = {}
    seen: set[int] = set()  # ids of the tuples taken (alive: the findings hold them)
    for f in findings:
        if f.secrets and id(f.secrets) not in seen:
            seen.add(id(f.secrets))
            distinct = by_path.setdefault(f.span.path, {})
            for s in f.secrets:
                distinct.setdefault((s.line, s.col, s.end_line, s.end_col), s)
    return {path: sorted(distinct.values(), key=lambda s: s.line) for path, distinct in by_path.items()}


def _widened(own: tuple[Span, ...], near: Sequence[Span]) -> tuple[Span, ...]:
    """``own`` with the spans of ``near`` it lacks (``own`` itself when it lacks none)."""
    merged = {(s.line, s.col, s.end_line, s.end_col): s for s in (*own, *near)}
    return tuple(merged.values()) if len(merged) != len(own) else own
