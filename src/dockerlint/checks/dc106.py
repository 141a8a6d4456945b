"""DC106 host-user-namespace: the container opts out of user-namespace remapping."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.engine import RuleContext
from dockerlint.models.container import Container
from dockerlint.registry import Hit, Severity, rule


@rule(id="DC106", name="host-user-namespace", reads=Container, severity=Severity.HIGH,
      summary="Container shares the host's user namespace (opts out of userns-remap)",
      cwe=(250,), cis=("5.30",),
      peers={"kics": "shared_host_user_namespace"},
      precision="very-high", tags=("security",))
def host_user_namespace(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    u = c.userns_mode
    if u is None or u.text.strip().lower() != "host":
        return
    yield Hit(u.span,
              f"{c.label} sets userns_mode {u.value!r}: it opts out of the daemon's userns-remap, so root "
              "in the container is root (UID 0) on the host again",
              context=f"{c.name.value}:userns_mode")
