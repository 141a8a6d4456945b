"""DD101 plaintext-api-endpoint: exact positions for daemon.json, units, sockets and dind."""

from __future__ import annotations

from helpers import check

TLS_JSON = """
    {"tlsverify": true, "tlscacert": "/etc/docker/ca.pem", "tlscert": "/etc/docker/server-cert.pem", "tlskey": "/etc/docker/server-key.pem", "userns-remap": "default"}
    """


def test_seed_tls_socket_2376_is_clean():
    check("DD101", {"daemon.json": TLS_JSON,
                    "docker-tcp.socket": "[Socket]\nListenStream=2376\nService=docker.service\n"}, expect=[])


def test_seed_socket_2375_without_tls_points_at_the_listen_stream_value():
    check("DD101", {"daemon.json": '{"debug": true}\n',
                    "docker-tcp.socket": "[Socket]\nListenStream=2375\nService=docker.service\n"},
          expect=[("docker-tcp.socket", 2, 14, "daemon.json sets no TLS")])


def test_seed_hosts_tcp_entry():
    check("DD101", {"daemon.json": """
        {
          "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"]
        }
        """}, expect=[("daemon.json", 2, 44, "neither tls nor tlsverify is set")])


def test_seed_dropin_second_h():
    check("DD101", {"docker.service.d/override.conf": """
        [Service]
        ExecStart=
        ExecStart=/usr/bin/dockerd -H fd:// -H tcp://0.0.0.0:2375
        """}, expect=[("docker.service.d/override.conf", 3, 37, "tcp://0.0.0.0:2375")])


def test_seed_layout_as_a_host_tree():
    check("DD101", {"etc/docker/daemon.json": '{"debug": true}\n',
                    "etc/systemd/system/docker-tcp.socket": "[Socket]\nListenStream=2375\nService=docker.service\n"},
          expect=[("etc/systemd/system/docker-tcp.socket", 2, 14, "etc/docker/daemon.json sets no TLS")])


def test_socket_alone_says_no_tls_configuration_was_found():
    check("DD101", {"docker-tcp.socket": """
        [Unit]
        Description=Docker Socket for the API

        [Socket]
        ListenStream=2375
        BindIPv6Only=both
        Service=docker.service
        """}, expect=[(5, 14, "no TLS configuration (a daemon.json with tlsverify) was found in the scan")])


def test_socket_with_address_and_dropin_reset():
    check("DD101", {"docker.socket": "[Socket]\nListenStream=/run/docker.sock\n",
                    "docker.socket.d/tcp.conf": "[Socket]\nListenStream=\nListenStream=0.0.0.0:2375\n"},
          expect=[("docker.socket.d/tcp.conf", 3, 14, "every network interface")])


def test_unix_and_fd_only_are_clean():
    check("DD101", {"daemon.json": '{"hosts": ["unix:///var/run/docker.sock", "fd://"]}',
                    "docker.socket": "[Socket]\nListenStream=/run/docker.sock\n"}, expect=[])


def test_explicit_tls_false():
    check("DD101", {"daemon.json": '{"tls": false, "hosts": ["tcp://10.0.0.5:2375"]}'},
          expect=[(1, 26, "tls is explicitly false")])


def test_flag_tls_false():
    check("DD101", {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --tls=false -H tcp://0.0.0.0:2375\n"},
          expect=[(2, 40, "--tls is explicitly false")])


def test_tlsverify_false_still_turns_tls_on():
    # dockerd: setting tlsverify at all (even false) turns TLS on; DD102 reports the missing client auth.
    check("DD101", {"daemon.json": '{"tlsverify": false, "hosts": ["tcp://0.0.0.0:2376"]}'}, expect=[])


def test_tls_in_file_covers_flag_listeners():
    check("DD101", {"daemon.json": '{"tls": true, "tlscert": "/c.pem", "tlskey": "/k.pem"}',
                    "docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H fd:// -H tcp://0.0.0.0:2376\n"},
          expect=[])


def test_tlsverify_flag_covers_file_listeners():
    check("DD101", {"daemon.json": '{"hosts": ["tcp://0.0.0.0:2376"]}',
                    "docker.service": "[Service]\nExecStart=/usr/bin/dockerd --tlsverify\n"}, expect=[])


def test_short_forms_and_localhost():
    check("DD101", {"daemon.json": '{"hosts": ["0.0.0.0:5555", "tcp://:2375", "tcp://127.0.0.1:2375"]}'},
          expect=[(1, 12, "port 5555 on every network interface"), (1, 28, "localhost:2375 (loopback only"),
                  (1, 43, "127.0.0.1:2375 (loopback only")])


def test_attached_and_long_host_flags():
    check("DD101", {"docker.service": """
        [Service]
        ExecStart=/usr/bin/dockerd \\
          --host=tcp://0.0.0.0:2375 \\
          -Htcp://10.1.1.1:2375
        """}, expect=[(3, 3), (4, 3)])


def test_hidden_flags_are_mentioned():
    check("DD101", {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375 $DOCKER_OPTS\n"},
          expect=[(2, 28, "unless flags hidden in the ExecStart's $VARIABLES turn TLS on")])


def test_tls_in_another_host_tree_does_not_count():
    check("DD101", {"a/etc/docker/daemon.json": TLS_JSON,
                    "b/etc/systemd/system/docker-tcp.socket": "[Socket]\nListenStream=2375\nService=docker.service\n"},
          expect=[("b/etc/systemd/system/docker-tcp.socket", 2, 14)])


def test_dind_with_empty_certdir_mapping_form():
    check("DD101", {"compose.yaml": """
        services:
          docker:
            image: docker:19.03.3-dind
            privileged: true
            environment:
              DOCKER_TLS_CERTDIR: ""
        """}, expect=[(6, 7, "DOCKER_TLS_CERTDIR empty")])


def test_dind_with_empty_certdir_list_form_any_registry():
    check("DD101", {"compose.yaml": """
        services:
          docker:
            image: registry.example.com:5000/library/docker:27-dind-rootless
            privileged: true
            environment:
              - DOCKER_TLS_CERTDIR=
        """}, expect=[(6, 9)])


def test_dind_publishing_2375_and_tls_false_command():
    check("DD101", {"compose.yaml": """
        services:
          dind:
            image: docker:dind
            privileged: true
            ports:
              - "2376:2376"
              - "2375:2375"
            command: ["--tls=false"]
        """}, expect=[(7, 9, "publishes port 2375"), (8, 15, "--tls=false")])


def test_dind_with_tls_defaults_is_clean():
    check("DD101", {"compose.yaml": """
        services:
          docker:
            image: docker:27-dind
            privileged: true
            environment:
              DOCKER_TLS_CERTDIR: /certs
            ports:
              - "2376:2376"
        """}, expect=[])


def test_non_dind_images_are_not_judged():
    check("DD101", {"compose.yaml": """
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
        """}, expect=[])
