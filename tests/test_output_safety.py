"""What the scanned repository can put in dockerlint's output: nothing raw.

File names, service names and values reach messages, excerpts, annotations and stderr
notices; control characters, bidirectional overrides and CI log commands among them are
shown escaped in every format, and bytes that are not UTF-8 in a path are carried
losslessly where a format can (JSON escapes, percent-encoded SARIF URIs) and escaped
where it cannot (text, XML). Odd environments (an unwritable or non-UTF-8 stdout, a
deleted working directory, broken configuration and baseline files) end with a clear
error and exit 2, never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cli_helpers import repo, run

DL = [sys.executable, "-m", "dockerlint"]
FORMATS = ["text", "json", "sarif", "github", "gitlab", "junit"]
ENV = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}

# What must never reach a terminal or a CI log raw, as UTF-8 bytes.
RAW = {
    "ESC": b"\x1b",
    "BEL": b"\x07",
    "CR": b"\r",
    "NUL": b"\x00",
    "BS": b"\x08",
    "DEL": b"\x7f",
    "CSI (C1)": "\u009b".encode(),
    "NEL (C1)": "\u0085".encode(),
    "RLO": "\u202e".encode(),
    "LRI": "\u2066".encode(),
    "PDI": "\u2069".encode(),
    "LS": "\u2028".encode(),
}
# A GitHub Actions annotation that dockerlint writes (--format github) - nothing else may
# start a line with '::' (the runner trims leading white space first).
ANNOTATION = re.compile(
    rb"^::(?:error|warning|notice) file=[^,:]*,line=\d+,col=\d+,endLine=\d+,"
    rb"endColumn=\d+,title=[^:,]*::"
)

OSC = "\x1b]0;pwned\x07"
HOSTILE_COMPOSE = (
    f'services:\n  "web{OSC}\\r\u202eevil":\n'.replace("\x1b", "\\e").replace("\x07", "\\a")
    + '    image: "nginx\\e]0;title\\a\\u009b31m\\u2066x\\u2069"\n'
    "    privileged: true\n"
    "    environment:\n"
    '      PASSWORD: "\\r::error file=x::forged-env\\n##[error]forged-v1\\rok"\n'
    '      TOKEN: "##vso[task.setvariable variable=x]forged"\n'
)


def hostile_tree(root: Path) -> list[str]:
    """A repository whose names and values try to forge output; returns extra argv."""
    repo(root)
    (root / "compose.yaml").write_text(HOSTILE_COMPOSE, encoding="utf-8")
    for name in (
        "x\n::error file=x::forged-path",
        "::error file=y::forged-start",
        "  ::warning file=z::forged-indented",
        "\u00a0::notice::forged-nbsp",
        f"t{OSC}\r\u202e\u0085dir",
        "##[error]forged-dir",
    ):
        d = root / name
        d.mkdir()
        (d / "Dockerfile").write_text("FROM debian:12\nUSER root\n", encoding="utf-8")
    (root / "Dockerfile").write_bytes(
        (
            'FROM debian:12\nLABEL a="\x1b[2J\x07\u202e" b="\u009b"\nENV PASSWORD=\x1b]0;x\x07hunter22\nUSER root\n'
        ).encode()
    )
    # named explicitly and not recognised: a notice on stderr that names it
    odd = root / f"notes{OSC}\n::error file=n::forged-notice\r\u202e.txt"
    odd.write_text("hello\n", encoding="utf-8")
    return [odd.name]


def assert_nothing_raw(data: bytes, fmt: str, where: str) -> None:
    for name, raw in RAW.items():
        assert raw not in data, f"{where}: raw {name} in {fmt} output:\n{data[:3000]!r}"
    for line in data.split(b"\n"):
        stripped = line.decode("utf-8").lstrip()  # .NET's TrimStart: Unicode white space too
        if stripped.startswith("::"):
            assert fmt == "github" and ANNOTATION.match(line), f"{where}: forged command line {line!r}"
        low = line.lower()
        assert b"##[" not in low and b"##vso[" not in low, f"{where}: legacy log command in {line!r}"


@pytest.mark.parametrize(
    "fmt, extra",
    [(fmt, []) for fmt in FORMATS]
    + [("text", ["--show-source"]), ("text", ["--jobs", "2"]), ("github", ["--jobs", "2"])],
)
def test_hostile_names_and_values_never_reach_the_output_raw(tmp_path: Path, fmt: str, extra: list[str]) -> None:
    explicit = hostile_tree(tmp_path)
    proc = subprocess.run(
        [*DL, "-f", fmt, *extra, ".", *explicit], cwd=tmp_path, env=ENV, capture_output=True, timeout=120, check=False
    )
    assert proc.returncode == 1, proc.stderr
    assert b"Traceback" not in proc.stderr
    assert_nothing_raw(proc.stdout, fmt, "stdout")
    assert_nothing_raw(proc.stderr, fmt, "stderr")
    # ... and still every finding, with the hostile parts visible as escapes
    out = proc.stdout.decode("ascii" if fmt in ("json", "sarif", "gitlab") else "utf-8")
    if fmt == "json":
        doc = json.loads(out)
        paths = {f["path"] for f in doc["findings"]}
        assert "x\n::error file=x::forged-path/Dockerfile" in paths  # JSON keeps paths exact
        assert any("\\x1b]0;pwned\\x07" in f["message"] for f in doc["findings"])  # prose is escaped
    elif fmt == "sarif":
        doc = json.loads(out)
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
        assert "x%0A%3A%3Aerror%20file%3Dx%3A%3Aforged-path/Dockerfile" in uris
    elif fmt == "gitlab":
        paths = {e["location"]["path"] for e in json.loads(out)}
        assert "::error file=y::forged-start/Dockerfile" in paths
    elif fmt == "junit":
        ET.fromstring(proc.stdout)  # well-formed XML
        assert "x\\n::error file=x::forged-path/Dockerfile" in out
    elif fmt == "github":
        assert "file=x\\n%3A%3Aerror file=x%3A%3Aforged-path/Dockerfile," in out
        assert "file=t\\x1b]0;pwned\\x07\\r\\u202e\\x85dir/Dockerfile," in out
        assert "web\\x1b]0;pwned\\x07\\r\\u202eevil" in out
    else:
        assert "x\\n::error file=x::forged-path/Dockerfile" in out
        assert "t\\x1b]0;pwned\\x07\\r\\u202e\\x85dir/Dockerfile" in out
        assert "web\\x1b]0;pwned\\x07\\r\\u202eevil" in out
    assert "forged-notice" in proc.stderr.decode()  # the notice is there, escaped
    assert "notes\\x1b]0;pwned\\x07\\n::error file=n::forged-notice\\r\\u202e.txt" in proc.stderr.decode()


def test_grouped_text_on_a_terminal_escapes_paths_and_keeps_carets_under_the_span(tmp_path: Path) -> None:
    # Hostile bytes before the flagged value: shown escaped, and the carets still start under the
    # value (escapes count as shown). The value itself is a credential: shown masked, whatever it holds.
    (tmp_path / "Dockerfile").write_bytes(
        b"FROM debian:12\nENV NOTE=\x1b]0;x\x07 PASSWORD=\x1b]0;y\x07hunter22\nUSER root\n"
    )
    code, out, _ = run(["--select", "DF102", "--show-source", "--no-color", "Dockerfile"], tmp_path, tty=True)
    assert code == 1, out
    assert "\x1b" not in out and "hunter22" not in out
    lines = out.splitlines()
    src = next(i for i, ln in enumerate(lines) if "ENV NOTE=" in ln)
    masked = "*" * len("\x1b]0;y\x07hunter22")
    assert lines[src].endswith("| ENV NOTE=\\x1b]0;x\\x07 PASSWORD=" + masked), lines[src]
    caret = lines[src + 1]
    start = caret.index("^")
    assert lines[src][start:] == masked, (lines[src], caret)
    assert caret.rstrip().endswith("^" * len(masked))


def test_grouped_text_header_of_a_path_that_looks_like_a_command(tmp_path: Path) -> None:
    hostile_tree(tmp_path)
    code, out, _ = run(["--select", "DF101", "--show-source", "--no-color", "."], tmp_path, tty=True)
    assert code == 1
    assert "./::error file=y::forged-start/Dockerfile" in out.splitlines()
    assert not any(ln.lstrip().startswith("::") for ln in out.splitlines()), out


def test_diff_output_escapes_paths_and_content(tmp_path: Path) -> None:
    name = "d\n::error file=q::forged"
    (tmp_path / name).mkdir()
    (tmp_path / name / "Dockerfile").write_text(
        "FROM debian:12\n# \x1b]0;x\x07 \u202e\nRUN echo \\\n  ::error file=c::forged-context\nCMD echo hi\n"
    )
    repo(tmp_path)
    code, out, err = run(["--select", "DF219", "--diff", "."], tmp_path)
    assert code == 1, (out, err)
    assert "+++ b/d\\n::error file=q::forged/Dockerfile" in out
    assert " # \\x1b]0;x\\x07 \\u202e\n" in out
    assert "   \\x3a:error file=c::forged-context\n" in out
    assert '+CMD ["echo", "hi"]' in out
    assert_nothing_raw(out.encode(), "diff", "stdout")


# -- the one escaping function ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("plain ascii, é, …, 漢字, emoji \U0001f600", "plain ascii, é, …, 漢字, emoji \U0001f600"),
        ("a\x1b]0;t\x07b", "a\\x1b]0;t\\x07b"),
        ("cr\rlf\ntab\t", "cr\\rlf\\ntab\\t"),
        ("\x00\x08\x7f", "\\x00\\x08\\x7f"),
        ("\u0080\u0085\u009b\u009f", "\\x80\\x85\\x9b\\x9f"),
        ("\u202a\u202b\u202c\u202d\u202e", "\\u202a\\u202b\\u202c\\u202d\\u202e"),
        ("\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069"),
        ("\u2028\u2029", "\\u2028\\u2029"),
        ("\ufffe\uffff", "\\ufffe\\uffff"),
        (os.fsdecode(b"bad\xff\xfe.txt"), "bad\\xff\\xfe.txt"),  # bytes that are not UTF-8: as bytes
        ("lone \ud800", "lone \\ud800"),
        (
            "##[error]x ##vso[task.complete]y ##teamcity[z]",
            "##\\x5berror]x ##vso\\x5btask.complete]y ##teamcity\\x5bz]",
        ),
        ("#[x] ## [y] a##b", "#[x] ## [y] a##b"),
    ],
)
def test_visible(raw: str, shown: str) -> None:
    from dockerlint.util.safetext import visible

    assert visible(raw) == shown
    assert visible(shown) == shown  # escaping the escaped changes nothing: no double escaping


def test_visible_keeps_what_it_is_told_to() -> None:
    from dockerlint.util.safetext import visible

    assert visible("a\tb\nc\x1b", keep="\t") == "a\tb\\nc\\x1b"
    assert visible("a\tb\nc\x1b", keep="\t\n") == "a\tb\nc\\x1b"


# -- paths that are not UTF-8 (item 10) ------------------------------------------------------------

BAD_DIR = b"bad\xff\xfedir"


def bad_tree(root: Path) -> None:
    repo(root)
    os.mkdir(os.path.join(os.fsencode(root), BAD_DIR))
    with open(os.path.join(os.fsencode(root), BAD_DIR, b"Dockerfile"), "wb") as fh:
        fh.write(b"FROM debian:12\nUSER root\n")
    with open(os.path.join(os.fsencode(root), BAD_DIR, b"compose.yaml"), "wb") as fh:
        fh.write(b"services:\n  a:\n    image: nginx:1\n    privileged: true\n")


@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "output-file"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_path_that_is_not_utf8_in_every_format(tmp_path: Path, fmt: str, to_file: bool) -> None:
    bad_tree(tmp_path)
    report = tmp_path / "report.out"
    argv = [*DL, "-f", fmt, *(["-o", str(report)] if to_file else []), "."]
    proc = subprocess.run(argv, cwd=tmp_path, env=ENV, capture_output=True, timeout=120, check=False)
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr, proc.stderr
    data = report.read_bytes() if to_file else proc.stdout
    text = data.decode("utf-8")  # valid UTF-8 whatever the path's bytes
    path = os.fsdecode(BAD_DIR + b"/Dockerfile")
    if fmt == "json":
        got = {f["path"] for f in json.loads(text)["findings"]}
        assert path in got and os.fsencode(path) == BAD_DIR + b"/Dockerfile"  # lossless
        assert text.isascii()
    elif fmt == "gitlab":
        entries = json.loads(text)
        assert path in {e["location"]["path"] for e in entries}
        assert len({e["fingerprint"] for e in entries}) == len(entries)
    elif fmt == "sarif":
        results = json.loads(text)["runs"][0]["results"]
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
        assert "bad%FF%FEdir/Dockerfile" in uris  # the original bytes, percent-encoded
        assert all(r["partialFingerprints"]["dockerlint/v1"] for r in results)
    elif fmt == "junit":
        root = ET.fromstring(data)
        assert any(tc.get("file") == "bad\\xff\\xfedir/Dockerfile" for tc in root.iter("testcase"))
    else:
        assert "bad\\xff\\xfedir/Dockerfile" in text
        assert "\udcff" not in text


def test_a_path_that_is_not_utf8_in_a_baseline(tmp_path: Path) -> None:
    bad_tree(tmp_path)
    proc = subprocess.run(
        [*DL, "--write-baseline", "baseline.json", "."],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr, proc.stderr
    recorded = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert os.fsdecode(BAD_DIR + b"/Dockerfile") in {r["path"] for r in recorded["findings"]}
    proc = subprocess.run(
        [*DL, "--baseline", "baseline.json", "."], cwd=tmp_path, env=ENV, capture_output=True, timeout=120, check=False
    )
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    assert b"No findings" in proc.stdout


def test_fingerprints_of_a_path_that_is_not_utf8_are_those_of_its_bytes() -> None:
    from dockerlint.util.fingerprint import stable_fingerprint

    a = stable_fingerprint("DF101", os.fsdecode(b"a\xff/Dockerfile"), "USER root", "")
    b = stable_fingerprint("DF101", os.fsdecode(b"a\xfe/Dockerfile"), "USER root", "")
    assert a != b and len(a) == 64
    assert stable_fingerprint("DF101", "a/Dockerfile", "USER root", "") != a


# -- odd environments (item 12) --------------------------------------------------------------------


def small_tree(root: Path) -> None:
    repo(root)
    (root / "compose.yaml").write_text(
        "services:\n  caf\u00e9:\n    image: caf\u00e9\u2026:1\n    privileged: true\n", encoding="utf-8"
    )


def test_control_character_in_the_configuration_file(tmp_path: Path) -> None:
    small_tree(tmp_path)
    (tmp_path / ".dockerlint.yml").write_text('select: [DC1]\nignore: ["\x01"]\n', encoding="utf-8")
    code, out, err = run(["."], tmp_path)
    assert code == 2 and out == ""
    assert err.startswith("dockerlint: error: configuration: ") and ".dockerlint.yml:2:" in err, err
    assert "U+0001" in err and "\x01" not in err and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    "name, text",
    [
        (".dockerlint.yml", "select: " + "[" * 20000 + "]" * 20000 + "\n"),
        (".dockerlint.toml", "select = " + "[" * 20000 + "]" * 20000 + "\n"),
        ("pyproject.toml", "[tool.dockerlint]\nselect = " + "[" * 20000 + "]" * 20000 + "\n"),
    ],
)
def test_deeply_nested_configuration_file(tmp_path: Path, name: str, text: str) -> None:
    small_tree(tmp_path)
    (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, err = run(["."], tmp_path)
    assert code == 2 and out == "", err
    assert err.startswith(f"dockerlint: error: configuration: {name}") and "nested too deeply" in err, err


def test_deeply_nested_baseline(tmp_path: Path) -> None:
    small_tree(tmp_path)
    (tmp_path / "baseline.json").write_text('{"a":' * 100000 + "1" + "}" * 100000, encoding="utf-8")
    code, out, err = run(["--baseline", "baseline.json", "."], tmp_path)
    assert code == 2 and out == ""
    assert err.startswith("dockerlint: error: baseline.json: not a dockerlint baseline") and "nested" in err, err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_stdout_that_is_full(tmp_path: Path, fmt: str) -> None:
    small_tree(tmp_path)
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [*DL, "-f", fmt, "."], cwd=tmp_path, env=ENV, stdout=full, stderr=subprocess.PIPE, timeout=120, check=False
        )
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert err == "dockerlint: error: cannot write the report to standard output: No space left on device\n"


def test_stdout_that_is_closed(tmp_path: Path) -> None:
    small_tree(tmp_path)
    proc = subprocess.run(
        [*DL, "."],
        cwd=tmp_path,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2 and proc.stderr == b"dockerlint: error: standard output is closed\n", proc.stderr
    # with -o, standard output is not needed
    proc = subprocess.run(
        [*DL, "-o", "r.txt", "."],
        cwd=tmp_path,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1 and proc.stderr == b"", proc.stderr
    assert "DC102" in (tmp_path / "r.txt").read_text()


def test_stdin_that_is_closed(tmp_path: Path) -> None:
    proc = subprocess.run(
        [*DL, "-"], cwd=tmp_path, env=ENV, capture_output=True, preexec_fn=lambda: os.close(0), timeout=120, check=False
    )
    assert proc.returncode == 2 and proc.stderr == b"dockerlint: error: standard input is closed\n", proc.stderr


def test_stdout_is_a_closed_pipe(tmp_path: Path) -> None:
    small_tree(tmp_path)
    proc = subprocess.Popen([*DL, "."], cwd=tmp_path, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and err == b"", err  # quiet, as `| head` expects


@pytest.mark.parametrize(
    "env",
    [
        {"PYTHONIOENCODING": "ascii"},
        {"PYTHONIOENCODING": "latin-1"},
        {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""},
    ],
    ids=["ascii", "latin-1", "C-locale"],
)
@pytest.mark.parametrize("fmt", ["text", "github", "junit", "json"])  # SARIF and GitLab are JSON too
def test_stdout_that_is_not_utf8(tmp_path: Path, env: dict[str, str], fmt: str) -> None:
    small_tree(tmp_path)
    (tmp_path / "notes\u2026.txt").write_text("x\n", encoding="utf-8")
    full_env = {k: v for k, v in {**ENV, **env}.items() if v != ""}
    proc = subprocess.run(
        [*DL, "-f", fmt, ".", "notes\u2026.txt"],
        cwd=tmp_path,
        env=full_env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr, proc.stderr
    assert b"DC102" in proc.stdout
    if fmt == "text":
        assert b"service 'caf\\xe9'" in proc.stdout or b"service 'caf\xe9'" in proc.stdout
    assert b"notes" in proc.stderr and b"not recognized" in proc.stderr


@pytest.mark.parametrize("how", ["script", "module"])
def test_working_directory_that_was_deleted(tmp_path: Path, how: str) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()

    def enter_and_delete() -> None:
        os.chdir(gone)
        os.rmdir(gone)

    cmd = DL if how == "module" else [sys.executable, "-c", "from dockerlint.cli import main_entry; main_entry()"]
    small_tree(tmp_path / "tree")
    proc = subprocess.run(
        [*cmd, str(tmp_path / "tree")],
        env=ENV,
        capture_output=True,
        preexec_fn=enter_and_delete,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.decode().startswith("dockerlint: error: the working directory no longer exists"), proc.stderr
    assert b"Traceback" not in proc.stderr
