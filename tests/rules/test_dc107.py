"""DC107 host-network."""

from __future__ import annotations

import pytest

from helpers import check


def test_network_mode_host_points_at_the_value() -> None:
    check(
        "DC107",
        """
        services:
          plex:
            image: plexinc/pms-docker:1.40.2.8395-c67dce28e
            network_mode: host
        """,
        expect=[(4, 19, "service 'plex' uses the host's network stack")],
        name="compose.yaml",
    )


@pytest.mark.parametrize("value", ['"host"', "'host'", '"${NET:-host}"'])
def test_spellings(value: str) -> None:
    check("DC107", f"services:\n  a:\n    network_mode: {value}\n", expect=[(3, 19)], name="compose.yaml")


def test_anchor() -> None:
    check(
        "DC107",
        """
        x-net: &net
          network_mode: host
        services:
          a:
            <<: *net
        """,
        expect=[(2, 17)],
        name="compose.yaml",
    )


@pytest.mark.parametrize("value", ["bridge", "none", '"service:vpn"', '"container:abc"', "hostnet", '"${NET}"'])
def test_other_values_are_clean(value: str) -> None:
    check("DC107", f"services:\n  a:\n    network_mode: {value}\n", expect=[], name="compose.yaml")


def test_networks_key_named_host_is_clean() -> None:
    check(
        "DC107",
        """
        services:
          a:
            networks: [host-net]
        networks:
          host-net:
        """,
        expect=[],
        name="compose.yaml",
    )


def test_the_setting_is_named_as_the_source_writes_it() -> None:
    check(
        "DC107",
        {"run.sh": "#!/bin/sh\ndocker run -d --network host nginx:1.27\n"},
        expect=[("run.sh", 2, 25, "(--network host)")],
    )
    check(
        "DC107",
        {"web.container": "[Container]\nImage=docker.io/library/nginx:1.27\nNetwork=host\n"},
        expect=[("web.container", 3, 9, "(Network=host)")],
    )
