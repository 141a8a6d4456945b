"""DF209 rpm-without-yes."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ("yum install httpd", 9, "use yum -y install"),
        ("dnf install httpd", 9, "use dnf -y install"),
        ("yum groupinstall 'Development Tools'", 9, "yum groupinstall"),
        ("dnf --setopt=install_weak_deps=False install httpd", 42, "dnf install"),
        ("yum group install 'Development Tools'", 9, "yum group"),
        ("zypper install curl", 12, "zypper --non-interactive install"),
        ("zypper in curl", 12, "zypper in"),
    ],
)
def test_no_answer(run: str, col: int, part: str) -> None:
    check("DF209", f"FROM rockylinux:9\nRUN {run}\n", expect=[(2, col, part)])


@pytest.mark.parametrize(
    "run",
    [
        "yum install -y httpd",
        "yum -y install httpd",
        "dnf install --assumeyes httpd",
        "dnf --setopt=assumeyes=1 install httpd",
        "microdnf install httpd",
        "zypper --non-interactive install curl",
        "zypper -n in curl",
        "zypper install -y curl",
        "zypper in --no-confirm curl",
        "yum clean all",
        "yum makecache",
        "yum group list",
        "yes | yum install httpd",
    ],
)
def test_clean(run: str) -> None:
    check("DF209", f"FROM rockylinux:9\nRUN {run}\n", expect=[])
