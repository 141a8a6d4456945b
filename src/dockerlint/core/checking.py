"""Running the rules over one model: the rules that read its type (imported on first use),
their options, the shadow rules a suppression names, and a crashing rule reported, not fatal."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection
from typing import Any

from dockerlint.api import RuleContext
from dockerlint.core.findings import Finding, Result
from dockerlint.core.options import Options
from dockerlint.core.registry import Hit, Registry, Rule
from dockerlint.core.scan import Scan
from dockerlint.models.base import Root


def model_path(model: Any) -> str:
    """The display path of the file a model comes from ("" for an object that is no root model)."""
    return model.path if isinstance(model, Root) else ""


class Checker:
    """The rules of a run by the kind of model they read (``type(model).KIND``), and their check
    of one model."""

    def __init__(
        self,
        registry: Registry,
        run_options: Options,
        options_for: Callable[[str], Options],
        enabled: Collection[str] = (),
    ) -> None:
        self.registry = registry
        self.run_options = run_options
        self.options_for = options_for
        self._enabled: frozenset[str] = frozenset()
        self._loaded: dict[type, list[Rule]] = {}
        self._default_options: dict[str, Any] = {}
        self.index(enabled)

    def index(self, enabled: Collection[str]) -> None:
        """Run the rules ``enabled`` (ids) from now on (their modules are imported when a model of
        their kind appears)."""
        self._enabled = frozenset(enabled)
        self._loaded = {}

    def rules_for(self, model_type: type, result: Result) -> list[Rule]:
        """The enabled rules that read ``model_type``, their modules imported on first use."""
        got = self._loaded.get(model_type)
        if got is None:
            got = self._of(model_type, self._enabled, result)
            self._loaded[model_type] = got
        return got

    def _of(self, model_type: type, ids: Collection[str], result: Result) -> list[Rule]:
        kind = getattr(model_type, "KIND", None)
        if not isinstance(kind, str) or not ids:
            return []
        rules = self.registry.rules_for(kind, ids, result.internal_errors)
        return [r for r in rules if model_type in r.reads_types]

    def shadow_rules(self, model_type: type, ids: frozenset[str], result: Result) -> list[Rule]:
        """The rules ``ids`` (off in this run) that read ``model_type``."""
        return self._of(model_type, ids, result)

    def rule_options(self, r: Rule, o: Options) -> Any:
        """The options of rule ``r`` under ``o``: configured, else the defaults."""
        if r.id in o.rule_options:
            return o.rule_options[r.id]
        if r.options is None:
            return None
        if r.id not in self._default_options:
            self._default_options[r.id] = default_options(r.options)
        return self._default_options[r.id]

    def check(self, scan: Scan, result: Result) -> None:
        """Run the indexed rules over every model of ``scan`` (findings not yet filtered)."""
        for model in scan.models:
            self.check_model(model, scan, result)

    def check_model(self, model: Any, scan: Scan, result: Result, shadow: frozenset[str] = frozenset()) -> None:
        """Run the rules of ``model`` (and the ``shadow`` rules that read it); findings to ``result``."""
        rules = self.rules_for(type(model), result)
        if shadow:
            rules = rules + self.shadow_rules(type(model), shadow, result)
        if not rules:
            return
        o = self.options_for(model_path(model))
        memos: dict[Callable[[Any], Any], Any] = {}  # RuleContext.memo: this model's, for all its rules
        for r in rules:
            ctx = RuleContext(
                scan=scan,
                options=self.rule_options(r, o),
                roots=self.run_options.roots,
                repository_ignores=self.run_options.repository_ignores,
                model=model,
                memos=memos,
            )
            try:
                hits = list(r.run(model, ctx))
            except Exception as exc:  # noqa: BLE001 -- report a crashing rule, lint on
                result.internal_errors.append(
                    f"rule {r.id} crashed on {model_path(model) or '?'}: {type(exc).__name__}: {exc}"
                )
                continue
            for hit in hits:
                result.findings.append(finding(r, hit))


def default_options(cls: type) -> Any:
    """The default options of an options class (None if it has a field without a default).

    A dataclass (every built-in rule's) is built from its fields' defaults; a plugin's pydantic
    model with ``model_construct``, so its validator is not built. Nothing is validated: the
    defaults are the rule author's, and no pydantic is imported on a run without configuration.
    """
    if dataclasses.is_dataclass(cls):
        if any(
            f.init and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            for f in dataclasses.fields(cls)
        ):
            return None
    elif isinstance(getattr(cls, "model_fields", None), dict):  # a pydantic model: the plugin imported pydantic
        model: Any = cls
        return None if any(f.is_required() for f in model.model_fields.values()) else model.model_construct()
    try:
        return cls()
    except Exception:  # noqa: BLE001 -- an options class that cannot be built without arguments has no default
        return None


def finding(r: Rule, hit: Hit) -> Finding:
    """A rule's hit as a finding (the configured severity, per file, is stamped when it is kept)."""
    sev = hit.severity or r.severity
    return Finding(r.id, r.name, sev, hit.span, hit.message, hit.context, fix=hit.fix, secrets=hit.secrets)
