"""The shell parser (parsers/shell.py) and the shell model of Dockerfile RUN instructions.

Spans are checked exactly: (line, col, end_line, end_col), 1-based, end exclusive.
"""

from __future__ import annotations

import dataclasses
import shlex

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerlint.models.base import Span
from dockerlint.models.image import ImageBuild
from dockerlint.models.schema import dump
from dockerlint.models.shell import Command, Script, Word, unwrap
from dockerlint.models.source import SourceFile
from dockerlint.parsers.dockerfile import parse as parse_dockerfile
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.shell import TextLocator, parse
from helpers import dedent


def sh(text: str) -> Script:
    return parse(text, TextLocator("f", text))


def pos(s: Span) -> tuple[int, int, int, int]:
    return s.line, s.col, s.end_line, s.end_col


def commands(script: Script) -> list[Command]:
    return [step.command for step in script.walk()]


def values(cmd: Command) -> list[str | None]:
    return [w.value for w in cmd.words]


def cut(text: str, span: Span) -> str:
    """The text a span covers."""
    starts = [0]
    for i, c in enumerate(text):
        if c == "\n":
            starts.append(i + 1)
    return text[starts[span.line - 1] + span.col - 1 : starts[span.end_line - 1] + span.end_col - 1]


def dockerfile(text: str) -> ImageBuild:
    return parse_dockerfile(SourceFile("Dockerfile", "dockerfile", dedent(text))).models[0]


def run(text: str, index: int = -1) -> Script:
    runs = [i for i in dockerfile(text).instructions if i.script is not None]
    script = runs[index].script
    assert script is not None
    return script


# -- words --------------------------------------------------------------------------------


def test_plain_words_and_spans() -> None:
    s = sh("apt-get install -y curl")
    (cmd,) = commands(s)
    assert values(cmd) == ["apt-get", "install", "-y", "curl"]
    assert [pos(w.span) for w in cmd.words] == [(1, 1, 1, 8), (1, 9, 1, 16), (1, 17, 1, 19), (1, 20, 1, 24)]
    assert cmd.name == "apt-get" and cmd.name_index == 0
    assert pos(cmd.span) == (1, 1, 1, 24)


def test_quotes_escapes_and_ansi_c() -> None:
    (cmd,) = commands(sh("""echo 'a b' "c \\"d\\" \\$e" f\\ g $'h\\tI\\x41' "" """))
    assert values(cmd) == ["echo", "a b", 'c "d" $e', "f g", "h\tIA", ""]
    assert [w.raw for w in cmd.words[1:]] == ["'a b'", '"c \\"d\\" \\$e"', "f\\ g", "$'h\\tI\\x41'", '""']
    assert all(w.quoted for w in cmd.words[1:])
    assert pos(cmd.words[2].span) == (1, 12, 1, 25)


def test_expansions_make_value_unknown_but_keep_text() -> None:
    (cmd,) = commands(sh('curl -o "$HOME/.netrc" ${URL:-https://x} $((1 + 2)) ~/.npmrc'))
    assert values(cmd) == ["curl", "-o", None, None, None, "~/.npmrc"]
    assert [w.text for w in cmd.words[2:5]] == ["$HOME/.netrc", "${URL:-https://x}", "$((1 + 2))"]


def test_parameter_expansion_is_opaque_even_with_spaces_and_braces() -> None:
    (cmd,) = commands(sh('echo ${a:-"x y"} ${b/\\}/z} ${#c}'))
    assert [w.text for w in cmd.words[1:]] == ['${a:-"x y"}', "${b/\\}/z}", "${#c}"]


def test_comments() -> None:
    s = sh("echo a # not | a pipe\necho b#c")
    assert [values(c) for c in commands(s)] == [["echo", "a"], ["echo", "b#c"]]


