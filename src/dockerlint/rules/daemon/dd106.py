"""DD106: registries reached without TLS verification, or mirrors over plain HTTP."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.base import Span
from dockerlint.models.daemon import Daemon
from dockerlint.rules.daemon._defaults import entries

_BROAD_V4, _BROAD_V6 = 8, 32  # prefixes this short cover whole providers' or organisations' ranges


def _loopback(host: str) -> bool:
    h = host.strip("[]").lower()
    if h == "localhost" or h.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def _host(entry: str) -> str:
    """The host of ``host[:port]``, ``[v6]:port`` or ``scheme://host[:port]/path``."""
    rest = entry.split("://", 1)[-1].split("/", 1)[0]
    if rest.startswith("["):
        return rest[1:].split("]", 1)[0]
    return rest.rsplit(":", 1)[0] if rest.count(":") == 1 else rest


@rule(
    id="DD106",
    name="insecure-registry",
    reads=Daemon,
    severity=Severity.HIGH,
    summary="Registries are reached without TLS verification, or mirrors over plain HTTP",
    cwe=(295, 319),
    cis=("2.5",),
    peers={"docker-bench": "2.5"},
    tags=("security",),
)
def insecure_registry(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    if d.engine != "docker":
        return  # dockerd's settings; Podman's API service reads none of them
    for s in d.all("insecure-registries"):
        for item in entries(s):
            if isinstance(item.value, str):
                yield from _insecure(item.value.strip(), item.span)
    for s in d.all("registry-mirrors"):
        for item in entries(s):
            if not isinstance(item.value, str):
                continue
            url = item.value.strip()
            if url.lower().startswith("http://") and not _loopback(_host(url)):
                yield Hit(item.span, f"registry mirror {quote(url)} is plain HTTP; use an https:// mirror", context=url)


def _insecure(entry: str, span: Span) -> Iterator[Hit]:
    try:
        net = ipaddress.ip_network(entry, strict=False) if "/" in entry else None
    except ValueError:
        net = None
    if net is not None:
        if net.is_loopback:
            return  # dockerd always treats 127.0.0.0/8 and ::1/128 as insecure: no change
        if net.prefixlen == 0:
            yield Hit(
                span,
                (
                    f"insecure-registries entry {quote(entry)} makes every registry insecure, Docker Hub included; "
                    "list only the hosts that need it"
                ),
                severity=Severity.CRITICAL,
                context=entry,
            )
            return
        broad = net.prefixlen <= (_BROAD_V4 if net.version == 4 else _BROAD_V6)
        size = f"{net.num_addresses:,}" if net.version == 4 else f"2^{net.max_prefixlen - net.prefixlen}"
        scope = f" ({size} addresses)" if broad else ""
        yield Hit(
            span,
            (
                f"insecure-registries entry {quote(entry)}{scope} skips TLS verification for every registry in it; "
                "list hosts instead"
            ),
            context=entry,
        )
        return
    if _loopback(_host(entry)):
        return  # loopback registries are insecure by default already
    yield Hit(
        span,
        (f"registry {quote(entry)} is marked insecure (no TLS verification); trust its CA in certs.d instead"),
        context=entry,
    )
