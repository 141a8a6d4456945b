"""DC102 privileged-container."""

from __future__ import annotations

import pytest

from helpers import check


def test_privileged_points_at_the_key() -> None:
    check(
        "DC102",
        """
        services:
          dind:
            image: docker:27-dind
            privileged: true
        """,
        expect=[(4, 5, "service 'dind' runs privileged")],
        name="compose.yaml",
    )


def test_dind_message_suggests_alternatives() -> None:
    check(
        "DC102",
        "services:\n  d:\n    image: docker:dind\n    privileged: true\n",
        expect=[(4, 5, "Docker-in-Docker")],
        name="compose.yaml",
    )


@pytest.mark.parametrize("value", ['"true"', "'True'", "yes", "on", '"${PRIVILEGED:-true}"'])
def test_string_and_yaml11_truths(value: str) -> None:
    check("DC102", f"services:\n  a:\n    image: x\n    privileged: {value}\n", expect=[(4, 5)], name="compose.yaml")


def test_build_privileged_points_at_its_key() -> None:
    check(
        "DC102",
        """
        services:
          app:
            build:
              context: .
              privileged: true
        """,
        expect=[(5, 7, "build.privileged")],
        name="compose.yaml",
    )


def test_merged_privileged_points_at_the_anchor() -> None:
    check(
        "DC102",
        """
        x-priv: &priv
          privileged: true
        services:
          a:
            <<: *priv
            image: alpine:3.20
        """,
        expect=[(2, 3)],
        name="compose.yaml",
    )


@pytest.mark.parametrize("value", ["false", '"false"', "no", '"${PRIVILEGED}"'])
def test_false_and_unknown_are_clean(value: str) -> None:
    check("DC102", f"services:\n  a:\n    image: x\n    privileged: {value}\n", expect=[], name="compose.yaml")


def test_no_privileged_is_clean() -> None:
    check(
        "DC102",
        "services:\n  a:\n    image: x\n    build: {context: ., privileged: false}\n",
        expect=[],
        name="compose.yaml",
    )
