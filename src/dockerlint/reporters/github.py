"""GitHub Actions workflow commands: one annotation per finding, on one line (cut here):

    ::error file=compose.yaml,line=9,col=9,endLine=9,endColumn=29,
    title=dockerlint DC101 (docker-socket-mount)::service ...

critical, high and error findings are ``::error``, medium ``::warning``, low and info
``::notice``. Values are first made visible (control and bidirectional characters escaped as ``\x1b``,
``\u202e``…, as in every format), then escaped exactly as ``@actions/core`` escapes them
(``command.ts``): the message ``%`` -> ``%25``, CR -> ``%0D``, LF -> ``%0A``; property
values additionally ``:`` -> ``%3A`` and ``,`` -> ``%2C``. GitHub shows at most 10 error and 10 warning
annotations per step in the summary; all of them are in the log. Paths are as displayed
(relative to the working directory): run dockerlint from the repository root.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.core.findings import Finding, Result
from dockerlint.core.registry import Severity
from dockerlint.reporters import ReportContext, TextSink, write_lines
from dockerlint.reporters.text import summary
from dockerlint.util.safetext import visible

COMMAND = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.ERROR: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "notice",
    Severity.INFO: "notice",
}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    s = f.span
    props = {
        "file": visible(f.path),
        "line": str(s.line),
        "col": str(s.col),
        "endLine": str(max(s.end_line, s.line)),
        "endColumn": str(s.end_col),
        "title": visible(f"dockerlint {f.rule_id} ({f.rule_name})"),
    }
    joined = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    message = visible(f"{f.rule_id} {f.severity.value}: {f.message}")
    return f"::{COMMAND[f.severity]} {joined}::{escape_data(message)}"


def render(result: Result, ctx: ReportContext) -> str:
    return "\n".join(_lines(result)) + "\n"


def write(result: Result, ctx: ReportContext, out: TextSink) -> None:
    """:func:`render`, written to ``out`` one annotation at a time."""
    write_lines(out, _lines(result))


render.write = write  # type: ignore[attr-defined]  # the streaming form (reporters.writer_of)


def _lines(result: Result) -> Iterator[str]:
    for f in result.findings:
        yield annotation(f)
    yield summary(result)
