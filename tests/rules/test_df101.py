"""DF101 final-stage-root."""

from __future__ import annotations

import pytest

from dockerlint.api import RuleContext
from dockerlint.core.scan import Scan
from dockerlint.models.source import SourceFile
from dockerlint.parsers.dockerfile import parse
from dockerlint.rules.image.df101 import Options, final_stage_root
from helpers import check, dedent


def test_no_user_points_at_the_final_image() -> None:
    check(
        "DF101",
        """
        FROM node:20-bookworm-slim
        WORKDIR /app
        COPY . .
        CMD ["node", "server.js"]
        """,
        expect=[
            (
                1,
                6,
                (
                    "final stage sets no USER; base image 'node:20-bookworm-slim' decides (root unless "
                    "it sets one); add a non-root USER"
                ),
            )
        ],
    )


def test_user_root_points_at_the_value() -> None:
    check(
        "DF101",
        """
        FROM debian:12
        USER root
        """,
        expect=[(2, 6, "final stage switches to USER 'root', so the container runs as root")],
    )


@pytest.mark.parametrize("user", ["0", "0:0", "root:root", "root:1000", "00", "root:${GID}"])
def test_root_spellings(user: str) -> None:
    check("DF101", f"FROM debian:12\nUSER {user}\n", expect=[(2, 6, f"USER '{user}'")])


@pytest.mark.parametrize("user", ["app", "1000", "1000:0", "nobody:nogroup", "rootless", "Root", "65532:65532"])
def test_non_root_user_is_clean(user: str) -> None:
    check("DF101", f"FROM debian:12\nUSER {user}\n", expect=[])


def test_build_stages_never_fire() -> None:
    check(
        "DF101",
        """
        FROM golang:1.22 AS build
        USER root
        RUN go build -o /out/app ./cmd/app
        FROM gcr.io/distroless/static-debian12:nonroot
        COPY --from=build /out/app /app
        ENTRYPOINT ["/app"]
        """,
        expect=[],
    )


def test_only_the_last_user_of_the_final_stage_counts() -> None:
    check("DF101", "FROM debian:12\nUSER root\nRUN apt-get update\nUSER app\n", expect=[])
    check("DF101", "FROM debian:12\nUSER app\nRUN make\nUSER root\n", expect=[(4, 6)])


def test_lowercase_instruction_and_continuation() -> None:
    check("DF101", "FROM debian:12\nuser \\\n    root\n", expect=[(3, 5, "USER 'root'")])


def test_user_inherited_from_a_parent_stage() -> None:
    check(
        "DF101",
        """
        FROM python:3.12-slim AS base
        RUN useradd -m app
        USER app
        FROM base
        COPY . /app
        """,
        expect=[],
    )
    check(
        "DF101",
        """
        FROM python:3.12-slim AS base
        USER root
        FROM base
        COPY . /app
        """,
        expect=[(2, 6, "inherited from stage 'base'")],
    )


def test_no_user_in_the_whole_chain_points_at_the_final_from() -> None:
    check(
        "DF101",
        """
        FROM python:3.12-slim AS base
        RUN pip install flask
        FROM base AS app
        CMD ["flask", "run"]
        """,
        expect=[
            (
                3,
                6,
                (
                    "final stage and its parents set no USER; base image 'python:3.12-slim' "
                    "decides (root unless it sets one)"
                ),
            )
        ],
    )


def test_final_stage_resets_user_of_parent() -> None:
    check("DF101", "FROM alpine AS base\nUSER root\nFROM base\nUSER app\n", expect=[])
    check("DF101", "FROM alpine AS base\nUSER app\nFROM base\nUSER 0\n", expect=[(4, 6)])


def test_a_stage_that_is_not_built_on_does_not_lend_its_user() -> None:
    check("DF101", "FROM alpine AS other\nUSER app\nFROM alpine\nRUN id\n", expect=[(3, 6)])


