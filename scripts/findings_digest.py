#!/usr/bin/env python3
"""Findings digest: every finding of the fixtures and the corpus, without message text.

The before/after check of every restructuring (issue 13): a change that moves code, and
does not mean to change what dockerlint finds, must leave the digest byte-identical.

    # the tree to compare with, as a separate checkout (never `git stash`: it is shared)
    git worktree add /tmp/old-me $(git merge-base HEAD main)
    python scripts/findings_digest.py --src /tmp/old-me/src -o /tmp/before.tsv
    python scripts/findings_digest.py -o /tmp/after.tsv             # this tree's src/
    diff /tmp/before.tsv /tmp/after.tsv && echo identical
    git worktree remove /tmp/old-me

What it lints: each fixture case (``fixtures/<ID>/<case>/``) twice, with ``--select <ID>``
and with ``--select ALL``, then the corpus (``../shared/corpus`` beside the repository by
default) with ``--select ALL``. Both runs use this tree's fixtures unless ``--fixtures`` says
otherwise, so only the code differs.

One line per run (its exit code and number of files) and one per finding and per suppressed
finding: where it was produced (fixture case and selection, or corpus), the exit code, rule
id, severity, path, line, column, end line, end column, fingerprint, the fix's edits (not its
description) and the suppression kind. Messages and fix descriptions are left out, so
shortening them changes nothing; anything else that changes is behaviour. The lines are
sorted but kept as a list, not a set: two findings that a shortened message merges into one
show as one line fewer.

The lint runs in one child interpreter with ``PYTHONPATH=<src>`` (checked: the child stops if
it imported dockerlint from anywhere else), through ``dockerlint.cli.main`` only, the one
entry point every layout keeps. ``DOCKERLINT_*`` variables are removed from its environment,
so the settings are the files' and the command line's only. It prints the number of lines
and their sha256; about 6,300 lines and 20 s on the repository as issue 13 found it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Runs in the child. The working directory changes to each case, so it is taken off
# sys.path first: a file in a linted folder must never be importable.
DRIVER = r"""
import contextlib, io, json, os, sys
sys.path[:] = [p for p in sys.path if p not in ("", ".")]
src, jobs = os.path.realpath(sys.argv[1]), json.loads(sys.argv[2])
import dockerlint
if not os.path.realpath(dockerlint.__file__).startswith(src + os.sep):
    sys.exit(f"dockerlint was imported from {dockerlint.__file__}, not from {src}")
from dockerlint.cli import main
for label, folder, argv in jobs:
    os.chdir(folder)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
        try:
            code = main([*argv, "--format", "json", "--fail-on", "never", "--no-color", "--jobs", "1", "."])
        except SystemExit as exc:
            code = exc.code
    doc = json.loads(buf.getvalue() or "{}")
    print(json.dumps([label, code, "run", doc.get("summary", {}).get("files")], ensure_ascii=True))
    for bucket in ("findings", "suppressed"):
        for f in doc.get(bucket, []):
            fix = f.get("fix") or {}
            edits = [(e["path"], e["line"], e["column"], e["end_line"], e["end_column"], e["replacement"])
                     for e in fix.get("edits", [])]
            kind = (f.get("suppression") or {}).get("kind", "")
            print(json.dumps([label, code, bucket, f["rule_id"], f["severity"], f["path"], f["line"], f["column"],
                              f["end_line"], f["end_column"], f.get("fingerprint", ""), edits, kind],
                             ensure_ascii=True))
"""


def jobs(fixtures: Path, corpus: Path | None) -> list[tuple[str, str, list[str]]]:
    """(label, folder, arguments) of every run, in a fixed order."""
    out: list[tuple[str, str, list[str]]] = []
    for rule_dir in sorted(p for p in fixtures.iterdir() if p.is_dir()):
        for case in sorted(p for p in rule_dir.iterdir() if p.is_dir()):
            out.append(
                (
                    f"fixtures/{rule_dir.name}/{case.name} --select {rule_dir.name}",
                    str(case),
                    ["--select", rule_dir.name],
                )
            )
            out.append((f"fixtures/{rule_dir.name}/{case.name} --select ALL", str(case), ["--select", "ALL"]))
    if corpus is not None and corpus.is_dir():
        out.append(("corpus --select ALL", str(corpus), ["--select", "ALL"]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument(
        "--src", default=str(ROOT / "src"), help="the src/ folder whose dockerlint runs (default: this tree's)"
    )
    ap.add_argument("--fixtures", default=str(ROOT / "fixtures"), help="default: this tree's fixtures/")
    ap.add_argument(
        "--corpus",
        default=str(ROOT.parent / "shared" / "corpus"),
        help="default: ../shared/corpus beside the repository; left out (with a warning) if absent",
    )
    ap.add_argument("-o", "--output", required=True, help="the digest file to write")
    a = ap.parse_args()
    src = Path(a.src).resolve()
    if not (src / "dockerlint" / "__init__.py").is_file():
        sys.stderr.write(f"{src} has no dockerlint package\n")
        return 2
    corpus = Path(a.corpus)
    if not corpus.is_dir():
        sys.stderr.write(f"warning: corpus not found at {corpus}: the digest covers the fixtures only\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKERLINT_")}
    env.update(PYTHONPATH=str(src), NO_COLOR="1", PYTHONHASHSEED="0")
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, str(src), json.dumps(jobs(Path(a.fixtures), corpus))],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        return 2
    lines = sorted(proc.stdout.splitlines())  # a list, not a set: multiplicity counts
    Path(a.output).write_text("\n".join(lines) + "\n", encoding="utf-8")
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    print(f"{len(lines)} lines, sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
