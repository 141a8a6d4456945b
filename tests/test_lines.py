"""What a line is: LF (CRLF, and a lone CR where the README says so), for every reader.

U+2028, U+2029 and NEL are ordinary characters to editors, GitHub and SARIF viewers (and
to dockerlint's own line index); PyYAML counts them as line breaks. Positions of YAML
values, suppressions, fixes, SARIF and annotations, and ``--diff`` must all agree.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import repo, run
from helpers import write_tree

from dockerlint.lines import LineIndex, split, split_keepends
from dockerlint.parsers import yaml_nodes

LS, PS, NEL = "\u2028", "\u2029", "\x85"
ODD_BREAKS = (LS, PS, NEL, "\x0b", "\x0c", "\x1c", "\x1d", "\x1e")


def test_line_index_counts_lf_only() -> None:
    text = f"a{LS}b\nc{NEL}d{PS}\x0b\x0c\x1c\ne"
    ix = LineIndex(text)
    assert len(ix) == 3 and split(text) == [f"a{LS}b", f"c{NEL}d{PS}\x0b\x0c\x1c", "e"]
    assert ix.position(text.index("b")) == (1, 3)
    assert ix.position(text.index("e")) == (3, 1)
    assert ix.position(len(text) + 5) == (3, 2)  # clamped to the end
    assert ix.offset(2, 1) == text.index("c") and ix.offset(2, 99) is None and ix.offset(4, 1) is None
    assert split_keepends(text) == [f"a{LS}b\n", f"c{NEL}d{PS}\x0b\x0c\x1c\n", "e"]
    assert split_keepends("x\n") == ["x\n"] and split_keepends("") == []


@pytest.mark.parametrize("brk", [LS, PS, NEL])
def test_yaml_positions_ignore_unicode_line_separators(brk: str) -> None:
    text = f'x-note: "a{brk}b{brk}c"\nservices:\n  web:\n    privileged: true\n'
    root = yaml_nodes.load(text, "compose.yaml")
    assert isinstance(root, yaml_nodes.YMap)
    web = root.get("services").get("web")  # type: ignore[union-attr]
    value = web.get("privileged")  # type: ignore[union-attr]
    assert (value.line, value.col, value.end_line, value.end_col) == (4, 17, 4, 21)  # type: ignore[union-attr]


def test_yaml_error_positions_ignore_unicode_line_separators() -> None:
    with pytest.raises(yaml_nodes.ParseError) as exc:
        yaml_nodes.load(f'x: "a{LS}b{LS}c"\ny: [1\n', "f.yaml")
    assert exc.value.line == 3  # the unclosed flow sequence, counted in LF lines


@pytest.mark.parametrize("before", ["ééééé", f"{LS}{PS}", "a"])
def test_yaml_reader_error_positions_count_characters(before: str) -> None:
    """libyaml reports a reader error at a byte offset: it is turned into a character one."""
    with pytest.raises(yaml_nodes.ParseError) as exc:
        yaml_nodes.load(f"a: {before}\nb: x\x01\n", "f.yaml")
    assert (exc.value.line, exc.value.col) == (2, 5)


def _dc102(tmp_path: Path, *args: str) -> tuple[int, list[dict]]:
    code, out, err = run(["-f", "json", "--select", "DC102,DL", *args], tmp_path)
    assert code in (0, 1), err
    return code, json.loads(out)["findings"]


@pytest.mark.parametrize("brk", [LS, PS, NEL])
def test_a_suppression_cannot_be_shifted_onto_another_line(tmp_path: Path, brk: str) -> None:
    """PyYAML's extra line breaks moved 'privileged: true' (line 5) onto line 7, which the
    comment visibly meant for 'healthcheck:': the finding was silenced, the run exited 0."""
    write_tree(repo(tmp_path), {"compose.yaml": (
        "services:\n"
        "  web:\n"
        "    environment:\n"
        f'      NOTE: "a{brk}b{brk}c"\n'
        "    privileged: true\n"
        "    # dockerlint: ignore[DC102] reviewed: the healthcheck runs privileged probes (SEC-5)\n"
        "    healthcheck:\n"
        "      test: [CMD, 'true']\n")})
    code, found = _dc102(tmp_path)
    assert code == 1
    assert [(f["rule_id"], f["line"], f["column"]) for f in found] == [("DC102", 5, 5), ("DL001", 6, 26)]


def test_sarif_and_github_point_at_the_written_line(tmp_path: Path) -> None:
    write_tree(repo(tmp_path), {"compose.yaml": (
        f'x-note: "a{LS}b{PS}c{NEL}d"\nservices:\n  web:\n    image: nginx:1.27\n    privileged: true\n')})
    _, out, _ = run(["-f", "sarif", "--select", "DC102"], tmp_path)
    region = json.loads(out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (5, 5)
    _, out, _ = run(["-f", "github", "--select", "DC102"], tmp_path)
    assert out.startswith("::error file=compose.yaml,line=5,col=5,")


def test_workflow_run_script_positions(tmp_path: Path) -> None:
    write_tree(repo(tmp_path), {".github/workflows/ci.yml": (
        f"name: ci{LS}{LS}\non: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: |\n          echo hi\n          docker run --privileged alpine:3.19\n")})
    code, found = _dc102(tmp_path)
    assert code == 1 and [(f["line"], f["column"]) for f in found] == [(9, 22)]


UNDER_BLOCK = (
    f'x-note: "a{LS}b{LS}c"\n'
    "services:\n"
    "  web:\n"
    "    command:\n"
    "      - sh\n"
    "      - -c\n"
    "      - |\n"
    "        echo one\n"
    "        echo two\n"
    "    image: nginx:1.27\n")


def test_fix_goes_where_the_service_is_written(tmp_path: Path) -> None:
    """With PyYAML's lines, the DC113 fix went two lines too low, into the command list,
    and moved the service's script under security_opt; the result still parsed."""
    write_tree(repo(tmp_path), {"compose.yaml": UNDER_BLOCK})
    run(["--fix", "-q", "--select", "DC113"], tmp_path)
    fixed = (tmp_path / "compose.yaml").read_text(encoding="utf-8")
    assert fixed == UNDER_BLOCK.replace("  web:\n", "  web:\n    security_opt:\n      - no-new-privileges:true\n")


@pytest.mark.parametrize("brk", ODD_BREAKS)
def test_diff_splits_lines_at_lf_only(tmp_path: Path, brk: str) -> None:
    """difflib with splitlines() printed "No newline at end of file" in the middle of the file."""
    dockerfile = f'FROM debian:12\nLABEL note="a{brk}b"\nMAINTAINER me@example.com\nRUN true\n'
    write_tree(repo(tmp_path), {"Dockerfile": dockerfile})
    code, out, _ = run(["--diff", "--select", "DF221"], tmp_path)
    assert code == 1
    assert out == ("--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,4 +1,4 @@\n FROM debian:12\n"
                   f' LABEL note="a{brk}b"\n-MAINTAINER me@example.com\n'
                   '+LABEL org.opencontainers.image.authors="me@example.com"\n RUN true\n')


def test_diff_of_a_compose_file_with_a_line_separator(tmp_path: Path) -> None:
    write_tree(repo(tmp_path), {"compose.yaml": UNDER_BLOCK})
    code, out, _ = run(["--diff", "--select", "DC113"], tmp_path)
    assert code == 1 and "No newline" not in out
    assert f' x-note: "a{LS}b{LS}c"\n' in out and "+    security_opt:\n" in out
