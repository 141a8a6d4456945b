"""Helpers for rules that read shell commands (DF104, DF105, DF107, DF108, DF111, DF114).

``Instruction.script`` is parsed on first read, so :func:`run_scripts` first looks for
the rule's keywords in the instruction's text (the arguments and heredoc bodies) and only
parses the RUNs that mention one: most RUNs never need parsing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from fnmatch import fnmatchcase

from dockerlint.knowledge.commands import split_operands, split_options
from dockerlint.models.image import ImageBuild, Instruction
from dockerlint.models.shell import Command, Script, Word


def run_text(ins: Instruction) -> str:
    """The text of a RUN as written: its arguments and heredoc bodies."""
    if not ins.heredocs:
        return ins.args_text
    return "\n".join([ins.args_text, *(h.body for h in ins.heredocs)])


def run_scripts(
    build: ImageBuild, *mentions: re.Pattern[str] | Callable[[str], bool]
) -> Iterator[tuple[Instruction, Script]]:
    """The scripts of RUN / ONBUILD RUN instructions whose text passes every test of ``mentions``
    (a pattern found in the text, or a function of the text).

    The tests are a cheap prefilter: a RUN whose text cannot hold what the rule looks for
    is not parsed. They may pass more than needed, never less.
    """
    for ins in build.instructions:
        if ins.keyword != "RUN" and not (ins.keyword == "ONBUILD" and ins.args_text[:3].upper() == "RUN"):
            continue
        if mentions:
            text = run_text(ins)
            if not all(m(text) if callable(m) else m.search(text) is not None for m in mentions):
                continue
        script = ins.script
        if script is not None and script.pipelines:
            yield ins, script


# The option splitters moved to the shared command knowledge; the word-level names stay here
# for the rules that pass their own tables (df116, df117, df218).
options = split_options
operands = split_operands


def is_pip(command: Command) -> tuple[bool, Sequence[Word]]:
    """``pip``/``pip3``/``pip3.12`` or ``python -m pip``: (True, the arguments after pip)."""
    name = command.name or ""
    args = command.args
    if re.fullmatch(r"pip[0-9.]*", name):
        return True, args
    if re.fullmatch(r"python[0-9.]*", name) and len(args) >= 2 and args[0].value == "-m" and args[1].value == "pip":
        return True, args[2:]
    return False, args


# The ``rm`` targets of the last script asked about: (script, target -> index of the last
# ``rm`` of it in ``script.walk()``, the same for the targets that are globs). Rules ask for every
# command of a script in turn: walking the script again for each was quadratic.
_removals: list[tuple[Script, dict[str, int], dict[str, int]]] = []  # the last one, or nothing


def _rm_targets(script: Script) -> tuple[dict[str, int], dict[str, int]]:
    if _removals and _removals[0][0] is script:
        return _removals[0][1], _removals[0][2]
    last: dict[str, int] = {}
    globs: dict[str, int] = {}  # each glob once, with its last rm
    for k, step in enumerate(script.walk()):
        if step.command.name != "rm":
            continue
        for word in step.command.args:
            target = word.text.rstrip("/")
            if not target or target.startswith("-"):
                continue
            last[target] = k
            if "*" in target:
                globs[target] = k
    _removals[:] = [(script, last, globs)]
    return last, globs


def removed_later(script: Script, step_index: int, path_text: str) -> bool:
    """Whether ``rm`` removes ``path_text`` (as written, or a parent directory) after the
    command at ``step_index`` of ``script.walk()``: a file made and removed in one RUN is
    never in a layer."""
    if not path_text:
        return False
    last, globs = _rm_targets(script)
    if last.get(path_text, -1) > step_index:
        return True
    slash = path_text.find("/")
    while slash != -1:  # a parent directory: a target followed by "/" in the path
        if slash and last.get(path_text[:slash], -1) > step_index:
            return True
        slash = path_text.find("/", slash + 1)
    return any(k > step_index and fnmatchcase(path_text, target) for target, k in globs.items())
