"""JUnit XML (GitLab ``artifacts: reports: junit``, Jenkins, Azure): one testcase per finding.

With no findings there is one passing testcase, so "0 tests" is not read as "nothing ran".
Parse errors (``DF000``, …) are ``<error>``, other findings ``<failure>``.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

from dockerlint.core.findings import Result
from dockerlint.reporters import ReportContext, TextSink, write_lines
from dockerlint.util.safetext import visible


def _clean(text: str) -> str:
    """Text for a person reading the report, and valid XML 1.0: control characters (which
    XML cannot hold even escaped), lone surrogates (a path's bytes that are not UTF-8),
    U+FFFE/U+FFFF and bidirectional controls are shown as escapes."""
    return visible(text)


def _attr(text: str) -> str:
    return quoteattr(_clean(text))


def render(result: Result, ctx: ReportContext) -> str:
    return "\n".join(_lines(result)) + "\n"


def write(result: Result, ctx: ReportContext, out: TextSink) -> None:
    """:func:`render`, written to ``out`` one testcase at a time."""
    write_lines(out, _lines(result))


render.write = write  # type: ignore[attr-defined]  # the streaming form (reporters.writer_of)


def _lines(result: Result) -> Iterator[str]:
    errors = sum(1 for f in result.findings if f.rule_id.endswith("000"))
    failures = len(result.findings) - errors
    tests = max(1, len(result.findings))
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    yield f'<testsuites name="dockerlint" tests="{tests}" failures="{failures}" errors="{errors}">'
    yield f'  <testsuite name="dockerlint" tests="{tests}" failures="{failures}" errors="{errors}" skipped="0">'
    if not result.findings:
        yield f'    <testcase name={_attr(f"no findings in {result.files_checked} files")} classname="dockerlint"/>'
    for f in result.findings:
        s = f.span
        tag = "error" if f.rule_id.endswith("000") else "failure"
        where = f"{f.path}:{s.line}:{s.col}"
        body = f"{where}: {f.rule_id} {f.severity.value}: {f.message}"
        yield (
            f"    <testcase name={_attr(f'{f.rule_id} {f.rule_name} at {where}')} "
            f'classname={_attr(f.path)} file={_attr(f.path)} line="{s.line}">'
        )
        yield f"      <{tag} message={_attr(f.message)} type={_attr(f.severity.value)}>{escape(_clean(body))}</{tag}>"
        yield "    </testcase>"
    yield "  </testsuite>"
    yield "</testsuites>"
