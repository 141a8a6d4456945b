"""``--fix``: writing fixed files.

Files keep their encoding, byte-order mark and line endings (line by line). ``--fix``
writes no file through a symbolic link, nor a hard-linked or read-only file (see
:func:`write`).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockerlint.util.safefiles import Folder


@dataclass
class PendingWrite:
    """A file to write with ``--fix``: its text as first linted, the fixed text, and the
    edits of each pass that led from one to the other (offsets into that pass's text)."""

    path: str  # display path
    abspath: str
    linted: str
    fixed: str
    passes: list[list[tuple[int, int, str]]] = field(default_factory=list)


_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_BREAKS = re.compile(r"(\r\n|\n)")
_BREAKS_WITH_CR = re.compile(r"(\r\n|\n|\r)")  # where a lone CR is a line break (YAML, JSON, units)


def _encoding(raw: bytes) -> tuple[bytes, str]:
    """The byte-order mark and codec of a file's bytes, as the engine decodes them."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return bom, codec
    return b"", "utf-8"


def _lines(text: str, linted: str) -> tuple[list[str], list[str]] | None:
    """The file's lines and each one's own line break (the last line may have none), read
    the way the linted text was (with a lone CR as a break or not); None if the file does
    not hold the linted text."""
    for pattern in (_BREAKS, _BREAKS_WITH_CR):
        parts = pattern.split(text)
        lines, breaks = parts[0::2], parts[1::2]
        if len(lines) == linted.count("\n") + 1 and "\n".join(lines) == linted:
            return lines, breaks
    return None


def _apply(text: str, breaks: list[str], edits: list[tuple[int, int, str]]) -> tuple[str, list[str]]:
    """Apply non-overlapping edits to ``text`` (LF line ends) and to the list of its line
    breaks as written in the file: untouched lines keep their own break; a line break that
    an edit inserts takes the break of the line the edit starts on (the neighbour of the
    new lines), or of the previous line when that one is the last and has none."""
    out: list[str] = []
    new_breaks: list[str] = []
    pos = line = 0  # line: how many line breaks come before pos
    for a, b, repl in sorted(edits):
        n = text.count("\n", pos, a)
        new_breaks.extend(breaks[line : line + n])
        line += n
        out.append(text[pos:a])
        own = breaks[line] if line < len(breaks) else (breaks[-1] if breaks else "\n")
        out.append(repl)
        new_breaks.extend([own] * repl.count("\n"))
        line += text.count("\n", a, b)
        pos = b
    out.append(text[pos:])
    new_breaks.extend(breaks[line:])
    return "".join(out), new_breaks


def _refusal(st: os.stat_result) -> str:
    """Why a file must not be replaced by ``--fix`` ('' when it may be)."""
    from dockerlint.util.safefiles import mode_allows_writing

    if stat.S_ISLNK(st.st_mode):
        return (
            "is a symbolic link; not fixed (dockerlint never writes through a link: run --fix on the file it points to)"
        )
    if not stat.S_ISREG(st.st_mode):
        return "is not a regular file; not fixed"
    if st.st_nlink > 1:
        return (
            f"has {st.st_nlink} hard links; not fixed (replacing it would part it from its "
            "other names, writing it in place would change them all)"
        )
    if not mode_allows_writing(st):
        return f"is read-only (mode {stat.S_IMODE(st.st_mode):04o}); not fixed"
    geteuid = getattr(os, "geteuid", None)
    if geteuid is not None and geteuid() not in (0, st.st_uid):
        return f"belongs to another user (uid {st.st_uid}); not fixed"
    return ""


def write(files: list[PendingWrite], guarded: Sequence[str] = ()) -> dict[str, str]:
    """Write fixed files; returns, by display path, why a file was not written.

    Each file's folder is opened first, without following a link that lies in one of the
    ``guarded`` folders (the working directory, the scanned ones, their checkout), and every
    later step goes through that folder (see :class:`dockerlint.util.safefiles.Folder`): a folder
    swapped for a link meanwhile changes nothing. The file must be a regular file with one
    link, writable by its mode bits, and not a symbolic link (dockerlint writes no file
    through a link, in the tree or out of it). It is read again without following a link
    and must still hold the text that was linted (else it changed meanwhile and is left
    alone; it is not read past the size that text can take). The edits are applied to its
    text as written, so every line keeps its own line break (CRLF, LF, or a lone CR where
    that is a break), and the result is encoded as the file was (UTF-8 or UTF-16 of the same
    byte order, with the same byte-order mark). It is then replaced atomically (see
    :func:`dockerlint.util.safefiles.replace_file`), keeping its mode and owner, after a last
    check that the file is still the one that was read.
    """
    refused: dict[str, str] = {}
    for f in files:
        problem = _write_one(f, guarded)
        if problem:
            refused[f.path] = f"{f.path}: {problem}"
    return refused


def _write_one(f: PendingWrite, guarded: Sequence[str]) -> str:
    from dockerlint.util.safefiles import WriteRefused, open_folder

    try:
        folder = open_folder(os.path.dirname(f.abspath), guarded)
    except WriteRefused as exc:
        return f"not fixed: {exc} (dockerlint does not write through links of the tree it lints)"
    except OSError as exc:
        return f"cannot read it again to fix it: {exc.strerror or exc}"
    with folder:
        return _write_in(folder, os.path.basename(f.abspath), f)


def _write_in(folder: Folder, name: str, f: PendingWrite) -> str:
    """Write ``f`` as the file ``name`` of the open ``folder``:
    every step goes through the folder's descriptor, so that the folder checked is the
    folder written in, even if it is swapped for a link meanwhile."""
    from dockerlint.util.safefiles import NOFOLLOW, WriteRefused, mode_allows_writing, replace_file

    try:
        st = folder.lstat(name)
    except OSError as exc:
        return f"cannot read it again to fix it: {exc.strerror or exc}"
    problem = _refusal(st)
    if problem:
        return problem
    changed = "changed while dockerlint was running; not fixed"
    # The most bytes the linted text can take as written: 4 per character (UTF-8, or UTF-16
    # with surrogates; a CRLF is 2 or 4 bytes for the 1 character of its LF), and a BOM.
    most = 4 * len(f.linted) + 4
    try:
        if not mode_allows_writing(folder.stat()):
            return "its folder is read-only; not fixed"
        flags = os.O_RDONLY | NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        with open(folder.open(name, flags), "rb") as fh:
            opened = os.fstat(fh.fileno())
            if (opened.st_dev, opened.st_ino) != (st.st_dev, st.st_ino) or _refusal(opened):
                return changed
            if opened.st_size > most:
                return changed  # not read whole to find that out
            raw = fh.read(most + 1)
    except OSError as exc:
        return f"cannot read it again to fix it: {exc.strerror or exc}"
    bom, codec = _encoding(raw)
    try:
        text = raw[len(bom) :].decode(codec)
    except UnicodeDecodeError:
        return changed
    found = _lines(text, f.linted)
    if found is None:
        return changed
    _, breaks = found
    current = f.linted
    for edits in f.passes:
        current, breaks = _apply(current, breaks, edits)
    if current != f.fixed:  # the passes' edits do not lead to the fixed text: do not guess
        return "internal error: the fixes do not add up to the fixed text; not fixed (please report it)"
    lines = current.split("\n")
    data = bom + "".join(line + brk for line, brk in zip(lines, [*breaks, ""])).encode(codec)

    def recheck() -> str:
        try:
            now = folder.lstat(name)
        except OSError:
            return "removed while dockerlint was writing it; not fixed"
        same = (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns) == (
            opened.st_dev,
            opened.st_ino,
            opened.st_size,
            opened.st_mtime_ns,
        )
        return _refusal(now) or ("" if same else "changed while dockerlint was writing it; not fixed")

    try:
        replace_file(folder, name, data, st.st_mode, (st.st_uid, st.st_gid), recheck)
    except WriteRefused as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot write the fix: {exc.strerror or exc}"
    return ""
