"""The rule registry and the plugin loader (the rule API itself is :mod:`dockerlint.api`).

Built-in rules register through the same entry-point group third-party plugins
use (``dockerlint.rules``). The loader fails loudly, naming the culprit, on an
import error, a duplicate id, a malformed id or a reserved prefix used by a plugin.

An entry point gives :class:`Rule` objects, or :class:`RuleStub` declarations that
name the module holding the rule: the registry then imports that module only when
the rule is first needed (a run over one Dockerfile never imports the Compose or
daemon rules). dockerlint's own rules are declared that way, from a manifest
generated from the rule modules (``dockerlint/core/_manifest.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from types import ModuleType
from typing import Any

# The rule API lives in dockerlint.api; these names stay importable from here (the engine,
# the reporters and dockerlint.registry use them) until issue 13 WP3.1 reworks the registry.
from dockerlint.api import (
    Edit,
    Fix,
    Hit,
    PluginError,
    Rule,
    RuleStub,
    Severity,
    no_check,
    rule,
    type_key,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "RESERVED_PREFIXES",
    "RULE_ID",
    "RULE_NAME",
    "SECURITY_SEVERITY",
    "Edit",
    "Fix",
    "Hit",
    "PluginError",
    "Registry",
    "Rule",
    "RuleStub",
    "Severity",
    "builtin_rules",
    "entry_points_of",
    "load_builtin_rules",
    "load_registry",
    "manifest_text",
    "no_check",
    "plugin_path",
    "rule",
    "type_key",
]

ENTRY_POINT_GROUP = "dockerlint.rules"
# Prefixes only dockerlint itself may use: DF/DC/DD are the rule groups, DL is for
# meta rules about dockerlint's own configuration and suppressions.
RESERVED_PREFIXES = ("DF", "DC", "DD", "DL")
RULE_ID = re.compile(r"^[A-Z]{2,5}[0-9]{3}$")
RULE_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

# GitHub code scanning maps security-severity > 9.0 to Critical, 7.0-8.9 High,
# 4.0-6.9 Medium, 0.1-3.9 Low. Values are kept clear of the boundaries.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "2.0",
    Severity.INFO: "1.0",
}


def _rules_from(obj: Any) -> list[Rule | RuleStub]:
    if isinstance(obj, (Rule, RuleStub)):
        return [obj]
    if isinstance(obj, ModuleType):
        return [v for v in vars(obj).values() if isinstance(v, Rule)]
    if callable(obj):
        obj = obj()
    if isinstance(obj, (Rule, RuleStub)):
        return [obj]
    try:
        items = list(obj)
    except TypeError:
        raise PluginError(f"entry point gave {type(obj).__name__}, not rules") from None
    bad = [x for x in items if not isinstance(x, (Rule, RuleStub))]
    if bad:
        raise PluginError(f"entry point gave a non-rule object: {bad[0]!r}")
    return items


class Registry:
    """All rules, by id: declared (:class:`RuleStub`) and, once needed, loaded (:class:`Rule`)."""

    def __init__(self) -> None:
        self._stubs: dict[str, RuleStub] = {}
        self._rules: dict[str, Rule] = {}
        self._origin: dict[str, str] = {}
        self._sorted: list[RuleStub] | None = None

    def add(self, r: Rule | RuleStub, origin: str = "dockerlint", builtin: bool = True) -> None:
        if not RULE_ID.match(r.id):
            raise PluginError(f"{origin}: rule id {r.id!r} is not of the form PREFIX + 3 digits")
        if not RULE_NAME.match(r.name):
            raise PluginError(f"{origin}: rule {r.id} has an invalid name {r.name!r}")
        if not builtin and r.id.startswith(RESERVED_PREFIXES):
            raise PluginError(
                f"{origin}: rule id {r.id} uses a prefix reserved for dockerlint "
                f"({', '.join(RESERVED_PREFIXES)})"
            )
        if r.id in self._stubs:
            raise PluginError(f"{origin}: duplicate rule id {r.id} (already from {self._origin[r.id]})")
        if not isinstance(r.severity, Severity):
            raise PluginError(f"{origin}: rule {r.id} has an invalid severity {r.severity!r}")
        if isinstance(r, Rule):
            self._rules[r.id] = r
            self._stubs[r.id] = r.stub()
        else:
            if not r.module:
                raise PluginError(f"{origin}: rule {r.id} is declared without the module that defines it")
            self._stubs[r.id] = r
        self._origin[r.id] = origin
        self._sorted = None

    def stubs(self) -> list[RuleStub]:
        """Every rule's declaration, by id; imports nothing."""
        if self._sorted is None:
            self._sorted = sorted(self._stubs.values(), key=lambda r: r.id)
        return self._sorted

    def ids(self) -> list[str]:
        return [r.id for r in self.stubs()]

    def stub(self, rule_id: str) -> RuleStub | None:
        return self._stubs.get(rule_id)

    def __iter__(self) -> Iterator[Rule]:
        """Every rule, loaded (imports every rule module: for listings and documentation)."""
        return iter([self._load(s) for s in self.stubs()])

    def __len__(self) -> int:
        return len(self._stubs)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._stubs

    def get(self, rule_id: str) -> Rule | None:
        """The rule with this id, importing its module the first time (None: no such rule)."""
        stub = self._stubs.get(rule_id)
        return None if stub is None else self._load(stub)

    def origin(self, rule_id: str) -> str:
        return self._origin[rule_id]

    def _load(self, stub: RuleStub) -> Rule:
        got = self._rules.get(stub.id)
        if got is not None:
            return got
        origin = self._origin[stub.id]
        import importlib

        try:
            module = importlib.import_module(stub.module)
        except Exception as exc:  # an import-time failure must name the rule and where it was declared
            raise PluginError(f"{origin}: rule {stub.id}: importing {stub.module} failed: "
                              f"{type(exc).__name__}: {exc}") from exc
        for value in vars(module).values():
            if isinstance(value, Rule) and value.id in self._stubs and value.id not in self._rules:
                if value.stub() != replace(self._stubs[value.id], module=value.module):
                    raise PluginError(
                        f"{origin}: rule {value.id} in {stub.module} does not match its declaration "
                        f"({self._stubs[value.id]} != {value.stub()}); for dockerlint's own rules, "
                        "regenerate dockerlint/core/_manifest.py"
                    )
                self._rules[value.id] = value
        got = self._rules.get(stub.id)
        if got is None:
            raise PluginError(f"{origin}: module {stub.module} does not define rule {stub.id}")
        return got


