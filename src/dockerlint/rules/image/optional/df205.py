"""DF205 apt-upgrade: ``apt-get upgrade`` / ``dist-upgrade`` in a build.

Fires on ``apt-get``/``apt`` ``upgrade``, ``dist-upgrade`` and ``full-upgrade``. The
image then holds whatever versions the mirror had on the day of the build, on top of a
base image that was tested with others: builds stop being reproducible, and the
upgrade duplicates every upgraded file in a new layer. The base image's maintainers
publish patched images; rebuild on a newer base (pinned by digest, updated by a bot)
instead, and install the one package that needs a newer version explicitly.

Where it points: at the subcommand word (``upgrade``).
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.image._hygiene import APT_NOT_INSTALLING, package_call, stage_runs

_UPGRADES = frozenset({"upgrade", "dist-upgrade", "full-upgrade"})


def _mentions(text: str) -> bool:
    return "apt" in text and "upgrade" in text


@rule(
    id="DF205",
    name="apt-upgrade",
    reads=ImageBuild,
    severity=Severity.INFO,
    summary="apt-get upgrade or dist-upgrade in a build",
    enabled_by_default=False,
    peers={"hadolint": "DL3005", "trivy": "DS-0024"},
    precision="very-high",
    tags=("hygiene", "reproducibility"),
)
def apt_upgrade(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for _, _, script in stage_runs(build, ctx, _mentions, words=("apt",)):
        for step in script.walk():
            cmd = step.command
            if cmd.name not in ("apt-get", "apt"):
                continue
            call = package_call(cmd)
            if call is None or call.subcommand is None or call.action not in _UPGRADES:
                continue
            if call.has(*APT_NOT_INSTALLING) or call.packages:
                continue  # a simulation, or "upgrade pkg" (apt: upgrades only the packages named)
            yield Hit(
                call.subcommand.span,
                f"{call.tool} {call.action} upgrades every package of the base image to today's mirror; "
                "rebuild on a newer (digest-pinned) base image instead",
                context=f"apt-upgrade:{call.action}",
            )
