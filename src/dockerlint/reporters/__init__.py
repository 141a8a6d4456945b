"""Reporters turn a run's result into text. They know nothing of file kinds.

A reporter is a callable ``render(result, ctx) -> str``; built-ins are also
registered in the ``dockerlint.formatters`` entry-point group, like plugins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    # sarif: ``automationDetails.id`` ("" for none), and whether suppressed findings are emitted
    sarif_category: str = ""
    include_suppressed: bool = False
    # display path -> bytes, for inputs that are not on disk (standard input)
    contents: dict[str, bytes] = field(default_factory=dict)
