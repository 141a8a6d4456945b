"""The shared credential model (rules/common/secrets.py) and the sudoers reader of DF116 stay
linear on hostile text: the scanned repository writes every value they read."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from dockerlint.rules.common.secrets import assess, secret_name, value_shape
from dockerlint.rules.image.df116 import _parse_rules, _substitute

N = 200_000


def _fast(fn: Callable[[], object], limit: float = 2.0) -> None:
    start = time.perf_counter()
    fn()
    assert time.perf_counter() - start < limit


@pytest.mark.parametrize(
    "value",
    [
        "x" * N + "!",
        "your_" + "a " * (N // 2) + "!",
        "a" * N + "://",
        "a-" * (N // 2) + "hereX",
        "a." * (N // 2) + "x",
        "{" + "a" * N,
        "x://u:" + "p" * N,
        "https://" * (N // 8),
        "AKIA" * (N // 4),
        "a:" * (N // 2),
    ],
)
def test_values_are_judged_in_linear_time(value: str) -> None:
    _fast(lambda: (assess(value, "DB_PASSWORD"), assess(value, "API_TOKEN"), value_shape(value)))


@pytest.mark.parametrize("name", ["A" * N, "a_" * (N // 2) + "PASSWORD", "aB" * (N // 2)])
def test_names_are_judged_in_linear_time(name: str) -> None:
    _fast(lambda: secret_name(name))


@pytest.mark.parametrize(
    "text",
    [
        "x," * (N // 2) + "y",
        "a " * (N // 2) + "= NOPASSWD: ALL",
        "u h = " + "NOPASSWD: " * (N // 10) + "ALL",
        "u h=" + " : h=x" * (N // 6),
        "u h=(" + "a" * N,
        "a b=" + "A:" * (N // 2),
    ],
)
def test_sudoers_text_is_read_in_linear_time(text: str) -> None:
    _fast(lambda: _parse_rules(text))


@pytest.mark.parametrize("text", ["${" * (N // 2), "}" + "${a" * (N // 3), "$" * N, "${a:-" * (N // 5)])
def test_variable_substitution_is_linear(text: str) -> None:
    _fast(lambda: _substitute(text, {"a": "b"}))


def test_url_passwords_are_found_where_they_are() -> None:
    assert value_shape("git clone https://ci:s3cretPW@git.example.com/a.git") == (
        "a URL with a password",
        "https://ci:********@git.example.com",
    )
    assert value_shape("line\n://u:p@h") is None  # no scheme before the '://'
    assert value_shape("https://user@example.com/") is None
