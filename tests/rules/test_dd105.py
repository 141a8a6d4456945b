"""DD105 userns-remap-disabled."""

from __future__ import annotations

import pytest

from helpers import check


def test_daemon_json_without_userns_points_at_line_1():
    check(
        "DD105",
        {"etc/docker/daemon.json": '{\n  "live-restore": true\n}\n'},
        expect=[("etc/docker/daemon.json", 1, 1, "sets no userns-remap and is not rootless")],
    )


def test_userns_default_is_clean():
    check("DD105", {"daemon.json": '{"userns-remap": "default"}'}, expect=[])


@pytest.mark.parametrize("value", ["root", "0", "0:0", "root:root", ""])
def test_disabled_values_point_at_the_value(value):
    check("DD105", {"daemon.json": f'{{\n  "userns-remap": "{value}"\n}}\n'}, expect=[(2, 19, "userns-remap is")])


def test_flag_value():
    check(
        "DD105",
        {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H fd:// --userns-remap=root\n"},
        expect=[(2, 52)],
    )


def test_flag_default_is_clean_and_json_plus_flag_merge():
    check("DD105", {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --userns-remap=default\n"}, expect=[])
    check(
        "DD105",
        {
            "daemon.json": '{"debug": true}',
            "docker.service": "[Service]\nExecStart=/usr/bin/dockerd --userns-remap=dockremap\n",
        },
        expect=[],
    )


def test_service_only_points_at_the_unit_first_line():
    check(
        "DD105",
        {
            "lib/systemd/system/docker.service": """
        [Unit]
        Description=Docker

        [Service]
        ExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS
        """
        },
        expect=[("lib/systemd/system/docker.service", 1, 1, "(ExecStart's $VARIABLES unread)")],
    )


def test_rootless_is_clean():
    check("DD105", {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd-rootless.sh --experimental\n"}, expect=[])
    check("DD105", {"daemon.json": '{"rootless": true}'}, expect=[])
    check("DD105", {"home/me/.config/docker/daemon.json": '{"debug": true}'}, expect=[])


def test_socket_only_and_dropin_without_command_do_not_fire():
    check("DD105", {"docker-tcp.socket": "[Socket]\nListenStream=2375\nService=docker.service\n"}, expect=[])
    check("DD105", {"docker.service.d/limits.conf": "[Service]\nLimitNOFILE=1048576\n"}, expect=[])


def test_one_finding_per_daemon():
    check(
        "DD105",
        {
            "etc/docker/daemon.json": "{}",
            "etc/systemd/system/docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H fd://\n",
            "etc/systemd/system/docker.socket": "[Socket]\nListenStream=/run/docker.sock\n",
        },
        expect=[("etc/docker/daemon.json", 1, 1)],
    )


DEBIAN_UNIT = "[Service]\nEnvironmentFile=-/etc/default/docker\nExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS\n"


def test_userns_remap_from_docker_opts():
    check(
        "DD105",
        {
            "etc/default/docker": 'DOCKER_OPTS="--userns-remap=default"\n',
            "etc/systemd/system/docker.service": DEBIAN_UNIT,
        },
        expect=[],
    )
    check(
        "DD105",
        {
            "etc/default/docker": 'DOCKER_OPTS="--icc=false --userns-remap=root"\n',
            "etc/systemd/system/docker.service": DEBIAN_UNIT,
        },
        expect=[("etc/default/docker", 1, 41, "userns-remap is 'root'")],
    )


def test_userns_remap_from_a_dropin_environment_line():
    check(
        "DD105",
        {
            "lib/systemd/system/docker.service": DEBIAN_UNIT,
            "etc/systemd/system/docker.service.d/userns.conf": "[Service]\n"
            "Environment=DOCKER_OPTS=--userns-remap=dockremap\n",
        },
        expect=[],
    )


def test_rootless_user_unit_and_rootless_config_location():
    check(
        "DD105",
        {"home/me/.config/systemd/user/docker.service": "[Service]\nExecStart=/usr/bin/dockerd-rootless.sh\n"},
        expect=[],
    )
    check(
        "DD105",
        {
            "home/me/.config/docker/daemon.json": '{"log-driver": "journald"}',
            "home/me/.config/systemd/user/docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H unix:///run/user/1000/docker.sock\n",
        },
        expect=[],
    )


def test_assumed_unit_reports_a_disabled_value_but_not_a_missing_one():
    check(
        "DD105",
        {"etc/default/docker": 'DOCKER_OPTS="--userns-remap=0"\n'},
        expect=[("etc/default/docker", 1, 29, "userns-remap is '0'")],
    )
    check("DD105", {"etc/default/docker": 'DOCKER_OPTS="--icc=false"\n'}, expect=[])
