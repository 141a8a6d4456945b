"""Dockerfile parser: BuildKit's grammar, every value with its exact span.

The model must agree with BuildKit (``moby/buildkit`` ``frontend/dockerfile/parser``),
so this module follows BuildKit's line grammar step by step and computes every
position from the raw lines (1-based lines and columns counted in code points,
end exclusive). ``tests/test_dockerfile_oracle.py`` compares the result with
BuildKit's own parser (the ``dockerfile`` wheel) on the corpus and the fixtures.

Why not ``dockerfile_parse.DockerfileParser.structure``: it is line-based and has no
columns, and on real files it gets the instruction boundaries wrong:

* heredoc bodies (``RUN <<EOT`` ... ``EOT``, ``COPY <<EOF /dst``) become bogus
  instructions (``EOT``, ``HELLO`` ...);
* a blank line inside a continuation ends the instruction there (BuildKit skips it
  and goes on), so the next line becomes an instruction of its own;
* comment lines inside a continuation are reported before the instruction that
  contains them;
* a keyword without arguments on a last line without a newline (``RUN``) is dropped;
* ``\\\\`` at the end of a line is treated as a continuation (BuildKit: it is not);
* it has no notion of BuildKit's errors (unterminated heredoc, duplicate
  directives, invalid escape token, ...).

So the line grammar, flags, words and heredocs are lexed here. ``dockerfile-parse``
is right where quotes are all a value holds (no variable reference, no escape
character: ARG defaults, ``FROM "image"``, ``USER "app"``); there its
:class:`dockerfile_parse.util.WordSplitter` is the tests' oracle for :func:`_dequote`.

What is BuildKit's and where:

* lines: split at ``\\n``; trailing ``\\r`` trimmed; the first line of an instruction
  is left-trimmed (Go ``unicode.IsSpace``), continuation lines are not;
* parser directives (``syntax``, ``escape``, ``check``): only before the first
  instruction, comment or blank line; ``escape`` sets the continuation character;
* a line ending in the escape character (not preceded by another one, trailing
  blanks allowed) continues; comment lines and blank lines inside a continuation
  are dropped;
* ``--flags``: BuildKit's ``extractBuilderFlags`` (quotes and ``\\`` escapes);
* words: ``parseWords`` (ARG, ENV, LABEL and, for the model, RUN/CMD/USER ...) or
  whitespace splitting (FROM, COPY, ADD, EXPOSE, VOLUME), the JSON (exec) form;
* heredocs: detected on RUN/COPY/ADD (also under ONBUILD) in shell form by BuildKit's
  shell lexer, bodies read after the instruction's last line, ``<<-`` strips leading
  tabs of the terminator (and of the body, as BuildKit does when it uses it);
* errors raised as :class:`ParseError`: BuildKit's parse-time errors, and the errors
  of its instruction parsing that every build hits (unknown instruction, an
  instruction before the first FROM, wrong argument counts, unknown flags of
  RUN/COPY/ADD/FROM ...). Warnings (empty continuation lines, duplicate stage
  names) are not errors.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from typing import ClassVar

from dockerlint.models.base import LStr, Span
from dockerlint.models.image import ArgDef, Flag, Heredoc, ImageBuild, Instruction, KeyValue, Stage
from dockerlint.models.source import SourceFile
from dockerlint.parsers.dockerfile_run import RunScripts, run_containers
from dockerlint.parsers.dockerfile_syntax import SPACE as _SPACE
from dockerlint.parsers.dockerfile_syntax import SPACE_SET as _SPACE_SET
from dockerlint.parsers.dockerfile_syntax import Ins as _Ins
from dockerlint.parsers.dockerfile_syntax import Map as _Map
from dockerlint.parsers.dockerfile_syntax import extract_flags as _extract_flags
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.output import Comment, ParseOutput
from dockerlint.util.budget import Budget, LimitExceeded, record

_WORD_RE = re.compile("[^" + re.escape(_SPACE) + "]+")
# BuildKit's reWhitespace: the separator of FROM/COPY/ADD/EXPOSE/VOLUME words.
_WS_RUN_RE = re.compile(r"[\t\v\f\r ]+")
_WS_WORD_RE = re.compile(r"[^\t\v\f\r ]+")
_HEREDOC_RE = re.compile(r"([0-9]*)<<(-?)([^<]*)")
# A parser directive's name and "=" (BuildKit's reDirective; the value is cut by
# _directive_parts: "(.+?)[ \t]*" fully matched backtracks over every run of blanks).
_DIRECTIVE_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=")
_DIRECTIVE_BLANKS = "\t\n\f\r "
_JSON_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_STAGE_NAME_RE = re.compile(r"[a-z][a-z0-9\-_.]*")
_LEADING_TABS_RE = re.compile(r"^\t+", re.MULTILINE)

KNOWN_INSTRUCTIONS = frozenset(
    {
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)
_DIRECTIVES = frozenset({"syntax", "escape", "check"})
# A keyword as written -> the model's keyword (one string per keyword, not one per instruction
# of every Dockerfile kept; filled as keywords are met, bounded by the known keywords).
_KEYWORD_OF: dict[str, str] = {}
_HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})
_MAYBE_JSON = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL"})
_MAYBE_JSON_LIST = frozenset({"ADD", "COPY", "VOLUME"})
_WS_SPLIT = frozenset({"ADD", "COPY", "VOLUME", "EXPOSE", "FROM"})
_ONE_STRING = frozenset({"MAINTAINER", "STOPSIGNAL", "USER", "WORKDIR"})
# Instructions whose arguments BuildKit expands with ARG/ENV values.
_EXPANDS = frozenset(
    {
        "ADD",
        "ARG",
        "COPY",
        "ENV",
        "EXPOSE",
        "LABEL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)
# Flags BuildKit accepts (labs flags included, so a valid file never gets DF000):
# "s" a string, "m" a string that may repeat, "b" a boolean.
_FLAG_SPECS: dict[str, dict[str, str]] = {
    "RUN": {"mount": "m", "network": "s", "security": "s", "device": "m"},
    "COPY": {"from": "s", "chown": "s", "chmod": "s", "link": "b", "parents": "b", "exclude": "m"},
    "ADD": {
        "chown": "s",
        "chmod": "s",
        "link": "b",
        "checksum": "s",
        "keep-git-dir": "b",
        "exclude": "m",
        "unpack": "b",
        "parents": "b",
    },
    "FROM": {"platform": "s"},
}
_U64_MAX = 2**64 - 1


def _span(path: str, line: int, col: int, end_line: int, end_col: int) -> Span:
    return Span(path=path, line=line, col=col, end_line=end_line, end_col=end_col)


def _lstr(value: str, span: Span, expanded: str | None = None) -> LStr:
    return LStr(value=value, span=span, expanded=expanded)


def parse(src: SourceFile) -> ParseOutput:
    """Parse a Dockerfile into one :class:`ImageBuild` (and the containers of ``docker run``
    lines in its RUNs); raise :class:`ParseError` if BuildKit would.

    The comments are the lines BuildKit drops as comments: a line whose first non-blank
    character is ``#``, between instructions or inside a continued one, never in a heredoc
    body; a ``#`` after an instruction's text is part of it."""
    parser = _Parser(src)
    try:
        image = parser.run()
    except ParseError as exc:
        exc.comments = parser.comments
        raise
    finally:
        # The RUN scripts parse lazily through ``run_scripts`` (it keeps the parser's lines,
        # not the parser); the parser is freed with this frame.
        if parser.run_scripts is not None:
            parser.run_scripts.done()
        parser.run_scripts = None
    extents = {i.start_line: i.end_line for i in image.instructions}
    return ParseOutput(models=[image, *run_containers(image)], comments=parser.comments, extents=extents)


