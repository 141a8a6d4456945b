"""What a unit's command really runs: the Docker daemon behind exec wrappers and shells.

``ExecStart=/usr/bin/env dockerd -H tcp://0.0.0.0:2375`` and ``ExecStart=/bin/sh -c "exec
dockerd -H tcp://0.0.0.0:2375"`` run the daemon as surely as ``ExecStart=/usr/bin/dockerd
…``. :func:`daemon_words` goes past them to the words of the command that runs, each word
still pointing at where its characters are written (in the unit, or in the environment file a
variable came from), so the flags are read and reported at exact positions.

**Exec wrappers** (:data:`dockerlint.models.shell.WRAPPERS`, the one table the shell model
reads past too): programs whose synopsis is ``WRAPPER [OPTIONS]
[OPERANDS] COMMAND [ARG]...`` and that run COMMAND with its arguments unchanged (they exec
it, or run it as a child and wait), from their manuals: coreutils ``env`` (``-S`` splits its
string into arguments, as ``env`` does), ``nice``, ``nohup``, ``timeout``, ``stdbuf``,
``chroot``; util-linux ``ionice``, ``chrt``, ``taskset``, ``setsid``, ``setpriv``, ``flock``
and ``runuser -u``; ``sudo``, ``doas``, ``gosu``, ``su-exec``; ``xargs``, ``time``,
``fakeroot``, ``tini``, ``dumb-init``…; and in a shell string the builtins ``exec`` and
``command``. The options that make one of
them run no command (``ionice -p PID``, ``chrt -p``, ``taskset -p``, ``setpriv -d``, ``sudo
-l``...) end the search: the wrapper itself is what runs. Wrappers that change which
namespaces or limits apply with options of optional arguments (``unshare``, ``nsenter``,
``prlimit``, ``numactl``) are not followed.

**Shells**: ``sh``/``bash``/``dash``/… ``-c STRING``, ``su``/``runuser``/``flock`` ``-c
STRING``: the string is parsed by the shell reader (:mod:`dockerlint.parsers.shell`), and the
first command in it that runs the daemon (not a query such as ``dockerd --version``) is the
command, wherever it is in the script (``exec dockerd …``, ``dockerd … &``, after ``&&``),
among the commands that may run (:meth:`dockerlint.models.shell.Script.walk_running`: not
after ``exit``, ``false &&``, in ``if false; then``…). The shells and their options that take
a value are :mod:`dockerlint.models.shell`'s.
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

from dockerlint.models.base import LStr, Span
from dockerlint.models.shell import PRINT_AND_EXIT, SHELL_OPTS_WITH_ARG, SHELLS, WRAPPERS, Wrapper
from dockerlint.parsers.unit_words import Environment, EnvValue, Word
from dockerlint.util.shellwords import align

if TYPE_CHECKING:
    from dockerlint.models.shell import Word as ShellWord

MAX_DEPTH = 4
# dockerd options after which it runs no daemon: it prints and exits.
QUERIES = frozenset({"--version", "-v", "--help", "-h", "--validate"})
_NAME = re.compile(r"\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\}|([0-9])|\{([0-9]+)\}|(@))")


# Programs (not shell builtins) that may run the daemon without being it: the exec wrappers,
# the shells, and su, which runs only a shell string (``su -c STRING``). A unit's command is
# read past them (:func:`daemon_words`) only when it starts with one.
PROGRAMS = (frozenset(WRAPPERS) - {"exec", "command", "builtin"}) | SHELLS | {"su"}


def _derived(w: Word, idx: Sequence[int], value: str, *, unknown: bool = False, via: str | None = None) -> Word:
    """A word made of characters of ``w`` (``idx[k]``: the index in ``w.value`` of character
    ``k`` of ``value``), located where they are written."""
    offsets = [w.offsets[k] for k in idx if k < len(w.offsets)] if w.offsets else []
    sources = [w.sources[k] for k in idx if k < len(w.sources)] if w.sources is not None else None
    if len(offsets) != len(value) or (sources is not None and len(sources) != len(value)):
        offsets, sources = [], None  # cannot be located character by character: the whole word
    start = offsets[0] if offsets else w.start
    end = offsets[-1] + 1 if offsets else w.end
    out = Word(
        value,
        start,
        end,
        offsets,
        LStr(value, w.lstr.span),
        w.source if offsets else None,
        w.via if via is None else via,
        sources,
        w.literal,
        unknown,
    )
    if offsets:
        out.lstr = LStr(value, out.sub_span(0, len(value)))
    return out


def is_query(words: Sequence[Word]) -> bool:
    """Whether a daemon command only prints something and exits (``dockerd --version``)."""
    return any(w.value in QUERIES for w in words[1:])


RunsDaemon = Callable[[list[Word]], bool]


@dataclass
class _Context:
    runs_daemon: RunsDaemon
    env: Environment | None
    unresolved: list[LStr] | None


def daemon_words(
    words: list[Word], runs_daemon: RunsDaemon, env: Environment | None = None, unresolved: list[LStr] | None = None
) -> tuple[list[Word], str]:
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
            found = _shell_command(words[k], words[k + 1 :], ctx, depth + 1)
            if found is None:
                break
            inner, more = found
            return inner, [*through, f"{w.value} {option}", *more]
        spec = WRAPPERS.get(name)
        if spec is None or (name == "runuser" and not _runuser_user(words, i)):
            break  # runuser without -u runs a login shell (its -c is a shell string)
        j, spliced = _past_options(words, i, name, spec)
        if spliced is not None:  # env -S: its string split into arguments, read on
            words = words[: i + 1] + spliced
            n = len(words)
            j, _ = _past_options(words, i, name, spec)
        if j is None or j >= n:
            break  # no command after the wrapper: the wrapper itself runs
        through.append(w.value)
        i = j
    return words[i:], through


def _runuser_user(words: list[Word], i: int) -> bool:
    """``runuser -u USER`` (``--user``): run a command as USER, not a login shell."""
    for w in words[i + 1 :]:
        v = w.value
        if w.opaque or v == "--" or not v.startswith("-"):
            return False
        if v in ("-u", "--user") or v.startswith("--user=") or (v.startswith("-u") and not v.startswith("--")):
            return True
    return False


def _script_word(words: list[Word], i: int, name: str) -> tuple[int, str] | None:
    """For a shell (or ``su``/``runuser``/``flock``) running a string: the index of the string
    and the option that gives it; None otherwise."""
    if name in SHELLS:
        return _shell_string(words, i + 1, name)
    if name in ("su", "runuser", "flock"):
        if name == "runuser" and _runuser_user(words, i):
            return None  # runuser -u USER COMMAND: an exec wrapper
        return _command_option(words, i + 1, name)
    return None


def _shell_string(words: list[Word], j: int, name: str) -> tuple[int, str] | None:
    """``sh [OPTIONS] -c STRING``: the index of STRING (``words[j]`` is the shell's first argument)."""
    n = len(words)
    if name == "busybox":
        if j >= n or words[j].value not in ("sh", "ash"):
            return None
        j += 1
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
        if v in SHELL_OPTS_WITH_ARG:
            j += 2
            continue
        if v.startswith("--"):
            j += 1
            continue
        has_c |= v[0] == "-" and "c" in v
        # -o/-O in a group (``-eo pipefail``, ``-co``) take the next words as their names
        j += 1 + v.count("o") + v.count("O")
    return (j, "-c") if has_c and j < n else None


def _command_option(words: list[Word], j: int, name: str) -> tuple[int, str] | None:
    """``su``/``runuser``/``flock`` ``-c STRING``: the index of STRING."""
    options = ("-c", "--command", "--session-command")
    for k in range(j, len(words)):
        v = words[k].value
        if v == "--" and name != "su":
            return None
        if v in options:
            return (k + 1, v) if k + 1 < len(words) else None
        if v.startswith(("--command=", "--session-command=")):
            return None  # --command=STRING: the string is inside this word; not followed
    return None


_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
# (step, None): the option and its value take ``step`` words; (None, words): ``env -S`` gave
# these words, to read on; (None, None): the wrapper runs no command.
_Step = tuple[int | None, list[Word] | None]


def _past_options(words: list[Word], i: int, name: str, spec: Wrapper) -> tuple[int | None, list[Word] | None]:
    """The index of the command after wrapper ``words[i]`` (None: it runs none), and for
    ``env -S STRING`` the words of the string followed by the rest (the caller reads on)."""
    n = len(words)
    j = i + 1
    while j < n:
        w = words[j]
        v = w.value
        if w.opaque or _stops(v, spec):
            return None, None
        if v == "--":
            j += 1
            break
        if _not_an_option(v, name, spec):
            j += 1
            continue
        if not v.startswith("-") or v == "-":
            break
        read = _long_option if v.startswith("--") else _short_options
        step, spliced = read(words, j, name, spec)
        if step is None:
            return (j, spliced) if spliced is not None else (None, None)
        j += step
    j += _operands(words[i + 1 : j], words[j:], name, spec)
    if spec.permutes and _options_after(words, j):
        return None, None  # the wrapper reads the command's options as its own, and refuses them
    return (j if j < n else None), None


def _options_after(words: list[Word], j: int) -> bool:
    """Whether an option word follows the command ``words[j]`` with no ``--`` before it."""
    return words[j - 1].value != "--" and any(w.value.startswith("-") and w.value != "-" for w in words[j + 1 :])


def _stops(v: str, spec: Wrapper) -> bool:
    """Whether option ``v`` makes the wrapper run no command."""
    return v in spec.stop or v in PRINT_AND_EXIT or (v.startswith("--") and v.split("=", 1)[0] in spec.stop)


def _not_an_option(v: str, name: str, spec: Wrapper) -> bool:
    """A word before the command that is no option: ``NAME=VALUE`` (env, sudo), ``nice -10``,
    ``env -`` (-i)."""
    if spec.assignments and _ASSIGNMENT.match(v):
        return True
    if name == "nice" and v[:1] == "-" and v[1:].isdigit():
        return True
    return name == "env" and v == "-"


def _long_option(words: list[Word], j: int, name: str, spec: Wrapper) -> _Step:
    opt, eq, _ = words[j].value.partition("=")
    if opt == "--split-string" and name == "env":
        return _split_option(words, j, len(opt) + 1, bool(eq))
    if opt in spec.shell:
        return None, None
    return (2 if (opt in spec.long and not eq) else 1), None


def _short_options(words: list[Word], j: int, name: str, spec: Wrapper) -> _Step:
    """A group of short options: one taking a value ends the group; its value is the rest of
    the word or, when the rest is empty, the next word."""
    v = words[j].value
    for k in range(1, len(v)):
        option = "-" + v[k]
        if option in spec.stop or option in spec.shell:
            return None, None
        if v[k] not in spec.short:
            continue
        if name == "env" and v[k] == "S":
            return _split_option(words, j, k + 1, k + 1 < len(v))
        return (2 if k == len(v) - 1 else 1), None
    return 1, None


def _split_option(words: list[Word], j: int, k: int, attached: bool) -> _Step:
    """``env -S STRING``: the words of STRING (from character ``k`` of ``words[j]`` when
    ``attached``, else the next word), followed by the words after it."""
    if attached:
        return None, _split_string(words[j], k) + words[j + 1 :]
    if j + 1 < len(words) and not words[j + 1].opaque:
        return None, _split_string(words[j + 1], 0) + words[j + 2 :]
    return None, None


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
    out: list[Word] = []
    i = start
    while i < len(text):
        while i < len(text) and text[i] in _ENV_BLANKS:
            i += 1
        if i >= len(text) or text[i] == "#":
            break
        chars: list[str] = []
        idx: list[int] = []
        i, unknown = _env_argument(text, i, chars, idx)
        out.append(_derived(w, idx, "".join(chars), unknown=unknown))
    return out


_ENV_BLANKS = " \t\n\v\f\r"
_ENV_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "f": "\f",
    "v": "\v",
    '"': '"',
    "\\": "\\",
    "$": "$",
    "#": "#",
    "'": "'",
}


