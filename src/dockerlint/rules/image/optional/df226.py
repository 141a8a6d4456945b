"""DF226 from-platform-hardcoded: ``FROM --platform=`` with a fixed platform.

``FROM --platform=linux/amd64 …`` builds that stage for amd64 whatever platform the build
is for: on an arm64 machine, or in a multi-platform build, the image ends up with binaries
that run only under emulation, or not at all. The platform belongs to the build command
(``docker build --platform``).

Fires on a ``--platform`` whose value holds no variable. The cross-compilation idiom
``FROM --platform=$BUILDPLATFORM`` (and ``$TARGETPLATFORM``, or any ``ARG``) is fine.

Where it points: at the ``--platform`` flag.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.image._hygiene import bare, with_fix


@rule(
    id="DF226",
    name="from-platform-hardcoded",
    reads=ImageBuild,
    severity=Severity.INFO,
    summary="FROM --platform with a fixed platform",
    enabled_by_default=False,
    peers={"hadolint": "DL3029", "kics": "using_platform_flag_with_from_command"},
    precision="very-high",
    tags=("hygiene", "portability"),
)
def from_platform_hardcoded(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for stage in build.stages:
        flag = stage.platform
        if flag is None or not flag.value or "$" in flag.value:
            continue
        head = f"FROM --platform={bare(flag.value)} builds this stage for that platform whatever the build targets"
        yield Hit(
            flag.span,
            with_fix(head, "; pass --platform to docker build instead", "; use docker build --platform"),
            context=f"platform:{flag.value}",
        )