def plugin_path(untrusted: Sequence[str] = ()) -> list[str]:
    """The ``sys.path`` entries where plugins (``*.dist-info`` entry points) may be found.

    Left out: the working directory (``''``, or the folder ``python -m`` puts first) and any
    entry inside it or inside one of the ``untrusted`` folders (the scanned paths): the
    repository being linted is the attacker's, and a ``*.dist-info`` folder committed there
    must not make dockerlint import its code. The running environment's own site-packages
    folders stay, even inside the working directory (a project's ``.venv``): whoever
    controls them controls the interpreter anyway.
    """
    import os
    import sys

    from dockerlint.util.safefiles import is_inside

    try:
        cwd = os.getcwd()
    except OSError:  # deleted: nothing can be found through it
        cwd = ""
    avoid = [os.path.realpath(d) for d in (cwd, *untrusted) if d]
    site_dirs = [os.path.realpath(d) for d in _site_dirs()]
    out: list[str] = []
    for entry in sys.path:
        if not isinstance(entry, str) or entry in ("", "."):
            continue
        real = os.path.realpath(entry)
        if is_inside(real, avoid) and not is_inside(real, site_dirs):
            continue
        out.append(entry)
    return out


def _site_dirs() -> list[str]:
    import sys

    site = sys.modules.get("site")
    dirs: list[str] = []
    try:
        if site is not None:
            dirs.extend(site.getsitepackages())
            if site.ENABLE_USER_SITE:
                dirs.append(site.getusersitepackages())
    except (AttributeError, OSError, TypeError):  # an embedded or customised interpreter
        pass
    return dirs


def _other_providers(group: str, path: Sequence[str]) -> bool:
    """Whether a distribution other than dockerlint declares ``group`` in the folders ``path``.

    A plain scan of the ``*.dist-info`` / ``*.egg-info`` folders' ``entry_points.txt``:
    ``importlib.metadata`` costs more to import than a run over one Dockerfile takes, so
    it is used only when there are plugins to load.
    """
    import os

    header = f"[{group}]"
    for entry in path:
        try:
            names = os.listdir(entry)
        except OSError:
            continue  # a zip file or a missing folder: importlib.metadata looks there when needed
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            dist = name.rsplit(".", 1)[0].split("-", 1)[0].lower().replace("_", "-")
            if dist == "dockerlint":
                continue
            try:
                with open(os.path.join(entry, name, "entry_points.txt"), encoding="utf-8") as fh:
                    if header in fh.read():
                        return True
            except (OSError, UnicodeDecodeError):
                continue
    return False


def entry_points_of(group: str, path: Sequence[str]) -> list[Any]:
    """The entry points of ``group`` declared by the distributions found in ``path`` (the
    first distribution of a name wins, as on ``sys.path``), sorted by name."""
    from importlib.metadata import distributions

    seen: set[str] = set()
    out: list[Any] = []
    for dist in distributions(path=list(path)):
        name = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if name:
            if name in seen:
                continue
            seen.add(name)
        out.extend(ep for ep in dist.entry_points if ep.group == group)
    return sorted(out, key=lambda e: e.name)


