"""DF108 world-writable-or-setuid."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint.rules.image import df108
from dockerlint.rules.image.df108 import judge, parse_mode
from helpers import check, findings


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ("chmod 777 /app", 11, "chmod 777 on '/app' makes files writable by every user"),
        ("chmod -R 0777 /data", 14, "writable by every user"),
        ("chmod 0777 -R /var/lib/mpd", 11, "on '/var/lib/mpd'"),
        ("chmod 666 /etc/app.conf", 11, "writable"),
        ("chmod 772 /srv", 11, "writable"),
        ("chmod o+w /srv", 11, "writable"),
        ("chmod -R a+rwX /srv", 14, "writable"),
        ("chmod ugo=rwx /srv", 11, "writable"),
        ("chmod u+rwx,o+rw /srv", 11, "writable"),
        ("chmod u+s /usr/local/bin/tool", 11, "sets the setuid bit"),
        ("chmod +s /usr/local/bin/nnp", 11, "setuid and setgid"),
        ("chmod 4755 /usr/local/bin/tool", 11, "setuid"),
        ("chmod 2755 /usr/local/bin/tool", 11, "sets the setgid bit"),
        ("chmod g+s /srv/shared", 11, "setgid"),
        ("chmod 6755 /usr/local/bin/tool", 11, "setuid and setgid"),
        ("chmod 5777 /usr/local/bin/tool", 11, "setuid"),
        ("mkdir -p -m 777 /shared", 17, "mkdir 777"),
        ("mkdir --mode=0777 /shared", 11, "mkdir 0777"),
        ("install -d -m 0777 /srv/cache", 19, "install 0777"),
        ("install -Dm4755 tool /usr/local/bin/tool", 13, "setuid"),
    ],
)
def test_modes(run: str, col: int, part: str) -> None:
    check("DF108", f"FROM debian:12\nRUN {run}\n", expect=[(2, col, part)])


def test_copy_and_add_chmod_flag_points_at_the_mode() -> None:
    check(
        "DF108",
        """
        FROM debian:12
        COPY --chmod=777 app/ /srv/app/
        COPY --chown=app --chmod=755 app/ /srv/app/
        ADD --chmod=u+s tool /usr/local/bin/tool
        COPY --chmod=1777 cache/ /srv/cache/
        """,
        expect=[(2, 14, "COPY --chmod=777"), (4, 13, "ADD --chmod=u+s sets the setuid bit")],
    )


def test_continuations_heredocs_and_exec_form() -> None:
    check(
        "DF108",
        """
        FROM debian:12
        RUN set -eux; \\
            mkdir -p /data; \\
            chmod \\
              -R 777 /data
        RUN <<EOF
        chmod 4755 /usr/local/bin/tool
        EOF
        RUN ["chmod", "666", "/etc/app.conf"]
        """,
        expect=[(5, 10), (7, 7), (9, 15)],
    )


@pytest.mark.parametrize(
    "run",
    [
        "chmod 1777 /tmp",
        'chmod 1777 "$GEM_HOME"',
        'chmod -R 1777 "$GOPATH"',
        "install --verbose --directory --owner postgres --group postgres --mode 3777 /var/run/postgresql",
        "chmod a+rwxt /shared",
        "chmod +w /srv/file",
        "chmod =rw /srv/file",
        "chmod -R g+w /srv",
        "chmod 755 /app && chmod 644 /etc/app.conf && chmod +x /entrypoint.sh",
        "chmod -R +rX .",
        "chmod a-w /srv/file",
        "chmod o-rwx /srv",
        'chmod "$MODE" /srv',
        "chmod --reference=/etc/hosts /srv/hosts",
        'tempDir="$(mktemp -d)" && chmod 777 "$tempDir" && make -C "$tempDir" && rm -rf "$tempDir"',
        "mkdir -m 700 /root/.ssh",
        "echo 'chmod 777 /x' > /notes",
    ],
)
def test_clean(run: str) -> None:
    check("DF108", f"FROM debian:12\nRUN {run}\n", expect=[])


@pytest.mark.parametrize(
    ("mode", "what"),
    [
        ("777", "writable"),
        ("0666", "writable"),
        ("1777", None),
        ("3777", None),
        ("755", None),
        ("u+s", "setuid"),
        ("g+s,o+w", "writable"),
        ("+t", None),
        ("go=", None),
        ("7777", "setuid"),
    ],
)
def test_judge(mode: str, what: str | None) -> None:
    parsed = parse_mode(mode)
    assert parsed is not None
    got = judge(parsed)
    assert (got is None) == (what is None) and (what is None or what in (got or ""))


def test_not_a_mode() -> None:
    assert parse_mode("rwx") is None and parse_mode("8888") is None and parse_mode("u+q") is None


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        # mkdir(1), install(1) (GNU coreutils): -Z is a flag and --context takes its value only
        # attached (--context=CTX); the copies DF108 had read the next word as their value.
        ("mkdir -Z -m 777 /shared", 17, "mkdir 777"),
        ("install --context -m 4755 tool /usr/local/bin/tool", 26, "setuid"),
    ],
)
def test_selinux_context_options_are_flags(run: str, col: int, part: str) -> None:
    check("DF108", f"FROM debian:12\nRUN {run}\n", expect=[(2, col, part)])


# -- the prefilter: the pattern it replaced, and the modes it must let through ------------------

# What DF108's prefilter searched the RUN text for until it was rewritten for speed: the
# specification of df108._mentions, which must find exactly what this finds.
_PREFILTER_PATTERN = re.compile(
    r"(?<=[\s=\"'m])(?:[0246]?[0-7]{2}[2367]|[24567][0-7]{3})(?![\w.])|(?:^|[\s,'\"=])[ugoa]*[+=][rwxXt]*[ws]"
)
_MODE_PIECES = st.sampled_from(
    [" ", "\t", "\n", "\x85", "\xa0", "=", "'", '"', ",", "m", "-m", ".", "_", "x", "8", "9", "-", "/"]
    + ["0", "1", "2", "3", "4", "5", "6", "7", "0777", "4755", "1777", "755", "12345", "2.7"]
    + ["u", "g", "o", "a", "+", "r", "w", "x", "X", "t", "s", "ugo", "a+rwx", "+s", "o+w", "u=rw"]
)


@given(st.lists(_MODE_PIECES, max_size=14).map("".join))
@settings(max_examples=3000, deadline=None)
def test_the_mode_prefilter_finds_what_its_pattern_found(text: str) -> None:
    assert df108._mentions(text) == (_PREFILTER_PATTERN.search(text) is not None)


@given(st.text(alphabet=" \t\n\x0b\x1c\x85\u2028=\"',m.ugoa+rwxXts_089-01234567", max_size=30))
@settings(max_examples=2000, deadline=None)
def test_the_mode_prefilter_finds_what_its_pattern_found_on_any_text(text: str) -> None:
    assert df108._mentions(text) == (_PREFILTER_PATTERN.search(text) is not None)


@pytest.mark.parametrize(
    "run",
    [
        "chmod 777 /a",
        "chmod\t0666 /a",
        "chmod 4755 /a",
        "chmod '2755' /a",
        'chmod "0777" /a',
        "chmod a+rwx,u+s /a",
        "chmod o+w /a",
        "chmod +s /a",
        "chmod =rws /a",
        "mkdir -m777 /a",
        "mkdir --mode=0777 /a",
        "install -Dm4755 t /a",
        "install -m 6755 t /a",
    ],
)
def test_the_rule_still_fires_on_every_mode_the_prefilter_must_pass(run: str) -> None:
    assert df108._mentions(run) and df108._mentions_tool(run)
    assert findings("DF108", {"Dockerfile": f"FROM debian:12\nRUN {run}\n"})
