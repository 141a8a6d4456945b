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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    monkeypatch.setenv("DOCKERLINT_SELECT", "NOPE999")
    ws = Workspace(str(tmp_path))
    assert "NOPE999" in ws.config_error
    out = ws.lint(str(tmp_path / "Dockerfile"), {})
    assert out is not None and "DF101" in {i.rule_id for i in out.items}


def test_a_second_edit_parses_the_edited_document_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every file the engine parses is told to the hook: the Compose files a Dockerfile is
    # judged against (its folder's, and one in a sibling folder that builds it) are parsed
    # once, not at every edit of the Dockerfile.
    files = {
        "app/Dockerfile": "FROM alpine:3.19\nUSER root\n",
        "app/compose.yaml": "services:\n  app:\n    build: .\n",
        "deploy/compose.yaml": "services:\n  web:\n    build: ../app\n    read_only: true\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    parsed: list[str] = []
    ws = Workspace(str(tmp_path), on_parse=lambda src: parsed.append(src.path))
    docker = str(tmp_path / "app/Dockerfile")
    first = ws.lint(docker, {docker: "FROM alpine:3.19\nUSER root\n"})
    assert first is not None and "DF101" in {i.rule_id for i in first.items}
    assert sorted(set(parsed)) == ["app/Dockerfile", "app/compose.yaml", "deploy/compose.yaml"]
    for user in ("app", "nobody"):
        parsed.clear()
        again = ws.lint(docker, {docker: f"FROM alpine:3.19\nUSER {user}\n"})
        assert again is not None and "DF101" not in {i.rule_id for i in again.items}
        assert parsed == ["app/Dockerfile"]
    # Files changed on disk: read and parsed again.
    ws.reload()
    parsed.clear()
    ws.lint(docker, {docker: "FROM alpine:3.19\nUSER app\n"})
    assert sorted(set(parsed)) == ["app/Dockerfile", "app/compose.yaml", "deploy/compose.yaml"]


def test_kept_parses_give_the_findings_of_fresh_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Models, parse errors, parser findings and comments (suppressions) of a kept parse are
    # those of a new one: a second lint with every file kept equals a lint from scratch.
    files = {
        "Dockerfile": "FROM alpine:3.19\n# dockerlint: ignore[DF101] root on purpose (SEC-1)\nUSER root\n",
        "compose.yaml": (
            "services:\n  web:\n    build: .\n"
            "    privileged: true  # dockerlint: ignore[DC102] CI runner (SEC-2)\n"
            "  extra:\n    extends: {file: base.yaml, service: base}\n"
        ),
        "base.yaml": "services:\n  base:\n    image: alpine:3.19\n    network_mode: host\n",
        "broken/compose.yaml": "services:\n  web: [unclosed\n",
        "etc/docker/daemon.json": '{"hosts": ["tcp://0.0.0.0:2375"]}\n',
        "etc/systemd/system/docker.socket": "[Socket]\nListenStream=0.0.0.0:2376\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def everything(ws: Workspace) -> dict[str, list[tuple[object, ...]]]:
        out = {}
        for name in files:
            got = ws.lint(str(tmp_path / name), {})
            out[name] = sorted((i.rule_id, i.line, i.col, i.message) for i in got.items) if got else []
        return out

    ws = Workspace(str(tmp_path))
    fresh = everything(ws)
    assert fresh["broken/compose.yaml"][0][0] == "DC000"
    assert "DC102" not in {r[0] for r in fresh["compose.yaml"]}
    assert fresh["etc/docker/daemon.json"] and fresh["etc/systemd/system/docker.socket"]
    ws._lints.clear()  # every lint again, every parse kept
    assert len(ws.parses) >= len(files)
    assert everything(ws) == fresh
    assert everything(Workspace(str(tmp_path))) == fresh


def test_build_links_follow_the_compose_files_on_disk_after_a_reload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "deploy").mkdir()
    (tmp_path / "app/Dockerfile").write_text("FROM alpine:3.19\n", encoding="utf-8")
    compose = tmp_path / "deploy/compose.yaml"
    compose.write_text("services:\n  web:\n    build: ../app\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ws = Workspace(str(tmp_path))
    docker = str(tmp_path / "app/Dockerfile")
    assert [c.path for c in ws.builders(docker, {})] == ["deploy/compose.yaml"]
    # An unsaved buffer wins over the file on disk.
    assert ws.builders(docker, {str(compose): "services:\n  web:\n    image: alpine:3.19\n"}) == []
    compose.write_text("services:\n  web:\n    build: ../other\n", encoding="utf-8")
    ws.reload()  # the client reported the change
    assert ws.builders(docker, {}) == []
