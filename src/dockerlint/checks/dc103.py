"""DC103 host-root-mount: the host's whole filesystem is mounted into a container."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.checks._mounts import bind_source, default_note, is_windows_drive_root
from dockerlint.engine import RuleContext
from dockerlint.models.container import Container
from dockerlint.registry import Hit, Severity, rule


@rule(id="DC103", name="host-root-mount", reads=Container, severity=Severity.CRITICAL,
      summary="The host's root filesystem is mounted into a container",
      cwe=(250, 668), cis=("5.5",),
      peers={"compose-lint": "CL-0025", "kics": "volume_has_sensitive_host_directory"},
      precision="very-high", tags=("security",))
def host_root_mount(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    for m in c.volumes:
        src = bind_source(m)
        if src is None or not (src == "/" or is_windows_drive_root(src)):
            continue
        target = f" at {m.target.text!r}" if m.target is not None else ""
        what = "root filesystem" if src == "/" else "system drive"
        if m.read_only:
            impact = ("even read-only, the container reads every secret on the host (/etc/shadow, SSH "
                      "and TLS keys, other containers' data) and can reach the Docker socket under /run")
        else:
            impact = ("the container can read and rewrite every file on the host (/etc, cron, SSH keys, "
                      "binaries): that is root on the host")
        yield Hit(m.span, f"{c.label} mounts the host's {what} {src!r}{default_note(m)}{target}: {impact}",
                  context=f"{c.name.value}:{src}")
