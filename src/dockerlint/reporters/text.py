"""The text report.

On a terminal (or with ``--show-source``): findings grouped by file, each with the source
line and a caret line under the exact span, then a summary. Piped, written to a file or
with ``--quiet``: one line per finding (``path:line:col: ID severity message``, for
editors, grep and problem matchers), then the summary. ``--statistics``: the number of
findings per rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from dockerlint.core.findings import EXCERPT_LINES, Finding, Result
from dockerlint.core.registry import Severity
from dockerlint.reporters import ReportContext, TextSink
from dockerlint.util.safetext import display_path, visible

_COLORS = {
    Severity.CRITICAL: "\033[1;31m",
    Severity.HIGH: "\033[31m",
    Severity.ERROR: "\033[31m",
    Severity.MEDIUM: "\033[33m",
    Severity.LOW: "\033[36m",
    Severity.INFO: "\033[2m",
}
_BOLD, _DIM, _BLUE, _RESET = "\033[1m", "\033[2m", "\033[34m", "\033[0m"
ORDER = [Severity.CRITICAL, Severity.ERROR, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO]
MAX_EXCERPT_LINES = EXCERPT_LINES
# Characters of a source line shown under a finding: a longer line is cut to a window around
# the span's start, marked with "…" where it is cut (a 30 KB line with 15,000 findings gave
# 452 MB of output when each repeated the whole line).
MAX_EXCERPT_WIDTH = 160
_CUT = "…"


def render(result: Result, ctx: ReportContext) -> str:
    if ctx.statistics:
        return statistics(result, ctx)
    if ctx.quiet:
        return concise(result, ctx)
    return grouped(result, ctx)


def write(result: Result, ctx: ReportContext, out: TextSink) -> None:
    """Write :func:`render`'s text to ``out`` one line at a time (the same characters): the
    report of a large scan is never held whole (a list of its lines, their join and the
    encoded copy were 9 MiB at the peak of a 1,760-file Compose scan)."""
    if ctx.statistics:
        out.write(statistics(result, ctx))
        return
    for line in _concise_lines(result, ctx) if ctx.quiet else _grouped_lines(result, ctx):
        out.write(line + "\n")


render.write = write  # type: ignore[attr-defined]  # the streaming form (reporters.writer_of)


def _paint(text: str, code: str, ctx: ReportContext) -> str:
    return f"{code}{text}{_RESET}" if ctx.color else text


def concise(result: Result, ctx: ReportContext) -> str:
    return "\n".join(_concise_lines(result, ctx)) + "\n"


def _concise_lines(result: Result, ctx: ReportContext) -> Iterator[str]:
    for f in result.findings:
        loc = _paint(f"{display_path(f.span.path)}:{f.span.line}:{f.span.col}:", _BOLD, ctx)
        sev = _paint(f.severity.value, _COLORS[f.severity], ctx)
        yield f"{loc} {f.rule_id} {sev} {visible(f.message)}"
        if ctx.show_why:
            yield why_line(f, ctx)
    yield summary(result)


def grouped(result: Result, ctx: ReportContext) -> str:
    return "\n".join(_grouped_lines(result, ctx)) + "\n"


def _grouped_lines(result: Result, ctx: ReportContext) -> Iterator[str]:
    current = None
    for f in result.findings:
        if f.path != current:
            if current is not None:
                yield ""
            current = f.path
            yield _paint(display_path(f.path), _BOLD, ctx)
        sev = _paint(f.severity.value, _COLORS[f.severity], ctx)
        yield f"  {f.span.line}:{f.span.col}  {_paint(f.rule_id, _BOLD, ctx)} {sev}  {visible(f.message)}"
        if ctx.show_why:
            yield why_line(f, ctx)
        if ctx.show_source and f.lines:
            yield from excerpt(f, ctx)
        if f.fix is not None:
            yield f"    {_paint('fix:', _BLUE, ctx)} {visible(f.fix.description)} (apply with --fix)"
    if current is not None:
        yield ""
    yield summary(result)


def why_line(f: Finding, ctx: ReportContext) -> str:
    """``--show-why``: the first sentence of the rule page's "Why is this bad?" and where the
    rest is (``dockerlint rule ID``), indented under the finding."""
    from dockerlint.reporters.ruledocs import why

    sentence = why(f.rule_id)
    pointer = f"dockerlint rule {f.rule_id}"
    text = f"{sentence}  {_paint(f'({pointer})', _DIM, ctx)}" if sentence else f"see {pointer}"
    return f"    {_paint('why:', _BLUE, ctx)} {text}"


def _visible(text: str) -> str:
    """A source line as shown: tabs as one space (so carets line up), everything else
    that is unsafe to show escaped (:func:`dockerlint.util.safetext.visible`)."""
    return visible(text.replace("\t", " "))


def _shown_col(raw: str, col: int) -> int:
    """Column ``col`` (1-based) of the source line ``raw`` in the line as shown (escapes are wider)."""
    return len(_visible(raw[: col - 1])) + 1 + max(0, col - 1 - len(raw))


def excerpt(f: Finding, ctx: ReportContext) -> list[str]:
    """The flagged lines (``Finding.lines``) with a gutter, and a caret line under the span's first line."""
    s = f.span
    if s.line < 1 or not f.lines:
        return []
    last = min(max(s.end_line, s.line), s.line + len(f.lines) - 1, s.line + MAX_EXCERPT_LINES - 1)
    width = len(str(last))
    gutter = " " * (width + 1)
    bar = _paint("|", _BLUE, ctx)
    out = [f"    {gutter}{bar}"]
    # One window for every line shown, so the lines stay aligned: from a third of the width
    # before the span's start.
    left = max(0, min(max(1, s.col) - 1 - MAX_EXCERPT_WIDTH // 3, max(len(f.lines[0]) - MAX_EXCERPT_WIDTH, 0)))
    for n in range(s.line, last + 1):
        full = f.lines[n - s.line]
        text, shift = _window(full, left)
        out.append(f"    {_paint(str(n).rjust(width), _BLUE, ctx)} {bar} {_visible(text)}")
        if n == s.line:
            start = max(1, s.col)
            if s.end_line == s.line:
                end = max(s.end_col, start + 1)
            else:
                end = max(len(full) + 1, start + 1)
            end = min(end, max(len(full) + 1, start + 1))
            # The carets under the window only (columns shifted by the cut), then columns of
            # the window as shown (escapes are wider).
            start, end = start - shift, min(end - shift, len(text) + 1)
            end = max(end, start + 1)
            start, end = _shown_col(text, start), _shown_col(text, end)
            carets = "^" * (end - start)
            out.append(f"    {gutter}{bar} {' ' * (start - 1)}{_paint(carets, _COLORS[f.severity], ctx)}")
    if last < s.end_line:
        out.append(f"    {gutter}{bar} {_paint(f'... ({s.end_line - last} more lines)', _DIM, ctx)}")
    return out


def _window(line: str, left: int) -> tuple[str, int]:
    """``line`` cut to :data:`MAX_EXCERPT_WIDTH` characters from ``left`` (a "…" marks each
    cut), and by how many columns its characters moved left."""
    if len(line) <= MAX_EXCERPT_WIDTH:
        return line, 0
    left = min(left, len(line))
    text = line[left : left + MAX_EXCERPT_WIDTH]
    if left + MAX_EXCERPT_WIDTH < len(line):
        text += _CUT
    if left > 0:
        return _CUT + text, left - 1
    return text, 0


def statistics(result: Result, ctx: ReportContext) -> str:
    counts = Counter(f.rule_id for f in result.findings)
    names = {f.rule_id: f.rule_name for f in result.findings}
    sev = {f.rule_id: f.severity for f in result.findings}
    fixable = Counter(f.rule_id for f in result.findings if f.fix is not None)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    out = []
    if rows:
        width = max(len(str(n)) for _, n in rows)
        for rule_id, n in rows:
            mark = " [*]" if fixable[rule_id] else ""
            out.append(f"{str(n).rjust(width)}  {rule_id}  {sev[rule_id].value:<8}  {names[rule_id]}{mark}")
        if fixable:
            out.append("[*] fixable with --fix")
    out.append(summary(result))
    return "\n".join(out) + "\n"


def summary(result: Result) -> str:
    n_files = result.files_checked
    files = f"{n_files} file" + ("" if n_files == 1 else "s")
    if not result.findings:
        text = f"No findings in {files}."
    else:
        counts = Counter(f.severity for f in result.findings)
        parts = ", ".join(f"{counts[s]} {s.value}" for s in ORDER if counts[s])
        n = len(result.findings)
        text = f"Found {n} finding" + ("" if n == 1 else "s") + f" in {files} ({parts})."
    if result.suppressed:
        kinds = Counter(f.suppression.kind if f.suppression else "inline" for f in result.suppressed)
        label = {
            "inline": "by comments",
            "file": "by ignore-file comments",
            "hadolint": "by hadolint comments",
            "baseline": "by the baseline",
        }
        detail = ", ".join(
            f"{kinds[k]} {label.get(k, k)}" for k in ("inline", "file", "hadolint", "baseline") if kinds[k]
        )
        text += f" {len(result.suppressed)} suppressed ({detail})."
    return text
