"""Hostile and broken input: each case gives a clear finding (or is skipped), never a crash
or a hang, and never loses the findings of the other files in the run."""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from dockerlint.cli import main
from helpers import write_tree

BAD = "FROM debian:12\nRUN true\n"  # DF101: proves the rest of the run still happens


def run(tmp: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(tmp)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["--no-color", *args, "."])
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def lines_for(out: str, path: str) -> list[str]:
    return [ln for ln in out.splitlines() if ln.startswith(path + ":")]


def assert_other_file_still_linted(out: str) -> None:
    assert lines_for(out, "other/Dockerfile"), out


def _billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("services:\n  x:\n    image: nginx:1\n    command: *i")
    return "\n".join(lines) + "\n"


CASES = {
    "alias-bomb": ({"compose.yaml": _billion_laughs()}, "compose.yaml", "DC000", "alias"),
    "deep-flow-yaml": ({"compose.yaml": "services:\n  a:\n    x: " + "[" * 10000 + "]" * 10000 + "\n"},
                       "compose.yaml", "DC000", "nest"),
    "deep-block-yaml": ({"compose.yaml": "services:\n  a:\n" + "".join("  " * (i + 2) + f"k{i}:\n" for i in range(3000))},
                        "compose.yaml", "DC000", "nest"),
    "deep-json": ({"daemon.json": "[" * 10000 + "]" * 10000}, "daemon.json", "DD000", "nested"),
    "python-tag": ({"compose.yaml": "services:\n  a: !!python/object/apply:os.system ['echo pwned']\n"},
                   "compose.yaml", "DC000", "refused"),
    "duplicate-json-keys": ({"daemon.json": '{"debug": true, "debug": false}\n'}, "daemon.json", "DD000", "repeated"),
    "binary-dockerfile": ({"Dockerfile": b"\x7fELF\x02\x01\x01\x00\x00\x00"}, "Dockerfile", "DF000", "binary"),
    "invalid-utf8": ({"Dockerfile": b"FROM debian:12\nRUN echo \xff\xfe\n"}, "Dockerfile", "DF000", "UTF-8"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_gives_one_clear_finding(tmp_path, case):
    files, path, rule_id, words = CASES[case]
    write_tree(tmp_path, {**files, "other/Dockerfile": BAD})
    code, out, err = run(tmp_path)
    assert code == 1, (out, err)
    mine = [ln for ln in lines_for(out, path) if f" {rule_id} " in ln]
    assert len(mine) == 1 and f" {rule_id} error " in mine[0] and words.lower() in mine[0].lower(), mine
    assert "Traceback" not in err
    assert_other_file_still_linted(out)


@pytest.mark.parametrize(("data", "name"), [
    ("FROM alpine:3.20\nUSER 1000\n".encode("utf-16"), "utf-16-bom"),
    (b"\xef\xbb\xbfFROM alpine:3.20\nUSER 1000\n", "utf-8-bom"),
    (b"FROM alpine:3.20\r\nUSER 1000\r\n", "crlf"),
])
def test_encodings_and_line_endings_that_buildkit_accepts(tmp_path, data, name):
    write_tree(tmp_path, {"Dockerfile": data, "other/Dockerfile": BAD})
    code, out, _ = run(tmp_path)
    assert lines_for(out, "Dockerfile") == [], (name, out)
    assert_other_file_still_linted(out)


def test_crlf_positions_are_exact(tmp_path):
    write_tree(tmp_path, {"Dockerfile": b"FROM alpine:3.20\r\nUSER root\r\n"})
    _, out, _ = run(tmp_path)
    assert lines_for(out, "Dockerfile")[0].startswith("Dockerfile:2:6: DF101")


def test_extremely_long_line(tmp_path):
    write_tree(tmp_path, {"Dockerfile": "FROM alpine:3.20\nRUN echo " + "a" * 2_000_000 + "\nUSER root\n",
                          "other/Dockerfile": BAD})
    code, out, _ = run(tmp_path)
    assert lines_for(out, "Dockerfile")[0].startswith("Dockerfile:3:6: DF101")
    assert_other_file_still_linted(out)


def test_file_over_the_size_limit_is_reported_not_read(tmp_path):
    write_tree(tmp_path, {"Dockerfile": "FROM alpine:3.20\n" + "#" * 2000 + "\n", "other/Dockerfile": BAD})
    code, out, _ = run(tmp_path, "--max-file-size", "1000")
    mine = lines_for(out, "Dockerfile")
    assert len(mine) == 1 and "limit" in mine[0] and " DF000 " in mine[0]
    assert_other_file_still_linted(out)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_fifo_and_device_links_do_not_hang(tmp_path):
    os.mkfifo(tmp_path / "Dockerfile")
    (tmp_path / "sub").mkdir()
    os.symlink("/dev/zero", tmp_path / "sub" / "Dockerfile")
    write_tree(tmp_path, {"other/Dockerfile": BAD})
    code, out, _ = run(tmp_path)
    assert code == 1
    assert lines_for(out, "Dockerfile") == [] and lines_for(out, "sub/Dockerfile") == []
    assert_other_file_still_linted(out)


def test_symlink_loop_and_folder_named_like_a_file(tmp_path):
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    (tmp_path / "compose.yaml").mkdir()
    write_tree(tmp_path, {"other/Dockerfile": BAD})
    code, out, _ = run(tmp_path)
    assert code == 1
    assert_other_file_still_linted(out)


def test_unreadable_file(tmp_path, monkeypatch):
    """An I/O error reading one file: a DF000 finding for it, exit 2, the others linted.

    CI runs as root, which reads any file whatever its mode, so the error is injected
    at ``open`` for that one path."""
    write_tree(tmp_path, {"Dockerfile": BAD, "other/Dockerfile": BAD})
    import builtins

    real_open = builtins.open
    target = str(tmp_path / "Dockerfile")

    def failing_open(file, *a, **k):
        if os.fspath(file) == target:
            raise PermissionError(13, "Permission denied")
        return real_open(file, *a, **k)

    monkeypatch.setattr(builtins, "open", failing_open)
    code, out, _ = run(tmp_path)
    assert code == 2
    mine = lines_for(out, "Dockerfile")
    assert len(mine) == 1 and "DF000" in mine[0] and "Permission denied" in mine[0]
    assert_other_file_still_linted(out)
