"""Discovery: which files are linted, as what, and what is never touched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dockerlint.discovery import classify_name, discover, sniff

from helpers import write_tree


@pytest.mark.parametrize(("path", "kind"), [
    ("Dockerfile", "dockerfile"),
    ("app/Dockerfile.prod", "dockerfile"),
    ("Dockerfile-alpine", "dockerfile"),
    ("api.Dockerfile", "dockerfile"),
    ("api.dockerfile", "dockerfile"),
    ("Containerfile", "dockerfile"),
    ("Containerfile.fedora", "dockerfile"),
    ("web.Containerfile", "dockerfile"),
    ("compose.yaml", "compose"),
    ("compose.yml", "compose"),
    ("compose.override.yaml", "compose"),
    ("docker-compose.yml", "compose"),
    ("docker-compose.prod.yaml", "compose"),
    ("docker-compose-dev.yml", "compose"),
    ("etc/docker/daemon.json", "daemon"),
    ("templates/docker-daemon.json", "daemon"),
    ("files/lambda.daemon.json", "daemon"),
    ("docker.service", "systemd"),
    ("docker.socket", "systemd"),
    ("docker-tcp.socket", "systemd"),
    ("etc/systemd/system/docker.service.d/override.conf", "systemd"),
])
def test_classify_by_name(path, kind):
    assert classify_name(path) == kind


@pytest.mark.parametrize("path", [
    "Dockerfile.template", "Dockerfile.j2", "Dockerfile.dockerignore", "Dockerfile.md",
    "README.md", "compose.json", "mycompose.yaml", "package.json", "daemon.json.bak",
    "nginx.service", "foo.conf", "docker.service.d/readme.txt",
])
def test_not_ours_by_name(path):
    assert classify_name(path) is None


@pytest.mark.parametrize(("text", "kind"), [
    ("# syntax=docker/dockerfile:1\nARG X=1\nFROM alpine:3.20\n", "dockerfile"),
    ("services:\n  web:\n    image: nginx\n", "compose"),
    ('{"debug": true}\n', "daemon"),
    ("[Socket]\nListenStream=2375\n", "systemd"),
    ("hello world\n", None),
    ("", None),
])
def test_sniff(text, kind):
    assert sniff(text) == kind


def _rel(cands):
    return sorted((c.path, c.kind) for c in cands)


def test_walk_skips_vcs_dependencies_and_virtualenvs(tmp_path):
    write_tree(tmp_path, {
        "Dockerfile": "FROM alpine:3.20\n",
        ".git/Dockerfile": "FROM x\n",
        "node_modules/pkg/Dockerfile": "FROM x\n",
        "env/pyvenv.cfg": "home = /usr\n",
        "env/lib/Dockerfile": "FROM x\n",
        "sub/compose.yaml": "services: {}\n",
        "sub/notes.txt": "x\n",
    })
    cands, errors = discover([str(tmp_path)], cwd=str(tmp_path))
    assert not errors
    assert _rel(cands) == [("Dockerfile", "dockerfile"), ("sub/compose.yaml", "compose")]


def test_exclude_globs(tmp_path):
    write_tree(tmp_path, {
        "Dockerfile": "FROM alpine:3.20\n",
        "vendor/x/Dockerfile": "FROM x\n",
        "build/Dockerfile.ci": "FROM x\n",
        "deep/a/compose.yaml": "services: {}\n",
    })
    cands, _ = discover([str(tmp_path)], exclude=["vendor/", "Dockerfile.*", "deep/a/*"], cwd=str(tmp_path))
    assert _rel(cands) == [("Dockerfile", "dockerfile")]


def test_units_with_other_names_are_sniffed_by_content(tmp_path):
    write_tree(tmp_path, {
        "etc/systemd/system/my-engine.service": "[Service]\nExecStart=/usr/bin/dockerd -H fd://\n",
        "etc/systemd/system/nginx.service": "[Service]\nExecStart=/usr/sbin/nginx\n",
    })
    cands, _ = discover([str(tmp_path)], cwd=str(tmp_path))
    # Both are candidates; the engine reads them once and keeps the Docker one.
    assert {c.path for c in cands} == {"etc/systemd/system/my-engine.service", "etc/systemd/system/nginx.service"}
    assert all(c.kind is None for c in cands)


def test_missing_path_is_an_error(tmp_path):
    cands, errors = discover([str(tmp_path / "nope")], cwd=str(tmp_path))
    assert cands == [] and len(errors) == 1 and "nope" in errors[0]


def test_explicit_file_with_any_name_is_a_candidate(tmp_path):
    write_tree(tmp_path, {"build/app.docker": "FROM alpine:3.20\n"})
    cands, _ = discover([str(tmp_path / "build/app.docker")], cwd=str(tmp_path))
    assert [(c.path, c.kind, c.explicit) for c in cands] == [("build/app.docker", None, True)]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlinks_out_of_the_tree_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    tree = tmp_path / "tree"
    write_tree(outside, {"Dockerfile": "FROM x\n", "d/Dockerfile": "FROM y\n"})
    write_tree(tree, {"Dockerfile": "FROM alpine:3.20\n"})
    os.symlink(outside / "Dockerfile", tree / "Dockerfile.link")
    os.symlink(outside / "d", tree / "linkdir")
    os.symlink(tree / "Dockerfile", tree / "Dockerfile.same")  # inside the tree: same file once
    os.symlink(tree / "loop", tree / "loop")  # a symlink loop
    cands, errors = discover([str(tree)], cwd=str(tree))
    assert not errors
    assert [c.path for c in cands] == ["Dockerfile"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_fifo_named_dockerfile_is_not_opened(tmp_path):
    os.mkfifo(tmp_path / "Dockerfile")
    (tmp_path / "compose.yaml").mkdir()  # a folder with a file's name
    cands, errors = discover([str(tmp_path)], cwd=str(tmp_path))
    assert cands == [] and not errors


def test_order_is_deterministic(tmp_path):
    write_tree(tmp_path, {f"s{i}/Dockerfile": "FROM alpine:3.20\n" for i in (3, 1, 2)})
    cands, _ = discover([str(tmp_path)], cwd=str(tmp_path))
    assert [c.path for c in cands] == ["s1/Dockerfile", "s2/Dockerfile", "s3/Dockerfile"]


# -- the walk: depth, unreadable folders -------------------------------------------------------------


@pytest.fixture
def deep_tree():
    """A folder with a Dockerfile at the top and one 1,100 folders down. Made and removed
    without recursion (pathlib's mkdir(parents=True) and shutil.rmtree recurse on Python 3.11)."""
    import tempfile

    top = tempfile.mkdtemp(prefix="dl-deep-")
    chain = [top]
    for _ in range(1100):
        chain.append(os.path.join(chain[-1], "d"))
        os.mkdir(chain[-1])
    for folder in (top, chain[-1]):
        with open(os.path.join(folder, "Dockerfile"), "w", encoding="utf-8") as fh:
            fh.write("FROM alpine:3.20\n")
    yield Path(top)
    for folder in (top, chain[-1]):
        os.unlink(os.path.join(folder, "Dockerfile"))
    for folder in reversed(chain):
        os.rmdir(folder)


def test_a_tree_1100_folders_deep_is_walked(deep_tree):
    cands, errors = discover([str(deep_tree)], cwd=str(deep_tree))
    assert not errors
    assert [c.path for c in cands] == ["Dockerfile", "d/" * 1100 + "Dockerfile"]


def test_walk_order_is_depth_first_files_before_sub_folders(tmp_path):
    write_tree(tmp_path, {"b/Dockerfile": "FROM x\n", "a/z/Dockerfile": "FROM x\n", "a/Dockerfile": "FROM x\n",
                          "Dockerfile": "FROM x\n", "a/b/compose.yaml": "services: {}\n"})
    cands, _ = discover([str(tmp_path)], cwd=str(tmp_path))
    assert [c.path for c in cands] == ["Dockerfile", "a/Dockerfile", "a/b/compose.yaml", "a/z/Dockerfile",
                                       "b/Dockerfile"]


def _unreadable(monkeypatch, folder):
    """os.scandir fails for ``folder`` as it does for a folder without read permission (tests run
    as root, where chmod cannot take the permission away)."""
    real = os.scandir
    target = os.path.realpath(folder)

    def scandir(path="."):
        if os.path.realpath(path) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_sub_folder_is_an_error_naming_it(tmp_path, monkeypatch):
    write_tree(tmp_path, {"Dockerfile": "FROM alpine:3.20\n", "private/Dockerfile": "FROM x\n",
                          "public/Dockerfile": "FROM alpine:3.20\n"})
    _unreadable(monkeypatch, tmp_path / "private")
    cands, errors = discover([str(tmp_path)], cwd=str(tmp_path))
    assert [c.path for c in cands] == ["Dockerfile", "public/Dockerfile"]  # the rest is still linted
    assert errors == ["private: cannot read folder: Permission denied"]
