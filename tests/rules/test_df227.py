"""DF227 expose-invalid-port."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("instruction", "col", "part"),
    [
        ("EXPOSE 80000", 8, "outside the port range"),
        ("EXPOSE 80 8080/http", 11, "unknown protocol 'http'"),
        ("EXPOSE 9000-8000", 8, "end is below its start"),
        ("EXPOSE 0", 8, "outside the port range"),
        ("EXPOSE http", 8, "not a port number"),
        ("EXPOSE 8000-70000/tcp", 8, "outside the port range"),
    ],
)
def test_invalid(instruction: str, col: int, part: str) -> None:
    check("DF227", f"FROM debian:12\n{instruction}\n", expect=[(2, col, part)])


@pytest.mark.parametrize(
    "instruction",
    [
        "EXPOSE 80 443/tcp 53/udp 9000-9010 3868/sctp",
        "EXPOSE $PORT",
        "EXPOSE 8080/TCP",
    ],
)
def test_clean(instruction: str) -> None:
    check("DF227", f"FROM debian:12\n{instruction}\n", expect=[])


def test_arg_defaults_are_substituted() -> None:
    check(
        "DF227",
        """
        FROM debian:12
        ARG PORT=99999
        EXPOSE ${PORT}
        """,
        expect=[(3, 8, "EXPOSE '${PORT}'")],
    )
