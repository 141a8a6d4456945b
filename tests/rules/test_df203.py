"""DF203 apt-lists-not-removed."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col"),
    [
        ("apt-get update && apt-get install -y --no-install-recommends curl", 5),
        ("apt-get update", 5),
        ("set -eux; apt update; apt install -y curl", 15),
        ("rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y curl", 36),
        ("apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/partial", 5),
    ],
)
def test_lists_left_in_the_layer(run: str, col: int) -> None:
    check("DF203", f"FROM debian:12\nRUN {run}\n", expect=[(2, col, "/var/lib/apt/lists")])


@pytest.mark.parametrize(
    "run",
    [
        "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
        "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists",
        'apt-get update && apt-get install -y curl && rm -rf "/var/lib/apt/lists"/*',
        "apt-get update; apt-get install -y curl; apt-get dist-clean",
        "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt",
        "apt-get install -y curl",
    ],
)
def test_clean(run: str) -> None:
    check("DF203", f"FROM debian:12\nRUN {run}\n", expect=[])


def test_cache_mount() -> None:
    check(
        "DF203",
        """
        FROM debian:12
        RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\
            --mount=type=cache,target=/var/cache/apt,sharing=locked \\
            apt-get update && apt-get install -y curl
        """,
        expect=[],
    )


def test_removal_in_a_later_run_is_too_late() -> None:
    check(
        "DF203",
        """
        FROM debian:12
        RUN apt-get update && apt-get install -y curl
        RUN rm -rf /var/lib/apt/lists/*
        """,
        expect=[(2, 5)],
    )


def test_only_stages_that_ship() -> None:
    check(
        "DF203",
        """
        FROM debian:12 AS build
        RUN apt-get update && apt-get install -y gcc && make
        FROM debian:12 AS base
        RUN apt-get update && apt-get install -y curl
        FROM base AS final
        COPY --from=build /out /usr/local/bin/
        FROM debian:12 AS test
        RUN apt-get update && apt-get install -y bats
        FROM final
        """,
        expect=[(4, 5), (8, 5)],
    )
