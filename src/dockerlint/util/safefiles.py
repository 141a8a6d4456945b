"""Writing files on a tree nobody has reviewed: reports, baselines and fixed files.

The scanned repository is the attacker's input. A committed symbolic link where dockerlint
writes (``dockerlint.sarif -> ~/.profile``, ``compose.yaml.dockerlint-fix -> ~/.bashrc``)
must not redirect the write out of the tree, and a failed write must not leave half a file.

- :func:`open_folder` opens the folder of a file to write one component at a time, never
  following a symbolic link that lies in a guarded folder; every later step (looking at the
  file, reading it, the temporary file, the rename) goes through that folder's descriptor, so
  a folder swapped for a link once it was checked cannot lead the write elsewhere.
- :func:`replace_file` writes a new version of a file beside it (a fresh temporary file made
  with ``O_CREAT | O_EXCL | O_NOFOLLOW``, so no committed name is ever opened) and renames it
  over the target after a last check of the target.
- :func:`write_report` writes ``--output`` / ``--write-baseline``: a symbolic link or a device
  met on the way that lies inside a guarded folder is refused; elsewhere (``/dev/stdout``, a
  user's own link) the path is the user's choice and is followed.

The guarded folders (:func:`guarded_dirs`) are the working directory, the scanned folders and
every checkout (a folder holding ``.git``) that holds one of them: their links are the
repository's, not the user's.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from typing_extensions import Self

_MAX_LINKS = 40  # as the kernel: more links than this on one path is a loop


class WriteRefused(Exception):
    """The write would go through a symbolic link in the tree (or a similar trap)."""


def guarded_dirs(cwd: str, roots: Sequence[str]) -> tuple[str, ...]:
    """The folders whose links are the repository's, not the user's (real paths): the
    working directory, the scanned folders ``roots`` (absolute), and each checkout that
    holds a scanned folder (every folder holding ``.git`` on the way up to it, as written:
    ``/repo/deploy`` named from elsewhere, where ``deploy`` is the repository's link, is
    still inside ``/repo``). The file system's root is never one: a container's working
    directory often is ``/``, and that does not make ``/dev/stdout`` the repository's."""
    candidates = [cwd]
    walked: set[str] = set()  # folders looked at: the ones above them were too
    for root in dict.fromkeys(roots):  # an explicit path list names the same folder often
        candidates.append(root)
        folder = os.path.dirname(root)
        while folder not in walked:
            walked.add(folder)
            if os.path.lexists(os.path.join(folder, ".git")):
                candidates.append(folder)
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
    from dockerlint.util.containment import realpaths

    reals = dict.fromkeys(realpaths(dict.fromkeys(candidates)))
    return tuple(real for real in reals if os.path.dirname(real) != real)


def is_inside(path: str, dirs: Sequence[str]) -> bool:
    """Whether the real path ``path`` is one of ``dirs`` or below one of them."""
    for d in dirs:
        if path == d or path.startswith(d.rstrip(os.sep) + os.sep):
            return True
    return False


