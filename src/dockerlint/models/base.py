"""Base pieces of every model: the :func:`model` decorator, spans, located values, :class:`Root`.

Every value a rule can report on carries a :class:`Span` that says where it is
written: the file, and 1-based line and column, end-exclusive (the same
convention SARIF uses, so reporters copy it without arithmetic). Parsers fix
positions once; rules never adjust them.

Models are slotted standard-library dataclasses (:func:`model`), and the one way to build
one is its class constructor (``Span(path, 1, 1, 1, 2)``, ``Container(path=..., span=...)``):
the parsers have already checked the values, so nothing is validated. The type checker
sees them as frozen; at run time they are not (a frozen dataclass's ``__init__`` is about
three times slower), and nothing may assign to a model's field after it is built.
Serialisation (``dockerlint inspect``) lives in :mod:`dockerlint.models.schema`, the one
module of the models that uses pydantic.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, overload

T = TypeVar("T")

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform

    @overload
    def model(cls: type[T], /) -> type[T]: ...

    @overload
    def model(*, kw_only: bool = True) -> Callable[[type[T]], type[T]]: ...

    @dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(dataclasses.field,))
    def model(cls: type[T] | None = None, /, *, kw_only: bool = True) -> Any: ...
else:

    def model(cls=None, /, *, kw_only=True):
        """Make ``cls`` a model: a slotted dataclass, hashable by value (``unsafe_hash``: a model
        with a list field raises on ``hash()``, as a frozen pydantic model did), keyword-only
        unless ``kw_only=False``. Immutable for the type checker, fast at run time."""

        def wrap(c):
            made = dataclasses.dataclass(slots=True, unsafe_hash=True, kw_only=kw_only)(c)
            if issubclass(made, Root):
                names = {f.name for f in dataclasses.fields(made)}
                if not {"path", "span"} <= names:
                    raise TypeError(f"{made.__name__}: a root model declares the fields 'path' and 'span'")
            return made

        return wrap if cls is None else wrap(cls)


def is_model(obj: object) -> bool:
    """Whether ``obj`` is a model (an instance of a dataclass)."""
    return dataclasses.is_dataclass(obj) and not isinstance(obj, type)


class Root:
    """What every model a parser hands to the engine has (``ImageBuild``, ``Container``,
    ``Daemon``...): ``path``, the file it was read from (a daemon's: the file its findings
    default to), and ``span``, where findings about the whole model point.

    Each root model declares the two fields itself, where they belong in its field order
    (the order ``dockerlint inspect`` shows); :func:`model` checks that it does.
    """

    __slots__ = ()

    KIND: ClassVar[str]  # the rule group folder: "image", "container", ... (set per class)
    path: str
    span: Span


@model(kw_only=False)
class Span:
    """Where something is written: ``path``, 1-based ``line``/``col``, end exclusive."""

    path: str
    line: int
    col: int
    end_line: int
    end_col: int

    @classmethod
    def point(cls, path: str, line: int = 1, col: int = 1) -> Span:
        """A one-character span (used for whole-file findings and parse errors)."""
        return cls(path, line, col, line, col + 1)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@model(kw_only=False)
class LStr:
    """A string as written in the source, with its span: ``LStr(value, span[, expanded])``.

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


@model(kw_only=False)
class LBool:
    """A boolean setting with the span to report (the key or flag that sets it)."""

    value: bool
    span: Span


@model(kw_only=False)
class LValue:
    """Any JSON-like value with its span (daemon settings, raw YAML values)."""

    value: Any
    span: Span
