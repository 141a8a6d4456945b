"""knowledge/commands.py: one description of the commands the rules read."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerlint.knowledge import commands
from dockerlint.knowledge.commands import (
    COMMANDS,
    CURL,
    WGET,
    downloads_to_stdout,
    operands,
    options,
    split_operands,
    split_options,
)
from dockerlint.models.shell import Command
from dockerlint.parsers.shell import TextLocator, parse

SRC = Path(__file__).resolve().parents[1] / "src" / "dockerlint"


def _command(text: str) -> Command:
    script = parse(text, TextLocator("run.sh", text))
    return next(iter(script.walk())).command


def test_curl_value_options_come_from_curls_option_table() -> None:
    # curl's src/tool_getparam.c: ARG_STRG/ARG_FILE options take a value, ARG_BOOL ones do not.
    for name in ("--output", "--data-urlencode", "--proxy-header", "--output-dir", "--etag-save", "--json"):
        assert name in CURL.long_with_value
    for name in ("--insecure", "--remote-name", "--location", "--fail", "--silent", "--compressed"):
        assert name not in CURL.long_with_value
    assert set("oOkfsSL") & set(CURL.short_with_value) == {"o"}


def test_wget_value_options_come_from_wgets_option_data() -> None:
    for name in ("--output-document", "--post-data", "--execute", "--header", "--ca-certificate"):
        assert name in WGET.long_with_value
    for name in ("--no-check-certificate", "--quiet", "--continue", "--spider"):
        assert name not in WGET.long_with_value
    assert "O" in WGET.short_with_value and "n" in WGET.short_with_value  # -nv: -n with the value "v"
    assert "q" not in WGET.short_with_value and "c" not in WGET.short_with_value


def test_package_manager_tables_follow_their_manuals() -> None:
    apt, apk = COMMANDS["apt-get"], COMMANDS["apk"]
    assert set(apt.short_with_value) == set("octaP")  # apt-get(8); -q is a count
    assert "U" not in apk.short_with_value and "t" in apk.short_with_value  # apk(8): -U --update-cache
    assert COMMANDS["apt"] is apt and COMMANDS["dnf"] is COMMANDS["yum"] is COMMANDS["microdnf"]


def test_one_copy_of_the_download_tool_tables() -> None:
    """The curl/wget tables live in knowledge/commands.py only (issue 13: DF104 and DF105 had
    diverging copies)."""
    for path in (SRC / "rules").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert CURL.short_with_value not in text, path
        assert WGET.short_with_value.replace("n", "") not in text, path
        assert '"--output-document", "--output-file"' not in text, path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("curl -fsSL https://x", True),
        ("curl -o - https://x", True),
        ("curl -o /dev/stdout https://x", True),
        ("curl -o /tmp/x https://x", False),
        ("curl -fsSLo/tmp/x https://x", False),
        ("curl -O https://x/a", False),
        ("curl --remote-name-all https://x/a", False),
        ("curl --output-dir /tmp -o - https://x", True),
        ("wget https://x/a", False),
        ("wget -qO- https://x", True),
        ("wget -q -O /tmp/a https://x", False),
        ("wget --output-document=- https://x", True),
        ("wget -nv -O- https://x", True),
        ("fetch -o - https://x", True),
        ("fetch --output - https://x", True),
        ("fetch https://x/a", False),
        ("tar xz -f -", False),
    ],
)
def test_downloads_to_stdout(text: str, expected: bool) -> None:
    assert downloads_to_stdout(_command(text)) is expected


def test_options_and_operands_of_a_command() -> None:
    cmd = _command("curl -fsSLo /tmp/a --retry 3 -H 'X: y' https://x/a -k -- -notanoption")
    assert [(o.name, o.value) for o in options(cmd)] == [
        ("-f", None),
        ("-s", None),
        ("-S", None),
        ("-L", None),
        ("-o", "/tmp/a"),
        ("--retry", "3"),
        ("-H", "X: y"),
        ("-k", None),
    ]
    assert [w.text for w in operands(cmd)] == ["https://x/a", "-notanoption"]
    o = options(cmd)[4]
    assert o.word.text == "-fsSLo" and o.value_word is not None and o.value_word.text == "/tmp/a"


def test_unknown_commands_have_flags_only() -> None:
    cmd = _command("frob -x 1 --y 2 z")
    assert [(o.name, o.value) for o in options(cmd)] == [("-x", None), ("--y", None)]
    assert [w.text for w in operands(cmd)] == ["1", "2", "z"]
    assert [w.text for w in operands(cmd, commands.OptionSpec("x", frozenset({"--y"})))] == ["z"]


def test_word_level_splitters() -> None:
    cmd = _command("apk add -t .deps --no-cache curl")
    assert [w.text for w in split_operands(cmd.args, "t")] == ["add", "curl"]
    assert [(o.name, o.value) for o in split_options(cmd.args, "t")] == [("-t", ".deps"), ("--no-cache", None)]
    assert [w.text for w in split_operands(cmd.args)] == ["add", ".deps", "curl"]


def test_account_and_file_tools_follow_their_manuals() -> None:
    useradd, usermod = COMMANDS["useradd"], COMMANDS["usermod"]
    assert "l" not in useradd.short_with_value and "U" not in useradd.short_with_value  # useradd(8)
    assert "--btrfs-subvolume-home" not in useradd.long_with_value
    assert "l" in usermod.short_with_value and "--login" in usermod.long_with_value  # usermod(8)
    assert "r" not in usermod.short_with_value  # --remove
    for tool in ("mkdir", "install"):  # coreutils: -Z is a flag, --context=CTX attached only
        assert "Z" not in COMMANDS[tool].short_with_value and "--context" not in COMMANDS[tool].long_with_value
