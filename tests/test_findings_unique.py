"""``core.findings.unique`` remembers the findings of one sort key at a time; it must drop
exactly the repeats a table of every finding would drop."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dockerlint.api import Severity
from dockerlint.core.findings import Finding, unique
from dockerlint.models.base import Span

_FINDINGS = st.builds(
    lambda path, line, end, rule, message: Finding(
        rule, rule.lower(), Severity.HIGH, Span(path, line, 1, line, end), message
    ),
    st.sampled_from(["a", "b"]),
    st.integers(1, 2),
    st.integers(2, 3),  # same start, another end: the same sort key, another span
    st.sampled_from(["DF101", "DC101"]),
    st.sampled_from(["m", "n"]),
)


def _every_table(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, Span, str]] = set()
    out = []
    for f in findings:
        key = (f.rule_id, f.span, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


@given(st.lists(_FINDINGS, max_size=30))
def test_unique_drops_what_one_table_of_every_finding_drops(findings: list[Finding]) -> None:
    ordered = sorted(findings, key=Finding.sort_key)
    assert unique(ordered) == _every_table(ordered)


def test_a_repeat_after_a_finding_of_the_same_key_and_another_span_is_dropped() -> None:
    a = Finding("DF101", "x", Severity.HIGH, Span("p", 1, 1, 1, 2), "m")
    b = Finding("DF101", "x", Severity.HIGH, Span("p", 1, 1, 1, 3), "m")
    assert unique([a, b, a]) == [a, b]
