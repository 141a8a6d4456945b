"""``docker run`` command lines: the container they create, and the Docker client they configure.

Input: shell commands from the located shell model (``parsers/shell.py``), wherever they are
written: shell scripts, Makefile recipes, CI ``run:``/``script:`` blocks, Dockerfile ``RUN``.
Output: the same :class:`~dockerlint.models.container.Container` a Compose service becomes,
and :class:`~dockerlint.models.container.ClientEnv` scopes for ``DOCKER_HOST`` & co, so every
``DC`` rule and DD101/DD104 judge command lines with no change.

Recognized invocations (past wrappers such as ``sudo``, ``env``, ``exec``):

* ``docker [global options] run|create``, ``docker container run|create``; ``podman`` and
  ``nerdctl`` the same way (their ``run`` takes docker's flags);
* ``docker compose [options] run`` and ``docker-compose run``: the flags ``compose run``
  accepts (``-v``, ``-e``, ``-u``, ``-p``, ``--cap-add``...); the rest of the container comes
  from the Compose file, so such a container has no image.

The flag grammar is docker's (pflag): long flags with ``=`` or a separate value, short flags
alone or grouped (``-itd``, ``-uroot``, ``-p8080:80``), repeated flags, ``--`` ending the
options. The first word that is not an option is the image, and everything after it is the
container's command. A flag missing from :data:`RUN_FLAGS` is kept out of the model but
never fatal: with ``=`` its value is attached; without, it is taken as a switch. A word that
is one unquoted expansion (``$OPTS``, ``"$@"``) before more options may stand for several
options: it is skipped, not taken for the image.

Spans: every value carries the span of its text in the file, narrowed to the part of a word
that holds it (``root`` in ``--user=root``, ``DOCKER_HOST`` and ``tcp://…`` in
``-e DOCKER_HOST=tcp://…``) when the word is written on one line as the model has it;
otherwise the whole word.

Environment: ``export``/assignment of ``DOCKER_HOST``, ``DOCKER_TLS_VERIFY``... is followed
in source order (the last assignment wins, ``unset`` removes; branches are not told apart).
The client settings in force are judged wherever a ``docker`` command runs (with its own
``VAR=value`` prefix and ``-H``/``--tlsverify`` flags) and at the end of each scope; equal
settings are reported once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from dockerlint.models.base import LBool, LStr, Span
from dockerlint.models.container import BuiltImage, ClientEnv, Container, EnvVar, Mount, PortBinding
from dockerlint.models.shell import Command, Script, Word, basename
from dockerlint.parsers.expansion import shell_defaults
from dockerlint.util.budget import MAX_NESTING
from dockerlint.util.shellwords import align

# Variables a Docker client reads (the same set the Compose parser turns into ClientEnv).
CLIENT_VARS = frozenset({"DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_TLS_CERTDIR", "DOCKER_CERT_PATH", "DOCKER_TLS"})
# A text without any of these has no command line or client setting for us: not parsed.
RELEVANT = re.compile(r"docker|podman|nerdctl|DOCKER_")

# -- the flag grammar --------------------------------------------------------------------

# ``docker run --help`` (Docker 28), plus the hidden and deprecated ones still accepted
# (--net, --net-alias, --dns-opt, --kernel-memory...): long name -> takes a value.
RUN_FLAGS: dict[str, bool] = {
    **dict.fromkeys(
        (
            "add-host",
            "annotation",
            "attach",
            "blkio-weight",
            "blkio-weight-device",
            "cap-add",
            "cap-drop",
            "cgroup-parent",
            "cgroupns",
            "cidfile",
            "cpu-count",
            "cpu-percent",
            "cpu-period",
            "cpu-quota",
            "cpu-rt-period",
            "cpu-rt-runtime",
            "cpu-shares",
            "cpus",
            "cpuset-cpus",
            "cpuset-mems",
            "detach-keys",
            "device",
            "device-cgroup-rule",
            "device-read-bps",
            "device-read-iops",
            "device-write-bps",
            "device-write-iops",
            "dns",
            "dns-opt",
            "dns-option",
            "dns-search",
            "domainname",
            "entrypoint",
            "env",
            "env-file",
            "expose",
            "gpus",
            "group-add",
            "health-cmd",
            "health-interval",
            "health-retries",
            "health-start-interval",
            "health-start-period",
            "health-timeout",
            "hostname",
            "io-maxbandwidth",
            "io-maxiops",
            "ip",
            "ip6",
            "ipc",
            "isolation",
            "kernel-memory",
            "label",
            "label-file",
            "link",
            "link-local-ip",
            "log-driver",
            "log-opt",
            "mac-address",
            "memory",
            "memory-reservation",
            "memory-swap",
            "memory-swappiness",
            "mount",
            "name",
            "net",
            "net-alias",
            "network",
            "network-alias",
            "oom-score-adj",
            "pid",
            "pids-limit",
            "platform",
            "publish",
            "pull",
            "restart",
            "runtime",
            "security-opt",
            "shm-size",
            "stop-signal",
            "stop-timeout",
            "storage-opt",
            "sysctl",
            "tmpfs",
            "ulimit",
            "user",
            "userns",
            "uts",
            "volume",
            "volume-driver",
            "volumes-from",
            "workdir",
            "credentialspec",
        ),
        True,
    ),
    **dict.fromkeys(
        (
            "detach",
            "disable-content-trust",
            "help",
            "init",
            "interactive",
            "no-healthcheck",
            "oom-kill-disable",
            "privileged",
            "publish-all",
            "quiet",
            "read-only",
            "rm",
            "sig-proxy",
            "tty",
            "use-api-socket",
        ),
        False,
    ),
}
RUN_SHORT = {
    "a": "attach",
    "c": "cpu-shares",
    "d": "detach",
    "e": "env",
    "h": "hostname",
    "i": "interactive",
    "l": "label",
    "m": "memory",
    "p": "publish",
    "P": "publish-all",
    "q": "quiet",
    "t": "tty",
    "u": "user",
    "v": "volume",
    "w": "workdir",
}
# podman run's own options that take a value (the rest of its grammar is docker's).
PODMAN_RUN_FLAGS: dict[str, bool] = {
    **RUN_FLAGS,
    **dict.fromkeys(
        (
            "arch",
            "authfile",
            "cert-dir",
            "cgroup-conf",
            "cgroups",
            "chrootdirs",
            "conmon-pidfile",
            "creds",
            "decryption-key",
            "env-merge",
            "gidmap",
            "group-entry",
            "hostuser",
            "image-volume",
            "init-path",
            "os",
            "passwd-entry",
            "personality",
            "pidfile",
            "pod",
            "pod-id-file",
            "preserve-fd",
            "preserve-fds",
            "rdt-class",
            "requires",
            "retry",
            "retry-delay",
            "sdnotify",
            "seccomp-policy",
            "secret",
            "shm-size-systemd",
            "subgidname",
            "subuidname",
            "systemd",
            "timeout",
            "tz",
            "uidmap",
            "umask",
            "variant",
        ),
        True,
    ),
    **dict.fromkeys(
        ("env-host", "http-proxy", "no-hosts", "passwd", "read-only-tmpfs", "replace", "rootfs", "tls-verify"), False
    ),
}
# ``docker compose run`` (v2) and ``docker-compose run`` (v1).
COMPOSE_RUN_FLAGS: dict[str, bool] = {
    **dict.fromkeys(
        (
            "cap-add",
            "cap-drop",
            "entrypoint",
            "env",
            "env-from-file",
            "label",
            "name",
            "publish",
            "pull",
            "user",
            "volume",
            "workdir",
        ),
        True,
    ),
    **dict.fromkeys(
        (
            "build",
            "detach",
            "interactive",
            "no-TTY",
            "tty",
            "no-deps",
            "quiet",
            "quiet-build",
            "quiet-pull",
            "remove-orphans",
            "rm",
            "service-ports",
            "use-aliases",
            "help",
        ),
        False,
    ),
}
COMPOSE_RUN_SHORT = {
    "d": "detach",
    "e": "env",
    "i": "interactive",
    "l": "label",
    "p": "publish",
    "P": "service-ports",
    "q": "quiet",
    "T": "no-TTY",
    "t": "tty",
    "u": "user",
    "v": "volume",
    "w": "workdir",
}
# ``docker build`` / ``docker buildx build`` (Docker 28), podman's and nerdctl's common ones:
# the options that take a value (any other option is a switch). Options and operands mix
# freely on a build line (``docker build . -t app``).
BUILD_VALUE_FLAGS = frozenset(
    {
        "add-host",
        "allow",
        "annotation",
        "attest",
        "build-arg",
        "build-context",
        "builder",
        "cache-from",
        "cache-to",
        "call",
        "cgroup-parent",
        "cpu-period",
        "cpu-quota",
        "cpu-shares",
        "cpuset-cpus",
        "cpuset-mems",
        "file",
        "iidfile",
        "isolation",
        "label",
        "memory",
        "memory-swap",
        "metadata-file",
        "network",
        "no-cache-filter",
        "output",
        "platform",
        "progress",
        "provenance",
        "sbom",
        "secret",
        "security-opt",
        "shm-size",
        "ssh",
        "tag",
        "target",
        "ulimit",
        "authfile",
        "cert-dir",
        "creds",
        "format",
        "jobs",
        "layers",
        "logfile",
        "os",
        "arch",
        "variant",
        "userns",
        "volume",
        "manifest",
        "sign-by",
        "timestamp",
        "retry",
        "retry-delay",
        "from",
        "env",
        "unsetenv",
        "unsetlabel",
        "runtime",
        "cap-add",
        "cap-drop",
        "decryption-key",
        "ignorefile",
        "pull-policy",
        "tls-verify",
        "identity-label",
        "cache-ttl",
        "device",
        "dns",
        "dns-option",
        "dns-search",
        "hooks-dir",
        "ipc",
        "pid",
        "uts",
        "hostname",
    }
)
BUILD_SHORT = {"t": "tag", "f": "file", "o": "output", "m": "memory", "c": "cpu-shares", "q": "quiet", "v": "volume"}
# A build context that is not a local folder: a URL, a Git repository, standard input.
_REMOTE_BUILD_CONTEXT = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@|github\.com/|-$)", re.IGNORECASE)

# Global options before the subcommand that take a value (short letters and long names).
_DOCKER_GLOBAL = (
    frozenset("Hcl"),
    frozenset({"host", "context", "config", "log-level", "tlscacert", "tlscert", "tlskey"}),
)
_PODMAN_GLOBAL = (
    frozenset("c"),
    frozenset(
        {
            "cgroup-manager",
            "config",
            "conmon",
            "connection",
            "db-backend",
            "events-backend",
            "hooks-dir",
            "identity",
            "imagestore",
            "log-level",
            "module",
            "network-cmd-path",
            "network-config-dir",
            "out",
            "root",
            "runroot",
            "runtime",
            "runtime-flag",
            "ssh",
            "storage-driver",
            "storage-opt",
            "tmpdir",
            "url",
            "volumepath",
        }
    ),
)
_NERDCTL_GLOBAL = (
    frozenset("naH"),
    frozenset(
        {
            "namespace",
            "address",
            "host",
            "snapshotter",
            "storage-driver",
            "cni-path",
            "cni-netconfpath",
            "data-root",
            "cgroup-manager",
            "hosts-dir",
            "bridge-ip",
            "experimental",
        }
    ),
)
_COMPOSE_GLOBAL = (
    frozenset("fpcH"),
    frozenset(
        {
            "file",
            "project-name",
            "profile",
            "env-file",
            "project-directory",
            "ansi",
            "progress",
            "parallel",
            "context",
            "log-level",
            "host",
            "tlscacert",
            "tlscert",
            "tlskey",
        }
    ),
)
_PROGRAMS = {
    "docker": _DOCKER_GLOBAL,
    "podman": _PODMAN_GLOBAL,
    "nerdctl": _NERDCTL_GLOBAL,
    "docker-compose": _COMPOSE_GLOBAL,
}
# Programs whose client reads DOCKER_HOST & co.
DOCKER_CLIENTS = frozenset({"docker", "docker-compose"})

_GO_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_GO_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})
_PROPAGATION = frozenset({"shared", "rshared", "slave", "rslave", "private", "rprivate"})
_VOLUME_MODES = frozenset({"ro", "rw", "z", "Z", "nocopy", "consistent", "cached", "delegated"}) | _PROPAGATION
_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=")
_PURE_EXPANSION = re.compile(r"^\$(?:[A-Za-z_][A-Za-z0-9_]*|[@*]|\{[^{}]*\})$")


# -- values with spans ---------------------------------------------------------------------


class Val:
    """A piece of text as a flag parser reads it: ``text`` (quotes removed, expansions kept as
    written), whether it is ``literal`` (no expansion), its span, and how to locate a part."""

    __slots__ = ("_sub", "literal", "span", "text")

    def __init__(
        self, text: str, span: Span, literal: bool, sub: Callable[[int, int], Span | None] | None = None
    ) -> None:
        self.text = text
        self.span = span
        self.literal = literal
        self._sub = sub

    def sub(self, a: int, b: int) -> Span:
        """The span of ``text[a:b]``; the whole span when that part cannot be located exactly."""
        if a <= 0 and b >= len(self.text):
            return self.span
        if b <= a or self._sub is None:
            return self.span
        return self._sub(a, b) or self.span

    def lstr(self, a: int = 0, b: int | None = None) -> LStr:
        end = len(self.text) if b is None else b
        part = self.text[a:end]
        expanded = None
        if not self.literal and "$" in part:
            e = expand_defaults(part)
            expanded = e if e != part else None
        return LStr(part, self.sub(a, end), expanded)

    def __repr__(self) -> str:
        return f"Val({self.text!r}, {self.span})"


def word_val(w: Word) -> Val:
    return Val(w.text, w.span, w.value is not None, _WordSub(w))


class _WordSub:
    """Spans of parts of a word, from where each character of its text is written in ``raw``.

    Only for a word on one line whose span is as wide as its raw text (the usual case);
    otherwise None (the caller takes the whole word).
    """

    __slots__ = ("offsets", "word")

    def __init__(self, word: Word) -> None:
        self.word = word
        self.offsets: list[int] | bool | None = False  # False: not computed yet

    def __call__(self, a: int, b: int) -> Span | None:
        w = self.word
        s = w.span
        if s.line != s.end_line or s.end_col - s.col != len(w.raw):
            return None
        if self.offsets is False:
            self.offsets = align(w.text, w.raw, "'\"\\\n$")
        offs = self.offsets
        if not isinstance(offs, list) or b > len(offs):
            return None
        return Span(s.path, s.line, s.col + offs[a], s.line, s.col + offs[b - 1] + 1)


# How many defaults in defaults ``expand_defaults`` applies: the one expander's bound. Past
# it the whole value stays as written (unknown, as a variable's is) and the run says so once.
MAX_DEFAULT_NESTING = MAX_NESTING


def expand_defaults(text: str) -> str:
    """``text`` with shell defaults applied: ``${VAR:-d}``, ``${VAR-d}``, ``${VAR:=d}``, ``${VAR=d}``
    become ``d``; other expansions stay as written. Never raises (bounded:
    :func:`dockerlint.parsers.expansion.shell_defaults`)."""
    return shell_defaults(text)


def split_outside(text: str, sep: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the parts of ``text`` split on ``sep`` outside ``${…}``, ``$(…)``
    and ``[…]`` (IPv6 addresses)."""
    parts: list[tuple[int, int]] = []
    depth = 0
    start = 0
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "$" and i + 1 < n and text[i + 1] in "{(":
            depth += 1
            i += 2
            continue
        if c in "{([" and depth:
            depth += 1
        elif c in "})]" and depth:
            depth -= 1
        elif c == "[" and sep == ":":
            depth += 1
        elif c == sep and not depth:
            parts.append((start, i))
            start = i + 1
        i += 1
    parts.append((start, n))
    return parts


