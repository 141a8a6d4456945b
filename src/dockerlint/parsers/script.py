"""Shell scripts and Makefiles: the ``docker run`` lines and Docker client settings in them.

Kinds ``script`` (``*.sh``, ``*.bash``, an explicitly named file with a sh/bash shebang) and
``makefile`` (``Makefile``, ``GNUmakefile``, ``makefile``, ``*.mk``). Both become shell
scripts for :class:`~dockerlint.parsers.cmdline.Walker`, which builds the containers and the
client scopes (DD104) from them.

A file that mentions none of ``docker``, ``podman``, ``nerdctl``, ``DOCKER_`` is not parsed at
all (most scripts in a repository): nothing in it could give a finding.

Makefiles: recipe lines are the tab-indented lines after a rule line (``target: …``, and the
recipe after ``;`` on the rule line), with comment lines, blank lines and conditionals
(``ifeq``… ``endif``) between them. ``define … endef`` bodies are not read. For each logical
recipe line (backslash-newline continuations joined as make does: the continuation line's
leading tab is dropped), the ``@``/``-``/``+`` prefixes are removed, ``$$`` becomes ``$``, and
make references keep their text (``$(IMAGE)`` reads as an expansion; a function call with
quotes in it, ``$(subst ',",$(X))``, becomes one opaque expansion), every character keeping
its file position. Each line is its own shell (``.ONESHELL:`` makes a rule's recipe one
shell). ``export NAME = value`` at the top level gives every recipe that variable.

A script the shell parser had to guess about (an unterminated quote, a missing ``fi``) gets
one DC000 finding at the first problem; its other commands are still read.
"""

from __future__ import annotations

import re

from dockerlint.models.base import LStr, Span, build
from dockerlint.models.container import EnvVar
from dockerlint.models.shell import SHELLS, Script
from dockerlint.models.source import SourceFile
from dockerlint.parsers.cmdline import CLIENT_VARS, Walker, relevant
from dockerlint.parsers.output import Comment, ParseOutput, Problem, comment_at, comment_of_span
from dockerlint.parsers.shell import IndexedLocator, Locator, TextLocator
from dockerlint.parsers.shell import parse as parse_shell

RULE_ID = "DC000"

_SHEBANG = re.compile(r"^#!\s*(\S+)(?:\s+(\S+))?")
_RULE = re.compile(r"^(?P<targets>[^\s:=#][^:=#]*?|\.[A-Z_]+)\s*(?P<colons>::?)(?!=)")
_ASSIGN = re.compile(r"^(?:override\s+)?(?P<export>export\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)\s*"
                     r"(?P<op>:::=|::=|:=|\?=|\+=|!=|=)\s*(?P<value>.*)$")
_EXPORT_NAMES = re.compile(r"^export\s+([A-Za-z_][A-Za-z0-9_ \t]*)$")
_CONDITIONAL = re.compile(r"^\s*(?:ifeq|ifneq|ifdef|ifndef|else|endif)\b")
_DIRECTIVE = re.compile(r"^\s*(?:-?include|sinclude|vpath|unexport|undefine)\b")
_SIMPLE_REF = re.compile(r"[A-Za-z0-9_.@<^*?%+|/-]+(?::[^\s$(){}'\"\\#]*)?")


def parse(src: SourceFile) -> ParseOutput:
    if not relevant(src.text):
        return ParseOutput()
    if src.kind == "makefile":
        return _Makefile(src).run()
    return parse_script(src)


def shebang_program(first_line: str) -> str | None:
    """The program of a ``#!`` line (past ``env`` and its options), or None without one."""
    m = _SHEBANG.match(first_line)
    if m is None:
        return None
    program = m.group(1).rsplit("/", 1)[-1]
    if program == "env":
        rest = [p for p in first_line[2:].split()[1:] if not p.startswith("-") and "=" not in p]
        program = rest[0].rsplit("/", 1)[-1] if rest else "env"
    return program


def parse_script(src: SourceFile) -> ParseOutput:
    text = src.text
    program = shebang_program(text[:200].split("\n", 1)[0])
    if program is not None and program not in SHELLS:
        return ParseOutput()  # a Python or Perl program named *.sh: not shell
    found: list[tuple[Locator, int, int]] = []
    script = parse_shell(text, TextLocator(src.path, text, index=src.index), comments=found)
    walker = Walker(src.path, "script")
    env = walker.script(script, {}, "script")
    if env:
        walker.judge_env(env, "script", _first_var_span(env))
    return ParseOutput(models=walker.models, problems=issues([script]), comments=lambda: _comments(src, found))


def _comments(src: SourceFile, found: list[tuple[Locator, int, int]]) -> list[Comment]:
    """The shell comments the parser met (``(locator, a, b)``), as comments of the file."""
    lines = src.lines
    spans = (loc.span(a, b) for loc, a, b in found)
    return [c for c in (comment_of_span(lines, s) for s in spans) if c is not None]


