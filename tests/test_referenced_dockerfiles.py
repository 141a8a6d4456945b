"""Dockerfiles of any name that a Compose build or a ``docker build -f`` line of the scan names
are linted, once, at exact positions, with the build links (DC122, DF101's services, DF106 /
DC118's images built in the scan); references out of the tree are not followed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_helpers import run
from dockerlint.core import parallel
from dockerlint.core.engine import Engine
from dockerlint.core.options import Options
from dockerlint.util import containment
from helpers import lint_tree, registry, write_tree

ROOT_DOCKERFILE = 'FROM debian:12\nRUN curl -k https://example.com/x.tgz -o /x.tgz\nCMD ["app"]\n'
COMPOSE_ODD = """\
services:
  app:
    build:
      context: .
      dockerfile: build/app.docker
    image: acme/app:1.0
"""


def findings_of(result, rule_id: str) -> list[tuple[str, int, int]]:
    return [(f.path, f.span.line, f.span.col) for f in result.findings if f.rule_id == rule_id]


# -- Compose builds -------------------------------------------------------------------------------


def test_a_compose_build_lints_its_oddly_named_dockerfile_at_exact_positions(tmp_path: Path) -> None:
    write_tree(tmp_path, {"compose.yaml": COMPOSE_ODD, "build/app.docker": ROOT_DOCKERFILE})
    result = lint_tree(tmp_path, select=["DF101", "DF105", "DC122"])
    assert not result.internal_errors
    assert findings_of(result, "DF105") == [("build/app.docker", 2, 10)]
    assert findings_of(result, "DF101") == [("build/app.docker", 1, 6)]
    # The build links work as for a Dockerfile found by name: the service runs its image ...
    (dc122,) = [f for f in result.findings if f.rule_id == "DC122"]
    assert (dc122.path, dc122.span.line, dc122.span.col) == ("compose.yaml", 3, 5)
    assert "'build/app.docker'" in dc122.message
    # ... and DF101 names the service that runs it.
    (df101,) = [f for f in result.findings if f.rule_id == "DF101"]
    assert "service 'app' (compose.yaml)" in df101.message
    assert result.files_checked == 2


def test_the_dockerfile_is_relative_to_the_context_and_the_context_to_the_compose_file(tmp_path: Path) -> None:
    compose = "services:\n  api:\n    build:\n      context: ../src\n      dockerfile: ../docker/prod.df\n"
    write_tree(
        tmp_path,
        {
            "deploy/compose.yaml": compose,
            "docker/prod.df": ROOT_DOCKERFILE,
            "src/prod.df": "FROM scratch\n",
            "deploy/docker/prod.df": "FROM scratch\n",
        },
    )
    result = lint_tree(tmp_path, select=["DF105"])
    assert findings_of(result, "DF105") == [("docker/prod.df", 2, 10)]
    assert result.files_checked == 2  # the two decoys are not referenced


def test_a_dockerfile_found_by_name_and_referenced_is_linted_once(tmp_path: Path) -> None:
    compose = (
        "services:\n  a:\n    build: {context: ., dockerfile: Dockerfile.prod}\n"
        "  b:\n    build: {context: ., dockerfile: ./sub/../Dockerfile.prod}\n"
    )
    script = "#!/bin/sh\ndocker build -f Dockerfile.prod -t acme/a .\ndocker build --file=./Dockerfile.prod .\n"
    write_tree(tmp_path, {"compose.yaml": compose, "Dockerfile.prod": ROOT_DOCKERFILE, "build.sh": script})
    result = lint_tree(tmp_path, select=["DF105"])
    assert findings_of(result, "DF105") == [("Dockerfile.prod", 2, 10)]
    assert result.files_checked == 3


def test_an_oddly_named_dockerfile_referenced_many_times_is_linted_once(tmp_path: Path) -> None:
    compose = (
        "services:\n  a:\n    build: {context: ., dockerfile: build/app.docker}\n"
        "  b:\n    build: {context: build, dockerfile: app.docker}\n"
        "  c:\n    build: {context: ., dockerfile: alias/app.docker}\n"
    )
    script = "#!/bin/sh\ndocker build -f build/app.docker .\ndocker build -f ./build/app.docker -t acme/x .\n"
    write_tree(tmp_path, {"compose.yaml": compose, "build/app.docker": ROOT_DOCKERFILE, "build.sh": script})
    os.symlink("build", tmp_path / "alias")  # another path to the same file
    result = lint_tree(tmp_path, select=["DF105", "DC122"])
    assert findings_of(result, "DF105") == [("build/app.docker", 2, 10)]
    assert result.files_checked == 3
    # Each service is linked to the one linted file, whichever path names it.
    assert findings_of(result, "DC122") == [("compose.yaml", 3, 5), ("compose.yaml", 5, 5), ("compose.yaml", 7, 5)]


def test_a_build_naming_a_dockerfile_found_by_name_through_a_link_is_linked_to_it(tmp_path: Path) -> None:
    compose = "services:\n  a:\n    build: {context: ., dockerfile: current/Dockerfile}\n"
    write_tree(tmp_path, {"compose.yaml": compose, "releases/v2/Dockerfile": ROOT_DOCKERFILE})
    os.symlink("releases/v2", tmp_path / "current")  # the walk does not enter linked folders
    result = lint_tree(tmp_path, select=["DF105", "DC122"])
    assert findings_of(result, "DF105") == [("releases/v2/Dockerfile", 2, 10)]
    assert findings_of(result, "DC122") == [("compose.yaml", 3, 5)]


# -- build command lines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "docker build -f ci/Buildfile .",
        "docker buildx build --platform linux/amd64 -f ci/Buildfile .",
        "docker image build --file=ci/Buildfile .",
        "podman build --file ci/Buildfile .",
        "nerdctl build -fci/Buildfile .",
        "sudo docker build -f ci/Buildfile -t acme/ci:1 .",
    ],
)
def test_a_build_line_lints_the_dockerfile_it_names(tmp_path: Path, line: str) -> None:
    write_tree(tmp_path, {"scripts/ci.sh": f"#!/bin/sh\nset -eu\n{line}\n", "ci/Buildfile": ROOT_DOCKERFILE})
    result = lint_tree(tmp_path, select=["DF105"])
    assert findings_of(result, "DF105") == [("ci/Buildfile", 2, 10)]
    assert result.files_checked == 2


def test_makefiles_and_ci_files_name_dockerfiles_too(tmp_path: Path) -> None:
    makefile = "image:\n\tdocker build -f docker/prod.df -t acme/app:1 .\n"
    workflow = (
        "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: docker build --file ci/Buildfile .\n"
    )
    gitlab = "build:\n  script:\n    - podman build -f ci/other.df .\n"
    write_tree(
        tmp_path,
        {
            "app/Makefile": makefile,
            "app/docker/prod.df": ROOT_DOCKERFILE,
            ".github/workflows/ci.yml": workflow,
            "ci/Buildfile": ROOT_DOCKERFILE,
            ".gitlab-ci.yml": gitlab,
            "ci/other.df": ROOT_DOCKERFILE,
        },
    )
    result = lint_tree(tmp_path, select=["DF105"])
    # make runs a recipe in the Makefile's folder; CI jobs run at the top of the repository.
    assert findings_of(result, "DF105") == [
        ("app/docker/prod.df", 2, 10),
        ("ci/Buildfile", 2, 10),
        ("ci/other.df", 2, 10),
    ]


def test_a_docker_run_of_an_image_built_from_an_oddly_named_dockerfile_is_judged_by_it(tmp_path: Path) -> None:
    script = "#!/bin/sh\ndocker build -t acme/api:test -f docker/api.df .\ndocker run --rm acme/api:test\n"
    write_tree(tmp_path, {"run.sh": script, "docker/api.df": 'FROM python:3.12-slim\nCMD ["api"]\n'})
    result = lint_tree(tmp_path, select=["DC122", "DF101"])
    (dc122,) = [f for f in result.findings if f.rule_id == "DC122"]
    assert (dc122.path, dc122.span.line) == ("run.sh", 3) and "'docker/api.df'" in dc122.message
    assert findings_of(result, "DF101") == [("docker/api.df", 1, 6)]


def test_images_built_from_oddly_named_dockerfiles_are_not_pulled(tmp_path: Path) -> None:
    """DF106 / DC118: the base image is built in the scan (by a Compose service whose
    Dockerfile has an odd name), so FROM acme/base in another odd one is not a pull."""
    compose = (
        "services:\n  base:\n    build: {context: ., dockerfile: docker/base.df}\n    image: acme/base\n"
        "  app:\n    build: {context: ., dockerfile: docker/app.df}\n    image: acme/app:1.0\n"
        "  worker:\n    image: acme/base\n"
    )
    write_tree(
        tmp_path,
        {
            "compose.yaml": compose,
            "docker/base.df": "FROM debian:12\nUSER 1000\n",
            "docker/app.df": "FROM acme/base\nUSER 1000\n",
        },
    )
    result = lint_tree(tmp_path, select=["DF106", "DC118", "DF101"])
    assert not result.findings, [(f.rule_id, f.path, f.message) for f in result.findings]
    assert result.files_checked == 3
    # The same FROM, with nothing in the scan building acme/base, is a pull.
    (tmp_path / "compose.yaml").write_text(
        "services:\n  app:\n    build: {context: ., dockerfile: docker/app.df}\n", encoding="utf-8"
    )
    result = lint_tree(tmp_path, select=["DF106"])
    assert findings_of(result, "DF106") == [("docker/app.df", 1, 6)]


# -- the tree -----------------------------------------------------------------------------------------


def test_references_out_of_the_tree_are_not_followed_and_not_looked_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    tree = tmp_path / "tree"
    write_tree(outside, {"app.docker": ROOT_DOCKERFILE})
    compose = (
        "services:\n  a:\n    build: {context: ., dockerfile: ../outside/app.docker}\n"
        f"  b:\n    build: {{context: ., dockerfile: {outside / 'app.docker'}}}\n"
        "  c:\n    build: {context: ../outside, dockerfile: app.docker}\n"
    )
    script = f"#!/bin/sh\ndocker build -f ../outside/app.docker .\ndocker build -f {outside}/app.docker .\n"
    write_tree(tree, {"compose.yaml": compose, "build.sh": script})
    looked: list[str] = []
    real_inside, real_stat = containment.inside, os.stat

    def spy_inside(path: str, dirs: object) -> bool:
        looked.append(path)
        return real_inside(path, dirs)  # type: ignore[arg-type]

    def spy_stat(path: object, *a: object, **kw: object) -> os.stat_result:
        looked.append(os.fspath(path))  # type: ignore[arg-type]
        return real_stat(path, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(containment, "inside", spy_inside)
    monkeypatch.setattr(os, "stat", spy_stat)
    result = lint_tree(tree, select=["DF105", "DF101"])
    monkeypatch.undo()
    assert result.files_checked == 2 and not result.findings and not result.internal_errors
    assert not [p for p in looked if "outside" in p]  # rejected on the text alone


def test_a_link_in_the_tree_that_leads_out_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    tree = tmp_path / "tree"
    write_tree(outside, {"secret": ROOT_DOCKERFILE})
    write_tree(
        tree,
        {
            "compose.yaml": "services:\n  a:\n    build: {context: ., dockerfile: build/app.docker}\n"
            "  b:\n    build: {context: ., dockerfile: dir/app.docker}\n"
        },
    )
    (tree / "build").mkdir()
    os.symlink(outside / "secret", tree / "build" / "app.docker")
    os.symlink(outside, tree / "dir")
    (outside / "app.docker").write_text(ROOT_DOCKERFILE, encoding="utf-8")
    result = lint_tree(tree, select=["DF105", "DF101", "DF000"])
    assert result.files_checked == 1 and not result.findings and not result.internal_errors


def test_a_link_in_the_tree_that_stays_in_it_is_followed(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  a:\n    build: {context: ., dockerfile: current.df}\n",
            "releases/v2.df": ROOT_DOCKERFILE,
        },
    )
    os.symlink("releases/v2.df", tmp_path / "current.df")
    result = lint_tree(tmp_path, select=["DF105"])
    assert findings_of(result, "DF105") == [("current.df", 2, 10)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_references_to_what_is_not_a_regular_file_or_missing_are_skipped(tmp_path: Path) -> None:
    compose = (
        "services:\n  a:\n    build: {context: ., dockerfile: pipe.docker}\n"
        "  b:\n    build: {context: ., dockerfile: folder.docker}\n"
        "  c:\n    build: {context: ., dockerfile: missing.docker}\n"
    )
    write_tree(tmp_path, {"compose.yaml": compose, "folder.docker/x": "FROM scratch\n"})
    os.mkfifo(tmp_path / "pipe.docker")
    result = lint_tree(tmp_path, select=["DF000", "DF101"])  # and it never blocks on the FIFO
    assert result.files_checked == 1 and result.io_errors == 0 and not result.internal_errors
    assert not [f for f in result.findings if f.rule_id.startswith("DF")]


def test_excluded_files_stay_excluded_when_referenced(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": COMPOSE_ODD,
            "build/app.docker": ROOT_DOCKERFILE,
            "ci.sh": "docker build -f ci/Buildfile .\n",
            "ci/Buildfile": ROOT_DOCKERFILE,
        },
    )
    for argv, expect in (
        (["--exclude", "build/"], ["ci/Buildfile"]),
        (["--exclude", "*.docker"], ["ci/Buildfile"]),
        (["--exclude", "ci"], ["build/app.docker"]),
        ([], ["build/app.docker", "ci/Buildfile"]),
    ):
        code, out, err = run(["--select", "DF105", "-q", "--no-color", *argv, "."], tmp_path)
        assert code == 1, err
        assert [line.split(":")[0] for line in out.splitlines()[:-1]] == expect, (argv, out)
    (tmp_path / ".dockerlint.toml").write_text('exclude = ["build/*.docker"]\n', encoding="utf-8")
    code, out, _ = run(["--select", "DF105", "-q", "--no-color", "."], tmp_path)
    assert [line.split(":")[0] for line in out.splitlines()[:-1]] == ["ci/Buildfile"]


# -- the command line: named files, --kind, pre-commit ------------------------------------------------


def test_a_named_compose_file_brings_its_dockerfile_as_pre_commit_would(tmp_path: Path) -> None:
    """pre-commit passes the changed files that match the hook's pattern; build/app.docker
    does not, but the Compose file that builds it does."""
    write_tree(tmp_path, {"compose.yaml": COMPOSE_ODD, "build/app.docker": ROOT_DOCKERFILE})
    code, out, _ = run(["--select", "DF105,DC122", "-q", "--no-color", "compose.yaml"], tmp_path)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 3 and lines[2] == "Found 2 findings in 2 files (1 high, 1 medium)."
    assert lines[0].startswith("build/app.docker:2:10: DF105 high curl -k ")
    assert lines[1].startswith("compose.yaml:3:5: DC122 medium service 'app' ")


def test_named_files_bring_only_what_lies_in_their_folders(tmp_path: Path) -> None:
    """The documented limit: named files make the tree (their folders), and a reference is
    followed only inside it."""
    compose = "services:\n  app:\n    build: {context: .., dockerfile: build/app.docker}\n"
    write_tree(
        tmp_path,
        {
            "deploy/compose.yaml": compose,
            "build/app.docker": ROOT_DOCKERFILE,
            "Dockerfile": "FROM debian:12\nUSER 1000\n",
        },
    )
    code, out, _ = run(["--select", "DF105", "-q", "--no-color", "deploy/compose.yaml"], tmp_path)
    assert (code, out) == (0, "No findings in 1 file.\n")
    code, out, _ = run(["--select", "DF105", "-q", "--no-color", "deploy/compose.yaml", "Dockerfile"], tmp_path)
    assert code == 1 and out.startswith("build/app.docker:2:10: DF105 ")


def test_a_named_dockerfile_of_any_name_is_linted_by_content_or_with_kind(tmp_path: Path) -> None:
    """The hook's second entry for such files (README, pre-commit): named, they are linted."""
    write_tree(
        tmp_path,
        {"build/app.docker": ROOT_DOCKERFILE, "ci/Buildfile": "# syntax=docker/dockerfile:1\n" + ROOT_DOCKERFILE},
    )
    for argv in (["build/app.docker", "ci/Buildfile"], ["--kind", "dockerfile", "build/app.docker", "ci/Buildfile"]):
        code, out, _ = run(["--select", "DF105", "-q", "--no-color", *argv], tmp_path)
        assert code == 1
        assert [line.split(": DF105")[0] for line in out.splitlines()[:-1]] == [
            "build/app.docker:2:10",
            "ci/Buildfile:3:10",
        ]


