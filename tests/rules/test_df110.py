"""DF110 sensitive-port-exposed."""

from __future__ import annotations

import pytest

from helpers import check


def test_ssh_points_at_the_port() -> None:
    check("DF110", "FROM debian:12\nEXPOSE 22\n", expect=[(2, 8, "EXPOSE '22' declares port 22, SSH")])


@pytest.mark.parametrize(
    ("port", "what"),
    [
        ("22/tcp", "SSH"),
        ("22/TCP", "SSH"),
        ("23", "Telnet"),
        ("2375", "the Docker API without TLS"),
        ("2376", "the Docker API over TLS"),
    ],
)
def test_sensitive_ports(port: str, what: str) -> None:
    check("DF110", f"FROM debian:12\nEXPOSE 80 {port}\n", expect=[(2, 11, what)])


def test_each_port_word_is_a_finding() -> None:
    check("DF110", "FROM docker:27-dind\nEXPOSE 2375 2376\n", expect=[(2, 8), (2, 13)])


def test_ranges() -> None:
    check("DF110", "FROM debian:12\nEXPOSE 20-25\n", expect=[(2, 8, "port 22, SSH; 23, Telnet")])
    check("DF110", "FROM debian:12\nEXPOSE 8000-8100 2300-2400/tcp\n", expect=[(2, 18)])


@pytest.mark.parametrize("port", ["22/udp", "2375/sctp", "2222", "8022", "220", "80 443", "8000-8100"])
def test_other_ports_are_clean(port: str) -> None:
    check("DF110", f"FROM debian:12\nEXPOSE {port}\n", expect=[])


def test_port_from_arg_and_env_defaults() -> None:
    check(
        "DF110",
        "FROM debian:12\nARG SSH_PORT=22\nEXPOSE ${SSH_PORT}\n",
        expect=[(3, 8, "EXPOSE '${SSH_PORT}' (= '22') declares port 22")],
    )
    check("DF110", "FROM debian:12\nENV DOCKER_PORT=2375\nEXPOSE $DOCKER_PORT/tcp\n", expect=[(3, 8)])
    check("DF110", "FROM debian:12\nARG PORT\nEXPOSE ${PORT}\n", expect=[])
    check("DF110", "FROM debian:12\nARG PORT=8080\nEXPOSE ${PORT}\n", expect=[])
