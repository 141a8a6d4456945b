"""Reporters turn a run's result into text. They know nothing of file kinds.

A reporter is a callable ``render(result, ctx) -> str``; built-ins are also
registered in the ``dockerlint.formatters`` entry-point group, like plugins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class ReportContext:
    registry: Any
    version: str
    color: bool = False
    cwd: str = "."