def test_line_continuation_inside_and_between_words() -> None:
    text = "curl -fsSL \\\n  https://x \\\n  | sh\nec\\\nho hi"
    s = sh(text)
    curl, shell, echo = commands(s)
    assert pos(curl.words[2].span) == (2, 3, 2, 12)
    assert pos(shell.words[0].span) == (3, 5, 3, 7)
    assert echo.words[0].value == "echo" and pos(echo.words[0].span) == (4, 1, 5, 3)


# -- operators, pipelines, lists -----------------------------------------------------------


def test_pipelines_and_operators() -> None:
    s = sh("a | b |& c && ! d || e; f & g\nh")
    pipes = s.pipelines
    assert [[c.name for c in p.commands] for p in pipes] == [["a", "b", "c"], ["d"], ["e"], ["f"], ["g"], ["h"]]
    assert pipes[0].operators == ("|", "|&")
    assert [p.next_op for p in pipes] == ["&&", "||", ";", "&", "\n", None]
    assert pipes[1].negated
    assert pos(pipes[0].span) == (1, 1, 1, 11)


def test_operator_followed_by_newlines() -> None:
    s = sh("a &&\n\n  b |\n c")
    assert [[c.name for c in p.commands] for p in s.pipelines] == [["a"], ["b", "c"]]


def test_redirections() -> None:
    (cmd,) = commands(sh("cmd >out 2>&1 >>log <in &>all 3<>rw <<<'here' >|f 2>/dev/null"))
    reds = [(r.op, r.fd, r.target.value if r.target else None) for r in cmd.redirects]
    assert reds == [
        (">", None, "out"),
        (">&", 2, "1"),
        (">>", None, "log"),
        ("<", None, "in"),
        ("&>", None, "all"),
        ("<>", 3, "rw"),
        ("<<<", None, "here"),
        (">|", None, "f"),
        (">", 2, "/dev/null"),
    ]
    assert values(cmd) == ["cmd"]
    assert pos(cmd.redirects[1].span) == (1, 10, 1, 14)
    assert [r.writes for r in cmd.redirects[:3]] == [True, False, True]


def test_assignments_before_the_command() -> None:
    (cmd,) = commands(sh('FOO=bar BAZ="a b" arr[1]=x make install'))
    assert [w.raw for w in cmd.assignments] == ["FOO=bar", 'BAZ="a b"', "arr[1]=x"]
    assert values(cmd) == ["make", "install"] and cmd.name == "make"
    (only,) = commands(sh("A=1 B=(x y z)"))
    assert [w.raw for w in only.assignments] == ["A=1", "B="] and only.words == () and only.name is None


# -- substitutions --------------------------------------------------------------------------


def test_command_substitution_and_backquotes_are_nested_scripts() -> None:
    text = 'echo "v=$(curl -s https://x | jq -r .v)" `id -u`'
    s = sh(text)
    echo = s.pipelines[0].commands[0]
    sub = echo.words[1].substitutions[0]
    assert sub.kind == "$(" and cut(text, sub.span) == "$(curl -s https://x | jq -r .v)"
    assert [c.name for c in sub.script.pipelines[0].commands] == ["curl", "jq"]
    back = echo.words[2].substitutions[0]
    assert back.kind == "`" and [c.name for c in commands(back.script)] == ["id"]
    steps = list(s.walk())
    assert [(st.command.name, st.via, st.position) for st in steps] == [
        ("echo", "", 0),
        ("curl", "$(", 0),
        ("jq", "$(", 1),
        ("id", "`", 0),
    ]


def test_nested_substitutions_and_parentheses_inside() -> None:
    s = sh("x=$(echo $(date) \")\" ')'; (a)) && y")
    assert [c.name for c in commands(s)] == [None, "echo", "date", None, "a", "y"]


def test_case_inside_a_substitution() -> None:
    s = sh("v=$(case $x in a) echo a;; b|c) echo bc;; esac); next")
    assert [c.name for c in commands(s)] == [None, None, "echo", "echo", "next"]


