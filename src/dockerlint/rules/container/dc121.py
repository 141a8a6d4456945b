"""DC121 shared-mount-propagation: mounts made in the container propagate to the host."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.container import Container


@rule(id="DC121", name="shared-mount-propagation", reads=Container, severity=Severity.MEDIUM,
      summary="Bind mount with shared propagation: mounts propagate between container and host",
      cwe=(668,), cis=("5.19",),
      peers={"compose-lint": "CL-0017"},
      precision="very-high", tags=("security",))
def shared_mount_propagation(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    for m in c.volumes:
        p = m.propagation
        if p is None or p.text.strip().lower() not in {"shared", "rshared"}:
            continue
        source = f" {m.source.text!r}" if m.source is not None else " a volume"
        yield Hit(p.span,
                  f"{c.label} mounts{source} with {p.text.strip()!r} propagation: mounts the container makes "
                  "under it appear on the host (and the host's in the container), so a container able to "
                  "mount can shadow host paths; use 'rslave' if it only needs to see the host's mounts",
                  context=f"{c.name.value}:propagation:{m.source.text if m.source else ''}")
