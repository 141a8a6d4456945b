"""DF212 pip-cache-kept."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col"),
    [
        ("pip install flask==3.0.3", 5),
        ("pip3 install -r requirements.txt", 5),
        ("python3 -m pip install -r requirements.txt", 5),
        ("set -eux; pip install --upgrade pip==24.0", 15),
    ],
)
def test_cache_kept(run: str, col: int) -> None:
    check("DF212", f"FROM python:3.12-slim\nRUN {run}\n", expect=[(2, col, "--no-cache-dir")])


@pytest.mark.parametrize(
    "run",
    [
        "pip install --no-cache-dir -r requirements.txt",
        "pip --no-cache-dir install -r requirements.txt",
        "PIP_NO_CACHE_DIR=1 pip install -r requirements.txt",
        "export PIP_NO_CACHE_DIR=1 && pip install -r requirements.txt",
        "pip install -r requirements.txt && rm -rf /root/.cache",
        "pip install -r requirements.txt && rm -rf ~/.cache/pip",
        "pip install -r requirements.txt && pip cache purge",
        "--mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt",
        "pip download -r requirements.txt",
    ],
)
def test_clean(run: str) -> None:
    check("DF212", f"FROM python:3.12-slim\nRUN {run}\n", expect=[])


def test_env_and_build_stages() -> None:
    check(
        "DF212",
        """
        FROM python:3.12-slim AS build
        RUN pip wheel -w /wheels -r requirements.txt && pip install build==1.2.1
        FROM python:3.12-slim AS base
        ENV PIP_NO_CACHE_DIR=1
        FROM base
        COPY --from=build /wheels /wheels
        RUN pip install /wheels/*.whl
        """,
        expect=[],
    )
