"""DC103 host-root-mount."""

from __future__ import annotations

import pytest

from helpers import check


def test_root_bind_points_at_the_item() -> None:
    check(
        "DC103",
        """
        services:
          node-exporter:
            image: prom/node-exporter:v1.8.1
            volumes:
              - /proc:/host/proc:ro
              - /:/rootfs
        """,
        expect=[(6, 9, "mounts the host's root filesystem '/' at '/rootfs'")],
        name="compose.yaml",
    )


def test_read_only_root_still_fires() -> None:
    check(
        "DC103",
        "services:\n  a:\n    volumes:\n      - /:/host:ro\n",
        expect=[(4, 9, "mounts the host's root filesystem '/' at '/host' read-only")],
        name="compose.yaml",
    )


def test_long_syntax() -> None:
    check(
        "DC103",
        """
        services:
          a:
            volumes:
              - type: bind
                source: /
                target: /host
                read_only: true
        """,
        expect=[(4, 9)],
        name="compose.yaml",
    )


@pytest.mark.parametrize("item", ["//:/host", "/./:/host", "'${ROOT:-/}:/host'", "'C:\\:/host'", "/..:/host"])
def test_spellings_of_root(item: str) -> None:
    check("DC103", f"services:\n  a:\n    volumes:\n      - {item}\n", expect=[(4, 9)], name="compose.yaml")


@pytest.mark.parametrize("item", ["/srv:/srv", "./:/app", ".:/app", "~/:/home", "root:/data", "/opt/app:/"])
def test_other_mounts_are_clean(item: str) -> None:
    check(
        "DC103", f"services:\n  a:\n    volumes:\n      - {item}\nvolumes:\n  root:\n", expect=[], name="compose.yaml"
    )
