"""DC112 mac-confinement-disabled: AppArmor / SELinux confinement or masked paths turned off."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.container import Container
from dockerlint.rules.container._secopt import options

# SELinux types that run a container unconfined (spc_t: "super privileged container").
_UNCONFINED_TYPES = frozenset({"type:spc_t", "type:unconfined_t"})


def _why(key: str, value: str) -> str | None:
    v = value.lower()
    if key == "apparmor" and v == "unconfined":
        return ("turns off the AppArmor profile (docker-default) that denies writes to /proc and /sys, "
                "mount and access to host kernel interfaces")
    if key == "label" and v == "disable":
        return ("turns off SELinux separation: the container process is no longer kept out of host "
                "files and other containers' files by its label")
    if key == "label" and v in _UNCONFINED_TYPES:
        return (f"runs the container as the SELinux type {value.split(':', 1)[1]!r}, which is unconfined: "
                "SELinux no longer keeps it out of host files")
    if (key == "systempaths" and v == "unconfined") or (key == "unmask" and "all" in v.split(":")):
        return ("unmasks /proc/kcore, /proc/sysrq-trigger, /sys/firmware and the other kernel paths "
                "Docker hides, and makes /proc/sys writable")
    return None


@rule(id="DC112", name="mac-confinement-disabled", reads=Container, severity=Severity.HIGH,
      summary="Container runs without AppArmor/SELinux confinement or with unmasked system paths",
      cwe=(693,), cis=("5.1", "5.2"),
      peers={"compose-lint": "CL-0009"},
      precision="very-high", tags=("security",))
def mac_confinement_disabled(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    for opt, key, value in options(c):
        if value is None:
            continue
        why = _why(key, value)
        if why is not None:
            yield Hit(opt.span, f"{c.label} sets security_opt {opt.text.strip()!r}: it {why}",
                      context=f"{c.name.value}:{key}")
