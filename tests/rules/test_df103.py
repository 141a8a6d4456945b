"""DF103 remote-add."""

from __future__ import annotations

import pytest

from helpers import check

COMMIT = "5e8ddf1d1e3f3b5cbe1b0e0b2d6f6a2f1a7a8b9c"


def test_url_without_checksum_points_at_the_url() -> None:
    check(
        "DF103",
        """
        FROM debian:12-slim
        ADD https://example.com/releases/tool-1.2.3-linux-amd64.tar.gz /tmp/
        """,
        expect=[
            (
                2,
                5,
                (
                    "ADD downloads 'https://example.com/rele….2.3-linux-amd64.tar.gz' "
                    "without --checksum; add --checksum=sha256:<digest>"
                ),
            )
        ],
    )


def test_checksum_makes_it_clean() -> None:
    check(
        "DF103",
        """
        FROM debian:12-slim
        ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d \\
            https://example.com/releases/tool.tar.gz /tmp/
        """,
        expect=[],
    )
    check(
        "DF103",
        "FROM alpine:3.20\nARG TOOL_SHA256\nADD --checksum=sha256:${TOOL_SHA256} https://e.com/t /t\n",
        expect=[],
    )


def test_plain_http_is_said() -> None:
    check(
        "DF103", "FROM alpine:3.20\nADD http://example.com/install.sh /install.sh\n", expect=[(2, 5, "over plain HTTP")]
    )


def test_every_url_of_one_add() -> None:
    check(
        "DF103",
        "FROM alpine:3.20\nadd --chown=app https://a.example/x https://b.example/y /opt/\n",
        expect=[(2, 17), (2, 37)],
    )


def test_json_form() -> None:
    check("DF103", 'FROM alpine:3.20\nADD ["https://example.com/a b.txt", "/a.txt"]\n', expect=[(2, 6)])


def test_url_from_an_arg_default() -> None:
    check(
        "DF103",
        """
        ARG TOOL_URL=https://example.com/tool.tgz
        FROM alpine:3.20
        ARG TOOL_URL
        ADD ${TOOL_URL} /opt/
        """,
        expect=[(4, 5, "ADD downloads '${TOOL_URL}' (= 'https://example.com/tool.tgz')")],
    )
    check("DF103", "FROM alpine:3.20\nARG TOOL_URL\nADD ${TOOL_URL} /opt/\n", expect=[])


@pytest.mark.parametrize(
    "src",
    [
        "https://github.com/moby/buildkit.git#v0.12.0",
        "https://github.com/moby/buildkit.git",
        "git@github.com:moby/buildkit.git#master",
        "ssh://git@example.com/repo.git#main:subdir",
    ],
)
def test_git_at_a_movable_ref_fires(src: str) -> None:
    check("DF103", f"FROM alpine:3.20\nADD {src} /src\n", expect=[(2, 5, "at a ref that can move")])


@pytest.mark.parametrize(
    "src",
    [
        f"https://github.com/moby/buildkit.git#{COMMIT}",
        f"git@github.com:moby/buildkit.git#{COMMIT}:frontend",
        "https://github.com/moby/buildkit.git?tag=v0.21.1&checksum=66735c67",
    ],
)
def test_git_pinned_to_a_commit_is_clean(src: str) -> None:
    check("DF103", f"FROM alpine:3.20\nADD {src} /src\n", expect=[])
    check(
        "DF103",
        f"FROM alpine:3.20\nADD --checksum={COMMIT} https://github.com/moby/buildkit.git#v0.12.0 /src\n",
        expect=[],
    )


def test_local_sources_and_copy_are_not_this_rule() -> None:
    check("DF103", "FROM alpine:3.20\nADD rootfs.tar.gz /\nADD . /app\nCOPY --from=build /out /app\n", expect=[])
