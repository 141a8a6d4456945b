"""DF215 useradd-high-uid-without-l."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ("useradd -u 1000000 app", 16, "about 292 MB"),
        ("useradd --uid=65532 -m nonroot", 13, "useradd --uid 65532"),
        ("adduser --disabled-password --gecos '' --uid 1000000 app", 50, "use useradd -l"),
        ("groupadd -g 50000 app && useradd -r -u 50000 -g app app", 44, "-l (--no-log-init)"),
    ],
)
def test_high_uid(run: str, col: int, part: str) -> None:
    check("DF215", f"FROM debian:12\nRUN {run}\n", expect=[(2, col, part)])


@pytest.mark.parametrize(
    "run",
    [
        "useradd -l -u 1000000 app",
        "useradd --no-log-init -u 1000000 app",
        "useradd -lu 1000000 app",
        "useradd -u 1000 app",
        "useradd -u 32767 app",
        'useradd -u "$UID" app',
        "adduser -D -u 1000000 app",
        "adduser --uid 1000 app",
    ],
)
def test_clean(run: str) -> None:
    check("DF215", f"FROM debian:12\nRUN {run}\n", expect=[])


@pytest.mark.parametrize(
    ("run", "col"),
    [
        # useradd(8): -U is --user-group and --btrfs-subvolume-home a flag; the copy DF215 had took
        # a value after each and missed the UID option behind it.
        ("useradd -U -u 1000000 app", 19),
        ("useradd --btrfs-subvolume-home -u 1000000 app", 39),
    ],
)
def test_flags_from_the_useradd_manual(run: str, col: int) -> None:
    check("DF215", f"FROM debian:12\nRUN {run}\n", expect=[(2, col, "-l (--no-log-init)")])
