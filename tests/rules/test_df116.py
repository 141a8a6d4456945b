"""DF116 passwordless-sudo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import check, lint_tree, write_tree


@pytest.mark.parametrize(
    ("text", "line", "col", "part"),
    [
        (
            (
                'RUN apt-get install -y sudo && useradd -m app \\\n && echo "app ALL=(ALL) NOPASSWD: ALL" > '
                "/etc/sudoers.d/app\n"
                "USER app"
            ),
            3,
            10,
            "USER 'app' gets passwordless sudo for ALL commands",
        ),
        (
            'RUN useradd -m dev && echo "dev ALL=(ALL) NOPASSWD:ALL" | tee /etc/sudoers.d/dev >/dev/null\nUSER dev',
            2,
            28,
            "in '/etc/sudoers.d/dev'",
        ),
        ("RUN printf '%s ALL=(ALL) NOPASSWD:ALL\\n' app > /etc/sudoers.d/app\nUSER app", 2, 12, "'app ALL=(ALL)"),
        (
            'RUN useradd -m app && echo "app ALL=(root) NOPASSWD: /bin/bash" >> /etc/sudoers\nUSER app',
            2,
            28,
            "for a shell (bash)",
        ),
        (
            'RUN useradd -m app && echo "app ALL=NOPASSWD: /usr/bin/vim /etc/hosts" >> /etc/sudoers\nUSER app',
            2,
            28,
            "writes any file (vim)",
        ),
        (
            'RUN useradd -m app && echo "app ALL=(ALL) NOPASSWD: /usr/bin/python3" >> /etc/sudoers\nUSER app',
            2,
            28,
            "an interpreter (python3)",
        ),
        (
            "RUN useradd -u 1001 -m app && echo 'app ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers\nUSER 1001:1001",
            2,
            36,
            "USER '1001:1001' gets passwordless sudo",
        ),
    ],
)
def test_passwordless_sudo_for_the_runtime_user(text: str, line: int, col: int, part: str) -> None:
    check("DF116", f"FROM ubuntu:24.04\n{text}\n", expect=[(line, col, part)])


def test_devcontainer_pattern_with_arg_defaults() -> None:
    check(
        "DF116",
        """
        FROM mcr.microsoft.com/devcontainers/base:bookworm
        ARG USERNAME=dev
        ARG USER_UID=1000
        RUN useradd --uid $USER_UID -m $USERNAME \\
            && echo $USERNAME ALL=\\(root\\) NOPASSWD:ALL > /etc/sudoers.d/$USERNAME \\
            && chmod 0440 /etc/sudoers.d/$USERNAME
        USER $USERNAME
        """,
        expect=[(5, 36, ("USER '$USERNAME' gets passwordless sudo for ALL commands: 'dev ALL=(root) NOPASSWD:ALL'"))],
    )


def test_an_unresolved_variable_matches_itself() -> None:
    check(
        "DF116",
        """
        FROM ubuntu:24.04
        ARG USER_NAME
        RUN echo -e "${USER_NAME}\\tALL=NOPASSWD: ALL" > "/etc/sudoers.d/build"
        USER ${USER_NAME}
        """,
        expect=[(3, 13, "USER '${USER_NAME}' gets passwordless sudo")],
    )


@pytest.mark.parametrize(
    "groups",
    [
        "usermod -aG sudo app",
        "useradd -m -G sudo,docker app",
        "adduser app sudo",
        "gpasswd -a app sudo",
    ],
)
def test_group_membership_when_the_group_has_nopasswd(groups: str) -> None:
    setup = "useradd -m app && " if not groups.startswith("useradd") else ""
    check(
        "DF116",
        f"FROM ubuntu:24.04\nRUN {setup}{groups} && echo '%sudo ALL=(ALL:ALL) NOPASSWD: ALL' "
        ">> /etc/sudoers\nUSER app\n",
        expect=[(2, 0 + len(f"RUN {setup}{groups} && echo ") + 1, "USER 'app' (group 'sudo') gets passwordless sudo")],
    )


# usermod(8): "-l, --login NEW_LOGIN: the name of the user will be changed from LOGIN to
# NEW_LOGIN"; the other changes of the same command apply to that account.
@pytest.mark.parametrize(
    "rename",
    [
        "useradd -m temp && usermod -l app -aG sudo temp",
        "useradd -m -G sudo temp && usermod --login app temp",
        "useradd -m -G sudo temp && usermod -l app -d /home/app -m temp",
    ],
)
def test_a_renamed_account_keeps_its_groups(rename: str) -> None:
    check(
        "DF116",
        f"FROM ubuntu:24.04\nRUN {rename} && echo '%sudo ALL=(ALL:ALL) NOPASSWD: ALL' >> /etc/sudoers\nUSER app\n",
        expect=[(2, len(f"RUN {rename} && echo ") + 1, "USER 'app' (group 'sudo') gets passwordless sudo")],
    )
    # the old name no longer exists: a rule for it does not apply to the runtime user
    check(
        "DF116",
        f"FROM ubuntu:24.04\nRUN {rename} && echo 'temp ALL=(ALL:ALL) NOPASSWD: ALL' >> /etc/sudoers\nUSER app\n",
        expect=[],
    )


def test_alpine_wheel_uncommented_with_sed() -> None:
    check(
        "DF116",
        """
        FROM alpine:3.20
        RUN apk add --no-cache sudo \\
            && adduser -D app && addgroup app wheel \\
            && sed -i 's/^# %wheel ALL=(ALL:ALL) NOPASSWD: ALL/%wheel ALL=(ALL:ALL) NOPASSWD: ALL/' /etc/sudoers
        USER app
        """,
        expect=[(4, 15, "'%wheel ALL=(ALL:ALL) NOPASSWD: ALL' in '/etc/sudoers'")],
    )


def test_heredocs_in_copy_and_run() -> None:
    check(
        "DF116",
        """
        # syntax=docker/dockerfile:1
        FROM debian:12
        RUN useradd -m app
        COPY <<EOF /etc/sudoers.d/app
        Defaults env_keep += "HOME"
        app ALL=(ALL) NOPASSWD: /usr/bin/apt-get
        EOF
        RUN cat <<EOF > /etc/sudoers.d/extra
        app ALL=(ALL) NOPASSWD: ALL
        EOF
        USER app
        """,
        expect=[(6, 1, "a package manager (apt-get)"), (9, 1, "ALL commands")],
    )


def test_a_copied_sudoers_file_of_the_tree_is_read() -> None:
    files = {
        "Dockerfile": "FROM centos:7\nRUN useradd -m dork\nADD sudoers /etc/sudoers\nUSER dork\n",
        "sudoers": "root ALL=(ALL) ALL\ndork ALL=(ALL) NOPASSWD: ALL\n",
    }
    check("DF116", files, expect=[(3, 5, "'dork ALL=(ALL) NOPASSWD: ALL' in '/etc/sudoers'")])
    files["sudoers"] = "root ALL=(ALL) ALL\ndork ALL=(ALL) ALL\n"
    check("DF116", files, expect=[])
    del files["sudoers"]  # not in the tree: nothing is known about it
    check("DF116", files, expect=[])


def test_a_copied_sudoers_link_out_of_the_tree_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "sudoers").write_text("app ALL=(ALL) NOPASSWD: ALL\n", encoding="utf-8")
    root = tmp_path / "repo"
    write_tree(
        root, {"Dockerfile": "FROM debian:12\nCOPY sudoers /etc/sudoers.d/app\nCOPY fifo /etc/sudoers.d/x\nUSER app\n"}
    )
    os.symlink(outside / "sudoers", root / "sudoers")
    os.mkfifo(root / "fifo")
    assert [f for f in lint_tree(root, select=["DF116"]).findings if f.rule_id == "DF116"] == []


@pytest.mark.parametrize(
    "text",
    [
        'RUN echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app',  # no USER: root, DF101's business
        'RUN echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app\nUSER root',
        'RUN echo "app ALL=(ALL) ALL" > /etc/sudoers.d/app\nUSER app',  # a password is asked
        'RUN echo "app ALL=(ALL) NOPASSWD: /usr/bin/mount, /usr/bin/umount" >> /etc/sudoers\nUSER app',
        'RUN echo "admin ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/admin\nUSER app',  # another user
        "RUN useradd -m app && usermod -aG sudo app\nUSER app",  # Debian's %sudo asks for a password
        'RUN echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app\nRUN rm -f /etc/sudoers.d/app\nUSER app',
        'RUN echo "# app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app\nUSER app',  # a comment
        'RUN echo "app ALL=(ALL) NOPASSWD: ALL" > /tmp/sudoers.example\nUSER app',  # not a sudoers file
    ],
)
def test_clean(text: str) -> None:
    check("DF116", f"FROM ubuntu:24.04\n{text}\n", expect=[])


def test_a_builder_stage_is_not_in_the_final_image() -> None:
    check(
        "DF116",
        """
        FROM ubuntu:24.04 AS build
        RUN useradd -m app && echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app
        USER app
        RUN make
        FROM ubuntu:24.04
        COPY --from=build /out /out
        USER nobody
        """,
        expect=[],
    )
    check(
        "DF116",
        """
        FROM ubuntu:24.04 AS base
        RUN useradd -m app && echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app
        FROM base
        USER app
        """,
        expect=[(2, 28)],
    )


def test_a_nonroot_base_image_user_counts_only_for_rules_naming_everyone() -> None:
    check(
        "DF116",
        "FROM jenkins/jenkins:lts-jdk17\nUSER root\n"
        "RUN echo 'ALL ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/all\nUSER jenkins\n",
        expect=[(3, 10, "gets passwordless sudo for ALL commands: 'ALL ALL=(ALL) NOPASSWD: ALL'")],
    )
