"""DC115 other-host-namespace: the container shares the host's UTS or cgroup namespace."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.base import LStr
from dockerlint.models.container import Container


def _is_host(v: LStr | None) -> bool:
    return v is not None and v.text.strip().lower() == "host"


def _note(v: LStr) -> str:
    return f", interpolated from {v.value!r}" if v.expanded is not None else ""


@rule(id="DC115", name="other-host-namespace", reads=Container, severity=Severity.HIGH,
      summary="Container shares the host's UTS or cgroup namespace",
      cwe=(653,), cis=("5.20",),
      precision="very-high", tags=("security",))
def other_host_namespace(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    if c.uts is not None and _is_host(c.uts):
        # Changing the hostname needs CAP_SYS_ADMIN, which a default container lacks: sharing
        # the UTS namespace mostly leaks the host's identity, so it is a medium finding.
        yield Hit(c.uts.span,
                  f"{c.label} shares the host's UTS namespace (uts 'host'{_note(c.uts)}): it sees the "
                  "host's hostname and NIS domain, and with CAP_SYS_ADMIN it could change them for the "
                  "whole host",
                  severity=Severity.MEDIUM, context=f"{c.name.value}:uts")
    if c.cgroup is not None and _is_host(c.cgroup):
        yield Hit(c.cgroup.span,
                  f"{c.label} shares the host's cgroup namespace (cgroup 'host'{_note(c.cgroup)}): "
                  "/sys/fs/cgroup shows the host's whole cgroup tree, every other container and "
                  "service with it, and the cgroup release_agent and device-controller escapes need "
                  "exactly this view",
                  context=f"{c.name.value}:cgroup")
