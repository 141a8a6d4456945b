"""Reading a file: its bytes through the one limited reader (size limit, regular files only,
inside the scanned folders), decoded as text, its kind decided (name, content, ``--kind``)."""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING, Any

from dockerlint.core.findings import Result
from dockerlint.core.options import Options
from dockerlint.discovery import KINDS, Candidate, is_docker_unit, sniff
from dockerlint.models.source import RawBytes, SourceFile
from dockerlint.util import containment

if TYPE_CHECKING:
    from dockerlint.core.parsing import Parser

# Kinds whose syntax reads a lone CR as a line break (YAML, systemd) or as blank space
# (JSON); editors show a line break. BuildKit and shells do not: they keep their CRs.
LONE_CR_BREAKS = frozenset({"compose", "daemon", "systemd", "github", "gitlab", "devcontainer", "client", "quadlet"})
# The words of a line that may build a named image (``docker build -t``, ``docker buildx
# build``, ``podman build``, a ``docker/build-push-action`` step's ``tags``...): the files
# that have them are read with the configuration files.
_BUILD_WORDS = (
    re.compile(rb"\b(?:docker|podman|nerdctl)\b"),
    re.compile(rb"\bbuild\b"),
    re.compile(rb"\s-t|--tag\b|build-push-action"),
)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode(data: bytes) -> str:
    """Decode a file's bytes: UTF-8 (BOM allowed) or UTF-16 with a BOM. Raises ValueError."""
    return _decode_keeping_line_ends(data).replace("\r\n", "\n")


