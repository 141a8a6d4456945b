"""Compose files: each service becomes a :class:`Container`, normalized from every syntax.

Short and long volume and port syntax, list and mapping ``environment``, string and list
``command`` all end up as the same model values, each with the span of the text that
sets it (the list item, the key, the value). ``LStr.value`` keeps the text as written and
``LStr.expanded`` the text interpolated (``${SOCK:-/var/run/docker.sock}`` ->
``/var/run/docker.sock``, ``$$`` -> ``$``) with the project's ``.env`` variables when the
project assembler (:mod:`~dockerlint.parsers.compose_project`) rebuilds the models, with
none when a file is parsed alone; the shell environment is never read. A variable nothing
resolves stays as written.

:func:`parse` reads one file; it also hands the file's YAML tree to the project assembler
(``ParseOutput.compose_parts``), which merges override files, resolves ``extends`` and
``include`` and replaces the file's models when it is part of a larger project.

Booleans follow Compose (compose-go): YAML booleans, and the strings ``true``/``false``
(also ``yes``/``on``/``y`` and ``no``/``off``/``n``, which Compose still casts) are
accepted for ``privileged``, ``read_only`` and the like.

A file Compose would refuse is reported under DC000: fatally (:class:`ParseError`) when
nothing sensible can be read (invalid YAML, a top level or ``services`` that is not a
mapping), otherwise as a problem next to the findings (an unknown key, with "did you
mean", a value of the wrong shape).
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from dockerlint.knowledge.composespec import SERVICE_KEYS, TOP_LEVEL_KEYS
from dockerlint.models.base import LBool, LStr, Span
from dockerlint.models.container import (
    BuildRef,
    ClientEnv,
    Container,
    EnvVar,
    InlineDockerfile,
    Mount,
    PortBinding,
)
from dockerlint.models.source import SourceFile
from dockerlint.parsers import yaml_nodes
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.expansion import InvalidTemplate, Missing, interpolate
from dockerlint.parsers.output import ParseOutput, Problem
from dockerlint.parsers.yaml_nodes import YEntry, YMap, YNode, YPair, YScalar, YSeq
from dockerlint.util import shellwords
from dockerlint.util.sharing import SharedTexts

T = TypeVar("T")

RULE_ID = "DC000"

# Environment variables a Docker client (the CLI, SDKs, dind's entrypoint) reads. A
# service that sets one of these gets a ClientEnv model as well.
CLIENT_ENV_TRIGGERS = ("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_TLS_CERTDIR", "DOCKER_CERT_PATH", "DOCKER_TLS")

SERVICE_NAME = re.compile(r"^[a-zA-Z0-9._-]+$")
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Text that may hold a variable no default resolves (``$X``, ``${X}``, ``${X:?e}``): the
# document is walked for them only then (``${X:-d}`` alone needs no walk).
_MAYBE_UNRESOLVED = re.compile(r"\$(?:[A-Za-z_]|\{[A-Za-z_][A-Za-z0-9_]*(?:\}|:?\?))")
_TRUE = frozenset({"y", "yes", "true", "on"})
_FALSE = frozenset({"n", "no", "false", "off"})
_PROPAGATION = frozenset({"shared", "rshared", "slave", "rslave", "private", "rprivate"})
DOCKER_API_SOCKET = "/var/run/docker.sock"
# Build contexts BuildKit fetches: URLs (git, tarballs), git@host:repo.
_REMOTE_CONTEXT = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://|git@|github\.com/)")


# -- interpolation -------------------------------------------------------------------


def expand_defaults(text: str) -> str:
    """``text`` with Compose interpolation defaults applied and ``$$`` unescaped.

    ``${VAR:-d}`` and ``${VAR-d}`` become ``d`` (itself expanded); ``${VAR}``, ``$VAR``,
    ``${VAR:?err}`` and ``${VAR:+alt}`` are kept as written. Raises :class:`InvalidTemplate`
    for what Compose calls an invalid template (``${}``, ``${1X}``, an unclosed ``${``).
    """
    return interpolate(text)


# Texts of a Compose model up to this length are shared (L4): a port, a protocol, a mount
# option, an image name, an environment variable's name, written in many services and files,
# is then one string in memory, not one per place it is written (see util.sharing: the
# table is bounded, under 2 MiB).
INTERNED_MAX = 128
SHARED_TEXTS = 8192
TEXTS = SharedTexts(SHARED_TEXTS, INTERNED_MAX)
_shared = TEXTS.share


def located(value: str, span: Span, expanded: str | None = None) -> LStr:
    """The LStr of a Compose value, its texts shared when short (:data:`INTERNED_MAX`)."""
    return LStr(_shared(value), span, None if expanded is None else _shared(expanded))


def variables(root: YNode, env: Mapping[str, str] | None = None) -> list[tuple[Missing, YScalar]]:
    """Every variable Compose would leave unresolved in the document ``root`` (values only:
    Compose does not interpolate keys), with the scalar it is written in, in document order.
    Values marked ``!reset`` are skipped; invalid templates are left to the parser (DC000)."""
    out: list[tuple[Missing, YScalar]] = []
    seen: set[int] = set()
    stack: list[YNode] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen or node.tag == "!reset":
            continue
        seen.add(id(node))
        if isinstance(node, YScalar):
            if "$" in node.value:
                found: list[Missing] = []
                try:
                    interpolate(node.value, env, found, origin=node.path or None)
                except InvalidTemplate:
                    continue
                out.extend((m, node) for m in found)
        elif isinstance(node, YMap):
            stack.extend(e.value for e in reversed(node.entries))
        elif isinstance(node, YSeq):
            stack.extend(reversed(node.items))
        elif isinstance(node, YPair):
            stack.append(node.entry.value)
    return out


def first_places(found: list[tuple[Missing, YScalar]]) -> list[tuple[Missing, Span]]:
    """The first of ``found`` for each variable name, with the span of the scalar it is written
    in: what a project reports (DC123, once per name), without holding on to the scalars."""
    seen: set[str] = set()
    out: list[tuple[Missing, Span]] = []
    for m, node in found:
        if m.name not in seen:
            seen.add(m.name)
            out.append((m, node.span()))
    return out


def split_outside(text: str, sep: str = ":", brackets: bool = True) -> list[str]:
    """Split on ``sep`` outside ``${...}`` (and ``[...]``, IPv6 addresses, when ``brackets``)."""
    parts: list[str] = []
    depth = 0
    bracket = False
    start = 0
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "$" and i + 1 < n and text[i + 1] == "{":
            depth += 1
            i += 2
            continue
        if c == "}" and depth:
            depth -= 1
        elif c == "[" and not depth and brackets:
            bracket = True
        elif c == "]" and not depth:
            bracket = False
        elif c == sep and not depth and not bracket:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return parts


def _volume_fields(iv: Interpolated) -> list[tuple[int, int]]:
    """:func:`volume_fields` over interpolated text, as ranges of ``iv.expanded``."""
    fields: list[tuple[int, int]] = []
    parts = iv.split(":")
    cur = parts[0]
    for part in parts[1:]:
        if cur[1] - cur[0] == 1 and iv.expanded[cur[0]].isalpha():
            cur = (cur[0], part[1])
        else:
            fields.append(cur)
            cur = part
    fields.append(cur)
    return fields


def volume_fields(text: str) -> list[str]:
    """The colon-separated fields of a short-syntax volume (``src:dst:opts``), a one-letter
    field followed by ``:`` kept as a Windows drive (``C:\\data``) like compose-go does."""
    parts = split_outside(text, brackets=False)
    fields: list[str] = []
    cur = parts[0]
    for part in parts[1:]:
        if len(cur) == 1 and cur.isalpha():
            cur = f"{cur}:{part}"
        else:
            fields.append(cur)
            cur = part
    fields.append(cur)
    return fields


# -- interpolating short syntax before parsing it --------------------------------------
#
# Compose interpolates every value of the file first and parses short syntax
# (``HOST:CONTAINER`` ports, ``SRC:DST:MODE`` volumes, string commands) afterwards, so
# ``"${SQL_PORT:-127.0.0.1:13306}:3306"`` is a port bound to 127.0.0.1 and
# ``"${SOCK:-/var/run/docker.sock}:/var/run/docker.sock"`` a socket mount. The parser does
# the same, and keeps a map from the interpolated text back to the written text, so each
# part of the value still shows the text that wrote it.


def expand_value(
    text: str, env: Mapping[str, str] | None, missing: list[Missing] | None = None, origin: str | None = None
) -> str:
    """The one place this module interpolates a value (the project's variables ``env``);
    bounded (:mod:`dockerlint.parsers.expansion`): past a limit the value is kept as written,
    unknown, and the limit is recorded for file ``origin``."""
    return interpolate(text, env, missing, origin)


def _close(s: str, i: int) -> int:
    """The end of the ``${...}`` whose body starts at ``i`` (past its ``}``; ``len(s)`` when
    it is never closed), by the rules :func:`interpolate` reads it with."""
    depth = 1
    n = len(s)
    while i < n:
        c = s[i]
        if c == "$" and i + 1 < n and s[i + 1] in "${":
            depth += s[i + 1] == "{"
            i += 2
            continue
        if c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def _pieces(s: str) -> list[tuple[int, int, bool]]:
    """``s`` cut into literal runs and top-level expressions (``$$``, ``$NAME``, ``${...}``),
    as ``(start, end, is_expression)``: interpolating each piece alone and joining the
    results is interpolating ``s``."""
    out: list[tuple[int, int, bool]] = []
    lit = 0
    i = s.find("$")
    n = len(s)
    while 0 <= i < n:
        nxt = s[i + 1] if i + 1 < n else ""
        if nxt == "$":
            j = i + 2
        elif nxt == "{":
            j = _close(s, i + 2)
        else:
            m = _VAR_NAME.match(s, i + 1)
            if m is None:  # a lone '$' is text
                i = s.find("$", i + 1)
                continue
            j = m.end()
        if lit < i:
            out.append((lit, i, False))
        out.append((i, j, True))
        lit = j
        i = s.find("$", j)
    if lit < n:
        out.append((lit, n, False))
    return out


class Interpolated:
    """A value interpolated as a whole, with where each part of the result is written.

    ``expanded`` is the interpolated text. A piece of it copied from the written text maps
    back character for character; a piece an expression produced maps back to the whole
    expression; an expression nothing resolves is kept as written and is *opaque*: its
    text is never split (Compose would substitute a value dockerlint does not know).
    """

    __slots__ = ("_e0", "_parts", "_pieces", "expanded", "written")

    def __init__(self, written: str, env: Mapping[str, str] | None, origin: str | None = None) -> None:
        self.written = written
        # (expanded start, expanded end, written start, written end, literal, opaque)
        self._pieces: list[tuple[int, int, int, int, bool, bool]] = []
        parts: list[str] = []
        e = 0
        for w0, w1, expression in _pieces(written) if "$" in written else [(0, len(written), False)]:
            text = written[w0:w1]
            opaque = False
            if expression:
                missing: list[Missing] = []
                got = expand_value(text, env, missing, origin)  # raises InvalidTemplate
                # Unresolved, kept as written (also ${X:+alt} with X unknown).
                opaque = bool(missing) or (got == text and text != "$$")
                text = got
            parts.append(text)
            self._pieces.append((e, e + len(text), w0, w1, not expression, opaque))
            e += len(text)
        self.expanded = "".join(parts)
        self._e0 = [p[0] for p in self._pieces]

    def pieces(self) -> list[tuple[int, int, int, int, bool]]:
        """(expanded start, end, written start, end, copied) of each piece, in order."""
        return [(p[0], p[1], p[2], p[3], p[4]) for p in self._pieces]

    @classmethod
    def verbatim(cls, written: str) -> Interpolated:
        """``written`` taken as it is (an invalid template: reported, then read as text)."""
        self = cls.__new__(cls)
        self.written = self.expanded = written
        self._pieces = [(0, len(written), 0, len(written), True, False)]
        self._e0 = [0]
        return self

    def _index(self, e: int) -> int:
        """The index of the piece the character at ``e`` of ``expanded`` comes from (-1: none)."""
        k = bisect.bisect_right(self._e0, e) - 1
        while k >= 0:
            p = self._pieces[k]
            if p[0] <= e < p[1]:
                return k
            if p[1] <= e:
                return -1
            k -= 1
        return -1

    def _piece(self, e: int) -> tuple[int, int, int, int, bool, bool] | None:
        k = self._index(e)
        return self._pieces[k] if k >= 0 else None

    def splittable(self, e: int) -> bool:
        p = self._piece(e)
        return p is None or not p[5]

    def split(
        self, sep: str, brackets: bool = False, maxsplit: int = -1, within: tuple[int, int] | None = None
    ) -> list[tuple[int, int]]:
        """Ranges of ``expanded`` (or of its part ``within``) split on ``sep`` outside opaque
        pieces (and outside ``[...]``, IPv6 addresses, with ``brackets``)."""
        a, b = within if within is not None else (0, len(self.expanded))
        text = self.expanded
        out: list[tuple[int, int]] = []
        start = a
        bracket = False
        i = text.find(sep, a, b) if not brackets else a
        while 0 <= i < b and (maxsplit < 0 or len(out) < maxsplit):
            c = text[i]
            if brackets and c in "[]" and self.splittable(i):
                bracket = c == "["
            elif c == sep and not bracket and self.splittable(i):
                out.append((start, i))
                start = i + 1
            i = i + 1 if brackets else text.find(sep, i + 1, b)
        out.append((start, b))
        return out

    def rfind(self, sep: str, a: int, b: int) -> int:
        """The last ``sep`` in ``expanded[a:b]`` outside opaque pieces, or -1."""
        i = self.expanded.rfind(sep, a, b)
        while i >= 0 and not self.splittable(i):
            i = self.expanded.rfind(sep, a, i)
        return i

    def written_range(self, a: int, b: int) -> tuple[int, int]:
        """The written text that produced ``expanded[a:b]``: exact for copied text, the
        whole expression for a part of what an expression produced."""
        if b <= a:
            p = self._piece(a)
            if p is None:
                w = len(self.written) if a >= len(self.expanded) else 0
                return w, w
            w = p[2] + (a - p[0]) if p[4] else p[2]
            return w, w
        first, last = self._piece(a), self._piece(b - 1)
        assert first is not None and last is not None
        wa = first[2] + (a - first[0]) if first[4] else first[2]
        wb = last[2] + (b - last[0]) if last[4] else last[3]
        return wa, wb

    def literal(self, a: int, b: int) -> bool:
        """Whether ``expanded[a:b]`` is copied from the written text (no expression in it)."""
        if b <= a:
            return True
        first, last = self._index(a), self._index(b - 1)
        return first >= 0 and all(p[4] for p in self._pieces[first : last + 1])

    def part(self, a: int, b: int) -> tuple[str, str | None]:
        """``(written, expanded)`` of ``expanded[a:b]``; ``expanded`` None when they are equal.

        The words of one expression all come from its whole text: that text is cut once and
        shared (20,000 words of a 100 KB unclosed ``${`` each copied it: quadratic)."""
        wa, wb = self.written_range(a, b)
        parts: dict[Any, Any] | None = getattr(self, "_parts", None)
        if parts is None:
            parts = {}
            self._parts = parts
        written = parts.get((wa, wb))
        if written is None:
            written = parts[(wa, wb)] = self.written[wa:wb]
        expanded = self.expanded[a:b]
        return written, (None if expanded == written else expanded)

    def split_written(self, written: str) -> list[str]:
        """``shellwords.split`` of a written part (once per part: see :meth:`part`)."""
        parts: dict[Any, Any] | None = getattr(self, "_parts", None)
        if parts is None:
            parts = {}
            self._parts = parts
        key = ("split", id(written))
        got = parts.get(key)
        if got is None or got[0] is not written:
            try:
                words = shellwords.split(written)
            except ValueError:
                words = []
            got = parts[key] = (written, words)
        return got[1]


# -- building models ---------------------------------------------------------------


# -- the parser ----------------------------------------------------------------------


@dataclass
class ComposeDocument:
    """One Compose file as the project assembler (:mod:`~dockerlint.parsers.compose_project`)
    receives it: the YAML tree, and the models read from the file alone.

    Most projects are one file with nothing to look up elsewhere: their ``models`` are
    final. ``references`` says the file needs the project pass anyway (``include``,
    ``extends``, ``env_file``), ``missing`` lists the variables nothing resolves when no
    ``.env`` applies.

    ``root`` is None when the engine dropped the tree (a project of this file alone needs
    none, and trees are most of a scan's memory): whoever needs it after all (a project
    that includes or extends the file) parses ``text`` again, the text this tree was read
    from (:meth:`~dockerlint.parsers.compose_project.Files.tree`).
    """

    path: str
    abspath: str
    root: YMap | None
    models: list[Any] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The first place each unresolved variable is written (a project of this file alone
    # reports each variable once, where it is first written): the variable and that span.
    missing: list[tuple[Missing, Span]] = field(default_factory=list)
    references: bool = False
    text: str = field(default="", repr=False)  # the text ``root`` was parsed from


def parse(src: SourceFile) -> ParseOutput:
    try:
        out = _parse(src)
    except ParseError as exc:
        exc.comments = yaml_nodes.with_comments(src.text)
        raise
    out.comments = yaml_nodes.with_comments(src.text)
    return out


def _parse(src: SourceFile) -> ParseOutput:
    root = yaml_nodes.load(src.text, src.path)
    out = _ComposeParser(src.path).run(root)
    if isinstance(root, YMap):
        services = root.get("services")
        references = "include" in root or (
            isinstance(services, YMap)
            and any(
                isinstance(e.value, YMap) and ("extends" in e.value or "env_file" in e.value) for e in services.entries
            )
        )
        missing = first_places(variables(root)) if "$" in src.text and _MAYBE_UNRESOLVED.search(src.text) else []
        out.compose_parts.append(
            ComposeDocument(
                src.path,
                src.abspath or os.path.abspath(src.path),
                root,
                list(out.models),
                list(out.problems),
                missing,
                references,
                src.text,
            )
        )
    return out


class _ComposeParser:
    """Builds the models of one Compose document, or of a project's merged document.

    ``env`` holds the interpolation variables (the project's ``.env``; None: no file).
    ``workdirs`` maps a file (display path) to the folder its relative paths are relative
    to, when that is not the file's own folder (override files: the first file's folder).
    """

    def __init__(
        self, path: str, env: Mapping[str, str] | None = None, workdirs: Mapping[str, str] | None = None
    ) -> None:
        self.path = path
        self.env = env
        self.workdirs = workdirs or {}
        self.problems: list[Problem] = []
        self._seen: set[tuple[str, int, int, str]] = set()
        self.named_volumes: set[str] = set()
        self._spans: dict[int, Span] = {}

    # -- helpers ---------------------------------------------------------------------

    def span(self, node: YNode) -> Span:
        # One Span per node: the parts of a short-syntax item share the item's span.
        key = id(node)
        got = self._spans.get(key)
        if got is None:
            got = self._spans[key] = node.span(self.path)
        return got

    def workdir(self, node: YNode) -> str:
        """The folder relative paths written in ``node``'s file are relative to (display form)."""
        path = node.path or self.path
        got = self.workdirs.get(path)
        return got if got is not None else os.path.dirname(path)

    def problem(self, message: str, node: YNode) -> None:
        key = (node.path, node.line, node.col, message)
        if key in self._seen:  # a value shared through an alias is reported once
            return
        self._seen.add(key)
        self.problems.append(Problem(RULE_ID, message, self.span(node)))

    def lstr(self, node: YNode, value: str | None = None, span: Span | None = None) -> LStr:
        """An LStr for scalar ``node``, or for text ``value`` taken from ``node``, with defaults applied."""
        if value is None:
            assert isinstance(node, YScalar)
            text = node.value
        else:
            text = value
        expanded: str | None = None
        if "$" in text:
            try:
                e = expand_value(text, self.env, origin=node.path or self.path)
            except InvalidTemplate as exc:
                self.problem(str(exc), node)
            else:
                expanded = e if e != text else None
        return located(text, span or self.span(node), expanded)

    def interpolated(self, node: YNode, text: str | None = None) -> Interpolated:
        """Scalar ``node`` (or ``text`` written in it) interpolated as a whole, as Compose does
        before it parses short syntax; an invalid template is reported and read as text."""
        if text is None:
            assert isinstance(node, YScalar)
            text = node.value
        try:
            return Interpolated(text, self.env, origin=node.path or self.path)
        except InvalidTemplate as exc:
            self.problem(str(exc), node)
            return Interpolated.verbatim(text)

    @staticmethod
    def word(iv: Interpolated, word: str, a: int, b: int, span: Span) -> LStr:
        """A shell word of an interpolated command (``iv.expanded[a:b]`` with its quotes)."""
        written, _ = iv.part(a, b)
        if iv.literal(a, b):
            return located(word, span)
        # As written, without its quotes when it is one word (${X:-"a b"} stays whole).
        got = iv.split_written(written)
        return located(got[0] if len(got) == 1 else written, span, word)

    @staticmethod
    def part(iv: Interpolated, a: int, b: int, span: Span) -> LStr:
        """The LStr of ``iv.expanded[a:b]``: the text that wrote it, and its value."""
        written, expanded = iv.part(a, b)
        return located(written, span, expanded)

    def scalar(self, node: YNode, where: str) -> YScalar | None:
        """``node`` if it is a non-null scalar; a problem for a list or mapping."""
        if isinstance(node, YScalar):
            return None if node.is_null else node
        self.problem(f"{where} must be a string, not a {node.kind}", node)
        return None

    def boolean(self, node: YNode, where: str) -> bool | None:
        """Compose's reading of a boolean value; None when unset or decided at run time."""
        if not isinstance(node, YScalar):
            self.problem(f"{where} must be a boolean, not a {node.kind}", node)
            return None
        if node.is_null:
            return None
        if node.is_bool:
            return node.bool_value
        text = self.lstr(node).text.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        if "$" in text:
            return None  # a variable without a default: known only at run time
        self.problem(f"{where} must be a boolean (true or false), not {node.value!r}", node)
        return None

    def strings(self, node: YNode, where: str) -> list[YScalar]:
        """The scalar items of a list."""
        if isinstance(node, YScalar):
            if node.is_null:
                return []
            self.problem(f"{where} must be a list, not a single value", node)
            return []
        if isinstance(node, YMap):
            self.problem(f"{where} must be a list, not a mapping", node)
            return []
        out = []
        assert isinstance(node, YSeq)
        for item in node.items:
            if isinstance(item, YScalar):
                if not item.is_null:
                    out.append(item)
            else:
                self.problem(f"items of {where} must be strings, not a {item.kind}", item)
        return out

    @staticmethod
    def live(m: YMap) -> list[YEntry]:
        """Entries whose value is not ``!reset`` (Compose drops those)."""
        return [e for e in m.entries if e.value.tag != "!reset"]

    def entry_span(self, e: YEntry) -> Span:
        """From the key to the end of its value (the key alone when the value is an alias)."""
        k, v = e.key, e.value
        if (v.line, v.col) >= (k.line, k.col):
            return Span(k.path or self.path, k.line, k.col, v.end_line, v.end_col)
        return self.span(k)

    def unknown_key(self, key: YScalar, known: frozenset[str], where: str) -> None:
        import difflib  # only for this message: not paid at every start-up

        close = difflib.get_close_matches(key.value, sorted(known), n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        self.problem(f"unknown key {key.value!r} in {where}{hint}: Compose refuses the file", key)

    # -- the document ----------------------------------------------------------------

    def run(self, root: YNode | None) -> ParseOutput:
        if root is None or (isinstance(root, YScalar) and root.is_null):
            raise ParseError("the Compose file is empty: it needs a top-level mapping with 'services:'")
        if not isinstance(root, YMap):
            raise ParseError(
                f"the top level of a Compose file must be a mapping (services:, networks:, ...), not a {root.kind}",
                root.line,
                root.col,
            )
        for e in root.entries:
            name = e.key.value
            if name not in TOP_LEVEL_KEYS and not name.startswith("x-"):
                self.unknown_key(e.key, TOP_LEVEL_KEYS, "the top level")
        vols = root.get("volumes")
        if isinstance(vols, YMap):
            self.named_volumes = set(vols.keys())
        services = root.get("services")
        if services is None or (isinstance(services, YScalar) and services.is_null):
            return ParseOutput(models=[], problems=self.problems)
        if not isinstance(services, YMap):
            raise ParseError(
                f"'services' must be a mapping of service names to their settings, not a {services.kind}",
                services.line,
                services.col,
            )
        models = self.services(self.live(services))
        return ParseOutput(models=models, problems=self.problems)

    def services(self, entries: list[YEntry]) -> list[Any]:
        """The models of the services ``entries`` (name key and settings); problems sorted."""
        models: list[Any] = []
        for e in entries:
            c = self.service(e)
            if c is None:
                continue
            models.append(c)
            env = self.client_env(c)
            if env is not None:
                models.append(env)
        self.problems.sort(key=lambda p: (p.span.path, p.span.line, p.span.col))
        return models

    # -- one service -----------------------------------------------------------------

    def service(self, e: YEntry) -> Container | None:
        key, body = e.key, e.value
        name = key.value
        if name.startswith("x-"):
            return None
        label = f"service '{name}'"
        if not SERVICE_NAME.match(name):
            self.problem(f"invalid service name {name!r}: only letters, digits, '.', '_' and '-' are allowed", key)
        if not isinstance(body, YMap):
            what = "empty" if isinstance(body, YScalar) and body.is_null else f"a {body.kind}"
            self.problem(f"{label} must be a mapping of settings, not {what}", key if what == "empty" else body)
            return None
        f: dict[str, Any] = {}
        volumes: list[Mount] = []
        for ent in self.live(body):
            k = ent.key.value
            v = ent.value
            if k.startswith("x-"):
                continue
            if k not in SERVICE_KEYS:
                self.unknown_key(ent.key, SERVICE_KEYS, label)
                continue
            where = f"{label}: '{k}'"
            if isinstance(v, YScalar) and v.is_null and k != "environment":
                continue
            self.setting(ent, where, f, volumes)
        for limit, key_name in (("memory", "mem_limit"), ("pids", "pids_limit"), ("cpus", "cpus")):
            got = f.pop(f"deploy_{limit}", None)
            if key_name not in f and got is not None:
                f[key_name] = got
        if volumes:
            f["volumes"] = volumes
        return Container(
            source="compose", path=key.path or self.path, name=located(name, self.span(key)), span=self.span(body), **f
        )

    def setting(self, ent: YEntry, where: str, f: dict[str, Any], volumes: list[Mount]) -> None:
        """One setting of a service into ``f`` (the Container's fields; mounts into ``volumes``)."""
        k, v = ent.key.value, ent.value
        handler = _SIMPLE.get(k)
        if handler is not None:
            s = self.scalar(v, where)
            if s is not None:
                f[handler] = self.lstr(s)
        elif k in ("privileged", "read_only", "init"):
            b = self.boolean(v, where)
            if b is not None:
                f[k] = LBool(b, self.span(ent.key))
        elif k in ("cap_add", "cap_drop", "security_opt", "device_cgroup_rules"):
            f[k] = [self.lstr(s) for s in self.strings(v, where)]
        elif k == "devices":
            f[k] = self.devices(v, where)
        elif k == "volumes":
            volumes.extend(self.volumes(v, where))
        elif k == "use_api_socket":
            if self.boolean(v, where):
                volumes.append(self.api_socket_mount(ent))
        elif k == "ports":
            f[k] = self.ports(v, where)
        elif k == "environment":
            f[k] = self.environment(v, where)
        elif k == "env_file":
            f["env_files"] = self.env_files(v, where)
        elif k in ("command", "entrypoint"):
            f[k] = self.command(v, where)
        elif k == "build":
            f[k] = self.build(v, where, ent.key)
        elif k == "deploy":
            self.deploy(v, where, f)
        elif k == "profiles":
            f[k] = [s.value for s in self.strings(v, where)]

    def client_env(self, c: Container) -> ClientEnv | None:
        variables: dict[str, EnvVar] = {}
        for var in c.environment:
            if var.name.value.startswith("DOCKER_"):
                variables[var.name.value] = var
        if not any(name in variables for name in CLIENT_ENV_TRIGGERS):
            return None
        return ClientEnv(path=c.path, scope=c.label, span=c.name.span, variables=variables)

    # -- volumes ---------------------------------------------------------------------

    def short_or_long(
        self, node: YNode, where: str, short: Callable[[YScalar, str], T | None], long: Callable[[YMap, str], T | None]
    ) -> list[T]:
        """A list whose items have a short (string) and a long (mapping) syntax."""
        if not isinstance(node, YSeq):
            self.problem(f"{where} must be a list, not a {node.kind}", node)
            return []
        out: list[T] = []
        for item in node.items:
            if isinstance(item, YScalar):
                if item.is_null:
                    continue
                got = short(item, where)
            elif isinstance(item, YMap):
                got = long(item, where)
            else:
                self.problem(f"items of {where} must be strings or mappings, not a list", item)
                got = None
            if got is not None:
                out.append(got)
        return out

    def volumes(self, node: YNode, where: str) -> list[Mount]:
        return self.short_or_long(node, where, self.short_volume, self.long_volume)

    def short_volume(self, item: YScalar, where: str) -> Mount | None:
        text = item.value
        span = self.span(item)
        if not text:
            self.problem(f"{where}: empty volume", item)
            return None
        iv = self.interpolated(item)
        if len(iv.expanded) <= 2:  # compose-go: a spec this short is an anonymous volume's target
            return Mount(span=span, type="volume", target=self.lstr(item))
        fields = _volume_fields(iv)
        if any(b <= a for a, b in fields):
            self.problem(f"{where}: invalid volume {text!r} (empty part between colons)", item)
            return None
        if len(fields) > 3:
            self.problem(f"{where}: invalid volume {text!r} (too many colons)", item)
            return None
        if len(fields) == 1:
            return Mount(span=span, type="volume", target=self.part(iv, *fields[0], span))
        source = self.part(iv, *fields[0], span)
        target = self.part(iv, *fields[1], span)
        options = [_shared(o) for o in iv.expanded[fields[2][0] : fields[2][1]].split(",")] if len(fields) == 3 else []
        read_only = False
        propagation = None
        for opt in options:
            if opt == "ro":
                read_only = True
            elif opt == "rw":
                read_only = False
            elif opt in _PROPAGATION:
                propagation = located(opt, span)
        kind = "bind" if self.is_host_path(source) else "volume"
        return Mount(
            span=span,
            type=kind,
            source=source,
            target=target,
            read_only=read_only,
            propagation=propagation,
            options=options,
        )

    def is_host_path(self, source: LStr) -> bool:
        """compose-go's test for a bind source, on the defaults-applied text."""
        s = source.text
        if s[:1] in (".", "/", "~") or s.startswith("\\\\"):
            return True
        if len(s) >= 2 and s[0].isalpha() and s[1] == ":":
            return True
        if s.startswith("$"):
            # Unknown until run time. A named volume must be declared at the top level,
            # so an undeclared one is a path (${DATA_DIR}:/data, ${XDG_RUNTIME_DIR}/docker.sock).
            return source.value not in self.named_volumes
        return False

    def long_volume(self, item: YMap, where: str) -> Mount | None:
        span = self.span(item)
        kind_node = item.get("type")
        kind = None
        if kind_node is not None:
            s = self.scalar(kind_node, f"{where}: 'type'")
            kind = s.value if s is not None else None
        source = target = propagation = None
        read_only = False
        s = self._sub_scalar(item, "source", where)
        if s is not None:
            source = self.lstr(s)
        s = self._sub_scalar(item, "target", where)
        if s is not None:
            target = self.lstr(s)
        ro = item.get("read_only")
        if ro is not None:
            read_only = bool(self.boolean(ro, f"{where}: 'read_only'"))
        bind = item.get("bind")
        if isinstance(bind, YMap):
            p = self._sub_scalar(bind, "propagation", where)
            if p is not None:
                propagation = self.lstr(p)
        if kind is None:
            self.problem(f"{where}: a volume in long syntax needs 'type' (bind, volume, tmpfs, ...)", item)
            kind = "bind" if source is not None and self.is_host_path(source) else "volume"
        options = ["ro"] if read_only else []
        return Mount(
            span=span,
            type=kind,
            source=source,
            target=target,
            read_only=read_only,
            propagation=propagation,
            options=options,
        )

    def _sub_scalar(self, m: YMap, key: str, where: str) -> YScalar | None:
        v = m.get(key)
        return self.scalar(v, f"{where}: '{key}'") if v is not None else None

    def api_socket_mount(self, e: YEntry) -> Mount:
        """``use_api_socket: true``: Compose bind-mounts the engine's API socket (and credentials)."""
        span = self.span(e.key)
        sock = located(DOCKER_API_SOCKET, span)
        return Mount(span=span, type="bind", source=sock, target=sock, options=["use_api_socket"])

    # -- ports -----------------------------------------------------------------------

    def ports(self, node: YNode, where: str) -> list[PortBinding]:
        return self.short_or_long(node, where, self.short_port, self.long_port)

    def short_port(self, item: YScalar, where: str) -> PortBinding | None:
        # The text as written: YAML 1.1 reads an unquoted 22:22 as the integer 1342.
        text = item.value.strip()
        span = self.span(item)
        iv = self.interpolated(item, text)
        parts = iv.split(":", brackets=True)
        ca, cb = parts[-1]
        host_ip = host_port = None
        if len(parts) == 2:
            host_port = parts[0]
        elif len(parts) >= 3:
            host_ip, host_port = (parts[0][0], parts[-3][1]), parts[-2]
        protocol = "tcp"
        slash = iv.rfind("/", ca, cb)
        if slash >= 0:
            protocol = iv.expanded[slash + 1 : cb]
            cb = slash
        if cb <= ca:
            self.problem(f"{where}: invalid port {text!r} (no container port)", item)
            return None
        if host_ip is not None:
            ia, ib = host_ip
            if ib - ia >= 2 and iv.expanded[ia] == "[" and iv.expanded[ib - 1] == "]":
                host_ip = (ia + 1, ib - 1)
        return PortBinding(
            span=span,
            host_ip=self.part(iv, *host_ip, span) if host_ip and host_ip[1] > host_ip[0] else None,
            host_port=self.part(iv, *host_port, span) if host_port and host_port[1] > host_port[0] else None,
            container_port=self.part(iv, ca, cb, span),
            protocol=_shared((protocol or "tcp").lower()),
        )

    def long_port(self, item: YMap, where: str) -> PortBinding | None:
        target = self._sub_scalar(item, "target", where)
        if target is None:
            self.problem(f"{where}: a port in long syntax needs 'target'", item)
            return None
        published = self._sub_scalar(item, "published", where)
        host_ip = self._sub_scalar(item, "host_ip", where)
        protocol = self._sub_scalar(item, "protocol", where)
        return PortBinding(
            span=self.span(item),
            host_ip=self.lstr(host_ip) if host_ip is not None and host_ip.value else None,
            host_port=self.lstr(published) if published is not None and published.value else None,
            container_port=self.lstr(target),
            protocol=protocol.value.lower() if protocol is not None else "tcp",
        )

    # -- environment -----------------------------------------------------------------

    def environment(self, node: YNode, where: str) -> list[EnvVar]:
        out: list[EnvVar] = []
        if isinstance(node, YScalar):
            if not node.is_null:
                self.problem(f"{where} must be a list ('- KEY=value') or a mapping ('KEY: value')", node)
            return out
        if isinstance(node, YSeq):
            for item in node.items:
                if isinstance(item, YPair):  # a mapping entry merged into a list (compose_project)
                    out.extend(self.environment(YMap.build([item.entry], item), where))
                    continue
                if not isinstance(item, YScalar):
                    self.problem(f"items of {where} must be strings 'KEY=value', not a {item.kind}", item)
                    continue
                if item.is_null:
                    continue
                span = self.span(item)
                if "$" not in item.value:
                    name, eq, value = item.value.partition("=")
                    out.append(EnvVar(name=located(name, span), value=located(value, span) if eq else None, span=span))
                    continue
                # Interpolated first, then split at the first '=' (a variable may write the name).
                iv = self.interpolated(item)
                cut = iv.split("=", maxsplit=1)
                (na, nb), rest = cut[0], cut[1:]
                out.append(
                    EnvVar(
                        name=located(iv.expanded[na:nb], span),
                        value=self.part(iv, *rest[0], span) if rest else None,
                        span=span,
                    )
                )
            return out
        assert isinstance(node, YMap)
        for e in self.live(node):
            v = e.value
            if not isinstance(v, YScalar):
                self.problem(
                    f"{where}: the value of {e.key.value!r} must be a string, number or boolean, not a {v.kind}", v
                )
                continue
            out.append(
                EnvVar(
                    name=located(e.key.value, self.span(e.key)),
                    value=None if v.is_null else self.lstr(v),
                    span=self.entry_span(e),
                )
            )
        return out

    def env_files(self, node: YNode, where: str) -> list[LStr]:
        if isinstance(node, YScalar):
            return [] if node.is_null else [self.lstr(node)]
        if isinstance(node, YMap):
            self.problem(f"{where} must be a path or a list of paths, not a mapping", node)
            return []
        out = []
        for item in node.items if isinstance(node, YSeq) else []:
            if isinstance(item, YMap):
                p = self._sub_scalar(item, "path", where)
                if p is not None:
                    out.append(self.lstr(p, span=self.span(item)))
                else:
                    self.problem(f"{where}: an env_file entry in long syntax needs 'path'", item)
            elif isinstance(item, YScalar):
                if not item.is_null:
                    out.append(self.lstr(item))
            else:
                self.problem(f"items of {where} must be paths, not a {item.kind}", item)
        return out

    # -- the rest --------------------------------------------------------------------

    def command(self, node: YNode, where: str) -> list[LStr]:
        if isinstance(node, YScalar):
            if node.is_null:
                return []
            # Compose interpolates a string command, then splits it like a shell would
            # (without running one).
            span = self.span(node)
            if "$" not in node.value:
                try:
                    return [located(w, span) for w in shellwords.split(node.value)]
                except ValueError:
                    return [located(node.value, span)]
            iv = self.interpolated(node)
            try:
                words = shellwords.split_spans(iv.expanded)
            except ValueError:
                words = [(iv.expanded, 0, len(iv.expanded))]
            return [self.word(iv, w, a, b, span) for w, a, b in words]
        return [self.lstr(s) for s in self.strings(node, where)]

    def devices(self, node: YNode, where: str) -> list[LStr]:
        if not isinstance(node, YSeq):
            self.problem(f"{where} must be a list, not a {node.kind}", node)
            return []
        out = []
        for item in node.items:
            if isinstance(item, YScalar):
                if not item.is_null:
                    out.append(self.lstr(item))
            elif isinstance(item, YMap):
                # Long syntax: source / target / permissions, normalized to the short form.
                words = []
                for key in ("source", "target", "permissions"):
                    s = self._sub_scalar(item, key, where)
                    if s is None:
                        break
                    words.append(s.value)
                if not words:
                    self.problem(f"{where}: a device in long syntax needs 'source'", item)
                    continue
                out.append(self.lstr(item, ":".join(words)))
            else:
                self.problem(f"items of {where} must be strings or mappings, not a list", item)
        return out

    def build(self, node: YNode, where: str, key: YScalar | None = None) -> BuildRef | None:
        span = self.span(node)
        key_span = self.span(key) if key is not None else None
        if isinstance(node, YScalar):
            context = self.lstr(node)
            return BuildRef(
                span=span, key_span=key_span, context=context, dockerfile_path=self.dockerfile_path(node, context, None)
            )
        if not isinstance(node, YMap):
            self.problem(f"{where} must be a path or a mapping, not a {node.kind}", node)
            return None
        f: dict[str, Any] = {}
        for name in ("context", "dockerfile", "target"):
            s = self._sub_scalar(node, name, where)
            if s is not None:
                f[name] = self.lstr(s)
        e = node.entry("privileged")
        if e is not None:
            b = self.boolean(e.value, f"{where}: 'privileged'")
            if b is not None:
                f["privileged"] = LBool(b, self.span(e.key))
        if "dockerfile_inline" not in node:
            written = node.get("context")
            f["dockerfile_path"] = self.dockerfile_path(written or node, f.get("context"), f.get("dockerfile"))
        else:
            inline = node.get("dockerfile_inline")
            if isinstance(inline, YScalar) and not inline.is_null:
                iv = self.interpolated(inline)  # Compose interpolates it too ($$ for a $)
                value = located(inline.value, self.span(inline), iv.expanded if iv.expanded != inline.value else None)
                f["inline"] = InlineDockerfile(value=value, style=inline.style, pieces=iv.pieces())
        return BuildRef(span=span, key_span=key_span, **f)

    def dockerfile_path(self, where: YNode, context: LStr | None, dockerfile: LStr | None) -> str | None:
        """The Dockerfile a build reads, as a display path (None: remote or not known statically).

        The context is relative to the folder of the file that writes it (the project folder
        for override files, the base file's folder for ``extends: file:``); the Dockerfile is
        relative to the context. Unresolved variables make it unknown.
        """
        ctx = context.text if context is not None else "."
        name = dockerfile.text if dockerfile is not None else "Dockerfile"
        if "$" in ctx or "$" in name or _REMOTE_CONTEXT.match(ctx):
            return None
        base = self.workdir(where)
        folder = ctx if os.path.isabs(ctx) else os.path.join(base, ctx)
        path = name if os.path.isabs(name) else os.path.join(folder, name)
        return os.path.normpath(path).replace(os.sep, "/")

    def deploy(self, node: YNode, where: str, f: dict[str, Any]) -> None:
        if not isinstance(node, YMap):
            self.problem(f"{where} must be a mapping, not a {node.kind}", node)
            return
        res = node.get("resources")
        limits = res.get("limits") if isinstance(res, YMap) else None
        if not isinstance(limits, YMap):
            return
        for key in ("memory", "pids", "cpus"):
            s = self._sub_scalar(limits, key, f"{where}: resources.limits")
            if s is not None:
                f[f"deploy_{key}"] = self.lstr(s)


# Service keys read as one string each: Compose key -> Container field.
_SIMPLE = {
    "image": "image",
    "pull_policy": "pull_policy",
    "user": "user",
    "userns_mode": "userns_mode",
    "network_mode": "network_mode",
    "pid": "pid",
    "ipc": "ipc",
    "uts": "uts",
    "cgroup": "cgroup",
    "mem_limit": "mem_limit",
    "pids_limit": "pids_limit",
    "cpus": "cpus",
    "cpu_shares": "cpu_shares",
    "cpu_quota": "cpu_quota",
}
