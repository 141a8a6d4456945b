"""DD101: the Docker API listens on TCP without TLS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dockerlint.api import Hit, Severity, quote, rule
from dockerlint.models.container import Container
from dockerlint.models.daemon import Daemon
from dockerlint.rules.daemon._daemon import (
    flag_setting,
    flags_hidden,
    is_dind,
    listener_span,
    port_range,
    through,
    tls_on,
    where,
)

_FALSE = {"0", "f", "F", "false", "FALSE", "False"}


@rule(
    id="DD101",
    name="plaintext-api-endpoint",
    reads=(Daemon, Container),
    severity=Severity.CRITICAL,
    summary="The Docker API listens on TCP without TLS",
    cwe=(319, 306),
    cis=("2.7",),
    peers={"docker-bench": "2.7"},
    tags=("security",),
)
def plaintext_api_endpoint(model: Any, ctx: Any) -> Iterator[Hit]:
    if isinstance(model, Daemon):
        yield from _daemon(model)
    elif isinstance(model, Container):
        yield from _dind(model)


def _daemon(d: Daemon) -> Iterator[Hit]:
    if tls_on(d):
        return
    if d.engine == "podman":
        yield from _podman(d)
        return
    tls = d.get("tls")
    hidden = " (unless ExecStart's $VARIABLES turn TLS on)" if flags_hidden(d) else ""
    for lst in d.tcp_listeners:
        if lst.origin == "socket":
            if d.config_path:
                config = f"{d.config_path} sets no TLS"
            elif d.exec_start is not None or d.assumed is not None:
                config = "no --tlsverify and no daemon.json in the scan"
            else:
                config = "no TLS configuration in the scan"
            message = f"socket unit {lst.unit} opens the Docker API on TCP {where(lst)}, but {config}{hidden}"
        else:
            why = (
                f"{tls.written_key or 'tls'} is false"
                if tls is not None and tls.value is False
                else "no tls or tlsverify"
            )
            head = f"the Docker API listens on {quote(lst.address.value)} without TLS ({why})"
            forward = next((f for f in d.port_forwards if f.target_port == lst.port), None)
            if forward is not None:
                tail = f"; RootlessKit publishes it on {where(forward)}"
            else:
                tail = f", on {where(lst)}" if lst.is_loopback else ""
            via = through(flag_setting(d, lst), 140 - len(head) - len(tail) - len(hidden))
            message = f"{head}{via}{tail}{hidden}"
        yield Hit(listener_span(d, lst), message, context=lst.address.value)


def _podman(d: Daemon) -> Iterator[Hit]:
    """Podman's API service (``podman system service``): it answers the Docker API and its own,
    and has no TLS unless ``--tls-cert``/``--tls-key`` (Podman 5.7+) are given."""
    as_root = "" if d.rootless is not None else " as root"
    for lst in d.tcp_listeners:
        if lst.origin == "socket":
            head = f"socket unit {lst.unit} opens Podman's API service{as_root} on TCP {where(lst)}"
        else:
            head = f"Podman's API service{as_root} listens on {quote(lst.address.value)}"
        yield Hit(listener_span(d, lst), f"{head} without TLS (no --tls-cert/--tls-key)", context=lst.address.value)


def _dind(c: Container) -> Iterator[Hit]:
    if not is_dind(c.image):
        return
    image = quote(c.image.text if c.image else "docker:dind", 32)
    certdir = c.env("DOCKER_TLS_CERTDIR")
    if certdir is not None and certdir.value is not None and certdir.value.text.strip() in ("", '""', "''"):
        yield Hit(
            certdir.span,
            (f"{c.label}: {image} with DOCKER_TLS_CERTDIR empty serves the API on port 2375 without TLS"),
            context="DOCKER_TLS_CERTDIR",
        )
    for port in c.ports:
        rng = port_range(port.container_port.text)
        if rng and rng[0] <= 2375 <= rng[1]:
            yield Hit(
                port.span,
                (f"{c.label} publishes port 2375 of {image}, the plain-text API port; publish only the TLS port 2376"),
                context="2375",
            )
    for word in [*c.entrypoint, *c.command]:
        flag, eq, value = word.text.partition("=")
        if flag == "--tls" and eq and value in _FALSE:
            yield Hit(
                word.span,
                f"{c.label} starts {image} with {quote(word.text)}: the API is served without TLS",
                context=word.text,
            )
