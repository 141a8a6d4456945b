"""dockerlint never writes outside the tree it lints, and never runs the linted repository's code.

The repository is the attacker's: its links, names and files are hostile. ``--fix``,
``--output`` and ``--write-baseline`` write files; ``python -m dockerlint`` and the
plugin machinery import code. See the README's "Automatic fixes" and "Plugins".
"""

from __future__ import annotations

import codecs
import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

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
                body = "dir"
            out[str(p.relative_to(root))] = (body, st.st_mode, st.st_uid, st.st_gid)
    return out


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path]:
    """A checkout ``tree`` and, beside it, the user's own files in ``outside``."""
    tree, outside = repo(tmp_path / "tree"), tmp_path / "outside"
    outside.mkdir()
    (outside / "profile").write_bytes(PRECIOUS)
    (outside / "profile").chmod(0o600)
    return tree, outside


# -- --fix ---------------------------------------------------------------------------


def test_fix_never_follows_a_committed_link_at_the_old_temp_name(world):
    """The attack of issue 11: ``compose.yaml.dockerlint-fix -> ../outside`` was opened with
    open("wb"), chmod-ed and renamed over compose.yaml."""
    tree, outside = world
    write_tree(tree, {"compose.yaml": COMPOSE})
    os.symlink("../outside/profile", tree / "compose.yaml.dockerlint-fix")
    before = _state(outside)
    code, _, err = run(["--fix", "--select", "DC113", "."], tree)
    assert code == 0, err
    assert _state(outside) == before
    assert (outside / "profile").read_bytes() == PRECIOUS
    assert not (tree / "compose.yaml").is_symlink()
    assert (tree / "compose.yaml").read_text() == FIXED
    assert os.readlink(tree / "compose.yaml.dockerlint-fix") == "../outside/profile"
    assert sorted(os.listdir(tree)) == [".git", "compose.yaml", "compose.yaml.dockerlint-fix"]  # no temp left


def test_fix_refuses_a_link_in_the_tree_names_it_and_reports_its_findings(world):
    tree, _ = world
    write_tree(tree, {"deploy/base.yml": COMPOSE, "Dockerfile": "FROM alpine:3.20\nMAINTAINER a@b.c\n"})
    os.symlink("deploy/base.yml", tree / "compose.yaml")
    code, out, err = run(["--fix", "-q", "--select", "DC113,DF221", "."], tree)
    assert code == 2
    assert "dockerlint: compose.yaml: is a symbolic link; not fixed" in err
    assert os.readlink(tree / "compose.yaml") == "deploy/base.yml"
    assert (tree / "deploy/base.yml").read_text() == COMPOSE
    assert "compose.yaml:2:3: DC113" in out  # what is on disk is reported, not the unwritten fix
    assert "LABEL org.opencontainers.image.authors" in (tree / "Dockerfile").read_text()  # others fixed
    assert "fixed 1 finding in 1 file" in err


@pytest.mark.parametrize("given", ["deploy/compose.yaml", "deploy", "."])
def test_fix_never_writes_through_a_linked_folder_of_the_tree(world, given):
    """Walking skips linked folders; named on the command line, one still must not lead the
    fix out of the tree."""
    tree, outside = world
    write_tree(outside, {"deploy/compose.yaml": COMPOSE})
    os.symlink("../outside/deploy", tree / "deploy")
    before = _state(outside)
    code, _, err = run(["--fix", "--select", "DC113", given], tree)
    assert _state(outside) == before
    if given == ".":
        assert code == 0 and "compose.yaml" not in err  # not walked into
    else:
        # not even read: a link of the working directory that leads out of it
        assert code == 2, err
        assert f"{given}: not read: it is a symbolic link of the linted tree that leads out of it" in err


