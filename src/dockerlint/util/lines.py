"""What a line is, once for every reader: the line index all positions come from.

A line ends at LF, and nowhere else. The engine has already turned CRLF into LF, and a
lone CR into LF in the kinds whose own syntax reads it as a line break (YAML, JSON,
systemd; README "Limits"); in a Dockerfile or a script a lone CR stays an ordinary
character, as BuildKit and shells read it. U+2028, U+2029, NEL (U+0085), VT, FF and the
other characters ``str.splitlines()`` splits at are ordinary characters too: editors,
GitHub and SARIF viewers do not start a line there. (PyYAML does, as YAML 1.1 and the Go
YAML library Compose uses do: the structure it reads is kept, but the line and column of
its marks are never used, only their character index, which goes through this index.)

Lines and columns are 1-based and count code points; offsets are 0-based indexes into
the text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from copy import copy
from itertools import accumulate
from typing import Protocol, TypeVar

__all__ = ["LineIndex", "Located", "SegmentMap", "split", "split_keepends", "text_between"]


_M = TypeVar("_M", bound="SegmentMap")


def split(text: str) -> list[str]:
    """The lines of ``text`` without their LF (line N is ``split(text)[N - 1]``); never ``splitlines()``."""
    return text.split("\n")


def split_keepends(text: str) -> list[str]:
    """The lines of ``text`` with their LF (the last one without, when the text does not end
    with one); no empty last item. ``splitlines(keepends=True)`` with LF as the only break."""
    if not text:
        return []
    parts = text.split("\n")
    out = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


class LineIndex:
    """Offsets of a text <-> 1-based (line, column)."""

    __slots__ = ("length", "starts")

    def __init__(self, text: str) -> None:
        self.length = len(text)
        # Where each line starts: 0, then one past every LF (map/accumulate run in C).
        starts = list(accumulate(map((1).__add__, map(len, text.split("\n"))), initial=0))
        starts.pop()  # one past the end of the text
        self.starts = starts

    def __len__(self) -> int:
        """The number of lines (a text ending with LF has an empty last line)."""
        return len(self.starts)

    def position(self, offset: int) -> tuple[int, int]:
        """The (line, column) of ``offset`` (clamped to the text; the end is a position too)."""
        offset = min(max(offset, 0), self.length)
        k = bisect_right(self.starts, offset) - 1
        return k + 1, offset - self.starts[k] + 1

    def offset(self, line: int, col: int) -> int | None:
        """The offset of (``line``, ``col``), or None when that is not a position of the text
        (a column past the end of its line: the LF is the last position of a line)."""
        if line < 1 or line > len(self.starts):
            return None
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else self.length
        at = start + col - 1
        return at if start <= at <= end else None

    def clamped(self, line: int, col: int) -> int:
        """The offset of (``line``, ``col``), pulled inside the text (and inside the line)."""
        if line < 1:
            return 0
        if line > len(self.starts):
            return self.length
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else self.length
        return min(max(start + col - 1, start), end)

    def line_start(self, line: int) -> int:
        return self.starts[min(max(line, 1), len(self.starts)) - 1]


class SegmentMap:
    """Offsets of a text joined from pieces of a file (a line continued onto the next ones, a
    logical line, a text that starts mid-line) <-> the 1-based (line, column) in the file.

    Piece ``k`` starts at offset ``starts[k]`` of the joined text (``starts[0]`` is 0, the
    list ascending) and is written from column ``cols[k]`` of line ``lines[k]`` on, one line
    of the file: offset ``o`` of the piece is column ``cols[k] + o - starts[k]`` there. An
    offset past the end of the text is taken on the last piece. Built once per text, asked
    for every word: one ``bisect`` on the precomputed starts, and nothing when there is one
    piece.
    """

    __slots__ = ("bases", "lines", "starts")

    def __init__(self, starts: Sequence[int], lines: Sequence[int], cols: Iterable[int]) -> None:
        self.starts = starts
        self.lines = lines
        # The column offset 0 would have on each piece's line: a position is one addition.
        self.bases = [c - s for s, c in zip(starts, cols)]

    @classmethod
    def of(cls, pieces: Iterable[tuple[int, int, int]]) -> SegmentMap:
        """The map of pieces given as ``(start, line, col)``."""
        starts: list[int] = []
        lines: list[int] = []
        cols: list[int] = []
        for start, line, col in pieces:
            starts.append(start)
            lines.append(line)
            cols.append(col)
        return cls(starts, lines, cols)

    @classmethod
    def of_text(cls, starts: Sequence[int], line: int = 1, col: int = 1) -> SegmentMap:
        """The map of a text whose line starts are ``starts`` (:attr:`LineIndex.starts`), its
        first character at ``line``/``col`` of the file."""
        return cls(starts, range(line, line + len(starts)), [col, *([1] * (len(starts) - 1))])

    @property
    def cols(self) -> list[int]:
        """The column where each piece starts."""
        return [b + s for s, b in zip(self.starts, self.bases)]

    def position(self, off: int) -> tuple[int, int]:
        """The (line, column) of offset ``off`` of the joined text."""
        starts = self.starts
        k = 0 if len(starts) == 1 else bisect_right(starts, off) - 1
        return self.lines[k], self.bases[k] + off

    def range(self, a: int, b: int) -> tuple[int, int, int, int]:
        """``(line, col, end_line, end_col)`` of the joined text's ``[a, b)`` (end exclusive,
        ``b > a``): from ``a``'s position to one past ``b - 1``'s."""
        starts = self.starts
        if len(starts) == 1:
            line, base = self.lines[0], self.bases[0]
            return line, base + a, line, base + b
        k = bisect_right(starts, a) - 1
        if k + 1 == len(starts) or starts[k + 1] >= b:  # one piece: one line
            line, base = self.lines[k], self.bases[k]
            return line, base + a, line, base + b
        j = bisect_right(starts, b - 1) - 1
        return self.lines[k], self.bases[k] + a, self.lines[j], self.bases[j] + b

    def shifted(self: _M, base: int) -> _M:
        """The map of the joined text from offset ``base`` on (its offset 0 is ``base``);
        ``base`` within the text."""
        if base == 0:
            return self
        starts = self.starts
        k = bisect_right(starts, base) - 1
        new = copy(self)
        new.starts = [0, *(s - base for s in starts[k + 1 :])]
        new.lines = self.lines[k:]
        new.bases = [b + base for b in self.bases[k:]]
        return new


class Located(Protocol):
    """What :func:`text_between` needs of a span (``models.base.Span`` is one)."""

    @property
    def line(self) -> int: ...
    @property
    def col(self) -> int: ...
    @property
    def end_line(self) -> int: ...
    @property
    def end_col(self) -> int: ...


def text_between(lines: Sequence[str], span: Located) -> str:
    """The source text ``span`` covers (code point columns, end exclusive)."""
    if span.line < 1 or span.line > len(lines):
        return ""
    last = min(max(span.end_line, span.line), len(lines))
    if last == span.line:
        return lines[span.line - 1][span.col - 1 : max(span.end_col, span.col) - 1]
    parts = [lines[span.line - 1][span.col - 1 :]]
    parts.extend(lines[span.line : last - 1])
    parts.append(lines[last - 1][: max(span.end_col, 1) - 1] if last == span.end_line else lines[last - 1])
    return "\n".join(parts)
