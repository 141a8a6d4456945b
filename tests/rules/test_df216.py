"""DF216 run-cd."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ("cd /app && npm install", 5, "use WORKDIR /app"),
        ("set -eux; cd /srv/app; make", 15, "cd '/srv/app' at the start of a RUN lasts only for this RUN; use WORKDIR"),
        (
            "mkdir -p /app && cd /app",
            22,
            "RUN ends with cd '/app', which has no effect after the RUN; use WORKDIR /app",
        ),
        ("cd /app", 5, "has no effect"),
    ],
)
def test_cd(run: str, col: int, part: str) -> None:
    check("DF216", f"FROM node:20-slim\nRUN {run}\n", expect=[(2, col, part)])


@pytest.mark.parametrize(
    "run",
    [
        "(cd /app && make)",
        "apt-get update && cd /usr/src && curl -fsSLO https://example.com/x.tgz",
        "cd /usr/src/app && make && cd / && rm -rf /usr/src/app",
        "cd /usr/src/app && make install && rm -rf /usr/src/app",
        "cd /tmp && curl -fsSLO https://example.com/x.tgz && tar -xzf x.tgz",
        'cd "$(mktemp -d)" && make',
        'cd "$GOPATH/src/app" && go build',
        "cd build && cmake ..",
        "cd / && make",
        "make -C /app && cd /",
        "if [ -d /app ]; then cd /app && make; fi",
    ],
)
def test_clean(run: str) -> None:
    check("DF216", f"FROM node:20-slim\nRUN {run}\n", expect=[])


def test_heredoc() -> None:
    check(
        "DF216",
        """
        FROM node:20-slim
        RUN <<EOF
        cd /app
        npm ci
        EOF
        """,
        expect=[(3, 1)],
    )
