"""DF223 repeated-cmd-entrypoint-healthcheck: a stage sets ``CMD``, ``ENTRYPOINT`` or
``HEALTHCHECK`` more than once.

Only the last one of a stage counts; the earlier ones are dead text that readers (and
reviewers) take for the real thing.

Fires on every ``CMD``, ``ENTRYPOINT`` and ``HEALTHCHECK`` that a later one of the same kind
in the same stage overrides. ``ONBUILD CMD`` (the child image's business) is not counted.

Where it points: at the keyword of the overridden instruction.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild, Instruction

_KINDS = ("CMD", "ENTRYPOINT", "HEALTHCHECK")


@rule(
    id="DF223",
    name="repeated-cmd-entrypoint-healthcheck",
    reads=ImageBuild,
    severity=Severity.LOW,
    summary="A stage sets CMD, ENTRYPOINT or HEALTHCHECK more than once",
    enabled_by_default=False,
    peers={
        "hadolint": "DL4003, DL4004, DL3012",
        "trivy": "DS-0016, DS-0007, DS-0023",
        "kics": "multiple_cmd_instructions_listed, multiple_entrypoint_instructions_listed",
    },
    precision="very-high",
    tags=("hygiene", "correctness"),
)
def repeated_cmd_entrypoint_healthcheck(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for stage in build.stages:
        last: dict[str, Instruction] = {}
        for ins in stage.instructions:
            if ins.keyword in _KINDS:
                last[ins.keyword] = ins
        for ins in stage.instructions:
            if ins.keyword in _KINDS and last[ins.keyword] is not ins:
                later = last[ins.keyword]
                yield Hit(
                    ins.keyword_span,
                    f"this {ins.keyword} is overridden by the {ins.keyword} on line "
                    f"{later.start_line}: only the last one of a stage takes effect; remove this one",
                    context=f"repeated:{ins.keyword}",
                )
