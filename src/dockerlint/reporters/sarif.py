"""SARIF 2.1.0 for GitHub code scanning (and any other SARIF consumer).

What GitHub reads, and why each field is here (see GitHub's "SARIF support for code
scanning"):

* one run; ``tool.driver`` lists every rule that was *enabled* for the run, so a rule
  with no result in this run still has its metadata (GitHub closes alerts of rules
  that ran and found nothing);
* each rule has ``shortDescription`` (the summary), ``fullDescription`` (the doc's
  "What it does" section), ``help.text``/``help.markdown`` (the whole rule doc), all
  non-empty; descriptions are clipped to GitHub's 1,024 characters, tags to 10;
* ``properties.security-severity`` makes a rule a *security* rule and sets the alert's
  Critical/High/Medium/Low band; parse-error rules (severity ``error``) are not
  security rules and carry ``problem.severity: error`` instead;
* GitHub reads that band from the rule descriptor only (SARIF 2.1.0 has no severity score on
  a result; ``result.level`` is just error/warning/note), so a finding whose severity differs
  from its rule's default (lowered or raised by context, or by a ``[severity]`` override)
  points at a *variant* descriptor ``"<ID>/<severity>"`` (``DF101/medium``): the rule's own
  metadata with that severity's score and level, and a ``relationships`` entry naming the
  rule (its results are a subset of the rule's: kind ``superset`` from the variant's side).
  One variant per (rule, severity) the run uses, after the rules; a finding at its rule's
  default keeps ``ruleId: "<ID>"``. Rule ids never hold a ``/`` (``RULE_ID``), so a variant
  id cannot be a rule's; fingerprints stay those of the rule (``<ID>``), whatever the variant;
* each result has one location with a relative, percent-encoded URI against
  ``%SRCROOT%`` (the directory dockerlint ran in, which should be the repository root)
  and a full region (end column is the column *after* the last character, as in our
  spans; columns count Unicode code points);
* ``partialFingerprints.primaryLocationLineHash`` is computed exactly as upload-sarif
  would (:mod:`dockerlint.util.fingerprint`), so uploads through the REST API
  track alerts the same way; the engine computes it from the text it read
  (``Finding.line_hash``): the report never reads a file again (a file swapped for a FIFO
  or a ``/dev/zero`` link since would hang it or fill the memory); ``dockerlint/v1`` is our own line-independent
  fingerprint: sha256 over rule id, path, the flagged source text (whitespace
  collapsed) and the finding's context, plus ``:n`` counting identical earlier values
  in the run so distinct findings never share a fingerprint.

``automationDetails`` only with ``--sarif-category``: a SARIF that sets it overrides
upload-sarif's ``category`` input. Parse errors are results *and* tool execution
notifications (``invocations[0].toolExecutionNotifications``). Findings suppressed by
an inline comment or the baseline are left out, because GitHub ignores
``suppressions`` and would show them as open alerts; ``--sarif-include-suppressed``
emits them with ``suppressions: [{"kind": "inSource" | "external", "justification"}]``.
A finding with an automatic fix carries it in ``fixes``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from dockerlint.core.findings import Finding, Result
from dockerlint.core.registry import RESERVED_PREFIXES, SECURITY_SEVERITY, Fix, Rule, Severity
from dockerlint.models.base import Span
from dockerlint.reporters import ReportContext, TextSink, write_json_document
from dockerlint.util.fingerprint import Occurrences, stable_fingerprint
from dockerlint.util.lines import split as split_lines
from dockerlint.util.lines import text_between as engine_span_text
from dockerlint.util.safetext import json_text, visible

PROJECT_URL = "https://github.com/dockerlint/dockerlint"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "dockerlint/v1"

MAX_DESCRIPTION = 1024  # GitHub: shortDescription.text and fullDescription.text
MAX_TAGS = 10  # GitHub keeps 10 tags per rule (rejects more than 20)
MAX_NAME = 255

LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.ERROR: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
GROUP_TAG = {"DF": "dockerfile", "DC": "compose", "DD": "daemon", "DL": "suppression"}
# Meta rules about dockerlint's own comments are not security findings.
NON_SECURITY_GROUPS = ("DL",)
PROBLEM_SEVERITY = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.ERROR: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "recommendation",
    Severity.INFO: "recommendation",
}
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


def render(result: Result, ctx: ReportContext) -> str:
    return json_text(json.dumps(build(result, ctx), indent=2)) + "\n"


def write(result: Result, ctx: ReportContext, out: TextSink) -> None:
    """Write :func:`render`'s text to ``out`` one result at a time (the same characters)."""
    doc, results = _log(result, ctx)
    write_json_document(out, doc, 3, [("results", results)])


