"""CONTRIBUTING.md stays true: its "Adding a rule" example runs end to end in a copy of the
repository, the scaffold refuses what it must, and the regenerate command names what is stale.

The copy holds this working tree's files as they are (tracked and new ones), committed in a
throw-away git repository, so ``git status`` afterwards shows exactly what the example added.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from regen_script import regen

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "CONTRIBUTING.md"
# What the copy needs for the guide's commands and tests (not fuzz/, benchmarks/, .git).
COPIED = (
    "src",
    "rules",
    "fixtures",
    "tests",
    "scripts",
    "docs",
    ".ci",
    "README.md",
    "CHANGELOG.md",
    "CONTRIBUTING.md",
    "pyproject.toml",
    ".pre-commit-hooks.yaml",
    ".pre-commit-config.yaml",
    "action.yml",
    ".gitignore",  # a contributor's checkout has it: bytecode folders are not new files
)
# Files the scaffold's regenerate step may change besides the rule's own (generated ones).
GENERATED = {"README.md", "docs/coverage.md"}


def _load_new_rule() -> ModuleType:
    spec = importlib.util.spec_from_file_location("new_rule", ROOT / "scripts" / "new_rule.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


new_rule = _load_new_rule()


def section(title: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    return text.split(f"\n{title}\n", 1)[1].split("\n#", 1)[0]


def sh_blocks(text: str) -> list[list[str]]:
    return [[ln for ln in block.splitlines() if ln.strip()] for block in re.findall(r"```sh\n(.*?)```", text, re.S)]


def copy_repository(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", ".ruff_cache", ".pytest_cache", "logs")
    dest.mkdir()
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore, symlinks=True)
        elif src.is_file():
            shutil.copy2(src, dest / name)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "copy")
    return dest


def git(cwd: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=env, check=True)
    return proc.stdout


def python(cwd: Path, copy: Path, words: list[str], timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """``python ...`` / ``pytest ...`` run in ``cwd`` with the copy's dockerlint and tests."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCKERLINT_", "PYTEST_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(copy / "src"), str(copy / "tests")])
    if words[0] == "python":
        argv = [sys.executable, *words[1:]]
    else:
        assert words[0] == "pytest", words
        argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *words[1:]]
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, check=False)


def test_the_guides_example_adds_a_rule_with_three_hand_written_files(tmp_path: Path) -> None:
    (scaffold,), tests = sh_blocks(section("### 1. Scaffold"))
    words = shlex.split(scaffold)
    assert words[:2] == ["python", "scripts/new_rule.py"]
    rule_id, kind = words[2], words[words.index("--kind") + 1]
    copy = copy_repository(tmp_path / "repo")

    done = python(copy, copy, words)
    assert done.returncode == 0, done.stdout + done.stderr

    status = git(copy, "status", "--porcelain", "--untracked-files=normal").splitlines()
    new = sorted(line[3:] for line in status if line.startswith("?? "))
    assert new == [f"fixtures/{rule_id}/", f"rules/{rule_id}.md", f"src/dockerlint/rules/{kind}/{rule_id.lower()}.py"]
    changed = {line[3:] for line in status if not line.startswith("?? ")}
    assert "README.md" in changed and changed <= GENERATED, changed
    fixture_files = sorted(git(copy, "ls-files", "--others", f"fixtures/{rule_id}").split())
    inputs = [f for f in fixture_files if not f.endswith(("expected.txt", "expected.sarif.json"))]
    assert [f.split("/")[2] for f in inputs] == ["clean", "fire"]  # one hand-written input each
    assert len(fixture_files) == 6  # and the two goldens of each case, generated

    # The new rule fires on its fire fixture and not on its clean one.
    for case, code in (("fire", 1), ("clean", 0)):
        run = python(
            copy / "fixtures" / rule_id / case,
            copy,
            ["python", "-m", "dockerlint", "--select", rule_id, "--no-color", "."],
        )
        assert run.returncode == code, run.stdout + run.stderr
        assert (f" {rule_id} " in run.stdout) == (case == "fire"), run.stdout

    # The tests the guide names pass, none skipped, and they cover the new rule.
    assert tests and all(t.startswith("pytest ") for t in tests)
    for command in tests:
        run = python(copy, copy, shlex.split(command))
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
        assert " passed" in run.stdout and "skipped" not in run.stdout, run.stdout[-1000:]
    assert any(rule_id in t for t in tests)


def test_every_script_the_guide_names_exists() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    named = set(re.findall(r"scripts/[\w.-]+\.(?:py|sh)", text))
    assert {"scripts/new_rule.py", "scripts/regenerate.py", "scripts/findings_digest.py"} <= named
    assert all((ROOT / n).is_file() for n in named), named
    for link in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):  # relative links
        assert (ROOT / link).exists(), link
    assert not (ROOT / "docs" / "CONTRIBUTING-RULES.md").exists()
    assert "(CONTRIBUTING.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def _layout(root: Path) -> Path:
    for kind in new_rule.KINDS:
        (root / "src" / "dockerlint" / "rules" / kind / "optional").mkdir(parents=True)
    (root / "src" / "dockerlint" / "rules" / "container" / "dc101.py").write_text("# DC101\n", encoding="utf-8")
    (root / "rules").mkdir()
    return root