def test_escaped_backquotes_nest() -> None:
    text = "echo `echo \\`id\\``"
    inner = commands(sh(text))
    assert [c.name for c in inner] == ["echo", "echo", "id"]
    assert cut(text, inner[2].words[0].span) == "id"


def test_process_substitution() -> None:
    text = "bash <(curl -fsSL https://x) >(tee log)"
    (cmd,) = commands(sh(text))[:1]
    assert [s.kind for w in cmd.words for s in w.substitutions] == ["<(", ">("]
    assert cut(text, cmd.words[1].span) == "<(curl -fsSL https://x)"
    assert [c.name for c in commands(sh(text))] == ["bash", "curl", "tee"]


# -- compound commands ----------------------------------------------------------------------


def test_if_loops_groups_and_subshells() -> None:
    text = dedent("""
        if [ -f a ]; then b; elif c; then d; else e; fi
        for f in x y; do g "$f"; done
        while read l; do h; done < file
        { i; j; } > out
        (cd k && l)
        """)
    s = sh(text)
    kinds = [c.kind for p in s.pipelines for c in p.commands]
    assert kinds == ["if", "for", "while", "group", "subshell"]
    assert [c.name for c in commands(s) if c.kind == "simple"] == [
        "[",
        "b",
        "c",
        "d",
        "e",
        "g",
        "read",
        "h",
        "i",
        "j",
        "cd",
        "l",
    ]
    assert [w.value for w in s.pipelines[1].commands[0].words] == ["f", "in", "x", "y"]
    assert [r.op for r in s.pipelines[2].commands[0].redirects] == ["<"]
    assert pos(s.pipelines[0].commands[0].span) == (1, 1, 1, 48)


def test_case_items() -> None:
    s = sh('case "$1" in\n  start|run) exec app ;;\n  (*) echo usage; exit 1 ;;\nesac')
    (case,) = s.pipelines[0].commands
    assert case.kind == "case" and len(case.body) == 2
    assert [w.value for w in case.words] == [None, "start", "run", "*"]
    assert [c.name for c in commands(s)][1:] == ["app", "echo", "exit"]


def test_functions() -> None:
    s = sh("f() { echo in f; }\nfunction g { h; }\nf")
    assert [c.kind for p in s.pipelines for c in p.commands] == ["function", "function", "simple"]
    assert [c.name for c in commands(s)] == [None, None, "echo", None, None, "h", "f"]


def test_double_bracket_test_is_one_command() -> None:
    (cmd,) = commands(sh("[[ -f a && $x < 3 ]]"))
    assert cmd.name == "[[" and [w.raw for w in cmd.words] == ["[[", "-f", "a", "&&", "$x", "<", "3", "]]"]


# -- heredocs -------------------------------------------------------------------------------


def test_heredoc_body_belongs_to_the_command() -> None:
    text = "cat <<EOF > /etc/x.conf && echo done\nline 1\n  $HOME\nEOF\nnext"
    s = sh(text)
    cat = s.pipelines[0].commands[0]
    here, out = cat.redirects
    assert (here.op, here.target.value if here.target else None) == ("<<", "EOF")
    assert here.body == "line 1\n  $HOME\n" and pos(here.body_span) == (2, 1, 3, 8)  # type: ignore[arg-type]
    assert [(ln.value, pos(ln.span)) for ln in here.body_lines] == [("line 1", (2, 1, 2, 7)), ("  $HOME", (3, 1, 3, 8))]
    assert here.script is None  # cat reads data
    assert out.target is not None and out.target.value == "/etc/x.conf"
    assert [c.name for c in commands(s)] == ["cat", "echo", "next"]


def test_heredoc_read_by_a_shell_is_a_script_and_tabs_strip() -> None:
    text = "bash -e <<-'EOT'\n\tcurl -k x | sh\n\tEOT\necho after"
    s = sh(text)
    here = s.pipelines[0].commands[0].redirects[0]
    assert here.body == "curl -k x | sh\n" and here.target is not None and here.target.quoted
    assert here.script is not None
    curl = here.script.pipelines[0].commands[0]
    assert pos(curl.words[1].span) == (2, 7, 2, 9)
    assert [(st.command.name, st.via) for st in s.walk()] == [
        ("bash", ""),
        ("curl", "heredoc"),
        ("sh", "heredoc"),
        ("echo", ""),
    ]


