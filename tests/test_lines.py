"""What a line is: LF (CRLF, and a lone CR where the README says so), for every reader.

U+2028, U+2029 and NEL are ordinary characters to editors, GitHub and SARIF viewers (and
to dockerlint's own line index); PyYAML counts them as line breaks. Positions of YAML
values, suppressions, fixes, SARIF and annotations, and ``--diff`` must all agree.
"""

from __future__ import annotations

import json
from itertools import accumulate
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_helpers import repo, run
from dockerlint.parsers import yaml_nodes
from dockerlint.util.lines import LineIndex, SegmentMap, split, split_keepends
from dockerlint.util.safetext import visible
from helpers import write_tree

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
    write_tree(
        repo(tmp_path),
        {
            "compose.yaml": (
                "services:\n"
                "  web:\n"
                "    environment:\n"
                f'      NOTE: "a{brk}b{brk}c"\n'
                "    privileged: true\n"
                "    # dockerlint: ignore[DC102] reviewed: the healthcheck runs privileged probes (SEC-5)\n"
                "    healthcheck:\n"
                "      test: [CMD, 'true']\n"
            )
        },
    )
    code, found = _dc102(tmp_path)
    assert code == 1
    assert [(f["rule_id"], f["line"], f["column"]) for f in found] == [("DC102", 5, 5), ("DL001", 6, 26)]


def test_sarif_and_github_point_at_the_written_line(tmp_path: Path) -> None:
    write_tree(
        repo(tmp_path),
        {
            "compose.yaml": (
                f'x-note: "a{LS}b{PS}c{NEL}d"\nservices:\n  web:\n    image: nginx:1.27\n    privileged: true\n'
            )
        },
    )
    _, out, _ = run(["-f", "sarif", "--select", "DC102"], tmp_path)
    region = json.loads(out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (5, 5)
    _, out, _ = run(["-f", "github", "--select", "DC102"], tmp_path)
    assert out.startswith("::error file=compose.yaml,line=5,col=5,")


def test_workflow_run_script_positions(tmp_path: Path) -> None:
    write_tree(
        repo(tmp_path),
        {
            ".github/workflows/ci.yml": (
                f"name: ci{LS}{LS}\non: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - run: |\n          echo hi\n          docker run --privileged alpine:3.19\n"
            )
        },
    )
    code, found = _dc102(tmp_path)
    assert code == 1 and [(f["line"], f["column"]) for f in found] == [(9, 22)]


def test_block_scalar_content_after_a_line_separator(tmp_path: Path) -> None:
    """A block scalar's content starts after the YAML line break that ends its header, which
    may be U+2028: the words of a run: script are located from there."""
    write_tree(
        repo(tmp_path),
        {
            ".github/workflows/ci.yml": (
                "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
                f"      - run: | # note{LS}          docker run --privileged alpine:3.19\n"
            )
        },
    )
    code, found = _dc102(tmp_path)
    assert code == 1 and [(f["line"], f["column"]) for f in found] == [(6, 44)]


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
    "    image: nginx:1.27\n"
)


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
    # The separator is one character of the line, shown escaped like every control character.
    assert out == (
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,4 +1,4 @@\n FROM debian:12\n"
        f' LABEL note="a{visible(brk)}b"\n-MAINTAINER me@example.com\n'
        '+LABEL org.opencontainers.image.authors="me@example.com"\n RUN true\n'
    )


def test_diff_of_a_compose_file_with_a_line_separator(tmp_path: Path) -> None:
    write_tree(repo(tmp_path), {"compose.yaml": UNDER_BLOCK})
    code, out, _ = run(["--diff", "--select", "DC113"], tmp_path)
    assert code == 1 and "No newline" not in out
    assert f' x-note: "a{visible(LS)}b{visible(LS)}c"\n' in out and "+    security_opt:\n" in out


# -- the fix guard: parsing is not enough ---------------------------------------------------------

BLOCK = (
    "services:\n  web:\n    image: nginx:1.27\n    command:\n      - sh\n      - -c\n      - |\n"
    "        echo one\n        echo two\n"
)
ADD = "    security_opt:\n      - no-new-privileges:true\n"


