"""DF114 password-set-in-build: a build step sets an account's password.

Fires on ``chpasswd`` (``echo 'root:secret' | chpasswd``, ``chpasswd -e`` with a hash),
``passwd`` fed a password (``passwd --stdin``, ``echo … | passwd``, a heredoc or
here-string) or told to delete it (``passwd -d``: an empty password), and
``usermod``/``useradd`` ``-p``/``--password`` with a hash (``-p "$(openssl passwd …)"``).
A locked or disabled password (``-p '*'``, ``-p '!'``, ``passwd -l``) does not fire.

The password is in the Dockerfile or the build's history, and every container of the
image shares it: set credentials at run time, or use key-based access.

Where it points: at the command word (``chpasswd``, ``passwd``, ``usermod``, ``useradd``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.checks._shell import options, run_scripts
from dockerlint.engine import RuleContext
from dockerlint.models.image import ImageBuild
from dockerlint.models.shell import Command, Step
from dockerlint.registry import Hit, Severity, rule

_MENTIONS = re.compile(r"chpasswd|(?<![/\w.-])passwd\b|use(?:rmod|radd)\b[^;&|\n]*\s(?:-[a-zA-Z]*p|--password)")


def _mentions(text: str) -> bool:
    return ("passwd" in text or "usermod" in text or "useradd" in text) and _MENTIONS.search(text) is not None
_LOCKED = frozenset({"*", "!", "!!", "!*", "x"})
_USERMOD_SHORT_VALUE = "cdeEfgGlpsuKbkrRPZ"
_USERMOD_LONG_VALUE = ("--comment", "--home", "--expiredate", "--inactive", "--gid", "--groups", "--login",
                       "--password", "--shell", "--uid", "--root", "--prefix", "--base-dir", "--key",
                       "--skel", "--selinux-user", "--add-subuids", "--del-subuids", "--add-subgids",
                       "--del-subgids")


def _fed(step: Step) -> bool:
    """The command reads something: it is not first in its pipeline, or has a here-doc/string."""
    return step.position > 0 or any(r.op in ("<<", "<<-", "<<<") for r in step.command.redirects)


def _why(step: Step) -> str | None:
    cmd: Command = step.command
    name = cmd.name
    if name == "chpasswd":
        return "chpasswd sets account passwords"
    if name == "passwd":
        opts = options(cmd.args, "nxwi", ("--mindays", "--maxdays", "--warndays", "--inactive", "--root",
                                           "--repository", "--prefix"))
        names = {o.name for o in opts}
        if names & {"-l", "--lock", "-S", "--status", "-e", "--expire"}:
            return None
        if "--stdin" in names:
            return "passwd --stdin sets a password"
        if names & {"-d", "--delete"}:
            return "passwd -d leaves the account with an empty password"
        if _fed(step):
            return "passwd is fed a password"
        return None
    if name in ("usermod", "useradd"):
        for o in options(cmd.args, _USERMOD_SHORT_VALUE, _USERMOD_LONG_VALUE):
            if o.name in ("-p", "--password") and o.value_word is not None:
                if o.value_word.value is not None and o.value in _LOCKED:
                    return None  # a locked or disabled password
                return f"{name} {o.name} sets a password hash"
    return None


@rule(id="DF114", name="password-set-in-build", reads=ImageBuild, severity=Severity.HIGH,
      summary="A build step sets an account password",
      cwe=(798, 259), cis=("4.10",), peers={"checkov": "CKV2_DOCKER_17"},
      precision="high", tags=("security", "secrets"))
def password_set_in_build(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for _, script in run_scripts(build, _mentions):
        for step in script.walk():
            why = _why(step)
            word = step.command.command_word
            if why is None or word is None:
                continue
            yield Hit(word.span,
                      f"{why} in a build step: the password is in the Dockerfile or the build history and "
                      "every container of the image shares it; set credentials at run time (a secret, an "
                      "entrypoint) or use key-based access",
                      context=f"password:{step.command.name}")
