"""DC121 shared-mount-propagation."""

from __future__ import annotations

import pytest

from helpers import check


def test_short_syntax_points_at_the_item() -> None:
    check(
        "DC121",
        """
        services:
          csi:
            image: example/csi-node:1.9.0
            volumes:
              - /var/lib/app:/var/lib/app:rshared
              - /mnt:/mnt:rslave
        """,
        expect=[(5, 9, "mounts '/var/lib/app' with 'rshared' propagation")],
        name="compose.yaml",
    )


def test_long_syntax_points_at_the_value() -> None:
    check(
        "DC121",
        """
        services:
          a:
            volumes:
              - type: bind
                source: /mnt/data
                target: /data
                bind:
                  propagation: shared
        """,
        expect=[(8, 24, "mounts '/mnt/data' with 'shared' propagation")],
        name="compose.yaml",
    )


@pytest.mark.parametrize("opt", ["ro,rshared", "shared", "z,shared"])
def test_with_other_options(opt: str) -> None:
    check("DC121", f"services:\n  a:\n    volumes:\n      - /mnt:/mnt:{opt}\n", expect=[(4, 9)], name="compose.yaml")


@pytest.mark.parametrize("opt", ["rslave", "slave", "private", "rprivate", "ro", "z"])
def test_other_propagation_is_clean(opt: str) -> None:
    check("DC121", f"services:\n  a:\n    volumes:\n      - /mnt:/mnt:{opt}\n", expect=[], name="compose.yaml")
