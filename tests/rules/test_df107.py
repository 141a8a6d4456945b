"""DF107 sudo-in-build."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ("sudo apt-get update", 5, "sudo runs apt-get"),
        ("sudo -E -u app make install", 5, "sudo runs make"),
        ("curl -fsSL https://x/i.sh | sudo -E bash -", 33, "sudo runs bash"),
        ("env DEBIAN_FRONTEND=noninteractive sudo apt-get install -y git", 40, "sudo runs apt-get"),
        ("/usr/bin/sudo chown app /srv", 5, "sudo runs chown"),
        ("sudo -i", 5, "sudo runs a shell"),
        ('echo "uid: $(sudo id -u)"', 18, "sudo runs id"),
        ("sh -c 'sudo make install'", 12, "sudo runs make"),
        ("xargs -a pkgs.txt sudo apt-get install -y", 23, "sudo runs apt-get"),
    ],
)
def test_sudo_runs_a_command(run: str, col: int, part: str) -> None:
    check("DF107", f"FROM ubuntu:24.04\nRUN {run}\n", expect=[(2, col, part)])


def test_every_sudo_across_lines_heredocs_and_onbuild() -> None:
    check(
        "DF107",
        """
        FROM ubuntu:24.04
        USER app
        RUN sudo apt-get update \\
            && sudo apt-get install -y --no-install-recommends git
        RUN <<EOF
        set -e
        sudo make install
        EOF
        ONBUILD RUN sudo make
        """,
        expect=[(3, 5), (4, 8), (7, 1), (9, 13)],
    )


@pytest.mark.parametrize(
    "run",
    [
        "apt-get update && apt-get install -y sudo",
        "echo 'sudo rm -rf /' > /notes",
        "echo sudo",
        "command -v sudo || true",
        "visudo -c",
        "echo 'app ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/app",
        "gosu app make",
        "$SUDO make install",
    ],
)
def test_clean(run: str) -> None:
    check("DF107", f"FROM ubuntu:24.04\nRUN {run}\n", expect=[])
