"""DD110: published ports go through docker-proxy (``userland-proxy`` not false).

Not judged: a rootless daemon (RootlessKit forwards the ports), and a daemon with iptables
off, which writes no NAT rules: the proxy is then the only way to a published port.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.daemon import Daemon
from dockerlint.rules.daemon._defaults import boolean_default


@rule(
    id="DD110",
    name="userland-proxy-enabled",
    reads=Daemon,
    severity=Severity.INFO,
    summary="The userland proxy (docker-proxy) is enabled",
    cwe=(1188,),
    cis=("2.16",),
    peers={"docker-bench": "2.16"},
    tags=("security",),
)
def userland_proxy_enabled(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    if d.engine != "docker":
        return  # dockerd's settings; Podman's API service reads none of them
    if d.rootless is not None:
        return  # rootless Docker forwards ports through RootlessKit: the proxy cannot be turned off
    iptables = d.get("iptables")
    if iptables is not None and iptables.value is False:
        return  # no NAT rules without iptables: the proxy is the only way to a published port
    yield from boolean_default(
        d,
        "userland-proxy",
        False,
        unset=(
            "the daemon configured here leaves userland-proxy at its default (true){hidden}; set "
            '"userland-proxy": false'
        ),
        wrong="{setting} runs a root docker-proxy for every published port; set userland-proxy to false",
    )