# -- finding invocations ---------------------------------------------------------------------


class Invocation:
    """A container-creating command: which grammar, its name words and its argument words."""

    __slots__ = ("args", "grammar", "host", "name_words", "program", "tls", "tlsverify")

    def __init__(self, program: str, grammar: str, name_words: list[Word], args: list[Word]) -> None:
        self.program = program
        self.grammar = grammar  # "run" (docker/podman/nerdctl run|create), "compose" (run) or "build"
        self.name_words = name_words
        self.args = args
        self.host: tuple[Word, Val] | None = None  # -H / --host
        self.tls: Word | None = None
        self.tlsverify: Word | None = None


def _global_options(
    words: Sequence[Word], i: int, spec: tuple[frozenset[str], frozenset[str]], inv: Invocation | None
) -> int:
    """Skip global options from ``i``; the index of the subcommand word. Records ``-H``."""
    shorts, longs = spec
    n = len(words)
    while i < n:
        v = words[i].value
        if v is None or not v.startswith("-") or v == "-":
            return i
        if v == "--":
            return i + 1
        if v.startswith("--"):
            name, eq, _ = v[2:].partition("=")
            takes = name in longs and not eq
            if inv is not None:
                if name == "host":
                    inv.host = _flag_value(words, i, 2 + len(name))
                elif name in ("tlsverify", "tls") and (not eq or v.split("=", 1)[1] in _GO_TRUE):
                    setattr(inv, name, words[i])
            i += 2 if takes else 1
            continue
        letter = v[1]
        if letter in shorts:
            if inv is not None and letter == "H":
                inv.host = _flag_value(words, i, 2)
            i += 2 if len(v) == 2 else 1
            continue
        i += 1
    return i