def test_fix_never_writes_through_a_linked_folder_that_stays_in_the_tree(world):
    tree, _ = world
    write_tree(tree, {"real/compose.yaml": COMPOSE})
    os.symlink("real", tree / "deploy")
    code, _, err = run(["--fix", "--select", "DC113", "deploy/compose.yaml"], tree)
    assert code == 2, err
    assert (
        "deploy/compose.yaml: not fixed: " + str(tree / "deploy") + " is a symbolic link inside the scanned tree"
    ) in err
    assert "no-new-privileges" not in (tree / "real/compose.yaml").read_text()  # not fixed


def test_fix_refuses_hard_linked_and_read_only_files_and_fixes_the_others(world):
    tree, outside = world
    write_tree(tree, {f"{d}/compose.yaml": COMPOSE for d in ("linked", "readonly", "lockeddir", "plain")})
    os.link(tree / "linked/compose.yaml", outside / "other-name.yaml")
    (tree / "readonly/compose.yaml").chmod(0o444)
    (tree / "lockeddir").chmod(0o555)
    try:
        code, _, err = run(["--fix", "--select", "DC113", "."], tree)
        assert code == 2
        assert "dockerlint: linked/compose.yaml: has 2 hard links; not fixed" in err
        assert "dockerlint: readonly/compose.yaml: is read-only (mode 0444); not fixed" in err
        assert "dockerlint: lockeddir/compose.yaml: its folder is read-only; not fixed" in err
        assert "fixed 1 finding in 1 file" in err
        for d in ("linked", "readonly", "lockeddir"):
            assert (tree / d / "compose.yaml").read_text() == COMPOSE, d
        assert (outside / "other-name.yaml").read_text() == COMPOSE
        assert (tree / "plain/compose.yaml").read_text() == FIXED
        assert stat.S_IMODE((tree / "readonly/compose.yaml").stat().st_mode) == 0o444
    finally:
        (tree / "lockeddir").chmod(0o755)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-8-sig"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_fix_keeps_the_encoding_and_byte_order(world, codec, newline):
    tree, _ = world
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE, "utf-8-sig": b""}[codec]
    (tree / "compose.yaml").write_bytes(bom + COMPOSE.replace("\n", newline).encode(codec))
    code, _, err = run(["--fix", "--select", "DC113", "."], tree)
    assert code == 0, err
    assert (tree / "compose.yaml").read_bytes() == bom + FIXED.replace("\n", newline).encode(codec)


def test_fix_keeps_mixed_line_endings_line_by_line(world):
    """Every line keeps its own break; inserted lines take the break of the line they are
    inserted at (here web's first key has CRLF, db's has LF)."""
    tree, _ = world
    text = "services:\r\n  web:\n    image: nginx:1.25\r\n  db:\r\n    image: postgres:16\n"
    (tree / "compose.yaml").write_bytes(text.encode())
    code, _, err = run(["--fix", "--select", "DC113", "."], tree)
    assert code == 0, err
    assert (tree / "compose.yaml").read_bytes() == (
        b"services:\r\n  web:\n    security_opt:\r\n      - no-new-privileges:true\r\n    image: nginx:1.25\r\n"
        b"  db:\r\n    security_opt:\n      - no-new-privileges:true\n    image: postgres:16\n"
    )


def test_fix_keeps_lone_cr_line_ends_where_they_are_line_breaks(world):
    tree, _ = world
    (tree / "compose.yaml").write_bytes(COMPOSE.replace("\n", "\r").encode())
    code, _, err = run(["--fix", "--select", "DC113", "."], tree)
    assert code == 0, err
    assert (tree / "compose.yaml").read_bytes() == FIXED.replace("\n", "\r").encode()


def test_fix_keeps_breaks_with_a_last_line_without_one(world):
    tree, _ = world
    raw = b"FROM alpine:3.20\r\nMAINTAINER a@b.c\nCMD echo hi"
    (tree / "Dockerfile").write_bytes(raw)
    code, _, err = run(["--fix", "--select", "DF219,DF221", "."], tree)
    assert code == 0, err
    assert (tree / "Dockerfile").read_bytes() == (
        b'FROM alpine:3.20\r\nLABEL org.opencontainers.image.authors="a@b.c"\nCMD ["echo", "hi"]'
    )


