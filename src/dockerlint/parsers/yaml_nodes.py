"""A YAML layer that keeps positions: PyYAML's node tree turned into plain values with spans.

PyYAML's *constructors* are never used: they drop positions, and some build arbitrary
Python objects. We compose the node tree (libyaml's C composer when available) and
convert it ourselves into :class:`YMap`, :class:`YSeq` and :class:`YScalar`, which keep

- the 1-based, end-exclusive position of every key and value, from the character index
  of PyYAML's marks through the file's one line index (:mod:`dockerlint.util.lines`). The
  marks' own line and column are never used: PyYAML counts U+2028, U+2029 and NEL as line
  breaks, editors and every other reader of dockerlint do not;
- the scalar *as written* (``YScalar.value``) next to the tag YAML 1.1 resolved it to,
  so callers can tell that ``yes``/``on`` became booleans and that ``22:22`` became the
  sexagesimal integer 1342 — and still read ``"22:22"`` for a port;
- merge keys resolved (``<<: *base``, ``<<: [*a, *b]``; explicit keys win, then the
  earlier merged mappings), each merged entry remembering its ``<<`` key.

Aliases are not copied: the composer shares the anchored node, so an alias's value keeps
the span of the anchor's text, which is where the value is written.

Refused with :class:`ParseError` at the offending text: YAML syntax errors, tags other
than YAML's own types and Compose's ``!reset``/``!override`` (``!!python/object…`` and any
other local tag), duplicate mapping keys (YAML and go-yaml, which Compose uses, both
reject them), non-scalar mapping keys, recursive aliases, documents that expand to more
than the alias expansion limit (alias bombs) or nest deeper than the depth limit (both in
:mod:`dockerlint.util.limits`, read when :func:`load` is called).

Only the first document of a stream is read.

Every node knows the file it was read from (``path``, given to :func:`load`), so a tree
merged from several files (Compose's override files, ``extends``) still says where each
value is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from dockerlint.models.base import Span
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.output import Comment, comment_at
from dockerlint.util import limits
from dockerlint.util.lines import LineIndex

# libyaml's C loader when PyYAML was built with it: several times faster.
LOADER: Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

# Alias-bomb defence: the number of nodes the document would have with every alias
# expanded. Real Compose files have a few thousand at most.
MAX_EXPANDED_NODES = limits.DEFAULT_MAX_ALIAS_EXPANSION  # the default; in force: limits.current()
# libyaml itself stops at 1000 levels; our converter recurses, so we stop well before.
MAX_DEPTH = limits.DEFAULT_MAX_DEPTH  # the default; in force: limits.current()

_Y = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = _Y + "str", _Y + "int", _Y + "float", _Y + "bool", _Y + "null"
MAP, SEQ, MERGE = _Y + "map", _Y + "seq", _Y + "merge"
# Tags we accept: YAML's own types (never constructed, only recorded) and the two tags
# Compose defines for override files. Anything else (``!!python/object:...``, ``!Ref``,
# ``!!python/name:...``) is refused: a Compose implementation would reject it too.
SAFE_TAGS = frozenset(
    _Y + t
    for t in (
        "str",
        "int",
        "float",
        "bool",
        "null",
        "timestamp",
        "binary",
        "seq",
        "map",
        "omap",
        "pairs",
        "set",
        "merge",
        "value",
    )
) | {"!"}
COMPOSE_TAGS = frozenset({"!reset", "!override"})

_TRUE_11 = frozenset({"yes", "true", "on"})


class YNode:
    """Base of converted nodes: the tag and a 1-based, end-exclusive position."""

    __slots__ = ("col", "end_col", "end_line", "line", "path", "tag", "weight")

    tag: str
    path: str  # the file the node was read from ("" when not given)
    line: int
    col: int
    end_line: int
    end_col: int
    weight: int  # nodes in this value with every alias expanded (alias-bomb accounting)

    def span(self, path: str = "") -> Span:
        """The node's span: in the file it was read from, else in ``path``."""
        return Span(self.path or path, self.line, self.col, self.end_line, self.end_col)

    def place_like(self, other: YNode) -> None:
        """Take ``other``'s file and position (for nodes built by a merge)."""
        self.path, self.line, self.col = other.path, other.line, other.col
        self.end_line, self.end_col = other.end_line, other.end_col

    @property
    def kind(self) -> str:
        """``"mapping"``, ``"list"`` or ``"scalar"`` (for messages)."""
        return "scalar"


