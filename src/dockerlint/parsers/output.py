"""What a parser returns."""

from __future__ import annotations

from collections.abc import Callable
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


@dataclass(frozen=True)
class Comment:
    """A comment as the file's own syntax reads it (never text that only looks like one:
    a ``#`` in a YAML string, a heredoc body, a quoted shell word, the middle of a RUN line).

    Its text is ``lines[line - 1][col - 1:end_col - 1]``: it starts at the comment marker
    (``#``, or ``;`` in a systemd unit) and stays on one line. ``own_line``: nothing but
    blanks before it on its line (it applies to what follows; otherwise to its own line).
    """

    line: int
    col: int
    end_col: int
    own_line: bool


# The comments of a file, or a function that finds them when they are first needed (a
# YAML file's comments take a second scan, done only for files with suppressions).
Comments = list[Comment] | Callable[[], list[Comment]]


def comment_at(lines: list[str], line: int, col: int, end_col: int) -> Comment:
    """The comment at ``line``/``col`` (1-based), ``own_line`` when only spaces and tabs precede it."""
    before = lines[line - 1][: col - 1] if 0 < line <= len(lines) else ""
    return Comment(line, col, end_col, not before.strip(" \t"))


def comment_of_span(lines: list[str], span: Span) -> Comment | None:
    """The comment a one-line span covers (None for a span over several lines)."""
    if span.end_line != span.line:
        return None
    return comment_at(lines, span.line, span.col, span.end_col)


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
    # The file's comments, where suppression comments may be written (None: the file has no
    # comments, as JSON, or the parser did not read it).
    comments: Comments | None = None
    # A Dockerfile's instructions: first line -> last line of each (continuations and heredocs
    # included), where a suppression comment above an instruction applies. Set by the
    # Dockerfile parser; None for other files.
    extents: dict[int, int] | None = None


def resolve(comments: Comments | None) -> list[Comment]:
    """The comments themselves (found now if they were deferred)."""
    if comments is None:
        return []
    return comments() if callable(comments) else comments
