"""The command line, in-process through ``main(argv)`` and once for real."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from dockerlint import __version__
from dockerlint.cli import main
from helpers import registry, write_tree

ROOT_DOCKERFILE = 'FROM debian:12\nCMD ["app"]\n'  # final stage without USER, starts a service: DF101 high
CLEAN_DOCKERFILE = "FROM debian:12\nUSER 1000\n"


def run(argv, cwd: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(argv)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def test_findings_exit_1_with_located_text(tmp_path):
    write_tree(tmp_path, {"Dockerfile": ROOT_DOCKERFILE})
    code, out, _ = run(["--no-color", "--quiet"], tmp_path)
    assert code == 1
    assert out.splitlines()[0].startswith("Dockerfile:1:")
    assert " DF101 high " in out.splitlines()[0]
    assert out.splitlines()[-1] == "Found 1 finding in 1 file (1 high)."


def test_clean_exit_0(tmp_path):
    write_tree(tmp_path, {"Dockerfile": CLEAN_DOCKERFILE})
    code, out, _ = run([], tmp_path)
    assert code == 0
    assert out == "No findings in 1 file.\n"


def test_fail_on_threshold(tmp_path):
    write_tree(tmp_path, {"Dockerfile": ROOT_DOCKERFILE})
    assert run(["--fail-on", "critical"], tmp_path)[0] == 0
    assert run(["--fail-on", "high"], tmp_path)[0] == 1
    assert run(["--fail-on", "never"], tmp_path)[0] == 0
    code, _, err = run(["--fail-on", "severe"], tmp_path)
    assert code == 2 and "unknown severity" in err


def test_missing_path_exits_2_but_lints_the_rest(tmp_path):
    write_tree(tmp_path, {"Dockerfile": ROOT_DOCKERFILE})
    code, out, err = run(["Dockerfile", "nope/Dockerfile"], tmp_path)
    assert code == 2
    assert "nope/Dockerfile" in err
    assert "DF101" in out


def test_select_and_ignore(tmp_path):
    write_tree(tmp_path, {"Dockerfile": ROOT_DOCKERFILE})
    assert run(["--ignore", "DF101"], tmp_path)[0] == 0
    assert run(["--select", "DC"], tmp_path)[0] == 0
    assert run(["--select", "DF1"], tmp_path)[0] == 1
    code, _, err = run(["--select", "XX9"], tmp_path)
    assert code == 2 and "XX9" in err


def test_unknown_format_is_a_usage_error(tmp_path):
    code, _, err = run(["--format", "yaml"], tmp_path)
    assert code == 2 and "unknown format" in err


def test_output_file_and_json(tmp_path):
    write_tree(tmp_path, {"Dockerfile": ROOT_DOCKERFILE})
    code, out, _ = run(["--format", "json", "--output", "report.json"], tmp_path)
    assert code == 1 and out == ""
    doc = json.loads((tmp_path / "report.json").read_text())
    assert [f["rule_id"] for f in doc["findings"]] == ["DF101"]


def test_unparseable_file_gives_one_finding_and_the_run_goes_on(tmp_path):
    write_tree(
        tmp_path,
        {
            "a/Dockerfile": "FROM debian:12\nRUN <<EOT\necho never closed\n",
            "b/Dockerfile": ROOT_DOCKERFILE,
        },
    )
    code, out, _ = run(["--no-color", "-q"], tmp_path)
    assert code == 1
    assert "a/Dockerfile:" in out and " DF000 error " in out
    assert "b/Dockerfile:1:" in out and " DF101 " in out


def test_binary_file_named_dockerfile(tmp_path):
    write_tree(tmp_path, {"Dockerfile": b"\x7fELF\x00\x00\x01", "x/Dockerfile": ROOT_DOCKERFILE})
    code, out, _ = run(["--no-color", "-q"], tmp_path)
    assert code == 1
    assert "Dockerfile:1:1: DF000 error binary file" in out
    assert "x/Dockerfile" in out


def test_kind_forces_a_parser(tmp_path):
    write_tree(tmp_path, {"build.txt": ROOT_DOCKERFILE})
    assert run(["--kind", "dockerfile", "build.txt"], tmp_path)[0] == 1


def test_explicit_unknown_file_is_sniffed(tmp_path):
    write_tree(tmp_path, {"app.docker": ROOT_DOCKERFILE, "notes.txt": "hello\n"})
    code, out, err = run(["app.docker", "notes.txt"], tmp_path)
    assert code == 1 and "app.docker:" in out
    assert "notes.txt: not recognized" in err


def test_rules_listing_json_covers_the_registry(tmp_path):
    code, out, _ = run(["rules", "--format", "json"], tmp_path)
    assert code == 0
    listed = json.loads(out)
    assert [r["id"] for r in listed] == [r.id for r in registry()]
    for r in listed:
        assert set(r) >= {"id", "name", "severity", "reads", "summary"}


def test_rule_doc(tmp_path):
    code, out, _ = run(["rule", "DF000"], tmp_path)
    assert code == 0 and out.startswith("# DF000: dockerfile-parse-error")
    code, out, _ = run(["rule", "dockerfile-parse-error"], tmp_path)
    assert code == 0 and "DF000" in out
    code, _, err = run(["rule", "ZZ999"], tmp_path)
    assert code == 2 and "no rule" in err


def test_version(tmp_path):
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["--version"])
    assert code == 0 and out.getvalue().strip() == f"dockerlint {__version__}"


def test_no_color_unless_tty(tmp_path):
    write_tree(tmp_path, {"Dockerfile": ROOT_DOCKERFILE})
    _, out, _ = run([], tmp_path)
    assert "\033[" not in out


def test_installed_console_script_runs_for_real(tmp_path):
    exe = shutil.which("dockerlint", path=os.path.dirname(sys.executable)) or shutil.which("dockerlint")
    assert exe, "the dockerlint console script is not installed"
    write_tree(tmp_path, {"Dockerfile": ROOT_DOCKERFILE})
    proc = subprocess.run(
        [exe, "--format", "sarif", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["runs"][0]["results"][0]["ruleId"] == "DF101"
    proc = subprocess.run(
        [sys.executable, "-m", "dockerlint", "--version"], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0 and __version__ in proc.stdout


def test_scanned_files_are_never_written(tmp_path):
    write_tree(tmp_path, {"Dockerfile": ROOT_DOCKERFILE, "compose.yaml": "services:\n  a:\n    image: x:1\n"})
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*") if p.is_file()}
    run(["--format", "sarif"], tmp_path)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*") if p.is_file()}
    assert before == after
