"""Reading beside the linted files without reading outside the tree.

The scanned repository is the attacker's input, and so are its symbolic links: a committed
``.dockerlint.yml -> ../../etc/x.yml`` must not make dockerlint read a file the repository
does not hold and print what it found in it (a configuration error names the keys it did
not expect). Besides the files it lints, dockerlint reads files the tree names or holds:
the configuration files found by the upward search, a ``--baseline``, the files a Compose
project refers to (``extends``, ``include``, ``env_file``, ``.env``, ``COMPOSE_FILE``),
the first bytes of a ``COPY`` source. Every such read goes through this module.

*The tree* is the set of folders whose files may be read, as real paths: the folders being
linted (a file's own folder when a file is named; the working directory when only standard
input is), never the file system's root (:func:`tree_dirs`). Links are judged by where they
lie: in the tree, the working directory or a checkout holding them (``holders``), they are
the repository's.
Two checks:

- :func:`inside` -- a file the tree *refers to* (a Compose ``extends`` file, a ``COPY``
  source) is used only when its real path, every link resolved, is in the tree;
  :func:`within` decides the same without looking at anything outside the tree (the Compose
  project's references: a missing file is reported, so an outside one must read the same
  whether it exists or not).
- :func:`resolve` -- a file the tree *holds or the user names* (a configuration file, a
  baseline) may lie outside the tree when the user says so (``--config
  /etc/dockerlint.toml``), but a symbolic link that lies in the repository (in a ``holders``
  folder) must not lead out of the tree: that link is the attacker's, not the user's.

:func:`read_regular` then reads a file without blocking on a FIFO, without following a
link swapped in at the last component, and never more than a bound. Refusals are
:class:`OutsideTree` / :class:`LinkLoop` / :class:`NotRegular` / :class:`TooLarge`, whose messages never show
anything from outside the tree (not even whether the link's target exists).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import BinaryIO

from dockerlint.util import limits

_MAX_LINKS = 40  # as the kernel: more links than this on one path is a loop


class Refused(Exception):
    """A file that is not read (the message says why, in words fit for any output)."""


class OutsideTree(Refused):
    """A symbolic link of the tree leads out of it (or the file is outside it)."""


class LinkLoop(Refused):
    """More symbolic links on the way than the kernel follows (opening it would fail too)."""


class NotRegular(Refused):
    """A FIFO, a device, a socket or a folder where a file was expected; ``what`` names it
    ("a FIFO", :func:`file_type`)."""

    def __init__(self, what: str) -> None:
        super().__init__("it is a folder" if what == "a folder" else "it is not a regular file")
        self.what = what


class TooLarge(Refused):
    """A file over the size bound (``size`` bytes or more, ``limit`` allowed)."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"it is larger than {limit} bytes")
        self.size, self.limit = size, limit


def file_type(mode: int) -> str:
    """What a file that is not a regular file is, for messages ("a FIFO")."""
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "an unknown file type"


# The real paths resolved during one run (see :func:`run_scope`), by working directory and
# folders: real_dirs' (first), tree_dirs' (second).
_trees: list[dict[tuple[str, tuple[str, ...]], tuple[str, ...]]] = []  # two while a run lasts
# The folders :func:`resolve` found to be folders, not links, during the run (absolute paths
# as it builds them, no link on the way): each is looked at once a run, not once per file.
_plain: list[set[str]] = []  # one while a run lasts
# The real path of each absolute path :func:`realpaths` resolved during the run.
_reals: list[dict[str, str]] = []  # one while a run lasts


@contextlib.contextmanager
def run_scope() -> Iterator[None]:
    """Within it, :func:`real_dirs` and :func:`tree_dirs` resolve the same folders (from
    the same working directory) once: the rules and readers that ask for the tree per file
    (every file of an explicit path list is a root of its own, so the tree has hundreds of
    folders) would otherwise resolve every folder of it, links and all, for every file. The
    tree is resolved the first time a run asks for it; the next run resolves it afresh.
    Nested scopes share the outer one's; forked workers inherit them."""
    if _trees:
        yield
        return
    _trees.extend(({}, {}))
    _plain.append(set())
    _reals.append({})
    try:
        yield
    finally:
        _trees.clear()
        _plain.clear()
        _reals.clear()


def real_dirs(dirs: Iterable[str]) -> tuple[str, ...]:
    """The real paths of ``dirs``, in order, each once. Computed once per :func:`run_scope`."""
    if not _trees:
        return _real_dirs(dirs)
    key = (os.getcwd(), tuple(dirs))
    got = _trees[0].get(key)
    if got is None:
        got = _trees[0][key] = _real_dirs(key[1])
    return got


