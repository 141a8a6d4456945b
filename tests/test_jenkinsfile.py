"""Jenkinsfiles (issue 14 item 2): the Groovy tokenizer, discovery, the container model."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from dockerlint.discovery import PRE_COMMIT_FILES, classify_name
from dockerlint.models.container import BuiltImage, Container
from dockerlint.models.source import SourceFile
from dockerlint.parsers import groovy, jenkinsfile
from dockerlint.parsers.shell import TextLocator
from helpers import check, lint, lint_tree, write_tree

JF = "Jenkinsfile"


def parse(text: str, path: str = JF) -> list[object]:
    return list(jenkinsfile.parse(SourceFile(path=path, kind="jenkinsfile", text=text)).models)


def containers(text: str) -> list[Container]:
    return [m for m in parse(text) if isinstance(m, Container)]


def one_string(text: str) -> groovy.GString:
    got = groovy.tokenize(text)
    assert got.problem is None, got.problem
    strings = [t.string for t in got.tokens if t.string is not None]
    assert len(strings) == 1, strings
    return strings[0]


def where(text: str, s: groovy.GString, part: str) -> tuple[int, int, int, int]:
    """The file span of the first ``part`` of the string's value."""
    a = s.value.index(part)
    span = s.locator(TextLocator("f", text)).span(a, a + len(part))
    return span.line, span.col, span.end_line, span.end_col


# -- the tokenizer ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("sh 'a\\'b\\\\c'", "a'b\\c"),
        ('sh "a\\"b\\$c\\td"', 'a"b$c\td'),
        ("sh '''x\n  y'''", "x\n  y"),  # triple quotes keep line breaks and indentation
        ("sh '''a \\\n  b'''", "a   b"),  # a backslash before a line break joins the lines
        ("sh '''it's'''", "it's"),
        ('sh """a "b" c"""', 'a "b" c'),
        ("sh 'a\\u0041\\101'", "aAA"),
        ("sh 'grep \\\\-ls'", "grep \\-ls"),
        ("x = /a\\/b c/", "a/b c"),
        ("sh $/a\\b $$x $/y/$", "a\\b $x /y"),
        ("sh '$HOME ${X}'", "$HOME ${X}"),  # no interpolation in single quotes: the shell's variables
    ],
)
def test_string_values(text: str, value: str) -> None:
    s = one_string(text)
    assert s.value == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('sh "run ${IMAGE} x"', "run ${IMAGE} x"),
        ('sh "run ${env.IMAGE} x"', "run ${env.IMAGE} x"),
        ('sh "run $IMAGE x"', "run $IMAGE x"),
        ('sh "run $env.IMAGE/x"', "run ${env.IMAGE}/x"),
        ("sh \"run ${params.T ?: 'a}'} x\"", "run ${...} x"),
        ('sh "run ${"${"x"}"} x"', "run ${...} x"),
        ('sh """run ${ {-> 1 }() } x"""', "run ${...} x"),
    ],
)
def test_gstring_interpolation_is_an_unknown_value(text: str, value: str) -> None:
    s = one_string(text)
    assert s.value == value and s.interpolated


def test_positions_inside_strings_follow_escapes_continuations_and_indentation() -> None:
    text = "x = 1\nsh '''\n    docker run \\\n      -v /a:/b \\'q\\' z'''\n"
    s = one_string(text)
    assert where(text, s, "docker") == (3, 5, 3, 11)
    assert where(text, s, "-v") == (4, 7, 4, 9)
    assert where(text, s, "'q'") == (4, 16, 4, 21)  # each quote at its escape sequence
    text = 'sh "a ${env.X} $Y.z b"'
    s = one_string(text)
    assert where(text, s, "${env.X}") == (1, 7, 1, 15)
    assert where(text, s, "${Y.z}") == (1, 16, 1, 20)  # made from $Y.z: the whole of it
    assert where(text, s, "b") == (1, 21, 1, 22)


def test_comments_and_text_that_only_looks_like_one() -> None:
    text = "// one\nsh 'a // b /* c'\n/* two\n   lines */ x = \"//\"\nsh \"${'//'}\" // three\n"
    got = groovy.tokenize(text)
    assert got.problem is None
    assert [text[a:b] for a, b in got.comments] == ["// one", "/* two\n   lines */", "// three"]


