"""DD104 client-plaintext-endpoint (Compose services' client environment)."""

from __future__ import annotations

import pytest

from helpers import check


def test_docker_host_tcp_without_verify():
    check(
        "DD104",
        {
            "compose.yaml": """
        services:
          ci:
            image: docker:27-cli
            environment:
              DOCKER_HOST: tcp://docker:2375
        """
        },
        expect=[(5, 7, "DOCKER_TLS_VERIFY is not set")],
    )


def test_tls_verify_and_2376_is_clean():
    check(
        "DD104",
        {
            "compose.yaml": """
        services:
          ci:
            image: docker:27-cli
            environment:
              DOCKER_HOST: tcp://dind:2376
              DOCKER_TLS_VERIFY: "1"
              DOCKER_CERT_PATH: /certs/client
        """
        },
        expect=[],
    )


def test_any_non_empty_verify_value_turns_verification_on():
    check(
        "DD104",
        {
            "compose.yaml": """
        services:
          ci:
            image: docker:27-cli
            environment:
              - DOCKER_HOST=tcp://dind:2376
              - DOCKER_TLS_VERIFY=0
        """
        },
        expect=[],
    )


def test_empty_verify_is_off():
    check(
        "DD104",
        {
            "compose.yaml": """
        services:
          ci:
            image: docker:27-cli
            environment:
              - DOCKER_HOST=tcp://dind:2376
              - DOCKER_TLS_VERIFY=
        """
        },
        expect=[(5, 9, "DOCKER_TLS_VERIFY is empty")],
    )


def test_cert_path_without_verify_does_not_verify_the_server():
    check(
        "DD104",
        {
            "compose.yaml": """
        services:
          ci:
            image: docker:27-cli
            environment:
              DOCKER_CERT_PATH: /certs/client
              DOCKER_HOST: tcp://dind:2376
        """
        },
        expect=[(6, 7, "DOCKER_CERT_PATH without DOCKER_TLS_VERIFY")],
    )


def test_port_2375_even_with_verify():
    check(
        "DD104",
        {
            "compose.yaml": """
        services:
          ci:
            image: docker:27-cli
            environment:
              DOCKER_HOST: tcp://dind:2375
              DOCKER_TLS_VERIFY: "1"
        """
        },
        expect=[(5, 7, "port 2375")],
    )


def test_unix_and_ssh_are_clean():
    check(
        "DD104",
        {
            "compose.yaml": """
        services:
          a:
            image: docker:27-cli
            environment:
              DOCKER_HOST: unix:///var/run/docker.sock
          b:
            image: docker:27-cli
            environment:
              DOCKER_HOST: ssh://deploy@build-host
        """
        },
        expect=[],
    )


def test_passed_through_verify_gets_the_benefit_of_the_doubt():
    check(
        "DD104",
        {
            "compose.yaml": """
        services:
          ci:
            image: docker:27-cli
            environment:
              - DOCKER_HOST=tcp://dind:2376
              - DOCKER_TLS_VERIFY
        """
        },
        expect=[],
    )


def test_a_password_in_docker_host_is_masked_in_the_message():
    # The message names the value, but a DOCKER_HOST may carry credentials: the password of its
    # userinfo is masked (api.quote, with the credential model of knowledge/secrets).
    for host in ("tcp://deploy:Sup3rS3cretPw@docker.example.com:2375", "tcp://deploy:Sup3rS3cretPw@docker.example.com"):
        got = check(
            "DD104",
            {
                "compose.yaml": f"""
            services:
              ci:
                image: docker:27-cli
                environment:
                  DOCKER_HOST: {host}
            """
            },
            expect=[(5, 7, "docker.example.com")],
        )
        assert "Sup3rS3cretPw" not in got[0].message
        assert "deploy:****" in got[0].message


# -- the port, read with the Docker CLI's grammar (docker/cli opts.ParseTCPAddr) -----------------
# DOCKER_HOST is parsed as a URL: userinfo before '@' is not the host, the port is what follows
# the host (an IPv6 host in brackets), a path after it is ignored, and a missing port is 2375
# (the CLI's defaultTCPHost). A value without '://' is a TCP address for the CLI too.