render.write = write  # type: ignore[attr-defined]  # the streaming form (reporters.writer_of)


def build(result: Result, ctx: ReportContext) -> dict[str, Any]:
    """The SARIF log as a dict (``render`` serializes it)."""
    doc, results = _log(result, ctx)
    doc["runs"][0]["results"] = list(results)
    return doc


def _log(result: Result, ctx: ReportContext) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """The SARIF log with an empty ``results`` list, and its results, made one at a time."""
    findings: Sequence[Finding] = result.findings
    if ctx.include_suppressed:
        findings = sorted([*findings, *result.suppressed], key=Finding.sort_key)
    rules, catalog = _rules(result.rule_ids, findings, ctx)

    driver: dict[str, Any] = {"name": "dockerlint", "version": ctx.version}
    if _SEMVER.match(ctx.version):
        driver["semanticVersion"] = ctx.version
    driver["informationUri"] = PROJECT_URL
    driver["rules"] = rules

    run: dict[str, Any] = {"tool": {"driver": driver}}
    if ctx.sarif_category:
        category = ctx.sarif_category
        run["automationDetails"] = {"id": category if category.endswith("/") else category + "/"}
    run.update(
        {
            "invocations": [_invocation(result)],
            "originalUriBaseIds": {SRCROOT: {"uri": _dir_uri(ctx.cwd)}},
            "columnKind": "unicodeCodePoints",
            "results": [],
        }
    )
    doc = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    return doc, _results(result, findings, catalog)


class _Catalog:
    """Where each finding's descriptor is in ``tool.driver.rules``: the rule's own when the
    finding has the rule's default severity, else the rule's variant for its severity."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}  # descriptor id -> its index in the rules
        self.default: dict[str, Severity] = {}  # rule id -> the severity its own descriptor has

    def descriptor_id(self, f: Finding) -> str:
        return f.rule_id if f.severity == self.default[f.rule_id] else variant_id(f.rule_id, f.severity)


def _rules(
    rule_ids: Sequence[str], findings: Sequence[Finding], ctx: ReportContext
) -> tuple[list[dict[str, Any]], _Catalog]:
    """Every enabled rule's descriptor (in the run's order), then those of rules that have
    findings without being listed, then the variants the findings need (sorted)."""
    rules: list[dict[str, Any]] = []
    catalog = _Catalog()

    def add(descriptor: dict[str, Any], severity: Severity) -> None:
        catalog.index[descriptor["id"]] = len(rules)
        catalog.default[descriptor["id"]] = severity
        rules.append(descriptor)

    for rule_id in rule_ids:
        r = _registry_rule(ctx, rule_id)
        if r is not None and r.id not in catalog.index:
            add(rule_descriptor(r), r.severity)
    for f in findings:
        if f.rule_id not in catalog.index:  # a finding of a rule not listed as enabled: describe it anyway
            known = _registry_rule(ctx, f.rule_id)
            if known is not None:
                add(rule_descriptor(known), known.severity)
            else:
                add(_bare_descriptor(f), f.severity)
    variants = {(f.rule_id, f.severity) for f in findings if f.severity != catalog.default[f.rule_id]}
    for rule_id, severity in sorted(variants, key=lambda v: (v[0], -v[1].rank)):
        base = catalog.index[rule_id]
        catalog.index[variant_id(rule_id, severity)] = len(rules)
        rules.append(variant_descriptor(rules[base], base, severity))
    return rules, catalog


def _results(result: Result, findings: Sequence[Finding], catalog: _Catalog) -> Iterator[dict[str, Any]]:
    """The results, one at a time. A file's lines are split when a finding needs them and kept
    only while its findings come (they are sorted by path): not for every file of the run."""
    files = {src.path: src for src in result.files}
    seen_fingerprints = Occurrences(f.path for f in findings)
    path, lines = None, None
    for f in findings:
        if f.path != path:
            src = files.get(f.path)
            path, lines = f.path, (None if src is None else split_lines(src.text))
        descriptor = catalog.descriptor_id(f)
        yield _result(f, descriptor, catalog.index[descriptor], lines, seen_fingerprints)


# -- rules ---------------------------------------------------------------------------


def rule_descriptor(r: Rule) -> dict[str, Any]:
    doc = _doc(r)
    summary = r.summary.strip() or r.name or r.id
    full = _section(doc, "What it does") or summary
    properties: dict[str, Any] = {"tags": rule_tags(r), "precision": r.precision}
    properties.update(severity_properties(r.id, r.severity))
    d: dict[str, Any] = {
        "id": r.id,
        "name": r.name[:MAX_NAME],
        "shortDescription": {"text": clip(summary)},
        "fullDescription": {"text": clip(full)},
        "help": {"text": doc, "markdown": doc},
    }
    if r.id.startswith(RESERVED_PREFIXES):  # only built-in rules have docs in our repository
        d["helpUri"] = f"{PROJECT_URL}/blob/main/rules/{r.id}.md"
    d["defaultConfiguration"] = {"level": LEVEL[r.severity]}
    d["properties"] = properties
    return d


def is_security(rule_id: str, severity: Severity) -> bool:
    """Whether a descriptor of this rule at this severity is a GitHub *security* rule: parse
    errors (broken input) and meta rules about dockerlint's own comments are not."""
    return severity in SECURITY_SEVERITY and not rule_id.startswith(NON_SECURITY_GROUPS)


