"""DF222 duplicate-stage-name."""

from __future__ import annotations

from helpers import check


def test_duplicate_names() -> None:
    check(
        "DF222",
        """
        FROM golang:1.23 AS build
        RUN go build -o /out/app .
        FROM node:20 AS Build
        RUN npm ci && npm run build
        FROM debian:12 AS build
        FROM debian:12
        COPY --from=build /out/app /app
        """,
        expect=[(3, 17, "already used by the stage on line 1"), (5, 19)],
    )


def test_unique_names() -> None:
    check(
        "DF222",
        """
        FROM golang:1.23 AS build
        FROM node:20 AS assets
        FROM build AS test
        FROM debian:12
        """,
        expect=[],
    )
