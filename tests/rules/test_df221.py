"""DF221 maintainer-deprecated."""

from __future__ import annotations

from helpers import check, lint


def test_maintainer() -> None:
    check(
        "DF221",
        """
        FROM debian:12
        MAINTAINER Jane Doe <jane@example.com>
        maintainer "Bob"
        """,
        expect=[(2, 1, 'LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"'), (3, 1)],
    )


def test_label_is_clean() -> None:
    check("DF221", 'FROM debian:12\nLABEL org.opencontainers.image.authors="Jane Doe"\n', expect=[])


def test_fix_only_without_quotes() -> None:
    result = lint('FROM debian:12\nMAINTAINER Jane Doe <jane@example.com>\nMAINTAINER "Bob"\n', select=["DF221"])
    plain, quoted = [f for f in result.findings if f.rule_id == "DF221"]
    assert plain.fix is not None
    assert [e.replacement for e in plain.fix.edits] == [
        'LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"'
    ]
    assert (plain.fix.edits[0].span.col, plain.fix.edits[0].span.end_col) == (1, 39)
    assert quoted.fix is None
