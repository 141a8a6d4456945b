"""Git's ignore rules (gitignore(5)), read as git reads them, without running git.

DC117 asks one question of a ``.env`` file that holds a credential: does the repository's
own configuration keep it out of version control? A ``.env`` that git ignores is a local
file of the developer's, not a committed one. git is never run (a lint must not execute
anything, and git may be absent or configured by the repository itself); its rules are
applied here instead, with git's own semantics (``dir.c`` and ``wildmatch.c``), checked by a
differential test against ``git check-ignore --no-index``:

- the sources: every ``.gitignore`` from the repository root (the closest folder at or
  above the file holding ``.git``, as the configuration search finds it; the linted folder
  that holds the file when there is none) down to the file's folder, then
  ``.git/info/exclude``. A deeper ``.gitignore`` takes precedence over a shallower one, and
  all of them over ``info/exclude``; within one file the last matching pattern wins.
  ``core.excludesFile`` (a file of the user's, outside the tree) is not read;
- blank lines match nothing; ``#`` starts a comment, ``\\#`` is a literal ``#``; trailing
  spaces are dropped unless escaped with ``\\``; a leading ``!`` negates (``\\!`` is a literal
  ``!``); a trailing ``/`` matches folders only;
- a pattern with a ``/`` at its start or in its middle is anchored at its ``.gitignore``'s
  folder, any other matches the name at any depth below it;
- ``*`` and ``?`` never match ``/``; ``[a-z]``, ``[!x]``, ``[^x]``, ``[[:alpha:]]`` and
  ``\\`` escapes as in wildmatch; ``**/`` at the start matches in every folder, ``/**`` at
  the end everything inside, ``/**/`` zero or more folders, any other ``**`` is a ``*``;
- a file whose parent folder is excluded cannot be re-included (git does not look inside
  an excluded folder);
- matching is case-sensitive unless the repository's ``.git/config`` sets
  ``core.ignoreCase`` (as git does on case-insensitive file systems); bytes are compared,
  as git compares them.

Reads, all bounded: each ``.gitignore``, ``.git/info/exclude`` and ``.git/config`` is read
only when it is a regular file (a symbolic link is not followed: git itself does not follow
a ``.gitignore`` link), through :func:`dockerlint.util.containment.read_regular`, at most
:data:`MAX_FILE` bytes (a larger one is not applied). Folders above the linted one are read
only up to the repository root, as the configuration search goes. A hostile pattern cannot
cost more than :data:`BUDGET` steps per question: past that the file is taken as not ignored
(the finding is reported).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from dockerlint.util import containment

MAX_FILE = 1024 * 1024
BUDGET = 2_000_000  # matching steps per question (a real .gitignore takes a few thousand)

_SLASH, _BACKSLASH, _STAR, _QMARK, _LBRACKET, _RBRACKET = 47, 92, 42, 63, 91, 93
_LIT, _ANY, _STARS, _CLASS = 0, 1, 2, 3  # tokens of one path component
_GLOB, _ONE, _MANY = 0, 1, 2  # items of a path: a component, exactly one, zero or more


class _Dead(Exception):
    """A pattern wildmatch aborts on whenever it gets there (an unclosed ``[``, an unknown
    ``[:class:]``, a trailing ``\\``): it matches nothing."""


class OverBudget(Exception):
    """Matching took more than :data:`BUDGET` steps."""


class _Counter:
    def __init__(self, budget: int) -> None:
        self.left = budget

    def spend(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise OverBudget


def _lower(c: int) -> int:
    return c + 32 if 65 <= c <= 90 else c


_CTYPE: dict[bytes, Callable[[int], bool]] = {
    b"alnum": lambda c: 48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122,
    b"alpha": lambda c: 65 <= c <= 90 or 97 <= c <= 122,
    b"blank": lambda c: c in (9, 32),
    b"cntrl": lambda c: c < 32 or c == 127,
    b"digit": lambda c: 48 <= c <= 57,
    b"graph": lambda c: 33 <= c <= 126,
    b"lower": lambda c: 97 <= c <= 122,
    b"print": lambda c: 32 <= c <= 126,
    b"punct": lambda c: 33 <= c <= 47 or 58 <= c <= 64 or 91 <= c <= 96 or 123 <= c <= 126,
    b"space": lambda c: c in (9, 10, 13, 32),
    b"upper": lambda c: 65 <= c <= 90,
    b"xdigit": lambda c: 48 <= c <= 57 or 65 <= c <= 70 or 97 <= c <= 102,
}


def _range(p: bytes, i: int, low: int, t: int, fold: bool) -> tuple[bool, int]:
    """A range ``low-x`` in a bracket expression (``p[i]`` is the ``-``, ``x`` may be escaped):
    whether ``t`` is in it (with ``fold``, a lower-case ``t`` also as its capital), and the
    index of ``x``. Raises :class:`_Dead` where wildmatch aborts."""
    n = len(p)
    i += 1
    high = p[i] if i < n else 0
    if high == _BACKSLASH:
        i += 1
        high = p[i] if i < n else 0
        if not high:
            raise _Dead
    return low <= t <= high or (fold and 97 <= t <= 122 and low <= t - 32 <= high), i


def _char_class(p: bytes, i: int, t: int, fold: bool) -> tuple[bool, int] | None:
    """A character class ``[:name:]`` in a bracket expression (``p[i:i + 2]`` is ``[:``):
    whether ``t`` is in it (with ``fold``, ``[:upper:]`` takes lower-case letters too) and the
    index of its last ``]``; None when no ``:]`` closes it (the ``[`` is a literal). Raises
    :class:`_Dead` where wildmatch aborts (no ``]`` at all, an unknown class name)."""
    n = len(p)
    s = k = i + 2
    while k < n and p[k] and p[k] != _RBRACKET:
        k += 1
    if k >= n or not p[k]:
        raise _Dead
    length = k - s - 1
    if length < 0 or p[k - 1] != 58:  # no ':]': a literal '['
        return None
    name = p[s : s + length]
    test = _CTYPE.get(name)
    if test is None:
        raise _Dead
    return test(t) or (fold and name == b"upper" and 97 <= t <= 122), k


def _bracket(p: bytes, i: int, t: int, fold: bool) -> tuple[bool, int]:
    """wildmatch's ``[...]`` (``p[i - 1]`` is the ``[``) against the byte ``t`` (already
    lower-cased when ``fold``): whether it matches, and where the pattern goes on. A line by
    line port of wildmatch.c, quirks included (with ``fold``, a literal capital in a class
    matches nothing, as in git). Raises :class:`_Dead` where wildmatch aborts."""
    n = len(p)

    def at(k: int) -> int:
        return p[k] if k < n else 0

    p_ch = at(i)
    if p_ch == 94:  # '^'
        p_ch = 33  # '!'
    negated = p_ch == 33
    if negated:
        i += 1
        p_ch = at(i)
    prev_ch = 0
    matched = False
    while True:
        if not p_ch:
            raise _Dead
        if p_ch == _BACKSLASH:
            i += 1
            p_ch = at(i)
            if not p_ch:
                raise _Dead
            if t == p_ch:
                matched = True
        elif p_ch == 45 and prev_ch and at(i + 1) and at(i + 1) != _RBRACKET:  # a range
            hit, i = _range(p, i, prev_ch, t, fold)
            if hit:
                matched = True
            p_ch = 0
        elif p_ch == _LBRACKET and at(i + 1) == 58 and (found := _char_class(p, i, t, fold)) is not None:
            hit, i = found
            if hit:
                matched = True
            p_ch = 0
        elif t == p_ch:
            matched = True
        prev_ch = p_ch
        i += 1
        p_ch = at(i)
        if p_ch == _RBRACKET:
            break
    return matched != negated, i + 1


@dataclass(frozen=True)
class _Token:
    kind: int
    byte: int = 0  # _LIT
    at: int = 0  # _CLASS: index after the '[' in the pattern


def _component(p: bytes, start: int, end: int) -> tuple[_Token, ...]:
    """The tokens of ``p[start:end]``, one path component (no unescaped ``/`` outside a class)."""
    out: list[_Token] = []
    i = start
    while i < end:
        c = p[i]
        if c == _BACKSLASH:
            if i + 1 >= end:
                raise _Dead
            out.append(_Token(_LIT, p[i + 1]))
            i += 2
        elif c == _QMARK:
            out.append(_Token(_ANY))
            i += 1
        elif c == _STAR:
            while i < end and p[i] == _STAR:
                i += 1
            if not out or out[-1].kind != _STARS:
                out.append(_Token(_STARS))
        elif c == _LBRACKET:
            _, after = _bracket(p, i + 1, 0, False)  # validity and extent do not depend on the byte
            out.append(_Token(_CLASS, at=i + 1))
            i = after
        else:
            out.append(_Token(_LIT, c))
            i += 1
    return tuple(out)


def _split(p: bytes) -> list[tuple[int, int]]:
    """``(start, end)`` of each component of ``p``: split at ``/`` and ``\\/``, never inside
    ``[...]`` (a class never matches ``/``)."""
    parts: list[tuple[int, int]] = []
    i = start = 0
    n = len(p)
    while i < n:
        c = p[i]
        if c == _BACKSLASH and i + 1 < n and p[i + 1] == _SLASH:
            parts.append((start, i))
            i += 2
            start = i
        elif c == _BACKSLASH:
            i += 2
        elif c == _SLASH:
            parts.append((start, i))
            i += 1
            start = i
        elif c == _LBRACKET:
            _, i = _bracket(p, i + 1, 0, False)
        else:
            i += 1
    parts.append((start, n))
    return parts


@dataclass
class Pattern:
    """One line of an ignore file, compiled."""

    source: str  # where it is written (for tests and debugging; never shown with a finding)
    line: int
    text: str
    negative: bool
    dir_only: bool
    basename: bool  # no '/' but a trailing one: matched against the last component at any depth
    raw: bytes = b""
    dead: bool = False
    glob: tuple[_Token, ...] = ()  # basename patterns
    items: tuple[tuple[int, tuple[_Token, ...]], ...] = ()  # anchored patterns
    _classes: dict[tuple[int, int], bool] = field(default_factory=dict)

    def matches(self, comps: Sequence[bytes], is_dir: bool, fold: bool, counter: _Counter) -> bool:
        """Whether the path ``comps`` (relative to the pattern's folder) matches."""
        if self.dead or (self.dir_only and not is_dir):
            return False
        if self.basename:
            return self._glob(self.glob, comps[-1], fold, counter)
        return self._path(comps, fold, counter)

    def _path(self, comps: Sequence[bytes], fold: bool, counter: _Counter) -> bool:
        items = self.items
        end = len(items)

        def close(states: set[int]) -> set[int]:
            todo = list(states)
            while todo:
                s = todo.pop()
                if s < end and items[s][0] == _MANY and s + 1 not in states:
                    states.add(s + 1)
                    todo.append(s + 1)
            return states

        states = close({0})
        for comp in comps:
            nxt: set[int] = set()
            for s in states:
                if s == end:
                    continue
                kind, tokens = items[s]
                if kind == _MANY:
                    nxt.add(s)
                elif kind == _ONE or self._glob(tokens, comp, fold, counter):
                    nxt.add(s + 1)
            counter.spend(len(states) + 1)
            if not nxt:
                return False
            states = close(nxt)
        return end in states

    def _glob(self, tokens: tuple[_Token, ...], text: bytes, fold: bool, counter: _Counter) -> bool:
        """One component against ``tokens`` (a Thompson simulation: linear in ``text`` for any
        pattern, no backtracking)."""
        end = len(tokens)
        if all(t.kind == _LIT for t in tokens):
            counter.spend(len(text) + 1)
            if len(text) != end:
                return False
            if fold:
                return all(_lower(a) == _lower(b.byte) for a, b in zip(text, tokens, strict=True))
            return all(a == b.byte for a, b in zip(text, tokens, strict=True))

        def close(states: set[int]) -> set[int]:
            for s in sorted(states):
                k = s
                while k < end and tokens[k].kind == _STARS:
                    k += 1
                    states.add(k)
            return states

        states = close({0})
        for raw_t in text:
            t = _lower(raw_t) if fold else raw_t
            nxt: set[int] = set()
            for s in states:
                if s == end:
                    continue
                tok = tokens[s]
                if tok.kind == _STARS:
                    nxt.add(s)
                elif tok.kind == _ANY:
                    nxt.add(s + 1)
                elif tok.kind == _LIT:
                    if (_lower(tok.byte) if fold else tok.byte) == t:
                        nxt.add(s + 1)
                elif self._class(tok.at, t, fold):
                    nxt.add(s + 1)
            counter.spend(len(states) + 1)
            if not nxt:
                return False
            states = close(nxt)
        return end in states

    def _class(self, at: int, t: int, fold: bool) -> bool:
        key = (at, t)
        got = self._classes.get(key)
        if got is None:
            got = self._classes[key] = _bracket(self.raw, at, t, fold)[0]
        return got


def _trim_trailing_spaces(line: bytes) -> bytes:
    """git's trim_trailing_spaces: drop the trailing spaces (not tabs) no ``\\`` escapes."""
    last_space = -1
    i = 0
    n = len(line)
    while i < n:
        c = line[i]
        if c == 32:
            if last_space < 0:
                last_space = i
        elif c == _BACKSLASH:
            i += 1
            if i >= n:
                return line
            last_space = -1
        else:
            last_space = -1
        i += 1
    return line[:last_space] if last_space >= 0 else line


def compile_line(line: bytes, source: str = "", number: int = 0) -> Pattern | None:
    """The pattern of one line of an ignore file (None: blank or a comment)."""
    if not line or line.startswith(b"#"):
        return None
    text = _trim_trailing_spaces(line)
    shown = text.decode("utf-8", "replace")
    negative = text.startswith(b"!")
    if negative:
        text = text[1:]
    dir_only = text.endswith(b"/")
    if dir_only:
        text = text[:-1]
    basename = _SLASH not in text
    pat = Pattern(source, number, shown, negative, dir_only, basename)
    if not basename and text.startswith(b"/"):
        text = text[1:]
    pat.raw = text
    try:
        if basename:
            pat.glob = _component(text, 0, len(text))
        else:
            pat.items = _items(text)
    except _Dead:
        pat.dead = True
    return pat


def _items(p: bytes) -> tuple[tuple[int, tuple[_Token, ...]], ...]:
    parts = _split(p)
    out: list[tuple[int, tuple[_Token, ...]]] = []
    for n, (start, end) in enumerate(parts):
        seg = p[start:end]
        if len(seg) >= 2 and seg.strip(b"*") == b"":  # a '**' between separators (or the ends)
            last = n == len(parts) - 1
            # '**/' (unescaped slash) may match no folder at all; '**' at the end, or before an
            # escaped '\/', matches one component or more (wildmatch's zero-folder shortcut
            # is only taken before a plain '/').
            escaped_next = not last and p[end : end + 2] == b"\\/"
            if last or escaped_next:
                out.append((_ONE, ()))
            out.append((_MANY, ()))
            continue
        out.append((_GLOB, _component(p, start, end)))
    return tuple(out)


def parse(data: bytes, source: str = "") -> list[Pattern]:
    """The patterns of an ignore file, in order (as git reads it: a UTF-8 byte-order mark
    skipped, LF or CRLF line ends)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    out: list[Pattern] = []
    for number, raw in enumerate(data.split(b"\n"), 1):
        line = raw[:-1] if raw.endswith(b"\r") else raw
        pat = compile_line(line, source, number)
        if pat is not None:
            out.append(pat)
    return out


class Rules:
    """The ignore rules of one repository: per-folder pattern lists and ``info/exclude``."""

    def __init__(self, fold: bool = False) -> None:
        self.fold = fold
        self.lists: list[tuple[tuple[bytes, ...], list[Pattern]]] = []  # (folder, patterns), shallow first
        self.exclude: list[Pattern] = []

    def add(self, folder: Sequence[bytes], patterns: list[Pattern]) -> None:
        self.lists.append((tuple(folder), patterns))
        self.lists.sort(key=lambda item: len(item[0]))

    def _last(self, comps: tuple[bytes, ...], is_dir: bool, counter: _Counter) -> Pattern | None:
        """The pattern that decides for ``comps`` (negative or not), by git's precedence."""
        for folder, patterns in reversed(self.lists):
            depth = len(folder)
            if depth >= len(comps) or comps[:depth] != folder:
                continue
            rel = comps[depth:]
            for pat in reversed(patterns):
                if pat.matches(rel, is_dir, self.fold, counter):
                    return pat
        for pat in reversed(self.exclude):
            if pat.matches(comps, is_dir, self.fold, counter):
                return pat
        return None

    def ignored(self, relpath: Sequence[bytes], is_dir: bool = False, budget: int = BUDGET) -> Pattern | None:
        """The pattern that excludes ``relpath`` (components relative to the repository root),
        or one that excludes a folder holding it; None when it is not ignored. Raises
        :class:`OverBudget` when a hostile pattern would take too long."""
        comps = tuple(relpath)
        counter = _Counter(budget)
        for k in range(1, len(comps)):
            got = self._last(comps[:k], True, counter)
            if got is not None and not got.negative:
                return got  # a folder excluded: nothing below it can be re-included
        got = self._last(comps, is_dir, counter)
        return got if got is not None and not got.negative else None


class Globs:
    """Patterns a user gives dockerlint (``--exclude``, a configuration's ``exclude`` and
    ``per-file-ignores`` keys), matched as the lines of one ``.gitignore`` in the folder they
    are relative to: the semantics above, in order, the last matching pattern deciding
    (``!`` re-includes), and nothing below an excluded folder re-included. Case-sensitive.
    A path that leaves the folder (``../``) matches nothing, and so does a question a hostile
    pattern would make too long (the file is linted: nothing is hidden)."""

    def __init__(self, patterns: Sequence[str], source: str = "") -> None:
        compiled = (compile_line(os.fsencode(text), source, n) for n, text in enumerate(patterns, 1))
        self.patterns = [p for p in compiled if p is not None]
        self._rules = Rules()
        self._rules.add((), self.patterns)

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def matches(self, relpath: str, is_dir: bool = False) -> bool:
        """Whether ``relpath`` (``/``-separated, relative to the patterns' folder) is matched,
        itself or through a folder holding it."""
        parts = [c for c in relpath.split("/") if c not in ("", ".")]
        if not parts or ".." in parts or not self.patterns:
            return False
        try:
            return self._rules.ignored([os.fsencode(c) for c in parts], is_dir) is not None
        except OverBudget:
            return False


# -- the repository's files --------------------------------------------------------------


def _read(path: str) -> bytes | None:
    """A regular file (never through a link), at most MAX_FILE bytes; None otherwise."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        return containment.read_regular(path, MAX_FILE)
    except (OSError, containment.Refused):
        return None


def _is_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def ignore_case(config: bytes) -> bool:
    """``core.ignoreCase`` of a git configuration file (its own text: no includes)."""
    section = b""
    value = False
    for raw in config.split(b"\n"):
        line = raw.strip()
        if line.startswith(b"["):
            end = line.find(b"]")
            if end < 0:
                continue
            section = line[1:end].strip().lower()
            line = line[end + 1 :].strip()
        if not line or line[:1] in (b"#", b";") or section != b"core":
            continue
        key, eq, val = line.partition(b"=")
        if key.strip().lower() != b"ignorecase":
            continue
        for mark in (b"#", b";"):
            val = val.split(mark, 1)[0]
        word = val.strip().strip(b'"').strip().lower()
        value = not eq or word in (b"true", b"yes", b"on", b"1")
    return value


@dataclass(frozen=True)
class Verdict:
    """Whether a file is ignored, and by what."""

    ignored: bool
    source: str = ""  # the ignore file (display) and line that decided
    pattern: str = ""
    over_budget: bool = False


def repository_rules(top: str, comps: Sequence[bytes]) -> Rules:
    """The rules that apply to the path ``comps`` below the folder ``top`` (the repository
    root): its ``.git/info/exclude`` and the ``.gitignore`` of ``top`` and of each folder on
    the way (the last component is the file; its own folder's ``.gitignore`` applies)."""
    fold = False
    git_dir = os.path.join(top, ".git")
    exclude: bytes | None = None
    if _is_dir(git_dir):
        config = _read(os.path.join(git_dir, "config"))
        fold = ignore_case(config) if config is not None else False
        if _is_dir(os.path.join(git_dir, "info")):
            exclude = _read(os.path.join(git_dir, "info", "exclude"))
    rules = Rules(fold)
    if exclude is not None:
        rules.exclude = parse(exclude, ".git/info/exclude")
    current = top
    for depth in range(len(comps)):
        if depth:
            current = os.path.join(current, os.fsdecode(comps[depth - 1]))
        data = _read(os.path.join(current, ".gitignore"))
        if data is not None:
            where = "/".join(os.fsdecode(c) for c in comps[:depth])
            rules.add(comps[:depth], parse(data, f"{where}/.gitignore" if where else ".gitignore"))
    return rules


def check(abspath: str, roots: Sequence[str]) -> Verdict:
    """Whether the repository's ignore rules exclude the file ``abspath``.

    ``roots``: the linted folders (the tree; the working directory when empty). The rules
    are read from the repository root (or, outside a repository, from the linted folder
    holding the file) down to the file's folder; see the module docstring."""
    real = os.path.realpath(abspath)
    folder = os.path.dirname(real)
    tree = containment.tree_dirs(roots or [os.getcwd()])
    holding = [d for d in tree if containment.is_below(folder, [d])]
    if not holding:
        return Verdict(False)
    top = containment.repository_root(folder) or max(holding, key=len)
    rel = os.path.relpath(real, top)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return Verdict(False)
    comps = [os.fsencode(c) for c in rel.split(os.sep)]
    try:
        got = repository_rules(top, comps).ignored(comps)
    except OverBudget:
        return Verdict(False, over_budget=True)
    if got is None:
        return Verdict(False)
    return Verdict(True, f"{got.source}:{got.line}", got.text)
