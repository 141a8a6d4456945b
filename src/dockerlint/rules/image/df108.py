"""DF108 world-writable-or-setuid: a build gives files world-write or setuid/setgid bits.

Fires on modes given by ``chmod`` (``777``, ``0666``, ``o+w``, ``a+rwx``, ``-R 777``,
``u+s``, ``g+s``, ``+s``, ``4755``, ``2755``, ``6755``), ``mkdir -m``/``install -m`` and
``COPY``/``ADD --chmod=``.

Not reported, on purpose:

* world-writable *with the sticky bit* (``1777``, ``3777``, ``a+rwxt``): the standard mode of
  shared temporary directories (``/tmp``), where only a file's owner may delete or rename
  it. Official images use it for directories an arbitrary ``--user`` must write to
  (``chmod 1777 "$GOPATH"``, ``install --mode 3777 /var/run/postgresql``); the setgid bit
  that comes with it is on a directory (sticky means directory), where it only sets the
  group of new files;
* a path that the same ``RUN`` removes afterwards (``chmod 777 "$tmp" … rm -rf "$tmp"``): it
  never reaches a layer;
* ``+w`` without ``o``/``a`` (``chmod +w``, ``chmod =rw``): the umask (022 in builds) keeps
  it from others.

Where it points: at the mode (the ``chmod`` mode word, the value of ``-m``/``--chmod``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.knowledge.commands import operands, options
from dockerlint.models.base import Span
from dockerlint.models.image import ImageBuild
from dockerlint.models.shell import Command, Word
from dockerlint.rules.image._shell import removed_later, run_scripts

# Prefilter on the RUN text: a mode command, and a mode that may be reported (an octal
# mode with world-write and no sticky bit, or with setuid/setgid; a symbolic +w/+s).


def _mentions_tool(text: str) -> bool:
    return "chmod" in text or "mkdir" in text or "install" in text


def _mentions(text: str) -> bool:
    r"""Whether ``text`` holds such a mode: what the pattern
    ``(?<=[\s="'m])(?:[0246]?[0-7]{2}[2367]|[24567][0-7]{3})(?![\w.])|(?:^|[\s,'"=])[ugoa]*[+=][rwxXt]*[ws]``
    finds, in a quarter of its time (it tried both branches at every character of every RUN
    line that mentions ``install``: the slowest prefilter of the Dockerfile rules).
    tests/rules/test_df108.py compares the two."""
    # An octal mode is a whole run of three or four digits after a blank, "=", a quote or "m"
    # (-m755): only a run's start can follow one, so the runs are found first (a fast scan for
    # a digit), then their starts and digits judged.
    for m in _digit_run().finditer(text):
        start = m.start()
        if start and (text[start - 1].isspace() or text[start - 1] in "=\"'m") and _octal_mode().fullmatch(m.group()):
            return True
    # A symbolic action (+w, =s...) whose who-letters start the text or follow a blank, a
    # comma, a quote or "=". The letters before an action are never a separator: only the
    # first of them can follow one.
    for m in _symbolic_action().finditer(text):
        start = m.start()
        while start and text[start - 1] in "ugoa":
            start -= 1
        if start == 0 or text[start - 1].isspace() or text[start - 1] in ",'\"=":
            return True
    return False


@functools.cache
def _digit_run() -> re.Pattern[str]:
    return re.compile(r"[0-7]{3,4}(?![\w.])")


@functools.cache
def _octal_mode() -> re.Pattern[str]:
    return re.compile(r"[0246]?[0-7]{2}[2367]|[24567][0-7]{3}")


@functools.cache
def _symbolic_action() -> re.Pattern[str]:
    return re.compile(r"[+=][rwxXt]*[ws]")


@functools.cache
def _octal() -> re.Pattern[str]:
    return re.compile(r"0*[0-7]{1,4}")


@functools.cache
def _clause() -> re.Pattern[str]:
    return re.compile(r"([ugoa]*)((?:[-+=](?:[rwxXst]*|[ugo]))+)")


@functools.cache
def _action() -> re.Pattern[str]:
    return re.compile(r"([-+=])([rwxXst]*|[ugo])")


_CHMOD_OPTIONS = frozenset(
    {
        "-R",
        "-f",
        "-v",
        "-c",
        "--recursive",
        "--silent",
        "--quiet",
        "--verbose",
        "--changes",
        "--no-preserve-root",
        "--preserve-root",
        "-h",
        "-H",
        "-L",
        "-P",
        "--dereference",
        "--no-dereference",
    }
)


class Mode:
    """What a mode gives: world-write, setuid, setgid, sticky (None when not a mode)."""

    __slots__ = ("setgid", "setuid", "sticky", "world_write")

    def __init__(self, world_write: bool, setuid: bool, setgid: bool, sticky: bool) -> None:
        self.world_write = world_write
        self.setuid = setuid
        self.setgid = setgid
        self.sticky = sticky


def parse_mode(text: str) -> Mode | None:
    """An octal (``0777``, ``4755``) or symbolic (``u+s,o+w``) mode, or None."""
    if _octal().fullmatch(text):
        bits = int(text, 8)
        return Mode(bool(bits & 0o002), bool(bits & 0o4000), bool(bits & 0o2000), bool(bits & 0o1000))
    clauses = text.split(",")
    ww = suid = sgid = sticky = False
    for clause in clauses:
        m = _clause().fullmatch(clause)
        if m is None:
            return None
        who = m.group(1)
        for op, perms in _action().findall(m.group(2)):
            if op == "-":
                continue
            everyone = "a" in who or not who
            if "w" in perms and ("o" in who or "a" in who):
                ww = True  # (no "who": the umask keeps w from others)
            if "s" in perms:
                suid = suid or everyone or "u" in who
                sgid = sgid or everyone or "g" in who
            if "t" in perms and (everyone or "o" in who):
                sticky = True
    return Mode(ww, suid, sgid, sticky)


def judge(mode: Mode) -> str | None:
    """What is wrong with ``mode``, or None (see the module doc for what is accepted)."""
    if mode.sticky:
        # A sticky world-writable directory (/tmp style); setgid on a directory is harmless.
        return "sets the setuid bit" if mode.setuid else None
    parts = []
    if mode.world_write:
        parts.append("makes files writable by every user")
    if mode.setuid and mode.setgid:
        parts.append("sets the setuid and setgid bits")
    elif mode.setuid:
        parts.append("sets the setuid bit")
    elif mode.setgid:
        parts.append("sets the setgid bit")
    return " and ".join(parts) if parts else None


def _message(what: str, written: str, targets: str) -> str:
    fix = []
    if "writable" in what:
        fix.append("use 755 or 775, or 1777 for a shared directory")
    if "set" in what:
        fix.append("drop the setuid/setgid bit")
    message = f"{written}{targets} {what}"
    return f"{message}; {'; '.join(fix)}" if len(message) + 2 + len("; ".join(fix)) <= 140 else message


def _chmod_mode(args: tuple[Word, ...]) -> tuple[Word, list[Word]] | None:
    """The mode word of ``chmod`` and its targets (``chmod -R 777 a b``, ``chmod 0777 -R a``)."""
    mode: Word | None = None
    targets: list[Word] = []
    for w in args:
        v = w.text
        if mode is None and (v in _CHMOD_OPTIONS or v.startswith("--")):
            if v.startswith("--reference"):
                return None
            continue
        if mode is None:
            mode = w
        elif v not in _CHMOD_OPTIONS:
            targets.append(w)
    return (mode, targets) if mode is not None else None


def _mode_of(cmd: Command) -> tuple[Word | None, str | None, list[Word]]:
    """The mode ``chmod``, ``mkdir -m`` or ``install -m`` gives (its word and value) and the paths it
    gives it to; (None, None, []) for other commands."""
    if cmd.name == "chmod":
        found = _chmod_mode(cmd.args)
        if found is None:
            return None, None, []
        return found[0], found[0].value, found[1]
    if cmd.name not in ("mkdir", "install"):
        return None, None, []
    word: Word | None = None
    value: str | None = None
    for o in options(cmd):
        if o.name in ("-m", "--mode") and o.value_word is not None and o.value_word.value is not None:
            word, value = o.value_word, o.value
    return word, value, operands(cmd)


@rule(
    id="DF108",
    name="world-writable-or-setuid",
    reads=ImageBuild,
    severity=Severity.MEDIUM,
    summary="A build makes files world-writable or setuid/setgid",
    cwe=(732,),
    cis=("4.8",),
    peers={},
    precision="high",
    tags=("security",),
)
def world_writable_or_setuid(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for ins in build.instructions:
        if ins.keyword in ("COPY", "ADD"):
            flag = ins.flag("chmod")
            if flag is not None and flag.value:
                mode = parse_mode(flag.value)
                what = judge(mode) if mode is not None else None
                if what is not None:
                    span: Span = flag.value_span or flag.span
                    yield Hit(
                        span, _message(what, f"{ins.keyword} --chmod={flag.value}", ""), context=f"chmod:{flag.value}"
                    )
    for _, script in run_scripts(build, _mentions_tool, _mentions):
        for index, step in enumerate(script.walk()):
            cmd = step.command
            name = cmd.name
            word, value, targets = _mode_of(cmd)
            if word is None or value is None or word.value is None:
                continue  # no mode, or one held in a variable
            mode = parse_mode(value)
            if mode is None:
                continue
            what = judge(mode)
            if what is None:
                continue
            if targets and all(removed_later(script, index, t.text) for t in targets):
                continue
            shown = quote(targets[0].text) if targets else ""
            if len(targets) > 1:
                shown += f" and {len(targets) - 1} more"
            yield Hit(
                word.span, _message(what, f"{name} {value}", f" on {shown}" if shown else ""), context=f"{name}:{value}"
            )
