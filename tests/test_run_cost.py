"""The cost of a run grows with its files, not with their square.

Every file of an explicit path list is a root of its own, so the tree (the real paths of
the linted folders) has as many folders as the list has files. Resolved again for every
file that a rule reads beside (DF111 reading a copied key), or walked up to ``/`` for every
root (the checkouts holding them), that made a run of N files cost N² file-system calls.
Counted here as ``lstat`` calls (what resolving a path costs), which the load of the
machine does not change, unlike time.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint import cli
from dockerlint.rules.common import builds as _builds


def _tree(root: Path, n: int) -> list[str]:
    paths = []
    for i in range(n):
        d = root / f"svc{i:03d}"
        d.mkdir()
        (d / "Dockerfile").write_text("FROM alpine:3.19\nCOPY server.key /etc/ssl/\n")
        (d / "server.key").write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        paths.append(f"svc{i:03d}/Dockerfile")
    return paths


def _lstats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], n: int) -> int:
    root = tmp_path / str(n)
    root.mkdir()
    paths = _tree(root, n)
    monkeypatch.chdir(root)
    calls = 0
    real_lstat = os.lstat

    def counting(*args: object, **kwargs: object) -> os.stat_result:
        nonlocal calls
        calls += 1
        return real_lstat(*args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as m:
        m.setattr(os, "lstat", counting)
        code = cli.main(["--jobs", "1", "--select", "DF111", "--format", "json", *paths])
    out = capsys.readouterr().out
    assert code == 1
    assert out.count('"DF111"') == n  # every copied key is read and judged
    return calls


def test_explicit_path_list_costs_linear_file_system_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    small = _lstats(tmp_path, monkeypatch, capsys, 20)
    large = _lstats(tmp_path, monkeypatch, capsys, 80)
    # Four times the files: about four times the calls when each costs the same (N² gives 16).
    assert large < 6 * small, (small, large)


# -- image globs: matched without compiling a regular expression per glob ----------------

_GLOB_TEXT = st.text(alphabet="ab:/-.*", max_size=8)


@given(glob=_GLOB_TEXT, text=st.text(alphabet="ab:/-.", max_size=10))
def test_star_glob_matcher_is_fnmatchcase(glob: str, text: str) -> None:
    import fnmatch

    assert bool(_builds._matcher(glob)(text)) == fnmatch.fnmatchcase(text, glob)


def test_matches_image_last_glob_decides_as_fnmatch() -> None:
    import fnmatch

    def reference(image: str, globs: list[str]) -> bool:
        ref, found = image.split("@", 1)[0].lower(), False
        for g in globs:
            if fnmatch.fnmatchcase(ref, g.removeprefix("!").lower()):
                found = not g.startswith("!")
        return found

    globs = [*_builds.NONROOT_BASE_IMAGES, "!*distroless*:nonroot-arm*", "ex?mple/[ab]*"]
    images = [
        "gcr.io/distroless/static:nonroot",
        "gcr.io/distroless/static:nonroot-arm64",
        "python:3.12",
        "cgr.dev/chainguard/static",
        "Bitnami/Redis:7",
        "jenkins/jenkins@sha256:abc",
        "example/b:1",
        "exemple/c",
        "nginxinc/nginx-unprivileged:alpine",
        "mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled",
    ]
    got = [_builds.matches_image(i, globs) for i in images]
    assert got == [reference(i, globs) for i in images]
    assert got[0] and not got[1] and not got[2] and got[6]


# -- containment: a path's holding folder among many, found through the path's folders ------

_PART = st.sampled_from(["a", "b", "ab", "", ".."])
_PATHS = st.lists(_PART, max_size=4).map(lambda parts: "/" + "/".join(parts))


def _first_holding_reference(path: str, dirs: list[str]) -> str | None:
    return next((d for d in dirs if path == d or path.startswith(d.rstrip("/") + "/")), None)


@given(path=_PATHS, dirs=st.lists(st.one_of(_PATHS, _PATHS.map(lambda p: p + "/")), max_size=20))
def test_first_holding_and_is_below_as_the_plain_scan(path: str, dirs: list[str]) -> None:
    from dockerlint.util import containment

    want = _first_holding_reference(path, dirs)
    assert containment.first_holding(path, dirs) == want
    assert containment.is_below(path, dirs) is (want is not None)


def _ancestor_lstats(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], n: int) -> int:
    """``lstat`` calls on the folders every named file lies below, in a run naming ``n`` files."""
    root.mkdir()
    paths = []
    for i in range(n):
        d = root / "a" / "b" / "c" / f"svc{i:03d}"
        d.mkdir(parents=True)
        (d / "Dockerfile").write_text("FROM alpine:3.19\nRUN echo hi\n")
        paths.append(f"a/b/c/svc{i:03d}/Dockerfile")
    monkeypatch.chdir(root)
    shared = {str(root / "a"), str(root / "a" / "b"), str(root / "a" / "b" / "c"), "a", "a/b", "a/b/c"}
    calls = 0
    real_lstat = os.lstat

    def counting(path: object, *args: object, **kwargs: object) -> os.stat_result:
        nonlocal calls
        if isinstance(path, (str, os.PathLike)) and os.fspath(path) in shared:
            calls += 1
        return real_lstat(path, *args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as m:
        m.setattr(os, "lstat", counting)
        code = cli.main(["--jobs", "1", "--format", "json", *paths])
    assert code == 1
    assert capsys.readouterr().out.count('"DF101"') == n  # every file was linted (no USER: DF101)
    return calls


def test_named_files_resolve_their_shared_folders_once_per_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The run scope starts with the command line: the discovery of the named files, the plugin
    path, the tree and the guarded folders share one resolution of each folder, so the folders
    the files share are looked at a few times a run, not a few times per file."""
    few = _ancestor_lstats(tmp_path / "few", monkeypatch, capsys, 5)
    many = _ancestor_lstats(tmp_path / "many", monkeypatch, capsys, 40)
    assert many == few
    assert many <= 3 * 3  # three folders, each resolved by a bounded number of steps


_IMAGE_GLOBS = st.lists(
    st.one_of(
        st.sampled_from(_builds.NONROOT_BASE_IMAGES),
        st.text(alphabet="ab:*?[]!", max_size=4),
    ),
    max_size=8,
)


@settings(max_examples=1000, deadline=None)
@given(globs=_IMAGE_GLOBS, image=st.text(alphabet="abAB:@", max_size=6))
def test_matches_image_by_first_character_decides_as_every_glob_in_turn(globs: list[str], image: str) -> None:
    """matches_image tries only the globs that can match a reference's first character (and
    those starting with a wildcard): the last glob that matches still decides."""
    import fnmatch

    ref, want = image.split("@", 1)[0].lower(), False
    for g in globs:
        if fnmatch.fnmatchcase(ref, g.removeprefix("!").lower()):
            want = not g.startswith("!")
    assert _builds.matches_image(image, globs) is want
