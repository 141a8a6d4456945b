"""``containment.resolve`` within a run: each folder is looked at once, links are still judged.

The files of a tree share their folders; resolving each file from ``/`` looked at every
folder on the way again (``lstat``), for every file, twice. Within a run
(:func:`containment.run_scope`) a folder found to be a plain folder is remembered; a link is
never remembered, so one that leads out of the tree is refused as before, and the next run
looks at everything afresh.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dockerlint.util import containment


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real_lstat = os.lstat

    def counting(path: str, *args: object, **kwargs: object) -> os.stat_result:
        seen.append(path)
        return real_lstat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "lstat", counting)
    return seen


def _files(root: Path, n: int) -> list[str]:
    out = []
    for i in range(n):
        d = root / "deep" / "er" / f"svc{i}"
        d.mkdir(parents=True)
        (d / "Dockerfile").write_text("FROM alpine\n")
        out.append(str(d / "Dockerfile"))
    return out


def test_within_a_run_each_folder_is_looked_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _files(tmp_path, 30)
    tree = (os.path.realpath(tmp_path),)
    expected = [os.path.realpath(f) for f in files]
    seen = _counting(monkeypatch)
    got = [containment.resolve(f, tree) for f in files]
    outside = len(seen)
    assert got == expected
    seen.clear()
    with containment.run_scope():
        assert [containment.resolve(f, tree) for f in files] == expected
        assert [containment.resolve(f, tree) for f in files] == expected  # the second time: the files only
    parts = len(Path(files[0]).parts) - 1  # below "/": the folders above the file, and the file
    assert outside == 30 * parts  # every folder, every file
    assert len(seen) == parts - 2 + 30 + 30 + 30  # the shared folders once, each file's folder once, files twice
    seen.clear()
    containment.resolve(files[0], tree)
    assert len(seen) == parts  # the run is over: looked at afresh


def test_within_a_run_a_link_out_of_the_tree_is_still_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    files = _files(root, 3)
    away = tmp_path / "away"
    away.mkdir()
    (away / "Dockerfile").write_text("secret\n")
    (root / "deep" / "er" / "out").symlink_to(away)
    (root / "deep" / "er" / "svc0" / "leak").symlink_to(away / "Dockerfile")
    tree = (os.path.realpath(root),)
    with containment.run_scope():
        for f in files:
            containment.resolve(f, tree)
        for bad in (root / "deep" / "er" / "out" / "Dockerfile", root / "deep" / "er" / "svc0" / "leak"):
            with pytest.raises(containment.OutsideTree):
                containment.resolve(str(bad), tree)
            with pytest.raises(containment.OutsideTree):  # and again: a link is never remembered
                containment.resolve(str(bad), tree)


def test_a_folder_swapped_for_a_link_is_refused_in_the_next_run(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    files = _files(root, 2)
    tree = (os.path.realpath(root),)
    with containment.run_scope():
        assert containment.resolve(files[0], tree) == os.path.realpath(files[0])
    away = tmp_path / "away"
    svc = Path(files[0]).parent
    svc.rename(away)
    svc.symlink_to(away)
    with containment.run_scope(), pytest.raises(containment.OutsideTree):
        containment.resolve(files[0], tree)


def test_realpaths_within_a_run_resolve_each_absolute_path_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _files(tmp_path / "repo", 10)
    (tmp_path / "repo" / "link").symlink_to(tmp_path / "repo" / "deep")
    named = [*files, str(tmp_path / "repo" / "link" / "er" / "svc1" / "Dockerfile"), str(tmp_path / "repo" / "link")]
    expected = [os.path.realpath(p) for p in named]
    seen = _counting(monkeypatch)
    with containment.run_scope():
        assert containment.realpaths(named) == expected
        first = len(seen)
        assert containment.realpaths(named) == expected
        assert containment.realpaths(reversed(named)) == expected[::-1]
        assert len(seen) == first  # nothing looked at again
        for d in ("deep/er/svc1", "deep/er/svc2"):  # relative paths: from the working directory of the call
            monkeypatch.chdir(tmp_path / "repo" / d)
            assert containment.realpaths(["Dockerfile", "."]) == [os.path.realpath("Dockerfile"), os.getcwd()]
    assert first > 0


def _outcome(path: str, tree: tuple[str, ...], holders: tuple[str, ...]) -> str:
    try:
        return containment.resolve(path, tree, holders)
    except containment.Refused as exc:
        return f"{type(exc).__name__}: {exc}"


def test_resolve_within_a_run_answers_as_without(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every path through a small tree of folders and links (in the tree, out of it, to files,
    # loops, missing targets), named absolute and relative, in every order: the same answer.
    root = tmp_path / "repo"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "Dockerfile").write_text("FROM x\n")
    (root / "c").mkdir()
    away = tmp_path / "away"
    (away / "d").mkdir(parents=True)
    (away / "d" / "Dockerfile").write_text("secret\n")
    (root / "in").symlink_to(root / "a")
    (root / "a" / "rel").symlink_to("b")
    (root / "out").symlink_to(away / "d")
    (root / "c" / "file").symlink_to(root / "a" / "b" / "Dockerfile")
    (root / "c" / "leak").symlink_to(away / "d" / "Dockerfile")
    (root / "c" / "gone").symlink_to(tmp_path / "nowhere")
    (root / "c" / "loop").symlink_to("loop")
    tree = (os.path.realpath(root),)
    names = [
        "a",
        "a/b",
        "a/b/Dockerfile",
        "in/b/Dockerfile",
        "a/rel/Dockerfile",
        "a/rel/../b/Dockerfile",
        "out/Dockerfile",
        "out",
        "c/file",
        "c/leak",
        "c/gone",
        "c/loop",
        "c/loop/x",
        "a/b/missing",
        "a/missing/x",
        "c/./file",
        "a//b/Dockerfile",
        "a/b/",
        "a/b/.",
        "a/b/..",
        "in/../c/file",
        "a/b/Dockerfile/x",
    ]
    monkeypatch.chdir(root)
    paths = [*names, *(str(root / n) for n in names)]
    for holders in ((), (str(tmp_path),)):
        expected = [_outcome(p, tree, holders) for p in paths]
        assert any(e.startswith("OutsideTree") for e in expected) and any(e.startswith("LinkLoop") for e in expected)
        for order in (paths, paths[::-1], paths[1::2] + paths[::2]):
            with containment.run_scope():
                first = {p: _outcome(p, tree, holders) for p in order}
                again = {p: _outcome(p, tree, holders) for p in order}
            assert [first[p] for p in paths] == expected
            assert [again[p] for p in paths] == expected


def test_tree_dirs_within_a_run_are_computed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folders = [str(Path(f).parent) for f in _files(tmp_path, 50)]
    monkeypatch.chdir(tmp_path)
    expected = containment.tree_dirs([*folders, "/"])
    assert expected == tuple(os.path.realpath(f) for f in folders)  # the root left out
    calls = 0
    real_dirname = os.path.dirname

    def counting(path: str) -> str:
        nonlocal calls
        calls += 1
        return real_dirname(path)

    with containment.run_scope():
        assert containment.tree_dirs([*folders, "/"]) == expected
        monkeypatch.setattr(os.path, "dirname", counting)
        for _ in range(20):
            assert containment.tree_dirs([*folders, "/"]) == expected
        assert calls == 0
        assert containment.tree_dirs(folders[:3]) == expected[:3]  # other folders: their own tree
