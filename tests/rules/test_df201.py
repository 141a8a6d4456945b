"""DF201 apt-package-unpinned."""

from __future__ import annotations

import pytest

from helpers import check


def test_points_at_the_first_unpinned_package_and_names_the_others() -> None:
    check(
        "DF201",
        """
        FROM debian:12
        RUN apt-get update && apt-get install -y --no-install-recommends \\
                ca-certificates=20230311 \\
                curl \\
                git \\
            && rm -rf /var/lib/apt/lists/*
        """,
        expect=[(4, 9, "without a version for 'curl', 'git'; pin them")],
    )


@pytest.mark.parametrize(
    ("run", "col"),
    [
        ("apt-get install -y curl", 24),
        ("apt-get -y install --no-install-recommends curl", 48),
        ("DEBIAN_FRONTEND=noninteractive apt-get install -qq -y curl", 59),
        ("apt install -y curl", 20),
        ("sudo apt-get install -y -t bookworm-backports curl", 51),
        ('sh -c "apt-get install -y curl"', 31),
    ],
)
def test_unpinned(run: str, col: int) -> None:
    check("DF201", f"FROM debian:12\nRUN {run}\n", expect=[(2, col)])


def test_one_finding_per_install_command_in_heredocs_and_exec_form() -> None:
    check(
        "DF201",
        """
        FROM debian:12
        RUN <<EOF
        apt-get update
        apt-get install -y curl
        apt-get install -y jq=1.6-2.1
        EOF
        RUN ["apt-get", "install", "-y", "make"]
        """,
        expect=[(4, 20), (7, 34)],
    )


@pytest.mark.parametrize(
    "run",
    [
        "apt-get install -y curl=7.88.1-10+deb12u5 git=1:2.39.2-1.1",
        'apt-get install -y "postgresql-$PG_MAJOR=$PG_VERSION"',
        "apt-get install -y curl=7.88*",
        "apt-get install -y curl/bookworm-backports",
        "apt-get install -y ./vendor/tool_1.2_amd64.deb /tmp/x.deb",
        "apt-get install -y --no-install-recommends $PKGS",
        'apt-get install -y "$fetchDeps"',
        "apt-get install -y -s curl",
        "apt-get install --download-only -y curl",
        "apt-get update",
        "apt-get install -y build-essential && make && apt-get purge -y build-essential",
        "apt-get install -y gcc make && make && apt-get remove -y gcc make",
    ],
)
def test_clean(run: str) -> None:
    check("DF201", f"FROM debian:12\nRUN {run}\n", expect=[])


def test_build_dependencies_removed_by_the_apt_mark_idiom() -> None:
    check(
        "DF201",
        """
        FROM debian:12
        RUN set -eux; \\
            savedAptMark="$(apt-mark showmanual)"; \\
            apt-get update; \\
            apt-get install -y --no-install-recommends gcc libc6-dev make; \\
            make -C /usr/src/app install; \\
            apt-mark auto '.*' > /dev/null; \\
            [ -z "$savedAptMark" ] || apt-mark manual $savedAptMark; \\
            apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \\
            rm -rf /var/lib/apt/lists/*
        """,
        expect=[],
    )


def test_an_install_after_the_idiom_still_counts() -> None:
    check(
        "DF201",
        """
        FROM debian:12
        RUN apt-get install -y gcc && apt-mark auto '.*' && apt-get purge -y --auto-remove \\
            && apt-get install -y tini
        """,
        expect=[(3, 27, "tini")],
    )


def test_only_the_packages_not_removed_again() -> None:
    check(
        "DF201",
        "FROM debian:12\nRUN apt-get install -y gcc curl && apt-get purge -y gcc\n",
        expect=[(2, 28, "for 'curl';")],
    )
