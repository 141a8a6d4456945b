"""DF217 pipe-without-pipefail: a download piped into another command without ``pipefail``.

A pipeline's status is its *last* command's: in ``RUN curl -fsSL "$URL" | tar -xz``, a
failed download gives ``tar`` an empty or truncated input, and depending on ``tar`` the
step succeeds with nothing (or half of it) installed; ``curl … | bash`` runs whatever part
of the script arrived. ``set -o pipefail`` (bash, zsh, ash/busybox, ksh) makes any failing
command fail the pipeline.

Fires once per ``RUN`` run by a POSIX shell without ``pipefail``, at the first pipeline
where a download (``curl``, ``wget``, ``fetch``, ``aria2c``) feeds another command. Only
downloads are judged: they are what fails in a build for reasons outside it (network,
mirrors, rate limits, moved URLs), while local writers (``find``, ``ldd``, ``dpkg-query``
feeding ``xargs``) fail with the build's own bugs; hadolint's DL4006 fires on every pipe
and is mostly noise on careful Dockerfiles. Not reported either:

* the stage's ``SHELL`` turns it on (``SHELL ["/bin/bash", "-o", "pipefail", "-c"]``, also
  inherited from the stage it builds ``FROM``), or the ``RUN`` does (``set -o pipefail``,
  ``set -euxo pipefail``) before the pipeline; a ``bash -o pipefail -c '…'`` string;
* pipelines that end in a command that fails on empty input — ``grep`` (status 1 when
  nothing is selected), ``sha256sum -c`` — since a download that fails before writing
  fails the pipeline through it;
* pipelines that end in ``head``: it stops reading early on purpose, and with ``pipefail``
  the writer's ``SIGPIPE`` would fail the step;
* non-POSIX shells (``SHELL ["powershell", …]``) and exec-form ``RUN`` without a shell.

Where it points: at the download command whose failure would be hidden.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild, Instruction
from dockerlint.models.shell import SHELLS, Command, Pipeline, Script, basename
from dockerlint.rules.image._hygiene import named, run_texts, with_fix

DOWNLOADERS = frozenset({"curl", "wget", "fetch", "aria2c"})
_PIPEFAIL_SHELLS = frozenset({"bash", "zsh", "ash", "ksh", "mksh", "busybox"})


def _has_pipefail(words: list[str]) -> bool:
    """``-o pipefail``, ``-eo pipefail``, ``-euxo pipefail`` in a shell's or ``set``'s arguments."""
    for i in range(len(words) - 1):
        w = words[i]
        if words[i + 1] == "pipefail" and w[:1] == "-" and w[1:2] != "-" and w.endswith("o"):
            return True
    return any(w in ("-opipefail",) for w in words)


def _shell_pipefail(ins: Instruction) -> bool:
    values = [a.value for a in ins.args]
    return bool(values) and basename(values[0]) in _PIPEFAIL_SHELLS and _has_pipefail(values[1:])


def _fails_on_empty_input(cmd: Command) -> bool:
    """A last command that fails when its input is empty, as it is when the writer fails
    before writing: ``grep`` (status 1 when nothing is selected), ``sha256sum -c``."""
    if cmd.name == "grep":
        return True
    return bool(cmd.name and cmd.name.endswith("sum") and any(w.value in ("-c", "--check") for w in cmd.args))


def _hidden(pipeline: Pipeline) -> Command | None:
    """The first command of ``pipeline`` whose failure its status hides, or None."""
    cmds = pipeline.commands
    last = cmds[-1]
    if last.name == "head" or _fails_on_empty_input(last):
        return None
    for cmd in cmds[:-1]:
        if cmd.name in DOWNLOADERS:
            return cmd
    return None


def _first_hidden(script: Script, on: bool) -> tuple[Command, Pipeline] | None:
    for pipeline in script.pipelines:
        if not on and len(pipeline.commands) > 1:
            cmd = _hidden(pipeline)
            if cmd is not None:
                return cmd, pipeline
        for cmd in pipeline.commands:
            words = [w.value or "" for w in cmd.args]
            if cmd.name == "set" and _has_pipefail(words):
                on = True
            shell_on = on or (cmd.name in SHELLS and _has_pipefail(words))
            for body in cmd.body:
                found = _first_hidden(body, shell_on if cmd.kind == "simple" else on)
                if found is not None:
                    return found
            for word in cmd.all_words():
                for sub in word.substitutions:
                    found = _first_hidden(sub.script, on)
                    if found is not None:
                        return found
            for r in cmd.redirects:
                if r.script is not None:
                    found = _first_hidden(r.script, cmd.name in SHELLS and _has_pipefail(words))
                    if found is not None:
                        return found
    return None


_DOWNLOAD = re.compile(r"\b(?:curl|wget|fetch|aria2c)\b")
_PIPE = re.compile(r"(?<!\|)\|(?!\|)")
_SEPARATOR = re.compile(r"[;&\n]")
_QUOTED = re.compile(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"")


def _mentions(text: str) -> bool:
    """Prefilter: a download word followed by a single ``|`` with no command separator between
    them (separators inside quotes do not count)."""
    if "|" not in text or not ("curl" in text or "wget" in text or "fetch" in text or "aria2c" in text):
        return False
    for word in _DOWNLOAD.finditer(text):
        bar = _PIPE.search(text, word.end())
        if bar is None:
            return False
        between = text[word.end() : bar.start()]
        if _SEPARATOR.search(between) is None or _SEPARATOR.search(_QUOTED.sub("", between)) is None:
            return True
    return False


@rule(
    id="DF217",
    name="pipe-without-pipefail",
    reads=ImageBuild,
    severity=Severity.LOW,
    summary="A download is piped into another command without pipefail",
    cwe=(754,),
    enabled_by_default=False,
    peers={"hadolint": "DL4006", "trivy": "DS-0032", "kics": "shell_running_a_pipe"},
    precision="high",
    tags=("hygiene", "reliability"),
)
def pipe_without_pipefail(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    candidates = {id(ins) for _, ins, text in run_texts(build, ctx, "|") if _mentions(text)}
    if not candidates:
        return
    at_end: dict[int, tuple[bool, str]] = {}  # stage index -> (pipefail, shell) after its last SHELL
    for stage in build.stages:
        pipefail, shell = (
            at_end.get(stage.parent, (False, "/bin/sh")) if stage.parent is not None else (False, "/bin/sh")
        )
        for ins in stage.instructions:
            if ins.keyword == "SHELL" and ins.json_form and ins.args:
                pipefail, shell = _shell_pipefail(ins), ins.args[0].value
                continue
            if id(ins) not in candidates:
                continue
            script = ins.script
            if script is None or not script.pipelines:
                continue
            found = _first_hidden(script, pipefail and ins.keyword == "RUN")
            if found is None:
                continue
            cmd, pipeline = found
            first = cmd.command_word
            last = pipeline.commands[-1]
            written = first.value if first is not None and first.value else f"the {cmd.kind} command"
            what = named(written) if first is not None and first.value else written
            into = named(last.name) if last.name else "another command"
            head = (
                f"{what} is piped into {into} without pipefail (shell {named(shell)}): "
                f"the build goes on if {what} fails"
            )
            yield Hit(
                first.span if first is not None else cmd.span,
                with_fix(head, '; add SHELL ["/bin/bash", "-o", "pipefail", "-c"]', "; use a SHELL with -o pipefail"),
                context=f"pipefail:{written}|{last.name}",
            )
        at_end[stage.index] = (pipefail, shell)
