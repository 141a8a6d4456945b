"""The registry loads rules through entry points and fails loudly on bad plugins."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from dockerlint.registry import PluginError, Registry, Severity, load_registry, rule
from dockerlint.models.image import ImageBuild


def _make_plugin(tmp_path: Path, dist: str, module_source: str, value: str) -> None:
    """Install a real (minimal) distribution with a ``dockerlint.rules`` entry point on sys.path."""
    mod_name = value.split(":")[0]
    (tmp_path / f"{mod_name}.py").write_text(textwrap.dedent(module_source), encoding="utf-8")
    info = tmp_path / f"{dist}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[dockerlint.rules]\nmain = {value}\n", encoding="utf-8")


@pytest.fixture
def plugin_path(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in list(sys.modules):
        if name.startswith("dlplugin_"):
            del sys.modules[name]


GOOD = """
    from dockerlint.registry import Hit, Severity, rule
    from dockerlint.models.image import ImageBuild

    @rule(id="ACME001", name="acme-no-from-scratch", reads=ImageBuild, severity=Severity.LOW,
          summary="Example plugin rule")
    def acme(build, ctx):
        for stage in build.stages:
            if stage.image.value == "scratch":
                yield Hit(stage.image.span, "scratch image")
"""


def test_builtins_are_registered_through_the_entry_point():
    registry = load_registry()
    for rid in ("DF000", "DC000", "DD000"):
        assert rid in registry
        assert registry.origin(rid) == "dockerlint"


def test_plugin_rule_is_loaded(plugin_path):
    _make_plugin(plugin_path, "dlplugin-good", GOOD, "dlplugin_good:acme")
    registry = load_registry()
    assert "ACME001" in registry
    assert "dlplugin-good" in registry.origin("ACME001")


def test_plugin_that_fails_to_import_names_the_culprit(plugin_path):
    _make_plugin(plugin_path, "dlplugin-broken", "raise RuntimeError('boom')\n", "dlplugin_broken:x")
    with pytest.raises(PluginError, match=r"dlplugin_broken.*RuntimeError: boom"):
        load_registry()


def test_plugin_may_not_use_a_reserved_prefix(plugin_path):
    _make_plugin(plugin_path, "dlplugin-reserved", GOOD.replace("ACME001", "DF999"), "dlplugin_reserved:acme")
    with pytest.raises(PluginError, match="reserved"):
        load_registry()


def test_duplicate_ids_fail(plugin_path):
    src = GOOD + GOOD.replace("def acme", "def acme2").replace("acme-no", "acme-dup")
    _make_plugin(plugin_path, "dlplugin-dup", src.replace("def acme2", "def acme2"), "dlplugin_dup")
    with pytest.raises(PluginError, match="duplicate rule id ACME001"):
        load_registry()


def test_plugin_giving_non_rules_fails(plugin_path):
    _make_plugin(plugin_path, "dlplugin-junk", "THINGS = [1, 2]\n", "dlplugin_junk:THINGS")
    with pytest.raises(PluginError, match="non-rule"):
        load_registry()


@pytest.mark.parametrize("bad_id", ["DF1", "df101", "D101", "DF1011", "DF-101"])
def test_malformed_ids_are_rejected(bad_id):
    r = rule(id=bad_id, name="x", reads=ImageBuild, severity=Severity.LOW, summary="x")(lambda m, c: iter(()))
    with pytest.raises(PluginError, match="not of the form"):
        Registry().add(r)


def test_invalid_name_is_rejected():
    r = rule(id="DF998", name="Bad Name", reads=ImageBuild, severity=Severity.LOW, summary="x")(lambda m, c: iter(()))
    with pytest.raises(PluginError, match="invalid name"):
        Registry().add(r)


def test_severity_parse_and_order():
    assert Severity.parse(" HIGH ") is Severity.HIGH
    assert Severity.CRITICAL.rank > Severity.HIGH.rank > Severity.MEDIUM.rank > Severity.LOW.rank > Severity.INFO.rank
    with pytest.raises(ValueError, match="unknown severity"):
        Severity.parse("severe")
