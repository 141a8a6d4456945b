"""Golden tests over ``fixtures/<ID>/<case>/``: every rule fires on ``fire`` and not on ``clean``.

Each case folder is linted from inside it (so paths are relative) with
``--select <ID>``; the text report and the SARIF results must equal the golden
files ``expected.txt`` and ``expected.sarif.json`` kept beside the inputs.
Regenerate with ``DOCKERLINT_UPDATE_GOLDEN=1`` and review the diff by hand.
"""

from __future__ import annotations

import io
import json
import os
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from dockerlint.cli import main
from helpers import registry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
UPDATE = os.environ.get("DOCKERLINT_UPDATE_GOLDEN") == "1"
GOLDEN = {"expected.txt", "expected.sarif.json"}

CASES = sorted(
    (rule_dir.name, case.name)
    for rule_dir in FIXTURES.iterdir() if rule_dir.is_dir()
    for case in rule_dir.iterdir() if case.is_dir()
) if FIXTURES.is_dir() else []


def run_cli(case_dir: Path, *args: str) -> tuple[int, str]:
    old = os.getcwd()
    os.chdir(case_dir)
    buf = io.StringIO()
    try:
        with redirect_stdout(buf):
            code = main([*args, "--no-color", "."])
    finally:
        os.chdir(old)
    return code, buf.getvalue()


def sarif_results(text: str) -> list[dict]:
    doc = json.loads(text)
    out = []
    for res in doc["runs"][0]["results"]:
        loc = res["locations"][0]["physicalLocation"]
        out.append({"ruleId": res["ruleId"], "level": res["level"], "message": res["message"]["text"],
                    "uri": loc["artifactLocation"]["uri"], "region": loc["region"]})
    return out


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
    code, text = run_cli(case_dir, "--select", rule_id, "--format", "text")
    assert code in (0, 1), text
    lines = [ln for ln in text.splitlines() if f" {rule_id} " in ln]
    if case.startswith("fire"):
        assert lines, f"{rule_id} does not fire on fixtures/{rule_id}/{case}"
        assert code == 1 or registry().get(rule_id).severity.value == "info"
    elif case.startswith("clean"):
        assert not lines, f"{rule_id} fires on fixtures/{rule_id}/{case}: {lines}"
    _, sarif = run_cli(case_dir, "--select", rule_id, "--format", "sarif")
    results = sarif_results(sarif)
    assert len([r for r in results if r["ruleId"] == rule_id]) == len(lines)
    txt_path, sarif_path = case_dir / "expected.txt", case_dir / "expected.sarif.json"
    sarif_golden = json.dumps(results, indent=2, ensure_ascii=False) + "\n"
    if UPDATE:
        txt_path.write_text(text, encoding="utf-8")
        sarif_path.write_text(sarif_golden, encoding="utf-8")
    assert txt_path.is_file(), f"no golden {txt_path}; run with DOCKERLINT_UPDATE_GOLDEN=1 and review"
    assert text == txt_path.read_text(encoding="utf-8")
    assert sarif_golden == sarif_path.read_text(encoding="utf-8")
