"""Worker processes for the files linted on their own (``--jobs``).

The workers are forked once the configuration files (Compose projects, daemons) and the
Dockerfiles they build are in memory, so each worker starts with that context and no
models are pickled on the way in; each lints a share of the remaining files and sends back
their final findings. Results come back in the files' order, so the output is the same
whatever the number of workers. Where ``fork`` is not available (Windows), the run stays
in one process. A worker that dies (killed, out of memory) does not hang or sink the run:
the files it had not answered for are linted in this process, and a notice says so.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from typing import Any

# What the forked workers inherit (set just before forking, cleared after).
_STATE: dict[str, Any] = {}


def available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _lint_one(i: int) -> tuple[int, Any]:
    engine = _STATE["engine"]
    return i, engine._lint_streamed(_STATE["candidates"][i], _STATE["options"][i], _STATE["scan"])


def lint(engine: Any, candidates: list[Any], cand_opts: list[Any], todo: list[int], scan: Any,
         jobs: int, notices: list[str]) -> Iterator[tuple[int, Any]]:
    """Lint the candidates at indexes ``todo`` in ``jobs`` processes; yields (index, outcome)
    in the order of ``todo``."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _STATE.update(engine=engine, candidates=candidates, options=cand_opts, scan=scan)
    chunk = max(1, min(32, len(todo) // (jobs * 8)))
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            for got in pool.map(_lint_one, todo, chunksize=chunk):
                done += 1
                yield got
    except BrokenProcessPool as exc:
        notices.append(f"a worker process died ({exc or 'no reason given'}); the remaining "
                       f"{len(todo) - done} files were linted in the main process")
        for i in todo[done:]:
            yield _lint_one(i)
    finally:
        _STATE.clear()
