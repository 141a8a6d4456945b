"""DL003 suppression-without-reason: a suppression comment without a justification."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.suppression import Suppression


@rule(
    id="DL003",
    name="suppression-without-reason",
    reads=Suppression,
    severity=Severity.MEDIUM,
    summary="A suppression comment gives no reason, so it is not applied",
    precision="very-high",
    tags=("maintainability",),
)
def suppression_without_reason(s: Suppression, ctx: RuleContext) -> Iterator[Hit]:
    if s.error or s.reason or not s.reason_required or not s.ids:
        return
    ids = ",".join(i.id for i in s.ids)
    yield Hit(
        s.span,
        f"this suppression of {quote(ids, 40)} gives no reason, so it is not applied; add one after the brackets",
        context="no-reason",
    )
