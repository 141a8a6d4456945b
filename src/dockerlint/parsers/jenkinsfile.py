"""Jenkinsfiles (``Jenkinsfile``, ``Jenkinsfile.*``, ``*.jenkinsfile``; declarative and scripted
pipelines) -> the containers they start and the ``docker run`` lines of their ``sh`` steps.

Groovy is read with the small tokenizer of :mod:`dockerlint.parsers.groovy` (strings,
comments, identifiers, brackets; no expression grammar), not a Groovy grammar: see the
README's "Jenkinsfiles" for why. What is read, as the Docker Pipeline plugin runs it:

* ``agent { docker { image '…'; args '…' } }`` (also ``agent { docker '…' }`` and
  ``docker(image: …, args: …)``), at the top or in a stage: ``docker run`` of the image with
  ``args`` (split as a shell would, each word located inside its string), as the agent's
  user (the plugin passes ``-u <uid>:<gid>``: a user nobody knows here);
  ``reuseNode``, ``label``, ``alwaysPull``, ``registryUrl``, ``registryCredentialsId``,
  ``customWorkspace`` start nothing and are ignored;
* ``agent { dockerfile { filename …; dir …; additionalBuildArgs …; args … } }`` (and
  ``dockerfile true``): the same, of the image built from ``dir/filename`` (``Dockerfile``
  by default, relative to the Jenkinsfile's folder): a build linked to its Dockerfile as a
  Compose ``build:`` is (DC122; the Dockerfile is linted whatever its name);
* scripted ``docker.image('…').inside('…')`` (as the agent's user), ``.withRun('…', '…')``
  and ``.run('…', '…')`` (``docker run -d``; the second string is the command), also
  through a variable (``def img = docker.image('…')``); ``docker.build('name', '…')`` builds
  an image of the scan (DF106/DC118 know it is built here);
* ``sh '…'``, ``sh "…"``, ``sh '''…'''``, ``sh \"\"\"…\"\"\"``, ``sh(script: …)``, ``sh script: …``:
  each a shell script, read by the shell reader (``docker run`` lines become containers,
  ``DOCKER_HOST`` exports feed DD104), every word at its place in the Groovy string.
  A GString interpolation (``${…}``, ``$name``) is a value nobody knows, as a shell variable.

A string, comment or interpolation that never ends, or a ``{`` never closed (or a ``}``
that closes nothing), is one DC000 at its position; what was read before it still counts.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from typing import Any

from dockerlint.models.base import LStr, Span
from dockerlint.models.container import BuildRef, EnvVar
from dockerlint.models.shell import SHELLS, Command, Script, Word
from dockerlint.models.source import SourceFile
from dockerlint.parsers.cmdline import CLIENT_VARS, Walker, built_image, container, invocation, relevant
from dockerlint.parsers.groovy import ID, OP, STR, GString, Token, tokenize
from dockerlint.parsers.output import Comment, ParseOutput, Problem, comment_at
from dockerlint.parsers.script import RULE_ID, issues, shebang_program
from dockerlint.parsers.shell import TextLocator
from dockerlint.parsers.shell import parse as parse_shell

SOURCE = "jenkins"
# The user the Docker Pipeline plugin runs agent containers as (``-u $(id -u):$(id -g)`` of
# the agent): known only on the agent.
AGENT_USER = "$(id -u):$(id -g)"
_RUNS = {"inside": False, "withRun": True, "run": True}  # method -> detached (``-d``)
_OPEN = {"(": ")", "[": "]", "{": "}"}
_BLANKS_ONLY = frozenset({"stripIndent", "trim"})  # String methods that change only leading/trailing blanks


def parse(src: SourceFile) -> ParseOutput:
    text = src.text
    got = tokenize(text)
    lines = src.lines
    locator = TextLocator(src.path, text, index=src.index)
    comments = [_comment(lines, locator, a, b) for a, b in got.comments]
    reader = _Pipeline(src.path, got.tokens, locator)
    problems: list[Problem] = []
    try:
        reader.run()
    finally:
        shell = issues(reader.scripts)
        if got.problem is not None:  # the rest of the file is one string or comment
            message, at = got.problem
            what = "the file has" if got.bounded else "Groovy syntax error:"
            problems.append(
                Problem(RULE_ID, f"{what} {message}; the text after it is not read", locator.span(at, at + 1))
            )
        elif reader.problem is not None:
            message, at = reader.problem
            problems.append(
                Problem(
                    RULE_ID,
                    f"Groovy syntax error: {message}; Jenkins refuses the file (its steps are read as written)",
                    locator.span(at, at + 1),
                )
            )
        elif shell:
            problems.extend(shell)
    return ParseOutput(models=reader.walker.models, problems=problems, comments=comments)


def _comment(lines: list[str], locator: TextLocator, a: int, b: int) -> Comment:
    """A ``//`` or ``/* */`` comment (one of several lines: its first line)."""
    s = locator.span(a, max(b, a + 1))
    end = s.end_col if s.end_line == s.line else len(lines[s.line - 1]) + 1 if s.line <= len(lines) else s.col + 1
    return comment_at(lines, s.line, s.col, end)


