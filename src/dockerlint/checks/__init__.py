"""Built-in rules: one module per rule (``df101.py`` holds DF101).

dockerlint registers them through its own ``dockerlint.rules`` entry point, which
points at :func:`builtin_rules`, exactly as a third-party plugin would. What it gives
are declarations read from ``_manifest.py`` (id, name, severity, models read, module):
a rule's module is imported only when a file it reads is linted. The manifest is
generated from the modules by :func:`manifest_text` and a test keeps the two equal
(``DOCKERLINT_UPDATE_GOLDEN=1 pytest tests/test_registry.py`` rewrites it).
"""

from __future__ import annotations

from dockerlint.registry import Rule, RuleStub, Severity


def builtin_rules() -> list[RuleStub]:
    """Every built-in rule, declared from the manifest (no rule module is imported)."""
    from dockerlint.checks._manifest import RULES

    return [RuleStub(id=rid, name=name, severity=Severity(sev), enabled_by_default=on, reads=reads,
                     module=f"{__name__}.{module}", hadolint=hadolint)
            for rid, name, sev, on, reads, module, hadolint in RULES]


def load_builtin_rules() -> list[Rule]:
    """Every built-in rule, by importing every rule module (for the manifest and its test)."""
    import importlib
    import pkgutil

    rules: list[Rule] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue  # helpers shared by rule modules
        module = importlib.import_module(f"{__name__}.{info.name}")
        rules.extend(v for v in vars(module).values() if isinstance(v, Rule))
    return sorted(rules, key=lambda r: r.id)


def manifest_text() -> str:
    """The text of ``_manifest.py`` for the rule modules as they are."""
    lines = [
        '"""Declarations of the built-in rules, generated from the rule modules by',
        "``dockerlint.checks.manifest_text()``: do not edit (a test keeps it equal to them).",
        "",
        "(id, name, severity, enabled by default, models read, module, hadolint equivalents)",
        '"""',
        "",
        "RULES = (",
    ]
    for r in load_builtin_rules():
        s = r.stub()
        module = s.module.rpartition(".")[2]
        lines.append(f"    ({s.id!r}, {s.name!r}, {s.severity.value!r}, {s.enabled_by_default!r}, "
                     f"{s.reads!r}, {module!r}, {s.hadolint!r}),")
    lines.append(")")
    return "\n".join(lines) + "\n"
