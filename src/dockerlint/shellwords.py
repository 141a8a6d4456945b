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
    words: list[str] = []
    current: list[str] = []
    in_word = False
    for m in _SEGMENT.finditer(text):
        plain, escaped, single, double, space, stray = m.groups()
        if space is not None:
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
            continue
        if stray is not None:
            raise ValueError("No closing quotation" if stray in "'\"" else "No escaped character")
        in_word = True
        if plain is not None:
            current.append(plain)
        elif escaped is not None:
            current.append(escaped)
        elif single is not None:
            current.append(single)
        else:
            current.append(_DQ_ESCAPE.sub(r"\1", double))
    if in_word:
        words.append("".join(current))
    return words
