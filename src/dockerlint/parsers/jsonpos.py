"""A JSON reader that keeps positions, as strict as Go's ``encoding/json``.

Python's :mod:`json` gives no positions and accepts things Go rejects (``NaN``,
``Infinity``), so dockerd's config files are read with this hand-written scanner:

* strict RFC 8259: no comments, no trailing commas, no single quotes, no bare words;
  a violation raises :class:`~dockerlint.parsers.errors.ParseError` at the exact
  line and column of the offending character, with a plain message;
* a UTF-8 BOM is skipped; a whitespace-only text is an empty document (``root`` is None),
  as dockerd treats an empty daemon.json;
* objects keep every member in order, duplicate keys included (Go takes the last);
* lone UTF-16 surrogates in ``\\u`` escapes become U+FFFD, as Go does;
* nesting deeper than the depth limit (:mod:`dockerlint.util.limits`, read when :func:`parse`
  is called) is a ParseError (the scanner is iterative: no RecursionError whatever the
  input; :meth:`Node.py` recurses, so the limit stays well under Python's recursion limit).

Positions are 1-based lines and columns counted in characters, end exclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dockerlint.models.base import Span
from dockerlint.parsers.errors import ParseError
from dockerlint.util import limits
from dockerlint.util.lines import LineIndex

MAX_DEPTH = limits.DEFAULT_MAX_DEPTH  # the default; in force: limits.current()

_WS = re.compile(r"[ \t\n\r]*")
# Unrolled loop (no nested quantifier on one alternative): linear even on failure.
_STRING = re.compile(r'"([^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*)"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|(.))")
_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_LITERALS = (("true", True), ("false", False), ("null", None))


@dataclass(eq=False)
class Node:
    """A JSON value with its position.

    ``value``: for ``object`` a list of :class:`Member` (duplicates kept, in order),
    for ``array`` a list of :class:`Node`, for scalars the Python value (str, int,
    float, bool, None). ``start``/``end`` are offsets into :attr:`Document.text`.
    """

    kind: str  # "object", "array", "string", "number", "bool", "null"
    value: Any
    start: int
    end: int
    line: int
    col: int
    end_line: int
    end_col: int

    def span(self, path: str) -> Span:
        return Span(path, self.line, self.col, self.end_line, self.end_col)

    @property
    def type_name(self) -> str:
        """The JSON type as a message would say it: ``"a string"``, ``"an object"``..."""
        return {
            "object": "an object",
            "array": "an array",
            "string": "a string",
            "number": "a number",
            "bool": "a boolean",
            "null": "null",
        }[self.kind]

    def py(self) -> Any:
        """The plain Python value (objects: the last duplicate wins, as in Go)."""
        if self.kind == "object":
            return {m.key: m.value.py() for m in self.value}
        if self.kind == "array":
            return [item.py() for item in self.value]
        return self.value

    def members(self, key: str | None = None) -> list[Member]:
        """Object members, all of them or every occurrence of ``key``."""
        if self.kind != "object":
            return []
        return list(self.value) if key is None else [m for m in self.value if m.key == key]

    def get(self, key: str) -> Node | None:
        """The value of the last occurrence of ``key`` (the one Go keeps)."""
        found = None
        if self.kind == "object":
            for m in self.value:
                if m.key == key:
                    found = m.value
        return found


@dataclass(eq=False)
class Member:
    key: str
    key_node: Node
    value: Node


@dataclass(eq=False)
class Document:
    text: str  # the text scanned (without a BOM)
    root: Node | None
    _index: LineIndex | None = field(default=None, repr=False)

    def position(self, offset: int) -> tuple[int, int]:
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index.position(offset)

    def string_span(self, node: Node, path: str, start: int, end: int) -> Span:
        """The span of characters ``[start, end)`` of a string node's *decoded* value.

        Escapes make decoded and source offsets differ; each decoded character maps to
        the source text that wrote it. JSON strings never span lines.
        """
        offsets = _decoded_offsets(self.text, node)
        last = len(offsets) - 1  # offsets[last] is the closing quote
        s = offsets[min(max(start, 0), last)]
        e = offsets[min(end, last)] if end > start else s + 1
        return Span(path, node.line, node.col + (s - node.start), node.line, node.col + (e - node.start))


def _decoded_offsets(text: str, node: Node) -> list[int]:
    """Source offset of each decoded character of a string node, plus the closing quote."""
    out: list[int] = []
    i, end = node.start + 1, node.end - 1
    while i < end:
        if text[i] != "\\":
            out.append(i)
            i += 1
            continue
        if text[i + 1] == "u":
            cp = int(text[i + 2 : i + 6], 16)
            if 0xD800 <= cp < 0xDC00 and text.startswith("\\u", i + 6):
                low = int(text[i + 8 : i + 12], 16)
                if 0xDC00 <= low < 0xE000:
                    out.append(i)
                    i += 12
                    continue
            out.append(i)
            i += 6
        else:
            out.append(i)
            i += 2
    out.append(end)
    return out


def _decode(body: str) -> str:
    if "\\" not in body:
        return body
    parts: list[str] = []
    pos = 0
    pending_high: int | None = None
    for m in _ESCAPE.finditer(body):
        if m.start() > pos:
            if pending_high is not None:
                parts.append("\ufffd")
                pending_high = None
            parts.append(body[pos : m.start()])
        pos = m.end()
        hexa = m.group(1)
        if hexa is None:
            if pending_high is not None:
                parts.append("\ufffd")
                pending_high = None
            parts.append(_SIMPLE_ESCAPES[m.group(2)])
            continue
        cp = int(hexa, 16)
        if pending_high is not None:
            if 0xDC00 <= cp < 0xE000:
                parts.append(chr(0x10000 + ((pending_high - 0xD800) << 10) + (cp - 0xDC00)))
                pending_high = None
                continue
            parts.append("\ufffd")
            pending_high = None
        if 0xD800 <= cp < 0xDC00:
            pending_high = cp
        elif 0xDC00 <= cp < 0xE000:
            parts.append("\ufffd")
        else:
            parts.append(chr(cp))
    if pending_high is not None:
        parts.append("\ufffd")
    parts.append(body[pos:])
    return "".join(parts)


def _describe_char(c: str) -> str:
    if c == "\n":
        return "a line break"
    if c == "\t":
        return "a tab"
    if c == "\ufeff":
        return "a byte order mark"
    if c.isprintable() and not c.isspace():
        return f"'{c}'"
    return f"character U+{ord(c):04X}"


class _Frame:
    __slots__ = ("closer", "comma", "items", "key", "kind", "start")

    def __init__(self, kind: str, start: int) -> None:
        self.kind = kind
        self.closer = "}" if kind == "object" else "]"
        self.start = start
        self.items: list[Any] = []
        self.key: Node | None = None
        self.comma = -1  # offset of the last comma, for trailing-comma messages


class _Scanner:
    def __init__(self, text: str, what: str, reader: str = "dockerd") -> None:
        self.text = text
        self.n = len(text)
        self.what = what
        self.reader = reader
        self.index = LineIndex(text)
        self.max_depth = limits.current().max_depth

    # -- errors ------------------------------------------------------------------

    def fail(self, offset: int, message: str, length: int = 1) -> ParseError:
        line, col = self.index.position(offset)
        return ParseError(message, line, col, col + max(1, length))

    def unexpected(self, pos: int, expecting: str) -> ParseError:
        """An error for whatever is at ``pos`` when ``expecting`` was wanted."""
        text = self.text
        if pos >= self.n:
            return self.fail(pos, f"{self.what} ends unexpectedly: expected {expecting}")
        c = text[pos]
        if c == "/" and text.startswith(("//", "/*"), pos):
            return self.fail(pos, f"comments are not allowed in {self.what} ({self.reader} rejects them)", 2)
        if c == "#":
            return self.fail(pos, f"comments are not allowed in {self.what} ({self.reader} rejects them)")
        if c == "'":
            return self.fail(pos, f"strings must be in double quotes in {self.what}, not single quotes")
        if c.isalpha() or c == "_":
            word = re.match(r"[A-Za-z0-9_$.+-]+", text[pos:])
            w = word.group(0) if word else c
            if expecting.startswith("a string key"):
                return self.fail(pos, f'object keys must be double-quoted strings in {self.what}: write "{w}"', len(w))
            if w in ("True", "False", "TRUE", "FALSE", "None", "NaN", "Infinity", "undefined"):
                hint = {"None": "null", "NaN": "a number", "Infinity": "a number", "undefined": "null"}.get(
                    w, w.lower()
                )
                return self.fail(pos, f"{w} is not a JSON value (write {hint})", len(w))
            return self.fail(
                pos, f"unexpected word '{w}' in {self.what}: expected {expecting} (strings need double quotes)", len(w)
            )
        return self.fail(pos, f"unexpected {_describe_char(c)} in {self.what}: expected {expecting}")

    # -- tokens ------------------------------------------------------------------

    def node(self, kind: str, value: Any, start: int, end: int) -> Node:
        position = self.index.position
        line, col = position(start)
        if end - start == 1 or kind in ("string", "number", "bool", "null"):
            end_line, end_col = line, col + (end - start)
        else:
            end_line, last_col = position(end - 1)
            end_col = last_col + 1
        return Node(kind, value, start, end, line, col, end_line, end_col)

    def string(self, pos: int) -> Node:
        m = _STRING.match(self.text, pos)
        if m is None:
            raise self.string_error(pos)
        return self.node("string", _decode(m.group(1)), pos, m.end())

    def string_error(self, start: int) -> ParseError:
        text, i = self.text, start + 1
        while i < self.n:
            c = text[i]
            if c == '"':
                break
            if c == "\n":
                return self.fail(start, f"string is not closed before the end of the line in {self.what}", i - start)
            if c < " ":
                return self.fail(
                    i,
                    f"{_describe_char(c)} is not allowed inside a string in {self.what} "
                    "(write it as an escape such as \\t)",
                )
            if c == "\\":
                nxt = text[i + 1 : i + 2]
                if nxt == "u":
                    if not re.match(r"[0-9a-fA-F]{4}", text[i + 2 : i + 6]):
                        return self.fail(i, "invalid \\u escape: it needs four hexadecimal digits", 2)
                    i += 6
                    continue
                if nxt and nxt in _SIMPLE_ESCAPES:
                    i += 2
                    continue
                shown = nxt if nxt and nxt.isprintable() else "?"
                return self.fail(
                    i,
                    f"invalid escape '\\{shown}' in a string in {self.what} "
                    "(a Windows path needs doubled backslashes: C:\\\\path)",
                    2,
                )
            i += 1
        return self.fail(start, f"string is not closed in {self.what}", 1)

    def scalar(self, pos: int, expecting: str) -> Node:
        text = self.text
        c = text[pos] if pos < self.n else ""
        if c == '"':
            return self.string(pos)
        if c == "-" or "0" <= c <= "9":
            m = _NUMBER.match(text, pos)
            if m is None:
                raise self.fail(pos, f"invalid number in {self.what}")
            raw = m.group(0)
            value: Any = int(raw) if not any(ch in raw for ch in ".eE") else float(raw)
            return self.node("number", value, pos, m.end())
        for word, value in _LITERALS:
            if text.startswith(word, pos):
                end = pos + len(word)
                if end < self.n and (text[end].isalnum() or text[end] == "_"):
                    break
                return self.node("null" if value is None else "bool", value, pos, end)
        raise self.unexpected(pos, expecting)

    def ws(self, pos: int) -> int:
        m = _WS.match(self.text, pos)
        return m.end() if m else pos

    # -- the document ---------------------------------------------------------------

    def run(self) -> Node | None:
        text, n = self.text, self.n
        pos = self.ws(0)
        if pos >= n:
            return None
        stack: list[_Frame] = []
        expect_key = False
        while True:
            pos = self.ws(pos)
            # Read a key (inside an object) or a value.
            if expect_key:
                frame = stack[-1]
                if pos < n and text[pos] == '"':
                    key = self.string(pos)
                    pos = self.ws(key.end)
                    if pos >= n or text[pos] != ":":
                        raise self.unexpected(pos, f"':' after the key \"{key.value}\"")
                    frame.key = key
                    pos += 1
                    expect_key = False
                    continue
                raise self.key_error(pos, frame)
            c = text[pos] if pos < n else "\0"  # at the end: no bracket ("" would be `in` any string)
            if c in "{[":
                if len(stack) >= self.max_depth:
                    raise self.fail(
                        pos,
                        f"{self.what} is nested more than {self.max_depth} levels deep "
                        "(raise the limit with --max-depth)",
                    )
                frame = _Frame("object" if c == "{" else "array", pos)
                stack.append(frame)
                pos = self.ws(pos + 1)
                if pos < n and text[pos] == frame.closer:
                    stack.pop()
                    value: Node = self.node(frame.kind, [], frame.start, pos + 1)
                else:
                    expect_key = c == "{"
                    continue
            elif c == "]" and stack:
                raise self.close_error(pos, stack[-1])
            else:
                value = self.scalar(pos, "a value")
            # A value is complete: attach it, then close as many containers as end here.
            while True:
                if not stack:
                    return self.end(value)
                frame = stack[-1]
                if frame.kind == "object":
                    assert frame.key is not None
                    frame.items.append(Member(frame.key.value, frame.key, value))
                    frame.key = None
                else:
                    frame.items.append(value)
                pos = self.ws(value.end)
                c = text[pos] if pos < n else ""
                if c == ",":
                    frame.comma = pos
                    pos += 1
                    expect_key = frame.kind == "object"
                    break
                if c == frame.closer:
                    stack.pop()
                    value = self.node(frame.kind, frame.items, frame.start, pos + 1)
                    continue
                raise self.unexpected(
                    pos,
                    f"',' or '{frame.closer}' after an "
                    + ("object member" if frame.kind == "object" else "array element"),
                )

    # -- what ends the document, and errors inside it (off the fast path of run) -------------

    def end(self, value: Node) -> Node:
        """The document's value, when nothing but blanks follows it."""
        pos = self.ws(value.end)
        if pos < self.n:
            if self.text[pos] in "/#":
                raise self.unexpected(pos, "nothing after the end of the JSON value")
            raise self.fail(
                pos, f"unexpected {_describe_char(self.text[pos])} after the end of the JSON value in {self.what}"
            )
        return value

    def key_error(self, pos: int, frame: _Frame) -> ParseError:
        """No key where an object member starts: a trailing comma before ``}``, or anything else."""
        if pos < self.n and self.text[pos] == "}" and frame.comma >= 0:
            return self.fail(
                frame.comma, f"trailing comma before '}}' is not allowed in {self.what} ({self.reader} rejects it)"
            )
        return self.unexpected(pos, "a string key in double quotes")

    def close_error(self, pos: int, frame: _Frame) -> ParseError:
        """A ``]`` where a value should be: a trailing comma in an array, or a misplaced bracket."""
        if frame.kind == "array" and frame.comma >= 0:
            return self.fail(
                frame.comma, f"trailing comma before ']' is not allowed in {self.what} ({self.reader} rejects it)"
            )
        return self.unexpected(pos, "a value")


