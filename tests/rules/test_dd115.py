"""DD115 api-listens-on-all-interfaces: TLS listeners only (plaintext ones are DD101's)."""

from __future__ import annotations

from helpers import check, findings

TLS = (
    '"tlsverify": true, "tlscacert": "/etc/docker/ca.pem", "tlscert": "/etc/docker/cert.pem", '
    '"tlskey": "/etc/docker/key.pem"'
)


def test_hosts_entries():
    check(
        "DD115",
        {
            "daemon.json": "{" + TLS + ',\n "hosts": ["tcp://0.0.0.0:2376", "tcp://[::]:2377", '
            '"tcp://10.0.0.5:2376", "tcp://:2378", "tcp://127.0.0.1:2379"]}'
        },
        expect=[(2, 12, "tcp://0.0.0.0:2376"), (2, 34, "tcp://[::]:2377")],
    )


def test_flag_points_at_the_h_word():
    check(
        "DD115",
        {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --tlsverify -H tcp://0.0.0.0:2376\n"},
        expect=[(2, 40, "port 2376 of every interface")],
    )


def test_socket_listen_streams():
    check(
        "DD115",
        {
            "daemon.json": "{" + TLS + "}",
            "docker-tcp.socket": "[Socket]\nListenStream=2376\nListenStream=0.0.0.0:2377\n"
            "ListenStream=[::]:2378\nListenStream=192.168.1.10:2379\n"
            "ListenStream=[::1]:2380\nService=docker.service\n",
        },
        expect=[
            ("docker-tcp.socket", 2, 14, "socket unit docker-tcp.socket"),
            ("docker-tcp.socket", 3, 14),
            ("docker-tcp.socket", 4, 14),
        ],
    )


def test_tls_without_verify_still_counts():
    check(
        "DD115",
        {"daemon.json": '{"tls": true, "tlscert": "/c.pem", "tlskey": "/k.pem", "hosts": ["tcp://0.0.0.0:2376"]}'},
        expect=[(1, 66)],
    )


def test_plaintext_listeners_are_left_to_dd101():
    files = {"docker-tcp.socket": "[Socket]\nListenStream=2375\nService=docker.service\n"}
    check("DD115", files, expect=[])
    assert findings("DD101", files)


def test_unix_and_fd_are_clean():
    check("DD115", {"daemon.json": "{" + TLS + ', "hosts": ["unix:///var/run/docker.sock", "fd://"]}'}, expect=[])
