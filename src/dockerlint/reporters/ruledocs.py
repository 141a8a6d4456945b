"""Rule documentation and listings: ``dockerlint rules`` and ``dockerlint rule ID``."""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path

from dockerlint.core.registry import Registry, Rule

_HERE = Path(__file__).resolve().parent.parent  # the dockerlint package (this module is in reporters/)


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


# The section of a rule page that says why a finding matters, and where its first sentence ends:
# at ". ", "! " or "? " before a capital, a backtick or a bracket (so "e.g. the" does not end it).
_WHY_HEADING = "## Why is this bad?"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`(\[*])")


@functools.cache
def why(rule_id: str) -> str | None:
    """The first sentence of the rule page's "Why is this bad?" section, without Markdown and
    on one line: what ``--show-why`` prints under a finding. None when the rule has no page
    (a plugin's) or the page no such section."""
    from dockerlint.util.mdterm import render
    from dockerlint.util.safetext import visible

    if not re.fullmatch(r"[A-Za-z]+[0-9]+", rule_id):
        return None
    try:
        text = doc_path(rule_id).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    _, found, rest = text.partition(_WHY_HEADING)
    if not found:
        return None
    paragraph = rest.strip().split("\n\n", 1)[0]
    if not paragraph or paragraph.startswith(("#", "```")):
        return None
    sentence = first_sentence(" ".join(paragraph.split()))
    return visible(" ".join(render(sentence, color=False).split())) or None


def first_sentence(text: str) -> str:
    """``text`` up to the end of its first sentence (not one that ends inside double quotes)."""
    for m in _SENTENCE_END.finditer(text):
        if text.count('"', 0, m.start()) % 2 == 0:
            return text[: m.start()]
    return text


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
        "fix": r.fixes or None,
    }


def rules_json(registry: Registry) -> str:
    return json.dumps([rule_record(r) for r in registry], indent=2) + "\n"


def rules_table(registry: Registry) -> str:
    rows = [("ID", "NAME", "SEVERITY", "READS", "DEFAULT", "SUMMARY")]
    for r in registry:
        rows.append((r.id, r.name, r.severity.value, r.reads_names, "on" if r.enabled_by_default else "off", r.summary))
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
        out.append(
            f"| {link} | {r.name} | {r.severity.value} | {r.reads_names} | "
            f"{'on' if r.enabled_by_default else 'off'} | {r.summary} |"
        )
    return "\n".join(out) + "\n"


def fixes_markdown(registry: Registry) -> str:
    """The README's table of automatic fixes: the rules that declare one (kept equal by a test)."""
    out = ["| rule | default | what `--fix` does |", "|---|---|---|"]
    for r in registry:
        if r.fixes:
            out.append(
                f"| [{r.id}](rules/{r.id}.md) {r.name} | {'on' if r.enabled_by_default else 'off'} | "
                f"{r.fixes.replace('|', chr(92) + '|')} |"
            )
    return "\n".join(out) + "\n"


# Peers compared in docs/coverage.md, in column order (other peer keys are listed per rule).
COVERAGE_PEERS = ("hadolint", "checkov", "trivy", "kics", "compose-lint", "docker-bench")


def coverage_markdown(registry: Registry) -> str:
    """docs/coverage.md: which peer checks what dockerlint checks (kept equal by a test)."""
    rules = list(registry)
    head = [
        "# Coverage compared with peers",
        "",
        "Generated from the rule metadata (`Rule.peers`) by `dockerlint rules --format coverage`; a test keeps",
        "this file equal to it. A dash means the peer has no equivalent check. Ids are the peers' own.",
        "",
        "| peer | dockerlint rules it has an equivalent for |",
        "|---|---|",
    ]
    for peer in COVERAGE_PEERS:
        n = sum(1 for r in rules if peer in r.peers)
        head.append(f"| {peer} | {n} of {len(rules)} |")
    alone = [r.id for r in rules if not any(p in r.peers for p in COVERAGE_PEERS)]
    head += [
        "",
        f"Rules no listed peer has ({len(alone)}): " + ", ".join(alone) + ".",
        "",
        "| rule | name | " + " | ".join(COVERAGE_PEERS) + " | other |",
        "|---|---|" + "---|" * (len(COVERAGE_PEERS) + 1),
    ]
    for r in rules:
        cells = [r.peers.get(p, "—").replace("|", "\\|") for p in COVERAGE_PEERS]
        other = ", ".join(f"{k}: {v}" for k, v in sorted(r.peers.items()) if k not in COVERAGE_PEERS) or "—"
        head.append(f"| [{r.id}](../rules/{r.id}.md) | {r.name} | " + " | ".join(cells) + f" | {other} |")
    return "\n".join(head) + "\n"
