"""The rule registry: dockerlint's own rules indexed from the package layout, and plugins.

The built-in index is a folder listing, so nothing is imported to know which rules exist:
``dockerlint/rules/<kind>/<id>.py`` is a rule on by default that reads models of ``kind``
(``rules/image/df101.py`` is DF101, on Dockerfiles), ``rules/<kind>/optional/<id>.py`` one
off by default. A kind is a root model's ``KIND`` (``ImageBuild.KIND == "image"``); a group's
``__init__.py`` declares ``ALSO_READS`` for its modules that also read models of another kind
(DD101 reports on the daemon and also reads Compose's dind services). Selecting rules needs
only ids and defaults (:mod:`dockerlint.core.selection`); a rule's module is imported by
:meth:`Registry.rules_for` the first time a model of its kind is checked, and then checked
against its place (id, default, kinds read), so the layout cannot drift from the code.

Plugins register through the ``dockerlint.rules`` entry-point group (:mod:`dockerlint.core.plugins`
finds them); the loader fails loudly, naming the culprit, on an import error, a duplicate id,
a malformed id or a reserved prefix used by a plugin.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

# The rule API lives in dockerlint.api; the engine and the reporters import these names from here.
from dockerlint.api import Edit, Fix, Hit, PluginError, Rule, Severity, no_check, rule
from dockerlint.core.plugins import entry_points_of, plugin_path

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
    "Severity",
    "builtin_index",
    "entry_points_of",
    "load_registry",
    "no_check",
    "plugin_path",
    "rule",
]

ENTRY_POINT_GROUP = "dockerlint.rules"
# Prefixes only dockerlint itself may use: DF/DC/DD are the rule groups, DL is for
# meta rules about dockerlint's own configuration and suppressions.
RESERVED_PREFIXES = ("DF", "DC", "DD", "DL")
RULE_ID = re.compile(r"^[A-Z]{2,5}[0-9]{3}$")
RULE_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_RULES_PACKAGE = "dockerlint.rules"
_OPTIONAL = "optional"

# GitHub code scanning maps security-severity > 9.0 to Critical, 7.0-8.9 High,
# 4.0-6.9 Medium, 0.1-3.9 Low. Values are kept clear of the boundaries.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "2.0",
    Severity.INFO: "1.0",
}


@dataclass(frozen=True)
class Placed:
    """A built-in rule as the layout places it (nothing imported): ``rules/<kind>/[optional/]<id>.py``."""

    id: str
    kind: str  # the folder: the KIND of the models the rule reports on
    default: bool  # on by default (not under optional/)
    module: str  # dockerlint.rules.<kind>[.optional].<id>

    @property
    def where(self) -> str:
        return "src/" + self.module.replace(".", "/") + ".py"


def builtin_index(rules_dir: str | None = None) -> dict[str, Placed]:
    """Every built-in rule, by id, from the listing of ``dockerlint/rules/`` (about ten
    directory reads; no rule module is imported)."""
    import os

    if rules_dir is None:
        rules_dir = os.path.join(os.path.dirname(os.path.dirname(__file__)), "rules")
    out: dict[str, Placed] = {}
    for kind in _folders(rules_dir):
        for default, sub in ((True, ""), (False, _OPTIONAL)):
            folder = os.path.join(rules_dir, kind, sub) if sub else os.path.join(rules_dir, kind)
            package = ".".join(p for p in (_RULES_PACKAGE, kind, sub) if p)
            for name in _rule_files(folder):
                stem = name[:-3]
                out[stem.upper()] = Placed(stem.upper(), kind, default, f"{package}.{stem}")
    return dict(sorted(out.items()))


def _folders(rules_dir: str) -> list[str]:
    """The kind folders (``common``, ``_*`` and ``__pycache__`` are not kinds)."""
    import os

    try:
        with os.scandir(rules_dir) as it:
            return sorted(e.name for e in it if e.is_dir() and e.name != "common" and not e.name.startswith("_"))
    except OSError:
        return []


def _rule_files(folder: str) -> list[str]:
    import os

    try:
        with os.scandir(folder) as it:
            return sorted(e.name for e in it if _is_rule_file(e.name) and e.is_file())
    except OSError:  # a kind without optional/
        return []


def _is_rule_file(name: str) -> bool:
    """``df101.py``: two lower-case letters, three digits (a string test: no pattern to compile at start-up)."""
    stem, _, ext = name.partition(".")
    return (
        ext == "py"
        and len(stem) == 5
        and stem.isascii()
        and stem[:2].isalpha()
        and stem[:2].islower()
        and stem[2:].isdigit()
    )


def _rules_from(obj: Any) -> list[Rule]:
    if isinstance(obj, Rule):
        return [obj]
    if isinstance(obj, ModuleType):
        return [v for v in vars(obj).values() if isinstance(v, Rule)]
    if callable(obj):
        obj = obj()
    if isinstance(obj, Rule):
        return [obj]
    try:
        items = list(obj)
    except TypeError:
        raise PluginError(f"entry point gave {type(obj).__name__}, not rules") from None
    bad = [x for x in items if not isinstance(x, Rule)]
    if bad:
        raise PluginError(f"entry point gave a non-rule object: {bad[0]!r}")
    return items


def kinds_read(r: Rule) -> frozenset[str]:
    """The ``KIND`` of each model class the rule reads (a class without one is never dispatched)."""
    return frozenset(k for t in r.reads_types if isinstance(k := getattr(t, "KIND", None), str))


class Registry:
    """Every rule by id: the built-ins placed by the layout (imported when first needed) and
    the rules added loaded (plugins; tests)."""

    def __init__(self) -> None:
        self._placed: dict[str, Placed] = {}
        self._rules: dict[str, Rule] = {}
        self._origin: dict[str, str] = {}
        self._ids: list[str] | None = None
        self._also: dict[str, frozenset[str]] | None = None  # kind -> built-in ids of other groups reading it
        self._hadolint: _HadolintMap | None = None

    @classmethod
    def builtin(cls) -> Registry:
        """dockerlint's own rules, from the layout."""
        registry = cls()
        registry.add_placed(builtin_index().values())
        return registry

    def add_placed(self, placed: Iterable[Placed]) -> None:
        for p in placed:
            if p.id in self._origin:
                raise PluginError(f"{p.where}: duplicate rule id {p.id} (already from {self._origin[p.id]})")
            self._placed[p.id] = p
            self._origin[p.id] = "dockerlint"
        self._ids = None
        self._also = None
        self._hadolint = None

    def add(self, r: Rule, origin: str = "dockerlint", builtin: bool = True) -> None:
        """A loaded rule (a plugin's: ``builtin=False`` and its ``origin``)."""
        if not RULE_ID.match(r.id):
            raise PluginError(f"{origin}: rule id {r.id!r} is not of the form PREFIX + 3 digits")
        if not RULE_NAME.match(r.name):
            raise PluginError(f"{origin}: rule {r.id} has an invalid name {r.name!r}")
        if not builtin and r.id.startswith(RESERVED_PREFIXES):
            raise PluginError(
                f"{origin}: rule id {r.id} uses a prefix reserved for dockerlint ({', '.join(RESERVED_PREFIXES)})"
            )
        if r.id in self._origin:
            raise PluginError(f"{origin}: duplicate rule id {r.id} (already from {self._origin[r.id]})")
        if not isinstance(r.severity, Severity):
            raise PluginError(f"{origin}: rule {r.id} has an invalid severity {r.severity!r}")
        self._rules[r.id] = r
        self._origin[r.id] = origin
        self._ids = None
        self._hadolint = None

    # -- what selection needs: ids and defaults, nothing imported ---------------------------

    def ids(self) -> list[str]:
        """Every rule id, sorted."""
        if self._ids is None:
            self._ids = sorted(self._origin)
        return self._ids

    def default(self, rule_id: str) -> bool:
        """Whether the rule is on by default (from its folder, for a built-in)."""
        placed = self._placed.get(rule_id)
        return placed.default if placed is not None else self._rules[rule_id].enabled_by_default

    def __len__(self) -> int:
        return len(self._origin)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._origin

    def origin(self, rule_id: str) -> str:
        return self._origin[rule_id]

    # -- loaded rules -----------------------------------------------------------------------

    def __iter__(self) -> Iterator[Rule]:
        """Every rule, loaded (imports every rule module: for listings and documentation)."""
        return iter([self._load(rid) for rid in self.ids()])

    def get(self, rule_id: str) -> Rule | None:
        """The rule with this id, importing its module the first time (None: no such rule)."""
        return self._load(rule_id) if rule_id in self._origin else None

    def rules_for(self, kind: str, ids: Collection[str], errors: list[str] | None = None) -> list[Rule]:
        """The rules of ``ids`` that read models of ``kind``, by id, their modules imported on
        first use. A module that fails to import or does not match its place is reported in
        ``errors`` (raised when ``errors`` is None) and left out."""
        also = self._also_reads().get(kind, frozenset())
        out: list[Rule] = []
        for rid in sorted(ids):
            placed = self._placed.get(rid)
            if placed is not None:
                if placed.kind != kind and rid not in also:
                    continue
            elif rid not in self._rules or kind not in kinds_read(self._rules[rid]):
                continue
            try:
                out.append(self._load(rid))
            except PluginError as exc:
                if errors is None:
                    raise
                errors.append(str(exc))
        return out

    def hadolint_map(self) -> Mapping[str, list[str]]:
        """hadolint id -> the DF rules whose ``peers["hadolint"]`` name it. Built from the rules
        themselves, so the Dockerfile rules (on or off) are imported the first time it is read:
        only for a Dockerfile with a ``# hadolint ignore=`` comment."""
        if self._hadolint is None:
            self._hadolint = _HadolintMap(self)
        return self._hadolint

    def _load(self, rule_id: str) -> Rule:
        got = self._rules.get(rule_id)
        if got is not None:
            return got
        placed = self._placed[rule_id]
        import importlib

        try:
            module = importlib.import_module(placed.module)
        except Exception as exc:  # an import-time failure must name the rule and its module
            raise PluginError(
                f"dockerlint: rule {rule_id}: importing {placed.module} failed: {type(exc).__name__}: {exc}"
            ) from exc
        got = self._check_placed(placed, module)
        self._rules[rule_id] = got
        return got

    def _check_placed(self, placed: Placed, module: ModuleType) -> Rule:
        """The one rule ``module`` defines, once it is shown to match its place in the layout."""
        found = [v for v in vars(module).values() if isinstance(v, Rule)]
        where = placed.where
        if len(found) != 1:
            raise PluginError(f"{where} must define exactly one rule (@rule), not {len(found)}")
        r = found[0]
        if r.id != placed.id:
            raise PluginError(
                f"{where} defines {r.id}: a rule module is named after its rule's id (rename it to {r.id.lower()}.py)"
            )
        if r.enabled_by_default != placed.default:
            fix = (
                f"move it out of rules/{placed.kind}/{_OPTIONAL}/"
                if r.enabled_by_default
                else f"move it to rules/{placed.kind}/{_OPTIONAL}/"
            )
            raise PluginError(f"{where}: {r.id} says enabled_by_default={r.enabled_by_default}: {fix}")
        also = self._also_reads()
        want = {placed.kind} | {k for k, rids in also.items() if r.id in rids}
        got = kinds_read(r)
        if got != want:
            extra = ", ".join(sorted(got - {placed.kind}))
            raise PluginError(
                f"{where}: {r.id} reads models of kind(s) {', '.join(sorted(got)) or '(none)'}, but its place says "
                f"{', '.join(sorted(want))}: a rule lives in the folder of the kind it reports on, and "
                f"rules/{placed.kind}/__init__.py lists in ALSO_READS the other kinds its modules read"
                + (f" (here: {extra})" if extra else "")
            )
        return r

    def _also_reads(self) -> dict[str, frozenset[str]]:
        """kind -> the built-in rules of other groups that also read it (each group's
        ``ALSO_READS``, read from its tiny ``__init__``)."""
        if self._also is None:
            import importlib

            also: dict[str, set[str]] = {}
            for kind in sorted({p.kind for p in self._placed.values()}):
                group = importlib.import_module(f"{_RULES_PACKAGE}.{kind}")
                for other, modules in getattr(group, "ALSO_READS", {}).items():
                    also.setdefault(other, set()).update(m.upper() for m in modules)
            self._also = {k: frozenset(v) for k, v in also.items()}
        return self._also


