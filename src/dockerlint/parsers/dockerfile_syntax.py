"""What the Dockerfile parser and the RUN reader (``dockerfile_run``) share: an instruction as
lexed (:class:`Ins`), the map from its joined text to file positions (:class:`Map`), BuildKit's
flag extraction (:func:`extract_flags`), and the parser as the RUN reader sees it
(:class:`RunParser`). Kept apart so that ``dockerfile_run`` needs nothing of ``dockerfile``
(which imports it): no import cycle.
"""

from __future__ import annotations

from typing import Protocol

from dockerlint.models.base import LStr, Span
from dockerlint.models.image import ArgDef, Flag, Heredoc
from dockerlint.util.lines import SegmentMap

# Go's unicode.IsSpace.
SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
SPACE_SET = frozenset(SPACE)


class Map(SegmentMap):
    """Maps offsets in an instruction's joined text to source lines and columns
    (:class:`~dockerlint.util.lines.SegmentMap`: ``starts``, ``lines`` and 1-based ``cols``
    of its pieces), and spans of it to :class:`Span` of ``path``."""

    __slots__ = ("path",)

    def __init__(self, path: str, starts: list[int], lines: list[int], cols: list[int]) -> None:
        super().__init__(starts, lines, cols)
        self.path = path

    def span(self, a: int, b: int) -> Span:
        """The span of joined text ``[a, b)``; ``b > a``."""
        line, col, end_line, end_col = self.range(a, b)
        return Span(self.path, line, col, end_line, end_col)


def extract_flags(s: str, pos: int, end: int) -> tuple[list[tuple[int, int, str, int]], int]:
    """BuildKit's ``extractBuilderFlags`` on ``s[pos:end]``.

    Returns the flags as ``(start, end, processed word, offset of its first '=' or -1)``
    and the offset where the arguments start.
    """
    flags: list[tuple[int, int, str, int]] = []
    while True:
        while pos < end and s[pos] in SPACE_SET:
            pos += 1
        if pos >= end:
            return flags, end
        if not (s[pos] == "-" and pos + 1 < end and s[pos + 1] == "-"):
            return flags, pos
        start = pos
        buf: list[str] = []
        eq = -1
        blank_ok = False
        while pos < end:
            ch = s[pos]
            if ch in SPACE_SET:
                break
            if ch == "'" or ch == '"':
                blank_ok = True
                pos += 1
                while pos < end:
                    c = s[pos]
                    if c == ch:
                        pos += 1
                        break
                    if c == "\\":
                        if pos + 1 == end:
                            pos += 1
                            break
                        pos += 1
                        c = s[pos]
                    if c == "=" and eq < 0:
                        eq = pos
                    buf.append(c)
                    pos += 1
                continue
            if ch == "\\":
                if pos + 1 == end:
                    pos += 1
                    continue
                pos += 1
                ch = s[pos]
            if ch == "=" and eq < 0:
                eq = pos
            buf.append(ch)
            pos += 1
        word = "".join(buf)
        if word == "--":
            return flags, pos
        if blank_ok or word:
            flags.append((start, pos, word, eq))


class Ins:
    """An instruction as lexed, before stages and variables are known."""

    __slots__ = (
        "arg_defs",
        "args_a",
        "args_span",
        "args_text",
        "bk_args",
        "end_line",
        "flag_names",
        "flags",
        "heredocs",
        "json_form",
        "keyword",
        "keyword_span",
        "map",
        "openers",
        "pairs",
        "span",
        "start_line",
        "sub_keyword",
        "words",
        "written",
    )

    keyword: str
    written: str  # the keyword as written
    keyword_span: Span
    span: Span
    start_line: int
    end_line: int
    flags: list[Flag]
    flag_names: list[str]
    args_text: str
    args_span: Span | None
    words: list[tuple[str, Span]]
    json_form: bool
    heredocs: list[Heredoc]
    openers: list[tuple[str, bool, bool, int, Span]]
    bk_args: list[str]  # the arguments as BuildKit's AST holds them
    sub_keyword: str | None  # ONBUILD's trigger
    arg_defs: list[ArgDef]  # ARG only
    map: Map  # offsets of the joined text to file positions (the shell model reads RUN with it)
    args_a: int  # where args_text starts in the joined text
    # ENV, LABEL, ARG: (name, value as written, index of the word that holds the value, or -1)
    pairs: list[tuple[LStr, LStr | None, int]]


class RunParser(Protocol):
    """The Dockerfile parser, as :class:`dockerlint.parsers.dockerfile_run.RunScripts` reads it."""

    path: str
    lines: list[str]

    def heredoc_name(self, word: str) -> tuple[str, bool, bool, int] | None:
        """BuildKit's ``ParseHeredoc`` of ``word``: (name, quoted, strip tabs, fd) or None."""
        ...
