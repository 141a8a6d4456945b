"""DF225 copy-to-file-with-many-sources."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("instruction", "col", "part"),
    [
        ("COPY package.json package-lock.json /app", 37, "COPY of 2 sources to '/app', which does not end with /"),
        ("ADD a.txt b.txt c.txt /data", 23, "ADD of 3 sources"),
        ('COPY ["a.txt", "b.txt", "/data"]', 25, "'/data', which does not end with /"),
    ],
)
def test_many_sources(instruction: str, col: int, part: str) -> None:
    check("DF225", f"FROM debian:12\n{instruction}\n", expect=[(2, col, part)])


@pytest.mark.parametrize(
    "instruction",
    [
        "COPY package.json package-lock.json /app/",
        "COPY package.json package-lock.json ./",
        "COPY package.json package-lock.json .",
        "COPY package.json /app/package.json",
        "COPY --from=build /a /b /out/",
        "COPY a b $DEST",
    ],
)
def test_clean(instruction: str) -> None:
    check("DF225", f"FROM debian:12\n{instruction}\n", expect=[])
