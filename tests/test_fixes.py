"""Automatic fixes: --diff shows, --fix writes; every fix removes its finding and keeps the file parseable."""

from __future__ import annotations

import codecs
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_helpers import repo, run
from dockerlint.core.engine import Engine
from dockerlint.core.findings import Finding
from dockerlint.core.options import Options
from dockerlint.core.registry import Edit, Fix, Hit, Registry, Severity, rule
from dockerlint.discovery import discover
from dockerlint.fixes.plan import plan
from dockerlint.fixes.safety import fix_is_safe
from dockerlint.models.base import Span
from dockerlint.models.container import Container
from dockerlint.models.source import SourceFile
from helpers import lint_tree, registry, write_tree

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DAEMON = '{\n  "hosts": ["tcp://0.0.0.0:2376"],\n  "tls": true,\n  "tlscacert": "/etc/docker/ca.pem"\n}\n'
UNIT = (
    "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H fd:// -H tcp://0.0.0.0:2376 \\\n"
    "    --tls --tlscacert=/etc/docker/ca.pem\n"
)


def findings(root: Path, *args: str) -> list[dict]:
    code, out, err = run(["-f", "json", *args], root)
    assert code in (0, 1), err
    return json.loads(out)["findings"]


def test_diff_shows_and_fix_writes_the_daemon_json_fix(tmp_path: Path) -> None:
    write_tree(repo(tmp_path), {"etc/docker/daemon.json": DAEMON})
    path = tmp_path / "etc/docker/daemon.json"
    code, out, _ = run(["--diff", "--select", "DD102"], tmp_path)
    assert code == 1
    assert out == (
        "--- a/etc/docker/daemon.json\n+++ b/etc/docker/daemon.json\n@@ -1,5 +1,5 @@\n {\n"
        '   "hosts": ["tcp://0.0.0.0:2376"],\n-  "tls": true,\n+  "tls": true, "tlsverify": true,\n'
        '   "tlscacert": "/etc/docker/ca.pem"\n }\n'
    )
    assert path.read_text() == DAEMON  # --diff changes nothing
    code, out, err = run(["--fix", "-q", "--select", "DD1"], tmp_path)
    assert "fixed 1 finding in 1 file" in err
    assert json.loads(path.read_text())["tlsverify"] is True
    after = findings(tmp_path, "--select", "DD")
    assert not [f for f in after if f["rule_id"] in ("DD102", "DD000")]
    assert run(["--diff", "--select", "DD102"], tmp_path)[:2] == (0, "")


def test_fix_in_an_execstart_keeps_line_endings_and_bom(tmp_path: Path) -> None:
    unit = tmp_path / "etc/systemd/system/docker.service.d/tls.conf"
    unit.parent.mkdir(parents=True)
    repo(tmp_path)
    unit.write_bytes(codecs.BOM_UTF8 + UNIT.replace("\n", "\r\n").encode())
    unit.chmod(0o640)
    assert run(["--fix", "--select", "DD102"], tmp_path)[0] in (0, 1)
    data = unit.read_bytes()
    assert data.startswith(codecs.BOM_UTF8) and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert b"--tls --tlsverify --tlscacert" in data
    assert unit.stat().st_mode & 0o777 == 0o640
    assert not [f for f in findings(tmp_path, "--select", "DD") if f["rule_id"] in ("DD102", "DD000")]


def test_fix_and_stdin(tmp_path: Path) -> None:
    code, _, err = run(["--fix", "-"], tmp_path, stdin=DAEMON.encode())
    assert code == 2 and "--diff" in err
    code, out, _ = run(
        ["--diff", "--select", "DD102", "--stdin-filename", "etc/docker/daemon.json", "-"],
        tmp_path,
        stdin=DAEMON.encode(),
    )
    assert code == 1 and out.startswith("--- a/etc/docker/daemon.json\n") and '"tlsverify": true' in out
    assert run(["--fix", "--diff"], tmp_path)[0] == 2


def _fixable_cases() -> Iterator[Path]:
    for case in sorted(FIXTURES.glob("*/fire*")):
        if case.is_dir():
            yield case


