"""How a run is carried out: files linted one by one and forgotten, worker processes
(``--jobs``), output that does not depend on either."""

from __future__ import annotations

import gc
import io
import os
import weakref
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from dockerlint.cli import main
from dockerlint.core import parallel
from dockerlint.core.engine import Engine
from dockerlint.core.findings import Result
from dockerlint.core.options import Options
from dockerlint.core.registry import Hit, Registry, Severity, rule
from dockerlint.models.image import ImageBuild
from helpers import lint_tree, write_tree

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
needs_fork = pytest.mark.skipif(not parallel.available(), reason="worker processes need fork (POSIX)")


def run_cli(cwd: Path, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["--no-color", *args])
    finally:
        os.chdir(old)
    return code, out.getvalue()


def registry_with(*extra: Any) -> Registry:
    reg = Registry.builtin()
    for r in extra:
        reg.add(r, origin="test", builtin=False)
    return reg


def dockerfiles(n: int, extra: dict[str, str] | None = None) -> dict[str, str]:
    files = {f"svc{k:03d}/Dockerfile": f"FROM debian:12\nRUN echo {k}\nUSER {k % 3}\n" for k in range(n)}
    files.update(extra or {})
    return files


@needs_fork
@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "github"])
def test_output_is_the_same_whatever_the_number_of_workers(fmt: str) -> None:
    """Every fixture case at once (Dockerfiles, Compose projects, daemons, scripts, CI files,
    suppressions, configuration files), in one process and in two and three."""
    outputs = {jobs: run_cli(FIXTURES, "--format", fmt, "--jobs", str(jobs), ".") for jobs in (1, 2, 3)}
    assert outputs[1][1].count("\n") > 200  # a real run: hundreds of findings
    assert outputs[2] == outputs[1]
    assert outputs[3] == outputs[1]


@rule(id="TST001", name="which-process", reads=ImageBuild, severity=Severity.INFO, summary="test")
def which_process(build: ImageBuild, ctx: Any) -> Iterator[Hit]:
    """One finding per Dockerfile, saying which process linted it."""
    yield Hit(build.stages[0].image.span, f"pid {os.getpid()}")


@needs_fork
def test_workers_really_share_the_files(tmp_path: Path) -> None:
    write_tree(tmp_path, dockerfiles(40))
    result = lint_tree(tmp_path, select=["TST001"], jobs=2, rules=registry_with(which_process))
    pids = {f.message for f in result.findings if f.rule_id == "TST001"}
    assert len([f for f in result.findings if f.rule_id == "TST001"]) == 40
    assert len(pids) == 2 and f"pid {os.getpid()}" not in pids


def test_small_runs_stay_in_one_process_by_default(tmp_path: Path) -> None:
    write_tree(tmp_path, dockerfiles(5))
    result = lint_tree(tmp_path, select=["TST001"], jobs=0, rules=registry_with(which_process))
    assert [f.message for f in result.findings] == [f"pid {os.getpid()}"] * 5


@needs_fork
def test_a_worker_that_dies_loses_no_file(tmp_path: Path) -> None:
    main_pid = os.getpid()

    @rule(id="TST003", name="dies-in-a-worker", reads=ImageBuild, severity=Severity.INFO, summary="test")
    def dies(build: ImageBuild, ctx: Any) -> Iterator[Hit]:
        if os.getpid() != main_pid and build.path.startswith("svc007/"):
            os._exit(3)  # a worker killed mid-file (the OOM killer, a segfault in an extension)
        yield Hit(build.stages[0].image.span, "seen")

    write_tree(tmp_path, dockerfiles(30))
    result = lint_tree(tmp_path, select=["TST003"], jobs=2, rules=registry_with(dies))
    assert sorted(f.path for f in result.findings) == sorted(f"svc{k:03d}/Dockerfile" for k in range(30))
    assert any("worker process died" in n for n in result.notices), result.notices


def test_a_dockerfile_is_forgotten_once_linted_unless_a_service_builds_it(tmp_path: Path) -> None:
    """Memory stays flat on big trees: only the Dockerfiles a Compose service builds (whose
    stages DC122 reads when the services are judged) outlive their own check."""
    seen: list[weakref.ref[ImageBuild]] = []
    alive_counts: list[int] = []

    @rule(id="TST004", name="count-live-builds", reads=ImageBuild, severity=Severity.INFO, summary="test")
    def count(build: ImageBuild, ctx: Any) -> Iterator[Hit]:
        gc.collect()
        alive_counts.append(sum(1 for ref in seen if ref() is not None))
        seen.append(weakref.ref(build))
        yield from ()

    compose = "services:\n  app:\n    build: ./app\n    image: acme/app:1\n"
    write_tree(tmp_path, dockerfiles(30, {"app/Dockerfile": 'FROM debian:12\nCMD ["app"]\n', "compose.yaml": compose}))
    result = lint_tree(tmp_path, select=["TST004", "DC122", "DF101"], jobs=1, rules=registry_with(count))
    assert len(alive_counts) == 31
    # The built Dockerfile is linted first and kept; each other one is gone before the next
    # (the hygiene rules' one-build cache may hold the previous one).
    assert alive_counts[0] == 0 and max(alive_counts[1:]) <= 2, alive_counts
    # ... and what the kept one is for still works: the service is judged against its image,
    # and DF101 names the service that runs it.
    assert [(f.rule_id, f.path) for f in result.findings if f.rule_id == "DC122"] == [("DC122", "compose.yaml")]
    df101 = [f for f in result.findings if f.rule_id == "DF101" and f.path == "app/Dockerfile"]
    assert len(df101) == 1 and "'app'" in df101[0].message


def test_findings_carry_their_source_lines(tmp_path: Path) -> None:
    """Reporters show a finding's lines without the file's text being kept."""
    write_tree(
        tmp_path,
        {
            "Dockerfile": "FROM debian:12\nRUN echo a \\\n && echo b \\\n && echo c \\\n"
            " && echo d \\\n && echo e\nUSER root\n"
        },
    )
    result: Result = lint_tree(tmp_path, select=["DF101"])
    (f,) = result.findings
    assert f.lines == ("USER root",) and f.snippet == "root"
    assert result.files == []  # no fix: no text handed on
    code, out = run_cli(tmp_path, "--select", "DF101", "--show-source", ".")
    assert code == 1 and "7 | USER root" in out and "^^^^" in out


def test_jobs_must_not_be_negative(tmp_path: Path) -> None:
    write_tree(tmp_path, {"Dockerfile": "FROM debian:12\n"})
    code, _ = run_cli(tmp_path, "--jobs", "-1", ".")
    assert code == 2


def test_engine_option_defaults_to_one_process() -> None:
    assert Options().jobs == 1 and Engine(registry_with(), Options()).options.jobs == 1


def test_a_linted_dockerfile_is_freed_without_waiting_for_the_garbage_collector(tmp_path: Path) -> None:
    """No reference cycle keeps a parsed Dockerfile (or its parser) alive: with the raised
    gc thresholds of the command line, such a cycle made memory grow with every file."""
    write_tree(
        tmp_path,
        {
            "Dockerfile": "FROM debian:12 AS b\nRUN apt-get update && apt-get install -y curl\n"
            "RUN <<EOF\nset -e\necho hi\nEOF\nFROM b\nUSER root\n"
        },
    )
    lint_tree(tmp_path)  # imports and caches first
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        result = lint_tree(tmp_path)
        gc.collect()
        names = {type(o).__name__ for o in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert [f.rule_id for f in result.findings] == ["DF101"]
    assert not names & {"_Parser", "RunScripts", "ImageBuild", "Instruction", "Span", "Script"}, names
