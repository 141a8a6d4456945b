"""DC120 writable-root-filesystem: the container's root filesystem is writable."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.containers import subject, written


@rule(
    id="DC120",
    name="writable-root-filesystem",
    reads=Container,
    severity=Severity.INFO,
    summary="Container's root filesystem is writable (no read_only: true)",
    cwe=(732,),
    cis=("5.12",),
    peers={"compose-lint": "CL-0007", "semgrep": "docker-compose.security.writable-filesystem-service"},
    enabled_by_default=False,
    precision="very-high",
    tags=("security",),
)
def writable_root_filesystem(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    if c.managed_by is not None:
        return  # created by a CI runner or defined by a Compose service: not settable here
    ro = c.read_only
    if ro is not None and ro.value:
        return
    # In the source's own syntax: read_only: true, --read-only, ReadOnly=true.
    if ro is not None:
        yield Hit(ro.span, f"{subject(c)} sets {written(c, 'read_only', 'false')}", context=f"{c.name.value}:read_only")
    else:
        yield Hit(
            c.name.span,
            f"{subject(c)} does not set {written(c, 'read_only', 'true')}",
            context=f"{c.name.value}:read_only",
        )
