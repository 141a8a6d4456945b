"""DD119: daemon settings that open privileged builds or unauthenticated access paths."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.daemon import Daemon
from dockerlint.rules.daemon._defaults import member, shown

_ANY = {"", "0.0.0.0", "::"}


@rule(id="DD119", name="insecure-builder-entitlement", reads=Daemon, severity=Severity.HIGH,
      summary="Daemon settings allow privileged builds or open unauthenticated access paths",
      cwe=(250, 942, 1327), tags=("security",))
def insecure_builder_entitlement(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    if d.engine != "docker":
        return  # dockerd's settings; Podman's API service reads none of them
    insecure = member(d.get("builder"), "entitlements", "security-insecure")
    if insecure is not None and insecure.value is True:
        yield Hit(insecure.span, (
            "builder.entitlements.security-insecure is true: any build sent to this daemon may use "
            "RUN --security=insecure, which runs that step as a privileged container (all capabilities, no "
            "seccomp or AppArmor, host devices), so a Dockerfile from a pull request or a dependency becomes "
            "root on the host; remove it (build privileged steps on a dedicated, isolated builder)"),
            context="builder.entitlements.security-insecure")
    routing = d.get("allow-direct-routing")
    if routing is not None and routing.value is True:
        yield Hit(routing.span, (
            f"{shown(routing)} turns off the filter that stops other hosts from addressing containers "
            "directly: any machine with a route to the container networks reaches published ports at the "
            "containers' own IP addresses, bypassing the host address a port was published on (a port "
            "published on 127.0.0.1 only becomes reachable from the LAN); remove it"),
            context="allow-direct-routing")
    cors = d.get("api-cors-header")
    if cors is not None and isinstance(cors.value, str) and "*" in cors.value:
        yield Hit(cors.value_span, (
            f"{shown(cors)} lets any web page a user opens send requests to the Docker API through their "
            "browser (cross-origin), which is root on the host; remove it (dockerd 27 and later refuse it) and "
            "put an authenticating reverse proxy in front of the API if a web client needs it"),
            context="api-cors-header")
    metrics = d.get("metrics-addr")
    if metrics is not None and isinstance(metrics.value, str) and ":" in metrics.value:
        host = metrics.value.strip().rpartition(":")[0].strip("[]")
        if host in _ANY:
            port = metrics.value.strip().rpartition(":")[2]
            yield Hit(metrics.value_span, (
                f"{shown(metrics)} serves the daemon's Prometheus metrics without authentication on port {port} "
                "of every interface, telling anyone who can reach it about the containers, images and activity "
                "of this host; bind it to 127.0.0.1 or the monitoring network's address"),
                context="metrics-addr")
