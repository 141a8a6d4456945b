"""Attacks on ``--fix``, ``--output``, ``--write-baseline`` and ``python -m dockerlint`` that
got past the first round of safe writes (tests/test_safe_writes.py).

Each test plays a hostile repository beside the user's own files, and checks that nothing
outside the tree changes and that the refusal is said (exit 2, the path on stderr).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import dockerlint.fixes.write as fixes
from cli_helpers import repo, run
from dockerlint.util import safefiles
from helpers import write_tree

COMPOSE = "services:\n  web:\n    image: nginx:1.25\n"
FIXED = "services:\n  web:\n    security_opt:\n      - no-new-privileges:true\n    image: nginx:1.25\n"
PRECIOUS = b"export PATH=/usr/bin  # the user's own file, outside the tree\n"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _state(root: Path) -> dict[str, tuple[object, ...]]:
    """Everything under ``root``: each entry's kind, bytes or link target, mode, owner."""
    out: dict[str, tuple[object, ...]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath, name)
            st = p.lstat()
            if stat.S_ISLNK(st.st_mode):
                body: object = ("link", os.readlink(p))
            elif stat.S_ISREG(st.st_mode):
                body = p.read_bytes()
            else:
                body = "other"
            out[str(p.relative_to(root))] = (body, st.st_mode, st.st_uid, st.st_gid)
    return out


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path]:
    """A checkout ``tree`` and, beside it, the user's own files in ``outside``."""
    tree, outside = repo(tmp_path / "tree"), tmp_path / "outside"
    outside.mkdir()
    (outside / "profile").write_bytes(PRECIOUS)
    return tree, outside


def _swap_on_first_lstat(
    monkeypatch: pytest.MonkeyPatch, within: tuple[Any, str], name: str, swap: Callable[[], None]
) -> None:
    """Run ``swap`` once, right before the first ``os.lstat`` of a path ending in ``name``
    made while the function ``within`` (module, name) runs: the moment a racing process
    would pick to swap a folder for a link, after the folder was checked and before the
    file in it is looked at."""
    real_lstat = os.lstat
    armed: list[bool] = []
    done: list[bool] = []

    def lstat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if armed and not done and os.fspath(path).endswith(name):
            done.append(True)
            swap()
        return real_lstat(path, *args, **kwargs)

    module, attr = within
    real_within = getattr(module, attr)

    def arming(*args: Any, **kwargs: Any) -> Any:
        armed.append(True)
        return real_within(*args, **kwargs)

    monkeypatch.setattr(os, "lstat", lstat)
    monkeypatch.setattr(module, attr, arming)


def _folder_to_link(folder: Path, target: str) -> Callable[[], None]:
    """Move ``folder`` aside (inside the tree) and put a link to ``target`` in its place."""

    def swap() -> None:
        os.rename(folder, folder.with_name(folder.name + "-moved"))
        os.symlink(target, folder)

    return swap


# -- races: a folder swapped for a link after it was checked ----------------------------


def test_fix_race_a_folder_swapped_for_a_link_after_its_check_writes_nothing_outside(world, monkeypatch):
    """Found with a process swapping ``sub`` and a link to ``../outside`` (renameat2
    RENAME_EXCHANGE) while ``--fix sub`` ran: 1 run in 50 replaced outside/compose.yaml, and
    refused runs left their temporary files in ``outside``. The folder is now opened once,
    without following a link, and everything happens relative to that descriptor."""
    tree, outside = world
    write_tree(tree, {"sub/compose.yaml": COMPOSE})
    (outside / "compose.yaml").write_text(COMPOSE)  # the attacker knows what is there
    before = _state(outside)
    _swap_on_first_lstat(monkeypatch, (fixes, "write"), "compose.yaml", _folder_to_link(tree / "sub", "../outside"))
    code, _, err = run(["--fix", "--select", "DC113", "sub"], tree)
    monkeypatch.undo()
    assert _state(outside) == before, err
    # The folder that was checked is the one written in: it now lives at sub-moved.
    assert code == 0, err
    assert (tree / "sub-moved" / "compose.yaml").read_text() == FIXED
    assert sorted(os.listdir(tree / "sub-moved")) == ["compose.yaml"]  # no temporary file left


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_report_race_a_folder_swapped_for_a_link_after_its_check_writes_nothing_outside(world, monkeypatch, option):
    tree, outside = world
    write_tree(tree, {"compose.yaml": COMPOSE, "reports/keep": ""})
    (outside / "report.json").write_text("the user's own file\n")
    before = _state(outside)
    _swap_on_first_lstat(
        monkeypatch, (safefiles, "write_report"), "report.json", _folder_to_link(tree / "reports", "../outside")
    )
    code, _, err = run([option, "reports/report.json", "-f", "json", "."], tree)
    monkeypatch.undo()
    assert _state(outside) == before, err
    assert code in (0, 1), err
    assert json.loads((tree / "reports-moved" / "report.json").read_text())


def test_fix_reads_again_no_more_than_the_linted_text_can_take(world):
    """A file swapped meanwhile for a huge one is not read whole to find that it changed."""
    tree, _ = world
    write_tree(tree, {"compose.yaml": COMPOSE})
    path = tree / "compose.yaml"
    pending = fixes.PendingWrite(
        "compose.yaml", str(path), COMPOSE, FIXED, [[(18, 18, "    security_opt:\n      - no-new-privileges:true\n")]]
    )
    with open(path, "r+b") as fh:
        fh.truncate(256 * 1024 * 1024)  # sparse: costs no disk, but 256 MiB to read
    import tracemalloc

    tracemalloc.start()
    try:
        got = fixes.write([pending])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert got == {"compose.yaml": "compose.yaml: changed while dockerlint was running; not fixed"}
    assert peak < 4 * 1024 * 1024


