"""DC108 host-pid."""

from __future__ import annotations

import pytest

from helpers import check


def test_pid_host_points_at_the_value() -> None:
    check("DC108", """
        services:
          falco:
            image: falcosecurity/falco:0.38.1
            pid: host
        """, expect=[(4, 10, "service 'falco' shares the host's process namespace")], name="compose.yaml")


@pytest.mark.parametrize("value", ['"host"', "HOST", '"${PID_MODE:-host}"'])
def test_spellings(value: str) -> None:
    check("DC108", f"services:\n  a:\n    pid: {value}\n", expect=[(3, 10)], name="compose.yaml")


@pytest.mark.parametrize("value", ['"service:app"', '"container:abc"', "private", '"${PID_MODE}"'])
def test_other_values_are_clean(value: str) -> None:
    check("DC108", f"services:\n  a:\n    pid: {value}\n", expect=[], name="compose.yaml")
