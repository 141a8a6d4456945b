"""DF205 apt-upgrade."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ("apt-get update && apt-get upgrade -y", 31, "apt-get upgrade"),
        ("apt-get update && apt-get -y dist-upgrade", 34, "apt-get dist-upgrade"),
        ("apt full-upgrade -y", 9, "apt full-upgrade"),
    ],
)
def test_upgrade(run: str, col: int, part: str) -> None:
    check("DF205", f"FROM debian:12\nRUN {run}\n", expect=[(2, col, part)])


@pytest.mark.parametrize(
    "run",
    [
        "apt-get install -y --only-upgrade openssl",
        "apt-get upgrade -s",
        "apt upgrade -y openssl",
        "echo apt-get upgrade",
        "pip install --upgrade pip",
    ],
)
def test_clean(run: str) -> None:
    check("DF205", f"FROM debian:12\nRUN {run}\n", expect=[])
