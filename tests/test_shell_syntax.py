"""Differential test: the shell reader reports a syntax problem exactly when ``bash -n`` does.

``tests/data/bash_syntax.txt`` lists snippets with the verdict of ``bash -n`` (bash 5.2):
valid bash the reader must read without an issue (multi-line ``[[ ]]``, ``(( ))``,
``;;&``, here-strings, process substitution, ``function f {``, arrays over lines, ``$'…'``,
comments inside multi-line constructs …) and invalid bash it must flag.

``bash -n`` parses and never executes. "Refuses" means a non-zero exit or any message:
bash reports a bad ``[[ ]]`` expression, or a heredoc ended by the end of the text, on
stderr with exit code 0.

One deliberate difference: extglob patterns (``@(a|b)``) outside ``[[ ]]`` are accepted,
because ``shopt -s extglob`` earlier in the script makes them valid and ``bash -n`` does not
run ``shopt``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from dockerlint.parsers.shell import TextLocator, parse

DATA = Path(__file__).parent / "data" / "bash_syntax.txt"


def snippets() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    verdict = ""
    lines: list[str] = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            if verdict:
                out.append((verdict, "\n".join(lines) + "\n"))
            verdict, lines = line[4:].strip(), []
        elif verdict:
            lines.append(line)
        # lines before the first header are the file's comment
    if verdict:
        out.append((verdict, "\n".join(lines) + "\n"))
    return out


SNIPPETS = snippets()
IDS = [f"{i}-{v}-{s.splitlines()[0][:30] if s.strip() else 'empty'}" for i, (v, s) in enumerate(SNIPPETS)]


def issues(text: str) -> list[str]:
    return [i.message for i in parse(text, TextLocator("x.sh", text)).issues]


def test_the_list_covers_both_verdicts_and_the_constructs_named_in_the_issue():
    verdicts = [v for v, _ in SNIPPETS]
    assert set(verdicts) == {"valid", "invalid", "extglob"}
    assert verdicts.count("valid") > 200 and verdicts.count("invalid") > 80
    valid = "\n".join(s for v, s in SNIPPETS if v == "valid")
    for construct in (
        "[[ a == b\n   || c",
        "(( ",
        ";;&",
        "<<<",
        "<(",
        "function f {",
        "a=( one\n",
        "$'",
        "# comment inside",
        "[[ a &&\n",
    ):
        assert construct in valid, construct


@pytest.mark.parametrize(("verdict", "text"), SNIPPETS, ids=IDS)
def test_reader_flags_a_snippet_iff_bash_refuses_it(verdict: str, text: str):
    got = issues(text)
    if verdict == "invalid":
        assert got, "bash -n refuses this snippet; the reader found nothing wrong"
    else:
        assert got == [], "bash accepts this snippet"


BASH = shutil.which("bash")


@pytest.mark.skipif(BASH is None, reason="bash is not installed: the recorded verdicts are not re-checked")
def test_recorded_verdicts_are_what_bash_n_says(tmp_path: Path):
    wrong = []
    for i, (verdict, text) in enumerate(SNIPPETS):
        f = tmp_path / f"s{i}.sh"
        f.write_text(text, encoding="utf-8")
        run = subprocess.run([BASH, "-n", str(f)], capture_output=True, text=True, timeout=10, check=False)
        refused = run.returncode != 0 or bool(run.stderr.strip())
        expected = verdict != "valid"  # bash -n refuses extglob patterns too (see the module doc)
        if refused != expected:
            wrong.append((verdict, text, run.stderr))
    assert wrong == []


def test_a_multiline_conditional_reads_as_one_command_with_every_operand():
    text = 'if [[ ${subcmd} == rm\n      || ${subcmd} == rmi ]]; then\n  docker "${subcmd}"\nfi\n'
    script = parse(text, TextLocator("x.sh", text))
    assert script.issues == ()
    cond = script.pipelines[0].commands[0].body[0].pipelines[0].commands[0]
    assert [w.raw for w in cond.words] == ["[[", "${subcmd}", "==", "rm", "||", "${subcmd}", "==", "rmi", "]]"]
    assert (cond.span.line, cond.span.col, cond.span.end_line, cond.span.end_col) == (1, 4, 2, 29)
    then = script.pipelines[0].commands[0].body[1].pipelines[0].commands[0]
    assert then.name == "docker" and then.span.line == 3


def test_arithmetic_command_is_one_command_not_a_heredoc():
    text = "((x<<=1))\ndocker ps\n"
    script = parse(text, TextLocator("x.sh", text))
    assert script.issues == ()
    first, second = (p.commands[0] for p in script.pipelines)
    assert first.kind == "arith" and first.words[0].raw == "((x<<=1))"
    assert second.name == "docker" and second.span.line == 2


def test_an_unterminated_conditional_is_read_to_the_end_of_its_line_only():
    text = "[[ -n $a\ndocker run --privileged x\n"
    script = parse(text, TextLocator("x.sh", text))
    assert [(i.message, i.span.line, i.span.col) for i in script.issues] == [
        ("unterminated [[: no ']]' closes it", 1, 1)
    ]
    assert script.pipelines[1].commands[0].name == "docker"


def test_issue_messages_name_the_token_not_a_model():
    for text in ("echo a; ;\n", "!\n}\n", "echo a | ! cat\n", "[[ a b ]]\n", "f() echo\n"):
        for message in issues(text):
            assert "Word(" not in message and "span=" not in message, message


# Texts of n repeated pieces, hostile to the scans the reader adds (``((``, extglob groups,
# ``]]``, the ``=~`` pattern, nesting in ``[[ ]]``).
HOSTILE = {
    "arith": lambda n: "(( a ; " * n,
    "extglob": lambda n: "@(" * n,
    "extglob-words": lambda n: "x @(a|b" * n,
    "brackets": lambda n: "[[ " * n,
    "brackets-lines": lambda n: "[[ a\n" * n,
    "cond-nesting": lambda n: "[[ " + "( " * n + "a" + " )" * n + " ]]\n",
    "regex-parens": lambda n: "[[ a =~ " + "(" * n + " ]]\n",
    "functions": lambda n: "f() " * n,
}


def _seconds(text: str) -> float:
    import time

    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        try:
            issues(text)
        except RecursionError:
            pass  # deep nesting: the engine reports "nested too deeply to parse"
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_input_stays_linear(kind: str):
    """Each scan the reader adds runs once per text: four times the input takes about four
    times as long (a quadratic scan would take sixteen), and 20 KB stays well under a second."""
    make = HOSTILE[kind]
    small, large = _seconds(make(500)), _seconds(make(2000))
    assert large < 8 * small + 0.05, (small, large)
    assert _seconds(make(3000)) < 2.0
