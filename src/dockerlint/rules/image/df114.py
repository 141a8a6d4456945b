"""DF114 password-set-in-build: a build step sets an account's password.

Fires on ``chpasswd`` (``echo 'root:secret' | chpasswd``, ``chpasswd -e`` with a hash),
``passwd`` fed a password (``passwd --stdin``, ``echo … | passwd``, a heredoc or
here-string) or told to delete it (``passwd -d``: an empty password), and
``usermod``/``useradd`` ``-p``/``--password`` with a hash (``-p "$(openssl passwd …)"``).
A locked or disabled password (``-p '*'``, ``-p '!'``, ``passwd -l``) does not fire, nor
does a password generated during the build that nobody knows: ``$(openssl rand …)``,
``/dev/urandom``, ``pwgen``, ``uuidgen``, ``$RANDOM``, directly or through a variable the
same ``RUN`` assigns (``PW=$(pwgen -s 20 1) && echo "root:$PW" | chpasswd``), unless that
``RUN`` also writes the variable to a file (which the image then holds). Which values
count as generated or as template placeholders is the shared credential model
(``rules/common/secrets.py``, with ``applied=True``: a literal ``xxx`` *is* the password set).

The password is in the Dockerfile or the build's history, and every container of the
image shares it: set credentials at run time, or use key-based access.

Where it points: at the command word (``chpasswd``, ``passwd``, ``usermod``, ``useradd``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.knowledge.commands import options
from dockerlint.models.base import Span
from dockerlint.models.image import ImageBuild
from dockerlint.models.shell import Command, Script, Step, Word
from dockerlint.rules.common.secrets import assess, masking, one_line_spans
from dockerlint.rules.image._shell import run_scripts

_MENTIONS = re.compile(r"chpasswd|(?<![/\w.-])passwd\b|use(?:rmod|radd)\b[^;&|\n]*\s(?:-[a-zA-Z]*p|--password)")


def _mentions(text: str) -> bool:
    return ("passwd" in text or "usermod" in text or "useradd" in text) and _MENTIONS.search(text) is not None


_LOCKED = frozenset({"*", "!", "!!", "!*", "x"})


_REFERENCE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")  # the name only: linear on any text
_DECLARES = frozenset({"export", "local", "declare", "readonly", "typeset"})


def _assigned(script: Script) -> list[tuple[str, str]]:
    """``(name, value text)`` of the variables the script assigns (``PW=…``, ``export PW=…``)."""
    out: list[tuple[str, str]] = []
    for step in script.walk():
        cmd = step.command
        words = list(cmd.assignments)
        if cmd.name in _DECLARES:
            words += [w for w in cmd.args if "=" in w.text and not w.text.startswith("-")]
        for w in words:
            name, _, value = w.text.partition("=")
            out.append((name, value))
    return out


def _refs(text: str) -> set[str]:
    return set(_REFERENCE.findall(text))


def _saved(script: Script, names: set[str]) -> set[str]:
    """The variables among ``names`` that a command of the script writes to a file (``echo
    "$PW" > /root/pw``, ``… | tee /root/pw``): the image then holds the value."""
    out: set[str] = set()
    for step in script.walk():
        cmd = step.command
        writes = any(r.writes and r.target is not None and not r.target.text.startswith("/dev/") for r in cmd.redirects)
        tees = step.pipeline.commands[step.position + 1 :]
        writes = writes or any(
            c.name == "tee" and any(not a.text.startswith(("-", "/dev/")) for a in c.args) for c in tees
        )
        if writes:
            for w in cmd.args:
                out |= _refs(w.text) & names
    return out


def _generated(script: Script) -> tuple[set[str], set[str]]:
    """The variables the script sets to a generated value, and those of them it also writes
    to a file (which the image then keeps)."""
    found: set[str] = set()
    for name, value in _assigned(script):  # in order: PW2=$PW counts when PW is generated
        if assess(value, applied=True).why == _GENERATED or (_refs(value) and _refs(value) <= found):
            found.add(name)
    return found, _saved(script, found)


_GENERATED = "generated during the build"


def _password_texts(step: Step, value: Word | None) -> list[str] | None:
    """The texts that hold the password a command sets; None when it comes from elsewhere
    (a file, a pipe from another program)."""
    if value is not None:
        return [value.text]
    cmd = step.command
    texts: list[str] = []
    for r in cmd.redirects:
        if r.op in ("<<", "<<-") and r.body is not None:
            texts.append(r.body)
        elif r.op == "<<<" and r.target is not None:
            texts.append(r.target.text)
        elif r.op == "<":
            return None
    for up in step.pipeline.commands[: step.position]:
        if up.name in ("echo", "printf"):
            texts.extend(w.text for w in up.args if not w.text.startswith("-"))
        elif up.name == "cat" and not up.args:
            texts.extend(r.body for r in up.redirects if r.body is not None)
        else:
            return None
    if cmd.name == "chpasswd":  # user:password lines: the password is after the first ':'
        texts = [line.partition(":")[2] for t in texts for line in t.splitlines() if ":" in line]
    return texts or None


def _password_spans(step: Step, value: Word | None) -> tuple[Span, ...]:
    """Where the password a command sets is written, as :func:`_password_texts` reads it (the
    word, the here-string, the heredoc body, the words ``echo``/``printf`` pipe in)."""
    if value is not None:
        return one_line_spans(value.span)
    spans: list[Span] = []
    for r in step.command.redirects:
        if r.op in ("<<", "<<-") and r.body_span is not None:
            spans += one_line_spans(r.body_span)
        elif r.op == "<<<" and r.target is not None:
            spans += one_line_spans(r.target.span)
    for up in step.pipeline.commands[: step.position]:
        for w in up.args:
            if not w.text.startswith("-"):
                spans += one_line_spans(w.span)
        for r in up.redirects:
            if r.body_span is not None:
                spans += one_line_spans(r.body_span)
    return tuple(spans)


def _unknown(texts: list[str] | None, generated: set[str]) -> bool:
    """The password is not known: generated during the build, or a template placeholder."""
    if not texts:
        return False
    for text in texts:
        verdict = assess(text, applied=True)
        if verdict.usable and not (_refs(text) & generated):
            return False
    return True


def _fed(step: Step) -> bool:
    """The command reads something: it is not first in its pipeline, or has a here-doc/string."""
    return step.position > 0 or any(r.op in ("<<", "<<-", "<<<") for r in step.command.redirects)


def _why(step: Step) -> tuple[str, Word | None] | None:
    """Why the command sets a password, and the word holding it (None: it reads it)."""
    cmd: Command = step.command
    name = cmd.name
    if name == "chpasswd":
        return "chpasswd sets account passwords", None
    if name == "passwd":
        opts = options(cmd)
        names = {o.name for o in opts}
        if names & {"-l", "--lock", "-S", "--status", "-e", "--expire"}:
            return None
        if names & {"-d", "--delete"}:
            return "passwd -d leaves the account with an empty password", None
        if "--stdin" in names:
            return "passwd --stdin sets a password", None
        if _fed(step):
            return "passwd is fed a password", None
        return None
    if name in ("usermod", "useradd"):
        for o in options(cmd):
            if o.name in ("-p", "--password") and o.value_word is not None:
                if o.value_word.value is not None and o.value in _LOCKED:
                    return None  # a locked or disabled password
                return f"{name} {o.name} sets a password hash", o.value_word
    return None


@rule(
    id="DF114",
    name="password-set-in-build",
    reads=ImageBuild,
    severity=Severity.HIGH,
    summary="A build step sets an account password",
    cwe=(798, 259),
    cis=("4.10",),
    peers={"checkov": "CKV2_DOCKER_17"},
    precision="high",
    tags=("security", "secrets"),
)
def password_set_in_build(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for _, script in run_scripts(build, _mentions):
        yield from masking(_script_hits(script))


def _script_hits(script: Script) -> Iterator[tuple[Hit, tuple[Span, ...]]]:
    generated: tuple[set[str], set[str]] | None = None
    for step in script.walk():
        found = _why(step)
        word = step.command.command_word
        if found is None or word is None:
            continue
        why, value = found
        where = ""
        if not why.startswith("passwd -d"):
            if generated is None:
                generated = _generated(script)
            made, saved = generated
            texts = _password_texts(step, value)
            if _unknown(texts, made - saved):
                continue  # generated during the build (or a template): not a known password
            if saved and _unknown(texts, made):
                where = ", and this RUN writes the generated password to a file"
        yield (
            Hit(
                word.span,
                f"{why} in a build step{where}; set credentials at run time"
                f"{' (a secret, an entrypoint)' if not where else ''}",
                context=f"password:{step.command.name}",
            ),
            _password_spans(step, value),
        )
