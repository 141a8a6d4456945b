"""DD113 flag-and-file-conflict."""

from __future__ import annotations

from helpers import check

STOCK = """
    [Unit]
    Description=Docker Application Container Engine

    [Service]
    Type=notify
    ExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock
    """


def test_hosts_and_containerd_against_the_stock_unit():
    check(
        "DD113",
        {
            "etc/docker/daemon.json": """
        {
          "hosts": ["unix:///var/run/docker.sock", "tcp://127.0.0.1:2375"],
          "containerd": "/run/containerd/containerd.sock"
        }
        """,
            "lib/systemd/system/docker.service": STOCK,
        },
        expect=[
            ("etc/docker/daemon.json", 2, 3, "by -H in lib/systemd/system/docker.service:6"),
            ("etc/docker/daemon.json", 3, 3, "by --containerd in lib/systemd/system/docker.service:6"),
        ],
    )


def test_shorthand_named_and_plain_flags():
    check(
        "DD113",
        {
            "daemon.json": """
        {
          "debug": true,
          "labels": ["a=b"],
          "group": "docker",
          "tlsverify": true,
          "log-level": "info"
        }
        """,
            "docker.service": """
        [Service]
        ExecStart=/usr/bin/dockerd -D --label a=b -G docker --tlsverify=true -l info
        """,
        },
        expect=[(2, 3, "by -D"), (3, 3, "by --label"), (4, 3, "by -G"), (5, 3, "by --tlsverify"), (6, 3, "by -l")],
    )


def test_repeated_flag_is_counted():
    check(
        "DD113",
        {
            "daemon.json": '{"hosts": ["fd://"]}',
            "docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H fd:// -H tcp://127.0.0.1:2376\n",
        },
        expect=[(1, 2, "docker.service:2 (and 1 more)")],
    )


def test_flattened_objects_count():
    check(
        "DD113",
        {
            "daemon.json": '{\n  "proxies": {"http-proxy": "http://p:3128"},\n  "x": {"debug": true}\n}',
            "docker.service": "[Service]\nExecStart=/usr/bin/dockerd --http-proxy=http://p:3128 -D\n",
        },
        expect=[(2, 15, "'http-proxy' is set here and by --http-proxy"), (3, 9, "'debug' is set here and by -D")],
    )


def test_migrated_host_gateway_ip():
    check(
        "DD113",
        {
            "daemon.json": '{"host-gateway-ip": "172.17.0.1"}',
            "docker.service": "[Service]\nExecStart=/usr/bin/dockerd --host-gateway-ip=172.17.0.1\n",
        },
        expect=[(1, 2, "by --host-gateway-ip")],
    )


def test_runtimes_are_merged_not_conflicting():
    check(
        "DD113",
        {
            "daemon.json": '{"runtimes": {"crun": {"path": "/usr/bin/crun"}}}',
            "docker.service": "[Service]\nExecStart=/usr/bin/dockerd --add-runtime runsc=/usr/bin/runsc\n",
        },
        expect=[],
    )


def test_dropin_reset_removes_the_stock_flags():
    check(
        "DD113",
        {
            "etc/docker/daemon.json": '{"hosts": ["unix:///var/run/docker.sock"]}',
            "lib/systemd/system/docker.service": STOCK,
            "etc/systemd/system/docker.service.d/override.conf": "[Service]\nExecStart=\n"
            "ExecStart=/usr/bin/dockerd --containerd=/run/containerd/containerd.sock\n",
        },
        expect=[],
    )


def test_dropin_flag_conflicts_and_the_message_names_the_dropin():
    check(
        "DD113",
        {
            "etc/docker/daemon.json": '{\n  "debug": true\n}',
            "lib/systemd/system/docker.service": STOCK,
            "etc/systemd/system/docker.service.d/debug.conf": "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H "
            "fd:// \\\n  --debug\n",
        },
        expect=[("etc/docker/daemon.json", 2, 3, "by --debug in etc/systemd/system/docker.service.d/debug.conf:4")],
    )


