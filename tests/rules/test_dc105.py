"""DC105 explicit-root-user."""

from __future__ import annotations

import pytest

from helpers import check


def test_user_root_points_at_the_value() -> None:
    check(
        "DC105",
        """
        services:
          app:
            image: node:20-alpine
            user: root
        """,
        expect=[(4, 11, "service 'app' runs as root (user 'root'), overriding the image's USER")],
        name="compose.yaml",
    )


@pytest.mark.parametrize("value", ["0", '"0"', "0:0", '"0:0"', "root:root", "root:1000", '"00"', "'root'"])
def test_root_spellings(value: str) -> None:
    check("DC105", f"services:\n  a:\n    user: {value}\n", expect=[(3, 11)], name="compose.yaml")


def test_root_by_interpolation_default() -> None:
    check(
        "DC105",
        'services:\n  a:\n    user: "${APP_UID:-0}:${APP_GID:-0}"\n',
        expect=[(3, 11, "user '0:0', from '${APP_UID:-0}:${APP_GID:-0}'")],
        name="compose.yaml",
    )


@pytest.mark.parametrize("value", ["1000", "1000:0", "app", "nobody:nogroup", "rootless", '"${UID}"', "'10:0'"])
def test_non_root_is_clean(value: str) -> None:
    check("DC105", f"services:\n  a:\n    user: {value}\n", expect=[], name="compose.yaml")


def test_no_user_is_clean() -> None:
    check("DC105", "services:\n  a:\n    image: nginx:1.27\n", expect=[], name="compose.yaml")
