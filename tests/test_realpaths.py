"""``containment.realpaths`` is ``os.path.realpath`` over a list, only cheaper: checked on
random trees of folders, files and symbolic links (to folders, files, ``..``, nowhere, and
loops), with relative and absolute, clean and messy spellings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dockerlint.util.containment import realpaths

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links are needed")

NAMES = ["a", "b", "c", "Dockerfile", "compose.yaml"]
TARGETS = ["a", "b", "..", "../a", "a/b", "nowhere", "Dockerfile", ".", "/", "loop"]

entries = st.lists(
    st.tuples(
        st.lists(st.sampled_from(NAMES), min_size=1, max_size=3),
        st.sampled_from(["dir", "file", "link"]),
        st.sampled_from(TARGETS),
    ),
    max_size=12,
)
queries = st.lists(
    st.tuples(
        st.lists(st.sampled_from([*NAMES, ".", "..", "nowhere"]), min_size=1, max_size=4),
        st.booleans(),
        st.sampled_from(["", "/", "//"]),
    ),
    min_size=1,
    max_size=12,
)


def _through_a_link(root: Path, parts: list[str]) -> bool:
    # A link on the way (to "..", "/", ...) or at the entry itself would make the entry land
    # outside the test's tree: once this wrote folders and link loops into /. Not made.
    return any(root.joinpath(*parts[:i]).is_symlink() for i in range(1, len(parts) + 1))


def _build(root: Path, made: list[tuple[list[str], str, str]]) -> None:
    for parts, what, target in made:
        path = root.joinpath(*parts)
        if _through_a_link(root, parts):
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if what == "dir":
                path.mkdir(exist_ok=True)
            elif what == "file":
                path.write_text("x", encoding="utf-8")
            else:
                os.symlink(parts[-1] if target == "loop" else target, path)
        except OSError:  # a parent is a file or a link: that entry is not made
            pass


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(made=entries, asked=queries)
# realpath reads "missing/../c" lexically; the kernel's lstat of it fails (found on 3.13)
@example(made=[(["a"], "dir", "a"), (["c"], "link", "a")], asked=[(["b", "..", "c"], False, "")])
# links to ".." and "/" with entries made through them: nothing may land outside the tree
@example(
    made=[(["a"], "link", ".."), (["a", "b"], "link", "loop"), (["a", "c"], "dir", "")], asked=[(["a"], False, "")]
)
@example(
    made=[(["a"], "link", "/"), (["a", "b"], "dir", ""), (["c"], "link", "../a"), (["c"], "file", "")],
    asked=[(["c"], True, "")],
)
def test_realpaths_equals_os_path_realpath(
    tmp_path_factory: pytest.TempPathFactory,
    made: list[tuple[list[str], str, str]],
    asked: list[tuple[list[str], bool, str]],
) -> None:
    root = tmp_path_factory.mktemp("tree")
    beside = set(os.listdir(root.parent))
    _build(root, made)
    assert set(os.listdir(root.parent)) == beside, "the tree was built outside its folder"
    paths = [(str(root) + "/" if absolute else "") + "/".join(parts) + tail for parts, absolute, tail in asked]
    here = os.getcwd()
    os.chdir(root)
    try:
        assert realpaths(paths) == [os.path.realpath(p) for p in paths]
    finally:
        os.chdir(here)


def test_a_nul_in_a_name_raises_as_realpath_does() -> None:
    try:
        expected: object = os.path.realpath("a\x00b")
    except ValueError as exc:
        expected = type(exc)
    try:
        got: object = realpaths(["a\x00b"])[0]
    except ValueError as exc:
        got = type(exc)
    assert got == expected


def test_a_link_as_the_last_component_is_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "Dockerfile").write_text("FROM scratch\n", encoding="utf-8")
    os.symlink(tmp_path / "real" / "Dockerfile", tmp_path / "Dockerfile")
    os.symlink("real", tmp_path / "deploy")
    got = realpaths([str(tmp_path / "Dockerfile"), str(tmp_path / "deploy" / "Dockerfile")])
    real = str((tmp_path / "real" / "Dockerfile").resolve())
    assert got == [real, real]
