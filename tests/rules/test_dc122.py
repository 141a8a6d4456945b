"""DC122 container-root-by-image-default."""

from __future__ import annotations

import pytest

from helpers import check

NO_USER = 'FROM node:20-bookworm-slim\nWORKDIR /app\nCMD ["node", "server.js"]\n'


def test_build_of_a_stage_without_user_points_at_the_build_key() -> None:
    check(
        "DC122",
        {
            "compose.yaml": 'services:\n  web:\n    build: .\n    ports:\n      - "127.0.0.1:3000:3000"\n',
            "Dockerfile": NO_USER,
        },
        expect=[
            (
                "compose.yaml",
                3,
                5,
                (
                    "service 'web' sets no 'user:'; 'Dockerfile': final stage sets no USER, "
                    "runs as the user of 'node:20-bookworm-slim'"
                ),
            )
        ],
    )


def test_user_on_the_service_satisfies_it() -> None:
    check(
        "DC122",
        {"compose.yaml": 'services:\n  web:\n    build: .\n    user: "1000:1000"\n', "Dockerfile": NO_USER},
        expect=[],
    )
    # Any user: a root one is DC105's.
    check(
        "DC122", {"compose.yaml": "services:\n  web:\n    build: .\n    user: root\n", "Dockerfile": NO_USER}, expect=[]
    )


def test_non_root_user_in_the_image_is_fine_through_stage_inheritance() -> None:
    check(
        "DC122",
        {
            "compose.yaml": "services:\n  web:\n    build:\n      context: .\n      target: app\n",
            "Dockerfile": 'FROM debian:12 AS base\nUSER 10001\nFROM base AS app\nCMD ["app"]\n',
        },
        expect=[],
    )


def test_target_stage_with_user_root_names_the_dockerfile_line() -> None:
    check(
        "DC122",
        {
            "compose.yaml": "services:\n  dev:\n    build:\n      context: ./app\n      dockerfile: "
            "build/Dockerfile.dev\n"
            "      target: dev\n",
            "app/build/Dockerfile.dev": 'FROM python:3.12 AS dev\nUSER root\nCMD ["python"]\n'
            "FROM dev AS prod\nUSER app\n",
        },
        expect=[
            (
                "compose.yaml",
                3,
                5,
                ("'app/build/Dockerfile.dev': target stage 'dev' ends with USER 'root' (app/build/Dockerfile.dev:2)"),
            )
        ],
    )


def test_final_stage_user_from_arg_default() -> None:
    check(
        "DC122",
        {
            "compose.yaml": "services:\n  web:\n    build: .\n",
            "Dockerfile": 'FROM debian:12\nARG RUN_AS=0\nUSER ${RUN_AS}\nCMD ["app"]\n',
        },
        expect=[("compose.yaml", 3, 5, "final stage ends with USER '${RUN_AS}' (= '0') (Dockerfile:3)")],
    )


def test_override_file_can_add_the_user_or_the_build() -> None:
    files = {
        "compose.yaml": "services:\n  web:\n    build: .\n",
        "Dockerfile": NO_USER,
        "compose.override.yaml": 'services:\n  web:\n    user: "1000"\n',
    }
    check("DC122", files, expect=[])
    files = {
        "compose.yaml": "services:\n  web:\n    image: web:1\n",
        "Dockerfile": NO_USER,
        "compose.override.yaml": "services:\n  web:\n    build: .\n",
    }
    check("DC122", files, expect=[("compose.override.yaml", 3, 5)])


def test_no_finding_without_a_scanned_dockerfile_or_for_unknown_paths() -> None:
    check("DC122", {"compose.yaml": "services:\n  web:\n    build: ./missing\n"}, expect=[])
    check("DC122", {"compose.yaml": "services:\n  web:\n    build: https://github.com/a/b.git\n"}, expect=[])
    check("DC122", {"compose.yaml": "services:\n  web:\n    build: ${CTX}\n", "Dockerfile": NO_USER}, expect=[])
    check(
        "DC122",
        {
            "compose.yaml": "services:\n  web:\n    build:\n      context: .\n      target: nope\n",
            "Dockerfile": NO_USER,
        },
        expect=[],
    )
    # dockerfile_inline: the service builds the inline Dockerfile, not the context's.
    check(
        "DC122",
        {
            "compose.yaml": "services:\n  web:\n    build:\n      context: .\n"
            "      dockerfile_inline: |\n        FROM alpine\n        USER 1000\n",
            "Dockerfile": NO_USER,
        },
        expect=[],
    )
    check(
        "DC122",
        {
            "compose.yaml": "services:\n  web:\n    build:\n      context: .\n"
            "      dockerfile_inline: |\n        FROM alpine\n",
            "Dockerfile": "FROM alpine\nUSER 1000\n",
        },
        expect=[
            ("compose.yaml", 3, 5, "sets no 'user:'; the dockerfile_inline at compose.yaml:5: final stage sets no USER")
        ],
    )


