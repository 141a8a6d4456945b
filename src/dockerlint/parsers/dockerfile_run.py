"""The shell commands of Dockerfile ``RUN`` instructions: what text the shell runs, and where.

BuildKit (``dockerfile2llb`` ``dispatchRun``) runs:

* shell form: the argument text (continuation lines joined) with the stage's ``SHELL``
  (``/bin/sh -c`` by default);
* exec form: the JSON strings as the command line, no shell; ``["sh", "-c", "..."]`` runs
  the string with a shell;
* a heredoc alone (``RUN <<EOT``): the body is the script, run by the shell, or executed
  as a file when it starts with a shebang (``#!/usr/bin/env python3``: not shell);
* anything else with heredocs (``RUN <<EOT bash``, ``RUN bash <<EOT``, ``RUN python3 <<EOF``,
  ``RUN cat <<EOF > /etc/x``): the command line, then each body and its terminator line,
  as one shell text: the shell gives each body to its command as standard input (a body
  that a shell reads becomes a nested script; ``python3``'s body stays data).

Every character of that text keeps its file position: the argument text through the
Dockerfile parser's offset map (continuation lines, dropped comment lines), the body lines
at their own lines. ``ONBUILD RUN`` is read the same way. A stage whose ``SHELL`` is not a
POSIX shell (``powershell``, ``cmd``; also the default of Windows base images) gets a
script with that ``interpreter`` and no commands.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from dockerlint.models.base import LStr, Span
from dockerlint.models.image import ImageBuild
from dockerlint.models.shell import SHELLS, Script, Word, basename
from dockerlint.parsers.dockerfile_syntax import extract_flags
from dockerlint.parsers.shell import IndexedLocator, TextLocator, exec_script, parse

if TYPE_CHECKING:
    from dockerlint.parsers.dockerfile_syntax import Ins as _Ins
    from dockerlint.parsers.dockerfile_syntax import Map as _Map
    from dockerlint.parsers.dockerfile_syntax import RunParser as _Parser

_JSON_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_WINDOWS_IMAGE_RE = re.compile(r"windows|servercore|nanoserver", re.IGNORECASE)
_HEX4_RE = re.compile(r"[0-9a-fA-F]{4}")
_EMPTY = Script(pipelines=(), span=None)


class _RunSource:
    """A RUN's ``Instruction._script`` until a rule reads it: calling it parses the script.
    It holds what the script is parsed from, not the lexed instruction (``_Ins``), whose
    other parts a kept build would keep alive with the model (and, as an object rather than
    a closure, no function and cells per RUN). ``words``: the instruction's words as the
    model has them (the same texts and spans); ``shell``: the stage's shell, None for the
    trigger of an ``ONBUILD RUN``."""

    __slots__ = ("args_a", "args_text", "heredocs", "json_form", "map", "scripts", "shell", "words")

    def __init__(self, scripts: RunScripts, raw: _Ins, words: Sequence[LStr], shell: str | None) -> None:
        self.scripts = scripts
        self.args_text = raw.args_text
        self.map = raw.map
        self.args_a = raw.args_a
        self.heredocs = raw.heredocs
        self.json_form = raw.json_form
        self.words = words
        self.shell = shell

    def __call__(self) -> Script | None:
        if self.shell is None:
            return self.scripts._onbuild_run(self)
        return self.scripts._run(self, 0, self.json_form, self.shell)


class RunScripts:
    """Gives each ``RUN`` its script; follows ``FROM``/``SHELL`` for the stage's shell.

    The Dockerfile parser calls :meth:`attach` for every instruction, in file order. The
    script is parsed when a rule first reads ``Instruction.script``.
    """

    def __init__(self, parser: _Parser) -> None:
        # What the scripts read of the parser, not the parser: the functions of the RUNs no
        # rule read yet keep this object, and a kept build (a Compose service's) would keep
        # every instruction's raw parse with it. The lines only for heredoc bodies.
        self.path = parser.path
        self.lines: list[str] = parser.lines
        self.heredoc_name = parser.heredoc_name
        self.heredocs = False  # a RUN with a heredoc was attached
        self.shell = "sh"  # basename of the current stage's shell
        self.stage_name: str | None = None
        self.stage_shells: dict[str, str] = {}

    def attach(self, raw: _Ins, words: Sequence[LStr]) -> Callable[[], Script | None] | None:
        """The function that parses the script of instruction ``raw`` (RUN, ONBUILD RUN; None
        for others), for its ``Instruction._script``; ``words``: the instruction's ``args``."""
        kw = raw.keyword
        if kw == "RUN":
            self.heredocs = self.heredocs or bool(raw.heredocs)
            return _RunSource(self, raw, words, self.shell)
        if kw == "ONBUILD" and raw.sub_keyword == "RUN":
            self.heredocs = self.heredocs or bool(raw.heredocs)
            return _RunSource(self, raw, words, None)
        if kw == "FROM":
            self._from(raw)
        elif kw == "SHELL" and raw.json_form and raw.bk_args:
            self.shell = _program(raw.bk_args[0])
        return None

    def done(self) -> None:
        """The file is parsed: forget what no RUN will read (the lines, without heredocs)."""
        if not self.heredocs:
            self.lines = []

    def _from(self, raw: _Ins) -> None:
        if self.stage_name is not None:
            self.stage_shells[self.stage_name] = self.shell
        image = raw.words[0][0].lower() if raw.words else ""
        inherited = self.stage_shells.get(image)
        self.shell = inherited or ("cmd" if _WINDOWS_IMAGE_RE.search(image) else "sh")
        words = raw.words
        self.stage_name = words[2][0].lower() if len(words) == 3 and words[1][0].lower() == "as" else None

    def _onbuild_run(self, raw: _RunSource) -> Script | None:
        text = raw.args_text
        end = len(text)
        k = 0
        while k < end and not text[k].isspace():
            k += 1  # the trigger keyword
        _, off = extract_flags(text, k, end)
        if off >= end:
            return _EMPTY
        # The trigger runs in the shell of the image built FROM this one: assume sh.
        return self._run(raw, off, text.startswith("[", off) and text.rstrip().endswith("]"), "sh")

    # -- RUN --

    def _run(self, raw: _RunSource, off: int, json_form: bool, shell: str) -> Script:
        if json_form:
            return self._exec(raw, off)
        if shell not in SHELLS:
            return Script(pipelines=(), span=None, interpreter=shell)
        text = raw.args_text[off:]
        if not text:
            return _EMPTY
        m = raw.map.shifted(raw.args_a + off)
        if not raw.heredocs:
            return parse(text, _KnownSpans(m, raw, off))
        try:
            alone = self.heredoc_name(text.strip()) is not None
        except ValueError:
            alone = False
        lines = self.lines
        if alone:
            h = raw.heredocs[0]
            body = lines[h.body_line - 1 : h.span.end_line - 1]
            if not body:
                return _EMPTY
            first = body[0].lstrip("\t") if h.strip_tabs else body[0]
            if first.startswith("#!"):
                program = _shebang(first)
                if program not in SHELLS:
                    return Script(pipelines=(), span=None, interpreter=program)
            source = "\n".join(body) + "\n"
            return parse(source, TextLocator(self.path, source, line=h.body_line))
        # The command line, then each body with its terminator line: one shell text.
        parts = [text, "\n"]
        starts, line_nos, cols = list(m.starts), list(m.lines), list(m.cols)
        pos = len(text) + 1
        for h in raw.heredocs:
            for no in range(h.body_line, h.span.end_line + 1):
                line = lines[no - 1]
                starts.append(pos)
                line_nos.append(no)
                cols.append(1)
                parts.append(line)
                parts.append("\n")
                pos += len(line) + 1
        return parse("".join(parts), _KnownSpans(type(m)(m.path, starts, line_nos, cols), raw, off))

    def _exec(self, raw: _RunSource, off: int) -> Script:
        """Exec form: one command of literal words; ``sh -c STRING`` parses the string."""
        text = raw.args_text
        m = raw.map.shifted(raw.args_a)
        tokens = [(t.start(), t.end()) for t in _JSON_STRING_RE.finditer(text, off)]
        if off == 0:
            values = [w.value for w in raw.words]
        else:  # ONBUILD RUN [...]: the trigger's JSON, after the keyword and flags
            import json

            try:
                decoded: Any = json.loads(text[off:])
            except ValueError:
                return _EMPTY
            if not isinstance(decoded, list) or not all(isinstance(v, str) for v in decoded):
                return _EMPTY
            values = decoded
        if len(tokens) != len(values) or not values:
            return _EMPTY
        words = [
            Word(raw=text[a:b], value=v, text=v, span=m.span(a, b), quoted=True) for v, (a, b) in zip(values, tokens)
        ]
        first, last = words[0].span, words[-1].span
        span = Span(path=first.path, line=first.line, col=first.col, end_line=last.end_line, end_col=last.end_col)

        def inline(i: int) -> Script | None:
            a, b = tokens[i]
            value = values[i]
            if not value:
                return None
            starts, ends = _json_offsets(text, a, b)
            if len(starts) != len(value):  # cannot happen for a valid token: point at it whole
                starts, ends = [a] * len(value), [b] * len(value)
            return parse(value, IndexedLocator(m, starts, ends))

        return exec_script(words, span, inline)


