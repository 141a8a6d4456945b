"""DF208 apk-cache-kept."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ("apk add curl", 5, "apk add"),
        ("apk --update add curl", 5, "apk add"),
        ("apk upgrade", 5, "apk upgrade"),
        ("apk add curl && rm -rf /var/cache/apk/*.tmp", 5, "apk add"),
    ],
)
def test_cache_kept(run: str, col: int, part: str) -> None:
    check("DF208", f"FROM alpine:3.20\nRUN {run}\n", expect=[(2, col, part)])


def test_each_command() -> None:
    check(
        "DF208", "FROM alpine:3.20\nRUN apk update && apk add curl\n", expect=[(2, 5, "apk update"), (2, 19, "apk add")]
    )


@pytest.mark.parametrize(
    "run",
    [
        "apk add --no-cache curl",
        "apk --no-cache add curl",
        "apk add --no-network --virtual .rundeps $runDeps",
        "apk add curl && rm -rf /var/cache/apk/*",
        "apk update && apk add curl && rm -rf /var/cache/apk",
        "apk del curl",
        "apk add -s curl",
    ],
)
def test_clean(run: str) -> None:
    check("DF208", f"FROM alpine:3.20\nRUN {run}\n", expect=[])


def test_cache_mount_and_build_stages() -> None:
    check(
        "DF208",
        """
        FROM alpine:3.20 AS build
        RUN apk add gcc && make
        FROM alpine:3.20
        RUN --mount=type=cache,target=/var/cache/apk apk add curl
        COPY --from=build /out /usr/local/bin/
        RUN apk add jq
        """,
        expect=[(6, 5)],
    )
