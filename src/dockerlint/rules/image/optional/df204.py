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

_ACTIONS = frozenset({"install", "upgrade", "dist-upgrade", "full-upgrade", "remove", "purge", "autoremove",
                      "autopurge", "build-dep", "reinstall"})
_YES = ("-y", "--yes", "--assume-yes", "--trivial-only", "--assume-no", "--force-yes", *APT_NOT_INSTALLING)
_ASSUME_YES = re.compile(r"(?i)APT::Get::Assume-Yes\s*(?:=\s*|\s+\"?)(?:true|1|yes|on)\b")


_ACTION_PIECE = re.compile(r"\bapt(?:-get)?\b.*\b(?:install|upgrade|dist-upgrade|full-upgrade|remove|purge|autoremove|"
                           r"autopurge|build-dep|reinstall)\b")
_ANSWERED = re.compile(r"(?i)(?<![\w-])-[a-z]*[ysd][a-z]*\b|--yes|--assume-yes|--trivial-only|--assume-no|--force-yes|"
                       r"--simulate|--just-print|--dry-run|--recon|--no-act|--download-only|--print-uris|assume-yes|"
                       r"(?<![\w-])-[a-z]*q[a-z]*\b.*(?<![\w-])-[a-z]*q|-qq|-q=|--quiet=")


def _mentions(text: str) -> bool:
    """Prefilter: an apt action piece without anything that answers for it."""
    return "apt" in text and any(
        _ACTION_PIECE.search(p.group()) and not _ANSWERED.search(p.group()) for p in pieces(text, APT))


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


@rule(id="DF204", name="apt-without-yes", reads=ImageBuild, severity=Severity.LOW,
      summary="apt-get install (or upgrade, remove...) without -y",
      enabled_by_default=False,
      peers={"hadolint": "DL3014", "trivy": "DS-0021", "kics": "apt_get_missing_flags_to_avoid_manual_input"},
      precision="very-high", tags=("hygiene", "reliability"))
def apt_without_yes(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for stage, ins, script in stage_runs(build, _mentions, words=("apt",)):
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
            yield Hit(call.subcommand.span,
                      f"{call.tool} {call.action} without -y: when it asks for confirmation the build has "
                      "no terminal to answer and it aborts; add -y", context=f"apt-yes:{call.action}")
