"""DC113 no-new-privileges-not-set."""

from __future__ import annotations

import pytest

from helpers import check

COMPOSE = """
    services:
      web:
        image: nginx:1.27.0
      worker:
        image: example/worker:2.1.0
        security_opt:
          - no-new-privileges:true
    """


def test_missing_points_at_the_service_name() -> None:
    check(
        "DC113",
        COMPOSE,
        expect=[(2, 3, "service 'web' does not set security_opt 'no-new-privileges:true'")],
        name="compose.yaml",
    )


@pytest.mark.parametrize(
    "opt",
    [
        "no-new-privileges",
        "no-new-privileges:true",
        "no-new-privileges=true",
        "no-new-privileges=1",
        "NO-NEW-PRIVILEGES:TRUE",
        '"${NNP:-no-new-privileges:true}"',
    ],
)
def test_set_is_clean(opt: str) -> None:
    check("DC113", f"services:\n  a:\n    security_opt:\n      - {opt}\n", expect=[], name="compose.yaml")


@pytest.mark.parametrize("opt", ["no-new-privileges:false", "no-new-privileges=0", "no-new-privileges=F"])
def test_false_points_at_the_item(opt: str) -> None:
    check(
        "DC113",
        f"services:\n  a:\n    security_opt:\n      - label=disable\n      - {opt}\n",
        expect=[(5, 9, "turns no-new-privileges off")],
        name="compose.yaml",
    )


def test_the_last_occurrence_wins() -> None:
    check(
        "DC113",
        """
        services:
          a:
            security_opt: ["no-new-privileges:true", "no-new-privileges:false"]
          b:
            security_opt: ["no-new-privileges:false", "no-new-privileges"]
        """,
        expect=[(3, 46)],
        name="compose.yaml",
    )


def test_invalid_value_says_dockerd_refuses_it() -> None:
    check(
        "DC113",
        "services:\n  a:\n    security_opt: ['no-new-privileges:yes']\n",
        expect=[(3, 20, "not a boolean, so dockerd refuses to create the container")],
        name="compose.yaml",
    )


def test_daemon_default_in_the_scan_silences_it() -> None:
    check("DC113", {"compose.yaml": COMPOSE, "daemon.json": '{"no-new-privileges": true}\n'}, expect=[])


def test_daemon_without_the_default_keeps_it() -> None:
    check(
        "DC113",
        {"compose.yaml": COMPOSE, "daemon.json": '{"no-new-privileges": false}\n'},
        expect=[("compose.yaml", 2, 3)],
    )


def test_two_daemons_must_both_set_it() -> None:
    check(
        "DC113",
        {
            "compose.yaml": COMPOSE,
            "a/etc/docker/daemon.json": '{"no-new-privileges": true}\n',
            "b/etc/docker/daemon.json": '{"icc": false}\n',
        },
        expect=[("compose.yaml", 2, 3)],
    )


def test_privileged_container_is_still_reported() -> None:
    check("DC113", "services:\n  a:\n    privileged: true\n", expect=[(2, 3)], name="compose.yaml")


DEBIAN_UNIT = "[Service]\nEnvironmentFile=-/etc/default/docker\nExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS\n"


def test_daemon_flag_in_a_dropin_silences_it() -> None:
    check(
        "DC113",
        {
            "compose.yaml": COMPOSE,
            "lib/systemd/system/docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H fd://\n",
            "etc/systemd/system/docker.service.d/nnp.conf": "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H "
            "fd:// --no-new-privileges\n",
        },
        expect=[],
    )


def test_daemon_flag_in_docker_opts_silences_it() -> None:
    check(
        "DC113",
        {
            "compose.yaml": COMPOSE,
            "etc/default/docker": 'DOCKER_OPTS="--no-new-privileges"\n',
            "etc/systemd/system/docker.service": DEBIAN_UNIT,
        },
        expect=[],
    )
    check(
        "DC113",
        {
            "compose.yaml": COMPOSE,
            "etc/systemd/system/docker.service.d/opts.conf": "[Service]\n"
            'Environment="DOCKER_OPTS=--no-new-privileges=true"\n',
        },
        expect=[],
    )


def test_daemon_flag_hidden_in_an_unknown_variable_keeps_it() -> None:
    check(
        "DC113",
        {"compose.yaml": COMPOSE, "etc/systemd/system/docker.service": DEBIAN_UNIT},
        expect=[("compose.yaml", 2, 3)],
    )


def test_gitlab_service_containers_are_not_judged() -> None:
    """The GitLab runner creates `services:` containers: the file cannot set security_opt for them.
    The docker run line in the script can, and is reported."""
    files = {
        ".gitlab-ci.yml": (
            "build:\n  image: docker:27\n  services:\n    - name: docker:27-dind\n  variables:\n"
            '    DOCKER_HOST: tcp://docker:2376\n    DOCKER_TLS_VERIFY: "1"\n    DOCKER_CERT_PATH: /certs/client\n'
            "  script:\n    - docker run --rm alpine:3.20 true\n"
        )
    }
    for rule_id in ("DC113", "DC119", "DC120"):
        check(rule_id, files, expect=[(".gitlab-ci.yml", 10, 7)])


@pytest.mark.parametrize(
    "settings",
    [
        '"image": "mcr.microsoft.com/devcontainers/base:bookworm"',
        '"image": "mcr.microsoft.com/devcontainers/base:bookworm", "remoteUser": "vscode"',
        '"build": {"dockerfile": "Dockerfile"}, "runArgs": ["--cap-add=SYS_PTRACE"]',
        '"image": "debian:12", "securityOpt": ["no-new-privileges:false"]',
        '"image": "debian:12", "runArgs": ["--security-opt", "no-new-privileges=0"]',
    ],
)
def test_a_dev_container_is_not_asked_for_it(settings: str) -> None:
    """A dev container is the developer's workstation, whose user is meant to become root
    (passwordless sudo in the dev container images and the common-utils Feature, used by
    Features and lifecycle commands): no-new-privileges makes sudo refuse to run."""
    check("DC113", f'{{"name": "dev", {settings}}}\n', expect=[], name=".devcontainer/devcontainer.json")


def test_a_dev_container_value_dockerd_refuses_is_still_reported() -> None:
    text = '{\n  "image": "debian:12",\n  "securityOpt": ["no-new-privileges:yes"]\n}\n'
    check(
        "DC113",
        text,
        expect=[(3, 20, "'no-new-privileges:yes': not a boolean, so dockerd refuses")],
        name=".devcontainer/devcontainer.json",
    )


def test_a_command_line_is_told_its_flag() -> None:
    (got,) = check(
        "DC113",
        {"run.sh": "#!/bin/sh\ndocker run -d nginx:1.27\n"},
        expect=[("run.sh", 2, 1, "docker run does not set --security-opt no-new-privileges")],
    )
    assert "security_opt" not in got.message