def test_kind_does_not_change_what_a_referenced_file_is(tmp_path: Path) -> None:
    write_tree(tmp_path, {"stack": COMPOSE_ODD, "build/app.docker": ROOT_DOCKERFILE})
    code, out, err = run(["--select", "DF105,DC000,DF000", "-q", "--no-color", "--kind", "compose", "stack"], tmp_path)
    assert code == 1, err
    assert out.splitlines()[0].startswith("build/app.docker:2:10: DF105 high ")
    assert "DC000" not in out and "DF000" not in out


# -- the engine: order of work, processes, cost ------------------------------------------------------------


def _tree_with_references(root: Path) -> None:
    files: dict[str, str | bytes] = {
        f"svc{k:03d}/Dockerfile": f"FROM debian:12\nRUN echo {k}\nUSER {k % 3}\n" for k in range(40)
    }
    for k in range(6):
        files[f"svc{k:03d}/build.sh"] = f"#!/bin/sh\ndocker build -f ../odd/late{k}.df .\n"
        files[f"odd/late{k}.df"] = f"FROM alpine\nRUN wget --no-check-certificate https://e.com/{k}\n"
    files["compose.yaml"] = "services:\n" + "".join(
        f"  s{k}:\n    build: {{context: ., dockerfile: odd/early{k}.df}}\n    image: acme/s{k}\n" for k in range(4)
    )
    for k in range(4):
        files[f"odd/early{k}.df"] = f"FROM acme/s{(k + 1) % 4}\nRUN curl -k https://e.com/{k}\n"
    write_tree(root, files)