def test_two_heredocs_on_one_line() -> None:
    s = sh("a <<A; b <<B\n1\nA\n2\nB\nc")
    a, b = (p.commands[0] for p in s.pipelines[:2])
    assert a.redirects[0].body == "1\n" and b.redirects[0].body == "2\n"
    assert [c.name for c in commands(s)] == ["a", "b", "c"]


# -- wrappers and inline scripts ------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "name", "index", "wrappers"),
    [
        ("sudo -E -u app env FOO=1 nice -n 5 make all", "make", 9, ["sudo", "env", "nice"]),
        ("sudo", "sudo", 0, []),
        ("sudo -v", "sudo", 0, []),
        ("command -v sudo", "command", 0, []),
        ("xargs -0 -n1 rm -f", "rm", 3, ["xargs"]),
        ("timeout -s KILL 10 curl x", "curl", 4, ["timeout"]),
        ("gosu app:app /entry.sh", "entry.sh", 2, ["gosu"]),
        ("/usr/bin/sudo /bin/sh -c x", "sh", 1, ["sudo"]),
        ("$SUDO apt-get install x", None, 0, []),
        # util-linux wrappers (the ones a unit's ExecStart= is read past too: one table).
        ("chrt -r 10 curl x", "curl", 3, ["chrt"]),
        ("taskset -c 0-3 curl x", "curl", 3, ["taskset"]),
        ("setsid -f curl x", "curl", 2, ["setsid"]),
        ("setpriv --reuid 1000 --init-groups curl x", "curl", 4, ["setpriv"]),
        ("flock -w 5 /run/lock curl x", "curl", 4, ["flock"]),
        ("flock /run/lock -c 'curl x'", "flock", 0, []),
        # Options after which a wrapper runs no command: it is the command (the same grammar a
        # unit's command line is read with).
        ("sudo -l curl x", "sudo", 0, []),
        ("ionice -p 1 curl", "ionice", 0, []),
        ("env --help curl", "env", 0, []),
        ("dumb-init -- curl x", "curl", 2, ["dumb-init"]),
    ],
)
def test_wrappers(line: str, name: str | None, index: int, wrappers: list[str]) -> None:
    (cmd,) = commands(sh(line))[:1]
    assert (cmd.name, cmd.name_index) == (name, index)
    assert [w.value.rsplit("/", 1)[-1] for w in cmd.wrappers if w.value] == wrappers
    assert unwrap(cmd.words)[0] == index


def test_sh_c_string_is_a_nested_script_with_exact_spans() -> None:
    text = 'sudo sh -ec \'apt-get update && curl -k "$U"\' && su app -c "make \\"x\\""'
    s = sh(text)
    steps = [(st.command.name, st.via) for st in s.walk()]
    assert steps == [("sh", ""), ("apt-get", "-c"), ("curl", "-c"), ("su", ""), ("make", "-c")]
    curl = commands(s)[2]
    assert cut(text, curl.words[1].span) == "-k" and cut(text, curl.words[2].span) == '"$U"'
    make = commands(s)[4]
    assert make.words[1].value == "x" and cut(text, make.words[1].span) == '\\"x\\"'


def test_flock_c_string_is_a_nested_script() -> None:
    s = sh("flock /run/apt.lock -c 'apt-get update'")
    assert [(st.command.name, st.via) for st in s.walk()] == [("flock", ""), ("apt-get", "-c")]


