"""DF206 apt-in-script."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ('["apt", "install", "-y", "curl"]', 6, "apt install"),
        ("DEBIAN_FRONTEND=noninteractive sudo apt -y install curl", 41, "use apt-get install"),
    ],
)
def test_apt(run: str, col: int, part: str) -> None:
    check("DF206", f"FROM debian:12\nRUN {run}\n", expect=[(2, col, part)])


def test_every_apt_command() -> None:
    check(
        "DF206",
        "FROM debian:12\nRUN apt update && apt install -y curl\n",
        expect=[(2, 5, "apt update"), (2, 19, "apt install")],
    )


@pytest.mark.parametrize(
    "run",
    [
        "apt-get update && apt-get install -y apt-utils",
        "apt-cache policy curl",
        "apt-key list",
        "echo 'apt install x' > /notes",
        "apt-get install -y apt",
        "ls /etc/apt/sources.list.d",
    ],
)
def test_clean(run: str) -> None:
    check("DF206", f"FROM debian:12\nRUN {run}\n", expect=[])
