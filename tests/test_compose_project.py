"""Compose projects: override files, COMPOSE_FILE, --compose-file, extends, include, profiles,
.env interpolation and env_file; every finding at the file and line where the value is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cli_helpers import run
from dockerlint.models.container import ClientEnv, Container, EnvFile
from dockerlint.models.source import SourceFile
from dockerlint.parsers import compose, compose_project, dotenv
from dockerlint.parsers.compose import Missing, interpolate
from helpers import check, dedent, lint, lint_tree, write_tree

BASE = """
    services:
      web:
        image: nginx:1.27
        volumes:
          - ./html:/usr/share/nginx/html:ro
    """


def rule_hits(files: dict[str, str], rule_id: str) -> list[tuple[str, int, int, str]]:
    result = lint(files, select=[rule_id])
    assert not result.internal_errors, result.internal_errors
    return [(f.path, f.span.line, f.span.col, f.message) for f in result.findings if f.rule_id == rule_id]


# -- which files form a project -----------------------------------------------------------


def test_override_file_value_points_at_the_override() -> None:
    check(
        "DC101",
        {
            "compose.yaml": BASE,
            "compose.override.yaml": """
        services:
          web:
            volumes:
              - /var/run/docker.sock:/var/run/docker.sock
        """,
        },
        expect=[("compose.override.yaml", 4, 9, "service 'web'")],
    )


def test_service_is_reported_once_not_per_file() -> None:
    # DC113 (a missing setting) points at the service's name in the file that defines it first.
    check(
        "DC113",
        {
            "compose.yaml": BASE,
            "compose.override.yaml": """
        services:
          web:
            environment:
              DEBUG: "1"
        """,
        },
        expect=[("compose.yaml", 2, 3)],
    )


def test_docker_compose_names_and_first_override_only() -> None:
    files = {
        "docker-compose.yml": BASE,
        "docker-compose.override.yml": "services:\n  web:\n    privileged: true\n",
        "compose.prod.yaml": "services:\n  web:\n    pid: host\n",  # not part of the default project
    }
    check("DC102", files, expect=[("docker-compose.override.yml", 3, 5)])
    # compose.prod.yaml is a project of its own.
    check("DC108", files, expect=[("compose.prod.yaml", 3, 10)])


def test_compose_yaml_wins_over_docker_compose_yml() -> None:
    check(
        "DC102",
        {
            "compose.yaml": BASE,
            "docker-compose.yml": "services:\n  other:\n    image: x:1\n",
            "compose.override.yml": "services:\n  web:\n    privileged: true\n",
        },
        expect=[("compose.override.yml", 3, 5, "service 'web'")],
    )


def test_compose_file_in_dotenv_chooses_the_files_and_their_order() -> None:
    files = {
        ".env": "COMPOSE_FILE=compose.yaml;deploy/prod.yml\nCOMPOSE_PATH_SEPARATOR=;\n",
        "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    network_mode: bridge\n",
        "deploy/prod.yml": "services:\n  web:\n    network_mode: host\n",
        "compose.override.yaml": "services:\n  web:\n    network_mode: none\n",  # not used: COMPOSE_FILE says so
    }
    check("DC107", files, expect=[("deploy/prod.yml", 3, 19)])


def test_compose_file_with_a_missing_file_is_dc124_at_the_dotenv_line() -> None:
    check(
        "DC124",
        {
            ".env": "# files\nCOMPOSE_FILE=compose.yaml:missing.yaml\n",
            "compose.yaml": BASE,
        },
        expect=[(".env", 2, 14, "'missing.yaml' does not exist")],
    )


def test_compose_file_option_merges_in_order(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "base.yml": "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n",
            "hardened.yml": "services:\n  web:\n    privileged: false\n",
            "compose.yaml": "services:\n  other:\n    image: x:1\n",
        },
    )
    code, out, _ = run(
        ["--select", "DC102", "--compose-file", "base.yml", "--compose-file", "hardened.yml", "--no-color", "-q", "."],
        tmp_path,
    )
    assert code == 0 and "DC102" not in out, out
    code, out, _ = run(
        ["--select", "DC102", "--compose-file", "hardened.yml", "--compose-file", "base.yml", "--no-color", "-q", "."],
        tmp_path,
    )
    assert code == 1 and out.startswith("base.yml:4:5: DC102"), out


# -- merge rules ---------------------------------------------------------------------------


def test_later_scalar_wins_either_way() -> None:
    on = "services:\n  web:\n    image: a:1\n    privileged: true\n"
    off = "services:\n  web:\n    privileged: false\n"
    check("DC102", {"compose.yaml": on, "compose.override.yaml": off}, expect=[])
    check(
        "DC102",
        {
            "compose.yaml": off.replace("web:\n", "web:\n    image: a:1\n"),
            "compose.override.yaml": on.replace("    image: a:1\n", ""),
        },
        expect=[("compose.override.yaml", 3, 5)],
    )


def test_null_in_the_override_keeps_the_base_value() -> None:
    check(
        "DC102",
        {
            "compose.yaml": "services:\n  web:\n    image: a:1\n    privileged: true\n",
            "compose.override.yaml": "services:\n  web:\n    privileged:\n",
        },
        expect=[("compose.yaml", 4, 5)],
    )


def test_volumes_are_unique_by_target() -> None:
    check(
        "DC101",
        {
            "compose.yaml": "services:\n  web:\n    image: a:1\n    volumes:\n      - /var/run/docker.sock:/sock\n",
            "compose.override.yaml": "services:\n  web:\n    volumes:\n      - type: bind\n        source: ./fake\n"
            "        target: /sock\n",
        },
        expect=[],
    )


def test_ports_are_appended() -> None:
    check(
        "DC116",
        {
            "compose.yaml": 'services:\n  web:\n    image: a:1\n    ports:\n      - "8080:80"\n',
            "compose.override.yaml": 'services:\n  web:\n    ports:\n      - "127.0.0.1:8443:443"\n'
            '      - "9000:9000"\n',
        },
        expect=[("compose.override.yaml", 5, 9), ("compose.yaml", 5, 9)],
    )


def test_environment_merged_by_name_across_list_and_mapping_syntax() -> None:
    base = "services:\n  ci:\n    image: docker:27\n    environment:\n      DOCKER_HOST: tcp://docker:2375\n"
    safe = "services:\n  ci:\n    environment:\n      - DOCKER_HOST=unix:///var/run/docker.sock\n"
    check("DD104", {"compose.yaml": base, "compose.override.yaml": safe}, expect=[])
    check(
        "DD104",
        {
            "compose.yaml": safe.replace("ci:\n", "ci:\n    image: docker:27\n"),
            "compose.override.yaml": base.replace("    image: docker:27\n", ""),
        },
        expect=[("compose.override.yaml", 4, 7)],
    )


def test_cap_add_and_security_opt_duplicates_are_one() -> None:
    check(
        "DC110",
        {
            "compose.yaml": "services:\n  web:\n    image: a:1\n    cap_add: [SYS_ADMIN]\n",
            "compose.override.yaml": "services:\n  web:\n    cap_add: [SYS_ADMIN, NET_ADMIN]\n",
        },
        expect=[("compose.override.yaml", 3, 15, "SYS_ADMIN"), ("compose.override.yaml", 3, 26, "NET_ADMIN")],
    )


def test_reset_and_override_tags() -> None:
    base = (
        "services:\n  web:\n    image: a:1\n    privileged: true\n    volumes:\n"
        '      - /var/run/docker.sock:/var/run/docker.sock\n    ports:\n      - "80:80"\n'
    )
    over = (
        "services:\n  web:\n    privileged: !reset false\n    volumes: !reset []\n"
        '    ports: !override\n      - "127.0.0.1:8080:80"\n'
    )
    files = {"compose.yaml": base, "compose.override.yaml": over}
    check("DC102", files, expect=[])
    check("DC101", files, expect=[])
    check("DC116", files, expect=[])


def test_reset_of_a_whole_service() -> None:
    check(
        "DC102",
        {
            "compose.yaml": "services:\n  web:\n    image: a:1\n    privileged: true\n",
            "compose.override.yaml": "services:\n  web: !reset {}\n",
        },
        expect=[],
    )


def test_command_is_replaced_not_appended() -> None:
    got = project_containers(
        {
            "compose.yaml": "services:\n  a:\n    image: x:1\n    command: [run, --fast]\n",
            "compose.override.yaml": "services:\n  a:\n    command: [serve]\n",
        }
    )
    assert [w.value for w in got["a"].command] == ["serve"]
    assert got["a"].command[0].span.path == "compose.override.yaml"


def test_build_short_and_long_syntax_merge() -> None:
    got = project_containers(
        {
            "compose.yaml": "services:\n  a:\n    build: ./app\n",
            "compose.override.yaml": "services:\n  a:\n    build:\n      target: dev\n",
        }
    )
    b = got["a"].build
    assert b is not None and b.context is not None and b.target is not None
    assert (b.context.value, b.context.span.path, b.target.value, b.target.span.path) == (
        "./app",
        "compose.yaml",
        "dev",
        "compose.override.yaml",
    )
    assert b.dockerfile_path == "app/Dockerfile"


# -- extends -----------------------------------------------------------------------------


def test_extends_in_the_same_file() -> None:
    check(
        "DC110",
        """
        services:
          base:
            image: a:1
            cap_add: [SYS_ADMIN]
          web:
            extends: base
            cap_add: [NET_ADMIN]
        """,
        name="compose.yaml",
        expect=[(4, 15, "service 'base'"), (4, 15, "service 'web'"), (7, 15, "service 'web'")],
    )


def test_extends_another_file_points_into_it() -> None:
    # common/services.yml is a Compose file too (found by its content): its own service 'app'
    # is reported as well, as a base service in the same file is ('base' and 'web' above).
    check(
        "DC102",
        {
            "compose.yaml": "services:\n  web:\n    extends:\n      file: common/services.yml\n      service: app\n",
            "common/services.yml": "services:\n  app:\n    image: a:1\n    privileged: true\n",
        },
        expect=[("common/services.yml", 4, 5, "service 'app'"), ("common/services.yml", 4, 5, "service 'web'")],
    )
    # Named alone, compose.yaml reads the file it extends without making it a project.
    check_paths(
        "DC102",
        {
            "compose.yaml": "services:\n  web:\n    extends:\n      file: common/services.yml\n      service: app\n",
            "common/services.yml": "services:\n  app:\n    image: a:1\n    privileged: true\n",
        },
        ["compose.yaml"],
        expect=[("common/services.yml", 4, 5, "service 'web'")],
    )


def test_a_finding_two_projects_share_is_reported_once() -> None:
    # services/docker-compose.yml is a project of its own and the base of compose.yaml's 'web':
    # the same finding (rule, place, message) comes from both, and is reported once.
    check(
        "DC102",
        {
            "compose.yaml": "services:\n  web:\n    extends:\n      file: services/docker-compose.yml\n"
            "      service: web\n",
            "services/docker-compose.yml": "services:\n  web:\n    image: a:1\n    privileged: true\n",
        },
        expect=[("services/docker-compose.yml", 4, 5, "service 'web'")],
    )


def test_extends_is_recursive_and_its_relative_paths_follow_the_base_file() -> None:
    got = project_containers(
        {
            "compose.yaml": "services:\n  web:\n    extends:\n      file: lib/a.yml\n      service: a\n",
            "lib/a.yml": "services:\n  a:\n    extends:\n      file: b.yml\n      service: b\n",
            "lib/b.yml": "services:\n  b:\n    build: ../src\n    user: root\n",
        }
    )
    web = got["web"]
    assert web.user is not None and web.user.span.path == "lib/b.yml"
    assert web.build is not None and web.build.dockerfile_path == "src/Dockerfile"


EXTENDS_PROBLEMS = {
    "compose.yaml": """
    services:
      a:
        image: x:1
        extends:
          file: nowhere.yml
          service: base
      b:
        image: x:1
        extends:
          service: ghost
      c:
        extends: d
      d:
        extends: c
    """
}


def test_extends_problems_are_dc000_at_the_reference() -> None:
    check(
        "DC000",
        EXTENDS_PROBLEMS,
        expect=[
            ("compose.yaml", 10, 16, "'ghost', which is not defined"),
            ("compose.yaml", 12, 14, "circular"),
            ("compose.yaml", 14, 14, "circular"),
        ],
    )
    # The missing file is not an error of the project: it is not in the scan (DC124, info).
    check("DC124", EXTENDS_PROBLEMS, expect=[("compose.yaml", 5, 13, "'nowhere.yml' does not exist")])


def test_references_outside_the_scanned_tree_are_not_read(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "secret.yml": "services:\n  base:\n    image: a:1\n    privileged: true\n",
            "app/compose.yaml": "services:\n  web:\n    extends:\n      file: ../secret.yml\n      service: base\n",
        },
    )
    code, out, err = run(["--select", "DC000,DC124,DC102", "--no-color", "app"], tmp_path)
    assert (code, out) == (0, "No findings in 1 file.\n")  # a notice, not a finding
    assert err == (
        "dockerlint: app/compose.yaml:4:13: the extended file 'secret.yml' is outside the scanned folders: not "
        "followed (dockerlint never reads outside them); lint a folder that holds it, or the findings here may "
        "miss what it sets\n"
    )
    _, out, _ = run(["--select", "DC000,DC124,DC102", "--no-color", "-q", "."], tmp_path)
    assert "DC000" not in out and "DC124" not in out and "secret.yml:4:5: DC102" in out


# -- include -----------------------------------------------------------------------------


def test_include_adds_services_once_and_resolves_paths_from_the_included_file() -> None:
    files = {
        "compose.yaml": "include:\n  - infra/compose.yaml\nservices:\n  web:\n    image: a:1\n",
        "infra/compose.yaml": "services:\n  agent:\n    image: b:1\n    pid: host\n    build: ./agent\n",
        "infra/agent/Dockerfile": 'FROM debian:12\nCMD ["agent"]\n',
    }
    check("DC108", files, expect=[("infra/compose.yaml", 4, 10)])
    check("DC122", files, expect=[("infra/compose.yaml", 5, 5, "infra/agent/Dockerfile")])


def test_include_uses_its_own_dotenv_overridden_by_the_including_project() -> None:
    files = {
        "compose.yaml": "include:\n  - path: sub/stack.yml\nservices:\n  web:\n    image: a:1\n",
        ".env": "RUN_AS=0\n",
        "sub/stack.yml": "services:\n  job:\n    image: b:1\n    user: ${RUN_AS}\n    pid: ${PID_MODE}\n",
        "sub/.env": "RUN_AS=1000\nPID_MODE=host\n",
    }
    check("DC105", files, expect=[("sub/stack.yml", 4, 11, "'0'")])
    check("DC108", files, expect=[("sub/stack.yml", 5, 10)])


def test_include_problems() -> None:
    files = {
        "compose.yaml": "include:\n  - missing.yml\n  - dup.yml\nservices:\n  web:\n    image: a:1\n",
        "dup.yml": "services:\n  web:\n    image: b:1\n    privileged: true\n",
    }
    check(
        "DC000", files, expect=[("compose.yaml", 3, 5, "service 'web' is defined both here and in the included file")]
    )
    check("DC124", files, expect=[("compose.yaml", 2, 5, "'missing.yml' does not exist")])
    # The refused project is not checked; dup.yml, a Compose file by its content, is a project
    # of its own when the tree is walked.
    files = {
        "compose.yaml": "include:\n  - dup.yml\nservices:\n  web:\n    image: a:1\n",
        "dup.yml": "services:\n  web:\n    image: b:1\n    privileged: true\n",
    }
    check_paths("DC102", files, ["compose.yaml"], expect=[])
    check("DC102", files, expect=[("dup.yml", 4, 5, "service 'web'")])


def test_circular_include_is_dc000() -> None:
    check(
        "DC000",
        {
            "compose.yaml": "include:\n  - a/compose.yaml\nservices:\n  web:\n    image: a:1\n",
            "a/compose.yaml": "include:\n  - ../compose.yaml\nservices:\n  x:\n    image: a:1\n",
        },
        expect=[
            ("a/compose.yaml", 2, 5, "'compose.yaml' comes back"),  # found from compose.yaml
            ("compose.yaml", 2, 5, "'a/compose.yaml' comes back"),
        ],
    )  # found from a/ (a project too)


# -- profiles -------------------------------------------------------------------------------


def test_findings_on_services_with_profiles_name_them() -> None:
    check(
        "DC102",
        """
        services:
          debug:
            image: a:1
            profiles: [debug, tools]
            privileged: true
          web:
            image: a:1
            profiles: [prod]
            privileged: true
        """,
        name="compose.yaml",
        expect=[
            (5, 5, "service 'debug' (profiles 'debug', 'tools') runs privileged"),
            (9, 5, "service 'web' (profile 'prod') runs privileged"),
        ],
    )


# -- interpolation ----------------------------------------------------------------------------


def test_dotenv_values_are_interpolated() -> None:
    files = {
        "compose.yaml": "services:\n  app:\n    image: a:1\n    user: ${APP_USER}\n"
        "    volumes:\n      - ${SOCK:-/tmp/app.sock}:/sock\n",
        ".env": "APP_USER=root\nSOCK=/var/run/docker.sock\n",
    }
    check("DC105", files, expect=[("compose.yaml", 4, 11, "'root', from '${APP_USER}'")])
    check("DC101", files, expect=[("compose.yaml", 6, 9)])
    check("DC123", files, expect=[])


def test_shell_environment_is_never_used(monkeypatch: Any) -> None:
    monkeypatch.setenv("APP_USER", "root")
    check("DC105", {"compose.yaml": "services:\n  app:\n    image: a:1\n    user: ${APP_USER}\n"}, expect=[])


def test_unresolved_variables_once_per_project_at_first_use() -> None:
    check(
        "DC123",
        {
            "compose.yaml": "services:\n  app:\n    image: app:${TAG}\n    labels:\n      v: $TAG\n"
            "    user: ${UID:-1000}\n    command: echo $$HOME ${DB_PASSWORD:?set DB_PASSWORD}\n",
            "compose.override.yaml": "services:\n  app:\n    image: app:${TAG}-debug\n    hostname: ${HOST}\n",
        },
        expect=[
            ("compose.override.yaml", 4, 15, "'HOST'"),
            ("compose.yaml", 3, 12, "variable 'TAG' is not set in a .env file (the project has none)"),
            ("compose.yaml", 7, 14, "variable 'DB_PASSWORD' is required ('set DB_PASSWORD')"),
        ],
    )


def test_unresolved_variable_message_names_the_dotenv() -> None:
    check(
        "DC123",
        {"compose.yaml": "services:\n  app:\n    image: app:${TAG}\n", ".env": "OTHER=1\n"},
        expect=[("compose.yaml", 3, 12, "not set in '.env'")],
    )


def test_interpolate_with_an_environment() -> None:
    env = {"A": "a", "E": ""}
    cases = [
        ("${A}/$A", "a/a", []),
        ("${B}", "${B}", [Missing("B")]),
        ("${E:-d} ${E-d} ${B:-d} ${B-d}", "d  d d", []),
        ("${A:?no} ${B:?must} ${E?x}", "a ${B:?must} ", [Missing("B", "must")]),
        ("${A:+alt} ${E:+alt} ${E+alt} ${B:+alt}", "alt  alt ${B:+alt}", []),
        ("${B:-${C}}", "${C}", [Missing("C")]),
        ("${A:-${C}}", "a", []),
        ("$$A $${B}", "$A ${B}", []),
    ]
    for text, want, missing in cases:
        got: list[Missing] = []
        assert interpolate(text, env, got) == want, text
        assert got == missing, text


# -- env_file ------------------------------------------------------------------------------------


def test_env_file_problems_and_optional_files() -> None:
    check(
        "DC124",
        {
            "compose.yaml": """
        services:
          app:
            image: a:1
            env_file:
              - ./app.env
              - path: ./local.env
                required: false
              - path: ./prod.env
        """,
            "app.env": "A=1\n",
        },
        expect=[("compose.yaml", 8, 15, "'prod.env' does not exist")],
    )


def test_env_file_docker_host_reaches_the_client_rule() -> None:
    files = {
        "compose.yaml": "services:\n  ci:\n    image: docker:27-cli\n    env_file: ci.env\n",
        "ci.env": "# CI\nexport DOCKER_HOST=tcp://dind:2375\n",
    }
    check("DD104", files, expect=[("ci.env", 2, 8, "DOCKER_HOST 'tcp://dind:2375'")])
    # environment: wins over env_file.
    files["compose.yaml"] += "    environment:\n      DOCKER_HOST: unix:///var/run/docker.sock\n"
    check("DD104", files, expect=[])


def test_dotenv_syntax() -> None:
    text = dedent("""
        # comment
        A=1
        export B="x ${A} \\n" # comment
        C='lit ${A}'
        D=plain value # comment
        E=has#hash
        F
        G=
        H="multi
        line"
        """)
    got = {v.name: v for v in dotenv.parse(text)}
    assert dotenv.values(list(got.values())) == {
        "A": "1",
        "B": "x 1 \n",
        "C": "lit ${A}",
        "D": "plain value",
        "E": "has#hash",
        "G": "",
        "H": "multi\nline",
    }
    assert (got["B"].line, got["B"].col, got["B"].value_col, got["B"].value_end_col) == (3, 8, 10, 21)
    assert (got["H"].value_line, got["H"].value_end_line, got["H"].value_end_col) == (9, 10, 6)


def test_dotenv_comments_as_compose_reads_them() -> None:
    """compose-go cuts an unquoted value at the first " #" (a space, not a tab); after a
    closing quote the rest of the line may be a comment; a '#' inside quotes is text."""
    from dockerlint.parsers.output import Comment

    text = dedent("""
          # own line
        A=1 # after a value
        B=tab\t#not a comment
        C="x # y" # after quotes
        D='multi
        # inside quotes
        '#glued after the quote
        E=glued#text
        """).replace("\\t", "\t")
    comments: list[Comment] = []
    got = {v.name: v.value for v in dotenv.parse(text, comments=comments)}
    assert got == {
        "A": "1",
        "B": "tab\t#not a comment",
        "C": "x # y",
        "D": "multi\n# inside quotes\n",
        "E": "glued#text",
    }
    assert [(c.line, c.col, c.end_col, c.own_line) for c in comments] == [
        (1, 3, 13, True),
        (2, 5, 20, False),
        (4, 11, 25, False),
        (7, 2, 24, False),
    ]


# -- the fast path ------------------------------------------------------------------------------


def test_single_file_projects_keep_the_parsed_models(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "a/compose.yaml": "services:\n  web:\n    image: a:${TAG:-1}\n",
            "b/compose.yaml": "services:\n  web:\n    image: b:1\n",
            "b/.env": "X=1\n",
        },
    )
    parts = [
        compose.parse(
            SourceFile(
                f"{d}/compose.yaml",
                "compose",
                (tmp_path / d / "compose.yaml").read_text(),
                str(tmp_path / d / "compose.yaml"),
            )
        ).compose_parts[0]
        for d in "ab"
    ]
    got = compose_project.assemble(parts, roots=[str(tmp_path)], cwd=str(tmp_path))
    assert got.replaced == set() and got.problems == []
    # Only the .env is new: an environment file of the scan (DC117 judges what it holds).
    assert [(type(m).__name__, m.path) for m in got.models] == [("EnvFile", "b/.env")]


# -- helpers -------------------------------------------------------------------------------------


def check_paths(rule_id: str, files: dict[str, str], paths: list[str], expect: list[tuple[str, int, int, str]]) -> None:
    """The exact findings of ``rule_id`` when only ``paths`` are named (the tree is not walked)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        write_tree(Path(tmp), files)
        result = lint_tree(Path(tmp), select=[rule_id], paths=paths)
    got = [(f.path, f.span.line, f.span.col) for f in result.findings if f.rule_id == rule_id]
    assert got == [e[:3] for e in expect], got
    for f, e in zip((f for f in result.findings if f.rule_id == rule_id), expect):
        assert e[3] in f.message, f.message


