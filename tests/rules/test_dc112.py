"""DC112 mac-confinement-disabled."""

from __future__ import annotations

import pytest

from helpers import check


def test_each_item() -> None:
    check(
        "DC112",
        """
        services:
          builder:
            image: moby/buildkit:v0.15.0-rootless
            security_opt:
              - apparmor:unconfined
              - seccomp:unconfined
              - systempaths=unconfined
        """,
        expect=[(5, 9, "AppArmor"), (7, 9, "'systempaths=unconfined': kernel paths unmasked, /proc/sys writable")],
        name="compose.yaml",
    )


@pytest.mark.parametrize(
    "opt",
    [
        "apparmor=unconfined",
        "APPARMOR:UNCONFINED",
        "label:disable",
        "label=disable",
        "label=type:spc_t",
        "label:type:unconfined_t",
        "systempaths:unconfined",
    ],
)
def test_spellings(opt: str) -> None:
    check("DC112", f"services:\n  a:\n    security_opt:\n      - {opt}\n", expect=[(4, 9)], name="compose.yaml")


@pytest.mark.parametrize(
    "opt",
    [
        "apparmor:docker-default",
        "apparmor=my-profile",
        "label=level:s0:c100,c200",
        "label:type:container_t",
        "label=user:system_u",
        "seccomp:unconfined",
    ],
)
def test_other_options_are_clean(opt: str) -> None:
    check("DC112", f"services:\n  a:\n    security_opt:\n      - {opt}\n", expect=[], name="compose.yaml")
