"""DC109 host-ipc: the container shares the host's IPC namespace."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.containers import subject
from dockerlint.rules.container._namespaces import host_namespace, interpolated


@rule(
    id="DC109",
    name="host-ipc",
    reads=Container,
    severity=Severity.HIGH,
    summary="Container shares the host's IPC namespace",
    cwe=(653,),
    cis=("5.16",),
    peers={"compose-lint": "CL-0010", "kics": "shared_host_ipc_namespace"},
    precision="very-high",
    tags=("security",),
)
def host_ipc(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    i = host_namespace(c, "ipc")  # shareable, private, none, container:<id>, service:<name>: not the host's
    if i is None:
        return
    note = interpolated(i)
    yield Hit(i.span, f"{subject(c)} shares the host's IPC namespace (ipc 'host'{note})", context=f"{c.name.value}:ipc")
