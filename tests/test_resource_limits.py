"""A few hundred bytes never cost more than seconds and ~100 MB: bounded variable expansion,
included files built once, and the Compose project assembly never losing the run.

The end-to-end cases run the command line in a child process that reports its own CPU time
and peak memory (``ru_maxrss``), with a timeout: a blow-up fails the test, it does not take
the test run down with it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dockerlint.models.image import ImageBuild
from dockerlint.models.source import SourceFile
from dockerlint.parsers import compose_project, dockerfile, dotenv, expansion
from dockerlint.parsers.cmdline import expand_defaults
from dockerlint.parsers.compose import interpolate
from dockerlint.parsers.dockerfile import expand
from dockerlint.util.budget import MAX_NESTING as VAR_NESTING
from helpers import lint_tree, write_tree

BAD = "FROM debian:12\nRUN true\n"  # DF101: proves the rest of the run still happens
MB = 1024 * 1024
# The child's peak memory is its VmHWM (ru_maxrss survives exec on Linux: a child of a big
# pytest process would report pytest's size).
_REPORT = (
    "import re, resource, sys, time\n"
    "from dockerlint.cli import main\n"
    "started = time.process_time()\n"
    "def peak():\n"
    "    try:\n"
    "        with open('/proc/self/status') as fh:\n"
    "            return int(re.search(r'VmHWM:\\s+(\\d+)', fh.read()).group(1))\n"
    "    except (OSError, AttributeError):\n"
    "        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "try:\n"
    "    code = main(sys.argv[1:])\n"
    "finally:\n"
    "    sys.stderr.write(f'\\nMEASURED {time.process_time() - started} {peak()}\\n')\n"
    "sys.exit(code)\n"
)


def _bounded() -> None:
    """In the child: at most 3 GB of address space, so a regression fails fast instead of
    taking the machine's memory."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 * MB, 3 * 1024 * MB))


def measured(
    tmp: Path,
    *args: str,
    timeout: float = 60,
    isolated: bool = True,
    paths: tuple[str, ...] = (".",),
    stdin: Any = None,
) -> tuple[int, str, str, float, int]:
    """Run ``dockerlint --isolated ARGS .`` in ``tmp`` in a child process: exit code, stdout,
    stderr (without the measurement), CPU seconds and peak resident memory in bytes."""
    argv = [sys.executable, "-c", _REPORT, *(["--isolated"] if isolated else []), "--no-color", "-q", *args, *paths]
    proc = subprocess.run(
        argv,
        cwd=tmp,
        capture_output=stdin is None,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
        preexec_fn=_bounded,
        **({} if stdin is None else {"stdin": stdin, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}),
    )
    m = re.search(r"\nMEASURED (\S+) (\d+)\n$", proc.stderr)
    assert m is not None, proc.stderr[-3000:]
    return (proc.returncode, proc.stdout, proc.stderr[: m.start()], float(m.group(1)), int(m.group(2)) * 1024)


def notices(err: str) -> list[str]:
    return [ln for ln in err.splitlines() if "expansion limit" in ln]


def assert_cheap(code: int, out: str, err: str, seconds: float, peak: int) -> None:
    assert "Traceback" not in err and "internal error" not in err, err[-3000:]
    assert code in (0, 1), (code, err[-3000:])
    assert seconds < 10, seconds
    assert peak < 150 * MB, peak
    assert not [ln for ln in out.splitlines() if "000 " in ln], out  # no parse error finding
    assert "other/Dockerfile:" in out, out  # the rest of the run happened


def doubling(n: int, line: str) -> list[str]:
    """``A1=${A0}${A0}``, ``A2=${A1}${A1}`` … (``line`` formats one definition)."""
    out = [line.format(name="A0", value="xxxxxxxx")]
    out += [line.format(name=f"A{i}", value=f"${{A{i - 1}}}${{A{i - 1}}}") for i in range(1, n)]
    return out


# -- item 5: exponential expansion ------------------------------------------------------------


def test_nested_global_args_of_a_dockerfile_are_bounded(tmp_path):
    """630 bytes of ARGs that double at every line: 36 s and 1.1 GB at 24 levels before, out
    of memory at 26; now the values past 64 KiB are unknown and the run says so once."""
    text = "\n".join([*doubling(30, "ARG {name}={value}"), "FROM alpine:${A29}", "RUN true", ""])
    assert len(text) < 700
    write_tree(tmp_path, {"Dockerfile": text, "other/Dockerfile": BAD})
    code, out, err, seconds, peak = measured(tmp_path)
    assert_cheap(code, out, err, seconds, peak)
    assert notices(err) == [notices(err)[0]] and "Dockerfile: " in notices(err)[0], err
    assert "64 KiB" in notices(err)[0]


