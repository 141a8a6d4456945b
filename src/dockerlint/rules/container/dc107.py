"""DC107 host-network: the container shares the host's network namespace."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.containers import subject, written
from dockerlint.rules.container._namespaces import host_namespace, interpolated


@rule(
    id="DC107",
    name="host-network",
    reads=Container,
    severity=Severity.HIGH,
    summary="Container shares the host's network namespace",
    cwe=(653, 668),
    cis=("5.9",),
    peers={"compose-lint": "CL-0008", "kics": "shared_host_network_namespace"},
    precision="very-high",
    tags=("security",),
)
def host_network(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    n = host_namespace(c, "network")
    if n is None:
        return
    note = interpolated(n)
    setting = written(c, "network_mode", "host", compose="network_mode 'host'")  # --network host, Network=host
    yield Hit(
        n.span,
        f"{subject(c)} uses the host's network stack ({setting}{note})",
        context=f"{c.name.value}:network_mode",
    )
