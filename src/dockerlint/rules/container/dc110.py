"""DC110 dangerous-capability: the container is given a capability that breaks isolation."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.containers import subject, written
from dockerlint.rules.container._rootless import room, scoped
from dockerlint.rules.container._secopt import apparmor_off

# Capabilities that hand the container a way out, or power over the whole host. The ones
# marked critical are a direct escape; the rest are one well-known step away from it.
# Docker's default set (CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE,
# NET_RAW, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT, AUDIT_WRITE) is never reported:
# adding one of those changes nothing. Nor are the ones that only lift limits inside the
# container (SYS_NICE, SYS_RESOURCE, IPC_LOCK, LEASE, WAKE_ALARM, ...).
DANGEROUS: dict[str, tuple[Severity, str]] = {
    "ALL": (Severity.CRITICAL, "every capability, which is privileged mode minus the devices"),
    "SYS_ADMIN": (
        Severity.CRITICAL,
        (
            "mount filesystems, cgroup release_agent and most of the kernel's admin "
            "interfaces: the classic container escape"
        ),
    ),
    "SYS_MODULE": (Severity.CRITICAL, "load kernel modules: arbitrary code in the host kernel"),
    "SYS_RAWIO": (Severity.CRITICAL, "raw I/O ports and /dev/mem access: read and write host memory and disks"),
    "SYS_PTRACE": (
        Severity.HIGH,
        (
            "trace and inject code into other processes (the host's, with pid: host) "
            "and bypass the seccomp filter through ptrace"
        ),
    ),
    "DAC_READ_SEARCH": (
        Severity.HIGH,
        ("open files by handle (open_by_handle_at): the 'shocker' escape reads any file on the host filesystem"),
    ),
    "NET_ADMIN": (
        Severity.HIGH,
        (
            "reconfigure interfaces, routes and firewall rules (the host's, with "
            "network_mode: host) and sniff or redirect traffic"
        ),
    ),
    "BPF": (Severity.HIGH, "load eBPF programs: read kernel memory and widen the kernel attack surface"),
    "PERFMON": (Severity.HIGH, "use perf and tracing: observe other processes and the kernel"),
    "SYS_TIME": (
        Severity.HIGH,
        ("set the system clock, which is not namespaced: the host's clock (TLS, Kerberos, logs)"),
    ),
    "SYS_BOOT": (Severity.HIGH, "load a new kernel with kexec_load"),
    "MAC_ADMIN": (Severity.HIGH, "change the AppArmor/SELinux policy that confines containers"),
    "MAC_OVERRIDE": (Severity.HIGH, "override the AppArmor/SELinux policy that confines containers"),
    "SYSLOG": (Severity.HIGH, "read and clear the kernel log, which leaks kernel addresses (defeats KASLR)"),
    "AUDIT_CONTROL": (Severity.HIGH, "change or disable the host's audit rules, which are not namespaced"),
}


def _shared(value: object) -> str | None:
    """``host``, or the ``service:x`` / ``container:x`` whose namespace a setting shares (None:
    the container's own)."""
    text = getattr(value, "text", None)
    if not isinstance(text, str):
        return None
    t = text.strip()
    if t.lower() == "host":
        return "host"
    return t if t.lower().startswith(("service:", "container:")) else None


def in_context(name: str, c: Container) -> tuple[Severity, str] | None:
    """``DANGEROUS[name]``, said of this container: whose processes SYS_PTRACE reaches and whose
    network NET_ADMIN reconfigures depend on the namespaces it shares."""
    found = DANGEROUS.get(name)
    if found is None or name not in ("SYS_PTRACE", "NET_ADMIN"):
        return found
    if name == "SYS_PTRACE":
        pid = _shared(c.pid)
        if pid == "host":
            where = "" if apparmor_off(c) is not None else ", unless AppArmor stops it"
            shown = written(c, "pid", "host", compose="pid: host")  # --pid host
            return Severity.HIGH, f"trace and inject code into the host's processes ({shown}{where})"
        if pid is not None:
            shown = written(c, "pid", quote(pid, 40), compose=f"pid: {quote(pid, 40)}")
            return Severity.HIGH, f"trace and inject code into the processes of {shown}"
        # Its own processes only: no step out of the container on a current kernel (the page
        # says what it did before 4.8).
        return Severity.MEDIUM, "trace and inject code into its own container's processes"
    net = _shared(c.network_mode)
    if net == "host":
        shown = written(c, "network_mode", "host", compose="network_mode: host")  # --network host
        return Severity.HIGH, f"reconfigure the host's interfaces, routes and firewall ({shown})"
    whose = f"the network of {quote(net, 40)}" if net is not None else "its own network"
    # Still high: it opens the kernel's netfilter code to the container's root (the page says
    # which privilege escalations went in that way).
    return Severity.HIGH, f"reconfigure {whose} and reach the kernel's nf_tables code"


def normalize(text: str) -> str:
    """dockerd's spelling: upper case, without the ``CAP_`` prefix."""
    name = text.strip().upper()
    return name.removeprefix("CAP_")


@rule(
    id="DC110",
    name="dangerous-capability",
    reads=Container,
    severity=Severity.HIGH,
    summary="Container is given a capability that breaks isolation (SYS_ADMIN, ALL, NET_ADMIN, ...)",
    cwe=(250,),
    cis=("5.3",),
    peers={"compose-lint": "CL-0011, CL-0024, CL-0027, CL-0028, CL-0029, CL-0030"},
    precision="very-high",
    tags=("security",),
)
def dangerous_capability(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    return scoped(c, _dangerous_capability(c, ctx), Severity.HIGH)


def _dangerous_capability(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    for cap in c.cap_add:
        name = normalize(cap.text)
        found = in_context(name, c)
        if found is None:
            continue
        severity, power = found
        head = f"{subject(c)} adds capability {name}"  # a name of DANGEROUS: the rule's own words
        room_left = room(c) - len(head) - 2
        short = power.split(": ", 1)[0].split(" (", 1)[0]
        shown = power if len(power) <= room_left else short if len(short) <= room_left else ""
        yield Hit(
            cap.span,
            f"{head}: {shown}" if shown else head,
            severity=severity if severity is not Severity.HIGH else None,
            context=f"{c.name.value}:cap_add:{name}",
        )