def test_nested_dotenv_values_are_bounded(tmp_path):
    """500 bytes of .env reached 10.9 GB."""
    text = "\n".join([*doubling(30, "{name}={value}"), ""])
    write_tree(
        tmp_path,
        {".env": text, "compose.yaml": "services:\n  web:\n    image: nginx:${A29}\n", "other/Dockerfile": BAD},
    )
    code, out, err, seconds, peak = measured(tmp_path)
    assert_cheap(code, out, err, seconds, peak)
    assert len(notices(err)) == 1 and notices(err)[0].startswith("dockerlint: .env: "), err


def test_nested_references_in_an_extended_file_do_not_lose_the_run(tmp_path):
    """Item 11: ``${A:-${A:-…}}`` 5,000 deep in an ``extends`` file was a RecursionError in the
    project assembly and a traceback instead of the report."""
    deep = "${A:-" * 5000 + "x" + "}" * 5000
    write_tree(
        tmp_path,
        {
            "base.yaml": f'services:\n  base:\n    image: "{deep}"\n',
            "compose.yaml": "services:\n  web:\n    extends:\n      file: base.yaml\n      service: base\n"
            "    privileged: true\n",
            "other/Dockerfile": BAD,
        },
    )
    code, out, err, seconds, peak = measured(tmp_path)
    assert_cheap(code, out, err, seconds, peak)
    assert "compose.yaml:6:" in out  # the project was assembled and checked (DC102 privileged)
    said = notices(err)
    assert len(said) == 1 and "base.yaml: " in said[0] and f"{VAR_NESTING} levels" in said[0], err


def test_nested_shell_defaults_in_a_docker_run_line_are_bounded(tmp_path):
    """Was a RecursionError turned into a DC000 error finding for the whole script."""
    deep = "${A:-" * 3000 + "/var/run/docker.sock" + "}" * 3000
    write_tree(
        tmp_path, {"run.sh": f"docker run -v {deep}:/x nginx\ndocker run --privileged nginx\n", "other/Dockerfile": BAD}
    )
    code, out, err, seconds, peak = measured(tmp_path)
    assert_cheap(code, out, err, seconds, peak)
    assert "run.sh:2:" in out, out
    assert len(notices(err)) == 1 and "run.sh: " in notices(err)[0], err


def test_systemd_variables_are_bounded(tmp_path):
    """A 200 KB Environment= value used 200 times in ExecStart: 16 s and 1 GB before."""
    value = "x" * 200_000
    write_tree(
        tmp_path,
        {
            "docker.service": '[Service]\nEnvironment="A='
            + value
            + '"\nExecStart=/usr/bin/dockerd --label='
            + "${A}" * 200
            + " -H tcp://0.0.0.0:2375\n",
            "other/Dockerfile": BAD,
        },
    )
    code, out, err, seconds, peak = measured(tmp_path)
    assert_cheap(code, out, err, seconds, peak)
    assert len(notices(err)) == 1 and "docker.service: " in notices(err)[0], err


def test_values_df116_substitutes_into_a_sudoers_text_are_bounded(tmp_path):
    """DF116 puts the ARG / ENV values it knows into the sudoers text a RUN writes: 20,000
    ``$A`` of a 60 KB ``ARG A`` (100 KB of Dockerfile) took 74 s and 7 GB; now the text past
    the bound is unknown, as written, and the run says so once."""
    refs = "$A" * 20_000
    text = (
        f"FROM debian:12\nARG A={'x' * 60_000}\nRUN useradd app && cat <<EOF > /etc/sudoers.d/app\n"
        f"app ALL=(ALL) NOPASSWD: {refs}\nEOF\nUSER app\n"
    )
    write_tree(tmp_path, {"Dockerfile": text, "other/Dockerfile": BAD})
    code, out, err, seconds, peak = measured(tmp_path, "--select", "ALL", timeout=60)
    assert_cheap(code, out, err, seconds, peak)
    assert len(notices(err)) == 1 and "Dockerfile: " in notices(err)[0], err


