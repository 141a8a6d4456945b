"""DC102 privileged-container: the container (or its image build) runs privileged."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.container import Container
from dockerlint.rules.container._rootless import scoped

_IMPACT = ("it gets every capability, all host devices and no seccomp/AppArmor confinement, "
           "so escaping to the host is trivial")


def _dind_hint(c: Container) -> str:
    image = c.image.text.lower() if c.image is not None else ""
    if "dind" in image:
        return ("; for Docker-in-Docker, the Sysbox runtime (runtime: sysbox-runc) runs the daemon "
                "unprivileged, and rootless BuildKit or a remote builder avoid it for image builds")
    return ""


@rule(id="DC102", name="privileged-container", reads=Container, severity=Severity.CRITICAL,
      summary="Container runs privileged",
      cwe=(250,), cis=("5.4",),
      peers={"compose-lint": "CL-0002", "kics": "privileged_containers"},
      precision="very-high", tags=("security",))
def privileged_container(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    return scoped(c, _privileged_container(c, ctx), Severity.CRITICAL)


def _privileged_container(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    if c.privileged is not None and c.privileged.value:
        yield Hit(c.privileged.span, f"{c.label} runs privileged: {_IMPACT}{_dind_hint(c)}",
                  context=f"{c.name.value}:privileged")
    if c.build is not None and c.build.privileged is not None and c.build.privileged.value:
        yield Hit(c.build.privileged.span,
                  f"{c.label} builds its image privileged (build.privileged: true): every build step "
                  "runs with full privileges on the build host",
                  context=f"{c.name.value}:build.privileged")
