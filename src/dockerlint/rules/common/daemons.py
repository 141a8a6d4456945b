"""Scan-wide facts the DC rules look up for every container, computed once per scan."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from dockerlint.api import RuleContext, ScanView

if TYPE_CHECKING:
    from dockerlint.models.daemon import Daemon


def daemons(ctx: RuleContext) -> list[Daemon]:
    """The daemon models of this scan (daemon.json, units), looked up once per scan version:
    ``Scan.of`` walks every model, and a rule asking once per container would make a large
    scan quadratic."""
    return ctx.scan.cached(_daemons)


def _daemons(scan: ScanView) -> list[Daemon]:
    daemon_cls = model_class("dockerlint.models.daemon", "Daemon")
    return scan.of(daemon_cls) if daemon_cls is not None else []


def model_class(module: str, name: str) -> Any:
    """The model class ``module.name`` if that module was imported, else None.

    No object of a class exists before its module is imported, so a lookup that finds
    the module missing knows the scan holds none of them, and a Compose-only run does
    not import the daemon or Dockerfile models just to learn that (start-up cost).
    """
    mod = sys.modules.get(module)
    return getattr(mod, name) if mod is not None else None