def _flag_value(words: Sequence[Word], i: int, prefix: int) -> tuple[Word, Val] | None:
    """The value of the flag in word ``i`` (after ``prefix`` characters and a ``=``, or the next word)."""
    w = words[i]
    text = w.text
    if len(text) > prefix:
        start = prefix + 1 if text[prefix] == "=" else prefix
        return w, _part(w, start)
    if i + 1 < len(words):
        return w, word_val(words[i + 1])
    return None


def _part(w: Word, start: int) -> Val:
    v = word_val(w)
    return Val(w.text[start:], v.sub(start, len(w.text)), v.literal, lambda a, b: v.sub(a + start, b + start))


def invocation(cmd: Command) -> Invocation | None:
    """The container-creating (or image-building) invocation ``cmd`` is, or None."""
    if cmd.kind != "simple" or cmd.name_index < 0:
        return None
    name = cmd.name
    if name not in _PROGRAMS:
        return None
    words = cmd.words
    first = cmd.name_index
    inv = Invocation(name, "run", [], [])
    i = _global_options(words, first + 1, _PROGRAMS[name], inv)
    if i >= len(words):
        return None
    sub = words[i].value
    if name == "docker-compose":
        sub_words = [words[first], words[i]]
        if sub != "run":
            return None
        inv.grammar = "compose"
    elif sub == "compose" and name in ("docker", "podman", "nerdctl"):
        j = _global_options(words, i + 1, _COMPOSE_GLOBAL, None)
        if j >= len(words) or words[j].value != "run":
            return None
        sub_words = [words[first], words[i], words[j]]
        i = j
        inv.grammar = "compose"
    elif sub == "build":
        sub_words = [words[first], words[i]]
        inv.grammar = "build"
    elif sub in ("image", "buildx") and i + 1 < len(words) and words[i + 1].value == "build":
        sub_words = [words[first], words[i], words[i + 1]]
        i += 1
        inv.grammar = "build"
    elif sub in ("run", "create"):
        sub_words = [words[first], words[i]]
    elif sub == "container" and i + 1 < len(words) and words[i + 1].value in ("run", "create"):
        sub_words = [words[first], words[i], words[i + 1]]
        i += 1
    else:
        return None
    inv.name_words = sub_words
    inv.args = list(words[i + 1 :])
    return inv


