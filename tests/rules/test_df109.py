"""DF109 insecure-build-mode."""

from __future__ import annotations

from helpers import check


def test_security_insecure_points_at_the_flag() -> None:
    check(
        "DF109",
        """
        # syntax=docker/dockerfile:1-labs
        FROM debian:12
        RUN --security=insecure mount -t tmpfs none /mnt
        """,
        expect=[(3, 5, "RUN --security=insecure runs this step as a privileged container")],
    )


def test_network_host() -> None:
    check(
        "DF109",
        "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache --network=host pip install -r req.txt\n",
        expect=[(2, 44, "RUN --network=host gives this step the build host's network")],
    )


def test_both_flags() -> None:
    check("DF109", "FROM debian:12\nRUN --network=host --security=insecure make\n", expect=[(2, 5), (2, 20)])


def test_safe_modes_are_clean() -> None:
    check(
        "DF109",
        """
        FROM debian:12
        RUN --network=none make test
        RUN --network=default --security=sandbox make
        RUN --mount=type=secret,id=token make publish
        """,
        expect=[],
    )