def _env_argument(text: str, i: int, chars: list[str], idx: list[int]) -> tuple[int, bool]:
    """Read one argument of an ``env -S`` string from ``text[i]`` into ``chars`` (and the index
    of each in ``idx``): where reading stops, and whether it holds a ``${VAR}`` (unknown)."""
    n = len(text)
    quote = ""
    unknown = False
    while i < n:
        c = text[i]
        if quote == "'" and c != "'":
            chars.append(c)
            idx.append(i)
        elif not quote and c in _ENV_BLANKS:
            break
        elif c in "'\"" and (not quote or c == quote):
            quote = "" if quote else c
        elif c == "\\" and i + 1 < n:
            nxt = text[i + 1]
            if nxt in "_c" and not quote:
                return (i + 2 if nxt == "_" else n), unknown  # \_ separates arguments, \c ends the string
            chars.append(" " if nxt == "_" else _ENV_ESCAPES.get(nxt, nxt))
            idx.append(i)
            i += 1
        else:
            unknown |= c == "$"  # ${VAR}: env's own environment, not known here
            chars.append(c)
            idx.append(i)
        i += 1
    return i, unknown


# -- shell strings ----------------------------------------------------------------------------


class _Offsets:
    """A shell locator whose spans are offsets in the parsed text (``col`` is offset + 1), so
    each word of the script can be traced to the characters it is written with."""

    __slots__ = ()

    def span(self, a: int, b: int) -> Span:
        return Span(path="", line=1, col=a + 1, end_line=1, end_col=max(b, a + 1) + 1)


