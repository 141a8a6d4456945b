"""DF112 add-instead-of-copy."""

from __future__ import annotations

import pytest

from helpers import check


def test_local_file_points_at_the_keyword() -> None:
    check(
        "DF112",
        "FROM python:3.12-slim\nADD requirements.txt app.py /app/\n",
        expect=[(2, 1, "ADD of local sources 'requirements.txt', 'app.py' that are not tar archives; use COPY")],
    )


@pytest.mark.parametrize(
    "line",
    [
        "add . /app",
        "ADD --chown=app:app src/ /app/src/",
        'ADD ["app.jar", "/opt/app/app.jar"]',
        "ADD --link --chmod=0755 entrypoint.sh /usr/local/bin/",
        "ADD dist/*.whl /wheels/",
        "ADD notes.zip /opt/",
    ],
)
def test_local_non_archives_fire(line: str) -> None:
    check("DF112", f"FROM debian:12\n{line}\n", expect=[(2, 1)])


@pytest.mark.parametrize(
    "line",
    [
        "ADD rootfs.tar.xz /",
        "ADD alpine-minirootfs-3.20.0-x86_64.tar.gz /",
        "ADD vendor.tgz /src/",
        "ADD data.tar /data/",
        "ADD bundle.tar.zst /opt/",
        "ADD dist/*.tar.gz /pkgs/",
        "ADD backup.TBZ2 /srv/",
        "ADD https://example.com/tool.sh /usr/local/bin/tool",
        "ADD https://github.com/moby/buildkit.git#v0.12.0 /src",
        "ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://e.com/t /t",
        "ADD layer.tar.gz settings.conf /opt/",
        "COPY app.py /app/",
    ],
)
def test_archives_urls_and_mixed_are_clean(line: str) -> None:
    check("DF112", f"FROM debian:12\n{line}\n", expect=[])


def test_heredoc_source_is_skipped() -> None:
    check(
        "DF112",
        """
        # syntax=docker/dockerfile:1
        FROM alpine:3.20
        ADD <<EOF /etc/motd
        hello
        EOF
        """,
        expect=[],
    )


def test_arg_defaults_are_resolved() -> None:
    check("DF112", "FROM alpine:3.20\nARG ROOTFS=rootfs.tar.gz\nADD ${ROOTFS} /\n", expect=[])
    check("DF112", "FROM alpine:3.20\nARG CONF=app.conf\nADD ${CONF} /etc/\n", expect=[(3, 1)])
    check(
        "DF112",
        "FROM alpine:3.20\nARG SRC\nADD ${SRC} /opt/\n",
        expect=[(3, 1, "nothing suggests '${SRC}' is a URL or an archive")],
    )


# -- issue 12 C5: a variable source fires unless something says URL or archive (hadolint DL3020) --


@pytest.mark.parametrize(
    "text",
    [
        "ARG JAR_FILE\nADD ${JAR_FILE} app.jar",
        "ARG JAR_FILE=target/*.jar\nADD ${JAR_FILE} app.jar",
        "ARG CONFIG_DIR\nADD $CONFIG_DIR/nginx.conf /etc/nginx/",
        "ARG APP\nADD ${APP}.jar ${APP}.yml /opt/",
    ],
)
def test_variable_sources_that_say_nothing_fire(text: str) -> None:
    check("DF112", f"FROM eclipse-temurin:21-jre\n{text}\n", expect=[(3, 1)])


@pytest.mark.parametrize(
    "text",
    [
        "ARG DOWNLOAD_URL\nADD ${DOWNLOAD_URL} /opt/tool",
        "ARG NODE_TARBALL\nADD ${NODE_TARBALL} /usr/local/",
        "ARG ROOTFS\nADD $ROOTFS /",
        "ARG VERSION\nADD app-${VERSION}.tar.gz /opt/",
        "ARG HOST\nADD https://${HOST}/tool.sh /usr/local/bin/",
        "ARG PKG\nENV PKG=${PKG:-https://example.com/pkg.deb}\nADD ${PKG} /tmp/",
        "ARG BASE\nARG ASSETS=${BASE}/assets.tgz\nADD ${ASSETS} /srv/",
        "ARG GIT_REPO\nADD ${GIT_REPO} /src",
    ],
)
def test_variable_sources_that_may_be_urls_or_archives_are_clean(text: str) -> None:
    check("DF112", f"FROM debian:12\n{text}\n", expect=[])
