"""Machine-readable report: ``dockerlint --format json``.

Schema (version 1; a field is only ever added, and an incompatible change bumps
``version``)::

    {
      "version": 1,                          # this schema's version
      "tool": {"name": "dockerlint", "version": "0.1.0"},
      "summary": {
        "files": 3,                          # files read and linted
        "findings": 2,                       # len(findings)
        "by_severity": {                     # every severity, zeros included, in this order
          "critical": 1, "error": 0, "high": 1, "medium": 0, "low": 0, "info": 0
        }
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
          "message": "..."
        }
      ]
    }

``error`` is the severity of parse errors (``DF000``, ``DC000``, ``DD000``). Output is
ASCII-only JSON (non-ASCII characters are ``\\u`` escapes) with a trailing newline.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from dockerlint.engine import Finding, Result
from dockerlint.registry import Severity
from dockerlint.reporters import ReportContext

SCHEMA_VERSION = 1
SEVERITY_ORDER = (Severity.CRITICAL, Severity.ERROR, Severity.HIGH, Severity.MEDIUM, Severity.LOW,
                  Severity.INFO)


def render(result: Result, ctx: ReportContext) -> str:
    return json.dumps(build(result, ctx), indent=2) + "\n"


def build(result: Result, ctx: ReportContext) -> dict[str, Any]:
    counts = Counter(f.severity for f in result.findings)
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "dockerlint", "version": ctx.version},
        "summary": {
            "files": result.files_checked,
            "findings": len(result.findings),
            "by_severity": {s.value: counts[s] for s in SEVERITY_ORDER},
        },
        "findings": [finding_record(f) for f in result.findings],
    }


def finding_record(f: Finding) -> dict[str, Any]:
    s = f.span
    return {
        "rule_id": f.rule_id,
        "rule_name": f.rule_name,
        "severity": f.severity.value,
        "path": f.path,
        "line": s.line,
        "column": s.col,
        "end_line": s.end_line,
        "end_column": s.end_col,
        "message": f.message,
    }
