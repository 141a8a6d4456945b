"""Rule selection is ONE algorithm (``core.selection.Selection``), evaluated one rule at a time.

Before issue 13 WP3.1 it was written twice, as set operations over every rule: the engine's
``enabled_rules`` (one layer, an engine ``Options``) and the configuration's
``resolve_selection`` (precedence layers). Both are kept here, verbatim but for taking
(id, default) pairs instead of ``RuleStub``s, and random selections over the real ids must
give the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint.config.layers import Layer, resolve_selection
from dockerlint.core.options import Options
from dockerlint.core.registry import Registry
from dockerlint.core.selection import EnabledIds, Selection

REGISTRY = Registry.builtin()
RULES = [(rid, REGISTRY.default(rid)) for rid in REGISTRY.ids()]


# -- the two algorithms of dockerlint 0.1 (the oracle) -------------------------------------
@dataclass(frozen=True)
class _Stub:
    id: str
    enabled_by_default: bool


def _old_matches(rule_id: str, selectors: list[str]) -> bool:
    return any(rule_id.startswith(s) for s in selectors if s)


def _old_selected(r: _Stub, selectors: list[str]) -> bool:
    for s in selectors:
        if s == "ALL":
            return True
        if s and r.id.startswith(s) and (r.enabled_by_default or len(s) >= 3):
            return True
    return False


def _old_enabled_rules(stubs: list[_Stub], select: list[str], extend: list[str], ignore: list[str]) -> set[str]:
    out = set()
    for r in stubs:
        on = r.enabled_by_default
        if select:
            on = _old_selected(r, select)
        if extend and _old_selected(r, extend):
            on = True
        if _old_matches(r.id, ignore):
            on = False
        if on or r.id.endswith("000"):
            out.add(r.id)
    return out


def _old_resolve_selection(stubs: list[_Stub], layers: list[Layer]) -> set[str]:
    on = {r.id for r in stubs if r.enabled_by_default}
    for layer in layers:
        if layer.select is not None:
            on = {r.id for r in stubs if _old_selected(r, layer.select)}
        if layer.extend_select:
            on |= {r.id for r in stubs if _old_selected(r, layer.extend_select)}
        if layer.ignore:
            on -= {r.id for r in stubs if _old_matches(r.id, layer.ignore)}
    return on


STUBS = [_Stub(rid, on) for rid, on in RULES]

# Selectors as users write them: ALL, groups (DF, DC...), precise prefixes (DF2, DC1, DD11),
# exact ids (on and off by default), ids of no rule, and the empty string.
_IDS = [rid for rid, _ in RULES]
SELECTOR = st.one_of(
    st.sampled_from(["ALL", "", "DF", "DC", "DD", "DL", "D", "DF2", "DF1", "DC1", "DD1", "DD11", "DF22", "DC12"]),
    st.sampled_from(_IDS),
    st.sampled_from(["DF999", "XX", "DF0", "DC000"]),
)
SELECTORS = st.lists(SELECTOR, max_size=4)


@st.composite
def layers(draw: st.DrawFn) -> list[Layer]:
    out = []
    for n in range(draw(st.integers(min_value=0, max_value=3))):
        select = draw(st.one_of(st.none(), SELECTORS))
        out.append(Layer(name=f"layer {n}", select=select, extend_select=draw(SELECTORS), ignore=draw(SELECTORS)))
    return out


@settings(max_examples=400, deadline=None)
@given(layers())
def test_the_layers_select_what_the_configuration_s_old_algorithm_did(given_layers: list[Layer]) -> None:
    always = {rid for rid in _IDS if rid.endswith("000")}  # the engine always added them
    want = _old_resolve_selection(STUBS, given_layers) | always
    assert set(resolve_selection(REGISTRY, given_layers)) == want
    assert set(Selection.of(given_layers).ids(REGISTRY)) == want


@settings(max_examples=400, deadline=None)
@given(SELECTORS, SELECTORS, SELECTORS)
def test_the_engine_options_select_what_the_engine_s_old_algorithm_did(
    select: list[str], extend: list[str], ignore: list[str]
) -> None:
    want = _old_enabled_rules(STUBS, select, extend, ignore)
    options = Options(select=select, extend_select=extend, ignore=ignore)
    assert set(Selection.of_options(options).ids(REGISTRY)) == want
    assert set(EnabledIds(REGISTRY)(options)) == want


def test_one_rule_is_decided_without_the_others() -> None:
    """What the registry needs to select without importing: an id and its default."""
    sel = Selection.of(
        [
            Layer(name="file", select=["DF"], ignore=["DF1"]),
            Layer(name="command line", extend_select=["DF201", "DF104"]),
        ]
    )
    assert sel.enabled("DF201", False) and sel.enabled("DF104", True)
    assert not sel.enabled("DF202", False) and not sel.enabled("DF101", True) and not sel.enabled("DC101", True)
    assert sel.enabled("DC000", True)  # parse errors are always reported
    assert Selection().enabled("DF101", True) and not Selection().enabled("DF201", False)


@dataclass
class _Picks:
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)


def test_an_empty_select_layer_selects_nothing_but_an_empty_engine_select_means_the_defaults() -> None:
    """``select = []`` in a configuration file turns everything off (parse errors stay); the
    engine's ``Options(select=[])`` is "not given", as it always was."""
    assert Selection.of([_Picks(select=[])]).ids(REGISTRY) == {rid for rid in _IDS if rid.endswith("000")}
    defaults = {rid for rid, on in RULES if on} | {rid for rid in _IDS if rid.endswith("000")}
    assert Selection.of_options(Options(select=[])).ids(REGISTRY) == defaults
