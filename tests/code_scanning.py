"""What GitHub code scanning shows for a SARIF log, as GitHub documents it ("SARIF support for
code scanning"), for tests that compare it with dockerlint's own severities.

GitHub takes a result's Critical/High/Medium/Low from ``properties.security-severity`` of the
rule descriptor its ``ruleId`` names (a result has no score of its own in SARIF 2.1.0): over
9.0 critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, 0.1 to 3.9 low, anything else none. A result
with no band (not a security rule) shows its ``level``; a pull request check fails on error,
critical and high.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import unquote

# dockerlint's severity -> the band GitHub should show: info has no band of its own (low); a
# parse error is not a security result (no band: its level, error, is what GitHub shows).
EXPECTED_BAND = {"critical": "critical", "high": "high", "medium": "medium", "low": "low", "info": "low", "error": None}
EXPECTED_LEVEL = {
    "critical": "error",
    "high": "error",
    "error": "error",
    "medium": "warning",
    "low": "note",
    "info": "note",
}

# Meta rules about dockerlint's own suppression comments are not security rules: no band, their level shows.
NOT_SECURITY = ("DL",)

# One finding of the text report as written to a file or a pipe: "path:line:col: ID severity message".
_TEXT_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<rule>[A-Z]{2,5}\d{3}) "
    r"(?P<severity>critical|high|medium|low|info|error) "
)


def band(score: str) -> str | None:
    """GitHub's documented mapping of a security-severity (9.0 itself is ambiguous: ours avoid it)."""
    s = float(score)
    assert s != 9.0
    if 9.0 < s <= 10.0:
        return "critical"
    if 7.0 <= s < 9.0:
        return "high"
    if 4.0 <= s < 7.0:
        return "medium"
    if 0.1 <= s < 4.0:
        return "low"
    return None


def band_of(run: dict[str, Any], res: dict[str, Any]) -> str | None:
    """The band GitHub shows for ``res``: read from the one descriptor whose id is its ``ruleId``,
    which must also be the one its ``ruleIndex`` points at."""
    rules = run["tool"]["driver"]["rules"]
    named = [r for r in rules if r["id"] == res["ruleId"]]
    assert len(named) == 1, f"{len(named)} descriptors with id {res['ruleId']!r}"
    assert rules[res["ruleIndex"]] is named[0], (res["ruleId"], res["ruleIndex"])
    score = named[0].get("properties", {}).get("security-severity")
    return None if score is None else band(score)


Seen = tuple[str, int, int, str, "str | None", str]  # path, line, column, rule, band, level


def github_view(log: dict[str, Any]) -> Counter[Seen]:
    """Each result as code scanning shows it: place, dockerlint's rule (the id before a ``/``),
    band and level."""
    out: Counter[Seen] = Counter()
    for run in log["runs"]:
        for res in run["results"]:
            loc = res["locations"][0]["physicalLocation"]
            rule = res["ruleId"].split("/")[0]
            where = (unquote(loc["artifactLocation"]["uri"]), loc["region"]["startLine"], loc["region"]["startColumn"])
            out[(*where, rule, band_of(run, res), res["level"])] += 1
    return out


def dockerlint_view(text: str) -> Counter[Seen]:
    """The same for the text report of the same run: the band and level of each finding's severity."""
    out: Counter[Seen] = Counter()
    for line in text.splitlines():
        m = _TEXT_LINE.match(line)
        if m:
            sev, rule = m["severity"], m["rule"]
            expected = None if rule.startswith(NOT_SECURITY) else EXPECTED_BAND[sev]
            out[(m["path"], int(m["line"]), int(m["col"]), rule, expected, EXPECTED_LEVEL[sev])] += 1
    return out
