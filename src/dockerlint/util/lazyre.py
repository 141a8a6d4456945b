"""Regular expressions compiled on first use.

A rule module's patterns are compiled when the module is imported, which a one-file run
(the pre-commit case) pays for even when no line ever reaches them (most sit behind a
cheap substring test). :func:`compile_later` returns a stand-in that compiles the pattern
the first time one of its methods is used, then binds the compiled pattern's methods on
itself so that later calls cost what a compiled pattern's do.
"""

from __future__ import annotations

import re
from typing import Any, cast

_BOUND = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split",
          "pattern", "flags", "groups", "groupindex")


class _Later:
    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # only for names not bound yet
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = re.compile(*self._args)
        for attr in _BOUND:
            setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"compile_later({self._args[0]!r}, {self._args[1]!r})"


def compile_later(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, done the first time the pattern is used."""
    return cast("re.Pattern[str]", _Later(pattern, flags))


def in_order(text: str, first: re.Pattern[str], second: re.Pattern[str], stops: str = "\n") -> bool:
    """Whether ``first``, then any characters but ``stops``, then ``second`` occur in ``text``:
    what the pattern ``first[^stops]*second`` (or ``first.*second``) finds when searched,
    in linear time. Searched as one pattern, every match of ``first`` scans again to the end
    of its line (``apt apt apt …``: quadratic); here each stretch of text is read once.

    ``second`` must not match across ``stops`` (a word, a path): it is searched between the
    end of a match of ``first`` and the next stop."""
    stop = re.compile("[" + re.escape(stops) + "]")
    searched = -1  # where the stretch searched last ends (the next stop after it)
    for m in first.finditer(text):
        if m.end() < searched:
            continue  # a later start in a stretch already searched from an earlier one
        end = stop.search(text, m.end())
        searched = end.start() if end is not None else len(text)
        if second.search(text, m.end(), searched) is not None:
            return True
        searched += 1
    return False