# -- BuildKit's shell lexer (shell/lex.go), as far as the parser needs it -------------


class _LexError(Exception):
    pass


class _Unresolved(Exception):
    pass


class _Words:
    """``wordsStruct`` of lex.go: words and where each starts."""

    __slots__ = ("buf", "in_word", "start", "tok", "words")

    def __init__(self) -> None:
        self.words: list[tuple[str, int]] = []
        self.buf: list[str] = []
        self.in_word = False
        self.start = 0
        self.tok = 0

    def add_char(self, ch: str) -> None:
        if ch in _SPACE_SET:
            if self.in_word and self.buf:
                self.words.append(("".join(self.buf), self.start))
                self.buf = []
                self.in_word = False
        else:
            self.add_raw(ch)

    def add_raw(self, text: str) -> None:
        if not self.in_word:
            self.in_word = True
            self.start = self.tok
        self.buf.append(text)

    def add_string(self, text: str) -> None:
        for ch in text:
            self.add_char(ch)

    def get(self) -> list[tuple[str, int]]:
        if self.buf:
            self.words.append(("".join(self.buf), self.start))
            self.buf = []
            self.in_word = False
        return self.words


class _Lex:
    """BuildKit's ``shell.Lex``: quotes, escapes and ``$VAR``/``${VAR...}``.

    ``lookup`` None is BuildKit's ``SkipUnsetEnv`` with no variables (a reference
    stays as written); otherwise ``lookup(name)`` gives the value or None when it is
    unknown (then :class:`_Unresolved` is raised).
    """

    __slots__ = ("budget", "esc", "i", "lookup", "n", "raw_escapes", "raw_quotes", "s")

    def __init__(
        self,
        s: str,
        esc: str,
        raw_quotes: bool = False,
        raw_escapes: bool = False,
        lookup: Callable[[str], str | None] | None = None,
    ) -> None:
        self.s = s
        self.n = len(s)
        self.i = 0
        self.esc = esc
        self.raw_quotes = raw_quotes
        self.raw_escapes = raw_escapes
        self.lookup = lookup
        # Substitution is bounded (size, nesting); without lookup the text only stays as written.
        self.budget = Budget() if lookup is not None else None

    def process(self) -> tuple[str, list[tuple[str, int]]]:
        try:
            return self._stop_on(None, self.raw_escapes)
        except RecursionError:
            # ``${A:-${B:-...}}`` hundreds of levels deep: Go's lexer recurses on, ours stops
            # here and the text is taken as one that does not lex (not expanded).
            raise _LexError("variable references nested too deeply") from None

    def _stop_on(self, stop: str | None, raw_escapes: bool) -> tuple[str, list[tuple[str, int]]]:
        s, n, esc = self.s, self.n, self.esc
        out: list[str] = []
        words = _Words()
        while self.i < n:
            ch = s[self.i]
            words.tok = self.i
            if ch == stop:
                self.i += 1
                return "".join(out), words.get()
            if ch == "'":
                text = self._single()
                out.append(text)
                words.add_raw(text)
            elif ch == '"':
                text = self._double()
                out.append(text)
                words.add_raw(text)
            elif ch == "$":
                text = self._dollar()
                out.append(text)
                words.add_string(text)
            else:
                self.i += 1
                if ch == esc:
                    if raw_escapes:
                        words.add_raw(ch)
                        out.append(ch)
                    if self.i >= n:
                        break
                    ch = s[self.i]
                    self.i += 1
                    words.add_raw(ch)
                else:
                    words.add_char(ch)
                out.append(ch)
        if stop is not None:
            raise _LexError(f"unexpected end of statement while looking for matching {stop}")
        return "".join(out), words.get()

    def _single(self) -> str:
        start = self.i + 1
        end = self.s.find("'", start)
        if end < 0:
            raise _LexError("unexpected end of statement while looking for matching single-quote")
        self.i = end + 1
        return self.s[start - 1 : end + 1] if self.raw_quotes else self.s[start:end]

    def _double(self) -> str:
        s, n, esc = self.s, self.n, self.esc
        self.i += 1
        out = ['"'] if self.raw_quotes else []
        while True:
            if self.i >= n:
                raise _LexError("unexpected end of statement while looking for matching double-quote")
            ch = s[self.i]
            if ch == '"':
                self.i += 1
                if self.raw_quotes:
                    out.append(ch)
                return "".join(out)
            if ch == "$":
                out.append(self._dollar())
                continue
            self.i += 1
            if ch == esc:
                if self.raw_escapes:
                    out.append(ch)
                if self.i >= n:
                    continue
                if s[self.i] in ('"', "$", esc):
                    ch = s[self.i]
                    self.i += 1
            out.append(ch)

    def _name(self) -> str:
        s, n, i = self.s, self.n, self.i
        if i < n and s[i].isdecimal():
            j = i
            while j < n and s[j].isdecimal():
                j += 1
            self.i = j
            return s[i:j]
        if i < n and s[i] in "@*#?-$!":
            self.i = i + 1
            return s[i]
        j = i
        while j < n and (s[j].isalpha() or s[j].isdecimal() or s[j] == "_"):
            j += 1
        self.i = j
        return s[i:j]

    def _get(self, name: str, raw: str) -> str:
        if self.lookup is None:
            return raw
        value = self.lookup(name)
        if value is None:
            raise _Unresolved(name)
        assert self.budget is not None
        self.budget.add(len(value))
        return value

    def _dollar(self) -> str:
        s, n = self.s, self.n
        self.i += 1
        if self.i >= n or s[self.i] != "{":
            name = self._name()
            return self._get(name, "$" + name) if name else "$"
        self.i += 1
        if self.i >= n:
            raise _LexError("syntax error: missing '}'")
        if s[self.i] in "{}:":
            raise _LexError("syntax error: bad substitution")
        name = self._name()
        if self.i >= n:
            raise _LexError("syntax error: missing '}'")
        ch = s[self.i]
        self.i += 1
        if ch == "}":
            return self._get(name, "${" + name + "}")
        if ch == "/":
            end = s.find("}", self.i)
            if end < 0:
                raise _LexError("syntax error: missing '}'")
            raw = s[self.i : end]
            self.i = end + 1
            if self.lookup is None:
                return "${" + name + "/" + raw + "}"
            raise _Unresolved(name)
        colon = ch == ":"
        modifier = ch
        if colon:
            if self.i >= n:
                raise _LexError("syntax error: missing '}'")
            modifier = s[self.i]
            self.i += 1
            if modifier in "#%":
                raise _LexError(f"unsupported modifier (:{modifier}) in substitution")
        elif ch not in "+-?#%":
            raise _LexError(f"unsupported modifier ({ch}) in substitution")
        if self.budget is None:
            word, _ = self._stop_on("}", modifier in "#%")
            return "${" + name + (":" if colon else "") + modifier + word + "}"
        self.budget.enter()
        word, _ = self._stop_on("}", modifier in "#%")
        self.budget.leave()
        return self._modified(name, colon, modifier, word, self.budget)

    def _modified(self, name: str, colon: bool, modifier: str, word: str, budget: Budget) -> str:
        """``${name:-word}`` and the like, evaluated as BuildKit's processDollar does."""
        value = self.lookup(name) if self.lookup is not None else None
        unset = value is None or (colon and value == "")
        if modifier == "+":
            return "" if unset else word
        if modifier in ("-", "?"):
            if unset or value is None:
                if modifier == "-":
                    return word
                raise _Unresolved(name)
            budget.add(len(value))
            return value
        if modifier in "#%":
            raise _Unresolved(name)  # pattern removal is not evaluated
        raise _LexError(f"unsupported modifier ({modifier}) in substitution")


