"""DF113 docker-socket-in-build: the image is built to use the host's engine socket.

``VOLUME /var/run/docker.sock`` (shell or JSON form) declares the engine socket as a
mount point: the image expects to be run with the host's socket bound there, which
hands the container root on the host. ``RUN --mount=…`` whose source or target is
an engine socket tries to reach an engine from a build step.

The socket is recognized by its file name, wherever it lives: ``docker.sock``,
``containerd.sock``, ``podman.sock``, ``crio.sock`` (the same sockets DC101 knows).
Variables are judged through their ``ARG``/``ENV`` defaults.

Where it points: at the ``VOLUME`` path, or at the ``--mount`` flag.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.common.image import mount_options

ENGINE_SOCKETS = frozenset({"docker.sock", "containerd.sock", "podman.sock", "crio.sock"})


def _socket(path: str) -> str | None:
    """The engine socket ``path`` names (its file name), or None."""
    name = posixpath.basename(path.strip().rstrip("/"))
    return name if name in ENGINE_SOCKETS else None


@rule(
    id="DF113",
    name="docker-socket-in-build",
    reads=ImageBuild,
    severity=Severity.HIGH,
    summary="VOLUME or RUN --mount of the container engine's socket",
    cwe=(250, 668),
    cis=("5.31",),
    peers={"semgrep": "dockerd-socket-mount"},
    precision="very-high",
    tags=("security",),
)
def docker_socket_in_build(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for ins in build.instructions:
        if ins.keyword == "VOLUME":
            for word in ins.args:
                sock = _socket(word.text)
                if sock is not None:
                    via = f" (= {quote(word.text)})" if word.text != word.value else ""
                    yield Hit(
                        word.span,
                        f"VOLUME {quote(word.value)}{via} declares the engine socket {sock} as a mount point; drop it",
                        context=f"volume:{word.text}",
                    )
        elif ins.keyword == "RUN":
            for flag in ins.flags:
                if flag.name != "mount" or not flag.value:
                    continue
                opts = mount_options(flag.value)
                for key in ("source", "target"):
                    sock = _socket(opts.get(key, ""))
                    if sock is not None:
                        yield Hit(
                            flag.span,
                            f"RUN --mount {key}={quote(opts[key])} mounts the engine socket {sock} "
                            "into the build; build without the engine",
                            context=f"mount:{opts[key]}",
                        )
                        break
