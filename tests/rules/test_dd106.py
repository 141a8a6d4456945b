"""DD106 insecure-registry: each insecure registry / plain-HTTP mirror, in daemon.json and flags."""

from __future__ import annotations

from helpers import check, findings


def test_each_entry_is_reported_at_its_item():
    check(
        "DD106",
        {
            "daemon.json": """
        {
          "insecure-registries": [
            "registry.lan:5000",
            "10.0.0.0/8",
            "192.168.10.0/24"
          ]
        }
        """
        },
        expect=[
            (3, 5, "registry 'registry.lan:5000' is marked insecure"),
            (4, 5, "(16,777,216 addresses)"),
            (5, 5, "entry '192.168.10.0/24' skips TLS verification"),
        ],
    )


def test_every_address_is_critical():
    got = check(
        "DD106",
        {"daemon.json": '{"insecure-registries": ["0.0.0.0/0", "::/0"]}'},
        expect=[(1, 26, "makes every registry insecure"), (1, 39, "makes every registry insecure")],
    )
    assert all(f.severity.value == "critical" for f in got)


def test_broad_ipv6_and_narrow_ranges():
    check(
        "DD106",
        {"daemon.json": '{"insecure-registries": ["fd00::/8", "fd00:1::/64"]}'},
        expect=[(1, 26, "2^120 addresses"), (1, 38, "entry 'fd00:1::/64' skips TLS verification")],
    )


def test_loopback_entries_are_already_insecure_and_not_reported():
    check(
        "DD106",
        {
            "daemon.json": """
        {"insecure-registries": ["localhost:5000", "127.0.0.0/8", "127.0.0.1:5000", "[::1]:5000", "::1/128"],
         "registry-mirrors": ["http://localhost:5000", "http://127.0.0.1:5001/"]}
        """
        },
        expect=[],
    )


def test_http_mirror_and_https_mirror():
    check(
        "DD106",
        {
            "daemon.json": """
        {
          "registry-mirrors": ["https://mirror.gcr.io", "http://mirror.lan:5000"]
        }
        """
        },
        expect=[(2, 49, "registry mirror 'http://mirror.lan:5000' is plain HTTP")],
    )


def test_flags_point_at_the_value():
    check(
        "DD106",
        {
            "docker.service": """
        [Service]
        ExecStart=/usr/bin/dockerd -H fd:// --insecure-registry registry.lan:5000 \\
          --insecure-registry=10.1.0.0/16 --registry-mirror=HTTP://mirror.lan
        """
        },
        expect=[(2, 57, "registry.lan:5000"), (3, 23, "10.1.0.0/16"), (3, 53, "HTTP://mirror.lan")],
    )


def test_file_and_flags_together_and_one_finding_per_entry():
    got = findings(
        "DD106",
        {
            "etc/docker/daemon.json": '{"insecure-registries": ["a.lan:5000"]}',
            "etc/systemd/system/docker.service": "[Service]\nExecStart=/usr/bin/dockerd --insecure-registry=b.lan\n",
        },
    )
    assert [(f.span.path, f.span.line, f.span.col) for f in got] == [
        ("etc/docker/daemon.json", 1, 26),
        ("etc/systemd/system/docker.service", 2, 48),
    ]


def test_empty_lists_and_wrong_types_are_clean():
    check("DD106", {"daemon.json": '{"insecure-registries": [], "registry-mirrors": [1]}'}, expect=[])
