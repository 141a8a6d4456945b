"""DD101: the Docker API listens on TCP without TLS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dockerlint.api import Hit, Severity, rule
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
from dockerlint.rules.daemon._defaults import at

_FALSE = {"0", "f", "F", "false", "FALSE", "False"}


@rule(id="DD101", name="plaintext-api-endpoint", reads=(Daemon, Container), severity=Severity.CRITICAL,
      summary="The Docker API listens on TCP without TLS", cwe=(319, 306), cis=("2.7",),
      peers={"docker-bench": "2.7"}, tags=("security",))
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
    hidden = " (unless flags hidden in the ExecStart's $VARIABLES turn TLS on)" if flags_hidden(d) else ""
    for lst in d.tcp_listeners:
        reach = where(lst)
        if lst.origin == "socket":
            if d.config_path:
                config = f"{d.config_path} sets no TLS (tlsverify with tlscacert, tlscert, tlskey)"
            elif d.exec_start is not None or d.assumed is not None:
                config = "the dockerd command line sets no TLS (--tlsverify) and no daemon.json was found in the scan"
            else:
                config = "no TLS configuration (a daemon.json with tlsverify) was found in the scan"
            message = (f"socket unit {lst.unit} opens the Docker API on TCP {reach}, but {config}{hidden}: "
                       "dockerd serves socket-activated TCP connections in plain text without authentication, "
                       "so anyone who can connect controls the daemon (root on the host)")
        else:
            why = (f"{tls.written_key or 'tls'} is explicitly false" if tls is not None and tls.value is False
                   else "neither tls nor tlsverify is set")
            via = through(flag_setting(d, lst))
            victim = "unauthenticated, root-equivalent control of the host"
            forward = next((f for f in d.port_forwards if f.target_port == lst.port), None)
            if d.rootless is not None:
                victim = "unauthenticated control of the rootless daemon, its containers and the account it runs as"
            if forward is not None:
                reach = where(forward)
                via += (f"; RootlessKit publishes it on the host ({forward.address.value} in "
                        f"DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS, {at(forward.address.span)})")
            message = (f"the Docker API listens on {lst.address.value} without TLS ({why}){via}{hidden}: anyone "
                       f"who can reach {reach} gets {victim}")
        yield Hit(listener_span(d, lst), message, context=lst.address.value)


def _podman(d: Daemon) -> Iterator[Hit]:
    """Podman's API service (``podman system service``): it answers the Docker API and its own,
    and has no TLS unless ``--tls-cert``/``--tls-key`` (Podman 5.7+) are given."""
    victim = ("control of the rootless Podman of that user, its containers and the account"
              if d.rootless is not None else "root-equivalent control of the host (the service runs as root)")
    for lst in d.tcp_listeners:
        reach = where(lst)
        if lst.origin == "socket":
            head = f"socket unit {lst.unit} opens Podman's API service on TCP {reach}"
        else:
            head = f"Podman's API service listens on {lst.address.value}"
        yield Hit(listener_span(d, lst), (
            f"{head} without TLS (podman system service has no --tls-cert/--tls-key): it answers the Docker "
            f"and the Podman API in plain HTTP without any authentication, so anyone who can reach {reach} gets "
            f"{victim}"), context=lst.address.value)


def _dind(c: Container) -> Iterator[Hit]:
    if not is_dind(c.image):
        return
    image = c.image.text if c.image else "docker:dind"
    certdir = c.env("DOCKER_TLS_CERTDIR")
    if certdir is not None and certdir.value is not None and certdir.value.text.strip() in ("", '""', "''"):
        yield Hit(certdir.span, (
            f"{c.label} runs {image} with DOCKER_TLS_CERTDIR empty: the dind entrypoint then starts dockerd "
            "on tcp://0.0.0.0:2375 without TLS, so any container or host that can reach it controls this "
            "Docker daemon (a privileged one); keep the default /certs and mount /certs/client in the clients"),
            context="DOCKER_TLS_CERTDIR")
    for port in c.ports:
        rng = port_range(port.container_port.text)
        if rng and rng[0] <= 2375 <= rng[1]:
            yield Hit(port.span, (
                f"{c.label} publishes port 2375 of {image}, the Docker API's plain-text port: whoever reaches "
                "the published port controls the daemon; publish nothing, or only the TLS port 2376"),
                context="2375")
    for word in [*c.entrypoint, *c.command]:
        flag, eq, value = word.text.partition("=")
        if flag == "--tls" and eq and value in _FALSE:
            yield Hit(word.span, (
                f"{c.label} starts {image} with {word.text}: dockerd then serves the API without TLS on "
                "tcp://0.0.0.0:2375; drop the flag and use the TLS certificates the image generates in "
                "DOCKER_TLS_CERTDIR"), context=word.text)
