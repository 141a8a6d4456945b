"""DF210 rpm-cache-not-cleaned."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ("yum install -y httpd", 5, "end the same RUN with yum clean all"),
        ("dnf -y install httpd && dnf -y update", 5, "dnf clean all"),
        ("microdnf install -y httpd", 5, "microdnf clean all"),
        ("zypper -n install curl", 5, "zypper clean --all"),
        ("yum clean all && yum install -y httpd", 22, "/var/cache/yum"),
    ],
)
def test_cache_kept(run: str, col: int, part: str) -> None:
    check("DF210", f"FROM rockylinux:9\nRUN {run}\n", expect=[(2, col, part)])


@pytest.mark.parametrize(
    "run",
    [
        "yum install -y httpd && yum clean all",
        "dnf install -y httpd && dnf clean all && rm -rf /var/cache/dnf",
        "dnf install -y httpd && rm -rf /var/cache/dnf",
        "yum install -y httpd && rm -rf /var/cache/yum /var/cache/dnf",
        "microdnf install -y httpd && microdnf clean all",
        "zypper -n install curl && zypper clean --all",
        "zypper -n in curl && zypper cc -a",
        "yum makecache",
        "yum remove -y httpd",
    ],
)
def test_clean(run: str) -> None:
    check("DF210", f"FROM rockylinux:9\nRUN {run}\n", expect=[])


def test_cache_mount_and_build_stages() -> None:
    check(
        "DF210",
        """
        FROM rockylinux:9 AS build
        RUN dnf install -y gcc && make
        FROM rockylinux:9
        RUN --mount=type=cache,target=/var/cache/dnf dnf install -y httpd
        COPY --from=build /out /usr/local/bin/
        """,
        expect=[],
    )
