"""The scan: every model parsed in one run, which rules may look across (``api.ScanView``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class Scan:
    """Everything parsed in one run; rules may look across files through it."""

    models: list[Any] = field(default_factory=list)
    # Bumped whenever ``models`` changes: the values of :meth:`cached` are computed again
    # when it moves.
    version: int = 0
    # ``path_key`` of another path to a Dockerfile of the scan (through a symbolic link) ->
    # the ``path_key`` it is linted under: a build that names it that way builds that file.
    aliases: dict[str, str] = field(default_factory=dict)
    # compute function -> (the version it was computed at, its value)
    _cached: dict[Callable[[Any], Any], tuple[int, Any]] = field(default_factory=dict, repr=False, compare=False)

    def of(self, cls: type) -> list[Any]:
        return [m for m in self.models if isinstance(m, cls)]

    def add(self, models: Iterable[Any]) -> None:
        self.models.extend(models)
        self.version += 1

    def replace(self, models: list[Any]) -> None:
        self.models = models
        self.version += 1

    def cached(self, compute: Callable[[Any], T]) -> T:
        """``compute(self)``, computed once per version of the scan: an index every rule of the
        run can share (``compute`` is the key, so pass the same module-level function each time)."""
        got = self._cached.get(compute)
        if got is not None and got[0] == self.version:
            value: T = got[1]
            return value
        value = compute(self)
        self._cached[compute] = (self.version, value)
        return value
