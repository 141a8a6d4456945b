"""DD118: container logs stay on the host (local logging driver)."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.daemon import Daemon
from dockerlint.rules.daemon._defaults import hidden, judged, shown

_LOCAL = {"json-file", "local", "none"}


@rule(
    id="DD118",
    name="logging-not-centralized",
    reads=Daemon,
    severity=Severity.INFO,
    summary="Container logs are kept only on the host (json-file, local or none)",
    cwe=(778,),
    cis=("2.13",),
    peers={"docker-bench": "2.13"},
    enabled_by_default=False,
    precision="medium",
    tags=("security",),
)
def logging_not_centralized(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    if d.engine != "docker":
        return  # dockerd's settings; Podman's API service reads none of them
    if not judged(d):
        return
    s = d.get("log-driver")
    if s is None:
        yield Hit(
            d.span,
            (
                f"the daemon configured here sets no log-driver{hidden(d)}: logs stay on the host (json-file); use a "
                "remote driver"
            ),
            context="log-driver",
        )
    elif isinstance(s.value, str) and s.value in _LOCAL:
        what = "discards container logs" if s.value == "none" else "keeps container logs on the host only"
        yield Hit(
            s.value_span, f"{shown(s)} {what}; use a remote driver (syslog, fluentd, gelf...)", context="log-driver"
        )
