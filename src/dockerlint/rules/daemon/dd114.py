"""DD114: the API's unix socket is open to more users than root and the docker group."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.daemon import Daemon, SocketUnit
from dockerlint.rules.daemon._defaults import bare

_OCTAL = re.compile(r"^[0-7]{1,4}$")
_OWNERS = {"root", "0"}
_GROUPS = {"root", "0", "docker"}
_DROPIN = re.compile(r"\.[A-Za-z]+\.d/[^/]*$")


@rule(
    id="DD114",
    name="api-socket-permissions",
    reads=Daemon,
    severity=Severity.MEDIUM,
    summary="The Docker API socket is accessible to more than root and the docker group",
    cwe=(732,),
    cis=("3.15", "3.16"),
    peers={"docker-bench": "3.15/3.16"},
    tags=("security",),
)
def api_socket_permissions(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    if d.engine == "podman":
        if d.rootless is None:  # a user's own Podman socket is in their private runtime folder
            for sock in d.sockets:
                yield from _socket(sock, _PODMAN)
        return
    for sock in d.sockets:
        yield from _socket(sock, _DOCKER)
    yield from _group(d)


# How messages name the socket, the server behind it and the group to keep, per engine.
_DOCKER = ("the Docker API socket", "dockerd", "docker")
_PODMAN = ("Podman's API socket", "Podman's API service as root", "root")


def _socket(sock: SocketUnit, words: tuple[str, str, str]) -> Iterator[Hit]:
    api, server, keep = words
    paths = [s for s in sock.listen_streams if s.value.startswith("/")]
    if not paths and sock.listen_streams:
        return  # TCP-only socket units: permissions do not apply (DD101/DD115 judge those)
    what = f"socket unit {sock.name}"
    mode = sock.socket_mode
    if mode is None:
        if paths and not _DROPIN.search(sock.path) and not sock.path.endswith(".conf"):
            yield Hit(
                sock.span,
                (f"{what} opens {api} {quote(paths[0].value)} without SocketMode= (so 0666); add SocketMode=0660"),
                context="SocketMode",
            )
    else:
        text = mode.value.strip()
        if not _OCTAL.match(text):
            yield Hit(
                mode.span,
                (f"SocketMode={bare(text)} is not an octal mode, so systemd uses 0666; use SocketMode=0660"),
                context="SocketMode",
            )
        else:
            bits = int(text, 8)
            if bits & 0o002:
                yield Hit(
                    mode.span,
                    (f"SocketMode={bare(text)} lets every local user write to {api} ({server}); use SocketMode=0660"),
                    context="SocketMode",
                )
            elif bits & 0o007:
                yield Hit(
                    mode.span,
                    (f"SocketMode={bare(text)} gives other users permission bits on {api}; use SocketMode=0660"),
                    context="SocketMode",
                )
    user = sock.socket_user
    if user is not None and user.value.strip() and user.value.strip() not in _OWNERS:
        yield Hit(
            user.span,
            (f"SocketUser={bare(user.value.strip())} makes that user own {api} ({server}); keep SocketUser=root"),
            context="SocketUser",
        )
    group = sock.socket_group
    if group is not None and group.value.strip() and group.value.strip() not in _GROUPS:
        yield Hit(
            group.span,
            (
                f"SocketGroup={bare(group.value.strip())} gives every member of that group {api}; keep "
                f"SocketGroup={keep}"
            ),
            context="SocketGroup",
        )


def _group(d: Daemon) -> Iterator[Hit]:
    s = d.get("group")
    if s is None or not isinstance(s.value, str):
        return
    name = s.value.strip()
    if name in _GROUPS or not name or name.isdigit():
        return  # a numeric gid cannot be judged without the host's /etc/group
    own = [lst for lst in d.listeners if lst.origin in ("file", "flag")]
    if own and not any(lst.scheme == "unix" for lst in own):
        return  # dockerd creates no unix socket itself (fd:// or tcp only): the group is unused
    yield Hit(
        s.value_span,
        (
            f"group {quote(name)} owns the unix socket dockerd creates: its members control dockerd; keep the group "
            "docker"
        ),
        context="group",
    )
