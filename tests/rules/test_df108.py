"""DF108 world-writable-or-setuid."""

from __future__ import annotations

import pytest

from dockerlint.rules.image.df108 import judge, parse_mode
from helpers import check


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