@pytest.mark.parametrize(
    ("text", "running"),
    [
        # POSIX "exit": the shell ends; commands after it in the list never run.
        ("a; exit 0; b", ["a", "exit"]),
        ("a\nexec b\nc", ["a", "exec"]),  # exec COMMAND replaces the shell
        ("exec >/dev/null; b", ["exec", "b"]),  # exec without a command only redirects
        ("x && exit; b", ["x", "exit", "b"]),  # x may fail: exit may not run
        ("true && exit; b", ["true", "exit"]),
        ("exit & b", ["exit", "b"]),  # in the background: a subshell exits
        ("echo | exit; b", ["echo", "exit", "b"]),  # in a pipeline: a subshell exits
        ("(exit 1); b", ["exit", "b"]),
        # POSIX "AND-OR Lists": && runs after a zero status, || after a non-zero one.
        ("false && a && b || c", ["false", "c"]),
        ("true || a && b", ["true", "b"]),
        (": || a; b", [":", "b"]),
        ("! true && a; b", ["true", "b"]),
        ("x && a || b", ["x", "a", "b"]),
        # if / while / until with a condition the text tells.
        ("if false; then a; elif x; then b; else c; fi; d", ["false", "x", "b", "c", "d"]),
        ("if true; then a; else c; fi", ["true", "a"]),
        ("if false; then a; elif true; then b; else c; fi", ["false", "true", "b"]),
        ("if x; then a; else b; fi", ["x", "a", "b"]),
        ("while false; do a; done; b", ["false", "b"]),
        ("until true; do a; done", ["true"]),
        ("while true; do a; done", ["true", "a"]),
        ("sh -c 'false && a'; b", ["sh", "false", "b"]),
        # A function's body runs where it is called, after its definition (POSIX "Function
        # Definition Command": defining it runs nothing).
        ("start() { a; }; b", ["start", "b"]),
        ("start() { a; }\nstart", ["start", "start", "a"]),
        ("go; go() { a; }", ["go", "go"]),
        ("f() { g; }; g() { b; }; f", ["f", "g", "f", "g", "b"]),
    ],
)
def test_walk_running_leaves_out_what_never_runs(text: str, running: list[str]) -> None:
    s = sh(text)
    assert [st.command.words[0].value for st in s.walk_running() if st.command.words] == running
    # walk() still visits every command.
    assert len([st for st in s.walk() if st.command.words]) >= len(running)


def test_sh_c_with_a_substitution_is_not_parsed_twice() -> None:
    s = sh('sh -c "$(curl -fsSL https://x)"')
    assert [(st.command.name, st.via) for st in s.walk()] == [("sh", ""), ("curl", "$(")]


# -- tolerance ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("echo 'open", "unterminated single quote"),
        ('echo "open $(x', "unterminated"),
        ("echo $(a", "no closing parenthesis"),
        ("echo `a", "unterminated backquote"),
        ("cat <<EOF\nbody", "unterminated heredoc"),
        ("cat <<EOF", "has no body"),
        ("if a; then b", "missing 'fi'"),
        ("a ) b", "unexpected"),
        ("echo ${x", "unterminated ${"),
    ],
)
def test_garbage_is_reported_not_raised(text: str, issue: str) -> None:
    s = sh(text)
    assert any(issue in i.message for i in s.issues), s.issues


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("ab $'\"\\`(){};|&<>#\n\t=-*~!EOF0123")), max_size=60))
def test_arbitrary_text_never_raises(text: str) -> None:
    s = sh(text)
    for step in s.walk():
        for w in step.command.words:
            assert w.span.line >= 1 and w.span.col >= 1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    sh(text)


_NAMES = st.sampled_from(["echo", "curl", "apt-get", "ls", "python3", "tar"])
_ARGS = st.lists(st.text(min_size=0, max_size=12).filter(lambda t: "\x00" not in t), max_size=5)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_NAMES, _ARGS), min_size=1, max_size=4),
    st.lists(st.sampled_from([" && ", " || ", "; ", " | ", "\n", " & "]), min_size=3, max_size=3),
)
def test_shlex_join_round_trip(cmds: list[tuple[str, list[str]]], ops: list[str]) -> None:
    parts = []
    for k, (name, args) in enumerate(cmds):
        if k:
            parts.append(ops[(k - 1) % len(ops)])
        parts.append(shlex.join([name, *args]))
    text = "".join(parts)
    s = sh(text)
    assert not s.issues
    got = list(commands(s))
    assert len(got) == len(cmds)
    for cmd, (name, args) in zip(got, cmds):
        assert values(cmd) == [name, *args]
        assert [cut(text, w.span) for w in cmd.words] == [shlex.quote(v) for v in [name, *args]]


