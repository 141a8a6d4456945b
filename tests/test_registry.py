"""The registry loads rules through entry points and fails loudly on bad plugins."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from dockerlint.core.registry import PluginError, Registry, Severity, load_registry, rule
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
    from dockerlint.core.registry import Hit, Severity, rule
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


# -- declared rules: the manifest, lazy imports ---------------------------------------

MANIFEST = Path(__file__).parents[1] / "src" / "dockerlint" / "core" / "_manifest.py"


def test_manifest_matches_the_rule_modules():
    """The declarations the registry reads without importing are those of the modules."""
    import os

    from dockerlint.core.registry import manifest_text

    want = manifest_text()
    if os.environ.get("DOCKERLINT_UPDATE_GOLDEN"):
        MANIFEST.write_text(want, encoding="utf-8")
    assert MANIFEST.read_text(encoding="utf-8") == want, (
        "src/dockerlint/core/_manifest.py is stale: DOCKERLINT_UPDATE_GOLDEN=1 pytest tests/test_registry.py")


def test_every_declared_rule_loads_with_its_declared_metadata():
    from dockerlint.core.registry import builtin_rules, load_builtin_rules

    declared = {s.id: s for s in builtin_rules()}
    loaded = load_builtin_rules()
    assert sorted(declared) == [r.id for r in loaded]
    registry = load_registry()
    for r in loaded:
        got = registry.get(r.id)
        assert got is r  # the very object the module defines
        assert declared[r.id] == r.stub()


def test_the_entry_point_gives_the_same_declarations_as_the_fast_path(plugin_path):
    """With a plugin installed the entry points are read: dockerlint's own still gives every built-in."""
    _make_plugin(plugin_path, "dlplugin-good", GOOD, "dlplugin_good:acme")
    with_plugin = load_registry()
    from dockerlint.core.registry import builtin_rules

    assert [s for s in with_plugin.stubs() if s.id != "ACME001"] == builtin_rules()
    assert with_plugin.origin("DF101") == "dockerlint"


def test_a_declaration_that_does_not_match_its_module_fails_loudly(plugin_path):
    from dockerlint.core.registry import RuleStub

    (plugin_path / "dlplugin_lazy.py").write_text(textwrap.dedent(GOOD), encoding="utf-8")
    reg = Registry()
    reg.add(RuleStub(id="ACME001", name="acme-no-from-scratch", severity=Severity.HIGH,  # module says LOW
                     enabled_by_default=True, reads=("dockerlint.models.image.ImageBuild",),
                     module="dlplugin_lazy"), origin="plugin 'lazy'", builtin=False)
    with pytest.raises(PluginError, match="does not match its declaration"):
        reg.get("ACME001")


def test_a_plugin_may_declare_rules_lazily(plugin_path):
    """A plugin entry point may give RuleStubs: the module is imported only when the rule is needed."""
    (plugin_path / "dlplugin_decl.py").write_text(textwrap.dedent("""
        from dockerlint.core.registry import RuleStub, Severity

        def declare():
            return [RuleStub(id="ACME002", name="acme-no-from-scratch", severity=Severity.LOW,
                             enabled_by_default=True, reads=("dockerlint.models.image.ImageBuild",),
                             module="dlplugin_declimpl")]
    """), encoding="utf-8")
    (plugin_path / "dlplugin_declimpl.py").write_text(
        textwrap.dedent(GOOD).replace("ACME001", "ACME002"), encoding="utf-8")
    info = plugin_path / "dlplugin_decl-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: dlplugin-decl\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[dockerlint.rules]\nmain = dlplugin_decl:declare\n", encoding="utf-8")
    registry = load_registry()
    assert "ACME002" in registry
    assert "dlplugin_declimpl" not in sys.modules
    got = registry.get("ACME002")
    assert got is not None and got.severity is Severity.LOW
    assert "dlplugin_declimpl" in sys.modules


def test_one_dockerfile_imports_only_what_it_needs(tmp_path):
    """The pre-commit case: no Compose/daemon rule or parser, no entry-point metadata, no schema."""
    import json
    import subprocess

    (tmp_path / "Dockerfile").write_text("FROM alpine:3.19\nRUN apk add --no-cache curl\n", encoding="utf-8")
    code = ("import sys, json\nfrom dockerlint.cli import main\nrc = main(['-q', 'Dockerfile'])\n"
            "print(json.dumps(sorted(sys.modules)))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                         check=False)
    modules = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "dockerlint.rules.image.df101" in modules  # the Dockerfile rules ran
    unwanted = {m for m in modules
                if m.startswith(("dockerlint.rules.container", "dockerlint.rules.daemon", "dockerlint.rules.client"))}
    unwanted |= modules & {"dockerlint.parsers.compose", "dockerlint.parsers.daemon_json", "dockerlint.parsers.systemd",
                           "importlib.metadata", "jsonschema", "yaml", "dockerlint.reporters.sarif",
                           "difflib", "logging", "csv", "multiprocessing", "dockerfile_parse", "pkgutil",
                           "dockerlint.models.container", "dockerlint.models.daemon", "dockerlint.parsers.cmdline",
                           "dockerlint.util.gitignore", "dockerlint.parsers.dotenv", "dockerlint.references",
                           "dockerlint.cli.inspect", "dockerlint.models.schema", "dockerlint.reporters.inspect_text",
                           # the language server's (dockerlint server): none of it for a lint
                           "dockerlint.server", "pygls", "lsprotocol", "cattrs", "asyncio", "attrs",
                           "dockerlint.parsers.jenkinsfile", "dockerlint.parsers.groovy"}
    assert not unwanted
