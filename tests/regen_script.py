"""``scripts/regenerate.py`` loaded as a module (scripts/ is not a package): the staleness tests
compare with what its generators make, and name its command when they fail."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "regenerate.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("regenerate", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


regen = sys.modules.get("regenerate") or _load()