def test_fix_keeps_breaks_over_several_passes(tmp_path):
    """Each pass's edits are offsets into the text the pass linted; breaks follow them all."""
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a: 1\r\nb: 2\nc: 3")
    linted = "a: 1\nb: 2\nc: 3"
    first = [(0, 0, "x: 0\n"), (14, 14, "\nd: 4")]  # before a (CRLF line), after c (last line)
    middle = "x: 0\na: 1\nb: 2\nc: 3\nd: 4"
    second = [(10, 14, "b: 2\nbb: 22")]  # replaces b's line, which has LF
    fixed = "x: 0\na: 1\nb: 2\nbb: 22\nc: 3\nd: 4"
    assert middle[10:14] == "b: 2"
    assert fixes.write([fixes.PendingWrite("f.yaml", str(path), linted, fixed, [first, second])]) == {}
    assert path.read_bytes() == b"x: 0\r\na: 1\r\nb: 2\nbb: 22\nc: 3\nd: 4"


def test_fix_keeps_mode_and_owner(world):
    tree, _ = world
    write_tree(tree, {"compose.yaml": COMPOSE})
    path = tree / "compose.yaml"
    path.chmod(0o640)
    if IS_ROOT:
        os.chown(path, 4321, 4322)
    assert run(["--fix", "--select", "DC113", "."], tree)[0] == 0
    st = path.stat()
    assert stat.S_IMODE(st.st_mode) == 0o640 and path.read_text() == FIXED
    if IS_ROOT:
        assert (st.st_uid, st.st_gid) == (4321, 4322)


def test_fix_checks_the_file_again_right_before_replacing_it(world, monkeypatch):
    """A file swapped for a link between reading it and the rename is left alone."""
    tree, outside = world
    write_tree(tree, {"compose.yaml": COMPOSE})
    real_fsync = os.fsync

    def swap_then_fsync(fd: int) -> None:
        os.replace(tree / "compose.yaml", tree / "moved.yaml")
        os.symlink("../outside/profile", tree / "compose.yaml")
        real_fsync(fd)

    monkeypatch.setattr(safefiles.os, "fsync", swap_then_fsync)
    code, _, err = run(["--fix", "--select", "DC113", "."], tree)
    assert code == 2 and "compose.yaml: is a symbolic link; not fixed" in err
    assert (outside / "profile").read_bytes() == PRECIOUS
    assert os.readlink(tree / "compose.yaml") == "../outside/profile"
    assert sorted(os.listdir(tree)) == [".git", "compose.yaml", "moved.yaml"]  # the temporary file is gone


def test_fix_leaves_a_file_changed_meanwhile_alone(world):
    tree, _ = world
    write_tree(tree, {"compose.yaml": COMPOSE})
    path = str(tree / "compose.yaml")
    pending = fixes.PendingWrite(
        "compose.yaml",
        path,
        COMPOSE.replace("1.25", "1.24"),
        FIXED,
        [[(18, 18, "    security_opt:\n      - no-new-privileges:true\n")]],
    )
    assert fixes.write([pending]) == {"compose.yaml": "compose.yaml: changed while dockerlint was running; not fixed"}
    assert (tree / "compose.yaml").read_text() == COMPOSE


def test_diff_writes_nothing(world):
    tree, outside = world
    write_tree(tree, {"compose.yaml": COMPOSE, "Dockerfile": "FROM alpine:3.20\nMAINTAINER a@b.c\n"})
    os.symlink("../outside/profile", tree / "compose.yaml.dockerlint-fix")
    os.symlink("../outside/profile", tree / "Dockerfile.dockerlint-fix")
    before_tree, before_outside = _state(tree), _state(outside)
    code, out, _ = run(["--diff", "--select", "DC113,DF221", "."], tree)
    assert code == 1 and "+    security_opt:" in out and "+LABEL" in out
    assert _state(tree) == before_tree and _state(outside) == before_outside


