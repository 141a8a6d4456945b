"""DD102 api-client-auth-disabled."""

from __future__ import annotations

from dockerlint.core.registry import Severity
from helpers import check

CERTS = '"tlscacert": "/etc/docker/ca.pem", "tlscert": "/etc/docker/cert.pem", "tlskey": "/etc/docker/key.pem"'


def test_tlsverify_false_with_tcp_host():
    got = check(
        "DD102",
        {
            "daemon.json": f"""
        {{
          "hosts": ["tcp://0.0.0.0:2376"],
          "tlsverify": false,
          {CERTS}
        }}
        """
        },
        expect=[(3, 3, "accepts clients without a certificate")],
    )
    assert got[0].severity == Severity.CRITICAL


def test_tlsverify_false_flag():
    check(
        "DD102",
        {
            "docker.service": """
        [Service]
        ExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2376 --tls --tlsverify=false
        """
        },
        expect=[(2, 56, "--tlsverify is false")],
    )


def test_tls_without_tlsverify_is_medium_and_explains_versions():
    got = check(
        "DD102",
        {
            "daemon.json": """
        {
          "hosts": ["tcp://0.0.0.0:2376"],
          "tls": true,
          "tlscert": "/etc/docker/cert.pem",
          "tlskey": "/etc/docker/key.pem"
        }
        """
        },
        expect=[(3, 3, "engines before 20.10 accept any client")],
    )
    assert got[0].severity == Severity.MEDIUM
    assert "engines before 20.10 accept any client" in got[0].message


def test_tlsverify_true_is_clean():
    check(
        "DD102",
        {"daemon.json": f'{{"hosts": ["tcp://0.0.0.0:2376"], "tls": true, "tlsverify": true, {CERTS}}}'},
        expect=[],
    )


def test_no_tcp_listener_means_no_finding():
    check("DD102", {"daemon.json": '{"hosts": ["unix:///var/run/docker.sock"], "tlsverify": false}'}, expect=[])


def test_settings_without_any_listener_in_the_scan_are_judged():
    check("DD102", {"daemon.json": '{"tlsverify": false}'}, expect=[(1, 2)])


def test_socket_listener_counts_as_tcp():
    check(
        "DD102",
        {
            "daemon.json": f'{{"tlsverify": false, {CERTS}}}',
            "docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H fd://\n",
            "docker-tcp.socket": "[Socket]\nListenStream=2376\nService=docker.service\n",
        },
        expect=[("daemon.json", 1, 2, "port 2376 of every interface")],
    )
