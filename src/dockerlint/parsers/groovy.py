"""A small Groovy tokenizer: strings, comments, identifiers and brackets, with exact positions.

Enough Groovy to find the calls a Jenkinsfile makes (``sh '…'``, ``docker.image('…')``,
``agent { docker { … } }``): no expression grammar. It is a loop over the text, linear in
any input, that never recurses (a GString interpolation holding strings holding
interpolations is followed with an explicit stack) and never raises.

Strings are read as Groovy reads them, every character of the value located where it is
written (:class:`GString` and :class:`SegmentLocator`):

* ``'…'`` and ``'''…'''``: no interpolation; ``"…"`` and ``\"\"\"…\"\"\"`` (GStrings) interpolate
  ``${expr}`` and ``$name.prop``; ``/…/`` and ``$/…/$`` (slashy) interpolate too;
* escapes (``\\n``, ``\\t``, ``\\\\``, ``\\'``, ``\\"``, ``\\$``, ``\\uXXXX``, octal) make one
  character, located at the escape sequence; a backslash before a line break joins the lines
  (the break is not in the value); triple-quoted strings keep their line breaks and indentation;
* an interpolation is a value nobody knows here. It becomes a shell expansion in the value:
  ``${NAME}`` / ``${env.NAME}`` as written, ``$name`` as ``$name``, any other expression as
  ``${...}``, located at the whole ``${…}`` of the file.

Problems (an unterminated string or comment, an interpolation never closed) are returned as
``(message, offset)``: the first one only; the text after it is one string or comment.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from dockerlint.models.base import Span
from dockerlint.parsers.shell import Locator

ID, STR, OP, NUM = 0, 1, 2, 3
# Tokens read from one file (a 1,300-line Jenkinsfile has 2,500): past it the rest is not
# read, so that a file of brackets, words or empty strings costs at most ~45 MB.
MAX_TOKENS = 100_000

_SPACE = re.compile(r"[ \t\r\n\f\v\ufeff]+")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"[0-9][0-9A-Za-z_.]*")
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_PLAIN_EXPR = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_ESCAPES = {
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "f": "\f",
    "r": "\r",
    "s": " ",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "$": "$",
    "/": "/",
}
_OCTAL = re.compile(r"[0-3]?[0-7]{1,2}|[0-7]")
_HEX4 = re.compile(r"[0-9A-Fa-f]{4}")
# After these tokens a ``/`` starts a slashy string, after anything else it divides.
_VALUE_END = frozenset({")", "]", "}"})
# The characters that end a run of ordinary characters in each kind of string.
_STOPS = {
    "'": re.compile(r"[\\'\n]"),
    '"': re.compile(r"[\\\"$\n]"),
    "'''": re.compile(r"[\\']"),
    '"""': re.compile(r"[\\\"$]"),
    "/": re.compile(r"[\\/$]"),
    "$/": re.compile(r"[$/]"),
}
_CODE_STOPS = re.compile(r"[{}'\"/]")


@dataclass(slots=True)
class GString:
    """A string's value and where each character is written.

    ``segments``: ``(value_start, src_start, src_end, exact)``, sorted: from ``value_start`` to
    the next segment's start, the value is either the source characters one for one
    (``exact``) or made from ``src[src_start:src_end]`` as a whole (an escape, an
    interpolation). ``interpolated``: the value holds a Groovy interpolation.
    """

    value: str
    start: int  # the opening quote
    end: int  # past the closing quote
    segments: list[tuple[int, int, int, bool]] = field(default_factory=list)
    interpolated: bool = False
    triple: bool = False

    def locator(self, base: Locator) -> SegmentLocator:
        return SegmentLocator(base, self)


class SegmentLocator:
    """Offsets of a string's value -> spans of the file (through a locator of the file)."""

    __slots__ = ("base", "keys", "string")

    def __init__(self, base: Locator, string: GString) -> None:
        self.base = base
        self.string = string
        self.keys = [s[0] for s in string.segments]

    def _src(self, i: int) -> tuple[int, int]:
        segs = self.string.segments
        k = max(0, bisect_right(self.keys, i) - 1)
        v, a, b, exact = segs[k]
        if exact:
            p = min(a + (i - v), max(a, b - 1))
            return p, p + 1
        return a, b

    def span(self, a: int, b: int) -> Span:
        n = len(self.string.value)
        if n == 0 or not self.string.segments:
            return self.base.span(self.string.start, max(self.string.end, self.string.start + 1))
        a = min(max(a, 0), n - 1)
        b = min(max(b, a + 1), n)
        start, _ = self._src(a)
        _, end = self._src(b - 1)
        return self.base.span(start, max(end, start + 1))


@dataclass(slots=True)
class Token:
    kind: int
    start: int
    end: int
    text: str  # identifier, operator or number as written; a string's value
    string: GString | None = None


