"""DC111 seccomp-disabled."""

from __future__ import annotations

import pytest

from helpers import check


def test_points_at_the_item() -> None:
    check(
        "DC111",
        """
        services:
          chrome:
            image: browserless/chrome:1.61.1-puppeteer-21.4.1
            security_opt:
              - no-new-privileges:true
              - seccomp:unconfined
        """,
        expect=[(6, 9, "service 'chrome' disables seccomp ('seccomp:unconfined')")],
        name="compose.yaml",
    )


@pytest.mark.parametrize(
    "opt",
    [
        "seccomp:unconfined",
        "seccomp=unconfined",
        "SECCOMP=Unconfined",
        "seccomp = unconfined",
        '"${SECCOMP:-seccomp:unconfined}"',
    ],
)
def test_spellings(opt: str) -> None:
    check("DC111", f"services:\n  a:\n    security_opt:\n      - {opt}\n", expect=[(4, 9)], name="compose.yaml")


@pytest.mark.parametrize(
    "opt",
    [
        "seccomp:./chrome.json",
        "seccomp=/etc/docker/seccomp.json",
        "apparmor:unconfined",
        "no-new-privileges",
        "seccomp",
    ],
)
def test_other_options_are_clean(opt: str) -> None:
    check("DC111", f"services:\n  a:\n    security_opt:\n      - {opt}\n", expect=[], name="compose.yaml")
