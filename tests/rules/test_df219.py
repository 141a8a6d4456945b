"""DF219 cmd-shell-form."""

from __future__ import annotations

import pytest

from helpers import check, lint


@pytest.mark.parametrize(
    ("instruction", "col", "part"),
    [
        ("CMD node server.js", 5, "CMD 'node server.js' is in shell form: /bin/sh -c is PID 1"),
        ("ENTRYPOINT /usr/local/bin/app --serve", 12, "ignores the CMD and docker run arguments"),
        ("ENTRYPOINT exec /usr/local/bin/app", 12, "ENTRYPOINT 'exec /usr/local/bin/app'"),
        ('CMD ["sh", "-c", "node server.js"] \nCMD gunicorn app:app', 5, "CMD 'gunicorn app:app'"),
    ],
)
def test_shell_form(instruction: str, col: int, part: str) -> None:
    lines = instruction.count("\n")
    check("DF219", f"FROM node:20-slim\n{instruction}\n", expect=[(2 + lines, col, part)])


@pytest.mark.parametrize(
    "instruction",
    [
        'CMD ["node", "server.js"]',
        'ENTRYPOINT ["/usr/local/bin/app"]',
        "CMD exec node server.js",
        'CMD ["sh", "-c", "exec node server.js"]',
        "ONBUILD CMD node server.js",
    ],
)
def test_clean(instruction: str) -> None:
    check("DF219", f"FROM node:20-slim\n{instruction}\n", expect=[])


def test_build_stages_that_only_serve_copy_from() -> None:
    check(
        "DF219",
        """
        FROM golang:1.23 AS build
        CMD go test ./...
        FROM gcr.io/distroless/static-debian12
        COPY --from=build /out/app /app
        ENTRYPOINT ["/app"]
        """,
        expect=[],
    )


def test_fix_for_plain_words_only() -> None:
    result = lint("FROM node:20-slim\nCMD node server.js --port 8080\nENTRYPOINT $APP run\n", select=["DF219"])
    cmd, entrypoint = [f for f in result.findings if f.rule_id == "DF219"]
    assert cmd.fix is not None and cmd.fix.safe
    assert [e.replacement for e in cmd.fix.edits] == ['["node", "server.js", "--port", "8080"]']
    assert entrypoint.fix is None


def test_no_fix_for_entrypoint() -> None:
    # In JSON form the ENTRYPOINT would get the CMD as arguments: not the same program.
    result = lint("FROM node:20-slim\nENTRYPOINT /app/run.sh\n", select=["DF219"])
    (finding,) = [f for f in result.findings if f.rule_id == "DF219"]
    assert finding.fix is None