def _shell_command(
    script: Word, positional: list[Word], ctx: _Context, depth: int
) -> tuple[list[Word], list[str]] | None:
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
    for step in parsed.walk_running():  # not a command after exit, in ``if false``...
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


def _from_shell(sw: ShellWord, script: Word, positional: list[Word], ctx: _Context) -> list[Word]:
    """The argument words shell word ``sw`` of ``script`` gives, located in the unit."""
    a, b = sw.span.col - 1, sw.span.end_col - 1
    raw = script.value[a:b]
    if sw.value is not None:
        at = align(sw.value, raw)
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
    empty = [_derived(script, [], "")] if quoted else []  # "$X" of nothing: one empty word
    digits = m.group(3) or m.group(4)
    if digits is not None:
        k = int(digits)
        return [positional[k]] if k < len(positional) else empty
    written = _derived(script, list(range(a, b)), sw.text, unknown=True)
    return _variable(m.group(1) or m.group(2), quoted, empty, written, ctx)


def _variable(name: str, quoted: bool, empty: list[Word], written: Word, ctx: _Context) -> list[Word]:
    """The words ``$name`` (``"$name"`` when ``quoted``) of a shell string gives: from the
    service's environment; ``empty`` when it is unset; ``written`` (an unknown word) when the
    scan does not know it."""
    env = ctx.env
    if env is None:
        return [written]
    value = env.values.get(name)
    if value is None:
        if env.unset(name):
            return empty
        if ctx.unresolved is not None:
            ctx.unresolved.append(written.lstr)
        return [written]
    via = f"${name}, set at {value.where}"
    if quoted:
        return [_located(value.value, list(range(len(value.value))), value, via)]
    return split_shell_value(value, via)


def split_shell_value(value: EnvValue, via: str) -> list[Word]:
    """The words an unquoted ``$NAME`` gives in a shell: the value split at blanks (the
    default IFS), quotes kept as they are; each word located where it is written."""
    return [
        _located(piece.group(0), list(range(piece.start(), piece.end())), value, via)
        for piece in re.finditer(r"[^ \t\n]+", value.value)
    ]


def _located(text: str, idx: list[int], value: EnvValue, via: str) -> Word:
    """A word of a variable's value."""
    offsets = [value.offsets[k] for k in idx] if len(value.offsets) == len(value.value) else []
    if offsets:
        span = value.source.sub_span(offsets[0], offsets[-1] + 1)
        return Word(text, offsets[0], offsets[-1] + 1, offsets, LStr(text, span), value.source, via)
    return Word(text, 0, 0, [], LStr(text, value.span()), None, via)
