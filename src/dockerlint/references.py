"""Dockerfiles the scan refers to, whatever their names.

A Compose service's ``build:`` (``context`` + ``dockerfile``) and a ``docker build -f FILE``
line (also ``docker buildx build``, ``docker image build``, podman, nerdctl; ``--file=``) name
the Dockerfile Docker runs. The walk finds Dockerfiles by name (``Dockerfile``, ``*.Dockerfile``,
``Containerfile``...), so one called ``build/app.docker`` or ``ci/Buildfile`` would never be
linted: :func:`follow` turns such references into candidates of the run.

A reference is followed only when it leads to a regular file in the tree (the linted folders,
:func:`dockerlint.util.containment.tree_dirs`): a path outside it (``../../x``, ``/etc/...``) is not
followed, and is rejected on its text alone, before any look at the file system; a path in the
tree that is, or passes, a symbolic link leading out is rejected by
:func:`dockerlint.util.containment.inside`, the one check every read beside the linted files uses.
A file already in the run (found by name, named on the command line, referenced twice, or
reached through another path to the same file) is not added again: each file is linted once.
A reference to a file that does not exist is not this module's business (DC124 reports
missing referenced files); nothing is said about it here.

This module is imported only when the scan has such references: a run without Compose builds
or ``docker build`` lines never pays for it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from dockerlint.discovery import Candidate, _display
from dockerlint.util import containment
from dockerlint.util.paths import path_key


@dataclass
class Known:
    """The files of the run, to add none twice: by path key, and by real path (computed for
    every candidate only when a reference is not known by its key). ``aliases`` maps the key
    of another path to a file of the run (through a symbolic link) to the key it is linted
    under, so that a build naming it that way is linked to it."""

    candidates: Sequence[Candidate]
    keys: set[str] = field(default_factory=set)
    aliases: dict[str, str] = field(default_factory=dict)
    _reals: dict[str, str] | None = None

    def __post_init__(self) -> None:
        self.keys = {_key_of(c) for c in self.candidates}

    @property
    def reals(self) -> dict[str, str]:
        """Real path -> key of the file of the run."""
        if self._reals is None:
            self._reals = {c.real or os.path.realpath(c.abspath): _key_of(c) for c in self.candidates}
        return self._reals

    def add(self, key: str, real: str) -> None:
        self.keys.add(key)
        self.reals[real] = key

    def alias(self, key: str, real: str) -> None:
        self.keys.add(key)
        self.aliases[key] = self.reals[real]


def _key_of(c: Candidate) -> str:
    """``path_key(c.path)``, as the object ``c.abspath`` when they are equal (one string per
    file of a big tree, not two)."""
    key = path_key(c.path)
    return c.abspath if key == c.abspath else key


def follow(
    paths: Iterable[str], known: Known, roots: Sequence[str], cwd: str, excluded: Callable[[str], bool] | None = None
) -> list[Candidate]:
    """The Dockerfiles ``paths`` (display paths, as a Compose ``build:`` or a build line gives
    them) name that are regular files in the tree made of ``roots`` (absolute folders; the
    working directory when empty) and not in ``known``, as candidates of kind ``dockerfile``,
    in path order. A file several paths reach is linted under the one without a symbolic link
    (else the first); the others become ``known.aliases``. ``excluded``: the user's
    ``--exclude`` and configuration ``exclude`` globs (an excluded file stays excluded,
    referenced or not)."""
    tree = containment.tree_dirs(roots or [cwd])
    if not tree:
        return []
    # The lexical test first: a path written outside the tree is not looked at at all.
    written = tuple(dict.fromkeys([*(os.path.normpath(os.path.abspath(r)) for r in roots or [cwd]), *tree]))
    groups: dict[str, list[tuple[bool, str, str]]] = {}  # real path -> (through a link, key, abspath)
    for key, abspath in sorted({path_key(p): os.path.normpath(os.path.abspath(p)) for p in paths}.items()):
        if key in known.keys:
            continue
        if not containment.is_below(abspath, written) or not containment.inside(abspath, tree):
            continue
        try:
            st = os.stat(abspath)
        except OSError:
            continue  # missing (or unreadable): not a file this run can lint
        if not stat.S_ISREG(st.st_mode):
            continue  # a folder, a FIFO, a device: Docker cannot build from it either
        real = os.path.realpath(abspath)
        if real in known.reals:
            known.alias(key, real)
            continue
        groups.setdefault(real, []).append((abspath != real, key, abspath))
    out: list[Candidate] = []
    for real, group in groups.items():
        _, key, abspath = min(group)
        known.add(key, real)
        for _, other, _ in group:
            if other != key:
                known.alias(other, real)
        if excluded is not None and excluded(abspath):
            continue
        out.append(Candidate(_display(abspath, cwd), abspath, "dockerfile"))
    out.sort(key=lambda c: path_key(c.path))
    return out
