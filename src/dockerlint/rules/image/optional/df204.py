"""DF204 apt-without-yes: ``apt-get install`` without ``-y``.

A build has no terminal: when ``apt-get`` asks "Do you want to continue? [Y/n]" (it does
whenever it must install more than the packages named, or remove any), it reads end of file
and aborts, so the build fails, or works only until a dependency changes.

Fires on ``apt-get``/``apt`` ``install``, ``upgrade``, ``dist-upgrade``, ``full-upgrade``,
``remove``, ``purge``, ``autoremove``, ``build-dep`` and ``reinstall`` without an answer:
``-y``/``--yes``/``--assume-yes``, ``-qq`` (quiet level 2 implies ``-y``), ``-o
APT::Get::Assume-Yes=true``, ``--trivial-only``/``--assume-no``, or a simulation (``-s``).
Not either when the answer comes from ``yes |``, or when an earlier ``RUN`` of the stage
(or of the stage it builds on) writes ``APT::Get::Assume-Yes`` into the APT configuration.

Where it points: at the subcommand word (``install``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.image._hygiene import (
    APT,
    APT_NOT_INSTALLING,
    package_call,
    pieces,
    stage_runs,
    stage_texts,
)

_ACTIONS = frozenset(
    {
        "install",
        "upgrade",
        "dist-upgrade",
        "full-upgrade",
        "remove",
        "purge",
        "autoremove",
        "autopurge",
        "build-dep",
        "reinstall",
    }
)
_YES = ("-y", "--yes", "--assume-yes", "--trivial-only", "--assume-no", "--force-yes", *APT_NOT_INSTALLING)
_ASSUME_YES = re.compile(r"(?i)APT::Get::Assume-Yes\s*(?:=\s*|\s+\"?)(?:true|1|yes|on)\b")


# The prefilter's tests, each a linear scan (one pattern with ".*" between an "apt" and an
# action word, or between two "-q" options, tried every start again: 50 KB took 32 s).
_APT_WORD = re.compile(r"\bapt\b")  # also the start of "apt-get"
_ACTION_WORD = re.compile(
    r"\b(?:install|upgrade|dist-upgrade|full-upgrade|remove|purge|autoremove|autopurge|"
    r"build-dep|reinstall)\b"
)
_ANSWER_WORDS = re.compile(
    r"(?i)--yes|--assume-yes|--trivial-only|--assume-no|--force-yes|--simulate|"
    r"--just-print|--dry-run|--recon|--no-act|--download-only|--print-uris|assume-yes|"
    r"-qq|-q=|--quiet="
)
# A short option: "-" not after a word character or "-", then its letters.
_SHORT_OPTION = re.compile(r"(?i)(?<![\w-])-([a-z]*)")
_WORD_CHAR = re.compile(r"\w")
_YSD = re.compile(r"(?i)[ysd]")
_Q = re.compile(r"(?i)q")


def _action_piece(piece: str) -> bool:
    """An ``apt``/``apt-get`` word followed, anywhere later, by an action word."""
    apt = _APT_WORD.search(piece)
    return apt is not None and _ACTION_WORD.search(piece, apt.end()) is not None


def _answered(piece: str) -> bool:
    """Something in the piece answers apt's question: ``-y`` (or ``-s``, ``-d`` alone or in a
    group of short options), ``--yes`` and the like, or two ``-q`` (quiet level 2)."""
    if _ANSWER_WORDS.search(piece):
        return True
    quiet = False  # a complete short option with a q seen before
    for m in _SHORT_OPTION.finditer(piece):
        letters = m.group(1)
        complete = m.end() == len(piece) or not _WORD_CHAR.match(piece, m.end())
        if complete and _YSD.search(letters):
            return True
        if _Q.search(letters):
            if quiet:
                return True
            quiet = quiet or complete
    return False


def _mentions(text: str) -> bool:
    """Prefilter: an apt action piece without anything that answers for it."""
    return "apt" in text and any(_action_piece(p.group()) and not _answered(p.group()) for p in pieces(text, APT))


def _quiet2(words: list[str]) -> bool:
    """``-qq``, ``-q=2``, ``-q -q``, ``--quiet=2``: quiet level 2 implies ``-y``."""
    level = 0
    for w in words:
        if w.startswith("--quiet"):
            level = int(w[8:]) if w[7:8] == "=" and w[8:].isdigit() else level + 1
        elif w.startswith("-q=") and w[3:].isdigit():
            level = int(w[3:])
        elif w.startswith("-") and not w.startswith("--"):
            level += w.count("q")
    return level >= 2


@rule(
    id="DF204",
    name="apt-without-yes",
    reads=ImageBuild,
    severity=Severity.LOW,
    summary="apt-get install (or upgrade, remove...) without -y",
    enabled_by_default=False,
    peers={"hadolint": "DL3014", "trivy": "DS-0021", "kics": "apt_get_missing_flags_to_avoid_manual_input"},
    precision="very-high",
    tags=("hygiene", "reliability"),
)
def apt_without_yes(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for stage, ins, script in stage_runs(build, ctx, _mentions, words=("apt",)):
        configured: bool | None = None
        for step in script.walk():
            cmd = step.command
            if cmd.name not in ("apt-get", "apt"):
                continue
            call = package_call(cmd)
            if call is None or call.subcommand is None or call.action not in _ACTIONS or call.has(*_YES):
                continue
            if any(_ASSUME_YES.search(v) for v in call.value_of("-o", "--option")):
                continue
            if _quiet2([w.value for w in cmd.args if w.value is not None and w.value.startswith("-")]):
                continue
            if step.position > 0 and step.pipeline.commands[step.position - 1].name == "yes":
                continue
            if configured is None:
                configured = any(_ASSUME_YES.search(t) for t in stage_texts(build, stage, ins))
            if configured:
                break
            yield Hit(
                call.subcommand.span,
                f"{call.tool} {call.action} without -y: when it asks for confirmation the build has "
                "no terminal to answer and it aborts; add -y",
                context=f"apt-yes:{call.action}",
            )
