"""``--exclude``, a configuration's ``exclude`` and ``per-file-ignores`` keys are ``.gitignore``
lines, matched with git's semantics (``dockerlint.util.gitignore.Globs``): ``*`` stays within a
name, ``**`` crosses folders, a leading or middle ``/`` anchors, ``!`` re-includes, the last
matching pattern decides. ``git check-ignore`` is the oracle of a differential test."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from cli_helpers import run
from dockerlint.util.gitignore import Globs
from helpers import write_tree

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed: no oracle for the differential test")

DOCKERFILE = "FROM alpine:3.20\nUSER root\n"  # DF101 on line 2


def _linted(tmp_path: Path, args: list[str]) -> list[str]:
    code, out, err = run(["--no-color", "--select", "DF101", "--format", "json", *args, "."], tmp_path)
    assert code in (0, 1), err
    return sorted({f["path"] for f in json.loads(out)["findings"]})


def test_a_star_does_not_cross_a_slash(tmp_path: Path) -> None:
    write_tree(tmp_path, {"ci/a.Dockerfile": DOCKERFILE, "ci/sub/b.Dockerfile": DOCKERFILE})
    # fnmatch let '*' match 'sub/b': git's '*' stays within one name.
    assert _linted(tmp_path, ["--exclude", "ci/*.Dockerfile"]) == ["ci/sub/b.Dockerfile"]
    assert _linted(tmp_path, ["--exclude", "ci/*/*.Dockerfile"]) == ["ci/a.Dockerfile"]
    assert _linted(tmp_path, ["--exclude", "ci/**/*.Dockerfile"]) == []  # '/**/': zero folders or more
    assert _linted(tmp_path, ["--exclude", "ci/**"]) == []


def test_a_leading_double_star_matches_at_the_top_too(tmp_path: Path) -> None:
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE, "a/Dockerfile": DOCKERFILE, "a/b/Dockerfile": DOCKERFILE})
    assert _linted(tmp_path, ["--exclude", "**/Dockerfile"]) == []
    assert _linted(tmp_path, ["--exclude", "/Dockerfile"]) == ["a/Dockerfile", "a/b/Dockerfile"]
    assert _linted(tmp_path, ["--exclude", "a/Dockerfile"]) == ["Dockerfile", "a/b/Dockerfile"]


def test_negation_re_includes_and_the_last_pattern_wins(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.Dockerfile": DOCKERFILE, "prod.Dockerfile": DOCKERFILE, "vendor/Dockerfile": DOCKERFILE})
    assert _linted(tmp_path, ["--exclude", "*.Dockerfile", "--exclude", "!prod.Dockerfile"]) == [
        "prod.Dockerfile",
        "vendor/Dockerfile",
    ]
    # The other order: the exclusion comes last and wins.
    assert _linted(tmp_path, ["--exclude", "!prod.Dockerfile", "--exclude", "*.Dockerfile"]) == ["vendor/Dockerfile"]
    # As in git, nothing below an excluded folder comes back.
    assert _linted(tmp_path, ["--exclude", "vendor/", "--exclude", "!vendor/Dockerfile"]) == [
        "a.Dockerfile",
        "prod.Dockerfile",
    ]


def test_configuration_exclude_and_per_file_ignores_use_git_semantics(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            ".dockerlint.toml": """
            exclude = ["*.Dockerfile", "!keep.Dockerfile"]
            [per-file-ignores]
            "ci/*/Dockerfile" = ["DF101"]
            """,
            "a.Dockerfile": DOCKERFILE,
            "keep.Dockerfile": DOCKERFILE,
            "ci/x/Dockerfile": DOCKERFILE,
            "ci/x/y/Dockerfile": DOCKERFILE,
        },
    )
    assert _linted(tmp_path, []) == ["ci/x/y/Dockerfile", "keep.Dockerfile"]
    # Files named on the command line too (the pre-commit hook passes names).
    code, out, _ = run(
        ["--no-color", "--select", "DF101", "--format", "json", "a.Dockerfile", "keep.Dockerfile"], tmp_path
    )
    assert code == 1 and [f["path"] for f in json.loads(out)["findings"]] == ["keep.Dockerfile"]


def test_globs_never_match_outside_their_folder_and_survive_a_hostile_pattern() -> None:
    assert not Globs(["*"]).matches("../x/Dockerfile")
    assert Globs(["*"]).matches("x/Dockerfile")
    hostile = Globs(["*a" * 30 + "b"])
    assert not hostile.matches("a" * 60)  # over the step budget: not matched (the file is linted)


# -- differential: git check-ignore is the oracle --------------------------------------------------

NAMES = ["Dockerfile", "a.Dockerfile", "b.Dockerfile", "ci", "app", "sub", "vendor", "x"]
PIECES = [
    "Dockerfile",
    "*.Dockerfile",
    "a.*",
    "*",
    "**",
    "ci",
    "app",
    "sub",
    "vendor",
    "?ub",
    "[av]*",
    "x",
    "*/Dockerfile",
    "b.Dockerfile",
]


def _pattern(rng: random.Random) -> str:
    text = "/".join(rng.choice(PIECES) for _ in range(rng.choice([1, 1, 2, 2, 3])))
    if rng.random() < 0.25:
        text = "/" + text
    if rng.random() < 0.2:
        text += "/"
    if rng.random() < 0.3:
        text = "!" + text
    return text


def _tree(rng: random.Random) -> list[str]:
    files = set()
    for _ in range(rng.randint(4, 10)):
        folders = [rng.choice(NAMES[3:]) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
        files.add("/".join([*folders, rng.choice(NAMES[:3])]))
    folders_of = {f.rsplit("/", i)[0] for f in files for i in range(1, f.count("/") + 1)}
    return sorted(f for f in files if f not in folders_of)


def _git_ignored(repo: Path, patterns: list[str], files: list[str]) -> set[str]:
    home = repo.parent / "home"
    home.mkdir(exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "LC_ALL": "C",
    }
    (repo / ".gitignore").write_text("".join(p + "\n" for p in patterns), encoding="utf-8")
    assert GIT is not None
    out = subprocess.run(
        [GIT, "check-ignore", "--no-index", "--stdin", "-z"],
        cwd=repo,
        env=env,
        timeout=60,
        input=b"".join(os.fsencode(f) + b"\0" for f in files),
        capture_output=True,
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr
    return {os.fsdecode(p) for p in out.stdout.split(b"\0") if p}


@needs_git
def test_exclude_agrees_with_git_check_ignore(tmp_path: Path) -> None:
    rng = random.Random(2026)
    answers = {True: 0, False: 0}
    mismatches: list[str] = []
    for n in range(30):
        round_dir = tmp_path / str(n)
        repo, tree = round_dir / "oracle", round_dir / "tree"
        files = _tree(rng)
        patterns = [_pattern(rng) for _ in range(rng.randint(1, 4))]
        write_tree(tree, dict.fromkeys(files, DOCKERFILE))
        repo.mkdir(parents=True)
        assert subprocess.run([GIT or "git", "init", "-q"], cwd=repo, capture_output=True, check=False).returncode == 0
        expected = _git_ignored(repo, patterns, files)
        args = [a for p in patterns for a in ("--exclude", p)]
        linted = set(_linted(tree, args))
        for f in files:
            answers[f in expected] += 1
            if (f not in linted) != (f in expected) or Globs(patterns).matches(f) != (f in expected):
                mismatches.append(
                    f"round {n}: {f!r} git ignores={f in expected} linted={f in linted} patterns={patterns}"
                )
    assert not mismatches, "\n".join(mismatches[:10])
    assert min(answers.values()) > 20, answers  # both answers exercised
