"""Searching text in linear time where one regular expression would backtrack."""

from __future__ import annotations

import re


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