def test_division_is_no_slashy_string() -> None:
    got = groovy.tokenize("def a = x / 2 / y\nsh 'docker run alpine:3.20'\n")
    assert got.problem is None
    assert [t.text for t in got.tokens if t.kind == groovy.STR] == ["docker run alpine:3.20"]


@pytest.mark.parametrize(
    ("text", "offset", "words"),
    [
        ("sh 'a\nb'", 3, "not closed on its line"),
        ("sh '''a\nb", 3, "never closed"),
        ('sh "a ${b"', 6, "'${' is never closed"),
        ("x = 1 /* no end", 6, "comment"),
    ],
)
def test_tokenizer_problems_at_their_position(text: str, offset: int, words: str) -> None:
    got = groovy.tokenize(text)
    assert got.problem is not None
    assert got.problem[1] == offset and words in got.problem[0]


# -- discovery -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["Jenkinsfile", "ci/Jenkinsfile", "Jenkinsfile.release", "deploy.jenkinsfile"])
def test_jenkinsfile_paths(path: str) -> None:
    import re

    assert classify_name(path) == "jenkinsfile"
    assert re.search(PRE_COMMIT_FILES, path)


@pytest.mark.parametrize(
    "path", ["Jenkinsfile.md", "Jenkinsfile.bak", "jenkinsfile", "Jenkinsfile-old", "docs/jenkinsfile.txt"]
)
def test_not_jenkinsfile_paths(path: str) -> None:
    assert classify_name(path) != "jenkinsfile"


# -- agents ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "agent",
    [
        "agent { docker 'maven:3.9.6' }",
        "agent { docker('maven:3.9.6') }",
        "agent { docker(image: 'maven:3.9.6', args: '--privileged') }",
        "agent {\n  docker {\n    image 'maven:3.9.6'\n    reuseNode true\n    registryCredentialsId 'hub'\n  }\n}",
        "agent { docker { image('maven:3.9.6'); args('--privileged'); label 'linux' } }",
    ],
)
def test_agent_docker_forms(agent: str) -> None:
    got = containers("pipeline {\n" + agent + "\nstages { stage('a') { steps { echo 'x' } } }\n}\n")
    assert len(got) == 1
    c = got[0]
    assert c.image is not None and c.image.value == "maven:3.9.6"
    assert c.user is not None and c.user.text == jenkinsfile.AGENT_USER  # the plugin's -u uid:gid
    assert c.label == "agent docker of pipeline"
    assert bool(c.privileged and c.privileged.value) == ("--privileged" in agent)


def test_per_stage_agents_are_named_by_their_stage() -> None:
    text = (
        "pipeline {\n agent none\n stages {\n"
        "  stage('Unit') { agent { docker { image 'a:1' } } steps { sh 'x' } }\n"
        "  stage(\"Lint\") { agent { docker { image 'b:1' } } steps { sh 'x' } }\n }\n}\n"
    )
    assert [c.label for c in containers(text)] == ["agent docker of stage 'Unit'", "agent docker of stage 'Lint'"]


def test_agent_args_are_located_inside_the_string() -> None:
    check(
        "DC101",
        {
            JF: """\
        pipeline {
          agent {
            docker {
              image 'docker:27.3.1-cli'
              args "-e A=${env.B} -v /var/run/docker.sock:/var/run/docker.sock"
            }
          }
        }
        """
        },
        [(JF, 5, 30)],
        name=JF,
    )


def test_dockerfile_agent_links_its_dockerfile_and_lints_it_whatever_its_name(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "ci/Jenkinsfile": """\
            pipeline {
              agent { dockerfile { filename 'build.image'; dir 'docker'; additionalBuildArgs '--pull' } }
            }
            """,
            "ci/docker/build.image": "FROM debian:12\n",
        },
    )
    got = parse((tmp_path / "ci/Jenkinsfile").read_text(), path="ci/Jenkinsfile")
    c = next(m for m in got if isinstance(m, Container))
    assert c.build is not None and c.build.dockerfile_path == "ci/docker/build.image"
    assert c.image is None
    result = lint_tree(tmp_path, select=["DF101"])
    assert [(f.rule_id, f.span.path) for f in result.findings] == [("DF101", "ci/docker/build.image")]
    assert "agent dockerfile of pipeline (ci/Jenkinsfile)" in result.findings[0].message


def test_dockerfile_true_builds_the_default_dockerfile() -> None:
    c = containers("pipeline { agent { dockerfile true } }")[0]
    assert c.build is not None and c.build.dockerfile_path == "Dockerfile"


# -- scripted pipelines ------------------------------------------------------------------------


