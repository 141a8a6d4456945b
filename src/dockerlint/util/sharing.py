"""Equal texts held once: a bounded table that gives back the first string equal to a text.

Models and findings repeat the same short texts over a big tree (an image name, a port, a
message that names no value, the same flagged line in many files); kept for the whole run,
each would otherwise be one string per place. The table is not ``sys.intern`` (whose strings
Python 3.12 never frees: a language server would keep every value it ever saw): it starts
again empty once it holds ``limit`` texts, so what it keeps between runs is bounded, and a
scan with more distinct texts shares them within each stretch of that many.
"""

from __future__ import annotations


class SharedTexts:
    """``share(text)``: the string kept for ``text``, or ``text`` itself, now kept (texts longer
    than ``longest`` are given back as they are)."""

    __slots__ = ("limit", "longest", "table")

    def __init__(self, limit: int, longest: int) -> None:
        self.limit = limit
        self.longest = longest
        self.table: dict[str, str] = {}

    def share(self, text: str) -> str:
        if len(text) > self.longest:
            return text
        got = self.table.get(text)
        if got is None:
            if len(self.table) >= self.limit:
                self.table.clear()
            got = self.table[text] = text
        return got
