"""Nothing outside the tree is read or revealed through the repository's symbolic links.

The tree is the working directory and the linted folders. A configuration file found by the
upward search, a ``--config`` or ``--baseline`` path, and the files a Compose project refers
to are read through :mod:`dockerlint.util.containment`: a link of the repository that leads out of
the tree is refused (exit 2 for a configuration or a baseline), the same way whether its
target exists or not, and nothing of what is out there reaches the output. A path the user
names outside the tree is the user's choice and is read.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from cli_helpers import repo, run
from dockerlint.util import containment
from helpers import write_tree

DOCKERFILE = 'FROM debian:12\nCMD ["app"]\n'  # DF101 (no USER)
SECRET = "hunter2_top_secret"

# An outside file that, read as a configuration, would be echoed: its keys are unknown.
OUTSIDE_CONFIGS = {
    ".dockerlint.yml": f"{SECRET}: 1\naws_access_key_id: 2\n",
    ".dockerlint.toml": f"{SECRET} = 1\naws_access_key_id = 2\n",
    "pyproject.toml": f"[tool.dockerlint]\n{SECRET} = 1\n",
}


def _ids(out: str) -> list[str]:
    return [f["rule_id"] for f in json.loads(out)["findings"]]


def _layout(tmp_path: Path, name: str, exists: bool = True) -> Path:
    """``outside/<target>`` and a repository ``repo/`` whose ``name`` links to it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    if exists:
        (outside / "target").write_text(OUTSIDE_CONFIGS[name], encoding="utf-8")
    root = repo(tmp_path / "repo")
    write_tree(root, {"Dockerfile": DOCKERFILE})
    os.symlink("../outside/target", root / name)
    return root


@pytest.mark.parametrize("name", sorted(OUTSIDE_CONFIGS))
def test_configuration_linked_out_of_the_tree_is_refused_and_never_echoed(tmp_path, name):
    root = _layout(tmp_path, name)
    code, out, err = run(["."], root)
    assert code == 2, (out, err)
    assert f"{name}: not read" in err and "link" in err
    assert SECRET not in out + err and "aws_access_key_id" not in out + err
    assert "outside" not in err  # not even where it points


@pytest.mark.parametrize("name", sorted(OUTSIDE_CONFIGS))
def test_a_link_out_of_the_tree_says_nothing_about_whether_its_target_exists(tmp_path, name):
    got = []
    for exists in (True, False):
        base = tmp_path / str(exists)
        base.mkdir()
        root = _layout(base, name, exists)
        got.append(run(["."], root))
    assert got[0] == got[1]
    assert got[0][0] == 2


def test_configuration_above_the_working_directory_in_the_repository_is_held_too(tmp_path):
    # CI often lints a subproject: `cd services/api && dockerlint .` -- the search reaches the
    # repository root, whose links are the repository's.
    root = _layout(tmp_path, ".dockerlint.yml")
    write_tree(root, {"services/api/Dockerfile": DOCKERFILE})
    code, out, err = run(["."], root / "services" / "api")
    assert code == 2 and ".dockerlint.yml: not read" in err and SECRET not in out + err


def test_a_checkout_inside_another_repository_does_not_open_that_repository(tmp_path):
    """A tarball unpacked in your home folder, itself a git repository: the folders holding
    .git above are the repository's for its links, but not part of what may be read."""
    home = repo(tmp_path / "home")
    (home / ".aws").mkdir()
    (home / ".aws" / "credentials.toml").write_text(OUTSIDE_CONFIGS[".dockerlint.toml"], encoding="utf-8")
    root = home / "Downloads" / "untrusted"
    write_tree(root, {"Dockerfile": DOCKERFILE})
    os.symlink("../../.aws/credentials.toml", root / ".dockerlint.toml")
    for cwd, args in ((root, ["."]), (home, ["Downloads/untrusted"]), (Path("/"), [str(root)])):
        code, out, err = run(args, cwd)
        assert code == 2 and ".dockerlint.toml: not read" in err and SECRET not in out + err, (cwd, err)