def load_registry(untrusted: Sequence[str] = ()) -> Registry:
    """Load every rule from the ``dockerlint.rules`` entry-point group.

    Entry points are read from :func:`plugin_path` only: never from the working directory,
    nor from the ``untrusted`` folders (the paths being linted).

    dockerlint's own distribution provides the built-ins through the same group. When
    dockerlint runs from a source tree that is not installed (no entry points), the
    built-ins are loaded directly so the tool still works. When no other distribution
    declares the group, the entry points are not read at all: the built-ins come from
    the manifest directly (the same declarations dockerlint's entry point gives).
    """
    registry = Registry()
    path = plugin_path(untrusted)
    if not _other_providers(ENTRY_POINT_GROUP, path):
        for r in builtin_rules():
            registry.add(r)
        return registry

    saw_builtin = False
    for ep in entry_points_of(ENTRY_POINT_GROUP, path):
        dist = getattr(ep, "dist", None)
        dist_name = (dist.name if dist is not None else "") or ""
        builtin = dist_name.lower().replace("_", "-") == "dockerlint"
        origin = f"plugin {ep.name!r} ({ep.value}" + (f", from {dist_name})" if dist_name else ")")
        try:
            loaded = ep.load()
            rules = _rules_from(loaded)
        except PluginError as exc:
            raise PluginError(f"{origin}: {exc}") from exc
        except Exception as exc:  # any import-time failure of a plugin must name it
            raise PluginError(f"{origin} failed to load: {type(exc).__name__}: {exc}") from exc
        if builtin:
            if saw_builtin:
                continue  # the same distribution seen twice on sys.path
            saw_builtin = True
        for declared in rules:
            registry.add(declared, origin="dockerlint" if builtin else origin, builtin=builtin)
    if not saw_builtin:
        for r in builtin_rules():
            registry.add(r)
    return registry


# -- built-in rules (were dockerlint/checks/__init__.py) ----------------------------------------------
# dockerlint registers its own rules through its ``dockerlint.rules`` entry point, which points at
# :func:`builtin_rules`, exactly as a third-party plugin would. What it gives are declarations read
# from ``core/_manifest.py`` (id, name, severity, models read, module relative to
# ``dockerlint.rules``): a rule's module is imported only when a file it reads is linted. The
# manifest is generated from the modules by :func:`manifest_text` and a test keeps the two equal
# (``DOCKERLINT_UPDATE_GOLDEN=1 pytest tests/test_registry.py`` rewrites it).
_RULES_PACKAGE = "dockerlint.rules"


def builtin_rules() -> list[RuleStub]:
    """Every built-in rule, declared from the manifest (no rule module is imported)."""
    from dockerlint.core._manifest import RULES

    return [RuleStub(id=rid, name=name, severity=Severity(sev), enabled_by_default=on, reads=reads,
                     module=f"{_RULES_PACKAGE}.{module}", hadolint=hadolint)
            for rid, name, sev, on, reads, module, hadolint in RULES]


def _builtin_rule_modules() -> list[str]:
    """The rule modules under ``dockerlint/rules/<kind>/[optional/]``, by name (nothing imported)."""
    import os

    rules_dir = os.path.join(os.path.dirname(os.path.dirname(__file__)), "rules")
    found: list[str] = []
    for folder, subdirs, files in os.walk(rules_dir):
        subdirs[:] = sorted(d for d in subdirs if d not in ("common", "__pycache__") and not d.startswith("_"))
        rel = os.path.relpath(folder, rules_dir)
        prefix = "" if rel == "." else rel.replace(os.sep, ".") + "."
        found.extend(prefix + f[:-3] for f in files if re.fullmatch(r"[a-z]{2}\d{3}\.py", f))
    return found


def load_builtin_rules() -> list[Rule]:
    """Every built-in rule, by importing every rule module (for the manifest and its test)."""
    import importlib

    rules: list[Rule] = []
    for name in _builtin_rule_modules():
        module = importlib.import_module(f"{_RULES_PACKAGE}.{name}")
        rules.extend(v for v in vars(module).values() if isinstance(v, Rule))
    return sorted(rules, key=lambda r: r.id)


def manifest_text() -> str:
    """The text of ``core/_manifest.py`` for the rule modules as they are."""
    lines = [
        '"""Declarations of the built-in rules, generated from the rule modules by',
        "``dockerlint.core.registry.manifest_text()``: do not edit (a test keeps it equal to them).",
        "",
        "(id, name, severity, enabled by default, models read, module in dockerlint.rules, hadolint equivalents)",
        '"""',
        "",
        "RULES = (",
    ]
    for r in load_builtin_rules():
        s = r.stub()
        module = s.module.removeprefix(_RULES_PACKAGE + ".")
        lines.append(f"    ({s.id!r}, {s.name!r}, {s.severity.value!r}, {s.enabled_by_default!r}, "
                     f"{s.reads!r}, {module!r}, {s.hadolint!r}),")
    lines.append(")")
    return "\n".join(lines) + "\n"