def test_user_from_arg_default() -> None:
    check(
        "DF101",
        """
        ARG APP_USER=root
        FROM debian:12
        ARG APP_USER
        USER ${APP_USER}
        """,
        expect=[(4, 6, "USER '${APP_USER}' (= 'root')")],
    )
    check("DF101", "FROM debian:12\nARG U=0\nUSER $U:$U\n", expect=[(3, 6)])
    check("DF101", "FROM debian:12\nENV APP_UID=0\nUSER ${APP_UID}\n", expect=[(3, 6)])


def test_unresolvable_user_does_not_fire() -> None:
    check("DF101", "FROM debian:12\nARG APP_USER\nUSER ${APP_USER}\n", expect=[])
    check("DF101", "FROM debian:12\nUSER ${UNDECLARED}\n", expect=[])
    check("DF101", "FROM debian:12\nARG APP_USER=app\nUSER ${APP_USER}\n", expect=[])


@pytest.mark.parametrize(
    "image",
    [
        "gcr.io/distroless/static-debian12:nonroot",
        "gcr.io/distroless/base-debian12:debug-nonroot",
        "gcr.io/distroless/java17-debian12:nonroot@sha256:0123abcd",
        "cgr.dev/chainguard/static:latest",
        "mcr.microsoft.com/dotnet/runtime-deps:8.0-jammy-chiseled",
    ],
)
def test_nonroot_base_images_do_not_fire(image: str) -> None:
    check("DF101", f"FROM {image}\nCOPY app /app\n", expect=[])


@pytest.mark.parametrize(
    "image",
    [
        "gcr.io/distroless/static-debian12",
        "gcr.io/distroless/static-debian12:latest",
        "cgr.dev/chainguard/wolfi-base",
        "scratch",
    ],
)
def test_root_default_base_images_fire(image: str) -> None:
    check("DF101", f"FROM {image}\nCOPY app /app\n", expect=[(1, 6)])


def test_nonroot_base_resolved_through_arg_and_stage() -> None:
    check(
        "DF101",
        """
        ARG RUNTIME=gcr.io/distroless/static-debian12:nonroot
        FROM ${RUNTIME} AS runtime
        FROM runtime
        COPY app /app
        """,
        expect=[],
    )


