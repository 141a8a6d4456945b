"""Discovery: which files are linted, as what, and what is never touched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dockerlint.discovery import (
    SNIFF_WINDOW,
    Unmatched,
    classify_name,
    compose_by_content,
    discover,
    is_compose,
    sniff,
)
from helpers import write_tree


@pytest.mark.parametrize(
    ("path", "kind"),
    [
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
    ],
)
def test_classify_by_name(path, kind):
    assert classify_name(path) == kind


@pytest.mark.parametrize(
    "path",
    [
        "Dockerfile.template",
        "Dockerfile.j2",
        "Dockerfile.dockerignore",
        "Dockerfile.md",
        "README.md",
        "compose.json",
        "mycompose.yaml",
        "package.json",
        "daemon.json.bak",
        "nginx.service",
        "foo.conf",
        "docker.service.d/readme.txt",
    ],
)
def test_not_ours_by_name(path):
    assert classify_name(path) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("# syntax=docker/dockerfile:1\nARG X=1\nFROM alpine:3.20\n", "dockerfile"),
        ("services:\n  web:\n    image: nginx\n", "compose"),
        ('{"debug": true}\n', "daemon"),
        ("[Socket]\nListenStream=2375\n", "systemd"),
        ("hello world\n", None),
        ("", None),
    ],
)
def test_sniff(text, kind):
    assert sniff(text) == kind


def _rel(cands):
    return sorted((c.path, c.kind) for c in cands)


def test_walk_skips_vcs_dependencies_and_virtualenvs(tmp_path):
    write_tree(
        tmp_path,
        {
            "Dockerfile": "FROM alpine:3.20\n",
            ".git/Dockerfile": "FROM x\n",
            "node_modules/pkg/Dockerfile": "FROM x\n",
            "env/pyvenv.cfg": "home = /usr\n",
            "env/lib/Dockerfile": "FROM x\n",
            "sub/compose.yaml": "services: {}\n",
            "sub/notes.txt": "x\n",
        },
    )
    cands, errors = discover([str(tmp_path)], cwd=str(tmp_path))
    assert not errors
    assert _rel(cands) == [("Dockerfile", "dockerfile"), ("sub/compose.yaml", "compose")]


def test_exclude_globs(tmp_path):
    write_tree(
        tmp_path,
        {
            "Dockerfile": "FROM alpine:3.20\n",
            "vendor/x/Dockerfile": "FROM x\n",
            "build/Dockerfile.ci": "FROM x\n",
            "deep/a/compose.yaml": "services: {}\n",
        },
    )
    cands, _ = discover([str(tmp_path)], exclude=["vendor/", "Dockerfile.*", "deep/a/*"], cwd=str(tmp_path))
    assert _rel(cands) == [("Dockerfile", "dockerfile")]


def test_units_with_other_names_are_sniffed_by_content(tmp_path):
    write_tree(
        tmp_path,
        {
            "etc/systemd/system/my-engine.service": "[Service]\nExecStart=/usr/bin/dockerd -H fd://\n",
            "etc/systemd/system/nginx.service": "[Service]\nExecStart=/usr/sbin/nginx\n",
        },
    )
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


# -- Compose files by content ----------------------------------------------------------------------

SNIFF_DATA = Path(__file__).resolve().parent / "data" / "compose-sniff"


def test_walk_finds_compose_files_by_content_and_no_look_alike():
    cands, errors = discover([str(SNIFF_DATA)], cwd=str(SNIFF_DATA))
    assert not errors
    assert _rel(cands) == [
        ("compose/anchors.yaml", "compose"),
        ("compose/log-shipping.yml", "compose"),
        ("compose/swarm-stack.yml", "compose"),
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in (SNIFF_DATA / "not-compose").iterdir()))
def test_look_alikes_are_not_compose(name):
    path = SNIFF_DATA / "not-compose" / name
    assert compose_by_content(str(path)) is False
    assert sniff(path.read_text(encoding="utf-8")) != "compose"  # named on the command line, too
    assert classify_name(f"not-compose/{name}") is None  # so the content decides


@pytest.mark.parametrize("name", sorted(p.name for p in (SNIFF_DATA / "compose").iterdir()))
def test_compose_fixtures_are_compose(name):
    path = SNIFF_DATA / "compose" / name
    assert compose_by_content(str(path)) is True
    assert sniff(path.read_text(encoding="utf-8")) == "compose"


def test_a_workflow_in_github_workflows_is_github_not_compose(tmp_path):
    text = (SNIFF_DATA / "not-compose" / "workflow-template.yml").read_text(encoding="utf-8")
    write_tree(tmp_path, {".github/workflows/ci.yml": text})
    cands, _ = discover([str(tmp_path)], cwd=str(tmp_path))
    assert _rel(cands) == [(".github/workflows/ci.yml", "github")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("services:\n  web:\n    image: nginx:1.27\n", True),
        ("services:\n  web:\n    build: .\n    ports:\n    - 80:80\n    - 443:443\n    command: serve\n", True),
        ("name: shop\nservices:\n  web: {}\n  api:\n    image: a:1\n", True),
        ("services:\n  web:\n    image: a:1\n---\nkind: Service\n", True),  # Compose reads the first document
        ("services:\n  x-base: &b\n    whatever: 1\n  web:\n    <<: *b\n    image: a:1\n", True),
        ("services:\n  web: &w  # a comment\n    image: a:1\n  api: *w\n", True),
        ('services:\n  web:\n    command: "a\n b"\n    image: a:1\n', True),  # a continuation line
        ("services:\n  web:\n    command: |\n      {{ not a template line: in a block scalar }}\n", False),
        ("- hosts: all\nservices:\n  web:\n    image: a:1\n", False),  # a top-level list
        ("apiVersion: v1\nservices:\n  web:\n    image: a:1\n", False),  # a key Compose refuses
        ("services:\n- docker:dind\n", False),  # GitLab CI, compact list
        ("services:\n  - postgres:16\n", False),
        ("services: []\n", False),
        ("services: {web: {image: a}}\n", False),  # a flow mapping: not decided without a parse
        ("services:\n  web: nginx\n", False),  # a scalar service
        ("services:\n  web:\n    - image: a\n", False),  # a list service
        ("services:\n  web:\n    type: node:20\n    command: x\n", False),  # a key Compose refuses
        ("services:\n  x-only:\n    image: a:1\n", False),  # no service
        ("services:\n  web:\n    <<: *base\n", False),  # no Compose key seen
        ("services:\n  web:\n    image: {{ .Values.image }}\n", False),  # a template
        ("{% if x %}\nservices:\n  web:\n    image: a:1\n{% endif %}\n", False),
        ('services:\n  web:\n    labels:\n      - "x={{ .Name }}"\n    image: a:1\n', True),  # quoted
        ("version: '3'\n", False),
        ("", False),
    ],
)
def test_is_compose(text, expected):
    assert is_compose(text) is expected


def test_services_after_a_long_x_block_within_the_window_are_found(tmp_path):
    labels = "".join(f"    traefik.http.routers.app{i}.rule: Host(`app{i}.example.com`)\n" for i in range(600))
    networks = "".join(f"  net{i}:\n    driver: bridge\n    internal: true\n" for i in range(300))
    text = (
        f"x-labels: &labels\n  labels:\n{labels}\nnetworks:\n{networks}\n"
        "services:\n  web:\n    <<: *labels\n    image: nginx:1.27\n    privileged: true\n"
    )
    assert 40_000 < len(text) < SNIFF_WINDOW
    write_tree(tmp_path, {"deploy/stack.yml": text})
    cands, _ = discover([str(tmp_path)], cwd=str(tmp_path))
    assert _rel(cands) == [("deploy/stack.yml", "compose")]


def test_services_past_the_window_are_not_looked_for(tmp_path):
    # The documented limit: only the first 64 KiB decide.
    text = "x-notes:\n" + "".join(f"  line{i}: some text to fill the window\n" for i in range(3000))
    text += "services:\n  web:\n    image: nginx:1.27\n"
    assert len(text.encode()) > SNIFF_WINDOW
    write_tree(tmp_path, {"stack.yml": text})
    cands, _ = discover([str(tmp_path)], cwd=str(tmp_path))
    assert cands == []


def test_a_line_cut_by_the_window_is_not_read_as_a_key(tmp_path):
    # The window ends inside "    privileged_or_not..." : the cut "    priv" must not count.
    head = "services:\n  web:\n    image: nginx:1.27\n"
    filler = "    labels:\n" + "".join(f"      l{i}: v\n" for i in range(9000))
    text = head + filler
    cut = SNIFF_WINDOW - len(text[:SNIFF_WINDOW].rsplit("\n", 1)[-1])
    bad = text[:cut] + "    imag" + "e" * 100 + "_unknown: 1\n"
    assert len(bad[:SNIFF_WINDOW].rsplit("\n", 1)[-1]) > 0  # the window ends mid-line
    write_tree(tmp_path, {"a.yml": bad})
    assert compose_by_content(str(tmp_path / "a.yml")) is True


def test_utf16_and_crlf_compose_files_are_found(tmp_path):
    text = "services:\r\n  web:\r\n    image: nginx:1.27\r\n"
    (tmp_path / "a.yml").write_bytes(text.encode("utf-16"))
    (tmp_path / "b.yml").write_bytes(b"\xef\xbb\xbf" + text.encode())
    (tmp_path / "c.yml").write_bytes(b"\x00\x01binary services:\n")
    cands, _ = discover([str(tmp_path)], cwd=str(tmp_path))
    assert _rel(cands) == [("a.yml", "compose"), ("b.yml", "compose")]


class _CountingFile:
    def __init__(self, fh, counts, key):
        self._fh, self._counts, self._key = fh, counts, key

    def read(self, *args):
        data = self._fh.read(*args)
        self._counts[self._key] = self._counts.get(self._key, 0) + len(data)
        return data

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()

    def __getattr__(self, name):
        return getattr(self._fh, name)


def _count_reads(monkeypatch, watched):
    import builtins

    counts: dict[str, int] = {}
    real_open = builtins.open

    def counting_open(file, *args, **kwargs):
        fh = real_open(file, *args, **kwargs)
        key = os.path.realpath(file) if isinstance(file, (str, os.PathLike)) else None
        return _CountingFile(fh, counts, key) if key in watched else fh

    monkeypatch.setattr(builtins, "open", counting_open)
    return counts


def test_a_big_yaml_file_that_is_not_compose_costs_only_the_window(tmp_path, monkeypatch):
    from cli_helpers import run

    big = tmp_path / "data" / "fixtures.yml"
    big.parent.mkdir()
    row = "- {id: 1, name: a row of test data, tags: [x, y, z], services: none}\n"
    big.write_text("# test data\n" + row * (5 * 1024 * 1024 // len(row)), encoding="utf-8")
    assert big.stat().st_size > 5_000_000
    write_tree(tmp_path, {"Dockerfile": "FROM debian:12\nUSER 1000\n"})
    counts = _count_reads(monkeypatch, {str(big.resolve())})
    code, out, err = run(["."], tmp_path)
    assert (code, out, err) == (0, "No findings in 1 file.\n", "")
    assert 0 < counts[str(big.resolve())] <= SNIFF_WINDOW
    counts.clear()
    code, out, err = run(["data/fixtures.yml", "Dockerfile"], tmp_path)  # named, as pre-commit does
    assert (code, out, err) == (0, "No findings in 1 file.\n", "")
    assert 0 < counts[str(big.resolve())] <= SNIFF_WINDOW


def test_other_yaml_named_alone_parses_nothing_and_exits_0(tmp_path):
    """pre-commit passes every YAML file: those that are not Compose cost a window read, no parse."""
    import json
    import subprocess
    import sys

    write_tree(
        tmp_path,
        {
            "config/app.yml": "database:\n  host: db\n  port: 5432\nservices:\n  - auth\n",
            "openapi.yaml": (SNIFF_DATA / "not-compose" / "openapi.yaml").read_text(),
        },
    )
    code = (
        "import sys, json\nfrom dockerlint.cli import main\nrc = main(['-q', 'config/app.yml', 'openapi.yaml'])\n"
        "print(json.dumps([rc, sorted(sys.modules)]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    rc, modules = json.loads(proc.stdout.strip().splitlines()[-1])
    assert rc == 0
    assert not set(modules) & {"yaml", "dockerlint.parsers.compose", "dockerlint.parsers.yaml_nodes"}
    always = {"dockerlint.parsers", "dockerlint.parsers.errors", "dockerlint.parsers.output"}  # the engine's types
    assert not [m for m in modules if m.startswith(("dockerlint.rules.", "dockerlint.parsers.")) and m not in always]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_a_yaml_link_out_of_the_tree_is_not_read(tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    tree = tmp_path / "tree"
    write_tree(outside, {"secret.yml": "services:\n  web:\n    image: a:1\n"})
    tree.mkdir()
    os.symlink(outside / "secret.yml", tree / "stack.yml")
    counts = _count_reads(monkeypatch, {str((outside / "secret.yml").resolve())})
    cands, errors = discover([str(tree)], cwd=str(tree))
    assert cands == [] and not errors and not counts


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_a_fifo_named_like_yaml_is_not_opened(tmp_path):
    os.mkfifo(tmp_path / "stack.yml")
    cands, errors = discover([str(tmp_path)], cwd=str(tmp_path))
    assert cands == [] and not errors
    assert compose_by_content(str(tmp_path / "stack.yml")) is None  # and never blocks


def test_named_yaml_files_are_decided_by_content_unless_a_kind_is_given(tmp_path):
    write_tree(tmp_path, {"stack.yml": "services:\n  web:\n    image: a:1\n", "app.yml": "debug: true\n"})
    unmatched: list[Unmatched] = []
    cands, _ = _discover_in(tmp_path, ["stack.yml", "app.yml"], unmatched)
    assert [(c.path, c.kind, c.explicit) for c in cands] == [("stack.yml", "compose", True)]
    assert unmatched == [Unmatched("app.yml", folder=False)]
    cands, _ = _discover_in(tmp_path, ["stack.yml", "app.yml"], [], kind="compose")
    assert [c.path for c in cands] == ["stack.yml", "app.yml"]


def _discover_in(root, paths, unmatched, **kw):
    old = os.getcwd()
    os.chdir(root)
    try:
        return discover(paths, unmatched=unmatched, **kw)
    finally:
        os.chdir(old)


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
    write_tree(
        tmp_path,
        {
            "b/Dockerfile": "FROM x\n",
            "a/z/Dockerfile": "FROM x\n",
            "a/Dockerfile": "FROM x\n",
            "Dockerfile": "FROM x\n",
            "a/b/compose.yaml": "services: {}\n",
        },
    )
    cands, _ = discover([str(tmp_path)], cwd=str(tmp_path))
    assert [c.path for c in cands] == [
        "Dockerfile",
        "a/Dockerfile",
        "a/b/compose.yaml",
        "a/z/Dockerfile",
        "b/Dockerfile",
    ]


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
    write_tree(
        tmp_path,
        {
            "Dockerfile": "FROM alpine:3.20\n",
            "private/Dockerfile": "FROM x\n",
            "public/Dockerfile": "FROM alpine:3.20\n",
        },
    )
    _unreadable(monkeypatch, tmp_path / "private")
    cands, errors = discover([str(tmp_path)], cwd=str(tmp_path))
    assert [c.path for c in cands] == ["Dockerfile", "public/Dockerfile"]  # the rest is still linted
    assert errors == ["private: cannot read folder: Permission denied"]