def issues(scripts: list[Script]) -> list[Problem]:
    """One DC000 problem for the first thing the shell parser had to guess about."""
    found = [i for s in scripts for i in s.issues]
    if not found:
        return []
    first = min(found, key=lambda i: (i.span.line, i.span.col))
    return [Problem(RULE_ID, f"shell syntax error: {first.message}; the commands around it may be misread",
                    first.span)]


def _first_var_span(env: dict[str, EnvVar]) -> Span:
    var = env.get("DOCKER_HOST") or next(iter(env.values()))
    return var.span


# -- Makefiles -------------------------------------------------------------------------------


class _Makefile:
    def __init__(self, src: SourceFile) -> None:
        self.src = src
        self.path = src.path
        self.text = src.text
        self.lines = src.lines
        loc = TextLocator(src.path, src.text, index=src.index)
        self.loc = loc
        self.starts = loc.starts
        self.walker = Walker(src.path, "makefile")
        self.scripts: list[Script] = []
        self.make_vars: dict[str, EnvVar] = {}
        self.exported: set[str] = set()
        self.export_all = False
        # Comments as make reads them (outside recipes) and as the shell reads them (in recipes).
        self.comments: list[Comment] = []
        self.shell_comments: list[tuple[Locator, int, int]] = []

    def offset(self, line_index: int) -> int:
        return self.starts[line_index]

    def run(self) -> ParseOutput:
        lines = self.lines
        n = len(lines)
        oneshell = any(line.startswith(".ONESHELL:") for line in lines)
        # (target label, [recipe line texts as (out, starts, ends)])
        recipes: list[tuple[str, list[tuple[str, list[int], list[int]]]]] = []
        in_rule = False
        in_define = 0
        i = 0
        while i < n:
            line = lines[i]
            first = i
            # A logical line: backslash-newline continuations joined.
            while _continues(lines[i]) and i + 1 < n:
                i += 1
            i += 1
            if in_define:
                stripped = line.strip()
                if stripped.startswith("endef"):
                    in_define -= 1
                elif re.match(r"^(?:override\s+|export\s+)?define\b", stripped):
                    in_define += 1
                continue
            if line.startswith("\t") and in_rule:
                recipes[-1][1].append(self.recipe_line(first, i, 1))
                continue
            stripped = line.strip()
            if not stripped or stripped.startswith("#") or _CONDITIONAL.match(line):
                if stripped.startswith("#") and line.lstrip(" \t").startswith("#"):
                    col = len(line) - len(line.lstrip(" \t")) + 1
                    self.comments.append(Comment(first + 1, col, len(line.rstrip()) + 1, True))
                continue
            if re.match(r"^(?:override\s+|export\s+)?define\b", stripped):
                in_define = 1
                in_rule = False
                continue
            logical = " ".join(lines[k].rstrip("\\").strip() for k in range(first, i))
            m = _ASSIGN.match(logical)
            if m is not None and ":" not in logical.split("=", 1)[0].rstrip(":!?+"):
                self.assignment(m, first)
                self.line_comment(first, i)
                in_rule = False
                continue
            em = _EXPORT_NAMES.match(logical)
            if logical == "export":
                self.export_all = True
                continue
            if em is not None:
                self.exported.update(em.group(1).split())
                continue
            if _DIRECTIVE.match(line):
                in_rule = False
                continue
            rm = _RULE.match(line)
            if rm is not None:
                in_rule = True
                label = rm.group("targets").split()[0] if rm.group("targets").split() else "?"
                recipes.append((label, []))
                semi = _recipe_after_semicolon(line, rm.end())
                if semi is not None:
                    recipes[-1][1].append(self.recipe_line(first, i, semi))
                else:
                    self.line_comment(first, i)
                continue
            in_rule = False
        env = {name: var for name, var in self.make_vars.items()
               if name in self.exported or self.export_all}
        for label, recipe in recipes:
            scope = f"recipe of '{label}'"
            carried = env
            for out, starts, ends in recipe:
                if not out.strip():
                    continue
                script = parse_shell(out, IndexedLocator(self.loc, starts, ends), comments=self.shell_comments)
                self.scripts.append(script)
                result = self.walker.script(script, carried if oneshell else env, scope)
                if oneshell:
                    carried = result
                elif result != env:
                    self.walker.judge_env(result, scope, _first_var_span(result))
            if oneshell and carried != env:
                self.walker.judge_env(carried, scope, _first_var_span(carried) if carried else Span.point(self.path))
        if env:
            self.walker.judge_env(env, "Makefile", _first_var_span(env))
        return ParseOutput(models=self.walker.models, problems=issues(self.scripts), comments=self.all_comments)

    def all_comments(self) -> list[Comment]:
        comments = self.comments + _comments(self.src, self.shell_comments)
        comments.sort(key=lambda c: (c.line, c.col))
        return comments

    def line_comment(self, first: int, stop: int) -> None:
        """The comment at the end of the make line on lines ``[first, stop)``: the first ``#``
        outside a variable reference or function call, not escaped with a backslash."""
        depth = 0
        for k in range(first, stop):
            line = self.lines[k]
            j = 0
            while j < len(line):
                c = line[j]
                if c == "\\" or (c == "$" and line[j + 1:j + 2] == "$"):
                    j += 2
                    continue
                if c == "$" and line[j + 1:j + 2] in ("(", "{"):
                    depth += 1
                    j += 2
                    continue
                if c in "({" and depth:
                    depth += 1
                elif c in ")}" and depth:
                    depth -= 1
                elif c == "#" and not depth:
                    self.comments.append(comment_at(self.lines, k + 1, j + 1, len(line.rstrip()) + 1))
                    return
                j += 1

    def assignment(self, m: re.Match[str], line_index: int) -> None:
        name = m.group("name")
        if m.group("export"):
            self.exported.add(name)
        if name not in CLIENT_VARS:
            return
        line = self.lines[line_index]
        value = m.group("value").strip()
        col = line.find(value, line.find(name) + len(name)) + 1 if value else 0
        name_col = line.find(name) + 1
        no = line_index + 1
        name_span = Span.make(self.path, no, name_col, no, name_col + len(name))
        if value and col > 0:
            vspan = Span.make(self.path, no, col, no, col + len(value))
            lvalue = LStr.make(value, vspan)
        else:
            lvalue = LStr.make("", name_span)
        end = lvalue.span if value else name_span
        span = Span.make(self.path, no, name_col, end.end_line, end.end_col)
        self.make_vars[name] = build(EnvVar, name=LStr.make(name, name_span), value=lvalue, span=span)

    def recipe_line(self, first: int, stop: int, skip: int) -> tuple[str, list[int], list[int]]:
        """The shell text of the recipe line on lines ``[first, stop)`` (``skip`` characters of the
        first line are not part of it), with where each of its characters is written."""
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for k in range(first, stop):
            base = self.starts[k]
            line = self.lines[k]
            j = skip if k == first else (1 if line.startswith("\t") else 0)
            if k == first:
                # Recipe prefixes: @ (silent), - (ignore errors), + (run under -n).
                while j < len(line) and line[j] in "@-+ \t":
                    j += 1
            _convert(line, j, base, out, starts, ends)
            if k + 1 < stop:
                out.append("\n")
                starts.append(base + len(line))
                ends.append(base + len(line) + 1)
        return "".join(out), starts, ends


