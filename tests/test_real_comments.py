"""Only real comments suppress: text that looks like a suppression comment in a YAML string,
a heredoc body, a quoted shell word, a Makefile ``define`` or the middle of a Dockerfile
line is data, and must never hide a finding (issue 11, item 3).

For every file kind that honours suppressions: the attack (the text hides a real finding
today; the finding must be reported and the run exit 1) and the legitimate comment (still
suppresses).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import repo, run
from dockerlint.core.suppressions import parse
from dockerlint.models.source import SourceFile
from dockerlint.parsers import yaml_nodes
from helpers import dedent, write_tree

HIDE = "dockerlint: ignore-file[{ids}] reviewed (SEC-1)"


def lint(root: Path, files: dict[str, str], select: str) -> tuple[int, list[tuple[str, int]], list[str]]:
    """Exit code, the findings (rule, line) and the suppressed findings' rules."""
    write_tree(repo(root), files)
    code, out, err = run(["-f", "json", "--select", select], root)
    assert code in (0, 1), err
    doc = json.loads(out)
    return code, [(f["rule_id"], f["line"]) for f in doc["findings"]], [f["rule_id"] for f in doc["suppressed"]]


# -- Compose (and YAML in general) ---------------------------------------------------------------

COMPOSE_ATTACKS = {
    "block scalar": f"""
        services:
          web:
            image: nginx:1.27
            privileged: true
            command: |
              echo hi
              # {HIDE.format(ids="DC102")}
        """,
    "folded scalar": f"""
        services:
          web:
            image: nginx:1.27
            privileged: true
            labels:
              note: >
                text
                # {HIDE.format(ids="DC102")}
        """,
    "double-quoted multi-line": f"""
        services:
          web:
            image: nginx:1.27
            privileged: true
            entrypoint: "sh -c
              # {HIDE.format(ids="DC102")}
              "
        """,
    "single-quoted multi-line": f"""
        services:
          web:
            image: nginx:1.27
            privileged: true
            entrypoint: 'sh
              # {HIDE.format(ids="DC102")}'
        """,
    "plain scalar (no-break space before #)": """
        services:
          web:
            image: nginx:1.27
            privileged: true
            labels:
              note: see\u00a0# dockerlint:ignore-file[DC102] reviewed
        """,
    "flow sequence": f"""
        services:
          web:
            image: nginx:1.27
            privileged: true
            command: [sh, -c, "true
              # {HIDE.format(ids="DC102")}"]
        """,
    "flow mapping": f"""
        services:
          web:
            image: nginx:1.27
            privileged: true
            labels: {{note: "x
              # {HIDE.format(ids="DC102")}"}}
        """,
}


@pytest.mark.parametrize("case", sorted(COMPOSE_ATTACKS))
def test_compose_string_does_not_suppress(tmp_path: Path, case: str) -> None:
    code, found, suppressed = lint(tmp_path, {"compose.yaml": COMPOSE_ATTACKS[case]}, "DC102")
    assert code == 1 and found == [("DC102", 4)] and suppressed == []


COMPOSE_LEGIT = f"""
    # {HIDE.format(ids="DC105")}
    services:
      web:
        image: nginx:1.27
        privileged: true  # dockerlint: ignore[DC102] kind-in-docker (SEC-2)
        user: root
        command: |  # dockerlint: ignore[DC101] not here: the header comment is a comment (SEC-3)
          # dockerlint: ignore[DC104] a line of the script, not a comment
          echo hi
        cap_add: [SYS_ADMIN,  # dockerlint: ignore[DC110] fuse (SEC-4)
                  CHOWN]
    """


def test_compose_real_comments_still_suppress(tmp_path: Path) -> None:
    code, found, suppressed = lint(tmp_path, {"compose.yaml": COMPOSE_LEGIT}, "DC102,DC105,DC110,DL")
    assert sorted(suppressed) == ["DC102", "DC105", "DC110"]
    # the block scalar's header comment is read (it suppresses nothing on its line: DL001);
    # the '# dockerlint' line inside the script is not a comment at all
    assert found == [("DL001", 7)] and code == 1


