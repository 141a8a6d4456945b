"""DL002 invalid-suppression: a suppression comment that cannot be read or names no known rule."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.suppression import Suppression


@rule(
    id="DL002",
    name="invalid-suppression",
    reads=Suppression,
    severity=Severity.MEDIUM,
    summary="A suppression comment is malformed or names a rule id that does not exist",
    precision="very-high",
    tags=("maintainability",),
)
def invalid_suppression(s: Suppression, ctx: RuleContext) -> Iterator[Hit]:
    if s.error:
        yield Hit(s.span, s.error, context="malformed")
        return
    for i in s.ids:
        if i.known:
            continue
        hint = f" (did you mean {i.suggestion}?)" if i.suggestion else " (see 'dockerlint rules')"
        yield Hit(
            i.span,
            f"no rule has the id {quote(i.id, 24)}{hint}, so this suppression suppresses nothing",
            context=f"unknown:{i.id}",
        )
