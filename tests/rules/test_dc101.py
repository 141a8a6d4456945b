"""DC101 docker-socket-mount."""

from __future__ import annotations

import pytest

from helpers import check


def test_short_syntax_points_at_the_item() -> None:
    check(
        "DC101",
        """
        services:
          runner:
            image: gitlab/gitlab-runner:v17.0.0
            volumes:
              - ./config:/etc/gitlab-runner
              - /var/run/docker.sock:/var/run/docker.sock
        """,
        expect=[(6, 9, "service 'runner' mounts the Docker socket '/var/run/docker.sock'")],
        name="compose.yaml",
    )


def test_read_only_still_fires_and_says_why() -> None:
    got = check(
        "DC101",
        """
        services:
          traefik:
            image: traefik:v3.0
            volumes:
              - "/var/run/docker.sock:/var/run/docker.sock:ro"
        """,
        expect=[(5, 9, "; ':ro' does not help")],
        name="compose.yaml",
    )
    assert got[0].severity.value == "critical"


def test_long_syntax_points_at_the_item() -> None:
    check(
        "DC101",
        """
        services:
          agent:
            image: portainer/agent:2.19.4
            volumes:
              - type: bind
                source: /var/run/docker.sock
                target: /var/run/docker.sock
                read_only: true
        """,
        expect=[(5, 9, "; ':ro' does not help")],
        name="compose.yaml",
    )


def test_interpolation_default_counts() -> None:
    check(
        "DC101",
        """
        services:
          watchtower:
            image: containrrr/watchtower:1.7.1
            volumes:
              - ${DOCKER_SOCK:-/var/run/docker.sock}:/var/run/docker.sock
        """,
        expect=[(5, 9, "(from '${DOCKER_SOCK:-/…un/docker.sock}')")],
        name="compose.yaml",
    )


def test_anchor_finding_points_at_the_anchor_for_every_service() -> None:
    check(
        "DC101",
        """
        x-docker: &docker
          volumes:
            - /var/run/docker.sock:/var/run/docker.sock
        services:
          build:
            <<: *docker
            image: docker:27-cli
          deploy:
            <<: *docker
            image: docker:27-cli
        """,
        expect=[(3, 7, "service 'build'"), (3, 7, "service 'deploy'")],
        name="compose.yaml",
    )


@pytest.mark.parametrize(
    "item",
    [
        "/run/docker.sock:/var/run/docker.sock",
        "/var/run/docker.sock/:/sock",
        "//var/run/./docker.sock:/sock",
        "/run/user/1000/docker.sock:/var/run/docker.sock",
        "${XDG_RUNTIME_DIR}/docker.sock:/var/run/docker.sock",
        "${XDG_RUNTIME_DIR}:/run/user/1000",
        "/run/user/1000:/run/user/1000",
        "~/.docker/run/docker.sock:/var/run/docker.sock",
        "/var/run/docker.sock.raw:/var/run/docker.sock",
        "/run/containerd/containerd.sock:/run/containerd/containerd.sock",
        "/run/containerd:/run/containerd",
        "/run/podman/podman.sock:/var/run/docker.sock",
        "/var/run/crio/crio.sock:/var/run/crio/crio.sock",
        "/var/run:/var/run:ro",
        "/run:/host/run",
        "'\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine'",
    ],
)
def test_engine_sockets_and_their_folders(item: str) -> None:
    check(
        "DC101",
        f"""
        services:
          a:
            volumes:
              - {item}
        """,
        expect=[(4, 9)],
        name="compose.yaml",
    )


def test_named_pipe_long_syntax() -> None:
    check(
        "DC101",
        """
        services:
          a:
            volumes:
              - type: npipe
                source: \\\\.\\pipe\\docker_engine
                target: \\\\.\\pipe\\docker_engine
        """,
        expect=[(4, 9, "named pipe")],
        name="compose.yaml",
    )


def test_use_api_socket_points_at_the_key() -> None:
    check(
        "DC101",
        """
        services:
          agent:
            image: docker/ai-agent:latest
            use_api_socket: true
        """,
        expect=[(4, 5, "use_api_socket")],
        name="compose.yaml",
    )


