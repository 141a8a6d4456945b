"""One run of the engine, or with ``--fix`` / ``--diff`` the fixing passes: the fixes are
applied in memory and the files linted again until nothing changes (at most
:data:`MAX_FIX_PASSES` times); ``--fix`` then writes the files."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dockerlint.cli.output import Outcome, say

if TYPE_CHECKING:
    from dockerlint.cli.inputs import Inputs
    from dockerlint.core.findings import Result
    from dockerlint.fixes.write import PendingWrite

MAX_FIX_PASSES = 10


@dataclass
class _Fixing:
    """The fixes of the passes so far: each fixed file's pending write (by display path),
    the number of findings fixed in it, the notices of fixes refused, the current texts."""

    current: dict[str, bytes]
    pending: dict[str, PendingWrite] = field(default_factory=dict)
    fixed_count: dict[str, int] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)


def run_lint(engine: Any, inputs: Inputs, args: argparse.Namespace) -> Outcome:
    """Lint; with --fix or --diff, apply the fixes in memory and lint again until nothing
    changes. With --diff the outcome holds the diff; with --fix the files are written here."""
    result = engine.run(inputs.candidates, contents=inputs.contents)
    if not (args.fix or args.diff):
        return Outcome(result)
    fixing = _Fixing(dict(inputs.contents))
    result = _fix_passes(engine, inputs, result, fixing)
    if args.diff:
        from dockerlint.fixes.diff import unified_diff

        result.notices.extend(fixing.refused)
        return Outcome(
            result,
            unified_diff(
                {p: w.linted for p, w in fixing.pending.items()}, {p: w.fixed for p, w in fixing.pending.items()}
            ),
        )
    return Outcome(_write_fixes(engine, inputs, fixing, result, inputs.guarded))


def _fix_passes(engine: Any, inputs: Inputs, result: Result, fixing: _Fixing) -> Result:
    from dockerlint.fixes.plan import plan
    from dockerlint.fixes.write import PendingWrite

    for _ in range(MAX_FIX_PASSES):
        planned, notices = plan(result.files, result.findings)
        fixing.refused.extend(n for n in notices if n not in fixing.refused)
        if not planned:
            break
        for ff in planned.values():
            entry = fixing.pending.setdefault(ff.path, PendingWrite(ff.path, ff.abspath, ff.before, ff.before))
            entry.fixed = ff.after
            entry.passes.append(ff.edits)
            fixing.current[ff.abspath] = ff.after.encode("utf-8")
            fixing.fixed_count[ff.path] = fixing.fixed_count.get(ff.path, 0) + len(ff.fixed)
        result = engine.run(inputs.candidates, contents=fixing.current)
    return result


def _write_fixes(engine: Any, inputs: Inputs, fixing: _Fixing, result: Result, guarded: Sequence[str]) -> Result:
    """Write the fixed files; the result of what is on disk then."""
    from dockerlint.fixes.write import write

    not_written = write(list(fixing.pending.values()), guarded)
    if not_written:
        # Report what is on disk: lint again with the files that were not written as they are.
        for path in not_written:
            abspath = fixing.pending[path].abspath
            if abspath in inputs.contents:
                fixing.current[abspath] = inputs.contents[abspath]
            else:
                fixing.current.pop(abspath, None)
        result = engine.run(inputs.candidates, contents=fixing.current)
    result.notices.extend(fixing.refused)
    result.internal_errors.extend(not_written.values())
    n_fixed = sum(n for path, n in fixing.fixed_count.items() if path not in not_written)
    if n_fixed:
        n_files = sum(1 for path in fixing.fixed_count if path not in not_written)
        say(f"fixed {n_fixed} finding{'s' if n_fixed != 1 else ''} in {n_files} file{'s' if n_files != 1 else ''}")
    return result
