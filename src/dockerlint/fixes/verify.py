"""The fix guard: a fixed file must mean what the original meant, except the fixed values.

A fix is text a rule inserts or replaces at a position it computed. That the fixed file
still parses proves little: text put at a wrong place (a wrong line, inside a YAML block
scalar, inside another service) usually parses, and changes what the file means there.
So the original and the fixed text are read into position-free trees -- YAML and JSON
values, unit directives and environment-file assignments, Dockerfile instructions -- and
:func:`unexplained_change` compares them. Allowed differences:

- the value each fixed finding points at (the leaf that holds the finding's first
  character: a port, an ``ExecStart=`` line, a ``CMD`` instruction) may change;
- entries and items written entirely in inserted text may appear (``security_opt:`` added
  to a service, ``"tlsverify": true`` to daemon.json), and ones written entirely in the
  replaced text may disappear (``MAINTAINER`` rewritten as ``LABEL``).

Anything else that differs refuses the fix, and so does a fix that changes nothing the
file means (its text went where it has no effect).
"""

from __future__ import annotations

from typing import Any

from dockerlint.models.source import SourceFile
from dockerlint.util.lines import LineIndex

# A tree node: ("leaf", value, a, b), ("map", {key: (node, a, b)}, a, b) or ("seq", [node], a, b);
# a, b: the offsets of its text in the file (an entry's range runs from its key to its value's end).
Node = tuple[str, Any, int, int]


class _Unknown(Exception):
    """The file kind has no tree here: its fixes cannot be verified."""


def unexplained_change(src: SourceFile, fixed: str, edits: list[tuple[int, int, str]], targets: list[int]) -> str:
    """Why the ``fixed`` text of ``src`` is not the original with only the fixes' changes
    ("" when it is). ``edits``: (start, end, replacement) offsets in the original text;
    ``targets``: the offsets of the fixed findings' first characters in the original."""
    try:
        before = _tree(src.kind, src.path, src.text)
        after = _tree(src.kind, src.path, fixed)
    except _Unknown:
        return f"fixes of {src.kind} files cannot be verified"
    except Exception as exc:  # noqa: BLE001 -- unreadable: the parse check reports it
        return f"the fixed file cannot be read again ({type(exc).__name__})"
    inserted: list[tuple[int, int]] = []
    replaced: list[tuple[int, int]] = []
    shift = 0
    for a, b, text in sorted(edits):
        replaced.append((a, b))
        inserted.append((a + shift, a + shift + len(text)))
        shift += len(text) - (b - a)
    check = _Check(inserted, replaced, targets)
    check.compare(before, after, "")
    if check.problem:
        return check.problem
    if not check.changed:
        return "the fixed text changes nothing the file means: it is not where the fix meant it"
    return ""


class _Check:
    def __init__(self, inserted: list[tuple[int, int]], replaced: list[tuple[int, int]], targets: list[int]) -> None:
        self.inserted = inserted
        self.replaced = replaced
        self.targets = targets
        self.problem = ""
        self.changed = False

    @staticmethod
    def _within(a: int, b: int, ranges: list[tuple[int, int]]) -> bool:
        return any(ra <= a and b <= rb for ra, rb in ranges)

    def _target(self, node: Node) -> bool:
        a, b = node[2], node[3]
        return any(a <= t < b or a == t == b for t in self.targets)

    def _fail(self, where: str, what: str) -> None:
        if not self.problem:
            self.problem = f"it would also change {where or 'the document'} ({what})"

    def compare(self, old: Node, new: Node, where: str) -> None:
        if self.problem:
            return
        if old[0] == "leaf" and new[0] == "leaf" and old[1] == new[1]:
            return
        if old[0] != "leaf" and old[0] == new[0]:
            if old[0] == "map":
                self._maps(old[1], new[1], where)
            else:
                self._seqs(old[1], new[1], where)
            return
        if old[0] == "leaf" and self._target(old):
            self.changed = True  # the fixed value itself
            return
        self._fail(where, "a value the fix does not target")

    def _maps(self, old: dict[Any, tuple[Node, int, int]], new: dict[Any, tuple[Node, int, int]], where: str) -> None:
        for key, (_node, a, b) in new.items():
            if key not in old:
                if not self._within(a, b, self.inserted):
                    self._fail(_at(where, key), "a key that is not in the inserted text")
                    return
                self.changed = True
        for key, (node, a, b) in old.items():
            if key not in new:
                if not self._within(a, b, self.replaced):
                    self._fail(_at(where, key), "a key removed outside the replaced text")
                    return
                self.changed = True
                continue
            self.compare(node, new[key][0], _at(where, key))

    def _seqs(self, old: list[Node], new: list[Node], where: str) -> None:
        kept_new = [n for n in new if not self._within(n[2], n[3], self.inserted)]
        kept_old = [n for n in old if not self._within(n[2], n[3], self.replaced)]
        if len(kept_new) != len(new) or len(kept_old) != len(old):
            self.changed = True
        if len(kept_old) != len(kept_new):
            self._fail(where, "items other than the fixed ones")
            return
        for i, (o, n) in enumerate(zip(kept_old, kept_new)):
            self.compare(o, n, f"{where}[{i}]")


