"""Shell scripts and Makefiles: the ``docker run`` lines and Docker client settings in them.

Kinds ``script`` (``*.sh``, ``*.bash``, an explicitly named file with a sh/bash shebang) and
``makefile`` (``Makefile``, ``GNUmakefile``, ``makefile``, ``*.mk``). Both become shell
scripts for :class:`~dockerlint.parsers.cmdline.Walker`, which builds the containers and the
client scopes (DD104) from them.

A file that mentions none of ``docker``, ``podman``, ``nerdctl``, ``DOCKER_`` is not parsed at
all (most scripts in a repository): nothing in it could give a finding.

Makefiles, read as GNU make reads them (make itself never runs: ``$(shell ...)`` executes):
recipe lines are the lines starting with the recipe prefix (a tab, or ``.RECIPEPREFIX``)
after a rule line (``target: …``, and the recipe after ``;`` on the rule line), with
comment lines, blank lines and conditionals (``ifeq``… ``endif`` at the start of a line)
between them; a tab-indented conditional is part of the recipe, as in make.
``define … endef`` bodies are not read. A target-specific variable line
(``target: [export] NAME = value``) opens no recipe; its exported client settings reach
that target's recipe. For each logical recipe line (backslash-newline continuations joined
as make does: the continuation line's leading prefix is dropped, the backslash-newline
stays for the shell), the ``@``/``-``/``+`` prefixes are removed, then make's references
are expanded over the whole logical line, every character keeping its file position:
``$$`` becomes ``$``, ``$(IMAGE)`` / ``${IMAGE}`` keep their text (the shell reads an
expansion), and a function call or any other reference (``$(foreach …)`` over
continuation lines, ``$(subst ',",$(X))``, ``$(shell …)``, ``$(@D)``) becomes one opaque
expansion, an unknown word for the shell. The shell text make functions run (the command of
``$(shell …)``, the text of ``$(foreach …)``, repeated per item) is read as well, as commands
of the recipe at their own positions. Each line is its own shell (``.ONESHELL:`` makes
a rule's recipe one script); a recipe for a ``SHELL`` that is not a POSIX shell is not read.
``export NAME = value`` at the top level gives every recipe that variable.

A recipe line the shell would refuse (make runs it and the shell fails), or one nested
deeper than the reader follows, is skipped: no finding, never a DC000 "error", and the
other lines are still read. A shell script the shell parser had to guess about (an
unterminated quote, a missing ``fi``: what ``bash -n`` refuses) gets one DC000 finding at
the first problem; its other commands are still read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from dockerlint.models.base import LStr, Span
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
_ASSIGN = re.compile(
    r"^(?:override\s+)?(?P<export>export\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)\s*"
    r"(?P<op>:::=|::=|:=|\?=|\+=|!=|=)\s*(?P<value>.*)$"
)
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
    return [Problem(RULE_ID, f"shell syntax error: {first.message}; the commands around it may be misread", first.span)]


def _first_var_span(env: dict[str, EnvVar]) -> Span:
    var = env.get("DOCKER_HOST") or next(iter(env.values()))
    return var.span


# -- Makefiles -------------------------------------------------------------------------------

_ONESHELL = re.compile(r"^\.ONESHELL\s*:")
_RECIPE_PREFIX_ASSIGN = re.compile(r"^(?:override\s+)?\.RECIPEPREFIX\s*(?::{0,3}=|\?=|=)[ \t]*(.*)$")
_SHELL_ASSIGN = re.compile(r"^(?:override\s+|export\s+)*SHELL\s*(?::{0,3}=|\?=|=)\s*(.*)$")
_DEFINE = re.compile(r"^(?:(?:override|export|private)\s+)*define(?:\s|$)")
_TARGET_VAR = re.compile(r"^\s*(?:(?:override|export|private|unexport)\s+)*[^\s:#=]+\s*(?::::=|::=|:=|\?=|\+=|!=|=)")
# A reference the shell may read as written: a variable name, or a substitution reference
# ``$(VAR:.c=.o)`` with nothing the shell would read as syntax.
_NAME_REF = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*(?::[^\s$(){}'\"\\#;&|<>`]*)?")
# Names that would read as shell syntax inside ``$( )`` (a variable called ``if``).
_SHELL_WORDS = frozenset(
    {
        "if",
        "then",
        "else",
        "elif",
        "fi",
        "for",
        "while",
        "until",
        "do",
        "done",
        "case",
        "esac",
        "in",
        "function",
        "select",
        "time",
        "coproc",
    }
)
# What the shell reads for a make function call: one unknown word, a command substitution
# that names the function (``$(shell...)``, ``$(foreach...)``; ``$(...)`` for a computed
# name), so a message that quotes the value shows where make computes it.
_FUNCTION_NAME = re.compile(r"[a-z][a-z-]*")


def _opaque(call: str) -> str:
    """The unknown word standing for the make function call whose text is ``call``."""
    m = _FUNCTION_NAME.match(call)
    return f"$({m.group(0) if m else ''}...)"


# Make functions whose argument is shell text make runs: ``$(shell CMD)`` (at expansion),
# ``$(foreach VAR,LIST,TEXT)`` (TEXT once per word of LIST, in the recipe).
_RUNS_SHELL = re.compile(r"(shell|foreach)[ \t]")
_MAX_NESTING = 16  # make functions inside make functions read for their shell text
# Characters the expansion of make variables may produce for one recipe line (or one simple
# variable's value); past it, a reference stays an unknown word.
_EXPANSION_BUDGET = 64 * 1024
_FILE_EXPANSION_BUDGET = 1024 * 1024  # and for the whole file
_MAX_VAR_DEPTH = 64  # variables expanded inside variables
_DEFINE_NAME = re.compile(r"^(?:(?:override|export|private)\s+)*define\s+([^\s:=+?!]+)")
_UNDEFINE = re.compile(r"^(?:override\s+)?undefine\s+(.+)$")


@dataclass
class _Shell:
    """Shell text and the file offsets each character is written at (``[starts[i], ends[i])``);
    ``inner``: the shell texts make functions in it run (read as scripts of their own)."""

    text: str
    starts: list[int]
    ends: list[int]
    inner: list[_Shell] = field(default_factory=list)


@dataclass(frozen=True)
class _Var:
    """A make variable of the file: recursively expanded (``=``, ``?=``: its text is expanded
    where it is used) or simple (``:=``, ``::=``, ``:::=``: expanded once, where it is defined).
    ``text`` None: a value dockerlint cannot know (``!=`` runs a command, ``define``,
    ``undefine``)."""

    recursive: bool
    text: str | None
    # A target-specific ``+=`` of a variable the target did not set: appended to the global
    # value as make has it once the whole file is read.
    appends: bool = False


class _Expansion:
    """What expanding make references needs: the variables a recipe sees, the ones being
    expanded (a variable that refers to itself is make's error, an unknown word here), and how
    many characters expansions may still produce (a hostile file of variables doubling each
    other would otherwise grow exponentially)."""

    __slots__ = ("active", "broken", "budget", "lookup")

    def __init__(self, lookup: Callable[[str], _Var | None], budget: int = _EXPANSION_BUDGET) -> None:
        self.lookup = lookup
        self.active: set[str] = set()
        self.budget = budget
        # A variable met inside its own expansion, or nested too deep: make stops with an
        # error, so no part of the outermost variable's value is taken as what it runs.
        self.broken = False


class _Makefile:
    """The recipes of a Makefile as GNU make reads them (``make`` itself never runs: a
    ``$(shell ...)`` in the file would execute)."""

    def __init__(self, src: SourceFile) -> None:
        self.src = src
        self.path = src.path
        self.text = src.text
        self.lines = src.lines
        loc = TextLocator(src.path, src.text, index=src.index)
        self.loc = loc
        self.starts = loc.starts
        self.walker = Walker(src.path, "makefile")
        self.make_vars: dict[str, EnvVar] = {}
        self.exported: set[str] = set()
        self.export_all = False
        # Target-specific variables (``build: export DOCKER_HOST = ...``), by target.
        self.target_vars: dict[str, dict[str, EnvVar]] = {}
        self.target_exported: dict[str, set[str]] = {}
        # Make's variables as the file sets them (make expands recipes once the whole file is
        # read: a recursive variable set below a recipe counts in it), and the target-specific
        # ones: by target, and the names some target or pattern sets (their value elsewhere
        # depends on which target make builds first: unknown outside those targets' recipes).
        self.vars: dict[str, _Var] = {}
        self.vars_of_target: dict[str, dict[str, _Var]] = {}
        self.target_specific: set[str] = set()
        self.expansion_left = _FILE_EXPANSION_BUDGET
        # Comments as make reads them (outside recipes) and as the shell reads them (in the
        # recipe lines dockerlint reads).
        self.comments: list[Comment] = []
        self.shell_comments: list[tuple[Locator, int, int]] = []

    def run(self) -> ParseOutput:
        lines = self.lines
        n = len(lines)
        oneshell = any(_ONESHELL.match(line) for line in lines if line.startswith(".ONESHELL"))
        # (targets, recipe lines as (first line, stop, characters skipped, recipe prefix)):
        # expanded once the whole file is read, as make does.
        recipes: list[tuple[list[str], list[tuple[int, int, int, str]]]] = []
        in_rule = False
        in_define = 0
        prefix = "\t"
        shell_ok = True
        i = 0
        while i < n:
            line = lines[i]
            first = i
            # A logical line: backslash-newline continuations joined.
            while _continues(lines[i]) and i + 1 < n:
                i += 1
            i += 1
            if in_define:
                in_define = _define_depth(line.strip(), in_define)
                continue
            if line.startswith(prefix) and in_rule:
                recipes[-1][1].append((first, i, 1, prefix))
                continue
            stripped = line.strip()
            if not stripped or stripped.startswith("#") or _CONDITIONAL.match(line):
                self.comment_line(line, stripped, first)
                continue  # comments, blank lines and conditionals keep the rule context
            in_rule = False
            if _DEFINE.match(stripped):
                in_define = 1
                dm = _DEFINE_NAME.match(stripped)
                if dm is not None:
                    self.vars[dm.group(1)] = _Var(True, None)  # a multi-line value: not followed
                continue
            logical = _strip_comment(" ".join(lines[k].rstrip("\\").strip() for k in range(first, i)))
            pm = _RECIPE_PREFIX_ASSIGN.match(logical)
            if pm is not None:
                prefix = pm.group(1)[:1] or "\t"
                continue
            shell_ok = _shell_setting(logical, shell_ok)
            if not self.not_a_rule(logical, line, first, i):
                in_rule = self.rule_line(line, first, i, prefix, recipes)
        if shell_ok:
            self.walk(
                [
                    (targets[0], [self.recipe_line(*r, self.expansion(targets)) for r in recipe])
                    for targets, recipe in recipes
                ],
                oneshell,
            )
        return ParseOutput(models=self.walker.models, comments=self.all_comments)

    def comment_line(self, line: str, stripped: str, first: int) -> None:
        """Record the comment that line ``first`` is (``stripped``: the line without its
        surrounding blanks), if it is one."""
        if stripped.startswith("#") and line.lstrip(" \t").startswith("#"):
            col = len(line) - len(line.lstrip(" \t")) + 1
            self.comments.append(Comment(first + 1, col, len(line.rstrip()) + 1, True))

    def rule_line(
        self,
        line: str,
        first: int,
        stop: int,
        prefix: str,
        recipes: list[tuple[list[str], list[tuple[int, int, int, str]]]],
    ) -> bool:
        """Read ``TARGETS: [PREREQUISITES] [; RECIPE]`` (lines ``[first, stop)``), or a
        target-specific variable (``TARGETS: NAME = value``); whether a rule starts, whose
        recipe lines follow (they are added to ``recipes``)."""
        colon = _rule_colon(line)
        if colon is None:
            return False  # a line make expands first ($(eval ...)): nothing dockerlint follows
        end = colon + 1
        while end < len(line) and line[end] == ":":
            end += 1
        targets = line[:colon].split()
        rest = line[end:]
        semi = _recipe_after_semicolon(line, end)
        if _TARGET_VAR.match(rest) and (semi is None or rest.find("=") < semi - end):
            self.target_assignment(targets, rest, first, end)
            self.line_comment(first, stop)
            return False  # a target-specific variable: no recipe follows it
        recipes.append((targets or ["?"], []))
        if semi is not None:
            recipes[-1][1].append((first, stop, semi, prefix))
        else:
            self.line_comment(first, stop)
        return True

    def not_a_rule(self, logical: str, line: str, first: int, stop: int) -> bool:
        """Read the logical line ``logical`` (on lines ``[first, stop)``) when it is a variable
        assignment, an ``export`` or another directive; False when it may be a rule."""
        m = _ASSIGN.match(logical)
        if m is not None and _rule_colon(logical) is None:
            self.assignment(m, first)
            self.define_var(m, self.vars)
            self.line_comment(first, stop)
            return True
        if logical == "export":
            self.export_all = True
            return True
        em = _EXPORT_NAMES.match(logical)
        if em is not None:
            self.exported.update(em.group(1).split())
            return True
        if not _DIRECTIVE.match(line):
            return False
        um = _UNDEFINE.match(logical)
        if um is not None:
            for name in um.group(1).split():
                # Undefined from here on, as if never set: a later ``?=`` or ``+=`` sets it
                # anew, and a reference stays an unknown word.
                self.vars.pop(name, None)
        return True

    def define_var(self, m: re.Match[str], into: dict[str, _Var]) -> None:
        """Record ``NAME op value`` as make does: ``=`` recursive, ``:=``/``::=``/``:::=``
        expanded now, ``?=`` only when not yet set, ``+=`` appended in the variable's flavour,
        ``!=`` the output of a command (unknown)."""
        name, op, value = m.group("name"), m.group("op"), m.group("value").strip()
        old = into.get(name)
        if op == "!=":
            into[name] = _Var(False, None)
        elif op in (":=", "::="):
            into[name] = _Var(False, self.simple_value(value))
        elif op == ":::=":
            # Expanded now, its '$' escaped, and recursive from then on (``+=`` appends text
            # that is expanded where the variable is used).
            text = self.simple_value(value)
            into[name] = _Var(True, None if text is None else text.replace("$", "$$"))
        elif op == "?=":
            if old is None:
                into[name] = _Var(True, value)
        elif op == "+=":
            if old is None:
                into[name] = _Var(True, value)
            elif old.text is not None:
                added = value if old.recursive else self.simple_value(value)
                if added is None:
                    into[name] = _Var(old.recursive, None)
                else:
                    text = f"{old.text} {added}" if old.text else added
                    into[name] = _Var(old.recursive, text, old.appends)
        else:
            into[name] = _Var(True, value)

    def simple_value(self, value: str) -> str | None:
        """The value of a simple variable: expanded with the variables set so far."""
        ctx = self.budgeted(_Expansion(self.vars.get))
        n = len(value)
        shell = _expand(value, [0] * n, [0] * n, 0, ctx)
        self.spent(ctx)
        return shell.text if ctx.budget >= 0 else None

    def budgeted(self, ctx: _Expansion) -> _Expansion:
        ctx.budget = min(ctx.budget, self.expansion_left)
        self.expansion_left -= ctx.budget
        return ctx

    def spent(self, ctx: _Expansion) -> None:
        """Give back to the file's budget what the expansion with ``ctx`` did not use."""
        self.expansion_left += max(ctx.budget, 0)

    def expansion(self, targets: list[str]) -> _Expansion:
        """The variables the recipe of the rule for ``targets`` sees."""
        own: dict[str, _Var] = {}
        for target in targets:
            for name, var in self.vars_of_target.get(target, {}).items():
                own.setdefault(name, var)

        def lookup(name: str) -> _Var | None:
            if name in own:
                var = own[name]
                base = self.vars.get(name) if var.appends else None
                if base is None or var.text is None:
                    return var
                if base.text is None:
                    return base
                return _Var(base.recursive, f"{base.text} {var.text}" if base.text else var.text)
            if name in self.target_specific:
                return None
            return self.vars.get(name)

        return self.budgeted(_Expansion(lookup))

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
                if c == "\\" or (c == "$" and line[j + 1 : j + 2] == "$"):
                    j += 2
                    continue
                if c == "$" and line[j + 1 : j + 2] in ("(", "{"):
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

    def walk(self, recipes: list[tuple[str, list[_Shell]]], oneshell: bool) -> None:
        """Read each recipe line (each its own shell; one shell per recipe with
        ``.ONESHELL``). A line the shell would refuse is skipped: make runs it and the shell
        fails, and dockerlint cannot tell what it would have run."""
        env = self.exported_env(self.make_vars, self.exported)
        for label, recipe in recipes:
            scope = f"recipe of '{label}'"
            own = dict(env)
            own.update(self.exported_env(self.target_vars.get(label, {}), self.target_exported.get(label, set())))
            lines = [r for r in recipe if r.text.strip()]
            if oneshell and lines:
                lines = [_joined(lines)]
            for line in lines:
                self.read(line, own, scope)
            if own != env and own:
                self.walker.judge_env(own, scope, _first_var_span(own))
        if env:
            self.walker.judge_env(env, "Makefile", _first_var_span(env))

    def read(self, line: _Shell, env: dict[str, EnvVar], scope: str, inner: bool = False) -> None:
        """Walk one shell text (and the shell texts its make functions run), unless the shell
        would refuse it. Comments count on the recipe line itself only: the text of a make
        function is one opaque word of that line."""
        found: list[tuple[Locator, int, int]] = []
        try:
            script = parse_shell(
                line.text, IndexedLocator(self.loc, line.starts, line.ends), comments=None if inner else found
            )
        except RecursionError:
            return  # nested deeper than the reader follows: skipped, the other lines still read
        if script.issues:
            return  # nor are its comments read: the shell never reads this line
        self.shell_comments.extend(found)
        result = self.walker.script(script, env, scope)
        if result != env:
            self.walker.judge_env(result, scope, _first_var_span(result))
        for text in line.inner:
            self.read(text, env, scope, inner=True)

    def exported_env(self, variables: dict[str, EnvVar], exported: set[str]) -> dict[str, EnvVar]:
        return {name: var for name, var in variables.items() if name in exported or self.export_all}

    def assignment(
        self,
        m: re.Match[str],
        line_index: int,
        into: dict[str, EnvVar] | None = None,
        exported: set[str] | None = None,
        search_from: int = 0,
    ) -> None:
        name = m.group("name")
        if m.group("export"):
            (self.exported if exported is None else exported).add(name)
        if name not in CLIENT_VARS:
            return
        line = self.lines[line_index]
        value = m.group("value").strip()
        name_col = line.find(name, search_from) + 1
        col = line.find(value, name_col - 1 + len(name)) + 1 if value else 0
        no = line_index + 1
        name_span = Span(self.path, no, name_col, no, name_col + len(name))
        if value and col > 0:
            vspan = Span(self.path, no, col, no, col + len(value))
            lvalue = LStr(value, vspan)
        else:
            lvalue = LStr("", name_span)
        end = lvalue.span if value else name_span
        span = Span(self.path, no, name_col, end.end_line, end.end_col)
        (self.make_vars if into is None else into)[name] = EnvVar(name=LStr(name, name_span), value=lvalue, span=span)

    def target_assignment(self, targets: list[str], rest: str, line_index: int, offset: int) -> None:
        """``TARGETS: [export] NAME = value``: the variable in those targets' recipes."""
        text = _strip_comment(rest.strip())
        for word in ("override ", "private ", "unexport "):
            if text.startswith(word):
                text = text[len(word) :].lstrip()
        m = _ASSIGN.match(text)
        if m is None:
            return
        self.target_specific.add(m.group("name"))
        for target in targets:
            into = self.target_vars.setdefault(target, {})
            exported = self.target_exported.setdefault(target, set())
            self.assignment(m, line_index, into, exported, offset)
            if "%" not in target:  # a pattern's variable: unknown in every recipe
                own = self.vars_of_target.setdefault(target, {})
                name = m.group("name")
                if m.group("op") == "+=" and name not in own:
                    # Appended where the recipe is expanded, to the global value make has then.
                    own[name] = _Var(True, m.group("value").strip(), appends=True)
                else:
                    self.define_var(m, own)

    def recipe_line(self, first: int, stop: int, skip: int, prefix: str, ctx: _Expansion) -> _Shell:
        """The shell text of the recipe line on lines ``[first, stop)`` (``skip`` characters of the
        first line are not part of it), with where each of its characters is written.

        As make does: the ``@``/``-``/``+`` prefixes go, a continuation line loses its leading
        recipe prefix (its backslash-newline stays, for the shell), then make references are
        expanded over the whole logical line (a ``$(foreach ...)`` may span lines), the make
        variables of the file with their values (``ctx``)."""
        chars: list[str] = []
        offsets: list[int] = []
        for k in range(first, stop):
            base = self.starts[k]
            line = self.lines[k]
            j = skip if k == first else (1 if line.startswith(prefix) else 0)
            if k == first:
                # Recipe prefixes: @ (silent), - (ignore errors), + (run under -n).
                while j < len(line) and line[j] in "@-+ \t":
                    j += 1
            chars.append(line[j:])
            offsets.extend(range(base + j, base + len(line)))
            if k + 1 < stop:
                chars.append("\n")
                offsets.append(base + len(line))
        shell = _expand("".join(chars), offsets, [o + 1 for o in offsets], 0, ctx)
        self.spent(ctx)
        # Make reads the prefixes again after expansion (``Q ?= @`` then ``$(Q)docker run``).
        k = 0
        while k < len(shell.text) and shell.text[k] in "@-+ \t":
            k += 1
        if k:
            shell = _Shell(shell.text[k:], shell.starts[k:], shell.ends[k:], shell.inner)
        return shell


def _define_depth(stripped: str, depth: int) -> int:
    """How deep in ``define`` blocks the line ``stripped`` of one leaves make."""
    if stripped.startswith("endef") and (len(stripped) == 5 or stripped[5] in " \t#"):
        return depth - 1
    if _DEFINE.match(stripped):
        return depth + 1
    return depth


def _joined(lines: list[_Shell]) -> _Shell:
    """The recipe lines of a ``.ONESHELL`` recipe as one script."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    inner: list[_Shell] = []
    for k, line in enumerate(lines):
        if k:
            out.append("\n")
            starts.append(ends[-1])
            ends.append(ends[-1] + 1)
        out.append(line.text)
        starts.extend(line.starts)
        ends.extend(line.ends)
        inner.extend(line.inner)
    return _Shell("".join(out), starts, ends, inner)


def _continues(line: str) -> bool:
    trailing = len(line) - len(line.rstrip("\\"))
    return trailing % 2 == 1


def _strip_comment(text: str) -> str:
    """``text`` without its make comment (``#`` outside references, not escaped)."""
    depth = 0
    for j, c in enumerate(text):
        if c in "({":
            depth += 1
        elif c in ")}" and depth:
            depth -= 1
        elif c == "#" and not depth and (j == 0 or text[j - 1] != "\\"):
            return text[:j].rstrip()
    return text


def _shell_setting(logical: str, shell_ok: bool) -> bool:
    """Whether recipes run in a POSIX shell after the line ``logical`` (``SHELL = /bin/bash``
    keeps them readable; ``SHELL = python3`` does not); ``shell_ok`` before it."""
    sm = _SHELL_ASSIGN.match(logical)
    if sm is not None and sm.group(1) and "$" not in sm.group(1):
        return shebang_program("#!" + sm.group(1)) in SHELLS
    return shell_ok


def _rule_colon(line: str) -> int | None:
    """Where the colon of a rule line ``targets: prerequisites`` is (outside make references
    and before any ``=``, ``;`` or comment), or None when the line is not a rule."""
    depth = 0
    for j, c in enumerate(line):
        if c == "$" and j + 1 < len(line) and line[j + 1] in "({":
            continue
        if c in "({":
            depth += 1
        elif c in ")}":
            depth = max(depth - 1, 0)
        elif depth:
            continue
        elif c == ":":
            k = j
            while k < len(line) and line[k] == ":":
                k += 1
            return None if line.startswith("=", k) else j  # ``:=``, ``::=``: an assignment
        elif c in "=;#":
            return None
    return None


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


def _expand(text: str, starts: list[int], ends: list[int], depth: int = 0, ctx: _Expansion | None = None) -> _Shell:
    """The shell text of a recipe line as make hands it over, each character with the file
    offsets it comes from (character ``k`` of ``text`` is written at ``[starts[k], ends[k])``).

    ``$$`` is ``$``; ``$(NAME)`` / ``${NAME}`` of a variable the file sets (``ctx``) is its
    value, expanded the same way (a recursive variable's text where it is used), every
    character of it located at the reference; the reference of any other variable keeps its
    text (the shell reads an unknown expansion); a function call (``$(foreach ...)``,
    ``$(shell ...)``, ``$(if ...)``, nested references, a reference over continuation lines)
    becomes one opaque expansion over its text; ``$@`` and other one-character variables stay
    an expansion. The command of a ``$(shell ...)`` and the text of a ``$(foreach ...)`` are
    shell text make runs: they are expanded the same way into ``inner`` of the result."""
    out: list[str] = []
    out_starts: list[int] = []
    out_ends: list[int] = []
    runs: list[_Shell] = []
    n = len(text)
    j = 0
    while j < n:
        dollar = text.find("$", j, n - 1)  # a '$' that ends the text is a character
        if dollar != j:
            stop = n if dollar < 0 else dollar
            out.append(text[j:stop])
            out_starts.extend(starts[j:stop])
            out_ends.extend(ends[j:stop])
            j = stop
            continue
        nxt = text[j + 1]
        if nxt == "$":
            out.append("$")
            out_starts.append(starts[j])
            out_ends.append(ends[j + 1])
            j += 2
            continue
        if nxt in "({":
            close = ")" if nxt == "(" else "}"
            k = _ref_end(text, j + 2, nxt, close)
            inner = text[j + 2 : k - 1] if k <= n and text[k - 1] == close else text[j + 2 : k]
            if _NAME_REF.fullmatch(inner) and inner.split(":", 1)[0] not in _SHELL_WORDS:
                value = _variable(inner, ctx, starts[j], ends[k - 1], depth) if text[k - 1] == close else None
                if value is not None:
                    # $(NAME) of a variable the file sets: its value, located at the reference.
                    out.append(value.text)
                    out_starts.extend(value.starts)
                    out_ends.extend(value.ends)
                    runs.extend(value.inner)
                else:
                    # $(NAME) / ${NAME}: kept as written; the shell reads an expansion.
                    out.append(text[j:k])
                    out_starts.extend(starts[j:k])
                    out_ends.extend(ends[j:k])
            else:
                for ch in _opaque(inner):
                    out.append(ch)
                    out_starts.append(starts[j])
                    out_ends.append(ends[k - 1])
                body = _shell_text_of(text, j + 2, k - 1) if text[k - 1] == close else None
                if body is not None and depth < _MAX_NESTING:
                    a, b = body
                    runs.append(_expand(text[a:b], starts[a:b], ends[a:b], depth + 1, ctx))
            j = k
            continue
        # $@ $< $^ ... : automatic variables; $< and $| would read as redirections.
        out.append("$")
        out.append(nxt if nxt.isalnum() or nxt in "@*?_" else "_")
        out_starts.extend((starts[j], starts[j + 1]))
        out_ends.extend((ends[j], ends[j + 1]))
        j += 2
    return _Shell("".join(out), out_starts, out_ends, runs)


def _variable(name: str, ctx: _Expansion | None, start: int, end: int, depth: int) -> _Shell | None:
    """The value of make variable ``name`` referenced at ``[start, end)``, every character
    located there; None when it stays an unknown word for the shell: not set by the file, a
    value dockerlint cannot know, a substitution reference (``$(SRC:.c=.o)``), a variable
    that refers to itself (make's error), or past the expansion budget."""
    if ctx is None or ":" in name:
        return None
    if name in ctx.active or depth >= _MAX_VAR_DEPTH:
        ctx.broken = bool(ctx.active)
        return None
    var = ctx.lookup(name)
    if var is None or var.text is None:
        return None
    text = var.text
    if ctx.budget < len(text):
        ctx.budget = -1
        return None
    ctx.budget -= len(text)
    n = len(text)
    if not var.recursive:  # a simple variable was expanded where it is set
        return _Shell(text, [start] * n, [end] * n)
    ctx.active.add(name)
    try:
        value = _expand(text, [start] * n, [end] * n, depth + 1, ctx)
    finally:
        ctx.active.discard(name)
    if ctx.broken:
        ctx.broken = bool(ctx.active)  # unknown up to the outermost reference, then reset
        return None
    if ctx.budget < 0:
        return None
    return value


def _shell_text_of(text: str, a: int, b: int) -> tuple[int, int] | None:
    """In the make function call ``text[a:b]`` (inside its parentheses), where the shell text
    make runs is: the command of ``shell``, the third argument of ``foreach``; or None."""
    m = _RUNS_SHELL.match(text, a, b)
    if m is None:
        return None
    start = m.end()
    if m.group(1) == "shell":
        return (start, b) if text[start:b].strip() else None
    # foreach VAR,LIST,TEXT: commas outside nested references separate the arguments.
    depth = 0
    commas: list[int] = []
    for j in range(start, b):
        c = text[j]
        if c in "({":
            depth += 1
        elif c in ")}":
            depth -= 1
        elif c == "," and depth == 0:
            commas.append(j)
            if len(commas) == 2:
                break
    if len(commas) < 2 or not text[commas[1] + 1 : b].strip():
        return None
    return commas[1] + 1, b


def _ref_end(text: str, j: int, opener: str, close: str) -> int:
    """The end of the reference whose body starts at ``j`` (make counts only the
    parenthesis kind that opened it)."""
    depth = 1
    n = len(text)
    while j < n:
        c = text[j]
        if c == opener:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return n
