"""The pre-commit hook: the manifest agrees with discovery, and the hook really runs.

The ``try-repo`` tests run the real ``pre-commit`` (from the ``test`` extra): it builds
the hook's virtualenv with ``pip install .`` of this repository, so the first run needs
PyPI (or the configured index) for dockerlint's dependencies and takes a minute or
more. They are never skipped; the subprocess timeouts are generous instead.

``pre-commit try-repo <local dir>`` only sees what git tracks ("will clone any tracked
uncommitted changes"): untracked new files would be missing. So the tests snapshot
the working tree as it is (tracked and untracked, minus ignored files) into a
throw-away git repository with one commit, and try that.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from regen_script import regen

from dockerlint import discovery

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
INSTALL_TIMEOUT = 1200  # seconds: the first run creates the hook's virtualenv
RUN_TIMEOUT = 600


@functools.cache
def _hook() -> dict[str, Any]:
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "dockerlint"]
    assert isinstance(hook, dict)
    return hook


# -- the manifest --------------------------------------------------------------------


def test_manifest_fields() -> None:
    hook = _hook()
    assert hook["entry"] == "dockerlint"
    assert hook["language"] == "python"
    assert hook["require_serial"] is True
    assert re.fullmatch(r"\d+\.\d+\.\d+", hook["minimum_pre_commit_version"])
    assert "types" not in hook and "types_or" not in hook  # identify has no tags for most of our files


def test_manifest_is_valid_for_pre_commit() -> None:
    proc = subprocess.run(
        [_pre_commit(), "validate-manifest", str(MANIFEST)],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- the project's own .pre-commit-config.yaml ---------------------------------------------

PROJECT_CONFIG = ROOT / ".pre-commit-config.yaml"


def test_project_config_is_valid_for_pre_commit() -> None:
    proc = subprocess.run(
        [_pre_commit(), "validate-config", str(PROJECT_CONFIG)],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_project_config_hooks() -> None:
    """Local hooks with the dev virtualenv's tools; dockerlint selects files as the published hook
    does, minus fixtures/, tests/ and the fuzz seeds (their files fire on purpose)."""
    (repo,) = yaml.safe_load(PROJECT_CONFIG.read_text(encoding="utf-8"))["repos"]
    assert repo["repo"] == "local"
    hooks = {h["id"]: h for h in repo["hooks"]}
    assert set(hooks) >= {"ruff", "mypy", "lint-imports", "dockerlint"}
    assert all(h["language"] == "system" for h in hooks.values())
    assert hooks["mypy"]["pass_filenames"] is False and hooks["lint-imports"]["pass_filenames"] is False
    mine, published = hooks["dockerlint"], _hook()
    assert mine["entry"] == published["entry"] and mine["require_serial"] is True
    assert mine["files"] == published["files"]
    assert published["exclude"].startswith("(?i)")
    assert mine["exclude"] == "^(fixtures|tests|fuzz/corpus)/|(?i:" + published["exclude"][len("(?i)") :] + ")"
    exclude = re.compile(mine["exclude"])
    for path in (
        "fixtures/DC101/fire/compose.yaml",
        "tests/data/x/Dockerfile",
        "fuzz/corpus/makefile",
        "Dockerfile.TEMPLATE",
    ):
        assert exclude.search(path), path
    for path in ("Dockerfile", "deploy/compose.yaml", "docs/fixtures/Dockerfile"):
        assert not exclude.search(path), path


def test_files_is_discovery_pattern() -> None:
    assert _hook()["files"] == discovery.PRE_COMMIT_FILES, regen.stale_message("precommit")


def test_exclude_mirrors_non_dockerfile_suffixes() -> None:
    suffixes = "|".join(re.escape(s.lstrip(".")) for s in discovery._NOT_DOCKERFILE_SUFFIXES)
    assert _hook()["exclude"] == rf"(?i)\.({suffixes})$", regen.stale_message("precommit")


def test_the_script_writes_what_the_manifests_hold() -> None:
    """``scripts/regenerate.py --only precommit`` makes both files as they are (their patterns
    from discovery), and puts a changed pattern in the dockerlint hook's lines only."""
    made = regen.precommit(ROOT)
    assert made == {
        name: (ROOT / name).read_text(encoding="utf-8")
        for name in (".pre-commit-hooks.yaml", ".pre-commit-config.yaml")
    }, regen.stale_message("precommit")
    text = "- id: other\n  files: 'x'\n- id: dockerlint\n  files: 'old'\n  exclude: 'a''b'\n"
    assert regen._replace_hook_key(text, "dockerlint", "exclude", "it's") == (
        "- id: other\n  files: 'x'\n- id: dockerlint\n  files: 'old'\n  exclude: 'it''s'\n"
    )


def _selected(path: str) -> bool:
    """Would pre-commit pass ``path`` to the hook? (``files`` AND NOT ``exclude``, both re.search)."""
    files, exclude = _patterns()
    return bool(files.search(path)) and not exclude.search(path)


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return re.compile(_hook()["files"]), re.compile(_hook()["exclude"])


