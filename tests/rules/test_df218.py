"""DF218 bin-sh-replaced."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ("ln -sf /bin/bash /bin/sh", 22, "ln /bin/bash /bin/sh replaces"),
        ("ln -s -f bash /usr/bin/sh", 19, 'SHELL ["bash", "-c"]'),
        ("cp /bin/bash /bin/sh", 18, "cp /bin/bash /bin/sh"),
        ("rm /bin/sh && ln -sv /bin/bash /bin/sh", 36, "ln /bin/bash"),
    ],
)
def test_replaced(run: str, col: int, part: str) -> None:
    check("DF218", f"FROM debian:12\nRUN {run}\n", expect=[(2, col, part)])


@pytest.mark.parametrize(
    "run",
    [
        "ln -sf /bin/bash /usr/local/bin/sh-compat",
        "ln /bin/bash /bin/sh",
        "ln -sf /bin/sh /usr/local/bin/mysh",
        "cp /bin/sh /tmp/sh.bak",
        "echo 'ln -sf /bin/bash /bin/sh'",
    ],
)
def test_clean(run: str) -> None:
    check("DF218", f"FROM debian:12\nRUN {run}\n", expect=[])
