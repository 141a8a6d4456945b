"""Reporters turn a run's result into text. They know nothing of file kinds.

A reporter is a callable ``render(result, ctx) -> str``; built-ins are also
registered in the ``dockerlint.formatters`` entry-point group, like plugins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

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
