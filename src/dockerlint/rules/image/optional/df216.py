"""DF216 run-cd: ``RUN cd /dir && …`` where ``WORKDIR /dir`` is meant.

A ``cd`` lasts until the end of its ``RUN``: the next instruction starts again in the
``WORKDIR``. Two shapes are reported:

* a ``RUN`` that ends with ``cd`` (``RUN mkdir /app && cd /app``): it changes nothing, and
  the next instruction does not run where its author thinks (a final ``cd /`` or ``cd -``
  that only goes back is left alone);
* a ``RUN`` that starts by changing to an absolute directory and works there
  (``RUN cd /app && npm install``), where ``WORKDIR /app`` says it once for every later
  instruction, ``CMD`` included.

Not reported: ``cd`` inside a subshell, a function, a condition or a loop (``(cd sub &&
make)``), a ``cd`` after other work (``apt-get install …; cd /usr/src; curl -O …``: a
change of directory for part of the step), a ``cd`` to a directory the same ``RUN`` removes
afterwards (a temporary build tree: ``cd /usr/src/app && make && rm -rf /usr/src/app``) or
to a temporary directory (``/tmp``, ``/var/tmp``), a ``RUN`` that changes back (``cd /`` or
``cd -`` later), a target that is not an absolute literal path (``cd "$tmp"``, ``cd
build``), and ``cd /``.

Where it points: at the ``cd`` word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.image import ImageBuild
from dockerlint.models.shell import Command, Script
from dockerlint.rules.image._hygiene import bare, stage_runs, with_fix
from dockerlint.rules.image._shell import removed_later

# A cd to an absolute path anywhere (a superset of "first, after set/export/assignments":
# that pattern, searched from every line start over every assignment line, was quadratic),
# or a cd last in the RUN text. The rule decides on the parsed script.
_FIRST = re.compile(r"(?<![\w-])cd\s+(?:-\S+\s+)*[\"']?/[^\s;&|$]")
_LAST = re.compile(r"(?:^|[;&|\s(])cd(?:\s[^;&|]*)?[\s;]*$")


def _mentions(text: str) -> bool:
    # The last command is short: its cd is in the last few hundred characters.
    return "cd" in text and (_FIRST.search(text) is not None or _LAST.search(text, max(0, len(text) - 400)) is not None)


def _temporary(path: str) -> bool:
    return path.rstrip("/") in ("/tmp", "/var/tmp", "/dev/shm") or path.startswith(("/tmp/", "/var/tmp/"))


def _target(cmd: Command) -> str | None:
    """The directory of ``cd [-L|-P] DIR`` as written, "" for a bare ``cd``, None when unknown."""
    args = [w for w in cmd.args if w.value not in ("-L", "-P", "-e", "-@")]
    if not args:
        return ""
    return args[0].value


def _trailing(script: Script, first: Command) -> Hit | None:
    """The finding of a RUN that ends with ``cd DIR`` (not ``cd /``, ``cd -``, ``cd ~``, ``cd``)."""
    last = script.pipelines[-1].commands[-1]
    if not (last.kind == "simple" and last.name == "cd" and len(script.pipelines[-1].commands) == 1):
        return None
    target = _target(last)
    if target in ("/", "-", "", "~"):
        return None
    word = last.command_word or first.command_word
    assert word is not None
    head = f"RUN ends with cd {quote(target, 40) if target else '…'}, which has no effect after the RUN"
    return Hit(
        word.span,
        with_fix(head, f"; use WORKDIR {bare(target)}" if target else "", "; use WORKDIR"),
        context=f"cd-noop:{target}",
    )


def _leading(script: Script, cds: list[Command]) -> Hit | None:
    """The finding of a RUN that starts (after ``set``/``export``) with ``cd /DIR`` and works there."""
    first = cds[0]
    lead = next(
        (
            c
            for p in script.pipelines
            for c in p.commands
            if not (c.kind == "simple" and (c.name in ("set", "export") or c.name is None))
        ),
        None,
    )
    if lead is not first:
        return None  # a cd in the middle of the work: a scoped change of directory
    target = _target(first)
    if not target or not target.startswith("/") or target == "/" or _temporary(target):
        return None
    if any(_target(c) in ("/", "-") for c in cds[1:]):
        return None  # changes back: the directory is only a place to work in this RUN
    index = next(k for k, step in enumerate(script.walk()) if step.command is first)
    if removed_later(script, index, target):
        return None
    word = first.command_word
    assert word is not None
    head = f"cd {quote(target, 40)} at the start of a RUN lasts only for this RUN"
    return Hit(word.span, with_fix(head, f"; use WORKDIR {bare(target)}", "; use WORKDIR"), context=f"cd:{target}")


@rule(
    id="DF216",
    name="run-cd",
    reads=ImageBuild,
    severity=Severity.INFO,
    summary="RUN cd where WORKDIR is meant",
    enabled_by_default=False,
    peers={"hadolint": "DL3003", "trivy": "DS-0013", "kics": "run_command_cd_instead_of_workdir"},
    precision="high",
    tags=("hygiene", "readability"),
)
def run_cd(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for _, _, script in stage_runs(build, ctx, _mentions, words=("cd",)):
        top = [c for p in script.pipelines for c in p.commands if len(p.commands) == 1]
        cds = [c for c in top if c.kind == "simple" and c.name == "cd"]
        if not cds:
            continue
        found = _trailing(script, cds[0]) or _leading(script, cds)
        if found is not None:
            yield found
