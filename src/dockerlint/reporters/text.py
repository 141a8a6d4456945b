"""The default report: ``path:line:col: ID severity message`` and a one-line summary."""

from __future__ import annotations

from collections import Counter

from dockerlint.engine import Result
from dockerlint.registry import Severity
from dockerlint.reporters import ReportContext

_COLORS = {
    Severity.CRITICAL: "\033[1;31m",
    Severity.HIGH: "\033[31m",
    Severity.ERROR: "\033[31m",
    Severity.MEDIUM: "\033[33m",
    Severity.LOW: "\033[36m",
    Severity.INFO: "\033[2m",
}
_BOLD, _RESET = "\033[1m", "\033[0m"


def render(result: Result, ctx: ReportContext) -> str:
    lines = []
    for f in result.findings:
        loc = f"{f.span.path}:{f.span.line}:{f.span.col}:"
        sev = f.severity.value
        if ctx.color:
            loc = f"{_BOLD}{loc}{_RESET}"
            sev = f"{_COLORS[f.severity]}{sev}{_RESET}"
        lines.append(f"{loc} {f.rule_id} {sev} {f.message}")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def summary(result: Result) -> str:
    n_files = result.files_checked
    files = f"{n_files} file" + ("" if n_files == 1 else "s")
    if not result.findings:
        return f"No findings in {files}."
    counts = Counter(f.severity for f in result.findings)
    order = [Severity.CRITICAL, Severity.ERROR, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO]
    parts = ", ".join(f"{counts[s]} {s.value}" for s in order if counts[s])
    n = len(result.findings)
    return f"Found {n} finding" + ("" if n == 1 else "s") + f" in {files} ({parts})."
