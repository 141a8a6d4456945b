"""Every rule has a doc with the fixed sections, and its examples are true.

The Example section must make the rule fire; Use instead must not. Code blocks are
fenced with ``<language> <file name>`` so one example can hold several files
(a daemon.json and a socket unit, judged together).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import lint, registry

DOCS = Path(__file__).resolve().parents[1] / "rules"
SECTIONS = ["What it does", "Why is this bad?", "Example", "Use instead", "References"]
OPTIONAL = {"Options"}
FENCE = re.compile(r"^```([A-Za-z0-9_-]+)[ \t]+([^\n`]+)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
DEFAULT_NAMES = {"dockerfile": "Dockerfile", "yaml": "compose.yaml", "json": "daemon.json"}

RULE_IDS = sorted(r.id for r in registry())


def sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## (.+?)\s*$", text, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def example_files(section: str) -> dict[str, str]:
    files: dict[str, str] = {}
    for _lang, name, body in FENCE.findall(section):
        files[name.strip()] = body
    return files


def test_every_rule_has_a_doc_and_every_doc_a_rule():
    docs = {p.stem for p in DOCS.glob("*.md")}
    assert set(RULE_IDS) <= docs, f"rules without docs: {sorted(set(RULE_IDS) - docs)}"
    assert docs <= set(RULE_IDS), f"docs without rules: {sorted(docs - set(RULE_IDS))}"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_doc_structure(rule_id):
    r = registry().get(rule_id)
    text = (DOCS / f"{rule_id}.md").read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == f"# {r.id}: {r.name}", f"title must be '# {r.id}: {r.name}', got {first!r}"
    found = list(sections(text))
    expected = [s for s in found if s in SECTIONS]
    assert expected == SECTIONS, f"sections must be {SECTIONS} in order, got {found}"
    assert set(found) <= set(SECTIONS) | OPTIONAL, f"unexpected sections: {set(found) - set(SECTIONS) - OPTIONAL}"
    if r.options is not None:
        assert "Options" in found, "a rule with options documents them"
    assert r.severity.value in text.split("\n## ")[0], "the header states the default severity"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_example_fires_and_use_instead_is_clean(rule_id):
    text = (DOCS / f"{rule_id}.md").read_text(encoding="utf-8")
    sec = sections(text)
    bad = example_files(sec["Example"])
    good = example_files(sec["Use instead"])
    assert bad, "Example has no fenced file (```<lang> <file name>)"
    assert good, "Use instead has no fenced file (```<lang> <file name>)"
    fired = [f for f in lint(bad, select=[rule_id]).findings if f.rule_id == rule_id]
    assert fired, f"{rule_id}: the Example does not fire"
    result = lint(good, select=[rule_id])
    clean = [f for f in result.findings if f.rule_id == rule_id]
    assert not clean, f"{rule_id}: Use instead fires: {[(f.span.line, f.message) for f in clean]}"
    assert result.files_checked, "Use instead was not linted at all (file names not recognized?)"