def _tree_of(real: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(d for d in real if os.path.dirname(d) != d)


def _real_dirs(dirs: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(realpaths(dirs)))


def realpaths(paths: Iterable[str]) -> list[str]:
    """``[os.path.realpath(p) for p in paths]``, for long lists of files named on the command
    line: each distinct parent folder is resolved once, and a last component that is not a
    symbolic link costs one ``lstat`` (``realpath`` would ``lstat`` every component of every
    path). A link, ``.``, ``..`` or a trailing separator as the last component, or a ``..``
    anywhere (``realpath`` reads ``missing/../link`` lexically, the kernel's ``lstat`` does
    not), is resolved by ``os.path.realpath`` itself; a component that cannot be examined is
    taken as it is written, as ``realpath`` (not strict) does. Within a :func:`run_scope`, an
    absolute path is resolved once a run (the tree, the guarded folders and the plugin path
    resolve the same files)."""
    run = _reals[0] if _reals else None
    folders: dict[str, str] = {}  # this call's, for relative paths (the working directory may change)
    out: list[str] = []
    for path in paths:
        known = run if run is not None and os.path.isabs(path) else folders
        real = known.get(path)
        if real is None:
            real = known[path] = _same(path, _realpath(path, known))
        out.append(real)
    return out


def _same(path: str, real: str) -> str:
    """``real``, as the object ``path`` when they are equal: a big tree's paths are mostly
    real already, and the cache keeps one string per path rather than two equal ones."""
    return path if real == path else real


def _realpath(path: str, known: dict[str, str]) -> str:
    """``os.path.realpath(path)``, through ``known`` (real paths by path) for its folder."""
    head, tail = os.path.split(path)
    if tail in ("", ".", "..") or os.pardir in head.split(os.sep) or _is_link(path):
        return os.path.realpath(path)
    real_head = known.get(head)
    if real_head is None:
        real_head = known[head] = _same(head, os.path.realpath(head))
    return os.path.join(real_head, tail)


def _is_link(path: str) -> bool:
    """Whether ``path``'s last component is a link; also true when ``realpath`` itself must
    decide (a NUL in the name: it raises as it always did)."""
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:  # missing, or not a folder on the way: realpath takes it as written
        return False
    except ValueError:
        return True


def tree_dirs(dirs: Iterable[str]) -> tuple[str, ...]:
    """The tree made of ``dirs`` (the working directory, the linted folders): their real
    paths, less the file system's root, which would put everything in the tree (a
    container's working directory often is ``/``). Computed once per :func:`run_scope`
    (rules ask for it per file, and the tree may have a folder per file)."""
    if not _trees:
        return _tree_of(real_dirs(dirs))
    key = (os.getcwd(), tuple(dirs))
    got = _trees[1].get(key)
    if got is None:
        got = _trees[1][key] = _tree_of(real_dirs(key[1]))
    return got


def is_below(path: str, dirs: Sequence[str]) -> bool:
    """Whether ``path`` is one of ``dirs`` or below one of them (plain string comparison:
    give real paths for a real answer)."""
    if len(dirs) > _FEW:
        return first_holding(path, dirs) is not None
    for d in dirs:
        if path == d or path.startswith(d.rstrip(os.sep) + os.sep):
            return True
    return False


# Past this many folders, :func:`is_below` looks the path's own folders up instead of
# comparing it with every one: an explicit path list makes every file's folder a root, and
# a run asks about hundreds of paths.
_FEW = 8


@lru_cache(maxsize=32)
def _folder_index(dirs: tuple[str, ...]) -> tuple[dict[str, int], dict[str, int]]:
    """The position of the first of ``dirs`` equal to a path, and of the first whose
    contents start with a prefix (the folder without its trailing separators)."""
    exact: dict[str, int] = {}
    holding: dict[str, int] = {}
    for i, d in enumerate(dirs):
        exact.setdefault(d, i)
        holding.setdefault(d.rstrip(os.sep), i)
    return exact, holding


def first_holding(path: str, dirs: Sequence[str]) -> str | None:
    """The first of ``dirs`` that ``path`` is or is below (as :func:`is_below` says), or None:
    found through the path's own folders, whatever the number of ``dirs``."""
    dirs = tuple(dirs)
    exact, holding = _folder_index(dirs)
    best = exact.get(path)
    i = path.find(os.sep)
    while i >= 0:
        k = holding.get(path[:i])
        if k is not None and (best is None or k < best):
            best = k
        i = path.find(os.sep, i + 1)
    return None if best is None else dirs[best]


def inside(path: str, tree: Sequence[str]) -> bool:
    """Whether ``path``, every symbolic link resolved, is in one of the ``tree`` folders
    (real paths, see :func:`real_dirs`)."""
    return is_below(os.path.realpath(path), tree)


def within(path: str, tree: Sequence[str], aliases: Mapping[str, str] | None = None) -> bool:
    """Whether ``path``, every symbolic link resolved, is in one of the ``tree`` folders (real
    paths), decided without looking at anything outside them, so that the answer, and what
    follows from it, never tells whether a path outside the tree exists.

    The path as written (normalised, as Compose joins paths) must lie in the tree, or in a
    folder of ``aliases`` (the tree as the user named it, mapped to its real path): ``../x``
    is out, and is not looked at. Then the links on the way are read one component at a
    time, each from a folder already known to be in the tree, and must stay in it: a link
    that points out ends the walk there, its target never looked at. A missing component
    ends the resolution; the rest is judged as written.
    """
    path = os.path.normpath(path)
    aliases = aliases or {}
    root = first_holding(path, tuple(aliases))
    if root is not None:
        current = aliases[root]
    else:
        root = first_holding(path, tree)
        if root is None:
            return False
        current = root
    if not is_below(current, tree):
        return False
    pending = [p for p in path[len(root) :].split(os.sep) if p][::-1]
    hops = 0
    while pending:
        part = pending.pop()
        if part == ".":
            continue
        if part == "..":
            current = os.path.dirname(current)
            if not is_below(current, tree):
                return False
            continue
        nxt = os.path.join(current, part)  # a child of a folder in the tree
        try:
            st = os.lstat(nxt)
        except OSError:
            return is_below(os.path.normpath(os.path.join(nxt, *pending[::-1])), tree)
        if not stat.S_ISLNK(st.st_mode):
            current = nxt
            continue
        hops += 1
        if hops > _MAX_LINKS:
            return False
        try:
            target = os.readlink(nxt)
        except OSError:
            return False
        if os.path.isabs(target):
            target = os.path.normpath(target)
            base = first_holding(target, tree)
            if base is None:
                return False  # it points out of the tree: not followed, not looked at
            current = base
            pending.extend([p for p in target[len(base) :].split(os.sep) if p][::-1])
        else:
            pending.extend([p for p in target.split(os.sep) if p][::-1])
    return is_below(current, tree)


def repository_root(folder: str) -> str | None:
    """The closest folder at or above ``folder`` holding ``.git`` (a link named ``.git`` is
    not followed), or None."""
    current = os.path.abspath(folder)
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def resolve(path: str, tree: Sequence[str], holders: Sequence[str] = ()) -> str:
    """The real path of ``path``, resolved one component at a time.

    A symbolic link met on the way that lies in the ``tree`` or in one of the ``holders``
    folders (real paths) is the repository's: when one was followed, the path must end in
    the ``tree``, or :class:`OutsideTree` is raised, whether or not the place it points to
    exists (:class:`LinkLoop` past 40 links). Links elsewhere (``/etc/alternatives/...``, a
    link in your home folder) are yours and are followed freely. A missing component ends the resolution: the rest is
    taken as written (opening it will say that it does not exist).

    Within a :func:`run_scope`, a folder found to be a folder (not a link) is not looked at
    again in that run: the files of a tree share their folders.
    """
    held = (*tree, *holders)
    if os.name != "posix":  # pragma: no cover -- Windows: links are rare; the whole path is judged
        abspath = os.path.abspath(path)
        real = os.path.realpath(abspath)
        if real != abspath and is_below(os.path.dirname(abspath), held) and not is_below(real, tree):
            raise OutsideTree("it is a symbolic link of the linted tree that leads out of it")
        return real
    full = os.path.join(os.getcwd(), path)
    plain = _plain[0] if _plain else None
    if plain is not None:
        known = _in_plain_folder(full, plain)
        if known is not None:
            return known
    pending = full.split(os.sep)[::-1]  # not normalised: '..' after a link is physical
    cur = os.sep
    hops = 0
    followed = False
    while pending:
        part = pending.pop()
        if part in ("", "."):
            continue
        if part == "..":
            cur = os.path.dirname(cur)
            continue
        nxt = os.path.join(cur, part)
        if plain is not None and nxt in plain:
            cur = nxt
            continue
        try:
            st = os.lstat(nxt)
        except OSError:
            cur = os.path.join(nxt, *pending[::-1])
            break
        if plain is not None and stat.S_ISDIR(st.st_mode):
            plain.add(nxt)
        if stat.S_ISLNK(st.st_mode):
            hops += 1
            if hops > _MAX_LINKS:
                raise LinkLoop("too many levels of symbolic links")
            if is_below(cur, held):
                followed = True
            try:
                target = os.readlink(nxt)
            except OSError as exc:
                raise OutsideTree(f"its symbolic link cannot be read ({exc.strerror or exc})") from None
            if os.path.isabs(target):
                cur = os.sep
            pending.extend(target.split(os.sep)[::-1])
            continue
        cur = nxt
    cur = os.path.normpath(cur)
    if followed and not is_below(cur, tree):
        raise OutsideTree("it is a symbolic link of the linted tree that leads out of it")
    return cur


def _in_plain_folder(full: str, plain: set[str]) -> str | None:
    """What :func:`resolve` returns for the absolute path ``full`` when its folder is one of
    the run's ``plain`` folders (reached from ``/`` through folders only, so written as the
    walk writes it) and its last component is not a link: ``full`` itself; else None (walk)."""
    head, tail = os.path.split(full)
    if tail in ("", ".", "..") or head not in plain:
        return None
    try:
        st = os.lstat(full)
    except OSError:
        return full  # missing: taken as written, as the walk does
    if stat.S_ISLNK(st.st_mode):
        return None
    if stat.S_ISDIR(st.st_mode):
        plain.add(full)
    return full


def read_regular(path: str, limit: int | None = None, *, prefix: bool = False) -> bytes:
    """The bytes of the regular file ``path`` (give a resolved path: :func:`resolve`, or
    :func:`read_in_tree`): the one way dockerlint reads a file of the tree or beside it.

    Opened without blocking (a FIFO put in place never waits for a writer) and without
    following a link at its last component (one swapped in since the path was resolved:
    :class:`OutsideTree`); refused unless it is a regular file (FIFOs, devices such as a
    ``/dev/zero`` link, folders: :class:`NotRegular`); never more than ``limit`` bytes read
    (default: the limit in force, ``--max-file-size``, :func:`dockerlint.util.limits.current`).
    A file over the limit, or one that grows past it while read, is :class:`TooLarge`;
    with ``prefix`` its first ``limit`` bytes are returned instead. Other failures raise
    :class:`OSError` as ``open`` does."""
    if limit is None:
        limit = limits.current().max_file_size
    try:
        fh = open(path, "rb", opener=_open_for_reading)  # closed by the with below
    except OSError as exc:
        import errno

        if exc.errno == errno.ELOOP:  # a link swapped in at the last component
            raise OutsideTree("it was replaced by a symbolic link") from None
        raise
    with fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(file_type(st.st_mode))
        if st.st_size > limit and not prefix:
            raise TooLarge(st.st_size, limit)
        data = _read_upto(fh, st.st_size, limit if prefix else limit + 1)
    if len(data) > limit:  # it grew meanwhile
        raise TooLarge(len(data), limit)
    return data


def _read_upto(fh: BinaryIO, size: int, most: int) -> bytes:
    """At most ``most`` bytes of ``fh``, a file ``fstat`` says holds ``size``: one read of what
    it holds (and one more byte, which tells a file that grew), then, if it did grow (or
    ``fstat`` tells no size, as for ``/proc`` files), the rest up to ``most``. ``read(most)``
    alone would allocate a buffer of ``most`` bytes (the 10 MiB ``--max-file-size``) for every
    file, however small: a peak of its own in a run of 10,000 files."""
    data = fh.read(min(size + 1, most))
    if len(data) <= size or len(data) >= most:
        return data
    chunks = [data]
    got = len(data)
    while got < most:
        chunk = fh.read(min(most - got, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _open_for_reading(path: str, flags: int) -> int:
    return os.open(
        path, flags | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    )


def read_in_tree(
    path: str, tree: Sequence[str], limit: int | None = None, holders: Sequence[str] = (), *, prefix: bool = False
) -> bytes:
    """:func:`resolve` then :func:`read_regular`: a file the user names or the tree holds."""
    return read_regular(resolve(path, tree, holders), limit, prefix=prefix)
