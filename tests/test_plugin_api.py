"""The plugin API the README ("Plugins") and docs/CONTRIBUTING-RULES.md document: ``dockerlint.registry``.

Issue 13 moved the registry to ``dockerlint.core.registry``; ``dockerlint.registry`` stays as a
shim so that plugins written against 0.1 keep working. scripts/relayout.py leaves this file alone
(``KEEP``): the point here is the public name.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest

import dockerlint.core.registry as core
import dockerlint.registry as public
from helpers import lint_tree

ROOT = Path(__file__).resolve().parents[1]
DOCS = (ROOT / "README.md", ROOT / "docs" / "CONTRIBUTING-RULES.md")

PLUGIN = """
    from dockerlint.models.image import ImageBuild
    from dockerlint.registry import Hit, Severity, rule

    @rule(id="ACME001", name="acme-no-from-scratch", reads=ImageBuild, severity=Severity.LOW,
          summary="Example plugin rule")
    def acme(build, ctx):
        for stage in build.stages:
            if stage.image.value == "scratch":
                yield Hit(stage.image.span, "scratch image")
"""


def documented_names() -> set[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in DOCS)
    names = set(re.findall(r"dockerlint\.registry\.(\w+)", text))
    for m in re.finditer(r"from dockerlint\.registry import ([\w, ]+)", text):
        names |= {n.strip() for n in m[1].split(",") if n.strip()}
    return names


def test_every_name_the_docs_show_is_the_registry_s_own() -> None:
    names = documented_names()
    assert {"rule", "Hit", "Severity", "RuleStub"} <= names  # what the docs show today
    for name in sorted(names):
        assert getattr(public, name) is getattr(core, name), name
    assert set(public.__all__) <= set(vars(core))


def test_a_plugin_written_against_dockerlint_registry_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plugins, tree = tmp_path / "plugins", tmp_path / "tree"
    plugins.mkdir()
    tree.mkdir()
    (plugins / "dlplugin_public.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    info = plugins / "dlplugin_public-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: dlplugin-public\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[dockerlint.rules]\nmain = dlplugin_public:acme\n", encoding="utf-8")
    (tree / "Dockerfile").write_text("FROM scratch\nCOPY app /app\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(plugins))
    try:
        registry = public.load_registry()
        assert registry.origin("ACME001").startswith("plugin 'main'")
        result = lint_tree(tree, select=["ACME001"], rules=registry)
    finally:
        sys.modules.pop("dlplugin_public", None)
    assert [(f.rule_id, f.span.line, f.span.col) for f in result.findings] == [("ACME001", 1, 6)]
