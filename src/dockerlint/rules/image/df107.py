"""DF107 sudo-in-build: ``sudo`` runs a command in a ``RUN``.

A build step already runs as the stage's ``USER``. ``sudo`` there means either the user is
root (``sudo`` is useless) or the image ships a non-root user with password-less ``sudo``,
which gives root to anything that runs as that user later, in the container. Switch with
``USER`` instead.

Fires on every ``sudo`` that runs a command, also as a wrapper (``sudo apt-get install``,
``curl … | sudo bash``, ``env X=1 sudo make``) and inside ``$(…)``, ``sh -c '…'`` and
heredoc scripts. Not on ``sudo`` as an argument (``apt-get install sudo``, ``echo sudo``,
``command -v sudo``) nor inside quotes.

Where it points: at the ``sudo`` word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild
from dockerlint.models.shell import basename
from dockerlint.rules.image._shell import run_scripts

_MENTIONS = re.compile(r"sudo")


@rule(
    id="DF107",
    name="sudo-in-build",
    reads=ImageBuild,
    severity=Severity.MEDIUM,
    summary="sudo runs a command in a build step",
    cwe=(250,),
    peers={"hadolint": "DL3004", "checkov": "CKV2_DOCKER_1", "trivy": "DS-0010", "kics": "run_using_sudo"},
    precision="very-high",
    tags=("security",),
)
def sudo_in_build(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for _, script in run_scripts(build, _MENTIONS):
        for step in script.walk():
            cmd = step.command
            if cmd.name_index < 0:
                continue
            for word in (*cmd.wrappers, cmd.words[cmd.name_index]):
                if word.value is not None and basename(word.value) == "sudo":
                    runs = cmd.name if cmd.name != "sudo" else "a shell"
                    yield Hit(
                        word.span,
                        f"sudo runs {runs} in a build step; switch with USER root … USER app instead",
                        context=f"sudo:{cmd.name}",
                    )
