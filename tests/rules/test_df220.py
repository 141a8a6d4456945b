"""DF220 relative-workdir."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("instruction", "col"),
    [
        ("WORKDIR app", 9),
        ("WORKDIR ./src", 9),
        ('WORKDIR "app"', 9),
    ],
)
def test_relative(instruction: str, col: int) -> None:
    check("DF220", f"FROM debian:12\n{instruction}\n", expect=[(2, col, "relative to the previous WORKDIR")])


@pytest.mark.parametrize(
    "instruction",
    [
        "WORKDIR /app",
        'WORKDIR "/srv/my app"',
        "WORKDIR $HOME/app",
        "WORKDIR ${APP_DIR}",
        "WORKDIR C:\\\\app",
        "WORKDIR C:/app",
    ],
)
def test_clean(instruction: str) -> None:
    check("DF220", f"FROM debian:12\n{instruction}\n", expect=[])


def test_env_values_are_substituted() -> None:
    check(
        "DF220",
        """
        FROM debian:12
        ENV APP=/srv/app REL=app
        WORKDIR $APP
        WORKDIR ${REL}/src
        """,
        expect=[(4, 9, "WORKDIR '${REL}/src'")],
    )