def project_containers(files: dict[str, str]) -> dict[str, Container]:
    import os
    import tempfile

    from dockerlint.core.engine import Engine
    from dockerlint.core.options import Options
    from dockerlint.core.scan import Scan
    from dockerlint.discovery import discover
    from helpers import registry

    captured: list[Scan] = []
    models: list[Any] = []  # the first scan's models as the rules saw them (the scan drops some later)
    engine = Engine(registry(), Options(select=["DC000"]))
    check_model = engine.checker.check_model

    def capture(model: Any, scan: Scan, result: Any, shadow: Any = frozenset()) -> None:
        if not captured or captured[-1] is not scan:
            captured.append(scan)
            if len(captured) == 1:
                models.extend(scan.models)
        check_model(model, scan, result, shadow)

    engine.checker.check_model = capture  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        write_tree(Path(tmp), files)
        old = os.getcwd()
        os.chdir(tmp)
        try:
            cands, _ = discover(["."])
            engine.run(cands)
        finally:
            os.chdir(old)
    out = {m.name.value: m for m in models if isinstance(m, Container)}
    assert len(out) == len([m for m in models if isinstance(m, Container)])
    assert all(isinstance(m, (Container, ClientEnv)) or True for m in models)
    return out


# -- property: the node merge equals a plain reference merge, positions included -----------------

