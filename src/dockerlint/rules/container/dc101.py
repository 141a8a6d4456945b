"""DC101 docker-socket-mount: a container gets the engine's control socket."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.container import Container, Mount
from dockerlint.rules.common.containers import subject
from dockerlint.rules.container._mounts import bind_source, default_note
from dockerlint.rules.container._rootless import room, scoped
from dockerlint.rules.container._text import fit

# Socket file names (matched on the last path component, wherever the socket lives:
# /var/run, /run/user/<uid> for rootless Docker, ~/.docker/run for Docker Desktop...).
SOCKETS = {
    "docker.sock": "the Docker socket",
    "docker.sock.raw": "the Docker socket",
    "containerd.sock": "the containerd socket",
    "podman.sock": "the Podman socket",
    "crio.sock": "the CRI-O socket",
    "cri-dockerd.sock": "the cri-dockerd socket",
}
# Folders that hold one of those sockets: mounting the folder mounts the socket.
SOCKET_DIRS = {
    "/var/run": "docker.sock",
    "/run": "docker.sock",
    "/var/run/containerd": "containerd.sock",
    "/run/containerd": "containerd.sock",
    "/var/run/podman": "podman.sock",
    "/run/podman": "podman.sock",
    "/var/run/crio": "crio.sock",
    "/run/crio": "crio.sock",
}
_ROOTLESS_DIR = re.compile(r"^(?:/var)?/run/user/\d+$|^\$\{?XDG_RUNTIME_DIR\}?$")
# Text whose value is only known at run time: a variable or a command substitution.
_UNKNOWN = re.compile(r"\$[A-Za-z_{(]|`")
_PIPE = re.compile(r"^[\\/]{2}\.[\\/]pipe[\\/](docker[\w.-]*)$", re.IGNORECASE)

# A socket in a user's runtime folder belongs to that user's rootless engine: it runs with
# the user's privileges, not root's (https://docs.docker.com/engine/security/rootless/).
_ROOTLESS_PATH = re.compile(r"^(?:/var)?/run/user/(?!0(?:/|$))[^/]+(?:/|$)|^\$\{?XDG_RUNTIME_DIR\}?(?:/|$)")
_ROOTLESS = " (a rootless engine's)"
# Connecting to a socket is not a write: the rule page says why.
_RO = "; ':ro' does not help"


def _what(m: Mount) -> str | None:
    """How to name what ``m`` exposes, or None when it exposes no engine socket."""
    if "use_api_socket" in m.options:
        return "use_api_socket"
    if m.type == "npipe" or m.type == "bind":
        raw = m.source.text.strip() if m.source is not None else ""
        pipe = _PIPE.match(raw)
        if pipe:
            return f"the Docker named pipe {quote(raw)}"
    src = bind_source(m)
    if src is None:
        return None
    name = src.rsplit("/", 1)[-1]
    if name in SOCKETS:
        return f"{SOCKETS[name]} {quote(src)}"
    if src in SOCKET_DIRS:
        return f"{quote(src)}, the folder of {SOCKET_DIRS[src]}"
    if _ROOTLESS_DIR.match(src):
        return f"{quote(src)}, the rootless Docker folder of docker.sock"
    return None


def _unknown_source(m: Mount) -> tuple[str, str] | None:
    """A bind whose host side is a variable nothing in the scan sets, onto the path where the
    container expects an engine socket (``${DOCKER_SOCKET}:/var/run/docker.sock``, ``-v
    "$SOCK:/var/run/docker.sock"``): the host side is that socket wherever the host keeps it."""
    src = bind_source(m)
    # Only the last component decides: "$PWD/test/fake-docker.sock" is a known file name.
    if src is None or m.target is None or not _UNKNOWN.search(src.rsplit("/", 1)[-1]):
        return None
    target = m.target.text.strip().rstrip("/")
    name = target.rsplit("/", 1)[-1]
    if name not in SOCKETS:
        return None
    return src, quote(target, 40)


@rule(
    id="DC101",
    name="docker-socket-mount",
    reads=Container,
    severity=Severity.CRITICAL,
    summary="The Docker (or containerd/Podman/CRI-O) API socket is mounted into a container",
    cwe=(250, 668),
    cis=("5.31",),
    peers={
        "compose-lint": "CL-0001",
        "kics": "docker_socket_mounted",
        "semgrep": "docker-compose.security.exposing-docker-socket-volume",
    },
    precision="very-high",
    tags=("security",),
)
def docker_socket_mount(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    return scoped(c, _docker_socket_mount(c, ctx), Severity.CRITICAL)


def _docker_socket_mount(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    for m in c.volumes:
        what = _what(m)
        unknown = _unknown_source(m) if what is None else None
        if what is None and unknown is None:
            continue
        if unknown is not None:
            # the host side is a variable not in the scan; the container path says what it is
            src, target = unknown
            msg = fit(
                f"{subject(c)} mounts {quote(src, 32)}{default_note(m)} (a variable not in the scan) at {target}",
                _RO if m.read_only else "",
                limit=room(c),
            )
        elif what == "use_api_socket":
            msg = f"{subject(c)} sets use_api_socket: the Docker API socket and registry credentials are mounted"
        else:
            src = bind_source(m) or ""
            rootless = _ROOTLESS if _ROOTLESS_PATH.match(src) else ""
            msg = fit(
                f"{subject(c)} mounts {what}{default_note(m)}", rootless, _RO if m.read_only else "", limit=room(c)
            )
        yield Hit(m.span, msg, context=f"{c.name.value}:{m.source.text if m.source else ''}")
