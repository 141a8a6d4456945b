"""DF104 pipe-to-shell: downloaded code runs without being checked.

Fires when the output of a download (``curl`` writing to standard output, ``wget -O-``,
``fetch -o -``) is run by an interpreter in the same command line:

* piped into one that reads its program from standard input: ``curl … | sh``,
  ``curl … | sudo bash -s --``, ``wget -qO- … | python3``, ``curl … | php -- --install-dir``,
  also through pass-through filters (``| tee log | sh``, ``| gunzip | sh``);
* substituted into its program argument: ``sh -c "$(curl …)"``, ``eval "$(curl …)"``,
  ``python3 -c "$(curl …)"``, ``bash <<< "$(curl …)"``;
* given to it as the script file by process substitution: ``bash <(curl …)``,
  ``. <(curl …)``, ``source <(wget -O- …)``.

An interpreter that runs a file or a ``-c``/``-e`` program and only reads the download as
data (``curl … | python3 -c 'import json…'``, ``curl … | jq``, ``| tar xz``,
``| gpg --dearmor``) does not fire, nor does downloading to a file and checking it first.

Where it points: at the interpreter's command word (``sh`` in ``curl … | sh``), on the line
where it is written; the message names the download.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.knowledge.commands import STDIN, downloads_to_stdout
from dockerlint.models.image import ImageBuild
from dockerlint.models.shell import SHELLS, Command, Script, Step, Word, inline_target
from dockerlint.rules.image._shell import operands, options, run_scripts

# Prefilter on the RUN text (parsing is the expensive part): a download tool, and an
# interpreter after a pipe or a download inside $(…), `…`, <(…) or a here-string.
_INTERPRETER_NAMES = (
    r"(?:sh|bash|dash|ash|zsh|ksh|mksh|fish|busybox|python[0-9.]*|pypy[0-9.]*|perl|ruby|"
    r"php[0-9.]*|node|nodejs|lua|source|eval)"
)


def _mentions_tool(text: str) -> bool:
    return "curl" in text or "wget" in text or "fetch" in text


# Each a linear search (one pattern that skipped "NAME=value " prefixes after every "|" or
# "$(" was cubic on 4 KB without blanks); together they pass more texts than the exact
# shapes, never fewer: the rule decides on the parsed script.
_INTERPRETER_WORD = re.compile(_INTERPRETER_NAMES + r"\b")
_WRAPPERS = frozenset({"sudo", "env", "exec", "nice", "command", "doas"})
_OPENER = re.compile(r"<\(|\$\(|`|<<<")
_WORD = re.compile(r"\S+")  # what str.split() splits a text into
_EVAL = re.compile(r"\beval\b")


def _mentions(text: str) -> bool:
    """Prefilter: an interpreter somewhere after a pipe, a download tool after ``$(``,
    `````, ``<(`` or ``<<<``, or ``eval``."""
    if "|" in text and _interpreter_after_pipe(text):
        return True
    if _tool_after_opener(text):
        return True
    return "eval" in text and _EVAL.search(text) is not None  # the literal first: \b defeats the fast scan


def _interpreter_after_pipe(text: str) -> bool:
    """An interpreter as the command after a ``|`` (or ``|&``): after blanks, or after a
    wrapper (``sudo``, ``env``...) with its options and ``NAME=value`` words; its path may come
    before it (``/usr/bin/python3``). Each pipe reads at most :data:`_SCAN` characters: linear.
    (An interpreter name anywhere after the first pipe, "sh" inside "publish" or "install.sh"
    included, let most RUN lines with a pipe through: DF104 parsed 358 of the corpus's RUN
    lines for 10 that could fire.)"""
    pos = text.find("|")
    while pos >= 0:
        start, end = pos + 1, min(pos + 1 + _SCAN, len(text))  # the window read after this pipe
        pos = text.find("|", pos + 1)
        first = ""
        # The window's words one at a time (as str.split gives them): most pipes are told by
        # their first word, and splitting the whole window cost more than the rest.
        for i, m in enumerate(_WORD.finditer(text, start + 1 if text.startswith("&", start) else start, end)):
            w = m.group()
            if _INTERPRETER_WORD.match(w) or (
                w.startswith("/") and any(_INTERPRETER_WORD.match(w, j + 1) for j, c in enumerate(w) if c == "/")
            ):
                return True
            first = first or w
            if not (i == 0 and w in _WRAPPERS) and not (
                i > 0 and first in _WRAPPERS and (w.startswith("-") or "=" in w)
            ):
                break
        else:
            if end - start == _SCAN:
                return True  # the window ends before the command word could be told: admitted
    return False


_TOOLS = ("curl", "wget", "fetch")
_SCAN = 1024  # characters read after each opener; a longer run of NAME=value words is admitted


def _tool_after_opener(text: str) -> bool:
    """A download tool as the command of ``$(``, `````, ``<(`` or ``<<<``: after blanks,
    ``NAME=value`` words and ``sudo``. Each opener reads at most :data:`_SCAN` characters: linear.
    (A tool anywhere after the first opener let ~350 of the corpus's RUN lines through:
    ``arch="$(dpkg --print-architecture)"; … wget …``.)"""
    pos = 0
    while (opener := _OPENER.search(text, pos)) is not None:
        pos = opener.end()
        end = min(pos + _SCAN, len(text))  # the window read after this opener
        for m in _WORD.finditer(text, pos, end):  # one word at a time: most openers are told by the first
            w = m.group()
            tool = next((t for t in _TOOLS if w.startswith(t)), None)
            if tool is not None and (len(w) == len(tool) or not (w[len(tool)].isalnum() or w[len(tool)] == "_")):
                return True
            if "=" not in w and w != "sudo":
                break
        else:
            if end - pos == _SCAN:
                return True  # the window ends before a command word could be told: admitted
    return False


# Filters that pass the download on (possibly transformed) to the next command.
_PASS_THROUGH = frozenset(
    {
        "tee",
        "cat",
        "gunzip",
        "zcat",
        "bzcat",
        "xzcat",
        "unxz",
        "bunzip2",
        "gzip",
        "xz",
        "zstd",
        "unzstd",
        "base64",
        "sed",
        "tr",
        "dos2unix",
        "iconv",
    }
)


@functools.cache
def _python() -> re.Pattern[str]:
    return re.compile(r"python[0-9.]*|pypy[0-9.]*")


# Interpreter -> (options whose value is a program, short options that take a value)
_CODE_OPTIONS: dict[str, tuple[frozenset[str], str]] = {
    "python": (frozenset({"-c"}), "cmWX"),
    "perl": (frozenset({"-e", "-E"}), "eEIMx"),
    "ruby": (frozenset({"-e"}), "eIrCEF"),
    "node": (frozenset({"-e", "--eval", "-p", "--print"}), "epr"),
    "php": (frozenset({"-r", "-B", "-R", "-E"}), "rBREFcdz"),
    "lua": (frozenset({"-e"}), "el"),
}


def _family(name: str | None) -> str | None:
    """The interpreter family of a command name, or None when it is not an interpreter."""
    if name is None:
        return None
    if name in SHELLS or name == "fish":
        return "sh"
    if _python().fullmatch(name):
        return "python"
    if name in ("perl", "ruby", "php", "lua") or re.fullmatch(r"(?:php|lua|ruby|perl)[0-9.]+", name):
        return re.sub(r"[0-9.]+$", "", name)
    if name in ("node", "nodejs"):
        return "node"
    if name in ("source", "."):
        return "source"
    if name == "eval":
        return "eval"
    return None


def _program_words(cmd: Command, family: str) -> tuple[Word | None, list[Word]]:
    """The word holding an inline program (``-c STRING``) and the operands of ``cmd``."""
    args = cmd.args
    if family == "sh":
        target = inline_target(cmd.words, cmd.name_index, cmd.name or "")
        if target is not None:
            return cmd.words[target], []
        return None, operands(args, "oO", ("--rcfile", "--init-file"))
    if family == "eval":
        return None, list(args)
    if family == "source":
        return None, operands(args)
    code_opts, with_value = _CODE_OPTIONS[family]
    for o in options(args, with_value, ("--eval", "--print")):
        if o.name in code_opts:
            return o.value_word, []
        if family == "python" and o.name == "-m":
            return None, [o.word]  # a module runs: not standard input
    if family == "php":
        # php [options] [-- args]: the arguments after -- go to the script read from stdin
        cut = next((i for i, w in enumerate(args) if w.value == "--"), len(args))
        return None, operands(args[:cut], with_value)
    return None, operands(args, with_value)


def _reads_stdin_program(cmd: Command, family: str) -> bool:
    """The interpreter takes its program from standard input."""
    if family == "eval":
        return False
    program, ops = _program_words(cmd, family)
    if program is not None:
        return False
    if family == "sh" and any(
        w.value is not None and w.value.startswith("-") and "s" in w.value[1:] and not w.value.startswith("--")
        for w in cmd.args[:1]
    ):
        return True  # sh -s [args]
    if not ops:
        return family != "source"
    return ops[0].text in STDIN


def _download_in(script: Script) -> Command | None:
    """A download whose output is the output of ``script`` (the last command of a pipeline)."""
    for pipe in script.pipelines:
        cmds = pipe.commands
        k = len(cmds) - 1
        while k > 0 and cmds[k].name in _PASS_THROUGH:
            k -= 1
        if downloads_to_stdout(cmds[k]):
            return cmds[k]
    return None


def _substituted_download(words: Sequence[Word], kinds: tuple[str, ...]) -> Command | None:
    for word in words:
        for sub in word.substitutions:
            if sub.kind in kinds:
                found = _download_in(sub.script)
                if found is not None:
                    return found
    return None


def _finding(cmd: Command, download: Command, how: str) -> Hit:
    interpreter = cmd.command_word
    assert interpreter is not None
    tool = download.name
    line = download.span.line
    where = f" (line {line})" if line != interpreter.span.line else ""
    return Hit(
        interpreter.span,
        f"{how}: {tool}'s output{where} runs unchecked in {quote(interpreter.text)}; "
        "save it to a file, verify it, then run it",
        context=f"pipe-to-shell:{tool}:{cmd.name}",
    )


@rule(
    id="DF104",
    name="pipe-to-shell",
    reads=ImageBuild,
    severity=Severity.HIGH,
    summary="A download is piped or substituted into an interpreter and runs unchecked",
    cwe=(494,),
    cis=("4.11",),
    peers={},
    precision="high",
    tags=("security", "supply-chain"),
)
def pipe_to_shell(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for _, script in run_scripts(build, _mentions_tool, _mentions):
        seen: set[tuple[int, int]] = set()
        for step in script.walk():
            cmd = step.command
            family = _family(cmd.name)
            if family is None or cmd.command_word is None:
                continue
            key = (cmd.command_word.span.line, cmd.command_word.span.col)
            if key in seen:
                continue
            hit = _piped(step, family)
            if hit is None:
                hit = _substituted(cmd, family)
            if hit is not None:
                seen.add(key)
                yield hit


def _piped(step: Step, family: str) -> Hit | None:
    """``curl … | sh``: a download (through pass-through filters) piped into an interpreter
    that reads its program from standard input."""
    cmd = step.command
    if step.position == 0 or not _reads_stdin_program(cmd, family):
        return None
    cmds = step.pipeline.commands
    k = step.position - 1
    while k > 0 and cmds[k].name in _PASS_THROUGH:
        k -= 1
    if downloads_to_stdout(cmds[k]):
        return _finding(cmd, cmds[k], "download piped into an interpreter")
    return None


def _substituted(cmd: Command, family: str) -> Hit | None:
    """``sh -c "$(curl …)"``, ``eval "$(curl …)"``, ``bash <(curl …)``, ``bash < <(curl …)``,
    ``bash <<< "$(curl …)"``."""
    program, ops = _program_words(cmd, family)
    found = _substituted_download([program] if program is not None else (ops if family == "eval" else []), ("$(", "`"))
    if found is not None:
        return _finding(cmd, found, "download substituted into an interpreter's program")
    if ops and (found := _substituted_download(ops[:1], ("<(",))) is not None:
        return _finding(cmd, found, "download run as a script through process substitution")
    if not _reads_stdin_program(cmd, family):
        return None
    for r in cmd.redirects:
        if r.target is None or r.fd not in (None, 0):
            continue
        kinds = ("<(",) if r.op == "<" else ("$(", "`") if r.op == "<<<" else ()
        if kinds and (found := _substituted_download([r.target], kinds)) is not None:
            return _finding(cmd, found, "download redirected into an interpreter")
    return None
