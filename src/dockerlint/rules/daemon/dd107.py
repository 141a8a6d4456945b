"""DD107: containers on the default bridge can talk to each other (``icc`` not false)."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.daemon import Daemon
from dockerlint.rules.daemon._defaults import boolean_default


@rule(
    id="DD107",
    name="inter-container-communication",
    reads=Daemon,
    severity=Severity.LOW,
    summary="Containers on the default bridge network can reach each other (icc is not false)",
    cwe=(653,),
    cis=("2.2",),
    peers={"docker-bench": "2.2"},
    tags=("security",),
)
def inter_container_communication(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    if d.engine != "docker":
        return  # dockerd's settings; Podman's API service reads none of them
    bridge = d.get("bridge")
    if bridge is not None and bridge.value == "none":
        return  # no default bridge network: icc has nothing to govern
    yield from boolean_default(
        d,
        "icc",
        False,
        unset='the daemon configured here leaves icc at its default (true){hidden}; set "icc": false',
        wrong="{setting} lets containers on the default bridge reach each other's ports; set icc to false",
    )
