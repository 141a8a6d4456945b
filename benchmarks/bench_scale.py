#!/usr/bin/env python3
"""How dockerlint scales: time against the number of files, ``--jobs`` speed-up, peak memory.

    python benchmarks/bench_scale.py                         # trees of 1000, 2500, 5000, 10000 files
    python benchmarks/bench_scale.py --sizes 500,2000 -n 5   # other sizes, more repetitions
    python benchmarks/bench_scale.py --steps memory          # one step only
    python benchmarks/bench_scale.py --keep                  # keep the synthetic trees (path printed)
    python benchmarks/bench_scale.py --steps compose-memory,memory --baseline-src /tmp/old/src   # old vs new

The trees are built in a temporary folder from copies of the corpus's files (the files
dockerlint's own discovery finds there), ``copy0000/<path in the corpus>``,
``copy0001/<path in the corpus>``...: names and folder layout are kept, so every copy is
classified like its original. A last, partial copy takes files evenly spread over the
corpus, so every size has about the corpus's mix of kinds.

Steps (``--steps``, default all four):

* ``linearity``: ``dockerlint --jobs 1 --format json --fail-on never -o /dev/null TREE`` on
  every size, in interleaved rounds after one untimed warm-up each; median and best wall time,
  files/s, time per file relative to the smallest size, and a least-squares fit
  ``time = a + b*n`` with the largest deviation from it.
* ``jobs``: the largest tree with ``--jobs 1``, ``--jobs 2``... up to ``os.cpu_count()`` and
  with no ``--jobs`` (the default), interleaved; speed-up against ``--jobs 1``; the JSON
  report of every run (warm-ups included) must be byte-identical to the first one.
* ``memory``: peak resident memory of ``dockerlint --jobs 1`` on the plain corpus and on the
  largest tree, there with ``--format json`` and ``--format text`` (what the JSON report
  costs), and of the default ``--jobs`` on the largest tree, each run started by a
  fresh, small ``python -c`` wrapper that reads ``ru_maxrss`` from ``os.wait4`` on its
  child; compared with the 80 MiB target on the corpus and the 100 MiB target on 10,000 files
  (both at ``--jobs 1``).
* ``compose-memory``: the corpus's Compose files (as dockerlint's discovery finds them) ten
  times, each copy in a folder of its own as ``compose.yaml`` (one project each): peak RSS of
  ``dockerlint --jobs 1`` with its text output on the tree, against ``compose-lint check`` with
  its text output on the same files, measured the same way, in interleaved runs; the ratio is
  compared with the goal of at most 1.5 times compose-lint's peak.

``--baseline-src DIR`` / ``--baseline-python PY`` (as in ``bench_corpus.py``) add the OLD
dockerlint to the two memory steps, measured in the same rounds as the new one.

If this dockerlint does not accept ``--jobs``, the script says so, skips the ``jobs`` step
and runs the others without the flag. Standard library only (and dockerlint itself).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_corpus import (
    DEFAULT_CORPUS,
    Dockerlint,
    Tool,
    add_baseline_arguments,
    cache_bytecode,
    dockerlints,
    find_exe,
    header,
    load,
    run_once,
    warm_up,
)

DEFAULT_SIZES = (1000, 2500, 5000, 10000)
TARGET_MIB = 80  # the plain corpus, --jobs 1
TREE_TARGET_MIB = 100  # issue 13: the 10,000-file tree, --jobs 1
TREE_TARGET_FILES = 10_000
COMPOSE_GOAL = 1.5  # issue 13: at most 1.5 x compose-lint's peak RSS on the Compose set
COMPOSE_COPIES = 10
STEPS = ("linearity", "jobs", "memory", "compose-memory")

# The memory wrapper, run as ``python -c WRAPPER CMD...`` in a fresh process: it starts CMD
# (stdout to /dev/null), samples the process tree in /proc while it runs, reaps it with
# os.wait4 and prints one JSON line. Its ru_maxrss is the largest peak RSS of the child and
# of the descendants the child waited for (a max, not a sum); at exec the child inherits the
# peak RSS of the wrapper's memory as a floor (a few MiB, printed as "floor"): hence the
# fresh, small wrapper rather than this script, whose memory would be the floor.
WRAPPER = r"""
import json, os, sys, time

