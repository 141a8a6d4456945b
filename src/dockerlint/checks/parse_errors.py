"""The parse-error rules. The engine raises their findings; they have nothing to check."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dockerlint.models.container import Container
from dockerlint.models.daemon import Daemon
from dockerlint.models.image import ImageBuild
from dockerlint.registry import Hit, Severity, rule


def _nothing(model: Any, ctx: Any) -> Iterator[Hit]:
    return iter(())


DF000 = rule(
    id="DF000", name="dockerfile-parse-error", reads=ImageBuild, severity=Severity.ERROR,
    summary="The Dockerfile could not be read or parsed",
    peers={"hadolint": "DL1000"}, precision="very-high", tags=("correctness",),
)(_nothing)

DC000 = rule(
    id="DC000", name="compose-parse-error", reads=Container, severity=Severity.ERROR,
    summary="The Compose file could not be read or is not a valid Compose document",
    peers={"dclint": "schema"}, precision="very-high", tags=("correctness",),
)(_nothing)

DD000 = rule(
    id="DD000", name="daemon-config-parse-error", reads=Daemon, severity=Severity.ERROR,
    summary="The daemon configuration (daemon.json or a systemd unit) could not be read or parsed",
    peers={"dockerd": "--validate"}, precision="very-high", tags=("correctness",),
)(_nothing)
