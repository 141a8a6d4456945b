"""Helpers shared by the DF2xx hygiene rules: stages, prefilters, package-manager command lines.

* :func:`stage_runs` gives the parsed RUN scripts of each stage whose text passes the rule's
  cheap prefilter (as :func:`dockerlint.rules.image._shell.run_scripts` does), with the stage, so
  rules that care about *which* stage a RUN is in (cache cleanup only matters in layers that
  ship) know it. The hygiene rules fire on most package-manager RUNs of a corpus, so parsing
  is most of their cost: the prefilters decide as much as the text allows.
* :func:`pieces` cuts a RUN text at every character that may end a command, for prefilters
  that need a command and its options in one piece.
* :func:`image_stages` is the final stage, the stages nothing refers to (targets of their
  own) and the stages they build on (``FROM <stage>``): the layers that end up in an image.
  Build stages that are only copied from are not.
* :func:`package_call` reads ``apt-get``/``apt``/``apk``/``yum``/``dnf``/``microdnf``/``zypper``/
  ``pip``/``npm`` command lines into options, subcommand and operands (packages).

What the prefilters compute for a build (its RUN texts, their pieces, the shipped stages) is
computed once per build through ``ctx.memo`` and shared by the 18 rules that read RUNs; it
goes when the engine is done with the build.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from dockerlint.api import RuleContext, quote
from dockerlint.knowledge.commands import COMMANDS, Option, split_operands, split_options
from dockerlint.models.image import ImageBuild, Instruction, Stage
from dockerlint.models.shell import Command, Script, Step, Word
from dockerlint.rules.common.image import mount_options
from dockerlint.rules.image._shell import is_pip, run_text

Mention = re.Pattern[str] | Callable[[str], bool]


def is_run(ins: Instruction) -> bool:
    return ins.keyword == "RUN" or (ins.keyword == "ONBUILD" and ins.args_text[:3].upper() == "RUN")


class RunText(str):
    """The text of a RUN as written, with what the prefilters cut from it: the pieces of each
    anchor (:func:`pieces`) and where its pieces start (:func:`piece_start`). Several rules ask
    for the same pieces of the same text; the cache lives and dies with the text, that is with
    its build's :class:`_BuildRuns`."""

    pieces: dict[tuple[str, int], list[re.Match[str]]]
    starts: list[int] | None
    # The same text as a plain ``str``, which the cached matches are made on: a match of the
    # RunText itself would refer back to it, a reference cycle that keeps the build's texts
    # until the cyclic collector runs.
    plain: str


def _run_text(ins: Instruction) -> RunText:
    plain = run_text(ins)
    text = RunText(plain)
    text.pieces = {}
    text.starts = None
    text.plain = plain
    return text


class _BuildRuns:
    """The RUN / ONBUILD RUN instructions of one build with their stage and text, and what
    the DF2xx prefilters computed on them; computed once per build for all the rules that read
    it (``ctx.memo``)."""

    def __init__(self, build: ImageBuild) -> None:
        self.build = build
        self.runs: list[tuple[Stage, Instruction, str]] = [
            (stage, ins, _run_text(ins)) for stage in build.stages for ins in stage.instructions if is_run(ins)
        ]
        self.having: dict[tuple[str, ...], list[tuple[Stage, Instruction, str]]] = {}
        self.shipped: frozenset[int] | None = None

    def with_words(self, words: tuple[str, ...]) -> list[tuple[Stage, Instruction, str]]:
        found = self.having.get(words)
        if found is None:
            found = self.having[words] = [r for r in self.runs if any(w in r[2] for w in words)]
        return found


def _state(build: ImageBuild, ctx: RuleContext) -> _BuildRuns:
    """The RUNs of ``build``, shared by the rules that check it (through ``ctx.memo``; a context
    made for another model, as a test may build, gets its own)."""
    if ctx.model is build:
        return ctx.memo(_BuildRuns)
    return _BuildRuns(build)


