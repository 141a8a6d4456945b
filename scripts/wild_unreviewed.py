#!/usr/bin/env python3
"""The hand review of dockerlint's findings on ``../shared/corpus/wild`` (issue 12 D).

Every critical and high finding there has a verdict row in ``docs/evaluation/verdicts/*.tsv``
(``path, line, rule, verdict, reason``; see docs/evaluation/wild.md). This script prints, as TSV
rows ready to paste into a verdict file, what still needs a verdict:

    python scripts/wild_unreviewed.py                    # unreviewed critical/high findings
    python scripts/wild_unreviewed.py --stale            # verdict rows that match no finding
    python scripts/wild_unreviewed.py --sample 50 --seed 20261206   # the random sample

A printed row has an empty verdict and a reason starting with ``TODO``: the verdict file check
refuses both, so a pasted row must be judged before the suite passes. Rules are run as a user
runs them: ``cd ../shared/corpus && dockerlint --format json --fail-on never wild`` with the
default selection, in this process. tests/test_wild_evaluation.py imports this module.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
VERDICTS = ROOT / "docs" / "evaluation" / "verdicts"
WILD = "wild"

HEADER = ("path", "line", "rule", "verdict", "reason")
VERDICT_VALUES = ("true", "false", "debatable")
REVIEWED = ("critical", "high")
SAMPLED = ("medium", "low", "info")
TARGET_TRUE_SHARE = 0.98
_RULE = re.compile(r"D[A-Z][0-9]{3}")

Key = tuple[str, int, str]  # (path, line, rule): one verdict row covers every finding there


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str
    severity: str
    message: str

    @property
    def key(self) -> Key:
        return (self.path, self.line, self.rule)


@dataclass(frozen=True)
class Verdict:
    source: str  # "<file>.tsv:<line>"
    path: str
    line: int
    rule: str
    verdict: str
    reason: str

    @property
    def key(self) -> Key:
        return (self.path, self.line, self.rule)


@contextlib.contextmanager
def _as_a_user_runs_it(cwd: Path) -> Iterator[None]:
    """In ``cwd``, without DOCKERLINT_* variables (they would change the selection)."""
    old_cwd = os.getcwd()
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("DOCKERLINT_")}
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(old_cwd)
        os.environ.update(saved)


def run_dockerlint(corpus: Path, target: str) -> list[Finding]:
    """``dockerlint --format json --fail-on never <target>`` run from ``corpus``, in process."""
    from dockerlint.cli import main

    out, err = io.StringIO(), io.StringIO()
    with _as_a_user_runs_it(corpus), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--format", "json", "--fail-on", "never", target])
    if code not in (0, 1):
        raise RuntimeError(f"dockerlint exited {code} on {corpus / target}: {err.getvalue()[-2000:]}")
    report = json.loads(out.getvalue())
    return [Finding(f["path"], int(f["line"]), f["rule_id"], f["severity"], f["message"]) for f in report["findings"]]


def read_verdicts(folder: Path = VERDICTS) -> tuple[list[Verdict], list[str]]:
    """Every row of ``folder/*.tsv`` and the format errors found (file:line: what is wrong)."""
    rows: list[Verdict] = []
    errors: list[str] = []
    seen: dict[Key, str] = {}
    for tsv in sorted(folder.glob("*.tsv")) if folder.is_dir() else ():
        name = tsv.name
        try:
            text = tsv.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            errors.append(f"{name}: not UTF-8 ({exc})")
            continue
        if "\r" in text:
            errors.append(f"{name}: has CR characters (use LF line ends)")
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        else:
            errors.append(f"{name}: does not end with a newline")
        if not lines or tuple(lines[0].split("\t")) != HEADER:
            errors.append(f"{name}:1: the header must be the tab-separated {' '.join(HEADER)}")
            continue
        previous: Key | None = None
        for number, raw in enumerate(lines[1:], start=2):
            where = f"{name}:{number}"
            row, problems = _parse_row(where, raw)
            errors.extend(problems)
            if row is None:
                continue
            if row.key in seen:
                errors.append(f"{where}: a second row for {_show(row.key)} (first at {seen[row.key]})")
                continue
            seen[row.key] = where
            if previous is not None and row.key < previous:
                errors.append(
                    f"{where}: rows must be sorted by path, line, rule ({_show(row.key)} comes after {_show(previous)})"
                )
            previous = row.key
            rows.append(row)
    return rows, errors


def _parse_row(where: str, raw: str) -> tuple[Verdict | None, list[str]]:
    fields = raw.split("\t")
    if len(fields) != len(HEADER):
        return None, [f"{where}: {len(fields)} fields, expected {len(HEADER)} ({'/'.join(HEADER)})"]
    path, line, rule, verdict, reason = fields
    problems = []
    if not path.startswith(f"{WILD}/") or ".." in path.split("/") or path != path.strip():
        problems.append(f"{where}: path {path!r} must be relative to the corpus root (wild/<repo>/...)")
    if not line.isdigit() or int(line) < 1:
        problems.append(f"{where}: line {line!r} is not a positive number")
    if not _RULE.fullmatch(rule):
        problems.append(f"{where}: rule {rule!r} is not a rule id")
    if verdict not in VERDICT_VALUES:
        problems.append(f"{where}: verdict {verdict!r} is not one of {', '.join(VERDICT_VALUES)}")
    if not reason.strip() or reason.startswith("TODO"):
        problems.append(f"{where}: the reason is missing (say why the finding is or is not a real risk)")
    if problems:
        return None, problems
    return Verdict(where, path, int(line), rule, verdict, reason), []


def _show(key: Key) -> str:
    return f"{key[0]}:{key[1]} {key[2]}"


def unreviewed(findings: Iterable[Finding], rows: Iterable[Verdict]) -> list[Finding]:
    """Critical/high findings without a verdict row, one per (path, line, rule), sorted."""
    have = {r.key for r in rows}
    first: dict[Key, Finding] = {}
    for f in findings:
        if f.severity in REVIEWED and f.key not in have:
            first.setdefault(f.key, f)
    return [first[k] for k in sorted(first)]


def stale(findings: Iterable[Finding], rows: Iterable[Verdict]) -> list[Verdict]:
    """Verdict rows that match no current finding (of any severity)."""
    current = {f.key for f in findings}
    return sorted((r for r in rows if r.key not in current), key=lambda r: r.key)


def true_share(findings: Iterable[Finding], rows: Iterable[Verdict]) -> tuple[int, int]:
    """(true, all) over the critical/high findings; a finding without a row is not true."""
    verdict = {r.key: r.verdict for r in rows}
    reviewed = [f for f in findings if f.severity in REVIEWED]
    return sum(verdict.get(f.key) == "true" for f in reviewed), len(reviewed)


def sample(findings: Iterable[Finding], size: int, seed: int) -> list[Finding]:
    """``size`` distinct (path, line, rule) of medium/low/info findings, drawn with ``seed``."""
    first: dict[Key, Finding] = {}
    for f in findings:
        if f.severity in SAMPLED:
            first.setdefault(f.key, f)
    keys = sorted(first)
    chosen = random.Random(seed).sample(keys, min(size, len(keys)))
    return [first[k] for k in sorted(chosen)]


def todo_row(f: Finding) -> str:
    """A verdict row to fill in: empty verdict, the finding as a TODO reason."""
    message = " ".join(f.message.split())
    return "\t".join((f.path, str(f.line), f.rule, "", f"TODO ({f.severity}) {message}"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS, help=f"the corpus root (default {CORPUS})")
    ap.add_argument("--verdicts", type=Path, default=VERDICTS, help="folder of the verdict files")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument(
        "--stale", action="store_true", help="print verdict rows that match no finding, each after its file:line"
    )
    mode.add_argument("--sample", type=int, metavar="N", help="print N random medium/low/info findings")
    ap.add_argument("--seed", type=int, default=20261206, help="seed of --sample (default 20261206)")
    ap.add_argument(
        "--rules",
        default="",
        metavar="PREFIXES",
        help="only rows of these rule ids or prefixes (comma-separated, e.g. DF,DC117)",
    )
    args = ap.parse_args(argv)
    if not (args.corpus / WILD).is_dir():
        sys.stderr.write(f"no {WILD}/ folder in {args.corpus}\n")
        return 2
    prefixes = tuple(p.strip() for p in args.rules.split(",") if p.strip())
    findings = run_dockerlint(args.corpus, WILD)
    rows, errors = read_verdicts(args.verdicts)
    for error in errors:
        sys.stderr.write(f"warning: {error}\n")
    if args.stale:
        for r in stale(findings, rows):
            if prefixes and not r.rule.startswith(prefixes):
                continue
            sys.stdout.write(f"{r.source}\t" + "\t".join((r.path, str(r.line), r.rule, r.verdict, r.reason)) + "\n")
        return 0
    chosen = sample(findings, args.sample, args.seed) if args.sample is not None else unreviewed(findings, rows)
    if prefixes:
        chosen = [f for f in chosen if f.rule.startswith(prefixes)]
    sys.stdout.write("\t".join(HEADER) + "\n")
    for f in chosen:
        sys.stdout.write(todo_row(f) + "\n")
    if args.sample is None:
        hits, total = true_share(findings, rows)
        share = f"{hits / total:.1%}" if total else "n/a"
        sys.stderr.write(f"{len(chosen)} unreviewed; true among critical/high: {hits}/{total} = {share}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