# RUN text worth parsing for command lines: a docker/podman/nerdctl word followed on the
# same command by run/create, or a client setting. Much tighter than the scripts' test:
# official images mention docker in nearly every RUN (docker-php-ext-install,
# docker-entrypoint.sh), and parsing those RUNs cost a third of a corpus run.
# (One pattern with "[^\n;&|]*?" between the two words tried every client word again up to
# the end of its piece: quadratic. textsearch.in_order reads each stretch once.)
_CLIENT_WORD = re.compile(r"\b(?:docker|podman|nerdctl)\b")
_RUN_WORD = re.compile(r"\b(?:run|create)\b")
_CLIENT_SETTING = re.compile(r"DOCKER_(?:HOST|TLS|CERT)")


def _relevant(text: str) -> bool:
    from dockerlint.util.textsearch import in_order

    return in_order(text, _CLIENT_WORD, _RUN_WORD, "\n;&|") or _CLIENT_SETTING.search(text) is not None


def run_containers(image: ImageBuild) -> list[Any]:
    """The containers of ``docker run`` lines in ``RUN`` instructions (a build that starts
    containers through a mounted socket or a dind daemon), and the Docker client settings
    those RUNs export. Only RUNs whose text names docker/podman/nerdctl are parsed for it."""
    walker: Any = None  # a cmdline.Walker, imported only for a RUN that names docker
    for ins in image.instructions:
        if ins.keyword not in ("RUN", "ONBUILD"):
            continue
        if not _relevant(ins.args_text) and not any(_relevant(h.body) for h in ins.heredocs):
            continue
        script = ins.script
        if script is None or not script.pipelines:
            continue
        if walker is None:
            from dockerlint.parsers.cmdline import Walker

            walker = Walker(image.path, "dockerfile")
        scope = f"RUN at line {ins.start_line}"
        end = walker.script(script, {}, scope)
        if end:
            walker.judge_env(end, scope, ins.keyword_span)
    return walker.models if walker is not None else []