def test_every_fix_removes_its_finding_and_the_file_still_parses(tmp_path: Path) -> None:
    """Over every fire fixture: findings that carry a fix are gone after --fix, nothing stops parsing."""
    tried = 0
    for case in _fixable_cases():
        rule_id = case.parent.name
        fixed = [f for f in findings(case, "--select", rule_id, ".") if f["fix"] is not None]
        if not fixed:
            continue
        work = tmp_path / f"{rule_id}-{case.name}"
        shutil.copytree(case, work)
        repo(work)
        code, _, err = run(["--fix", "--select", rule_id, "."], work)
        assert code in (0, 1), err
        after = findings(work, "--select", rule_id, ".")
        keys = {(f["path"], f["message"]) for f in fixed}
        assert not [f for f in after if (f["path"], f["message"]) in keys], (case, after)
        assert not [f for f in after if f["rule_id"].endswith("000")], (case, after)
        assert not [f for f in after if f["fix"] is not None], "a fix that does not converge"
        tried += 1
    assert tried >= 1, "no fixture has a fixable finding"


def _src(kind: str, text: str, path: str = "f") -> SourceFile:
    return SourceFile(path=path, kind=kind, text=text)


def test_engine_refuses_edits_of_interpolation_and_yaml_anchors() -> None:
    def fix(line: int, col: int, end_col: int, text: str = "x") -> Fix:
        return Fix("d", [Edit(Span("f", line, col, line, end_col), text)])

    compose = _src("compose", "services:\n  a: &base\n    image: ${IMAGE:-x}\n    <<: *base\n    user: root\n")
    assert fix_is_safe(fix(5, 11, 15), {"f": compose})
    assert not fix_is_safe(fix(3, 12, 23), {"f": compose})  # ${...}
    assert not fix_is_safe(fix(2, 3, 4), {"f": compose})  # an anchor on the line
    assert not fix_is_safe(fix(4, 5, 6), {"f": compose})  # a merge key on the line
    assert not fix_is_safe(fix(5, 11, 15, "${X}"), {"f": compose})
    assert not fix_is_safe(Fix("d", [Edit(Span("f", 5, 11, 5, 15), "1000")], safe=False), {"f": compose})
    assert not fix_is_safe(fix(1, 1, 2), {})  # unknown file
    unit = _src("systemd", "[Service]\nExecStart=/usr/bin/dockerd ${OPTS} --tls *\n")
    assert not fix_is_safe(fix(2, 28, 35), {"f": unit})
    assert not fix_is_safe(fix(2, 42, 43), {"f": unit})
    assert fix_is_safe(fix(2, 42, 42, " --tlsverify"), {"f": unit})


def test_unsafe_fix_never_reaches_the_report(tmp_path: Path) -> None:
    @rule(id="DC990", name="test-fix", reads=Container, severity=Severity.LOW, summary="test")
    def test_fix(c: Container, ctx: object) -> Iterator[Hit]:
        if c.image is not None:
            yield Hit(c.image.span, "image", fix=Fix("pin", [Edit(c.image.span, "nginx:1.27")]))

    reg = Registry()
    reg.add(test_fix)
    for r in registry():
        if r.id == "DC000":
            reg.add(r)
    write_tree(
        tmp_path,
        {
            "a/compose.yaml": "services:\n  w:\n    image: ${IMAGE}\n",
            "b/compose.yaml": "services:\n  w:\n    image: nginx\n",
        },
    )
    cands, _ = discover([str(tmp_path)])
    result = Engine(reg, Options()).run(cands)
    by_file = {Path(f.path).parent.name: f.fix for f in result.findings}
    assert by_file["a"] is None and by_file["b"] is not None