def parents():
    out = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    out[int(name)] = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    return out

def status(pid):
    vals = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key, kib = line.split()[:2]
                    vals[key[:-1]] = int(kib)
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    vals["Pss"] = int(line.split()[1])
    except OSError:
        pass
    return vals

floor = status("self").get("VmHWM", 0)
devnull = os.open(os.devnull, os.O_WRONLY)
t0 = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
hwm, peak_tree, procs = {}, 0, 1
while True:
    got, code, ru = os.wait4(pid, os.WNOHANG)
    if got:
        break
    ppid = parents()
    tree, i = [pid], 0
    while i < len(tree):
        tree += [p for p, pp in ppid.items() if pp == tree[i]]
        i += 1
    procs = max(procs, len(tree))
    total = 0
    for p in tree:
        st = status(p)
        total += st.get("Pss", st.get("VmRSS", 0))
        hwm[p] = max(hwm.get(p, 0), st.get("VmHWM", 0))
    peak_tree = max(peak_tree, total)
    time.sleep(0.05)
print(json.dumps({
    "seconds": time.perf_counter() - t0, "exit": os.waitstatus_to_exitcode(code), "maxrss": ru.ru_maxrss,
    "cpu": ru.ru_utime + ru.ru_stime,
    "floor": floor, "main_hwm": hwm.get(pid, 0), "worker_hwm": max([v for p, v in hwm.items() if p != pid] or [0]),
    "tree_peak": peak_tree, "procs": procs,
}))
"""


def discovered(corpus: Path) -> list[str]:
    """The files dockerlint's discovery finds in the corpus, relative, in its order."""
    from dockerlint.discovery import discover

    cands, _errors = discover([str(corpus)])
    return [os.path.relpath(c.abspath, corpus) for c in cands]


