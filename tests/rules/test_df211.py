"""DF211 pip-package-unpinned."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ("pip install flask", 17, "for 'flask'"),
        ("pip3 install --no-cache-dir flask==3.0.3 requests", 46, "for 'requests';"),
        ("python3 -m pip install -U pip setuptools wheel", 31, "for 'pip', 'setuptools', 'wheel';"),
        ("pip install 'uvicorn[standard]'", 17, "uvicorn[standard]"),
        ("pip install -r requirements.txt gunicorn", 37, "for 'gunicorn';"),
        ("pip install --target /opt/lib six", 35, "for 'six'"),
    ],
)
def test_unpinned(run: str, col: int, part: str) -> None:
    check("DF211", f"FROM python:3.12-slim\nRUN {run}\n", expect=[(2, col, part)])


@pytest.mark.parametrize(
    "run",
    [
        "pip install flask==3.0.3",
        "pip install 'flask>=3,<4' 'requests~=2.31'",
        "pip install -r requirements.txt",
        "pip install --requirement=requirements.txt",
        "pip install -c constraints.txt flask requests",
        "pip install .",
        "pip install -e .",
        "pip install ./src/mypkg",
        "pip install /wheels/mypkg-1.0-py3-none-any.whl",
        "pip install 'mypkg @ https://example.com/mypkg-1.0.tar.gz'",
        "pip install git+https://github.com/org/repo@v1.2.0",
        'pip install "$PIP_PACKAGES"',
        "pip install flask && pip uninstall -y flask",
        "pip download flask",
        "pipx install black",
    ],
)
def test_clean(run: str) -> None:
    check("DF211", f"FROM python:3.12-slim\nRUN {run}\n", expect=[])


def test_constraint_file_from_env() -> None:
    check(
        "DF211",
        """
        FROM python:3.12-slim
        ENV PIP_CONSTRAINT=/constraints.txt
        RUN pip install flask
        """,
        expect=[],
    )