def severity_properties(rule_id: str, severity: Severity) -> dict[str, str]:
    """``security-severity`` (GitHub's band) for a security rule, else ``problem.severity``."""
    if is_security(rule_id, severity):
        return {"security-severity": SECURITY_SEVERITY[severity]}
    return {"problem.severity": PROBLEM_SEVERITY[severity]}


def variant_id(rule_id: str, severity: Severity) -> str:
    """The descriptor id of ``rule_id``'s findings at a severity other than its default."""
    return f"{rule_id}/{severity.value}"


def variant_descriptor(base: dict[str, Any], base_index: int, severity: Severity) -> dict[str, Any]:
    """The rule described by ``base`` (at ``base_index`` in the rules) at ``severity``: the same
    names, descriptions, help and tags, that severity's level and score, and a relationship to
    the rule (a superset of the variant's results)."""
    rule_id = base["id"]
    d = {key: value for key, value in base.items() if key not in ("defaultConfiguration", "properties")}
    d["id"] = variant_id(rule_id, severity)
    d["defaultConfiguration"] = {"level": LEVEL[severity]}
    d["relationships"] = [{"target": {"id": rule_id, "index": base_index}, "kinds": ["superset"]}]
    properties: dict[str, Any] = {
        k: v for k, v in base.get("properties", {}).items() if k not in ("security-severity", "problem.severity")
    }
    if "tags" in properties:
        tags = [t for t in properties["tags"] if t != "security"]
        properties["tags"] = (["security"] if is_security(rule_id, severity) else []) + tags
    properties.update(severity_properties(rule_id, severity))
    d["properties"] = properties
    return d


def rule_tags(r: Rule) -> list[str]:
    tags: list[str] = []
    if is_security(r.id, r.severity):
        tags.append("security")
    group = GROUP_TAG.get(r.id[:2])
    if group:
        tags.append(group)
    tags.extend(f"external/cwe/cwe-{c}" for c in r.cwe)
    tags.extend(r.tags)
    out: list[str] = []
    for t in tags:
        if t and t not in out:
            out.append(t)
    return out[:MAX_TAGS]


def _doc(r: Rule) -> str:
    from dockerlint.reporters.ruledocs import read_doc

    try:
        doc = read_doc(r).strip()
    except (OSError, ValueError):  # a broken doc must not lose the report
        doc = ""
    return doc or r.summary.strip() or r.name or r.id


def _section(doc: str, title: str) -> str:
    """The body of the ``## <title>`` section of a Markdown doc ('' if absent)."""
    lines: list[str] = []
    inside = fenced = False
    for line in doc.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and re.match(r"^#{1,2}\s", line):
            if inside:
                break
            inside = line.lstrip("#").strip().lower() == title.lower()
            continue
        if inside:
            lines.append(line)
    return "\n".join(lines).strip()


def clip(text: str, limit: int = MAX_DESCRIPTION) -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary, marked with '…'."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _registry_rule(ctx: ReportContext, rule_id: str) -> Rule | None:
    get = getattr(ctx.registry, "get", None)
    r = get(rule_id) if get is not None else None
    return r if isinstance(r, Rule) else None


def _bare_descriptor(f: Finding) -> dict[str, Any]:
    text = f.rule_name or f.rule_id
    return {
        "id": f.rule_id,
        "name": text[:MAX_NAME],
        "shortDescription": {"text": clip(text)},
        "fullDescription": {"text": clip(text)},
        "help": {"text": text},
        "defaultConfiguration": {"level": LEVEL[f.severity]},
        "properties": severity_properties(f.rule_id, f.severity),
    }


# -- results -------------------------------------------------------------------------


