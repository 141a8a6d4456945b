"""Who runs a container, where its definition's location says (a Podman Quadlet unit).

A Quadlet unit under a user's search path (``~/.config/containers/systemd/``,
``/etc/containers/systemd/users/``) is started by that user's systemd: rootless Podman. Being
privileged, holding capabilities or mounting host paths then reaches only what that user may do
on the host (the container's root is the user; host files keep their owners), so the rules
that judge those (DC101, DC102, DC103, DC104, DC106, DC110) lower their finding by one step and
say why. Where the location is not known the unit is assumed to run as root, and the finding
says that assumption (``Container.placement``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from dockerlint.api import Hit, Severity
from dockerlint.models.container import Container

_LOWER = {Severity.CRITICAL: Severity.HIGH, Severity.HIGH: Severity.MEDIUM, Severity.MEDIUM: Severity.LOW,
          Severity.LOW: Severity.LOW, Severity.INFO: Severity.INFO, Severity.ERROR: Severity.ERROR}


def scoped(c: Container, hits: Iterable[Hit], default: Severity) -> Iterator[Hit]:
    """``hits`` of a rule whose default severity is ``default``, lowered one step (with the
    reason in the message) for a rootless container, or with the assumption said when where
    the container runs is not known; unchanged for every other container."""
    for hit in hits:
        if c.rootless is not None:
            was = hit.severity or default
            now = _LOWER[was]
            yield replace(hit, severity=now, message=f"{hit.message} (severity lowered from {was.value} to "
                                                     f"{now.value}: {c.rootless})")
        elif c.placement is not None:
            yield replace(hit, message=f"{hit.message} ({c.placement})")
        else:
            yield hit