@pytest.mark.parametrize("pure_python", [False, True])
def test_yaml_comments_are_the_scanners(monkeypatch: pytest.MonkeyPatch, pure_python: bool) -> None:
    if pure_python:
        monkeypatch.setattr(yaml_nodes, "LOADER", yaml_nodes.yaml.SafeLoader)
    text = (
        "# top\na: \"x # no\" # c1\nb: 'y#z'   #c2\nc: |  # c3\n  # no\n  text # no\nd: [1, # c4\n"
        "  2] # c5\ne: plain#no\nf: >-\n    folded # no\n  # c6\ng: a\n  b # c7\n"
        "h: &x x # c8\ni: *x # c9\n--- # c10\nk: v\u2028# c11\u2028l: w\n"
    )
    lines = text.split("\n")
    got = [lines[c.line - 1][c.col - 1 : c.end_col - 1] for c in yaml_nodes.comments(text)]
    assert got == ["# top", "# c1", "#c2", "# c3", "# c4", "# c5", "# c6", "# c7", "# c8", "# c9", "# c10", "# c11"]
    own = [c.own_line for c in yaml_nodes.comments(text)]
    assert own == [True] + [False] * 5 + [True] + [False] * 5


def test_comment_after_a_yaml_line_separator_ends_there(tmp_path: Path) -> None:
    """A YAML comment ends at U+2028 (a line break to YAML): what follows on the editor's line
    is YAML, not part of the comment's reason; the comment applies to its own line."""
    text = (
        "services:\n  web:\n    image: nginx:1.27\n"
        "    user: root # dockerlint: ignore[DC105] x\u2028    privileged: true\n"
    )
    _, found, suppressed = lint(tmp_path, {"compose.yaml": text}, "DC102,DC105")
    src = SourceFile("compose.yaml", "compose", text)
    (d,) = parse(src)
    assert d.reason == "x" and d.covers == (4, 4)
    assert found == [("DC102", 4)] and suppressed == ["DC105"]


# -- Dockerfile ----------------------------------------------------------------------------------

DOCKERFILE_ATTACKS = {
    "RUN heredoc body": f"""
        FROM debian:12
        RUN <<EOF
        # {HIDE.format(ids="DF101")}
        true
        EOF
        USER root
        """,
    "COPY heredoc body": f"""
        FROM debian:12
        COPY <<EOF /etc/motd
          # {HIDE.format(ids="DF101")}
        EOF
        USER root
        """,
    "hadolint in a heredoc body": """
        FROM debian:12
        RUN <<-EOF
        \t# hadolint global ignore=DL3002
        \ttrue
        \tEOF
        USER root
        """,
    "middle of a RUN line": f"""
        FROM debian:12
        RUN echo hello # {HIDE.format(ids="DF101")}
        USER root
        """,
    "JSON-form string": f"""
        FROM debian:12
        CMD ["sh", "-c", "true # {HIDE.format(ids="DF101")}"]
        USER root
        """,
}


@pytest.mark.parametrize("case", sorted(DOCKERFILE_ATTACKS))
def test_dockerfile_data_does_not_suppress(tmp_path: Path, case: str) -> None:
    text = DOCKERFILE_ATTACKS[case]
    code, found, suppressed = lint(tmp_path, {"Dockerfile": text}, "DF101")
    line = next(n for n, x in enumerate(text.strip("\n").split("\n"), 1) if x.strip() == "USER root")
    assert code == 1 and found == [("DF101", line)] and suppressed == []


def test_dockerfile_end_of_line_text_is_not_a_line_suppression(tmp_path: Path) -> None:
    text = "FROM debian:12\nRUN sudo true # dockerlint: ignore[DF107] it looks like one\n"
    code, found, suppressed = lint(tmp_path, {"Dockerfile": text}, "DF107")
    assert code == 1 and found == [("DF107", 2)] and suppressed == []


def test_dockerfile_real_comments_still_suppress(tmp_path: Path) -> None:
    text = (
        "# syntax=docker/dockerfile:1\n"
        f"# {HIDE.format(ids='DF110')}\n"
        "FROM debian:12\n"
        "RUN <<EOF\ntrue\nEOF\n"
        "RUN apt-get update && \\\n"
        "    # dockerlint: ignore[DF107] the base image has no root shell (SEC-5)\n"
        "    sudo true\n"
        "   # hadolint ignore=DL3002\n"
        "USER root\n"
        "EXPOSE 22\n"
    )
    code, found, suppressed = lint(tmp_path, {"Dockerfile": text}, "DF101,DF107,DF110,DL")
    assert (code, found) == (0, [])
    assert sorted(suppressed) == ["DF101", "DF107", "DF110"]


