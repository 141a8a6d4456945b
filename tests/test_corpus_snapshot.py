"""A snapshot of what dockerlint finds on the whole ``../shared/corpus`` (issue 12 D).

``tests/data/corpus-snapshot.tsv`` holds one row per file, rule and severity with the number of
findings, from ``cd ../shared/corpus && dockerlint --format json --fail-on never .`` (default
selection, run in this process). Any change in what is found, a finding gained or lost anywhere
in the corpus, fails this test with a readable diff; someone must read it and accept it:

    python scripts/regenerate.py --only corpus-snapshot

and commit the new snapshot with the change that caused it. A change that adds or removes a
critical/high finding on the wild set also needs its verdict (tests/test_wild_evaluation.py).
"""

from __future__ import annotations

import difflib
from pathlib import Path

from regen_script import regen
from wild_script import wild

SNAPSHOT = Path(__file__).resolve().parent / "data" / "corpus-snapshot.tsv"
HEADER = regen.SNAPSHOT_HEADER
ACCEPT = "python scripts/regenerate.py --only corpus-snapshot"
MAX_DIFF_LINES = 400


snapshot_lines = regen.snapshot_lines  # the rows the script writes


def readable_diff(old: list[str], new: list[str]) -> str:
    diff = list(difflib.unified_diff(old, new, "tests/data/corpus-snapshot.tsv", "this run", n=0, lineterm=""))
    gained = sum(1 for ln in diff if ln.startswith("+") and not ln.startswith("+++"))
    lost = sum(1 for ln in diff if ln.startswith("-") and not ln.startswith("---"))
    shown = diff[:MAX_DIFF_LINES]
    if len(diff) > MAX_DIFF_LINES:
        shown.append(f"... {len(diff) - MAX_DIFF_LINES} more diff lines")
    return f"{lost} row(s) changed or gone, {gained} row(s) changed or new:\n" + "\n".join(shown)


def test_findings_on_the_corpus_match_the_snapshot(shared_dir: Path) -> None:
    new = snapshot_lines(wild.run_dockerlint(shared_dir / "corpus", "."))
    assert len(new) > 1, "no finding at all on the corpus: the run itself is broken"
    old = SNAPSHOT.read_text(encoding="utf-8").splitlines() if SNAPSHOT.is_file() else []
    assert old == new, (
        "what dockerlint finds on ../shared/corpus changed. Read the diff; if every change is "
        f"intended, accept it with `{ACCEPT}` and commit tests/data/corpus-snapshot.tsv with the "
        "change (critical/high changes on wild/ also need docs/evaluation/verdicts).\n" + readable_diff(old, new)
    )


def test_the_diff_names_what_changed() -> None:
    old = [HEADER, "wild/a/Dockerfile\tDF101\thigh\t1", "wild/b/compose.yml\tDC113\tlow\t2"]
    new = [
        HEADER,
        "wild/a/Dockerfile\tDF101\tmedium\t1",
        "wild/b/compose.yml\tDC113\tlow\t2",
        "wild/c/compose.yml\tDC101\tcritical\t1",
    ]
    text = readable_diff(old, new)
    assert text.startswith("1 row(s) changed or gone, 2 row(s) changed or new:")
    assert "-wild/a/Dockerfile\tDF101\thigh\t1" in text
    assert "+wild/a/Dockerfile\tDF101\tmedium\t1" in text and "+wild/c/compose.yml\tDC101\tcritical\t1" in text
    assert "compose.yml\tDC113" not in text


def test_rows_count_findings_per_file_rule_and_severity() -> None:
    findings = [
        wild.Finding("b/Dockerfile", 3, "DF101", "high", "m"),
        wild.Finding("a/compose.yml", 9, "DC113", "low", "m"),
        wild.Finding("a/compose.yml", 2, "DC113", "low", "m"),
        wild.Finding("a/compose.yml", 4, "DC104", "medium", "m"),
        wild.Finding("a/compose.yml", 5, "DC104", "high", "m"),
    ]
    assert snapshot_lines(findings) == [
        HEADER,
        "a/compose.yml\tDC104\thigh\t1",
        "a/compose.yml\tDC104\tmedium\t1",
        "a/compose.yml\tDC113\tlow\t2",
        "b/Dockerfile\tDF101\thigh\t1",
    ]
