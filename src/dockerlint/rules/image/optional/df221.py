"""DF221 maintainer-deprecated: the ``MAINTAINER`` instruction.

``MAINTAINER`` has been deprecated since Docker 1.13: it sets the image's ``Author`` field,
which tools no longer read. A label is the standard place:
``LABEL org.opencontainers.image.authors="…"``.

Fires on every ``MAINTAINER``. When its text holds no quote, backslash or ``$``, the
finding carries a fix that rewrites the instruction as that ``LABEL``.

Where it points: at the ``MAINTAINER`` keyword.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Edit, Fix, Hit, RuleContext, Severity, rule
from dockerlint.models.base import Span
from dockerlint.models.image import ImageBuild, Instruction
from dockerlint.rules.image._hygiene import bare


def _fix(ins: Instruction) -> Fix | None:
    text = ins.args_text.strip()
    args = ins.args_span
    if not text or args is None or ins.start_line != ins.end_line or any(c in text for c in "\"'\\$`"):
        return None
    kw = ins.keyword_span
    span = Span(kw.path, kw.line, kw.col, args.end_line, args.end_col)
    label = f'LABEL org.opencontainers.image.authors="{text}"'
    return Fix(f"replace with {label}", [Edit(span, label)])


@rule(
    id="DF221",
    name="maintainer-deprecated",
    reads=ImageBuild,
    severity=Severity.INFO,
    summary="MAINTAINER is deprecated",
    enabled_by_default=False,
    peers={"hadolint": "DL4000", "trivy": "DS-0022", "kics": "maintainer_instruction_being_used"},
    precision="very-high",
    tags=("hygiene",),
    fixes='replaces `MAINTAINER x` with `LABEL org.opencontainers.image.authors="x"` (when `x` has no '
    "quote, backslash or `$`)",
)
def maintainer_deprecated(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for ins in build.instructions:
        if ins.keyword == "MAINTAINER":
            yield Hit(
                ins.keyword_span,
                "MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors="
                f'"{bare(ins.args_text.strip(), 48)}" instead',
                context="maintainer",
                fix=_fix(ins),
            )
