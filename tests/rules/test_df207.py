"""DF207 apk-package-unpinned."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ("apk add --no-cache curl git", 24, "for 'curl', 'git';"),
        ("apk add --no-cache ca-certificates=20240226-r0 curl", 52, "for 'curl';"),
        ("apk --no-cache add -t .deps gcc && make", 33, "for 'gcc'"),
        ("apk add --no-cache --virtual=.build-deps gcc && make && apk del .other", 46, "for 'gcc'"),
    ],
)
def test_unpinned(run: str, col: int, part: str) -> None:
    check("DF207", f"FROM alpine:3.20\nRUN {run}\n", expect=[(2, col, part)])


@pytest.mark.parametrize(
    "run",
    [
        "apk add --no-cache curl=8.9.1-r0 git~2.45",
        "apk add --no-cache 'nodejs>20'",
        "apk add --no-cache $runDeps",
        "apk add --allow-untrusted /tmp/packages/tool-1.0-r0.apk",
        "apk add --no-cache --virtual .build-deps gcc musl-dev && make && apk del --no-network .build-deps",
        "apk add --no-cache -t .fetch-deps gnupg && gpg --verify x.asc && apk del .fetch-deps",
        "apk add --no-cache gcc && make && apk del gcc",
        "apk add --simulate curl",
        "apk del curl",
        "apk update",
    ],
)
def test_clean(run: str) -> None:
    check("DF207", f"FROM alpine:3.20\nRUN {run}\n", expect=[])


def test_every_add_command() -> None:
    check(
        "DF207",
        """
        FROM alpine:3.20
        RUN set -eux; \\
            apk add --no-cache --virtual .build-deps gcc make; \\
            apk add --no-cache tini; \\
            make; \\
            apk del .build-deps
        RUN ["apk", "add", "--no-cache", "bash"]
        """,
        expect=[(4, 24, "tini"), (7, 34, "bash")],
    )
