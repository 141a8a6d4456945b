"""DF223 repeated-cmd-entrypoint-healthcheck."""

from __future__ import annotations

from helpers import check


def test_overridden_instructions() -> None:
    check(
        "DF223",
        """
        FROM nginx:1.27
        HEALTHCHECK CMD curl -f http://localhost/ || exit 1
        ENTRYPOINT ["/docker-entrypoint.sh"]
        CMD ["nginx"]
        HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1
        CMD ["nginx", "-g", "daemon off;"]
        ENTRYPOINT ["/entrypoint.sh"]
        """,
        expect=[
            (2, 1, "overridden by the HEALTHCHECK on line 5"),
            (3, 1, "ENTRYPOINT on line 7"),
            (4, 1, "CMD on line 6"),
        ],
    )


def test_one_per_stage_is_fine() -> None:
    check(
        "DF223",
        """
        FROM golang:1.23 AS build
        CMD ["go", "test"]
        FROM debian:12
        CMD ["app"]
        ONBUILD CMD ["other"]
        ENTRYPOINT ["tini", "--"]
        HEALTHCHECK NONE
        """,
        expect=[],
    )