def build_tree(corpus: Path, files: list[str], n: int, dest: Path) -> None:
    """``n`` files: whole copies of ``files``, then a partial copy evenly spread over them."""
    full, rest = divmod(n, len(files))
    copies = [(c, rel) for c in range(full) for rel in files]
    copies += [(full, files[k * len(files) // rest]) for k in range(rest)]
    for copy, rel in copies:
        target = dest / f"copy{copy:04d}" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / rel, target)


def count_files(top: Path) -> tuple[int, int]:
    n = size = 0
    for dirpath, _dirs, names in os.walk(top):
        for name in names:
            n += 1
            size += os.path.getsize(os.path.join(dirpath, name))
    return n, size


def interleave(
    tools: list[Tool], cwd: Path, repeat: int, after: Callable[[Tool, str], None] | None = None
) -> list[Tool]:
    """bench_corpus.bench, with a hook called after the warm-up and every timed run."""
    working = []
    for tool in tools:
        if warm_up(tool, cwd):
            working.append(tool)
            if after:
                after(tool, "warm-up")
    for i in range(repeat):
        k = i % len(working) if working else 0
        for tool in working[k:] + working[:k]:  # rotate so no tool always runs first
            run_once(tool, cwd)
            if after:
                after(tool, f"run {i + 1}")
    for tool in working:
        if tool.failed:
            print(f"  {tool.name}: {tool.failed} timed run(s) failed and were not counted")
    return [t for t in working if t.times]


def accepts_jobs(d: Dockerlint, cwd: Path) -> bool | None:
    """True/False: whether ``--jobs`` is accepted; None: dockerlint does not work at all."""
    (cwd / "Dockerfile").write_text("FROM debian:12\n", encoding="utf-8")
    proc = subprocess.run(
        [*d.cmd, "--jobs", "1", "--fail-on", "never", "-o", os.devnull, "Dockerfile"],
        cwd=cwd,
        env=d.env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode == 0:
        return True
    if proc.returncode == 2 and "unrecognized arguments" in proc.stderr:
        return False
    tail = "\n".join("    " + line for line in proc.stderr.strip().splitlines()[-6:])
    print(f"{d.name} does not work (exit code {proc.returncode}); retry in a minute\n{tail}")
    return None


def lint_cmd(dl: list[str], jobs: list[str], out: str, tree: str, fmt: str = "json") -> list[str]:
    return [*dl, *jobs, "--format", fmt, "--fail-on", "never", "-o", out, tree]


def linearity(dl: list[str], jobs1: list[str], root: Path, sizes: list[int], repeat: int) -> None:
    print(f"\n== linearity: {' '.join(lint_cmd(dl, jobs1, os.devnull, 'TREE'))}")
    tools = [Tool(f"{n}", lint_cmd(dl, jobs1, os.devnull, f"tree-{n}"), (0, 2)) for n in sizes]
    done = {int(t.name): statistics.median(t.times) for t in interleave(tools, root, repeat)}
    if not done:
        return
    best = {int(t.name): min(t.times) for t in tools if t.times}
    a, b = fit(done) if len(done) > 1 else (None, None)
    n0 = min(done)
    per0 = done[n0] / n0
    print(
        f"  {'files':>6}  {'best':>9}  {'median':>9}  {'files/s':>8}  {'ms/file':>8}  {'vs fit':>7}  per file vs {n0}"
    )
    dev = {}
    for n, t in sorted(done.items()):
        if a is not None and b is not None:
            dev[n] = (t - (a + b * n)) / (a + b * n) * 100
        off = f"{dev[n]:+6.1f}%" if n in dev else "      -"
        print(f"  {n:>6}  {best[n]:8.3f}s  {t:8.3f}s  {n / t:8.0f}  {t / n * 1000:8.3f}  {off}  {t / n / per0:.2f}x")
    if a is not None and b is not None:
        worst = max(dev, key=lambda x: abs(dev[x]))
        print(
            f"  least-squares fit of the medians: time = {a:.3f}s + {b * 1000:.3f} ms x files; "
            f"max deviation from it: {dev[worst]:+.1f}% (at {worst} files)"
        )
        a, b = fit(best)
        print(f"  (fit of the best times, less noisy on a busy machine: {a:.3f}s + {b * 1000:.3f} ms x files)")


def fit(points: dict[int, float]) -> tuple[float, float]:
    """Least squares: time = a + b * files."""
    xs, ys = list(points), list(points.values())
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return my - b * mx, b


def first_difference(ref: bytes, got: bytes) -> str:
    """The first differing finding of two JSON reports (or the first differing byte)."""
    try:
        a, b = json.loads(ref), json.loads(got)
    except ValueError:
        a = b = None
    if isinstance(a, dict) and isinstance(b, dict):
        fa, fb = a.get("findings") or [], b.get("findings") or []
        for i, (x, y) in enumerate(zip(fa, fb)):
            if x != y:
                return f"finding #{i}:\n    expected {json.dumps(x)[:400]}\n    got      {json.dumps(y)[:400]}"
        if len(fa) != len(fb):
            extra = (fa if len(fa) > len(fb) else fb)[min(len(fa), len(fb))]
            return f"{len(fa)} findings expected, {len(fb)} got; first extra: {json.dumps(extra)[:400]}"
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return f"key {key!r}: expected {json.dumps(a.get(key))[:300]}, got {json.dumps(b.get(key))[:300]}"
    i = next((i for i, (x, y) in enumerate(zip(ref, got)) if x != y), min(len(ref), len(got)))
    return f"byte {i}: expected {ref[i : i + 80]!r}, got {got[i : i + 80]!r}"


def jobs_step(dl: list[str], root: Path, n: int, repeat: int) -> None:
    cpus = os.cpu_count() or 1
    variants = [(f"--jobs {j}", ["--jobs", str(j)], f"jobs{j}.json") for j in range(1, cpus + 1)]
    variants.append(("default", [], "default.json"))  # no --jobs flag
    print(f"\n== --jobs on {n} files: {' '.join(lint_cmd(dl, ['--jobs', 'J'], 'OUT.json', 'TREE'))} ({cpus} CPUs)")
    outdir = root / "jobs-out"
    outdir.mkdir(exist_ok=True)
    outputs = {name: outdir / out for name, _flags, out in variants}
    tools = [Tool(name, lint_cmd(dl, flags, str(outputs[name]), f"tree-{n}"), (0, 2)) for name, flags, _out in variants]
    ref: dict[str, bytes] = {}
    mismatches: list[str] = []
    checked = 0

    def compare(tool: Tool, when: str) -> None:
        nonlocal checked
        data = outputs[tool.name].read_bytes()
        if not ref:
            ref["name"], ref["data"] = f"{tool.name} ({when})".encode(), data
            return
        checked += 1
        if data != ref["data"]:
            mismatches.append(
                f"{tool.name} ({when}) differs from {ref['name'].decode()}: {first_difference(ref['data'], data)}"
            )

    done = interleave(tools, root, repeat, compare)
    if not done:
        return
    base = next((t for t in done if t.name == "--jobs 1"), None)
    print(f"  {'jobs':<9}  {'best':>9}  {'median':>9}  {'files/s':>8}  speed-up vs --jobs 1 (median)")
    for t in done:
        med = statistics.median(t.times)
        speed = f"{statistics.median(base.times) / med:.2f}x" if base else "-"
        print(f"  {t.name:<9}  {min(t.times):8.3f}s  {med:8.3f}s  {n / med:8.0f}  {speed}")
    if not ref:
        return
    if mismatches:
        print(f"  JSON output: MISMATCH in {len(mismatches)} of {checked} runs compared")
        for line in mismatches[:3]:
            print(f"    {line}")
    else:
        try:
            s = json.loads(ref["data"]).get("summary", {})
            what = f"{s.get('files')} files, {s.get('findings')} findings, "
        except (ValueError, AttributeError):
            what = ""
        print(f"  JSON output: OK, byte-identical in all {checked + 1} runs ({what}{len(ref['data']) / 1e6:.2f} MB)")


def measure_memory(
    cmd: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    ok_codes: tuple[int, ...] = (0, 2),
    name: str = "dockerlint",
) -> dict | None:
    proc = subprocess.run(
        [sys.executable, "-c", WRAPPER, *cmd], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    try:
        res = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        print(f"  wrapper failed (exit code {proc.returncode}): {proc.stderr.strip()[-500:]}")
        return None
    if res["exit"] not in ok_codes or "Traceback (most recent call last)" in proc.stderr:
        print(f"  {name} failed (exit code {res['exit']}): {proc.stderr.strip()[-500:]}")
        return None
    return res


MIB = 1024  # ru_maxrss and /proc figures are in KiB


def mib(runs: list[dict], key: str, how: Callable = statistics.median) -> float:
    return how(r[key] for r in runs) / MIB


def memory_step(
    impls: list[Dockerlint], jobs_ok: dict[str, bool], root: Path, corpus: Path, n: int, repeat: int
) -> None:
    jobs1 = {d.name: ["--jobs", "1"] if jobs_ok[d.name] else [] for d in impls}
    print(
        f"\n== peak memory: {' '.join(lint_cmd(['dockerlint'], ['--jobs', '1'], os.devnull, 'TREE'))}, "
        f"{repeat} run(s) each"
    )
    print(
        "  maxrss: ru_maxrss from os.wait4 on dockerlint's process, the largest peak RSS of it and of "
        "the\n  workers it waited for; tree: sampled (50 ms) peak of the summed PSS of the process tree"
    )
    # (label, target, --jobs 1, folder, format): the tree with --format text too, which tells
    # the cost of building the JSON report (streamed by WP5.3) from the cost of the run.
    cases = [
        ("corpus", str(corpus), True, corpus.parent, "json"),
        (f"{n} files", f"tree-{n}", True, root, "json"),
        (f"{n} files", f"tree-{n}", True, root, "text"),
    ]
    if any(jobs_ok.values()) and (os.cpu_count() or 1) > 1:
        cases.append((f"{n} files", f"tree-{n}", False, root, "json"))
    width = max(len(d.name) for d in impls)
    floor = 0.0
    print(
        f"  {'dockerlint':<{width}}  {'input':<12} {'jobs':<8} {'format':<6} {'maxrss':>8} {'(max)':>8} {'tree':>8} "
        f"{'main':>8} {'worker':>8} {'procs':>5} {'CPU':>7}  target"
    )
    for label, target, one_job, cwd, fmt in cases:
        medians: dict[str, float] = {}
        sides = [d for d in impls if one_job or jobs_ok[d.name]]
        results: dict[str, list[dict]] = {d.name: [] for d in sides}
        for i in range(repeat):  # old and new interleaved, the order rotating
            k = i % len(sides) if sides else 0
            for d in sides[k:] + sides[:k]:
                jobs = jobs1[d.name] if one_job else []
                r = measure_memory(lint_cmd(d.cmd, jobs, os.devnull, target, fmt), cwd, d.env, name=d.name)
                if r:
                    results[d.name].append(r)
        for d in sides:
            jobs = jobs1[d.name] if one_job else []
            runs = results[d.name]
            if not runs:
                continue
            med = medians[d.name] = mib(runs, "maxrss")
            if not one_job:
                verdict = "(the targets are for --jobs 1)"
            elif fmt != "json":
                verdict = f"(the targets are for --format json: {med - TREE_TARGET_MIB:+.1f} MiB vs {TREE_TARGET_MIB})"
            elif label == "corpus":
                verdict = (
                    f"{'OK' if med <= TARGET_MIB else 'ABOVE TARGET'} ({med - TARGET_MIB:+.1f} MiB vs {TARGET_MIB} MiB)"
                )
            elif n == TREE_TARGET_FILES:
                verdict = (
                    f"{'OK' if med <= TREE_TARGET_MIB else 'ABOVE TARGET'} ({med - TREE_TARGET_MIB:+.1f} "
                    f"MiB vs {TREE_TARGET_MIB} MiB)"
                )
            else:
                verdict = f"(the {TREE_TARGET_MIB} MiB target is for {TREE_TARGET_FILES} files)"
            jobs_txt = " ".join(jobs) or ("default" if jobs_ok[d.name] else "-")
            cpu = statistics.median(r.get("cpu", 0.0) for r in runs)
            print(
                f"  {d.name:<{width}}  {label:<12} {jobs_txt:<8} {fmt:<6} {med:6.1f}Mi "
                f"{mib(runs, 'maxrss', max):6.1f}Mi "
                f"{mib(runs, 'tree_peak'):6.1f}Mi {mib(runs, 'main_hwm'):6.1f}Mi "
                f"{mib(runs, 'worker_hwm', max):6.1f}Mi {max(r['procs'] for r in runs):>5} {cpu:6.1f}s  {verdict}"
            )
            floor = max(floor, mib(runs, "floor", max))
        if len(medians) == 2:
            new, old = (medians[d.name] for d in impls)
            print(f"  {'':<{width}}  new - old: {new - old:+.1f} MiB (new/old {new / old:.2f}x)")
    print(
        f"  (maxrss: median of the runs, (max): largest; main/worker: sampled VmHWM; CPU: user + system, "
        f"median;\n  floor inherited from the wrapper: {floor:.1f} MiB)"
    )


def compose_files(corpus: Path) -> list[str]:
    """The corpus's Compose files as this dockerlint's discovery finds them (by name and by
    content), relative, in its order."""
    from dockerlint.discovery import discover

    cands, _errors = discover([str(corpus)])
    return [os.path.relpath(c.abspath, corpus) for c in cands if c.kind == "compose"]


def build_compose_set(corpus: Path, files: list[str], copies: int, dest: Path) -> list[str]:
    """``copies`` copies of ``files``, each file in a folder of its own, as
    ``copyNN/fNNNNN/compose.yaml``: each is a project of its own, and every dockerlint, old or
    new, finds it by that name (whatever its discovery by content does). The relative paths."""
    out = []
    for c in range(copies):
        for k, rel in enumerate(files):
            path = f"copy{c:02d}/f{c * len(files) + k:05d}/compose.yaml"
            target = dest / path
            target.parent.mkdir(parents=True)
            shutil.copyfile(corpus / rel, target)
            out.append(path)
    return out


def summary_line(stdout: str) -> str:
    """The last line of a text report that counts files: dockerlint's 'Found N findings in M
    files' and compose-lint's 'M files scanned ...' (what each says it covered)."""
    lines = [line.strip() for line in stdout.splitlines() if re.search(r"\b\d+ files?\b", line)]
    return lines[-1][:160] if lines else "(no summary line)"


def compose_memory_step(
    impls: list[Dockerlint], jobs_ok: dict[str, bool], root: Path, corpus: Path, repeat: int
) -> None:
    files = compose_files(corpus)
    if not files:
        print("\n== compose-memory: no Compose files in the corpus")
        return
    tree = root / "compose-set"
    paths = build_compose_set(corpus, files, COMPOSE_COPIES, tree)
    size = sum((tree / p).stat().st_size for p in paths)
    print(
        f"\n== compose-memory: the corpus's {len(files)} Compose files x {COMPOSE_COPIES}, one folder (one "
        f"project) each: {len(paths)} files, {size / 1e6:.1f} MB; text output; {repeat} interleaved run(s) each"
    )
    # (name, command, environment, exit codes accepted)
    tools: list[tuple[str, list[str], dict[str, str] | None, tuple[int, ...]]] = [
        (d.name, [*d.cmd, *(["--jobs", "1"] if jobs_ok[d.name] else []), "--fail-on", "never", "."], d.env, (0, 2))
        for d in impls
    ]
    compose_lint = find_exe("compose-lint")
    if compose_lint:
        # exit 1: findings at or above --fail-on; 2: a file it could only partly lint
        tools.append(("compose-lint", [compose_lint, "check", *paths], None, (0, 1, 2)))
    else:
        print("  compose-lint not installed (pip install 'dockerlint[bench]'): no ratio")
    for name, cmd, *_ in tools:
        print(f"  {name}: {' '.join(cmd[:6])}{' ...' if len(cmd) > 6 else ''}")
    working = []
    for tool in tools:  # warm-up (file cache), and what each says it covered
        name, cmd, env, codes = tool
        proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, check=False, errors="replace")
        if proc.returncode in codes and "Traceback (most recent call last)" not in proc.stderr:
            print(f"  {name} warm-up: {summary_line(proc.stdout)}")
            working.append(tool)
        else:
            print(f"  {name}: exit code {proc.returncode}; left out\n    {proc.stderr.strip()[-400:]}")
    results: dict[str, list[dict]] = {name: [] for name, *_ in working}
    for i in range(repeat):
        k = i % len(working) if working else 0
        for name, cmd, env, codes in working[k:] + working[:k]:
            r = measure_memory(cmd, tree, env, codes, name)
            if r:
                results[name].append(r)
    width = max([len(name) for name in results] + [4])
    print(f"  {'tool':<{width}}  {'maxrss':>8} {'(max)':>8} {'wall':>7} {'CPU':>7}  runs")
    for name, runs in results.items():
        if runs:
            print(
                f"  {name:<{width}}  {mib(runs, 'maxrss'):6.1f}Mi {mib(runs, 'maxrss', max):6.1f}Mi "
                f"{statistics.median(r['seconds'] for r in runs):6.1f}s "
                f"{statistics.median(r.get('cpu', 0.0) for r in runs):6.1f}s  {len(runs)}"
            )
    peer = results.get("compose-lint")
    if peer:
        goal = COMPOSE_GOAL * mib(peer, "maxrss")
        for d in impls:
            if results.get(d.name):
                med = mib(results[d.name], "maxrss")
                ok = "OK" if med <= goal else "ABOVE GOAL"
                print(
                    f"  {d.name}/compose-lint: {med / mib(peer, 'maxrss'):.2f}x peak RSS; goal <= {COMPOSE_GOAL}x "
                    f"= {goal:.1f} MiB: {ok} ({med - goal:+.1f} MiB)"
                )
    if len(impls) == 2 and all(results.get(d.name) for d in impls):
        new, old = (mib(results[d.name], "maxrss") for d in impls)
        print(f"  new - old: {new - old:+.1f} MiB (new/old {new / old:.2f}x)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"default: {DEFAULT_CORPUS}")
    p.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="tree sizes in files, comma-separated (default: %(default)s); the largest is "
        "used for the jobs and memory steps",
    )
    p.add_argument("-n", "--repeat", type=int, default=3, help="timed runs per case (default 3; median)")
    p.add_argument("--steps", default=",".join(STEPS), help="some of: %(default)s")
    p.add_argument("--keep", action="store_true", help="keep the synthetic trees (the path is printed)")
    add_baseline_arguments(p)
    args = p.parse_args(argv)
    try:
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        p.error(f"--sizes: not a list of integers: {args.sizes}")
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    if not sizes or min(sizes) < 1 or any(s not in STEPS for s in steps) or args.repeat < 1:
        p.error("--sizes needs positive integers, --steps some of " + ",".join(STEPS) + ", -n at least 1")
    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"no corpus at {corpus} (use --corpus PATH)", file=sys.stderr)
        return 2

    cache_bytecode()  # before dockerlints(), which copies the environment the timed runs get
    impls = dockerlints(args.baseline_src, args.baseline_python)
    if impls is None:
        return 2
    dl = impls[0].cmd
    cpus = os.cpu_count()
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    print(f"corpus: {corpus}")
    header(impls)
    print(
        f"python: {sys.version.split()[0]}, {cpus} CPUs ({affinity} usable), load average "
        f"{load()}; {args.repeat} run(s) per case after a warm-up"
    )
    if len(impls) > 1 and {"linearity", "jobs"} & set(steps):
        print(f"note: {impls[1].name} is measured in the memory steps only; linearity and jobs time the new one")

    root = Path(tempfile.mkdtemp(prefix="dockerlint-scale-"))
    try:
        probe = root / "probe"
        probe.mkdir()
        jobs_by_name = {}
        for d in impls:
            accepted = accepts_jobs(d, probe)
            if accepted is None:
                return 2
            if not accepted:
                print(
                    f"NOTE: {d.name} does not accept --jobs (exit code 2, 'unrecognized arguments'): "
                    "it runs without the flag" + (" and the jobs step is skipped" if d is impls[0] else "")
                )
            jobs_by_name[d.name] = accepted
        jobs_ok = jobs_by_name[impls[0].name]
        need = sizes if "linearity" in steps else [sizes[-1]] if {"jobs", "memory"} & set(steps) else []
        if need:
            files = discovered(corpus)
            t0 = time.perf_counter()
            for n in need:
                build_tree(corpus, files, n, root / f"tree-{n}")
            built = {n: count_files(root / f"tree-{n}") for n in need}
            print(
                f"trees: {len(files)} files per copy of the corpus; built in {time.perf_counter() - t0:.1f}s "
                f"under {root}: " + ", ".join(f"{c} files ({b / 1e6:.1f} MB)" for c, b in built.values())
            )
            for n, (c, _) in built.items():
                if c != n:
                    print(f"  tree-{n} has {c} files, not {n}")
        jobs1 = ["--jobs", "1"] if jobs_ok else []
        if "linearity" in steps:
            linearity(dl, jobs1, root, sizes, args.repeat)
        if "jobs" in steps:
            if jobs_ok:
                jobs_step(dl, root, sizes[-1], args.repeat)
            else:
                print("\n== --jobs: SKIPPED, this dockerlint does not accept --jobs")
        if "memory" in steps:
            memory_step(impls, jobs_by_name, root, corpus, sizes[-1], args.repeat)
        if "compose-memory" in steps:
            compose_memory_step(impls, jobs_by_name, root, corpus, args.repeat)
        print(f"\nload average at the end: {load()}")
    finally:
        if args.keep:
            print(f"trees kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
