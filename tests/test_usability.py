"""Standard input, progress, rule docs on a terminal, errors that say what and where."""

from __future__ import annotations

import io
import json
from pathlib import Path

from cli_helpers import repo, run
from dockerlint.cli import Progress
from dockerlint.util.mdterm import render
from helpers import write_tree

ROOT_DOCKERFILE = 'FROM debian:12\nCMD ["app"]\n'


def test_stdin_with_a_file_name(tmp_path: Path) -> None:
    root = repo(tmp_path)
    write_tree(
        root,
        {"services/api/.dockerlint.toml": 'severity = {DC102 = "low"}\n', ".dockerlint.toml": 'ignore = ["DF101"]\n'},
    )
    compose = b"services:\n  web:\n    image: nginx:1.27\n    privileged: true\n"
    code, out, _ = run(
        ["-f", "json", "--select", "DC102", "--stdin-filename", "services/api/compose.yaml", "-"], root, stdin=compose
    )
    (f,) = json.loads(out)["findings"]
    # the kind comes from the name, the path reported is the name, the configuration is the name's folder's
    assert (f["path"], f["rule_id"], f["severity"], f["line"]) == ("services/api/compose.yaml", "DC102", "low", 4)
    assert code == 1  # low is at the default fail-on
    code, out, _ = run(
        ["-f", "sarif", "--select", "DC102", "--stdin-filename", "services/api/compose.yaml"], root, stdin=compose
    )
    res = json.loads(out)["runs"][0]["results"][0]
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "services/api/compose.yaml"
    assert "primaryLocationLineHash" in res["partialFingerprints"]  # hashed from stdin, not from disk
    # the root configuration applies to a name at the root
    code, out, _ = run(["-q", "--stdin-filename", "Dockerfile", "-"], root, stdin=ROOT_DOCKERFILE.encode())
    assert "DF101" not in out


def test_stdin_without_a_name_is_sniffed(tmp_path: Path) -> None:
    code, out, _ = run(["-q", "--select", "DF101", "-"], repo(tmp_path), stdin=ROOT_DOCKERFILE.encode())
    assert code == 1 and out.startswith("-:1:6: DF101 ")
    code, _, err = run(["--stdin-filename", "Dockerfile", "Dockerfile"], tmp_path)
    assert code == 2 and "give '-'" in err


def test_progress_only_on_a_terminal_and_only_for_long_runs() -> None:
    now = [0.0]
    stream = io.StringIO()
    p = Progress(stream, delay=1.0, clock=lambda: now[0])
    p(1, 3, "a/Dockerfile")
    assert stream.getvalue() == ""  # short runs stay silent
    now[0] = 1.5
    p(2, 3, "b/Dockerfile")
    assert stream.getvalue() == "\r\033[K[2/3] b/Dockerfile"
    p.done()
    assert stream.getvalue().endswith("\r\033[K")


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    write_tree(repo(tmp_path), {f"d{i}/Dockerfile": ROOT_DOCKERFILE for i in range(5)})
    _, _, err = run(["-q"], tmp_path)
    assert err == ""


def test_rule_doc_rendered_on_a_terminal_raw_when_piped(tmp_path: Path) -> None:
    code, raw, _ = run(["rule", "DL001"], tmp_path)
    assert code == 0 and raw.startswith("# DL001: unused-suppression") and "```dockerfile Dockerfile" in raw
    code, shown, _ = run(["rule", "DL001", "--no-color"], tmp_path, tty=True)
    assert code == 0 and shown.startswith("DL001: unused-suppression\n")
    assert "```" not in shown and "\n## " not in shown and "`" not in shown
    assert "  Dockerfile:\n    FROM debian:12" in shown
    assert "ruff RUF100: unused-noqa (https://docs.astral.sh/ruff/rules/unused-noqa/)" in shown
    _, colored, _ = run(["rule", "DL001"], tmp_path, tty=True)
    assert "\033[1mDL001: unused-suppression\033[0m" in colored
    _, raw_on_tty, _ = run(["rule", "DL001", "--raw"], tmp_path, tty=True)
    assert raw_on_tty == raw
    code, _, err = run(["rule", "DL01"], tmp_path)
    assert code == 2 and "did you mean" in err


def test_markdown_rendering() -> None:
    text = render("# T\n\nSee **this** and `code` and *that* [here](https://x.y).\n\n```\na\n```\n", color=False)
    assert text == "T\n\nSee this and code and that here (https://x.y).\n\n    a\n"


def test_errors_say_what_and_where(tmp_path: Path) -> None:
    write_tree(repo(tmp_path), {"Dockerfile": ROOT_DOCKERFILE})
    code, _, err = run(["-o", "missing/dir/report.txt"], tmp_path)
    assert code == 2 and err.startswith("dockerlint: error: cannot write the report to missing/dir/report.txt")
    code, _, err = run(["--select", "DF1O1"], tmp_path)
    assert code == 2 and "--select" in err and "did you mean DF101" in err
    code, _, err = run(["--fix", "--write-baseline", "b.json"], tmp_path)
    assert code == 2 and "--write-baseline" in err
