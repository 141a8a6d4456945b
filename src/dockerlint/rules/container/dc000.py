"""DC000 compose-parse-error: a Compose file (or a script or CI file with ``docker run``
lines) could not be read or parsed. The engine raises these findings (one per broken
file, at the position of the problem); the rule has nothing to check."""

from __future__ import annotations

from dockerlint.api import Severity, no_check, rule
from dockerlint.models.container import Container

DC000 = rule(
    id="DC000",
    name="compose-parse-error",
    reads=Container,
    severity=Severity.ERROR,
    summary="The Compose file could not be read or is not a valid Compose document",
    peers={"dclint": "schema"},
    precision="very-high",
    tags=("correctness",),
)(no_check)
