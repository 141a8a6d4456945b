"""DC102 privileged-container: the container (or its image build) runs privileged."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.containers import subject
from dockerlint.rules.container._rootless import room, scoped
from dockerlint.rules.container._text import fit


def _dind_hint(c: Container) -> str:
    image = c.image.text.lower() if c.image is not None else ""
    if "dind" in image:
        return "; for Docker-in-Docker, use the Sysbox runtime (sysbox-runc)"
    return ""


@rule(
    id="DC102",
    name="privileged-container",
    reads=Container,
    severity=Severity.CRITICAL,
    summary="Container runs privileged",
    cwe=(250,),
    cis=("5.4",),
    peers={"compose-lint": "CL-0002", "kics": "privileged_containers"},
    precision="very-high",
    tags=("security",),
)
def privileged_container(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    return scoped(c, _privileged_container(c, ctx), Severity.CRITICAL)


def _privileged_container(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    if c.privileged is not None and c.privileged.value:
        yield Hit(
            c.privileged.span,
            fit(f"{subject(c)} runs privileged", _dind_hint(c), limit=room(c)),
            context=f"{c.name.value}:privileged",
        )
    if c.build is not None and c.build.privileged is not None and c.build.privileged.value:
        yield Hit(
            c.build.privileged.span,
            f"{subject(c)} builds its image privileged (build.privileged: true)",
            context=f"{c.name.value}:build.privileged",
        )