def _dockerlint_takes(path: str) -> bool:
    """Would ``dockerlint`` pick ``path`` up when walking a tree (by name, or to decide by content:
    a unit, a YAML file that may be a Compose file)?"""
    return discovery.classify_name(path) is not None or discovery.content_decides(path)


SAMPLES = [
    "Dockerfile",
    "Containerfile",
    "sub/Dockerfile",
    "a b/Dockerfile.dev",
    "Dockerfile-prod",
    "Dockerfile.prod.arm64",
    "app.Dockerfile",
    "x/app.dockerfile",
    "build.Containerfile",
    "build.containerfile",
    "dockerfile",
    "Dockerfile.template",
    "Dockerfile.MD",
    "Dockerfile.j2",
    "app.Dockerfile.dockerignore",
    "Dockerfile.dockerignore",
    ".dockerignore",
    "Dockerfile.bak",
    "compose.yaml",
    "compose.yml",
    "compose.override.yaml",
    "docker-compose.yml",
    "docker-compose.prod.yaml",
    "deploy/docker-compose-ci.yml",
    "compose.yaml.bak",
    "mycompose.yaml",
    "values.yaml",
    "daemon.json",
    "etc/docker/daemon.json",
    "my-daemon.json",
    "prod.daemon.json",
    "daemon.json5",
    "package.json",
    "docker.service",
    "docker.socket",
    "lib/systemd/docker-tcp.socket",
    "nginx.service",
    "containerd.service",
    "docker.service.d/override.conf",
    "etc/systemd/system/docker.service.d/http-proxy.conf",
    "x.socket.d/listen.conf",
    "docker.service.d/readme.txt",
    "conf.d/x.conf",
    "données/Dockerfile",
    "README.md",
    "setup.py",
    ".docker/config.json",
    "home/me/.docker/config.json",
    "config.json",
    "app/config.json",
    "myconfig.json",
    "config.json.bak",
    ".docker/contexts/meta/0a1b/meta.json",
    "contexts/meta/0a1b/meta.json",
    "meta.json",
    "Jenkinsfile",
    "ci/Jenkinsfile",
    "Jenkinsfile.release",
    "deploy.jenkinsfile",
    "Jenkinsfile.md",
    "Jenkinsfile.bak",
    "jenkinsfile",
    "Jenkinsfile-old",
    "x.Jenkinsfile",
]


@pytest.mark.parametrize("path", SAMPLES)
def test_hook_selects_what_dockerlint_takes(path: str) -> None:
    assert _selected(path) == _dockerlint_takes(path), path


def test_hook_selection_exhaustive() -> None:
    dirs = ["", "sub/", "a b/", "docker.service.d/", "x.socket.d/", "docker.service.d.bak/"]
    stems = [
        "Dockerfile",
        "Containerfile",
        "dockerfile",
        "compose",
        "docker-compose",
        "daemon",
        "my-daemon",
        "app",
        "docker",
        "x",
        "my_daemon",
        "Jenkinsfile",
    ]
    suffixes = [
        "",
        ".dev",
        "-prod",
        ".yaml",
        ".yml",
        ".json",
        ".service",
        ".socket",
        ".conf",
        ".template",
        ".MD",
        ".Dockerfile",
        ".dockerfile",
        ".containerfile",
        ".Containerfile",
        ".bak",
        ".dockerignore",
        ".Jinja2",
        ".jenkinsfile",
    ]
    for d, stem, s1, s2 in itertools.product(dirs, stems, suffixes, suffixes):
        path = f"{d}{stem}{s1}{s2}"
        assert _selected(path) == _dockerlint_takes(path), path


# -- the hook, for real ----------------------------------------------------------------


def _pre_commit() -> str:
    exe = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which("pre-commit")
    if exe is None:
        pytest.fail("pre-commit is not installed: pip install -e '.[test]'")
    return exe


def _git() -> str:
    exe = shutil.which("git")
    if exe is None:
        pytest.fail("git is needed to test the pre-commit hook")
    return exe


def _run(
    cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = RUN_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, text=True, capture_output=True, timeout=timeout, check=False)


@pytest.fixture(scope="session")
def precommit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment isolated from the user's git and pre-commit set-up, shared by the session."""
    base = tmp_path_factory.mktemp("pre-commit-env")
    gitconfig = base / "gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = dockerlint tests\n\temail = tests@dockerlint.invalid\n"
        "[commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n",
        encoding="utf-8",
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GIT_", "PRE_COMMIT")) and k not in ("SKIP", "NO_COLOR", "FORCE_COLOR")
    }
    env.update(PRE_COMMIT_HOME=str(base / "cache"), GIT_CONFIG_GLOBAL=str(gitconfig), GIT_CONFIG_NOSYSTEM="1")
    return env