@dataclass
class Tokens:
    tokens: list[Token]
    comments: list[tuple[int, int]]  # [start, end) of each comment
    problem: tuple[str, int] | None = None
    bounded: bool = False  # the problem is the token bound, not the file's syntax


class _Builder:
    """A string's value, built from slices of the source (never one list item per character)."""

    __slots__ = ("interpolated", "parts", "segments", "size")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.segments: list[tuple[int, int, int, bool]] = []
        self.size = 0
        self.interpolated = False

    def exact(self, src: str, a: int, b: int) -> None:
        if b > a:
            self.segments.append((self.size, a, b, True))
            self.parts.append(src[a:b])
            self.size += b - a

    def made(self, text: str, a: int, b: int) -> None:
        if text:
            self.segments.append((self.size, a, b, False))
            self.parts.append(text)
            self.size += len(text)


def tokenize(text: str) -> Tokens:
    """The tokens and comments of a Groovy text; never raises, linear in the text."""
    toks: list[Token] = []
    comments: list[tuple[int, int]] = []
    problem: tuple[str, int] | None = None
    n = len(text)
    i = 0
    if text.startswith("#!"):
        nl = text.find("\n")
        i = n if nl < 0 else nl
    while i < n:
        if len(toks) >= MAX_TOKENS:
            return Tokens(toks, comments, problem or (f"more than {MAX_TOKENS:,} Groovy tokens", i), True)
        m = _SPACE.match(text, i)
        if m is not None:
            i = m.end()
            continue
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if c == "/" and nxt == "/":
            nl = text.find("\n", i)
            end = n if nl < 0 else nl
            comments.append((i, end))
            i = end
            continue
        if c == "/" and nxt == "*":
            close = text.find("*/", i + 2)
            if close < 0:
                problem = problem or ("unterminated comment: '/*' is never closed", i)
                comments.append((i, n))
                break
            comments.append((i, close + 2))
            i = close + 2
            continue
        quote = _quote_at(text, i, toks)
        if quote is not None:
            s, err = _string(text, i, quote)
            toks.append(Token(STR, i, s.end, s.value, s))
            if err is not None:
                problem = problem or err
                break
            i = s.end
            continue
        m = _IDENT.match(text, i)
        if m is not None:
            toks.append(Token(ID, i, m.end(), m.group(0)))
            i = m.end()
            continue
        m = _NUMBER.match(text, i)
        if m is not None:
            toks.append(Token(NUM, i, m.end(), m.group(0)))
            i = m.end()
            continue
        toks.append(Token(OP, i, i + 1, c))
        i += 1
    return Tokens(toks, comments, problem)


def _quote_at(text: str, i: int, toks: list[Token]) -> str | None:
    """The kind of string starting at ``i`` (``'``, ``'''``, ``"``, ``\"\"\"``, ``/``, ``$/``), or None."""
    c = text[i]
    if c in "'\"":
        return c * 3 if text.startswith(c * 3, i) else c
    if c == "$" and text.startswith("$/", i):
        return "$/"
    if c == "/" and not text.startswith(("//", "/*", "/="), i):
        prev = toks[-1] if toks else None
        if (
            prev is None
            or (prev.kind == OP and prev.text not in _VALUE_END)
            or (prev.kind == ID and prev.text in ("return", "case", "in", "assert"))
        ):
            return "/"
    return None


def _string(text: str, i: int, quote: str) -> tuple[GString, tuple[str, int] | None]:
    """The string starting at ``i`` with ``quote``; a problem if it never ends."""
    n = len(text)
    closing = {"$/": "/$"}.get(quote, quote)
    interpolates = quote in ('"', '"""', "/", "$/")
    stops = _STOPS[quote]
    b = _Builder()
    p = i + len(quote)
    while True:
        m = stops.search(text, p)
        if m is None:
            b.exact(text, p, n)
            return _done(b, i, n, quote), (f"unterminated string: {quote} is never closed", i)
        q = m.start()
        b.exact(text, p, q)
        ch = text[q]
        if ch == "\n":  # a single-line string
            return _done(b, i, q, quote), (f"unterminated string: {quote} is not closed on its line", i)
        if text.startswith(closing, q):
            return _done(b, i, q + len(closing), quote), None
        if quote == "$/":
            if text.startswith(("$$", "$/"), q):
                b.made(text[q + 1], q, q + 2)
                p = q + 2
                continue
            if ch == "/" or (ch == "$" and not _interpolation_starts(text, q)):
                b.exact(text, q, q + 1)
                p = q + 1
                continue
        if ch == "\\":
            p = _escape(text, q, quote, b)
            continue
        if ch == "$" and interpolates:
            got = _interpolation(text, q, b)
            if got < 0:
                return _done(b, i, n, quote), ("unterminated interpolation: '${' is never closed", q)
            p = got
            continue
        b.exact(text, q, q + 1)  # a quote character that does not close a triple-quoted string
        p = q + 1


