"""Regenerate every generated artefact with one command; ``--check`` names the stale ones.

    python scripts/regenerate.py                    # write every stale artefact
    python scripts/regenerate.py --check            # exit 1 and name what is stale, write nothing
    python scripts/regenerate.py --rule DC125       # what rules make, fixture goldens of DC125 only
    python scripts/regenerate.py --only corpus-snapshot   # one artefact (repeatable, or a,b)

The artefacts (``--list`` prints them):

- ``readme-rules``, ``readme-fixes``, ``readme-config``: the README's rule table, "Automatic
  fixes" table and configuration reference, between their ``<!-- ...:start/end -->`` markers;
- ``coverage``: ``docs/coverage.md``; ``schema``: ``docs/models.schema.json``;
- ``precommit``: the ``files`` and ``exclude`` patterns of ``.pre-commit-hooks.yaml`` and of
  the project's own ``.pre-commit-config.yaml`` (from :mod:`dockerlint.discovery`);
- ``fixtures``: ``fixtures/<ID>/<case>/expected.txt`` and ``expected.sarif.json`` (``--rule ID``:
  those of ID only, with the other artefacts made from the rules: README tables, coverage);
- ``inspect``: ``tests/data/inspect/golden/*`` (``dockerlint inspect`` on the sample trees);
- ``show-why``: ``tests/data/show-why.txt``;
- ``corpus-snapshot``: ``tests/data/corpus-snapshot.tsv``, what dockerlint finds on
  ``../shared/corpus``. It needs judgement (read the diff; every change explained, critical and
  high ones on wild/ judged in docs/evaluation/verdicts): listed and checked, but written only
  when named with ``--only corpus-snapshot``.

Goldens are written as the code makes them: read ``git diff`` before committing them. The
staleness tests (tests/test_readme.py, test_fixtures.py, ...) call the same functions and name
this command when they fail.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
COMMAND = "python scripts/regenerate.py"


@dataclass(frozen=True)
class Artefact:
    name: str
    what: str
    # root, rules (None: every rule) -> {path relative to root: the text it should hold}
    expected: Callable[[Path, frozenset[str] | None], dict[str, str]]
    judgement: bool = False  # written only when named with --only
    from_rules: bool = False  # made from the rules (what --rule regenerates)


def stale_message(name: str, rule: str | None = None) -> str:
    """What a staleness test says: which artefact, and the command that regenerates it."""
    extra = f" --rule {rule}" if rule else ""
    return f"{name} is stale: run `{COMMAND} --only {name}{extra}` (or `{COMMAND}` for everything) and review the diff"


@cache
def registry() -> Any:
    from dockerlint.core.registry import load_registry

    return load_registry()


def _between(text: str, start: str, end: str, new: str) -> str:
    """``text`` with what lies between the markers ``start`` and ``end`` replaced by ``new``."""
    head, found, rest = text.partition(start)
    if not found or end not in rest:
        raise ValueError(f"markers {start.strip()} ... {end} not found")
    return head + start + new + end + rest.split(end, 1)[1]


def _readme(root: Path, start: str, end: str, new: str) -> dict[str, str]:
    text = (root / "README.md").read_text(encoding="utf-8")
    return {"README.md": _between(text, start, end, new)}


def readme_rules(root: Path, rules: frozenset[str] | None = None) -> dict[str, str]:
    from dockerlint.reporters.ruledocs import rules_markdown

    return _readme(root, "<!-- rules-table:start -->\n", "<!-- rules-table:end -->", rules_markdown(registry()))


def readme_fixes(root: Path, rules: frozenset[str] | None = None) -> dict[str, str]:
    from dockerlint.reporters.ruledocs import fixes_markdown

    return _readme(root, "<!-- fixes-table:start -->\n", "<!-- fixes-table:end -->", fixes_markdown(registry()))


def readme_config(root: Path, rules: frozenset[str] | None = None) -> dict[str, str]:
    from dockerlint.config.model import reference_markdown

    return _readme(root, "<!-- config-reference:start -->\n", "<!-- config-reference:end -->", reference_markdown())


def coverage(root: Path, rules: frozenset[str] | None = None) -> dict[str, str]:
    from dockerlint.reporters.ruledocs import coverage_markdown

    return {"docs/coverage.md": coverage_markdown(registry())}


def schema(root: Path, rules: frozenset[str] | None = None) -> dict[str, str]:
    from dockerlint.models.schema import json_schema

    return {"docs/models.schema.json": json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"}


def _yaml_single_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def precommit_patterns() -> tuple[str, str]:
    """The published hook's ``files`` and ``exclude``, from discovery."""
    from dockerlint import discovery

    suffixes = "|".join(re.escape(s.lstrip(".")) for s in discovery._NOT_DOCKERFILE_SUFFIXES)
    return discovery.PRE_COMMIT_FILES, rf"(?i)\.({suffixes})$"