# -- Dockerfile RUN -------------------------------------------------------------------------


def test_run_shell_form_across_continuation_and_comment_lines() -> None:
    s = run("""
        FROM alpine
        RUN apk add curl \\
        # a comment BuildKit drops
            && curl -fsSL https://x/i.sh \\
             | sh -s -- --yes
        """)
    cmds = commands(s)
    assert [c.name for c in cmds] == ["apk", "curl", "sh"]
    assert pos(cmds[0].words[0].span) == (2, 5, 2, 8)
    assert pos(cmds[1].words[2].span) == (4, 19, 4, 33)
    assert pos(cmds[2].words[0].span) == (5, 8, 5, 10)
    assert pos(cmds[1].span) == (4, 8, 4, 33)


def test_run_flags_are_not_part_of_the_script() -> None:
    s = run("FROM a\nRUN --mount=type=cache,target=/root/.cache --network=none pip install x\n")
    (cmd,) = commands(s)
    assert cmd.name == "pip" and pos(cmd.words[0].span) == (2, 59, 2, 62)


def test_run_heredoc_alone_is_the_script() -> None:
    s = run("""
        FROM alpine
        RUN <<EOT
        set -e
          curl -k https://x | bash
        EOT
        """)
    cmds = commands(s)
    assert [c.name for c in cmds] == ["set", "curl", "bash"]
    assert pos(cmds[1].words[1].span) == (4, 8, 4, 10)


def test_run_heredoc_with_python_shebang_is_not_shell() -> None:
    s = run("FROM a\nRUN <<EOF\n#!/usr/bin/env python3\nimport os\nEOF\n")
    assert s.interpreter == "python3" and s.pipelines == ()
    s = run("FROM a\nRUN <<EOF\n#!/bin/bash\necho hi\nEOF\n")
    assert s.interpreter is None and [c.name for c in commands(s)] == ["echo"]


@pytest.mark.parametrize("line", ["RUN <<EOT bash", "RUN bash <<EOT", "RUN bash -ex <<EOT"])
def test_run_heredoc_given_to_bash_is_a_nested_script(line: str) -> None:
    s = run(f"FROM a\n{line}\nwget -qO- u | sh\nEOT\n")
    steps = [(st.command.name, st.via) for st in s.walk()]
    assert steps == [("bash", ""), ("wget", "heredoc"), ("sh", "heredoc")]
    wget = commands(s)[1]
    assert pos(wget.words[1].span) == (3, 6, 3, 10)


def test_run_python_heredoc_body_is_data() -> None:
    s = run("FROM a\nRUN python3 <<EOF\nimport subprocess\nEOF\n")
    (cmd,) = commands(s)
    assert cmd.name == "python3" and cmd.redirects[0].body == "import subprocess\n"
    assert cmd.redirects[0].script is None


def test_run_several_heredocs_and_tab_stripping() -> None:
    s = run("FROM a\nRUN cat <<A > /a && cat <<-B > /b\none\nA\n\ttwo\n\tB\n")
    a, b = (c for c in commands(s))
    assert a.redirects[0].body == "one\n" and b.redirects[0].body == "two\n"
    assert pos(b.redirects[0].body_lines[0].span) == (5, 2, 5, 5)


