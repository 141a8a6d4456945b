"""Built-in rules: one module per rule (``df101.py`` holds DF101).

dockerlint registers them through its own ``dockerlint.rules`` entry point, which
points at :func:`builtin_rules`, exactly as a third-party plugin would.
"""

from __future__ import annotations

import importlib
import pkgutil

from dockerlint.registry import Rule


def builtin_rules() -> list[Rule]:
    rules: list[Rule] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue  # helpers shared by rule modules
        module = importlib.import_module(f"{__name__}.{info.name}")
        rules.extend(v for v in vars(module).values() if isinstance(v, Rule))
    return rules
