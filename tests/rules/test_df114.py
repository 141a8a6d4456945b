"""DF114 password-set-in-build."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ("echo 'root:toor' | chpasswd", 24, "chpasswd sets account passwords"),
        ('echo "app:${APP_PASSWORD}" | chpasswd -e', 34, "chpasswd"),
        ("echo 'app:secret' | sudo chpasswd", 30, "chpasswd"),
        ("echo secret | passwd --stdin app", 19, "passwd --stdin"),
        ("printf 'pw\\npw\\n' | passwd app", 25, "passwd is fed a password"),
        ("passwd app <<< $'pw\\npw'", 5, "passwd is fed"),
        ("passwd -d root", 5, "empty password"),
        ("usermod -p '$6$salt$hash' app", 5, "usermod -p"),
        ('usermod --password="$HASH" app', 5, "usermod --password"),
        ('useradd -m -p "$(openssl passwd -1 secret)" app', 5, "useradd -p"),
        ("useradd -mp '' guest", 5, "useradd -p"),
    ],
)
def test_password_set(run: str, col: int, part: str) -> None:
    check("DF114", f"FROM ubuntu:24.04\nRUN {run}\n", expect=[(2, col, part)])


def test_across_lines_and_heredocs() -> None:
    check(
        "DF114",
        """
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
        """,
        expect=[(4, 8), (7, 26), (9, 5)],
    )


@pytest.mark.parametrize(
    "run",
    [
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
    ],
)
def test_clean(run: str) -> None:
    check("DF114", f"FROM ubuntu:24.04\nRUN {run}\n", expect=[])


# -- issue 12 B2: a password generated during the build is not a known password -------------


@pytest.mark.parametrize(
    "run",
    [
        'echo "root:$(openssl rand -base64 32)" | chpasswd',
        'echo "app:$(head -c 24 /dev/urandom | base64)" | chpasswd',
        'PW=$(pwgen -s 20 1) && echo "root:$PW" | chpasswd',
        'export ROOT_PW="$(uuidgen)"; echo "root:${ROOT_PW}" | chpasswd',
        'P=$(openssl rand -hex 16) && Q="$P" && echo "app:$Q" | chpasswd',
        'echo "$(openssl rand -hex 12)" | passwd --stdin app',
        'usermod -p "$(openssl passwd -6 "$(openssl rand -hex 12)")" app',
        'echo "root:{{ root_password }}" | chpasswd',
    ],
)
def test_generated_passwords_do_not_fire(run: str) -> None:
    check("DF114", f"FROM ubuntu:24.04\nRUN {run}\n", expect=[])


@pytest.mark.parametrize(
    ("run", "col"),
    [
        ('PW=$(pwgen -s 20 1) && echo "root:$PW" | chpasswd && echo "$PW" > /root/password.txt', 46),
        ('echo "root:$(openssl rand -hex 8)" | tee /root/pw | chpasswd', 57),
        ("echo 'root:xxx' | chpasswd", 23),
        ('echo "root:$ROOT_PASSWORD" | chpasswd', 34),
        ('echo "root:" | chpasswd', 20),
    ],
)
def test_known_or_kept_passwords_still_fire(run: str, col: int) -> None:
    check("DF114", f"FROM ubuntu:24.04\nRUN {run}\n", expect=[(2, col)])


# -- the shared option tables (knowledge/commands.py) where DF114's merged copy was wrong ---------


@pytest.mark.parametrize(
    ("run", "part"),
    [
        # useradd(8): -l is --no-log-init, a flag (usermod's -l, --login NEW_LOGIN, takes a value;
        # one table for both read "-l -p HASH" as -l with the value "-p").
        ("useradd -l -p '$6$salt$hash' app", "useradd -p"),
        # usermod(8): -r is --remove, a flag.
        ("usermod -r -p '$6$salt$hash' app", "usermod -p"),
    ],
)
def test_useradd_and_usermod_read_with_their_own_manuals(run: str, part: str) -> None:
    check("DF114", f"FROM ubuntu:24.04\nRUN {run}\n", expect=[(2, 5, part)])


def test_usermod_login_takes_a_value() -> None:
    # usermod(8): -l NEW_LOGIN; "-p" right after it is the new login name, not a password option.
    check("DF114", "FROM ubuntu:24.04\nRUN usermod -l -p app\n", expect=[])
