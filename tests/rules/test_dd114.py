"""DD114 api-socket-permissions."""

from __future__ import annotations

import pytest

from helpers import check


def _socket(extra: str) -> str:
    return "[Unit]\nDescription=Docker Socket for the API\n\n[Socket]\nListenStream=/run/docker.sock\n" + extra


def test_stock_socket_is_clean():
    check("DD114", {"docker.socket": _socket("SocketMode=0660\nSocketUser=root\nSocketGroup=docker\n")}, expect=[])


@pytest.mark.parametrize("mode", ["0666", "666", "0777", "0662"])
def test_world_writable_modes(mode):
    check(
        "DD114",
        {"docker.socket": _socket(f"SocketMode={mode}\nSocketGroup=docker\n")},
        expect=[(6, 12, "every local user")],
    )


@pytest.mark.parametrize("mode", ["0664", "0661", "0604"])
def test_other_bits_without_write(mode):
    check(
        "DD114",
        {"docker.socket": _socket(f"SocketMode={mode}\n")},
        expect=[(6, 12, "gives other users permission bits")],
    )


@pytest.mark.parametrize("mode", ["0660", "0600", "660", "0640", "0770"])
def test_modes_without_other_bits_are_clean(mode):
    check("DD114", {"docker.socket": _socket(f"SocketMode={mode}\n")}, expect=[])


def test_invalid_mode():
    check("DD114", {"docker.socket": _socket("SocketMode=rw-rw----\n")}, expect=[(6, 12, "not an octal mode")])


def test_missing_mode_points_at_the_socket_section():
    check("DD114", {"docker.socket": _socket("SocketGroup=docker\n")}, expect=[(4, 1, "without SocketMode= (so 0666)")])


def test_missing_mode_in_a_dropin_only_is_not_judged():
    check("DD114", {"docker.socket.d/override.conf": "[Socket]\nSocketGroup=docker\n"}, expect=[])


def test_dropin_overrides_the_base_mode():
    check(
        "DD114",
        {"docker.socket": _socket("SocketMode=0660\n"), "docker.socket.d/override.conf": "[Socket]\nSocketMode=0666\n"},
        expect=[("docker.socket.d/override.conf", 2, 12)],
    )


def test_owner_and_group():
    check(
        "DD114",
        {"docker.socket": _socket("SocketMode=0660\nSocketUser=jenkins\nSocketGroup=users\n")},
        expect=[(7, 12, "SocketUser=jenkins"), (8, 13, "SocketGroup=users")],
    )
    check("DD114", {"docker.socket": _socket("SocketMode=0660\nSocketUser=0\nSocketGroup=root\n")}, expect=[])


def test_tcp_only_socket_units_are_not_judged():
    check("DD114", {"docker-tcp.socket": "[Socket]\nListenStream=2376\nService=docker.service\n"}, expect=[])


def test_daemon_group_key_and_flag():
    check("DD114", {"daemon.json": '{\n  "group": "staff"\n}'}, expect=[(2, 12, "group 'staff' owns the unix socket")])
    check(
        "DD114",
        {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H unix:///var/run/docker.sock -G users\n"},
        expect=[(2, 62)],
    )
    check("DD114", {"daemon.json": '{"group": "docker"}'}, expect=[])
    check("DD114", {"daemon.json": '{"group": "998"}'}, expect=[])


def test_group_unused_without_a_unix_socket_of_dockerd():
    check("DD114", {"daemon.json": '{"group": "staff", "hosts": ["fd://"]}'}, expect=[])
    check(
        "DD114",
        {"daemon.json": '{"group": "staff", "hosts": ["fd://", "unix:///var/run/docker.sock"]}'},
        expect=[(1, 11)],
    )
