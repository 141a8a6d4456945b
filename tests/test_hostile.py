"""Hostile and broken input: each case gives a clear finding (or is skipped), never a crash
or a hang, and never loses the findings of the other files in the run."""

from __future__ import annotations

import codecs
import io
import os
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from dockerlint.cli import main
from helpers import lint_tree, write_tree

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
    "deep-flow-yaml": (
        {"compose.yaml": "services:\n  a:\n    x: " + "[" * 10000 + "]" * 10000 + "\n"},
        "compose.yaml",
        "DC000",
        "nest",
    ),
    "deep-block-yaml": (
        {"compose.yaml": "services:\n  a:\n" + "".join("  " * (i + 2) + f"k{i}:\n" for i in range(3000))},
        "compose.yaml",
        "DC000",
        "nest",
    ),
    "deep-json": ({"daemon.json": "[" * 10000 + "]" * 10000}, "daemon.json", "DD000", "nested"),
    "python-tag": (
        {"compose.yaml": "services:\n  a: !!python/object/apply:os.system ['echo pwned']\n"},
        "compose.yaml",
        "DC000",
        "refused",
    ),
    "duplicate-json-keys": ({"daemon.json": '{"debug": true, "debug": false}\n'}, "daemon.json", "DD000", "repeated"),
    "binary-dockerfile": ({"Dockerfile": b"\x7fELF\x02\x01\x01\x00\x00\x00"}, "Dockerfile", "DF000", "binary"),
    "invalid-utf8": ({"Dockerfile": b"FROM debian:12\nRUN echo \xff\xfe\n"}, "Dockerfile", "DF000", "UTF-8"),
    "deep-flow-mapping-yaml": (
        {"compose.yaml": "services:\n  a:\n    x: " + "{a: " * 10000 + "1" + "}" * 10000 + "\n"},
        "compose.yaml",
        "DC000",
        "nest",
    ),
    "deep-json-objects": ({"daemon.json": '{"a":' * 10000 + "1" + "}" * 10000}, "daemon.json", "DD000", "nested"),
    # Under libyaml's own 1000 and over ours: the message names the option that raises it.
    "yaml-over-depth-limit": (
        {"compose.yaml": "services:\n  a:\n    x: " + "[" * 300 + "]" * 300 + "\n"},
        "compose.yaml",
        "DC000",
        "--max-depth",
    ),
    "json-over-depth-limit": (
        {"daemon.json": '{"a": ' + "[" * 300 + "]" * 300 + "}"},
        "daemon.json",
        "DD000",
        "--max-depth",
    ),
    "alias-bomb-in-merge-keys": (
        {
            "compose.yaml": "x: &x {a: 1, b: 2, c: 3, d: 4, e: 5, "
            "f: 6, g: 7, h: 8, i: 9, j: 10}\n"
            + "".join(f"x{i}: &x{i} [{', '.join([f'*x{i - 1}' if i else '*x'] * 10)}]\n" for i in range(6))
            + "services:\n  a:\n    <<: *x\n    image: nginx:1\n    labels: *x5\n"
        },
        "compose.yaml",
        "DC000",
        "--max-alias-expansion",
    ),
    "binary-compose": ({"compose.yaml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, "compose.yaml", "DC000", "binary"),
    "binary-daemon-json": ({"daemon.json": b"\x00\x01\x02{}"}, "daemon.json", "DD000", "binary"),
    "binary-unit": ({"docker.service": b"\x00[Service]\n"}, "docker.service", "DD000", "binary"),
    "invalid-utf8-compose": (
        {"compose.yaml": b"services:\n  a:\n    image: \xc3\x28\n"},
        "compose.yaml",
        "DC000",
        "line 3",
    ),
    "invalid-utf8-daemon-json": ({"daemon.json": b'{"debug": "\xff"}'}, "daemon.json", "DD000", "UTF-8"),
    "invalid-utf8-unit": (
        {"docker.service": b"[Service]\nExecStart=/usr/bin/dockerd \xe2\x82\n"},
        "docker.service",
        "DD000",
        "UTF-8",
    ),
    "truncated-utf16": (
        {"Dockerfile": "FROM alpine:3.20\n".encode("utf-16") + b"\x00"},
        "Dockerfile",
        "DF000",
        "UTF-16",
    ),
    "utf16-without-bom": ({"compose.yaml": "services: {}\n".encode("utf-16-le")}, "compose.yaml", "DC000", "binary"),
    "duplicate-yaml-keys": (
        {"compose.yaml": "services:\n  a:\n    image: x:1\n    image: y:1\n"},
        "compose.yaml",
        "DC000",
        "duplicate key",
    ),
    "duplicate-nested-json-keys": (
        {"daemon.json": '{"log-opts": {"max-size": "1m", "max-size": "2m"}}'},
        "daemon.json",
        None,
        "",
    ),
    "nul-after-8k": ({"Dockerfile": "FROM alpine:3.20\n" + "#" * 9000 + "\nRUN echo \x00\n"}, "Dockerfile", None, ""),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_gives_one_clear_finding(tmp_path, case):
    files, path, rule_id, words = CASES[case]
    write_tree(tmp_path, {**files, "other/Dockerfile": BAD})
    code, out, err = run(tmp_path)
    assert code == 1, (out, err)
    assert "Traceback" not in err and "internal error" not in err, err
    if rule_id is None:  # accepted: no parse error, no crash
        assert not [ln for ln in lines_for(out, path) if "000 " in ln], out
        assert_other_file_still_linted(out)
        return
    mine = [ln for ln in lines_for(out, path) if f" {rule_id} " in ln]
    assert len(mine) == 1 and f" {rule_id} error " in mine[0] and words.lower() in mine[0].lower(), mine
    assert "Traceback" not in err
    assert_other_file_still_linted(out)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ("FROM alpine:3.20\nUSER 1000\n".encode("utf-16"), "utf-16-bom"),
        (b"\xef\xbb\xbfFROM alpine:3.20\nUSER 1000\n", "utf-8-bom"),
        (b"FROM alpine:3.20\r\nUSER 1000\r\n", "crlf"),
    ],
)
def test_encodings_and_line_endings_that_buildkit_accepts(tmp_path, data, name):
    write_tree(tmp_path, {"Dockerfile": data, "other/Dockerfile": BAD})
    _, out, _ = run(tmp_path)
    assert lines_for(out, "Dockerfile") == [], (name, out)
    assert_other_file_still_linted(out)