@pytest.mark.skipif(not parallel.available(), reason="worker processes need fork (POSIX)")
@pytest.mark.parametrize("fmt", ["json", "sarif", "text"])
def test_output_is_the_same_whatever_the_number_of_workers(tmp_path: Path, fmt: str) -> None:
    _tree_with_references(tmp_path)
    outputs = {jobs: run(["--no-color", "--format", fmt, "--jobs", str(jobs), "."], tmp_path) for jobs in (1, 2)}
    assert outputs[1][0] == 1 and "odd/late5.df" in outputs[1][1] and "odd/early3.df" in outputs[1][1]
    assert outputs[2] == outputs[1]


def test_referenced_dockerfiles_are_known_before_dockerfiles_are_streamed(tmp_path: Path) -> None:
    """Those a Compose build names are linted (and kept) before any other Dockerfile, so the
    services are judged against them; those only a tagless build line of a streamed script
    names come last, once that script has been read."""
    _tree_with_references(tmp_path)
    order: list[str] = []
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        from dockerlint.discovery import discover

        cands, _ = discover(["."])
        opts = Options(select=["DF105"], progress=lambda n, total, path: order.append(path))
        result = Engine(registry(), opts).run(cands)
    finally:
        os.chdir(old)
    dockerfiles = [p for p in order if p.endswith(("Dockerfile", ".df"))]
    assert dockerfiles[:4] == [f"odd/early{k}.df" for k in range(4)]
    assert dockerfiles[-6:] == [f"odd/late{k}.df" for k in range(6)]
    assert len(order) == len(set(order)) == 40 + 6 + 1 + 4 + 6
    assert len([f for f in result.findings if f.rule_id == "DF105"]) == 10


