"""A tolerant bash / POSIX-sh parser: located commands for every place a shell line is written.

Input: a text and a *locator* that turns offsets in that text into spans of the file
(``span(a, b)``, end exclusive). The text may be a Dockerfile ``RUN`` with its
continuation lines joined (the Dockerfile parser's offset map is a locator), a heredoc
body, a whole shell script (:class:`TextLocator`), or a string inside another string
(:class:`IndexedLocator`). Output: the :class:`~dockerlint.models.shell.Script` model.

It never raises on bad input: an unterminated quote, substitution or heredoc runs to the
end of the text and is recorded in ``Script.issues``; a token that cannot start a command
is skipped. A build line must never make its Dockerfile unparseable.

Two passes. The lexer turns the text into tokens (words, operators, redirections,
newlines, arithmetic commands ``(( ... ))``); it reads heredoc bodies at the newline that
ends their command line, and parses ``$(...)``, backticks and ``<(...)`` into nested scripts
as it meets them. The builder then makes pipelines and commands of the tokens (reserved
words, compound commands, assignments, wrappers, ``sh -c`` strings) by bash's grammar: an
issue is recorded exactly where ``bash -n`` would refuse the text (tests/test_shell_syntax.py
holds the differential list), and reading goes on past it.

Speed: runs of ordinary characters are matched by compiled regexes, a word without
quotes or ``$`` costs one match, and models are made with :func:`build`.

Limits (enough to find the commands): ``${...}``, ``$((...))`` and ``((...))`` are opaque
text; constructs nested more than :data:`MAX_NESTING` levels deep (substitutions, subshells,
groups and other compound commands, heredoc and ``sh -c`` scripts, all counted together) are
read to their end without being parsed: what is inside is unknown, as a variable's value is,
and no issue is recorded (bash has no such limit; the reading of the rest goes on, and the
parse costs a bounded stack whatever the input); aliases, brace and glob expansion are not
performed; ``[[ ... ]]`` is one command whose operators are words (its expression is checked
as bash parses it, newlines between operands included); the body of an unquoted heredoc is
data, not expanded. Extglob patterns (``@(a|b)``) are read as words everywhere: bash needs
``shopt -s extglob`` for them outside ``[[ ]]``, which a script sets at run time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from dockerlint.models.base import LStr, Span
from dockerlint.models.shell import (
    SHELLS,
    Command,
    Pipeline,
    Redirect,
    Script,
    ShellIssue,
    Substitution,
    Word,
    basename,
    inline_target,
    unwrap,
)
from dockerlint.util.lines import LineIndex, SegmentMap

__all__ = ["MAX_NESTING", "IndexedLocator", "Locator", "TextLocator", "exec_script", "parse"]

# How many levels of nested shell constructs are parsed (see the module's Limits). Each level
# costs the parser about five stack frames, and the readers and rules that walk the model a
# few more: 64 keeps a whole run far from Python's recursion limit, and is many times what a
# real script nests.
MAX_NESTING = 64


class Locator(Protocol):
    def span(self, a: int, b: int) -> Span:
        """The file span of text offsets ``[a, b)``, ``b > a``."""
        ...  # pragma: no cover


class TextLocator:
    """Offsets of a text whose first character is at ``line``/``col`` of ``path``."""

    __slots__ = ("col", "line", "map", "path", "starts")

    def __init__(self, path: str, text: str, line: int = 1, col: int = 1, index: LineIndex | None = None) -> None:
        self.path = path
        self.line = line
        self.col = col
        self.starts = (index or LineIndex(text)).starts
        self.map = SegmentMap.of_text(self.starts, line, col)

    def span(self, a: int, b: int) -> Span:
        if b > a:
            line, col, end_line, end_col = self.map.range(a, b)
            return Span(self.path, line, col, end_line, end_col)
        line, col = self.map.position(a)
        end_line, end_col = self.map.position(b - 1)
        return Span(path=self.path, line=line, col=col, end_line=end_line, end_col=end_col + 1)


class IndexedLocator:
    """Offsets of a derived text (a dequoted string) through where each character is written.

    Character ``i`` is written at base offsets ``[starts[i], ends[i])`` (``\\"`` is two
    characters for one).
    """

    __slots__ = ("base", "ends", "starts")

    def __init__(self, base: Locator, starts: list[int], ends: list[int]) -> None:
        self.base = base
        self.starts = starts
        self.ends = ends

    def span(self, a: int, b: int) -> Span:
        last = len(self.starts) - 1
        if last < 0:
            return self.base.span(0, 1)
        a = min(max(a, 0), last)
        b = min(max(b, a + 1), last + 1)
        start = self.starts[a]
        return self.base.span(start, max(self.ends[b - 1], start + 1))


def parse(
    text: str,
    locator: Locator,
    start: int = 0,
    end: int | None = None,
    comments: list[tuple[Locator, int, int]] | None = None,
) -> Script:
    """Parse ``text[start:end]`` into a :class:`Script`; never raises on bad input.

    ``comments`` gets every comment as the shell reads it, as ``(locator, a, b)`` (its file
    span is ``locator.span(a, b)``): a ``#`` that starts a word, to the end of its line (also
    inside ``$(...)``); never one in quotes, in a heredoc body, inside a word (``a#b``,
    ``$#``), or in a string another shell reads (``sh -c '...'``).
    """
    lx = _Lexer(text, start, len(text) if end is None else end, locator, [])
    lx.comments = comments
    script = lx.script()
    if lx.issues:
        script = Script(pipelines=script.pipelines, span=script.span, interpreter=None, issues=tuple(lx.issues))
    return script


# -- tokens ---------------------------------------------------------------------------------

_W, _OP, _RD, _NL, _AR = 0, 1, 2, 3, 4
# A token: (kind, start, end, payload). Payload: a Word (also for an arithmetic command
# ``(( ... ))``, one opaque word); the operator; for a redirection (op, fd, heredoc holder
# or None); None for a newline.
Token = tuple[int, int, int, Any]

_DELIM = frozenset(" \t\r\n\f\v;&|<>()")
_BLANK = frozenset(" \t\r\f\v")
_PLAIN_RE = re.compile(r"[^ \t\r\n\f\v'\"\\$`;&|<>()]+")
_BLANKS_RE = re.compile(r"(?:[ \t\r\f\v]|\\\n)+")
# Control operators other than parentheses; ``&>`` is a redirection (``&&>`` is ``&&`` ``>``).
_OP_RE = re.compile(r";;&|;;|;&|&&|\|\||\|&|[;|]|&(?!>)")
_REDIR_RE = re.compile(r"(?:([0-9]*)(<<<|<<-|<<|<>|<&|>>|>&|>\||<(?!\()|>(?!\())|(&>>|&>))")
_DQ_RE = re.compile(r'[^"\\$`]+')
_VAR_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]|[@*#?$!-]")
_BRACE_RE = re.compile(r"[^{}\\'\"]+")
_PARENS_RE = re.compile(r"[^()]+")
_ANSI_RE = re.compile(r"[^'\\]+")
_BACKTICK_RE = re.compile(r"[^`\\]+")
_ASSIGN_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")
_LEADING_TABS_RE = re.compile(r"^\t+", re.MULTILINE)
_HEX_RE = re.compile(r"[0-9A-Fa-f]+")
_OCT_RE = re.compile(r"[0-7]+")
_ANSI_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}
_COMPOUND = frozenset({"if", "while", "until", "for", "select", "case", "{", "function"})
_CMD_START_WORDS = frozenset({"do", "then", "else", "elif", "{", "!", "if", "while", "until", "time"})
# Reserved words that end or continue a compound command: never a command of their own.
_CLOSERS = frozenset({"then", "do", "done", "fi", "else", "elif", "esac", "}", "]]", "in"})
# After these tokens a command starts (where ``((`` opens an arithmetic command).
_CMD_START_OPS = frozenset({";", "&", "&&", "||", "|", "|&", "(", ")", ";;", ";&", ";;&"})
_ARITH_AFTER = _CMD_START_WORDS | {"for"}
# ``[[ ... ]]`` operators (bash's test_unop / test_binop).
_COND_UNARY = frozenset(
    {
        "-a",
        "-b",
        "-c",
        "-d",
        "-e",
        "-f",
        "-g",
        "-h",
        "-k",
        "-p",
        "-r",
        "-s",
        "-t",
        "-u",
        "-w",
        "-x",
        "-O",
        "-G",
        "-L",
        "-S",
        "-N",
        "-n",
        "-z",
        "-o",
        "-v",
        "-R",
    }
)
_COND_BINARY = frozenset({"=", "==", "!=", "=~", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"})
# Builtins whose ``name=( ... )`` arguments are array assignments.
_DECLARATIONS = frozenset({"declare", "typeset", "local", "readonly", "export"})
_EXTGLOB = frozenset("?*+@!")
_CASE_WORDS = frozenset({"case", "esac"})
# What each compound command's opener waits for (for one nested deeper than MAX_NESTING,
# skipped unread), and the command kind it makes.
_OPENERS = {
    "(": ")",
    "{": "}",
    "if": "fi",
    "case": "esac",
    "while": "done",
    "until": "done",
    "for": "done",
    "select": "done",
    "[[": "]]",
}
_COMPOUND_KINDS = {
    "(": "subshell",
    "{": "group",
    "if": "if",
    "case": "case",
    "while": "while",
    "until": "until",
    "for": "for",
    "select": "for",
    "function": "function",
}
_EMPTY: tuple[Any, ...] = ()


def _kw(word: Word) -> str | None:
    """The word as a reserved word or operator of the grammar: its text when it is literal
    and unquoted (a backslash-newline inside it is gone, as bash removes it first)."""
    return word.value if not word.quoted else None


def _command_position(toks: list[Token]) -> bool:
    """Whether a command starts after ``toks`` (bash reads ``((`` there as arithmetic)."""
    if not toks:
        return True
    kind, _, _, p = toks[-1]
    if kind == _NL:
        return True
    if kind == _OP:
        return p in _CMD_START_OPS
    return kind == _W and _kw(p) in _ARITH_AFTER


class _Lexer:
    """Tokens of ``s[pos:end]``; nested substitutions become scripts on the way."""

    __slots__ = ("budget", "comments", "depth", "end", "issues", "loc", "pending", "s", "start")

    def __init__(
        self,
        s: str,
        start: int,
        end: int,
        loc: Locator,
        issues: list[ShellIssue],
        budget: list[int] | None = None,
        depth: int = 0,
    ) -> None:
        self.s = s
        self.depth = depth  # how many constructs this text is nested in (see MAX_NESTING)
        self.start = start
        self.end = end
        self.loc = loc
        self.issues = issues
        self.pending: list[list[Any]] = []  # heredocs waiting for the end of their line
        self.comments: list[tuple[Locator, int, int]] | None = None  # where to record comments (see parse())
        # Characters ``((`` scans may still read, shared by the nested lexers of one text.
        self.budget = budget if budget is not None else [4 * (end - start) + 4096]

    def issue(self, message: str, a: int, b: int) -> None:
        lo = max(self.start, 0)
        a = max(min(a, self.end - 1), lo)
        b = max(min(b, self.end), a + 1)
        if b <= a or self.end <= lo:
            return
        self.issues.append(ShellIssue(message=message, span=self.loc.span(a, b)))

    def script(self) -> Script:
        tokens, _ = self.tokenize(self.start, False)
        self.unread()
        return _Builder(tokens, self).script()

    def unread(self) -> None:
        """Heredocs whose line never ended: no body."""
        for holder in self.pending:
            self.issue(f"heredoc {holder[0]!r} has no body: the text ends on its line", holder[5], holder[6])
        self.pending = []

    def sub(self, pos: int, kind: str) -> tuple[Substitution | None, int]:
        """``$(`` / ``<(`` / ``>(`` whose body starts at ``pos``: the substitution and its end."""
        opener = pos - 2
        if self.depth >= MAX_NESTING:
            j = _skip_nested(self.s, pos, self.end)
            script = None
        else:
            inner = _Lexer(self.s, pos, self.end, self.loc, self.issues, self.budget, self.depth + 1)
            inner.comments = self.comments  # the same text: its comments are the file's
            tokens, j = inner.tokenize(pos, True)
            inner.unread()
            script = _Builder(tokens, inner).script()
        if j < self.end and self.s[j] == ")":
            j += 1
        else:
            self.issue(f"unterminated {kind}...): no closing parenthesis", opener, opener + 2)
        if script is None:  # nested too deeply to be read: unknown
            return None, j
        return Substitution(kind=kind, script=script, span=self.loc.span(opener, j)), j

    # -- tokens --

    def tokenize(self, pos: int, stop_paren: bool) -> tuple[list[Token], int]:
        """The tokens from ``pos`` to the end of the text, or (``stop_paren``) to the ``)``
        that closes the substitution being read; and where reading stopped.

        Dispatch on the first character; blanks and plain words, most of the text, are read
        here without a call. ``nest`` counts the open parentheses and ``case`` commands (a
        ``)`` closing either is not the substitution's end)."""
        s, end = self.s, self.end
        toks: list[Token] = []
        append = toks.append
        nest = [0, 0]  # open '(' groups, open 'case' commands
        plain = _PLAIN_RE.match
        delim = _DELIM
        while pos < end:
            c = s[pos]
            if c in _BLANK or (c == "\\" and s.startswith("\\\n", pos)):
                m = _BLANKS_RE.match(s, pos, end)
                pos = m.end() if m is not None else pos + 1
                continue
            if c == "\n":
                append((_NL, pos, pos + 1, None))
                pos += 1
                if self.pending:
                    pos = self.bodies(pos)
                continue
            if c == "#":
                pos = self.comment(pos)
                continue
            if c in "()":
                j = self.paren(pos, toks, nest, stop_paren)
                if j < 0:
                    return toks, pos
                pos = j
                continue
            if c in ";&|":
                m = _OP_RE.match(s, pos, end)
                if m is not None:
                    b = m.end()
                    append((_OP, pos, b, m.group()))
                    pos = b
                    continue
            if c in "<>&" or "0" <= c <= "9":
                m = _REDIR_RE.match(s, pos, end)
                if m is not None:
                    pos = self.redirect(m, toks)
                    continue
            # A word: most are one run of ordinary characters.
            m = plain(s, pos, end)
            if m is not None:
                b = m.end()
                if b == end or (s[b] in delim and not (s[b] == "(" and s[b - 1] in _EXTGLOB)):
                    raw = m.group()
                    if raw in _CASE_WORDS:
                        self.case_word(raw, toks, nest)
                    append((_W, pos, b, Word(raw=raw, value=raw, text=raw, span=self.loc.span(pos, b))))
                    pos = b
                    continue
            word, b = self.word(pos)
            if b == pos:  # cannot happen; never loop forever
                pos += 1
                continue
            append((_W, pos, b, word))
            pos = b
        return toks, pos

    def comment(self, pos: int) -> int:
        """The comment from ``#`` at ``pos`` to the end of its line (recorded when the caller
        asked for comments); its end."""
        j = self.s.find("\n", pos, self.end)
        j = self.end if j < 0 else j
        if self.comments is not None:
            self.comments.append((self.loc, pos, j))
        return j

    def paren(self, pos: int, toks: list[Token], nest: list[int], stop_paren: bool) -> int:
        """``(`` or ``)`` at ``pos``: an arithmetic command ``((...))`` where a command starts,
        else the operator (``nest[0]`` counts the open ones). Where reading goes on, or -1
        at the ``)`` that ends the substitution being read (``stop_paren``: outside any
        group and ``case``)."""
        s = self.s
        if s[pos] == "(":
            if s.startswith("((", pos) and _command_position(toks):
                j = self.arith_end(pos)
                if j > 0:
                    raw = s[pos:j]
                    toks.append((_AR, pos, j, Word(raw=raw, value=None, text=raw, span=self.loc.span(pos, j))))
                    return j
            nest[0] += 1
        elif stop_paren and nest[0] == 0 and nest[1] == 0:
            return -1
        elif nest[0]:
            nest[0] -= 1
        toks.append((_OP, pos, pos + 1, s[pos]))
        return pos + 1

    @staticmethod
    def case_word(raw: str, toks: list[Token], nest: list[int]) -> None:
        """Count ``case`` / ``esac`` (``raw``) in ``nest[1]`` when it is the reserved word: where
        a command starts (``echo case`` is an argument)."""
        prev = toks[-1] if toks else None
        if prev is None or prev[0] != _W or prev[3].raw in _CMD_START_WORDS:
            if raw == "case":
                nest[1] += 1
            elif nest[1]:
                nest[1] -= 1

    def redirect(self, m: re.Match[str], toks: list[Token]) -> int:
        a, pos = m.start(), m.end()
        if m.group(3) is not None:
            op, fd = m.group(3), None
        else:
            op, digits = m.group(2), m.group(1)
            fd = int(digits) if digits and len(digits) < 10 else None
        if op in ("<<", "<<-"):
            # The delimiter word follows; the body is read at the end of the line.
            s, end = self.s, self.end
            m2 = _BLANKS_RE.match(s, pos, end)
            if m2 is not None:
                pos = m2.end()
            if pos < end and s[pos] not in _DELIM:
                word, b = self.word(pos)
                holder = [word.text, op == "<<-", -1, -1, False, a, m.end()]
                self.pending.append(holder)
                toks.append((_RD, a, m.end(), (op, fd, holder)))
                toks.append((_W, pos, b, word))
                return b
            self.issue(f"{op} without a delimiter word", a, m.end())
        toks.append((_RD, a, m.end(), (op, fd, None)))
        return m.end() if op not in ("<<", "<<-") else pos

    def arith_end(self, pos: int) -> int:
        """The end of the arithmetic command ``((...))`` at ``pos``, or -1 when the text is
        not one (``((cmd); (cmd))`` is two subshells, as bash reads it)."""
        s = self.s
        # Scans share one budget (a few times the text): ``((((…`` unclosed cannot make
        # every position scan to the end. Past it, ``((`` reads as two subshells.
        if self.budget[0] <= 0:
            return -1
        end = min(self.end, pos + self.budget[0])
        depth = 0
        j = pos
        found = -1
        while j < end:
            c = s[j]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 1:
                    if j + 1 < end and s[j + 1] == ")":
                        found = j + 2
                    break
            elif c == "'" or c == '"':
                k = s.find(c, j + 1, end)
                if k < 0:
                    j = end
                    break
                j = k
            elif c == "\\":
                j += 1
            j += 1
        self.budget[0] -= max(min(j, end) - pos, 1)
        return found

    def group_end(self, pos: int) -> int:
        """The end of the parenthesised group at ``pos`` (an extglob pattern), quotes,
        nested groups and newlines included; the end of the text when it is not closed."""
        s, end = self.s, self.end
        depth = 0
        j = pos
        while j < end:
            c = s[j]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return j + 1
            elif c == "'" or c == '"':
                k = s.find(c, j + 1, end)
                j = end - 1 if k < 0 else k
            elif c == "\\":
                j += 1
            j += 1
        self.issue("unterminated pattern group: no closing parenthesis", pos, pos + 1)
        return end

    def bodies(self, pos: int) -> int:
        """Read the bodies of the pending heredocs from ``pos`` (the start of a line)."""
        s, end = self.s, self.end
        for holder in self.pending:
            delim, strip = holder[0], holder[1]
            body_a = pos
            terminated = False
            # The first line that reads the delimiter (after tabs for ``<<-``; carriage
            # returns at its end allowed), found by one regex scan: heredocs nested in
            # heredocs scan their text once per level.
            m = None
            if "\n" not in delim and pos < end:
                closing = re.compile("^" + ("\t*" if strip else "") + re.escape(delim) + "\r*$", re.MULTILINE)
                m = closing.search(s, pos, end)
            if m is not None:
                holder[3] = m.start()
                pos = m.end() + 1 if m.end() < end else end
                terminated = True
            else:
                pos = end
            holder[2] = body_a
            holder[4] = terminated
            if not terminated:
                holder[3] = end
                self.issue(f"unterminated heredoc: no line reads {delim!r}", holder[5], holder[6])
        self.pending = []
        return pos

    # -- words --

    def word(self, pos: int) -> tuple[Word, int]:
        s, end = self.s, self.end
        start = pos
        val: list[str] = []
        txt: list[str] = []
        subs: list[Substitution] = []
        literal = True
        quoted = False
        while pos < end:
            c = s[pos]
            if c in _DELIM:
                if c == "(" and pos > start and s[pos - 1] in _EXTGLOB:
                    # An extglob pattern (``@(a|b)``, ``!(*.txt)``): part of the word.
                    j = self.group_end(pos)
                    seg = s[pos:j]
                    val.append(seg)
                    txt.append(seg)
                    pos = j
                    continue
                if c in "<>" and pos + 1 < end and s[pos + 1] == "(":
                    sub, pos2 = self.sub(pos + 2, c + "(")
                    if sub is not None:
                        subs.append(sub)
                    txt.append(s[pos:pos2])
                    pos = pos2
                    literal = False
                    continue
                break
            if c == "'":
                quoted = True
                j = s.find("'", pos + 1, end)
                if j < 0:
                    self.issue("unterminated single quote: it runs to the end of the text", pos, pos + 1)
                    seg = s[pos + 1 : end]
                    pos = end
                else:
                    seg = s[pos + 1 : j]
                    pos = j + 1
                val.append(seg)
                txt.append(seg)
            elif c == '"':
                quoted = True
                pos, lit = self.dquote(pos, val, txt, subs)
                literal = literal and lit
            elif c == "\\":
                if pos + 1 >= end:
                    val.append("\\")
                    txt.append("\\")
                    pos += 1
                elif s[pos + 1] == "\n":
                    pos += 2
                else:
                    quoted = True
                    ch = s[pos + 1]
                    val.append(ch)
                    txt.append(ch)
                    pos += 2
            elif c == "$":
                if pos + 1 < end and s[pos + 1] == "'":
                    quoted = True
                pos, lit = self.dollar(pos, val, txt, subs, False)
                literal = literal and lit
            elif c == "`":
                pos = self.backtick(pos, txt, subs)
                literal = False
            else:
                m = _PLAIN_RE.match(s, pos, end)
                if m is None:  # defensive: a character no branch takes
                    val.append(c)
                    txt.append(c)
                    pos += 1
                    continue
                seg = m.group()
                val.append(seg)
                txt.append(seg)
                pos = m.end()
        raw = s[start:pos]
        text = "".join(txt)
        word = Word(
            raw=raw,
            value="".join(val) if literal else None,
            text=text,
            span=self.loc.span(start, max(pos, start + 1)),
            quoted=quoted,
            substitutions=tuple(subs) if subs else _EMPTY,
        )
        return word, pos

    def dquote(self, pos: int, val: list[str], txt: list[str], subs: list[Substitution]) -> tuple[int, bool]:
        s, end = self.s, self.end
        i = pos + 1
        literal = True
        while i < end:
            m = _DQ_RE.match(s, i, end)
            if m is not None:
                seg = m.group()
                val.append(seg)
                txt.append(seg)
                i = m.end()
                continue
            c = s[i]
            if c == '"':
                return i + 1, literal
            if c == "\\":
                if i + 1 < end and s[i + 1] in '$`"\\\n':
                    if s[i + 1] != "\n":
                        val.append(s[i + 1])
                        txt.append(s[i + 1])
                    i += 2
                else:
                    val.append("\\")
                    txt.append("\\")
                    i += 1
            elif c == "$":
                i, lit = self.dollar(i, val, txt, subs, True)
                literal = literal and lit
            else:  # backtick
                i = self.backtick(i, txt, subs)
                literal = False
        self.issue("unterminated double quote: it runs to the end of the text", pos, pos + 1)
        return end, literal

    def dollar(
        self, pos: int, val: list[str], txt: list[str], subs: list[Substitution], in_dq: bool
    ) -> tuple[int, bool]:
        """An expansion at ``pos`` (a ``$``): the end and whether it is literal text."""
        s, end = self.s, self.end
        nxt = s[pos + 1] if pos + 1 < end else ""
        if nxt == "(":
            if pos + 2 < end and s[pos + 2] == "(":
                j = self.parens_end(pos + 3, 2)
                txt.append(s[pos:j])
                return j, False
            sub, j = self.sub(pos + 2, "$(")
            if sub is not None:
                subs.append(sub)
            txt.append(s[pos:j])
            return j, False
        if nxt == "{":
            j = self.brace_end(pos + 2)
            txt.append(s[pos:j])
            return j, False
        if nxt == "'" and not in_dq:
            j, decoded = self.ansi(pos + 2)
            val.append(decoded)
            txt.append(decoded)
            return j, True
        if nxt == '"' and not in_dq:  # $"..." (locale translation): a double-quoted string
            return self.dquote(pos + 1, val, txt, subs)
        m = _VAR_RE.match(s, pos + 1, end)
        if m is not None:
            txt.append(s[pos : m.end()])
            return m.end(), False
        val.append("$")
        txt.append("$")
        return pos + 1, True

    def parens_end(self, pos: int, depth: int) -> int:
        s, end = self.s, self.end
        while pos < end:
            m = _PARENS_RE.match(s, pos, end)
            if m is not None:
                pos = m.end()
                continue
            depth += 1 if s[pos] == "(" else -1
            pos += 1
            if depth == 0:
                return pos
        self.issue("unterminated $((: no closing parentheses", pos - 1, pos)
        return end

    def brace_end(self, pos: int) -> int:
        s, end = self.s, self.end
        depth = 1
        opener = pos - 2
        while pos < end:
            m = _BRACE_RE.match(s, pos, end)
            if m is not None:
                pos = m.end()
                continue
            c = s[pos]
            if c == "\\":
                pos += 2
            elif c == "'" or c == '"':
                j = s.find(c, pos + 1, end)
                pos = end if j < 0 else j + 1
            elif c == "{":
                depth += 1
                pos += 1
            else:
                depth -= 1
                pos += 1
                if depth == 0:
                    return pos
        self.issue("unterminated ${: no closing brace", opener, opener + 2)
        return end

    def ansi(self, pos: int) -> tuple[int, str]:
        """``$'...'`` from just after the opening quote: its end and its value."""
        s, end = self.s, self.end
        out: list[str] = []
        while pos < end:
            m = _ANSI_RE.match(s, pos, end)
            if m is not None:
                out.append(m.group())
                pos = m.end()
                continue
            if s[pos] == "'":
                return pos + 1, "".join(out)
            # a backslash escape
            if pos + 1 >= end:
                out.append("\\")
                pos += 1
                break
            e = s[pos + 1]
            if e in _ANSI_ESCAPES:
                out.append(_ANSI_ESCAPES[e])
                pos += 2
            elif e == "x" or e == "u" or e == "U":
                width = {"x": 2, "u": 4, "U": 8}[e]
                m2 = _HEX_RE.match(s, pos + 2, min(end, pos + 2 + width))
                if m2 is None:
                    out.append("\\" + e)
                    pos += 2
                else:
                    code = int(m2.group(), 16)
                    out.append(chr(code) if code <= 0x10FFFF else "")
                    pos += 2 + len(m2.group())
            elif "0" <= e <= "7":
                m2 = _OCT_RE.match(s, pos + 1, min(end, pos + 4))
                assert m2 is not None
                out.append(chr(int(m2.group(), 8)))
                pos += 1 + len(m2.group())
            elif e == "c" and pos + 2 < end:
                out.append(chr(ord(s[pos + 2]) & 0x1F))
                pos += 3
            else:
                out.append("\\" + e)
                pos += 2
        self.issue("unterminated $'...' string: it runs to the end of the text", pos - 1, pos)
        return end, "".join(out)

    def backtick(self, pos: int, txt: list[str], subs: list[Substitution]) -> int:
        s, end = self.s, self.end
        i = pos + 1
        close = -1
        has_escape = False
        while i < end:
            m = _BACKTICK_RE.match(s, i, end)
            if m is not None:
                i = m.end()
                continue
            if s[i] == "\\":
                has_escape = True
                i += 2
                continue
            close = i
            break
        if close < 0:
            self.issue("unterminated backquote: it runs to the end of the text", pos, pos + 1)
            close = end
        j = min(close + 1, end)
        txt.append(s[pos:j])
        if self.depth >= MAX_NESTING:
            return j  # nested too deeply to be read: unknown
        if not has_escape:
            inner = _Lexer(s, pos + 1, close, self.loc, self.issues, self.budget, self.depth + 1)
            script = inner.script()
        else:
            # Inside backquotes, \\ \` \$ stand for the character itself.
            chars: list[str] = []
            starts: list[int] = []
            ends: list[int] = []
            i = pos + 1
            while i < close:
                c = s[i]
                starts.append(i)
                if c == "\\" and i + 1 < close and s[i + 1] in "\\`$":
                    i += 1
                    c = s[i]
                chars.append(c)
                i += 1
                ends.append(i)
            text = "".join(chars)
            script = _Lexer(
                text, 0, len(text), IndexedLocator(self.loc, starts, ends), self.issues, self.budget, self.depth + 1
            ).script()
        subs.append(Substitution(kind="`", script=script, span=self.loc.span(pos, max(j, pos + 1))))
        return j


def _skip_nested(s: str, pos: int, end: int) -> int:
    """The offset of the ``)`` that closes a substitution whose body starts at ``pos``, or
    ``end``: for a body nested deeper than :data:`MAX_NESTING`, read without recursion and
    without being parsed. Quotes, escapes, backquotes, ``${...}``, comments and nested
    parentheses are followed with a stack of what each one waits for."""
    want = [")"]
    while pos < end:
        c = s[pos]
        top = want[-1]
        if top == "'":
            j = s.find("'", pos, end)
            if j < 0:
                return end
            want.pop()
            pos = j + 1
        elif c == "\\":
            pos += 2
        elif c == top:
            want.pop()
            if not want:
                return pos
            pos += 1
        else:
            pos = _skip_step(s, pos, end, want)
    return end


def _skip_step(s: str, pos: int, end: int, want: list[str]) -> int:
    """One step of :func:`_skip_nested`, at a character that neither escapes nor closes what
    is open: the offset after it, with what it opens pushed on ``want``."""
    c = s[pos]
    top = want[-1]
    if top == "esac" and c == "e" and _word_at(s, pos, end, "esac"):
        want.pop()
        return pos + 4
    if c == "c" and top in (")", "esac") and _word_at(s, pos, end, "case"):
        want.append("esac")  # its patterns' ``)`` close nothing
        return pos + 4
    if top == "`":
        return pos + 1  # the text of a backquote is read again when it runs: only its end counts
    if c == "$" and pos + 1 < end and s[pos + 1] in "({":
        want.append(")" if s[pos + 1] == "(" else "}")
        return pos + 2
    if c in ("`", '"'):
        want.append(c)
    elif top != '"':
        if c == "'":
            want.append("'")
        elif c == "(" or (c == "{" and top == "}"):
            want.append(")" if c == "(" else "}")
        elif c == "#" and top in (")", "esac") and s[pos - 1] in " \t\n;&|(":
            j = s.find("\n", pos, end)
            return end if j < 0 else j
    return pos + 1


def _word_at(s: str, pos: int, end: int, word: str) -> bool:
    """Whether the reserved ``word`` stands alone at ``pos`` (delimited on both sides)."""
    after = pos + len(word)
    return s.startswith(word, pos) and (pos == 0 or s[pos - 1] in _DELIM) and (after >= end or s[after] in _DELIM)


# -- commands ---------------------------------------------------------------------------------


class _CondError(Exception):
    """A ``[[ ... ]]`` expression bash refuses (raised inside :meth:`_Builder.cond_error`)."""


class _CondTooDeep(Exception):
    """A ``[[ ... ]]`` expression nested deeper than :data:`MAX_NESTING`: not checked."""


class _Builder:
    """Pipelines and commands of a token list, read by bash's grammar.

    What bash refuses (``bash -n``) is recorded as an issue where it is met, and the reading
    goes on: a stray token is skipped, a missing keyword is assumed.
    """

    __slots__ = ("close_memo", "depth", "i", "loc", "lx", "n", "t")

    def __init__(self, tokens: list[Token], lx: _Lexer) -> None:
        self.t = tokens
        self.depth = lx.depth  # how many constructs the command being read is nested in
        self.i = 0
        self.n = len(tokens)
        self.lx = lx
        self.loc = lx.loc
        self.close_memo = (self.n, -1)  # (searched from, index of the ``]]`` found there or -1)

    def script(self) -> Script:
        items = self.items(frozenset(), frozenset())
        while self.i < self.n:  # stray closers at the top level: skip and go on
            _, a, b, _ = self.t[self.i]
            self.lx.issue(f"unexpected {self.describe(self.i)}", a, b)
            self.i += 1
            items += self.items(frozenset(), frozenset())
        return self.make_script(items)

    def make_script(self, items: list[tuple[Pipeline, int, int]]) -> Script:
        if not items:
            return Script(pipelines=_EMPTY, span=None)
        return Script(pipelines=tuple(p for p, _, _ in items), span=self.loc.span(items[0][1], items[-1][2]))

    # -- token tests --

    def describe(self, i: int) -> str:
        if i >= self.n:
            return "end of text"
        kind, _, _, p = self.t[i]
        if kind == _NL:
            return "end of line"
        if kind == _RD:
            return repr(p[0])
        if kind == _OP:
            return repr(p)
        raw = p.raw
        return repr(raw if len(raw) <= 40 else raw[:37] + "...")

    def reserved(self, i: int) -> str | None:
        """The unquoted word at ``i`` (a reserved word where a command starts), or None."""
        if i < self.n:
            kind, _, _, p = self.t[i]
            if kind == _W:
                return _kw(p)
        return None

    def compound_at(self, i: int) -> bool:
        """Whether a compound command starts at token ``i``."""
        if i >= self.n:
            return False
        kind, _, _, p = self.t[i]
        if kind == _AR:
            return True
        if kind == _OP:
            return bool(p == "(")
        word = _kw(p) if kind == _W else None
        return word is not None and (word in _COMPOUND or word == "[[")

    def starts_command(self, i: int, stop_words: frozenset[str]) -> bool:
        """Whether token ``i`` can start a command (after ``&&``, ``|`` ...)."""
        if i >= self.n:
            return False
        kind, _, _, p = self.t[i]
        if kind == _OP:
            return bool(p == "(")
        word = _kw(p) if kind == _W else None
        if word is not None:
            return word not in _CLOSERS and word not in stop_words
        return kind != _NL

    def may_follow(self, i: int, stop_words: frozenset[str], stop_ops: frozenset[str]) -> bool:
        """Whether token ``i`` may directly follow a command (no separator between)."""
        kind, _, _, p = self.t[i]
        if kind == _OP:
            return p in stop_ops or p == ")" or p in (";;", ";&", ";;&")
        word = self.reserved(i)
        return word is not None and (word in _CLOSERS or word in stop_words)

    # -- lists and pipelines --

    def items(self, stop_words: frozenset[str], stop_ops: frozenset[str]) -> list[tuple[Pipeline, int, int]]:
        t, n = self.t, self.n
        out: list[tuple[Pipeline, int, int]] = []
        while self.i < n:
            kind, a, b, p = t[self.i]
            if kind == _NL:
                self.i += 1
                continue
            if kind == _OP:
                if p in stop_ops:
                    break
                if p == ";" or p == "&":
                    self.lx.issue(f"unexpected {p!r}: no command before it", a, b)
                    self.i += 1
                    continue
            elif kind == _W and _kw(p) is not None:
                if _kw(p) in stop_words:
                    break
                if _kw(p) in _CLOSERS:
                    self.lx.issue(f"unexpected {_kw(p)!r}", a, b)
                    self.i += 1
                    continue
            res = self.pipeline(stop_words)
            if res is None:
                if kind == _OP and (p == ")" or p in (";;", ";&", ";;&")):
                    break  # a closer the caller may want
                self.lx.issue(f"unexpected {self.describe(self.i)}", a, b)
                self.i += 1
                continue
            commands, ops, negated, pa, pb = res
            next_op = None
            if self.i < n:
                k2, a2, b2, p2 = t[self.i]
                if k2 == _OP and p2 in ("&&", "||", ";", "&"):
                    next_op = p2
                    self.i += 1
                    if p2 in ("&&", "||"):
                        while self.i < n and t[self.i][0] == _NL:
                            self.i += 1
                        if not self.starts_command(self.i, stop_words):
                            self.lx.issue(f"{p2!r} with no command after it", a2, b2)
                elif k2 == _NL:
                    next_op = "\n"
                    self.i += 1
                elif not self.may_follow(self.i, stop_words, stop_ops):
                    self.lx.issue(f"unexpected {self.describe(self.i)} after a command", a2, b2)
            pipe = Pipeline(
                commands=tuple(commands),
                operators=tuple(ops) if ops else _EMPTY,
                negated=negated,
                next_op=next_op,
                span=self.loc.span(pa, pb),
            )
            out.append((pipe, pa, pb))
        return out

    def pipeline(self, stop_words: frozenset[str]) -> tuple[list[Command], list[str], bool, int, int] | None:
        t, n = self.t, self.n
        negated = False
        _, a, _, _ = t[self.i]
        if self.reserved(self.i) == "!" and self.starts_command(self.i + 1, stop_words):
            negated = True
            self.i += 1
        self.prefixes()
        first = self.command()
        if first is None:
            return None
        commands = [first[0]]
        ops: list[str] = []
        b = first[2]
        while self.i < n:
            kind, pa, pb, p = t[self.i]
            if kind != _OP or (p != "|" and p != "|&"):
                break
            self.i += 1
            while self.i < n and t[self.i][0] == _NL:
                self.i += 1
            if not self.starts_command(self.i, stop_words):
                self.lx.issue(f"{p!r} with no command after it", pa, pb)
                break
            if self.reserved(self.i) == "!":
                _, na, nb, _ = t[self.i]
                self.lx.issue("'!' negates a whole pipeline: it cannot follow '|'", na, nb)
            nxt = self.command()
            if nxt is None:
                break
            ops.append(p)
            commands.append(nxt[0])
            b = nxt[2]
        return commands, ops, negated, a, b

    def prefixes(self) -> None:
        """Skip ``time [-p]`` and ``coproc [NAME]`` before a compound command (before a
        simple command they stay its wrapper words)."""
        t, n = self.t, self.n
        while self.i < n:
            word = self.reserved(self.i)
            j = self.i + 1
            if word == "time":
                if self.reserved(j) == "-p":
                    j += 1
            elif word == "coproc":
                if not self.compound_at(j) and j < n and t[j][0] == _W and self.compound_at(j + 1):
                    j += 1
            else:
                return
            if not self.compound_at(j):
                return
            self.i = j

    def command(self) -> tuple[Command, int, int] | None:
        kind, a, b, p = self.t[self.i]
        if kind == _W:
            word = _kw(p)
            if word is not None and word in _COMPOUND:
                if self.depth >= MAX_NESTING:
                    return self.unread_compound(word, a)
                self.depth += 1
                try:
                    return self.compound(word, a)
                finally:
                    self.depth -= 1
            return self.simple()
        if kind == _RD:
            return self.simple()
        if kind == _AR:
            self.i += 1
            return self.finish_compound("arith", a, b, _EMPTY, (p,))
        if kind == _OP and p == "(":
            if self.depth >= MAX_NESTING:
                return self.unread_compound("(", a)
            self.i += 1
            self.depth += 1
            try:
                body = self.items(frozenset(), frozenset({")"}))
            finally:
                self.depth -= 1
            if not body and self.i < self.n and self.t[self.i][3] == ")":
                self.lx.issue("empty subshell: '( )' needs a command", a, self.t[self.i][2])
            end = self.expect_op(")", a)
            return self.finish_compound(
                "subshell", a, end if end else self.last_end(body, b), (self.make_script(body),)
            )
        return None

    def unread_compound(self, opener: str, a: int) -> tuple[Command, int, int]:
        """A compound command nested deeper than :data:`MAX_NESTING`, from its first token:
        skipped to its closing token without being parsed (its body is unknown). Openers and
        closers are matched by a stack of what each opener waits for."""
        t, n = self.t, self.n
        kind = _COMPOUND_KINDS[opener]
        want = [_OPENERS[opener]]
        self.i += 1
        end = t[self.i - 1][2]
        while self.i < n and want:
            tk, _, b, p = t[self.i]
            self.i += 1
            end = b
            if tk == _OP:
                if p == "(":
                    want.append(")")
                elif p == ")" and want[-1] == ")":
                    want.pop()
            elif tk == _W:
                word = _kw(p)
                if word is None:
                    continue
                if word == want[-1]:
                    want.pop()
                elif word in _OPENERS and word != "(":
                    want.append(_OPENERS[word])
        if want:
            self.lx.issue(f"missing {want[0]!r}", a, a + 1)
        return self.finish_compound(kind, a, end, _EMPTY)

    # -- simple commands --

    def simple(self) -> tuple[Command, int, int] | None:
        t, n = self.t, self.n
        start = t[self.i][1]
        b0 = start
        assignments: list[Word] = []
        words: list[Word] = []
        offsets: list[tuple[int, int]] = []
        redirects: list[tuple[Any, ...]] = []
        closed = False  # after ``[[ ... ]]``: only redirections may follow
        while self.i < n:
            kind, a, b, p = t[self.i]
            if kind == _W:
                if closed:
                    break
                if not words and "=" in p.raw and _ASSIGN_RE.match(p.raw):
                    assignments.append(p)
                    self.i += 1
                    b0 = b
                    if p.raw.endswith("=") and self.array_follows(b):
                        b0 = self.array()
                    continue
                if not words and _kw(p) == "[[":
                    b0 = self.conditional(words, offsets)
                    closed = True
                    continue
                words.append(p)
                offsets.append((a, b))
                self.i += 1
                b0 = b
                if words[0].value in _DECLARATIONS and self.declared_array(p, len(words), b):
                    b0 = self.array()  # declare -a name=( ... )
                    continue
                if (
                    len(words) == 1
                    and not assignments
                    and self.i + 1 < n
                    and t[self.i][0] == _OP
                    and self.empty_parens_follow()
                ):
                    return self.function(p, start, self.i + 2)
            elif kind == _RD:
                red = self.redirect()
                redirects.append(red)
                b0 = red[-1]
            else:
                break
        if not words and not assignments and not redirects:
            return None
        return self.simple_command(start, b0, assignments, words, offsets, redirects)

    def declared_array(self, word: Word, position: int, word_end: int) -> bool:
        """Whether ``word``, argument ``position`` of a declaration builtin (``declare``,
        ``local`` ...), is ``name=`` followed by ``(``: an array assignment."""
        return (
            position > 1
            and word.raw.endswith("=")
            and _ASSIGN_RE.fullmatch(word.raw) is not None
            and self.array_follows(word_end)
        )

    def empty_parens_follow(self) -> bool:
        """Whether ``()`` follows (``name()``: a function definition)."""
        t, i = self.t, self.i
        return i + 1 < self.n and t[i][0] == _OP and t[i][3] == "(" and t[i + 1][0] == _OP and t[i + 1][3] == ")"

    def simple_command(
        self,
        start: int,
        end: int,
        assignments: list[Word],
        words: list[Word],
        offsets: list[tuple[int, int]],
        redirects: list[tuple[Any, ...]],
    ) -> tuple[Command, int, int]:
        """The simple command read on ``[start, end)``: which program runs (past wrappers),
        the script it runs (``sh -c STRING``), its redirections (a heredoc fed to a shell is
        a script)."""
        name_index, _ = unwrap(words) if words else (-1, [])
        name = None
        if name_index >= 0:
            value = words[name_index].value
            name = basename(value) if value is not None else None
        body: tuple[Script, ...] = _EMPTY
        stdin_script = False
        if name is not None:
            target = inline_target(words, name_index, name)
            if target is not None:
                inner = self.inline(words[target], offsets[target])
                if inner is not None:
                    body = (inner,)
            elif name in SHELLS:
                stdin_script = True
        reds = tuple(self.make_redirect(r, stdin_script) for r in redirects) if redirects else _EMPTY
        command = Command(
            kind="simple",
            words=tuple(words),
            assignments=tuple(assignments),
            redirects=reds,
            span=self.loc.span(start, end),
            name=name,
            name_index=name_index,
            body=body,
        )
        return command, start, end

    def array_follows(self, word_end: int) -> bool:
        """Whether ``(`` follows at ``word_end`` (``name=(``: an array)."""
        i = self.i
        return i < self.n and self.t[i][0] == _OP and self.t[i][3] == "(" and self.t[i][1] == word_end

    def array(self) -> int:
        """``name=( a b c )`` from its ``(``: skip the elements; the end of the ``)``."""
        t, n = self.t, self.n
        opener = t[self.i][1]
        self.i += 1
        end = t[self.i - 1][2]
        while self.i < n:
            kind, a, b, p = t[self.i]
            self.i += 1
            end = b
            if kind == _OP and p == ")":
                return end
            if kind != _W and kind != _NL:
                self.lx.issue(f"unexpected {self.describe(self.i - 1)} in an array: only words may be listed", a, b)
        self.lx.issue("unterminated array: no closing parenthesis", opener, opener + 1)
        return end

    def conditional(self, words: list[Word], offsets: list[tuple[int, int]]) -> int:
        """``[[ ... ]]`` from its ``[[``: every token up to ``]]`` is a word (``&&``, ``<``
        included), the expression checked as bash parses it; the end of the ``]]``."""
        t, n = self.t, self.n
        opener = self.i
        close = self.closing_brackets(opener + 1)
        if close < 0:
            _, a, b, _ = t[opener]
            self.lx.issue("unterminated [[: no ']]' closes it", a, b)
            # Read the rest of the line as the expression, and go on with the next line.
            stop = opener + 1
            while stop < n and t[stop][0] != _NL:
                stop += 1
            last = stop - 1
        else:
            last = close
            bad = self.cond_error(opener + 1, close)
            if bad is not None:
                k, message = bad
                if k < n:
                    _, a, b, _ = t[k]
                    self.lx.issue(f"[[ ]]: {message}", a, b)
        end = t[opener][2]
        for k in range(opener, last + 1):
            kind, a, b, p = t[k]
            if kind == _NL:
                continue
            if kind == _W or kind == _AR:
                words.append(p)
            else:
                raw = self.lx.s[a:b]
                words.append(Word(raw=raw, value=raw, text=raw, span=self.loc.span(a, b)))
            offsets.append((a, b))
            end = b
        self.i = last + 1
        return end

    def closing_brackets(self, i: int) -> int:
        """The index of the first unquoted ``]]`` word at or after ``i``, or -1."""
        since, found = self.close_memo
        if since <= i and (found < 0 or found >= i):
            return found
        t, n = self.t, self.n
        k = i
        while k < n:
            kind, _, _, p = t[k]
            if kind == _W and _kw(p) == "]]":
                break
            k += 1
        found = k if k < n else -1
        self.close_memo = (i, found)
        return found

    def cond_error(self, lo: int, hi: int) -> tuple[int, str] | None:
        """The first thing bash refuses in the ``[[`` expression of tokens ``[lo, hi)``
        (its token index and why), or None. Newlines may come where bash skips them: at the
        start of an operand and after a complete test, not between a word and its operator."""
        t = self.t
        pos = lo
        error: list[tuple[int, str]] = []

        def fail(k: int, message: str) -> None:
            error.append((k, message))
            raise _CondError

        def newlines() -> None:
            nonlocal pos
            while pos < hi and t[pos][0] == _NL:
                pos += 1

        def is_op(k: int, *ops: str) -> bool:
            return k < hi and t[k][0] == _OP and t[k][3] in ops

        def is_word(k: int) -> bool:
            return k < hi and (t[k][0] == _W or t[k][0] == _AR)

        def expression(depth: int) -> None:
            nonlocal pos
            if depth > MAX_NESTING:
                raise _CondTooDeep  # bash reads on; past the limit, the rest is not checked
            term(depth)
            while is_op(pos, "&&", "||"):
                pos += 1
                term(depth)

        def term(depth: int) -> None:
            nonlocal pos
            newlines()
            if pos >= hi:
                return  # bash accepts ``[[ ]]`` and ``[[ a && ]]``
            kind, _, _, p = t[pos]
            word = _kw(p) if kind == _W else None
            if kind == _OP and p == "(":
                pos += 1
                expression(depth + 1)
                newlines()
                if not is_op(pos, ")"):
                    fail(pos, "expected ')'")
                pos += 1
                newlines()
                return
            if word == "!" and not (pos + 1 >= hi or is_op(pos + 1, "&&", "||", ")")):
                pos += 1
                term(depth + 1)
                return
            if word in _COND_UNARY:
                pos += 1
                if not is_word(pos):
                    fail(pos, f"{word} needs an operand")
                pos += 1
                newlines()
                return
            if not is_word(pos):
                fail(pos, f"unexpected {self.describe(pos)}")
            pos += 1
            if pos >= hi or is_op(pos, "&&", "||", ")"):
                return  # a word alone: true when not empty
            kind, _, _, p = t[pos]
            if kind == _W and _kw(p) in _COND_BINARY:
                operator = p.value
            elif kind == _RD and p[0] in ("<", ">") and p[1] is None:
                operator = p[0]
            else:
                fail(pos, "a binary operator (==, !=, =~, -eq ...) was expected")
            pos += 1
            if operator == "=~":
                pattern()
            else:
                if not is_word(pos):
                    fail(pos, f"{operator} needs a right operand")
                pos += 1
            newlines()

        def pattern() -> None:
            """The regular expression after ``=~``: parentheses and ``|`` are part of it,
            blanks only inside parentheses."""
            nonlocal pos
            start = pos
            depth = 0
            prev_end = -1
            while pos < hi:
                kind, a, b, p = t[pos]
                if depth == 0 and pos > start and a != prev_end:
                    break
                if kind == _NL:
                    if depth == 0:
                        break
                elif kind == _OP:
                    if p == "(":
                        depth += 1
                    elif p == ")":
                        if depth == 0:
                            break
                        depth -= 1
                    elif depth == 0 and p in ("&&", "||"):
                        break
                pos += 1
                prev_end = b
            if pos == start:
                fail(pos, "=~ needs a pattern")
            if depth:
                fail(pos, "unbalanced parentheses in the =~ pattern")

        try:
            expression(0)
            newlines()
            if pos < hi:
                fail(pos, f"unexpected {self.describe(pos)}")
        except _CondError:
            pass
        except _CondTooDeep:
            return None
        finally:
            # expression and term name each other: a reference cycle that would keep this
            # builder (every token of the script) until the cyclic collector runs.
            expression = term = None  # type: ignore[assignment]
        return error[0] if error else None

    def redirect(self) -> tuple[Any, ...]:
        t, n = self.t, self.n
        _, a, b, (op, fd, holder) = t[self.i]
        self.i += 1
        target = None
        if self.i < n and t[self.i][0] == _W:
            target = t[self.i][3]
            b = t[self.i][2]
            self.i += 1
        elif holder is None and op not in ("<<", "<<-"):
            self.lx.issue(f"redirection {op!r} has no target", a, b)
        return op, fd, holder, target, a, b

    def make_redirect(self, r: tuple[Any, ...], stdin_script: bool) -> Redirect:
        op, fd, holder, target, a, b = r
        span = self.loc.span(a, b)
        if holder is None or holder[2] < 0:
            return Redirect(
                op=op, fd=fd, target=target, span=span, body=None, body_span=None, body_lines=_EMPTY, script=None
            )
        body_a, body_b = holder[2], holder[3]
        s = self.lx.s
        body = s[body_a:body_b]
        if holder[1]:
            body = _LEADING_TABS_RE.sub("", body)
        last = body_b - 1 if body_b - 1 > body_a and s[body_b - 1] == "\n" else body_b
        body_span = self.loc.span(body_a, last) if last > body_a else None
        script = None
        if stdin_script and (fd is None or fd == 0) and body_b > body_a and self.depth < MAX_NESTING:
            script = _Lexer(s, body_a, body_b, self.loc, self.lx.issues, self.lx.budget, self.depth + 1).script()
        lines: list[LStr] = []
        pos = body_a
        # A body read as a script has its lines in the script's commands too. Its lines are
        # located for the outermost script only: at every level of heredocs in heredocs they
        # would cost a located string per line per level (5,000 levels: 430 MB, minutes).
        while pos < body_b and (script is None or self.depth == 0):
            j = s.find("\n", pos, body_b)
            line_end = body_b if j < 0 else j
            a2 = pos
            if holder[1]:
                while a2 < line_end and s[a2] == "\t":
                    a2 += 1
            if line_end > a2:
                lines.append(LStr(value=s[a2:line_end], span=self.loc.span(a2, line_end), expanded=None))
            pos = line_end + 1
        return Redirect(
            op=op,
            fd=fd,
            target=target,
            span=span,
            body=body,
            body_span=body_span,
            body_lines=tuple(lines),
            script=script,
        )

    def inline(self, word: Word, off: tuple[int, int]) -> Script | None:
        """The script in the string of ``sh -c STRING`` (None when it holds a substitution)."""
        if word.substitutions:
            return None  # the substitution is already a script of the word
        if self.depth >= MAX_NESTING:
            return None  # nested too deeply to be read: unknown
        s = self.lx.s
        a, b = off
        raw = s[a:b]
        if len(raw) >= 2 and raw[0] == "'" and raw.find("'", 1) == len(raw) - 1:
            return _Lexer(s, a + 1, b - 1, self.loc, self.lx.issues, self.lx.budget, self.depth + 1).script()
        text, starts, ends = _dequote(s, a, b)
        return _Lexer(
            text, 0, len(text), IndexedLocator(self.loc, starts, ends), self.lx.issues, self.lx.budget, self.depth + 1
        ).script()

    def function(self, name: Word, start: int, after_parens: int) -> tuple[Command, int, int] | None:
        self.i = after_parens
        return self.function_body(name, start, self.t[after_parens - 1][2])

    def function_body(self, name: Word, start: int, end: int) -> tuple[Command, int, int]:
        """The body of function ``name`` (a compound command), from the current token."""
        while self.i < self.n and self.t[self.i][0] == _NL:
            self.i += 1
        body: tuple[Script, ...] = _EMPTY
        if not self.compound_at(self.i):
            a = self.t[self.i][1] if self.i < self.n else start
            self.lx.issue(
                f"the body of function {name.raw!r} must be a compound command ({{ ...; }})",
                a,
                max(a + 1, end) if self.i >= self.n else self.t[self.i][2],
            )
        inner = None
        if self.i < self.n and (self.t[self.i][0] != _OP or self.compound_at(self.i)):
            inner = self.command()
        if inner is not None:
            cmd, _, end = inner
            pipe = Pipeline(commands=(cmd,), operators=_EMPTY, negated=False, next_op=None, span=cmd.span)
            body = (Script(pipelines=(pipe,), span=cmd.span),)
        command = Command(kind="function", words=(name,), span=self.loc.span(start, end), body=body)
        return command, start, end

    # -- compound commands --

    def compound(self, keyword: str, a: int) -> tuple[Command, int, int]:
        """The compound command that ``keyword`` (at offset ``a``) opens, with its redirections."""
        self.i += 1
        parts: list[Script] = []
        words: list[Word] = []
        end = self.t[self.i - 1][2]
        if keyword == "{":
            end = self.brace_group(a, parts, end)
        elif keyword == "if":
            end = self.if_clause(a, parts, end)
        elif keyword in ("while", "until"):
            cond = self.part(frozenset({"do"}), "condition", a, parts)
            end = self.expect_word("do", a) or self.last_end(cond, end)
            end = self.do_group(a, parts, end)
        elif keyword in ("for", "select"):
            end = self.for_clause(keyword, a, words, parts, end)
        elif keyword == "case":
            end = self.case_body(a, words, parts, end)
        else:
            end = self.function_clause(a, words, parts, end)
        return self.finish_compound(_COMPOUND_KINDS[keyword], a, end, tuple(parts), words)

    def brace_group(self, a: int, parts: list[Script], end: int) -> int:
        """``{ LIST; }`` after the ``{`` at offset ``a``; its end."""
        body = self.part(frozenset({"}"}), "{ }", a, parts)
        return self.expect_word("}", a) or self.last_end(body, end)

    def do_group(self, a: int, parts: list[Script], end: int) -> int:
        """``LIST; done`` after the ``do`` of the loop at offset ``a``; its end."""
        body = self.part(frozenset({"done"}), "do", a, parts)
        return self.expect_word("done", a) or self.last_end(body, end)

    def if_clause(self, a: int, parts: list[Script], end: int) -> int:
        """``LIST; then LIST; [elif LIST; then LIST;]... [else LIST;] fi`` after ``if``."""
        while True:
            cond = self.part(frozenset({"then"}), "condition", a, parts)
            end = self.expect_word("then", a) or self.last_end(cond, end)
            then = self.part(frozenset({"elif", "else", "fi"}), "then", a, parts)
            end = self.last_end(then, end)
            if self.reserved(self.i) != "elif":
                break
            self.i += 1
        if self.reserved(self.i) == "else":
            self.i += 1
            other = self.part(frozenset({"fi"}), "else", a, parts)
            end = self.last_end(other, end)
        return self.expect_word("fi", a) or end

    def for_clause(self, keyword: str, a: int, words: list[Word], parts: list[Script], end: int) -> int:
        """``for``/``select`` after the keyword: its head, then ``do LIST; done`` or (bash)
        ``{ LIST; }``."""
        end = self.loop_head(keyword, a, words, end)
        if self.reserved(self.i) == "{":  # for x in a b; { ...; } (bash)
            brace = self.t[self.i][1]
            self.i += 1
            return self.brace_group(brace, parts, end)
        end = self.expect_word("do", a) or end
        return self.do_group(a, parts, end)

    def function_clause(self, a: int, words: list[Word], parts: list[Script], end: int) -> int:
        """``function NAME [()] COMPOUND`` after ``function``: the name in ``words``, the body
        in ``parts``."""
        t, n = self.t, self.n
        name = t[self.i][3] if self.i < n and t[self.i][0] == _W else None
        if name is None or _kw(name) in _CLOSERS | _COMPOUND:
            self.lx.issue("'function' needs a name", a, end)
            if name is None:
                return end
        words.append(name)
        end = t[self.i][2]
        self.i += 1
        if self.i + 1 < n and t[self.i][0] == _OP and t[self.i][3] == "(" and t[self.i + 1][3] == ")":
            end = t[self.i + 1][2]
            self.i += 2
        command, _, end = self.function_body(name, a, end)
        parts.extend(command.body)
        return end

    def part(
        self, stop: frozenset[str], what: str, opener: int, parts: list[Script]
    ) -> list[tuple[Pipeline, int, int]]:
        """A compound command's list up to a word of ``stop``; bash refuses an empty one."""
        got = self.items(stop, frozenset())
        if not got and self.reserved(self.i) in stop:
            _, a, b, _ = self.t[self.i]
            self.lx.issue(f"empty {what} list: bash needs a command before {self.t[self.i][3].raw!r}", a, b)
        parts.append(self.make_script(got))
        return got

    def loop_head(self, keyword: str, a: int, words: list[Word], end: int) -> int:
        """``for NAME [in WORDS] ;`` or ``for (( ...; ...; ... ))``, up to ``do`` / ``{``."""
        t, n = self.t, self.n
        if self.i < n and t[self.i][0] == _AR and keyword == "for":
            p = t[self.i][3]
            words.append(p)
            end = t[self.i][2]
            if p.raw[2:-2].count(";") != 2:
                self.lx.issue("for (( )) needs three expressions separated by ';'", t[self.i][1], end)
            self.i += 1
        elif self.i < n and t[self.i][0] == _W and self.reserved(self.i) not in _CLOSERS:
            end, complete = self.loop_names(keyword, words)
            if not complete:
                return end
        else:
            self.lx.issue(f"'{keyword}' needs a variable name", a, end)
            return end
        self.skip_newlines()
        if self.i < n and t[self.i][0] == _OP and t[self.i][3] == ";" and words and words[0].raw.startswith("(("):
            self.i += 1
            self.skip_newlines()
        return end

    def loop_names(self, keyword: str, words: list[Word]) -> tuple[int, bool]:
        """``NAME [in WORDS] ;`` of a ``for``/``select`` from its name: the end of what was
        read, and whether the head is complete (False: an issue, or no separator before
        what follows)."""
        t, n = self.t, self.n
        words.append(t[self.i][3])
        end = t[self.i][2]
        self.i += 1
        k = self.i
        while k < n and t[k][0] == _NL:
            k += 1
        if self.reserved(k) == "in":
            words.append(t[k][3])
            self.i = k + 1
            while self.i < n and t[self.i][0] == _W:
                words.append(t[self.i][3])
                end = t[self.i][2]
                self.i += 1
            if self.i < n and (t[self.i][0] == _NL or (t[self.i][0] == _OP and t[self.i][3] == ";")):
                self.i += 1
            elif self.i < n:
                self.lx.issue(f"unexpected {self.describe(self.i)} in the {keyword} list", t[self.i][1], t[self.i][2])
                return end, False
        elif self.reserved(k) not in ("do", "{"):
            if k < n and t[k][0] == _OP and t[k][3] == ";":
                self.i = k + 1
            else:
                return end, False
        return end, True

    def skip_newlines(self) -> None:
        while self.i < self.n and self.t[self.i][0] == _NL:
            self.i += 1

    def case_body(self, a: int, words: list[Word], parts: list[Script], end: int) -> int:
        """``case WORD in [(]PATTERN[|PATTERN]...) LIST ;; ... esac`` after ``case``."""
        t, n = self.t, self.n
        if self.i < n and t[self.i][0] == _W:
            words.append(t[self.i][3])
            end = t[self.i][2]
            self.i += 1
        else:
            self.lx.issue("'case' needs a word", a, end)
        while self.i < n and t[self.i][0] == _NL:
            self.i += 1
        end = self.expect_word("in", a) or end
        terminators = frozenset({";;", ";&", ";;&"})
        while self.i < n:
            kind, pa, pb, p = t[self.i]
            if kind == _NL:
                self.i += 1
                continue
            if self.reserved(self.i) == "esac":
                break
            if kind == _OP and p == "(":
                self.i += 1
            # The patterns: WORD [| WORD]... )
            want_word = True
            while self.i < n:
                kind, pa, pb, p = t[self.i]
                if want_word:
                    if kind != _W:
                        self.lx.issue(f"a case pattern was expected, not {self.describe(self.i)}", pa, pb)
                        break
                    words.append(p)
                elif kind == _OP and p == ")":
                    self.i += 1
                    break
                elif not (kind == _OP and p == "|"):
                    self.lx.issue(f"')' or '|' was expected after a case pattern, not {self.describe(self.i)}", pa, pb)
                    break
                want_word = not want_word
                self.i += 1
            before = self.i
            item = self.items(frozenset({"esac"}), terminators)
            parts.append(self.make_script(item))
            end = self.last_end(item, pb)
            if self.i < n and t[self.i][0] == _OP and t[self.i][3] in terminators:
                end = t[self.i][2]
                self.i += 1
            elif self.i < n and self.reserved(self.i) != "esac":
                self.lx.issue(f"unexpected {self.describe(self.i)} in a case item", t[self.i][1], t[self.i][2])
                if self.i == before:
                    self.i += 1  # no progress: skip the token
        return self.expect_word("esac", a) or end

    def finish_compound(
        self, kind: str, a: int, end: int, parts: tuple[Script, ...], words: Sequence[Word] = ()
    ) -> tuple[Command, int, int]:
        redirects = []
        while self.i < self.n and self.t[self.i][0] == _RD:
            red = self.redirect()
            redirects.append(red)
            end = red[-1]
        reds = tuple(self.make_redirect(r, False) for r in redirects) if redirects else _EMPTY
        command = Command(
            kind=kind,
            words=tuple(words),
            assignments=_EMPTY,
            redirects=reds,
            span=self.loc.span(a, max(end, a + 1)),
            name=None,
            name_index=-1,
            body=parts,
        )
        return command, a, end

    def expect_word(self, word: str, opener: int) -> int:
        """Consume the reserved ``word``; its end offset, or 0 (an issue) when it is missing."""
        if self.i < self.n:
            kind, _, b, p = self.t[self.i]
            if kind == _W and _kw(p) == word:
                self.i += 1
                return b
        self.lx.issue(f"missing {word!r}", opener, opener + 1)
        return 0

    def expect_op(self, op: str, opener: int) -> int:
        if self.i < self.n:
            kind, _, b, p = self.t[self.i]
            if kind == _OP and p == op:
                self.i += 1
                return b
        self.lx.issue(f"missing {op!r}", opener, opener + 1)
        return 0

    @staticmethod
    def last_end(items: list[tuple[Pipeline, int, int]], default: int) -> int:
        return items[-1][2] if items else default


# -- inline scripts: sh -c STRING ---------------------------------------------------------


def _dequote(s: str, a: int, b: int) -> tuple[str, list[int], list[int]]:
    """The characters of word ``s[a:b]`` with quotes and escapes removed, and where each is written.

    Expansions stay as written (the inner shell sees them expanded, but their text is
    what a rule can read).
    """
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = a
    quote = ""
    while i < b:
        c = s[i]
        if quote == "'":
            if c == "'":
                quote = ""
            else:
                chars.append(c)
                starts.append(i)
                ends.append(i + 1)
            i += 1
            continue
        if c == "\\" and i + 1 < b:
            nxt = s[i + 1]
            if quote == '"' and nxt not in '$`"\\\n':
                chars.append(c)
                starts.append(i)
                ends.append(i + 1)
                i += 1
                continue
            if nxt != "\n":
                chars.append(nxt)
                starts.append(i)
                ends.append(i + 2)
            i += 2
            continue
        if c == '"':
            quote = "" if quote == '"' else '"'
        elif c == "'" and not quote:
            quote = "'"
        else:
            chars.append(c)
            starts.append(i)
            ends.append(i + 1)
        i += 1
    return "".join(chars), starts, ends


def exec_script(words: Sequence[Word], span: Span, inline: Callable[[int], Script | None]) -> Script:
    """The script of an exec-form command line (``RUN ["sh", "-c", "..."]``): one command.

    ``words`` are already literal (no shell reads them); ``inline(i)`` parses word ``i``
    when the command runs it as a script (``sh -c``) and gives its script.
    """
    if not words:
        return Script(pipelines=_EMPTY, span=None)
    name_index, _ = unwrap(words)
    name = None
    body: tuple[Script, ...] = _EMPTY
    if name_index >= 0 and words[name_index].value is not None:
        name = basename(words[name_index].value or "")
        target = inline_target(words, name_index, name)
        if target is not None:
            inner = inline(target)
            if inner is not None:
                body = (inner,)
    command = Command(
        kind="simple",
        words=tuple(words),
        assignments=_EMPTY,
        redirects=_EMPTY,
        span=span,
        name=name,
        name_index=name_index,
        body=body,
    )
    pipe = Pipeline(commands=(command,), operators=_EMPTY, negated=False, next_op=None, span=span)
    return Script(pipelines=(pipe,), span=span)