# -- --output and --write-baseline ---------------------------------------------------


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_report_and_baseline_refuse_a_link_in_the_tree(world, option):
    tree, outside = world
    write_tree(tree, {"compose.yaml": "services:\n  web:\n    image: nginx:1.25\n    privileged: true\n"})
    os.symlink("../outside/profile", tree / "dockerlint.txt")
    before = _state(outside)
    code, _, err = run([option, "dockerlint.txt", "."], tree)
    assert code == 2
    assert "dockerlint.txt is a symbolic link inside the scanned tree" in err
    assert _state(outside) == before
    assert os.readlink(tree / "dockerlint.txt") == "../outside/profile"


def test_report_refuses_a_linked_folder_in_the_tree_and_a_link_in_a_scanned_folder(world, tmp_path):
    tree, outside = world
    write_tree(tree, {"compose.yaml": COMPOSE})
    os.symlink("../outside", tree / "reports")
    code, _, err = run(["-o", "reports/profile", "."], tree)
    assert code == 2 and "reports is a symbolic link inside the scanned tree" in err
    # Run from elsewhere: the scanned folder's links are the repository's too.
    os.symlink("../outside/profile", tree / "report.json")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, _, err = run(["-f", "json", "-o", str(tree / "report.json"), str(tree)], elsewhere)
    assert code == 2 and "symbolic link inside the scanned tree" in err
    assert (outside / "profile").read_bytes() == PRECIOUS


def test_report_paths_of_the_users_choice_still_work(world, tmp_path):
    """Links outside the tree are the user's (/dev/stdout); '-' is standard output."""
    tree, outside = world
    write_tree(tree, {"compose.yaml": COMPOSE})
    os.symlink(outside / "profile", tmp_path / "mine")
    code, out, err = run(["-f", "json", "-o", str(tmp_path / "mine"), "."], tree)
    assert code == 1, err
    assert (tmp_path / "mine").is_symlink() and json.loads((outside / "profile").read_text())["findings"]
    code, out, _ = run(["-f", "json", "-o", "-", "."], tree)
    assert code == 1 and json.loads(out)["findings"] and not (tree / "-").exists()
    proc = subprocess.run(
        [sys.executable, "-m", "dockerlint", "-f", "json", "-o", "/dev/stdout", "."],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1 and json.loads(proc.stdout)["findings"], proc.stderr


def test_report_is_replaced_atomically_and_keeps_its_mode(world, monkeypatch):
    tree, _ = world
    write_tree(tree, {"compose.yaml": COMPOSE})
    report = tree / "report.json"
    report.write_text("the previous report\n")
    report.chmod(0o640)

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(safefiles.os, "fsync", full)
        code, _, err = run(["-f", "json", "-o", "report.json", "."], tree)
    assert code == 2 and "cannot write the report to report.json: No space left on device" in err
    assert report.read_text() == "the previous report\n"  # not half a report
    assert sorted(os.listdir(tree)) == [".git", "compose.yaml", "report.json"]
    assert run(["-f", "json", "-o", "report.json", "."], tree)[0] == 1
    assert json.loads(report.read_text())["findings"] and stat.S_IMODE(report.stat().st_mode) == 0o640
    umask = os.umask(0o022)
    try:
        assert run(["-f", "json", "-o", "new.json", "."], tree)[0] == 1
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tree / "new.json").stat().st_mode) == 0o644


# -- python -m dockerlint and plugins -----------------------------------------------


EVIL = """
    import pathlib
    pathlib.Path({marker!r}).write_text("ran")

    def rules():
        return []

    def render(result, ctx):
        return "forged"
"""


