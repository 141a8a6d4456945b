"""DC124 missing-referenced-file: a file a Compose project refers to that is missing from the tree.

The Compose project assembler (parsers/compose_project.py) raises these findings: one per
file, at its first reference (references out of the tree and remote ones are notices on
stderr, not findings). A rule module registers the id, its severity and its
documentation; it has nothing to check on its own.
"""

from __future__ import annotations

from dockerlint.api import Severity, no_check, rule
from dockerlint.models.container import Container

DC124 = rule(
    id="DC124",
    name="missing-referenced-file",
    reads=Container,
    severity=Severity.INFO,
    summary="A file the Compose project refers to is missing from the tree, so what it sets is not checked",
    precision="very-high",
    tags=("correctness",),
)(no_check)
