"""Base pieces of every model: spans and located values.

Every value a rule can report on carries a :class:`Span` that says where it is
written: the file, and 1-based line and column, end-exclusive (the same
convention SARIF uses, so reporters copy it without arithmetic). Parsers fix
positions once; rules never adjust them.

Models are frozen pydantic models built with ``model_construct`` by the
parsers (the parsers have already checked the values), and ``defer_build`` keeps
class creation cheap, so importing the models costs little at start-up.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Base class of all dockerlint models."""

    model_config = ConfigDict(frozen=True, defer_build=True, extra="forbid")


class Span(Model):
    """Where something is written: ``path``, 1-based ``line``/``col``, end exclusive."""

    path: str
    line: int
    col: int
    end_line: int
    end_col: int

    @classmethod
    def make(cls, path: str, line: int, col: int, end_line: int, end_col: int) -> Span:
        return cls.model_construct(path=path, line=line, col=col, end_line=end_line, end_col=end_col)

    @classmethod
    def point(cls, path: str, line: int = 1, col: int = 1) -> Span:
        """A one-character span (used for whole-file findings and parse errors)."""
        return cls.make(path, line, col, line, col + 1)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class LStr(Model):
    """A string as written in the source, with its span.

    ``expanded`` is the value with interpolation defaults applied
    (``${VAR:-/var/run/docker.sock}`` -> ``/var/run/docker.sock``) when it
    differs from ``value``; rules that judge meaning read :attr:`text`.
    """

    value: str
    span: Span
    expanded: str | None = None

    @property
    def text(self) -> str:
        return self.value if self.expanded is None else self.expanded

    @classmethod
    def make(cls, value: str, span: Span, expanded: str | None = None) -> LStr:
        return cls.model_construct(value=value, span=span, expanded=expanded)


class LBool(Model):
    """A boolean setting with the span to report (the key or flag that sets it)."""

    value: bool
    span: Span

    @classmethod
    def make(cls, value: bool, span: Span) -> LBool:
        return cls.model_construct(value=value, span=span)


class LValue(Model):
    """Any JSON-like value with its span (daemon settings, raw YAML values)."""

    value: Any
    span: Span

    @classmethod
    def make(cls, value: Any, span: Span) -> LValue:
        return cls.model_construct(value=value, span=span)
