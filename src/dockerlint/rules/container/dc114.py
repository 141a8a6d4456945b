"""DC114 host-device: the container gets raw host memory, I/O ports or disks."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.containers import subject
from dockerlint.rules.container._mounts import normalize_host_path

_MEMORY = {
    "/dev/mem": "the host's physical memory",
    "/dev/kmem": "the host kernel's virtual memory",
    "/dev/port": "the host's I/O ports",
}
_DISK_IMPACT = "raw access to a host disk"
# Whole-disk and partition nodes of the usual drivers (SCSI/SATA/USB, IDE, virtio, Xen,
# NVMe, SD/eMMC, device-mapper/LVM, loop, software RAID, NBD, ZFS zvols, Ceph RBD).
_BLOCK = re.compile(
    r"^/dev/(?:(?:sd|hd|vd|xvd)[a-z]+\d*|nvme\d+(?:n\d+(?:p\d+)?)?|mmcblk\d+(?:p\d+)?|dm-\d+|loop\d+"
    r"|md\d+|nbd\d+|zd\d+|rbd\d+|(?:mapper|disk|md)(?:/.+)?)$"
)
# device_cgroup_rules: "<type> <major>:<minor> <access>"; major 1 holds mem (1), kmem (2), port (4).
_CGROUP_RULE = re.compile(r"^([abc])\s+(\*|\d+):(\*|\d+)\s+([rwm]+)$")


def _device(path: str) -> str | None:
    """What handing ``path`` to the container gives it, or None when it is not one we report."""
    if path == "/dev":
        return "every device node of the host: disks, /dev/mem"
    if path in _MEMORY:
        return _MEMORY[path]
    if path == "/dev/cpu" or re.match(r"^/dev/cpu/(?:\d+|\*)/msr$", path):
        return "the CPUs' model-specific registers (msr)"
    if _BLOCK.match(path):
        return _DISK_IMPACT
    return None


def _cgroup_rule(text: str) -> str | None:
    m = _CGROUP_RULE.match(" ".join(text.split()))
    if m is None:
        return None
    kind, major, minor, access = m.groups()
    if "r" not in access and "w" not in access:
        return None  # 'm' alone only allows mknod; opening the node is still denied
    if kind == "a":
        return "every device of the host, disks and /dev/mem included"
    if kind == "b":
        what = "every block device" if major == "*" else f"the block devices of major {major}"
        return f"{what}: raw access to the host's disks"
    if major == "*" or (major == "1" and minor in {"*", "1", "2", "4"}):
        return "/dev/mem, /dev/kmem or /dev/port: the host's memory and I/O ports"
    return None


@rule(
    id="DC114",
    name="host-device",
    reads=Container,
    severity=Severity.HIGH,
    summary="Container is given raw host memory, I/O ports or disks",
    cwe=(250, 668),
    cis=("5.17",),
    peers={"compose-lint": "CL-0016"},
    precision="very-high",
    tags=("security",),
)
def host_device(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    for dev in c.devices:
        host = dev.text.strip().split(":", 1)[0]
        if not host.startswith("/"):
            continue  # a CDI device name (nvidia.com/gpu=all) or an unresolved variable
        path = normalize_host_path(host)
        what = _device(path)
        if what is not None:
            yield Hit(
                dev.span,
                f"{subject(c)} is given the host device {quote(path, 40)}: {what}",
                context=f"{c.name.value}:device:{path}",
            )
    for r in c.device_cgroup_rules:
        what = _cgroup_rule(r.text.strip())
        if what is not None:
            rule_text = quote(r.text.strip(), 32)
            yield Hit(
                r.span,
                f"{subject(c)} has the device cgroup rule {rule_text}: it may open {what}",
                context=f"{c.name.value}:device_cgroup_rule:{r.text.strip()}",
            )