# -- parsing the arguments ---------------------------------------------------------------------


class Flag:
    """One option as written: its canonical long name, the word(s) and the value."""

    __slots__ = ("name", "value", "word")

    def __init__(self, name: str, word: Val, value: Val | None) -> None:
        self.name = name
        self.word = word  # the flag itself (``--privileged``, ``-v``; the letter in a group)
        self.value = value


class ParsedArgs:
    __slots__ = ("command", "flags", "image", "opaque")

    def __init__(self) -> None:
        self.flags: list[Flag] = []
        self.image: Val | None = None  # the image (run) or the service (compose run)
        self.command: list[Val] = []
        self.opaque = False  # an expansion that may stand for options (``$OPTS``, ``"$@"``)


def parse_args(
    args: Sequence[Word], long_flags: dict[str, bool], short_flags: dict[str, str], stop_at_operand: bool = True
) -> ParsedArgs:
    """Options up to the first operand (the image); the rest is the command.

    With ``stop_at_operand`` False (a ``docker create`` option string, as in a GitHub job's
    ``options:``), every word is read as an option and operands are ignored.
    """
    out = ParsedArgs()
    n = len(args)
    i = 0
    while i < n:
        w = args[i]
        text = w.text
        literal = w.value is not None
        if literal and text == "--":
            i += 1
            break
        if not text.startswith("-") or text == "-":
            if _pure_expansion(w) and _more_options(args, i + 1):
                out.opaque = True  # $OPTS before more options: options we cannot see
                i += 1
                continue
            if not literal and w.raw in ('"$@"', '"${@}"', "$@", "$*", '"$*"'):
                out.opaque = True
                i += 1
                continue
            if not stop_at_operand:
                i += 1
                continue
            break
        if text.startswith("--"):
            name, eq, _ = text[2:].partition("=")
            takes = long_flags.get(name)
            if eq:
                out.flags.append(Flag(name, _part(w, 0), _part(w, 3 + len(name))))
                i += 1
            elif takes and i + 1 < n:
                out.flags.append(Flag(name, word_val(w), word_val(args[i + 1])))
                i += 2
            else:
                out.flags.append(Flag(name, word_val(w), None))
                i += 1
            continue
        # A group of short options: a value-taking one takes the rest of the word (a leading
        # '=' dropped, as pflag does) or, at the end of the word, the next word.
        wv = word_val(w)
        k = 1
        consumed_next = False
        while k < len(text):
            letter = text[k]
            name = short_flags.get(letter, letter)
            takes = long_flags.get(name, False) if letter in short_flags else False
            letter_val = Val(letter, wv.sub(k, k + 1), True)
            if not takes:
                out.flags.append(Flag(name, letter_val, None))
                k += 1
                continue
            if k + 1 < len(text):
                start = k + 2 if text[k + 1] == "=" else k + 1
                out.flags.append(Flag(name, letter_val, _part(w, start)))
            elif i + 1 < n:
                out.flags.append(Flag(name, letter_val, word_val(args[i + 1])))
                consumed_next = True
            else:
                out.flags.append(Flag(name, letter_val, None))
            break
        i += 2 if consumed_next else 1
    if stop_at_operand and i < n:
        out.image = word_val(args[i])
        out.command = [word_val(a) for a in args[i + 1 :]]
    return out


def _pure_expansion(w: Word) -> bool:
    """One unquoted expansion that the shell splits into any number of words: ``$OPTS``,
    ``${OPTS}``, ``$@``, or a command substitution ``$(extra_opts)`` / backticks (in a
    Makefile, also ``$(OPTS)`` of a variable the file does not set)."""
    if w.value is not None or w.quoted:
        return False
    if _PURE_EXPANSION.match(w.text):
        return True
    if len(w.substitutions) != 1:
        return False
    sub = w.substitutions[0]
    a, b = sub.span, w.span
    return sub.kind in ("$(", "`") and (a.line, a.col, a.end_line, a.end_col) == (b.line, b.col, b.end_line, b.end_col)


def _more_options(args: Sequence[Word], i: int) -> bool:
    return i < len(args) and args[i].text.startswith("-")


# -- building the container -------------------------------------------------------------------


