"""DC123 unresolved-variable: a Compose variable nothing in the scanned tree sets.

The Compose project assembler (parsers/compose_project.py) raises these findings: once per
variable per project, at its first use. A rule module registers the id, its severity and
its documentation; it has nothing to check on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dockerlint.api import Hit, Severity, rule
from dockerlint.models.container import Container


def _raised_by_the_project_assembler(model: Any, ctx: Any) -> Iterator[Hit]:
    return iter(())


DC123 = rule(
    id="DC123",
    name="unresolved-variable",
    reads=Container,
    severity=Severity.INFO,
    summary="A Compose variable is set neither in .env nor by a default, so its value is unknown",
    precision="very-high",
    tags=("correctness",),
)(_raised_by_the_project_assembler)