def _working_tree_files() -> list[str]:
    """The repository's files as they are now: tracked and untracked, minus git-ignored."""
    if (ROOT / ".git").exists() and shutil.which("git"):
        out = subprocess.run(
            [_git(), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        return sorted(p for p in out.split("\0") if p and (ROOT / p).is_file())
    files = []  # not a git checkout (an sdist): take everything but caches
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in discovery.SKIP_DIRS and not d.endswith(".egg-info")]
        files += [os.path.relpath(os.path.join(dirpath, f), ROOT).replace(os.sep, "/") for f in filenames]
    return sorted(files)


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, precommit_env: dict[str, str]) -> Path:
    """A one-commit snapshot of this working tree (so pre-commit sees uncommitted and new files)."""
    repo = tmp_path_factory.mktemp("hook-repo")
    for rel in _working_tree_files():
        dest = repo / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest)
    assert (repo / ".pre-commit-hooks.yaml").is_file()
    git = _git()
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "snapshot"]):
        proc = _run([git, *cmd], repo, precommit_env)
        assert proc.returncode == 0, proc.stderr
    return repo


@pytest.fixture(scope="session")
def try_repo(hook_repo: Path, precommit_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """``try_repo({"Dockerfile": text})``: run the hook on a fresh git repo holding those files."""
    counter = itertools.count()

    def run(files: dict[str, str | bytes]) -> subprocess.CompletedProcess[str]:
        target = tmp_path_factory.mktemp(f"target-{next(counter)}")
        git = _git()
        assert _run([git, "init", "-q"], target, precommit_env).returncode == 0
        for rel, content in files.items():
            p = target / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                p.write_bytes(content)
            else:
                p.write_text(content, encoding="utf-8")
        assert _run([git, "add", "-A"], target, precommit_env).returncode == 0
        cmd = [_pre_commit(), "try-repo", str(hook_repo), "dockerlint", "--all-files", "--verbose", "--color", "never"]
        return _run(cmd, target, precommit_env, timeout=INSTALL_TIMEOUT)

    yield run


def _output(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit code {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"


def test_hook_fails_on_final_stage_root(try_repo: Any) -> None:
    # Needs the Dockerfile parser and DF101 (final stage with no USER: reported at its FROM).
    proc = try_repo({"Dockerfile": 'FROM debian:12\nRUN echo hello\nCMD ["/app"]\n', "README.md": "not linted\n"})
    out = _output(proc)
    assert proc.returncode == 1, out
    assert re.search(r"^dockerlint\.+Failed$", proc.stdout, re.MULTILINE), out
    assert re.search(r"^Dockerfile:1:\d+: DF101 high ", proc.stdout, re.MULTILINE), out
    assert "README.md" not in proc.stdout.split("Failed", 1)[1], out


def test_hook_passes_on_clean_dockerfile(try_repo: Any) -> None:
    proc = try_repo({"Dockerfile": "FROM debian:12\nUSER 1000\n"})
    out = _output(proc)
    assert proc.returncode == 0, out
    assert re.search(r"^dockerlint\.+Passed$", proc.stdout, re.MULTILINE), out
    assert "No findings in 1 file." in proc.stdout, out


def test_hook_fails_on_undecodable_dockerfile(try_repo: Any) -> None:
    # Rejected before parsing: works whichever parsers exist.
    proc = try_repo({"sub dir/Dockerfile": b"FROM debian:12\n\xff\xfe\x00\n"})
    out = _output(proc)
    assert proc.returncode == 1, out
    assert re.search(r"^dockerlint\.+Failed$", proc.stdout, re.MULTILINE), out
    assert re.search(r"^sub dir/Dockerfile:1:1: DF000 error ", proc.stdout, re.MULTILINE), out


def test_hook_lints_compose_files_found_by_content(try_repo: Any) -> None:
    proc = try_repo(
        {
            "Dockerfile": "FROM debian:12\nUSER 1000\n",
            "deploy/stack.yml": "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n",
            "config/app.yml": "debug: true\nservices:\n  - auth\n",
            ".github/dependabot.yml": "version: 2\nupdates: []\n",
        }
    )
    out = _output(proc)
    assert proc.returncode == 1, out
    assert re.search(r"^deploy/stack\.yml:4:5: DC102 critical ", proc.stdout, re.MULTILINE), out
    assert "app.yml" not in proc.stdout.split("Failed", 1)[1] and "warning" not in proc.stdout, out


def test_hook_keeps_other_yaml_silent(try_repo: Any) -> None:
    proc = try_repo(
        {
            "Dockerfile": "FROM debian:12\nUSER 1000\n",
            "config/app.yml": "debug: true\n",
            "k8s/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
        }
    )
    out = _output(proc)
    assert proc.returncode == 0, out
    assert re.search(r"^dockerlint\.+Passed$", proc.stdout, re.MULTILINE), out
    assert "No findings in 1 file." in proc.stdout and "warning" not in proc.stdout, out
