"""DC106 host-user-namespace: the container opts out of user-namespace remapping."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.containers import subject, written
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


@rule(
    id="DC106",
    name="host-user-namespace",
    reads=Container,
    severity=Severity.HIGH,
    summary="Container shares the host's user namespace (opts out of userns-remap)",
    cwe=(250,),
    cis=("5.30",),
    peers={"kics": "shared_host_user_namespace"},
    precision="very-high",
    tags=("security",),
)
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
        yield Hit(
            u.span,
            f"{subject(c)} sets UserNS={quote(u.value, 32)}: no user namespace of its own",
            context=f"{c.name.value}:userns_mode",
        )
        return
    shown = quote(u.value, 32)
    setting = written(c, "userns_mode", shown, compose=f"userns_mode {shown}")  # --userns 'host'
    remap = next((s for d in daemons(ctx) if (s := _remap_on(d)) is not None), None)
    if remap is not None:
        yield Hit(
            u.span,
            f"{subject(c)} sets {setting}, opting out of the daemon's userns-remap "
            f"{quote(str(remap.value), 24)} ({remap.span.path}:{remap.span.line})",
            severity=Severity.CRITICAL,
            context=f"{c.name.value}:userns_mode",
        )
        return
    yield Hit(
        u.span,
        f"{subject(c)} sets {setting}, opting out of any userns-remap",
        context=f"{c.name.value}:userns_mode",
    )
