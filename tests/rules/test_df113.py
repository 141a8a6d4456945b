"""DF113 docker-socket-in-build."""

from __future__ import annotations

import pytest

from helpers import check


def test_volume_points_at_the_path() -> None:
    check(
        "DF113",
        "FROM docker:27-cli\nVOLUME /var/run/docker.sock\n",
        expect=[(2, 8, "VOLUME '/var/run/docker.sock' declares the engine socket docker.sock")],
    )


def test_volume_json_form_and_other_sockets() -> None:
    check("DF113", 'FROM alpine:3.20\nVOLUME ["/data", "/var/run/docker.sock"]\n', expect=[(2, 18)])
    check(
        "DF113",
        "FROM alpine:3.20\nVOLUME /data /run/containerd/containerd.sock /run/podman/podman.sock\n",
        expect=[(2, 14, "containerd.sock"), (2, 46, "podman.sock")],
    )
    check(
        "DF113",
        "FROM alpine:3.20\nARG SOCK=/run/docker.sock\nVOLUME ${SOCK}\n",
        expect=[(3, 8, "(= '/run/docker.sock')")],
    )


@pytest.mark.parametrize(
    "volume", ["/var/run", "/var/lib/docker", "/data", "/var/run/docker", "/home/app/docker.sock.d"]
)
def test_other_volumes_are_clean(volume: str) -> None:
    check("DF113", f"FROM alpine:3.20\nVOLUME {volume}\n", expect=[])


def test_run_mount_points_at_the_flag() -> None:
    check(
        "DF113",
        """
        FROM docker:27-cli
        RUN --mount=type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock docker build -t app .
        """,
        expect=[(2, 5, "RUN --mount source='/var/run/docker.sock' mounts the engine socket")],
    )
    check(
        "DF113",
        "FROM docker:27-cli\nRUN --mount=src=/tmp/d,dst=/run/docker.sock docker ps\n",
        expect=[(2, 5, "target='/run/docker.sock'")],
    )
    check(
        "DF113", 'FROM docker:27-cli\nRUN --mount="type=bind,target=/var/run/docker.sock" docker ps\n', expect=[(2, 5)]
    )


def test_other_mounts_are_clean() -> None:
    check(
        "DF113",
        """
        FROM python:3.12
        RUN --mount=type=cache,target=/root/.cache/pip --mount=type=secret,id=token pip install -r req.txt
        RUN --mount=type=bind,source=docker,target=/src/docker make
        """,
        expect=[],
    )