def test_dockerfile_comments_after_a_parse_error_are_not_read(tmp_path: Path) -> None:
    """A file that does not parse keeps the comments its parser read before the error."""
    code, found, suppressed = lint(
        tmp_path,
        {
            "a/Dockerfile": "# dockerlint: ignore-file[DF000] a template (SEC-6)\nFROM debian:12\nNOPE x\n",
            "b/Dockerfile": "FROM debian:12\nRUN <<EOF\n# dockerlint: ignore-file[DF000] not a comment\n",
        },
        "DF000",
    )
    assert found == [("DF000", 2)] and suppressed == ["DF000"] and code == 1


# -- systemd units and environment files ---------------------------------------------------------

UNIT = "[Service]\nEnvironmentFile=-/etc/default/docker\nExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS\n"


def test_environment_file_quoted_value_does_not_suppress(tmp_path: Path) -> None:
    env = f'NOTE="see\n# {HIDE.format(ids="DD101")}\n"\nDOCKER_OPTS="-H tcp://0.0.0.0:2375"\n'
    code, found, suppressed = lint(
        tmp_path, {"etc/systemd/system/docker.service": UNIT, "etc/default/docker": env}, "DD101"
    )
    assert code == 1 and found == [("DD101", 4)] and suppressed == []


def test_unit_and_environment_file_comments_still_suppress(tmp_path: Path) -> None:
    env = f'# {HIDE.format(ids="DD101")}\nDOCKER_OPTS="-H tcp://0.0.0.0:2375"\n'
    code, found, suppressed = lint(
        tmp_path, {"etc/systemd/system/docker.service": UNIT, "etc/default/docker": env}, "DD101"
    )
    assert (code, found, suppressed) == (0, [], ["DD101"])
    unit = (
        "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd \\\n"
        "  ; dockerlint: ignore[DD101] tunnelled (SEC-7)\n  -H tcp://0.0.0.0:2375\n"
    )
    code, found, suppressed = lint(tmp_path / "u", {"etc/systemd/system/docker.service": unit}, "DD101")
    assert (code, found, suppressed) == (0, [], ["DD101"])


# -- shell scripts -------------------------------------------------------------------------------

SCRIPT_ATTACKS = {
    "heredoc": f"cat <<EOF\n# {HIDE.format(ids='DC102')}\nEOF\n",
    "double-quoted string": f'echo "\n# {HIDE.format(ids="DC102")}\n"\n',
    "single-quoted string": f"echo ' # {HIDE.format(ids='DC102')}'\n",
    # Parentheses escaped: bash refuses a bare '(' in a command's words (that would be a DC000).
    "inside a word": "echo see\u00a0# " + HIDE.format(ids="DC102").replace("(", "\\(").replace(")", "\\)") + "\n",
    "sh -c string": f"sh -c 'true\n# {HIDE.format(ids='DC102')}\n'\n",
}


@pytest.mark.parametrize("case", sorted(SCRIPT_ATTACKS))
def test_script_data_does_not_suppress(tmp_path: Path, case: str) -> None:
    text = "#!/bin/sh\n" + SCRIPT_ATTACKS[case] + "docker run --privileged alpine:3.19\n"
    code, found, suppressed = lint(tmp_path, {"run.sh": text}, "DC102")
    assert code == 1 and found == [("DC102", text.count("\n"))] and suppressed == []


def test_script_real_comments_still_suppress(tmp_path: Path) -> None:
    text = (
        "#!/bin/sh\n"
        "# dockerlint: ignore[DC102] a build box (SEC-8)\n"
        "docker run --privileged alpine:3.19\n"
        "docker run --pid=host alpine:3.19  # dockerlint: ignore[DC108] debugging (SEC-9)\n"
        "x=$(  # dockerlint: ignore[DC107] inside a substitution (SEC-10)\n"
        "  docker run --network=host alpine:3.19)\n"
    )
    code, found, suppressed = lint(tmp_path, {"run.sh": text}, "DC102,DC107,DC108,DL")
    assert code == 1 and found == [("DL001", 5), ("DC107", 6)]
    assert sorted(suppressed) == ["DC102", "DC108"]
    text = (
        "#!/bin/sh\nx=$(\n  # dockerlint: ignore[DC107] inside a substitution (SEC-10)\n"
        "  docker run --network=host alpine:3.19)\n"
    )
    assert lint(tmp_path / "b", {"run.sh": text}, "DC107,DL")[1:] == ([], ["DC107"])


