"""Machine-readable report: ``dockerlint --format json``.

Schema (version 1; a field is only ever added, and an incompatible change bumps
``version``; ``fingerprint``, ``fix``, ``summary.suppressed`` and ``suppressed`` were
added in dockerlint 0.2)::

    {
      "version": 1,                          # this schema's version
      "tool": {"name": "dockerlint", "version": "0.1.0"},
      "summary": {
        "files": 3,                          # files read and linted
        "findings": 2,                       # len(findings)
        "by_severity": {                     # every severity, zeros included, in this order
          "critical": 1, "error": 0, "high": 1, "medium": 0, "low": 0, "info": 0
        },
        "suppressed": 0                      # len(suppressed)
      },
      "findings": [                          # sorted by path, line, column, rule id, message
        {
          "rule_id": "DC101",
          "rule_name": "docker-socket-mount",
          "severity": "critical",            # critical | error | high | medium | low | info
          "path": "compose.yaml",            # as displayed: relative to the working
                                             # directory with "/" separators, or absolute
                                             # for files outside it
          "line": 7, "column": 9,            # 1-based; columns count Unicode code points
          "end_line": 7, "end_column": 35,   # end exclusive: the column after the last character
          "message": "...",
          "fingerprint": "3f…9a:1",          # line-independent: sha256 of rule id, path, the
                                             # flagged text (whitespace collapsed) and context,
                                             # ":n" counting identical ones (as SARIF dockerlint/v1)
          "fix": null                        # or {"description": "...", "edits": [{"path": "...", "line": 3,
                                             #   "column": 14, "end_line": 3, "end_column": 14,
                                             #   "replacement": ", \"tlsverify\": true"}]}
        }
      ],
      "suppressed": [                        # findings silenced by a comment or the baseline:
        {..., "suppression": {"kind": "inline", "reason": "..."}}   # the same fields plus this;
      ]                                      # kind: inline | file | hadolint | baseline
    }

``error`` is the severity of parse errors (``DF000``, ``DC000``, ``DD000``). Output is
ASCII-only JSON (non-ASCII characters are ``\\u`` escapes) with a trailing newline. Paths
are exact: a file name whose bytes are not UTF-8 holds ``\\udcXX`` escapes (Python's
``os.fsdecode``; ``os.fsencode`` gives the bytes back). Messages, fix descriptions and
suppression reasons show control and bidirectional characters from the scanned files as
visible escapes (``\\x1b``, ``\\u202e``), as every format does; a ``[`` after ``##`` is
written ``\\u005b`` so that no CI log reads a command from the report.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from dockerlint.core.findings import Finding, Result
from dockerlint.core.registry import Severity
from dockerlint.reporters import ReportContext, TextSink, write_json_document
from dockerlint.util.fingerprint import Occurrences, stable_fingerprint
from dockerlint.util.safetext import json_text, visible

SCHEMA_VERSION = 1
SEVERITY_ORDER = (Severity.CRITICAL, Severity.ERROR, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO)


def render(result: Result, ctx: ReportContext) -> str:
    return json_text(json.dumps(build(result, ctx), indent=2)) + "\n"


def write(result: Result, ctx: ReportContext, out: TextSink) -> None:
    """Write :func:`render`'s text to ``out`` one finding at a time (the same characters)."""
    seen = _occurrences(result)
    write_json_document(
        out,
        _head(result, ctx),
        1,
        [
            ("findings", (finding_record(f, seen) for f in result.findings)),
            ("suppressed", (finding_record(f, seen) for f in result.suppressed)),
        ],
    )


render.write = write  # type: ignore[attr-defined]  # the streaming form (reporters.writer_of)


def build(result: Result, ctx: ReportContext) -> dict[str, Any]:
    seen = _occurrences(result)
    doc = _head(result, ctx)
    doc["findings"] = [finding_record(f, seen) for f in result.findings]
    doc["suppressed"] = [finding_record(f, seen) for f in result.suppressed]
    return doc


def _head(result: Result, ctx: ReportContext) -> dict[str, Any]:
    """The report without its findings (the two lists are empty)."""
    counts = Counter(f.severity for f in result.findings)
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "dockerlint", "version": ctx.version},
        "summary": {
            "files": result.files_checked,
            "findings": len(result.findings),
            "by_severity": {s.value: counts[s] for s in SEVERITY_ORDER},
            "suppressed": len(result.suppressed),
        },
        "findings": [],
        "suppressed": [],
    }


def _occurrences(result: Result) -> Occurrences:
    return Occurrences(f.path for fs in (result.findings, result.suppressed) for f in fs)


def finding_record(f: Finding, seen: Occurrences | None = None) -> dict[str, Any]:
    s = f.span
    own = stable_fingerprint(f.rule_id, f.path, f.snippet, f.context)
    n = 1 if seen is None else seen.count(f.path, own)
    record: dict[str, Any] = {
        "rule_id": f.rule_id,
        "rule_name": f.rule_name,
        "severity": f.severity.value,
        "path": f.path,
        "line": s.line,
        "column": s.col,
        "end_line": s.end_line,
        "end_column": s.end_col,
        "message": visible(f.message),
        "fingerprint": f"{own}:{n}",
        "fix": None
        if f.fix is None
        else {
            "description": visible(f.fix.description),
            "edits": [
                {
                    "path": e.span.path,
                    "line": e.span.line,
                    "column": e.span.col,
                    "end_line": e.span.end_line,
                    "end_column": e.span.end_col,
                    "replacement": e.replacement,
                }
                for e in f.fix.edits
            ],
        },
    }
    if f.suppression is not None:
        record["suppression"] = {"kind": f.suppression.kind, "reason": visible(f.suppression.reason)}
    return record