_word = st.sampled_from(["a", "b", "c", "/x", "/y", "./d"])
_key = st.sampled_from(["A", "B", "C"])
_env = st.one_of(
    st.dictionaries(_key, _word, max_size=3), st.lists(st.builds(lambda k, v: f"{k}={v}", _key, _word), max_size=3)
)
_service = st.fixed_dictionaries(
    {},
    optional={
        "image": _word,
        "privileged": st.booleans(),
        "user": _word,
        "environment": _env,
        "labels": _env,
        "volumes": st.lists(
            st.builds(
                lambda s, t: f"{s}:{t}", st.sampled_from(["./s", "/h", "vol"]), st.sampled_from(["/t1", "/t2", "/t3"])
            ),
            max_size=3,
        ),
        "ports": st.lists(st.sampled_from(["80:80", "127.0.0.1:80:80", "443:443"]), max_size=2),
        "cap_add": st.lists(st.sampled_from(["NET_ADMIN", "SYS_TIME", "CHOWN"]), max_size=3),
        "dns": st.lists(_word, max_size=2),
        "command": st.lists(_word, min_size=1, max_size=2),
        "build": st.one_of(_word, st.fixed_dictionaries({}, optional={"context": _word, "target": _word})),
        "deploy": st.fixed_dictionaries(
            {},
            optional={
                "resources": st.fixed_dictionaries(
                    {}, optional={"limits": st.fixed_dictionaries({}, optional={"memory": _word, "cpus": _word})}
                )
            },
        ),
    },
)


