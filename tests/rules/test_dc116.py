"""DC116 published-on-all-interfaces."""

from __future__ import annotations

import pytest

from helpers import check


def test_points_at_the_port_item_with_severity_by_service() -> None:
    got = check(
        "DC116",
        """
        services:
          web:
            image: nginx:1.27.0
            ports:
              - "127.0.0.1:8080:80"
              - "443:443"
          db:
            image: postgres:16.3
            ports:
              - "5432:5432"
        """,
        expect=[
            (6, 9, "publishes host port 443 (container port 443) on every host interface (no host IP)"),
            (10, 9, "(container port 5432: PostgreSQL) on every host interface"),
        ],
        name="compose.yaml",
    )
    assert [f.severity.value for f in got] == ["low", "medium"]


@pytest.mark.parametrize(
    "port",
    [
        '"8080:80"',
        "3000",
        '"0.0.0.0:8080:80"',
        '"[::]:8080:80"',
        '"8000-8010:8000-8010"',
        '"53:53/udp"',
        '"${BIND:-0.0.0.0}:80:80"',
    ],
)
def test_all_interfaces(port: str) -> None:
    check("DC116", f"services:\n  a:\n    ports:\n      - {port}\n", expect=[(4, 9)], name="compose.yaml")


@pytest.mark.parametrize(
    ("port", "severity"),
    [
        ('"2222:22"', "medium"),
        ('"6379"', "medium"),
        ('"27017:27017"', "medium"),
        ('"2375:2375"', "medium"),
        ('"3300-3310:3300-3310"', "medium"),
        ('"8080:80"', "low"),
    ],
)
def test_sensitive_services_are_medium(port: str, severity: str) -> None:
    got = check("DC116", f"services:\n  a:\n    ports:\n      - {port}\n", expect=[(4, 9)], name="compose.yaml")
    assert got[0].severity.value == severity


@pytest.mark.parametrize(
    "port",
    [
        '"127.0.0.1:8080:80"',
        '"127.0.0.53:53:53/udp"',
        '"[::1]:8080:80"',
        '"192.168.1.10:8080:80"',
        '"${BIND_IP}:8080:80"',
        '"${BIND_IP:-127.0.0.1}:5432:5432"',
    ],
)
def test_bound_to_one_address_is_clean(port: str) -> None:
    check("DC116", f"services:\n  a:\n    ports:\n      - {port}\n", expect=[], name="compose.yaml")


def test_long_syntax() -> None:
    check(
        "DC116",
        """
        services:
          a:
            ports:
              - target: 6379
                published: "6379"
              - target: 80
                host_ip: 127.0.0.1
                published: "8080"
        """,
        expect=[(4, 9, "Redis")],
        name="compose.yaml",
    )


def test_expose_is_not_publishing() -> None:
    check("DC116", "services:\n  a:\n    expose: ['5432']\n", expect=[], name="compose.yaml")


def test_host_network_is_left_to_dc107() -> None:
    check("DC116", "services:\n  a:\n    network_mode: host\n    ports: ['80:80']\n", expect=[], name="compose.yaml")


def test_daemon_default_ip_in_the_scan() -> None:
    compose = "services:\n  a:\n    ports: ['8080:80', '0.0.0.0:9090:9090']\n"
    check(
        "DC116",
        {"compose.yaml": compose, "daemon.json": '{"ip": "127.0.0.1"}\n'},
        expect=[("compose.yaml", 3, 24, "host IP '0.0.0.0'")],
    )
    check(
        "DC116",
        {"compose.yaml": compose, "daemon.json": '{"ip": "0.0.0.0"}\n'},
        expect=[("compose.yaml", 3, 13), ("compose.yaml", 3, 24)],
    )


# -- Compose interpolates a port before it parses it (issue 12, B5) -------------------------


@pytest.mark.parametrize(
    "port",
    [
        '"${SQL_PORT:-127.0.0.1:13306}:3306"',
        '"${BIND:-[::1]:8080}:80"',
        '"${PUBLISH:-127.0.0.1:8080:80}"',
        "${PUBLISH:-127.0.0.1:8080:80}",
    ],
)
def test_a_default_that_holds_the_host_ip_is_read_after_interpolation(port: str) -> None:
    check("DC116", f"services:\n  db:\n    ports:\n      - {port}\n", expect=[], name="compose.yaml")


def test_a_dotenv_value_that_holds_the_host_ip_is_read_after_interpolation() -> None:
    files = {
        "compose.yaml": 'services:\n  db:\n    image: mariadb:11.4\n    ports:\n      - "${SQL_PORT}:3306"\n',
        ".env": "SQL_PORT=127.0.0.1:13306\n",
    }
    check("DC116", files, expect=[])
    files[".env"] = "SQL_PORT=13306\n"
    got = check(
        "DC116",
        files,
        expect=[
            (
                "compose.yaml",
                5,
                9,
                (
                    "host port 13306 (container port 3306: MySQL/MariaDB) on every host interface "
                    "(no host IP, from '${SQL_PORT}')"
                ),
            )
        ],
    )
    assert got[0].severity.value == "medium"


def test_a_default_without_a_host_ip_still_fires_at_the_written_item() -> None:
    got = check(
        "DC116",
        """
        services:
          db:
            image: mariadb:11.4
            ports:
              - "${SQL_PORT:-13306}:3306"
              - "${PUBLISH:-0.0.0.0:8080:80}"
        """,
        expect=[
            (5, 9, "(no host IP, from '${SQL_PORT:-13306}')"),
            (6, 9, "(host IP '0.0.0.0', from '${PUBLISH:-0.0.0.0:8080:80}')"),
        ],
        name="compose.yaml",
    )
    assert [f.severity.value for f in got] == ["medium", "low"]
    assert [f.fix for f in got] == [None, None]  # text with ${...} is never rewritten
