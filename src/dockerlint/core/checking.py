"""Running the rules over one model: the rules that read its type (imported on first use),
their options, the shadow rules a suppression names, and a crashing rule reported, not fatal."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from dockerlint.api import RuleContext
from dockerlint.core.findings import Finding, Result
from dockerlint.core.options import Options
from dockerlint.core.registry import Hit, PluginError, Registry, Rule, RuleStub, type_key
from dockerlint.core.scan import Scan
from dockerlint.models.base import Root


def model_path(model: Any) -> str:
    """The display path of the file a model comes from ("" for an object that is no root model)."""
    return model.path if isinstance(model, Root) else ""


class Checker:
    """The rules of a run by the model type they read, and their check of one model."""

    def __init__(self, registry: Registry, run_options: Options, options_for: Callable[[str], Options],
                 rules: Iterable[RuleStub] = ()) -> None:
        self.registry = registry
        self.run_options = run_options
        self.options_for = options_for
        self._by_model: dict[str, list[RuleStub]] = {}
        self._type_keys: dict[type, str] = {}
        self._loaded: dict[str, list[Rule]] = {}
        self._default_options: dict[str, Any] = {}
        self.index(rules)

    def index(self, rules: Iterable[RuleStub]) -> None:
        """Run ``rules`` from now on (their modules are imported when a model they read appears)."""
        self._by_model = {}
        self._loaded = {}
        for r in rules:
            for key in r.reads:
                self._by_model.setdefault(key, []).append(r)

    def _key(self, model_type: type) -> str:
        key = self._type_keys.get(model_type)
        if key is None:
            key = self._type_keys[model_type] = type_key(model_type)
        return key

    def rules_for(self, model_type: type, result: Result) -> list[Rule]:
        """The rules that read ``model_type``, their modules imported on first use."""
        key = self._key(model_type)
        got = self._loaded.get(key)
        if got is None:
            got = []
            for stub in self._by_model.get(key, ()):
                r = self._load(stub.id, result)
                if r is not None:
                    got.append(r)
            self._loaded[key] = got
        return got

    def _load(self, rule_id: str, result: Result) -> Rule | None:
        try:
            return self.registry.get(rule_id)
        except PluginError as exc:
            result.internal_errors.append(str(exc))
            return None

    def shadow_rules(self, model_type: type, ids: frozenset[str], result: Result) -> list[Rule]:
        """The rules ``ids`` (off in this run) that read ``model_type``."""
        key = self._key(model_type)
        out = []
        for rule_id in sorted(ids):
            stub = self.registry.stub(rule_id)
            if stub is None or key not in stub.reads:
                continue
            r = self._load(rule_id, result)
            if r is not None:
                out.append(r)
        return out

    def rule_options(self, r: Rule, o: Options) -> Any:
        """The options of rule ``r`` under ``o``: configured, else the defaults."""
        if r.id in o.rule_options:
            return o.rule_options[r.id]
        if r.options is None:
            return None
        if r.id not in self._default_options:
            fields = getattr(r.options, "model_fields", None)
            if fields is not None and not any(f.is_required() for f in fields.values()):
                # The defaults, without building the model's validator (start-up cost).
                self._default_options[r.id] = r.options.model_construct()  # type: ignore[attr-defined]
            else:
                try:
                    self._default_options[r.id] = r.options()
                except Exception:  # noqa: BLE001 -- an options model with required fields has no default
                    self._default_options[r.id] = None
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
            ctx = RuleContext(scan=scan, options=self.rule_options(r, o), roots=self.run_options.roots,
                              repository_ignores=self.run_options.repository_ignores, model=model, memos=memos)
            try:
                hits = list(r.run(model, ctx))
            except Exception as exc:  # noqa: BLE001 -- report a crashing rule, lint on
                result.internal_errors.append(
                    f"rule {r.id} crashed on {model_path(model) or '?'}: {type(exc).__name__}: {exc}"
                )
                continue
            for hit in hits:
                result.findings.append(finding(r, hit))


def finding(r: Rule, hit: Hit) -> Finding:
    """A rule's hit as a finding (the configured severity, per file, is stamped when it is kept)."""
    sev = hit.severity or r.severity
    return Finding(r.id, r.name, sev, hit.span, hit.message, hit.context, fix=hit.fix, secrets=hit.secrets)
