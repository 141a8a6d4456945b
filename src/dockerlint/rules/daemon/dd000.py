"""DD000 daemon-config-parse-error: a daemon or Docker client configuration (daemon.json, a
systemd unit, a CLI context's meta.json, a client config.json) could not be read or parsed.
The engine raises these findings (one per broken file, at the position of the problem); the
rule has nothing to check."""

from __future__ import annotations

from dockerlint.api import Severity, no_check, rule
from dockerlint.models.daemon import Daemon

DD000 = rule(
    id="DD000",
    name="daemon-config-parse-error",
    reads=Daemon,
    severity=Severity.ERROR,
    summary="A daemon or Docker client configuration (daemon.json, a systemd unit, a CLI context, config.json) "
    "could not be read or parsed",
    peers={"dockerd": "--validate"},
    precision="very-high",
    tags=("correctness",),
)(no_check)
