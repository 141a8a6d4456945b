"""DF224 copy-from-own-stage."""

from __future__ import annotations

from helpers import check


def test_copy_from_itself() -> None:
    check(
        "DF224",
        """
        FROM golang:1.23 AS build
        COPY --from=build /src/go.mod /app/
        FROM debian:12
        COPY --from=1 /out /out
        COPY --from=BUILD /out/app /app
        """,
        expect=[(2, 6, "names the stage this COPY is in (stage 0, 'build')"), (4, 6, "stage 1")],
    )


def test_copy_from_other_stages_and_images() -> None:
    check(
        "DF224",
        """
        FROM golang:1.23 AS build
        COPY --from=0 /x /y
        FROM debian:12 AS final
        COPY --from=build /out/app /app
        COPY --from=docker.io/library/busybox:1.36 /bin/busybox /bin/
        """,
        expect=[(2, 6)],
    )
