"""DC106 host-user-namespace: the container opts out of user-namespace remapping."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.daemons import daemons
from dockerlint.rules.container._namespaces import host_namespace
from dockerlint.rules.container._rootless import scoped

if TYPE_CHECKING:
    from dockerlint.models.daemon import Daemon, DaemonSetting


def _remap_on(d: Daemon) -> DaemonSetting | None:
    """The effective ``userns-remap`` of a daemon when it turns remapping on (not empty, root or 0)."""
    s = d.get("userns-remap")
    if s is None or not isinstance(s.value, str):
        return None
    user = s.value.strip().split(":", 1)[0].strip()
    return None if user in ("", "root", "0") else s


@rule(id="DC106", name="host-user-namespace", reads=Container, severity=Severity.HIGH,
      summary="Container shares the host's user namespace (opts out of userns-remap)",
      cwe=(250,), cis=("5.30",),
      peers={"kics": "shared_host_user_namespace"},
      precision="very-high", tags=("security",))
def host_user_namespace(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    return scoped(c, _host_user_namespace(c, ctx), Severity.HIGH)


def _host_user_namespace(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    u = host_namespace(c, "userns")
    if u is None:
        return
    # A daemon in the scan remaps user namespaces: this container deliberately gives up the
    # protection the host was set up with, so the finding is critical. (Which daemon runs
    # the container is unknown; one that remaps is enough to make the opt-out deliberate.)
    if c.source == "quadlet":
        yield Hit(u.span, f"{c.label} sets UserNS={u.value}: it opts out of any user namespace podman would "
                          "give it (userns=auto in containers.conf), so root in the container is the user that "
                          "runs podman on the host", context=f"{c.name.value}:userns_mode")
        return
    remap = next((s for d in daemons(ctx) if (s := _remap_on(d)) is not None), None)
    if remap is not None:
        yield Hit(u.span,
                  f"{c.label} sets userns_mode {u.value!r}, opting out of the userns-remap the daemon turns on "
                  f"(userns-remap {remap.value!r} at {remap.span.path}:{remap.span.line}): root in the container "
                  "is root (UID 0) on the host again, the one thing remapping is there to prevent; drop "
                  "userns_mode, or run what needs the host's user namespace on another daemon",
                  severity=Severity.CRITICAL, context=f"{c.name.value}:userns_mode")
        return
    yield Hit(u.span,
              f"{c.label} sets userns_mode {u.value!r}: it opts out of the daemon's userns-remap, so root "
              "in the container is root (UID 0) on the host again",
              context=f"{c.name.value}:userns_mode")