def test_windows_images() -> None:
    check(
        "DF101",
        """
        FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
        USER ContainerAdministrator
        RUN setx /m PATH "%PATH%;C:\\go\\bin"
        USER ContainerUser
        """,
        expect=[],
    )
    check("DF101", 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCMD ["cmd"]\n', expect=[])
    check(
        "DF101",
        'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ["cmd"]\n',
        expect=[(1, 6, "decides: ContainerAdministrator")],
    )
    check(
        "DF101",
        "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerAdministrator\n",
        expect=[(2, 6, "so the container runs as ContainerAdministrator")],
    )


def test_escape_directive_windows_dockerfile() -> None:
    check(
        "DF101", "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n  C:\\\n", expect=[(2, 6)]
    )


def run_with(options: object, text: str) -> list[tuple[int, int]]:
    build = parse(SourceFile("Dockerfile", "dockerfile", dedent(text))).models[0]
    hits = final_stage_root.run(build, RuleContext(scan=Scan(models=[build]), options=options))
    return [(h.span.line, h.span.col) for h in hits]


def test_option_extends_the_nonroot_list() -> None:
    text = "FROM registry.example.com/base/python:3.12\nCOPY . /app\n"
    assert run_with(None, text) == [(1, 6)]
    assert run_with({"nonroot_base_images": ["registry.example.com/base/*"]}, text) == []
    assert run_with(Options(nonroot_base_images=["registry.example.com/*"]), text) == []
    assert run_with(Options(nonroot_base_images=[]), "FROM gcr.io/distroless/static:nonroot\n") == [(1, 6)]


def test_parse_error_gives_no_df101() -> None:
    check("DF101", "FROM alpine\nRUN <<EOF\necho\n", expect=[])


def test_message_names_the_compose_services_that_run_the_image() -> None:
    files = {
        "Dockerfile": 'FROM node:20-bookworm-slim\nCMD ["node", "server.js"]\n',
        "compose.yaml": "services:\n  web:\n    build: .\n  worker:\n    build:\n      context: .\n"
        "  dev:\n    build:\n      context: .\n      target: nope\n",
        "deploy/compose.yaml": "services:\n  api:\n    build: ..\n",
    }
    # With their files the three services do not fit in 140 characters: their names do.
    check("DF101", files, expect=[(1, 6, "(root unless it sets one); used by services 'web', 'worker', 'api'")])
    # Longer names do not fit either: their number does (DC122 names each).
    long_names = {
        **files,
        "compose.yaml": files["compose.yaml"]
        .replace("web:", "frontend-webserver:")
        .replace("worker:", "background-worker:"),
    }
    check("DF101", long_names, expect=[(1, 6, "(root unless it sets one); add a non-root USER; used by 3 services")])
    check(
        "DF101",
        {"Dockerfile": "FROM debian:12\nUSER root\n", "compose.yaml": "services:\n  web:\n    build: .\n"},
        expect=[(2, 6, "end it with a non-root USER; used by service 'web' (compose.yaml)")],
    )
    files["deploy/compose.yaml"] = "services:\n  api:\n    image: other\n"
    check("DF101", files, expect=[(1, 6, "(root unless it sets one); used by services 'web', 'worker'")])


# -- issue 12 B4: do not claim "runs as root" when the base image decides --------------------


def test_a_base_image_built_in_the_scan_passes_on_its_user() -> None:
    files = {
        "base/Dockerfile": "FROM debian:12-slim\nRUN useradd -u 10001 app\nUSER app\n",
        "app/Dockerfile": 'FROM acme/base:1.4\nCOPY server /usr/local/bin/\nCMD ["server"]\n',
        "compose.yaml": "services:\n  base:\n    build: ./base\n    image: acme/base:1.4\n  app:\n    build: ./app\n",
    }
    check("DF101", files, expect=[])


def test_a_base_image_built_in_the_scan_as_root_fires_and_says_where_root_comes_from() -> None:
    files = {
        "base/Dockerfile": "FROM debian:12-slim\nUSER app\nRUN true\nUSER root\n",
        "app/Dockerfile": 'FROM acme/base\nCMD ["server"]\n',
        "build.sh": "#!/bin/sh\ndocker build -t acme/base:latest base\n",
    }
    check(
        "DF101",
        files,
        expect=[
            (
                "app/Dockerfile",
                1,
                6,
                ("final stage sets no USER; base image 'acme/base' passes on USER 'root' (base/Dockerfile:4): root"),
            ),
            ("base/Dockerfile", 4, 6, "final stage switches to USER 'root'"),
        ],
    )


def test_a_chain_of_scan_images_ends_at_the_outside_base() -> None:
    files = {
        "os/Dockerfile": "FROM gcr.io/distroless/static-debian12:nonroot\n",
        "mid/Dockerfile": "FROM acme/os:1\nCOPY x /x\n",
        "app/Dockerfile": 'FROM acme/mid:1\nCMD ["/x"]\n',
        "compose.yaml": "services:\n  os:\n    build: ./os\n    image: acme/os:1\n"
        "  mid:\n    build: ./mid\n    image: acme/mid:1\n",
    }
    check("DF101", files, expect=[])
    files["os/Dockerfile"] = "FROM ubuntu:24.04\n"
    check(
        "DF101",
        files,
        expect=[
            (
                "app/Dockerfile",
                1,
                6,
                (
                    "base image 'ubuntu:24.04' (through 'acme/mid:1' (mid/Dockerfile), "
                    "'acme/os:1' (os/Dockerfile)) decides (root unless it sets one)"
                ),
            ),
            ("mid/Dockerfile", 1, 6, "base image 'ubuntu:24.04'"),
            ("os/Dockerfile", 1, 6, "base image 'ubuntu:24.04'"),
        ],
    )


def test_images_that_build_each_other_do_not_loop() -> None:
    files = {
        "a/Dockerfile": 'FROM acme/b:1\nCMD ["a"]\n',
        "b/Dockerfile": 'FROM acme/a:1\nCMD ["b"]\n',
        "compose.yaml": "services:\n  a:\n    build: ./a\n    image: acme/a:1\n"
        "  b:\n    build: ./b\n    image: acme/b:1\n",
    }
    check(
        "DF101",
        files,
        expect=[("a/Dockerfile", 1, 6, "base image 'acme/b:1'"), ("b/Dockerfile", 1, 6, "base image 'acme/a:1'")],
    )


@pytest.mark.parametrize(
    "image",
    [
        "jenkins/jenkins:2.462.1-lts-jdk17",
        "nginxinc/nginx-unprivileged:1.27-alpine",
        "bitnami/postgresql:16.3.0",
        "docker.io/bitnami/redis:7.2",
        "grafana/grafana:11.1.0",
        "prom/prometheus:v2.53.0",
        "prom/alertmanager:v0.27.0",
        "quay.io/keycloak/keycloak:25.0",
        "cgr.dev/chainguard/python:latest",
        "mcr.microsoft.com/mssql/server:2022-latest",
        "gitea/gitea:1.22-rootless",
        "jupyter/base-notebook:latest",
    ],
)
def test_well_known_nonroot_images_do_not_fire(image: str) -> None:
    check("DF101", f"FROM {image}\nCOPY app /app\n", expect=[])


@pytest.mark.parametrize(
    "image",
    [
        "bitnami/minideb:bookworm",
        "bitnami/node:20",
        "cgr.dev/chainguard/wolfi-base",
        "mcr.microsoft.com/mssql/server:2017-latest",
        "gitea/gitea:1.22",
    ],
)
def test_their_root_siblings_still_fire(image: str) -> None:
    check("DF101", f"FROM {image}\nCOPY app /app\n", expect=[(1, 6)])


def test_messages_say_what_is_known_about_the_base() -> None:
    check(
        "DF101",
        'FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]\n',
        expect=[(1, 6, "the container runs as uid 0 (a scratch image has no user)")],
    )
    check(
        "DF101",
        'ARG BASEIMAGE\nFROM ${BASEIMAGE}\nCMD ["x"]\n',
        expect=[(2, 6, "base image '${BASEIMAGE}' (unset ARG) decides (root unless it sets one)")],
    )


def test_every_default_nonroot_glob_is_documented_with_a_source() -> None:
    from pathlib import Path

    from dockerlint.rules.common.builds import NONROOT_BASE_IMAGES

    doc = (Path(__file__).resolve().parents[2] / "rules" / "DF101.md").read_text(encoding="utf-8")
    missing = [g for g in NONROOT_BASE_IMAGES if f"`{g}`" not in doc]
    assert not missing, f"rules/DF101.md does not list {missing}"
    src = (Path(__file__).resolve().parents[2] / "src" / "dockerlint" / "rules" / "common" / "builds.py").read_text()
    table = src[src.index("NONROOT_BASE_IMAGES = [") : src.index("\n]\n", src.index("NONROOT_BASE_IMAGES = ["))]
    assert table.count("https://") >= 15  # every group of entries names where the fact comes from


# -- issue 12 (fx5): the same service name in several Compose files ---------------------------


def test_services_of_the_same_name_in_several_files_are_named_once_with_their_files() -> None:
    # A common layout: one Dockerfile, a Compose file per environment, each with a service 'test'.
    files = {
        "Dockerfile": 'FROM python:3.12-slim\nCMD ["pytest"]\n',
        "ci/compose.yaml": "services:\n  test:\n    build: ..\n",
        "dev/compose.yaml": "services:\n  test:\n    build: ..\n  web:\n    build: ..\n",
        "e2e/compose.yaml": "services:\n  test:\n    build: ..\n",
    }
    (got,) = check("DF101", files, expect=[(1, 6, "; used by services 'test' (3 files), 'web'")])
    assert "'test', 'test'" not in got.message
    assert len(got.message) <= 140
    # Two files fit: the message says which.
    del files["e2e/compose.yaml"]
    files["Dockerfile"] = "FROM alpine\n"
    files["dev/compose.yaml"] = "services:\n  test:\n    build: ..\n"
    (got,) = check("DF101", files, expect=[(1, 6, "; used by services 'test' (ci/compose.yaml, dev/compose.yaml)")])
    assert len(got.message) <= 140