def test_scripted_image_calls() -> None:
    text = """node {
  docker.image('a:1').inside('--net=host') { sh 'make' }
  def db = docker.image("postgres:16")
  db.withRun('-p 5432:5432', '-c fsync=off') { c -> sh 'test' }
  docker.image('b:2').run('--rm')
  docker.image('c:3').pull()
}
"""
    got = containers(text)
    assert [(c.label, c.image.value if c.image else None) for c in got] == [
        ("docker.image('a:1').inside", "a:1"),
        ("docker.image('postgres:16').withRun", "postgres:16"),
        ("docker.image('b:2').run", "b:2"),
    ]
    inside, with_run, run = got
    assert inside.network_mode is not None and inside.network_mode.value == "host"
    assert inside.user is not None  # inside runs as the agent's user; withRun/run as the image's
    assert with_run.user is None and run.user is None
    assert [p.value for p in with_run.command] == ["-c", "fsync=off"]
    assert with_run.ports and with_run.ports[0].host_port is not None


def test_docker_build_is_an_image_built_in_the_scan() -> None:
    text = "node { def app = docker.build(\"acme/app:1.0\", '-f ci/app.docker .')\n app.inside { sh 'x' } }\n"
    got = parse(text)
    built = [m for m in got if isinstance(m, BuiltImage)]
    assert [t.value for t in built[0].tags] == ["acme/app:1.0"] and built[0].dockerfiles == ["ci/app.docker"]
    assert [c.image.value for c in got if isinstance(c, Container) and c.image] == ["acme/app:1.0"]


def test_a_built_image_is_not_called_pulled() -> None:
    text = {
        JF: "node {\n  docker.build('acme/app:latest')\n  sh 'docker run acme/app:latest'\n}\n",
        "Dockerfile": "FROM debian:12\nUSER 1000\n",
    }
    assert lint(text, select=["DC118"]).findings == []
    text[JF] = "node {\n  sh 'docker run acme/app:latest'\n}\n"
    assert [f.rule_id for f in lint(text, select=["DC118"]).findings] == ["DC118"]


# -- sh steps ----------------------------------------------------------------------------------


def test_sh_step_forms_at_exact_positions() -> None:
    check(
        "DC102",
        {
            JF: """\
        node {
          sh 'docker run --privileged a:1'
          sh "docker run --privileged ${IMAGE}"
          sh '''
             docker run \\
               --privileged a:1'''
          sh \"\"\"docker run --privileged=true a:1\"\"\"
          sh(script: 'docker run --privileged a:1', returnStdout: true)
          sh script: 'docker run --privileged a:1', label: 'x'
          sh returnStatus: true,
             script: 'docker run --privileged a:1'
          def out = sh(returnStdout: true, script: "docker run --privileged a:1").trim()
          echo 'docker run --privileged a:1'
          bat 'docker run --privileged a:1'
        }
        """
        },
        [(JF, 2, 18), (JF, 3, 18), (JF, 6, 8), (JF, 7, 20), (JF, 8, 26), (JF, 9, 26), (JF, 11, 26), (JF, 12, 56)],
        name=JF,
    )


def test_a_script_for_another_interpreter_is_not_shell() -> None:
    assert containers("node { sh '''#!/usr/bin/env python3\nimport os  # docker run --privileged a:1\n''' }") == []
    assert len(containers("node { sh '''#!/bin/bash\ndocker run --privileged a:1\n''' }")) == 1


def test_interpolation_is_an_unknown_value_as_a_shell_variable() -> None:
    # The host side comes from Groovy: nobody knows it here, as with a shell variable (DC101
    # says so, and fires on the container side, as for a script).
    for step in (
        'sh "docker run -v ${SOCK}:/var/run/docker.sock a:1"',
        "sh 'docker run -v ${SOCK}:/var/run/docker.sock a:1'",
    ):
        got = lint(
            {JF: "node { " + step + " }", "x.sh": "docker run -v ${SOCK}:/var/run/docker.sock a:1\n"}, select=["DC101"]
        ).findings
        assert [f.span.path for f in got] == [JF, "x.sh"]
        assert got[0].message == got[1].message and "(a variable not in the scan)" in got[0].message
        assert got[0].span.col == 26
    assert lint({JF: 'node { sh "docker run -v ${SOCK}:/data a:1" }'}, select=["DC101"]).findings == []
    got = lint({JF: 'node { sh "docker run -v /var/run/docker.sock:${T} ${IMG}" }'}, select=["DC101"]).findings
    assert [(f.span.line, f.span.col) for f in got] == [(1, 26)]


