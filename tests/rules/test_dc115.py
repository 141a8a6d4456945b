"""DC115 other-host-namespace."""

from __future__ import annotations

import pytest

from helpers import check


def test_uts_is_medium_and_cgroup_high() -> None:
    got = check(
        "DC115",
        """
        services:
          node:
            image: rancher/k3s:v1.30.2-k3s1
            uts: host
            cgroup: host
        """,
        expect=[(4, 10, "UTS namespace"), (5, 13, "cgroup namespace")],
        name="compose.yaml",
    )
    assert [f.severity.value for f in got] == ["medium", "high"]


@pytest.mark.parametrize("text", ["uts: private", "cgroup: private", 'uts: "${UTS}"', "pid: host"])
def test_other_values_are_clean(text: str) -> None:
    check("DC115", f"services:\n  a:\n    {text}\n", expect=[], name="compose.yaml")


def test_interpolation_default() -> None:
    check(
        "DC115",
        'services:\n  a:\n    cgroup: "${CGROUPNS:-host}"\n',
        expect=[(3, 13, "(cgroup 'host', from '${CGROUPNS:-host}')")],
        name="compose.yaml",
    )
