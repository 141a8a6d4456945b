"""The server's settings are the CLI's: ``DOCKERLINT_*`` of the editor's environment as
``dockerlint`` reads them, and a bad selector there said once instead of stopping the server."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerlint.server.workspace import Workspace

DOCKERFILE = "FROM debian:12\nRUN curl -k https://x | sh\nUSER root\n"


def _ids(root: Path) -> list[str]:
    ws = Workspace(str(root))
    out = ws.lint(str(root / "Dockerfile"), {})
    assert out is not None
    return sorted(i.rule_id for i in out.items)


def test_the_environment_layer_is_the_clis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    assert {"DF101", "DF104", "DF105"} <= set(_ids(tmp_path))
    monkeypatch.setenv("DOCKERLINT_IGNORE", "DF104, df105")
    got = _ids(tmp_path)
    assert "DF101" in got and "DF104" not in got and "DF105" not in got


def test_a_bad_selector_in_the_environment_is_said_and_linting_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    monkeypatch.setenv("DOCKERLINT_SELECT", "NOPE999")
    ws = Workspace(str(tmp_path))
    assert "NOPE999" in ws.config_error
    out = ws.lint(str(tmp_path / "Dockerfile"), {})
    assert out is not None and "DF101" in {i.rule_id for i in out.items}