def precommit(root: Path, rules: frozenset[str] | None = None) -> dict[str, str]:
    files, exclude = precommit_patterns()
    own_exclude = "^(fixtures|tests|fuzz/corpus)/|(?i:" + exclude[len("(?i)") :] + ")"
    out = {}
    for rel, excl in ((".pre-commit-hooks.yaml", exclude), (".pre-commit-config.yaml", own_exclude)):
        text = (root / rel).read_text(encoding="utf-8")
        # the dockerlint hook's lines: the only `files:` / `exclude:` whose value is quoted with '
        text = _replace_hook_key(text, "dockerlint", "files", files)
        out[rel] = _replace_hook_key(text, "dockerlint", "exclude", excl)
    return out


def _replace_hook_key(text: str, hook: str, key: str, value: str) -> str:
    """``key: '<value>'`` of the hook ``- id: <hook>`` (the lines up to the next ``- id:``)."""
    lines = text.split("\n")
    inside = False
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*)- id: (\S+)\s*$", line)
        if m:
            inside = m.group(2) == hook
            continue
        m = re.match(rf"^(\s*){key}: '.*'\s*$", line)
        if inside and m:
            lines[i] = f"{m.group(1)}{key}: {_yaml_single_quoted(value)}"
    return "\n".join(lines)


@contextlib.contextmanager
def _in(folder: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)


def run_cli(folder: Path, *args: str) -> tuple[int, str]:
    """``dockerlint ARGS`` run in ``folder``, in this process: (exit code, standard output)."""
    from dockerlint.cli import main

    out = io.StringIO()
    with _in(folder), contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(list(args))
    return code, out.getvalue()


# The Compose file the README's terminal sample is linted from (its socket mount at 9:9).
SAMPLE_COMPOSE = """services:
  runner:
    image: gitlab/gitlab-runner:v17.0.0
    restart: always
    security_opt:
      - no-new-privileges:true
    volumes:
      - ./config:/etc/gitlab-runner
      - /var/run/docker.sock:/var/run/docker.sock
"""
SAMPLE_INTRO = "On a terminal, findings are grouped by file"


def readme_sample(root: Path, rules: frozenset[str] | None = None) -> dict[str, str]:
    """The README's grouped terminal output (``--show-source``) as dockerlint prints it for the
    sample Compose file, message text included."""
    import re
    import tempfile

    text = (root / "README.md").read_text(encoding="utf-8")
    block = re.search(re.escape(SAMPLE_INTRO) + r".*?\n```\n(.*?)```\n", text, re.DOTALL)
    if block is None:
        raise ValueError("the README's terminal sample is gone")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "compose.yaml").write_text(SAMPLE_COMPOSE, encoding="utf-8")
        _, got = run_cli(Path(tmp), "--no-color", "--show-source", "--select", "DC101", "--jobs", "1", ".")
    return {"README.md": text[: block.start(1)] + got + text[block.end(1) :]}


def sarif_results(text: str) -> list[dict[str, Any]]:
    """The parts of a SARIF log a fixture golden keeps: rule, level, message, place."""
    doc = json.loads(text)
    out = []
    for res in doc["runs"][0]["results"]:
        loc = res["locations"][0]["physicalLocation"]
        out.append(
            {
                "ruleId": res["ruleId"],
                "level": res["level"],
                "message": res["message"]["text"],
                "uri": loc["artifactLocation"]["uri"],
                "region": loc["region"],
            }
        )
    return out