@pytest.mark.parametrize(
    "item",
    [
        "dockersock:/var/run/docker.sock",  # a named volume, not the host's socket
        "./fake.sock:/var/run/docker.sock",  # only the target is named like the socket
        "/var/run/postgresql:/var/run/postgresql",
        "/run/secrets/token:/token:ro",
        "/var/lib/docker/volumes:/volumes:ro",  # DC104's business
        "/:/host",  # DC103's business
        "/runner:/runner",
    ],
)
def test_other_mounts_are_clean(item: str) -> None:
    check(
        "DC101",
        f"""
        services:
          a:
            volumes:
              - {item}
        volumes:
          dockersock:
        """,
        expect=[],
        name="compose.yaml",
    )


def test_use_api_socket_false_is_clean() -> None:
    check("DC101", "services:\n  a:\n    image: x\n    use_api_socket: false\n", expect=[], name="compose.yaml")


# -- a host side that comes from a variable (issue 12, C1) ----------------------------------


def test_variable_host_side_onto_the_socket_path_fires_and_says_so() -> None:
    got = check(
        "DC101",
        """
        services:
          watchtower:
            image: containrrr/watchtower:1.7.1
            volumes:
              - ${WATCHTOWER_DOCKER_SOCKET_PATH}:/var/run/docker.sock:ro
              - type: bind
                source: ${PODMAN_SOCK}
                target: /run/podman/podman.sock
        """,
        expect=[
            (
                5,
                9,
                ("mounts '${WATCHTOWER_DOCKER_SOCKET_PATH}' (a variable not in the scan) at '/var/run/docker.sock'"),
            ),
            (6, 9, "mounts '${PODMAN_SOCK}' (a variable not in the scan) at '/run/podman/podman.sock'"),
        ],
        name="compose.yaml",
    )
    assert got[0].message.endswith("at '/var/run/docker.sock'; ':ro' does not help")
    assert got[0].severity.value == "critical"


def test_variable_set_in_dotenv_is_judged_by_its_value() -> None:
    files = {
        "compose.yaml": "services:\n  w:\n    image: containrrr/watchtower:1.7.1\n    volumes:\n"
        "      - ${SOCK}:/var/run/docker.sock\n",
        ".env": "SOCK=/run/user/1000/docker.sock\n",
    }
    check("DC101", files, expect=[("compose.yaml", 5, 9, "the Docker socket '/run/user/1000/docker.sock'")])
    files[".env"] = "SOCK=./fake/docker-proxy.sock\n"  # known, and not an engine socket
    check("DC101", files, expect=[])


@pytest.mark.parametrize(
    "item",
    [
        "${DATA_DIR}:/var/lib/app",  # an unknown folder onto an ordinary path
        "${SOCK_DIR}:/var/run/app",  # not a socket name
        "${CERTS}:/certs/docker.sock.pem",  # the name only starts like the socket
    ],
)
def test_variable_host_side_elsewhere_is_clean(item: str) -> None:
    check("DC101", f"services:\n  a:\n    volumes:\n      - {item}\n", expect=[], name="compose.yaml")


def test_script_variable_host_side_onto_the_socket_path() -> None:
    check(
        "DC101",
        {
            "deploy.sh": """
        #!/bin/sh
        SOCK="${DOCKER_SOCK_PATH}"
        docker run -d --name watchtower \\
          -v "$SOCK:/var/run/docker.sock" \\
          containrrr/watchtower:1.7.1
        docker run -d -v "$DATA:/data" alpine:3.20 true
        """
        },
        expect=[("deploy.sh", 4, 6, "mounts '$SOCK' (a variable not in the scan) at '/var/run/docker.sock'")],
    )


def test_a_variable_folder_with_a_known_file_name_is_judged_by_the_name() -> None:
    check(
        "DC101",
        {
            "test.sh": 'docker run --rm -v "$PWD/test/fake-docker.sock:/var/run/docker.sock" app:ci\n'
            'docker run --rm -v "$XDG_RUNTIME_DIR/docker.sock:/var/run/docker.sock" app:ci\n'
        },
        expect=[("test.sh", 2, 20, "the Docker socket '$XDG_RUNTIME_DIR/docker.sock' (a rootless engine's)")],
    )
