"""Inline suppression comments: reading them and matching findings against them.

Syntax (any file kind with ``#`` comments; systemd units also accept ``;``)::

    # dockerlint: ignore[DC101] the CI runner needs the socket; reviewed in SEC-123
    # dockerlint: ignore[DC101,DC102] reason ...
    # dockerlint: ignore-file[DD105] reason ...       (the whole file)

Only real comments count, as the file's own parser reads them (``ParseOutput.comments``):
YAML comment tokens (never text inside a block, quoted or plain scalar: a CI file's
``run:`` script is a YAML string), Dockerfile comment lines as BuildKit drops them (between
instructions and inside continued ones, never in a heredoc body nor after an
instruction's text), shell comments as the shell reads them (not in quotes, heredocs or
inside a word), Makefile comments as make reads them (and the shell's, in recipes), and
systemd ``#``/``;`` comment lines, ``//`` comments of a dev container's JSONC
(``// dockerlint: ignore[DC102] reason``), and a Jenkinsfile's Groovy ``//`` and ``/* */``
comments (never text in a Groovy string). The comment must start with ``dockerlint:`` (after
its ``#``, ``;``, ``//`` or ``/*``). A file that cannot be parsed keeps the comments read before the error.

A comment on a line of its own applies to what follows it: in a Dockerfile the whole
next instruction (continuation lines and heredocs included, as hadolint does), elsewhere
the next line that is not blank or a comment. A comment at the end of a line (where the
format allows one: YAML, shell lines, make lines) applies to that line. systemd has no
end-of-line comments (``#`` there is part of the value), and JSON (``daemon.json``) has no
comments at all: use ``per-file-ignores`` in the configuration for it.

hadolint's ``# hadolint ignore=DL3002,...`` (line) and ``# hadolint global ignore=...``
(file) are honoured for the DF rules whose ``peers["hadolint"]`` names those ids, so a
Dockerfile migrated from hadolint keeps its reviewed exceptions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from dockerlint.models.base import Span
from dockerlint.models.source import SourceFile
from dockerlint.parsers.output import Comment, Comments, resolve

# A comment that starts with `dockerlint:` (matched at the comment's marker); what follows
# is judged by _DIRECTIVE.
_MARK = re.compile(r"#\s*dockerlint\s*:", re.IGNORECASE)
_UNIT_MARK = re.compile(r"[#;]\s*dockerlint\s*:", re.IGNORECASE)
_JSONC_MARK = re.compile(r"//\s*dockerlint\s*:", re.IGNORECASE)
_GROOVY_MARK = re.compile(r"/[/*]\s*dockerlint\s*:", re.IGNORECASE)  # // and /* */ comments
_MARKS = {"systemd": _UNIT_MARK, "quadlet": _UNIT_MARK, "devcontainer": _JSONC_MARK, "jenkinsfile": _GROOVY_MARK}
_DIRECTIVE = re.compile(r"\s*(?P<verb>ignore-file|ignore)\s*\[(?P<ids>[^\]]*)\](?P<reason>.*)$", re.IGNORECASE)
_HADOLINT = re.compile(r"#\s*hadolint\s+(?P<global>global\s+)?ignore\s*=\s*(?P<ids>[A-Za-z0-9, \t/]+)")
_ANY = re.compile(r"(?i)dockerlint\s*:")
_ID = re.compile(r"^[A-Z]{2,5}[0-9]{3}$")
_REASON_LEAD = " \t-–—:"  # noqa: RUF001 -- the en dash is meant


@dataclass
class Directive:
    """One suppression comment, as read from a file."""

    path: str
    span: Span  # the directive text
    scope: str  # "line" or "file"
    ids: list[tuple[str, Span]] = field(default_factory=list)
    reason: str = ""
    error: str = ""
    covers: tuple[int, int] = (0, 0)
    origin: str = "dockerlint"  # or "hadolint"
    used: set[str] = field(default_factory=set)

    def names(self, rule_id: str) -> bool:
        return any(i == rule_id for i, _ in self.ids)


def _next_code_line(lines: list[str], after: int, comments: set[int]) -> int:
    for n in range(after + 1, len(lines) + 1):
        if lines[n - 1].strip() and n not in comments:
            return n
    return 0


def read_comments(src: SourceFile) -> tuple[list[Comment], dict[int, int] | None]:
    """The comments of ``src`` as its parser reads them, and (Dockerfile) the instruction
    extents; for callers without a parse of the file at hand."""
    import importlib

    from dockerlint.parsers import PARSERS
    from dockerlint.parsers.errors import ParseError

    module = PARSERS.get(src.kind)
    if module is None:
        return [], None
    try:
        out = importlib.import_module(module).parse(src)
    except ParseError as exc:
        return resolve(exc.comments), None
    except Exception:  # noqa: BLE001 -- a parser that fails gives no comments to trust
        return [], None
    return resolve(out.comments), out.extents or None


def dockerfile_extents(lines: list[str], escape: str = "\\") -> dict[int, int]:
    """First line -> last line of each instruction, by continuation characters.

    Used when the parser could not build a model (the file has a parse error); the model's
    own extents (heredocs included) are used otherwise.
    """
    out: dict[int, int] = {}
    n, total = 1, len(lines)
    while n <= total:
        s = lines[n - 1].strip()
        if not s or s.startswith("#"):
            n += 1
            continue
        start = n
        while n <= total:
            cur = lines[n - 1].rstrip()
            if cur.endswith(escape) and not cur.lstrip().startswith("#"):
                n += 1
                continue
            if cur.lstrip().startswith("#") and n != start:
                n += 1  # comments inside a continuation are dropped by BuildKit
                continue
            if not cur.strip() and n != start:
                n += 1  # an empty continuation line
                continue
            break
        out[start] = min(n, total)
        n += 1
    return out


def parse(
    src: SourceFile,
    extents: dict[int, int] | None = None,
    hadolint_map: Mapping[str, list[str]] | None = None,
    comments: Comments | None = None,
) -> list[Directive]:
    """Every suppression comment of ``src`` (``extents``: Dockerfile instruction first -> last line).

    Only real comments count (``comments``, as the file's parser read them; read here when
    not given): suppression text in a YAML string, a heredoc body, a quoted shell word or
    the middle of a Dockerfile line is not a comment, and suppresses nothing.
    """
    text = src.text
    has_own = _ANY.search(text) is not None
    has_hadolint = src.kind == "dockerfile" and "hadolint" in text and bool(hadolint_map)
    if src.kind == "daemon" or not (has_own or has_hadolint):
        return []
    if comments is None:
        found, parsed_extents = read_comments(src)
        if extents is None:
            extents = parsed_extents
    else:
        found = resolve(comments)
    if not found:
        return []
    if src.kind == "dockerfile" and extents is None:
        extents = dockerfile_extents(src.lines)
    reader = _Comments(src, found, extents or {}, has_own, hadolint_map if has_hadolint else None)
    return [d for c in found if (d := reader.directive(c)) is not None]


class _Comments:
    """Reads the directives of the comments of one file."""

    def __init__(
        self,
        src: SourceFile,
        found: list[Comment],
        extents: dict[int, int],
        has_own: bool,
        hadolint_map: Mapping[str, list[str]] | None,
    ) -> None:
        self.src = src
        self.lines = src.lines
        self.own_lines = {c.line for c in found if c.own_line}
        self.extents = extents
        self.has_own = has_own
        self.hadolint_map = hadolint_map
        self.inside: dict[int, int] = {}  # continuation line -> first line of its instruction
        for first, last in extents.items():
            for n in range(first + 1, last + 1):
                self.inside[n] = first

    def directive(self, c: Comment) -> Directive | None:
        """The directive comment ``c`` holds, or None."""
        n = c.line
        if not 0 < n <= len(self.lines):
            return None
        # The line up to the end of the comment: what follows it (after a YAML line break
        # such as U+2028) is not part of the comment.
        line = self.lines[n - 1][: c.end_col - 1]
        at = c.col - 1
        if self.hadolint_map and c.own_line:
            h = _HADOLINT.match(line, at)
            if h is not None:
                return _hadolint(self.src, n, line, at, h, self.own_lines, self.extents, self.inside, self.hadolint_map)
        if not self.has_own:
            return None
        m = _MARKS.get(self.src.kind, _MARK).match(line, at)
        if m is None:
            return None
        start = m.start() + line[m.start() :].lower().index("dockerlint")
        d = _read(self.src.path, n, line, start, m.end())
        if d.scope == "line":
            d.covers = self._covers(n, c.own_line)
        return d

    def _covers(self, n: int, own_line: bool) -> tuple[int, int]:
        """The lines a line directive on line ``n`` covers: its own, or (on a line of its own)
        the next line of code, the whole instruction in a Dockerfile."""
        if not own_line:
            return (n, n)
        target = _next_code_line(self.lines, n, self.own_lines)
        last = target
        if target and self.src.kind == "dockerfile" and target not in self.inside and self.extents:
            last = self.extents.get(target, target)
        return (target, last)


def _read(path: str, n: int, line: str, start: int, body_at: int) -> Directive:
    span = Span(path, n, start + 1, n, len(line.rstrip()) + 1)
    body = line[body_at:]
    m = _DIRECTIVE.match(body)
    if m is None:
        return Directive(
            path,
            span,
            "line",
            error=(
                "cannot read this suppression: write '# dockerlint: ignore[ID,...] reason' "
                "or '# dockerlint: ignore-file[ID,...] reason'"
            ),
        )
    scope = "file" if m.group("verb").lower() == "ignore-file" else "line"
    ids: list[tuple[str, Span]] = []
    ids_at = body_at + m.start("ids")
    raw = m.group("ids")
    pos = 0
    for part in raw.split(","):
        word = part.strip()
        if word:
            col = ids_at + pos + part.index(word)
            ids.append((word.upper(), Span(path, n, col + 1, n, col + 1 + len(word))))
        pos += len(part) + 1
    reason = m.group("reason").strip().lstrip(_REASON_LEAD).strip()
    if line[:start].rstrip().endswith("/*"):  # a Groovy block comment: its end is no part of the reason
        reason = reason.removesuffix("*/").rstrip()
    d = Directive(path, span, scope, ids=ids, reason=reason)
    if not ids:
        d.error = "this suppression names no rule: write the ids inside the brackets, e.g. ignore[DC101]"
    return d


def _hadolint(
    src: SourceFile,
    n: int,
    line: str,
    at: int,
    h: re.Match[str],
    comments: set[int],
    extents: dict[int, int],
    inside: dict[int, int],
    hadolint_map: Mapping[str, list[str]],
) -> Directive:
    span = Span(src.path, n, at + 1, n, len(line.rstrip()) + 1)
    ids: list[tuple[str, Span]] = []
    for word in re.split(r"[,\s]+", h.group("ids")):
        for rule_id in hadolint_map.get(word.strip().upper(), ()):
            ids.append((rule_id, span))
    scope = "file" if h.group("global") else "line"
    d = Directive(src.path, span, scope, ids=ids, reason="hadolint ignore comment", origin="hadolint")
    if scope == "line":
        target = _next_code_line(src.lines, n, comments)
        d.covers = (target, extents.get(target, target) if target not in inside else target)
    return d


def hadolint_ids(peers: dict[str, str]) -> list[str]:
    """hadolint ids a rule maps to: ``"DL3006/DL3007"`` or ``"DL3002, DL3003"``."""
    value = peers.get("hadolint", "")
    return [w.upper() for w in re.split(r"[\s,/;]+", value) if re.fullmatch(r"(?i)(DL|SC)\d{4}", w or "")]


class Index:
    """The suppressions of one file, for matching findings by rule id and start line."""

    def __init__(self, directives: Iterable[Directive]) -> None:
        self.file: list[Directive] = []
        self.by_line: dict[int, list[Directive]] = {}
        for d in directives:
            if d.error:
                continue
            if d.scope == "file":
                self.file.append(d)
            elif d.covers[0]:
                for n in range(d.covers[0], d.covers[1] + 1):
                    self.by_line.setdefault(n, []).append(d)

    def match(self, rule_id: str, line: int) -> list[Directive]:
        """Every directive that names ``rule_id`` and covers ``line`` (line ones first)."""
        found = [d for d in self.by_line.get(line, ()) if d.names(rule_id)]
        found += [d for d in self.file if d.names(rule_id)]
        return found


def valid_id(word: str) -> bool:
    return bool(_ID.match(word))
