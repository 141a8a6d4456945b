"""What a unit's command really runs: the Docker daemon behind exec wrappers and shells.

``ExecStart=/usr/bin/env dockerd -H tcp://0.0.0.0:2375`` and ``ExecStart=/bin/sh -c "exec
dockerd -H tcp://0.0.0.0:2375"`` run the daemon as surely as ``ExecStart=/usr/bin/dockerd
…``. :func:`daemon_words` goes past them to the words of the command that runs, each word
still pointing at where its characters are written (in the unit, or in the environment file a
variable came from), so the flags are read and reported at exact positions.

**Exec wrappers** (:data:`WRAPPERS`): programs whose synopsis is ``WRAPPER [OPTIONS]
[OPERANDS] COMMAND [ARG]...`` and that run COMMAND with its arguments unchanged (they exec
it, or run it as a child and wait), from their manuals: coreutils ``env`` (``-S`` splits its
string into arguments, as ``env`` does), ``nice``, ``nohup``, ``timeout``, ``stdbuf``,
``chroot``; util-linux ``ionice``, ``chrt``, ``taskset``, ``setsid``, ``setpriv``, ``flock``
and ``runuser -u``; ``sudo``, ``doas``, ``gosu``, ``su-exec``; and in a shell string the
builtins ``exec`` and ``command``. The options that make one of
them run no command (``ionice -p PID``, ``chrt -p``, ``taskset -p``, ``setpriv -d``, ``sudo
-l``...) end the search: the wrapper itself is what runs. Wrappers that change which
namespaces or limits apply with options of optional arguments (``unshare``, ``nsenter``,
``prlimit``, ``numactl``) are not followed.

**Shells**: ``sh``/``bash``/``dash``/… ``-c STRING``, ``su``/``runuser``/``flock`` ``-c
STRING``: the string is parsed by the shell reader (:mod:`dockerlint.parsers.shell`), and the
first command in it that runs the daemon (not a query such as ``dockerd --version``) is the
command, wherever it is in the script (``exec dockerd …``, ``dockerd … &``, after ``&&``).
The words after the string are ``$0``, ``$1``… of the script (``"$@"`` is read). A shell
expansion in the string (``$DOCKER_OPTS``) takes its value from the service's environment
when the scan knows it (``Environment=``, environment files), split at blanks as the shell
splits an unquoted expansion (no quote removal) or kept whole when quoted; an expansion
nothing in the scan gives is an unknown word (``Word.unknown``), and so is any other
expansion (``$(…)``, ``${X:-y}``, a word mixing text and an expansion).

Nesting (a shell in a shell) is followed :data:`MAX_DEPTH` levels deep.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dockerlint.models.base import LStr, Span, build

if TYPE_CHECKING:
    from dockerlint.models.shell import Word as ShellWord
    from dockerlint.parsers.systemd import Environment, EnvValue, Word

MAX_DEPTH = 4
SHELLS = frozenset({"sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "busybox"})
# dockerd options after which it runs no daemon: it prints and exits.
QUERIES = frozenset({"--version", "-v", "--help", "-h", "--validate"})
_NAME = re.compile(r"\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\}|([0-9])|\{([0-9]+)\}|(@))")
_SHELL_OPTS_WITH_ARG = frozenset({"-o", "+o", "-O", "+O", "--rcfile", "--init-file"})


@dataclass(frozen=True)
class Wrapper:
    """The option grammar of an exec wrapper."""

    short: str = ""  # short options that take a value (the rest of the word, or the next word)
    long: frozenset[str] = frozenset()  # long options that take a value when not written --x=v
    operands: int = 0  # operands before the command (``timeout DURATION``, ``chroot NEWROOT``)
    # Options after which the wrapper runs no command (it queries, or acts on a process).
    stop: frozenset[str] = frozenset()
    assignments: bool = False  # NAME=VALUE words may come before the command (env, sudo)
    shell: frozenset[str] = frozenset()  # options whose value is a shell command (flock -c)


def _w(short: str = "", long: str = "", operands: int = 0, stop: str = "", assignments: bool = False,
       shell: str = "") -> Wrapper:
    return Wrapper(short, frozenset(long.split()), operands, frozenset(stop.split()), assignments,
                   frozenset(shell.split()))


# From each program's manual (coreutils 9, util-linux 2.39, sudo 1.9, OpenDoas, gosu, su-exec).
WRAPPERS: dict[str, Wrapper] = {
    "env": _w("uCS", "--unset --chdir --split-string", assignments=True),
    "nice": _w("n", "--adjustment"),
    "nohup": _w(),
    "timeout": _w("ks", "--kill-after --signal", operands=1),
    "stdbuf": _w("ioe", "--input --output --error"),
    "chroot": _w("", "--userspec --groups", operands=1),
    "ionice": _w("cnpPu", "--class --classdata --pid --pgid --uid", stop="-p -P -u --pid --pgid --uid -h -V"),
    "chrt": _w("TPD", "--sched-runtime --sched-period --sched-deadline", operands=1,
               stop="-p --pid -m --max -h --help -V --version"),
    "taskset": _w("", "", operands=1, stop="-p --pid -h --help -V --version"),
    "setsid": _w(stop="-h -V"),
    "setpriv": _w("", "--ruid --euid --rgid --egid --reuid --regid --groups --inh-caps --ambient-caps "
                  "--bounding-set --securebits --pdeathsig --selinux-label --apparmor-profile "
                  "--landlock-access --landlock-rule --seccomp-filter", stop="-d --dump --list-caps -h -V"),
    "flock": _w("wEc", "--timeout --wait --conflict-exit-code --command", operands=1, shell="-c --command",
                stop="-h -V"),
    "runuser": _w("ugGcsw", "--user --group --supp-group --command --shell --whitelist-environment "
                  "--session-command", stop="-h -V"),
    # -k (--reset-timestamp) with a command runs it, only without cached credentials.
    "sudo": _w("aCcDghpRrtTUu", "--close-from --chdir --group --host --prompt --chroot --role --type "
               "--command-timeout --other-user --user", stop="-l --list -v --validate -K --remove-timestamp "
               "-e --edit -V -h", assignments=True),
    # -C CONFIG checks the configuration (and matches the command against it): nothing runs.
    "doas": _w("uC", stop="-L -C"),
    "gosu": _w(operands=1),
    "su-exec": _w(operands=1),
    # Shell builtins, in a shell string.
    "exec": _w("a"),
    "command": _w(stop="-v -V"),
}


def _derived(w: Word, idx: Sequence[int], value: str, *, unknown: bool = False, via: str | None = None) -> Word:
    """A word made of characters of ``w`` (``idx[k]``: the index in ``w.value`` of character
    ``k`` of ``value``), located where they are written."""
    from dockerlint.parsers.systemd import Word

    offsets = [w.offsets[k] for k in idx if k < len(w.offsets)] if w.offsets else []
    sources = [w.sources[k] for k in idx if k < len(w.sources)] if w.sources is not None else None
    if len(offsets) != len(value) or (sources is not None and len(sources) != len(value)):
        offsets, sources = [], None  # cannot be located character by character: the whole word
    start = offsets[0] if offsets else w.start
    end = offsets[-1] + 1 if offsets else w.end
    out = Word(value, start, end, offsets, LStr.make(value, w.lstr.span), w.source if offsets else None,
               w.via if via is None else via, sources, w.literal, unknown)
    if offsets:
        out.lstr = LStr.make(value, out.sub_span(0, len(value)))
    return out


def is_query(words: Sequence[Word]) -> bool:
    """Whether a daemon command only prints something and exits (``dockerd --version``)."""
    return any(w.value in QUERIES for w in words[1:])


RunsDaemon = Callable[[list["Word"]], bool]


@dataclass
class _Context:
    runs_daemon: RunsDaemon
    env: Environment | None
    unresolved: list[LStr] | None


def daemon_words(words: list[Word], runs_daemon: RunsDaemon, env: Environment | None = None,
                 unresolved: list[LStr] | None = None) -> tuple[list[Word], str]:
    """The words of the command ``words`` really runs, past exec wrappers and shell strings,
    and how it is reached (``"/bin/sh -c"``, ``"env, nice"``; "" when directly).

    ``runs_daemon(words)`` tells whether a command of a shell string runs the daemon (the first
    one that does, and is not a query, is the command). ``env``: the service's environment,
    for the expansions of a shell string (None: unknown, every expansion is an unknown word);
    ``unresolved`` gets the expansions the scan gives no value for."""
    out, through = _unwrap(words, _Context(runs_daemon, env, unresolved), 0)
    return out, ", ".join(through)


def _unwrap(words: list[Word], ctx: _Context, depth: int) -> tuple[list[Word], list[str]]:
    """The words of the command that runs, and the wrappers and shells on the way to it."""
    through: list[str] = []
    i = 0
    n = len(words)
    while i < n:
        w = words[i]
        if w.opaque:
            break
        name = w.value.rsplit("/", 1)[-1]
        script = _script_word(words, i, name)
        if script is not None:
            k, option = script
            if depth >= MAX_DEPTH or words[k].opaque:
                break
            found = _shell_command(words[k], words[k + 1:], ctx, depth + 1)
            if found is None:
                break
            inner, more = found
            return inner, [*through, f"{w.value} {option}", *more]
        spec = WRAPPERS.get(name)
        if spec is None or (name == "runuser" and not _runuser_user(words, i)):
            break  # runuser without -u runs a login shell (its -c is a shell string)
        j, spliced = _past_options(words, i, name, spec)
        if spliced is not None:  # env -S: its string split into arguments, read on
            words = words[:i + 1] + spliced
            n = len(words)
            j, _ = _past_options(words, i, name, spec)
        if j is None or j >= n:
            break  # no command after the wrapper: the wrapper itself runs
        through.append(w.value)
        i = j
    return words[i:], through


def _runuser_user(words: list[Word], i: int) -> bool:
    """``runuser -u USER`` (``--user``): run a command as USER, not a login shell."""
    for w in words[i + 1:]:
        v = w.value
        if w.opaque or v == "--" or not v.startswith("-"):
            return False
        if v in ("-u", "--user") or v.startswith("--user=") or (v.startswith("-u") and not v.startswith("--")):
            return True
    return False


def _script_word(words: list[Word], i: int, name: str) -> tuple[int, str] | None:
    """For a shell (or ``su``/``runuser``/``flock``) running a string: the index of the string
    and the option that gives it; None otherwise."""
    n = len(words)
    j = i + 1
    if name in SHELLS:
        if name == "busybox":
            if j < n and words[j].value in ("sh", "ash"):
                j += 1
            else:
                return None
        has_c = False
        while j < n:
            v = words[j].value
            if words[j].opaque:
                return None
            if v == "--":
                j += 1
                break
            if v == "-" or not v or v[0] not in "-+":
                break
            if v in _SHELL_OPTS_WITH_ARG:
                j += 2
                continue
            if v[0] == "-" and not v.startswith("--") and "c" in v:
                has_c = True
            # -o/-O in a group (``-eo pipefail``, ``-co``) take the next words as their names
            j += 1 + (v.count("o") + v.count("O") if not v.startswith("--") else 0)
        return (j, "-c") if has_c and j < n else None
    if name in ("su", "runuser", "flock"):
        if name == "runuser" and _runuser_user(words, i):
            return None  # runuser -u USER COMMAND: an exec wrapper
        options = ("-c", "--command", "--session-command")
        for k in range(j, n):
            v = words[k].value
            if v == "--" and name != "su":
                return None
            if v in options:
                return (k + 1, v) if k + 1 < n else None
            for o in options[1:]:
                if v.startswith(o + "="):
                    return None  # --command=STRING: the string is inside this word; not followed
        return None
    return None


def _past_options(words: list[Word], i: int, name: str, spec: Wrapper) -> tuple[int | None, list[Word] | None]:
    """The index of the command after wrapper ``words[i]`` (None: it runs none), and for
    ``env -S STRING`` the words of the string followed by the rest (the caller reads on)."""
    n = len(words)
    j = i + 1
    while j < n:
        w = words[j]
        v = w.value
        if w.opaque:
            return None, None
        if v in spec.stop or v in _PRINT_AND_EXIT or (v.startswith("--") and v.split("=", 1)[0] in spec.stop):
            return None, None
        if v == "--":
            j += 1
            break
        if spec.assignments and "=" in v and not v.startswith("-") and re.match(r"[A-Za-z_][A-Za-z0-9_]*=", v):
            j += 1
            continue
        if name == "nice" and v[:1] == "-" and v[1:].isdigit():
            j += 1  # nice -10 COMMAND
            continue
        if name in ("env", "runuser") and v == "-":
            j += 1  # env - COMMAND: -i; runuser -u USER - COMMAND: --login
            continue
        if not v.startswith("-") or v == "-":
            break
        if v.startswith("--"):
            opt, eq, _ = v.partition("=")
            if opt == "--split-string" and name == "env":
                if eq:
                    return j, _split_string(w, len(opt) + 1) + words[j + 1:]
                if j + 1 < n and not words[j + 1].opaque:
                    return j, _split_string(words[j + 1], 0) + words[j + 2:]
                return None, None
            if opt in spec.shell:
                return None, None
            j += 2 if (opt in spec.long and not eq) else 1
            continue
        # A group of short options: one taking a value ends the group; its value is the rest
        # of the word or, when the rest is empty, the next word.
        step = 1
        for k in range(1, len(v)):
            ch = v[k]
            if "-" + ch in spec.stop:
                return None, None
            if ch in spec.short:
                if "-" + ch in spec.shell:
                    return None, None
                if name == "env" and ch == "S":
                    if k + 1 < len(v):
                        return j, _split_string(w, k + 1) + words[j + 1:]
                    if j + 1 < n and not words[j + 1].opaque:
                        return j, _split_string(words[j + 1], 0) + words[j + 2:]
                    return None, None
                step = 2 if k == len(v) - 1 else 1
                break
        j += step
    j += _operands(words[i + 1:j], words[j:], name, spec)
    return (j if j < n else None), None


# Options every wrapper (GNU coreutils, util-linux, sudo, the shell builtins) answers by
# printing and exiting.
_PRINT_AND_EXIT = frozenset({"--help", "--version"})
# chrt's policies that take no priority: since util-linux 2.42 (pull request #3668) the
# priority operand may be left out for them (``chrt --other COMMAND``).
_CHRT_NO_PRIORITY = frozenset({"-o", "--other", "-b", "--batch", "-i", "--idle", "-d", "--deadline"})


def _operands(options: list[Word], rest: list[Word], name: str, spec: Wrapper) -> int:
    """How many operands come before the command (``chrt``'s priority is optional for the
    policies without one: a word that is not a number there is the command)."""
    if name != "chrt" or not rest or rest[0].value.isdigit():
        return spec.operands
    short = [o.value for o in options if o.value[:1] == "-" and o.value[:2] != "--"]
    policies = {o.value for o in options} | {"-" + ch for v in short for ch in v[1:]}
    return 0 if policies & _CHRT_NO_PRIORITY else spec.operands


def _split_string(w: Word, start: int) -> list[Word]:
    """``env -S STRING``: the arguments GNU env makes of ``w.value[start:]`` (blanks separate;
    ``'…'`` literal; ``"…"`` with ``\\"``, ``\\\\``, ``\\$``, ``\\_`` (a space) and C escapes;
    ``\\_`` outside quotes separates; a ``#`` starting an argument starts a comment; a
    ``${VAR}`` reference is an unknown word)."""
    text = w.value
    n = len(text)
    out: list[Word] = []
    i = start
    escapes = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", '"': '"', "\\": "\\", "$": "$",
               "#": "#", "'": "'"}
    while i < n:
        while i < n and text[i] in " \t\n\v\f\r":
            i += 1
        if i >= n or text[i] == "#":
            break
        chars: list[str] = []
        idx: list[int] = []
        quote = ""
        unknown = False
        while i < n:
            c = text[i]
            if quote == "'":
                if c == "'":
                    quote = ""
                else:
                    chars.append(c)
                    idx.append(i)
                i += 1
                continue
            if not quote and c in " \t\n\v\f\r":
                break
            if c in "'\"" and (not quote or c == quote):
                quote = "" if quote else c
                i += 1
                continue
            if c == "\\" and i + 1 < n:
                nxt = text[i + 1]
                if nxt == "_":
                    if not quote:
                        i += 2
                        break  # \_ outside quotes separates arguments
                    chars.append(" ")
                elif nxt == "c" and not quote:
                    i = n  # \c ends the string
                    break
                else:
                    chars.append(escapes.get(nxt, nxt))
                idx.append(i)
                i += 2
                continue
            if c == "$":
                unknown = True  # ${VAR}: env's own environment, not known here
            chars.append(c)
            idx.append(i)
            i += 1
        out.append(_derived(w, idx, "".join(chars), unknown=unknown))
    return out


# -- shell strings ----------------------------------------------------------------------------


class _Offsets:
    """A shell locator whose spans are offsets in the parsed text (``col`` is offset + 1), so
    each word of the script can be traced to the characters it is written with."""

    __slots__ = ()

    def span(self, a: int, b: int) -> Span:
        return build(Span, path="", line=1, col=a + 1, end_line=1, end_col=max(b, a + 1) + 1)


def _shell_command(script: Word, positional: list[Word], ctx: _Context,
                   depth: int) -> tuple[list[Word], list[str]] | None:
    """The words of the first command of the shell string ``script`` that runs the daemon, and
    the wrappers on the way to it."""
    from dockerlint.parsers.shell import parse as parse_shell

    text = script.value
    if "docker" not in text and "$" not in text:
        return None
    try:
        parsed = parse_shell(text, _Offsets())
    except RecursionError:
        return None
    for step in parsed.walk():
        cmd = step.command
        if cmd.kind != "simple" or not cmd.words:
            continue
        words: list[Word] = []
        for sw in cmd.words:
            words.extend(_from_shell(sw, script, positional, ctx))
        if not words:
            continue
        inner, through = _unwrap(words, ctx, depth)
        if inner and ctx.runs_daemon(inner) and not is_query(inner):
            return inner, through
    return None


def _align(value: str, raw: str) -> list[int] | None:
    """Where each character of a word's value is in its raw text (quotes and escapes skipped)."""
    out: list[int] = []
    q, n = 0, len(raw)
    for ch in value:
        while q < n and raw[q] != ch and raw[q] in "'\"\\\n":
            q += 1
        if q >= n or raw[q] != ch:
            return None
        out.append(q)
        q += 1
    return out


