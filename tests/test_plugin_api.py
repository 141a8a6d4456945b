"""The plugin API the README ("Plugins") and CONTRIBUTING.md document: ``dockerlint.api``,
and ``dockerlint.registry``, the 0.1 name.

Issue 13 moved the registry to ``dockerlint.core.registry`` and the rule API to ``dockerlint.api``;
``dockerlint.registry`` stays as a shim (the rule API only) so that plugins written against 0.1 keep working.
scripts/relayout.py leaves this file alone (``KEEP``): the point here is the public names.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest

import dockerlint.api as api
import dockerlint.core.registry as core
import dockerlint.registry as public
from helpers import lint_tree

ROOT = Path(__file__).resolve().parents[1]
DOCS = (ROOT / "README.md", ROOT / "CONTRIBUTING.md")

PLUGIN = """
    from dockerlint.models.image import ImageBuild
    from dockerlint.{module} import Hit, Severity, rule

    @rule(id="ACME001", name="acme-no-from-scratch", reads=ImageBuild, severity=Severity.LOW,
          summary="Example plugin rule")
    def acme(build, ctx):
        for stage in build.stages:
            if stage.image.value == "scratch":
                yield Hit(stage.image.span, "scratch image")
"""


def documented_names(module: str) -> set[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in DOCS)
    names = set(re.findall(rf"dockerlint\.{module}\.(\w+)", text))
    for m in re.finditer(rf"from dockerlint\.{module} import ([\w, ]+)", text):
        names |= {n.strip() for n in m[1].split(",") if n.strip()}
    return names


def test_the_0_1_module_is_the_rule_api_only() -> None:
    """``dockerlint.registry`` re-exports the rule API and nothing else (0.2.0 removed ``RuleStub``
    and ``type_key``; the registry is ``dockerlint.core.registry``, not part of the plugin API)."""
    for name in sorted(documented_names("registry")):
        assert getattr(public, name) is getattr(api, name), name
    assert set(public.__all__) == set(api.__all__)
    for gone in ("RuleStub", "type_key", "Registry", "load_registry"):
        assert not hasattr(public, gone), gone
        assert not hasattr(api, gone), gone
    assert not hasattr(core, "RuleStub")


def test_the_api_the_docs_show_is_also_the_0_1_module_s() -> None:
    names = documented_names("api")
    assert {"rule", "Hit", "Severity", "RuleContext"} <= names  # the contributing guide's example
    assert names <= set(api.__all__)
    for name in api.__all__:  # a plugin may import any of them from either module
        assert getattr(public, name) is getattr(api, name), name
        assert name in public.__all__, name


@pytest.mark.parametrize("module", ["registry", "api"])
def test_a_plugin_written_against_the_public_module_runs(
    module: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugins, tree = tmp_path / "plugins", tmp_path / "tree"
    plugins.mkdir()
    tree.mkdir()
    (plugins / "dlplugin_public.py").write_text(textwrap.dedent(PLUGIN).format(module=module), encoding="utf-8")
    info = plugins / "dlplugin_public-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: dlplugin-public\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[dockerlint.rules]\nmain = dlplugin_public:acme\n", encoding="utf-8")
    (tree / "Dockerfile").write_text("FROM scratch\nCOPY app /app\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(plugins))
    try:
        registry = core.load_registry()
        assert registry.origin("ACME001").startswith("plugin 'main'")
        result = lint_tree(tree, select=["ACME001"], rules=registry)
    finally:
        sys.modules.pop("dlplugin_public", None)
    assert [(f.rule_id, f.span.line, f.span.col) for f in result.findings] == [("ACME001", 1, 6)]