def _decode_keeping_line_ends(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ValueError(f"not valid UTF-16 text (byte {exc.start}): {exc.reason}") from None
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValueError(f"not valid UTF-8 text (byte {exc.start}, line {line})") from None


_CR_LINE_END = re.compile("\r\n?")


def raw_bytes(data: bytes) -> RawBytes:
    """What decoding ``data`` (and turning each CRLF and lone CR into LF) changed, for the
    systemd reader, which reads the bytes as systemd does."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    bom = utf16 or data.startswith(codecs.BOM_UTF8)
    if b"\r" not in data and not utf16:
        return RawBytes(bom, utf16)
    ends: dict[int, str] = {}
    shift = 0  # characters the CRLFs before this one took out
    for m in _CR_LINE_END.finditer(_decode_keeping_line_ends(data)):
        ends[m.start() - shift] = m.group()
        shift += len(m.group()) - 1
    return RawBytes(bom, utf16, ends)


def _concerns_docker(src: SourceFile, text: str) -> bool:
    """Whether a unit or drop-in that is not named for Docker concerns it, read as systemd reads
    it (a continued line, an escape or a specifier can spell ``dockerd``); for a unit systemd
    cannot load, from its text (so that its DD000 is reported)."""
    from dockerlint.parsers import systemd

    try:
        found = systemd.concerns_docker(src)
    except Exception:  # noqa: BLE001 -- a parser bug: decide from the text; parse() reports it
        found = None
    return is_docker_unit(text) if found is None else found


def unit_part(src: SourceFile) -> Any:
    """The UnitPart of a unit file, or None when systemd cannot load it."""
    from dockerlint.parsers import systemd

    try:
        parts = systemd.parse(src).daemon_parts
    except Exception:  # noqa: BLE001 -- a unit systemd refuses (or a parser bug, reported if it is linted)
        return None
    return parts[0] if parts and isinstance(parts[0], systemd.UnitPart) else None


def _refusal(exc: Exception) -> str:
    """A finding's words for a file :func:`containment.read_regular` refused."""
    if isinstance(exc, containment.NotRegular):
        return f"not a regular file ({exc.what}); not read"
    if isinstance(exc, containment.TooLarge):
        return f"file is {exc.size} bytes, over the {exc.limit}-byte limit (raise it with --max-file-size)"
    if isinstance(exc, containment.LinkLoop):
        return f"cannot read file: {exc}"
    return f"not read: {exc}"


class LineHashes:
    """The primaryLocationLineHash of the lines of one text, computed once and only as far
    as the lines asked for (a hash covers the 100 characters that follow a line's start)."""

    def __init__(self, text: str) -> None:
        from dockerlint.util.fingerprint import iter_line_hashes

        self._pending = iter_line_hashes(text)
        self._got: dict[int, str] = {}
        self._last = 0

    def get(self, line: int) -> str:
        while self._last < line:
            step = next(self._pending, None)
            if step is None:
                self._last = line
                break
            self._last, self._got[step[0]] = step
        return self._got.get(line, "")


def decode_like_node(data: bytes) -> str:
    from dockerlint.util.fingerprint import decode_like_node

    return decode_like_node(data)


def line_hash_of(data: bytes, line: int = 1) -> str:
    """The hash of ``line`` of bytes that are not text (a parse error at line 1)."""
    from dockerlint.util.fingerprint import decode_like_node

    return LineHashes(decode_like_node(data)).get(line)


class Reader:
    """Reads the candidates of one run (``contents``: bytes given instead of a file's, by
    absolute path: standard input)."""

    def __init__(self, options: Options, parser: Parser) -> None:
        self.options = options
        self.parser = parser
        self.contents: dict[str, bytes] = {}
        # Options.line_hashes: the text GitHub hashes where it is not the text linted (a BOM).
        self.hash_texts: dict[str, str] = {}
        self._tree: tuple[str, ...] | None = None  # the scanned folders' real paths, once a file is read

    def kind(self, cand: Candidate) -> str | None:
        """The kind a candidate is linted as: ``--kind`` for the files of the command line and
        the walk, its own for a Dockerfile the scan refers to."""
        return cand.kind if cand.referenced else (self.options.forced_kind or cand.kind)

    def read(self, cand: Candidate, result: Result, unrelated: list[SourceFile] | None = None) -> SourceFile | None:
        """The file as a SourceFile, or None (an error was reported, or it is not ours). A unit
        or drop-in named like any other that does not concern Docker goes to ``unrelated``: it
        is Docker's after all when it belongs to a unit that does (see Engine._related_units)."""
        kind = self.kind(cand)
        data = self._bytes_of(cand, result, kind or "dockerfile")
        if data is None:
            return None
        text = self._text_of(cand, data, kind, result)
        if text is None:
            return None
        tentative = False  # a unit or drop-in named like any other: ours if it concerns Docker
        if kind is None:
            kind = self._sniffed(cand, text, result)
            if kind is None:
                return None
            tentative = not cand.explicit
        raw_text = text
        if "\r" in text and kind in LONE_CR_BREAKS:
            text = text.replace("\r", "\n")  # positions, snippets and fixes agree with editors
        raw = raw_bytes(data) if kind in ("systemd", "quadlet") else None
        src = SourceFile(path=cand.path, kind=kind, text=text, abspath=cand.abspath, raw=raw)
        if tentative and not _concerns_docker(src, raw_text):
            if unrelated is not None:
                unrelated.append(src)
            return None
        return src

    def _text_of(self, cand: Candidate, data: bytes, kind: str | None, result: Result) -> str | None:
        """The decoded text, or None (not text: reported, unless it is a unit-looking file)."""
        try:
            text = decode(data)
        except ValueError as exc:
            if kind is None and not cand.explicit:
                return None  # a unit-looking file that is not text: not ours
            self.parser.file_error(
                result,
                cand.path,
                kind or "dockerfile",
                str(exc),
                line_hash=line_hash_of(data) if self.options.line_hashes else "",
            )
            return None
        if self.options.line_hashes and data.startswith(_BOMS):
            # GitHub hashes the bytes read as UTF-8, the BOM kept: not quite the text linted.
            self.hash_texts[cand.path] = decode_like_node(data)
        return text

    def _sniffed(self, cand: Candidate, text: str, result: Result) -> str | None:
        """The kind of a file its name does not tell: a file of the command line by its
        content; one of the walk is a unit or drop-in (tentatively)."""
        if not cand.explicit:
            return "systemd"
        kind = sniff(text)
        if kind is None:
            result.notices.append(
                f"{cand.path}: not recognized by its name or content; skipped (use --kind KIND "
                f"to force one: {', '.join(KINDS)})"
            )
        return kind

    def _bytes_of(self, cand: Candidate, result: Result, fallback_kind: str) -> bytes | None:
        """The bytes of a candidate (given, or read), or None when an error was reported."""
        max_size = self.options.max_file_size
        given = self.contents.get(cand.abspath)
        if given is not None:
            if len(given) > max_size:  # standard input is read up to one byte past the limit
                self.parser.file_error(
                    result,
                    cand.path,
                    fallback_kind,
                    f"input is over the {max_size}-byte limit (raise it with --max-file-size)",
                )
                return None
            return given
        try:
            # A FIFO (named on the command line, or put in place since the walk) never
            # blocks the read, a /dev/zero link is refused, and so is a link of the tree
            # swapped in since the walk that leads out of it: see containment.read_regular.
            return self.read_file(cand, max_size)
        except containment.Refused as exc:
            if not isinstance(exc, containment.TooLarge):
                result.io_errors += 1
            self.parser.file_error(result, cand.path, fallback_kind, _refusal(exc))
        except OSError as exc:
            result.io_errors += 1
            self.parser.file_error(result, cand.path, fallback_kind, f"cannot read file: {exc.strerror or exc}")
        return None

    def read_file(self, cand: Candidate, limit: int) -> bytes:
        """The bytes of a candidate, through the one limited reader. A file the walk or a
        reference found must still resolve inside the scanned folders (a link swapped in
        since is the repository's, not the user's); a file named on the command line is the
        user's choice, its links followed."""
        if self._tree is None:
            self._tree = containment.tree_dirs(self.options.roots) if self.options.roots else ()
        tree = () if cand.explicit else self._tree
        return containment.read_regular(containment.resolve(cand.abspath, tree), limit)

    def builds_images(self, cand: Candidate) -> bool:
        """Whether a script or CI file has a ``docker build -t`` line (a cheap look at its
        bytes): it is then read with the configuration files, so that the images it names
        are known before the Dockerfiles and the ``docker run`` lines are linted."""
        data = self.contents.get(cand.abspath)
        if data is None:
            try:
                data = self.read_file(cand, self.options.max_file_size)
            except (OSError, containment.Refused):
                return False  # reported when it is read for real
        # Three independent searches (linear in any input): a file that has all three words
        # anywhere is read early; one that has them apart only costs keeping its models.
        return all(p.search(data) is not None for p in _BUILD_WORDS)