_SINGLE = {
    "user": "user",
    "userns": "userns_mode",
    "pid": "pid",
    "ipc": "ipc",
    "uts": "uts",
    "cgroupns": "cgroup",
    "memory": "mem_limit",
    "pids-limit": "pids_limit",
    "cpus": "cpus",
    "cpu-shares": "cpu_shares",
    "cpu-quota": "cpu_quota",
    "pull": "pull_policy",
}
_LISTS = {
    "cap-add": "cap_add",
    "cap-drop": "cap_drop",
    "security-opt": "security_opt",
    "device": "devices",
    "device-cgroup-rule": "device_cgroup_rules",
    "env-file": "env_files",
    "env-from-file": "env_files",
}


def apply_flags(flags: Iterable[Flag], f: dict[str, Any]) -> None:
    """Put the model values of ``flags`` into the Container fields ``f`` (lists extended,
    single values: the last one wins, as with docker)."""
    for flag in flags:
        name = flag.name
        value = flag.value
        if name in _SWITCHES:
            _switch(flag, f)
        elif name == "use-api-socket":
            _api_socket(flag, f)
        elif value is None:
            continue
        elif name in _SINGLE:
            f[_SINGLE[name]] = value.lstr()
        elif name in _LISTS:
            f.setdefault(_LISTS[name], []).append(value.lstr())
        else:
            reader = _VALUE_FLAGS.get(name)
            if reader is not None:
                reader(value, f)


# Boolean flags (``--privileged[=BOOL]``) -> the Container field they set.
_SWITCHES = {"privileged": "privileged", "read-only": "read_only", "init": "init"}


def _switch(flag: Flag, f: dict[str, Any]) -> None:
    """``--privileged`` / ``--read-only`` / ``--init`` [``=BOOL``]."""
    value = flag.value
    on = True
    if value is not None:
        if value.text in _GO_TRUE:
            on = True
        elif value.text in _GO_FALSE:
            on = False
        else:
            return  # docker refuses the command
    span = flag.word.span if value is None else _joined(flag.word, value)
    f[_SWITCHES[flag.name]] = LBool(on, span)


def _api_socket(flag: Flag, f: dict[str, Any]) -> None:
    """``--use-api-socket``: the daemon's socket mounted into the container."""
    if flag.value is None or flag.value.text in _GO_TRUE:
        sock = LStr("/var/run/docker.sock", flag.word.span)
        f.setdefault("volumes", []).append(
            Mount(
                span=flag.word.span,
                type="bind",
                source=sock,
                target=sock,
                read_only=False,
                propagation=None,
                options=["use_api_socket"],
            )
        )


def _network(value: Val, f: dict[str, Any]) -> None:
    """``--network``: several options attach several networks; a namespace mode (host,
    none, container:x) is what a rule judges, so it wins over a network name."""
    lv = value.lstr()
    old = f.get("network_mode")
    if old is None or (_is_mode(lv.text) and not _is_mode(old.text)):
        f["network_mode"] = lv


def _volume_flag(value: Val, f: dict[str, Any]) -> None:
    m = volume(value)
    if m is not None:
        f.setdefault("volumes", []).append(m)


def _mount_flag(value: Val, f: dict[str, Any]) -> None:
    m = mount(value)
    if m is not None:
        f.setdefault("volumes", []).append(m)


def _tmpfs_flag(value: Val, f: dict[str, Any]) -> None:
    """``--tmpfs TARGET[:OPTIONS]``."""
    parts = split_outside(value.text, ":")
    a, b = parts[0]
    f.setdefault("volumes", []).append(
        Mount(
            span=value.span,
            type="tmpfs",
            source=None,
            target=value.lstr(a, b),
            read_only=False,
            propagation=None,
            options=[],
        )
    )


def _publish_flag(value: Val, f: dict[str, Any]) -> None:
    p = port(value)
    if p is not None:
        f.setdefault("ports", []).append(p)


def _env_flag(value: Val, f: dict[str, Any]) -> None:
    f.setdefault("environment", []).append(env_var(value))


def _entrypoint_flag(value: Val, f: dict[str, Any]) -> None:
    f["entrypoint"] = [value.lstr()]


# The readers of the other options that take a value and make a Container field.
_VALUE_FLAGS: dict[str, Callable[[Val, dict[str, Any]], None]] = {
    "net": _network,
    "network": _network,
    "volume": _volume_flag,
    "mount": _mount_flag,
    "tmpfs": _tmpfs_flag,
    "publish": _publish_flag,
    "env": _env_flag,
    "entrypoint": _entrypoint_flag,
}


def _is_mode(text: str) -> bool:
    return text in ("host", "none", "bridge", "default") or text.startswith("container:")


def _joined(a: Val, b: Val) -> Span:
    """From the start of ``a`` to the end of ``b``."""
    s, e = a.span, b.span
    if (e.end_line, e.end_col) < (s.line, s.col):
        return s
    return Span(s.path, s.line, s.col, e.end_line, e.end_col)


def env_var(v: Val) -> EnvVar:
    """``-e NAME=value`` (value as written) or ``-e NAME`` (passed through)."""
    name, eq, _ = v.text.partition("=")
    if not eq:
        return EnvVar(name=v.lstr(), value=None, span=v.span)
    value = v.lstr(len(name) + 1) if len(v.text) > len(name) + 1 else LStr("", v.span)
    return EnvVar(name=LStr(name, v.sub(0, len(name))), value=value, span=v.span)


def _is_host_path(text: str) -> bool:
    t = expand_defaults(text)
    if t[:1] in ("/", ".", "~", "$", "\\") or t.startswith("`"):
        return True
    return len(t) >= 2 and t[0].isalpha() and t[1] == ":"


