"""DF226 from-platform-hardcoded."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("line", "col"),
    [
        ("FROM --platform=linux/amd64 debian:12", 6),
        ("FROM --platform=linux/arm64/v8 golang:1.23 AS build", 6),
    ],
)
def test_fixed_platform(line: str, col: int) -> None:
    check("DF226", f"{line}\n", expect=[(1, col, "for that platform whatever the build targets")])


@pytest.mark.parametrize(
    "line",
    [
        "FROM --platform=$BUILDPLATFORM golang:1.23 AS build",
        "FROM --platform=${TARGETPLATFORM} debian:12",
        "FROM debian:12",
    ],
)
def test_clean(line: str) -> None:
    check("DF226", f"{line}\n", expect=[])
