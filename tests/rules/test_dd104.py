"""DD104 client-plaintext-endpoint (Compose services' client environment)."""

from __future__ import annotations

from helpers import check


def test_docker_host_tcp_without_verify():
    check("DD104", {"compose.yaml": """
        services:
          ci:
            image: docker:27-cli
            environment:
              DOCKER_HOST: tcp://docker:2375
        """}, expect=[(5, 7, "DOCKER_TLS_VERIFY is not set")])


def test_tls_verify_and_2376_is_clean():
    check("DD104", {"compose.yaml": """
        services:
          ci:
            image: docker:27-cli
            environment:
              DOCKER_HOST: tcp://dind:2376
              DOCKER_TLS_VERIFY: "1"
              DOCKER_CERT_PATH: /certs/client
        """}, expect=[])


def test_any_non_empty_verify_value_turns_verification_on():
    check("DD104", {"compose.yaml": """
        services:
          ci:
            image: docker:27-cli
            environment:
              - DOCKER_HOST=tcp://dind:2376
              - DOCKER_TLS_VERIFY=0
        """}, expect=[])


def test_empty_verify_is_off():
    check("DD104", {"compose.yaml": """
        services:
          ci:
            image: docker:27-cli
            environment:
              - DOCKER_HOST=tcp://dind:2376
              - DOCKER_TLS_VERIFY=
        """}, expect=[(5, 9, "DOCKER_TLS_VERIFY is empty")])


def test_cert_path_without_verify_does_not_verify_the_server():
    check("DD104", {"compose.yaml": """
        services:
          ci:
            image: docker:27-cli
            environment:
              DOCKER_CERT_PATH: /certs/client
              DOCKER_HOST: tcp://dind:2376
        """}, expect=[(6, 7, "DOCKER_CERT_PATH without DOCKER_TLS_VERIFY")])


def test_port_2375_even_with_verify():
    check("DD104", {"compose.yaml": """
        services:
          ci:
            image: docker:27-cli
            environment:
              DOCKER_HOST: tcp://dind:2375
              DOCKER_TLS_VERIFY: "1"
        """}, expect=[(5, 7, "port 2375")])


def test_unix_and_ssh_are_clean():
    check("DD104", {"compose.yaml": """
        services:
          a:
            image: docker:27-cli
            environment:
              DOCKER_HOST: unix:///var/run/docker.sock
          b:
            image: docker:27-cli
            environment:
              DOCKER_HOST: ssh://deploy@build-host
        """}, expect=[])


def test_passed_through_verify_gets_the_benefit_of_the_doubt():
    check("DD104", {"compose.yaml": """
        services:
          ci:
            image: docker:27-cli
            environment:
              - DOCKER_HOST=tcp://dind:2376
              - DOCKER_TLS_VERIFY
        """}, expect=[])


def test_a_password_in_docker_host_is_masked_in_the_message():
    # The message names the value, but a DOCKER_HOST may carry credentials: the password of its
    # userinfo is masked (api.quote, with the credential model of knowledge/secrets).
    for host in ("tcp://deploy:Sup3rS3cretPw@docker.example.com:2375",
                 "tcp://deploy:Sup3rS3cretPw@docker.example.com"):
        got = check("DD104", {"compose.yaml": f"""
            services:
              ci:
                image: docker:27-cli
                environment:
                  DOCKER_HOST: {host}
            """}, expect=[(5, 7, "docker.example.com")])
        assert "Sup3rS3cretPw" not in got[0].message
        assert "deploy:****" in got[0].message
