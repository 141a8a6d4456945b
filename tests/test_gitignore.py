"""dockerlint.util.gitignore: git's ignore rules without running git.

Two kinds of tests: gitignore(5)'s documented examples with the answers the documentation
gives, and a differential test against ``git check-ignore --no-index`` over generated trees
and patterns (skipped, visibly, when git is not installed). dockerlint itself never runs git;
the tests use it as the oracle.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from dockerlint.util import gitignore
from dockerlint.util.gitignore import Rules, check, parse

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed: no oracle for the differential test")


def ignored(patterns: str, path: str, is_dir: bool = False, fold: bool = False) -> bool:
    rules = Rules(fold)
    rules.add((), parse(patterns.encode()))
    return rules.ignored(path.encode().split(b"/"), is_dir) is not None


# -- gitignore(5), "PATTERN FORMAT" and "EXAMPLES" ---------------------------------------------


@pytest.mark.parametrize(
    ("patterns", "path", "is_dir", "expected"),
    [
        # A blank line matches no files; a line starting with # is a comment.
        ("\n\n", ".env", False, False),
        ("# .env\n", ".env", False, False),
        ("#.env\n", "#.env", False, False),
        # Put a backslash in front of the first hash for patterns that begin with a hash.
        ("\\#.env\n", "#.env", False, True),
        # Trailing spaces are ignored unless they are quoted with backslash.
        (".env   \n", ".env", False, True),
        (".env\\ \n", ".env ", False, True),
        (".env\\ \n", ".env", False, False),
        (".env\t\n", ".env", False, False),  # only spaces are trimmed: the tab is part of the pattern
        # An optional prefix "!" negates the pattern.
        ("*.env\n!.env\n", ".env", False, False),
        ("!.env\n*.env\n", ".env", False, True),  # the last matching pattern wins
        # Put a backslash in front of the first "!" for patterns that begin with a literal "!".
        ("\\!important!.txt\n", "!important!.txt", False, True),
        # It is not possible to re-include a file if a parent directory of that file is excluded.
        ("config/\n!config/.env\n", "config/.env", False, True),
        ("config/*\n!config/.env\n", "config/.env", False, False),  # the folder itself is not excluded
        # A separator at the beginning or middle makes the pattern relative to the .gitignore's level.
        ("/.env\n", ".env", False, True),
        ("/.env\n", "app/.env", False, False),
        ("app/.env\n", "app/.env", False, True),
        ("app/.env\n", "x/app/.env", False, False),
        (".env\n", "a/b/c/.env", False, True),  # no separator: any level
        # A separator at the end matches directories only.
        ("frotz/\n", "frotz", False, False),
        ("frotz/\n", "frotz", True, True),
        ("frotz/\n", "a/frotz/x", False, True),
        ("doc/frotz/\n", "doc/frotz/x", False, True),
        ("doc/frotz/\n", "a/doc/frotz/x", False, False),
        # "*" matches anything except "/", "?" any one character except "/".
        ("doc/*.env\n", "doc/a.env", False, True),
        ("doc/*.env\n", "doc/x/a.env", False, False),
        ("?env\n", ".env", False, True),
        ("a?b\n", "a/b", False, False),
        # Range notation.
        ("[.]env\n", ".env", False, True),
        ("[!.]env\n", ".env", False, False),
        ("[^.]env\n", "xenv", False, True),
        ("[a-c].env\n", "b.env", False, True),
        ("[[:alpha:]].env\n", "b.env", False, True),
        ("[[:digit:]].env\n", "b.env", False, False),
        # Leading "**/": in all directories.
        ("**/foo\n", "foo", False, True),
        ("**/foo\n", "a/b/foo", False, True),
        ("**/foo/bar\n", "x/foo/bar", False, True),
        # Trailing "/**": everything inside.
        ("abc/**\n", "abc/x/y", False, True),
        ("abc/**\n", "abc", True, False),
        # "/**/": zero or more directories.
        ("a/**/b\n", "a/b", False, True),
        ("a/**/b\n", "a/x/b", False, True),
        ("a/**/b\n", "a/x/y/b", False, True),
        # Other consecutive asterisks are regular asterisks.
        ("a**b\n", "a/x/b", False, False),
        ("a**b\n", "axyb", False, True),
        # The documented example: everything except directory foo/bar.
        ("/*\n!/foo\n/foo/*\n!/foo/bar\n", "foo/bar/.env", False, False),
        ("/*\n!/foo\n/foo/*\n!/foo/bar\n", "foo/baz/.env", False, True),
        ("/*\n!/foo\n/foo/*\n!/foo/bar\n", "other/.env", False, True),
    ],
)
def test_documented_semantics(patterns: str, path: str, is_dir: bool, expected: bool) -> None:
    assert ignored(patterns, path, is_dir) is expected


def test_case_sensitive_unless_core_ignore_case() -> None:
    assert not ignored(".ENV\n", ".env")
    assert ignored(".ENV\n", ".env", fold=True)
    assert ignored("*.Env\n", "APP.ENV", fold=True)


def test_deeper_gitignore_wins_over_shallower_and_over_info_exclude() -> None:
    rules = Rules()
    rules.exclude = parse(b"!.env\n")
    rules.add((), parse(b".env\n"))
    rules.add((b"app",), parse(b"!.env\n"))
    assert rules.ignored([b"app", b".env"]) is None  # app/.gitignore re-includes it
    assert rules.ignored([b"lib", b".env"]) is not None  # the root .gitignore decides
    only_exclude = Rules()
    only_exclude.exclude = parse(b".env\n")
    assert only_exclude.ignored([b"x", b".env"]) is not None


def test_a_pattern_in_a_subfolder_is_relative_to_it() -> None:
    rules = Rules()
    rules.add((b"app",), parse(b"/.env\n"))
    assert rules.ignored([b"app", b".env"]) is not None
    assert rules.ignored([b"app", b"sub", b".env"]) is None
    assert rules.ignored([b".env"]) is None  # app/.gitignore says nothing of the root


def test_crlf_bom_and_malformed_patterns() -> None:
    assert ignored("\ufeff.env\r\n", ".env")
    for dead in ("[.env", "[[:nope:]].env", ".env\\", "a/[b"):
        assert not ignored(dead + "\n", ".env"), dead
        assert not ignored(dead + "\n", "a/b"), dead


def test_core_ignore_case_is_read_from_git_config() -> None:
    assert gitignore.ignore_case(b"[core]\n\tignorecase = true\n")
    assert gitignore.ignore_case(b"[CORE]\n IgnoreCase\n")
    assert gitignore.ignore_case(b"[core] ignoreCase = yes ; comment\n")
    assert not gitignore.ignore_case(b"[core]\n\tignorecase = false\n")
    assert not gitignore.ignore_case(b'[core "x"]\n\tignorecase = true\n')
    assert not gitignore.ignore_case(b"[user]\n\tignorecase = true\n")


def test_hostile_patterns_stay_cheap() -> None:
    import time

    rules = Rules()
    rules.add((), parse(b"\n".join([b"**/" * 200 + b"x" + b"*a" * 200 + b"b"] * 200)))
    deep = [b"a" * 200] * 300 + [b".env"]
    start = time.monotonic()
    with pytest.raises(gitignore.OverBudget):
        rules.ignored(deep)
    assert time.monotonic() - start < 10


# -- reading a repository ------------------------------------------------------------------


def _tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


def test_check_reads_gitignores_down_to_the_file_and_info_exclude(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            ".git/info/exclude": "local.env\n",
            ".gitignore": "/secrets/\n",
            "app/.gitignore": ".env\n",
            "app/.env": "A=1\n",
            "app/sub/.env": "A=1\n",
            "app/local.env": "",
            "secrets/.env": "",
            "other/.env": "",
        },
    )
    assert check(str(tmp_path / "app" / ".env"), [str(tmp_path)]).ignored
    assert check(str(tmp_path / "app" / "sub" / ".env"), [str(tmp_path)]).ignored
    assert check(str(tmp_path / "app" / "local.env"), [str(tmp_path)]).source == ".git/info/exclude:1"
    assert check(str(tmp_path / "secrets" / ".env"), [str(tmp_path)]).ignored
    assert not check(str(tmp_path / "other" / ".env"), [str(tmp_path)]).ignored


def test_check_goes_up_to_the_repository_root_only(tmp_path: Path) -> None:
    _tree(tmp_path, {".gitignore": ".env\n", "repo/.git/HEAD": "", "repo/app/.env": "", "repo/app/compose.yaml": ""})
    # The .gitignore above the repository is not the repository's.
    assert not check(str(tmp_path / "repo" / "app" / ".env"), [str(tmp_path / "repo" / "app")]).ignored
    (tmp_path / "repo" / ".gitignore").write_text(".env\n", encoding="utf-8")
    # The repository root's .gitignore applies when only a folder below it is linted.
    got = check(str(tmp_path / "repo" / "app" / ".env"), [str(tmp_path / "repo" / "app")])
    assert got.ignored and got.source == ".gitignore:1"


def test_outside_a_repository_the_linted_folder_is_the_top(tmp_path: Path) -> None:
    _tree(tmp_path, {".gitignore": ".env\n", "tree/app/.env": "", "tree/.gitignore": "*.tmp\n"})
    assert not check(str(tmp_path / "tree" / "app" / ".env"), [str(tmp_path / "tree")]).ignored
    (tmp_path / "tree" / ".gitignore").write_text("app/.env\n", encoding="utf-8")
    assert check(str(tmp_path / "tree" / "app" / ".env"), [str(tmp_path / "tree")]).ignored


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_a_linked_gitignore_is_not_followed(tmp_path: Path) -> None:
    """git does not follow a .gitignore that is a symbolic link; nor does dockerlint (and so
    never reads through one out of the tree)."""
    _tree(tmp_path, {"outside/ignore": ".env\n", "repo/.git/HEAD": "", "repo/.env": ""})
    os.symlink(tmp_path / "outside" / "ignore", tmp_path / "repo" / ".gitignore")
    assert not check(str(tmp_path / "repo" / ".env"), [str(tmp_path / "repo")]).ignored


def test_a_git_file_has_no_info_exclude_read(tmp_path: Path) -> None:
    """A worktree's or submodule's ``.git`` is a file pointing elsewhere (often outside the
    tree): its info/exclude is not looked for."""
    _tree(tmp_path, {"repo/.git": "gitdir: ../store\n", "store/info/exclude": ".env\n", "repo/.env": ""})
    assert not check(str(tmp_path / "repo" / ".env"), [str(tmp_path / "repo")]).ignored


def test_oversized_gitignore_is_not_applied(tmp_path: Path) -> None:
    _tree(tmp_path, {".git/HEAD": "", ".env": ""})
    (tmp_path / ".gitignore").write_bytes(b"#" * gitignore.MAX_FILE + b"\n.env\n")
    assert not check(str(tmp_path / ".env"), [str(tmp_path)]).ignored


# -- differential: git check-ignore is the oracle --------------------------------------------------

NAMES = ["a", "b", "ab", "A", ".env", "x.env", "c-d", "[x]", "*", "sp ace", "#h", "!b", "a.b", "deep", "é"]
PIECES = [
    "a",
    "b",
    "ab",
    "A",
    ".env",
    "x",
    "*",
    "?",
    "**",
    "*.env",
    "[ab]",
    "[!a]",
    "[^a]",
    "[a-c]",
    "[A-Z]",
    "[[:alpha:]]",
    "[[:upper:]]",
    "[[:lower:]]",
    "\\*",
    "\\[x]",
    "c-d",
    "[]a]",
    "[a-]",
    "d*p",
    "?b",
    "[x",
    "#h",
    "\\#h",
    "*.b",
    "é",
    "?env",
    "sp ace",
    "sp\\ ace",
]


def _random_pattern(rng: random.Random) -> str:
    parts = [rng.choice(PIECES) for _ in range(rng.choice([1, 1, 1, 2, 2, 3]))]
    text = "/".join(parts)
    if rng.random() < 0.25:
        text = "/" + text
    if rng.random() < 0.2:
        text += "/"
    if rng.random() < 0.25:
        text = "!" + text
    if rng.random() < 0.1:
        text += "  "
    if rng.random() < 0.05:
        text += "\\ "
    return text


def _random_tree(rng: random.Random) -> list[str]:
    files = set()
    for _ in range(rng.randint(4, 12)):
        depth = rng.choice([1, 2, 2, 3, 3, 4])
        files.add("/".join(rng.choice(NAMES) for _ in range(depth)))
    # A name cannot be both a file and a folder.
    folders = {f.rsplit("/", i)[0] for f in files for i in range(1, f.count("/") + 1)}
    return sorted(f for f in files if f not in folders)


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    home = repo.parent / "home"
    home.mkdir(exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "LC_ALL": "C",
    }
    assert GIT is not None
    return subprocess.run([GIT, *args], cwd=repo, input=stdin, capture_output=True, env=env, timeout=60, check=False)


def _differential(tmp_path: Path, seed: int, rounds: int, fold: bool) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    assert _git(repo, "init", "-q").returncode == 0
    if fold:
        assert _git(repo, "config", "core.ignorecase", "true").returncode == 0
    rng = random.Random(seed)
    mismatches: list[str] = []
    answers = {True: 0, False: 0}
    for n in range(rounds):
        for child in repo.iterdir():
            if child.name != ".git":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        files = _random_tree(rng)
        for f in files:
            (repo / f).parent.mkdir(parents=True, exist_ok=True)
            (repo / f).write_bytes(b"")
        folders = sorted({f.rsplit("/", i)[0] for f in files for i in range(1, f.count("/") + 1)})
        ignore_files = {".gitignore"} | {f"{d}/.gitignore" for d in folders if rng.random() < 0.4}
        texts = {}
        for g in sorted(ignore_files):
            texts[g] = "\n".join(_random_pattern(rng) for _ in range(rng.randint(1, 6))) + "\n"
            (repo / g).write_text(texts[g], encoding="utf-8")
        exclude = "\n".join(_random_pattern(rng) for _ in range(rng.randint(0, 3))) + "\n"
        (repo / ".git" / "info").mkdir(exist_ok=True)
        (repo / ".git" / "info" / "exclude").write_text(exclude, encoding="utf-8")
        queries = files + folders
        out = _git(
            repo, "check-ignore", "--no-index", "--stdin", "-z", stdin=b"".join(os.fsencode(q) + b"\0" for q in queries)
        )
        assert out.returncode in (0, 1), out.stderr
        expected = {os.fsdecode(p) for p in out.stdout.split(b"\0") if p}
        for q in queries:
            comps = [os.fsencode(c) for c in q.split("/")]
            got = gitignore.repository_rules(str(repo), comps).ignored(comps, is_dir=q in folders) is not None
            answers[q in expected] += 1
            if got != (q in expected):
                mismatches.append(
                    f"round {n}: {q!r} (dir={q in folders}) git={q in expected} dockerlint={got}; "
                    f"ignore files {texts}, info/exclude {exclude!r}"
                )
    assert not mismatches, "\n".join(mismatches[:10])
    # The generated cases exercise both answers, not only the trivial one.
    assert min(answers.values()) > rounds, answers


@needs_git
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_differential_against_git_check_ignore(tmp_path: Path, seed: int) -> None:
    _differential(tmp_path, seed, rounds=50, fold=False)


@needs_git
def test_differential_against_git_check_ignore_with_ignore_case(tmp_path: Path) -> None:
    _differential(tmp_path, 99, rounds=50, fold=True)


@needs_git
def test_check_agrees_with_git_on_a_whole_repository(tmp_path: Path) -> None:
    """check() reads the files itself (the .gitignore files on the way, info/exclude)."""
    repo = tmp_path / "repo"
    _tree(
        repo,
        {
            ".gitignore": "*.local\n/build/\n",
            "svc/.gitignore": "!keep.local\n.env\n",
            "svc/.env": "",
            "svc/keep.local": "",
            "svc/x.local": "",
            "build/.env": "",
            "top/.env": "",
            "top/deep/.env": "",
        },
    )
    assert _git(repo, "init", "-q").returncode == 0
    (repo / ".git" / "info" / "exclude").write_text("top/deep/\n", encoding="utf-8")
    paths = ["svc/.env", "svc/keep.local", "svc/x.local", "build/.env", "top/.env", "top/deep/.env"]
    out = _git(repo, "check-ignore", "--no-index", *paths)
    expected = set(out.stdout.decode().split())
    assert expected == {"svc/.env", "svc/x.local", "build/.env", "top/deep/.env"}
    for p in paths:
        assert check(str(repo / p), [str(repo)]).ignored is (p in expected), p
