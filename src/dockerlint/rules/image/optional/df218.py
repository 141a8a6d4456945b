"""DF218 bin-sh-replaced: a ``RUN`` replaces ``/bin/sh`` to change the default shell.

``RUN ln -sf /bin/bash /bin/sh`` changes the shell of every later ``RUN`` *and* of every
program in the container that calls ``system()`` or ``#!/bin/sh`` scripts, including the
distribution's own maintainer scripts written for ``dash``/``ash``. The ``SHELL``
instruction changes the shell of the build steps only, and says so where it is read.

Fires on ``ln -s``, ``cp`` or ``mv`` whose destination is ``/bin/sh`` or ``/usr/bin/sh``.

Where it points: at the ``/bin/sh`` word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.image._hygiene import named, stage_runs, with_fix
from dockerlint.rules.image._shell import operands, options
from dockerlint.util.textsearch import in_order

_SH = frozenset({"/bin/sh", "/usr/bin/sh"})
_VALUE = {
    "ln": ("St", ("--suffix", "--target-directory")),
    "cp": ("St", ("--suffix", "--target-directory")),
    "mv": ("St", ("--suffix", "--target-directory")),
}


# ln/cp/mv, then /bin/sh or /usr/bin/sh in the same piece (textsearch.in_order: linear).
_COPY_WORD = re.compile(r"\b(?:ln|cp|mv)\s")
_SHELL_PATH = re.compile(r"/(?:usr/)?bin/sh(?![\w.-])")


def _mentions(text: str) -> bool:
    return "bin/sh" in text and in_order(text, _COPY_WORD, _SHELL_PATH, ";&|\n")


@rule(
    id="DF218",
    name="bin-sh-replaced",
    reads=ImageBuild,
    severity=Severity.LOW,
    summary="A RUN replaces /bin/sh instead of using SHELL",
    enabled_by_default=False,
    peers={"hadolint": "DL4005", "kics": "changing_default_shell_using_run_command"},
    precision="very-high",
    tags=("hygiene", "reliability"),
)
def bin_sh_replaced(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for _, _, script in stage_runs(build, ctx, _mentions, words=("bin/sh",)):
        for step in script.walk():
            cmd = step.command
            if cmd.name not in _VALUE:
                continue
            short, long = _VALUE[cmd.name]
            if cmd.name == "ln" and not any(o.name in ("-s", "--symbolic") for o in options(cmd.args, short, long)):
                continue
            ops = operands(cmd.args, short, long)
            if len(ops) < 2 or ops[-1].value is None or ops[-1].value.rstrip("/") not in _SH:
                continue
            source = ops[0].text
            shell = f'; use SHELL ["{source}", "-c"] instead' if named(source) == source else ""
            yield Hit(
                ops[-1].span,
                with_fix(
                    f"{cmd.name} {named(source)} {named(ops[-1].value)} replaces the shell "
                    "of every later RUN and of the container",
                    shell,
                    "; use the SHELL instruction instead",
                ),
                context=f"bin-sh:{cmd.name}:{source}",
            )
