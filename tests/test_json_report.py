"""The JSON reporter, and the registration of the built-in formatters."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dockerlint import __version__
from dockerlint.cli import BUILTIN_FORMATS, _formatter, main
from dockerlint.core.findings import Finding, Result
from dockerlint.core.registry import Severity
from dockerlint.models.base import Span
from dockerlint.models.source import SourceFile
from dockerlint.reporters import ReportContext, json_report
from dockerlint.util.fingerprint import Occurrences
from helpers import lint_tree, registry

ROOT = Path(__file__).resolve().parent.parent


def _ctx() -> ReportContext:
    return ReportContext(registry=None, version=__version__, cwd=".")


def test_schema() -> None:
    findings = [
        Finding(
            "DC101",
            "docker-socket-mount",
            Severity.CRITICAL,
            Span("données/compose.yaml", 4, 9, 4, 29),
            "service 'web' mounts the Docker socket",
        ),
        Finding(
            "DF000", "dockerfile-parse-error", Severity.ERROR, Span.point("sub dir/Dockerfile"), "not valid UTF-8 text"
        ),
        Finding(
            "DF101",
            "final-stage-root",
            Severity.HIGH,
            Span("sub dir/Dockerfile", 3, 1, 3, 5),
            "final stage sets no USER",
            context="stage 1",
        ),
    ]
    files = [SourceFile("données/compose.yaml", "compose", ""), SourceFile("sub dir/Dockerfile", "dockerfile", "")]
    text = json_report.render(Result(findings=findings, files=files, files_checked=2), _ctx())
    assert text.endswith("}\n") and text.isascii()
    doc = json.loads(text)
    fingerprints = [f.pop("fingerprint") for f in doc["findings"]]
    assert all(re.fullmatch(r"[0-9a-f]{64}:1", fp) for fp in fingerprints) and len(set(fingerprints)) == 3
    assert doc == {
        "version": 1,
        "tool": {"name": "dockerlint", "version": __version__},
        "summary": {
            "files": 2,
            "findings": 3,
            "by_severity": {"critical": 1, "error": 1, "high": 1, "medium": 0, "low": 0, "info": 0},
            "suppressed": 0,
        },
        "findings": [
            {
                "rule_id": "DC101",
                "rule_name": "docker-socket-mount",
                "severity": "critical",
                "path": "données/compose.yaml",
                "line": 4,
                "column": 9,
                "end_line": 4,
                "end_column": 29,
                "message": "service 'web' mounts the Docker socket",
                "fix": None,
            },
            {
                "rule_id": "DF000",
                "rule_name": "dockerfile-parse-error",
                "severity": "error",
                "path": "sub dir/Dockerfile",
                "line": 1,
                "column": 1,
                "end_line": 1,
                "end_column": 2,
                "message": "not valid UTF-8 text",
                "fix": None,
            },
            {
                "rule_id": "DF101",
                "rule_name": "final-stage-root",
                "severity": "high",
                "path": "sub dir/Dockerfile",
                "line": 3,
                "column": 1,
                "end_line": 3,
                "end_column": 5,
                "message": "final stage sets no USER",
                "fix": None,
            },
        ],
        "suppressed": [],
    }
    assert list(doc["summary"]["by_severity"]) == [s.value for s in json_report.SEVERITY_ORDER]
    assert set(json_report.SEVERITY_ORDER) == set(Severity)


def test_empty() -> None:
    doc = json.loads(json_report.render(Result(), _ctx()))
    assert doc["summary"] == {
        "files": 0,
        "findings": 0,
        "by_severity": {s.value: 0 for s in json_report.SEVERITY_ORDER},
        "suppressed": 0,
    }
    assert doc["findings"] == []


def test_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Through the real CLI; an undecodable file needs no parser."""
    (tmp_path / "Dockerfile").write_bytes(b"FROM debian:12\n\xff\n")
    monkeypatch.chdir(tmp_path)
    assert main(["--format", "json", "Dockerfile"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["findings"] == 1
    assert doc["findings"][0]["rule_id"] == "DF000" and doc["findings"][0]["path"] == "Dockerfile"


# -- formatter registration ----------------------------------------------------------


def _declared_entry_points() -> dict[str, str]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # tomli is dockerlint's own dependency on Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    eps: dict[str, str] = data["project"]["entry-points"]["dockerlint.formatters"]
    return eps


def test_builtin_formatters_are_entry_points() -> None:
    """pyproject's ``dockerlint.formatters`` group and cli.BUILTIN_FORMATS (the fast path) agree."""
    assert _declared_entry_points() == BUILTIN_FORMATS


@pytest.mark.parametrize("name", sorted(BUILTIN_FORMATS))
def test_builtin_formatters_load(name: str) -> None:
    render = _formatter(name)
    assert callable(render)
    out = render(Result(), _ctx())
    assert isinstance(out, str) and out.endswith("\n")


def test_installed_entry_points_match_when_installed() -> None:
    """If the installed metadata already has the group, it points at the same callables."""
    from importlib.metadata import entry_points

    installed = {
        ep.name: ep.value
        for ep in entry_points(group="dockerlint.formatters")
        if ep.dist is not None and ep.dist.name == "dockerlint"
    }
    if not installed:
        pytest.skip("installed dockerlint metadata predates the formatters group (reinstall to refresh)")
    assert installed == BUILTIN_FORMATS


# -- streaming (issue 13 WP5.3) ----------------------------------------------------------------

FIXTURE_CASES = sorted(p for p in (ROOT / "fixtures").glob("*/*") if p.is_dir())


class Pieces:
    """A text sink that keeps every piece written to it."""

    def __init__(self) -> None:
        self.pieces: list[str] = []

    def write(self, text: str) -> int:
        self.pieces.append(text)
        return len(text)

    def text(self) -> str:
        return "".join(self.pieces)


def test_write_streams_the_characters_render_returns_on_every_fixture() -> None:
    """``write`` of every built-in reporter is ``render`` to the character, on every fixture
    case: with every rule (suppressed findings too) and line hashes (SARIF's fingerprints), and
    with the case's own rule described from the registry and no line hashes; with and without
    source, suppressed results and a category; the text report grouped with source and one line
    per finding with the why-lines, in color. And it writes piece by piece: a big tree's report is
    never held whole (issue 13: the text report of 10,000 files was 17 MiB of peak memory)."""
    from dockerlint.reporters import github, gitlab, junit, sarif, text, writer_of

    modules = (json_report, sarif, text, github, gitlab, junit)
    assert all(writer_of(m.render) is m.write for m in modules)
    compared = findings = suppressed = 0
    for case in FIXTURE_CASES:
        runs = (
            (lint_tree(case, select=["ALL"], line_hashes=True), None),
            (lint_tree(case, select=[case.parent.name]), registry()),
        )
        for result, rules in runs:
            findings += len(result.findings)
            suppressed += len(result.suppressed)
            for extra in (
                {},
                {"show_source": False, "include_suppressed": True, "sarif_category": "fixtures"},
                {"quiet": True, "show_why": True, "color": True},
            ):
                ctx = ReportContext(registry=rules, version=__version__, cwd=str(case), **extra)
                for module in modules:
                    sink = Pieces()
                    module.write(result, ctx, sink)
                    assert sink.text() == module.render(result, ctx), (case, module.__name__, rules, extra)
                    assert len(sink.pieces) >= len(result.findings) + 1
                    compared += 1
    assert compared == len(FIXTURE_CASES) * 36 and findings > 500 and suppressed > 0


def test_text_write_streams_the_characters_render_returns_on_every_fixture() -> None:
    """``write`` of the text reporter is ``render`` to the character in every layout (one line
    per finding, grouped with source lines and carets, --show-why, --statistics, colours), and
    writes a piece per line: the report of a large scan is never held whole (issue 13 item 10:
    the joined report and its lines were 9 MiB of the Compose set's peak)."""
    from dockerlint.reporters import text, writer_of

    assert writer_of(text.render) is text.write
    compared = findings = 0
    layouts: list[dict[str, Any]] = [
        {"quiet": True},
        {"quiet": False, "show_source": True},
        {"quiet": False, "show_source": False, "show_why": True, "color": True},
        {"quiet": True, "show_why": True, "color": True},
        {"statistics": True},
    ]
    for case in FIXTURE_CASES:
        result = lint_tree(case, select=["ALL"])
        findings += len(result.findings)
        for extra in layouts:
            ctx = ReportContext(registry=registry(), version=__version__, cwd=str(case), **extra)
            sink = Pieces()
            text.write(result, ctx, sink)
            assert sink.text() == text.render(result, ctx), (case, extra)
            if not extra.get("statistics"):
                assert len(sink.pieces) >= len(result.findings) + 1
            compared += 1
    assert compared == len(FIXTURE_CASES) * len(layouts) and findings > 500


def _plugin_formatter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A formatter plugin (entry point ``plain``) with only ``render() -> str``, installed outside
    the linted tree."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "plainfmt.py").write_text(
        "def render(result, ctx):\n"
        "    return ''.join(f'{f.path}:{f.span.line} {f.rule_id}\\n' for f in result.findings)\n",
        encoding="utf-8",
    )
    info = site / "plainfmt-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: plainfmt\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[dockerlint.formatters]\nplain = plainfmt:render\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, "plainfmt", raising=False)


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "github", "gitlab", "junit", "plain"])
def test_cli_report_to_stdout_and_to_a_file(fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Streamed (every built-in format) or rendered (a plugin's ``render`` only), the report on
    standard output and in ``-o FILE`` is what ``render`` returns."""
    from cli_helpers import run
    from dockerlint.reporters import formatter, writer_of

    _plugin_formatter(tmp_path, monkeypatch)
    case = ROOT / "fixtures" / "DC101" / "fire"
    render = formatter(fmt)
    assert (writer_of(render) is None) == (fmt == "plain")
    result = lint_tree(case, line_hashes=fmt == "sarif")
    want = render(result, ReportContext(registry=registry(), version=__version__, cwd=str(case), quiet=True))
    assert "DC101" in want
    code, out, err = run(["--format", fmt, "--no-color", "."], case)
    assert (code, out) == (1, want), err
    report = tmp_path / "out" / "report"
    report.parent.mkdir()
    code, out, err = run(["--format", fmt, "-o", str(report), "."], case)
    assert (code, out) == (1, ""), err
    assert report.read_bytes() == want.encode("utf-8")
    assert not [p.name for p in report.parent.iterdir() if p.name != "report"]  # no temporary file left


def test_a_failing_stream_leaves_the_previous_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The streamed report goes to the atomic temporary file: a run that fails half-way through
    the findings keeps the previous report whole and leaves no temporary file."""
    from cli_helpers import run

    report = tmp_path / "report.json"
    report.write_text("the previous report\n", encoding="utf-8")
    calls = []

    def broken(f: Finding, seen: dict[str, int] | None = None) -> dict[str, Any]:
        calls.append(f)
        if len(calls) > 1:
            raise OSError(28, "No space left on device")
        return record(f, seen)

    record = json_report.finding_record
    monkeypatch.setattr(json_report, "finding_record", broken)
    code, _, err = run(["--format", "json", "-o", str(report), "."], ROOT / "fixtures" / "DC101" / "fire")
    assert code == 2 and "cannot write the report" in err and "No space left" in err
    assert len(calls) == 2
    assert report.read_text(encoding="utf-8") == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


# -- occurrence counts (the ":n" of fingerprints) kept per path --------------------------------


@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("xyz")), max_size=40))
def test_occurrences_count_as_one_table_of_every_fingerprint_would(items: list[tuple[str, str]]) -> None:
    """In any order (sorted by path or not, a path coming back), each (path, fingerprint)
    gets the count one dictionary of all fingerprints gives."""
    every: dict[tuple[str, str], int] = {}
    want = []
    for item in items:
        every[item] = every.get(item, 0) + 1
        want.append(every[item])
    seen = Occurrences(path for path, _ in items)
    assert [seen.count(path, fp) for path, fp in items] == want


def test_occurrences_keep_only_the_current_path_when_paths_come_once() -> None:
    paths = [f"f{i}" for i in range(1000) for _ in range(3)]
    seen = Occurrences(paths)
    assert [seen.count(p, "same") for p in paths[:6]] == [1, 2, 3, 1, 2, 3]
    for p in paths[6:]:
        seen.count(p, "same")
    assert not seen._kept and len(seen._counts) == 1


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@given(_JSON, st.integers(0, 3))
def test_dumps_indented_writes_what_json_dumps_with_indent_writes(value: Any, level: int) -> None:
    from dockerlint.reporters import dumps_indented

    assert dumps_indented(value, level) == json.dumps(value, indent=2).replace("\n", "\n" + "  " * level)
    assert dumps_indented({1: value}) == json.dumps({1: value}, indent=2)  # keys json converts