def _plan(
    kind: str,
    path: str,
    text: str,
    finding_span: tuple[int, int, int, int],
    edits: list[tuple[int, int, int, int, str]],
) -> tuple[dict, list[str]]:
    from dockerlint.core.findings import Finding
    from dockerlint.core.registry import Edit, Fix, Severity
    from dockerlint.fixes.plan import plan
    from dockerlint.models.base import Span
    from dockerlint.models.source import SourceFile

    fix = Fix("test", [Edit(Span(path, *e[:4]), e[4]) for e in edits])
    f = Finding("DC113", "x", Severity.LOW, Span(path, *finding_span), "m", fix=fix)
    return plan([SourceFile(path=path, kind=kind, text=text)], [f])


@pytest.mark.parametrize("line", [5, 8, 9])
def test_fix_guard_refuses_text_in_the_wrong_place(line: int) -> None:
    """The issue's --fix: security_opt inserted at a wrong line (inside the command list, inside
    its '|' block) still parses; the script moves into security_opt or a new key. Refused."""
    fixes, notices = _plan("compose", "compose.yaml", BLOCK, (2, 3, 2, 6), [(line, 1, line, 1, ADD)])
    assert fixes == {} and len(notices) == 1
    assert "fixes not applied: it would also change services.web." in notices[0]


def test_fix_guard_accepts_the_fix_in_its_place() -> None:
    fixes, notices = _plan("compose", "compose.yaml", BLOCK, (2, 3, 2, 6), [(3, 1, 3, 1, ADD)])
    assert notices == [] and fixes["compose.yaml"].after == BLOCK.replace("  web:\n", "  web:\n" + ADD)


def test_fix_guard_refuses_a_changed_value_the_finding_is_not_on() -> None:
    text = 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n    command: "8080:80"\n'
    # the DC116 fix, but at the command's text instead of the port's
    fixes, notices = _plan("compose", "compose.yaml", text, (4, 13, 4, 22), [(5, 15, 5, 15, "127.0.0.1:")])
    assert fixes == {} and "services.web.command" in notices[0]
    fixes, notices = _plan("compose", "compose.yaml", text, (4, 13, 4, 22), [(4, 14, 4, 14, "127.0.0.1:")])
    assert notices == [] and '"127.0.0.1:8080:80"' in fixes["compose.yaml"].after


def test_fix_guard_refuses_a_fix_that_changes_nothing() -> None:
    text = "services:\n  web:  # note\n    image: nginx:1.27\n"
    fixes, notices = _plan("compose", "compose.yaml", text, (2, 3, 2, 6), [(2, 14, 2, 14, " security_opt")])
    assert fixes == {} and "changes nothing" in notices[0]


def test_fix_guard_in_a_dockerfile_and_a_unit() -> None:
    text = "FROM debian:12\nMAINTAINER me\nRUN true\n"
    label = 'LABEL org.opencontainers.image.authors="me"'
    fixes, notices = _plan("dockerfile", "Dockerfile", text, (2, 1, 2, 11), [(2, 1, 2, 14, label)])
    assert notices == [] and label in fixes["Dockerfile"].after
    fixes, notices = _plan("dockerfile", "Dockerfile", text, (2, 1, 2, 11), [(3, 5, 3, 5, "false && ")])
    assert fixes == {} and "a value the fix does not target" in notices[0]
    unit = "[Service]\nExecStart=/usr/bin/dockerd --tls\nEnvironment=A=1\n"
    fixes, notices = _plan("systemd", "docker.service", unit, (2, 28, 2, 33), [(2, 33, 2, 33, " --tlsverify")])
    assert notices == [] and "--tls --tlsverify\n" in fixes["docker.service"].after
    fixes, notices = _plan("systemd", "docker.service", unit, (2, 28, 2, 33), [(3, 16, 3, 16, " --tlsverify")])
    assert fixes == {} and notices


# -- SegmentMap: offsets of a joined text -> the file's (line, column) ------------------------

_CHARS = st.sampled_from(["a", "Z", " ", "\t", "\r", "é", "中", "😀", "\\", "\u2028", "#", "="])