class YScalar(YNode):
    """A scalar: ``value`` is its text (quotes and escapes processed), ``tag`` what YAML 1.1
    resolved it to, ``style`` the quoting (``None`` plain, ``'``, ``"``, ``|``, ``>``)."""

    __slots__ = ("style", "value")

    value: str
    style: str | None

    @property
    def is_null(self) -> bool:
        return self.tag == NULL

    @property
    def is_bool(self) -> bool:
        return self.tag == BOOL

    @property
    def is_str(self) -> bool:
        return self.tag in (STR, "!")

    @property
    def is_number(self) -> bool:
        return self.tag in (INT, FLOAT)

    @property
    def bool_value(self) -> bool | None:
        """The YAML 1.1 boolean this scalar resolved to, or None if it is not a boolean."""
        if self.tag != BOOL:
            return None
        return self.value.lower() in _TRUE_11

    def __repr__(self) -> str:
        return f"YScalar({self.value!r}, {self.tag!r}, {self.line}:{self.col})"


class YSeq(YNode):
    """A sequence."""

    __slots__ = ("flow", "items")

    items: list[YNode]
    flow: bool

    @property
    def kind(self) -> str:
        return "list"

    def __iter__(self) -> Iterator[YNode]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return f"YSeq({self.items!r}, {self.line}:{self.col})"

    @classmethod
    def build(cls, items: list[YNode], like: YNode, tag: str = SEQ) -> YSeq:
        """A sequence made of ``items`` (built by a merge), placed where ``like`` is."""
        out = cls()
        out.place_like(like)
        out.tag = tag
        out.flow = bool(getattr(like, "flow", False))
        out.items = items
        out.weight = 1 + sum(i.weight for i in items)
        return out


class YEntry:
    """One key/value pair of a mapping. ``merged_by`` is the ``<<`` key of the mapping that
    merged this entry in (None for keys written in the mapping itself)."""

    __slots__ = ("key", "merged_by", "value")

    def __init__(self, key: YScalar, value: YNode, merged_by: YScalar | None = None) -> None:
        self.key = key
        self.value = value
        self.merged_by = merged_by

    def __repr__(self) -> str:
        via = f", merged_by={self.merged_by!r}" if self.merged_by is not None else ""
        return f"YEntry({self.key.value!r}: {self.value!r}{via})"


