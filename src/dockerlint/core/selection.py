"""Rule selection: which rules are on for a run or a file (ONE algorithm, for the configuration
layers and the engine alike), and the globs of per-file ignores.

A selection is evaluated one rule at a time, from the rule's id and its default, so the
registry never imports a rule to select it: the ids and defaults come from the layout.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from dockerlint.core.options import Options
    from dockerlint.core.registry import Registry


def matches(rule_id: str, selectors: Iterable[str]) -> bool:
    return any(rule_id.startswith(s) for s in selectors if s)


def selected(rule_id: str, default: bool, selectors: Iterable[str]) -> bool:
    """Whether ``selectors`` select the rule. Selecting by exact id turns on a rule that is off
    by default; selecting by a prefix turns on the off-by-default rules under it only when
    the prefix names their group precisely enough to mean them (``DF2`` turns on the DF2xx
    hygiene group; ``DF`` alone keeps it off)."""
    for s in selectors:
        if s == "ALL":
            return True
        if s and rule_id.startswith(s) and (default or len(s) >= 3):
            return True
    return False


class Picks(Protocol):
    """What one precedence layer selects (a configuration file, the environment, the command line)."""

    @property
    def select(self) -> Sequence[str] | None: ...  # None: the layer does not select
    @property
    def extend_select(self) -> Sequence[str]: ...
    @property
    def ignore(self) -> Sequence[str]: ...


@dataclass(frozen=True, slots=True)
class Pick:
    """One layer's selection, frozen."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Selection:
    """The layers' selection, lowest first: each layer's ``select`` starts over, its
    ``extend_select`` adds, its ``ignore`` removes (as ruff does)."""

    layers: tuple[Pick, ...] = ()

    @classmethod
    def of(cls, layers: Iterable[Picks]) -> Selection:
        return cls(
            tuple(
                Pick(None if p.select is None else tuple(p.select), tuple(p.extend_select), tuple(p.ignore))
                for p in layers
            )
        )

    @classmethod
    def of_options(cls, options: Options) -> Selection:
        """The one layer of an engine :class:`Options` (an empty ``select``: the defaults)."""
        return cls((Pick(tuple(options.select) or None, tuple(options.extend_select), tuple(options.ignore)),))

    def enabled(self, rule_id: str, default: bool) -> bool:
        on = default
        for layer in self.layers:
            if layer.select is not None:
                on = selected(rule_id, default, layer.select)
            if layer.extend_select and selected(rule_id, default, layer.extend_select):
                on = True
            if layer.ignore and matches(rule_id, layer.ignore):
                on = False
        return on or rule_id.endswith("000")  # parse errors are always reported

    def ids(self, registry: Registry) -> frozenset[str]:
        """The ids of ``registry`` this selection turns on (nothing imported)."""
        return frozenset(rid for rid in registry.ids() if self.enabled(rid, registry.default(rid)))


class EnabledIds:
    """The ids on for an :class:`Options` (a file's configuration, or the run's), computed once
    per options object."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._cache: dict[int, tuple[Options, frozenset[str]]] = {}

    def __call__(self, options: Options) -> frozenset[str]:
        key = id(options)
        hit = self._cache.get(key)
        cached = hit[1] if hit is not None and hit[0] is options else None
        if cached is None:
            if options.enabled is not None:  # resolved by the configuration layers (Selection too)
                always = {rid for rid in self.registry.ids() if rid.endswith("000")}
                cached = frozenset(set(options.enabled) | always)
            else:
                cached = Selection.of_options(options).ids(self.registry)
            self._cache[key] = (options, cached)  # the object too: ids of dead objects are reused
        return cached


_LOOKALIKE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def suggest_rule_id(word: str, known: Iterable[str]) -> str:
    """The registered id closest to a mistyped one ('' if none is close): letters that look
    like digits first (``DF1O1`` -> ``DF101``), then by similarity."""
    import difflib

    ids = list(known)
    upper = word.strip().upper()
    fixed = upper[:2] + upper[2:].translate(_LOOKALIKE)
    if fixed in ids:
        return fixed
    close = difflib.get_close_matches(upper, ids, n=1, cutoff=0.6)
    return close[0] if close else ""


def path_matches(glob: str, rel: str) -> bool:
    """Whether one ``per-file-ignores`` key matches the file ``rel`` (relative to the
    configuration's folder): the key is a ``.gitignore`` line, with git's semantics."""
    return bool(_globs((glob,)).matches(rel))


def globs_match(globs: Sequence[str], rel: str) -> bool:
    """Whether a configuration's ``exclude`` list (the lines of one ``.gitignore``: the last
    matching one decides, ``!`` re-includes) matches the file ``rel``."""
    return bool(_globs(tuple(globs)).matches(rel))


@functools.lru_cache(maxsize=256)
def _globs(patterns: tuple[str, ...]) -> Any:
    from dockerlint.util.gitignore import Globs

    return Globs(patterns, "configuration")