def parse(text: str, what: str = "JSON", reader: str = "dockerd") -> Document:
    """Read ``text`` as one JSON document. ``what`` names the file kind in messages, ``reader``
    the program that would refuse it."""
    text = text.removeprefix("\ufeff")
    scanner = _Scanner(text, what, reader)
    root = scanner.run()
    return Document(text, root, scanner.index)


# -- JSONC (JSON with comments: dev containers, VS Code settings) ----------------------------


@dataclass
class JsoncDocument:
    """A JSONC document: the JSON document read from the text with comments and trailing
    commas blanked out (offsets, lines and columns unchanged), and the comments' positions
    (``(line, col, end_col)``, 1-based, end exclusive, each on one line)."""

    document: Document
    comments: list[tuple[int, int, int]]


# A string as the JSONC pre-pass skips it: to its closing quote, or to the end of its line when it
# is not closed there (the strict reader then says so at the right place). Unrolled: linear.
_JSONC_STRING = re.compile(r'"[^"\\\n]*(?:\\[\s\S][^"\\\n]*)*"?')


def _skip_string(text: str, i: int) -> int:
    """The offset after the string that starts at ``i`` (a quote)."""
    m = _JSONC_STRING.match(text, i)
    return m.end() if m is not None else i + 1


_JSONC_STOP = re.compile(r'[",/]')
_NOT_LINE_BREAK = re.compile(r"[^\r\n]")
_LINE_END = re.compile(r"[\r\n]")


