"""The JSON reporter, and the registration of the built-in formatters."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from dockerlint import __version__
from dockerlint.cli import BUILTIN_FORMATS, _formatter, main
from dockerlint.core.findings import Finding, Result
from dockerlint.core.registry import Severity
from dockerlint.models.base import Span
from dockerlint.models.source import SourceFile
from dockerlint.reporters import ReportContext, json_report

ROOT = Path(__file__).resolve().parent.parent


def _ctx() -> ReportContext:
    return ReportContext(registry=None, version=__version__, cwd=".")


def test_schema() -> None:
    findings = [
        Finding("DC101", "docker-socket-mount", Severity.CRITICAL, Span("données/compose.yaml", 4, 9, 4, 29),
                "service 'web' mounts the Docker socket"),
        Finding("DF000", "dockerfile-parse-error", Severity.ERROR, Span.point("sub dir/Dockerfile"),
                "not valid UTF-8 text"),
        Finding("DF101", "final-stage-root", Severity.HIGH, Span("sub dir/Dockerfile", 3, 1, 3, 5),
                "final stage sets no USER", context="stage 1"),
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
            {"rule_id": "DC101", "rule_name": "docker-socket-mount", "severity": "critical",
             "path": "données/compose.yaml", "line": 4, "column": 9, "end_line": 4, "end_column": 29,
             "message": "service 'web' mounts the Docker socket", "fix": None},
            {"rule_id": "DF000", "rule_name": "dockerfile-parse-error", "severity": "error",
             "path": "sub dir/Dockerfile", "line": 1, "column": 1, "end_line": 1, "end_column": 2,
             "message": "not valid UTF-8 text", "fix": None},
            {"rule_id": "DF101", "rule_name": "final-stage-root", "severity": "high",
             "path": "sub dir/Dockerfile", "line": 3, "column": 1, "end_line": 3, "end_column": 5,
             "message": "final stage sets no USER", "fix": None},
        ],
        "suppressed": [],
    }
    assert list(doc["summary"]["by_severity"]) == [s.value for s in json_report.SEVERITY_ORDER]
    assert set(json_report.SEVERITY_ORDER) == set(Severity)


def test_empty() -> None:
    doc = json.loads(json_report.render(Result(), _ctx()))
    assert doc["summary"] == {"files": 0, "findings": 0,
                              "by_severity": {s.value: 0 for s in json_report.SEVERITY_ORDER}, "suppressed": 0}
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

    installed = {ep.name: ep.value for ep in entry_points(group="dockerlint.formatters")
                 if ep.dist is not None and ep.dist.name == "dockerlint"}
    if not installed:
        pytest.skip("installed dockerlint metadata predates the formatters group (reinstall to refresh)")
    assert installed == BUILTIN_FORMATS
