"""DD107 inter-container-communication, and the "missing default" policy shared with DD108-DD110."""

from __future__ import annotations

from helpers import check

STOCK = """
    [Unit]
    Description=Docker Application Container Engine

    [Service]
    ExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock
    """
SOCKET = "[Socket]\nListenStream=/run/docker.sock\nSocketMode=0660\nSocketGroup=docker\n"


def test_unset_points_at_the_first_line_of_daemon_json():
    check(
        "DD107",
        {"etc/docker/daemon.json": '{\n  "live-restore": true\n}\n'},
        expect=[("etc/docker/daemon.json", 1, 1, "leaves icc at its default (true)")],
    )


def test_false_is_clean_in_file_and_flag():
    check("DD107", {"daemon.json": '{"icc": false}'}, expect=[])
    check("DD107", {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --icc=false\n"}, expect=[])


def test_explicit_true_points_at_the_key_or_flag():
    check(
        "DD107",
        {"daemon.json": '{\n  "icc": true\n}'},
        expect=[(2, 3, '"icc": true lets containers on the default bridge')],
    )
    check(
        "DD107",
        {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H fd:// --icc\n"},
        expect=[(2, 37, "--icc lets containers on the default bridge")],
    )


def test_service_only_points_at_the_unit_and_mentions_hidden_flags():
    check("DD107", {"lib/systemd/system/docker.service": STOCK}, expect=[("lib/systemd/system/docker.service", 1, 1)])
    check(
        "DD107",
        {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS\n"},
        expect=[(1, 1, "(ExecStart's $VARIABLES unread)")],
    )


def test_one_finding_per_daemon_at_daemon_json():
    check(
        "DD107",
        {
            "etc/docker/daemon.json": "{}",
            "lib/systemd/system/docker.service": STOCK,
            "lib/systemd/system/docker.socket": SOCKET,
        },
        expect=[("etc/docker/daemon.json", 1, 1)],
    )


def test_flag_in_the_unit_covers_the_daemon_json():
    check(
        "DD107",
        {
            "etc/docker/daemon.json": '{"debug": true}',
            "etc/systemd/system/docker.service": "[Service]\nExecStart=/usr/bin/dockerd --icc=false\n",
        },
        expect=[],
    )


def test_socket_only_and_dropin_without_command_are_not_judged():
    check("DD107", {"docker.socket": SOCKET}, expect=[])
    check("DD107", {"docker-tcp.socket": "[Socket]\nListenStream=2376\nService=docker.service\n"}, expect=[])
    check("DD107", {"docker.service.d/limits.conf": "[Service]\nLimitNOFILE=1048576\n"}, expect=[])


def test_no_default_bridge_means_nothing_to_govern():
    check("DD107", {"daemon.json": '{"bridge": "none"}'}, expect=[])
    check("DD107", {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --bridge=none\n"}, expect=[])


def test_wrong_type_is_dd000s_business():
    check("DD107", {"daemon.json": '{"icc": "false"}'}, expect=[])
