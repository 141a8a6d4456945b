"""The steps of the lint pipeline (``dockerlint.cli.pipeline.lint``), each on its own: the
inputs (standard input, discovery with ``--compose-file``, the configuration's excludes),
the exit code with per-file ``fail-on``, and the warning when there is nothing to lint.
The command line as a whole is tested in test_cli.py; here each step is called directly."""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dockerlint.cli.args import check_arguments, command_line, parse_arguments
from dockerlint.cli.fixing import run_lint
from dockerlint.cli.inputs import Inputs, collect_inputs, resolve_targets
from dockerlint.cli.pipeline import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    announce,
    engine_options,
    exit_code,
    load_plugins,
)
from dockerlint.config.layers import SettingError
from dockerlint.config.settings import Settings, load_settings
from dockerlint.core.engine import Engine
from helpers import write_tree

ROOT_USER = "FROM alpine:3.19\n"  # DF101 (medium): no USER
CLEAN = 'FROM alpine:3.19\nUSER 1000\nCMD ["true"]\n'
COMPOSE = "services:\n  web:\n    image: nginx:1.25\n    privileged: true\n"


@pytest.fixture
def in_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("DOCKERLINT_"):
            monkeypatch.delenv(name)
    yield tmp_path


def _steps(argv: list[str], environ: dict[str, str] | None = None) -> tuple[argparse.Namespace, Any, Settings, Inputs]:
    """The pipeline's steps up to the inputs, as ``lint`` runs them."""
    cwd = os.getcwd()
    args = parse_arguments(argv)
    check_arguments(args, environ or {})
    registry = load_plugins(args.scanned)
    targets = resolve_targets(args, cwd)
    settings = load_settings(command_line(args, targets.read_roots, None), cwd, registry, environ or {})
    return args, registry, settings, collect_inputs(args, cwd, settings, targets)


def _run(argv: list[str]) -> tuple[Any, Inputs, Engine]:
    args, registry, settings, inputs = _steps(argv)
    engine = Engine(registry, engine_options(args, settings, inputs, os.getcwd()))
    return run_lint(engine, inputs, args), inputs, engine


# -- inputs ------------------------------------------------------------------------


def test_standard_input_is_read_under_the_name_given(in_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (in_dir / "deploy").mkdir()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(COMPOSE.encode()), encoding="utf-8"))
    _, _, _, inputs = _steps(["-", "--stdin-filename", "deploy/compose.yaml"])
    (cand,) = inputs.candidates
    assert (cand.path, cand.kind, cand.explicit) == ("deploy/compose.yaml", "compose", True)
    assert cand.abspath == str(in_dir / "deploy" / "compose.yaml")
    assert inputs.contents == {cand.abspath: COMPOSE.encode()}
    assert inputs.targets.others == []  # standard input alone: no folder is walked
    assert inputs.errors == [] and inputs.roots == ()


def test_standard_input_without_a_name_is_shown_as_a_dash(in_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ROOT_USER.encode()), encoding="utf-8"))
    _, _, _, inputs = _steps(["-", "--kind", "dockerfile"])
    (cand,) = inputs.candidates
    assert cand.path == "-"
    assert inputs.contents[cand.abspath] == ROOT_USER.encode()


def test_standard_input_is_read_no_further_than_the_size_limit(in_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 5000), encoding="utf-8"))
    _, _, _, inputs = _steps(["-", "--max-file-size", "100"])
    assert [len(v) for v in inputs.contents.values()] == [101]  # one byte more: enough to refuse it