# -- what is the repository's -----------------------------------------------------------


@pytest.mark.parametrize("given", ["tree/deploy", "tree/deploy/", "tree/deploy/compose.yaml"])
@pytest.mark.parametrize("points_at_a_checkout", [False, True])
def test_fix_from_outside_the_checkout_never_follows_its_linked_folder(world, tmp_path, given, points_at_a_checkout):
    """``dockerlint --fix /repo/deploy`` run from elsewhere, where the repository made
    ``deploy`` a link: the links of the checkout that holds a linted folder are the
    repository's, whatever the working directory. Its target may itself hold ``.git``
    (another of the user's checkouts): the outer checkout still counts."""
    tree, outside = world
    write_tree(outside, {"deploy/compose.yaml": COMPOSE})
    if points_at_a_checkout:
        repo(outside / "deploy")
    os.symlink("../outside/deploy", tree / "deploy")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = _state(outside)
    code, _, err = run(["--fix", "--select", "DC113", str(tmp_path / given)], elsewhere)
    assert _state(outside) == before, err
    assert code == 2, err
    assert f"{tree / 'deploy'} is a symbolic link inside the scanned tree" in err


def test_report_from_outside_the_checkout_never_follows_its_linked_folder(world, tmp_path):
    tree, outside = world
    write_tree(tree, {"sub/compose.yaml": COMPOSE})
    os.symlink("../outside", tree / "reports")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = _state(outside)
    code, _, err = run(["-o", str(tree / "reports" / "report.txt"), str(tree / "sub")], elsewhere)
    assert _state(outside) == before
    assert code == 2 and f"{tree / 'reports'} is a symbolic link inside the scanned tree" in err


@pytest.mark.skipif(not IS_ROOT, reason="only root makes device nodes")
@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_report_refuses_a_device_node_in_the_tree(world, option):
    """A tarball extracted as root can hold device nodes: ``dockerlint.txt`` made as the
    disk's block device would get the report written over the disk. (Here: a node of
    /dev/null's numbers, which the test can afford to write to.)"""
    tree, _ = world
    write_tree(tree, {"compose.yaml": COMPOSE})
    try:
        os.mknod(tree / "dockerlint.txt", 0o644 | stat.S_IFCHR, os.makedev(1, 3))
    except OSError as exc:  # a container without CAP_MKNOD
        pytest.skip(f"cannot make a device node: {exc}")
    code, _, err = run([option, "dockerlint.txt", "."], tree)
    assert code == 2, err
    assert "dockerlint.txt is a character device inside the scanned tree" in err
    assert stat.S_ISCHR((tree / "dockerlint.txt").lstat().st_mode)
    # The user's own devices elsewhere still work.
    assert run(["-o", "/dev/null", "."], tree)[0] == 1


def test_report_to_dev_stdout_from_the_filesystem_root(world):
    """Containers often run with ``/`` as their working directory: that makes no link of
    the whole file system the repository's, so ``-o /dev/stdout`` keeps working."""
    tree, _ = world
    write_tree(tree, {"compose.yaml": COMPOSE})
    proc = subprocess.run(
        [sys.executable, "-m", "dockerlint", "-f", "json", "-o", "/dev/stdout", str(tree)],
        cwd="/",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["findings"]


# -- python -m ------------------------------------------------------------------------


def test_python_m_minus_p_in_a_checkout_that_shadows_the_standard_library_runs_none_of_it(world, tmp_path):
    """``python -m`` itself (runpy) imports ``contextlib``, ``warnings``, ``types``... from
    the working directory before any dockerlint code runs: no fix inside dockerlint can stop
    that, so the README sends untrusted checkouts to the command or ``python -P -m``, which
    this checks: both, where ``-P`` exists (Python 3.11+, as the README says), the command alone
    on Python 3.10."""
    tree, _ = world
    marker = tmp_path / "marker"
    planted = (
        "contextlib",
        "warnings",
        "types",
        "functools",
        "collections",
        "operator",
        "keyword",
        "reprlib",
        "yaml",
        "sitecustomize",
        "usercustomize",
    )
    for name in planted:
        (tree / f"{name}.py").write_text(f"open({str(marker)!r}, 'a').write({name!r} + ' ')\n")
    (tree / "dockerlint").mkdir()
    (tree / "dockerlint" / "__init__.py").write_text(f"open({str(marker)!r}, 'a').write('dockerlint ')\n")
    write_tree(tree, {"compose.yaml": COMPOSE})
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    command = shutil.which("dockerlint", path=os.path.dirname(sys.executable)) or shutil.which("dockerlint")
    assert command, "the dockerlint console script is not installed"
    runs = [[command, "-q", "."]]
    if sys.version_info >= (3, 11):
        runs.append([sys.executable, "-P", "-m", "dockerlint", "-q", "."])
    for argv in runs:
        proc = subprocess.run(argv, cwd=tree, env=env, capture_output=True, text=True, timeout=60, check=False)
        assert proc.returncode == 1 and "compose.yaml:2:3: DC113" in proc.stdout, (argv, proc.stderr)
        assert not marker.exists(), (argv, marker.read_text())
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "python -P -m dockerlint" in readme and "`contextlib.py`" in readme
