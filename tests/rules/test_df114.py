"""DF114 password-set-in-build."""

from __future__ import annotations

import pytest
from helpers import check


@pytest.mark.parametrize(("run", "col", "part"), [
    ("echo 'root:toor' | chpasswd", 24, "chpasswd sets account passwords"),
    ('echo "app:${APP_PASSWORD}" | chpasswd -e', 34, "chpasswd"),
    ("echo 'app:secret' | sudo chpasswd", 30, "chpasswd"),
    ("echo secret | passwd --stdin app", 19, "passwd --stdin"),
    ("printf 'pw\\npw\\n' | passwd app", 25, "passwd is fed a password"),
    ("passwd app <<< $'pw\\npw'", 5, "passwd is fed"),
    ("passwd -d root", 5, "empty password"),
    ("usermod -p '$6$salt$hash' app", 5, "usermod -p"),
    ("usermod --password=\"$HASH\" app", 5, "usermod --password"),
    ('useradd -m -p "$(openssl passwd -1 secret)" app', 5, "useradd -p"),
    ("useradd -mp '' guest", 5, "useradd -p"),
])
def test_password_set(run: str, col: int, part: str) -> None:
    check("DF114", f"FROM ubuntu:24.04\nRUN {run}\n", expect=[(2, col, part)])


def test_across_lines_and_heredocs() -> None:
    check("DF114", """
        FROM ubuntu:24.04
        RUN useradd -m dev \\
            && echo 'dev:dev' \\
             | chpasswd
        RUN <<EOF
        set -e
        echo "root:${ROOT_PW}" | chpasswd
        EOF
        RUN passwd root <<EOF
        secret
        secret
        EOF
        """, expect=[(4, 8), (7, 26), (9, 5)])


@pytest.mark.parametrize("run", [
    "useradd -m -s /bin/bash app",
    "usermod -aG docker app",
    "usermod -p '*' app",
    "usermod -p '!' app",
    "passwd -l root",
    "passwd -e app",
    "passwd -S root",
    "adduser --disabled-password --gecos '' app",
    "grep root /etc/passwd",
    "echo 'passwd is not set here'",
    "openssl passwd -1 secret > /tmp/hash",
])
def test_clean(run: str) -> None:
    check("DF114", f"FROM ubuntu:24.04\nRUN {run}\n", expect=[])