def _tag(value: Any, file: str) -> Any:
    """Leaves as (text, file): where each value is written."""
    if isinstance(value, dict):
        return {k: _tag(v, file) for k, v in value.items()}
    if isinstance(value, list):
        return [_tag(v, file) for v in value]
    return (str(value).lower() if isinstance(value, bool) else str(value), file)


def _kv(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return dict(value)
    out: dict[str, Any] = {}
    for text, file in value:
        k, _, v = text.partition("=")
        out[k] = (v, file)
    return out


_UNIQ = {
    "volumes": lambda t: t[0].split(":")[1],
    "ports": lambda t: t[0],
    "cap_add": lambda t: t[0],
    "dns": lambda t: t[0],
}


def _reference(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """The specification's rules, written plainly over Python values."""
    out = dict(base)
    for key, value in over.items():
        if key not in out:
            out[key] = value
        elif key in ("environment", "labels"):
            merged = _kv(out[key])
            merged.update(_kv(value))
            out[key] = merged
        elif key == "command" or (not isinstance(value, (dict, list)) and not isinstance(out[key], (dict, list))):
            out[key] = value
        elif key == "build":
            b = out[key] if isinstance(out[key], dict) else {"context": out[key]}
            o = value if isinstance(value, dict) else {"context": value}
            out[key] = {**b, **o}
        elif isinstance(value, list):
            items: list[Any] = []
            where: dict[str, int] = {}
            for item in out[key] + value:
                k = _UNIQ[key](item)
                if k in where:
                    items[where[k]] = item
                else:
                    where[k] = len(items)
                    items.append(item)
            out[key] = items
        else:  # deploy: nested mappings merged key by key
            out[key] = _deep(out[key], value)
    return out


def _deep(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        return {**a, **{k: _deep(a[k], v) if k in a else v for k, v in b.items()}}
    return b


def _plain(node: Any, key: str = "") -> Any:
    from dockerlint.parsers.yaml_nodes import YMap, YPair, YScalar, YSeq

    if key in ("environment", "labels"):
        if isinstance(node, YMap):
            return {e.key.value: (e.value.value, e.value.path) for e in node.entries}
        out: dict[str, Any] = {}
        for item in node.items:
            if isinstance(item, YPair):
                out[item.entry.key.value] = (item.entry.value.value, item.entry.value.path)
            else:
                k, _, v = item.value.partition("=")
                out[k] = (v, item.path)
        return out
    if isinstance(node, YMap):
        return {e.key.value: _plain(e.value, e.key.value) for e in node.entries}
    if isinstance(node, YSeq):
        return [_plain(i) for i in node.items]
    assert isinstance(node, YScalar)
    return (node.value, node.path)


@settings(max_examples=300, deadline=None)
@given(_service, _service)
def test_merge_equals_the_reference_merge(base: dict[str, Any], over: dict[str, Any]) -> None:
    import yaml

    from dockerlint.parsers import yaml_nodes

    nodes = []
    for doc, path in ((base, "compose.yaml"), (over, "compose.override.yaml")):
        root = yaml_nodes.load(yaml.safe_dump({"services": {"web": doc}}), path)
        nodes.append(root.get("services").get("web"))  # type: ignore[union-attr]
    merged = compose_project.Merger({}).service(nodes[0], nodes[1])
    want = _reference(_tag(base, "compose.yaml"), _tag(over, "compose.override.yaml"))
    want = {k: (_kv(v) if k in ("environment", "labels") else v) for k, v in want.items()}
    got = _plain(merged) if merged is not None else {}
    if "build" in want and not isinstance(want["build"], dict) and isinstance(got.get("build"), dict):
        want["build"] = {"context": want["build"]}
    assert got == want


_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(
        [
            "x",
            "${A}",
            "${B:-/var/run/docker.sock}",
            "$$",
            "../up.yml",
            "other.yml",
            "compose.yaml",
            "web",
            "/var/run/docker.sock:/s",
            "80:80",
            "!",
        ]
    ),
)
_value = st.recursive(
    _scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(
                [
                    "file",
                    "service",
                    "path",
                    "target",
                    "source",
                    "type",
                    "context",
                    "environment",
                    "volumes",
                    "extends",
                    "include",
                    "env_file",
                    "required",
                    "project_directory",
                    "web",
                    "db",
                ]
            ),
            inner,
            max_size=3,
        ),
    ),
    max_leaves=8,
)
_doc = st.fixed_dictionaries(
    {},
    optional={
        "include": _value,
        "services": st.dictionaries(
            st.sampled_from(["web", "db"]),
            st.dictionaries(
                st.sampled_from(
                    [
                        "extends",
                        "image",
                        "build",
                        "volumes",
                        "environment",
                        "env_file",
                        "ports",
                        "user",
                        "privileged",
                        "profiles",
                        "command",
                    ]
                ),
                _value,
                max_size=4,
            ),
            max_size=2,
        ),
    },
)