def expand(text: str, lookup: Callable[[str], str | None], esc: str = "\\") -> str | None:
    """``text`` as BuildKit's ``ProcessWord`` gives it (quotes removed, variables substituted).

    None when a variable has no known value or the text does not lex.
    """
    if "$" not in text and esc not in text and "\\" not in text:
        if "'" not in text and '"' not in text:
            return text
        return _dequote(text)
    try:
        return _Lex(text, esc, lookup=lookup).process()[0]
    except (_LexError, _Unresolved):
        return None
    except LimitExceeded as exc:  # unknown, as a value that uses an unset variable
        record(exc)
        return None


def _dequote(text: str) -> str | None:
    """``text`` without its quotes, when it holds neither a backslash nor a variable: a
    quote opens a run that the same quote closes, and the other quote is literal inside it.
    None for a quote left open. ``tests/test_dockerfile_parser.py`` checks this against
    ``dockerfile_parse.util.WordSplitter.dequote``, whose rules are BuildKit's here (it is
    not called: it creates a class at each call, garbage the cyclic collector must find)."""
    out: list[str] = []
    quote = ""
    for ch in text:
        if quote:
            if ch == quote:
                quote = ""
                continue
        elif ch in "'\"":
            quote = ch
            continue
        out.append(ch)
    return None if quote else "".join(out)


# -- words ----------------------------------------------------------------------------


def _word_regex(esc: str) -> re.Pattern[str]:
    """One BuildKit ``parseWords`` word: unquoted runs, escaped characters, quoted runs.

    A quote left open runs to the end; an escape character at the very end is dropped
    (groups ``drop1``/``drop2``).
    """
    sp, e = re.escape(_SPACE), re.escape(esc)
    return re.compile(
        f"(?:[^{sp}'\"{e}]+|{e}.|(?P<drop1>{e}\\Z)|'[^']*(?:'|\\Z)|\"(?:[^\"{e}]|{e}.|(?P<drop2>{e}\\Z))*(?:\"|\\Z))+",
        re.DOTALL,
    )


_WORDS_RE = {"\\": _word_regex("\\"), "`": _word_regex("`")}


def _parse_words(s: str, a: int, b: int, esc: str) -> list[tuple[int, int]]:
    """BuildKit's ``parseWords``: quote- and escape-aware words of ``s[a:b]`` as offsets."""
    if s.find("'", a, b) < 0 and s.find('"', a, b) < 0 and s.find(esc, a, b) < 0:
        return [m.span() for m in _WORD_RE.finditer(s, a, b)]
    out: list[tuple[int, int]] = []
    for m in _WORDS_RE[esc].finditer(s, a, b):
        x, y = m.span()
        if y == b and (m.group("drop1") is not None or m.group("drop2") is not None):
            y -= 1
        if y > x:
            out.append((x, y))
    return out


def _json_array(text: str) -> list[object] | None:
    """The JSON array BuildKit's ``parseJSON`` accepts (Go ``encoding/json`` rules), else None."""
    if not text.startswith("["):
        return None
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_float64, parse_int=_float64)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, list) else None


def _no_constant(name: str) -> float:
    raise ValueError(name)  # NaN / Infinity are not JSON for Go


