"""GitLab Code Quality report (``artifacts: reports: codequality``).

A JSON array; GitLab reads only ``description``, ``check_name``, ``fingerprint``,
``severity`` and ``location.path`` + ``location.lines.begin``. Severities map
info -> ``info``, low -> ``minor``, medium -> ``major``, high and error -> ``critical``,
critical -> ``blocker``. The fingerprint is unique per occurrence (identical
fingerprints are shown as one entry): an MD5 of dockerlint's line-independent
fingerprint and the occurrence number, so it also survives moved lines.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from dockerlint.core.findings import Result
from dockerlint.core.registry import Severity
from dockerlint.reporters import ReportContext, TextSink, write_json_list
from dockerlint.util.fingerprint import Occurrences, stable_fingerprint
from dockerlint.util.safetext import json_text, visible

SEVERITY = {
    Severity.INFO: "info",
    Severity.LOW: "minor",
    Severity.MEDIUM: "major",
    Severity.HIGH: "critical",
    Severity.ERROR: "critical",
    Severity.CRITICAL: "blocker",
}


def build(result: Result, ctx: ReportContext) -> list[dict[str, Any]]:
    return list(_issues(result))


def _issues(result: Result) -> Iterator[dict[str, Any]]:
    seen = Occurrences(f.path for f in result.findings)
    for f in result.findings:
        own = stable_fingerprint(f.rule_id, f.path, f.snippet, f.context)
        n = seen.count(f.path, own)
        yield {
            "description": f"{f.rule_id} {visible(f.message)}",
            "check_name": f.rule_id,
            "fingerprint": hashlib.md5(f"{own}:{n}".encode(), usedforsecurity=False).hexdigest(),
            "severity": SEVERITY[f.severity],
            "location": {"path": f.path, "lines": {"begin": f.span.line, "end": max(f.span.end_line, f.span.line)}},
        }


def render(result: Result, ctx: ReportContext) -> str:
    return json_text(json.dumps(build(result, ctx), indent=2)) + "\n"


def write(result: Result, ctx: ReportContext, out: TextSink) -> None:
    """:func:`render`, written to ``out`` one issue at a time."""
    write_json_list(out, _issues(result), 0)
    out.write("\n")


render.write = write  # type: ignore[attr-defined]  # the streaming form (reporters.writer_of)
