"""The shell-command model: scripts of pipelines of commands of words, every piece located.

One model for every place a shell command is written: a Dockerfile ``RUN`` (shell form,
the ``-c`` string of the exec form, heredoc bodies), and later shell scripts, Makefile
recipes and CI ``run:`` blocks. ``parsers/shell.py`` builds it; rules read it.

* :class:`Word`: one shell word. ``raw`` as written, ``value`` with quotes and escapes
  removed (None when the word holds an expansion: ``$VAR``, ``${...}``, ``$(...)``,
  backticks, ``$((...))``), ``text`` with quotes removed but expansions kept as written,
  and the scripts of the command/process substitutions inside it.
* :class:`Redirect`: ``>``, ``>>``, ``2>&1``, ``<<EOF`` (the heredoc body belongs to the
  command; parsed as a script when the command is a shell reading it), ``<<<``...
* :class:`Command`: a simple command (assignments, words, redirects) or a compound one
  (``if``, loops, ``case``, ``( )``, ``{ }``, functions) whose parts are in ``body``.
  ``name`` is the basename of the command that really runs, past wrappers such as
  ``sudo``, ``env``, ``xargs`` (see :func:`unwrap`); the wrappers stay in ``words``.
* :class:`Pipeline`: commands joined by ``|``/``|&``, and the operator that follows it.
* :class:`Script`: the pipelines of a text; :meth:`Script.walk` visits every command,
  nested ones included (substitutions, heredoc scripts, ``sh -c`` strings, compound
  bodies), each with its pipeline.

Collections are tuples: the models are values, shared freely and never mutated.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from dockerlint.models.base import LStr, Span, model


@model
class Substitution:
    """A command or process substitution inside a word: ``$(...)``, backticks, ``<(...)``."""

    kind: str  # "$(", "`", "<(", ">("
    script: Script
    span: Span  # from ``$(`` to ``)`` included


@model
class Word:
    """One shell word."""

    raw: str  # as written (line continuations removed)
    value: str | None  # quotes and escapes removed; None when it holds an expansion
    text: str  # quotes and escapes removed, expansions kept as written
    span: Span
    quoted: bool = False  # some part of it is quoted or escaped
    substitutions: tuple[Substitution, ...] = ()

    @property
    def literal(self) -> bool:
        return self.value is not None


@model
class Redirect:
    """A redirection; for a heredoc, the body that the command reads."""

    op: str  # ">", ">>", ">|", "<", "<>", ">&", "<&", "&>", "&>>", "<<", "<<-", "<<<"
    fd: int | None = None  # the explicit descriptor: 2 in ``2>&1``
    target: Word | None = None  # file, descriptor word, here-string, or heredoc delimiter
    span: Span  # the operator and its target
    body: str | None = None  # heredoc body as read (``<<-``: leading tabs removed)
    body_span: Span | None = None  # from the first body line to the end of the last one
    # Each non-empty body line as read (``<<-``: tabs removed), located; for a body read as a
    # script (``bash <<EOF``: its commands are in ``script``) only in the outermost script, so
    # heredocs nested in heredocs cost linear memory.
    body_lines: tuple[LStr, ...] = ()
    script: Script | None = None  # the body parsed, when the command is a shell reading it

    @property
    def is_heredoc(self) -> bool:
        return self.op in ("<<", "<<-")

    @property
    def writes(self) -> bool:
        """Writes its target file (``>``, ``>>``, ``&>``...; not ``>&2``)."""
        return self.op in (">", ">>", ">|", "&>", "&>>", "<>")


@model
class Command:
    """A simple command, or a compound one whose parts are in ``body``."""

    kind: str = "simple"  # "simple", "subshell", "group", "if", "for", "while", "until", "case", "function"
    words: tuple[Word, ...] = ()  # simple: the command and its arguments; for/case: the item words
    assignments: tuple[Word, ...] = ()  # ``FOO=bar`` before the command
    redirects: tuple[Redirect, ...] = ()
    span: Span
    name: str | None = None  # basename of the command that runs, past wrappers (``sudo``...)
    name_index: int = -1  # index in ``words`` of that command word; -1 when there is none
    # Scripts this command runs itself: the parts of a compound command (condition, then,
    # else...), the string of ``sh -c '...'`` / ``su -c`` / ``eval``.
    body: tuple[Script, ...] = ()

    @property
    def command_word(self) -> Word | None:
        return self.words[self.name_index] if self.name_index >= 0 else None

    @property
    def args(self) -> tuple[Word, ...]:
        """The arguments of the command that runs (after ``name``)."""
        return self.words[self.name_index + 1 :] if self.name_index >= 0 else ()

    @property
    def wrappers(self) -> list[Word]:
        """The wrapper command words before the real command (``sudo``, ``env``...)."""
        if self.name_index <= 0:
            return []
        return [self.words[i] for i in unwrap(self.words)[1]]

    def all_words(self) -> Iterator[Word]:
        """Assignments, words and redirect targets, in that order."""
        yield from self.assignments
        yield from self.words
        for r in self.redirects:
            if r.target is not None:
                yield r.target


@model
class Pipeline:
    """Commands joined by ``|`` / ``|&``."""

    commands: tuple[Command, ...]
    operators: tuple[str, ...] = ()  # between consecutive commands: "|" or "|&"
    negated: bool = False  # ``! cmd``
    next_op: str | None = None  # what follows: "&&", "||", ";", "&", "\n"; None at the end
    span: Span


@model
class ShellIssue:
    """Something the parser had to guess about (an unterminated quote or heredoc...)."""

    message: str
    span: Span


@model
class Script:
    """A shell text: its pipelines, in order."""

    pipelines: tuple[Pipeline, ...] = ()
    span: Span | None = None  # None for an empty script
    # None: POSIX sh / bash source, parsed. Otherwise the program that runs the text
    # (``python3`` from a heredoc's shebang, ``powershell`` from a SHELL instruction);
    # such a text is not parsed and has no pipelines.
    interpreter: str | None = None
    issues: tuple[ShellIssue, ...] = ()

    def walk(self) -> Iterator[Step]:
        """Every command, nested ones included, in source order, with its pipeline."""
        yield from _walk(self, "")

    def walk_running(self) -> Iterator[Step]:
        """Like :meth:`walk`, without the commands that never run, as far as the text alone
        tells: after ``exit`` or ``exec COMMAND`` in the same list, after ``false &&`` /
        ``true ||``, in ``if false; then …`` (the ``else`` of ``if true``), in ``while false``
        / ``until true``, in a function that is not called after its definition (a called
        one's body is walked where it is first called). ``true``, ``:`` and ``false`` are the
        only commands whose status is known; any other may succeed or fail, so what follows it
        may run."""
        yield from _walk(self, "", running=True)

    def walk_pipelines(self) -> Iterator[Pipeline]:
        """Every pipeline, nested ones included."""
        seen: set[int] = set()
        for step in _walk(self, ""):
            if id(step.pipeline) not in seen:
                seen.add(id(step.pipeline))
                yield step.pipeline


class Step(NamedTuple):
    """A command met by :meth:`Script.walk`, with its context."""

    command: Command
    pipeline: Pipeline
    position: int  # of the command in the pipeline (0: first)
    via: str  # how it is nested: "" (top level), "$(", "`", "<(", ">(", "heredoc", "-c", "body"


def _walk(script: Script, via: str, *, running: bool = False) -> Iterator[Step]:
    # Depth first, in source order, with a stack of its own: no recursion, however deep the
    # scripts nest (one level of generators, not one per nested script).
    functions: _Functions | None = _Functions() if running else None
    stack = [_level(script, via, functions)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, Step):
            yield item
        else:
            stack.append(_level(*item, functions))


class _Functions:
    """The shell functions a running walk has met: a body runs where its name is called."""

    __slots__ = ("bodies", "called")

    def __init__(self) -> None:
        self.bodies: dict[str, tuple[Script, ...]] = {}
        self.called: set[str] = set()

    def parts(self, command: Command) -> Iterator[Script]:
        """The scripts ``command`` runs of its own: the parts that may run of a compound
        command; for a function definition none (it is recorded); for a call of a function
        defined before it, the function's body (walked once, at the first call)."""
        if command.kind == "function":
            if command.words and command.words[0].value:
                self.bodies[command.words[0].value] = command.body
            return
        name = command.words[0].value if command.kind == "simple" and command.words else None
        if name is not None and name in self.bodies and name not in self.called:
            self.called.add(name)
            yield from self.bodies[name]
        yield from _running_parts(command)


def _level(script: Script, via: str, functions: _Functions | None) -> Iterator[Step | tuple[Script, str]]:
    """The commands of one script, each followed by the scripts nested in it (to walk);
    ``functions`` for a walk of only what may run (:meth:`Script.walk_running`)."""
    for pipeline in _ran(script)[0] if functions is not None else script.pipelines:
        for index, command in enumerate(pipeline.commands):
            yield Step(command, pipeline, index, via)
            for inner in functions.parts(command) if functions is not None else command.body:
                yield inner, "-c" if command.kind == "simple" else (via or "body")
            for word in command.all_words():
                for sub in word.substitutions:
                    yield sub.script, sub.kind
            for r in command.redirects:
                if r.script is not None:
                    yield r.script, "heredoc"


# -- what runs ------------------------------------------------------------------------------

# Builtins whose exit status is known: POSIX true, false and the null utility ':'.
_STATUS = {"true": True, ":": True, "false": False}


def _ran(script: Script) -> tuple[list[Pipeline], bool | None]:
    """The pipelines of ``script`` that may run, and the status of the list when it is known
    (True: success; None: unknown, or the shell ends in it). POSIX "AND-OR Lists": after
    ``&&`` a pipeline runs when the previous status is zero, after ``||`` when it is not; a
    pipeline left out keeps the status. ``exit`` and ``exec COMMAND`` surely run end the shell
    (not when run in the background or in a pipeline of several commands: a subshell)."""
    ran: list[Pipeline] = []
    status: bool | None = True  # an empty list succeeds
    previous: str | None = None
    for pipeline in script.pipelines:
        if (previous == "&&" and status is False) or (previous == "||" and status is True):
            previous = pipeline.next_op
            continue
        # Surely run: after a separator, or after an operator whose condition is known met.
        surely = previous not in ("&&", "||") or status is (previous == "&&")
        ran.append(pipeline)
        status = _status(pipeline)
        if surely and pipeline.next_op != "&" and _ends_shell(pipeline):
            return ran, None
        previous = pipeline.next_op
    return ran, status


def _status(pipeline: Pipeline) -> bool | None:
    """A pipeline's exit status when the text tells it (its last command is true/:/false)."""
    last = pipeline.commands[-1] if pipeline.commands else None
    if last is None or last.kind != "simple" or not last.words:
        return None
    known = _STATUS.get(last.words[0].value or "")
    if known is None:
        return None
    return not known if pipeline.negated else known


def _ends_shell(pipeline: Pipeline) -> bool:
    if len(pipeline.commands) != 1:
        return False
    command = pipeline.commands[0]
    first = command.words[0].value if command.kind == "simple" and command.words else None
    return first == "exit" or (first == "exec" and command.name_index > 0)


def _running_parts(command: Command) -> Iterator[Script]:
    """The parts of ``command`` that may run: ``if`` skips a branch whose condition is known
    false (and every later one after a condition known true), ``while``/``until`` a body
    whose condition stops it at once."""
    parts = command.body
    if command.kind == "if":
        for k in range(0, len(parts), 2):
            condition = parts[k]
            yield condition
            if k + 1 == len(parts):
                return  # the else branch
            known = _ran(condition)[1]
            if known is not False:
                yield parts[k + 1]
            if known is True:
                return
        return
    if command.kind in ("while", "until") and len(parts) == 2:
        yield parts[0]
        if _ran(parts[0])[1] is not (command.kind == "until"):
            yield parts[1]
        return
    yield from parts


# Programs that read POSIX shell source (``sh -c``, ``bash <<EOF``, shebangs).
SHELLS = frozenset({"sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "busybox"})


# -- wrappers -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Wrapper:
    """The option grammar of an exec wrapper: a program that runs the command after its own
    options and operands (``WRAPPER [OPTIONS] [OPERANDS] COMMAND [ARG]...``)."""

    short: str = ""  # short options that take a value (the rest of the word, or the next word)
    long: frozenset[str] = frozenset()  # long options that take a value when not written --x=v
    operands: int = 0  # operands before the command (``timeout DURATION``, ``chroot NEWROOT``)
    # Options after which the wrapper runs no command (it queries, or acts on a process).
    stop: frozenset[str] = frozenset()
    assignments: bool = False  # NAME=VALUE words may come before the command (env, sudo)
    shell: frozenset[str] = frozenset()  # options whose value is a shell command (flock -c)
    # Options are read anywhere on the line (GNU getopt without '+'): an option word after
    # the command, without '--' before it, is the wrapper's (runuser refuses dockerd's -H).
    permutes: bool = False


def _w(
    short: str = "",
    long: str = "",
    operands: int = 0,
    stop: str = "",
    assignments: bool = False,
    shell: str = "",
    permutes: bool = False,
) -> Wrapper:
    return Wrapper(
        short,
        frozenset(long.split()),
        operands,
        frozenset(stop.split()),
        assignments,
        frozenset(shell.split()),
        permutes,
    )


# The one table of exec wrappers: the shell model reads past them to the command that runs
# (``Command.name``), and a systemd unit's command line is read past them to the daemon
# (:mod:`dockerlint.parsers.daemon_command`). From each program's manual (coreutils 9,
# util-linux 2.39, sudo 1.9, OpenDoas, gosu, su-exec, findutils, GNU time, tini, dumb-init).
WRAPPERS: dict[str, Wrapper] = {
    "env": _w("uCS", "--unset --chdir --split-string", assignments=True),
    "nice": _w("n", "--adjustment"),
    "nohup": _w(),
    "timeout": _w("ks", "--kill-after --signal", operands=1),
    "stdbuf": _w("ioe", "--input --output --error"),
    "chroot": _w("", "--userspec --groups", operands=1),
    "ionice": _w("cnpPu", "--class --classdata --pid --pgid --uid", stop="-p -P -u --pid --pgid --uid -h -V"),
    "chrt": _w(
        "TPD",
        "--sched-runtime --sched-period --sched-deadline",
        operands=1,
        stop="-p --pid -m --max -h --help -V --version",
    ),
    "taskset": _w("", "", operands=1, stop="-p --pid -h --help -V --version"),
    "setsid": _w(stop="-h -V"),
    "setpriv": _w(
        "",
        "--ruid --euid --rgid --egid --reuid --regid --groups --inh-caps --ambient-caps "
        "--bounding-set --securebits --pdeathsig --selinux-label --apparmor-profile "
        "--landlock-access --landlock-rule --seccomp-filter",
        stop="-d --dump --list-caps -h -V",
    ),
    # flock FILE -c STRING runs a shell string (inline_target), not a command word.
    "flock": _w(
        "wEc", "--timeout --wait --conflict-exit-code --command", operands=1, shell="-c --command", stop="-h -V"
    ),
    # runuser -u refuses -c, -s, -f and --login ('-', -l): "mutually exclusive".
    "runuser": _w(
        "ugGcsw",
        "--user --group --supp-group --command --shell --whitelist-environment --session-command",
        stop="-h -V - -l --login -c --command --session-command -s --shell -f --fast",
        permutes=True,
    ),
    # -k (--reset-timestamp) with a command runs it, only without cached credentials.
    "sudo": _w(
        "aCcDghpRrtTUu",
        "--close-from --chdir --group --host --prompt --chroot --role --type --command-timeout --other-user --user",
        stop="-l --list -v --validate -K --remove-timestamp -e --edit -V -h",
        assignments=True,
    ),
    # -C CONFIG checks the configuration (and matches the command against it): nothing runs.
    "doas": _w("uC", stop="-L -C"),
    "gosu": _w(operands=1),
    "su-exec": _w(operands=1),
    "time": _w("fo", "--format --output"),
    "xargs": _w(
        "adEILlnPsi",
        "--arg-file --delimiter --eof --replace --max-lines --max-args --max-procs --max-chars --process-slot-var",
    ),
    "eatmydata": _w(),
    "fakeroot": _w("bils", "--lib --faked"),
    "unbuffer": _w(),
    "catchsegv": _w(),
    "proxychains": _w("f"),
    "proxychains4": _w("f"),
    "tini": _w("lpe"),
    "dumb-init": _w("r", "--rewrite"),
    # Shell builtins, in a shell string.
    "exec": _w("a"),
    "command": _w(stop="-v -V"),
    "builtin": _w(),
}
# Options every wrapper (GNU coreutils, util-linux, sudo, the shell builtins) answers by
# printing and exiting.
PRINT_AND_EXIT = frozenset({"--help", "--version"})
# ``xargs -i`` / ``-l`` take an optional value only when attached: no next word.
_ATTACHED_ONLY = {"xargs": "il"}


def basename(text: str) -> str:
    """``/usr/bin/sudo`` -> ``sudo``."""
    return text.rsplit("/", 1)[-1]


def unwrap(words: Sequence[Word]) -> tuple[int, list[int]]:
    """The index of the command that really runs, and the indexes of the wrappers before it.

    ``sudo -u app env FOO=1 nice -n 5 make`` -> (7, [0, 3, 5]). When a wrapper has no
    command after it (``sudo -v``, ``command -v curl``) the wrapper itself is the command.
    A word whose value is unknown (``$SUDO``) ends the search.
    """
    i, n = 0, len(words)
    wrappers: list[int] = []
    while i < n:
        value = words[i].value
        if value is None:
            return i, wrappers
        name = basename(value)
        spec = WRAPPERS.get(name)
        if spec is None:
            return i, wrappers
        j = _wrapped_command(words, i + 1, name, spec)
        if j < 0 or j >= n:
            return i, wrappers  # a query (command -v), or no command after the wrapper: it runs
        wrappers.append(i)
        i = j
    return (-1 if n == 0 else n - 1), wrappers


def _wrapped_command(words: Sequence[Word], j: int, name: str, spec: Wrapper) -> int:
    """Where the command that wrapper ``name`` runs starts: past its options (from word
    ``j``) and operands. -1 when the wrapper runs no command: a query (``command -v``, ``sudo
    -l``), or a shell string (``flock FILE -c STRING``: :func:`inline_target`)."""
    attached_only = _ATTACHED_ONLY.get(name, "")
    n = len(words)
    while j < n:
        v = words[j].value
        if v is None:
            break
        if v == "--":
            j += 1
            break
        if spec.assignments and "=" in v and not v.startswith("-"):
            j += 1  # env NAME=VALUE, sudo NAME=VALUE
            continue
        if name == "nice" and v[:1] == "-" and v[1:].isdigit():
            j += 1  # nice -10 cmd
            continue
        if v in spec.stop or v in spec.shell or v in PRINT_AND_EXIT:
            return -1
        if not v.startswith("-") or v == "-":
            break
        if v.startswith("--"):
            j += 2 if (v.partition("=")[0] in spec.long and "=" not in v) else 1
            continue
        j += 2 if _takes_next_word(v, spec.short, attached_only) else 1
    if spec.shell and j + spec.operands < n and words[j + spec.operands].value in spec.shell:
        return -1  # flock FILE -c STRING: a shell string (inline_target), no command word
    return j + spec.operands


def _takes_next_word(group: str, short_args: str, attached_only: str) -> bool:
    """Whether the group of short options ``group`` (``-xvf``) takes the next word as a value:
    a value-taking option ends the group; its value is the rest of the word or, when the rest
    is empty, the next word."""
    for k in range(1, len(group)):
        ch = group[k]
        if ch in attached_only:
            return False
        if ch in short_args:
            return k == len(group) - 1
    return False


# -- scripts in arguments -------------------------------------------------------------------

# Shell options that take the next word as their value (``bash -o pipefail -c …``).
SHELL_OPTS_WITH_ARG = frozenset({"-o", "+o", "-O", "+O", "--rcfile", "--init-file"})


def inline_target(words: Sequence[Word], name_index: int, name: str) -> int | None:
    """The index of the word holding a script the command runs (``sh -c STRING``), or None.

    Shells with ``-c`` (also grouped: ``-ec``, ``-xc``), ``su``/``runuser``/``flock`` ``-c STRING``,
    and ``eval STRING`` with a single argument.
    """
    n = len(words)
    j = name_index + 1
    if name in SHELLS:
        if name == "busybox":
            if j < n and words[j].value in ("sh", "ash"):
                j += 1
            else:
                return None
        has_c = False
        while j < n:
            v = words[j].value
            if v == "--":
                j += 1
                break
            if v is None or v == "-" or not v or v[0] not in "-+":
                break
            if v in SHELL_OPTS_WITH_ARG:
                j += 2
                continue
            if v[0] == "-" and not v.startswith("--") and "c" in v:
                has_c = True
            j += 1
        return j if has_c and j < n else None
    if name in ("su", "runuser", "flock"):
        while j < n:
            v = words[j].value
            if v in ("-c", "--command", "--session-command"):
                return j + 1 if j + 1 < n else None
            j += 1
        return None
    if name == "eval" and n == j + 1:
        return j
    return None
