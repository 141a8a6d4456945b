"""DF109 insecure-build-mode: ``RUN --security=insecure`` and ``RUN --network=host``.

``--security=insecure`` runs the step as a privileged container (all capabilities,
no seccomp/AppArmor, host devices); ``--network=host`` gives the step the build
host's network namespace. Both need an entitlement the builder must grant
(``security.insecure``, ``network.host``), which is exactly why they are worth a look.

Where it points: at the flag.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild

_MESSAGES = {
    ("security", "insecure"): (
        "RUN --security=insecure runs this step as a privileged container; "
        "do the privileged work outside the image build"
    ),
    ("network", "host"): (
        "RUN --network=host gives this step the build host's network; use the default sandboxed network"
    ),
}


@rule(
    id="DF109",
    name="insecure-build-mode",
    reads=ImageBuild,
    severity=Severity.HIGH,
    summary="RUN asks for a privileged (--security=insecure) or host-network (--network=host) step",
    cwe=(250,),
    precision="very-high",
    tags=("security",),
)
def insecure_build_mode(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for ins in build.instructions:
        if ins.keyword != "RUN":
            continue
        for flag in ins.flags:
            if flag.value is None:
                continue
            message = _MESSAGES.get((flag.name, flag.value.strip().lower()))
            if message is not None:
                yield Hit(flag.span, message, context=f"run:--{flag.name}={flag.value.strip().lower()}")
