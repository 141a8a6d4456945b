"""DF224 copy-from-own-stage: ``COPY --from`` names the stage it is in.

A stage cannot copy from itself: ``--from=build`` inside the stage named ``build`` (or
``--from=2`` in the third stage) is a typo for another stage, or a leftover of a renaming;
the build fails with a circular dependency, or, when an earlier stage has the same name,
silently copies from that one.

Fires on ``COPY --from`` (and ``ADD --from``) whose value is the current stage's name
(case-insensitively) or index.

Where it points: at the ``--from`` flag.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.image._hygiene import bare


@rule(
    id="DF224",
    name="copy-from-own-stage",
    reads=ImageBuild,
    severity=Severity.LOW,
    summary="COPY --from names the stage it is in",
    enabled_by_default=False,
    peers={"hadolint": "DL3023", "trivy": "DS-0006", "kics": "copy_from_references_current_from_alias"},
    precision="very-high",
    tags=("hygiene", "correctness"),
)
def copy_from_own_stage(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for stage in build.stages:
        own = {str(stage.index)} | ({stage.name.value} if stage.name is not None else set())
        for ins in stage.instructions:
            if ins.keyword not in ("COPY", "ADD"):
                continue
            flag = ins.flag("from")
            if flag is None or not flag.value or flag.value.lower() not in own:
                continue
            yield Hit(
                flag.span,
                f"COPY --from={bare(flag.value)} names the stage this COPY is in (stage "
                f"{stage.index}{', ' + quote(stage.name.value, 32) if stage.name else ''}): a stage cannot "
                "copy from itself; name the stage that builds the files",
                context=f"copy-from:{flag.value}",
            )
