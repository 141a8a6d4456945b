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
from dockerlint.rules.container._namespaces import host_namespace, interpolated
from dockerlint.rules.container._secopt import apparmor_off, has_capability, privileged


def _powers(c: Container) -> str:
    """What the container can do to the host's processes, as far as the file says."""
    unconfined = apparmor_off(c)
    if unconfined is not None:
        signals = (f"with AppArmor off ({unconfined}) it can also kill them and read the environment "
                   "of those of its own user through /proc")
    else:
        signals = ("unless AppArmor or SELinux confines it, it can also kill them and read the "
                   "environment of those of its own user through /proc")
    ptrace = has_capability(c, "SYS_PTRACE")
    inject = ("with SYS_PTRACE it can inject code into them" if ptrace
              else "given SYS_PTRACE it could inject code into them")
    if privileged(c):
        escape = "being privileged, 'nsenter -t 1 -a' from it is a shell on the host"
    elif ptrace and has_capability(c, "SYS_ADMIN"):
        escape = ("with SYS_ADMIN as well, 'nsenter -t 1 -a' from it is a shell on the host"
                  + ("" if unconfined is not None else " where AppArmor does not stop it"))
    else:
        escape = "were it privileged, 'nsenter -t 1 -a' from it would be a shell on the host"
    return f"{signals}; {inject}, and {escape}"


@rule(id="DC108", name="host-pid", reads=Container, severity=Severity.HIGH,
      summary="Container shares the host's PID namespace",
      cwe=(653,), cis=("5.15",),
      peers={"compose-lint": "CL-0010", "kics": "host_namespace_is_shared"},
      precision="very-high", tags=("security",))
def host_pid(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    p = host_namespace(c, "pid")
    if p is None:
        return
    note = interpolated(p)
    yield Hit(p.span,
              f"{c.label} shares the host's process namespace (pid 'host'{note}): it sees every host "
              f"process with its command line (secrets passed as arguments included); {_powers(c)}",
              context=f"{c.name.value}:pid")
