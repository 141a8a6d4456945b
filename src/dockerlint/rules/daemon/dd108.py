"""DD108: containers may gain privileges through setuid binaries (no ``no-new-privileges`` default)."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.daemon import Daemon
from dockerlint.rules.daemon._defaults import boolean_default


@rule(
    id="DD108",
    name="no-new-privileges-default-off",
    reads=Daemon,
    severity=Severity.LOW,
    summary="The daemon does not set no-new-privileges for new containers",
    cwe=(250,),
    cis=("2.14",),
    peers={"docker-bench": "2.14"},
    tags=("security",),
)
def no_new_privileges_default_off(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    if d.engine != "docker":
        return  # dockerd's settings; Podman's API service reads none of them
    yield from boolean_default(
        d,
        "no-new-privileges",
        True,
        unset='the daemon configured here does not set no-new-privileges{hidden}; set "no-new-privileges": true',
        wrong="{setting} leaves no-new-privileges off for new containers; set it to true",
    )