def _verifying(host: str) -> dict[str, str]:
    return {
        "compose.yaml": f"""
        services:
          ci:
            image: docker:27-cli
            environment:
              DOCKER_HOST: "{host}"
              DOCKER_TLS_VERIFY: "1"
        """
    }


@pytest.mark.parametrize(
    "host",
    [
        "tcp://deploy:Sup3rS3cretPw@docker.example.com:2375",  # the userinfo hid the port
        "tcp://deploy@docker.example.com:2375",
        "tcp://deploy:2376@docker.example.com:2375",  # a password of digits is no port
        "tcp://[::1]:2375",
        "tcp://[2001:db8::7]:2375/v1.45",
        "tcp://docker.example.com:2375/path",
        "tcp://:2375",
        "docker.example.com:2375",  # no scheme: the CLI reads it as tcp://
    ],
)
def test_port_2375_in_any_url_shape(host):
    got = check("DD104", _verifying(host), expect=[(5, 7, "port 2375")])
    assert "Sup3rS3cretPw" not in got[0].message


@pytest.mark.parametrize(
    "host",
    [
        "tcp://docker.example.com",  # no port: the CLI connects to 2375
        "tcp://docker.example.com:",
        "tcp://deploy:Sup3rS3cretPw@docker.example.com",
        "tcp://docker.example.com/path",
        "tcp://",  # localhost:2375
        "tcp://2001:db8::7",  # an IPv6 host without brackets has no port of its own
    ],
)
def test_no_port_means_2375(host):
    got = check("DD104", _verifying(host), expect=[(5, 7, "no port, so the client uses 2375")])
    assert "Sup3rS3cretPw" not in got[0].message


@pytest.mark.parametrize(
    "host",
    [
        "tcp://docker.example.com:2376",
        "tcp://deploy:2375@docker.example.com:2376",  # 2375 is the password, not the port
        "tcp://[::1]:2376",
        "tcp://docker.example.com:2376/path",
        "/var/run/docker.sock",  # a path: the CLI reads it as unix://
        "ssh://deploy@build-host:2375",
    ],
)
def test_verified_endpoints_not_on_2375_are_clean(host):
    check("DD104", _verifying(host), expect=[])


@pytest.mark.parametrize("host", ["TCP://docker.example.com:2375", "Tcp://dind:2375", "TCP://"])
def test_a_scheme_the_cli_rejects_connects_nowhere(host):
    # docker/cli opts/hosts.go parseDockerDaemonHost matches the scheme as written ("tcp"; any
    # other is "invalid bind address format"), so the client never reaches a daemon: no DD104,
    # with DOCKER_TLS_VERIFY or without.
    check("DD104", _verifying(host), expect=[])
    compose = f"services:\n  ci:\n    image: docker:27-cli\n    environment:\n      DOCKER_HOST: {host}\n"
    files = {"compose.yaml": compose}
    check("DD104", files, expect=[])


def test_a_docker_host_without_scheme_is_tcp():
    check(
        "DD104",
        {
            "compose.yaml": """
        services:
          ci:
            image: docker:27-cli
            environment:
              DOCKER_HOST: docker:2375
        """
        },
        expect=[(5, 7, "DOCKER_TLS_VERIFY is not set")],
    )


@pytest.mark.parametrize(
    "host",
    [
        "tcp://$DOCKER_ADDRESS",  # the port may be in the variable
        "tcp://${HOST}:${PORT}",
        "$REMOTE",
    ],
)
def test_a_port_held_in_a_variable_is_not_judged(host):
    check(
        "DD104",
        {
            "run.sh": f"""#!/bin/sh
export DOCKER_TLS_VERIFY=1
export DOCKER_HOST="{host}"
docker info
"""
        },
        expect=[],
    )


def test_a_known_variable_free_host_in_a_script_still_fires():
    check(
        "DD104",
        {
            "run.sh": """#!/bin/sh
export DOCKER_TLS_VERIFY=1
export DOCKER_HOST="tcp://ci:secretpw@dind"
docker info
"""
        },
        expect=[(3, 8, "no port, so the client uses 2375")],
    )
