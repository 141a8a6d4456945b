"""DF222 duplicate-stage-name: two stages with the same ``AS`` name.

``COPY --from=<name>`` and ``FROM <name>`` then mean the last stage of that name *before
them*, and ``--target <name>`` one of the two: easy to get wrong when stages are moved.
BuildKit only warns (``DuplicateStageName``).

Fires on every ``FROM … AS name`` whose name (compared case-insensitively, as BuildKit
does) an earlier stage already has.

Where it points: at the repeated name.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.image import ImageBuild


@rule(
    id="DF222",
    name="duplicate-stage-name",
    reads=ImageBuild,
    severity=Severity.LOW,
    summary="Two build stages have the same name",
    enabled_by_default=False,
    peers={"hadolint": "DL3024", "trivy": "DS-0012", "kics": "same_alias_in_different_froms"},
    precision="very-high",
    tags=("hygiene", "correctness"),
)
def duplicate_stage_name(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    first: dict[str, int] = {}
    for stage in build.stages:
        name = stage.name
        if name is None or "$" in name.value:
            continue
        if name.value in first:
            yield Hit(
                name.span,
                f"stage name {quote(name.value)} is already used by the stage on line "
                f"{first[name.value]}; give each stage its own name",
                context=f"stage:{name.value}",
            )
        else:
            first[name.value] = name.span.line