def test_one_notice_per_file_also_with_worker_processes(tmp_path):
    bomb = "\n".join([*doubling(30, "ARG {name}={value}"), "FROM alpine:${A29}", "RUN true", ""])
    files = {f"app{i}/Dockerfile": BAD for i in range(6)}
    files["bomb/Dockerfile"] = bomb
    files["other/Dockerfile"] = BAD
    write_tree(tmp_path, files)
    code, out, err, seconds, peak = measured(tmp_path, "--jobs", "2")
    assert_cheap(code, out, err, seconds, peak)
    assert len(notices(err)) == 1 and "bomb/Dockerfile: " in notices(err)[0], err


# -- the bounds themselves, in each dialect ---------------------------------------------------


def test_compose_interpolation_stops_at_64_kib_and_64_levels():
    big = "x" * (expansion.MAX_VALUE // 2)
    assert interpolate("${A}${A}", {"A": big}) == big * 2  # exactly the limit
    assert expansion.compose("${A}${A}!", {"A": big + "y"}) is None  # one character more
    assert interpolate("${A}${A}", {"A": big + "y"}) == "${A}${A}"  # kept as written: unknown
    at_limit = "${A:-" * expansion.MAX_NESTING + "d" + "}" * expansion.MAX_NESTING
    assert interpolate(at_limit) == "d"
    assert expansion.compose("${A:-" + at_limit + "}") is None
    # The written text itself does not count: a long value with a short variable expands.
    assert interpolate("y" * 100_000 + "${A}", {"A": "z"}) == "y" * 100_000 + "z"


def test_limits_are_recorded_once_per_file():
    with expansion.scope("compose.yaml") as done:
        assert expansion.compose("${A:-" * 70 + "}" * 70) is None
        assert expansion.compose("${A:-" * 70 + "}" * 70, origin="base.yaml") is None
        assert expansion.compose("${A}" * 3, {"A": "x" * 30_000}) is None
    assert list(done.hits) == ["compose.yaml", "base.yaml"]
    assert f"{VAR_NESTING} levels" in done.hits["compose.yaml"]
    assert len(done.notices()) == 2


def test_the_values_of_one_file_take_at_most_4_mib_from_variables():
    value = "x" * 60_000
    with expansion.scope("Dockerfile"):
        got = [expansion.compose("${A}", {"A": value}) for _ in range(100)]
    assert got[0] == value
    assert got[-1] is None  # 100 x 60,000 characters is more than 4 MiB
    assert sum(g is not None for g in got) == expansion.MAX_TOTAL // len(value)


def test_shell_defaults_keep_the_text_past_the_nesting_limit():
    assert expand_defaults("${A:-" * VAR_NESTING + "d" + "}" * VAR_NESTING) == "d"
    deep = "${A:-" * 65 + "d" + "}" * 65
    assert expand_defaults(deep) == deep


def test_dockerfile_expansion_is_unknown_past_the_limits():
    values = {"A": "x" * 40_000}
    assert expand("${A}", values.get) == values["A"]
    assert expand("${A}${A}", values.get) is None  # 80,000 characters: unknown, like an unset variable
    assert expand("${B:-" * VAR_NESTING + "d" + "}" * VAR_NESTING, values.get) == "d"
    assert expand("${B:-" * 65 + "d" + "}" * 65, values.get) is None


def test_dotenv_variable_past_the_limit_is_unset_for_the_lines_after_it():
    lines = doubling(16, "{name}={value}") + ["AFTER=${A14:-fallback}", "KEPT=${A12}"]
    got = dotenv.values(dotenv.parse("\n".join(lines) + "\n"))
    assert len(got["A13"]) == 64 * 1024  # grew by exactly 64 KiB
    assert "A14" not in got
    assert got["A15"] == "${A14}${A14}"  # as a reference to an unset variable is
    assert got["AFTER"] == "fallback"
    assert got["KEPT"] == got["A12"]


def test_dockerfile_global_args_past_the_limit_are_unknown():
    text = "\n".join([*doubling(16, "ARG {name}={value}"), "FROM alpine:${A15}", "FROM alpine:${A2}", ""])
    out = dockerfile.parse(SourceFile("Dockerfile", "dockerfile", text))
    build = next(m for m in out.models if isinstance(m, ImageBuild))
    assert build.stages[0].resolved_image == "alpine:${A15}"  # unknown: as written
    assert build.stages[1].resolved_image == "alpine:" + "x" * 32


# -- item 8: included files are built once ---------------------------------------------------


def _count_builds(monkeypatch) -> list[str]:
    built: list[str] = []
    original = compose_project._Builder.project

    def counting(self, project, *args, **kwargs):
        built.append(os.path.basename(project.files[0]))
        return original(self, project, *args, **kwargs)

    monkeypatch.setattr(compose_project._Builder, "project", counting)
    return built


def test_a_file_included_500_times_is_built_once(tmp_path, monkeypatch):
    """500 include entries of one 8 KB file took 9 s (46 s at 60 KB): each was built again."""
    services = "services:\n" + "".join(
        f"  s{i}:\n    image: nginx:${{T:-1}}\n    privileged: true\n" for i in range(150)
    )
    write_tree(
        tmp_path,
        {
            "small.yaml": services,
            "compose.yaml": "include:\n" + "  - small.yaml\n" * 500 + "services:\n  web:\n    image: nginx:1\n",
        },
    )
    built = _count_builds(monkeypatch)
    result = lint_tree(tmp_path, select=["DC102"])
    assert built.count("small.yaml") == 1, len(built)
    assert sum(f.rule_id == "DC102" for f in result.findings) == 150  # each service checked once
    clashes = [f for f in result.findings if f.rule_id == "DC000"]
    assert len(clashes) == 499 and all("defined both here and in the included file" in f.message for f in clashes)


def test_a_file_included_with_other_variables_is_built_for_each(tmp_path, monkeypatch):
    write_tree(
        tmp_path,
        {
            "svc.yaml": "services:\n  web-${NAME}:\n    image: nginx:${TAG}\n",
            "one.env": "TAG=1\n",
            "two.env": "TAG=2\n",
            "compose.yaml": "include:\n  - path: svc.yaml\n    env_file: one.env\n"
            "  - path: svc.yaml\n    env_file: two.env\n",
        },
    )
    built = _count_builds(monkeypatch)
    lint_tree(tmp_path)
    assert built.count("svc.yaml") == 2


# -- item 11: one project's bug does not lose the run -----------------------------------------


def test_an_unexpected_error_in_one_project_is_one_finding_and_the_run_goes_on(tmp_path, monkeypatch):
    write_tree(
        tmp_path,
        {
            "a/compose.yaml": "services:\n  web:\n    image: nginx:1\n    env_file: x.env\n",
            "a/x.env": "A=1\n",
            "b/compose.yaml": "services:\n  web:\n    image: nginx:1\n    privileged: true\n    env_file: y.env\n",
            "b/y.env": "A=1\n",
        },
    )
    original = compose_project._Builder.add_env_files

    def broken(self, models, merged, parser, env):
        if parser.path.startswith("a/"):
            raise RuntimeError("boom")
        return original(self, models, merged, parser, env)

    monkeypatch.setattr(compose_project._Builder, "add_env_files", broken)
    result = lint_tree(tmp_path)
    errors = [f for f in result.findings if f.rule_id == "DC000"]
    assert [(f.path, f.span.line) for f in errors] == [("a/compose.yaml", 1)]
    assert "internal error: RuntimeError" in errors[0].message
    assert any(f.path == "b/compose.yaml" and f.rule_id == "DC102" for f in result.findings)
    assert result.internal_errors == [
        ("a/compose.yaml: internal error while assembling its Compose project: RuntimeError: boom")
    ]


@pytest.mark.parametrize("depth", [65, 2000])
def test_deep_references_in_an_extends_chain_in_process(tmp_path, depth):
    deep = "${A:-" * depth + "x" + "}" * depth
    write_tree(
        tmp_path,
        {
            "base.yaml": f'services:\n  base:\n    image: "{deep}"\n',
            "compose.yaml": "services:\n  web:\n    extends:\n      file: base.yaml\n      service: base\n",
        },
    )
    result = lint_tree(tmp_path)
    assert not result.internal_errors
    assert not [f for f in result.findings if f.rule_id == "DC000"]
    assert any(f"base.yaml: variable references nest more than {VAR_NESTING} levels deep" in n for n in result.notices)


# -- item 6: the configuration is read with the Compose reader's loader and limits -------------


def _mapping_bomb() -> str:
    """700 bytes whose aliases expand to 9**9 mappings (the old loader walked them all)."""
    lines = ["a: &a {k0: x, k1: x, k2: x, k3: x, k4: x, k5: x, k6: x, k7: x, k8: x}"]
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} {{" + ", ".join(f"k{i}: *{prev}" for i in range(9)) + "}")
        prev = name
    return "\n".join(lines) + "\n"


def test_alias_bomb_in_the_configuration_is_a_configuration_error(tmp_path):
    """Was still running after 20 s at 5 GB; now exit 2 naming the file and the limit."""
    (tmp_path / ".git").mkdir()
    write_tree(tmp_path, {".dockerlint.yml": _mapping_bomb(), "Dockerfile": BAD})
    code, _, err, seconds, peak = measured(tmp_path, isolated=False, timeout=30)
    assert code == 2 and seconds < 10 and peak < 150 * MB, (code, seconds, peak, err)
    assert ".dockerlint.yml:5:" in err and "--max-alias-expansion" in err and "Traceback" not in err, err


def test_configuration_aliases_obey_the_limit_of_the_command_line(tmp_path):
    from cli_helpers import repo, run

    repo(tmp_path)
    write_tree(
        tmp_path,
        {
            ".dockerlint.yml": "select: &ids [DF106, DF101]\nextend-select: *ids\n",
            "Dockerfile": "FROM debian\nRUN true\n",
        },
    )
    code, out, err = run(["--no-color", "-q", "."], tmp_path)
    assert code == 1 and "DF106" in out and "DF101" in out, (out, err)
    code, _, err = run(["--no-color", "-q", "--max-alias-expansion", "2", "."], tmp_path)
    assert code == 2 and ".dockerlint.yml:1:" in err and "--max-alias-expansion" in err, err


def test_yaml_values_of_the_configuration_keep_their_types(tmp_path):
    from cli_helpers import repo, run

    repo(tmp_path)
    write_tree(
        tmp_path,
        {
            ".dockerlint.yml": "allow-inline-ignores: no\nselect: [DF101]\n",
            "Dockerfile": "FROM debian:12\n# dockerlint: ignore[DF101] because\nRUN true\n",
        },
    )
    code, out, err = run(["--no-color", "-q", "."], tmp_path)
    assert code == 1 and "DF101" in out, (out, err)  # YAML 1.1 "no" is false: the comment is not honoured
    (tmp_path / ".dockerlint.yml").write_text("allow-inline-ignores: !reset no\n", encoding="utf-8")
    code, _, err = run(["--no-color", "-q", "."], tmp_path)
    assert code == 2 and "!reset" in err, err


# -- item 17: every file read obeys the limits of the command line -----------------------------

_BIG = "# " + "x" * 4000 + "\n"


@pytest.mark.parametrize("case", ["include", "extends", "env_file", "forced-kind"])
def test_files_a_project_refers_to_obey_max_file_size(tmp_path, case):
    """extends / include / env_file targets were read up to a fixed 10 MiB whatever
    --max-file-size said."""
    files = {
        "include": {
            "compose.yaml": "include:\n  - parts.yml\nservices:\n  web:\n    image: nginx:1\n",
            "parts.yml": _BIG + "services:\n  db:\n    image: postgres:16\n",
        },
        "extends": {
            "compose.yaml": "services:\n  web:\n    extends:\n      file: base.yml\n      service: b\n",
            "base.yml": _BIG + "services:\n  b:\n    image: nginx:1\n",
        },
        "env_file": {
            "compose.yaml": "services:\n  web:\n    image: nginx:1\n    env_file: big.env\n",
            "big.env": _BIG + "DOCKER_HOST=tcp://1.2.3.4:2375\n",
        },
        "forced-kind": {
            "stack.txt": "services:\n  web:\n    extends:\n      file: base.txt\n      service: b\n",
            "base.txt": _BIG + "services:\n  b:\n    image: nginx:1\n",
        },
    }[case]
    write_tree(tmp_path, files)
    from cli_helpers import run

    args = ["--no-color", "-q", "--isolated", "--max-file-size", "2000"]
    args += ["--kind", "compose", "stack.txt"] if case == "forced-kind" else ["compose.yaml"]
    _, out, err = run(args, tmp_path)
    errors = [ln for ln in out.splitlines() if " DC000 " in ln]
    assert len(errors) == 1 and "over the 2000-byte limit (raise it with --max-file-size)" in errors[0], out
    assert "Traceback" not in err


@pytest.mark.parametrize("case", ["depth", "aliases"])
def test_files_a_project_refers_to_obey_the_parse_limits(tmp_path, case):
    body = (
        "    x-deep: " + "[" * 12 + "]" * 12 + "\n"
        if case == "depth"
        else "    x-a: &a [1, 2, 3, 4, 5]\n    x-b: [*a, *a, *a, *a]\n"
    )
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  web:\n    extends:\n      file: base.yml\n      service: b\n",
            "base.yml": "services:\n  b:\n    image: nginx:1\n" + body,
        },
    )
    from cli_helpers import run

    _, out, _ = run(["--no-color", "-q", "--isolated", "compose.yaml"], tmp_path)
    assert " DC000 " not in out, out  # within the default limits
    limit = ["--max-depth", "8"] if case == "depth" else ["--max-alias-expansion", "10"]
    _, out, _ = run(["--no-color", "-q", "--isolated", *limit, "compose.yaml"], tmp_path)
    errors = [ln for ln in out.splitlines() if " DC000 " in ln]
    assert len(errors) == 1 and "base.yml" in errors[0] and limit[0] in errors[0], out


