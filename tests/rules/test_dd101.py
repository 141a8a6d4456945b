"""DD101 plaintext-api-endpoint: exact positions for daemon.json, units, sockets and dind."""

from __future__ import annotations

from helpers import check, lint_tree, write_tree

TLS_JSON = """
    {"tlsverify": true, "tlscacert": "/etc/docker/ca.pem", "tlscert": "/etc/docker/server-cert.pem",
     "tlskey": "/etc/docker/server-key.pem", "userns-remap": "default"}
    """


def test_seed_tls_socket_2376_is_clean():
    check(
        "DD101",
        {"daemon.json": TLS_JSON, "docker-tcp.socket": "[Socket]\nListenStream=2376\nService=docker.service\n"},
        expect=[],
    )


def test_seed_socket_2375_without_tls_points_at_the_listen_stream_value():
    check(
        "DD101",
        {
            "daemon.json": '{"debug": true}\n',
            "docker-tcp.socket": "[Socket]\nListenStream=2375\nService=docker.service\n",
        },
        expect=[("docker-tcp.socket", 2, 14, "daemon.json sets no TLS")],
    )


def test_seed_hosts_tcp_entry():
    check(
        "DD101",
        {
            "daemon.json": """
        {
          "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"]
        }
        """
        },
        expect=[("daemon.json", 2, 44, "(no tls or tlsverify)")],
    )


def test_seed_dropin_second_h():
    check(
        "DD101",
        {
            "docker.service.d/override.conf": """
        [Service]
        ExecStart=
        ExecStart=/usr/bin/dockerd -H fd:// -H tcp://0.0.0.0:2375
        """
        },
        expect=[("docker.service.d/override.conf", 3, 37, "tcp://0.0.0.0:2375")],
    )


def test_seed_layout_as_a_host_tree():
    check(
        "DD101",
        {
            "etc/docker/daemon.json": '{"debug": true}\n',
            "etc/systemd/system/docker-tcp.socket": "[Socket]\nListenStream=2375\nService=docker.service\n",
        },
        expect=[("etc/systemd/system/docker-tcp.socket", 2, 14, "etc/docker/daemon.json sets no TLS")],
    )


def test_socket_alone_says_no_tls_configuration_was_found():
    check(
        "DD101",
        {
            "docker-tcp.socket": """
        [Unit]
        Description=Docker Socket for the API

        [Socket]
        ListenStream=2375
        BindIPv6Only=both
        Service=docker.service
        """
        },
        expect=[(5, 14, "but no TLS configuration in the scan")],
    )


def test_socket_with_address_and_dropin_reset():
    check(
        "DD101",
        {
            "docker.socket": "[Socket]\nListenStream=/run/docker.sock\n",
            "docker.socket.d/tcp.conf": "[Socket]\nListenStream=\nListenStream=0.0.0.0:2375\n",
        },
        expect=[("docker.socket.d/tcp.conf", 3, 14, "of every interface")],
    )


def test_unix_and_fd_only_are_clean():
    check(
        "DD101",
        {
            "daemon.json": '{"hosts": ["unix:///var/run/docker.sock", "fd://"]}',
            "docker.socket": "[Socket]\nListenStream=/run/docker.sock\n",
        },
        expect=[],
    )


def test_explicit_tls_false():
    check(
        "DD101", {"daemon.json": '{"tls": false, "hosts": ["tcp://10.0.0.5:2375"]}'}, expect=[(1, 26, "tls is false")]
    )