def test_groovy_comments_suppress_and_text_in_strings_does_not() -> None:
    text = """\
        node {
          // dockerlint: ignore[DC102] the test harness needs it (QA-7)
          sh 'docker run --privileged a:1'
          sh 'docker run --privileged a:1' /* dockerlint: ignore[DC102] reviewed */
          sh 'docker run --privileged a:1 // dockerlint: ignore[DC102] not a comment'
          // sh 'docker run --privileged a:1'
        }
        """
    result = lint({JF: text}, select=["DC102"])
    assert [(f.span.line, f.span.col) for f in result.findings] == [(5, 18)]
    assert sorted(f.suppression.reason for f in result.suppressed if f.suppression) == [
        "reviewed",
        "the test harness needs it (QA-7)",
    ]
    assert len(result.suppressed) == 2


def test_docker_host_exported_in_a_step_feeds_dd104() -> None:
    text = "node { sh '''export DOCKER_HOST=tcp://10.0.0.5:2375\ndocker ps''' }"
    got = lint({JF: text}, select=["DD104"]).findings
    assert [(f.rule_id, f.span.line) for f in got] == [("DD104", 1)]


# -- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "col", "words"),
    [
        ("node {\n  sh 'docker run --privileged a:1'\n  sh '''echo\n}\n", 3, 6, "''' is never closed"),
        ("node {\n  sh 'docker run --privileged a:1'\n  stage('x') {\n", 1, 6, "'{' is never closed"),
        ("node {\n  sh 'docker run --privileged a:1'\n}\n}\n", 4, 1, "'}' closes no '{'"),
        ("node {\n  sh 'docker run --privileged a:1'\n  sh \"${x\n", 3, 7, "'${' is never closed"),
        ("node {\n  sh 'docker run --privileged a:1'\n  sh \"${x\n}\n", 3, 6, "not closed on its line"),
        ("node {\n  sh 'docker run --privileged a:1'\n  foo(\n}\n", 3, 6, "'(' is never closed"),
        ("node {\n  sh 'docker run --privileged a:1'\n/* x\n}\n", 3, 1, "comment"),
    ],
)
def test_bad_groovy_is_one_dc000_and_what_was_read_still_counts(text: str, line: int, col: int, words: str) -> None:
    result = lint(
        {JF: text, "compose.yaml": "services:\n  a:\n    image: x:1\n    privileged: true\n"}, select=["DC000", "DC102"]
    )
    got = sorted((f.span.path, f.span.line, f.span.col, f.rule_id) for f in result.findings)
    assert got == sorted([(JF, line, col, "DC000"), (JF, 2, 18, "DC102"), ("compose.yaml", 4, 5, "DC102")])
    assert words in next(f.message for f in result.findings if f.rule_id == "DC000")
    assert not result.internal_errors


def test_a_shell_syntax_error_in_a_step_is_dc000() -> None:
    got = lint({JF: "node {\n  sh 'docker run a:1 \"unclosed'\n}\n"}, select=["DC000"]).findings
    assert [(f.rule_id, f.span.line) for f in got] == [("DC000", 2)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\x00",
        "sh",
        "sh(",
        "docker.image(",
        "agent { docker {",
        "'",
        '"$',
        "sh '\x00docker run --privileged a:1'",
        "$/",
        "docker.image('a').inside(",
        "stage(",
        "}}}",
        "sh script:",
        "agent { dockerfile }",
    ],
)
def test_odd_input_never_crashes(text: str) -> None:
    result = lint({JF: text}, select=["ALL"])
    assert not result.internal_errors
    assert {f.rule_id for f in result.findings} <= {"DC000", "DC102", "DC113", "DC104", "DC118", "DC119", "DC120"}


def test_nul_bytes_are_read_in_linear_time() -> None:
    seconds = []
    for n in (1_000, 4_000):
        text = "node {\n" + "  sh 'docker run a:1 \x00'\n  x = '\x00\x00' // \x00\n" * n + "}\n"
        start = time.process_time()
        out = jenkinsfile.parse(SourceFile(path=JF, kind="jenkinsfile", text=text))
        seconds.append(time.process_time() - start)
        assert len([m for m in out.models if isinstance(m, Container)]) == n and not out.problems
    assert seconds[1] < 8 * seconds[0] + 0.5, seconds  # linear: about 4 times


