"""DC120 writable-root-filesystem (off by default)."""

from __future__ import annotations

from helpers import check, lint


def test_missing_points_at_the_name_and_false_at_the_key() -> None:
    check(
        "DC120",
        """
        services:
          web:
            image: nginx:1.27.0
          api:
            image: example/api:3.0.1
            read_only: false
          worker:
            image: example/worker:2.1.0
            read_only: true
        """,
        expect=[(2, 3, "does not set read_only: true"), (6, 5, "sets read_only: false")],
        name="compose.yaml",
    )


def test_string_true_is_clean() -> None:
    check("DC120", "services:\n  a:\n    read_only: 'true'\n", expect=[], name="compose.yaml")


def test_off_by_default() -> None:
    result = lint("services:\n  a:\n    image: nginx:1.27.0\n", name="compose.yaml", select=["DC"])
    assert not [f for f in result.findings if f.rule_id == "DC120"]


def test_each_source_is_told_its_own_setting() -> None:
    # docker run --read-only, Quadlet ReadOnly= (podman-systemd.unit(5)), a dev container's runArgs.
    check(
        "DC120",
        {"run.sh": "#!/bin/sh\ndocker run -d nginx:1.27\n"},
        expect=[("run.sh", 2, 1, "does not set --read-only")],
    )
    check(
        "DC120",
        {"run.sh": "#!/bin/sh\ndocker run -d --read-only=false nginx:1.27\n"},
        expect=[("run.sh", 2, 15, "sets --read-only=false")],
    )
    check(
        "DC120",
        {"web.container": "[Container]\nImage=docker.io/library/nginx:1.27\n"},
        expect=[("web.container", 1, 1, "does not set ReadOnly=true")],
    )
    check(
        "DC120",
        {".devcontainer/devcontainer.json": '{"image": "mcr.microsoft.com/devcontainers/go:1"}\n'},
        expect=[(".devcontainer/devcontainer.json", 1, 1, 'does not set --read-only in "runArgs"')],
    )
