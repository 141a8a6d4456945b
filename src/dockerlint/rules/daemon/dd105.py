"""DD105: the daemon runs without user namespace remapping and not rootless."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.daemon import Daemon
from dockerlint.rules.daemon._defaults import hidden


def _disabled(value: str) -> bool:
    user = value.strip().split(":", 1)[0].strip()
    return user in ("", "root", "0")


@rule(
    id="DD105",
    name="userns-remap-disabled",
    reads=Daemon,
    severity=Severity.MEDIUM,
    summary="The daemon runs without user namespace remapping and not in rootless mode",
    cwe=(250,),
    cis=("2.9",),
    peers={"docker-bench": "2.9"},
    tags=("security",),
)
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
        yield Hit(
            d.span,
            (
                f"the daemon configured here sets no userns-remap and is not rootless{hidden(d)}; set "
                '"userns-remap": "default"'
            ),
        )
    elif isinstance(s.value, str) and _disabled(s.value):
        shown = quote(s.value) if s.value.strip() else "empty"
        yield Hit(
            s.value_span,
            (
                f'userns-remap is {shown}: root remapped to itself leaves user namespaces off; use "default" or a '
                "dedicated user"
            ),
        )
