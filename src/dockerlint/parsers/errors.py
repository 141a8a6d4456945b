"""The error every parser raises for input it cannot make sense of."""

from __future__ import annotations

from typing import Any


class ParseError(Exception):
    """Unparseable input, at a 1-based ``line`` and ``col``.

    The engine turns it into the kind's ``x000`` finding (DF000, DC000, DD000) and
    goes on with the other files. ``comments``: the comments the parser read before it
    stopped (:data:`dockerlint.parsers.output.Comments`), for the suppressions of the file.
    """

    def __init__(self, message: str, line: int = 1, col: int = 1, end_col: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = max(1, line)
        self.col = max(1, col)
        self.end_col = end_col if end_col is not None and end_col > self.col else self.col + 1
        self.comments: Any = None
