"""DF204 apt-without-yes."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ("apt-get install --no-install-recommends curl", 13, "apt-get install without -y"),
        ("apt-get update && apt-get upgrade", 31, "apt-get upgrade"),
        ("apt-get -q install curl", 16, "install"),
        ("apt purge curl", 9, "apt purge"),
        ("apt-get build-dep python3", 13, "build-dep"),
    ],
)
def test_no_answer(run: str, col: int, part: str) -> None:
    check("DF204", f"FROM debian:12\nRUN {run}\n", expect=[(2, col, part)])


@pytest.mark.parametrize(
    "run",
    [
        "apt-get install -y curl",
        "apt-get -y install curl",
        "apt-get install --yes curl",
        "apt-get install --assume-yes curl",
        "apt-get install -qy curl",
        "apt-get install -qq curl",
        "apt-get -q -q install curl",
        "apt-get install -o APT::Get::Assume-Yes=true curl",
        "apt-get install -s curl",
        "yes | apt-get install curl",
        "apt-get update",
        "apt-get clean",
        "apt-get install -y $(cat packages.txt)",
    ],
)
def test_clean(run: str) -> None:
    check("DF204", f"FROM debian:12\nRUN {run}\n", expect=[])


def test_assume_yes_configured_earlier() -> None:
    check(
        "DF204",
        """
        FROM debian:12
        RUN echo 'APT::Get::Assume-Yes "true";' > /etc/apt/apt.conf.d/90assumeyes
        RUN apt-get update && apt-get install curl
        """,
        expect=[],
    )