def _next_code(text: str, i: int) -> int:
    """The offset of the first character at or after ``i`` that is neither blank nor in a comment."""
    n = len(text)
    while i < n:
        i = _WS.match(text, i).end()  # type: ignore[union-attr]  # matches the empty string at worst
        if text.startswith("//", i):
            nl = _LINE_END.search(text, i)
            i = n if nl is None else nl.start()
        elif text.startswith("/*", i):
            close = text.find("*/", i + 2)
            if close < 0:
                return n
            i = close + 2
        else:
            return i
    return n


def parse_jsonc(text: str, what: str = "JSONC", reader: str = "the reader") -> JsoncDocument:
    """Read ``text`` as JSONC, as VS Code and the dev container tools do: ``//`` and ``/* */``
    comments and a trailing comma before ``}`` or ``]`` are allowed; everything else is as
    strict as :func:`parse` (errors at the exact position). Comments and trailing commas are
    blanked in place (line breaks kept), so every offset, line and column stays the written one.
    Linear in the text; the blanked copy is built from slices (no per-character list)."""
    text = text.removeprefix("\ufeff")
    parts: list[str] = []
    comments: list[tuple[int, int, int]] = []
    index = LineIndex(text)
    n = len(text)
    done = i = 0  # text[:done] is in parts

    def blank(a: int, b: int) -> None:
        nonlocal done
        parts.append(text[done:a])
        parts.append(_NOT_LINE_BREAK.sub(" ", text[a:b]))
        done = b

    while True:
        m = _JSONC_STOP.search(text, i)
        if m is None:
            break
        i = m.start()
        c = text[i]
        if c == '"':
            i = _skip_string(text, i)
        elif c == ",":
            after = _next_code(text, i + 1)
            if after < n and text[after] in "}]":
                blank(i, i + 1)
            i += 1
        elif text.startswith("//", i):
            nl = _LINE_END.search(text, i)
            end = n if nl is None else nl.start()
            line, col = index.position(i)
            comments.append((line, col, col + (end - i)))
            blank(i, end)
            i = end
        elif text.startswith("/*", i):
            close = text.find("*/", i + 2)
            line, col = index.position(i)
            if close < 0:
                raise ParseError(f"comment is not closed in {what} ('/*' without '*/')", line, col, col + 2)
            if index.position(close + 2)[0] == line:
                comments.append((line, col, col + (close + 2 - i)))
            blank(i, close + 2)
            i = close + 2
        else:
            i += 1  # a lone '/': the strict reader says what is wrong there
    parts.append(text[done:])
    blanked = "".join(parts)
    scanner = _Scanner(blanked, what, reader)
    root = scanner.run()
    return JsoncDocument(Document(blanked, root, scanner.index), comments)