def run_texts(build: ImageBuild, ctx: RuleContext, *words: str) -> list[tuple[Stage, Instruction, str]]:
    """The RUN / ONBUILD RUN instructions of ``build`` (whose text holds one of ``words``, when
    given) with their stage and text, unparsed."""
    state = _state(build, ctx)
    return state.with_words(words) if words else state.runs


def stage_runs(
    build: ImageBuild,
    ctx: RuleContext,
    *mentions: Mention,
    words: tuple[str, ...] = (),
    only: frozenset[int] | None = None,
) -> Iterator[tuple[Stage, Instruction, Script]]:
    """The parsed scripts of the RUN / ONBUILD RUN instructions of every stage (of the stages
    whose index is in ``only``, when given; ONBUILD RUN always), in file order, whose text
    holds one of ``words`` (when given) and passes every test of ``mentions``.

    The tests are a cheap prefilter: parsing is what costs, so a RUN whose text cannot hold a
    finding of the rule is never parsed. They may pass more than needed, never less.
    """
    for stage, ins, text in run_texts(build, ctx, *words):
        if only is not None and stage.index not in only and ins.keyword != "ONBUILD":
            continue
        if mentions and not all(m(text) if callable(m) else m.search(text) is not None for m in mentions):
            continue
        script = ins.script
        if script is not None and script.pipelines:
            yield stage, ins, script


# Characters that may end a simple command. Splitting a RUN text at every one of them (quoted
# or not) cuts it into pieces that never span two commands: a prefilter that needs an option
# and its command in the same piece can only pass more than needed.
_SEPARATORS = ";&|\n()`"
_PIECE = re.compile(r"[^;&|\n()`]+")
_SEPARATOR = re.compile(r"[;&|\n()`]")
APT = re.compile(r"\bapt(?:-get)?\b")
APK = re.compile(r"\bapk\b")
PIP = re.compile(r"\bpip")
NPM = re.compile(r"\bnpm\b")


def piece_start(text: str, pos: int) -> int:
    """Where the piece of ``text`` that holds position ``pos`` starts (see :data:`_SEPARATORS`)."""
    starts = text.starts if isinstance(text, RunText) else None
    if starts is None:
        starts = [0, *(m.end() for m in _SEPARATOR.finditer(text))]
        if isinstance(text, RunText):
            text.starts = starts
    return starts[bisect_right(starts, pos) - 1]


def pieces(text: str, anchor: re.Pattern[str]) -> list[re.Match[str]]:
    """The pieces of ``text`` between command separators (see :data:`_SEPARATORS`) that hold a
    match of ``anchor`` (which must not span a separator), in order."""
    key = (anchor.pattern, anchor.flags)
    subject = text
    if isinstance(text, RunText):  # several rules ask for the same pieces of the same RUN text
        cached = text.pieces.get(key)
        if cached is not None:
            return cached
        subject = text.plain
    out: list[re.Match[str]] = []
    end = -1
    for m in anchor.finditer(subject):
        if m.start() < end:
            continue  # same piece as the previous match
        piece = _PIECE.match(subject, piece_start(text, m.start()))
        if piece is not None:
            end = piece.end()
            out.append(piece)
    if isinstance(text, RunText):
        text.pieces[key] = out
    return out


def image_stages(build: ImageBuild, ctx: RuleContext) -> frozenset[int]:
    """Indexes of the stages whose layers end up in an image: the final stage, every other
    stage that nothing refers to (a ``--target`` of its own: ``dev``, ``test``…), and the
    stages those are built ``FROM``. A stage only used by ``COPY --from`` or
    ``RUN --mount=from=`` ships no layer."""
    state = _state(build, ctx)  # several rules ask for the same build
    if state.shipped is not None:
        return state.shipped
    if not build.stages:
        return frozenset()
    names = {s.name.value: s.index for s in build.stages if s.name is not None}
    used: set[int] = set()

    def use(value: str | None) -> None:
        if value:
            v = value.lower()
            index = names.get(v, int(v) if v.isdigit() else None)
            if index is not None:
                used.add(index)

    for stage in build.stages:
        if stage.parent is not None:
            used.add(stage.parent)
        for ins in stage.instructions:
            for f in ins.flags:
                if f.name == "from" and ins.keyword in ("COPY", "ADD"):
                    use(f.value)
                elif f.name == "mount" and f.value and "from=" in f.value:
                    use(mount_options(f.value).get("from"))
    final = build.stages[-1].index
    targets = [s.index for s in build.stages if s.index == final or s.index not in used]
    result = frozenset(s.index for t in targets for s in build.stage_chain(t))
    state.shipped = result
    return result