class YMap(YNode):
    """A mapping with unique scalar keys, in written order (merged entries where ``<<`` is)."""

    __slots__ = ("_index", "entries", "flow")

    entries: list[YEntry]
    flow: bool
    _index: dict[str, YEntry]

    @property
    def kind(self) -> str:
        return "mapping"

    def get(self, key: str) -> YNode | None:
        e = self._index.get(key)
        return e.value if e is not None else None

    def entry(self, key: str) -> YEntry | None:
        return self._index.get(key)

    def keys(self) -> list[str]:
        return [e.key.value for e in self.entries]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[YEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        return f"YMap({self.entries!r}, {self.line}:{self.col})"

    @classmethod
    def build(cls, entries: list[YEntry], like: YNode, tag: str = MAP) -> YMap:
        """A mapping made of ``entries`` (built by a merge), placed where ``like`` is."""
        out = cls()
        out.place_like(like)
        out.tag = tag
        out.flow = bool(getattr(like, "flow", False))
        out.entries = entries
        out.weight = 1 + sum(e.key.weight + e.value.weight for e in entries)
        out._index = {e.key.value: e for e in entries}
        return out


class YPair(YNode):
    """A mapping entry carried into a sequence by a merge.

    Compose merges ``environment`` written as a mapping (``FOO: bar``) in one file with
    ``environment`` written as a list (``- FOO=bar``) in another into one list; the
    entries of the mapping keep their key and value nodes (and so their positions) here.
    """

    __slots__ = ("entry",)

    entry: YEntry

    @classmethod
    def of(cls, entry: YEntry) -> YPair:
        out = cls()
        out.place_like(entry.key)
        out.end_line, out.end_col = entry.value.end_line, entry.value.end_col
        if (out.end_line, out.end_col) < (out.line, out.col):  # an aliased value lives elsewhere
            out.end_line, out.end_col = entry.key.end_line, entry.key.end_col
        out.tag = "!pair"
        out.weight = entry.key.weight + entry.value.weight
        out.entry = entry
        return out

    @property
    def kind(self) -> str:
        return "mapping entry"


def _mark_error(message: str, mark: Any, index: LineIndex) -> ParseError:
    if mark is None:
        return ParseError(message)
    line, col = _mark_position(mark, index)
    return ParseError(message, line, col)


# What ends a comment for the YAML scanner (a lone CR is already a LF here).
_YAML_BREAKS = frozenset("\n\r\x85\u2028\u2029")


def comments(text: str) -> list[Comment]:
    """The comments of a YAML stream, exactly as the scanner that composes it reads them.

    The scanner drops comments, but it reports where every token starts and ends (the
    character index of its marks). What lies between two tokens is only blanks, line
    breaks and comments, so every ``#`` there starts one; the only comment inside a token
    is the one after a block scalar's ``|``/``>`` header. A ``#`` inside a quoted, plain or
    block scalar, or in a flow collection's value, is inside a token. A comment ends at the
    scanner's line break, which includes U+2028, U+2029 and NEL. Comments after a syntax
    error are not read (the file is reported as not parsing).
    """
    index = LineIndex(text)
    lines = text.split("\n")
    found: list[tuple[int, int]] = []
    pos = 0
    loader = LOADER(text)
    try:
        while True:
            token = loader.get_token()
            if token is None:
                break
            a, b = token.start_mark.index, token.end_mark.index
            if a > pos:
                _gap_comments(text, pos, a, found)
            if isinstance(token, yaml.ScalarToken) and token.style in ("|", ">") and b > a:
                _header_comment(text, a, b, found)
            pos = max(pos, b)
            if isinstance(token, yaml.StreamEndToken):
                break
    except (yaml.YAMLError, ValueError, RecursionError):
        pass
    finally:
        loader.dispose()
    out: list[Comment] = []
    for i, j in found:
        line, col = index.position(i)
        out.append(comment_at(lines, line, col, col + (j - i)))
    return out


def _comment_end(text: str, i: int, end: int) -> int:
    while i < end and text[i] not in _YAML_BREAKS:
        i += 1
    return i


def _gap_comments(text: str, a: int, b: int, found: list[tuple[int, int]]) -> None:
    i = text.find("#", a, b)
    while i >= 0:
        j = _comment_end(text, i, b)
        found.append((i, j))
        i = text.find("#", j, b)


def _header_comment(text: str, a: int, b: int, found: list[tuple[int, int]]) -> None:
    """The comment after a block scalar's header (``| # note``), if any."""
    i = a + 1
    while i < b and text[i] in "0123456789+-":
        i += 1
    while i < b and text[i] in " \t":
        i += 1
    if i < b and text[i] == "#":
        found.append((i, _comment_end(text, i, b)))


def with_comments(text: str) -> Any:
    """The deferred comments of ``text`` (for :attr:`ParseOutput.comments`)."""
    return lambda: comments(text)


def _reader_offset(text: str, position: int) -> int:
    """The character offset of a reader error: libyaml reports a byte offset in UTF-8."""
    if LOADER is yaml.SafeLoader:
        return position
    return len(text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore"))


def _mark_position(mark: Any, index: LineIndex) -> tuple[int, int]:
    """1-based line and column of a PyYAML mark: its character index through the line index."""
    return index.position(mark.index)


def _syntax_error(exc: yaml.YAMLError, index: LineIndex) -> ParseError:
    if isinstance(exc, yaml.MarkedYAMLError):
        problem = exc.problem or exc.context or "invalid YAML"
        mark = exc.problem_mark or exc.context_mark
        if "maximum nesting depth" in problem:  # libyaml's own ceiling (1000 levels)
            return _mark_error("invalid YAML: nested too deeply (more than 1000 levels)", mark, index)
        text = f"invalid YAML: {problem}"
        if exc.context and exc.problem and exc.context_mark is not None and exc.context_mark is not mark:
            text += f" ({exc.context} at line {_mark_position(exc.context_mark, index)[0]})"
        return _mark_error(text, mark, index)
    return ParseError(f"invalid YAML: {exc}")


def load(text: str, path: str = "") -> YNode | None:
    """Compose and convert the first document of ``text`` (read from file ``path``); None for
    an empty stream."""
    index = LineIndex(text)
    try:
        loader = LOADER(text)
        try:
            node = loader.get_node() if loader.check_node() else None
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:
        line, col = index.position(_reader_offset(text, exc.position))
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else f"U+{ord(exc.character[:1] or ' '):04X}"
        raise ParseError(f"invalid YAML: {exc.reason} (character {char} is not allowed)", line, col) from None
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, index) from None
    except RecursionError:  # the pure-Python composer on deeply nested input
        raise ParseError("invalid YAML: nested too deeply") from None
    except ValueError as exc:  # e.g. characters libyaml refuses outright
        raise ParseError(f"invalid YAML: {exc}") from None
    if node is None:
        return None
    return _Converter(path, index).convert(node, 0)


class _Converter:
    def __init__(self, path: str, index: LineIndex) -> None:
        self.path = path
        self.index = index
        self.done: dict[int, YNode] = {}  # id(node) -> converted (shared by aliases)
        self.active: set[int] = set()  # nodes being converted (recursive alias detection)
        in_force = limits.current()
        self.max_depth = in_force.max_depth
        self.max_alias_expansion = in_force.max_alias_expansion

    def convert(self, node: yaml.Node, depth: int) -> YNode:
        key = id(node)
        got = self.done.get(key)
        if got is not None:
            return got
        if key in self.active:
            raise _mark_error(
                "invalid YAML: an alias refers to a node that contains it (recursive alias)",
                node.start_mark,
                self.index,
            )
        if depth > self.max_depth:
            raise _mark_error(
                f"invalid YAML: nested more than {self.max_depth} levels deep (raise the limit with --max-depth)",
                node.start_mark,
                self.index,
            )
        tag = node.tag
        if tag not in SAFE_TAGS and tag not in COMPOSE_TAGS:
            shown = tag.replace(_Y, "!!", 1) if tag.startswith(_Y) else tag
            if "python/" in tag:
                why = "it would construct a Python object; dockerlint never does"
            else:
                why = "only YAML's plain types and Compose's !reset / !override are allowed"
            raise _mark_error(f"YAML tag {shown!r} is refused: {why}", node.start_mark, self.index)
        self.active.add(key)
        try:
            if isinstance(node, yaml.ScalarNode):
                out: YNode = self._scalar(node)
            elif isinstance(node, yaml.SequenceNode):
                out = self._seq(node, depth)
            else:
                assert isinstance(node, yaml.MappingNode)
                out = self._map(node, depth)
        finally:
            self.active.discard(key)
        # Nodes the aliases in this value add when expanded: an alias-free value weighs at
        # most the distinct nodes converted so far, however large the document.
        if out.weight - len(self.done) - 1 > self.max_alias_expansion:
            raise _mark_error(
                f"YAML aliases expand this document by more than {self.max_alias_expansion} "
                "nodes (an alias bomb?); raise the limit with --max-alias-expansion",
                node.start_mark,
                self.index,
            )
        self.done[key] = out
        return out

    def _place(self, out: YNode, node: yaml.Node, children_end: tuple[int, int] | None = None) -> None:
        out.path = self.path
        out.line, out.col = _mark_position(node.start_mark, self.index)
        end = _mark_position(node.end_mark, self.index)
        # A block collection's end mark is the start of the next token (after blank and
        # comment lines); its own text ends where its last child ends.
        if children_end is not None and not getattr(node, "flow_style", False) and children_end >= (out.line, out.col):
            end = children_end
        out.end_line, out.end_col = end

    def _scalar(self, node: yaml.ScalarNode) -> YScalar:
        out = YScalar()
        out.tag = node.tag
        out.value = node.value
        out.style = node.style or None
        out.weight = 1
        self._place(out, node)
        return out

    def _seq(self, node: yaml.SequenceNode, depth: int) -> YSeq:
        out = YSeq()
        out.tag = node.tag
        out.flow = bool(node.flow_style)
        out.items = [self.convert(child, depth + 1) for child in node.value]
        out.weight = 1 + sum(i.weight for i in out.items)
        self._place(out, node, _last_end(out.items, _mark_position(node.start_mark, self.index)))
        return out

    def _map(self, node: yaml.MappingNode, depth: int) -> YMap:
        out = YMap()
        out.tag = node.tag
        out.flow = bool(node.flow_style)
        explicit: dict[str, YEntry] = {}
        # (position in the written order, merge key, merged mappings)
        merges: list[tuple[int, YScalar, list[YMap]]] = []
        order: list[YEntry | int] = []
        weight = 1
        children: list[YNode] = []
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                raise _mark_error(
                    "invalid YAML: mapping keys must be scalars (plain strings), "
                    f"not a {'list' if isinstance(knode, yaml.SequenceNode) else 'mapping'}",
                    knode.start_mark,
                    self.index,
                )
            k = self.convert(knode, depth + 1)
            assert isinstance(k, YScalar)
            v = self.convert(vnode, depth + 1)
            weight += k.weight + v.weight
            children += (k, v)
            prev = explicit.get(k.value)
            if prev is not None:
                raise ParseError(
                    f"duplicate key {k.value!r} (first defined at line {prev.key.line}): "
                    "YAML and Compose refuse duplicate keys in a mapping",
                    k.line,
                    k.col,
                    k.end_col if k.end_line == k.line else None,
                )
            if k.tag == MERGE:
                explicit[k.value] = YEntry(k, v)
                merges.append((len(order), k, self._merge_sources(v)))
                order.append(len(merges) - 1)
                continue
            e = YEntry(k, v)
            explicit[k.value] = e
            order.append(e)
        out.weight = weight
        if not merges:
            out.entries = [e for e in order if isinstance(e, YEntry)]
        else:
            taken = {name for name, e in explicit.items() if e.key.tag != MERGE}
            entries: list[YEntry] = []
            merged_at: dict[int, list[YEntry]] = {}
            # Earlier merged mappings win over later ones; explicit keys win over all.
            for i, (_, mkey, sources) in enumerate(merges):
                got: list[YEntry] = []
                for src in sources:
                    for e in src.entries:
                        name = e.key.value
                        if name in taken:
                            continue
                        taken.add(name)
                        got.append(YEntry(e.key, e.value, mkey))
                merged_at[i] = got
            for item in order:
                if isinstance(item, int):
                    entries.extend(merged_at[item])
                else:
                    entries.append(item)
            out.entries = entries
        out._index = {e.key.value: e for e in out.entries}
        self._place(out, node, _last_end(children, _mark_position(node.start_mark, self.index)))
        return out

    @staticmethod
    def _merge_sources(v: YNode) -> list[YMap]:
        if isinstance(v, YMap):
            return [v]
        if isinstance(v, YSeq) and all(isinstance(i, YMap) for i in v.items):
            return [i for i in v.items if isinstance(i, YMap)]
        raise ParseError(
            "invalid YAML: a merge key '<<' needs a mapping or a list of mappings "
            f"(an alias such as *base), not a {v.kind}",
            v.line,
            v.col,
        )


def _last_end(children: list[YNode], start: tuple[int, int]) -> tuple[int, int] | None:
    """Where the last child written inside the node that starts at ``start`` ends (aliased
    children live elsewhere)."""
    best: tuple[int, int] | None = None
    for c in children:
        end = (c.end_line, c.end_col)
        if (c.line, c.col) >= start and (best is None or end > best):
            best = end
    return best
