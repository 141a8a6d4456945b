"""Scan-wide facts the DC rules look up for every container, computed once per scan."""

from __future__ import annotations

import sys
import weakref
from typing import TYPE_CHECKING, Any

from dockerlint.api import RuleContext

if TYPE_CHECKING:
    from dockerlint.models.daemon import Daemon

# (the scan, its daemons): ``Scan.of`` walks every model, and a rule asking once per
# container would make a large scan quadratic. A weak reference, so no scan outlives its run.
_last: tuple[weakref.ref[Any], int, list[Daemon]] | None = None


def daemons(ctx: RuleContext) -> list[Daemon]:
    """The daemon models of this scan (daemon.json, units), looked up once per scan version."""
    global _last  # noqa: PLW0603 -- per-scan cache in a module global; issue 13 WP2.1 moves it onto the scan
    version = getattr(ctx.scan, "version", 0)
    if _last is not None and _last[0]() is ctx.scan and _last[1] == version:
        return _last[2]
    daemon_cls = model_class("dockerlint.models.daemon", "Daemon")
    found: list[Daemon] = ctx.scan.of(daemon_cls) if daemon_cls is not None else []
    _last = (weakref.ref(ctx.scan), version, found)
    return found


def model_class(module: str, name: str) -> Any:
    """The model class ``module.name`` if that module was imported, else None.

    No object of a class exists before its module is imported, so a lookup that finds
    the module missing knows the scan holds none of them, and a Compose-only run does
    not import the daemon or Dockerfile models just to learn that (start-up cost).
    """
    mod = sys.modules.get(module)
    return getattr(mod, name) if mod is not None else None