def cache_mounts(ins: Instruction) -> list[str]:
    """Targets of the ``RUN --mount=type=cache`` (and ``tmpfs``) mounts of ``ins``: what is
    written there never reaches a layer."""
    out = []
    for f in ins.flags:
        if f.name == "mount" and f.value:
            opts = mount_options(f.value)
            if opts.get("type") in ("cache", "tmpfs") and opts.get("target"):
                out.append(opts["target"].rstrip("/") or "/")
    return out


def under_mount(path: str, mounts: Sequence[str]) -> bool:
    return any(path == m or path.startswith(m + "/") for m in mounts)


def stage_texts(build: ImageBuild, stage: Stage, until: Instruction) -> Iterator[str]:
    """The RUN texts of ``stage`` and of the stages it builds on, before ``until`` (and
    ``until`` itself): where an earlier step may have configured a tool."""
    for s in reversed(build.stage_chain(stage.index)):
        for ins in s.instructions:
            if is_run(ins):
                yield run_text(ins)
            if ins is until:
                return


def stage_env(build: ImageBuild, stage: Stage, until: Instruction, name: str) -> str | None:
    """The value ``ENV``/``ARG`` give ``name`` in ``stage`` (and the stages it builds on) before
    ``until``; None when unset."""
    value: str | None = None
    for s in reversed(build.stage_chain(stage.index)):
        for ins in s.instructions:
            if ins is until:
                return value
            if ins.keyword in ("ENV", "ARG"):
                for pair in ins.pairs:
                    if pair.key.text == name:
                        value = pair.value.text if pair.value is not None else value
    return value


# -- package managers -------------------------------------------------------------------------

# apt-get options with which ``install`` installs nothing.
APT_NOT_INSTALLING = (
    "-s",
    "--simulate",
    "--just-print",
    "--dry-run",
    "--recon",
    "--no-act",
    "-d",
    "--download-only",
    "--print-uris",
)


def mentions_apt_install(text: str) -> bool:
    return "apt" in text and "install" in text


LIMIT = 140  # a message's length (docs/messages.md)
_PLAIN = re.compile(r"[\w/][\w./+-]{0,39}")


def shown(words: Sequence[Word], room: int = 64) -> str:
    """``'curl', 'git' and 2 more``: the packages' names as :func:`dockerlint.api.quote` shows
    them, as many as fit in about ``room`` characters (at least one)."""
    names = [quote(w.value or w.text, 32) for w in words]
    text, k = names[0], 1
    while k < len(names):
        rest = len(names) - k - 1
        longer = f"{text}, {names[k]}"
        if len(longer) + (len(f" and {rest} more") if rest else 0) > room:
            break
        text, k = longer, k + 1
    return text + (f" and {len(names) - k} more" if k < len(names) else "")


def named(text: str) -> str:
    """A program, subcommand or path of a command line in a message: as written when it is a
    plain word (``curl``, ``/bin/bash``), else through :func:`dockerlint.api.quote`."""
    return text if _PLAIN.fullmatch(text) else quote(text, 32)


def bare(text: str, limit: int = 32) -> str:
    """A value as :func:`dockerlint.api.quote` shows it, without its quotes: for ``--flag=value``
    and ``WORKDIR value`` forms."""
    return quote(text, limit)[1:-1]


def unpinned(head: str, words: Sequence[Word], fix: str) -> str:
    """``<head><names><fix>``: the packages named in the room the head and the fix leave (the
    fix dropped if even one name leaves no room for it)."""
    return with_fix(head + shown(words, max(LIMIT - len(head) - len(fix), 24)), fix)