@dataclass(frozen=True)
class FixtureRun:
    text_code: int
    text: str  # expected.txt
    sarif_results: list[dict[str, Any]]
    sarif: str  # expected.sarif.json
    sarif_log: dict[str, Any]  # the whole SARIF log (its rules: what code scanning shows)


def fixture_run(case_dir: Path, rule_id: str) -> FixtureRun:
    """A fixture case linted from inside it with ``--select <ID>``, as text and as SARIF."""
    code, text = run_cli(case_dir, "--select", rule_id, "--format", "text", "--no-color", ".")
    _, sarif = run_cli(case_dir, "--select", rule_id, "--format", "sarif", "--no-color", ".")
    results = sarif_results(sarif)
    return FixtureRun(code, text, results, json.dumps(results, indent=2, ensure_ascii=False) + "\n", json.loads(sarif))


def fixture_cases(root: Path, rules: frozenset[str] | None = None) -> list[tuple[str, str]]:
    fixtures = root / "fixtures"
    return (
        sorted(
            (rule_dir.name, case.name)
            for rule_dir in fixtures.iterdir()
            if rule_dir.is_dir() and (rules is None or rule_dir.name in rules)
            for case in rule_dir.iterdir()
            if case.is_dir()
        )
        if fixtures.is_dir()
        else []
    )


def fixture_goldens(root: Path, rules: frozenset[str] | None = None) -> dict[str, str]:
    out = {}
    for rule_id, case in fixture_cases(root, rules):
        run = fixture_run(root / "fixtures" / rule_id / case, rule_id)
        out[f"fixtures/{rule_id}/{case}/expected.txt"] = run.text
        out[f"fixtures/{rule_id}/{case}/expected.sarif.json"] = run.sarif
    return out


INSPECT_TREES = ("compose", "host", "dockerfile", "script", "devcontainer", "client")


def inspect_output(root: Path, tree: str, fmt: str) -> tuple[int, str]:
    """``dockerlint inspect --format FMT .`` in ``tests/data/inspect/<tree>``, dockerlint's
    version replaced by ``VERSION`` (goldens outlive releases)."""
    from dockerlint import __version__

    code, out = run_cli(root / "tests" / "data" / "inspect" / tree, "inspect", "--format", fmt, ".")
    return code, out.replace(f'"version": "{__version__}"', '"version": "VERSION"')


def inspect_goldens(root: Path, rules: frozenset[str] | None = None) -> dict[str, str]:
    return {
        f"tests/data/inspect/golden/{tree}.{ext}": inspect_output(root, tree, fmt)[1]
        for tree in INSPECT_TREES
        for fmt, ext in (("json", "json"), ("text", "txt"))
    }


def show_why_text(root: Path) -> str:
    """``--show-why`` in both text layouts on fixtures/DD104/fire."""
    case = root / "fixtures" / "DD104" / "fire"
    _, concise = run_cli(case, "--select", "DD104", "--show-why", "--quiet", "--no-color", "--jobs", "1", ".")
    _, grouped = run_cli(case, "--select", "DD104", "--show-why", "--show-source", "--no-color", "--jobs", "1", ".")
    return (
        f"$ dockerlint --select DD104 --show-why --quiet\n{concise}\n"
        f"$ dockerlint --select DD104 --show-why --show-source\n{grouped}"
    )


def show_why(root: Path, rules: frozenset[str] | None = None) -> dict[str, str]:
    return {"tests/data/show-why.txt": show_why_text(root)}


SNAPSHOT_HEADER = "path\trule\tseverity\tcount"


def snapshot_lines(findings: list[Any]) -> list[str]:
    """One row per file, rule and severity with the number of findings, sorted."""
    from collections import Counter

    counts = Counter((f.path, f.rule, f.severity) for f in findings)
    return [SNAPSHOT_HEADER] + [
        f"{path}\t{rule}\t{severity}\t{n}" for (path, rule, severity), n in sorted(counts.items())
    ]