@pytest.mark.parametrize(
    "body",
    [
        "sh '" + "a" * 10_000_000 + "'",
        'sh "' + "${x}" * 1_000_000 + '"',
        "x = '" + "\\n" * 2_000_000 + "'",
        "sh '''" + "a\\\n" * 2_000_000 + "'''",
        "/*" + "*" * 5_000_000 + "*/",
    ],
)
def test_long_input_is_linear(body: str) -> None:
    start = time.perf_counter()
    got = groovy.tokenize("node {\n" + body + "\n}\n")
    assert got.problem is None
    assert time.perf_counter() - start < 20


@pytest.mark.parametrize("depth", [10, 1000, 100_000])
def test_deep_nesting_is_one_loop(depth: int) -> None:
    brackets = min(depth, 15_000)  # six tokens a level: within the token bound
    text = "node {\n  sh 'docker run --privileged a:1'\n  x = " + "{ [ (" * brackets + ") ] }" * brackets + "\n"
    text += '  sh "' + '${"' * depth + "a" + '"}' * depth + '"\n}\n'
    out = jenkinsfile.parse(SourceFile(path=JF, kind="jenkinsfile", text=text))
    assert not out.problems
    assert len([m for m in out.models if isinstance(m, Container)]) == 1


def test_the_jenkinsfile_reader_is_not_imported_for_one_dockerfile(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM debian:12\n", encoding="utf-8")
    code = (
        "import sys; from dockerlint.cli import main; main(['--fail-on', 'never', 'Dockerfile']); "
        "print([m for m in ('dockerlint.parsers.jenkinsfile', 'dockerlint.parsers.groovy') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_environment_blocks_are_the_client_settings_of_their_block_only() -> None:
    text = """\
        pipeline {
          environment { DOCKER_HOST = 'tcp://a.internal:2376' }
          stages {
            stage('tls') {
              environment { DOCKER_HOST = "tcp://${B}:2376"; DOCKER_TLS_VERIFY = '1' }
              steps { sh 'docker ps' }
            }
            stage('plain') {
              environment { DOCKER_HOST = 'tcp://c.internal:2376' }
              steps { sh 'echo no docker here' }
            }
            stage('after') {
              steps { sh 'export DOCKER_TLS_VERIFY=1; docker ps' }
            }
          }
        }
        """
    got = lint({JF: text}, select=["DD104"]).findings
    # The top-level setting (judged once, where it is written) and the 'plain' stage's: the
    # 'tls' stage verifies, and 'after' does not see 'plain''s setting.
    assert [(f.span.line, f.span.col) for f in got] == [(2, 17), (9, 21)]
    assert "tcp://c.internal:2376" in got[1].message and "'plain'" in got[1].message


def test_blank_trimming_methods_keep_a_step_and_other_expressions_skip_it() -> None:
    text = """node {
  sh '''
    docker run --privileged a:1
  '''.stripIndent()
  sh "docker run --privileged a:2".trim()
  sh 'docker run --privileged ' + image
  sh '''|docker run --privileged a:3'''.stripMargin()
}
"""
    assert [c.image.value for c in containers(text) if c.image] == ["a:1", "a:2"]


@pytest.mark.parametrize("filler", ["(", "a ", "{", "'' ", '"${a}" '])
def test_a_file_of_tokens_stops_at_the_token_bound_with_bounded_memory(filler: str) -> None:
    import tracemalloc

    text = "node { sh 'docker run --privileged a:1' }\n" + filler * (10_000_000 // len(filler))
    tracemalloc.start()
    try:
        out = jenkinsfile.parse(SourceFile(path=JF, kind="jenkinsfile", text=text))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100_000_000, peak
    assert len(out.problems) == 1 and "Groovy tokens" in out.problems[0].message
    assert len([m for m in out.models if isinstance(m, Container)]) == 1


def test_named_arguments_after_a_multi_line_string_belong_to_the_step() -> None:
    text = (
        "node {\n  sh label: 'x', script: '''\n    true\n''', returnStdout: true\n"
        "  sh script: 'docker run --privileged a:1'\n}\n"
    )
    assert [c.image.value for c in containers(text) if c.image] == ["a:1"]
    text = "node {\n  sh returnStatus: true,\n     script: '''docker run \\\\\n  --privileged a:2''', label: 'y'\n}\n"
    assert [c.image.value for c in containers(text) if c.image] == ["a:2"]
