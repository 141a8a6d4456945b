"""DF214 curl-and-wget: a stage downloads with both ``curl`` and ``wget``.

Two tools for one job: both (and their libraries) end up installed, to be patched and
scanned. Pick the one the base image already has.

Fires once per stage (the stages it builds ``FROM`` included) whose ``RUN`` steps run both
``curl`` and ``wget`` as commands, at the first use of the tool that came second. Not when one of them
only appears as an argument (``apt-get install wget``, ``command -v curl``), nor for a tool
the same ``RUN`` installs and removes again (``apk add --virtual .fetch-deps curl`` …
``apk del .fetch-deps``): it does not stay in the image.

Where it points: at that command word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild
from dockerlint.models.shell import Script, Word
from dockerlint.rules.image._hygiene import (
    package_call,
    piece_start,
    removed_packages,
    run_texts,
    stage_runs,
    steps_of,
)

_WORD = re.compile(r"\b(curl|wget)\b")
_PACKAGES = re.compile(r"\b(?:install|add)\b")


def _commands(text: str) -> set[str]:
    """Prefilter: ``curl``/``wget`` words that may be commands: not in a piece where an
    ``install``/``add`` comes before them (a package list).

    The first ``install``/``add`` of each piece is looked for once (searching again from
    the piece's start for each word took 15 s on 436 KB of ``curl curl …``)."""
    found: set[str] = set()
    searched = -1  # where the last search started; ``got`` is the first match from there
    got: re.Match[str] | None = None
    for m in _WORD.finditer(text):
        start = piece_start(text, m.start())
        # ``got`` is still the first install/add from ``start`` unless ``start`` went past it.
        if not (0 <= searched <= start and (got is None or got.start() >= start)):
            got = _PACKAGES.search(text, start)
            searched = start
        if got is None or got.end() > m.start():  # none before the word in its piece
            found.add(m.group())
    return found


def _mentions(text: str) -> bool:
    return "curl" in text or "wget" in text


def _temporary_tools(script: Script) -> set[str]:
    """``curl``/``wget`` installed by this RUN and removed again before it ends (a build
    dependency: ``apk add --virtual .fetch-deps wget … apk del .fetch-deps``)."""
    out: set[str] = set()
    steps = steps_of(script)
    for k, step in enumerate(steps):
        if step.command.name not in ("apk", "apt-get", "apt", "yum", "dnf", "microdnf", "zypper"):
            continue
        call = package_call(step.command)
        if call is None or call.action not in ("add", "install"):
            continue
        tools = {w.value for w in call.packages if w.value is not None} & {"curl", "wget"}
        if not tools:
            continue
        removed, wholesale = removed_packages(steps, k, call.tool)
        virtual = call.value_of("-t", "--virtual") if call.tool == "apk" else []
        for tool in tools:
            if wholesale or tool in removed or (virtual and virtual[-1] in removed):
                out.add(tool)
    return out


@rule(
    id="DF214",
    name="curl-and-wget",
    reads=ImageBuild,
    severity=Severity.INFO,
    summary="A stage downloads with both curl and wget",
    enabled_by_default=False,
    peers={"hadolint": "DL4001", "trivy": "DS-0014", "kics": "run_using_wget_and_curl"},
    precision="very-high",
    tags=("hygiene", "image-size"),
)
def curl_and_wget(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    # Prefilter on the texts: only stages whose chain mentions both tools are parsed.
    mentions: dict[int, set[str]] = {s.index: set() for s in build.stages}
    for stage, ins, text in run_texts(build, ctx, "curl", "wget"):
        if ins.keyword == "RUN":
            mentions[stage.index].update(_commands(text))
    candidates = frozenset(
        c.index
        for s in build.stages
        if len(set().union(*(mentions[c.index] for c in build.stage_chain(s.index)))) == 2
        for c in build.stage_chain(s.index)
    )
    if not candidates:
        return
    # stage index -> {tool: first command word}, in file order
    seen: dict[int, dict[str, Word]] = {}
    for stage, ins, script in stage_runs(build, ctx, _mentions, words=("curl", "wget"), only=candidates):
        if ins.keyword == "ONBUILD":
            continue
        temporary = _temporary_tools(script)
        for step in script.walk():
            name = step.command.name
            word = step.command.command_word
            if name not in ("curl", "wget") or word is None or name in temporary:
                continue
            tools = seen.setdefault(stage.index, {})
            if name not in tools:
                tools[name] = word
    for index, own in seen.items():
        merged: dict[str, Word] = {}  # the stage's tools with those of the stages it builds on
        for s in reversed(build.stage_chain(index)):
            for tool, word in seen.get(s.index, {}).items():
                merged.setdefault(tool, word)
        if len(merged) < 2:
            continue
        (first_tool, first), (second_tool, second) = sorted(
            merged.items(), key=lambda kv: (kv[1].span.line, kv[1].span.col)
        )
        if own.get(second_tool) is not second:
            continue  # reported in the stage where the second tool first appears
        yield Hit(
            second.span,
            f"this stage downloads with {second_tool} and also with {first_tool} (line "
            f"{first.span.line}): two tools for one job, both installed and patched; use one of them",
            context=f"curl-and-wget:{second_tool}",
        )
