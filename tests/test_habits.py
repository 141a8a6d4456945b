"""The project's habits, checked by the suite (and so by ``.ci/run``): lint, types, import
layers and a complexity ratchet. Each check is one test whose failure says what to fix.

- ruff: ``ruff check`` over the whole repository with the rules selected in pyproject.toml.
- mypy: ``mypy --strict`` over ``src/dockerlint`` (``[tool.mypy]``).
- import-linter: the contracts of ``[tool.importlinter]`` (``lint-imports``).
- radon: no function in ``src/`` above cyclomatic complexity 25, none above 15 in the CLI,
  configuration and engine modules, except those listed in
  ``tests/data/complexity-allowlist.txt`` with their score today. A listed function may not
  grow; a line that is no longer needed (or whose score went down) must be deleted (lowered),
  so the list only shrinks.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from radon.complexity import cc_visit
from radon.visitors import Class, Function

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
ALLOWLIST = ROOT / "tests" / "data" / "complexity-allowlist.txt"
LIMIT = 25
STRICT_LIMIT = 15
# The CLI, the configuration and the engine: today's modules and the packages issue 13 moves them into.
STRICT = re.compile(r"^dockerlint/(?:cli|config|core)(?:/|\.py$)|^dockerlint/(?:engine|parallel|suppressions)\.py$")


def _tool(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_ruff_check_is_clean() -> None:
    proc = _tool("-m", "ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert proc.returncode == 0, (
        "ruff check found problems (`ruff check --fix .` fixes some):\n" + proc.stdout + proc.stderr
    )


def test_ruff_format_is_clean() -> None:
    proc = _tool("-m", "ruff", "format", "--no-cache", "--check", ".")
    assert proc.returncode == 0, (
        "ruff format would change these files (run `ruff format .`):\n" + proc.stdout + proc.stderr
    )


def test_mypy_strict_is_clean() -> None:
    # files, strictness and python_version: [tool.mypy] in pyproject.toml. A cache per interpreter:
    # .ci/run runs the suites of several Pythons at once in this checkout.
    cache = ROOT / ".mypy_cache" / f"suite-py{sys.version_info.major}.{sys.version_info.minor}"
    proc = _tool("-m", "mypy", "--cache-dir", str(cache))
    assert proc.returncode == 0, "mypy --strict found problems:\n" + proc.stdout + proc.stderr


def test_import_contracts_are_kept(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom importlinter.cli import lint_imports\n"
        f"sys.exit(lint_imports(config_filename='pyproject.toml', cache_dir={str(tmp_path)!r}, no_logo=True))\n"
    )
    proc = _tool("-c", code)
    assert proc.returncode == 0, "an import-linter contract is broken (lint-imports):\n" + proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout, proc.stdout


# -- complexity ratchet ------------------------------------------------------------------


def _functions(blocks: Iterable[Function | Class], prefix: str = "") -> Iterator[tuple[str, int]]:
    """(qualified name, complexity) of every function, method and closure; classes' own scores
    (radon's averages) are not functions and are left out."""
    for block in blocks:
        if isinstance(block, Class):
            for method in block.methods:
                yield from _function(method, f"{prefix}{block.name}.")
            yield from _functions(block.inner_classes, f"{prefix}{block.name}.")
        elif not block.is_method:  # radon lists methods at the top level too
            yield from _function(block, prefix)


def _function(f: Function, prefix: str) -> Iterator[tuple[str, int]]:
    name = prefix + f.name
    yield name, f.complexity
    for closure in f.closures:
        yield from _function(closure, f"{name}.")


def complexities(src: Path) -> dict[str, int]:
    """``path::qualname`` (path relative to ``src``) -> radon's cyclomatic complexity."""
    out: dict[str, int] = {}
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src).as_posix()
        for name, score in _functions(cc_visit(path.read_text(encoding="utf-8"))):
            key = f"{rel}::{name}"
            out[key] = max(score, out.get(key, 0))  # a name defined twice: the worse one
    return out


def limit_of(key: str) -> int:
    return STRICT_LIMIT if STRICT.match(key.split("::", 1)[0]) else LIMIT