def test_flag_tls_false():
    check(
        "DD101",
        {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --tls=false -H tcp://0.0.0.0:2375\n"},
        expect=[(2, 40, "--tls is false")],
    )


def test_tlsverify_false_still_turns_tls_on():
    # dockerd: setting tlsverify at all (even false) turns TLS on; DD102 reports the missing client auth.
    check("DD101", {"daemon.json": '{"tlsverify": false, "hosts": ["tcp://0.0.0.0:2376"]}'}, expect=[])


def test_tls_in_file_covers_flag_listeners():
    check(
        "DD101",
        {
            "daemon.json": '{"tls": true, "tlscert": "/c.pem", "tlskey": "/k.pem"}',
            "docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H fd:// -H tcp://0.0.0.0:2376\n",
        },
        expect=[],
    )


def test_tlsverify_flag_covers_file_listeners():
    check(
        "DD101",
        {
            "daemon.json": '{"hosts": ["tcp://0.0.0.0:2376"]}',
            "docker.service": "[Service]\nExecStart=/usr/bin/dockerd --tlsverify\n",
        },
        expect=[],
    )


def test_short_forms_and_localhost():
    check(
        "DD101",
        {"daemon.json": '{"hosts": ["0.0.0.0:5555", "tcp://:2375", "tcp://127.0.0.1:2375"]}'},
        expect=[
            (1, 12, "'0.0.0.0:5555' without TLS"),
            (1, 28, "'tcp://:2375' without TLS (no tls or tlsverify), on localhost:2375 (loopback only)"),
            (1, 43, "127.0.0.1:2375 (loopback only"),
        ],
    )


def test_attached_and_long_host_flags():
    check(
        "DD101",
        {
            "docker.service": """
        [Service]
        ExecStart=/usr/bin/dockerd \\
          --host=tcp://0.0.0.0:2375 \\
          -Htcp://10.1.1.1:2375
        """
        },
        expect=[(3, 3), (4, 3)],
    )


def test_hidden_flags_are_mentioned():
    check(
        "DD101",
        {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375 $DOCKER_OPTS\n"},
        expect=[(2, 28, "unless ExecStart's $VARIABLES turn TLS on")],
    )


def test_tls_in_another_host_tree_does_not_count():
    check(
        "DD101",
        {
            "a/etc/docker/daemon.json": TLS_JSON,
            "b/etc/systemd/system/docker-tcp.socket": "[Socket]\nListenStream=2375\nService=docker.service\n",
        },
        expect=[("b/etc/systemd/system/docker-tcp.socket", 2, 14)],
    )


def test_dind_with_empty_certdir_mapping_form():
    check(
        "DD101",
        {
            "compose.yaml": """
        services:
          docker:
            image: docker:19.03.3-dind
            privileged: true
            environment:
              DOCKER_TLS_CERTDIR: ""
        """
        },
        expect=[(6, 7, "DOCKER_TLS_CERTDIR empty")],
    )


def test_dind_with_empty_certdir_list_form_any_registry():
    check(
        "DD101",
        {
            "compose.yaml": """
        services:
          docker:
            image: registry.example.com:5000/library/docker:27-dind-rootless
            privileged: true
            environment:
              - DOCKER_TLS_CERTDIR=
        """
        },
        expect=[(6, 9)],
    )


def test_dind_publishing_2375_and_tls_false_command():
    check(
        "DD101",
        {
            "compose.yaml": """
        services:
          dind:
            image: docker:dind
            privileged: true
            ports:
              - "2376:2376"
              - "2375:2375"
            command: ["--tls=false"]
        """
        },
        expect=[(7, 9, "publishes port 2375"), (8, 15, "--tls=false")],
    )


def test_dind_with_tls_defaults_is_clean():
    check(
        "DD101",
        {
            "compose.yaml": """
        services:
          docker:
            image: docker:27-dind
            privileged: true
            environment:
              DOCKER_TLS_CERTDIR: /certs
            ports:
              - "2376:2376"
        """
        },
        expect=[],
    )


def test_non_dind_images_are_not_judged():
    check(
        "DD101",
        {
            "compose.yaml": """
        services:
          cli:
            image: docker:27-cli
            environment:
              DOCKER_TLS_CERTDIR: ""
            ports:
              - "2375:2375"
          other:
            image: example/dind-helper:1
            command: ["--tls=false"]
        """
        },
        expect=[],
    )


# -- flags from variables, assumed units, rootless ------------------------------------------------

DEBIAN_UNIT = """
    [Service]
    Type=notify
    EnvironmentFile=-/etc/default/docker
    ExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS
    """


def test_seed_socket_2376_with_the_tls_keys_removed_names_the_daemon_json():
    check(
        "DD101",
        {
            "etc/docker/daemon.json": '{"userns-remap": "default"}\n',
            "etc/systemd/system/docker-tcp.socket": "[Socket]\nListenStream=2376\nService=docker.service\n",
        },
        expect=[
            (
                "etc/systemd/system/docker-tcp.socket",
                2,
                14,
                "port 2376 of every interface, but etc/docker/daemon.json sets no TLS",
            )
        ],
    )


def test_docker_opts_in_etc_default_docker_points_into_the_file():
    check(
        "DD101",
        {
            "etc/default/docker": "# Docker Upstart and SysVinit configuration file\n"
            'DOCKER_OPTS="--dns 8.8.8.8 -H tcp://0.0.0.0:2375"\n',
            "etc/systemd/system/docker.service": DEBIAN_UNIT,
        },
        expect=[("etc/default/docker", 2, 28, "(via $DOCKER_OPTS, set at etc/default/docker:2)")],
    )


def test_docker_opts_with_tls_in_daemon_json_is_clean():
    check(
        "DD101",
        {
            "etc/default/docker": 'DOCKER_OPTS="-H tcp://0.0.0.0:2376"\n',
            "etc/docker/daemon.json": TLS_JSON,
            "etc/systemd/system/docker.service": DEBIAN_UNIT,
        },
        expect=[],
    )
    check(
        "DD101",
        {
            "etc/default/docker": 'DOCKER_OPTS="-H tcp://0.0.0.0:2376 --tlsverify"\n',
            "etc/systemd/system/docker.service": DEBIAN_UNIT,
        },
        expect=[],
    )


def test_environment_line_in_a_dropin():
    check(
        "DD101",
        {
            "lib/systemd/system/docker.service": DEBIAN_UNIT,
            "etc/systemd/system/docker.service.d/tcp.conf": '[Service]\nEnvironment="DOCKER_OPTS=-H '
            'tcp://0.0.0.0:2375" "OTHER=1"\n',
        },
        # the unit reads /etc/default/docker, which is not in the scan: it could change DOCKER_OPTS
        expect=[("etc/systemd/system/docker.service.d/tcp.conf", 2, 26, "(via $DOCKER_OPTS)")],
    )


def test_loose_dropin_assumes_the_debian_unit(tmp_path):
    # xingjiudong/debian-init's 20-docker.conf: a drop-in outside its folder is linted only when
    # named; without the unit, Debian's docker.io unit (which reads $DOCKER_OPTS) is assumed.
    write_tree(
        tmp_path,
        {
            "20-docker.conf": """
        [Service]
        #swarm docker etcd mode
        Environment="DOCKER_OPTS=--label=volume.driver=rbd --storage-driver=overlay2 -H tcp://0.0.0.0:2375"
        """
        },
    )
    assert lint_tree(tmp_path, select=["DD101"]).findings == []  # not picked up by a walk
    (f,) = lint_tree(tmp_path, select=["DD101"], paths=["20-docker.conf"]).findings
    assert (f.span.path, f.span.line, f.span.col, f.span.end_col) == ("20-docker.conf", 3, 78, 80)
    # the message names the variable and where it is set; the assumption is in the model's ``via``
    assert "(via $DOCKER_OPTS, set at 20-docker.conf:3)" in f.message


def test_etc_default_docker_alone_assumes_the_debian_unit():
    check(
        "DD101",
        {"srv/h1/etc/default/docker": "DOCKER_OPTS='-H tcp://10.0.0.5:2375'\n"},
        expect=[("srv/h1/etc/default/docker", 1, 14, "(via $DOCKER_OPTS, set at srv/h1/etc/default/docker:1)")],
    )


def test_sysconfig_options():
    check(
        "DD101",
        {
            "etc/sysconfig/docker": "OPTIONS='--selinux-enabled -H tcp://0.0.0.0:2375'\n",
            "usr/lib/systemd/system/docker.service": "[Service]\nEnvironmentFile=-/etc/sysconfig/docker\n"
            "ExecStart=/usr/bin/dockerd-current $OPTIONS\n",
        },
        expect=[("etc/sysconfig/docker", 1, 28, "$OPTIONS, set at etc/sysconfig/docker:1")],
    )


def test_unit_that_does_not_read_docker_opts_ignores_it():
    check(
        "DD101",
        {
            "etc/default/docker": 'DOCKER_OPTS="-H tcp://0.0.0.0:2375"\n',
            "lib/systemd/system/docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H fd://\n",
        },
        expect=[],
    )


def test_hidden_flags_when_the_environment_file_is_not_in_the_scan():
    check(
        "DD101",
        {"docker.service": DEBIAN_UNIT.replace("-H fd://", "-H tcp://0.0.0.0:2375")},
        expect=[(4, 28, "unless ExecStart's $VARIABLES turn TLS on")],
    )
    check(
        "DD101",
        {
            "etc/default/docker": "DOCKER_OPTS=\n",
            "etc/systemd/system/docker.service": DEBIAN_UNIT.replace("-H fd://", "-H tcp://0.0.0.0:2375"),
        },
        expect=[("etc/systemd/system/docker.service", 4, 28, "(no tls or tlsverify)")],
    )


ROOTLESS_UNIT = """
    [Unit]
    Description=Docker Application Container Engine (Rootless)

    [Service]
    Environment=DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS="-p 0.0.0.0:2376:2376/tcp"
    ExecStart=/usr/bin/dockerd-rootless.sh -H tcp://0.0.0.0:2376 {tls}
    Type=simple
    """


def test_rootless_forward_without_tls():
    check(
        "DD101",
        {"home/me/.config/systemd/user/docker.service": ROOTLESS_UNIT.format(tls="")},
        expect=[
            (
                "home/me/.config/systemd/user/docker.service",
                6,
                40,
                "RootlessKit publishes it on port 2376 of every interface",
            )
        ],
    )


def test_rootless_forward_with_tls_is_clean():
    tls = "--tlsverify --tlscacert=ca.pem --tlscert=cert.pem --tlskey=key.pem"
    check("DD101", {"home/me/.config/systemd/user/docker.service": ROOTLESS_UNIT.format(tls=tls)}, expect=[])
    check(
        "DD101",
        {
            "home/me/.config/systemd/user/docker.service": ROOTLESS_UNIT.format(tls=""),
            "home/me/.config/docker/daemon.json": TLS_JSON,
        },
        expect=[],
    )


def test_an_upper_case_scheme_is_refused_by_dockerd_not_a_listener():
    # moby opts/hosts.go parseDockerDaemonHost matches the scheme as written: "TCP://" is
    # "invalid bind address format", dockerd does not start (DD000), and no API listens (no DD101).
    files = {"etc/docker/daemon.json": '{"hosts": ["TCP://0.0.0.0:2375"]}\n'}
    check("DD101", files, expect=[])
    check("DD000", files, expect=[("etc/docker/daemon.json", 1, 12, "unsupported protocol 'TCP'")])
