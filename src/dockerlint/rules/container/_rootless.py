"""Who runs a container, where its definition's location says (a Podman Quadlet unit).

A Quadlet unit under a user's search path (``~/.config/containers/systemd/``,
``/etc/containers/systemd/users/``) is started by that user's systemd: rootless Podman. Being
privileged, holding capabilities or mounting host paths then reaches only what that user may do
on the host (the container's root is the user; host files keep their owners), so the rules
that judge those (DC101, DC102, DC103, DC104, DC106, DC110) lower their finding by one step and
say why in a few words (``(rootless: severity lowered)``; the rule page says the rest). Where
the location is not known the unit is assumed to run as root, and the finding says that
assumption (``(unit's location unknown: assumed to run as root)``; ``Container.placement``
has the long form).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from dockerlint.api import Hit, Severity
from dockerlint.models.container import Container

# What a finding of a Quadlet unit whose location says nothing adds (Container.placement).
ASSUMED_ROOT = "unit's location unknown: assumed to run as root"

_LOWER = {
    Severity.CRITICAL: Severity.HIGH,
    Severity.HIGH: Severity.MEDIUM,
    Severity.MEDIUM: Severity.LOW,
    Severity.LOW: Severity.LOW,
    Severity.INFO: Severity.INFO,
    Severity.ERROR: Severity.ERROR,
}


def _note(c: Container) -> str:
    if c.rootless is not None:
        return " (rootless: severity lowered)"  # the finding shows the severity it has now
    return f" ({ASSUMED_ROOT})" if c.placement is not None else ""


def room(c: Container) -> int:
    """What is left of a message's 140 characters once :func:`scoped` has added its note."""
    return 140 - len(_note(c))


def scoped(c: Container, hits: Iterable[Hit], default: Severity) -> Iterator[Hit]:
    """``hits`` of a rule whose default severity is ``default``, lowered one step (with the
    reason in the message) for a rootless container, or with the assumption said when where
    the container runs is not known; unchanged for every other container."""
    for hit in hits:
        if c.rootless is not None:
            was = hit.severity or default
            now = _LOWER[was]
            yield replace(hit, severity=now, message=hit.message + _note(c))
        elif c.placement is not None:
            yield replace(hit, message=hit.message + _note(c))
        else:
            yield hit
