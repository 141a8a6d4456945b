"""DC120 writable-root-filesystem (off by default)."""

from __future__ import annotations

from helpers import check, lint


def test_missing_points_at_the_name_and_false_at_the_key() -> None:
    check(
        "DC120",
        """
        services:
          web:
            image: nginx:1.27.0
          api:
            image: example/api:3.0.1
            read_only: false
          worker:
            image: example/worker:2.1.0
            read_only: true
        """,
        expect=[(2, 3, "does not set read_only: true"), (6, 5, "sets read_only: false")],
        name="compose.yaml",
    )


def test_string_true_is_clean() -> None:
    check("DC120", "services:\n  a:\n    read_only: 'true'\n", expect=[], name="compose.yaml")


def test_off_by_default() -> None:
    result = lint("services:\n  a:\n    image: nginx:1.27.0\n", name="compose.yaml", select=["DC"])
    assert not [f for f in result.findings if f.rule_id == "DC120"]
