"""Rule selection: which rules are on for a run or a file, and the globs of per-file ignores.

Moved unchanged from the engine (issue 13 WP2.1); WP3.1 makes this the one algorithm the
configuration and the engine share.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dockerlint.core.options import Options
    from dockerlint.core.registry import Registry, RuleStub


def matches(rule_id: str, selectors: Iterable[str]) -> bool:
    return any(rule_id.startswith(s) for s in selectors if s)


def enabled_rules(registry: Registry, options: Options) -> list[RuleStub]:
    """Rules on for this run: the defaults (or ``select``), plus ``extend_select``, minus ``ignore``.

    Selecting by exact id turns on a rule that is off by default; selecting by a prefix
    turns on the off-by-default rules under it only when the prefix names their group
    precisely enough to mean them (``DF2`` turns on the DF2xx hygiene group; ``DF``
    alone keeps it off).
    """
    out = []
    for r in registry.stubs():
        on = r.enabled_by_default
        if options.select:
            on = selected(r, options.select)
        if options.extend_select and selected(r, options.extend_select):
            on = True
        if matches(r.id, options.ignore):
            on = False
        if on or r.id.endswith("000"):  # parse errors are always reported
            out.append(r)
    return out


def selected(r: RuleStub, selectors: list[str]) -> bool:
    for s in selectors:
        if s == "ALL":
            return True
        if s and r.id.startswith(s) and (r.enabled_by_default or len(s) >= 3):
            return True
    return False


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
            if options.enabled is not None:
                always = {rid for rid in self.registry.ids() if rid.endswith("000")}
                cached = frozenset(set(options.enabled) | always)
            else:
                cached = frozenset(r.id for r in enabled_rules(self.registry, options))
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
