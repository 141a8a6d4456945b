"""Budgets for expanding variables: how deep references may nest and how many characters
they may add, per value and per file, and where the limits that were reached are recorded.

Shared by every reader that substitutes values (parsers/expansion.py's interpolators, the
Dockerfile and systemd readers) and by rules that substitute build arguments (DF116): a leaf,
so that rules need not import a parser for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

MAX_VALUE = 64 * 1024  # characters variables may add to one value
MAX_NESTING = 32  # nested ${...} references in one value (issue 11: at most 32)
MAX_TOTAL = 4 * 1024 * 1024  # characters variables may add to the values of one file

_SIZE = "a value grows by more than 64 KiB through variables"
_NESTING = f"variable references nest more than {MAX_NESTING} levels deep"
_TOTAL = "variables add more than 4 MiB to this file's values"


class LimitExceeded(Exception):
    """An expansion went past a bound: the value is unknown. ``limit`` says which bound."""

    def __init__(self, limit: str) -> None:
        super().__init__(limit)
        self.limit = limit


@dataclass
class Scope:
    """The expansions of one file (or of one assembly pass): what they took from variables
    altogether, and the limits they reached, by file (the first one each)."""

    origin: str = ""  # the file expanded when an expander is not told which
    total: int = 0
    hits: dict[str, str] = field(default_factory=dict)

    def notices(self) -> list[str]:
        """One line per file that reached a limit, for stderr."""
        return [
            f"{origin or '?'}: {limit} (dockerlint's expansion limit): such values are treated as "
            "unknown, like unset variables, and not expanded"
            for origin, limit in self.hits.items()
        ]


_SCOPE: ContextVar[Scope | None] = ContextVar("dockerlint_expansion", default=None)


@contextmanager
def scope(origin: str = "") -> Iterator[Scope]:
    """Count the expansions done inside the ``with`` block as those of file ``origin``.

    Nested inside another scope, the limits reached are also recorded in the outer one
    (so the engine sees them), but the total starts again from zero."""
    outer = _SCOPE.get()
    inner = Scope(origin=origin)
    if outer is not None:
        inner.hits = outer.hits
        if not origin:
            inner.origin = outer.origin
    token = _SCOPE.set(inner)
    try:
        yield inner
    finally:
        _SCOPE.reset(token)


def record(exc: LimitExceeded, origin: str | None = None) -> None:
    """Remember that a value of ``origin`` (default: the scope's file) went past a limit."""
    sc = _SCOPE.get()
    if sc is not None:
        sc.hits.setdefault(origin or sc.origin, exc.limit)


class Budget:
    """What one value's expansion may still take: nesting depth and substituted characters.

    ``enter``/``leave`` around each nested reference, ``add`` for each value substituted;
    both raise :class:`LimitExceeded` past a bound."""

    __slots__ = ("depth", "size")

    def __init__(self) -> None:
        self.depth = 0
        self.size = 0

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise LimitExceeded(_NESTING)

    def leave(self) -> None:
        self.depth -= 1

    def add(self, n: int) -> None:
        if not n:
            return
        self.size += n
        if self.size > MAX_VALUE:
            raise LimitExceeded(_SIZE)
        sc = _SCOPE.get()
        if sc is not None:
            sc.total += n
            if sc.total > MAX_TOTAL:
                raise LimitExceeded(_TOTAL)