@pytest.mark.parametrize(
    ("argv", "why"),
    [
        (["DC101", "--kind", "container"], "DC101 exists already: src/dockerlint/rules/container/dc101.py"),
        (["dc150", "--kind", "container"], "not a rule id as the catalog writes them"),
        (["DC15", "--kind", "container"], "not a rule id as the catalog writes them"),
        (["DC1500", "--kind", "container"], "not a rule id as the catalog writes them"),
        (["DF150", "--kind", "container"], "a container rule's id starts with DC"),
        (["DD150", "--kind", "suppression"], "a suppression rule's id starts with DL"),
        (["DC000", "--kind", "container"], "ids ending in 000 are the parse errors"),
        (["DC150", "--kind", "container", "--name", "Bad_Name"], "not a rule name"),
    ],
)
def test_the_scaffold_refuses(argv: list[str], why: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _layout(tmp_path)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    name = [] if "--name" in argv else ["--name", "some-check"]
    code = new_rule.main([*argv, *name, "--severity", "low", "--root", str(root), "--no-regenerate"])
    assert code == 2 and why in capsys.readouterr().err
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before  # nothing written


def test_the_scaffold_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _layout(tmp_path)
    (root / "fixtures" / "DC150").mkdir(parents=True)
    args = ["DC150", "--kind", "container", "--name", "x", "--severity", "low", "--root", str(root), "--no-regenerate"]
    assert new_rule.main(args) == 2 and "DC150 exists already: fixtures/DC150" in capsys.readouterr().err
    assert not (root / "rules" / "DC150.md").exists()
    shutil.rmtree(root / "fixtures" / "DC150")
    (root / "rules" / "DC150.md").write_text("mine\n", encoding="utf-8")
    assert new_rule.main(args) == 2
    assert (root / "rules" / "DC150.md").read_text(encoding="utf-8") == "mine\n"
    # and between the check and the write, a file that appears is not overwritten either
    with pytest.raises(FileExistsError):
        new_rule.write_new(root, {"rules/DC150.md": "theirs\n"})
    assert (root / "rules" / "DC150.md").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("kind", sorted(new_rule.KINDS))
def test_the_scaffold_writes_the_three_files_of_each_kind(kind: str, tmp_path: Path) -> None:
    root = _layout(tmp_path)
    rule_id = new_rule.KINDS[kind].prefix + "250"
    args = [
        rule_id,
        "--kind",
        kind,
        "--name",
        "some-check",
        "--severity",
        "medium",
        "--optional",
        "--root",
        str(root),
        "--no-regenerate",
    ]
    assert new_rule.main(args) == 0
    made = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name != "dc101.py")
    where = new_rule.KINDS[kind].fire_file
    assert made == sorted(
        [
            f"src/dockerlint/rules/{kind}/optional/{rule_id.lower()}.py",
            f"rules/{rule_id}.md",
            f"fixtures/{rule_id}/fire/{where}",
            f"fixtures/{rule_id}/clean/{where}",
        ]
    )
    module = (root / "src" / "dockerlint" / "rules" / kind / "optional" / f"{rule_id.lower()}.py").read_text()
    assert f'id="{rule_id}"' in module and "enabled_by_default=False" in module
    assert "from dockerlint.api import" in module
    page = (root / "rules" / f"{rule_id}.md").read_text(encoding="utf-8")
    assert page.startswith(f"# {rule_id}: some-check\n\nSeverity: medium (off by default)")


def test_regenerate_check_names_what_is_stale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (tmp_path / "README.md").write_text(readme, encoding="utf-8")
    assert regen.main(["--check", "--only", "readme-rules,readme-fixes", "--root", str(tmp_path)]) == 0
    capsys.readouterr()
    (tmp_path / "README.md").write_text(readme.replace("| [DC101](", "| [DC101 ](", 1), encoding="utf-8")
    assert regen.main(["--check", "--only", "readme-rules,readme-fixes", "--root", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "stale: README.md (readme-rules): run `python scripts/regenerate.py --only readme-rules`" in out
    assert "readme-fixes" not in out
    assert (tmp_path / "README.md").read_text(encoding="utf-8") != readme  # --check writes nothing
    assert regen.main(["--only", "readme-rules", "--root", str(tmp_path)]) == 0
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == readme


def test_only_the_corpus_snapshot_needs_judgement_and_messages_name_the_command() -> None:
    assert regen.BY_NAME["corpus-snapshot"].judgement
    assert [a.name for a in regen.ARTEFACTS if a.judgement] == ["corpus-snapshot"]
    assert regen.stale_message("fixtures", "DC101") == (
        "fixtures is stale: run `python scripts/regenerate.py --only fixtures --rule DC101` (or "
        "`python scripts/regenerate.py` for everything) and review the diff"
    )