def test_configuration_through_a_linked_folder_out_of_the_tree_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.yml").write_text(OUTSIDE_CONFIGS[".dockerlint.yml"], encoding="utf-8")
    root = repo(tmp_path / "repo")
    write_tree(root, {"Dockerfile": DOCKERFILE})
    os.symlink("../outside", root / "shared")
    os.symlink("shared/x.yml", root / ".dockerlint.yml")
    code, out, err = run(["."], root)
    assert code == 2 and ".dockerlint.yml: not read" in err and SECRET not in out + err


def test_links_inside_the_tree_are_followed(tmp_path):
    root = repo(tmp_path / "repo")
    write_tree(
        root,
        {
            "Dockerfile": DOCKERFILE,
            "config/dockerlint.yml": "ignore: [DF101]\n",
            "baselines/empty.json": '{"version": 1, "tool": "dockerlint", "findings": []}\n',
        },
    )
    os.symlink("config/dockerlint.yml", root / ".dockerlint.yml")
    os.symlink("baselines/empty.json", root / "baseline.json")
    assert "DF101" in _ids(run(["-f", "json", "--isolated", "."], root)[1])
    code, out, err = run(["-f", "json", "--baseline", "baseline.json", "."], root)
    assert code in (0, 1) and "DF101" not in _ids(out), err  # ignored by the linked configuration


def test_a_configuration_you_name_outside_the_tree_is_yours(tmp_path):
    outside = tmp_path / "etc"
    outside.mkdir()
    (outside / "dockerlint.yml").write_text("ignore: [DF101]\n", encoding="utf-8")
    root = repo(tmp_path / "repo")
    write_tree(root, {"Dockerfile": DOCKERFILE})
    assert "DF101" in _ids(run(["-f", "json", "."], root)[1])
    code, out, err = run(["-f", "json", "--config", str(outside / "dockerlint.yml"), "."], root)
    assert code in (0, 1) and "DF101" not in _ids(out), err
    # ... and a link of yours, outside the tree, is followed too
    os.symlink(outside / "dockerlint.yml", tmp_path / "mine.yml")
    code, out, err = run(["-f", "json", "--config", "../mine.yml", "."], root)
    assert code in (0, 1) and "DF101" not in _ids(out), err


@pytest.mark.parametrize("how", ["--config", "DOCKERLINT_CONFIG"])
def test_a_configuration_you_name_in_the_tree_is_not_read_through_its_link_out(tmp_path, how):
    root = _layout(tmp_path, ".dockerlint.yml")
    if how == "--config":
        code, out, err = run(["--isolated", "--config", ".dockerlint.yml", "."], root)
    else:
        code, out, err = run(["."], root, env={"DOCKERLINT_CONFIG": ".dockerlint.yml"})
    assert code == 2 and ".dockerlint.yml: not read" in err and SECRET not in out + err


BASELINE = '{"version": 1, "tool": "dockerlint", "findings": []}\n'


@pytest.mark.parametrize("exists", [True, False])
def test_baseline_linked_out_of_the_tree_is_refused(tmp_path, exists):
    outside = tmp_path / "outside"
    outside.mkdir()
    if exists:
        (outside / "b.json").write_text(BASELINE, encoding="utf-8")
    root = repo(tmp_path / "repo")
    write_tree(root, {"Dockerfile": DOCKERFILE})
    os.symlink("../outside/b.json", root / ".dockerlint-baseline.json")
    code, out, err = run(["--baseline", ".dockerlint-baseline.json", "."], root)
    assert code == 2 and out == ""
    assert err.strip() == (
        "dockerlint: error: .dockerlint-baseline.json: not read: it is a symbolic link of the "
        "linted tree that leads out of it (dockerlint follows no link of the repository out of "
        "the linted folders; name the file it points to instead to use it)"
    )


