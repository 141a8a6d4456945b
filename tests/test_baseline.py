"""Baselines through ``main(argv)``: moved code stays baselined, new code does not."""

from __future__ import annotations

import json

from cli_helpers import repo, run
from helpers import write_tree

COMPOSE = """
services:
  runner:
    image: gitlab/gitlab-runner:v17.0.0
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
  web:
    image: nginx:1.27
    privileged: true
"""


def new_findings(root, *args):
    code, out, err = run(["-f", "json", "--select", "DC101,DC102", *args], root)
    assert code in (0, 1), err
    doc = json.loads(out)
    return code, [(f["rule_id"], f["line"]) for f in doc["findings"]], doc


def test_write_then_only_new_findings(tmp_path):
    root = repo(tmp_path)
    write_tree(root, {"deploy/compose.yaml": COMPOSE})
    code, out, err = run(["--select", "DC101,DC102", "--write-baseline", "baseline.json"], root)
    assert code == 0 and out == "" and "recorded 2 findings in baseline.json" in err
    base = json.loads((root / "baseline.json").read_text())
    assert base["version"] == 1 and base["tool"] == "dockerlint"
    assert [(r["rule_id"], r["path"], r["line"]) for r in base["findings"]] == [
        ("DC101", "deploy/compose.yaml", 5),
        ("DC102", "deploy/compose.yaml", 8),
    ]

    code, found, doc = new_findings(root, "--baseline", "baseline.json")
    assert code == 0 and found == [] and doc["summary"]["suppressed"] == 2
    assert {f["suppression"]["kind"] for f in doc["suppressed"]} == {"baseline"}

    # moving code: lines inserted above, the service re-indented and moved below another
    moved = (
        "# a new comment\n\nservices:\n  web:\n    image: nginx:1.27\n    privileged:   true\n"
        "  api:\n    image: api:2\n  runner:\n    image: gitlab/gitlab-runner:v17.0.0\n"
        "    volumes:\n    - /var/run/docker.sock:/var/run/docker.sock\n"
    )
    (root / "deploy" / "compose.yaml").write_text(moved)
    code, found, _ = new_findings(root, "--baseline", "baseline.json")
    assert code == 0 and found == []

    # a second identical construct is new; the baselined one stays suppressed
    (root / "deploy" / "compose.yaml").write_text(moved + "  cache:\n    image: redis:7\n    privileged: true\n")
    code, found, _ = new_findings(root, "--baseline", "baseline.json")
    assert code == 1 and found == [("DC102", 15)]

    # the baseline is found relative to its own folder, whatever the working directory
    code, found, _ = new_findings(root / "deploy", "--baseline", "../baseline.json", ".")
    assert found == [("DC102", 15)]


def test_edited_text_is_new(tmp_path):
    root = repo(tmp_path)
    write_tree(root, {"compose.yaml": COMPOSE})
    assert run(["--select", "DC101,DC102", "--write-baseline", "b.json"], root)[0] == 0
    (root / "compose.yaml").write_text(
        COMPOSE.replace("/var/run/docker.sock:/var/run/docker.sock", "/var/run/docker.sock:/docker.sock")
    )
    assert new_findings(root, "--baseline", "b.json")[1] == [("DC101", 6)]  # written with its leading newline


def test_text_and_sarif_with_baseline(tmp_path):
    root = repo(tmp_path)
    write_tree(root, {"compose.yaml": COMPOSE})
    run(["--select", "DC101,DC102", "--write-baseline", "b.json"], root)
    code, out, _ = run(["-q", "--select", "DC101,DC102", "--baseline", "b.json"], root)
    assert code == 0 and out == "No findings in 1 file. 2 suppressed (2 by the baseline).\n"
    _, out, _ = run(
        ["-f", "sarif", "--select", "DC101,DC102", "--baseline", "b.json", "--sarif-include-suppressed"], root
    )
    sups = [r["suppressions"] for r in json.loads(out)["runs"][0]["results"]]
    assert sups == [[{"kind": "external", "justification": "recorded in b.json"}]] * 2


def test_bad_baseline_files_exit_2_with_a_reason(tmp_path):
    root = repo(tmp_path)
    write_tree(
        root,
        {
            "compose.yaml": COMPOSE,
            "bad.json": "{not json",
            "other.json": '{"findings": []}',
            "old.json": '{"tool": "dockerlint", "version": 99, "findings": []}',
        },
    )
    for name, words in (
        ("missing.json", "cannot read the baseline"),
        ("bad.json", "invalid JSON"),
        ("other.json", "not a dockerlint baseline"),
        ("old.json", "version 99"),
    ):
        code, _, err = run(["--baseline", name], root)
        assert code == 2 and name in err and words in err, err
    code, _, err = run(["--write-baseline", "nodir/b.json"], root)
    assert code == 2 and "cannot write the baseline" in err