def _plant(folder: Path, marker: Path) -> None:
    """A distribution with a rule and a formatter entry point, and a module shadowing PyYAML."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "evilmod.py").write_text(textwrap.dedent(EVIL.format(marker=str(marker))))
    (folder / "yaml.py").write_text(f"import pathlib\npathlib.Path({str(marker)!r}).write_text('yaml')\n")
    info = folder / "evil-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: evil\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[dockerlint.rules]\nevil = evilmod:rules\n\n[dockerlint.formatters]\nevil = evilmod:render\n"
    )


def _python_m(cwd: Path, *args: str, pythonpath: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return subprocess.run(
        [sys.executable, "-m", "dockerlint", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_python_m_in_a_hostile_checkout_runs_none_of_its_code(world, tmp_path):
    tree, _ = world
    marker = tmp_path / "marker"
    _plant(tree, marker)
    write_tree(tree, {"compose.yaml": COMPOSE})  # Compose: dockerlint imports yaml
    proc = _python_m(tree, "-q", ".")
    assert proc.returncode == 1 and "compose.yaml:2:3: DC113" in proc.stdout, proc.stderr
    assert not marker.exists()
    proc = _python_m(tree, "-f", "evil", ".")
    assert proc.returncode == 2 and "unknown format 'evil'" in proc.stderr
    assert not marker.exists()
    proc = _python_m(tree, "rules")
    assert proc.returncode == 0 and "DC113" in proc.stdout and not marker.exists()


def test_plugins_are_not_read_from_a_scanned_folder_on_pythonpath(world, tmp_path):
    tree, _ = world
    marker = tmp_path / "marker"
    _plant(tree / "vendor", marker)
    (tree / "vendor" / "yaml.py").unlink()  # PYTHONPATH shadowing is the user's own setting
    write_tree(tree, {"Dockerfile": "FROM alpine:3.20\n"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = _python_m(elsewhere, str(tree), pythonpath=str(tree / "vendor"))
    assert proc.returncode in (0, 1), proc.stderr
    assert not marker.exists()
    proc = _python_m(elsewhere, "-f", "evil", str(tree), pythonpath=str(tree / "vendor"))
    assert proc.returncode == 2 and not marker.exists()


def test_plugins_outside_the_tree_still_load_with_python_m(world, tmp_path):
    tree, _ = world
    marker = tmp_path / "marker"
    _plant(tmp_path / "plugins", marker)
    (tmp_path / "plugins" / "yaml.py").unlink()
    write_tree(tree, {"Dockerfile": "FROM alpine:3.20\n"})
    proc = _python_m(tree, "-f", "evil", ".", pythonpath=str(tmp_path / "plugins"))
    assert proc.returncode == 1 and proc.stdout == "forged", proc.stderr  # DF101: runs as root
    assert marker.read_text() == "ran"


def test_plugin_path_keeps_site_packages_inside_the_tree(monkeypatch, tmp_path):
    """A project's own .venv lies inside the working directory: its site-packages stays."""
    from dockerlint.core import plugins

    site = tmp_path / ".venv/lib/site-packages"
    vendor = tmp_path / "vendor"
    other = Path("/nonexistent-dockerlint-test/elsewhere-on-path")
    for d in (site, vendor):
        d.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", ["", ".", str(tmp_path), str(site), str(vendor), "vendor", str(other)])
    monkeypatch.setattr(plugins, "_site_dirs", lambda: [str(site)])
    assert plugins.plugin_path() == [str(site), str(other)]
    monkeypatch.chdir(tmp_path.parent)
    assert plugins.plugin_path([str(tmp_path)]) == [str(site), str(other)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_report_to_a_fifo_nobody_reads_is_an_error_not_a_hang(world):
    tree, _ = world
    write_tree(tree, {"compose.yaml": COMPOSE})
    os.mkfifo(tree / "report.txt")
    proc = _python_m(tree, "-o", "report.txt", ".")
    assert proc.returncode == 2 and "cannot write the report to report.txt" in proc.stderr, proc.stderr
    long_name = "r" * 250
    assert run(["-o", long_name, "."], tree)[0] == 1 and (tree / long_name).read_text()
