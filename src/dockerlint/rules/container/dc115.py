"""DC115 other-host-namespace: the container shares the host's UTS or cgroup namespace."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.containers import subject
from dockerlint.rules.container._namespaces import host_namespace, interpolated


@rule(
    id="DC115",
    name="other-host-namespace",
    reads=Container,
    severity=Severity.HIGH,
    summary="Container shares the host's UTS or cgroup namespace",
    cwe=(653,),
    cis=("5.20",),
    precision="very-high",
    tags=("security",),
)
def other_host_namespace(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    uts = host_namespace(c, "uts")
    if uts is not None:
        # Changing the hostname needs CAP_SYS_ADMIN, which a default container lacks: sharing
        # the UTS namespace mostly leaks the host's identity, so it is a medium finding.
        yield Hit(
            uts.span,
            f"{subject(c)} shares the host's UTS namespace (uts 'host'{interpolated(uts)})",
            severity=Severity.MEDIUM,
            context=f"{c.name.value}:uts",
        )
    cgroup = host_namespace(c, "cgroup")
    if cgroup is not None:
        yield Hit(
            cgroup.span,
            f"{subject(c)} shares the host's cgroup namespace (cgroup 'host'{interpolated(cgroup)})",
            context=f"{c.name.value}:cgroup",
        )
