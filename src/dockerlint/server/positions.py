"""Columns as the engine counts them (code points, 1-based) and as an LSP client does.

LSP positions are 0-based lines and columns counted in the negotiated ``positionEncoding``:
UTF-16 code units by default, or UTF-8 bytes or UTF-32 code points. A line is ended by
``\\n``, ``\\r\\n`` or ``\\r`` alone, nothing else (``str.splitlines`` also breaks at form
feeds and U+2028, which would shift every position after them).
"""

from __future__ import annotations

import re

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as an LSP client counts them (without their line ends)."""
    return _BREAK.split(text)


def _units(chunk: str, encoding: str) -> int:
    if encoding == UTF32:
        return len(chunk)
    if encoding == UTF8:
        return len(chunk.encode("utf-8", "surrogatepass"))
    # UTF-16: a code point above U+FFFF takes two units (a surrogate pair).
    return len(chunk) + sum(1 for ch in chunk if ord(ch) > 0xFFFF)


def to_client(lines: list[str], line: int, col: int, encoding: str) -> tuple[int, int]:
    """The 0-based (line, character) of the engine's 1-based ``line`` and code point ``col``,
    clamped to the text (a span may end past its line, or past the last line)."""
    if not lines:
        return 0, 0
    n = min(max(line, 1), len(lines)) - 1
    if line > len(lines):
        return n, _units(lines[n], encoding)
    text = lines[n]
    k = min(max(col, 1) - 1, len(text))
    return n, _units(text[:k], encoding)


def to_engine(lines: list[str], line: int, character: int, encoding: str) -> tuple[int, int]:
    """The engine's 1-based (line, code point column) of a 0-based LSP position."""
    if not lines:
        return 1, 1
    n = min(max(line, 0), len(lines) - 1)
    text = lines[n]
    if encoding == UTF32:
        return n + 1, min(character, len(text)) + 1
    used = 0
    for k, ch in enumerate(text):
        if used >= character:
            return n + 1, k + 1
        used += _units(ch, encoding)
    return n + 1, len(text) + 1
