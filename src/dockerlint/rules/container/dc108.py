"""DC108 host-pid: the container shares the host's process namespace.

What it can do to the host's processes depends on what else it holds, and the message says
which: it always sees them and their command lines; AppArmor's ``docker-default`` profile
lets a container signal and trace only processes under the same profile, so killing host
processes and reading their environment needs AppArmor off (or a host without it);
injecting code needs SYS_PTRACE; ``nsenter -t 1`` into the host's namespaces needs
SYS_ADMIN and SYS_PTRACE (opening ``/proc/1/ns/*`` is a ptrace access check on init, which
holds every capability) with AppArmor off, or privileged mode.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.containers import subject
from dockerlint.rules.container._namespaces import host_namespace, interpolated
from dockerlint.rules.container._secopt import apparmor_off, has_capability, privileged
from dockerlint.rules.container._text import fit


def _powers(c: Container) -> str:
    """What else makes the host's processes the container's, as far as the file says (the rule
    page says what each one allows): privileged mode or SYS_ADMIN with SYS_PTRACE and AppArmor
    off (a shell on the host), SYS_PTRACE (code injection), AppArmor off (signals, environments)."""
    unconfined = apparmor_off(c) is not None
    ptrace = has_capability(c, "SYS_PTRACE")
    if privileged(c):
        return "; privileged: a host shell (nsenter -t 1 -a)"
    if ptrace and has_capability(c, "SYS_ADMIN"):
        if unconfined:
            return "; SYS_PTRACE+SYS_ADMIN, AppArmor off: a host shell (nsenter -t 1 -a)"
        return "; SYS_PTRACE+SYS_ADMIN: a host shell (nsenter) unless AppArmor stops it"
    if ptrace:
        return "; SYS_PTRACE: it can inject code into them" + (", AppArmor off" if unconfined else "")
    return "; AppArmor off: it can signal them and read their environment" if unconfined else ""


@rule(
    id="DC108",
    name="host-pid",
    reads=Container,
    severity=Severity.HIGH,
    summary="Container shares the host's PID namespace",
    cwe=(653,),
    cis=("5.15",),
    peers={"compose-lint": "CL-0010", "kics": "host_namespace_is_shared"},
    precision="very-high",
    tags=("security",),
)
def host_pid(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    p = host_namespace(c, "pid")
    if p is None:
        return
    note = interpolated(p)
    yield Hit(
        p.span,
        fit(f"{subject(c)} shares the host's process namespace (pid 'host'{note})", _powers(c)),
        context=f"{c.name.value}:pid",
    )
