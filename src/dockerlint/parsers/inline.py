"""Compose ``dockerfile_inline``: a Dockerfile written in a Compose file, linted where it is written.

``build: {dockerfile_inline: |...}`` (Compose 2.17+) is the Dockerfile Compose builds the
service's image from. It is a YAML string, and Compose interpolates it like every value
(``$$`` for a ``$``, ``${VAR}`` from the project's ``.env``). This module gives the engine

- the Dockerfile's text as BuildKit gets it (the interpolated value, :attr:`Inline.source`),
  parsed by the ordinary Dockerfile parser under the build's name in the scan
  (:attr:`InlineDockerfile.path`), so DC122 and DF101 link the services to it;
- a map of every position of that text to where it is written in the Compose file, through
  the interpolation (a character an expression produced maps to the expression) and the
  YAML scalar (indentation of a ``|`` block, quoting, escapes, folding:
  :func:`dockerlint.parsers.yaml_text.align`), so that every model, finding and suppression
  comment of the inline Dockerfile points at the Compose file's text (:meth:`Inline.remap`).

Fixes are not offered there: an edit of the Dockerfile's text is not an edit of the YAML
string that holds it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, cast

from dockerlint.models.base import Span, is_model
from dockerlint.models.container import InlineDockerfile
from dockerlint.models.source import SourceFile
from dockerlint.util.lines import LineIndex

_YAML_BREAK = re.compile("[\n\x85\u2028\u2029]")


@dataclass
class Inline:
    """One ``dockerfile_inline`` of the scan, ready to lint."""

    inline: InlineDockerfile
    source: SourceFile  # the Dockerfile as BuildKit reads it, named as the scan calls it
    compose: SourceFile  # the Compose file it is written in
    _index: LineIndex
    _file_index: LineIndex
    _starts: list[int]
    _ends: list[int]
    _scalar: tuple[int, int]  # the scalar's offsets in the Compose file
    _e0: list[int]  # where each interpolation piece starts in the interpolated text

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def lines(self) -> tuple[int, int]:
        """The first and last lines of the Compose file the Dockerfile is written on."""
        a = self._file_index.position(self._scalar[0])[0]
        b = self._file_index.position(max(self._scalar[0], self._scalar[1] - 1))[0]
        return a, b

    # -- positions --------------------------------------------------------------------------

    def _written(self, e: int, end: bool) -> int:
        """The offset in the written YAML value of offset ``e`` of the interpolated text."""
        pieces = self.inline.pieces
        if not pieces:
            return e
        # The piece holding character e (for an end: character e - 1); empty pieces never do.
        k = bisect_right(self._e0, e - 1 if end else e) - 1
        while k >= 0 and pieces[k][0] == pieces[k][1]:
            k -= 1
        if k < 0:
            return 0
        e0, e1, w0, w1, copied = pieces[k]
        if e >= e1 + (1 if end else 0):
            return w1  # past the text
        if copied:
            return w0 + (e - e0)
        return w1 if end else w0

    def _file_offset(self, e: int, end: bool) -> int:
        w = self._written(e, end)
        starts, ends = self._starts, self._ends
        if not starts:
            return self._scalar[0]
        if end:
            return ends[min(max(w, 1), len(ends)) - 1] if w > 0 else starts[0]
        return starts[w] if w < len(starts) else ends[-1]

    def span(self, s: Span) -> Span:
        """``s`` (a span of :attr:`source`) where it is written in the Compose file."""
        a = self._index.clamped(s.line, s.col)
        b = self._index.clamped(s.end_line, s.end_col)
        fa = self._file_offset(a, end=False)
        fb = self._file_offset(b, end=True) if b > a else fa
        fb = max(fa, fb)
        line, col = self._file_index.position(fa)
        end_line, end_col = self._file_index.position(fb)
        return Span(self.compose.path, line, col, end_line, end_col)

    # -- models -----------------------------------------------------------------------------

    def remap(self, obj: Any) -> Any:
        """``obj`` (models of :attr:`source`, lists of them...) with every span of the inline
        Dockerfile moved to the Compose file; the shell scripts of RUN instructions, parsed
        later, are moved when they are."""
        return _remap(obj, self._move)

    def _move(self, s: Span) -> Span:
        return self.span(s) if s.path == self.source.path else s


def _parts(obj: Any) -> list[Any] | None:
    """What a value holds that may hold spans (None: a plain value, kept as it is)."""
    if is_model(obj):
        return [getattr(obj, name) for name in _names(type(obj))]
    if isinstance(obj, (list, tuple)):
        return list(obj)
    if isinstance(obj, dict):
        return list(obj.values())
    return None


def _remap(root: Any, move: Callable[[Span], Span]) -> Any:
    """``root`` rebuilt with ``move`` applied to every span in it. Iterative (a shell script
    nests as deep as its input), each shared value rebuilt once."""
    done: dict[int, Any] = {}  # id of an original (alive in ``root``) -> its copy
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        obj, ready = stack.pop()
        if id(obj) in done:
            continue
        if isinstance(obj, Span):
            done[id(obj)] = move(obj)
            continue
        parts = _parts(obj)
        if parts is None:
            continue
        if not ready:
            stack.append((obj, True))
            stack.extend((p, False) for p in parts if id(p) not in done)
            continue
        done[id(obj)] = _rebuilt(obj, done, move)
    return done.get(id(root), root)


def _rebuilt(obj: Any, done: dict[int, Any], move: Callable[[Span], Span]) -> Any:
    if is_model(obj):
        values: dict[str, Any] = {}
        for key in _names(type(obj)):
            value = getattr(obj, key)
            if key == "_script" and callable(value):  # an Instruction's script, not parsed yet
                values[key] = _later(value, move)
            else:
                values[key] = done.get(id(value), value)
        return type(obj)(**values)
    if isinstance(obj, list):
        return [done.get(id(v), v) for v in obj]
    if isinstance(obj, tuple):
        items = [done.get(id(v), v) for v in obj]
        return cast(Any, type(obj))(*items) if hasattr(obj, "_fields") else tuple(items)
    return {k: done.get(id(v), v) for k, v in obj.items()}


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    """The field names of a model class."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def _later(source: Callable[[], Any], move: Callable[[Span], Span]) -> Callable[[], Any]:
    def parse() -> Any:
        return _remap(source(), move)

    return parse


def prepare(inline: InlineDockerfile, compose: SourceFile) -> Inline:
    """The inline Dockerfile of a build, with the map back to ``compose`` (the file it is
    written in, as the engine read it)."""
    from dockerlint.parsers.yaml_text import align

    text = compose.text
    index = compose.index
    span = inline.value.span
    a = index.clamped(span.line, span.col)
    b = max(a, index.clamped(span.end_line, span.end_col))
    start = a
    if inline.style in ("|", ">"):
        # The content starts after the line break that ends the indicator (and its comment).
        m = _YAML_BREAK.search(text, a, b)
        start = b if m is None else m.end()
    elif inline.style in ('"', "'") and a < b:
        start = a + 1  # past the opening quote
    starts, ends = align(inline.value.value, text, start, max(start, b), escapes=inline.style == '"')
    dockerfile = inline.value.text
    source = SourceFile(path=inline.path, kind="dockerfile", text=dockerfile, abspath="")
    return Inline(
        inline, source, compose, LineIndex(dockerfile), index, starts, ends, (a, b), [p[0] for p in inline.pieces]
    )