def test_crlf_positions_are_exact(tmp_path):
    write_tree(tmp_path, {"Dockerfile": b"FROM alpine:3.20\r\nUSER root\r\n"})
    _, out, _ = run(tmp_path)
    assert lines_for(out, "Dockerfile")[0].startswith("Dockerfile:2:6: DF101")


def test_extremely_long_line(tmp_path):
    write_tree(
        tmp_path,
        {"Dockerfile": "FROM alpine:3.20\nRUN echo " + "a" * 2_000_000 + "\nUSER root\n", "other/Dockerfile": BAD},
    )
    _, out, _ = run(tmp_path)
    assert lines_for(out, "Dockerfile")[0].startswith("Dockerfile:3:6: DF101")
    assert_other_file_still_linted(out)


def test_file_over_the_size_limit_is_reported_not_read(tmp_path):
    write_tree(tmp_path, {"Dockerfile": "FROM alpine:3.20\n" + "#" * 2000 + "\n", "other/Dockerfile": BAD})
    _, out, _ = run(tmp_path, "--max-file-size", "1000")
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


# -- every kind, every encoding -----------------------------------------------------------

# One file of each kind with findings at known places. However the file is encoded, the
# findings are the same: rule, position, the text the span covers, message.
KIND_FILES = {
    "Dockerfile": "FROM alpine:3.20\nRUN echo hi \\\n  && true\nUSER root\n",
    "compose.yaml": 'services:\n  web:\n    image: nginx:1\n    privileged: true\n    ports:\n      - "2375:2375"\n',
    "etc/docker/daemon.json": '{\n  "icc": true,\n  "hosts": ["tcp://0.0.0.0:2375"]\n}\n',
    "etc/systemd/system/docker.service": "[Service]\nExecStart=/usr/bin/dockerd \\\n  -H tcp://0.0.0.0:2375\n",
}
ENCODINGS = {
    "utf-8-bom": lambda t: codecs.BOM_UTF8 + t.encode(),
    "utf-16-le-bom": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16-be-bom": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode(),
    "crlf-utf-16": lambda t: t.replace("\n", "\r\n").encode("utf-16"),
    "lone-cr": lambda t: t.replace("\n", "\r").encode(),
}