class _Pipeline:
    def __init__(self, path: str, tokens: list[Token], locator: TextLocator) -> None:
        self.path = path
        self.toks = tokens
        self.loc = locator
        self.walker = Walker(path, SOURCE)
        self.scripts: list[Script] = []
        self.problem: tuple[str, int] | None = None
        self.match = self._brackets()
        self.images: dict[str, tuple[Word, Token]] = {}  # variable -> image of docker.image/build
        self.blocks: list[int] = []  # the open '{' around the current token
        self.envs: list[tuple[int, dict[str, EnvVar]]] = []  # (end of the block, its settings), outermost first
        self.judged: list[tuple[str, dict[str, EnvVar]]] = []

    # -- structure -------------------------------------------------------------------------

    def _brackets(self) -> dict[int, int]:
        """Index of each opening bracket -> index of its closing one (one stack per kind);
        the first bracket never closed, or closing nothing, is the reader's problem."""
        match: dict[int, int] = {}
        stacks: dict[str, list[int]] = {"(": [], "[": [], "{": []}
        closers = {v: k for k, v in _OPEN.items()}
        for j, t in enumerate(self.toks):
            if t.kind != OP:
                continue
            if t.text in _OPEN:
                stacks[t.text].append(j)
            elif t.text in closers:
                stack = stacks[closers[t.text]]
                if stack:
                    match[stack.pop()] = j
                elif self.problem is None:
                    self.problem = (f"'{t.text}' closes no '{closers[t.text]}'", t.start)
        unclosed = min((stack[0] for stack in stacks.values() if stack), default=None)
        if unclosed is not None and self.problem is None:
            self.problem = (f"'{self.toks[unclosed].text}' is never closed", self.toks[unclosed].start)
        return match

    def tok(self, j: int) -> Token | None:
        return self.toks[j] if 0 <= j < len(self.toks) else None

    def is_op(self, j: int, text: str) -> bool:
        t = self.tok(j)
        return t is not None and t.kind == OP and t.text == text

    def is_id(self, j: int, text: str | None = None) -> bool:
        t = self.tok(j)
        return t is not None and t.kind == ID and (text is None or t.text == text)

    def string(self, j: int) -> GString | None:
        t = self.tok(j)
        return t.string if t is not None and t.kind == STR else None

    def top_level(self, a: int, b: int) -> Iterator[int]:
        """Indexes of the tokens in ``[a, b)`` outside nested brackets."""
        j = a
        while j < b:
            yield j
            t = self.toks[j]
            j = self.match.get(j, j) + 1 if t.kind == OP and t.text in _OPEN else j + 1

    def call_args(self, j: int) -> tuple[list[GString | None], dict[str, GString | None], int]:
        """The arguments of a call whose name is at ``j``: ``name(…)`` or ``name …`` (without
        parentheses, up to the end of the statement): the positional strings (None for what is
        not a string), the named string arguments, and the index after the call."""
        n = len(self.toks)
        if self.is_op(j + 1, "("):
            close = self.match.get(j + 1, n)
            a, b = j + 2, close
            after = close + 1
        else:
            a = j + 1
            b = a
            line_end = self.loc.span(self.toks[j].start, self.toks[j].end).line
            while b < n:
                t = self.toks[b]
                if t.kind == OP and t.text in (";", "}", ")", "]"):
                    break
                if b > a and self.loc.span(t.start, t.end).line != line_end and not self.is_op(b - 1, ","):
                    break
                if t.kind == OP and t.text in _OPEN:
                    b = self.match.get(b, n - 1)
                line_end = self.loc.span(self.toks[b].start, self.toks[b].end).end_line  # a string may span lines
                b += 1
            after = b
        positional: list[GString | None] = []
        named: dict[str, GString | None] = {}
        k = a
        for k in self.top_level(a, b):
            if k > a and not self.is_op(k - 1, ","):
                continue
            t = self.toks[k]
            if t.kind in (ID, STR) and self.is_op(k + 1, ":"):
                named[t.text] = self.string(k + 2) if self.is_simple(k + 2) else None
            else:
                positional.append(self.string(k) if self.is_simple(k) else None)
        return positional, named, after

    def is_simple(self, j: int) -> bool:
        """A string alone as an argument (not the start of a concatenation or a call on it;
        ``.stripIndent()`` and ``.trim()`` change only blanks the shell skips anyway)."""
        if self.string(j) is None:
            return False
        k = j + 1
        if self.is_op(k, ".") and self.is_id(k + 1) and self.toks[k + 1].text in _BLANKS_ONLY:
            k += 4 if self.is_op(k + 2, "(") and self.is_op(k + 3, ")") else 2
        nxt = self.tok(k)
        return nxt is None or nxt.kind != OP or nxt.text in (",", ")", ";", "}", "]")

    # -- walking -------------------------------------------------------------------------------

    def run(self) -> None:
        stages: list[tuple[int, str]] = []  # (index of the stage's '}', name)
        j = 0
        n = len(self.toks)
        while j < n:
            while stages and stages[-1][0] < j:
                stages.pop()
            t = self.toks[j]
            self.scopes(t, j)
            if t.kind == ID:
                scope = f"stage {stages[-1][1]!r}" if stages else "pipeline"
                if t.text == "stage":
                    self.stage(j, stages)
                elif t.text == "sh" and not self.is_op(j + 1, "=") and not self.is_op(j + 1, "."):
                    self.sh(j, scope)
                elif t.text == "environment" and self.is_op(j + 1, "{"):
                    self.environment(j + 1, scope)
                elif t.text == "agent" and self.is_op(j + 1, "{"):
                    self.agent(j + 1, scope)
                elif t.text == "docker" and self.is_op(j + 1, ".") and not self.is_op(j - 1, "."):
                    self.scripted(j, scope)
                elif t.text in self.images and self.is_op(j + 1, ".") and self.is_id(j + 2):
                    word, at = self.images[t.text]
                    self.method(j + 2, word, at, scope)
            j += 1
        for scope, variables in self.judged:  # the blocks' settings, unless a docker command was judged with them
            self.walker.judge_env(variables, scope, next(iter(variables.values())).span)

    def scopes(self, t: Token, j: int) -> None:
        """Follow the blocks (``{`` … ``}``) around token ``j``, and the ``environment {}``
        settings in force there."""
        if t.kind != OP or t.text not in "{}":
            return
        if t.text == "{":
            self.blocks.append(j)
        elif self.blocks:
            self.blocks.pop()
        while self.envs and self.envs[-1][0] < j:
            self.envs.pop()

    def env(self) -> dict[str, EnvVar]:
        """The Docker client settings of the ``environment {}`` blocks around the current token."""
        out: dict[str, EnvVar] = {}
        for _, variables in self.envs:
            out.update(variables)
        return out

    def environment(self, open_: int, scope: str) -> None:
        """``environment { DOCKER_HOST = 'tcp://…' }``: the client settings of the steps of the
        block that holds it (a value that is not a string, such as ``credentials('id')``, is
        not known)."""
        close = self.match.get(open_, len(self.toks))
        variables: dict[str, EnvVar] = {}
        for k in self.top_level(open_ + 1, close):
            t = self.toks[k]
            value = self.string(k + 2) if self.is_op(k + 1, "=") and self.is_simple(k + 2) else None
            if t.kind != ID or t.text not in CLIENT_VARS or value is None:
                continue
            name = LStr(t.text, self.loc.span(t.start, t.end))
            lstr = self.lstr(value)
            span = Span(self.path, name.span.line, name.span.col, lstr.span.end_line, lstr.span.end_col)
            variables[t.text] = EnvVar(name=name, value=lstr, span=span)
        if variables:
            holder = self.blocks[-1] if self.blocks else None  # the block around environment {}
            end = self.match.get(holder, len(self.toks)) if holder is not None else len(self.toks)
            self.envs.append((end, variables))
            self.judged.append((scope, variables))

    def stage(self, j: int, stages: list[tuple[int, str]]) -> None:
        positional, _, after = self.call_args(j) if self.is_op(j + 1, "(") else ([], {}, j + 1)
        name = positional[0].value if positional and positional[0] is not None else "?"
        if self.is_op(after, "{"):
            stages.append((self.match.get(after, len(self.toks)), name))

    def sh(self, j: int, scope: str) -> None:
        positional, named, _ = self.call_args(j)
        script = named.get("script") if "script" in named else (positional[0] if positional else None)
        if script is None or not relevant(script.value):
            return
        program = shebang_program(script.value[:200].split("\n", 1)[0])
        if program is not None and program not in SHELLS:
            return  # a script for another interpreter
        parsed = parse_shell(script.value, script.locator(self.loc))
        self.scripts.append(parsed)
        start = self.env()
        env = self.walker.script(parsed, start, scope)
        if env and env != start:
            self.walker.judge_env(env, scope, next(iter(env.values())).span)

    # -- containers ------------------------------------------------------------------------------

    def agent(self, open_: int, scope: str) -> None:
        """``agent { docker … }`` / ``agent { dockerfile … }``."""
        close = self.match.get(open_, len(self.toks))
        for k in self.top_level(open_ + 1, close):
            t = self.toks[k]
            if t.kind != ID or t.text not in ("docker", "dockerfile"):
                continue
            settings = self.settings(k)
            if t.text == "docker":
                image = settings.get("image")
                if image is None:
                    continue
                self.start(
                    t, self.word(image), settings.get("args"), None, False, True, f"agent docker of {scope}", scope
                )
            elif settings or self.is_id(k + 1, "true"):
                self.dockerfile_agent(t, settings, scope)

    def settings(self, k: int) -> dict[str, GString]:
        """``docker '…'``, ``docker(image: …)``, ``docker { image '…'; args '…' }``: the string
        settings of an agent block (the image as ``image``)."""
        out: dict[str, GString] = {}
        if self.is_op(k + 1, "{"):
            close = self.match.get(k + 1, len(self.toks))
            for m in self.top_level(k + 2, close):
                t = self.toks[m]
                if t.kind == ID and (m == k + 2 or not self.is_op(m - 1, ".")):
                    positional, _, _ = self.call_args(m)
                    if positional and positional[0] is not None:
                        out[t.text] = positional[0]
            return out
        positional, named, _ = self.call_args(k)
        out.update({key: v for key, v in named.items() if v is not None})
        if positional and positional[0] is not None:
            out["image"] = positional[0]
        return out

    def dockerfile_agent(self, t: Token, settings: dict[str, GString], scope: str) -> None:
        name = settings.get("filename")
        folder = settings.get("dir")
        file_name = name.value if name is not None else "Dockerfile"
        dir_name = folder.value if folder is not None else ""
        anchor = self.loc.span(t.start, t.end)
        path = None
        if not any(g is not None and g.interpolated for g in (name, folder)):
            joined = os.path.join(os.path.dirname(self.path), dir_name, file_name)
            path = os.path.normpath(joined).replace(os.sep, "/")
        where = name or folder
        ref = BuildRef(
            span=self.val_span(where) if where is not None else anchor,
            key_span=anchor,
            context=self.lstr(folder) if folder is not None else None,
            dockerfile=self.lstr(name) if name is not None else LStr("Dockerfile", anchor),
            target=None,
            privileged=None,
            dockerfile_path=path,
        )
        image = self.synthetic("image-built-from-" + file_name, anchor)
        self.start(
            t, image, settings.get("args"), None, False, True, f"agent dockerfile of {scope}", scope, build_ref=ref
        )

    def scripted(self, j: int, scope: str) -> None:
        """``docker.image('…')…``, ``docker.build('…', '…')…``."""
        if not self.is_id(j + 2) or not self.is_op(j + 3, "("):
            return
        what = self.toks[j + 2].text
        if what not in ("image", "build"):
            return
        positional, _, after = self.call_args(j + 2)
        if not positional or positional[0] is None:
            return
        word = self.word(positional[0])
        if what == "build":
            self.build_image(j, positional)
        if self.is_op(j - 1, "=") and self.is_id(j - 2):
            self.images[self.toks[j - 2].text] = (word, self.toks[j])
        if self.is_op(after, ".") and self.is_id(after + 1):
            self.method(after + 1, word, self.toks[j], scope)

    def method(self, k: int, image: Word, at: Token, scope: str) -> None:
        name = self.toks[k].text
        if name not in _RUNS:
            return
        positional, _, _ = self.call_args(k) if self.is_op(k + 1, "(") else ([], {}, k + 1)
        args = positional[0] if positional else None
        command = positional[1] if len(positional) > 1 and name != "inside" else None
        label = f"docker.image({image.text!r}).{name}"
        self.start(at, image, args, command, _RUNS[name], name == "inside", label, scope, end=self.toks[k])

    def start(
        self,
        at: Token,
        image: Word,
        args: GString | None,
        command: GString | None,
        detach: bool,
        agent_user: bool,
        label: str,
        scope: str,
        build_ref: BuildRef | None = None,
        end: Token | None = None,
    ) -> None:
        """The container of ``docker run [-d] [-u agent] ARGS IMAGE [COMMAND]``."""
        anchor = self.loc.span(at.start, (end or at).end)
        words = [self.synthetic("docker", anchor), self.synthetic("run", anchor)]
        if detach:
            words.append(self.synthetic("-d", anchor))
        if agent_user:
            words += [self.synthetic("-u", anchor), self.synthetic(AGENT_USER, anchor, literal=False)]
        if args is not None:
            words += self.shell_words(args)
        words.append(image)
        if command is not None:
            words += self.shell_words(command)
        cmd = Command(
            kind="simple",
            words=tuple(words),
            assignments=(),
            redirects=(),
            span=anchor,
            name="docker",
            name_index=0,
            body=(),
        )
        inv = invocation(cmd)
        c = container(inv, cmd, SOURCE, self.path) if inv is not None else None
        if c is None:
            return
        update: dict[str, Any] = {"name": LStr(label, anchor)}
        if build_ref is not None:
            update["build"] = build_ref
            update["image"] = None
        self.walker.add_container(dataclasses.replace(c, **update))

    def build_image(self, j: int, positional: list[GString | None]) -> None:
        """``docker.build('name', 'args')``: ``docker build -t name args`` (args ``.`` by default)."""
        at = self.toks[j]
        anchor = self.loc.span(at.start, at.end)
        name = positional[0]
        assert name is not None
        words = [
            self.synthetic("docker", anchor),
            self.synthetic("build", anchor),
            self.synthetic("-t", anchor),
            self.word(name),
        ]
        args = positional[1] if len(positional) > 1 else None
        words += self.shell_words(args) if args is not None else [self.synthetic(".", anchor)]
        cmd = Command(
            kind="simple",
            words=tuple(words),
            assignments=(),
            redirects=(),
            span=anchor,
            name="docker",
            name_index=0,
            body=(),
        )
        inv = invocation(cmd)
        if inv is None:
            return
        image = built_image(inv, cmd, self.path, self.walker.bases)
        if image is not None:
            self.walker.models.append(image)

    # -- words ---------------------------------------------------------------------------------

    def val_span(self, s: GString) -> Span:
        return s.locator(self.loc).span(0, len(s.value)) if s.value else self.loc.span(s.start, s.end)

    def lstr(self, s: GString) -> LStr:
        return LStr(s.value, self.val_span(s))

    def word(self, s: GString) -> Word:
        """A Groovy string as one argument (no shell splits it): the image."""
        return Word(
            raw=s.value,
            value=None if s.interpolated else s.value,
            text=s.value,
            span=self.val_span(s),
            quoted=True,
            substitutions=(),
        )

    def synthetic(self, text: str, span: Span, literal: bool = True) -> Word:
        """A word the plugin adds to the command line, located at the call that adds it."""
        return Word(raw=text, value=text if literal else None, text=text, span=span, quoted=False, substitutions=())

    def shell_words(self, s: GString) -> list[Word]:
        """An ``args`` string split as a shell splits it, each word located in the string."""
        script = parse_shell(s.value, s.locator(self.loc))
        return [w for step in script.walk() for w in (*step.command.assignments, *step.command.words)]