def test_standard_input_is_read_only_up_to_the_limit(tmp_path):
    """Item 7: standard input was read whole before --max-file-size was checked (an endless
    pipe filled the memory)."""
    with open("/dev/zero", "rb") as zero:
        code, out, err, seconds, peak = measured(
            tmp_path, "--max-file-size", "1000", "--stdin-filename", "Dockerfile", paths=("-",), stdin=zero, timeout=30
        )
    assert code == 1 and seconds < 10 and peak < 150 * MB, (code, seconds, peak, err)
    assert "Dockerfile:1:1: DF000 error input is over the 1000-byte limit" in out, out


# -- item 8: --show-source shows a window of a long line ------------------------------------------


def test_show_source_cuts_long_lines_to_a_window_around_the_caret(tmp_path):
    """A 30 KB line with 3,000 findings gave 142 MB of output (each finding repeated the whole
    line); now each excerpt is a window of the line, cut with "…", the carets still under
    the span."""
    from cli_helpers import run

    source = "RUN " + " && ".join(["sudo chmod 777 /x"] * 1500)
    write_tree(tmp_path, {"Dockerfile": "FROM alpine:3.20\n" + source + "\n"})
    code, out, err = run(
        ["--isolated", "--no-color", "--select", "DF107,DF108", "--show-source", "Dockerfile"], tmp_path
    )
    assert code == 1 and len(out) < 3_000_000, (len(out), err)
    lines = out.splitlines()
    checked = 0
    for i, header in enumerate(lines):
        m = re.match(r"  2:(\d+)  DF10[78] ", header)
        if m is None:
            continue
        shown, carets = lines[i + 2], lines[i + 3]
        assert shown.startswith("    2 | ") and carets.startswith("      | ")
        text, marks = shown[8:], carets[8:]
        assert len(text) <= 162, len(text)  # 160 characters and a "…" at each cut end
        col = int(m.group(1))
        at = marks.index("^")
        word = source[col - 1 : col - 1 + len(marks) - at]
        assert text[at : at + len(word)] == word, (col, text, marks)
        checked += 1
    assert checked == 3000
    assert any(ln.startswith("    2 | …") for ln in lines) and any(ln.endswith("…") for ln in lines)