def _seen(root: Path) -> list[tuple[object, ...]]:
    result = lint_tree(root, select=["ALL"])
    assert not result.internal_errors, result.internal_errors
    return [
        (f.path, f.rule_id, f.span.line, f.span.col, f.span.end_line, f.span.end_col, f.snippet, f.message)
        for f in result.findings
    ]


# BuildKit does not read a lone CR as a line break, and systemd reads bytes, not UTF-16: those
# pairs have their own tests below.
_UNIT = "etc/systemd/system/docker.service"


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        (n, e)
        for n in sorted(KIND_FILES)
        for e in sorted(ENCODINGS)
        if (n, e) != ("Dockerfile", "lone-cr") and not (n == _UNIT and "utf-16" in e)
    ],
)
def test_every_kind_reads_the_same_whatever_the_encoding(tmp_path, name, encoding):
    plain, encoded = tmp_path / "plain", tmp_path / "encoded"
    write_tree(plain, {name: KIND_FILES[name]})
    write_tree(encoded, {name: ENCODINGS[encoding](KIND_FILES[name])})
    expected = _seen(plain)
    assert expected and not [e for e in expected if str(e[1]).endswith("000")], expected
    assert all(e[6] for e in expected if e[2] > 1 or e[3] > 1), expected  # snippets found
    assert _seen(encoded) == expected


@pytest.mark.parametrize("encoding", sorted(e for e in ENCODINGS if "utf-16" in e))
def test_a_utf16_unit_is_a_file_systemd_cannot_read(tmp_path, encoding):
    # systemd reads a unit's bytes: in UTF-16 every other byte is a NUL, which ends a line for
    # it, and no line is a setting. Its daemon does not listen on TCP: no DD101, one DD000.
    write_tree(tmp_path, {_UNIT: ENCODINGS[encoding](KIND_FILES[_UNIT])})
    seen = _seen(tmp_path)
    assert [(e[1], e[2]) for e in seen] == [("DD000", 1)] and "UTF-16" in str(seen[0][7])


def test_dockerfile_with_lone_cr_line_ends_is_one_line_as_for_buildkit(tmp_path):
    write_tree(tmp_path, {"Dockerfile": b"FROM alpine:3.20\rUSER root\r", "other/Dockerfile": BAD})
    _, out, _ = run(tmp_path)
    mine = lines_for(out, "Dockerfile")
    assert len(mine) == 1 and mine[0].startswith("Dockerfile:1:1: DF000 error FROM requires"), out
    assert_other_file_still_linted(out)


# -- size, files that are not files -------------------------------------------------------

FIFTY_MB = 50 * 1024 * 1024


def test_50_mb_files_of_every_kind_are_reported_at_the_default_limit(tmp_path):
    names = ["Dockerfile", "compose.yaml", "daemon.json", "docker.service"]
    for name in names:
        with open(tmp_path / name, "wb") as fh:  # sparse: instant, and never read
            fh.write(b"FROM alpine:3.20\n")
            fh.truncate(FIFTY_MB)
    write_tree(tmp_path, {"other/Dockerfile": BAD})
    code, out, _ = run(tmp_path)
    assert code == 1
    for name in names:
        mine = lines_for(out, name)
        assert len(mine) == 1 and f"file is {FIFTY_MB} bytes, over the 10485760-byte limit" in mine[0], mine
        assert "--max-file-size" in mine[0]
    assert_other_file_still_linted(out)


