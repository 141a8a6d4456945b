"""DF214 curl-and-wget."""

from __future__ import annotations

from helpers import check


def test_second_tool_of_a_stage() -> None:
    check(
        "DF214",
        """
        FROM debian:12
        RUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz
        RUN wget -q -O /tmp/b.tgz https://example.com/b.tgz \\
            && wget -q -O /tmp/c.tgz https://example.com/c.tgz
        """,
        expect=[(3, 5, "downloads with wget and also with curl (line 2)")],
    )


def test_through_the_stage_it_builds_on() -> None:
    check(
        "DF214",
        """
        FROM debian:12 AS base
        RUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz
        FROM base
        RUN set -eux; wget -q https://example.com/b.tgz
        """,
        expect=[(4, 15)],
    )


def test_clean() -> None:
    check(
        "DF214",
        """
        FROM debian:12 AS fetch
        RUN apt-get update && apt-get install -y --no-install-recommends curl wget
        RUN wget -q https://example.com/a.tgz
        FROM debian:12
        COPY --from=fetch /a.tgz /tmp/
        RUN curl -fsSLo /tmp/b.tgz https://example.com/b.tgz && command -v wget
        """,
        expect=[],
    )


def test_a_tool_installed_and_removed_in_the_same_run() -> None:
    check(
        "DF214",
        """
        FROM alpine:3.20
        RUN wget -q -O /tmp/a.tgz https://example.com/a.tgz
        RUN apk add --no-cache --virtual .fetch-deps curl \\
            && curl -fsSLo /tmp/b.tgz https://example.com/b.tgz \\
            && apk del .fetch-deps
        """,
        expect=[],
    )
