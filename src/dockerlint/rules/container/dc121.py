"""DC121 shared-mount-propagation: mounts made in the container propagate to the host."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.containers import subject
from dockerlint.rules.container._text import fit


@rule(
    id="DC121",
    name="shared-mount-propagation",
    reads=Container,
    severity=Severity.MEDIUM,
    summary="Bind mount with shared propagation: mounts propagate between container and host",
    cwe=(668,),
    cis=("5.19",),
    peers={"compose-lint": "CL-0017"},
    precision="very-high",
    tags=("security",),
)
def shared_mount_propagation(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    for m in c.volumes:
        p = m.propagation
        if p is None or p.text.strip().lower() not in {"shared", "rshared"}:
            continue
        source = f" {quote(m.source.text)}" if m.source is not None else " a volume"
        yield Hit(
            p.span,
            fit(
                f"{subject(c)} mounts{source} with {quote(p.text.strip(), 16)} propagation: its mounts reach the host",
                "; 'rslave' only sees the host's",
            ),
            context=f"{c.name.value}:propagation:{m.source.text if m.source else ''}",
        )