def _done(b: _Builder, start: int, end: int, quote: str) -> GString:
    return GString("".join(b.parts), start, end, b.segments, b.interpolated, len(quote) == 3)


def _interpolation_starts(text: str, q: int) -> bool:
    return q + 1 < len(text) and (text[q + 1] == "{" or _IDENT.match(text, q + 1) is not None)


def _escape(text: str, q: int, quote: str, b: _Builder) -> int:
    """Read the escape at ``q`` (a backslash) into ``b``; where reading goes on."""
    n = len(text)
    if q + 1 >= n:
        b.exact(text, q, q + 1)
        return q + 1
    c = text[q + 1]
    if quote == "/":  # slashy: only \/ is an escape (and a line continuation)
        if c == "/":
            b.made("/", q, q + 2)
            return q + 2
        if c != "\n" and c != "\r":
            b.exact(text, q, q + 1)
            return q + 1
    if c == "\n":
        return q + 2  # a line continuation: the break is not in the value
    if c == "\r" and text.startswith("\n", q + 2):
        return q + 3
    got = _ESCAPES.get(c)
    if got is not None:
        b.made(got, q, q + 2)
        return q + 2
    if c == "u":
        m = _HEX4.match(text, q + 2)
        if m is not None:
            b.made(chr(int(m.group(0), 16)), q, m.end())
            return m.end()
    m = _OCTAL.match(text, q + 1)
    if m is not None:
        b.made(chr(int(m.group(0), 8)), q, m.end())
        return m.end()
    b.exact(text, q, q + 2)  # not an escape Groovy knows (it refuses it): kept as written
    return q + 2


def _interpolation(text: str, q: int, b: _Builder) -> int:
    """Read the ``$`` at ``q`` of a GString into ``b``; where reading goes on (-1: never closed)."""
    if text.startswith("${", q):
        end = skip_code(text, q + 2)
        if end < 0:
            b.interpolated = True
            b.made("${...}", q, len(text))
            return -1
        expr = text[q + 2 : end - 1]
        b.interpolated = True
        if _PLAIN_EXPR.fullmatch(expr):
            b.exact(text, q, end)  # ${NAME}, ${env.NAME}: the same text for the shell
        else:
            b.made("${...}", q, end)
        return end
    m = _DOTTED.match(text, q + 1)
    if m is None:
        b.exact(text, q, q + 1)  # a lone $ (Groovy refuses it): kept as written
        return q + 1
    b.interpolated = True
    if "." in m.group(0):
        b.made("${" + m.group(0) + "}", q, m.end())
    else:
        b.exact(text, q, m.end())
    return m.end()


def skip_code(text: str, i: int) -> int:
    """The offset past the ``}`` that closes the interpolation whose code starts at ``i``
    (nested braces, strings, interpolations and comments followed with a stack); -1 if none."""
    n = len(text)
    # Frames: [depth] for code inside braces, or the quote of a GString being read.
    stack: list[list[int] | str] = [[1]]
    p = i
    while p < n:
        top = stack[-1]
        if isinstance(top, list):
            m = _CODE_STOPS.search(text, p)
            if m is None:
                return -1
            q = m.start()
            c = text[q]
            if c == "{":
                top[0] += 1
                p = q + 1
            elif c == "}":
                top[0] -= 1
                p = q + 1
                if top[0] == 0:
                    stack.pop()
                    if not stack:
                        return p
            elif c == "/":
                if text.startswith("//", q):
                    nl = text.find("\n", q)
                    p = n if nl < 0 else nl
                elif text.startswith("/*", q):
                    close = text.find("*/", q + 2)
                    p = n if close < 0 else close + 2
                else:
                    p = q + 1
            elif text.startswith(c * 3, q):
                if c == '"':
                    stack.append('"""')
                    p = q + 3
                else:
                    p = _skip_plain(text, q + 3, "'''")
            elif c == '"':
                stack.append('"')
                p = q + 1
            else:
                p = _skip_plain(text, q + 1, "'")
            if p < 0:
                return -1
        else:
            m = _STOPS[top].search(text, p)
            if m is None:
                return -1
            q = m.start()
            c = text[q]
            if c == "\\":
                p = q + 2
            elif c == "\n":
                return -1
            elif text.startswith(top, q):
                stack.pop()
                p = q + len(top)
            elif c == "$" and text.startswith("${", q):
                stack.append([1])
                p = q + 2
            else:
                p = q + 1
    return -1


def _skip_plain(text: str, p: int, quote: str) -> int:
    """Past the end of a string without interpolation whose body starts at ``p``; -1 if none."""
    stops = _STOPS[quote]
    n = len(text)
    while p < n:
        m = stops.search(text, p)
        if m is None:
            return -1
        q = m.start()
        c = text[q]
        if c == "\\":
            p = q + 2
        elif c == "\n":
            return -1
        elif text.startswith(quote, q):
            return q + len(quote)
        else:
            p = q + 1
    return -1
