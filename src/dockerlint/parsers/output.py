"""What a parser returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dockerlint.models.base import Span


@dataclass
class Problem:
    """A non-fatal problem a parser found (reported under a parse-error id such as DD000).

    Fatal problems are raised as :class:`~dockerlint.parsers.errors.ParseError` instead.
    """

    rule_id: str
    message: str
    span: Span


@dataclass
class ParseOutput:
    models: list[Any] = field(default_factory=list)  # models rules read directly
    # Pieces of a daemon configuration (daemon.json documents, unit files). The engine
    # assembles the pieces found in one scan into Daemon models.
    daemon_parts: list[Any] = field(default_factory=list)
    # Compose files (:class:`~dockerlint.parsers.compose.ComposeDocument`). The engine
    # assembles the files of one scan into Compose projects (override files merged,
    # ``extends``/``include`` resolved, ``.env`` interpolated): see parsers/compose_project.py.
    compose_parts: list[Any] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
