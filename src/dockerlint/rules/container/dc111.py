"""DC111 seccomp-disabled: the container runs without a seccomp filter."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.containers import subject
from dockerlint.rules.container._secopt import options


@rule(
    id="DC111",
    name="seccomp-disabled",
    reads=Container,
    severity=Severity.HIGH,
    summary="Container runs without the default seccomp profile (seccomp=unconfined)",
    cwe=(693,),
    cis=("5.21",),
    peers={"compose-lint": "CL-0009", "kics": "default_seccomp_profile_disabled"},
    precision="very-high",
    tags=("security",),
)
def seccomp_disabled(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    for opt, key, value in options(c):
        if key == "seccomp" and value is not None and value.lower() == "unconfined":
            yield Hit(
                opt.span,
                f"{subject(c)} disables seccomp ({quote(opt.text.strip(), 40)}): every system call is open",
                context=f"{c.name.value}:seccomp",
            )
