"""Where each character of a YAML string is written: positions inside block scalars.

A CI file's shell script is a YAML string (``run: |`` block, a plain or quoted scalar, a
folded ``>`` block). The shell parser needs, for every character of the string's *value*,
its place in the file. :func:`scalar_locator` aligns the value with the scalar's source
text: every non-blank character of the value is found, in order, in the source, past
indentation, line breaks and quoting (``''``, ``\\"``); blanks that folding or escapes
made are placed where they stand. The result is a locator for the shell parser
(``IndexedLocator`` over the file), exact for every style: a character a double-quoted
string's escape makes (``\\n``, ``\\x41``) is located at its escape sequence.
"""

from __future__ import annotations

import re

from dockerlint.models.base import LStr, Span
from dockerlint.models.container import EnvVar
from dockerlint.models.shell import Script
from dockerlint.parsers.cmdline import Val
from dockerlint.parsers.shell import IndexedLocator, TextLocator
from dockerlint.parsers.shell import parse as parse_shell
from dockerlint.parsers.yaml_nodes import YMap, YNode, YScalar
from dockerlint.util.lines import LineIndex

_YAML_BREAK = re.compile("[\n\x85\u2028\u2029]")
_BLANK = " \t\n\r"
_SKIP = " \t\n\r\\'\""
_WINDOW = 16  # how far to look for a character an escape sequence made


class FileText:
    """A file's text with its line index: offsets of 1-based positions, and a locator."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.index = LineIndex(text)
        self.locator = TextLocator(path, text, index=self.index)

    def offset(self, line: int, col: int) -> int:
        return self.index.clamped(line, col)

    def scalar_locator(self, node: YScalar) -> IndexedLocator:
        return scalar_locator(self, node)

    def span(self, node: YScalar) -> Span:
        return node.span(self.path)


def scalar_locator(ft: FileText, node: YScalar) -> IndexedLocator:
    """A locator for offsets in ``node.value``: the file positions of its characters."""
    src = ft.text
    a = ft.offset(node.line, node.col)
    b = ft.offset(node.end_line, node.end_col)
    if node.style in ("|", ">"):
        # The content starts after the line break that ends the indicator (and its comment):
        # a YAML line break, which U+2028, U+2029 and NEL are too.
        m = _YAML_BREAK.search(src, a, b)
        a = b if m is None else m.end()
    elif node.style in ('"', "'") and a < b:
        a += 1  # past the opening quote
    starts, ends = align(node.value, src, a, max(a, b), escapes=node.style == '"')
    return IndexedLocator(ft.locator, starts, ends)


_ESCAPE_WIDTH = {"x": 2, "u": 4, "U": 8}


def align(value: str, src: str, a: int, b: int, escapes: bool = False) -> tuple[list[int], list[int]]:
    """For each character of ``value``, the offsets ``[start, end)`` in ``src[a:b]`` where it is written.

    ``escapes``: ``src`` is a double-quoted YAML string, whose backslash sequences (``\n``,
    ``\x41``, ``\"``) each make one character and whose escaped line breaks make none.
    """
    starts: list[int] = []
    ends: list[int] = []
    p = a
    last = max(a, b - 1)
    for ch in value:
        if escapes:
            while p + 1 < b and src[p] == "\\" and src[p + 1] == "\n":
                p += 2  # an escaped line break, and the next line's indentation
                while p < b and src[p] in " \t":
                    p += 1
            if p + 1 < b and src[p] == "\\":
                end = min(b, p + 2 + _ESCAPE_WIDTH.get(src[p + 1], 0))
                starts.append(p)
                ends.append(end)
                p = end
                continue
        if ch in _BLANK:
            if p < b and src[p] == ch:
                starts.append(p)
                ends.append(p + 1)
                p += 1
            else:  # a blank made by folding or an escape: where the reading stands
                q = min(p, last)
                starts.append(q)
                ends.append(q + 1)
            continue
        q = p
        while q < b and src[q] != ch and src[q] in _SKIP:
            q += 1
        if q >= b or src[q] != ch:
            r = src.find(ch, p, min(b, p + _WINDOW))
            q = r if r >= 0 else -1
        if q < 0:
            q = min(p, last)
            starts.append(q)
            ends.append(q + 1)
            continue
        starts.append(q)
        ends.append(q + 1)
        p = q + 1
    return starts, ends


# -- values for the CI parsers ---------------------------------------------------------------


def scalar_val(ft: FileText, node: YScalar) -> Val:
    """A YAML string as a flag parser reads it: literal text (no shell reads it), located."""
    span = node.span(ft.path)
    cache: list[IndexedLocator] = []

    def sub(a: int, b: int) -> Span:
        if not cache:
            cache.append(scalar_locator(ft, node))
        return cache[0].span(a, b)

    return Val(node.value, span, True, sub)


def shell_script(ft: FileText, node: YScalar) -> Script:
    """The shell script a YAML string holds, every word at its place in the file."""
    return parse_shell(node.value, scalar_locator(ft, node))


def env_vars(ft: FileText, node: YNode | None, gitlab: bool = False) -> dict[str, EnvVar]:
    """An ``env:`` / ``variables:`` mapping as environment variables, in written order.

    ``gitlab``: a value may be a mapping with ``value:`` (and ``description:``...).
    A null value is the empty string (as both CI systems set it).
    """
    out: dict[str, EnvVar] = {}
    if not isinstance(node, YMap):
        return out
    for e in node.entries:
        v: YNode | None = e.value
        if gitlab and isinstance(v, YMap):
            v = v.get("value")
        if not isinstance(v, YScalar):
            continue
        key = e.key
        kspan = key.span(ft.path)
        name = LStr(key.value, kspan)
        if v.is_null:
            value = LStr("", kspan)
            span = kspan
        else:
            value = LStr(v.value, v.span(ft.path))
            vs = value.span
            span = (
                Span(ft.path, kspan.line, kspan.col, vs.end_line, vs.end_col)
                if (vs.line, vs.col) >= (kspan.line, kspan.col)
                else kspan
            )
        out[key.value] = EnvVar(name=name, value=value, span=span)
    return out
