"""Scan-wide facts the DC rules look up for every container, computed once per scan."""

from __future__ import annotations

import weakref
from typing import Any

from dockerlint.engine import RuleContext
from dockerlint.models.daemon import Daemon

# (the scan, its daemons): ``Scan.of`` walks every model, and a rule asking once per
# container would make a large scan quadratic. A weak reference, so no scan outlives its run.
_last: tuple[weakref.ref[Any], int, list[Daemon]] | None = None


def daemons(ctx: RuleContext) -> list[Daemon]:
    """The daemon models of this scan (daemon.json, units), looked up once per scan version."""
    global _last
    version = getattr(ctx.scan, "version", 0)
    if _last is not None and _last[0]() is ctx.scan and _last[1] == version:
        return _last[2]
    found: list[Daemon] = ctx.scan.of(Daemon)
    _last = (weakref.ref(ctx.scan), version, found)
    return found
