"""Helpers shared by the DD rules: dockerd's TLS semantics, listener wording, dind images."""

from __future__ import annotations

import re

from dockerlint.models.base import LStr, Span
from dockerlint.models.daemon import Daemon, DaemonSetting, Listener

_ALL_INTERFACES = {"0.0.0.0", "::", "[::]", "*", ""}
_DIND_TAG = re.compile(r"dind", re.IGNORECASE)


def tls_on(d: Daemon) -> bool:
    """Whether dockerd serves TLS (see :attr:`Daemon.tls_enabled`)."""
    return d.tls_enabled


def tls_anchor(d: Daemon) -> DaemonSetting | None:
    """The setting that turns TLS on (``tlsverify`` if set, else ``tls: true``)."""
    tv = d.get("tlsverify")
    if tv is not None and isinstance(tv.value, bool):
        return tv
    tls = d.get("tls")
    return tls if tls is not None and tls.value is True else None


def verifies_clients(d: Daemon) -> bool:
    """Client certificates required: ``tlsverify: true``, or ``tls: true`` with ``tlsverify``
    unset (dockerd >= 20.10 sets tlsverify from tls)."""
    tv = d.get("tlsverify")
    if tv is not None and isinstance(tv.value, bool):
        return tv.value
    return d.value("tls") is True


def listener_span(d: Daemon, lst: Listener) -> Span:
    """Where a listener is written: the ``hosts`` item, the ``-H`` flag word, the ``ListenStream=`` value."""
    s = flag_setting(d, lst)
    return s.span if s is not None else lst.address.span


def where(lst: Listener) -> str:
    """How a message names a listener's reach: ``every interface on port 2375``..."""
    port = lst.port if lst.port is not None else "?"
    host = lst.host
    if host is None or host.strip("[]") in _ALL_INTERFACES:
        return f"port {port} of every interface"
    if lst.is_loopback:
        return f"{host}:{port} (loopback only)"
    return f"{host}:{port}"


def flags_hidden(d: Daemon) -> bool:
    """True when the effective ExecStart has ``$VAR`` words whose values no file in the scan
    gives (the assembler expands the others from ``Environment=`` and environment files)."""
    return bool(d.unresolved)


def flag_setting(d: Daemon, lst: Listener) -> DaemonSetting | None:
    """The ``-H`` setting a flag listener comes from."""
    if lst.origin == "flag":
        for s in d.settings:
            if s.origin == "flag" and s.key == "hosts" and s.value_span == lst.address.span:
                return s
    return None


def through(s: DaemonSetting | None, room: int = 140) -> str:
    """A message fragment for a flag that reached dockerd through a variable, in at most ``room``
    characters: the whole story (``via`` reads "$NAME, set at path:line[, how]"), else without
    the how, else the variable's name only (the finding's position is the variable's value)."""
    if s is None or not s.via:
        return ""
    parts = s.via.split(", ")
    for text in (f" (via {s.via})", f" (via {', '.join(parts[:2])})"):
        if len(text) <= room:
            return text
    return f" (via {parts[0]})"


def is_dind(image: LStr | None) -> bool:
    """A Docker-in-Docker image: ``docker:*dind*`` from any registry (``docker:dind``,
    ``docker:27-dind-rootless``, ``mirror.gcr.io/library/docker:19.03.3-dind``)."""
    if image is None:
        return False
    ref = image.text.strip().split("@", 1)[0]
    name, _, tag = ref.rpartition(":")
    if not name or "/" in tag:
        return False
    return name.rsplit("/", 1)[-1].lower() == "docker" and bool(_DIND_TAG.search(tag))


def port_range(text: str) -> tuple[int, int] | None:
    """``"2375"``, ``"2375/tcp"``, ``"2375-2376"`` -> (first, last)."""
    t = text.strip().split("/", 1)[0]
    m = re.fullmatch(r"([0-9]+)(?:-([0-9]+))?", t)
    if not m:
        return None
    first = int(m.group(1))
    return first, int(m.group(2) or first)