@st.composite
def _joined(draw: st.DrawFn) -> tuple[list[str], list[tuple[int, int, str]]]:
    """A file (its lines) and pieces of it as a line continued onto the next ones: each piece
    is part of one line, from some column on (possibly empty, as a lone backslash leaves)."""
    lines = draw(st.lists(st.text(_CHARS, max_size=12), min_size=1, max_size=8))
    pieces: list[tuple[int, int, str]] = []
    for no, text in enumerate(lines, 1):
        if pieces and not draw(st.booleans()):
            continue  # a line the continuation skips (a comment, a blank line)
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        pieces.append((no, start + 1, text[start:end]))
    return lines, pieces


def _naive(pieces: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """The (line, col) of every character of the joined text, and of the end (taken on the
    last piece, even an empty one: the column after the text's end there)."""
    out = [(line, col + i) for line, col, text in pieces for i in range(len(text))]
    last_line, last_col, last_text = pieces[-1]
    out.append((last_line, last_col + len(last_text)))
    return out


def _map(pieces: list[tuple[int, int, str]]) -> SegmentMap:
    starts = [0, *accumulate(len(t) for _, _, t in pieces[:-1])]
    return SegmentMap.of((s, line, col) for s, (line, col, _) in zip(starts, pieces))


@settings(max_examples=400, deadline=None)
@given(_joined())
def test_segment_map_positions_as_the_naive_walk(case: tuple[list[str], list[tuple[int, int, str]]]) -> None:
    lines, pieces = case
    joined = "".join(t for _, _, t in pieces)
    m = _map(pieces)
    naive = _naive(pieces)
    for off in range(len(joined) + 1):
        assert m.position(off) == naive[off]
        if off < len(joined):  # the character is where the naive walk says, in the file
            line, col = m.position(off)
            assert lines[line - 1][col - 1] == joined[off]
    for a in range(len(joined)):
        for b in range(a + 1, len(joined) + 1):
            line, col, end_line, end_col = m.range(a, b)
            assert (line, col) == naive[a]
            assert (end_line, end_col) == (naive[b - 1][0], naive[b - 1][1] + 1)


@settings(max_examples=300, deadline=None)
@given(_joined(), st.data())
def test_segment_map_shifted_is_the_rest_of_the_text(
    case: tuple[list[str], list[tuple[int, int, str]]], data: st.DataObject
) -> None:
    _, pieces = case
    joined = "".join(t for _, _, t in pieces)
    m = _map(pieces)
    base = data.draw(st.integers(0, len(joined)))
    s = m.shifted(base)
    assert s.starts[0] == 0 and (base > 0 or s is m)
    for off in range(len(joined) - base + 1):
        assert s.position(off) == m.position(base + off)
    for a in range(len(joined) - base):
        for b in range(a + 1, len(joined) - base + 1):
            assert s.range(a, b) == m.range(base + a, base + b)
    assert m.position(len(joined)) == _naive(pieces)[-1]  # the original is left as it was


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.sampled_from(["a", "\n", "\r", "\t", "é", "😀", " "]), max_size=40),
    st.integers(1, 50),
    st.integers(1, 20),
)
def test_segment_map_of_a_text_as_its_line_index(text: str, line: int, col: int) -> None:
    ix = LineIndex(text)
    m = SegmentMap.of_text(ix.starts, line, col)
    for off in range(len(text) + 1):
        ln, c = ix.position(off)
        assert m.position(off) == (line + ln - 1, c + (col - 1 if ln == 1 else 0))
    for a in range(len(text)):
        b = min(len(text), a + 7)
        end = m.position(b - 1)
        assert m.range(a, b) == (*m.position(a), end[0], end[1] + 1)


def test_segment_map_examples() -> None:
    # RUN apt-get \\ / (comment) /   install x: "apt-get install x" joined from lines 1 and 3
    m = SegmentMap([0, 8], [1, 3], [5, 3])
    assert m.cols == [5, 3]
    assert m.position(0) == (1, 5) and m.position(7) == (1, 12) and m.position(8) == (3, 3)
    assert m.range(0, 7) == (1, 5, 1, 12)  # "apt-get"
    assert m.range(4, 10) == (1, 9, 3, 5)  # across the continuation
    assert m.range(8, 15) == (3, 3, 3, 10)
    s = m.shifted(4)
    assert s.position(0) == (1, 9) and s.position(4) == (3, 3) and s.cols == [9, 3]
    assert SegmentMap.of([(0, 7, 2)]).range(3, 5) == (7, 5, 7, 7)
