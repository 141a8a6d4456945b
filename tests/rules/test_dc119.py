"""DC119 no-resource-limits (off by default)."""

from __future__ import annotations

import pytest

from helpers import check, lint


def test_points_at_the_service_name_and_lists_what_is_missing() -> None:
    check(
        "DC119",
        """
        services:
          web:
            image: nginx:1.27.0
            mem_limit: 256m
          worker:
            image: example/worker:2.1.0
        """,
        expect=[
            (2, 3, "service 'web' has no process-count or CPU limit (set pids_limit, cpus"),
            (5, 3, "no memory, process-count or CPU limit"),
        ],
        name="compose.yaml",
    )


def test_all_limits_is_clean() -> None:
    check(
        "DC119",
        """
        services:
          a:
            mem_limit: 512m
            pids_limit: 200
            cpus: "1.5"
          b:
            deploy:
              resources:
                limits: {memory: 1g, pids: 100, cpus: "0.5"}
          c:
            mem_limit: 1g
            pids_limit: 100
            cpu_shares: 512
          d:
            mem_limit: ${MEM:-1g}
            pids_limit: ${PIDS}
            cpu_quota: 50000
        """,
        expect=[],
        name="compose.yaml",
    )


@pytest.mark.parametrize(
    ("key", "value", "missing"),
    [
        ("pids_limit", "-1", "process-count"),
        ("pids_limit", "0", "process-count"),
        ("mem_limit", "0", "memory"),
        ("cpus", '"0"', "CPU"),
    ],
)
def test_unlimited_values_count_as_missing(key: str, value: str, missing: str) -> None:
    limits = {"mem_limit": "1g", "pids_limit": "100", "cpus": '"1"', key: value}
    body = "".join(f"    {k}: {v}\n" for k, v in limits.items())
    check("DC119", f"services:\n  a:\n{body}", expect=[(2, 3, f"has no {missing} limit")], name="compose.yaml")


def test_off_by_default() -> None:
    result = lint("services:\n  a:\n    image: nginx:1.27.0\n", name="compose.yaml")
    assert not [f for f in result.findings if f.rule_id == "DC119"]
    result = lint("services:\n  a:\n    image: nginx:1.27.0\n", name="compose.yaml", select=["DC"])
    assert not [f for f in result.findings if f.rule_id == "DC119"]


# -- issue 12 (fx5): the hint in the syntax of the file the container comes from ------------


@pytest.mark.parametrize(
    ("files", "where", "hint"),
    [
        (
            {"run.sh": "#!/bin/sh\ndocker run -d --name web nginx:1.27\n"},
            ("run.sh", 2, 1),
            "(add --memory, --pids-limit, --cpus)",
        ),
        (
            {".devcontainer/devcontainer.json": '{"name": "Go", "image": "mcr.microsoft.com/devcontainers/go:1"}\n'},
            (".devcontainer/devcontainer.json", 1, 10),
            '(add --memory, --pids-limit, --cpus to "runArgs")',
        ),
        (
            {
                ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
                "    container:\n      image: node:20\n    steps:\n      - run: echo\n"
            },
            (".github/workflows/ci.yml", 5, 5),
            "(add --memory, --pids-limit, --cpus)",  # in 'options:' (the label says a job container)
        ),
        # podman-systemd.unit(5): PidsLimit= is a Quadlet key; memory and CPU go in PodmanArgs=.
        (
            {"web.container": "[Container]\nImage=docker.io/library/nginx:1.27\n"},
            ("web.container", 1, 1),
            "(set PidsLimit=, PodmanArgs=--memory --cpus)",
        ),
    ],
)
def test_the_hint_is_written_as_the_source_writes_it(files, where, hint) -> None:
    (got,) = check("DC119", files, expect=[(*where, hint)])
    assert "mem_limit" not in got.message and "deploy.resources" not in got.message


def test_a_quadlet_pids_limit_counts() -> None:
    # quadlet.go turns PidsLimit= into podman run --pids-limit.
    unit = "[Container]\nImage=docker.io/library/nginx:1.27\nPidsLimit=200\n"
    check("DC119", {"web.container": unit}, expect=[("web.container", 1, 1, "has no memory or CPU limit")])
