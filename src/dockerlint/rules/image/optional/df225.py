"""DF225 copy-to-file-with-many-sources: ``COPY a b dest`` where ``dest`` does not end with ``/``.

With more than one source, the destination must be a directory written with a trailing
slash; BuildKit stops the build: "When using COPY with more than one source file, the
destination must be a directory and end with a /".

Fires on ``COPY``/``ADD`` with two or more sources (heredocs included) whose destination
does not end with ``/`` (``.`` and a destination ending in ``/.`` count as directories).
A destination that holds an unknown variable is not judged.

Where it points: at the destination.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.image import ImageBuild


@rule(
    id="DF225",
    name="copy-to-file-with-many-sources",
    reads=ImageBuild,
    severity=Severity.LOW,
    summary="COPY of several sources to a destination without a trailing /",
    enabled_by_default=False,
    peers={"hadolint": "DL3021", "trivy": "DS-0011", "kics": "copy_with_more_than_two_arguments_not_ending_with_slash"},
    precision="very-high",
    tags=("hygiene", "correctness"),
)
def copy_to_file_with_many_sources(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for ins in build.instructions:
        if ins.keyword not in ("COPY", "ADD") or len(ins.args) < 3:
            continue
        dest = ins.args[-1]
        path = dest.text.strip("\"'")
        if "$" in path or path.endswith(("/", "/.")) or path in (".", ""):
            continue
        yield Hit(
            dest.span,
            f"{ins.keyword} of {len(ins.args) - 1} sources to {quote(dest.value)}, which does not "
            "end with /: the build fails; add the /",
            context=f"copy-dest:{dest.value}",
        )
