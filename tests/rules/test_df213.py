"""DF213 npm-package-unpinned."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ("npm install -g typescript", 20, "for 'typescript'"),
        ("npm i -g @angular/cli@19.0.1 nodemon", 34, "for 'nodemon';"),
        ("npm install --global pnpm@latest", 26, "pnpm@latest"),
        ("npm add left-pad", 13, "npm add"),
    ],
)
def test_unpinned(run: str, col: int, part: str) -> None:
    check("DF213", f"FROM node:20-slim\nRUN {run}\n", expect=[(2, col, part)])


@pytest.mark.parametrize(
    "run",
    [
        "npm install",
        "npm ci --omit=dev",
        "npm install -g typescript@5.6.3 @angular/cli@^19.0.0",
        "npm install ./local-pkg /tmp/pkg.tgz",
        "npm install git+https://github.com/org/repo.git#v1.2.3",
        'npm install -g "$PKG"',
        "npm run build",
    ],
)
def test_clean(run: str) -> None:
    check("DF213", f"FROM node:20-slim\nRUN {run}\n", expect=[])