@settings(max_examples=150, deadline=None)
@given(_doc, _doc, st.sampled_from(["", "A=1\n", "COMPOSE_FILE=compose.yaml:other.yml\n"]))
def test_arbitrary_projects_never_crash(main_doc: dict[str, Any], over: dict[str, Any], env: str) -> None:
    import os
    import tempfile

    import yaml

    from dockerlint.parsers.errors import ParseError

    root = Path(tempfile.mkdtemp(prefix="dl-proj-"))
    files = {
        "compose.yaml": yaml.safe_dump(main_doc),
        "compose.override.yaml": yaml.safe_dump(over),
        "other.yml": yaml.safe_dump(over),
        ".env": env,
    }
    write_tree(root, files)
    parts = []
    for name in ("compose.yaml", "compose.override.yaml"):
        try:
            out = compose.parse(SourceFile(name, "compose", files[name], str(root / name)))
        except ParseError:
            continue
        parts.extend(out.compose_parts)
    got = compose_project.assemble(parts, roots=[str(root)], cwd=str(root))
    for m in got.models:
        assert isinstance(m, (Container, ClientEnv, EnvFile))
    for p in got.problems:
        assert p.rule_id in ("DC000", "DC123", "DC124") and p.span.line >= 1
    for name in files:
        os.unlink(root / name)
    root.rmdir()


