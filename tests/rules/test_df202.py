"""DF202 apt-install-recommends."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col"),
    [
        ("apt-get install -y curl", 5),
        ("apt-get update && apt-get install -y curl", 23),
        ("apt install -y curl", 5),
        ("sudo apt-get -y install curl", 10),
        ("apt-get install -y -o APT::Install-Recommends=true curl", 5),
    ],
)
def test_recommends_on(run: str, col: int) -> None:
    check("DF202", f"FROM debian:12\nRUN {run}\n", expect=[(2, col, "--no-install-recommends")])


@pytest.mark.parametrize(
    "run",
    [
        "apt-get install -y --no-install-recommends curl",
        "apt-get --no-install-recommends install -y curl",
        "apt-get install -y -o APT::Install-Recommends=false curl",
        "apt-get install -y -o APT::Install-Recommends=0 curl",
        "apt-get install -s curl",
        "apt-get update",
        "apt-get purge -y curl",
    ],
)
def test_clean(run: str) -> None:
    check("DF202", f"FROM debian:12\nRUN {run}\n", expect=[])


def test_apt_configuration_written_earlier_in_the_stage_chain() -> None:
    check(
        "DF202",
        """
        FROM debian:12 AS base
        RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99norecommends
        FROM base
        RUN apt-get update && apt-get install -y curl
        """,
        expect=[],
    )


def test_configuration_of_another_stage_does_not_count() -> None:
    check(
        "DF202",
        """
        FROM debian:12 AS other
        RUN echo 'APT::Install-Recommends "0";' > /etc/apt/apt.conf.d/99norecommends
        FROM debian:12
        RUN apt-get update && apt-get install -y curl
        """,
        expect=[(4, 23)],
    )