def _float64(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(text)  # Go: number out of range
    return value


def _trim_continuation(token: str, esc: str) -> tuple[str, bool]:
    """BuildKit's ``trimContinuationCharacter``: (text, is end of line)."""
    if not token or (token[-1] != esc and token[-1] != " " and token[-1] != "\t"):
        return token, True
    t = token.rstrip(" \t")
    if t and t[-1] == esc and (len(t) == 1 or t[-2] != esc):
        return t[:-1], False
    return token, True


def _heredoc_name(word: str) -> tuple[str, bool, bool, int] | None:
    """BuildKit's ``ParseHeredoc``: (name, quoted, strip tabs, fd) or None."""
    m = _HEREDOC_RE.fullmatch(word)
    if m is None or not m.group(3):
        return None
    rest = m.group(3)
    try:
        words = _Lex(rest, "\\").process()[1]
        if len(words) != 1:
            return None
        raw = _Lex(rest, "\\", raw_quotes=True).process()[1]
    except _LexError as exc:
        raise ValueError(str(exc)) from None
    name = words[0][0]
    raw_name = raw[0][0] if raw else name
    quoted = (name.count("'") + name.count('"')) != (raw_name.count("'") + raw_name.count('"'))
    digits = m.group(1)
    fd = (int(digits) if len(digits) < 20 else _U64_MAX) if digits else 0
    return name, quoted, m.group(2) == "-", min(fd, _U64_MAX)


# -- the parser -----------------------------------------------------------------------


class _Stages:
    """The build stages as BuildKit forms them from the instructions in order: the global ARGs
    before the first FROM (``meta``, which FROM lines expand with), and in each stage its ARG
    and ENV values, an ENV stage inheriting the environment of the stage it is built ``FROM``."""

    def __init__(self, esc: str) -> None:
        self.esc = esc
        self.meta: dict[str, str | None] = {}
        self.global_args: list[ArgDef] = []
        # (FROM, image, resolved image, name, --platform, parent, instructions) of each stage
        self.parts: list[tuple[Instruction, LStr, str, LStr | None, Flag | None, int | None, list[Instruction]]] = []
        self.envs: dict[str, str | None] = {}  # the current stage's
        self.args: dict[str, str | None] = {}  # the current stage's
        self.env_at_end: list[dict[str, str | None]] = []  # each finished stage's ENV values
        self.names: dict[str, int] = {}  # stage name -> index

    def meta_lookup(self, name: str) -> str | None:
        return self.meta.get(name)

    def stage_lookup(self, name: str) -> str | None:
        if name in self.envs:
            return self.envs[name]
        return self.args.get(name)

    def start(self, raw: _Ins, model: Callable[..., Instruction]) -> Instruction:
        """A FROM: its image expanded with the global ARGs, its name, the stage it builds on."""
        if self.parts:
            self.env_at_end.append(self.envs)
        image_word, image_span = raw.words[0] if raw.words else ("", raw.keyword_span)
        resolved = expand(image_word, self.meta_lookup, self.esc)
        if resolved is None:
            resolved = image_word
        image = _lstr(image_word, image_span, resolved if resolved != image_word else None)
        ins: Instruction = model(raw, None, first=image if raw.words else None)
        name: LStr | None = None
        if len(raw.words) == 3 and raw.words[1][0].lower() == "as":
            name = _lstr(raw.words[2][0].lower(), raw.words[2][1])
        parent = self.names.get(resolved.lower())
        platform = _last_flag(raw.flags, "platform")
        self.parts.append((ins, image, resolved, name, platform, parent, [ins]))
        if name is not None:
            self.names[name.value] = len(self.parts) - 1
        self.envs = dict(self.env_at_end[parent]) if parent is not None else {}
        self.args = {}
        return ins

    def arg(self, raw: _Ins, in_stage: bool) -> None:
        """An ARG: in a stage, its value (a global ARG's when it has no default); before the
        first FROM, a global ARG (kept with its default expanded)."""
        esc = self.esc
        for arg in raw.arg_defs:
            key, default = arg.name.value, arg.default
            if in_stage:
                self.args[key] = (
                    self.meta.get(key) if default is None else expand(default.value, self.stage_lookup, esc)
                )
                continue
            value = None if default is None else expand(default.value, self.meta_lookup, esc)
            self.meta[key] = value
            kept = arg
            if default is not None and value is not None and value != default.value:
                expanded = _lstr(default.value, default.span, value)
                kept = ArgDef(name=arg.name, default=expanded)
            self.global_args.append(kept)

    def env(self, raw: _Ins) -> None:
        """An ENV in a stage: every value of one ENV sees the variables as they were before it."""
        pairs = raw.bk_args
        new = {pairs[k]: expand(pairs[k + 1], self.stage_lookup, self.esc) for k in range(0, len(pairs) - 1, 2)}
        self.envs.update(new)

    def stages(self) -> list[Stage]:
        return [
            Stage(
                index=index,
                from_instruction=ins,
                image=image,
                resolved_image=resolved,
                name=name,
                platform=platform,
                parent=parent,
                instructions=members,
            )
            for index, (ins, image, resolved, name, platform, parent, members) in enumerate(self.parts)
        ]


class _Parser:
    # BuildKit's ParseHeredoc, for the RUN reader (dockerfile_syntax.RunParser).
    heredoc_name = staticmethod(_heredoc_name)

    def __init__(self, src: SourceFile) -> None:
        self.path = src.path
        text = src.text
        lines = text.split("\n")
        self.final_newline = text.endswith("\n")
        if self.final_newline:
            lines.pop()
        self.lines = lines
        self.esc = "\\"
        self.directives: dict[str, LStr] = {}
        self.pending: ParseError | None = None  # the first error of BuildKit's instruction parsing
        self.seen_from = False
        self.run_scripts: RunScripts | None = RunScripts(self)  # the shell model of RUN instructions
        self.comments: list[Comment] = []  # the comment lines, as BuildKit drops them

    # -- errors --

    @staticmethod
    def _error(message: str, span: Span) -> ParseError:
        return ParseError(message, span.line, span.col, span.end_col if span.end_line == span.line else None)

    def _later(self, message: str, span: Span) -> None:
        if self.pending is None:
            self.pending = self._error(message, span)

    # -- the file --

    def run(self) -> ImageBuild:
        instructions = self._lex()
        if self.pending is not None:
            raise self.pending
        if not instructions:
            raise ParseError(
                'the Dockerfile has no instructions (BuildKit: "file with no instructions"); it needs at least a FROM',
                1,
                1,
            )
        return self._build(instructions)

    def _lex(self) -> list[_Ins]:
        lines, path = self.lines, self.path
        n = len(lines)
        out: list[_Ins] = []
        directives_done = False
        i = 0
        while i < n:
            raw = lines[i]
            skip = 1 if i == 0 and raw.startswith("\ufeff") else 0
            token = raw[skip:].rstrip("\r") if skip else raw.rstrip("\r")
            stripped = token.lstrip(_SPACE)
            i += 1
            if not directives_done:
                directives_done = self._directive(stripped, i, skip + len(token) - len(stripped))
            if not stripped or stripped[0] == "#":
                if stripped:
                    col = skip + len(token) - len(stripped) + 1
                    self.comments.append(Comment(i, col, col + len(stripped), True))
                continue
            esc = self.esc
            start_line = i
            piece, eol = _trim_continuation(stripped, esc)
            parts = [piece]
            starts, line_nos, cols = [0], [i], [skip + len(token) - len(stripped) + 1]
            off = len(piece)
            while not eol and i < n:
                raw = lines[i]
                i += 1
                token = raw.rstrip("\r")
                s2 = token.lstrip(_SPACE)
                if not s2 or s2[0] == "#":
                    if s2:
                        col = len(token) - len(s2) + 1
                        self.comments.append(Comment(i, col, col + len(s2), True))
                    continue  # comments and blank lines inside a continuation are dropped
                piece, eol = _trim_continuation(token, esc)
                starts.append(off)
                line_nos.append(i)
                cols.append(1)
                parts.append(piece)
                off += len(piece)
            line = "".join(parts) if len(parts) > 1 else parts[0]
            ins = self._instruction(line, _Map(path, starts, line_nos, cols), start_line, i)
            if ins is not None:
                if ins.openers:
                    i = self._read_heredocs(ins, i)
                out.append(ins)
        return out

    def _directive(self, stripped: str, line_no: int, col0: int) -> bool:
        """Handle a possible parser directive; True once directives are over."""
        if not stripped.startswith("#"):
            return True
        body = stripped[1:].lstrip(_SPACE)
        parts = _directive_parts(body)
        if parts is None:
            return True
        name_start, name_end, value_start, value_end = parts
        name = body[name_start:name_end].lower()
        if name not in _DIRECTIVES:
            return True
        base = col0 + len(stripped) - len(body) + 1  # 1-based column of body[0]
        span = _span(self.path, line_no, base + value_start, line_no, base + value_end)
        if name in self.directives:
            raise ParseError(
                f"only one {name} parser directive can be used (BuildKit rejects a repeated "
                f"directive); remove this one",
                line_no,
                base + name_start,
                base + name_end,
            )
        value = body[value_start:value_end]
        if name == "escape":
            if value not in ("\\", "`"):
                raise ParseError(f"invalid escape token {value!r}: it must be ` or \\", line_no, span.col, span.end_col)
            self.esc = value
        self.directives[name] = _lstr(value, span)
        return False

    def _split(self, line: str, a: int, b: int, m: _Map) -> tuple[str, Span, int, list[Flag], list[str]]:
        """BuildKit's ``splitCommand`` of ``line[a:b]`` (trimmed).

        Returns the command as written, its span, where the arguments start, the flags and
        the flag names as written (BuildKit compares them case-sensitively).
        """
        ws = _WS_RUN_RE.search(line, a, b)
        cmd_end, rest = (ws.start(), ws.end()) if ws else (b, b)
        cmd = line[a:cmd_end]
        raw_flags, args_a = _extract_flags(line, rest, b)
        flags: list[Flag] = []
        names: list[str] = []
        for f_start, f_end, word, eq in raw_flags:
            body = word.removeprefix("--")
            name, sep, value = body.partition("=")
            value_span = m.span(eq + 1, f_end) if sep and eq >= 0 and eq + 1 < f_end else None
            flags.append(
                Flag(
                    name=name.lower(), value=value if sep else None, span=m.span(f_start, f_end), value_span=value_span
                )
            )
            names.append(name)
        while args_a < b and line[args_a] in _SPACE_SET:
            args_a += 1
        return cmd, m.span(a, cmd_end), args_a, flags, names

    def _instruction(self, line: str, m: _Map, start_line: int, end_line: int) -> _Ins | None:
        a, b = 0, len(line)
        while a < b and line[a] in _SPACE_SET:
            a += 1
        while b > a and line[b - 1] in _SPACE_SET:
            b -= 1
        if a == b:
            # Only continuation characters up to the end of the file: BuildKit makes an
            # instruction with an empty name of it, and rejects it.
            line_no, col = m.position(0)
            self._later(
                "unknown instruction: (empty): the file ends inside a line continuation; "
                "remove the trailing continuation character",
                _span(self.path, line_no, col, line_no, col + 1),
            )
            return None
        cmd, kw_span, args_a, flags, flag_names = self._split(line, a, b, m)
        keyword = _KEYWORD_OF.get(cmd)
        if keyword is None:
            keyword = cmd.upper()
            if keyword in KNOWN_INSTRUCTIONS and len(_KEYWORD_OF) < 1024:  # "run", "Run", "RUN"...
                _KEYWORD_OF[cmd] = keyword
        ins = _Ins()
        ins.keyword = keyword
        ins.written = cmd
        ins.keyword_span = kw_span
        ins.start_line = start_line
        ins.end_line = end_line
        ins.flags = flags
        ins.flag_names = flag_names
        ins.args_text = line[args_a:b]
        ins.args_span = m.span(args_a, b) if b > args_a else None
        ins.sub_keyword = None
        ins.map = m
        ins.args_a = args_a
        ins.heredocs = []
        ins.pairs = []
        first_line, first_col = m.position(a)
        ins.span = _span(self.path, first_line, first_col, end_line, len(self.lines[end_line - 1]) + 1)

        bk_args, json_values, heredoc_capable = self._dispatch(keyword, line, args_a, b, m, kw_span)
        ins.bk_args = bk_args
        ins.json_form = json_values is not None
        if json_values is not None:
            ins.words = self._json_words(line, args_a, b, m, json_values)
        elif keyword in _WS_SPLIT:
            ins.words = [(w.group(), m.span(w.start(), w.end())) for w in _WS_WORD_RE.finditer(line, args_a, b)]
        else:
            offsets = _parse_words(line, args_a, b, self.esc)
            ins.words = [(line[x:y], m.span(x, y)) for x, y in offsets]
            if keyword == "ARG":
                ins.arg_defs = [self._arg_def(line, x, y, m) for x, y in offsets]
                ins.pairs = [(d.name, d.default, k) for k, d in enumerate(ins.arg_defs)]
            elif keyword in ("ENV", "LABEL"):
                ins.pairs = self._pairs(line, args_a, b, offsets, m)
        if keyword == "ONBUILD" and bk_args:
            ins.sub_keyword = bk_args[0]
        if heredoc_capable and "<<" in line:
            ins.openers = self._heredocs(line, m)
        else:
            ins.openers = []
        self._validate(ins)
        return ins

    @staticmethod
    def _arg_def(line: str, x: int, y: int, m: _Map) -> ArgDef:
        """``NAME[=default]`` with the spans of the name and of the default (the ``=`` when empty)."""
        eq = line.find("=", x, y)
        if eq < 0:
            return ArgDef(name=_lstr(line[x:y], m.span(x, y)), default=None)
        name = _lstr(line[x:eq], m.span(x, eq) if eq > x else m.span(x, x + 1))
        default = _lstr(line[eq + 1 : y], m.span(eq + 1, y) if y > eq + 1 else m.span(eq, eq + 1))
        return ArgDef(name=name, default=default)

    @staticmethod
    def _pairs(
        line: str, a: int, b: int, offsets: list[tuple[int, int]], m: _Map
    ) -> list[tuple[LStr, LStr | None, int]]:
        """ENV/LABEL ``NAME=value`` words, or the legacy ``NAME value...`` (value: the rest)."""
        if not offsets:
            return []
        x, y = offsets[0]
        if line.find("=", x, y) < 0:
            rest = _WS_RUN_RE.search(line, x, b)
            if rest is None or rest.end() >= b:
                return []
            return [
                (
                    _lstr(line[x : rest.start()], m.span(x, rest.start())),
                    _lstr(line[rest.end() : b], m.span(rest.end(), b)),
                    1 if len(offsets) == 2 else -1,
                )
            ]
        out: list[tuple[LStr, LStr | None, int]] = []
        for k, (x, y) in enumerate(offsets):
            eq = line.find("=", x, y)
            if eq <= x:
                continue  # a parse error already reported
            value = _lstr(line[eq + 1 : y], m.span(eq + 1, y) if y > eq + 1 else m.span(eq, eq + 1))
            out.append((_lstr(line[x:eq], m.span(x, eq)), value, k))
        return out

    def _json_words(self, line: str, a: int, b: int, m: _Map, values: list[str]) -> list[tuple[str, Span]]:
        tokens = [(t.start(), t.end()) for t in _JSON_STRING_RE.finditer(line, a, b)]
        if len(tokens) != len(values):  # cannot happen for a valid array of strings
            tokens = [(a, b)] * len(values)
        return [(v, m.span(x, y)) for v, (x, y) in zip(values, tokens)]

    def _dispatch(
        self, keyword: str, line: str, a: int, b: int, m: _Map, kw_span: Span
    ) -> tuple[list[str], list[str] | None, bool]:
        """BuildKit's line parsers for ``keyword`` with arguments ``line[a:b]``.

        Returns the arguments as BuildKit's AST holds them, the JSON strings (exec form)
        or None, and whether the instruction may carry heredocs. Raises the errors
        BuildKit raises while building its AST.
        """
        rest = line[a:b]
        if keyword in _MAYBE_JSON or keyword in _MAYBE_JSON_LIST:
            values = self._maybe_json(rest, a, m)
            if values is not None:
                return values, values, False
            heredocs = keyword in _HEREDOC_INSTRUCTIONS
            if keyword in _MAYBE_JSON:
                return ([rest] if rest else []), None, heredocs
            return _WS_WORD_RE.findall(rest), None, heredocs
        if keyword in ("EXPOSE", "FROM"):
            return _WS_WORD_RE.findall(rest), None, False
        if keyword in _ONE_STRING:
            return ([rest] if rest else []), None, False
        if keyword == "ARG":
            return [line[x:y] for x, y in _parse_words(line, a, b, self.esc)], None, False
        if keyword in ("ENV", "LABEL"):
            return self._name_values(keyword, line, a, b, m), None, False
        if keyword == "HEALTHCHECK":
            sep = a
            while sep < b and line[sep] not in _SPACE_SET:
                sep += 1
            if sep == a:
                return [], None, False
            nxt = sep
            while nxt < b and line[nxt] in _SPACE_SET:
                nxt += 1
            cmd_rest = line[nxt:b]
            values = self._maybe_json(cmd_rest, nxt, m)
            if values is not None:
                return [line[a:sep], *values], values, False
            return [line[a:sep]] + ([cmd_rest] if cmd_rest else []), None, False
        if keyword == "ONBUILD":
            if a >= b:
                return [], None, False
            sub_cmd, sub_span, sub_a, _, _ = self._split(line, a, b, m)
            sub = sub_cmd.upper()
            sub_args, _, heredocs = self._dispatch(sub, line, sub_a, b, m, sub_span)
            return [sub, *sub_args], None, heredocs
        return [], None, False  # unknown instruction: BuildKit ignores its arguments here

    def _maybe_json(self, rest: str, offset: int, m: _Map) -> list[str] | None:
        if not rest.startswith("["):
            return None
        values = _json_array(rest)
        if values is None:
            return None
        if not all(isinstance(v, str) for v in values):
            raise self._error(
                "when using JSON array syntax, arrays must be comprised of strings only; "
                'quote every element ("80", not 80)',
                m.span(offset, offset + 1),
            )
        return values  # type: ignore[return-value]

    def _name_values(self, keyword: str, line: str, a: int, b: int, m: _Map) -> list[str]:
        words = _parse_words(line, a, b, self.esc)
        if not words:
            return []
        first = line[words[0][0] : words[0][1]]
        if "=" not in first:
            parts = _WS_RUN_RE.split(line[a:b], maxsplit=1)
            if len(parts) < 2:
                raise self._error(
                    f"{keyword} must have two arguments: write {keyword} {first}=<value>",
                    m.span(words[0][0], words[0][1]),
                )
            return [parts[0], parts[1]]
        out: list[str] = []
        for x, y in words:
            word = line[x:y]
            if "=" not in word:
                raise self._error(
                    f'Syntax error - can\'t find = in "{word}". Must be of the form: name=value', m.span(x, y)
                )
            key, _, value = word.partition("=")
            out += [key, value]
        return out

    def _heredocs(self, line: str, m: _Map) -> list[tuple[str, bool, bool, int, Span]]:
        """BuildKit's ``heredocsFromLine``: (name, quoted, strip tabs, fd, span of ``<<NAME``)."""
        try:
            words = _Lex(line, "\\", raw_quotes=True, raw_escapes=True).process()[1]
        except _LexError:
            return []  # BuildKit ignores the lexing error here: no heredocs
        found: list[tuple[str, bool, bool, int, Span]] = []
        for word, off in words:
            if "<<" not in word:
                continue
            opener = m.span(off, off + len(word))
            try:
                parsed = _heredoc_name(word)
            except ValueError as exc:
                raise self._error(f"cannot read the heredoc {word!r}: {exc}", opener) from None
            if parsed is not None:
                found.append((*parsed, opener))
        return found

    def _read_heredocs(self, ins: _Ins, i: int) -> int:
        """Read the bodies of ``ins``'s heredocs from line index ``i``; return the next line index."""
        lines, n, path = self.lines, len(self.lines), self.path
        for name, quoted, strip_tabs, fd, opener in ins.openers:
            first = i
            body: list[str] = []
            terminated = False
            while i < n:
                raw = lines[i]
                i += 1
                candidate = raw.rstrip("\r")
                if strip_tabs:
                    candidate = candidate.lstrip("\t")
                if candidate == name:
                    terminated = True
                    break
                body.append(raw + "\n" if i < n or self.final_newline else raw)
            if not terminated:
                raise self._error(
                    f"unterminated heredoc: no line reads {name!r} to end the heredoc opened "
                    "here; add the terminator line",
                    opener,
                )
            text = "".join(body)
            if strip_tabs:
                text = _LEADING_TABS_RE.sub("", text)
            ins.heredocs.append(
                Heredoc(
                    name=name,
                    body=text,
                    body_line=first + 1 if body else i,
                    span=_span(path, first + 1, 1, i, len(lines[i - 1]) + 1),
                    strip_tabs=strip_tabs,
                    quoted=quoted,
                    file_descriptor=fd,
                )
            )
        ins.end_line = i
        old = ins.span
        ins.span = _span(path, old.line, old.col, i, len(lines[i - 1]) + 1)
        return i

    # -- BuildKit's instruction parsing (instructions/parse.go) --

    def _validate(self, ins: _Ins) -> None:
        kw, span = ins.keyword, ins.keyword_span
        if kw not in KNOWN_INSTRUCTIONS:
            self._later(f"unknown instruction: {ins.written}" + _suggest(kw, KNOWN_INSTRUCTIONS), span)
            return
        if kw == "FROM":
            self.seen_from = True
        elif kw != "ARG" and not self.seen_from:
            self._later(
                f'{kw} comes before the first FROM (BuildKit: "no build stage in current context"); '
                "only ARG may precede FROM",
                span,
            )
        spec = _FLAG_SPECS.get(kw)
        if spec is not None:
            self._validate_flags(ins, spec)
        check = self._ARGUMENT_CHECKS.get(kw)
        if check is not None:
            check(self, ins)

    # One check of the arguments per instruction, as BuildKit's parse<Instruction> makes it.

    def _check_from(self, ins: _Ins) -> None:
        """``FROM <image> [AS <name>]``, the name a valid stage name."""
        args, span = ins.bk_args, ins.keyword_span
        if len(args) == 3 and args[1].lower() == "as":
            name = args[2].lower()
            if "$" not in name and not _STAGE_NAME_RE.fullmatch(name):
                self._later(
                    f"invalid name for build stage: {args[2]!r}, name can't start with a number or contain symbols",
                    ins.words[2][1] if len(ins.words) > 2 else span,
                )
        elif len(args) != 1:
            self._later("FROM requires either one or three arguments (FROM <image> [AS <name>])", span)

    def _check_one_string(self, ins: _Ins) -> None:
        """MAINTAINER, STOPSIGNAL, USER, WORKDIR: exactly one argument."""
        if len(ins.bk_args) != 1:
            self._later(f"{ins.keyword} requires exactly one argument", ins.keyword_span)

    def _check_copy(self, ins: _Ins) -> None:
        """ADD and COPY: sources and a destination, which is not a heredoc."""
        kw, args, span = ins.keyword, ins.bk_args, ins.keyword_span
        if len(args) < 2:
            self._later(
                f"{kw} requires at least two arguments, but only one was provided. "
                "Destination could not be determined.",
                span,
            )
            return
        try:
            dest_heredoc = _heredoc_name(args[-1])
        except ValueError:
            dest_heredoc = None
        if dest_heredoc is not None:
            self._later(f"{kw} cannot accept a heredoc as a destination", ins.words[-1][1] if ins.words else span)

    def _check_names(self, ins: _Ins) -> None:
        """ENV, LABEL, ARG: at least one ``name[=value]``, no name blank."""
        kw, args, span = ins.keyword, ins.bk_args, ins.keyword_span
        if not args:
            self._later(f"{kw} requires at least one argument", span)
        elif kw == "ARG":
            for word, wspan in ins.words:
                if word.startswith("="):
                    self._later("ARG names can not be blank", wspan)
        elif any(not k for k in args[0::2]):
            self._later(f"{kw} names can not be blank", span)

    def _check_some(self, ins: _Ins) -> None:
        """EXPOSE, VOLUME: at least one argument."""
        if not ins.bk_args:
            self._later(f"{ins.keyword} requires at least one argument", ins.keyword_span)

    def _check_onbuild(self, ins: _Ins) -> None:
        """ONBUILD: a trigger that is neither ONBUILD, MAINTAINER nor FROM."""
        span = ins.keyword_span
        if not ins.bk_args:
            self._later("ONBUILD requires at least one argument", span)
        elif ins.sub_keyword == "ONBUILD":
            self._later("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", span)
        elif ins.sub_keyword in ("MAINTAINER", "FROM"):
            self._later(f"{ins.sub_keyword} isn't allowed as an ONBUILD trigger", span)

    def _check_shell(self, ins: _Ins) -> None:
        """SHELL: a JSON array of at least one word."""
        if not ins.bk_args:
            self._later("SHELL requires at least one argument", ins.keyword_span)
        elif not ins.json_form:
            self._later(
                'SHELL requires the arguments to be in JSON form, e.g. SHELL ["/bin/sh", "-c"]', ins.keyword_span
            )

    def _check_healthcheck(self, ins: _Ins) -> None:
        """HEALTHCHECK: ``NONE`` alone, or ``CMD`` and a command."""
        args, span = ins.bk_args, ins.keyword_span
        if not args:
            self._later("HEALTHCHECK requires at least one argument", span)
            return
        typ = args[0].upper()
        if typ == "NONE":
            if len(args) != 1:
                self._later("HEALTHCHECK NONE takes no arguments", span)
        elif typ != "CMD":
            self._later(f"Unknown type {args[0]!r} in HEALTHCHECK (try CMD)", span)
        elif len(args) == 1:
            self._later("Missing command after HEALTHCHECK CMD", span)

    _ARGUMENT_CHECKS: ClassVar[dict[str, Callable[[_Parser, _Ins], None]]] = {
        "FROM": _check_from,
        **dict.fromkeys(_ONE_STRING, _check_one_string),
        "ADD": _check_copy,
        "COPY": _check_copy,
        "ENV": _check_names,
        "LABEL": _check_names,
        "ARG": _check_names,
        "EXPOSE": _check_some,
        "VOLUME": _check_some,
        "ONBUILD": _check_onbuild,
        "SHELL": _check_shell,
        "HEALTHCHECK": _check_healthcheck,
    }

    def _validate_flags(self, ins: _Ins, spec: dict[str, str]) -> None:
        seen: set[str] = set()
        for f, raw_name in zip(ins.flags, ins.flag_names):
            kind = spec.get(raw_name)
            if kind is None:
                known = ", ".join("--" + k for k in spec)
                self._later(
                    f"unknown flag: {raw_name} ({ins.keyword} accepts {known})" + _suggest(f.name, spec, prefix="--"),
                    f.span,
                )
                continue
            if kind != "m" and f.name in seen:
                self._later(f"duplicate flag specified: {f.name}", f.span)
            seen.add(f.name)
            if kind != "b" and f.value is None:
                self._later(f"missing a value on flag: {f.name} (write --{f.name}=<value>)", f.span)
            elif kind == "b" and f.value is not None and f.value.lower() not in ("true", "false"):
                self._later(f"expecting boolean value for flag {f.name}, not: {f.value}", f.span)

    # -- stages and variables --

    def _build(self, lexed: list[_Ins]) -> ImageBuild:
        path, esc = self.path, self.esc
        stages = _Stages(esc)
        instructions: list[Instruction] = []
        for raw in lexed:
            kw = raw.keyword
            if kw == "FROM":
                instructions.append(stages.start(raw, self._model))
                continue
            in_stage = bool(stages.parts)
            lookup = stages.stage_lookup if in_stage else stages.meta_lookup
            ins = self._model(raw, lookup if kw in _EXPANDS else None)
            instructions.append(ins)
            if kw == "ARG":
                stages.arg(raw, in_stage)
            elif kw == "ENV" and in_stage:
                stages.env(raw)
            if in_stage:
                stages.parts[-1][6].append(ins)
        if not stages.parts:
            raise ParseError(
                'the Dockerfile has no FROM, so no stage to build (BuildKit: "dockerfile contains '
                'no stages to build"); add a FROM',
                1,
                1,
            )
        first = self.lines[0] if self.lines else ""
        return ImageBuild(
            path=path,
            span=_span(path, 1, 1, 1, len(first) + 1 if first else 2),
            directives=self.directives,
            escape=esc,
            global_args=stages.global_args,
            stages=stages.stages(),
            instructions=instructions,
        )

    def _model(self, raw: _Ins, lookup: Callable[[str], str | None] | None, first: LStr | None = None) -> Instruction:
        esc = self.esc
        if lookup is None or raw.json_form:
            words = [_lstr(v, s) for v, s in raw.words]
            if first is not None:
                words[0] = first
        else:
            words = []
            for v, s in raw.words:
                expanded = None
                if "$" in v or "'" in v or '"' in v or esc in v:
                    e = expand(v, lookup, esc)
                    if e is not None and e != v:
                        expanded = e
                words.append(_lstr(v, s, expanded))
        pairs = [self._pair(k, v, words[w] if w >= 0 else None, lookup) for k, v, w in raw.pairs]
        assert self.run_scripts is not None
        return Instruction(
            keyword=raw.keyword,
            keyword_span=raw.keyword_span,
            span=raw.span,
            flags=raw.flags or (),
            args_text=raw.args_text,
            args_span=raw.args_span,
            args=words or (),
            json_form=raw.json_form,
            heredocs=raw.heredocs or (),
            pairs=pairs or (),
            start_line=raw.start_line,
            end_line=raw.end_line,
            _script=self.run_scripts.attach(raw, words),
        )

    def _pair(
        self, key: LStr, value: LStr | None, word: LStr | None, lookup: Callable[[str], str | None] | None
    ) -> KeyValue:
        """The pair with the values as BuildKit sees them (``expanded``), when they differ.

        ``word`` is the word that holds the value (``NAME=value``, or the value alone),
        already expanded: its expansion gives the value's without lexing it again.
        """
        esc = self.esc
        plain_key = not any(c in key.value for c in ("$", "'", '"', esc))
        if not plain_key and lookup is not None:
            e = expand(key.value, lookup, esc)
            if e is not None and e != key.value:
                key = _lstr(key.value, key.span, e)
        if value is None or lookup is None:
            return KeyValue(key=key, value=value)
        if word is not None and plain_key and word.value.endswith(value.value):
            prefix = len(word.value) - len(value.value)
            if word.expanded is not None and word.expanded[:prefix] == word.value[:prefix]:
                value = _lstr(value.value, value.span, word.expanded[prefix:])
        elif any(c in value.value for c in ("$", "'", '"', esc)):
            e = expand(value.value, lookup, esc)
            if e is not None and e != value.value:
                value = _lstr(value.value, value.span, e)
        return KeyValue(key=key, value=value)


def _directive_parts(body: str) -> tuple[int, int, int, int] | None:
    """Where the name and the value of a directive comment's ``body`` are (start and end of
    each), as ``NAME[blanks]=[blanks](.+?)[blanks]`` fully matched gives them; None when
    it is not a directive. Linear: the value is the rest without its blanks at both ends
    (one character at least: of a rest all blanks, the last one that is not a line break)."""
    m = _DIRECTIVE_RE.match(body)
    if m is None:
        return None
    rest = body[m.end() :]
    value = rest.strip(_DIRECTIVE_BLANKS)
    if value:
        if "\n" in value:
            return None  # "." does not match a line break
        start = m.end() + len(rest) - len(rest.lstrip(_DIRECTIVE_BLANKS))
        return m.start(1), m.end(1), start, start + len(value)
    last = rest.rstrip("\n")
    if not last:
        return None
    return m.start(1), m.end(1), m.end() + len(last) - 1, m.end() + len(last)


def _last_flag(flags: list[Flag], name: str) -> Flag | None:
    found = None
    for f in flags:
        if f.name == name:
            found = f
    return found


def _suggest(word: str, choices: Iterable[str], prefix: str = "") -> str:
    import difflib

    options = sorted(choices)
    close = difflib.get_close_matches(word.upper() if not prefix else word, options, n=1, cutoff=0.6)
    return f"; did you mean {prefix}{close[0]}?" if close else ""
