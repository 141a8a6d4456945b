"""DF115 and the DF2xx hygiene rules: messages stay short and safe on hostile values.

docs/messages.md: a message names the values it is about through ``api.quote`` (escaped,
elided, credentials masked) and fits in 140 characters; the why is on the rule page. These
cases give every rule values far longer than a line, so a message that printed them whole, or
that lost its fix and still ran over, would show.
"""

from __future__ import annotations

import pytest

from helpers import check, findings

LONG = "x" * 300
HOSTILE = f"""\
FROM --platform=linux/amd64{LONG} debian:12 AS stage{LONG}
RUN true
FROM debian:12 AS stage{LONG}
RUN apt-get update && apt-get install -y pkg-a{LONG} pkg-b{LONG} pkg-c{LONG} pkg-d pkg-e
RUN apt upgrade-{LONG}
RUN apk add pkg{LONG} other
RUN pip install pkg{LONG} other && npm install -g pkg{LONG} other
RUN useradd -u 1000000000000000000000000000 bob
RUN cd /srv/{LONG} && make
RUN curl -fsSL https://example.com/x | bash{LONG}
RUN ln -s /bin/bash{LONG} /bin/sh
COPY a b /dest{LONG}
EXPOSE 80 {LONG}
CMD app --name {LONG}
"""
RULES = [
    "DF115",
    "DF201",
    "DF202",
    "DF203",
    "DF206",
    "DF207",
    "DF208",
    "DF211",
    "DF212",
    "DF213",
    "DF215",
    "DF216",
    "DF217",
    "DF218",
    "DF219",
    "DF222",
    "DF225",
    "DF226",
]


@pytest.mark.parametrize("rule_id", RULES)
def test_long_values_are_elided_and_the_message_fits(rule_id: str) -> None:
    got = findings(rule_id, HOSTILE)
    assert got, rule_id
    for f in got:
        assert len(f.message) <= 140, f.message
        assert "x" * 60 not in f.message, f.message


def test_the_fix_goes_when_a_value_leaves_no_room_for_it() -> None:
    got = check("DF115", HOSTILE, expect=[(3, 6, "; add one (or HEALTHCHECK NONE)")])
    assert "\u2026" in got[0].message


def test_many_packages_are_counted_not_listed() -> None:
    packages = " ".join(f"package-number-{k}" for k in range(12))
    got = check(
        "DF201",
        f"FROM debian:12\nRUN apt-get install -y {packages}\n",
        expect=[(2, 24, "'package-number-0', 'package-number-1'")],
    )
    assert len(got[0].message) <= 140
    assert got[0].message.endswith(" more; pin them (name=version)"), got[0].message
    assert "'package-number-11'" not in got[0].message


def test_a_uid_beyond_any_real_one_is_not_printed_in_full() -> None:
    got = check("DF215", HOSTILE, expect=[(8, 16, "over a terabyte")])
    assert "1000000000000000000000000000" not in got[0].message


def test_a_password_in_a_shell_form_cmd_is_masked() -> None:
    got = check(
        "DF219",
        "FROM debian:12\nCMD app postgres://u:S3cretPassw0rdZ@db\n",
        expect=[(2, 5, "'app postgres://u:********@db'")],
    )
    assert "S3cretPassw0rdZ" not in got[0].message


def test_control_characters_in_a_value_are_escaped() -> None:
    got = check("DF216", 'FROM debian:12\nRUN cd "/app\x1b[2J" && make\n', expect=[(2, 5, "\\x1b[2J")])
    assert "\x1b" not in got[0].message
    got = check("DF225", "FROM debian:12\nCOPY a b /dest\u202e\n", expect=[(2, 10, "'/dest\\u202e'")])
    assert "\u202e" not in got[0].message


def test_an_odd_subcommand_is_quoted_and_the_fix_kept_short() -> None:
    got = check("DF206", "FROM ubuntu:24.04\nRUN apt 'in stall'\n", expect=[(2, 5, "apt 'in stall' in a build")])
    assert got[0].message.endswith("; use apt-get 'in stall' (apt-cache for queries)")


@pytest.mark.parametrize(
    ("rule_id", "dockerfile"),
    [
        ("DF220", f"FROM debian:12\nWORKDIR app{LONG}\n"),
        ("DF221", f"FROM debian:12\nMAINTAINER Jane{LONG}\n"),
        ("DF224", f"FROM debian:12 AS b{LONG}\nCOPY --from=b{LONG} /a /b\n"),
        ("DF227", f"FROM debian:12\nEXPOSE 80/h{LONG}\nEXPOSE 8{LONG}\n"),
    ],
)
def test_the_group_rules_that_fitted_quote_long_values_too(rule_id: str, dockerfile: str) -> None:
    got = findings(rule_id, dockerfile)
    assert got, rule_id
    for f in got:
        assert len(f.message) <= 200 and "x" * 60 not in f.message, f.message


@pytest.mark.parametrize(
    ("rule_id", "dockerfile"),
    [
        ("DF209", "FROM opensuse/leap:15.6\nRUN zypper source-install apache2\n"),
        ("DF215", "FROM debian:12\nRUN adduser --uid 3000000000 bob\n"),
        ("DF219", "FROM debian:12\nENTRYPOINT /usr/local/bin/docker-entrypoint-wrapper.sh start\n"),
        ("DF219", "FROM debian:12\nCMD /usr/local/bin/docker-entrypoint-wrapper.sh start --all\n"),
    ],
)
def test_the_longest_fixed_words_still_fit(rule_id: str, dockerfile: str) -> None:
    got = findings(rule_id, dockerfile)
    assert got, rule_id
    for f in got:
        assert len(f.message) <= 140, f.message
