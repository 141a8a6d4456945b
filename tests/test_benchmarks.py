"""The A/B arithmetic of benchmarks/bench_corpus.py: old/new ratios paired by round."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bench_corpus():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "benchmarks" / "bench_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_corpus"] = module
    spec.loader.exec_module(module)
    return module


bc = _bench_corpus()


def test_ratios_are_paired_by_round_and_a_failed_run_drops_its_round():
    old = bc.Tool("dockerlint (old)", [], cpu=[1.0, 2.0, 3.0, 4.0], times=[5.0, 6.0, 7.0, 8.0], rounds=[0, 1, 2, 3])
    # the new one's run of round 1 failed: rounds 0, 2 and 3 only
    new = bc.Tool("dockerlint", [], cpu=[2.0, 3.0, 8.0], times=[10.0, 7.0, 4.0], rounds=[0, 2, 3])
    assert bc.paired(old, new) == [0.5, 1.0, 0.5]
    assert bc.paired(old, new, cpu=False) == [0.5, 1.0, 2.0]
    assert bc.spread([]) == "no paired rounds"
    assert bc.spread([0.5, 1.0, 0.5]) == "median 0.500, range 0.500-1.000 (3 rounds)"
    assert bc.spread([0.9, 1.0, 1.1, 1.2]) == "median 1.050, quartiles 0.925-1.175, range 0.900-1.200 (4 rounds)"


def test_the_rounds_of_each_counted_run_are_recorded(tmp_path):
    ok = bc.Tool("true", [sys.executable, "-c", "pass"])
    bad = bc.Tool("false", [sys.executable, "-c", "raise SystemExit(3)"])
    bc.run_once(ok, tmp_path, 4)
    bc.run_once(bad, tmp_path, 4)
    assert ok.rounds == [4] and len(ok.times) == 1 and bad.rounds == [] and bad.failed == 1


def _bench_scale():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "benchmarks" / "bench_scale.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # imports bench_corpus: registered above
    return module


def test_bench_scale_times_runs_with_cached_bytecode(tmp_path, monkeypatch):
    """With PYTHONDONTWRITEBYTECODE inherited, every timed run compiled the whole source tree
    again (bench_corpus.py's problem, fixed there first): the timed processes, whose
    environment is copied when the dockerlints are set up, must cache their bytecode."""
    bs = _bench_scale()
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", str(tmp_path / "pyc"))
    seen = {}

    def dockerlints(*args):  # type: ignore[no-untyped-def]
        seen.update(bytecode=os.environ.get("PYTHONDONTWRITEBYTECODE"), prefix=os.environ.get("PYTHONPYCACHEPREFIX"))
        return None  # stop here: main returns 2

    monkeypatch.setattr(bs, "dockerlints", dockerlints)
    assert bs.main(["--corpus", str(tmp_path)]) == 2
    assert seen == {"bytecode": None, "prefix": str(tmp_path / "pyc")}


def test_bench_scale_memory_measures_the_tree_with_text_output_too(tmp_path, monkeypatch, capsys):
    """The 10,000-file target is for --format json; the same tree with --format text tells the
    run's own peak from the report's (the JSON report is streamed by another work package)."""
    bs = _bench_scale()
    ran = []

    def measure(cmd, cwd, env=None, ok_codes=(0, 2), name="dockerlint"):  # type: ignore[no-untyped-def]
        ran.append(cmd)
        kib = 90 * 1024 if "text" in cmd else 120 * 1024
        return {"maxrss": kib, "floor": 0, "tree_peak": kib, "main_hwm": kib, "worker_hwm": 0, "procs": 1, "cpu": 1.0}

    monkeypatch.setattr(bs, "measure_memory", measure)
    new = bs.Dockerlint("dockerlint", ["dockerlint"], sys.executable)
    bs.memory_step([new], {"dockerlint": False}, tmp_path, tmp_path / "corpus", 10000, 1)
    formats = [(c[c.index("--format") + 1], c[-1]) for c in ran]
    assert formats == [("json", str(tmp_path / "corpus")), ("json", "tree-10000"), ("text", "tree-10000")]
    out = capsys.readouterr().out
    assert "ABOVE TARGET (+20.0 MiB vs 100 MiB)" in out  # json, the target's format
    assert "(the targets are for --format json: -10.0 MiB vs 100)" in out
