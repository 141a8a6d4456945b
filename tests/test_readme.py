"""The README states what the code does: rule table, quick start = CI command, terminal sample."""

from __future__ import annotations

import re
from pathlib import Path

from regen_script import regen

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START, END = "<!-- rules-table:start -->\n", "<!-- rules-table:end -->"


def test_rule_table_matches_registry():
    text = README.read_text(encoding="utf-8")
    assert START in text and END in text
    assert regen.readme_rules(ROOT) == {"README.md": text}, regen.stale_message("readme-rules")


FIXES_START, FIXES_END = "<!-- fixes-table:start -->\n", "<!-- fixes-table:end -->"


def test_fixes_table_matches_registry():
    """The "Automatic fixes" table lists every rule that declares a fix (Rule.fixes)."""
    from dockerlint.reporters.ruledocs import fixes_markdown

    text = README.read_text(encoding="utf-8")
    assert regen.readme_fixes(ROOT) == {"README.md": text}, regen.stale_message("readme-fixes")
    table = fixes_markdown(regen.registry())
    assert text.split(FIXES_START, 1)[1].split(FIXES_END, 1)[0] == table
    assert {"DC113", "DC116", "DD102", "DF219", "DF221"} <= set(re.findall(r"^\| \[(\w+)\]", table, re.MULTILINE))


def test_quick_start_has_two_commands_and_ci_runs_the_test_one():
    text = README.read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quick)
    assert len(commands) == 2, commands
    assert "dockerlint" in commands[0] and commands[0].startswith("pip install .")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_lines = [line.strip() for line in ci.splitlines()]
    assert commands[1] in ci_lines, "the README's test command must be the one .ci/run runs"
    # .ci/run tries every Python the README names, and the README names every one it tries.
    tried = re.search(r'^VERSIONS="\$\{DOCKERLINT_CI_PYTHONS:-([0-9. ]+)\}"$', ci, re.MULTILINE)
    assert tried, "no default list of Pythons in .ci/run"
    named = re.findall(r"\b3\.1[0-9]\b", quick.split("```sh", 3)[-1])
    assert tried.group(1).split() == named, (tried.group(1), named)
    assert "With Python 3.10+" in quick and tried.group(1).split()[0] == "3.10"


def test_coverage_doc_matches_registry():
    path = ROOT / "docs" / "coverage.md"
    assert regen.coverage(ROOT) == {"docs/coverage.md": path.read_text(encoding="utf-8")}, regen.stale_message(
        "coverage"
    )


def _layers_contract() -> list[list[str]]:
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # tomli is dockerlint's own dependency on Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers"]
    return [[name.strip() for name in layer.split("|")] for layer in contract["layers"]]


def test_readme_layer_list_is_the_import_contract():
    """The README's "How it is built" table lists the layers import-linter enforces, in order."""
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- layers:", 1)[1].split("\n\n", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    readme = [re.findall(r"`([^`]+)`", row.split("|")[1]) for row in rows]
    assert readme == _layers_contract()
    for layer in readme:
        for name in layer:
            assert (
                name == "__main__"
                or (ROOT / "src" / "dockerlint" / name).exists()
                or (ROOT / "src" / "dockerlint" / f"{name}.py").exists()
            ), name


def test_terminal_sample_is_what_dockerlint_prints() -> None:
    """The README's grouped terminal output (``--show-source``, what a terminal gets) is the
    real output for the DC101 sample, message text included."""
    text = README.read_text(encoding="utf-8")
    assert regen.SAMPLE_INTRO in text, "the README's terminal sample is gone"
    assert regen.readme_sample(ROOT) == {"README.md": text}, regen.stale_message("readme-sample")
