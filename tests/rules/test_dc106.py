"""DC106 host-user-namespace."""

from __future__ import annotations

import pytest

from helpers import check


def test_userns_host_points_at_the_value() -> None:
    check(
        "DC106",
        """
        services:
          buildkit:
            image: moby/buildkit:v0.15.0
            userns_mode: host
        """,
        expect=[(4, 18, "service 'buildkit' sets userns_mode 'host'")],
        name="compose.yaml",
    )


@pytest.mark.parametrize("value", ['"host"', "'HOST'", '"${USERNS:-host}"'])
def test_spellings(value: str) -> None:
    check("DC106", f"services:\n  a:\n    userns_mode: {value}\n", expect=[(3, 18)], name="compose.yaml")


def test_anchor() -> None:
    check(
        "DC106",
        """
        x-ns: &ns
          userns_mode: host
        services:
          a:
            <<: *ns
        """,
        expect=[(2, 16)],
        name="compose.yaml",
    )


@pytest.mark.parametrize("value", ['""', "private", "keep-id", '"${USERNS}"'])
def test_other_values_are_clean(value: str) -> None:
    check("DC106", f"services:\n  a:\n    userns_mode: {value}\n", expect=[], name="compose.yaml")


COMPOSE = "services:\n  builder:\n    image: moby/buildkit:v0.15.0\n    userns_mode: host\n"


def test_critical_when_a_daemon_in_the_scan_remaps() -> None:
    (f,) = check(
        "DC106",
        {"compose.yaml": COMPOSE, "etc/docker/daemon.json": '{\n  "userns-remap": "default"\n}\n'},
        expect=[
            ("compose.yaml", 4, 18, ("opting out of the daemon's userns-remap 'default' (etc/docker/daemon.json:2)"))
        ],
    )
    assert f.severity.value == "critical"


def test_critical_when_remap_comes_from_docker_opts() -> None:
    (f,) = check(
        "DC106",
        {
            "compose.yaml": COMPOSE,
            "etc/default/docker": 'DOCKER_OPTS="--userns-remap=dockremap"\n',
            "etc/systemd/system/docker.service": "[Service]\nEnvironmentFile=-/etc/default/docker\n"
            "ExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS\n",
        },
        expect=[("compose.yaml", 4, 18, "userns-remap 'dockremap' (etc/default/docker:1)")],
    )
    assert f.severity.value == "critical"


@pytest.mark.parametrize("daemon_json", ['{"userns-remap": "root"}', '{"userns-remap": ""}', '{"icc": false}'])
def test_high_when_no_daemon_remaps(daemon_json: str) -> None:
    (f,) = check(
        "DC106",
        {"compose.yaml": COMPOSE, "daemon.json": daemon_json},
        expect=[("compose.yaml", 4, 18, "sets userns_mode 'host', opting out of any userns-remap")],
    )
    assert f.severity.value == "high"


def test_a_command_line_is_told_its_flag() -> None:
    (got,) = check(
        "DC106",
        {"run.sh": "#!/bin/sh\ndocker run -d --userns host nginx:1.27\n"},
        expect=[("run.sh", 2, 24, "docker run sets --userns 'host', opting out")],
    )
    assert "userns_mode" not in got.message