def test_nonroot_base_image_and_privilege_dropping_entrypoint() -> None:
    check(
        "DC122",
        {
            "compose.yaml": "services:\n  web:\n    build: .\n",
            "Dockerfile": "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n",
        },
        expect=[],
    )
    got = check(
        "DC122",
        {
            "compose.yaml": "services:\n  db:\n    build: .\n",
            "Dockerfile": "FROM debian:12\nRUN apt-get install -y gosu\n"
            'ENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["db"]\n',
        },
        expect=[("compose.yaml", 3, 5, "privilege-dropping")],
    )
    assert got[0].severity.value == "low"


def test_dockerfile_found_from_the_file_that_writes_the_build() -> None:
    check(
        "DC122",
        {
            "compose.yaml": "services:\n  web:\n    extends:\n      file: services/web.yml\n      service: web\n",
            "services/web.yml": "services:\n  web:\n    build: ./src\n",
            "services/src/Dockerfile": NO_USER,
        },
        expect=[("services/web.yml", 3, 5, "'services/src/Dockerfile'")],
    )


def test_docker_run_of_an_image_built_in_the_scan() -> None:
    """A command line running the tag a Compose service builds is linked to that Dockerfile."""
    check(
        "DC122",
        {
            "compose.yaml": 'services:\n  api:\n    build: ./api\n    image: acme/api:dev\n    user: "1000"\n',
            "api/Dockerfile": 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/main.py"]\n',
            "run.sh": "#!/bin/sh\ndocker run --rm -p 127.0.0.1:8000:8000 acme/api:dev\n"
            "docker run --rm --user 1000 acme/api:dev\ndocker run --rm acme/other:1\n",
        },
        expect=[("run.sh", 2, 40, "docker run sets no --user; 'api/Dockerfile': final stage sets no USER")],
    )


def test_a_base_image_built_in_the_scan_decides_the_user() -> None:
    files = {
        "base/Dockerfile": "FROM debian:12-slim\nUSER root\n",
        "app/Dockerfile": 'FROM acme/base:1\nCMD ["server"]\n',
        "compose.yaml": "services:\n  base:\n    build: ./base\n    image: acme/base:1\n    user: '1000'\n"
        "  app:\n    build: ./app\n",
    }
    check(
        "DC122",
        files,
        expect=[
            (
                "compose.yaml",
                7,
                5,
                (
                    "service 'app' sets no 'user:'; 'app/Dockerfile': final stage inherits USER 'root' from "
                    "'acme/base:1' "
                    "(base/Dockerfile:2)"
                ),
            )
        ],
    )
    files["base/Dockerfile"] = "FROM debian:12-slim\nUSER app\n"
    check("DC122", files, expect=[])


# -- issue 12 (fx5): DF101's reason for a lower severity reaches DC122 as data ----------------


@pytest.mark.parametrize(
    ("dockerfile", "severity", "reason"),
    [
        (
            'FROM debian:12\nRUN apt-get install -y gosu\nENTRYPOINT ["docker-entrypoint.sh"]\n',
            "low",
            "; the image ships a privilege-dropping tool (gosu, su-exec, setpriv...)",
        ),
        (
            'FROM debian:12\nRUN apt-get install -y nginx\nCMD ["nginx", "-g", "daemon off;"]\n',
            "low",
            "; nginx's master process runs as root",
        ),
        ("FROM debian:12\nRUN apt-get install -y curl\n", "medium", "; it sets no CMD or ENTRYPOINT"),
        ('FROM debian:12\nCMD ["bash"]\n', "medium", "; it looks like a base image (it starts a bare 'bash')"),
    ],
)
def test_the_reason_a_severity_is_lower_is_the_shared_reason(dockerfile: str, severity: str, reason: str) -> None:
    from dockerlint.api import Severity
    from dockerlint.models.source import SourceFile
    from dockerlint.parsers.dockerfile import parse
    from dockerlint.rules.common.builds import no_user_severity

    build = parse(SourceFile("Dockerfile", "dockerfile", dockerfile)).models[0]
    assert build.final_stage is not None
    got = no_user_severity(build, build.final_stage, high=Severity.MEDIUM)
    assert (got.severity.value, got.reason) == (severity, reason)
    assert got.detail and not got.detail.startswith(reason)  # the explanation, apart
    (finding,) = check(
        "DC122",
        {"compose.yaml": "services:\n  app:\n    build: .\n", "Dockerfile": dockerfile},
        expect=[("compose.yaml", 3, 5)],
    )
    assert finding.severity.value == severity
    # A lower severity always says why; at medium the reason is a tail that fits if it can.
    assert reason in finding.message or (severity == "medium" and "sets no USER" in finding.message)
