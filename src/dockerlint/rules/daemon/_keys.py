"""dockerd's key table for DD112/DD113, read from the schema dockerlint ships.

One source of truth: ``dockerlint/data/daemon.schema.json``. Its ``properties`` are the
keys dockerd reads from daemon.json (their types feed DD000); its ``x-dockerd`` block
records how dockerd *checks* keys (``daemon/config/config.go``): the flag names, the named
options (``label`` -> ``labels``), the objects it does not flatten, the keys it skips, and
the keys that were removed, are rejected or are ignored. Loaded on first use only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

SCHEMA_RESOURCE = "data/daemon.schema.json"


@dataclass(frozen=True)
class KeyTable:
    read: frozenset[str]  # keys dockerd reads from the file ("properties")
    flags: frozenset[str]  # long flag names of dockerd
    shorthands: dict[str, str]  # "D" -> "debug"
    named: dict[str, str]  # flag -> the plural key of a repeatable flag ("label" -> "labels")
    skip_validate: frozenset[str]
    flat: frozenset[str]  # objects dockerd does not flatten before checking keys
    file_only: frozenset[str]  # keys with no flag of the same name ("builder", "proxies")
    merged: frozenset[str]  # keys that may be in the file and a flag at once ("runtimes")
    migrated: dict[str, str]  # legacy key -> its new named option
    removed: dict[str, dict[str, str]]
    rejected: dict[str, dict[str, str]]
    ignored: dict[str, dict[str, str]]
    properties: dict[str, Any]  # the schema of each read key

    def accepted(self, key: str) -> bool:
        """Whether dockerd's unknown-key check lets ``key`` pass (it may still be ignored)."""
        return (
            key in self.flags
            or key in self.named.values()
            or key in self.skip_validate
            or (key in self.read and key not in self.rejected and key not in self.removed)
        )

    def plural(self, flag: str) -> str:
        """The daemon.json key a flag is written as (``label`` -> ``labels``)."""
        return self.named.get(flag, flag)

    def flag_of(self, key: str) -> str:
        """The flag that sets a daemon.json key (``labels`` -> ``label``)."""
        for flag, plural in self.named.items():
            if plural == key:
                return flag
        return key

    def suggest(self, word: str, among: list[str] | None = None) -> str | None:
        """The nearest valid key (difflib), for "did you mean"."""
        import difflib  # only when a finding needs a suggestion: it is not free at start-up

        pool = (
            among
            if among is not None
            else sorted(k for k in self.read if k not in self.removed and k not in self.ignored)
        )
        found = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
        if not found and word.lower() != word:
            found = difflib.get_close_matches(word.lower(), pool, n=1, cutoff=0.6)
        return found[0] if found else None

    def struct_fields(self, path: list[str]) -> list[str] | None:
        """The fields of a nested object the schema describes as a struct (``builder``,
        ``builder.entitlements``, ``proxies``), or None for maps and unknown objects."""
        node: Any = self.properties.get(path[0]) if path else None
        for name in path[1:]:
            if not isinstance(node, dict):
                return None
            node = node.get("properties", {}).get(name)
        if isinstance(node, dict) and isinstance(node.get("properties"), dict):
            return sorted(node["properties"])
        return None


@lru_cache(maxsize=1)
def table() -> KeyTable:
    from importlib.resources import files

    schema: dict[str, Any] = json.loads((files("dockerlint") / SCHEMA_RESOURCE).read_text(encoding="utf-8"))
    x: dict[str, Any] = schema["x-dockerd"]
    props: dict[str, Any] = schema["properties"]
    return KeyTable(
        read=frozenset(props),
        flags=frozenset(x["flags"]),
        shorthands=dict(x["shorthands"]),
        named=dict(x["namedOptions"]),
        skip_validate=frozenset(x["skipValidate"]),
        flat=frozenset(x["flatOptions"]),
        file_only=frozenset(x["fileOnly"]),
        merged=frozenset(x["mergedWithFlags"]),
        migrated=dict(x["migrated"]),
        removed=dict(x["removed"]),
        rejected=dict(x["rejected"]),
        ignored=dict(x["ignored"]),
        properties=props,
    )
