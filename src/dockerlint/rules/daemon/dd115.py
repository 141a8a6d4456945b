"""DD115: a TLS-protected API listener is bound to every network interface."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.daemon import Daemon, Listener
from dockerlint.rules.daemon._daemon import listener_span, tls_on

_ANY = {"0.0.0.0", "::", ""}


def _everywhere(lst: Listener) -> bool:
    return lst.host is None or lst.host.strip("[]") in _ANY


@rule(
    id="DD115",
    name="api-listens-on-all-interfaces",
    reads=Daemon,
    severity=Severity.MEDIUM,
    summary="The TLS-protected Docker API listens on every network interface",
    cwe=(1327,),
    cis=("2.7",),
    tags=("security",),
)
def api_listens_on_all_interfaces(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    if not tls_on(d):
        return  # a plaintext TCP listener is DD101's (critical) finding
    api = "API of Podman's service" if d.engine == "podman" else "Docker API"
    for lst in d.tcp_listeners:
        if not _everywhere(lst):
            continue
        port = lst.port if lst.port is not None else "?"
        if lst.origin == "socket":
            where = f"socket unit {lst.unit} opens the TLS-protected {api} on port {port} of every interface"
        else:
            where = f"the TLS-protected {api} listens on {quote(lst.address.value)} (port {port} of every interface)"
        yield Hit(listener_span(d, lst), f"{where}; bind it to the management address", context=lst.address.value)
