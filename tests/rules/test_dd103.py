"""DD103 api-tls-material-missing."""

from __future__ import annotations

from helpers import check


def test_tlsverify_without_any_material_points_at_tlsverify():
    check(
        "DD103",
        {
            "daemon.json": """
        {
          "hosts": ["tcp://0.0.0.0:2376"],
          "tlsverify": true
        }
        """
        },
        expect=[(3, 3, "tlscacert, tlscert, tlskey are not set")],
    )


def test_only_the_key_missing():
    check(
        "DD103",
        {"daemon.json": '{"tlsverify": true, "tlscacert": "/ca.pem", "tlscert": "/cert.pem"}'},
        expect=[(1, 2, "tlskey is not set")],
    )


def test_empty_ca_falls_back_to_system_roots():
    check(
        "DD103",
        {
            "daemon.json": """
        {
          "tlsverify": true,
          "tlscacert": "",
          "tlscert": "/etc/docker/cert.pem",
          "tlskey": "/etc/docker/key.pem"
        }
        """
        },
        expect=[(3, 16, "from any public CA are accepted")],
    )


def test_relative_paths_point_at_each_value():
    check(
        "DD103",
        {
            "daemon.json": """
        {
          "tlsverify": true,
          "tlscacert": "certs/ca.pem",
          "tlscert": "~/.docker/cert.pem",
          "tlskey": "/etc/docker/key.pem"
        }
        """
        },
        expect=[(3, 16, "relative path"), (4, 14, "'~' is not expanded")],
    )


def test_tls_only_needs_ca_too_on_current_engines():
    check(
        "DD103",
        {"daemon.json": '{"tls": true, "tlscert": "/c.pem", "tlskey": "/k.pem"}'},
        expect=[(1, 2, "tlscacert is not set")],
    )


def test_tlsverify_false_does_not_need_a_ca():
    check("DD103", {"daemon.json": '{"tlsverify": false, "tlscert": "/c.pem", "tlskey": "/k.pem"}'}, expect=[])


def test_complete_material_is_clean():
    check(
        "DD103",
        {
            "daemon.json": """
        {"tlsverify": true, "tlscacert": "/etc/docker/ca.pem", "tlscert": "/etc/docker/cert.pem",
         "tlskey": "/etc/docker/key.pem"}
        """
        },
        expect=[],
    )


def test_flags():
    check(
        "DD103",
        {
            "docker.service": """
        [Service]
        ExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2376 --tlsverify --tlscacert=ca.pem --tlscert=/c.pem
        """
        },
        expect=[
            (2, 50, "--tlsverify turns TLS on but tlskey is not set"),
            (2, 74, "tlscacert 'ca.pem' is a relative path"),
        ],
    )


def test_no_tls_is_not_this_rule():
    check("DD103", {"daemon.json": '{"hosts": ["tcp://0.0.0.0:2375"]}'}, expect=[])