def volume(v: Val) -> Mount | None:
    """``-v [SOURCE:]TARGET[:OPTIONS]`` as dockerd reads it on Linux (a Windows drive letter
    stays with its path)."""
    text = v.text
    if not text:
        return None
    raw_parts = split_outside(text, ":")
    parts: list[tuple[int, int]] = []
    for a, b in raw_parts:
        if parts and parts[-1][1] - parts[-1][0] == 1 and text[parts[-1][0]].isalpha() and text[a : a + 1] in "\\/":
            parts[-1] = (parts[-1][0], b)  # C:\data
        else:
            parts.append((a, b))
    if any(b <= a for a, b in parts) or len(parts) > 3:
        return None
    options: list[str] = []
    if len(parts) == 2 and all(o in _VOLUME_MODES for o in text[parts[1][0] : parts[1][1]].split(",")):
        options = text[parts[1][0] : parts[1][1]].split(",")
        parts = parts[:1]
    elif len(parts) == 3:
        options = text[parts[2][0] : parts[2][1]].split(",")
        parts = parts[:2]
    read_only = "ro" in options and "rw" not in options[options.index("ro") :]
    propagation = None
    for opt in options:
        if opt in _PROPAGATION:
            propagation = LStr(opt, v.span)
    if len(parts) == 1:
        a, b = parts[0]
        return Mount(
            span=v.span,
            type="volume",
            source=None,
            target=v.lstr(a, b),
            read_only=read_only,
            propagation=propagation,
            options=options,
        )
    (sa, sb), (ta, tb) = parts
    source = v.lstr(sa, sb)
    kind = "bind" if _is_host_path(text[sa:sb]) else "volume"
    return Mount(
        span=v.span,
        type=kind,
        source=source,
        target=v.lstr(ta, tb),
        read_only=read_only,
        propagation=propagation,
        options=options,
    )