def mode_allows_writing(st: os.stat_result) -> bool:
    """Whether the mode bits let this process's user write the file.

    Checked by hand: root may write anything, but a file or folder whose write bits are all
    off was made read-only on purpose, and root is what CI containers run as.
    """
    geteuid = getattr(os, "geteuid", None)
    if geteuid is None:  # Windows: the read-only attribute clears the write bits
        return bool(st.st_mode & stat.S_IWUSR)
    euid = geteuid()
    if euid == 0:
        return bool(st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    if st.st_uid == euid:
        return bool(st.st_mode & stat.S_IWUSR)
    if st.st_gid == os.getegid() or st.st_gid in os.getgroups():
        return bool(st.st_mode & stat.S_IWGRP)
    return bool(st.st_mode & stat.S_IWOTH)


_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# Whether folders can be held open and files reached through them (POSIX).
_WITH_DIR_FD = (
    os.name == "posix"
    and bool(NOFOLLOW)
    and hasattr(os, "O_DIRECTORY")
    and {os.open, os.stat, os.readlink, os.rename, os.unlink} <= os.supports_dir_fd
)


class Folder:
    """An open folder: its real path and, on POSIX, a descriptor that every operation on a
    name in it goes through (``dir_fd``), so that swapping the folder, or one above it, for a
    link once it was opened changes nothing. Close it (or use it as a context manager)."""

    def __init__(self, path: str, fd: int | None) -> None:
        self.path = path
        self.fd = fd

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def _at(self, name: str) -> tuple[str, dict[str, int]]:
        if self.fd is None:
            return os.path.join(self.path, name), {}
        return name, {"dir_fd": self.fd}

    def stat(self) -> os.stat_result:
        """The folder's own status."""
        return os.fstat(self.fd) if self.fd is not None else os.stat(self.path)

    def lstat(self, name: str) -> os.stat_result:
        path, kw = self._at(name)
        return os.lstat(path, **kw)

    def open(self, name: str, flags: int, mode: int = 0o666) -> int:
        path, kw = self._at(name)
        return os.open(path, flags, mode, **kw)

    def replace(self, src: str, dst: str) -> None:
        if self.fd is None:
            os.replace(os.path.join(self.path, src), os.path.join(self.path, dst))
        else:
            os.replace(src, dst, src_dir_fd=self.fd, dst_dir_fd=self.fd)

    def unlink(self, name: str) -> None:
        path, kw = self._at(name)
        os.unlink(path, **kw)

    def writable(self, name: str) -> bool:
        """Whether the file ``name`` may be written by this process (``access(W_OK)``)."""
        if self.fd is not None and os.access in os.supports_dir_fd:
            return os.access(name, os.W_OK, dir_fd=self.fd)
        return os.access(os.path.join(self.path, name), os.W_OK)


Content = bytes | Callable[[BinaryIO], None]
"""What a write puts in a file: the bytes, or a writer that writes them to the binary file it
is given (a report streamed one finding at a time, never held whole in memory)."""


def emit(fh: BinaryIO, data: Content) -> None:
    """Write ``data`` (bytes, or a writer called with ``fh``) to the open binary file ``fh``."""
    if isinstance(data, bytes):
        fh.write(data)
    else:
        data(fh)


def open_folder(path: str, guarded: Sequence[str] = ()) -> Folder:
    """Open the folder ``path`` (relative to the working directory), one component at a time, each relative to the
    one before and without following a link; a symbolic link met on the way is followed
    only where it does not lie inside ``guarded`` (else WriteRefused). ``..`` is the
    physical parent, as the kernel takes it. Raises OSError (a missing folder) or
    WriteRefused."""
    path = os.path.join(os.getcwd(), path)  # not normalised: '..' after a link is physical
    if not _WITH_DIR_FD:  # pragma: no cover -- Windows: a real-path check only
        real = resolve_folder(path, guarded) if os.name == "posix" else os.path.realpath(path)
        return Folder(real, None)
    pending = path.split(os.sep)[::-1]
    cur = os.sep
    fd = os.open(os.sep, _DIR_FLAGS)
    hops = 0
    try:
        while pending:
            part = pending.pop()
            if part in ("", "."):
                continue
            try:
                nxt = os.open(part, _DIR_FLAGS | (0 if part == ".." else NOFOLLOW), dir_fd=fd)
            except OSError as exc:
                try:
                    st = os.lstat(part, dir_fd=fd)
                except OSError:
                    raise exc from None
                if not stat.S_ISLNK(st.st_mode):
                    raise OSError(exc.errno, exc.strerror, os.path.join(cur, part)) from None
                where = os.path.join(cur, part)
                if is_inside(cur, guarded):
                    raise WriteRefused(f"{where} is a symbolic link inside the scanned tree") from None
                hops += 1
                if hops > _MAX_LINKS:
                    raise WriteRefused(f"too many symbolic links on the way to {path}") from None
                target = os.readlink(part, dir_fd=fd)
                if os.path.isabs(target):
                    os.close(fd)
                    fd = -1
                    fd = os.open(os.sep, _DIR_FLAGS)
                    cur = os.sep
                pending.extend(target.split(os.sep)[::-1])
                continue
            os.close(fd)
            fd = nxt
            cur = os.path.dirname(cur) if part == ".." else os.path.join(cur, part)
        return Folder(cur, fd)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        raise


def _temporary_name(name: str) -> str:
    # Never a name the repository could have committed (it is random and created with
    # O_EXCL); short enough for any file system whatever the file's own name.
    return f".{name[:64]}.{os.urandom(6).hex()}.dockerlint-tmp"


def replace_file(
    folder: Folder,
    name: str,
    data: Content,
    mode: int,
    owner: tuple[int, int] | None = None,
    recheck: Callable[[], str] | None = None,
) -> None:
    """Replace (or create) the file ``name`` of the open ``folder`` with ``data`` atomically.

    The new content (bytes, or a writer: see :data:`Content`) goes to a fresh temporary file
    in the same folder (a unique name opened
    with ``O_CREAT | O_EXCL | O_NOFOLLOW``), is flushed to disk, gets ``mode`` (and ``owner``,
    uid and gid, when given and different), and is renamed over ``name``. ``recheck`` runs
    just before the rename: a non-empty answer is the reason to give up, raised as
    :class:`WriteRefused`. On any failure the temporary file is removed and ``name`` is as
    it was. Raises OSError or WriteRefused.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = _temporary_name(name)
        try:
            fd = folder.open(tmp, flags, 0o600)
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover -- 100 collisions of 48 random bits
        raise FileExistsError(errno.EEXIST, "no free temporary name", os.path.join(folder.path, name))
    try:
        try:
            if isinstance(data, bytes):
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            else:
                with open(fd, "wb", closefd=False) as fh:
                    data(fh)
            if owner is not None and hasattr(os, "fchown"):
                st = os.fstat(fd)
                if (st.st_uid, st.st_gid) != owner:
                    os.fchown(fd, *owner)
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode & 0o7777)
            else:  # pragma: no cover -- Windows
                os.chmod(os.path.join(folder.path, tmp), mode & 0o7777)
            os.fsync(fd)
            ours = os.fstat(fd)
        finally:
            os.close(fd)
        problem = recheck() if recheck is not None else ""
        if not problem:
            now = folder.lstat(tmp)
            if (now.st_dev, now.st_ino) != (ours.st_dev, ours.st_ino):
                problem = "its temporary file was replaced meanwhile"
        if problem:
            raise WriteRefused(problem)
        folder.replace(tmp, name)
    except BaseException:
        try:
            folder.unlink(tmp)
        except OSError:
            pass
        raise


def resolve_folder(path: str, guarded: Sequence[str]) -> str:
    """The real path of the folder ``path`` (absolute) names, resolved one component at a
    time; a symbolic link that lies inside ``guarded`` is refused (WriteRefused). A check
    by path only: writing uses :func:`open_folder`, which holds what it checked."""
    pending = path.split(os.sep)[::-1]
    cur = os.sep
    hops = 0
    while pending:
        part = pending.pop()
        if part in ("", "."):
            continue
        if part == "..":
            cur = os.path.dirname(cur)
            continue
        nxt = os.path.join(cur, part)
        try:
            st = os.lstat(nxt)
        except OSError:
            # Missing (the write will say so) or unreadable: the rest is taken as written.
            return os.path.join(nxt, *pending[::-1])
        if stat.S_ISLNK(st.st_mode):
            if is_inside(cur, guarded):
                raise WriteRefused(f"{nxt} is a symbolic link inside the scanned tree")
            hops += 1
            if hops > _MAX_LINKS:
                raise WriteRefused(f"too many symbolic links on the way to {path}")
            target = os.readlink(nxt)
            if os.path.isabs(target):
                cur = os.sep
            pending.extend(target.split(os.sep)[::-1])
            continue
        cur = nxt
    return cur


def write_report(path: str, data: Content, guarded: Sequence[str]) -> None:
    """Write ``data`` to the file ``path`` given on the command line (a report, a baseline):
    bytes, or a writer called with the open binary file (a streamed report).

    Symbolic links on the way are followed only where they are the user's: one inside a
    ``guarded`` folder (the working directory, a scanned folder, their checkout) is refused
    with :class:`WriteRefused`, whether it is the file itself or a folder on the way; so is a
    device or a socket there (a tarball extracted as root can hold a disk's device node). A
    regular file (or a new one) is replaced atomically, keeping an existing file's mode;
    anything else (``/dev/stdout``, a FIFO) is written in place. Everything after the folder
    was opened goes through it (see :class:`Folder`). Raises OSError or WriteRefused.
    """
    given = path
    path = os.path.join(os.getcwd(), path)  # not normalised: '..' after a link is physical
    folder_part, name = os.path.split(path)
    if name in ("", ".", ".."):
        raise IsADirectoryError(21, "Is a directory", given)
    with open_folder(folder_part, guarded) as folder:
        _write_report_in(folder, name, given, data, is_inside(folder.path, guarded))


def _write_report_in(folder: Folder, name: str, given: str, data: Content, guarded: bool) -> None:
    try:
        st: os.stat_result | None = folder.lstat(name)
    except FileNotFoundError:
        st = None
    cloexec = getattr(os, "O_CLOEXEC", 0)
    if st is not None and stat.S_ISLNK(st.st_mode):
        if guarded:
            raise WriteRefused(f"{given} is a symbolic link inside the scanned tree")
        # The user's own link (/dev/stdout): their choice, followed.
        with open(folder.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | cloexec), "wb") as fh:
            emit(fh, data)
        return
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "Is a directory", given)
    if st is not None and not stat.S_ISREG(st.st_mode):
        if guarded and not stat.S_ISFIFO(st.st_mode):
            raise WriteRefused(f"{given} is {_kind(st.st_mode)} inside the scanned tree")
        # A device or a FIFO: written in place. Opened without blocking, so a FIFO nobody
        # reads is an error rather than a hang; then written normally.
        nonblock = getattr(os, "O_NONBLOCK", 0)
        fd = folder.open(name, os.O_WRONLY | os.O_TRUNC | nonblock | NOFOLLOW | cloexec)
        if nonblock:
            import fcntl

            fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~nonblock)
        with open(fd, "wb") as fh:
            emit(fh, data)
        return
    if st is None:
        umask = os.umask(0)
        os.umask(umask)
        mode, owner = 0o666 & ~umask, None
    else:
        if not folder.writable(name):
            raise PermissionError(13, "Permission denied", given)
        mode, owner = stat.S_IMODE(st.st_mode), (st.st_uid, st.st_gid)
    before = st

    def recheck() -> str:
        try:
            now = folder.lstat(name)
        except FileNotFoundError:
            return "" if before is None else f"{given} was removed meanwhile"
        if stat.S_ISLNK(now.st_mode) or not stat.S_ISREG(now.st_mode):
            return f"{given} was replaced by something else than a file meanwhile"
        return ""

    replace_file(folder, name, data, mode, owner if owner is not None and _may_chown(owner) else None, recheck)


def _kind(mode: int) -> str:
    for test, what in (
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return what
    return "not a regular file"


def _may_chown(owner: tuple[int, int]) -> bool:
    """Whether to keep an existing report's owner: when running as root (which may give
    files away); any other user's new file is its own, as ``open("w")`` would keep it."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid is not None and geteuid() == 0