def _continues(line: str) -> bool:
    trailing = len(line) - len(line.rstrip("\\"))
    return trailing % 2 == 1


def _recipe_after_semicolon(line: str, pos: int) -> int | None:
    """Where the recipe of ``target: prereqs ; recipe`` starts, or None."""
    depth = 0
    for j in range(pos, len(line)):
        c = line[j]
        if c in "({":
            depth += 1
        elif c in ")}" and depth:
            depth -= 1
        elif c == "#" and not depth:
            return None
        elif c == ";" and not depth:
            return j + 1
    return None


def _convert(line: str, j: int, base: int, out: list[str], starts: list[int], ends: list[int]) -> None:
    """Append the shell text of ``line[j:]`` (make's ``$`` references rewritten) to ``out``."""
    n = len(line)
    while j < n:
        c = line[j]
        if c != "$" or j + 1 >= n:
            out.append(c)
            starts.append(base + j)
            ends.append(base + j + 1)
            j += 1
            continue
        nxt = line[j + 1]
        if nxt == "$":
            out.append("$")
            starts.append(base + j)
            ends.append(base + j + 2)
            j += 2
            continue
        if nxt in "({":
            close = ")" if nxt == "(" else "}"
            k = _ref_end(line, j + 2, nxt, close)
            inner = line[j + 2:k - 1] if k <= n and line[k - 1] == close else line[j + 2:k]
            if _SIMPLE_REF.fullmatch(inner):
                # $(NAME) / ${NAME}: kept as written; the shell reads an expansion.
                for q in range(j, k):
                    out.append(line[q])
                    starts.append(base + q)
                    ends.append(base + q + 1)
            else:
                # A function call ($(shell ...), $(if ...)): one opaque expansion over its text.
                for ch in "${MAKE}":
                    out.append(ch)
                    starts.append(base + j)
                    ends.append(base + k)
            j = k
            continue
        # $@ $< $^ ... : automatic variables; $< and $| would read as redirections.
        out.append("$")
        out.append(nxt if nxt.isalnum() or nxt in "@*?_" else "_")
        starts.extend((base + j, base + j + 1))
        ends.extend((base + j + 1, base + j + 2))
        j += 2


def _ref_end(line: str, j: int, opener: str, close: str) -> int:
    depth = 1
    n = len(line)
    while j < n:
        c = line[j]
        if c == opener:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return n