def _result(
    f: Finding, descriptor_id: str, rule_index: int, lines: list[str] | None, seen: Occurrences
) -> dict[str, Any]:
    s = f.span
    start_line = max(1, s.line)
    start_col = max(1, s.col)
    end_line = max(start_line, s.end_line)
    end_col = max(1, s.end_col)
    if end_line == start_line:
        end_col = max(end_col, start_col)
    artifact = _artifact(f.path)

    fingerprints: dict[str, str] = {}
    if f.line_hash:  # computed by the engine from the text it read: no file is read again here
        fingerprints["primaryLocationLineHash"] = f.line_hash
    own = own_fingerprint(f, lines)
    fingerprints[FINGERPRINT_KEY] = f"{own}:{seen.count(f.path, own)}"

    out: dict[str, Any] = {
        "ruleId": descriptor_id,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": visible(f.message)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact,
                    "region": {
                        "startLine": start_line,
                        "startColumn": start_col,
                        "endLine": end_line,
                        "endColumn": end_col,
                    },
                }
            }
        ],
        "partialFingerprints": fingerprints,
    }
    if f.suppression is not None:
        kind = "external" if f.suppression.kind == "baseline" else "inSource"
        sup: dict[str, Any] = {"kind": kind}
        if f.suppression.reason:
            sup["justification"] = visible(f.suppression.reason)
        out["suppressions"] = [sup]
    if f.fix is not None and f.fix.safe:
        out["fixes"] = [_fix(f.fix)]
    return out


def _region(span: Span) -> dict[str, int]:
    start_line, start_col = max(1, span.line), max(1, span.col)
    end_line = max(start_line, span.end_line)
    end_col = max(1, span.end_col)
    if end_line == start_line:
        end_col = max(end_col, start_col)
    return {"startLine": start_line, "startColumn": start_col, "endLine": end_line, "endColumn": end_col}


def _artifact(path: str) -> dict[str, Any]:
    if _is_absolute(path):  # outside the directory dockerlint ran in
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(_path_bytes(path), safe="/"), "uriBaseId": SRCROOT}


def _path_bytes(path: str) -> bytes:
    """A path's bytes as the file system has them: a name that is not UTF-8 (decoded with
    surrogate escapes) gets its own bytes back, which the URI then percent-encodes."""
    try:
        return os.fsencode(path)
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogatepass")


def _fix(fix: Fix) -> dict[str, Any]:
    """A SARIF fix: one artifactChange per file, an empty deletedRegion for an insertion."""
    changes: dict[str, list[dict[str, Any]]] = {}
    for edit in fix.edits:
        changes.setdefault(edit.span.path, []).append(
            {"deletedRegion": _region(edit.span), "insertedContent": {"text": edit.replacement}}
        )
    return {
        "description": {"text": visible(fix.description)},
        "artifactChanges": [
            {"artifactLocation": _artifact(path), "replacements": reps} for path, reps in changes.items()
        ],
    }


def own_fingerprint(f: Finding, lines: list[str] | None) -> str:
    """sha256 of rule id, path, the flagged text (whitespace collapsed) and the context.

    The flagged text is the finding's ``snippet`` (captured by the engine), else it is cut
    from ``lines`` (the file's text split on newlines); empty when the file could not be read.
    """
    snippet = f.snippet or (span_text(lines, f) if lines is not None else "")
    return stable_fingerprint(f.rule_id, f.path, snippet, f.context)


def span_text(lines: list[str], f: Finding) -> str:
    """The source text a finding's span covers (code point columns, end exclusive)."""
    return engine_span_text(lines, f.span)


def _is_absolute(path: str) -> bool:
    return os.path.isabs(path)


def _dir_uri(cwd: str) -> str:
    uri = Path(os.path.abspath(cwd)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


# -- invocation ----------------------------------------------------------------------


def _invocation(result: Result) -> dict[str, Any]:
    inv: dict[str, Any] = {"executionSuccessful": not (result.internal_errors or result.io_errors)}
    notes: list[dict[str, Any]] = [{"level": "error", "message": {"text": visible(m)}} for m in result.internal_errors]
    for f in result.findings:  # files that could not be read or parsed
        if f.rule_id.endswith("000"):
            notes.append(
                {
                    "level": "error",
                    "message": {"text": visible(f"{f.path}:{f.span.line}:{f.span.col}: {f.message}")},
                    "locations": [
                        {"physicalLocation": {"artifactLocation": _artifact(f.path), "region": _region(f.span)}}
                    ],
                    "descriptor": {"id": f.rule_id},
                }
            )
    notes += [{"level": "note", "message": {"text": visible(m)}} for m in result.notices]
    if notes:
        inv["toolExecutionNotifications"] = notes
    return inv