def read_allowlist(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        key, _, score = line.rpartition(" ")
        assert key and score.isdigit() and key not in out, f"{ALLOWLIST.name}:{n}: expected 'path::qualname score'"
        out[key] = int(score)
    return out


def ratchet(scores: dict[str, int], allowed: dict[str, int]) -> list[str]:
    """What is wrong, one line each: a function over its limit and not listed, one that grew
    past its listed score, a listed one that got better (lower the line) or is gone or within
    its limit (delete the line)."""
    problems = []
    for key, score in sorted(scores.items()):
        limit = limit_of(key)
        if score <= limit:
            continue
        if key not in allowed:
            problems.append(f"{key}: complexity {score}, over the limit of {limit}: split it")
        elif score > allowed[key]:
            problems.append(
                f"{key}: complexity {score}, over its listed {allowed[key]} (limit {limit}): it may not grow, split it"
            )
        elif score < allowed[key]:
            problems.append(f"{key}: complexity {score}, listed {allowed[key]}: lower its line to {score}")
    for key, listed in sorted(allowed.items()):
        if key not in scores:
            problems.append(f"{key}: listed ({listed}) but no such function any more: delete its line")
        elif scores[key] <= limit_of(key):
            problems.append(
                f"{key}: listed ({listed}) but now {scores[key]}, within the limit of {limit_of(key)}: delete its line"
            )
    return problems


def test_complexity_ratchet() -> None:
    problems = ratchet(complexities(SRC), read_allowlist(ALLOWLIST.read_text(encoding="utf-8")))
    assert not problems, (
        f"radon cyclomatic complexity (limit {LIMIT}; {STRICT_LIMIT} in the CLI, configuration "
        f"and engine modules) against {ALLOWLIST.relative_to(ROOT)}:\n  " + "\n  ".join(problems)
    )


def test_the_ratchets_are_at_zero() -> None:
    """Issue 13 ended with every exception gone: no function over its complexity limit, no rule with
    a message over 140 characters, no ignored import in a contract. It stays so: split the function,
    shorten the message, fix the import; never add a line to an allowlist."""
    assert read_allowlist(ALLOWLIST.read_text(encoding="utf-8")) == {}, f"{ALLOWLIST.name} must stay empty"
    messages = ROOT / "tests" / "data" / "message-allowlist.txt"
    listed = [line for line in messages.read_text(encoding="utf-8").splitlines() if line.split("#", 1)[0].strip()]
    assert listed == [], f"{messages.name} must stay empty: {listed}"
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # tomli is dockerlint's own dependency on Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    assert contracts, "no import-linter contracts in pyproject.toml"
    ignored = {c["id"]: c["ignore_imports"] for c in contracts if c.get("ignore_imports")}
    assert ignored == {}, f"import-linter contracts with ignored imports: {ignored}"


def test_lint_pipeline_is_short() -> None:
    """``cli.pipeline.lint`` reads as the pipeline it is (issue 13: at most 40 lines); a step
    that grows goes into its own function."""
    import ast

    path = SRC / "dockerlint" / "cli" / "pipeline.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    (fn,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "lint"]
    assert fn.end_lineno is not None
    lines = fn.end_lineno - fn.lineno + 1
    assert lines <= 40, f"{path.relative_to(ROOT)}: lint() is {lines} lines long (at most 40)"


def test_ratchet_catches_every_kind_of_drift() -> None:
    allowed = {
        "dockerlint/parsers/x.py::big": 40,
        "dockerlint/parsers/x.py::better": 40,
        "dockerlint/parsers/x.py::fixed": 30,
        "dockerlint/parsers/x.py::gone": 30,
        "dockerlint/core/engine.py::Engine.run": 29,
    }
    scores = {
        "dockerlint/parsers/x.py::big": 41,
        "dockerlint/parsers/x.py::better": 33,
        "dockerlint/parsers/x.py::fixed": 25,
        "dockerlint/parsers/x.py::new": 26,
        "dockerlint/parsers/x.py::fine": 25,
        "dockerlint/cli/__init__.py::lint": 16,
        "dockerlint/cli/pipeline.py::step": 16,
        "dockerlint/core/engine.py::Engine.run": 29,
    }
    problems = ratchet(scores, allowed)
    assert [p.split(":", 3)[2] for p in problems] == ["lint", "step", "better", "big", "new", "fixed", "gone"], problems
    assert "over the limit of 15" in problems[0] and "over the limit of 15" in problems[1]
    assert "lower its line to 33" in problems[2] and "may not grow" in problems[3]
    assert "over the limit of 25" in problems[4]
    assert "delete its line" in problems[5] and "no such function" in problems[6]
    assert ratchet({"dockerlint/x.py::f": 25, "dockerlint/config/__init__.py::g": 15}, {}) == []


def test_complexities_cover_methods_and_closures(tmp_path: Path) -> None:
    pkg = tmp_path / "dockerlint"
    pkg.mkdir()
    branches = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(30))
    (pkg / "m.py").write_text(
        f"def top(x):\n{branches}    def inner(y):\n        return y or 1\n    return inner\n"
        f"class C:\n    def meth(self, x):\n{branches.replace('    ', '        ')}        return 0\n"
        "    class D:\n        def deep(self):\n            return 1\n",
        encoding="utf-8",
    )
    got = complexities(tmp_path)
    assert got == {
        "dockerlint/m.py::top": 31,
        "dockerlint/m.py::top.inner": 2,
        "dockerlint/m.py::C.meth": 31,
        "dockerlint/m.py::C.D.deep": 1,
    }


