"""DD105: the daemon runs without user namespace remapping and not rootless."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.daemon import Daemon
from dockerlint.rules.daemon._daemon import flags_hidden


def _disabled(value: str) -> bool:
    user = value.strip().split(":", 1)[0].strip()
    return user in ("", "root", "0")


@rule(id="DD105", name="userns-remap-disabled", reads=Daemon, severity=Severity.MEDIUM,
      summary="The daemon runs without user namespace remapping and not in rootless mode",
      cwe=(250,), cis=("2.9",), peers={"docker-bench": "2.9"}, tags=("security",))
def userns_remap_disabled(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    if d.engine != "docker":
        return  # dockerd's settings; Podman's API service reads none of them
    if d.rootless is not None:
        return
    s = d.get("userns-remap")
    if s is None:
        if d.config_path is None and d.exec_start is None:
            # Only socket units, drop-ins without a command, or the variables of an assumed
            # packaged unit: not the daemon's whole configuration, so nothing is "missing".
            return
        hidden = " (flags hidden in the ExecStart's $VARIABLES were not read)" if flags_hidden(d) else ""
        yield Hit(d.anchor, (
            f"the daemon configured here runs without user namespace remapping and not rootless{hidden}: root in "
            "a container is root on the host, so a container escape owns the machine; set "
            '"userns-remap": "default" (or run Docker rootless)'))
    elif isinstance(s.value, str) and _disabled(s.value):
        shown = s.value if s.value.strip() else "empty"
        yield Hit(s.value_span, (
            f"userns-remap is {shown}: root cannot be remapped to itself, so user namespaces stay off and root in "
            'a container is root on the host; use "default" (the dockremap user) or a dedicated user'))
