"""DF220 relative-workdir: ``WORKDIR`` with a relative path.

A relative ``WORKDIR`` is taken from the previous ``WORKDIR`` — which may be set by the base
image, by the stage it builds on, or by a ``WORKDIR`` far above; moving an instruction or
changing the base image silently moves the directory. An absolute path says where it is.

Fires on a ``WORKDIR`` whose path, after ``ENV``/``ARG`` substitution, does not start with
``/`` (nor with a Windows drive, ``C:\\``). A path that still holds an unknown variable is
not judged.

Where it points: at the path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.image._hygiene import with_fix

_WINDOWS = re.compile(r"^[A-Za-z]:[\\/]|^\\\\")


@rule(
    id="DF220",
    name="relative-workdir",
    reads=ImageBuild,
    severity=Severity.INFO,
    summary="WORKDIR with a relative path",
    enabled_by_default=False,
    peers={"hadolint": "DL3000", "trivy": "DS-0009", "kics": "workdir_path_not_absolute"},
    precision="very-high",
    tags=("hygiene", "readability"),
)
def relative_workdir(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for ins in build.instructions:
        if ins.keyword != "WORKDIR" or not ins.args:
            continue
        arg = ins.args[0]
        path = arg.text.strip("\"'")
        if not path or "$" in path or path.startswith("/") or _WINDOWS.match(path):
            continue
        yield Hit(
            arg.span,
            with_fix(
                f"WORKDIR {quote(arg.value)} is relative to the previous WORKDIR",
                " (of this stage, the stage it builds on or the base image); use an absolute path",
                "; use an absolute path",
            ),
            context=f"workdir:{arg.value}",
        )
