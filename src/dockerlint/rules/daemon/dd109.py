"""DD109: containers stop whenever dockerd stops (``live-restore`` not true)."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.daemon import Daemon
from dockerlint.rules.daemon._defaults import boolean_default


@rule(
    id="DD109",
    name="live-restore-disabled",
    reads=Daemon,
    severity=Severity.INFO,
    summary="Containers stop whenever the daemon stops (live-restore is not enabled)",
    cwe=(1188,),
    cis=("2.15",),
    peers={"docker-bench": "2.15"},
    tags=("availability",),
)
def live_restore_disabled(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    if d.engine != "docker":
        return  # dockerd's settings; Podman's API service reads none of them
    yield from boolean_default(
        d,
        "live-restore",
        True,
        unset=(
            'the daemon configured here does not enable live-restore{hidden}; set "live-restore": true (not with Swarm)'
        ),
        wrong="{setting}: containers stop whenever dockerd stops; set live-restore to true (not with Swarm)",
    )