class _HadolintMap(Mapping[str, list[str]]):
    """:meth:`Registry.hadolint_map`: built on first lookup."""

    def __init__(self, registry: Registry) -> None:
        self._registry = registry
        self._map: dict[str, list[str]] | None = None

    def _built(self) -> dict[str, list[str]]:
        if self._map is None:
            from dockerlint.core.suppressions import hadolint_ids

            out: dict[str, list[str]] = {}
            for rid in self._registry.ids():
                try:
                    r = self._registry.get(rid) if rid.startswith("DF") else None
                except PluginError:  # reported where the rule runs, if it is on
                    continue
                if r is not None:
                    for h in hadolint_ids(r.peers):
                        out.setdefault(h, []).append(rid)
            self._map = out
        return self._map

    def __bool__(self) -> bool:  # whether there may be any entry, without building the map
        return any(rid.startswith("DF") for rid in self._registry.ids())

    def __getitem__(self, key: str) -> list[str]:
        return self._built()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._built())

    def __len__(self) -> int:
        return len(self._built())


def load_registry(untrusted: Sequence[str] = ()) -> Registry:
    """dockerlint's own rules (from the layout) and the plugins of the ``dockerlint.rules``
    entry-point group.

    Entry points are read from :func:`plugin_path` only: never from the working directory,
    nor from the ``untrusted`` folders (the paths being linted); and only when another
    distribution than dockerlint declares the group (otherwise ``importlib.metadata`` is
    not even imported).
    """
    from dockerlint.core.plugins import is_dockerlint, other_providers

    registry = Registry.builtin()
    path = plugin_path(untrusted)
    if not other_providers(ENTRY_POINT_GROUP, path):
        return registry
    for ep in entry_points_of(ENTRY_POINT_GROUP, path):
        dist = getattr(ep, "dist", None)
        dist_name = (dist.name if dist is not None else "") or ""
        if is_dockerlint(dist_name):
            continue  # an older dockerlint's own entry point: its rules are the layout's now
        origin = f"plugin {ep.name!r} ({ep.value}" + (f", from {dist_name})" if dist_name else ")")
        for declared in _load_entry_point(ep, origin):
            registry.add(declared, origin=origin, builtin=False)
    return registry


def _load_entry_point(ep: Any, origin: str) -> list[Rule]:
    try:
        return _rules_from(ep.load())
    except PluginError as exc:
        raise PluginError(f"{origin}: {exc}") from exc
    except Exception as exc:  # any import-time failure of a plugin must name it
        hint = (
            " (RuleStub declarations were removed in dockerlint 0.2.0: give the rules themselves; see CHANGELOG.md)"
            if "RuleStub" in str(exc)
            else ""
        )
        raise PluginError(f"{origin} failed to load: {type(exc).__name__}: {exc}{hint}") from exc
