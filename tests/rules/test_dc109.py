"""DC109 host-ipc."""

from __future__ import annotations

import pytest

from helpers import check


def test_ipc_host_points_at_the_value() -> None:
    check(
        "DC109",
        """
        services:
          trainer:
            image: pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime
            ipc: host
        """,
        expect=[(4, 10, "service 'trainer' shares the host's IPC namespace")],
        name="compose.yaml",
    )


@pytest.mark.parametrize("value", ['"host"', '"${IPC:-host}"'])
def test_spellings(value: str) -> None:
    check("DC109", f"services:\n  a:\n    ipc: {value}\n", expect=[(3, 10)], name="compose.yaml")


@pytest.mark.parametrize("value", ["shareable", "private", "none", '"service:trainer"', '"container:abc"'])
def test_other_values_are_clean(value: str) -> None:
    check("DC109", f"services:\n  a:\n    ipc: {value}\n", expect=[], name="compose.yaml")
