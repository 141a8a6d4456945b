"""DD119: daemon settings that open privileged builds or unauthenticated access paths."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.daemon import Daemon
from dockerlint.rules.daemon._defaults import member, shown

_ANY = {"", "0.0.0.0", "::"}


@rule(
    id="DD119",
    name="insecure-builder-entitlement",
    reads=Daemon,
    severity=Severity.HIGH,
    summary="Daemon settings allow privileged builds or open unauthenticated access paths",
    cwe=(250, 942, 1327),
    tags=("security",),
)
def insecure_builder_entitlement(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    if d.engine != "docker":
        return  # dockerd's settings; Podman's API service reads none of them
    insecure = member(d.get("builder"), "entitlements", "security-insecure")
    if insecure is not None and insecure.value is True:
        yield Hit(
            insecure.span,
            (
                "builder.entitlements.security-insecure is true: any build may run RUN --security=insecure "
                "privileged; remove it"
            ),
            context="builder.entitlements.security-insecure",
        )
    routing = d.get("allow-direct-routing")
    if routing is not None and routing.value is True:
        yield Hit(
            routing.span,
            (
                f"{shown(routing)} lets other hosts reach containers at their own addresses, past published "
                "addresses; remove it"
            ),
            context="allow-direct-routing",
        )
    cors = d.get("api-cors-header")
    if cors is not None and isinstance(cors.value, str) and "*" in cors.value:
        yield Hit(
            cors.value_span,
            (f"{shown(cors)} lets any web page call the Docker API from a browser; remove it (dockerd 27+ refuses it)"),
            context="api-cors-header",
        )
    metrics = d.get("metrics-addr")
    if metrics is not None and isinstance(metrics.value, str) and ":" in metrics.value:
        host = metrics.value.strip().rpartition(":")[0].strip("[]")
        if host in _ANY:
            port = metrics.value.strip().rpartition(":")[2]
            yield Hit(
                metrics.value_span,
                (
                    f"{shown(metrics)} serves metrics without authentication on port {quote(port)} of every "
                    "interface; bind it to 127.0.0.1"
                ),
                context="metrics-addr",
            )
