"""DC112 mac-confinement-disabled: AppArmor / SELinux confinement or masked paths turned off."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.containers import subject
from dockerlint.rules.container._secopt import options

# SELinux types that run a container unconfined (spc_t: "super privileged container").
_UNCONFINED_TYPES = frozenset({"type:spc_t", "type:unconfined_t"})


def _why(key: str, value: str) -> str | None:
    v = value.lower()
    if key == "apparmor" and v == "unconfined":
        return "AppArmor confinement off"
    if key == "label" and v == "disable":
        return "SELinux separation off"
    if key == "label" and v in _UNCONFINED_TYPES:
        return f"the unconfined SELinux type {quote(value.split(':', 1)[1], 32)}"
    if (key == "systempaths" and v == "unconfined") or (key == "unmask" and "all" in v.split(":")):
        return "kernel paths unmasked, /proc/sys writable"
    return None


@rule(
    id="DC112",
    name="mac-confinement-disabled",
    reads=Container,
    severity=Severity.HIGH,
    summary="Container runs without AppArmor/SELinux confinement or with unmasked system paths",
    cwe=(693,),
    cis=("5.1", "5.2"),
    peers={"compose-lint": "CL-0009"},
    precision="very-high",
    tags=("security",),
)
def mac_confinement_disabled(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    for opt, key, value in options(c):
        if value is None:
            continue
        why = _why(key, value)
        if why is not None:
            yield Hit(
                opt.span,
                f"{subject(c)} sets security_opt {quote(opt.text.strip(), 40)}: {why}",
                context=f"{c.name.value}:{key}",
            )
