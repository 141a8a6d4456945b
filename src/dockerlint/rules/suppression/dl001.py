"""DL001 unused-suppression: a suppression comment that suppresses nothing."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.suppression import Suppression


@rule(
    id="DL001",
    name="unused-suppression",
    reads=Suppression,
    severity=Severity.LOW,
    summary="A suppression comment names a rule that has no finding where it applies",
    peers={"ruff": "RUF100"},
    precision="very-high",
    tags=("maintainability",),
)
def unused_suppression(s: Suppression, ctx: RuleContext) -> Iterator[Hit]:
    if s.error or not s.honoured:
        return  # DL002 / DL003 report these
    for i in s.ids:
        if not i.known or i.used:
            continue
        if s.scope == "file":
            where = "anywhere in this file"
        elif not s.covers[0]:
            where = "here: no line follows the comment"
        elif s.covers[0] == s.covers[1]:
            where = f"on line {s.covers[0]}"
        else:
            where = f"on lines {s.covers[0]}-{s.covers[1]}"
        yield Hit(
            i.span,
            f"{i.id} has no finding {where}, so this suppression does nothing; remove it",
            context=f"unused:{i.id}",
        )