def test_different_hosts_do_not_conflict():
    check(
        "DD113",
        {
            "a/etc/docker/daemon.json": '{"hosts": ["unix:///var/run/docker.sock"]}',
            "b/lib/systemd/system/docker.service": STOCK,
        },
        expect=[],
    )


def test_no_daemon_json_or_no_flags():
    check("DD113", {"docker.service": STOCK}, expect=[])
    check("DD113", {"daemon.json": '{"hosts": ["fd://"]}'}, expect=[])
    check(
        "DD113",
        {"daemon.json": '{"debug": true}', "docker.service": "[Service]\nExecStart=/usr/bin/dockerd\n"},
        expect=[],
    )


def test_config_file_flag_pointing_elsewhere():
    unit = "[Service]\nExecStart=/usr/bin/dockerd -H fd:// --config-file=/etc/docker/{}\n"
    check(
        "DD113",
        {
            "etc/docker/daemon.json": '{"hosts": ["fd://"]}',
            "etc/systemd/system/docker.service": unit.format("other.json"),
        },
        expect=[],
    )
    check(
        "DD113",
        {
            "etc/docker/daemon.json": '{"hosts": ["fd://"]}',
            "etc/systemd/system/docker.service": unit.format("daemon.json"),
        },
        expect=[("etc/docker/daemon.json", 1, 2)],
    )


DEBIAN_UNIT = """
    [Service]
    Type=notify
    EnvironmentFile=-/etc/default/docker
    ExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS
    """


def test_stock_debian_unit_against_hosts_in_daemon_json():
    check(
        "DD113",
        {
            "etc/docker/daemon.json": '{\n  "hosts": ["tcp://0.0.0.0:2376"],\n  "tlsverify": true\n}\n',
            "lib/systemd/system/docker.service": DEBIAN_UNIT,
        },
        expect=[("etc/docker/daemon.json", 2, 3, "by -H in lib/systemd/system/docker.service:4: dockerd refuses")],
    )


def test_flags_from_docker_opts_name_the_environment_file_line():
    check(
        "DD113",
        {
            "etc/docker/daemon.json": '{\n  "debug": true,\n  "labels": ["a=b"]\n}\n',
            "etc/default/docker": 'DOCKER_OPTS="--dns 8.8.8.8 \\\n  -D --label=a=b"\n',
            "etc/systemd/system/docker.service": DEBIAN_UNIT.replace("-H fd:// ", ""),
        },
        expect=[
            (
                "etc/docker/daemon.json",
                2,
                3,
                (
                    "'debug' is set here and by -D in etc/default/docker:2 (via $DOCKER_OPTS, set at "
                    "etc/default/docker:1): dockerd refuses to start"
                ),
            ),
            ("etc/docker/daemon.json", 3, 3, "by --label in etc/default/docker:2"),
        ],
    )


def test_flags_from_an_environment_line_of_a_dropin():
    check(
        "DD113",
        {
            "etc/docker/daemon.json": '{"storage-driver": "overlay2"}',
            "lib/systemd/system/docker.service": "[Service]\nExecStart=/usr/bin/dockerd $OPTS\n",
            "etc/systemd/system/docker.service.d/opts.conf": (
                '[Service]\nEnvironment="OPTS=--storage-driver=overlay2"\n'
            ),
        },
        expect=[
            (
                "etc/docker/daemon.json",
                1,
                2,
                "by --storage-driver in etc/systemd/system/docker.service.d/opts.conf:2 (via $OPTS",
            )
        ],
    )


def test_docker_opts_of_an_assumed_debian_unit():
    check(
        "DD113",
        {"etc/docker/daemon.json": '{"debug": true}', "etc/default/docker": "DOCKER_OPTS=-D\n"},
        expect=[("etc/docker/daemon.json", 1, 2, "(via $DOCKER_OPTS")],
    )


def test_unset_docker_opts_adds_nothing():
    check(
        "DD113",
        {
            "etc/docker/daemon.json": '{"debug": true}',
            "etc/default/docker": '#DOCKER_OPTS="-D"\n',
            "etc/systemd/system/docker.service": DEBIAN_UNIT.replace("-H fd:// ", ""),
        },
        expect=[],
    )
