"""DF217 pipe-without-pipefail."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ("curl -fsSL https://example.com/x.tgz | tar -xz -C /opt", 5, "curl is piped into tar"),
        ("wget -qO- https://example.com/install.sh | sh", 5, "wget is piped into sh"),
        ("set -e; curl -fsSL https://example.com/key | gpg --dearmor -o /usr/share/keyrings/x.gpg", 13, "gpg"),
        ('VERSION="$(curl -fsSL https://example.com/latest | jq -r .tag)"', 16, "curl is piped into jq"),
        ("curl -fsSL https://example.com/x.gz | gunzip | tar -x", 5, "curl is piped into tar"),
    ],
)
def test_download_piped(run: str, col: int, part: str) -> None:
    check("DF217", f"FROM debian:12\nRUN {run}\n", expect=[(2, col, part)])


@pytest.mark.parametrize(
    "run",
    [
        "set -o pipefail && curl -fsSL https://example.com/x.tgz | tar -xz",
        "set -euxo pipefail; curl -fsSL https://example.com/x.tgz | tar -xz",
        "bash -o pipefail -c 'curl -fsSL https://example.com/x.tgz | tar -xz'",
        "curl -fsSL https://example.com/SHA256SUMS | grep x.tgz | sha256sum -c -",
        "curl -fsSL https://example.com/versions | grep -q 1.2.3",
        "curl -fsSL https://example.com/versions | head -n 1",
        "find / -xdev -name '*.pyc' | xargs rm -f",
        'echo "$SHA  x.tgz" | sha256sum -c -',
        "curl -fsSLo /tmp/x.tgz https://example.com/x.tgz && tar -xzf /tmp/x.tgz",
        'curl -H "X-A: 1;2" -fsSLo x https://example.com/x || true',
    ],
)
def test_clean(run: str) -> None:
    check("DF217", f"FROM debian:12\nRUN {run}\n", expect=[])


def test_shell_with_pipefail_and_inheritance() -> None:
    check(
        "DF217",
        """
        FROM debian:12 AS base
        SHELL ["/bin/bash", "-o", "pipefail", "-c"]
        RUN curl -fsSL https://example.com/x.tgz | tar -xz
        FROM base
        RUN curl -fsSL https://example.com/y.tgz | tar -xz
        FROM debian:12
        SHELL ["/bin/bash", "-c"]
        RUN curl -fsSL https://example.com/z.tgz | tar -xz
        """,
        expect=[(8, 5, "shell /bin/bash")],
    )


def test_once_per_run_and_in_heredocs() -> None:
    check(
        "DF217",
        """
        FROM debian:12
        RUN curl -fsSL https://a.example/x | sh && curl -fsSL https://b.example/y | sh
        RUN <<EOF
        set -e
        wget -qO- https://example.com/install.sh | bash
        EOF
        """,
        expect=[(2, 5), (5, 1)],
    )


def test_non_posix_shell() -> None:
    check(
        "DF217",
        """
        FROM mcr.microsoft.com/windows/servercore:ltsc2022
        SHELL ["powershell", "-Command"]
        RUN curl.exe -fsSL https://example.com/x.zip | Out-File x.zip
        """,
        expect=[],
    )