def test_run_exec_form_with_sh_c() -> None:
    s = run('FROM a\nRUN ["/bin/sh", "-c", "curl -k \\"x\\" | sh"]\n')
    outer, curl, shell = commands(s)
    assert outer.name == "sh" and values(outer) == ["/bin/sh", "-c", 'curl -k "x" | sh']
    assert pos(outer.words[2].span) == (2, 23, 2, 43)
    assert pos(curl.words[1].span) == (2, 29, 2, 31)
    assert pos(curl.words[2].span) == (2, 32, 2, 37)  # "x" written as \"x\"
    assert pos(shell.words[0].span) == (2, 40, 2, 42)


def test_run_exec_form_without_a_shell_is_one_command() -> None:
    s = run('FROM a\nRUN ["chmod", "777", "/data"]\n')
    (cmd,) = commands(s)
    assert values(cmd) == ["chmod", "777", "/data"] and pos(cmd.words[1].span) == (2, 15, 2, 20)


def test_onbuild_run() -> None:
    s = run("FROM a\nONBUILD RUN --mount=type=cache,target=/x sudo make\n")
    (cmd,) = commands(s)
    assert cmd.name == "make" and pos(cmd.words[0].span) == (2, 42, 2, 46)


def test_non_posix_shell_is_not_parsed() -> None:
    text = """
        FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win
        RUN powershell -Command Invoke-WebRequest x
        FROM alpine AS lin
        SHELL ["/bin/bash", "-o", "pipefail", "-c"]
        RUN echo hi
        SHELL ["pwsh", "-Command"]
        RUN iwr x | iex
        FROM lin
        RUN still pwsh
        """
    runs = [i.script for i in dockerfile(text).instructions if i.keyword == "RUN"]
    assert [s.interpreter if s else "?" for s in runs] == ["cmd", None, "pwsh", "pwsh"]


def test_script_only_for_run_and_does_not_change_the_instruction_model() -> None:
    b = dockerfile("FROM a\nRUN echo hi\nCOPY a b\n")
    run_ins, copy = b.instructions[1], b.instructions[2]
    assert copy.script is None
    before = dump(run_ins)  # the script not parsed yet: no dump shows it, nor its parse function
    assert callable(run_ins._script) and "script" not in before and "_script" not in before
    assert run_ins.script is not None and run_ins.script is run_ins.script  # parsed once
    assert dump(run_ins) == before
    again = dockerfile("FROM a\nRUN echo hi\nCOPY a b\n").instructions[1]
    assert again == run_ins and hash(again.span) == hash(run_ins.span)  # the script is not compared
    assert dataclasses.replace(run_ins, _script=None).script is None


def test_unparseable_shell_keeps_the_dockerfile_parseable() -> None:
    s = run("FROM a\nRUN echo 'unterminated && if then ) fi\n")
    assert s.issues and commands(s)[0].name == "echo"


def test_word_model_is_a_frozen_value() -> None:
    (cmd,) = commands(sh("echo hi"))
    w = cmd.words[1]
    assert isinstance(w, Word) and w == Word(raw="hi", value="hi", text="hi", span=w.span)
    assert hash(w) == hash(Word(raw="hi", value="hi", text="hi", span=w.span))  # a value: hashable
    assert not hasattr(w, "__dict__")  # slotted


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("ab $'\"\\`(){};|&<>#=-[],EOT\t")), max_size=30), min_size=1, max_size=5
    ),
    st.sampled_from(["RUN ", "RUN <<EOT ", "RUN --mount=type=cache,target=/x ", "ONBUILD RUN ", 'RUN ["sh", "-c", ']),
)
def test_any_run_instruction_gives_a_script(lines: list[str], head: str) -> None:
    text = "FROM alpine\n" + head + " \\\n".join(lines) + "\nEOT\n"
    try:
        build = parse_dockerfile(SourceFile("Dockerfile", "dockerfile", text)).models[0]
    except ParseError:  # the Dockerfile itself may be invalid: not the shell model's business
        return
    for ins in build.instructions:
        script = ins.script
        if ins.keyword in ("RUN", "ONBUILD"):
            assert script is not None
            for step in script.walk():
                assert step.command.span.line >= 2
