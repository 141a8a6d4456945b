"""DD116: the daemon disables seccomp for every container (``seccomp-profile: unconfined``)."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.daemon import Daemon
from dockerlint.rules.daemon._defaults import shown


@rule(
    id="DD116",
    name="daemon-seccomp-unconfined",
    reads=Daemon,
    severity=Severity.HIGH,
    summary="The daemon-wide seccomp profile is unconfined",
    cwe=(693,),
    cis=("2.17", "5.22"),
    peers={"docker-bench": "2.17"},
    precision="very-high",
    tags=("security",),
)
def daemon_seccomp_unconfined(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    if d.engine != "docker":
        return  # dockerd's settings; Podman's API service reads none of them
    s = d.get("seccomp-profile")
    if s is not None and s.value == "unconfined":
        yield Hit(
            s.value_span,
            (
                f"{shown(s)} turns seccomp off for every container of this daemon; remove it (the default profile "
                "applies)"
            ),
            context="seccomp-profile",
        )
