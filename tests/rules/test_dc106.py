"""DC106 host-user-namespace."""

from __future__ import annotations

import pytest

from helpers import check


def test_userns_host_points_at_the_value() -> None:
    check("DC106", """
        services:
          buildkit:
            image: moby/buildkit:v0.15.0
            userns_mode: host
        """, expect=[(4, 18, "service 'buildkit' sets userns_mode 'host'")], name="compose.yaml")


@pytest.mark.parametrize("value", ['"host"', "'HOST'", '"${USERNS:-host}"'])
def test_spellings(value: str) -> None:
    check("DC106", f"services:\n  a:\n    userns_mode: {value}\n", expect=[(3, 18)], name="compose.yaml")


def test_anchor() -> None:
    check("DC106", """
        x-ns: &ns
          userns_mode: host
        services:
          a:
            <<: *ns
        """, expect=[(2, 16)], name="compose.yaml")


@pytest.mark.parametrize("value", ['""', "private", "keep-id", '"${USERNS}"'])
def test_other_values_are_clean(value: str) -> None:
    check("DC106", f"services:\n  a:\n    userns_mode: {value}\n", expect=[], name="compose.yaml")
