"""Attacks on ``--fix``, ``--output``, ``--write-baseline`` and ``python -m dockerlint`` that
got past the first round of safe writes (tests/test_safe_writes.py).

Each test plays a hostile repository beside the user's own files, and checks that nothing
outside the tree changes and that the refusal is said (exit 2, the path on stderr).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import repo
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


# -- python -m ------------------------------------------------------------------------


def test_python_m_minus_p_in_a_checkout_that_shadows_the_standard_library_runs_none_of_it(world, tmp_path):
    """``python -m`` itself (runpy) imports ``contextlib``, ``warnings``, ``types``... from
    the working directory before any dockerlint code runs: no fix inside dockerlint can stop
    that, so the README sends untrusted checkouts to the command or ``python -P -m``, which
    this checks."""
    tree, _ = world
    marker = tmp_path / "marker"
    planted = ("contextlib", "warnings", "types", "functools", "collections", "operator", "keyword",
               "reprlib", "yaml", "sitecustomize", "usercustomize")
    for name in planted:
        (tree / f"{name}.py").write_text(f"open({str(marker)!r}, 'a').write({name!r} + ' ')\n")
    (tree / "dockerlint").mkdir()
    (tree / "dockerlint" / "__init__.py").write_text(f"open({str(marker)!r}, 'a').write('dockerlint ')\n")
    write_tree(tree, {"compose.yaml": COMPOSE})
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    proc = subprocess.run([sys.executable, "-P", "-m", "dockerlint", "-q", "."], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1 and "compose.yaml:2:3: DC113" in proc.stdout, proc.stderr
    assert not marker.exists(), marker.read_text()
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "python -P -m dockerlint" in readme and "`contextlib.py`" in readme
