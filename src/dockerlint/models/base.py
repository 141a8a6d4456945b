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

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

M = TypeVar("M", bound="Model")

_new = object.__new__
_setattr = object.__setattr__
_MISSING = object()
# Per model class: how many fields it has, (name, default_factory, default) of each, and
# the set of all field names.
_SPECS: dict[type, tuple[int, list[tuple[str, Any, Any]], set[str]]] = {}


def _spec(cls: type) -> tuple[int, list[tuple[str, Any, Any]], set[str]]:
    fields = [(name, f.default_factory, _MISSING if f.is_required() else f.default)
              for name, f in cls.model_fields.items()]  # type: ignore[attr-defined]
    spec = (len(fields), fields, {name for name, _, _ in fields})
    _SPECS[cls] = spec
    return spec


def build(cls: type[M], **values: Any) -> M:
    """Build a model from values a parser has already checked: no validation.

    The same object ``cls.model_construct(**values)`` gives (a test compares them), at
    a fraction of the cost: ``model_construct`` inspects every field's default handling
    on each call, and parsers build one object per word of input.
    """
    count, fields, names = _SPECS.get(cls) or _spec(cls)
    if len(values) != count:  # fill defaults only when some field was left out
        for name, factory, default in fields:
            if name not in values:
                if factory is not None:
                    values[name] = factory()
                elif default is not _MISSING:
                    values[name] = default
                else:
                    raise TypeError(f"{cls.__name__}: missing required field {name!r}")
    obj = _new(cls)
    _setattr(obj, "__dict__", values)
    # Every field is set (defaults are filled in above), so every object of the class can
    # share one set of names: a set per object was about 40 % of a parsed Dockerfile's
    # memory. Models are frozen, and pydantic copies the set before changing it
    # (``model_copy(update=...)``); nothing may mutate ``model_fields_set`` in place.
    _setattr(obj, "__pydantic_fields_set__", names)
    _setattr(obj, "__pydantic_extra__", None)
    _setattr(obj, "__pydantic_private__", None)
    return obj


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
        return build(cls, path=path, line=line, col=col, end_line=end_line, end_col=end_col)

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
        return build(cls, value=value, span=span, expanded=expanded)


class LBool(Model):
    """A boolean setting with the span to report (the key or flag that sets it)."""

    value: bool
    span: Span

    @classmethod
    def make(cls, value: bool, span: Span) -> LBool:
        return build(cls, value=value, span=span)


class LValue(Model):
    """Any JSON-like value with its span (daemon settings, raw YAML values)."""

    value: Any
    span: Span

    @classmethod
    def make(cls, value: Any, span: Span) -> LValue:
        return build(cls, value=value, span=span)
