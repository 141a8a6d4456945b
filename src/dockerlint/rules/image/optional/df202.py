"""DF202 apt-install-recommends: ``apt-get install`` without ``--no-install-recommends``.

Fires on ``apt-get install`` / ``apt install`` that would also install the packages'
*Recommends*. Not when recommends are off: ``--no-install-recommends``,
``-o APT::Install-Recommends=false`` (or ``0``/``no``), or an ``APT::Install-Recommends``
setting an earlier ``RUN`` of the stage (or of the stage it builds on) writes into the APT
configuration. Simulations (``apt-get install -s``) and downloads (``--download-only``)
install nothing and do not fire.

Where it points: at the ``apt-get`` (``apt``) command word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.image._hygiene import (
    APT,
    APT_NOT_INSTALLING,
    mentions_apt_install,
    package_call,
    pieces,
    stage_runs,
    stage_texts,
)
from dockerlint.util.textsearch import in_order

# "apt" or "apt-get", then "install" later on the line (textsearch.in_order: linear).
_APT_WORD = re.compile(r"\bapt\b")
_INSTALL_WORD = re.compile(r"\binstall\b")
_SAID = re.compile(
    r"(?i)no-install-recommends|install-recommends\s*=\s*[\"']?(?:false|0|no|off)\b|"
    r"(?<![\w-])-[a-z]*[sd][a-z]*\b|--simulate|--just-print|--dry-run|--recon|--no-act|"
    r"--download-only|--print-uris"
)


def _may_fire(text: str) -> bool:
    """Prefilter: an ``apt-get install`` piece that says nothing about recommends (nor is a
    simulation)."""
    return any(in_order(p.group(), _APT_WORD, _INSTALL_WORD) and not _SAID.search(p.group()) for p in pieces(text, APT))


_OFF = re.compile(r"(?i)APT::Install-Recommends\s*(?:=\s*|\s+\"?)(?:false|0|no|off)\b")


@rule(
    id="DF202",
    name="apt-install-recommends",
    reads=ImageBuild,
    severity=Severity.INFO,
    summary="apt-get install also installs recommended packages",
    enabled_by_default=False,
    peers={"hadolint": "DL3015", "trivy": "DS-0029", "kics": "apt_get_not_avoiding_additional_packages"},
    precision="very-high",
    tags=("hygiene", "image-size"),
)
def apt_install_recommends(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for stage, ins, script in stage_runs(build, ctx, mentions_apt_install, _may_fire, words=("apt",)):
        configured: bool | None = None
        for step in script.walk():
            cmd = step.command
            if cmd.name not in ("apt-get", "apt"):
                continue
            call = package_call(cmd)
            if call is None or call.action != "install" or call.has("--no-install-recommends", *APT_NOT_INSTALLING):
                continue
            if any(_OFF.search(v) for v in call.value_of("-o", "--option")):
                continue
            if configured is None:
                configured = any(_OFF.search(t) for t in stage_texts(build, stage, ins))
            if configured:
                break
            word = cmd.command_word
            assert word is not None
            yield Hit(
                word.span,
                f"{call.tool} install without --no-install-recommends also installs the "
                "packages' recommended packages; add --no-install-recommends",
                context="apt-recommends:" + " ".join(w.text for w in call.packages[:5]),
            )
