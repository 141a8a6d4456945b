"""A file as the engine hands it to a parser."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from dockerlint.util.lines import LineIndex, split


@dataclass(frozen=True)
class RawBytes:
    """What decoding changed in a file's bytes, for a reader that must read the bytes as its
    program does (systemd reads bytes: for it a byte-order mark is part of the first line, CR
    and NUL end lines, and UTF-16 is not text). Positions stay those of ``SourceFile.text``.
    """

    bom: bool = False  # the bytes began with a byte-order mark, which the text does not have
    utf16: bool = False  # the bytes are UTF-16 (with a byte-order mark)
    # The offset in the text of each LF that was another line end in the bytes: "\r\n" or a lone "\r".
    line_ends: Mapping[int, str] = field(default_factory=dict)


@dataclass
class SourceFile:
    path: str  # display path: relative to the working directory when possible, POSIX separators
    kind: str  # "dockerfile", "compose", "daemon", "systemd"
    text: str  # decoded text, CRLF normalized to LF
    abspath: str = ""
    raw: RawBytes | None = None  # set by the engine for systemd files (None: the text is the bytes)
    _lines: list[str] | None = field(default=None, repr=False)
    _index: LineIndex | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[str]:
        """The text split into lines, without line terminators (line N is ``lines[N-1]``).

        Only LF ends a line (:mod:`dockerlint.util.lines`)."""
        if self._lines is None:
            self._lines = split(self.text)
        return self._lines

    @property
    def index(self) -> LineIndex:
        """The text's line index: offsets <-> (line, column)."""
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index

    def forget_lines(self) -> None:
        """Drop :attr:`lines` and :attr:`index` (computed again when asked): a file kept for
        the whole run holds its text only once its findings are final."""
        self._lines = None
        self._index = None

    def pack(self) -> None:
        """Hold the text compressed (and no lines nor index) until :attr:`text` is read again:
        the files a run keeps to its end (configuration files, built Dockerfiles, files with
        suppressions or fixes) are about a third of a big tree's text."""
        self.forget_lines()
        text = self.__dict__.pop("_text", None)
        if text:
            import zlib

            self.__dict__[_PACKED] = zlib.compress(text.encode("utf-8", "surrogatepass"), 1)
        elif text is not None:
            self.__dict__["_text"] = text

    @property
    def packed(self) -> bool:
        """Whether the text is held compressed (:meth:`pack`) until it is read again."""
        return _PACKED in self.__dict__


_PACKED = "_packed_text"


def _get_text(self: SourceFile) -> str:
    """The decoded text (unpacked, once, if :meth:`SourceFile.pack` packed it)."""
    held = self.__dict__
    text: str | None = held.get("_text")
    if text is None:
        import zlib

        text = held["_text"] = zlib.decompress(held.pop(_PACKED)).decode("utf-8", "surrogatepass")
    return text


def _set_text(self: SourceFile, value: str) -> None:
    self.__dict__["_text"] = value
    self.__dict__.pop(_PACKED, None)


# ``text`` stays a field of the dataclass (constructor, replace, equality, repr) and is read
# and written through this property, which unpacks a packed text when it is read.
SourceFile.text = property(_get_text, _set_text)  # type: ignore[assignment]