def test_a_long_unclosed_expression_in_a_compose_command_is_linear(tmp_path):
    """20,000 words of one unclosed ${…} (100 KB): each word copied and split the whole
    expression again (more than 60 s); now the run is a few seconds."""
    line = ("${aa:-a " * 20_000)[:100_000]
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  web:\n    image: nginx:1\n    command: |-\n      " + line + "\n",
            "other/Dockerfile": BAD,
        },
    )
    code, out, err, seconds, peak = measured(tmp_path, "--select", "ALL", timeout=60)
    assert seconds < 10 and peak < 150 * MB, (seconds, peak)
    assert code == 1 and "other/Dockerfile:" in out and "Traceback" not in err


def test_findings_that_share_a_span_cut_its_text_once(tmp_path, monkeypatch):
    """Each DC117 finding of a word of a Compose command points at the whole command; each
    one copied the command's text for its snippet: quadratic (100 KB of "xoxa-… " words:
    0.05 s at 25 KB, 0.5 s at 100 KB, 1.8 s at 200 KB). The text of a span is cut once."""
    from dockerlint.util import lines

    calls: list[tuple[int, int]] = []
    real = lines.text_between

    def spy(lines, span):
        calls.append((span.line, span.end_line))
        return real(lines, span)

    monkeypatch.setattr(lines, "text_between", spy)
    words = "xoxa-aaaaaaaaaa " * 200
    write_tree(tmp_path, {"compose.yaml": f"services:\n  web:\n    image: nginx:1\n    command: |-\n      {words}\n"})
    result = lint_tree(tmp_path, select=["DC117"])
    assert [f.rule_id for f in result.findings] == ["DC117"]
    assert calls.count((4, 6)) == 1, len(calls)
