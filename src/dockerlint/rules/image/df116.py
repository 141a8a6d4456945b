"""DF116 passwordless-sudo: the final image gives its non-root runtime user passwordless sudo.

``USER app`` with ``app ALL=(ALL) NOPASSWD: ALL`` in ``/etc/sudoers`` is root in all but
name: any process of the container, or anyone who gets into it, becomes root with
``sudo -s``, no password asked.

Fires when the final stage's chain (the final stage and the stages it builds on) writes a
sudoers rule that gives ``NOPASSWD`` for ``ALL`` commands, a shell (``bash``, ``su``…), an
editor (``vi``, ``nano``…), a package manager (``apt-get``, ``pip``…) or an interpreter
(``python``, ``perl``…), to the user the container runs as:

- the rule is written to ``/etc/sudoers`` or ``/etc/sudoers.d/*`` by ``RUN`` (``echo``,
  ``printf``, ``cat <<EOF`` with a redirection or ``tee``; ``sed -i`` replacing or
  appending a line), by ``COPY``/``ADD`` of a heredoc, or by ``COPY``/``ADD`` of a file of
  the build context in the scanned tree (its first 8 KiB are read, as DF111 does);
- it names that user, ``ALL``, the user's uid (``#1000``), or a group the Dockerfile puts
  the user in (``useradd -G sudo``, ``usermod -aG wheel``, ``adduser app sudo``,
  ``addgroup app wheel``, ``gpasswd -a app sudo``; a user's own group counts).
  ``ARG``/``ENV`` defaults are substituted (``echo "$USERNAME ALL=(root) NOPASSWD:ALL"`` with
  ``ARG USERNAME=vscode`` and ``USER $USERNAME``), and an unresolved variable matches itself.

The runtime user is the last ``USER`` of the chain; without one, the base image's user (a
base built in the scan passes its ``USER`` on; a well-known non-root base counts for rules
that name ``ALL``). A root runtime user is DF101's business. A rule written only in a
build stage the final image does not descend from, or removed later (``rm
/etc/sudoers.d/app``), does not fire. ``NOPASSWD`` for other commands (``/usr/bin/mount``)
does not fire.

Where it points: at the text that writes the rule (the ``echo`` argument, the heredoc line,
the ``sed`` expression, the ``COPY`` source).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.knowledge.commands import USERADD, USERMOD
from dockerlint.models.base import Span
from dockerlint.models.image import ImageBuild, Instruction, Stage
from dockerlint.models.shell import Command, Script, Step, Word
from dockerlint.rules.common.builds import (
    NONROOT_BASE_IMAGES,
    base_user,
    build_contexts,
    matches_image,
    user_text,
)
from dockerlint.rules.common.tree import PREFIX, context_files, read_prefix
from dockerlint.rules.image._shell import operands, options
from dockerlint.util.budget import Budget, LimitExceeded, record

_SUDOERS = re.compile(r"^/etc/sudoers(?:$|\.d/)")
_MENTIONS = re.compile(r"sudoers|useradd|usermod|adduser|addgroup|gpasswd")
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TAG = re.compile(r"[ \t]*([A-Z_]+)[ \t]*:(?![^\s:]*=)")
_UID_SPEC = re.compile(r"#\d+\s")
# sed's s<d>pattern<d>replacement<d>: a backslash is only ever an escape, so no character can be
# read two ways; the delimiter is ASCII punctuation, so the failed scans of all the "s<d>" in a
# text add up to a few passes over it (each stops at the next <d>). a/i/c commands with an
# optional address.
_SED_SUBSTITUTE = re.compile(r"s([!-\x2f:-@\x5b\x5d-`{-~])((?:\\.|(?!\1)[^\\])*)\1((?:\\.|(?!\1)[^\\])*)\1")
_SED_ESCAPE = re.compile(r"\\(.)")
# (Blanks before and after an optional address were ambiguous: quadratic on a long run of
# blanks. The lookbehinds below start a match only where a run of blanks starts: linear.)
_SED_APPEND = re.compile(r"\s*(?:(?:\$|\d+|/[^/]*/)\s*)?[aic]\\?\s+(.+)$")


# ':' followed by a host list and '=' starts another specification of the same users.
def _commas(text: str) -> str:
    """``text`` without the blanks around its commas (a substitution of "[ \\t]*,[ \\t]*"
    tried every blank of a long run again: quadratic)."""
    parts = text.split(",")
    if len(parts) == 1:
        return text
    return ",".join([parts[0].rstrip(" \t"), *(p.strip(" \t") for p in parts[1:-1]), parts[-1].lstrip(" \t")])


_HOST_SEPARATOR = re.compile(r"(?<![ \t])[ \t]*:(?=[^=,:()]*=)[ \t]*")
_NOT_USER_SPECS = frozenset(
    {
        "Defaults",
        "User_Alias",
        "Runas_Alias",
        "Host_Alias",
        "Cmnd_Alias",
        "Cmd_Alias",
        "@include",
        "@includedir",
        "#include",
        "#includedir",
    }
)

# Commands that give a shell, directly or through a well-known escape (GTFOBins).
_SHELLS = frozenset(
    {
        "sh",
        "bash",
        "dash",
        "ash",
        "zsh",
        "ksh",
        "fish",
        "csh",
        "tcsh",
        "su",
        "sudo",
        "busybox",
        "login",
        "env",
        "script",
        "xargs",
        "find",
        "nsenter",
        "chroot",
        "docker",
    }
)
_EDITORS = frozenset(
    {
        "vi",
        "vim",
        "nvim",
        "nano",
        "emacs",
        "ed",
        "sudoedit",
        "less",
        "more",
        "view",
        "pico",
        "tee",
        "cp",
        "mv",
        "dd",
        "chmod",
        "chown",
        "install",
    }
)
_PACKAGE_MANAGERS = frozenset(
    {
        "apt",
        "apt-get",
        "aptitude",
        "dpkg",
        "yum",
        "dnf",
        "microdnf",
        "rpm",
        "apk",
        "zypper",
        "pacman",
        "pip",
        "pip3",
        "npm",
        "yarn",
        "gem",
        "snap",
        "flatpak",
        "brew",
    }
)
_INTERPRETERS = re.compile(
    r"^(?:python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|php[0-9.]*|lua[0-9.]*|awk|gawk"
    r"|tclsh|wish|irb|java|bun|deno)$"
)


def _risk(command: str) -> str | None:
    """What a command given without password lets its user do as root, or None."""
    words = command.strip().split()
    if not words:
        return None
    if words[0] == "ALL":
        return "ALL commands"
    name = words[0].rsplit("/", 1)[-1]
    if name in _SHELLS:
        return f"a shell ({name})"
    if name in _EDITORS:
        return f"a program that writes any file ({name})"
    if name in _PACKAGE_MANAGERS:
        return f"a package manager ({name})"
    if _INTERPRETERS.match(name):
        return f"an interpreter ({name})"
    return None


@dataclass
class _Grant:
    who: list[str]  # user list as written: names, %groups, #uids, ALL
    risk: str  # what NOPASSWD gives ("ALL commands", "a shell (bash)")
    line: str  # the rule as written, for the message
    span: Span
    where: str  # the sudoers file
    stage: int  # the index of the stage that writes it
    order: int  # the index of the instruction that writes it


def _parse_rules(text: str) -> list[tuple[list[str], str, str]]:
    """The user specifications of a sudoers text that give NOPASSWD for a risky command:
    ``(users, risk, line)``. Linear in the text: no pattern here can backtrack (the text
    comes from the scanned repository)."""
    out: list[tuple[list[str], str, str]] = []
    for raw in text.replace("\\\n", " ").splitlines():
        line = raw.strip()
        if not line or (line.startswith("#") and not _UID_SPEC.match(line)):
            continue
        if line.split(None, 1)[0] in _NOT_USER_SPECS:
            continue
        before, eq, after = line.partition("=")
        head = _commas(before).split()
        if not eq or len(head) < 2:
            continue
        users = [u for u in head[0].split(",") if u]
        for spec in _HOST_SEPARATOR.split(after):  # "cmds : host2 = cmds2"
            risk = _nopasswd_risk(spec)
            if risk is not None:
                out.append((users, risk, line))
                break
    return out


def _nopasswd_risk(spec: str) -> str | None:
    """What ``[host =] [(runas)] TAGS: cmd, cmd`` gives without a password, or None."""
    host, eq, rest = spec.partition("=")
    if eq and "(" not in host and ":" not in host:
        spec = rest  # the host list of a second specification
    spec = spec.lstrip()
    if spec.startswith("("):
        close = spec.find(")")
        spec = spec[close + 1 :] if close >= 0 else ""
    tags: set[str] = set()
    pos = 0
    while True:
        t = _TAG.match(spec, pos)
        if t is None:
            break
        tags.add(t.group(1))
        pos = t.end()
    if "NOPASSWD" not in tags or "PASSWD" in tags:
        return None
    for command in spec[pos:].split(","):
        risk = _risk(command)
        if risk is not None:
            return risk
    return None


# -- variables ---------------------------------------------------------------------------------


def _variables(build: ImageBuild, chain: Sequence[Stage]) -> dict[str, str]:
    """Values the Dockerfile writes for variables (global ARG defaults, then ARG/ENV of the
    chain's stages, oldest first), as BuildKit sees them."""
    out: dict[str, str] = {}
    for a in build.global_args:
        if a.default is not None and "$" not in a.default.text:
            out[a.name.value] = a.default.text
    for stage in chain:
        for ins in stage.instructions:
            if ins.keyword in ("ARG", "ENV"):
                for p in ins.pairs:
                    if p.value is not None and "$" not in p.value.text:
                        out[p.key.text] = p.value.text
    return out


def _substitute(text: str, known: dict[str, str]) -> str:
    """``$X``/``${X}``/``${X:-d}`` replaced by known values; unknown ones written as ``${X}``.

    A scanner, not a pattern: each ``${`` is closed at the first ``}`` after it, and the scan
    goes on from there, so the cost is linear whatever the text. The values substituted are
    bounded as every expansion is (:mod:`dockerlint.parsers.expansion`: 20,000 ``$A`` of a
    60 KB ``ARG A`` in a sudoers heredoc took 74 s and 7 GB): past the bound the text stays
    as written, unknown."""
    if "$" not in text:
        return text
    budget = Budget()

    def value(name: str) -> str:
        got = known.get(name)
        if got is None:
            return "${" + name + "}"
        budget.add(len(got))
        return got

    try:
        return _substituted(text, value)
    except LimitExceeded as exc:
        record(exc)
        return text


def _substituted(text: str, value: Callable[[str], str]) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        j = text.find("$", i)
        if j < 0:
            out.append(text[i:])
            break
        out.append(text[i:j])
        if j + 1 < n and text[j + 1] == "{":
            m = _VAR_NAME.match(text, j + 2)
            if m is None:
                out.append("${")
                i = j + 2
                continue
            close = text.find("}", m.end())
            if close < 0:
                out.append(text[j:])
                break
            out.append(value(m.group()))
            i = close + 1
            continue
        m = _VAR_NAME.match(text, j + 1)
        if m is None:
            out.append("$")
            i = j + 1
            continue
        out.append(value(m.group()))
        i = m.end()
    return "".join(out)


# -- who the container runs as -------------------------------------------------------------


@dataclass
class _Runtime:
    names: set[str]  # names, uids (as '#1000') and groups the runtime user goes by
    shown: str  # how the message names it
    span: Span | None  # its USER value (None: the base image decides)
    anyone_only: bool = False  # the user is not known by name: only rules for ALL apply


# adduser (Debian's and BusyBox's): the options that take a value. useradd and usermod read
# theirs from knowledge/commands.py (usermod's -l is --login NEW_LOGIN, a value).
_ADDUSER_SHORT = "cdefgGkKpsuRZbh"
_ADDUSER_LONG = (
    "--comment",
    "--home",
    "--home-dir",
    "--expiredate",
    "--inactive",
    "--gid",
    "--groups",
    "--skel",
    "--key",
    "--password",
    "--shell",
    "--uid",
    "--root",
    "--ingroup",
    "--gecos",
    "--firstuid",
    "--lastuid",
    "--prefix",
)
_ACCOUNT_OPTIONS = {
    "useradd": (USERADD.short_with_value, tuple(sorted(USERADD.long_with_value))),
    "usermod": (USERMOD.short_with_value, tuple(sorted(USERMOD.long_with_value))),
    "adduser": (_ADDUSER_SHORT, _ADDUSER_LONG),
}


class _Members:
    """Groups each user is put in, and uids given to users, as the chain's RUN commands say."""

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known
        self.groups: dict[str, set[str]] = {}
        self.uids: dict[str, str] = {}

    def add(self, user: str, group_list: str) -> None:
        for g in group_list.split(","):
            if g.strip():
                self.groups.setdefault(_substitute(user, self.known), set()).add(_substitute(g.strip(), self.known))

    def account(self, name: str, args: Sequence[Word]) -> None:
        """``useradd``, ``usermod``, ``adduser``: supplementary (and primary) groups, and the uid;
        ``usermod -l NEW_LOGIN`` renames the account, and what it knew goes with it."""
        short, longs = _ACCOUNT_OPTIONS[name]
        ops = operands(args, short, longs)
        if not ops:
            return
        user = ops[0].text if name == "adduser" else ops[-1].text
        renamed: str | None = None
        for o in options(args, short, longs):
            if o.value is None:
                continue
            primary = o.name in ("-g", "--gid") and name != "adduser"
            if o.name in ("-G", "--groups") or (name == "adduser" and o.name == "--ingroup") or primary:
                self.add(user, o.value)
            elif o.name in ("-u", "--uid"):
                self.uids[_substitute(user, self.known)] = _substitute(o.value, self.known)
            elif name == "usermod" and o.name in ("-l", "--login"):
                renamed = o.value
        if name == "adduser" and len(ops) == 2:
            self.add(ops[0].text, ops[1].text)  # Debian: adduser USER GROUP
        if renamed is not None:
            self.rename(user, renamed)

    def rename(self, old: str, new: str) -> None:
        """``usermod -l new old``: the account's groups and uid are the new name's now."""
        was, now = _substitute(old, self.known), _substitute(new, self.known)
        if was in self.groups:
            self.groups.setdefault(now, set()).update(self.groups.pop(was))
        if was in self.uids:
            self.uids[now] = self.uids.pop(was)

    def gpasswd(self, args: Sequence[Word]) -> None:
        for o in options(args, "adMAR", ()):
            if o.name == "-a" and o.value is not None:
                rest = [w.text for w in operands(args, "adMAR", ())]
                if rest:
                    self.add(o.value, rest[-1])


def _memberships(scripts: Sequence[Script], known: dict[str, str]) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Groups each user is put in, and uids given to users, by the chain's RUN commands."""
    members = _Members(known)
    for script in scripts:
        for step in script.walk():
            cmd = step.command
            name, args = cmd.name, cmd.args
            if name in ("useradd", "usermod", "adduser") and args:
                members.account(name, args)
            elif name == "addgroup" and len(args) == 2 and not args[0].text.startswith("-"):
                members.add(args[0].text, args[1].text)  # BusyBox: addgroup USER GROUP
            elif name == "gpasswd":
                members.gpasswd(args)
    return members.groups, members.uids


def _runtime(
    build: ImageBuild, ctx: RuleContext, memberships: dict[str, set[str]], uids: dict[str, str], known: dict[str, str]
) -> _Runtime | None:
    final = build.final_stage
    if final is None:
        return None
    user, owner = build.effective_user(final.index)
    if user is None:
        inherited = base_user(build, owner, ctx)
        if inherited.user is not None and inherited.owner is not None:
            user, owner = inherited.user, inherited.owner
        elif matches_image(inherited.external, NONROOT_BASE_IMAGES):
            return _Runtime(
                set(), f"the default user of base image {quote(inherited.external)}", None, anyone_only=True
            )
        else:
            return None  # root, unless the base image says otherwise: DF101's business
    _, meant = user_text(owner, user)
    name = _substitute(meant.split(":", 1)[0].strip(), known)
    if name in ("root", "0") or name.lower() == "containeradministrator" or not name:
        return None
    names = {name}
    if name.isdigit():
        names |= {u for u, uid in uids.items() if uid == name}
        names.add("#" + name)
    for n in list(names):
        if n in uids:
            names.add("#" + uids[n])
        names |= {"%" + g for g in memberships.get(n, set())}
        if not n.startswith(("#", "%")):
            names.add("%" + n)  # the user's own group (useradd's default)
    return _Runtime(names, f"USER {quote(user.value)}", user.span)


def _applies(who: list[str], runtime: _Runtime, known: dict[str, str]) -> str | None:
    """How the rule's user list names the runtime user ("" for itself or every user,
    " (group 'wheel')"), or None when it does not."""
    for entry in who:
        e = _substitute(entry, known)
        if e == "ALL":
            return ""
        if runtime.anyone_only or e not in runtime.names:
            continue
        if e.startswith("%"):
            return f" (group {quote(e[1:])})"
        return ""
    return None


# -- where sudoers rules are written ------------------------------------------------------------


def _echo_text(cmd: Command) -> list[tuple[str, Word]]:
    """What ``echo``/``printf`` print, with the word to point at."""
    args = list(cmd.args)
    if cmd.name == "echo":
        while args and re.fullmatch(r"-[neE]+", args[0].text):
            args = args[1:]
        if not args:
            return []
        text = " ".join(a.text for a in args)
        return [(text.replace("\\t", "\t").replace("\\n", "\n"), _pointer(args))]
    if cmd.name == "printf" and args:
        fmt, rest = args[0].text, [a.text for a in args[1:]]
        text = re.sub(r"%[sb]", lambda _: rest.pop(0) if rest else "", fmt)
        return [(text.replace("\\t", "\t").replace("\\n", "\n"), _pointer(args))]
    return []


def _pointer(args: Sequence[Word]) -> Word:
    for a in args:
        if "NOPASSWD" in a.text:
            return a
    return args[0]


def _heredoc_texts(cmd: Command) -> list[tuple[str, Span]]:
    out: list[tuple[str, Span]] = []
    for r in cmd.redirects:
        if r.is_heredoc and r.body:
            line = next((b for b in r.body_lines if "NOPASSWD" in b.value), None)
            span = line.span if line is not None else (r.body_span or r.span)
            out.append((r.body, span))
    return out


def _sed_texts(cmd: Command) -> list[tuple[str, Word]]:
    """Lines ``sed`` writes: the replacements of ``s`` commands, the text of ``a``/``i``/``c``."""
    exprs = [
        o.value_word
        for o in options(cmd.args, "ef", ("--expression", "--file"))
        if o.name in ("-e", "--expression") and o.value_word is not None
    ]
    if not exprs:
        ops = operands(cmd.args, "ef", ("--expression", "--file"))
        exprs = ops[:1]
    out: list[tuple[str, Word]] = []
    for w in exprs:
        text = w.text
        for m in _SED_SUBSTITUTE.finditer(text):
            out.append((_SED_ESCAPE.sub(r"\1", m.group(3)).replace("\\t", "\t"), w))
        for part in text.replace(";", "\n").splitlines():
            appended = _SED_APPEND.match(part)
            if appended is not None:
                out.append((appended.group(1), w))
    return out


def _run_grants(
    ins: Instruction, script: Script, stage: int, order: int, known: dict[str, str]
) -> Iterator[tuple[str, Span, str, int, int]]:
    """``(text, span, file, stage, order)`` of the sudoers text each command of a RUN writes."""
    for step in script.walk():
        cmd = step.command
        if cmd.name == "sed":
            for text, word, target in _sed_grants(cmd, known):
                yield text, word.span, target, stage, order
        files = _sudoers_written(cmd, known)
        if not files:
            continue
        for text, span in _heredoc_texts(cmd):
            yield text, span, files[0], stage, order
        sources: list[Step] = [step] if cmd.name in ("echo", "printf") else []
        if cmd.name == "tee":
            sources = [s for s in _upstream(step) if s.command.name in ("echo", "printf")]
        for s in sources:
            for text, word in _echo_text(s.command):
                yield text, word.span, files[0], stage, order


def _sudoers_written(cmd: Command, known: dict[str, str]) -> list[str]:
    """The sudoers files ``cmd`` writes: its redirection targets, ``tee``'s operands."""
    files = [
        r.target.text
        for r in cmd.redirects
        if r.writes and r.target is not None and _SUDOERS.match(_substitute(r.target.text, known))
    ]
    if cmd.name == "tee":
        files += [w.text for w in cmd.args if _SUDOERS.match(_substitute(w.text, known))]
    return files


def _sed_grants(cmd: Command, known: dict[str, str]) -> Iterator[tuple[str, Word, str]]:
    """``(text, word, file)`` of the sudoers lines a ``sed -i`` of a sudoers file uncomments or appends."""
    if not (
        any(o.name in ("-i", "--in-place") for o in options(cmd.args, "ef", ()))
        or any(w.text.startswith("-i") for w in cmd.args)
    ):
        return
    targets = [
        w.text
        for w in operands(cmd.args, "ef", ("--expression", "--file"))
        if _SUDOERS.match(_substitute(w.text, known))
    ]
    for text, word in _sed_texts(cmd) if targets else []:
        yield text, word, targets[0]


def _upstream(step: Step) -> Iterator[Step]:
    for k, c in enumerate(step.pipeline.commands[: step.position]):
        yield Step(c, step.pipeline, k, step.via)


def _copy_grants(
    build: ImageBuild, ins: Instruction, ctx: RuleContext, stage: int, order: int, known: dict[str, str]
) -> Iterator[tuple[str, Span, str, int, int]]:
    if len(ins.args) < 2:
        return
    dest = _substitute(ins.args[-1].text, known)
    heredocs = {h.name: h for h in ins.heredocs}
    for src in ins.args[:-1]:
        name = src.value.lstrip("<-").strip("'\"")
        landing = dest.rstrip("/") + "/" + src.text.rstrip("/").rsplit("/", 1)[-1] if dest.endswith("/") else dest
        if not _SUDOERS.match(landing) and not _SUDOERS.match(dest):
            continue
        if src.value.startswith("<<") and name in heredocs:
            h = heredocs[name]
            lines = h.body.splitlines()
            k = next((i for i, ln in enumerate(lines) if "NOPASSWD" in ln), 0)
            span = Span(h.span.path, h.body_line + k, 1, h.body_line + k, len(lines[k]) + 1 if lines else 2)
            yield h.body, span, landing, stage, order
        elif ins.flag("from") is None and "$" not in src.text:
            for context in build_contexts(build, ctx):
                files = context_files(context, src.text, ctx.roots)
                if files:
                    data = read_prefix(files[0], ctx.roots, PREFIX)
                    if data is not None:
                        yield data.decode("utf-8", "replace"), src.span, landing, stage, order
                    break


def _removed_later(scripts: list[tuple[int, Script]], order: int, path: str, known: dict[str, str]) -> bool:
    for at, script in scripts:
        if at <= order:
            continue
        for step in script.walk():
            if step.command.name == "rm":
                for w in step.command.args:
                    target = _substitute(w.text, known).rstrip("/")
                    if target and not target.startswith("-") and (path == target or path.startswith(target + "/")):
                        return True
    return False


@rule(
    id="DF116",
    name="passwordless-sudo",
    reads=ImageBuild,
    severity=Severity.HIGH,
    summary="The final image gives its non-root runtime user passwordless sudo",
    cwe=(250, 269),
    peers={"checkov": "CKV2_DOCKER_1 (sudo, partial)", "semgrep": "passwordless sudo (partial)"},
    precision="high",
    tags=("security",),
)
def passwordless_sudo(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    final = build.final_stage
    if final is None:
        return
    chain = list(reversed(build.stage_chain(final.index)))  # oldest first
    members = [(ins, stage) for stage in chain for ins in stage.instructions]
    if not any("sudoers" in ins.args_text or any("sudoers" in h.body for h in ins.heredocs) for ins, _ in members):
        return
    known = _variables(build, chain)
    scripts: list[tuple[int, Script]] = []
    for order, (ins, _) in enumerate(members):
        if ins.keyword == "RUN" and _MENTIONS.search(ins.args_text + "".join(h.body for h in ins.heredocs)):
            script = ins.script
            if script is not None:
                scripts.append((order, script))
    groups, uids = _memberships([s for _, s in scripts], known)
    runtime = _runtime(build, ctx, groups, uids, known)
    if runtime is None:
        return
    written: list[tuple[str, Span, str, int, int]] = []
    script_at = dict(scripts)
    for order, (ins, stage) in enumerate(members):
        if ins.keyword == "RUN" and order in script_at:
            written += _run_grants(ins, script_at[order], stage.index, order, known)
        elif ins.keyword in ("COPY", "ADD"):
            written += _copy_grants(build, ins, ctx, stage.index, order, known)
    for text, span, written_path, _, order in written:
        path = _substitute(written_path, known)
        if _removed_later(scripts, order, path, known):
            continue
        for who, risk, rule_line in _parse_rules(_substitute(text, known)):
            whom = _applies(who, runtime, known)
            if whom is None:
                continue
            line = " ".join(rule_line.split())
            message = f"{runtime.shown}{whom} gets passwordless sudo for {risk}: {quote(line)} in {quote(path)}"
            if len(message) > 140:
                message = (
                    f"{runtime.shown}{whom} gets passwordless sudo for {risk}: {quote(line, 32)} in {quote(path, 32)}"
                )
            fix = "; remove the rule"
            yield Hit(span, message + fix if len(message + fix) <= 140 else message, context=f"sudo:{path}:{line}")
            break