# -- the findings digest ------------------------------------------------------------------


def test_findings_digest_runs_and_leaves_messages_out(tmp_path: Path) -> None:
    """scripts/findings_digest.py, the before/after check of restructurings, still runs."""
    fixtures = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures" / "DF101" / "fire", fixtures / "DF101" / "fire")
    out = tmp_path / "digest.tsv"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "findings_digest.py"),
            "--fixtures",
            str(fixtures),
            "--corpus",
            str(tmp_path / "no-corpus"),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "corpus not found" in proc.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    runs = [r for r in rows if r[2] == "run"]
    assert [r[0] for r in runs] == ["fixtures/DF101/fire --select ALL", "fixtures/DF101/fire --select DF101"]
    found = sorted((r[5], r[6], r[7]) for r in rows if r[2] == "findings" and r[0].endswith("--select DF101"))
    expected = (ROOT / "fixtures" / "DF101" / "fire" / "expected.txt").read_text(encoding="utf-8")
    assert found == sorted(
        (m[0], int(m[1]), int(m[2])) for m in re.findall(r"^(\S+):(\d+):(\d+): DF101 ", expected, re.MULTILINE)
    ), expected
    assert all(len(r) == 13 for r in rows if r[2] != "run")
    assert "container runs as root" in expected and "runs as root" not in out.read_text(encoding="utf-8")
    assert proc.stdout.startswith(f"{len(rows)} lines, sha256 ")


# -- the install matrix --------------------------------------------------------------------


# (Python, newest atheris release with a wheel for it, the next release: an sdist there)
ATHERIS_WHEELS = [
    ("3.10", "2.3.0", "3.0.0"),
    ("3.11", "3.0.0", "3.1.0"),
    ("3.12", "3.1.0", None),
    ("3.13", "3.1.0", None),
    ("3.14", "3.1.0", None),
]


@pytest.mark.parametrize(("python", "newest", "sdist_only"), ATHERIS_WHEELS)
def test_atheris_resolves_to_a_release_with_a_wheel(python: str, newest: str, sdist_only: str | None) -> None:
    """atheris publishes wheels for Linux x86_64 only, and not every release for every Python;
    where a release has none, pip builds its sdist, which needs clang, and `pip install -e
    ".[test]"` fails. So each Python is capped at the newest release with its wheel (checked with
    `pip download --only-binary=:all: --python-version X atheris`)."""
    from packaging.requirements import Requirement
    from packaging.version import Version

    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    extra = text.split("\ntest = [", 1)[1].split("\n]", 1)[0]
    reqs = [Requirement(m) for m in re.findall(r'^\s*"(atheris[^"]*)"', extra, re.MULTILINE)]

    def active(python: str, machine: str = "x86_64") -> list[Requirement]:
        env = {
            "python_version": python,
            "python_full_version": f"{python}.0",
            "sys_platform": "linux",
            "platform_machine": machine,
            "extra": "test",
        }
        return [r for r in reqs if r.marker is None or r.marker.evaluate(env)]

    (req,) = active(python)
    assert Version(newest) in req.specifier, str(req)
    if sdist_only is not None:
        assert Version(sdist_only) not in req.specifier, str(req)
    assert active(python, "aarch64") == [] and active("3.15") == []  # no wheels: the fuzz test skips
