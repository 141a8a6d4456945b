"""DD104: a Docker client is pointed at a TCP daemon without TLS verification."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.container import ClientEnv

# The port the Docker CLI connects to when DOCKER_HOST (or -H) names no port: its
# defaultTCPHost, tcp://localhost:2375 (docker/cli opts/hosts.go), with TLS or without.
DEFAULT_PORT = 2375
_AUTHORITY_END = re.compile(r"[/?#]")
# A value without a scheme that the CLI reads as a TCP address: [user@]host[:port][/path].
_BARE_TCP = re.compile(r"(?:[^@/\s$]*@)?(?:\[[0-9A-Fa-f:.]*\]|[\w.-]*)(?::[0-9]*)?(?:/\S*)?")

Port = int | Literal["unknown"] | None


def _host_port(hostport: str) -> tuple[str, str] | None:
    """``host:port`` split as the CLI's ``net.SplitHostPort`` (with its retry that adds the
    default port) splits it; port ``""`` when none is written, None when the CLI rejects it."""
    if hostport.startswith("["):
        end = hostport.find("]")
        rest = hostport[end + 1 :]
        if end < 0 or not rest.startswith(":"):
            return None  # "[::1", "[::1]x", and "[::1]" without a port ("[[::1]]:2375" fails)
        return hostport[1:end], rest[1:]
    host, colon, port = hostport.rpartition(":")
    if not colon or ":" in host:  # no port, or an IPv6 address without brackets
        return hostport, ""
    return host, port


def tcp_port(value: str) -> tuple[Port, bool]:
    """Read DOCKER_HOST as the Docker CLI does (``opts.ParseHost``/``ParseTCPAddr``): the port of
    a TCP endpoint and whether it was implied (no port written: 2375).

    The port is ``None`` when the value is no TCP endpoint (``unix://``, ``ssh://``, a path),
    ``"unknown"`` when it is TCP but the port cannot be told (a variable, a value the CLI
    rejects). A value without ``://`` is a TCP address for the CLI (``docker:2375``) unless it
    is a path. The value is a URL: ``user:password@`` before the host is not part of it, an
    IPv6 host is in brackets, a path after the port is the API's base path, and a host without
    a port (an unbracketed IPv6 address included) gets 2375.
    """
    proto, sep, addr = value.partition("://")
    if not sep:
        if not value or value.startswith(("/", "./")) or not _BARE_TCP.fullmatch(value):
            return None, False  # a path is a unix socket to the CLI; a variable is not judged
        addr = value
    elif proto != "tcp":
        # The CLI matches the scheme as written (docker/cli opts/hosts.go parseDockerDaemonHost:
        # ``switch proto { case "tcp": …; default: "invalid bind address format" }``), as the Go
        # client's net.Dial does its network: ``TCP://`` connects nowhere.
        return None, False
    if not addr:
        return DEFAULT_PORT, True  # tcp:// is tcp://localhost:2375
    if "://" in addr:
        return "unknown", False  # the CLI rejects it: "invalid proto, expected tcp"
    authority = _AUTHORITY_END.split(addr, maxsplit=1)[0]
    split = _host_port(authority.rpartition("@")[2])  # Go's url.Parse: userinfo ends at the last '@'
    if split is None:
        return "unknown", False
    host, port = split
    if "$" in host and not port:
        return "unknown", False  # the variable may hold the port
    if not port:
        return DEFAULT_PORT, True
    return (int(port), False) if port.isascii() and port.isdigit() else ("unknown", False)


@rule(
    id="DD104",
    name="client-plaintext-endpoint",
    reads=ClientEnv,
    severity=Severity.HIGH,
    summary="DOCKER_HOST points at a TCP daemon without TLS verification",
    cwe=(319, 295),
    tags=("security",),
)
def client_plaintext_endpoint(env: ClientEnv, ctx: RuleContext) -> Iterator[Hit]:
    host = env.variables.get("DOCKER_HOST")
    if host is None or host.value is None:
        return
    value = host.value.text.strip()
    port, implied = tcp_port(value)
    if port is None:
        return
    verify = env.variables.get("DOCKER_TLS_VERIFY")
    # Any non-empty DOCKER_TLS_VERIFY (even "0") turns verification on; a variable passed
    # through from the caller's environment (no value here) is given the benefit of the doubt.
    verifying = verify is not None and (verify.value is None or verify.value.text != "")
    if not verifying:
        partial = [n for n in ("DOCKER_TLS", "DOCKER_CERT_PATH") if n in env.variables]
        if partial:
            how = f"{' and '.join(partial)} without DOCKER_TLS_VERIFY does not verify the daemon"
        else:
            how = f"DOCKER_TLS_VERIFY {'is empty' if verify is not None else 'is not set'}"
        yield Hit(
            host.span,
            f"{env.scope}: DOCKER_HOST {quote(value)} is TCP and {how}; set DOCKER_TLS_VERIFY=1",
            context="DOCKER_HOST",
        )
    elif port == 2375:
        uses = "has no port, so the client uses 2375" if implied else "uses port 2375"
        yield Hit(
            host.span,
            f"{env.scope}: DOCKER_HOST {quote(value)} {uses}, the plain-text API port; use the TLS port 2376",
            context="DOCKER_HOST",
        )
