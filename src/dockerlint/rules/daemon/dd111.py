"""DD111: the daemon runs with experimental features."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.daemon import Daemon
from dockerlint.rules.daemon._defaults import shown


@rule(
    id="DD111",
    name="experimental-enabled",
    reads=Daemon,
    severity=Severity.LOW,
    summary="The daemon runs with experimental features enabled",
    cwe=(758,),
    cis=("2.18",),
    peers={"docker-bench": "2.18"},
    tags=("security",),
)
def experimental_enabled(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    if d.engine != "docker":
        return  # dockerd's settings; Podman's API service reads none of them
    s = d.get("experimental")
    if s is None or s.value is not True:
        return
    rootless = " (rootless needs it only before Docker 20.10)" if d.rootless is not None else ""
    yield Hit(
        s.span,
        f"{shown(s)} turns on experimental daemon features{rootless}; leave them off in production",
        context="experimental",
    )