def test_yaml_nodes_know_their_file_and_merged_nodes_keep_it() -> None:
    from dockerlint.parsers import yaml_nodes
    from dockerlint.parsers.yaml_nodes import YMap, YPair, YSeq

    a = yaml_nodes.load("x:\n  env:\n    A: 1\n", "a.yml")
    b = yaml_nodes.load("x:\n  env:\n    - B=2\n", "b.yml")
    assert isinstance(a, YMap) and isinstance(b, YMap)
    assert a.span().path == "a.yml" and a.span("other").path == "a.yml"
    assert yaml_nodes.load("k: v\n").span("given").path == "given"  # type: ignore[union-attr]
    merged = compose_project.Merger({}).merge(a.get("x"), b.get("x"), ())  # type: ignore[arg-type]
    assert isinstance(merged, YMap) and merged.path == "a.yml"
    env = compose_project.Merger({}).merge(
        a.get("x").get("env"),
        b.get("x").get("env"),  # type: ignore[union-attr]
        ("environment",),
    )
    assert isinstance(env, YSeq)
    assert [(type(i).__name__, i.path, i.line) for i in env.items] == [("YPair", "a.yml", 3), ("YScalar", "b.yml", 3)]
    assert isinstance(env.items[0], YPair) and env.items[0].span().end_col == 9