def corpus_snapshot(root: Path, rules: frozenset[str] | None = None) -> dict[str, str]:
    corpus = root.parent / "shared" / "corpus"
    if not corpus.is_dir():
        raise FileNotFoundError(f"no corpus at {corpus}")
    sys.path.insert(0, str(root / "tests"))
    try:
        from wild_script import wild
    finally:
        sys.path.remove(str(root / "tests"))
    return {"tests/data/corpus-snapshot.tsv": "\n".join(snapshot_lines(wild.run_dockerlint(corpus, "."))) + "\n"}


ARTEFACTS = (
    Artefact("readme-rules", "README.md rule table", readme_rules, from_rules=True),
    Artefact("readme-fixes", 'README.md "Automatic fixes" table', readme_fixes, from_rules=True),
    Artefact("readme-config", "README.md configuration reference", readme_config),
    Artefact("readme-sample", "README.md terminal sample (DC101 with --show-source)", readme_sample, from_rules=True),
    Artefact("coverage", "docs/coverage.md", coverage, from_rules=True),
    Artefact("schema", "docs/models.schema.json", schema),
    Artefact("precommit", ".pre-commit-hooks.yaml and .pre-commit-config.yaml files/exclude", precommit),
    Artefact("fixtures", "fixtures/<ID>/<case>/expected.txt and expected.sarif.json", fixture_goldens, from_rules=True),
    Artefact("inspect", "tests/data/inspect/golden/*", inspect_goldens),
    Artefact("show-why", "tests/data/show-why.txt", show_why),
    Artefact(
        "corpus-snapshot",
        "tests/data/corpus-snapshot.tsv (needs judgement: only with --only)",
        corpus_snapshot,
        judgement=True,
    ),
)
BY_NAME = {a.name: a for a in ARTEFACTS}


def stale(root: Path, artefact: Artefact, rules: frozenset[str] | None) -> dict[str, str]:
    """The files of ``artefact`` whose text differs from what the code makes: path -> new text."""
    out = {}
    for rel, text in artefact.expected(root, rules).items():
        path = root / rel
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != text:
            out[rel] = text
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 naming what is stale")
    p.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help=f"only these artefacts (repeatable or comma-separated): {', '.join(BY_NAME)}",
    )
    p.add_argument(
        "--rule",
        action="append",
        default=[],
        metavar="ID",
        help="what the rules make (README tables, coverage), and the fixture goldens of these rules only",
    )
    p.add_argument("--list", action="store_true", help="list the artefacts and exit")
    p.add_argument("--root", type=Path, default=ROOT, help="the checkout (default: this script's)")
    args = p.parse_args(argv)
    if args.list:
        for a in ARTEFACTS:
            print(f"{a.name:<16} {a.what}")
        return 0
    only = [n.strip() for arg in args.only for n in arg.split(",") if n.strip()]
    unknown = [n for n in only if n not in BY_NAME]
    if unknown:
        p.error(f"unknown artefact(s) {', '.join(unknown)}; known: {', '.join(BY_NAME)}")
    root = args.root.resolve()
    if (root / "src" / "dockerlint").is_dir() and "dockerlint" not in sys.modules:
        sys.path.insert(0, str(root / "src"))  # this checkout's dockerlint, whatever is installed
    rules = frozenset(r.strip().upper() for arg in args.rule for r in arg.split(",") if r.strip()) or None
    chosen = [BY_NAME[n] for n in only] if only else [a for a in ARTEFACTS if a.from_rules or rules is None]
    found_stale = []
    for artefact in chosen:
        if artefact.judgement and not only:
            print(
                f"{artefact.name}: needs judgement, not {'checked' if args.check else 'regenerated'} (run "
                f"`{COMMAND} --only {artefact.name}`, then read the diff)"
            )
            continue
        try:
            changes = stale(root, artefact, rules)
        except FileNotFoundError as exc:
            print(f"{artefact.name}: skipped: {exc}")
            continue
        for rel, text in changes.items():
            found_stale.append(rel)
            if args.check:
                print(f"stale: {rel} ({artefact.name}): run `{COMMAND} --only {artefact.name}`")
                continue
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            print(f"wrote {rel}")
    if args.check:
        return 1 if found_stale else 0
    if not found_stale:
        print("everything generated is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
