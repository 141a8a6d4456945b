"""DC105 explicit-root-user: the container is told to run as root."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.containers import subject


def is_root_user(text: str) -> bool:
    """``root``, ``0``, ``root:<group>``, ``0:<group>`` (the user part decides)."""
    user = text.strip().split(":", 1)[0].strip()
    return user == "root" or (user.isdigit() and int(user) == 0)


@rule(
    id="DC105",
    name="explicit-root-user",
    reads=Container,
    severity=Severity.MEDIUM,
    summary="Container explicitly runs as root",
    cwe=(250,),
    cis=("4.1",),
    peers={"compose-lint": "CL-0018"},
    precision="very-high",
    tags=("security",),
)
def explicit_root_user(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    u = c.user
    if u is None or not is_root_user(u.text):
        return
    note = f", from {quote(u.value, 40)}" if u.expanded is not None else ""
    yield Hit(
        u.span,
        f"{subject(c)} runs as root (user {quote(u.text, 32)}{note}), overriding the image's USER",
        context=f"{c.name.value}:user",
    )
