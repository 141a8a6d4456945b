"""``scripts/wild_unreviewed.py`` loaded as a module (scripts/ is not a package), for the tests
of the wild-set review and of the corpus snapshot."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "wild_unreviewed.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("wild_unreviewed", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


wild = sys.modules.get("wild_unreviewed") or _load()