def test_baseline_named_outside_the_tree_is_read(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = repo(tmp_path / "repo")
    write_tree(root, {"Dockerfile": DOCKERFILE})
    code, _, err = run(["--select", "DF101", "--write-baseline", str(outside / "b.json"), "."], root)
    assert code == 0, err
    code, out, err = run(["-f", "json", "--select", "DF101", "--baseline", "../outside/b.json", "."], root)
    assert code == 0 and json.loads(out)["summary"]["suppressed"] == 1, err


def test_baseline_in_a_folder_above_linked_out_is_refused(tmp_path):
    # `cd services/api && dockerlint --baseline ../../baseline.json .`: the repository root's link.
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.json").write_text(BASELINE, encoding="utf-8")
    root = repo(tmp_path / "repo")
    write_tree(root, {"services/api/Dockerfile": DOCKERFILE})
    os.symlink("../outside/b.json", root / "baseline.json")
    code, _, err = run(["--baseline", "../../baseline.json", "."], root / "services" / "api")
    assert code == 2 and "not read" in err


def _fifo_unwritten(path: Path) -> None:
    os.mkfifo(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
@pytest.mark.parametrize("what", ["config", "baseline"])
def test_a_fifo_configuration_or_baseline_does_not_hang(tmp_path, what):
    root = repo(tmp_path / "repo")
    write_tree(root, {"Dockerfile": DOCKERFILE})
    args = ["."]
    if what == "config":
        _fifo_unwritten(root / ".dockerlint.yml")
    else:
        _fifo_unwritten(root / "b.json")
        args = ["--baseline", "b.json", "."]
    got: list[tuple[int, str, str]] = []
    t = threading.Thread(target=lambda: got.append(run(args, root)), daemon=True)
    t.start()
    t.join(20)
    assert got, "dockerlint hung on a FIFO"
    code, _, err = got[0]
    assert code == 2 and "not a regular file" in err


def test_a_huge_configuration_is_not_read(tmp_path):
    root = repo(tmp_path / "repo")
    write_tree(root, {"Dockerfile": DOCKERFILE})
    with open(root / "pyproject.toml", "wb") as fh:
        fh.truncate(2 * 1024 * 1024 * 1024)  # 2 GiB, sparse
    code, _, err = run(["."], root)
    assert code == 2 and "pyproject.toml: not read: it is larger than" in err


# -- Compose: files a project refers to, through links ------------------------------------------

COMPOSE_REFS = {
    "extends": (
        "compose.yaml",
        "services:\n  web:\n    extends:\n      file: base.yaml\n      service: web\n",
        "base.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n",
    ),
    "include": (
        "compose.yaml",
        "include:\n  - base.yaml\nservices:\n  app:\n    image: nginx:1.27\n",
        "base.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n",
    ),
    "env_file": (
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    env_file: app.env\n",
        "app.env",
        "DOCKER_HOST=tcp://10.0.0.1:2375\n",
    ),
    "COMPOSE_FILE": (
        ".env",
        "COMPOSE_FILE=compose.yaml:base.yaml\n",
        "base.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n",
    ),
    ".env": (
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    privileged: ${PRIV}\n",
        ".env",
        "PRIV=true\n",
    ),
}


@pytest.mark.parametrize("ref", sorted(COMPOSE_REFS))
def test_compose_references_through_a_link_out_of_the_tree_are_not_read(tmp_path, ref):
    """What the linked file holds never shows: the same output as when it is not there."""
    name, text, target, content = COMPOSE_REFS[ref]
    outputs = []
    for exists in (True, False):
        base = tmp_path / str(exists)
        outside = base / "outside"
        outside.mkdir(parents=True)
        if exists:
            (outside / target).write_text(content, encoding="utf-8")
        root = repo(base / "repo")
        files = {name: text}
        if name != "compose.yaml":
            files["compose.yaml"] = "services:\n  app:\n    image: nginx:1.27\n"
        write_tree(root, files)
        os.symlink(f"../outside/{target}", root / target)
        code, out, _ = run(["-f", "json", "--select", "DC000,DC102,DD104", "."], root)
        doc = json.loads(out)
        assert not [f for f in doc["findings"] if f["rule_id"] in ("DC102", "DD104")], doc
        outputs.append((code, [(f["rule_id"], f["path"], f["line"], f["message"]) for f in doc["findings"]]))
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("required", [False, True])
def test_env_file_outside_the_tree_answers_the_same_whether_it_exists_or_not(tmp_path, required):
    outputs = []
    for exists in (True, False):
        base = tmp_path / str(exists)
        (base / "etc").mkdir(parents=True)
        if exists:
            (base / "etc" / "hosts").write_text("127.0.0.1 localhost\n", encoding="utf-8")
        root = repo(base / "repo")
        write_tree(
            root,
            {
                "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    env_file:\n"
                f"      - path: ../etc/hosts\n        required: {str(required).lower()}\n"
            },
        )
        outputs.append(run(["-f", "json", "."], root)[:2])
    assert outputs[0] == outputs[1]


def test_include_project_directory_outside_the_tree_is_not_listed(tmp_path):
    outputs = []
    for exists in (True, False):
        base = tmp_path / str(exists)
        (base / "elsewhere").mkdir(parents=True)
        if exists:
            (base / "elsewhere" / ".env").write_text("TAG=1\n", encoding="utf-8")
        root = repo(base / "repo")
        write_tree(
            root,
            {
                "compose.yaml": "include:\n  - path: sub/compose.yaml\n    project_directory: ../elsewhere\n",
                "sub/compose.yaml": "services:\n  web:\n    image: nginx:${TAG}\n",
            },
        )
        outputs.append(run(["-f", "json", "--select", "ALL", "."], root)[:2])
    assert outputs[0] == outputs[1]


# -- the helper ---------------------------------------------------------------------------------


def test_resolve_follows_your_links_and_refuses_the_repositorys(tmp_path):
    tree_dir = tmp_path / "tree"
    (tree_dir / "sub").mkdir(parents=True)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "f").write_text("x")
    (tree_dir / "sub" / "f").write_text("x")
    tree = containment.real_dirs([tree_dir])
    os.symlink(tmp_path / "out", tmp_path / "yours")  # a link outside the tree: yours
    os.symlink("../out/f", tree_dir / "escape")
    os.symlink("sub/f", tree_dir / "fine")
    os.symlink("loop", tree_dir / "loop")
    os.symlink("../tree/sub/f", tree_dir / "out-and-back")  # leaves and comes back: ends inside
    assert containment.resolve(str(tmp_path / "yours" / "f"), tree) == str((tmp_path / "out" / "f").resolve())
    assert containment.resolve(str(tree_dir / "fine"), tree) == str((tree_dir / "sub" / "f").resolve())
    assert containment.resolve(str(tree_dir / "out-and-back"), tree) == str((tree_dir / "sub" / "f").resolve())
    for bad in ("escape", "escape/../../out/f"):
        with pytest.raises(containment.OutsideTree):
            containment.resolve(str(tree_dir / bad), tree)
    with pytest.raises(containment.LinkLoop):
        containment.resolve(str(tree_dir / "loop"), tree)
    # a link in a holder folder (a repository root above the tree) is the repository's
    os.symlink("out/f", tmp_path / "held")
    assert containment.resolve(str(tmp_path / "held"), tree) == str((tmp_path / "out" / "f").resolve())
    with pytest.raises(containment.OutsideTree):
        containment.resolve(str(tmp_path / "held"), tree, holders=containment.real_dirs([tmp_path]))
    assert containment.inside(str(tree_dir / "fine"), tree) and not containment.inside(str(tree_dir / "escape"), tree)


# -- paths named on the command line --------------------------------------------------------------

PASSWD = "root:x:0:0:root:/root:/bin/bash\n"


@pytest.mark.parametrize("given", ["Dockerfile", "linked", "linked/Dockerfile"])
def test_a_path_you_name_in_the_working_directory_is_not_read_through_its_link_out(tmp_path, given):
    """`git ls-files | xargs dockerlint` names the repository's links: a committed
    `Dockerfile -> /etc/passwd` put the target's first line in a DF000 message."""
    got = []
    for exists in (True, False):
        base = tmp_path / str(exists)
        (base / "out").mkdir(parents=True)
        if exists:
            (base / "out" / "Dockerfile").write_text(PASSWD, encoding="utf-8")
        root = repo(base / "repo")
        write_tree(root, {"other/Dockerfile": DOCKERFILE})
        os.symlink("../out/Dockerfile", root / "Dockerfile")
        os.symlink("../out", root / "linked")
        code, out, err = run(["-q", given, "other/Dockerfile"], root)
        assert code == 2 and "root:x" not in out + err
        assert f"{given}: not read: it is a symbolic link of the linted tree that leads out of it" in err
        assert "other/Dockerfile:1:" in out  # the rest of the run goes on
        got.append((code, out, err))
    assert got[0] == got[1]


def test_a_path_you_name_outside_the_working_directory_is_yours(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    root = repo(tmp_path / "repo")
    os.symlink(tmp_path / "out", tmp_path / "mine")  # your link, outside the tree
    for given in ("../out/Dockerfile", "../mine/Dockerfile", str(tmp_path / "mine")):
        code, out, err = run(["-q", given], root)
        assert code == 1 and "DF101" in out, (given, err)


def test_links_of_the_working_directory_that_stay_in_it_are_followed(tmp_path):
    root = repo(tmp_path / "repo")
    write_tree(root, {"common/Dockerfile": DOCKERFILE})
    (root / "svc").mkdir()
    os.symlink("../common/Dockerfile", root / "svc" / "Dockerfile")
    code, out, err = run(["-q", "svc/Dockerfile"], root)
    assert code == 1 and "svc/Dockerfile:1:" in out and "DF101" in out, err


def test_within_never_looks_outside_the_tree(tmp_path, monkeypatch):
    """:func:`containment.within` (the Compose references' check) answers without a single
    look at a path outside the tree: not even ``lstat``/``readlink``/``realpath`` on one."""
    base = Path(os.path.realpath(tmp_path))
    outside = base / "outside"
    (outside / "dir").mkdir(parents=True)
    (outside / "dir" / "app.env").write_text("A=1\n", encoding="utf-8")
    (outside / "back").symlink_to(base / "repo" / "real")  # an outside link back in
    root = base / "repo"
    (root / "real").mkdir(parents=True)
    (root / "real" / "app.env").write_text("A=1\n", encoding="utf-8")
    os.symlink("../outside/dir", root / "out")  # a link of the tree leading out
    os.symlink(str(outside / "back"), root / "loop")  # ... and one through an outside link
    os.symlink("real", root / "in")  # a link that stays in
    tree = containment.real_dirs([str(root)])
    seen: list[str] = []
    for name in ("lstat", "readlink", "stat", "listdir"):
        real = getattr(os, name)
        monkeypatch.setattr(os, name, lambda p, *a, _real=real, **k: (seen.append(str(p)), _real(p, *a, **k))[1])
    real_realpath = os.path.realpath
    monkeypatch.setattr(os.path, "realpath", lambda p, *a, **k: (seen.append(str(p)), real_realpath(p, *a, **k))[1])
    assert containment.within(str(root / "in" / "app.env"), tree)
    assert containment.within(str(root / "missing" / "x.env"), tree)
    for path in (
        root / "out" / "app.env",
        root / "loop" / "app.env",
        root / ".." / "outside" / "dir" / "app.env",
        outside / "dir" / "app.env",
    ):
        assert not containment.within(str(path), tree)
    assert seen and all(p == str(root) or p.startswith(str(root) + os.sep) for p in seen), seen


def test_a_walked_file_swapped_for_a_link_out_of_the_tree_is_not_read(tmp_path):
    """The walk skips links out of the tree; a file replaced by one between the walk and the
    read (the repository may change under the run) is refused when it is opened: the engine
    resolves every file it found inside the scanned folders, and nothing of the target shows."""
    from dockerlint.core.engine import Engine
    from dockerlint.core.options import Options
    from dockerlint.discovery import discover
    from helpers import registry

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Dockerfile").write_text(f"FROM debian:12\nUSER {SECRET}\n", encoding="utf-8")
    tree = tmp_path / "repo"
    tree.mkdir()
    (tree / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    found, errors = discover([str(tree)], cwd=str(tree))
    assert errors == [] and [c.path for c in found] == ["Dockerfile"] and not found[0].explicit
    (tree / "Dockerfile").unlink()
    os.symlink("../outside/Dockerfile", tree / "Dockerfile")
    result = Engine(registry(), Options(roots=(str(tree),))).run(found)
    assert [(f.rule_id, f.message) for f in result.findings] == [
        ("DF000", "not read: it is a symbolic link of the linted tree that leads out of it")
    ]
    assert result.io_errors == 1
    assert SECRET not in repr(result)
