"""The host-namespace check of DC106, DC107, DC108, DC109 and DC115, written once.

A container shares one of the host's namespaces when the setting for it says ``host``: Compose
``network_mode``, ``pid``, ``ipc``, ``uts``, ``cgroup``, ``userns_mode``; ``docker run``
``--network``/``--net``, ``--pid``, ``--ipc``, ``--uts``, ``--cgroupns``, ``--userns``; the
Quadlet keys. The parsers put each in the same field of the model, so the check is the same for
all of them: the value, interpolated, read without case or surrounding blanks, is ``host``.
(``container:<id>``, ``service:<name>``, ``private``, ``shareable``, ``none``, ``bridge``...
stay off the host.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from dockerlint.api import quote
from dockerlint.models.base import LStr
from dockerlint.models.container import Container

Namespace = Literal["network", "pid", "ipc", "uts", "cgroup", "userns"]

_SETTING: dict[str, Callable[[Container], LStr | None]] = {
    "network": lambda c: c.network_mode,
    "pid": lambda c: c.pid,
    "ipc": lambda c: c.ipc,
    "uts": lambda c: c.uts,
    "cgroup": lambda c: c.cgroup,
    "userns": lambda c: c.userns_mode,
}


def host_namespace(container: Container, name: Namespace) -> LStr | None:
    """The setting that makes ``container`` share the host's ``name`` namespace, or None when it
    does not (unset, or anything but ``host``)."""
    value = _SETTING[name](container)
    if value is None or value.text.strip().lower() != "host":
        return None
    return value


def interpolated(value: LStr) -> str:
    """``, from '${NET:-host}'`` when the value came from interpolation, else ``""``."""
    return f", from {quote(value.value, 40)}" if value.expanded is not None else ""