def test_a_run_without_references_never_imports_the_reference_lookup(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "Dockerfile": "FROM debian:12\nUSER 1000\n",
            "run.sh": "docker run --rm alpine:3.20 true\n",
            "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n",
        },
    )
    code = (
        "import sys, json\nfrom dockerlint.cli import main\nrc = main(['-q', '.'])\n"
        "print(json.dumps([rc, 'dockerlint.references' in sys.modules, "
        "'dockerlint.parsers.inline' in sys.modules]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    rc, imported, inline = json.loads(proc.stdout.strip().splitlines()[-1])
    assert rc in (0, 1) and imported is False and inline is False
    (tmp_path / "compose.yaml").write_text(COMPOSE_ODD, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert json.loads(proc.stdout.strip().splitlines()[-1])[1] is True


# -- GitHub Actions: docker/build-push-action -----------------------------------------------------------

BUILD_PUSH = """\
on: push
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/build-push-action@v6
        with:
          context: ./src
          file: ci/Buildfile
          tags: |
            registry.example.com/acme/app:ci
            ${{ steps.meta.outputs.tags }}
          push: false
      - run: docker run --rm registry.example.com/acme/app:ci pytest
"""


def test_a_build_push_action_step_names_its_dockerfile_and_builds_its_tags(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".github/workflows/ci.yml": BUILD_PUSH,
            "ci/Buildfile": ROOT_DOCKERFILE,
            "src/Buildfile": "FROM scratch\n",  # file: is not relative to the context
            "docker/test.df": "FROM registry.example.com/acme/app:ci\nUSER 1000\n",
            "Makefile": "test:\n\tdocker build -f docker/test.df .\n",
        },
    )
    result = lint_tree(tmp_path, select=["DF105", "DC122", "DF106"])
    assert not result.internal_errors
    assert findings_of(result, "DF105") == [("ci/Buildfile", 2, 10)]
    # The run step judged by the image the action builds; its tag is not pulled elsewhere.
    (dc122,) = [f for f in result.findings if f.rule_id == "DC122"]
    assert (dc122.path, dc122.span.line) == (".github/workflows/ci.yml", 15) and "'ci/Buildfile'" in dc122.message
    assert findings_of(result, "DF106") == []
    assert result.files_checked == 4


@pytest.mark.parametrize(
    ("inputs", "linted"),
    [
        ("context: ./src\n          tags: acme/app:1", "src/Dockerfile"),  # {context}/Dockerfile
        ("tags: acme/app:1", "Dockerfile"),  # the Git context: the repository's Dockerfile
        (
            "context: https://github.com/acme/app.git#main\n          file: ci/Buildfile\n          tags: acme/app:1",
            None,
        ),
        ("file: ${{ matrix.dockerfile }}\n          tags: acme/app:1", None),
    ],
)
def test_build_push_action_defaults(tmp_path: Path, inputs: str, linted: str | None) -> None:
    wf = (
        "on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n"
        f"      - uses: docker/build-push-action@v6\n        with:\n          {inputs}\n"
    )
    write_tree(
        tmp_path,
        {
            ".github/workflows/ci.yml": wf,
            "ci/Buildfile": ROOT_DOCKERFILE,
            "src/Dockerfile": ROOT_DOCKERFILE,
            "Dockerfile": ROOT_DOCKERFILE,
        },
    )
    from dockerlint.models.container import BuiltImage
    from dockerlint.models.source import SourceFile
    from dockerlint.parsers import ci_github

    got = [
        m
        for m in ci_github.parse(SourceFile(".github/workflows/ci.yml", "github", wf)).models
        if isinstance(m, BuiltImage)
    ]
    assert [d for b in got for d in b.dockerfiles] == ([linted] if linted else [])
    result = lint_tree(tmp_path, select=["DF105"])
    assert [p for p, _, _ in findings_of(result, "DF105")] == ["Dockerfile", "src/Dockerfile"]  # ci/Buildfile: never


def test_fix_edits_a_referenced_dockerfile(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"compose.yaml": COMPOSE_ODD, "build/app.docker": "FROM alpine:3.20\nMAINTAINER a@example.com\nUSER 1000\n"},
    )
    code, out, _ = run(["--select", "DF221", "--diff", "--no-color", "."], tmp_path)
    assert code == 1 and "+++ b/build/app.docker" in out
    code, out, _ = run(["--select", "DF221", "--fix", "--no-color", "."], tmp_path)
    assert (code, out) == (0, "No findings in 2 files.\n")
    assert "MAINTAINER" not in (tmp_path / "build" / "app.docker").read_text(encoding="utf-8")