def test_the_include_budget_is_per_project(tmp_path: Path) -> None:
    """30 projects of 20 includes each (600 included files) in one tree: the 500-include
    budget was shared by the whole scan, so the last projects' includes were never read and
    their findings were missing from a large repository. Each project has its own budget.
    (The included files have names the walk does not find: only the includes read them.)"""
    files: dict[str, str] = {}
    for p in range(30):
        includes = "".join(f"  - part{i}.inc\n" for i in range(20))
        files[f"stack{p:02d}/compose.yaml"] = f"include:\n{includes}services:\n  web:\n    image: nginx:1.27\n"
        for i in range(20):
            files[f"stack{p:02d}/part{i}.inc"] = f"services:\n  s{i}:\n    image: alpine:3.20\n    privileged: true\n"
    write_tree(tmp_path, files)
    _, out, _ = run(["--no-color", "--select", "DC000,DC102", "--format", "json", "."], tmp_path)
    findings = json.loads(out)["findings"]
    assert not [f for f in findings if f["rule_id"] == "DC000"], [f["message"] for f in findings][:3]
    privileged = {(f["path"], f["line"]) for f in findings if f["rule_id"] == "DC102"}
    assert privileged == {(f"stack{p:02d}/part{i}.inc", 4) for p in range(30) for i in range(20)}