def _from_shell(sw: ShellWord, script: Word, positional: list[Word], ctx: _Context) -> list[Word]:
    """The argument words shell word ``sw`` of ``script`` gives, located in the unit."""
    a, b = sw.span.col - 1, sw.span.end_col - 1
    raw = script.value[a:b]
    if sw.value is not None:
        at = _align(sw.value, raw)
        if at is None:
            return [_derived(script, list(range(a, a + len(sw.value))), sw.value)]
        return [_derived(script, [a + k for k in at], sw.value)]
    quoted = raw.startswith('"') and raw.endswith('"') and len(raw) >= 2
    body = raw[1:-1] if quoted else raw
    m = _NAME.fullmatch(body)
    if m is None:  # $(...), ${X:-y}, text and an expansion in one word: known at run time only
        unknown = _derived(script, list(range(a, b)), sw.text, unknown=True)
        if ctx.env is not None and ctx.unresolved is not None:
            ctx.unresolved.append(unknown.lstr)
        return [unknown]
    if m.group(5):  # "$@": the positional parameters, each one word
        return list(positional[1:])
    digits = m.group(3) or m.group(4)
    if digits is not None:
        k = int(digits)
        return [positional[k]] if k < len(positional) else ([] if not quoted else [_derived(script, [], "")])
    name = m.group(1) or m.group(2)
    env = ctx.env
    lstr = LStr.make(sw.text, script.sub_span(a, b))
    if env is None:
        return [_derived(script, list(range(a, b)), sw.text, unknown=True)]
    value = env.values.get(name)
    if value is None:
        if env.unset(name):
            return [] if not quoted else [_derived(script, [], "")]
        if ctx.unresolved is not None:
            ctx.unresolved.append(lstr)
        return [_derived(script, list(range(a, b)), sw.text, unknown=True)]
    via = f"${name}, set at {value.where}"
    if quoted:
        return [_located(value.value, list(range(len(value.value))), value, via)]
    return split_shell_value(value, via)


def split_shell_value(value: EnvValue, via: str) -> list[Word]:
    """The words an unquoted ``$NAME`` gives in a shell: the value split at blanks (the
    default IFS), quotes kept as they are; each word located where it is written."""
    return [_located(piece.group(0), list(range(piece.start(), piece.end())), value, via)
            for piece in re.finditer(r"[^ \t\n]+", value.value)]


def _located(text: str, idx: list[int], value: EnvValue, via: str) -> Word:
    """A word of a variable's value."""
    from dockerlint.parsers.systemd import Word

    offsets = [value.offsets[k] for k in idx] if len(value.offsets) == len(value.value) else []
    if offsets:
        span = value.source.sub_span(offsets[0], offsets[-1] + 1)
        return Word(text, offsets[0], offsets[-1] + 1, offsets, LStr.make(text, span), value.source, via)
    return Word(text, 0, 0, [], LStr.make(text, value.span()), None, via)