def with_fix(message: str, *fixes: str) -> str:
    """``message`` and the first of ``fixes`` that keeps it within :data:`LIMIT` characters (a
    shorter fix after a longer one), or ``message`` alone."""
    return next((message + fix for fix in fixes if len(message) + len(fix) <= LIMIT), message)


class PackageCall(NamedTuple):
    """A package manager command line: ``apt-get -y install --no-install-recommends curl``."""

    tool: str  # "apt-get", "apt", "apk", "yum", "dnf", "microdnf", "zypper", "pip", "npm"
    command: Command
    subcommand: Word | None  # "install"
    options: list[Option[Word]]  # every option, before and after the subcommand
    packages: list[Word]  # the operands after the subcommand

    @property
    def action(self) -> str:
        return (self.subcommand.value or "") if self.subcommand is not None else ""

    def has(self, *names: str) -> bool:
        return any(o.name in names for o in self.options)

    def value_of(self, *names: str) -> list[str]:
        return [o.value for o in self.options if o.name in names and o.value is not None]


# The package managers package_call reads; their option tables are the shared ones.
_TOOLS = frozenset({"apt-get", "apt", "apk", "yum", "dnf", "microdnf", "zypper", "pip", "npm"})


def package_call(command: Command) -> PackageCall | None:
    """The package-manager call ``command`` makes, or None when it is not one."""
    name = command.name
    args: Sequence[Word] = command.args
    if name in ("pip", "python") or (name is not None and name.startswith(("pip", "python"))):
        ok, args = is_pip(command)
        if not ok:
            return None
        tool = "pip"
    elif name in _TOOLS:
        tool = name
    else:
        return None
    spec = COMMANDS[tool]
    ops = split_operands(args, spec.short_with_value, spec.long_with_value)
    sub = ops[0] if ops else None
    return PackageCall(tool, command, sub, split_options(args, spec.short_with_value, spec.long_with_value), ops[1:])


def steps_of(script: Script) -> list[Step]:
    return list(script.walk())


def package_name(text: str, tool: str) -> str:
    """The bare package name of an operand: ``curl=7.88*`` -> ``curl``, ``libc6:amd64`` -> ``libc6``."""
    if tool in ("apt-get", "apt"):
        return re.split(r"[=:/]", text, maxsplit=1)[0]
    if tool == "apk":
        return re.split(r"[=~<>@]", text, maxsplit=1)[0]
    if tool == "pip":
        return re.split(r"[\[=<>!~@; ]", text, maxsplit=1)[0].lower().replace("_", "-")
    return text


def removed_packages(steps: Sequence[Step], after: int, tool: str) -> tuple[set[str], bool]:
    """What later commands of the same RUN remove: the package (or ``apk`` virtual group)
    names, and whether everything installed so far is removed wholesale (the official
    images' ``apt-mark auto '.*'`` ... ``apt-get purge --auto-remove`` idiom)."""
    names: set[str] = set()
    marked_auto = False
    wholesale = False
    family = ("apt-get", "apt") if tool in ("apt-get", "apt") else (tool,)
    for k in range(after + 1, len(steps)):
        cmd = steps[k].command
        if tool in ("apt-get", "apt") and cmd.name == "apt-mark":
            if any(w.value == "auto" for w in cmd.args):
                marked_auto = True
            continue
        if cmd.name not in family and not (tool == "pip" and cmd.name and cmd.name.startswith(("pip", "python"))):
            continue
        call = package_call(cmd)
        if call is None:
            continue
        action = call.action
        if tool in ("apt-get", "apt") and action in ("purge", "remove", "autoremove", "autopurge"):
            if marked_auto and (action in ("autoremove", "autopurge") or call.has("--auto-remove", "--autoremove")):
                wholesale = True
        elif not ((tool == "apk" and action == "del") or (tool == "pip" and action == "uninstall")):
            continue
        names.update(package_name(w.value, tool) for w in call.packages if w.value is not None)
    return names, wholesale