def test_the_include_limit_is_said_once_per_project_where_it_is_reached(tmp_path: Path) -> None:
    """Past its budget a project's further includes are not read: one DC000 per project, at
    the first include it did not read; another project still reads its own."""
    limit = compose_project.MAX_INCLUDES
    includes = "".join(f"  - part{i}.inc\n" for i in range(limit + 3))
    files = {f"{name}/compose.yaml": f"include:\n{includes}" for name in ("a", "b")}
    for name in ("a", "b"):
        for i in range(limit + 3):
            files[f"{name}/part{i}.inc"] = f"services:\n  s{i}:\n    image: alpine:3.20\n    privileged: true\n"
    write_tree(tmp_path, files)
    _, out, _ = run(["--no-color", "--select", "DC000,DC102", "--format", "json", "."], tmp_path)
    findings = json.loads(out)["findings"]
    errors = [(f["path"], f["line"], f["column"], f["message"]) for f in findings if f["rule_id"] == "DC000"]
    message = f"more than {limit} included files in this project: the rest are not read"
    assert errors == [(f"{name}/compose.yaml", limit + 2, 5, message) for name in ("a", "b")]
    for name in ("a", "b"):
        read = {f["path"] for f in findings if f["rule_id"] == "DC102" and f["path"].startswith(f"{name}/")}
        assert read == {f"{name}/part{i}.inc" for i in range(limit)}


def test_the_includes_of_a_whole_scan_have_a_backstop(tmp_path: Path, monkeypatch: Any) -> None:
    """Many projects that each include files hundreds of times are bounded in total too: past
    MAX_SCAN_INCLUDES one DC000 for the scan, at the first include not read."""
    monkeypatch.setattr(compose_project, "MAX_SCAN_INCLUDES", 25)
    files = {f"p{p}/compose.yaml": "include:\n" + "".join(f"  - part{i}.inc\n" for i in range(10)) for p in range(3)}
    files.update(
        {
            f"p{p}/part{i}.inc": f"services:\n  s{i}:\n    image: alpine:3.20\n    privileged: true\n"
            for p in range(3)
            for i in range(10)
        }
    )
    write_tree(tmp_path, files)
    _, out, _ = run(["--no-color", "--select", "DC000,DC102", "--format", "json", "."], tmp_path)
    findings = json.loads(out)["findings"]
    errors = [(f["path"], f["line"], f["message"]) for f in findings if f["rule_id"] == "DC000"]
    message = "more than 25 included files in this scan: the rest are not read (said once in the scan)"
    assert errors == [("p2/compose.yaml", 7, message)]
    assert len([f for f in findings if f["rule_id"] == "DC102"]) == 25
