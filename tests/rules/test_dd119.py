"""DD119 insecure-builder-entitlement (and the other unauthenticated paths)."""

from __future__ import annotations

from helpers import check


def test_security_insecure_points_at_the_nested_key():
    check(
        "DD119",
        {
            "daemon.json": """
        {
          "builder": {
            "entitlements": {
              "network-host": true,
              "security-insecure": true
            }
          }
        }
        """
        },
        expect=[(5, 7, "RUN --security=insecure")],
    )


def test_security_insecure_false_or_absent_is_clean():
    check("DD119", {"daemon.json": '{"builder": {"entitlements": {"security-insecure": false}}}'}, expect=[])
    check("DD119", {"daemon.json": '{"builder": {"gc": {"enabled": true}}}'}, expect=[])
    check("DD119", {"daemon.json": '{"builder": {"entitlements": "security-insecure"}}'}, expect=[])


def test_last_duplicate_wins():
    check(
        "DD119",
        {"daemon.json": '{"builder": {"entitlements": {"security-insecure": true, "security-insecure": false}}}'},
        expect=[],
    )


def test_allow_direct_routing_key_and_flag():
    check("DD119", {"daemon.json": '{\n  "allow-direct-routing": true\n}'}, expect=[(2, 3, "past published addresses")])
    check(
        "DD119", {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --allow-direct-routing\n"}, expect=[(2, 28)]
    )
    check("DD119", {"daemon.json": '{"allow-direct-routing": false}'}, expect=[])


def test_cors_star():
    check("DD119", {"daemon.json": '{\n  "api-cors-header": "*"\n}'}, expect=[(2, 22, "any web page")])
    check("DD119", {"daemon.json": '{"api-cors-header": "https://admin.example.com"}'}, expect=[])


def test_metrics_addr():
    check(
        "DD119", {"daemon.json": '{"metrics-addr": "0.0.0.0:9323"}'}, expect=[(1, 18, "port '9323' of every interface")]
    )
    check("DD119", {"daemon.json": '{"metrics-addr": "[::]:9323"}'}, expect=[(1, 18)])
    check("DD119", {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --metrics-addr=:9323\n"}, expect=[(2, 43)])
    check("DD119", {"daemon.json": '{"metrics-addr": "127.0.0.1:9323"}'}, expect=[])
    check("DD119", {"daemon.json": '{"metrics-addr": "10.0.0.5:9323"}'}, expect=[])