# -- Makefiles -----------------------------------------------------------------------------------

MAKEFILE_ATTACKS = {
    "define body": f"define NOTE\n# {HIDE.format(ids='DC102')}\nendef\n",
    "quoted in a recipe": f"note:\n\techo ' # {HIDE.format(ids='DC102')}'\n",
    "escaped hash": f"NOTE = a \\# {HIDE.format(ids='DC102')}\n",
}


@pytest.mark.parametrize("case", sorted(MAKEFILE_ATTACKS))
def test_makefile_data_does_not_suppress(tmp_path: Path, case: str) -> None:
    text = MAKEFILE_ATTACKS[case] + "run:\n\tdocker run --privileged alpine:3.19\n"
    code, found, suppressed = lint(tmp_path, {"Makefile": text}, "DC102")
    assert code == 1 and found == [("DC102", text.count("\n"))] and suppressed == []


def test_makefile_real_comments_still_suppress(tmp_path: Path) -> None:
    text = (
        f"  # {HIDE.format(ids='DC108')}\n"
        "IMAGE = alpine:3.19  # dockerlint: ignore[DC101] nothing on this line (SEC-11)\n"
        "run:\n"
        "\t# dockerlint: ignore[DC102] a build box (SEC-12)\n"
        "\tdocker run --privileged $(IMAGE)\n"
        "\tdocker run --network=host $(IMAGE) # dockerlint: ignore[DC107] (SEC-13)\n"
        "\tdocker run --pid=host $(IMAGE)\n"
    )
    code, found, suppressed = lint(tmp_path, {"Makefile": text}, "DC101,DC102,DC107,DC108,DL")
    assert found == [("DL001", 2)] and code == 1
    assert sorted(suppressed) == ["DC102", "DC107", "DC108"]


# -- CI files: YAML comments only ----------------------------------------------------------------

WORKFLOW = """
    on: push
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - run: |
              {comment}
              docker run --privileged alpine:3.19
    """


def test_workflow_script_text_does_not_suppress(tmp_path: Path) -> None:
    for comment in (f"# {HIDE.format(ids='DC102')}", "# dockerlint: ignore[DC102] a script line (SEC-14)"):
        files = {".github/workflows/ci.yml": WORKFLOW.format(comment=comment)}
        code, found, suppressed = lint(tmp_path, files, "DC102")
        assert code == 1 and found == [("DC102", 8)] and suppressed == []


def test_workflow_yaml_comments_still_suppress(tmp_path: Path) -> None:
    files = {".github/workflows/ci.yml": f"# {HIDE.format(ids='DC102')}\n" + dedent(WORKFLOW.format(comment="true"))}
    code, found, suppressed = lint(tmp_path, files, "DC102")
    assert (code, found, suppressed) == (0, [], ["DC102"])


def test_gitlab_script_text_does_not_suppress_but_yaml_comments_do(tmp_path: Path) -> None:
    job = "build:\n  image: docker:27\n  script:\n    - |\n      # {hide}\n      docker run --privileged alpine:3.19\n"
    code, found, suppressed = lint(tmp_path, {".gitlab-ci.yml": job.format(hide=HIDE.format(ids="DC102"))}, "DC102")
    assert code == 1 and found == [("DC102", 6)] and suppressed == []
    text = f"# {HIDE.format(ids='DC102')}\n" + job.format(hide="true")
    code, found, suppressed = lint(tmp_path / "b", {".gitlab-ci.yml": text}, "DC102")
    assert (code, found, suppressed) == (0, [], ["DC102"])


# -- the suppression reader on its own -----------------------------------------------------------


def test_parse_reads_the_files_own_comments() -> None:
    compose = SourceFile(
        "compose.yaml", "compose", f"x: |\n  # {HIDE.format(ids='DC102')}\n# {HIDE.format(ids='DC105')}\n"
    )
    assert [d.ids[0][0] for d in parse(compose)] == ["DC105"]
    dockerfile = SourceFile(
        "Dockerfile",
        "dockerfile",
        f"FROM a\nRUN <<EOF\n# {HIDE.format(ids='DF101')}\nEOF\n# {HIDE.format(ids='DF102')}\n",
    )
    assert [d.ids[0][0] for d in parse(dockerfile)] == ["DF102"]
