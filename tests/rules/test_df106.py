"""DF106 unpinned-base-image."""

from __future__ import annotations

import pytest

from dockerlint.rules.image.df106 import split_reference
from helpers import check


def test_no_tag_points_at_the_image() -> None:
    check(
        "DF106",
        "FROM alpine\nRUN apk add --no-cache curl\n",
        expect=[(1, 6, "base image 'alpine' has no tag, so it pulls :latest, which moves")],
    )


def test_latest_tag() -> None:
    check("DF106", "FROM node:latest AS build\n", expect=[(1, 6, "base image 'node:latest' pulls :latest")])


@pytest.mark.parametrize(
    "image",
    [
        "alpine:3.20",
        "alpine@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d",
        "alpine:latest@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d",
        "localhost:5000/team/app:1.4",
        "mcr.microsoft.com/windows/servercore:ltsc2022",
        "scratch",
    ],
)
def test_pinned_images_are_clean(image: str) -> None:
    check("DF106", f"FROM {image}\n", expect=[])


def test_registry_port_is_not_a_tag() -> None:
    check("DF106", "FROM localhost:5000/team/app\n", expect=[(1, 6, "has no tag")])


def test_earlier_stages_are_not_images() -> None:
    check(
        "DF106",
        """
        FROM golang:1.22 AS build
        RUN go build -o /out/app .
        FROM build AS test
        RUN go test ./...
        FROM gcr.io/distroless/static-debian12:nonroot
        COPY --from=build /out/app /app
        """,
        expect=[],
    )


def test_every_stage_is_judged_and_platform_is_skipped() -> None:
    check(
        "DF106",
        """
        FROM --platform=$BUILDPLATFORM golang AS build
        RUN go build -o /out/app .
        FROM alpine:latest
        COPY --from=build /out/app /app
        """,
        expect=[(1, 32), (3, 6)],
    )


def test_arg_defaults_are_resolved() -> None:
    check("DF106", "ARG BASE=debian:12-slim\nFROM ${BASE}\n", expect=[])
    check("DF106", "ARG BASE=debian\nFROM ${BASE}\n", expect=[(2, 6, "base image '${BASE}' (= 'debian') has no tag")])
    check("DF106", "ARG NODE_TAG=latest\nFROM node:${NODE_TAG}\n", expect=[(2, 6, ":latest")])


def test_arg_without_default_cannot_be_judged() -> None:
    check("DF106", "ARG BASE\nFROM ${BASE}\n", expect=[])
    check("DF106", "ARG GO_VERSION\nFROM golang:${GO_VERSION}\n", expect=[])


@pytest.mark.parametrize(
    ("ref", "parts"),
    [
        ("alpine", ("alpine", None, None)),
        ("alpine:3.20", ("alpine", "3.20", None)),
        ("localhost:5000/app", ("localhost:5000/app", None, None)),
        ("localhost:5000/app:1@sha256:ab", ("localhost:5000/app", "1", "sha256:ab")),
    ],
)
def test_split_reference(ref: str, parts: tuple[str, str | None, str | None]) -> None:
    assert split_reference(ref) == parts


# -- an image produced in the same scan is not pulled (issue 12, B3) --------------------------


def test_base_image_a_compose_service_builds_is_clean() -> None:
    check(
        "DF106",
        {
            "compose.yaml": "services:\n  base:\n    build: ./base\n    image: acme/base\n"
            "  app:\n    build: ./app\n    image: acme/app:1.4.0\n",
            "base/Dockerfile": "FROM debian:12.6-slim\nRUN apt-get update\n",
            "app/Dockerfile": "FROM acme/base\nFROM docker.io/acme/base:latest AS two\nFROM acme/other\n",
        },
        expect=[("app/Dockerfile", 3, 6, "base image 'acme/other' has no tag, so it pulls :latest")],
    )


def test_base_image_a_build_line_makes_is_clean_even_without_its_dockerfile() -> None:
    check(
        "DF106",
        {
            "build.sh": "#!/bin/sh\ndocker build -t acme/toolchain https://git.example.com/toolchain.git\n"
            "docker build -t acme/app -f app.Dockerfile .\n",
            "app.Dockerfile": "FROM acme/toolchain AS build\nRUN make\nFROM alpine\n",
        },
        expect=[("app.Dockerfile", 3, 6, "has no tag")],
    )


def test_the_image_a_dockerfile_builds_is_not_its_own_base() -> None:
    # FROM the name this very Dockerfile is built as: the previous version, pulled.
    check(
        "DF106",
        {
            "compose.yaml": "services:\n  app:\n    build: .\n    image: acme/app\n",
            "Dockerfile": "FROM acme/app\nRUN ./update\n",
        },
        expect=[("Dockerfile", 1, 6, "has no tag")],
    )