def test_plan_skips_overlaps_and_fixes_that_break_parsing() -> None:
    text = '{\n  "tls": true\n}\n'
    src = SourceFile(path="daemon.json", kind="daemon", text=text)

    def finding(edit: Edit) -> Finding:
        return Finding("DD102", "x", Severity.MEDIUM, edit.span, "m", fix=Fix("d", [edit]))

    at = Span("daemon.json", 2, 14, 2, 14)
    ok = finding(Edit(at, ', "tlsverify": true'))
    same_point = finding(Edit(at, ', "other": 1'))
    fixes, notices = plan([src], [ok, same_point])
    assert fixes["daemon.json"].after == '{\n  "tls": true, "tlsverify": true\n}\n' and not notices
    broken = finding(Edit(Span("daemon.json", 2, 3, 2, 8), "tls"))  # drops the quotes: not JSON
    fixes, notices = plan([src], [broken])
    assert fixes == {} and "would not parse" in notices[0]


@pytest.mark.parametrize("name", ["Dockerfile", "compose.yaml"])
def test_no_fix_no_change(tmp_path: Path, name: str) -> None:
    text = "FROM debian:12\n" if name == "Dockerfile" else "services:\n  a:\n    image: x\n"
    write_tree(repo(tmp_path), {name: text})
    before = (tmp_path / name).read_bytes()
    code, out, _ = run(["--diff", "--ignore", "DC113"], tmp_path)  # DC113 has a fix (tested below)
    assert code == 0 and out == ""
    run(["--fix", "--ignore", "DC113"], tmp_path)
    assert (tmp_path / name).read_bytes() == before


DC113_COMPOSE = """services:
  web:
    image: "nginx:1.25"
    security_opt:
      - "no-new-privileges:false"
  db:
    image: postgres:16
    security_opt:
      - apparmor:docker-default
  cache:
    # comment
    image: redis:7
  flow: {image: "x:1"}
"""


def test_dc113_fixes_add_or_correct_no_new_privileges(tmp_path: Path) -> None:
    write_tree(repo(tmp_path), {"compose.yaml": DC113_COMPOSE})
    run(["--fix", "-q", "--select", "DC113"], tmp_path)
    fixed = (tmp_path / "compose.yaml").read_text()
    assert fixed == DC113_COMPOSE.replace(
        '      - "no-new-privileges:false"\n', "      - no-new-privileges:true\n"
    ).replace(
        "    security_opt:\n      - apparmor", "    security_opt:\n      - no-new-privileges:true\n      - apparmor"
    ).replace("    # comment\n", "    # comment\n    security_opt:\n      - no-new-privileges:true\n")
    left = findings(tmp_path, "--select", "DC113,DC000")
    # Only the flow-style service is left: it gets no automatic fix.
    assert [(f["rule_id"], f["line"]) for f in left] == [("DC113", 16)]


DC116_COMPOSE = """services:
  web:
    image: nginx:1.25
    ports:
      - "8080:80"
      - 9090:90/udp
      - "127.0.0.1:6000:6000"
      - target: 80
        published: 8081
"""


def test_dc116_fix_binds_short_syntax_ports_to_loopback(tmp_path: Path) -> None:
    write_tree(repo(tmp_path), {"compose.yaml": DC116_COMPOSE})
    run(["--fix", "-q", "--select", "DC116"], tmp_path)
    fixed = (tmp_path / "compose.yaml").read_text()
    assert fixed == DC116_COMPOSE.replace('"8080:80"', '"127.0.0.1:8080:80"').replace(
        "- 9090:90/udp", "- 127.0.0.1:9090:90/udp"
    )
    # The long-syntax port gets no automatic fix and is still reported.
    assert [(f["rule_id"], f["line"]) for f in findings(tmp_path, "--select", "DC116,DC000")] == [("DC116", 8)]


def test_the_rules_that_fix_are_the_rules_that_declare_a_fix() -> None:
    """Rule.fixes feeds the README's fix table: over every fire fixture, the rules whose
    findings carry a fix are exactly the rules that declare one."""
    fixing: set[str] = set()
    for case in _fixable_cases():
        rule_id = case.parent.name
        result = lint_tree(case, select=[rule_id])
        if any(f.fix is not None for f in result.findings if f.rule_id == rule_id):
            fixing.add(rule_id)
    declared = {r.id for r in registry() if r.fixes}
    assert fixing == declared
