"""A file as the engine hands it to a parser."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourceFile:
    path: str  # display path: relative to the working directory when possible, POSIX separators
    kind: str  # "dockerfile", "compose", "daemon", "systemd"
    text: str  # decoded text, CRLF normalized to LF
    abspath: str = ""
    _lines: list[str] | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[str]:
        """The text split into lines, without line terminators (line N is ``lines[N-1]``)."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines
