"""DC108 host-pid: the container shares the host's process namespace."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.engine import RuleContext
from dockerlint.models.container import Container
from dockerlint.registry import Hit, Severity, rule


@rule(id="DC108", name="host-pid", reads=Container, severity=Severity.HIGH,
      summary="Container shares the host's PID namespace",
      cwe=(653,), cis=("5.15",),
      peers={"compose-lint": "CL-0010", "kics": "host_namespace_is_shared"},
      precision="very-high", tags=("security",))
def host_pid(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    p = c.pid
    if p is None or p.text.strip().lower() != "host":
        return
    note = f", interpolated from {p.value!r}" if p.expanded is not None else ""
    yield Hit(p.span,
              f"{c.label} shares the host's process namespace (pid 'host'{note}): it sees every host "
              "process with its command line, can kill them, read the environment and open files of "
              "those running as the same user through /proc, and with SYS_PTRACE inject code into "
              "them; 'nsenter -t 1' from such a container is a shell on the host",
              context=f"{c.name.value}:pid")
