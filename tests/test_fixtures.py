"""Golden tests over ``fixtures/<ID>/<case>/``: every rule fires on ``fire`` and not on ``clean``.

Each case folder is linted from inside it (so paths are relative) with
``--select <ID>``; the text report and the SARIF results must equal the golden
files ``expected.txt`` and ``expected.sarif.json`` kept beside the inputs.
Regenerate them with ``python scripts/regenerate.py --only fixtures --rule <ID>`` (the same
code as here: ``regenerate.fixture_run``) and review the diff by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from code_scanning import dockerlint_view, github_view
from regen_script import regen

from helpers import registry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GOLDEN = {"expected.txt", "expected.sarif.json"}

CASES = regen.fixture_cases(FIXTURES.parent)


def test_every_rule_has_fire_and_clean_fixtures():
    have = {}
    for rule_id, case in CASES:
        have.setdefault(rule_id, set()).add(case)
    missing = [r.id for r in registry() if not {"fire", "clean"} <= have.get(r.id, set())]
    assert not missing, f"rules without fixtures/<ID>/fire and clean: {missing}"
    unknown = sorted(set(have) - {r.id for r in registry()})
    assert not unknown, f"fixture folders for unknown rules: {unknown}"


@pytest.mark.parametrize(("rule_id", "case"), CASES)
def test_fixture(rule_id, case):
    case_dir = FIXTURES / rule_id / case
    run = regen.fixture_run(case_dir, rule_id)
    code, text = run.text_code, run.text
    assert code in (0, 1), text
    lines = [ln for ln in text.splitlines() if f" {rule_id} " in ln]
    if case.startswith("fire"):
        assert lines, f"{rule_id} does not fire on fixtures/{rule_id}/{case}"
        assert code == 1 or registry().get(rule_id).severity.value == "info"
    elif case.startswith("clean"):
        assert not lines, f"{rule_id} fires on fixtures/{rule_id}/{case}: {lines}"
    # a finding at another severity than its rule's default is reported as the rule's variant
    assert len([r for r in run.sarif_results if r["ruleId"].split("/")[0] == rule_id]) == len(lines)
    assert github_view(run.sarif_log) == dockerlint_view(text)
    txt_path, sarif_path = case_dir / "expected.txt", case_dir / "expected.sarif.json"
    stale = regen.stale_message("fixtures", rule_id)
    assert txt_path.is_file(), f"no golden {txt_path}: {stale}"
    assert text == txt_path.read_text(encoding="utf-8"), stale
    assert run.sarif == sarif_path.read_text(encoding="utf-8"), stale
