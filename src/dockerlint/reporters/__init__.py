"""Reporters turn a run's result into text. They know nothing of file kinds.

A reporter is a callable ``render(result, ctx) -> str``; built-ins are also
registered in the ``dockerlint.formatters`` entry-point group, like plugins. A reporter may
also stream: a ``write(result, ctx, out)`` attribute of ``render`` writes the same text to the
text stream ``out`` piece by piece (every built-in reporter writes one finding at a time, so a
big tree's report is never held whole), and the command line prefers it (:func:`writer_of`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

Writer = Callable[[Any, "ReportContext", "TextSink"], None]


class TextSink(Protocol):
    """Where a streaming reporter writes: a text stream (standard output, a report file)."""

    def write(self, text: str, /) -> Any: ...


BUILTIN_FORMATS = {
    "text": "dockerlint.reporters.text:render",
    "json": "dockerlint.reporters.json_report:render",
    "sarif": "dockerlint.reporters.sarif:render",
    "github": "dockerlint.reporters.github:render",
    "gitlab": "dockerlint.reporters.gitlab:render",
    "junit": "dockerlint.reporters.junit:render",
}


class UnknownFormat(LookupError):
    """No built-in format and no plugin's has that name (the message lists the built-ins)."""


def formatter(name: str, untrusted: Sequence[str] = ()) -> Any:
    """The ``render`` callable of a format: a built-in one (imported by module name, without
    reading entry-point metadata), else a ``dockerlint.formatters`` plugin's, looked for
    outside the ``untrusted`` (scanned) folders. Raises :class:`UnknownFormat`."""
    import importlib

    target = BUILTIN_FORMATS.get(name)
    if target is None:
        from dockerlint.core.plugins import entry_points_of, plugin_path

        for ep in entry_points_of("dockerlint.formatters", plugin_path(untrusted)):
            if ep.name == name:
                return ep.load()
        raise UnknownFormat(f"unknown format {name!r} (available: {', '.join(BUILTIN_FORMATS)})")
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def writer_of(render: Any) -> Writer | None:
    """The streaming ``write(result, ctx, out)`` of a formatter, or None when it only renders."""
    write = getattr(render, "write", None)
    return write if callable(write) else None


def write_lines(out: TextSink, lines: Iterable[str]) -> None:
    """Write ``lines`` each followed by a line break: ``"\\n".join(lines) + "\\n"``, one line at a time."""
    for line in lines:
        out.write(line + "\n")


def write_json_list(out: TextSink, items: Iterable[Any], depth: int) -> None:
    """Write ``items`` as the JSON list ``json.dumps(..., indent=2)`` writes at nesting ``depth``
    (in the report's ``##[``-safe form), one item at a time: the same bytes, without holding
    the list's text."""
    from dockerlint.util.safetext import json_text

    inner = "\n" + "  " * (depth + 1)
    first = True
    for item in items:
        # JSON strings hold no raw newline: every newline of an item's text starts a line.
        out.write(("[" if first else ",") + inner + json_text(dumps_indented(item)).replace("\n", inner))
        first = False
    out.write("[]" if first else "\n" + "  " * depth + "]")


def dumps_indented(obj: Any, level: int = 0) -> str:
    """``json.dumps(obj, indent=2)`` (at nesting ``level``), without the encoder ``indent``
    needs: that one is pure Python and builds nested functions that refer to each other at
    every call, a reference cycle per item that a report of many findings piles up until the
    cyclic collector runs (rarely, in a run). Strings go through json's C escaping; other
    scalars as json writes them."""
    import json

    return _indented(obj, level, json.encoder.encode_basestring_ascii, json.dumps)


def _indented(obj: Any, level: int, string: Callable[[str], str], dumps: Callable[..., str]) -> str:
    t = type(obj)
    if t is str:
        return string(obj)
    if obj is None:
        return "null"
    if obj is True:
        return "true"
    if obj is False:
        return "false"
    if t is int:
        return int.__repr__(obj)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        if not all(type(k) is str for k in obj):  # json's own rules for other keys
            return dumps(obj, indent=2).replace("\n", "\n" + "  " * level)
        pad = "\n" + "  " * (level + 1)
        inner = level + 1
        body = ("," + pad).join([string(k) + ": " + _indented(v, inner, string, dumps) for k, v in obj.items()])
        return "{" + pad + body + "\n" + "  " * level + "}"
    if isinstance(obj, (list, tuple)):
        if not obj:
            return "[]"
        pad = "\n" + "  " * (level + 1)
        inner = level + 1
        return (
            "[" + pad + ("," + pad).join([_indented(v, inner, string, dumps) for v in obj]) + "\n" + "  " * level + "]"
        )
    return dumps(obj)  # floats, subclasses: as json writes them


def write_json_document(
    out: TextSink, doc: dict[str, Any], depth: int, lists: Sequence[tuple[str, Iterable[Any]]]
) -> None:
    """Write ``doc`` as ``json_text(json.dumps(doc, indent=2)) + "\\n"`` would, where the last
    keys of the object at nesting ``depth`` are those of ``lists``: given empty in ``doc``, their
    items are streamed from the iterables (:func:`write_json_list`)."""
    import json

    from dockerlint.util.safetext import json_text

    text = json_text(json.dumps(doc, indent=2))
    pad = "\n" + "  " * depth
    keys = ",".join(f"{pad}{json.dumps(key)}: []" for key, _ in lists)
    # The last occurrence: the lists are the last keys, and a string holds no raw newline.
    head, found, tail = text.rpartition(keys)
    if not found:
        raise ValueError(f"the document does not end with the lists {[k for k, _ in lists]}")
    out.write(head)
    for n, (key, items) in enumerate(lists):
        out.write(("," if n else "") + pad + json.dumps(key) + ": ")
        write_json_list(out, items, depth)
    out.write(tail + "\n")


@dataclass
class ReportContext:
    registry: Any
    version: str
    color: bool = False
    cwd: str = "."
    # text: one line per finding (no grouping, no source), per-rule counts, source excerpts
    quiet: bool = False
    statistics: bool = False
    show_source: bool = True
    # text: the first sentence of the rule page's "Why is this bad?" under each finding
    show_why: bool = False
    # sarif: ``automationDetails.id`` ("" for none), and whether suppressed findings are emitted
    sarif_category: str = ""
    include_suppressed: bool = False
    # display path -> bytes, for inputs that are not on disk (standard input)
    contents: dict[str, bytes] = field(default_factory=dict)
