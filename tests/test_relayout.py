"""scripts/relayout.py (issue 13 WP1.1): the tree stays laid out, and the rewriting is right and stable.

A branch opened before the relayout and merged without running the script would bring back an
old module name (``dockerlint.engine``, ``dockerlint.checks.df101``...) or a module in
``checks/``: the first test fails and names the command that fixes it.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("relayout", ROOT / "scripts" / "relayout.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


relayout = _script()


@pytest.mark.skipif(
    not (ROOT / ".git").exists() or shutil.which("git") is None,
    reason="not a git checkout: scripts/relayout.py lists the files with git",
)
def test_nothing_is_left_to_move_or_rewrite() -> None:
    proc = subprocess.run(
        [sys.executable, "scripts/relayout.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


REWRITES = [
    # from-imports of moved modules, split by their new packages
    (
        "from dockerlint import containment, parallel\n",
        "from dockerlint.util import containment\nfrom dockerlint.core import parallel\n",
    ),
    (
        "from dockerlint import __version__, limits\n",
        "from dockerlint import __version__\nfrom dockerlint.util import limits\n",
    ),
    ("    from dockerlint import inline as inline_mod\n", "    from dockerlint.parsers import inline as inline_mod\n"),
    (
        "from dockerlint.reporters import fingerprint, sarif\n",
        "from dockerlint.reporters import sarif\nfrom dockerlint.util import fingerprint\n",
    ),
    (
        "from dockerlint.checks import builtin_rules, _tree\n",
        "from dockerlint.core.registry import builtin_rules\nfrom dockerlint.rules.common import tree as _tree\n",
    ),
    ("from dockerlint.checks._daemon_defaults import shown\n", "from dockerlint.rules.daemon._defaults import shown\n"),
    # fixes was a module and is a package: the script never writes the ambiguous form
    ("    from dockerlint import fixes\n", "    import dockerlint.fixes.plan as fixes\n"),
    ("from dockerlint.fixes import plan\n", "from dockerlint.fixes.plan import plan\n"),
    # strings: patch targets, entry points, -m, import checks
    (
        'monkeypatch.setattr("dockerlint.engine.cpu_count", lambda: 1)\n',
        'monkeypatch.setattr("dockerlint.core.engine.cpu_count", lambda: 1)\n',
    ),
    ('builtin = "dockerlint.checks:builtin_rules"\n', 'builtin = "dockerlint.core.registry:builtin_rules"\n'),
    ('[sys.executable, "-m", "dockerlint.ruledocs"]\n', '[sys.executable, "-m", "dockerlint.reporters.ruledocs"]\n'),
    ('assert "dockerlint.checks.df101" in modules\n', 'assert "dockerlint.rules.image.df101" in modules\n'),
    (
        'assert "dockerlint.checks.dc119" in modules\n',
        'assert "dockerlint.rules.container.optional.dc119" in modules\n',
    ),
    # paths: written out, as path expressions, in the complexity allowlist, short forms in docs
    (
        'SRC = ROOT / "src" / "dockerlint" / "checks" / "_builds.py"\n',
        'SRC = ROOT / "src" / "dockerlint" / "rules" / "common" / "builds.py"\n',
    ),
    (
        "see src/dockerlint/checks/df101.py and checks/_secrets.py\n",
        "see src/dockerlint/rules/image/df101.py and rules/common/secrets.py\n",
    ),
    ("dockerlint/engine.py::Engine.run 33\n", "dockerlint/core/engine.py::Engine.run 33\n"),
    ("dockerlint/cli.py::lint 96\n", "dockerlint/cli/__init__.py::lint 96\n"),
    ("(:mod:`dockerlint.lines`)\n", "(:mod:`dockerlint.util.lines`)\n"),
    # left alone: names that did not move, and text that only looks like a module name
    ("from dockerlint.cli import main\nimport dockerlint.config\n", None),
    ("[tool.dockerlint.limits] in .dockerlint.toml; --output dockerlint.sarif\n", None),
    ("from dockerlint.models.base import Span\nfrom dockerlint.parsers import compose\n", None),
    # public since WP1.2: the shim, and the fixes package named alone (import-linter contracts)
    ("from dockerlint.registry import Hit, rule\n", None),
    ('forbidden_modules = ["dockerlint.fixes", "dockerlint.registry"]\n', None),
]


@pytest.mark.parametrize(("old", "new"), REWRITES)
def test_rewriting_and_rewriting_again(old: str, new: str | None) -> None:
    rw = relayout.Rewriter(relayout.all_moves())
    want = old if new is None else new
    assert rw.rewrite(old, python=True) == want
    assert rw.rewrite(want, python=True) == want  # a second run changes nothing


RULE = """
from dockerlint.models.container import Container
from dockerlint.models.daemon import Daemon
from dockerlint.registry import Severity, rule

@rule(id="DD199", name="x", reads=(Daemon, Container), severity=Severity.LOW, summary="x"{extra})
def check(d, ctx):
    yield from ()
"""


@pytest.mark.parametrize(
    ("extra", "want"),
    [
        ("", ("daemon", True)),
        (", enabled_by_default=False", ("daemon", False)),
        (", enabled_by_default=True", ("daemon", True)),
    ],
)
def test_a_new_rule_module_is_placed_by_what_it_declares(tmp_path: Path, extra: str, want: tuple[str, bool]) -> None:
    module = tmp_path / "dd199.py"
    module.write_text(RULE.format(extra=extra), encoding="utf-8")
    assert relayout._declaration(module) == want


def test_a_rule_on_a_model_without_a_kind_folder_stops_the_script(tmp_path: Path) -> None:
    module = tmp_path / "df999.py"
    module.write_text(RULE.format(extra="").replace("(Daemon, Container)", "BuiltImage"), encoding="utf-8")
    with pytest.raises(SystemExit, match=r"BuiltImage.*add it to KINDS"):
        relayout._declaration(module)


def test_a_rule_module_gets_the_rule_api_from_dockerlint_api() -> None:
    old = (
        "from dockerlint.engine import RuleContext\n"
        "from dockerlint.registry import Hit, Severity, rule\n"
        "from dockerlint.checks._options import options_of\n"
    )
    rw = relayout.Rewriter(relayout.all_moves())
    new = relayout.api_imports(rw.rewrite(old, python=True))
    assert new == (
        "from dockerlint.api import RuleContext\n"
        "from dockerlint.api import Hit, Severity, rule\n"
        "from dockerlint.api import options_of\n"
    )
    assert relayout.api_imports(rw.rewrite(new, python=True)) == new
