"""Rule documentation and listings: ``dockerlint rules`` and ``dockerlint rule ID``."""

from __future__ import annotations

import json
import os
from pathlib import Path

from dockerlint.registry import Registry, Rule

_HERE = Path(__file__).resolve().parent


def docs_dir() -> Path:
    """Where the ``<ID>.md`` docs are: inside the installed package, or the source tree's ``rules/``."""
    packaged = _HERE / "data" / "rules"
    if packaged.is_dir():
        return packaged
    return _HERE.parent.parent / "rules"


def doc_path(rule_id: str) -> Path:
    return docs_dir() / f"{rule_id}.md"


def read_doc(r: Rule) -> str:
    path = doc_path(r.id)
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return f"# {r.id} {r.name}\n\n{r.summary}\n\n(No documentation file is installed for this rule.)\n"


def find_rule(registry: Registry, key: str) -> Rule | None:
    r = registry.get(key.upper())
    if r is not None:
        return r
    for candidate in registry:
        if candidate.name == key.lower():
            return candidate
    return None


def rule_record(r: Rule) -> dict[str, object]:
    return {
        "id": r.id,
        "name": r.name,
        "severity": r.severity.value,
        "reads": r.reads_names,
        "summary": r.summary,
        "enabled_by_default": r.enabled_by_default,
        "precision": r.precision,
        "cwe": [f"CWE-{c}" for c in r.cwe],
        "cis": list(r.cis),
        "peers": dict(r.peers),
    }


def rules_json(registry: Registry) -> str:
    return json.dumps([rule_record(r) for r in registry], indent=2) + "\n"


def rules_table(registry: Registry) -> str:
    rows = [("ID", "NAME", "SEVERITY", "READS", "DEFAULT", "SUMMARY")]
    for r in registry:
        rows.append((r.id, r.name, r.severity.value, r.reads_names,
                     "on" if r.enabled_by_default else "off", r.summary))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    out = []
    for row in rows:
        out.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:5])) + "  " + row[5])
    return os.linesep.join(out).replace(os.linesep, "\n") + "\n"


def rules_markdown(registry: Registry) -> str:
    """The rule table for the README (kept equal to the registry by a test)."""
    out = ["| id | name | severity | reads | default | summary |", "|---|---|---|---|---|---|"]
    for r in registry:
        link = f"[{r.id}](rules/{r.id}.md)"
        out.append(f"| {link} | {r.name} | {r.severity.value} | {r.reads_names} | "
                   f"{'on' if r.enabled_by_default else 'off'} | {r.summary} |")
    return "\n".join(out) + "\n"