class _KnownSpans:
    """A locator that hands out the spans the Dockerfile parser already made for the words of
    the instruction (most shell words are the same text), and asks ``m`` for the others.

    Sharing the (immutable) spans saves an object per word: the shell model of a long RUN
    would otherwise double the objects of its instruction.
    """

    __slots__ = ("known", "m")

    def __init__(self, m: _Map, raw: _RunSource, off: int) -> None:
        self.m = m
        known: dict[int, tuple[int, Span]] = {}
        text = raw.args_text
        pos = 0
        for w in raw.words:
            word, span = w.value, w.span
            x = text.find(word, pos)
            if x < 0:
                break
            pos = x + len(word)
            if x >= off:
                known[x - off] = (pos - off, span)
        self.known = known

    def span(self, a: int, b: int) -> Span:
        hit = self.known.get(a)
        if hit is not None and hit[0] == b:
            return hit[1]
        return self.m.span(a, b)


def _program(word: str) -> str:
    """``C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe`` -> ``powershell``."""
    name = basename(word.replace("\\", "/")).lower()
    return name.removesuffix(".exe")


def _shebang(line: str) -> str:
    """The program of a shebang line, past ``env`` and its options."""
    parts = line[2:].split()
    if not parts:
        return "sh"
    program = basename(parts[0])
    if program == "env":
        rest = [p for p in parts[1:] if not p.startswith("-") and "=" not in p]
        program = basename(rest[0]) if rest else "env"
    return program


def _json_offsets(text: str, a: int, b: int) -> tuple[list[int], list[int]]:
    """Where each decoded character of the JSON string token ``text[a:b]`` is written."""
    starts: list[int] = []
    ends: list[int] = []
    i = a + 1
    end = b - 1
    while i < end:
        starts.append(i)
        if text[i] != "\\":
            i += 1
        elif i + 1 < end and text[i + 1] == "u":
            code = int(text[i + 2 : i + 6], 16) if _HEX4_RE.fullmatch(text, i + 2, i + 6) else 0
            i += 6
            if (
                0xD800 <= code < 0xDC00
                and text.startswith("\\u", i)
                and _HEX4_RE.fullmatch(text, i + 2, i + 6)
                and 0xDC00 <= int(text[i + 2 : i + 6], 16) < 0xE000
            ):
                i += 6  # a surrogate pair: one character
        else:
            i += 2
        ends.append(min(i, end))
    return starts, ends
