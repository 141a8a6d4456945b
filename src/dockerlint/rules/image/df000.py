"""DF000 dockerfile-parse-error: a Dockerfile could not be read or parsed. The engine raises
these findings (one per broken file, at the position of the problem); the rule has nothing
to check."""

from __future__ import annotations

from dockerlint.api import Severity, no_check, rule
from dockerlint.models.image import ImageBuild

DF000 = rule(
    id="DF000",
    name="dockerfile-parse-error",
    reads=ImageBuild,
    severity=Severity.ERROR,
    summary="The Dockerfile could not be read or parsed",
    peers={"hadolint": "DL1000"},
    precision="very-high",
    tags=("correctness",),
)(no_check)
