"""Split a string into words like :func:`shlex.split` (POSIX mode), in linear time.

``shlex`` builds each token one character at a time, which is quadratic on a long token:
a 1 MB quoted Compose ``command`` took 10 s. Compose splits string commands this way
(go-shellwords), so the parser and the rules that re-split command words use this.
"""

from __future__ import annotations

import re

_SEGMENT = re.compile(r"""([^\s'"\\]+)|\\(.)|'([^']*)'|"((?:[^"\\]|\\.)*)"|(\s+)|(.)""", re.DOTALL)
_DQ_ESCAPE = re.compile(r'\\(["\\])')


def split(text: str) -> list[str]:
    """The words of ``text``; raises ValueError on an unclosed quote or a trailing backslash."""
    return [w for w, _, _ in split_spans(text)]


def split_spans(text: str) -> list[tuple[str, int, int]]:
    """The words of ``text`` with where each is written: ``(word, start, end)``, ``text[start:end]``
    being the word with its quotes and escapes. Raises like :func:`split`."""
    words: list[tuple[str, int, int]] = []
    current: list[str] = []
    start = -1
    for m in _SEGMENT.finditer(text):
        plain, escaped, single, double, space, stray = m.groups()
        if space is not None:
            if start >= 0:
                words.append(("".join(current), start, m.start()))
                current, start = [], -1
            continue
        if stray is not None:
            raise ValueError("No closing quotation" if stray in "'\"" else "No escaped character")
        if start < 0:
            start = m.start()
        if plain is not None:
            current.append(plain)
        elif escaped is not None:
            current.append(escaped)
        elif single is not None:
            current.append(single)
        else:
            current.append(_DQ_ESCAPE.sub(r"\1", double))
    if start >= 0:
        words.append(("".join(current), start, len(text)))
    return words


def align(text: str, raw: str, skipped: str = "'\"\\\n") -> list[int] | None:
    """Where each character of a word's ``text`` is in its ``raw`` form: the characters of
    ``skipped`` (quotes, escapes, line breaks; ``$`` too for ``$'...'``) are passed over.
    None when ``text`` is not ``raw`` less such characters."""
    out: list[int] = []
    q, n = 0, len(raw)
    for ch in text:
        while q < n and raw[q] != ch and raw[q] in skipped:
            q += 1
        if q >= n or raw[q] != ch:
            return None
        out.append(q)
        q += 1
    return out