def _cli(tmp: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockerlint", "--no-color", "-q", *args],
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_fifo_and_dev_zero_named_on_the_command_line_do_not_hang(tmp_path):
    """Walked, they are skipped (above); named, each is one DF000 and exit code 2 (a file
    that cannot be read). A real process with a timeout: a hang fails, it does not block.
    The repository's link to /dev/zero is not even opened: it leads out of the tree."""
    os.mkfifo(tmp_path / "Dockerfile")
    os.symlink("/dev/zero", tmp_path / "Containerfile")
    (tmp_path / "sub").mkdir()
    os.symlink(tmp_path / "Dockerfile", tmp_path / "sub" / "Dockerfile")  # a link to the FIFO, in the tree
    write_tree(tmp_path, {"other/Dockerfile": BAD})
    proc = _cli(tmp_path, "Dockerfile", "sub/Dockerfile", "Containerfile", "other/Dockerfile", timeout=30)
    assert proc.returncode == 2, proc
    assert "Dockerfile:1:1: DF000 error not a regular file (a FIFO); not read" in proc.stdout
    assert "Containerfile: not read: it is a symbolic link of the linted tree that leads out of it" in proc.stderr
    assert_other_file_still_linted(proc.stdout)
    # /dev/zero named by you, outside the tree: opened, and refused as a device
    proc = _cli(tmp_path, "--kind", "dockerfile", "/dev/zero", "other/Dockerfile", timeout=30)
    assert proc.returncode == 2, proc
    assert "/dev/zero:1:1: DF000 error not a regular file (a character device); not read" in proc.stdout
    assert_other_file_still_linted(proc.stdout)
    proc = _cli(tmp_path, ".", timeout=30)
    assert proc.returncode == 1 and "DF000" not in proc.stdout, proc
    assert_other_file_still_linted(proc.stdout)


def test_symlink_loops_and_dangling_links(tmp_path):
    os.symlink("Dockerfile", tmp_path / "Dockerfile")  # a loop named like a Dockerfile
    os.symlink(tmp_path / "nowhere", tmp_path / "compose.yaml")  # dangling
    (tmp_path / "d").mkdir()
    os.symlink("..", tmp_path / "d" / "up")  # a folder loop: never followed
    write_tree(tmp_path, {"other/Dockerfile": BAD})
    code, out, _ = run(tmp_path)
    assert code == 2  # files that cannot be read
    assert len(lines_for(out, "Dockerfile")) == 1 and "cannot read file" in lines_for(out, "Dockerfile")[0]
    assert len(lines_for(out, "compose.yaml")) == 1 and "cannot read file" in lines_for(out, "compose.yaml")[0]
    assert_other_file_still_linted(out)
    proc = _cli(tmp_path, "Dockerfile", "other/Dockerfile")
    assert proc.returncode == 2 and "Too many levels of symbolic links" in proc.stderr, proc
    assert_other_file_still_linted(proc.stdout)


def test_folder_named_compose_yaml_given_on_the_command_line_is_walked(tmp_path):
    write_tree(tmp_path, {"compose.yaml/Dockerfile": BAD, "other/Dockerfile": BAD})
    code, out, err = run(tmp_path, "compose.yaml", "other")
    assert code == 1 and lines_for(out, "compose.yaml/Dockerfile"), (out, err)
    assert_other_file_still_linted(out)


# -- YAML tags are never constructed ---------------------------------------------------------

PAYLOADS = [
    "!!python/object/apply:builtins.open ['{marker}', 'w']",
    "!!python/object/new:builtins.open ['{marker}', 'w']",
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/apply:subprocess.call [['touch', '{marker}']]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
]
PLACES = {
    "value": "services:\n  a:\n    image: nginx:1\n    command: {payload}\n",
    "key": "services:\n  a:\n    ? {payload}\n    : x\n",
    "anchor": "x-a: &a {payload}\nservices:\n  a:\n    image: nginx:1\n    command: *a\n",
    "flow": "services: {{a: {{image: nginx, command: [{payload} ]}}}}\n",
    "top": "{payload}\n",
}


def test_the_payloads_are_live(tmp_path):
    """What the test below refuses really runs under PyYAML's unsafe loader."""
    import yaml

    marker = tmp_path / "PWNED"
    yaml.unsafe_load(PLACES["value"].format(payload=PAYLOADS[0].format(marker=marker)))
    assert marker.exists()


@pytest.mark.parametrize("place", sorted(PLACES))
@pytest.mark.parametrize("payload", PAYLOADS)
def test_yaml_tags_are_never_constructed(tmp_path, payload, place):
    marker = tmp_path / "PWNED"
    text = PLACES[place].format(payload=payload.format(marker=marker))
    write_tree(tmp_path, {"compose.yaml": text, "other/Dockerfile": BAD})
    code, out, err = run(tmp_path)
    assert not marker.exists()
    mine = lines_for(out, "compose.yaml")
    assert len(mine) == 1 and " DC000 error " in mine[0], mine
    # A tagged collection as a key is refused as a key first.
    assert ("YAML tag" in mine[0] and "refused" in mine[0]) or "keys must be scalars" in mine[0], mine
    assert code == 1 and "Traceback" not in err
    assert_other_file_still_linted(out)


# -- long lines, many tokens ----------------------------------------------------------------

LONG = 1_000_000
LONG_LINES = {
    "compose-long-value": (
        {
            "compose.yaml": "services:\n  web:\n    image: nginx:1\n    labels: {a: '"
            + "x" * LONG
            + "'}\n    privileged: true\n"
        },
        "compose.yaml:5:5: DC102",
    ),
    "compose-long-flow-list": (
        {
            "compose.yaml": "services:\n  web:\n    image: nginx:1\n    ports: ["
            + ", ".join(["'80'"] * 20000)
            + "]\n    privileged: true\n"
        },
        "compose.yaml:5:5: DC102",
    ),
    "json-long-string": ({"daemon.json": '{"labels": ["' + "x" * LONG + '"], "icc": true}'}, "daemon.json:1:"),
    "json-long-array": (
        {"daemon.json": '{"labels": [' + ", ".join(['"a=b"'] * 20000) + '], "icc": true}'},
        "daemon.json:1:",
    ),
    "unit-long-argument": (
        {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --label " + "x" * LONG + " -H tcp://0.0.0.0:2375\n"},
        "docker.service:2:",
    ),
    "dockerfile-many-words": (
        {"Dockerfile": "FROM alpine:3.20\nRUN echo " + "a " * 20000 + "\nUSER root\n"},
        "Dockerfile:3:6: DF101",
    ),
    "dockerfile-long-quote": (
        {"Dockerfile": "FROM alpine:3.20\nRUN echo '" + "x" * LONG + "'\nUSER root\n"},
        "Dockerfile:3:6: DF101",
    ),
}


@pytest.mark.parametrize("case", sorted(LONG_LINES))
def test_extremely_long_lines_of_every_kind(tmp_path, case):
    files, expected = LONG_LINES[case]
    write_tree(tmp_path, {**files, "other/Dockerfile": BAD})
    started = time.monotonic()
    code, out, err = run(tmp_path)
    assert time.monotonic() - started < 30
    assert code == 1 and "Traceback" not in err and "internal error" not in err, err
    assert any(ln.startswith(expected) for ln in out.splitlines()), out[:2000]
    assert not [ln for ln in out.splitlines() if "000 " in ln], out[:2000]
    assert_other_file_still_linted(out)


def test_long_quoted_compose_command_is_linear(tmp_path):
    write_tree(
        tmp_path, {"compose.yaml": "services:\n  web:\n    image: nginx:1\n    command: \"'" + "x" * 600_000 + "'\"\n"}
    )
    started = time.monotonic()
    run(tmp_path)
    assert time.monotonic() - started < 1.5  # linear: about 0.3 s (shlex.split took 3 s here, 10 s at 1 MB)


# -- limits can be raised -------------------------------------------------------------------


def test_raised_limits_let_deep_and_aliased_documents_through(tmp_path):
    deep = "[" * 250 + "]" * 250
    write_tree(
        tmp_path,
        {
            "compose.yaml": "x-a: &a [" + ", ".join(["1"] * 1000) + "]\nx-b: [" + ", ".join(["*a"] * 200) + "]\n"
            "services:\n  web:\n    image: nginx:1\n    x-deep: " + deep + "\n",
            "daemon.json": '{"x-deep": ' + deep + "}\n",
        },
    )
    _, out, _ = run(tmp_path)
    assert "--max-depth" in "".join(lines_for(out, "daemon.json"))
    assert len(lines_for(out, "compose.yaml")) == 1  # the first limit met is reported
    _, out, _ = run(tmp_path, "--max-depth", "300", "--max-alias-expansion", "300000")
    assert not [ln for ln in out.splitlines() if "000 " in ln], out


def test_limits_on_the_command_line_must_be_positive(tmp_path):
    code, _, err = run(tmp_path, "--max-depth", "0")
    assert code == 2 and "--max-depth" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_fifo_referenced_by_a_compose_file_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / ".env")
    os.mkfifo(tmp_path / "pipe")
    write_tree(
        tmp_path,
        {"compose.yaml": "services:\n  web:\n    image: nginx:${TAG}\n    env_file: pipe\n", "other/Dockerfile": BAD},
    )
    proc = _cli(tmp_path, ".", timeout=10)
    assert proc.returncode in (1, 2) and "Traceback" not in proc.stderr, proc
    assert "'pipe' is not a regular file" in proc.stdout, proc.stdout
    assert_other_file_still_linted(proc.stdout)
