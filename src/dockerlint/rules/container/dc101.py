"""DC101 docker-socket-mount: a container gets the engine's control socket."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.container import Container, Mount
from dockerlint.rules.container._mounts import bind_source, default_note
from dockerlint.rules.container._rootless import scoped

# Socket file names (matched on the last path component, wherever the socket lives:
# /var/run, /run/user/<uid> for rootless Docker, ~/.docker/run for Docker Desktop...).
SOCKETS = {
    "docker.sock": "the Docker Engine API socket",
    "docker.sock.raw": "the Docker Engine API socket",
    "containerd.sock": "the containerd socket",
    "podman.sock": "the Podman API socket",
    "crio.sock": "the CRI-O socket",
    "cri-dockerd.sock": "the cri-dockerd socket",
}
# Folders that hold one of those sockets: mounting the folder mounts the socket.
SOCKET_DIRS = {
    "/var/run": "docker.sock", "/run": "docker.sock",
    "/var/run/containerd": "containerd.sock", "/run/containerd": "containerd.sock",
    "/var/run/podman": "podman.sock", "/run/podman": "podman.sock",
    "/var/run/crio": "crio.sock", "/run/crio": "crio.sock",
}
_ROOTLESS_DIR = re.compile(r"^(?:/var)?/run/user/\d+$|^\$\{?XDG_RUNTIME_DIR\}?$")
# Text whose value is only known at run time: a variable or a command substitution.
_UNKNOWN = re.compile(r"\$[A-Za-z_{(]|`")
_PIPE = re.compile(r"^[\\/]{2}\.[\\/]pipe[\\/](docker[\w.-]*)$", re.IGNORECASE)

_IMPACT = ("whoever controls the container can drive the engine, start a privileged container "
           "with the host's / mounted, and so is root on the host")
# A socket in a user's runtime folder belongs to that user's rootless engine: it runs with
# the user's privileges, not root's (https://docs.docker.com/engine/security/rootless/).
_ROOTLESS_PATH = re.compile(r"^(?:/var)?/run/user/(?!0(?:/|$))[^/]+(?:/|$)|^\$\{?XDG_RUNTIME_DIR\}?(?:/|$)")
_ROOTLESS_IMPACT = ("whoever controls the container can drive that rootless engine: start containers as "
                    "the user it runs as, with that user's files mounted, and so act as that user on "
                    "the host (their keys, their shell start-up files, and root too if they may sudo)")
_RO = ("; ':ro' does not protect it: connecting to a socket is not a write, so every API call "
       "still goes through")


def _what(m: Mount) -> str | None:
    """How to name what ``m`` exposes, or None when it exposes no engine socket."""
    if "use_api_socket" in m.options:
        return "use_api_socket"
    if m.type == "npipe" or m.type == "bind":
        raw = m.source.text.strip() if m.source is not None else ""
        pipe = _PIPE.match(raw)
        if pipe:
            return f"the Docker Engine named pipe '{raw}'"
    src = bind_source(m)
    if src is None:
        return None
    name = src.rsplit("/", 1)[-1]
    if name in SOCKETS:
        return f"{SOCKETS[name]} {src!r}"
    if src in SOCKET_DIRS:
        return f"{src!r}, the folder that holds {SOCKET_DIRS[src]},"
    if _ROOTLESS_DIR.match(src):
        return f"{src!r}, the rootless Docker runtime folder that holds docker.sock,"
    return None


def _unknown_source(m: Mount) -> str | None:
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
    return (f"{src!r} at {target!r}: the host side comes from a variable whose value is not in the scan, "
            f"but the container path is where {SOCKETS[name]} goes, so it is almost certainly that socket")


@rule(id="DC101", name="docker-socket-mount", reads=Container, severity=Severity.CRITICAL,
      summary="The Docker (or containerd/Podman/CRI-O) API socket is mounted into a container",
      cwe=(250, 668), cis=("5.31",),
      peers={"compose-lint": "CL-0001", "kics": "docker_socket_mounted",
             "semgrep": "docker-compose.security.exposing-docker-socket-volume"},
      precision="very-high", tags=("security",))
def docker_socket_mount(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    return scoped(c, _docker_socket_mount(c, ctx), Severity.CRITICAL)


def _docker_socket_mount(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    for m in c.volumes:
        what = _what(m)
        unknown = _unknown_source(m) if what is None else None
        if what is None and unknown is None:
            continue
        if unknown is not None:
            msg = f"{c.label} mounts {unknown}{default_note(m)}: {_IMPACT}"
            if m.read_only:
                msg += _RO
        elif what == "use_api_socket":
            msg = (f"{c.label} sets use_api_socket: Compose mounts the Docker Engine API socket "
                   f"(and your registry credentials) into the container: {_IMPACT}")
        else:
            src = bind_source(m) or ""
            impact = _ROOTLESS_IMPACT if _ROOTLESS_PATH.match(src) else _IMPACT
            msg = f"{c.label} mounts {what}{default_note(m)} into the container: {impact}"
            if m.read_only:
                msg += _RO
        yield Hit(m.span, msg, context=f"{c.name.value}:{m.source.text if m.source else ''}")
