"""A file as the engine hands it to a parser."""

from __future__ import annotations

from dataclasses import dataclass, field

from dockerlint.lines import LineIndex, split


@dataclass
class SourceFile:
    path: str  # display path: relative to the working directory when possible, POSIX separators
    kind: str  # "dockerfile", "compose", "daemon", "systemd"
    text: str  # decoded text, CRLF normalized to LF
    abspath: str = ""
    _lines: list[str] | None = field(default=None, repr=False)
    _index: LineIndex | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[str]:
        """The text split into lines, without line terminators (line N is ``lines[N-1]``).

        Only LF ends a line (:mod:`dockerlint.lines`)."""
        if self._lines is None:
            self._lines = split(self.text)
        return self._lines

    @property
    def index(self) -> LineIndex:
        """The text's line index: offsets <-> (line, column)."""
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index
