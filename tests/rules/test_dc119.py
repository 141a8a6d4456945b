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