def test_standard_input_closed_is_a_usage_error(in_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockerlint.cli.args import UsageError

    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(UsageError, match="standard input is closed"):
        _steps(["-"])


def test_discovery_and_compose_files_are_collected_once(in_dir: Path) -> None:
    write_tree(
        in_dir, {"Dockerfile": ROOT_USER, "compose.yaml": COMPOSE, "deploy/stack.yml": COMPOSE, "notes.txt": "hello\n"}
    )
    _, _, _, inputs = _steps([".", "--compose-file", "compose.yaml", "--compose-file", "deploy/stack.yml"])
    got = sorted((c.path, c.kind) for c in inputs.candidates)
    # compose.yaml is found by the walk and named with --compose-file: listed once; the
    # stack file has no Compose name and is linted because it is named
    assert got == [("Dockerfile", "dockerfile"), ("compose.yaml", "compose"), ("deploy/stack.yml", "compose")]
    assert inputs.compose_files == (str(in_dir / "compose.yaml"), str(in_dir / "deploy" / "stack.yml"))
    assert inputs.roots == (str(in_dir), str(in_dir / "deploy"))


def test_a_missing_path_is_an_error_of_the_inputs(in_dir: Path) -> None:
    write_tree(in_dir, {"Dockerfile": ROOT_USER})
    _, _, _, inputs = _steps(["Dockerfile", "--compose-file", "gone.yaml"])
    assert [c.path for c in inputs.candidates] == ["Dockerfile"]
    assert len(inputs.errors) == 1 and "gone.yaml" in inputs.errors[0]


def test_configuration_excludes_drop_candidates(in_dir: Path) -> None:
    write_tree(
        in_dir, {".dockerlint.toml": 'exclude = ["legacy/"]\n', "Dockerfile": ROOT_USER, "legacy/Dockerfile": ROOT_USER}
    )
    _, _, _, inputs = _steps(["."])
    assert [c.path for c in inputs.candidates] == ["Dockerfile"]
    # also a file named on the command line (the pre-commit hook names files)
    _, _, _, inputs = _steps(["legacy/Dockerfile", "Dockerfile"])
    assert [c.path for c in inputs.candidates] == ["Dockerfile"]
    # --isolated: no configuration file decides what is linted
    _, _, settings, inputs = _steps([".", "--isolated"])
    assert not settings.has_files()
    assert sorted(c.path for c in inputs.candidates) == ["Dockerfile", "legacy/Dockerfile"]


def test_a_broken_configuration_met_while_collecting_is_a_setting_error(in_dir: Path) -> None:
    write_tree(in_dir, {"Dockerfile": ROOT_USER, "sub/.dockerlint.toml": "select = [\n", "sub/Dockerfile": ROOT_USER})
    with pytest.raises(SettingError, match=r"^configuration: sub/\.dockerlint\.toml: invalid TOML: "):
        _steps(["."])


# -- exit code ---------------------------------------------------------------------


def test_exit_code_follows_each_files_fail_on(in_dir: Path) -> None:
    write_tree(
        in_dir, {"lax/.dockerlint.toml": 'fail-on = "never"\n', "lax/Dockerfile": ROOT_USER, "strict/Dockerfile": CLEAN}
    )
    outcome, inputs, engine = _run(["."])
    assert {f.path for f in outcome.result.findings} == {"lax/Dockerfile"}
    assert exit_code(outcome, inputs, engine) == EXIT_OK  # the only finding is where fail-on is never
    (in_dir / "strict" / "Dockerfile").write_text(ROOT_USER, encoding="utf-8")
    outcome, inputs, engine = _run(["."])
    assert exit_code(outcome, inputs, engine) == EXIT_FINDINGS
    # --fail-on is above the files' configuration
    outcome, inputs, engine = _run([".", "--fail-on", "high"])
    assert outcome.result.findings and exit_code(outcome, inputs, engine) == EXIT_OK


def test_exit_code_is_2_on_a_path_error_whatever_the_findings(in_dir: Path) -> None:
    write_tree(in_dir, {"Dockerfile": ROOT_USER})
    outcome, inputs, engine = _run(["Dockerfile", "missing/Dockerfile", "--fail-on", "never"])
    assert inputs.errors
    assert exit_code(outcome, inputs, engine) == EXIT_ERROR


# -- announcements -----------------------------------------------------------------


def test_nothing_to_lint_is_a_warning(in_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(in_dir, {"docs/readme.md": "# hi\n"})
    outcome, inputs, engine = _run(["docs"])
    announce(outcome, inputs, quiet=False)
    err = capsys.readouterr().err
    assert err.startswith("dockerlint: warning: docs: nothing to lint in this folder (no Dockerfile")
    assert exit_code(outcome, inputs, engine) == EXIT_OK


def test_named_paths_that_gave_nothing_are_named(in_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(in_dir, {".dockerlint.toml": 'exclude = ["Dockerfile"]\n', "Dockerfile": ROOT_USER})
    outcome, inputs, engine = _run(["Dockerfile"])
    announce(outcome, inputs, quiet=False)
    assert capsys.readouterr().err.startswith("dockerlint: warning: nothing to lint in Dockerfile (no Dockerfile")
    assert exit_code(outcome, inputs, engine) == EXIT_OK
    outcome, inputs, engine = _run(["Dockerfile", "gone"])
    announce(outcome, inputs, quiet=False)
    assert "nothing to lint" not in capsys.readouterr().err  # the path error says enough
    assert exit_code(outcome, inputs, engine) == EXIT_ERROR
