"""Automatic fixes, planned: ``--fix`` writes them (:mod:`dockerlint.fixes.write`), ``--diff``
shows them as a unified diff (:mod:`dockerlint.fixes.diff`).

A rule attaches a :class:`~dockerlint.core.registry.Fix` (edits by span) to a finding when the
change is unambiguous; the engine has already dropped fixes that would rewrite
``${VAR}`` interpolation or YAML anchors, aliases and merge keys. Here the fixes of one
pass are applied to each file's text (a fix whose edits overlap an accepted one waits
for the next pass), the result is parsed again, and a file that would no longer parse
is left alone. The command line lints the fixed text again until nothing changes.

The plan takes the linted sources and the findings that carry fixes, not the engine's
result: this package sits below the engine and knows edits and files only.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from dockerlint.api import Edit, Fix
from dockerlint.models.base import Span
from dockerlint.models.source import SourceFile
from dockerlint.parsers import PARSERS


@dataclass
class FileFix:
    path: str  # display path
    abspath: str
    kind: str
    before: str  # text as linted (LF line ends)
    after: str
    fixed: list[str] = field(default_factory=list)  # "RULE line:col" of the findings fixed
    edits: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, text), offsets into before


class Fixable(Protocol):
    """What planning reads of a finding (the engine's ``Finding`` has it)."""

    @property
    def rule_id(self) -> str: ...

    @property
    def span(self) -> Span: ...

    @property
    def fix(self) -> Fix | None: ...


def plan(files: Iterable[SourceFile], fixes: Iterable[Fixable]) -> tuple[dict[str, FileFix], list[str]]:
    """The fixed text of every file with applicable fixes, and notices for refused ones.
    ``files``: the linted sources (by display path); ``fixes``: the findings, in order
    (those without a safe fix are passed over)."""
    sources = {src.path: src for src in files}
    chosen: dict[str, list[tuple[int, int, str]]] = {}
    labels: dict[str, list[str]] = {}
    targets: dict[str, list[int]] = {}  # where the fixed findings start: the values the fixes change
    notices: list[str] = []
    for f in fixes:
        if f.fix is None or not f.fix.safe:
            continue
        ranges: list[tuple[str, int, int, str]] = []
        ok = True
        for edit in f.fix.edits:
            r = _range(sources, edit)
            if r is None:
                ok = False
                break
            ranges.append((edit.span.path, r[0], r[1], edit.replacement))
        if not ok:
            continue
        if any(_overlaps(chosen.get(p, []), a, b) for p, a, b, _ in ranges):
            continue  # next pass
        for p, a, b, text in ranges:
            chosen.setdefault(p, []).append((a, b, text))
            labels.setdefault(p, []).append(f"{f.rule_id} {f.span.line}:{f.span.col}")
        at = sources[f.span.path].index.offset(f.span.line, f.span.col) if f.span.path in sources else None
        if at is not None:
            targets.setdefault(f.span.path, []).append(at)
    out: dict[str, FileFix] = {}
    for path, edits in chosen.items():
        src = sources[path]
        text = src.text
        for a, b, repl in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
            text = text[:a] + repl + text[b:]
        problem = _parse_problem(src, text)
        if problem:
            notices.append(f"{path}: fixes not applied: the result would not parse ({problem})")
            continue
        # Parsing is not enough: text in the wrong place parses too. The fixed file must mean
        # what the original meant, but for the fixed values.
        from dockerlint.fixes.verify import unexplained_change

        problem = unexplained_change(src, text, edits, targets.get(path, []))
        if problem:
            notices.append(f"{path}: fixes not applied: {problem}")
            continue
        out[path] = FileFix(path, src.abspath, src.kind, src.text, text, labels[path], sorted(edits))
    return out, notices


def _range(sources: dict[str, SourceFile], edit: Edit) -> tuple[int, int] | None:
    src = sources.get(edit.span.path)
    if src is None:
        return None
    a = src.index.offset(edit.span.line, edit.span.col)
    b = src.index.offset(edit.span.end_line, edit.span.end_col)
    if a is None or b is None or b < a:
        return None
    return a, b


def _overlaps(taken: list[tuple[int, int, str]], a: int, b: int) -> bool:
    # Two insertions at one point also conflict: their order would be arbitrary.
    return any((a < tb and ta < b) or a == ta or b == tb for ta, tb, _ in taken)


def _parse_problem(src: SourceFile, text: str) -> str:
    from dockerlint.parsers.errors import ParseError

    module = importlib.import_module(PARSERS[src.kind])
    try:
        out = module.parse(SourceFile(path=src.path, kind=src.kind, text=text, abspath=src.abspath))
    except ParseError as exc:
        return f"line {exc.line}: {exc.message}"
    except Exception as exc:  # noqa: BLE001 -- any parser failure means: do not write
        return f"{type(exc).__name__}: {exc}"
    errors = [p for p in out.problems if p.rule_id.endswith("000")]
    if not errors:
        return ""
    before = module.parse(SourceFile(path=src.path, kind=src.kind, text=src.text, abspath=src.abspath))
    if len(errors) > len([p for p in before.problems if p.rule_id.endswith("000")]):
        return str(errors[0].message)
    return ""