def _csv_fields(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the comma-separated fields of ``--mount`` (``"`` quotes a field)."""
    out: list[tuple[int, int]] = []
    start = 0
    quoted = False
    for i, c in enumerate(text):
        if c == '"':
            quoted = not quoted
        elif c == "," and not quoted:
            out.append((start, i))
            start = i + 1
    out.append((start, len(text)))
    return out


def mount(v: Val) -> Mount | None:
    """``--mount type=bind,source=…,target=…,readonly,bind-propagation=…``."""
    text = v.text
    kind = "volume"
    source = target = propagation = None
    read_only = False
    options: list[str] = []
    for field in _csv_fields(text):
        a, b = field
        if b - a >= 2 and text[a] == '"' and text[b - 1] == '"':
            a, b = a + 1, b - 1  # a quoted field: "source=/a,b"
        key, eq, value = text[a:b].partition("=")
        key = key.strip().lower()
        va = a + len(key) + 1
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            va += 1
            value = value[1:-1]
        vb = va + len(value)
        if key == "type" and eq:
            kind = value.lower()
        elif key in ("source", "src") and eq:
            source = v.lstr(va, vb) if value else None
        elif key in ("target", "destination", "dst") and eq:
            target = v.lstr(va, vb)
        elif key in ("readonly", "ro"):
            read_only = not eq or value.lower() in ("1", "true")
            if read_only:
                options.append("ro")
        elif key == "bind-propagation" and eq:
            propagation = v.lstr(va, vb)
    return Mount(
        span=v.span,
        type=kind,
        source=source,
        target=target,
        read_only=read_only,
        propagation=propagation,
        options=options,
    )


def port(v: Val) -> PortBinding | None:
    """``-p [IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]``."""
    text = v.text
    parts = split_outside(text, ":")
    ca, cb = parts[-1]
    protocol = "tcp"
    slash = text.rfind("/", ca, cb)
    if slash >= 0 and "}" not in text[slash:cb] and ")" not in text[slash:cb]:
        protocol = text[slash + 1 : cb].lower() or "tcp"
        cb = slash
    if cb <= ca:
        return None
    host_ip = host_port = None
    if len(parts) == 2:
        ha, hb = parts[0]
        host_port = v.lstr(ha, hb) if hb > ha else None
    elif len(parts) >= 3:
        ia, ib = parts[0][0], parts[-3][1]
        ha, hb = parts[-2]
        if ib - ia >= 2 and text[ia] == "[" and text[ib - 1] == "]":
            ia, ib = ia + 1, ib - 1
        host_ip = v.lstr(ia, ib) if ib > ia else None
        host_port = v.lstr(ha, hb) if hb > ha else None
    return PortBinding(
        span=v.span, host_ip=host_ip, host_port=host_port, container_port=v.lstr(ca, cb), protocol=protocol
    )


def _span_of(words: Sequence[Word]) -> Span:
    first, last = words[0].span, words[-1].span
    return Span(first.path, first.line, first.col, last.end_line, last.end_col)


def container(inv: Invocation, cmd: Command, source: str, path: str) -> Container | None:
    """The container ``inv`` creates; None for ``docker run`` without an image (docker refuses it)."""
    managed_by = None
    if inv.grammar == "compose":
        args = parse_args(inv.args, COMPOSE_RUN_FLAGS, COMPOSE_RUN_SHORT)
        image = None
        if args.image is None and not args.opaque:
            return None
        # security_opt, resource limits and read_only have no 'compose run' flag: they come
        # from the service's definition (linted where it is written), not from this line.
        service = args.image.lstr().value if args.image is not None else "?"
        managed_by = f"the Compose service '{service}'"
    else:
        grammar = PODMAN_RUN_FLAGS if inv.program == "podman" else RUN_FLAGS
        args = parse_args(inv.args, grammar, RUN_SHORT)
        if args.image is None and not args.opaque:
            return None
        image = args.image.lstr() if args.image is not None else None
    f: dict[str, Any] = {}
    apply_flags(args.flags, f)
    if inv.grammar != "compose" and args.command:
        f["command"] = [a.lstr() for a in args.command]
    label = " ".join(w.text for w in inv.name_words)
    name = LStr(label, _span_of(inv.name_words))
    return Container(source=source, path=path, name=name, span=cmd.span, image=image, managed_by=managed_by, **f)


def built_image(inv: Invocation, cmd: Command, path: str, bases: Sequence[str]) -> BuiltImage | None:
    """The image a build line names (``-t``), with its Dockerfile as seen from each of ``bases``
    (the directories the line may run in); None without a literal name, unless the line names
    its Dockerfile (``-f``): that file is what Docker runs, whatever its name, so the scan
    lints it (``tags`` is then empty). ``dockerfiles`` is empty when the Dockerfile is not a
    local file known statically: the line still produces its named images (DF106/DC118 do
    not call them pulled)."""
    build = _BuildArgs(inv.args)
    tags = [t for t in build.tags if t.value and "$" not in t.value]
    operands = build.operands
    if (not tags and build.dockerfile is None) or not bases or (build.readable and len(operands) != 1):
        return None  # no name nor -f; a line inside an image (no host directory); not a build docker runs
    context = operands[0].text if len(operands) == 1 and build.readable else ""
    file_name = build.dockerfile.text if build.dockerfile is not None else None
    if (
        "$" in context
        or _REMOTE_BUILD_CONTEXT.match(context)
        or not context
        or (file_name is not None and ("$" in file_name or file_name in ("-", "")))
    ):
        bases = ()  # the Dockerfile is not a local file known statically
    if not tags and not bases:
        return None  # only a -f that names no local file: nothing to build on
    found: list[str] = []
    for base in bases:
        # -f is relative to the directory the command runs in; the default, to the context.
        relative = file_name if file_name is not None else os.path.join(context, "Dockerfile")
        full = os.path.normpath(os.path.join(base, relative)).replace(os.sep, "/")
        if full not in found:
            found.append(full)
    target = build.target
    return BuiltImage(
        path=path, span=cmd.span, tags=tags, dockerfiles=found, target=target.lstr() if target is not None else None
    )


class _BuildArgs:
    """The arguments of a build line (``docker build``, ``buildx build``) that say what it
    builds: the tags (``-t``), the Dockerfile (``-f``), the target stage, the operands (the
    context), and whether they are all known (no expansion where options or the context go)."""

    __slots__ = ("dockerfile", "operands", "readable", "tags", "target")

    def __init__(self, args: Sequence[Word]) -> None:
        self.tags: list[LStr] = []
        self.dockerfile: Val | None = None
        self.target: Val | None = None
        self.operands: list[Val] = []
        self.readable = True
        n = len(args)
        i = 0
        while i < n:
            w = args[i]
            text = w.text
            if w.value is None and not text.startswith("-"):
                # An expansion where options or the context go: which Dockerfile is not known.
                self.readable = False
                i += 1
            elif text == "--":
                self.operands.extend(word_val(a) for a in args[i + 1 :])
                break
            elif not text.startswith("-") or text == "-":
                self.operands.append(word_val(w))
                i += 1
            else:
                i = self.option(args, i)

    def option(self, args: Sequence[Word], i: int) -> int:
        """Read the option at ``args[i]`` (with its value in the next word when it takes one
        and is not written ``--x=v`` / ``-xv``); the index after it."""
        w = args[i]
        text = w.text
        n = len(args)
        value: Val | None = None
        if text.startswith("--"):
            name, eq, _ = text[2:].partition("=")
            if eq:
                value = _part(w, 3 + len(name))
            elif name in BUILD_VALUE_FLAGS and i + 1 < n:
                value = word_val(args[i + 1])
                i += 1
        else:
            name = BUILD_SHORT.get(text[1], "")
            if name in BUILD_VALUE_FLAGS:
                if len(text) > 2:
                    value = _part(w, 3 if text[2] == "=" else 2)
                elif i + 1 < n:
                    value = word_val(args[i + 1])
                    i += 1
        if value is None or value.literal is False:
            return i + 1
        if name == "tag":
            self.tags.append(value.lstr())
        elif name == "file":
            self.dockerfile = value
        elif name == "target":
            self.target = value
        return i + 1


def client_env_of(c: Container, seen: set[tuple[Any, ...]] | None = None) -> ClientEnv | None:
    """The client settings a container's environment gives the programs in it (as for Compose)."""
    variables = {v.name.value: v for v in c.environment if v.name.value.startswith("DOCKER_")}
    if not CLIENT_VARS.intersection(variables):
        return None
    if seen is not None:
        key = env_key(variables)
        if key in seen:
            return None
        seen.add(key)
    return ClientEnv(path=c.path, scope=c.label, span=c.name.span, variables=variables)


def env_key(variables: dict[str, EnvVar]) -> tuple[Any, ...]:
    return tuple(
        sorted(
            (name, v.span.path, v.span.line, v.span.col, None if v.value is None else v.value.value)
            for name, v in variables.items()
        )
    )


# -- walking scripts -------------------------------------------------------------------------------


class Walker:
    """Collects the containers and client settings of the shell scripts of one file.

    ``source`` is the Container.source of what it finds ("script", "makefile", "github",
    "gitlab", "dockerfile"). Call :meth:`script` for each script of a scope, in the order they
    run, carrying the environment it returns; then :meth:`judge_env` at the end of the scope.
    """

    def __init__(self, path: str, source: str) -> None:
        self.path = path
        self.source = source
        # The directories a build line's relative paths may start from, as display paths:
        # make runs recipes in the Makefile's folder; CI jobs run in the repository (the
        # scan's directory); a script is run from its folder or from the top of the tree.
        # In a Dockerfile RUN the paths are inside the image: no local Dockerfile.
        folder = os.path.dirname(path) or "."
        self.bases: tuple[str, ...] = {
            "makefile": (folder,),
            "github": (".",),
            "gitlab": (".",),
            "dockerfile": (),
        }.get(source, (folder, "."))
        self.models: list[Any] = []
        self.seen_env: set[tuple[Any, ...]] = set()
        self.seen_commands: set[tuple[int, int, int, int]] = set()
        # Assignments written to $GITHUB_ENV (``echo "NAME=value" >> "$GITHUB_ENV"``): the
        # environment of the later steps of the job.
        self.exported: dict[str, EnvVar] = {}

    def script(self, script: Script, env: dict[str, EnvVar], scope: str) -> dict[str, EnvVar]:
        """Walk ``script`` with the client settings ``env`` in force; the settings at its end."""
        env = dict(env)
        for step in script.walk():
            cmd = step.command
            if cmd.kind == "simple":
                self.command(cmd, env, scope)
        return env

    def judge_env(self, env: dict[str, EnvVar], scope: str, span: Span) -> None:
        """Report the client settings ``env`` (once per distinct set)."""
        variables = {k: v for k, v in env.items() if k in CLIENT_VARS}
        if not variables:
            return
        key = env_key(variables)
        host = variables.get("DOCKER_HOST")
        # One judgement per DOCKER_HOST setting and scope: where it is first used.
        first_use = (scope, host.span.line, host.span.col) if host is not None else key
        if key in self.seen_env or first_use in self.seen_env:
            return
        self.seen_env.add(key)
        self.seen_env.add(first_use)
        self.models.append(ClientEnv(path=self.path, scope=scope, span=span, variables=variables))

    def add_container(self, c: Container) -> None:
        self.models.append(c)
        env = client_env_of(c, self.seen_env)
        if env is not None:
            self.models.append(env)

    def command(self, cmd: Command, env: dict[str, EnvVar], scope: str) -> None:
        """Follow what simple command ``cmd`` does to the client settings ``env``, and read
        the container or image of a docker line."""
        name = cmd.name
        if not cmd.words:
            _assign(cmd.assignments, env)
        elif name is None:
            return
        elif name in ("export", "declare", "typeset", "local", "readonly"):
            _declare(name, cmd.args, env)
        elif name == "unset":
            for a in cmd.args:
                env.pop(a.text, None)
        elif name in ("echo", "printf") and any(
            r.writes and r.target is not None and "GITHUB_ENV" in r.target.text for r in cmd.redirects
        ):
            _assign(cmd.args, self.exported)
        elif name in _PROGRAMS:
            self.program(cmd, name, env, scope)

    def program(self, cmd: Command, name: str, env: dict[str, EnvVar], scope: str) -> None:
        """A program dockerlint follows (``docker``, ``podman``, ``docker-compose`` ...) at
        ``cmd``: its client settings judged, its container or built image read (once per
        command: a command met again, in a script read twice, is not)."""
        inv = invocation(cmd)
        if name in DOCKER_CLIENTS:
            local = dict(env)
            # VAR=value before the command, and after ``env``/``sudo`` (wrapper words).
            _assign((*cmd.assignments, *cmd.words[: max(cmd.name_index, 0)]), local)
            self._client_flags(cmd, local)
            self.judge_env(local, scope, cmd.span)
        if inv is None:
            return
        s = cmd.span
        key = (s.line, s.col, s.end_line, s.end_col)
        if key in self.seen_commands:
            return
        self.seen_commands.add(key)
        if inv.grammar == "build":
            image = built_image(inv, cmd, self.path, self.bases)
            if image is not None:
                self.models.append(image)
            return
        c = container(inv, cmd, self.source, self.path)
        if c is not None:
            self.add_container(c)

    def _client_flags(self, cmd: Command, env: dict[str, EnvVar]) -> None:
        """``docker -H tcp://… --tlsverify``: the endpoint settings given as flags."""
        spec = _PROGRAMS.get(cmd.name or "")
        if spec is None:
            return
        inv = Invocation(cmd.name or "", "", [], [])
        _global_options(cmd.words, cmd.name_index + 1, spec, inv)
        if inv.host is not None:
            flag, value = inv.host
            env["DOCKER_HOST"] = EnvVar(name=LStr("DOCKER_HOST", flag.span), value=value.lstr(), span=value.span)
        for attr, var in (("tlsverify", "DOCKER_TLS_VERIFY"), ("tls", "DOCKER_TLS")):
            w = getattr(inv, attr)
            if w is not None:
                env[var] = EnvVar(name=LStr(var, w.span), value=LStr("1", w.span), span=w.span)


def _assign(words: Iterable[Word], env: dict[str, EnvVar]) -> None:
    """The client settings among the assignment words ``words`` (``NAME=value``) into ``env``."""
    for a in words:
        var = assignment(word_val(a))
        if var is not None and var.name.value in CLIENT_VARS:
            env[var.name.value] = var


def _declare(name: str, args: Sequence[Word], env: dict[str, EnvVar]) -> None:
    """``export``/``declare``/... ``NAME=value``: client settings set; ``export -n NAME``
    takes one out of the environment."""
    unexport = any(a.text.startswith("-") and "n" in a.text for a in args if name == "export")
    for a in args:
        if a.text.startswith("-"):
            continue
        var = assignment(word_val(a))
        if var is not None and var.name.value in CLIENT_VARS:
            env[var.name.value] = var
        elif unexport and a.text in env:
            env.pop(a.text, None)


def assignment(v: Val) -> EnvVar | None:
    """``NAME=value`` (an assignment word, an ``export`` argument) as an environment variable."""
    m = _ASSIGNMENT.match(v.text)
    if m is None:
        return None
    name = m.group(1)
    n = len(name)
    value = v.lstr(n + 1) if len(v.text) > n + 1 else LStr("", v.span)
    return EnvVar(name=LStr(name, v.sub(0, n)), value=value, span=v.span)


def relevant(text: str) -> bool:
    """Whether ``text`` may hold a command line or client setting (cheap test before parsing)."""
    return RELEVANT.search(text) is not None


def options_container(words: Sequence[Word], f: dict[str, Any]) -> None:
    """The flags of a ``docker create`` option string (a GitHub job's ``options:``) into ``f``."""
    args = parse_args(words, RUN_FLAGS, RUN_SHORT, stop_at_operand=False)
    apply_flags(args.flags, f)


def literal_words(argv: Sequence[str], path: str = "<argv>", line: int = 1) -> list[Word]:
    """Words for an argument vector that no shell reads (exec form): each located as if the
    words were written on one line separated by single spaces."""
    out: list[Word] = []
    col = 1
    for arg in argv:
        end = col + max(len(arg), 1)
        out.append(
            Word(raw=arg, value=arg, text=arg, span=Span(path, line, col, line, end), quoted=False, substitutions=())
        )
        col = end + 1
    return out


def container_from_argv(argv: Sequence[str], source: str = "cli", path: str = "<argv>") -> Container | None:
    """The container of an argument vector (``["docker", "run", ...]``), without a shell."""
    from dockerlint.models.shell import unwrap

    words = literal_words(argv, path)
    if not words:
        return None
    index, _ = unwrap(words)
    value = words[index].value if index >= 0 else None
    cmd = Command(
        kind="simple",
        words=tuple(words),
        assignments=(),
        redirects=(),
        span=_span_of(words),
        name=basename(value) if value is not None else None,
        name_index=index,
        body=(),
    )
    inv = invocation(cmd)
    return container(inv, cmd, source, path) if inv is not None else None
