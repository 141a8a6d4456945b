"""DD113: a setting is both in daemon.json and a dockerd flag: dockerd refuses to start."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.daemon import Daemon, DaemonSetting
from dockerlint.rules.daemon._daemon import through
from dockerlint.rules.daemon._defaults import at
from dockerlint.rules.daemon._keys import table


def _file_keys(d: Daemon, flat: frozenset[str]) -> dict[str, DaemonSetting]:
    """The keys dockerd sees as set in the file: objects flattened one level (unless flat),
    the last occurrence of a repeated key winning, as in dockerd's ``configValuesSet``."""
    seen: dict[str, DaemonSetting] = {}
    for s in d.settings:
        if s.origin != "file":
            continue
        if isinstance(s.value, dict) and s.key not in flat:
            for m in s.members:
                seen[m.key] = m
        else:
            seen[s.key] = s
    return seen


def _reads_this_file(d: Daemon) -> bool:
    """False when ``--config-file`` points dockerd at another file than the daemon.json found."""
    flag = d.get("config-file")
    if flag is None or flag.origin != "flag" or not isinstance(flag.value, str) or d.config_path is None:
        return True
    # Compare file names only: a repository keeps /etc/docker/daemon.json as files/daemon.json.
    wanted = flag.value.strip().replace("\\", "/").rsplit("/", 1)[-1]
    return wanted == d.config_path.replace("\\", "/").rsplit("/", 1)[-1]


@rule(
    id="DD113",
    name="flag-and-file-conflict",
    reads=Daemon,
    severity=Severity.ERROR,
    summary="A setting is both in daemon.json and a dockerd flag, so dockerd refuses to start",
    cwe=(665,),
    peers={"dockerd": "--validate"},
    precision="very-high",
    tags=("correctness",),
)
def flag_and_file_conflict(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    if d.engine != "docker":
        return  # dockerd's settings; Podman's API service reads none of them
    t = table()
    in_file = _file_keys(d, t.flat)
    if not in_file or not _reads_this_file(d):
        return
    flags: dict[str, list[DaemonSetting]] = {}
    for s in d.settings:
        if s.origin == "flag" and s.key not in t.merged:
            flags.setdefault(s.key, []).append(s)
            legacy = next((old for old, new in t.migrated.items() if new == s.key), None)
            if legacy is not None:
                flags.setdefault(legacy, []).append(s)
    for key, fs in flags.items():
        f = in_file.get(key)
        if f is None:
            continue
        first = fs[0]
        more = f" (and {len(fs) - 1} more)" if len(fs) > 1 else ""
        head = f"{quote(f.key)} is set here and by {first.written_key} in {at(first.span)}"
        tail = f"{more}: dockerd refuses to start; keep one"
        yield Hit(f.span, f"{head}{through(first, 140 - len(head) - len(tail))}{tail}", context=key)
