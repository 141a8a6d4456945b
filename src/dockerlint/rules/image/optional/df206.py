"""DF206 apt-in-script: ``apt`` used instead of ``apt-get`` in a build.

``apt`` is the interactive front end: its output and behaviour are not a stable interface
(it warns so itself: "WARNING: apt does not have a stable CLI interface. Use with caution in
scripts."), it shows progress bars, and its defaults may change between releases.
``apt-get`` (and ``apt-cache``) are the interfaces meant for scripts.

Fires on ``apt`` running a subcommand (``apt install``, ``apt update``…), also behind
wrappers and in nested scripts. Not on ``apt-get``, ``apt-cache``, ``apt-key``, nor on
``apt`` as an argument (``apt-get install apt``).

Where it points: at the ``apt`` command word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.image._hygiene import named, package_call, stage_runs, with_fix

# ``apt`` as a command word: after a separator, a space or a quote (exec form), before a space.
_MENTIONS = re.compile(r"(?:^|[\s;&|(`\"'])apt[\"']?,?\s")


def _mentions(text: str) -> bool:
    return "apt" in text and _MENTIONS.search(text) is not None


@rule(
    id="DF206",
    name="apt-in-script",
    reads=ImageBuild,
    severity=Severity.INFO,
    summary="apt used in a build instead of apt-get",
    enabled_by_default=False,
    peers={"hadolint": "DL3027", "kics": "run_using_apt"},
    precision="very-high",
    tags=("hygiene", "reliability"),
)
def apt_in_script(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for _, _, script in stage_runs(build, ctx, _mentions, words=("apt",)):
        for step in script.walk():
            cmd = step.command
            if cmd.name != "apt":
                continue
            call = package_call(cmd)
            apt = cmd.command_word
            if call is None or call.subcommand is None or apt is None:
                continue
            action = named(call.action)
            yield Hit(
                apt.span,
                with_fix(
                    f"apt {action} in a build: apt's command line is not stable for scripts",
                    f"; use apt-get {action} (apt-cache for queries)",
                    "; use apt-get",
                ),
                context=f"apt:{call.action}",
            )