def _at(where: str, key: Any) -> str:
    return f"{where}.{key}" if where else str(key)


# -- trees -------------------------------------------------------------------------------------


def _tree(kind: str, path: str, text: str) -> Node:
    if kind in ("compose", "github", "gitlab"):
        if kind == "gitlab" and "!reference" in text:
            from dockerlint.parsers.ci_gitlab import REFERENCE_TAG

            text = REFERENCE_TAG.sub(" " * len("!reference"), text)  # as the GitLab parser reads it
        return _yaml_tree(text)
    if kind == "daemon":
        return _json_tree(text)
    if kind == "systemd":
        return _unit_tree(path, text)
    if kind == "dockerfile":
        return _dockerfile_tree(text)
    raise _Unknown(kind)


def _yaml_tree(text: str) -> Node:
    from dockerlint.parsers.yaml_nodes import YMap, YNode, YSeq, load

    index = LineIndex(text)
    root = load(text, "")
    if root is None:
        return ("leaf", None, 0, 0)
    done: dict[int, Node] = {}

    def conv(n: YNode) -> Node:
        got = done.get(id(n))
        if got is not None:
            return got
        a, b = index.clamped(n.line, n.col), index.clamped(n.end_line, n.end_col)
        out: Node
        if isinstance(n, YMap):
            entries = {}
            for e in n.entries:
                value = conv(e.value)
                ka = index.clamped(e.key.line, e.key.col)
                entries[e.key.value] = (value, ka, max(value[3], index.clamped(e.key.end_line, e.key.end_col)))
            out = ("map", entries, a, b)
        elif isinstance(n, YSeq):
            out = ("seq", [conv(i) for i in n.items], a, b)
        else:
            out = ("leaf", (n.tag, getattr(n, "value", None)), a, b)
        done[id(n)] = out
        return out

    return conv(root)


def _json_tree(text: str) -> Node:
    from dockerlint.parsers import jsonpos

    root = jsonpos.parse(text, what="daemon.json").root
    if root is None:
        return ("leaf", None, 0, 0)

    def conv(n: jsonpos.Node) -> Node:
        if n.kind == "object":
            return ("map", {m.key: (conv(m.value), m.key_node.start, m.value.end) for m in n.value}, n.start, n.end)
        if n.kind == "array":
            return ("seq", [conv(i) for i in n.value], n.start, n.end)
        return ("leaf", (n.kind, n.value), n.start, n.end)

    return conv(root)


def _unit_tree(path: str, text: str) -> Node:
    """A unit's section headers and directives, or an environment file's assignments, in order."""
    from dockerlint.parsers import systemd

    src = SourceFile(path, "systemd", text)
    index = src.index

    def rng(span: Any) -> tuple[int, int]:
        return index.clamped(span.line, span.col), index.clamped(span.end_line, span.end_col)

    items: list[Node] = []
    for part in systemd.parse(src).daemon_parts:
        if isinstance(part, systemd.EnvFilePart):
            for v in part.assignments:
                a, b = rng(v.name_span)
                items.append(("leaf", ("env", v.name, v.value), a, max(b, v.offsets[-1] + 1 if v.offsets else b)))
            continue
        for section in part.sections:
            items.append(("leaf", ("section", section.name), *rng(section.span)))
            for d in section.directives:
                items.append(("leaf", (section.name, d.key, d.value), *rng(d.span)))
    return ("seq", items, 0, len(text))


def _dockerfile_tree(text: str) -> Node:
    from dockerlint.parsers import dockerfile

    src = SourceFile("Dockerfile", "dockerfile", text)
    index = src.index
    image = dockerfile.parse(src).models[0]
    items: list[Node] = [
        ("leaf", ("directives", tuple(sorted((k, v.value) for k, v in image.directives.items()))), 0, 0)
    ]
    for ins in image.instructions:
        s = ins.span
        value = (
            ins.keyword,
            tuple((f.name, f.value) for f in ins.flags),
            ins.args_text,
            ins.json_form,
            tuple((h.name, h.body) for h in ins.heredocs),
        )
        items.append(("leaf", value, index.clamped(s.line, s.col), index.clamped(s.end_line, s.end_col)))
    return ("seq", items, 0, len(text))
