"""Worker processes for the files linted on their own (``--jobs``).

The workers are forked once the configuration files (Compose projects, daemons) and the
Dockerfiles they build are in memory, so each worker starts with that context and no
models are pickled on the way in; each lints the chunks of file indexes it is sent, one
at a time, and sends back their final findings. Results are yielded in the files' order,
so the output is the same whatever the number of workers. Where ``fork`` is not
available (Windows), the run stays in one process. A worker that dies (killed, out of
memory) does not hang or sink the run: the files it had not answered for are linted in
this process, and a notice says so.

Interruptions. Ctrl-C sends SIGINT to the terminal's whole process group: workers ignore
it (they are forked with SIGINT blocked, so not even a worker being born can print a
``KeyboardInterrupt`` traceback) and the run, on its ``KeyboardInterrupt`` or any other
way out, kills them before it goes on. A run that is killed outright (SIGKILL, the OOM
killer) cannot do that, so each worker watches its parent: on Linux the kernel sends it
SIGKILL when the parent dies (``PR_SET_PDEATHSIG``); elsewhere a thread checks the parent
several times a second; and a worker waiting for work reads end-of-file on its pipe.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

# What the forked workers inherit (set just before forking, cleared after).
_STATE: dict[str, Any] = {}
AHEAD = 2  # chunks sent to a worker before it answers
WATCH_INTERVAL = 0.2  # seconds between two checks of the parent, without PR_SET_PDEATHSIG
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _lint_one(i: int) -> tuple[int, Any]:
    engine = _STATE["engine"]
    return i, engine._lint_streamed(_STATE["candidates"][i], _STATE["options"][i], _STATE["scan"])


# -- in the workers --------------------------------------------------------------------------------


def worker_signals() -> None:
    """Ignore SIGINT: Ctrl-C is the run's to handle (it kills its workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def watch_parent(parent: int, pdeathsig: bool = True) -> None:
    """End this process as soon as process ``parent`` (the run) is gone.

    With ``pdeathsig`` on Linux, the kernel kills this process when its parent dies;
    otherwise a daemon thread compares ``os.getppid()`` with ``parent`` (an orphan is
    adopted by another process) every :data:`WATCH_INTERVAL` seconds.
    """
    if not (pdeathsig and _set_pdeathsig()):
        threading.Thread(target=_watch, args=(parent,), name="dockerlint-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # died before the watch began
        os._exit(1)


def _set_pdeathsig() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError, ValueError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)


def _worker(conn: Connection, parent: int, inherited: list[Connection]) -> None:
    worker_signals()
    watch_parent(parent)
    for c in inherited:  # the run's ends of the pipes: only the run may hold them, so that
        c.close()  # each side sees end-of-file when the other is gone
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return  # the run is gone or done
        if chunk is None:
            return
        try:
            payload: tuple[str, Any] = ("ok", [_lint_one(i) for i in chunk])
        except Exception as exc:  # noqa: BLE001 -- sent to the run, which raises it
            payload = ("error", exc)
        try:
            try:
                conn.send(payload)
            except Exception as exc:  # noqa: BLE001 -- an outcome or exception that cannot be pickled
                conn.send(("error", RuntimeError(f"a worker could not send its result: {type(exc).__name__}: {exc}")))
        except OSError:
            return  # the run is gone


# -- in the run ------------------------------------------------------------------------------------


class _Workers:
    """The forked worker processes and the run's end of a pipe to each."""

    def __init__(self) -> None:
        self.procs: list[Any] = []
        self.conns: list[Connection] = []

    def start(self, n: int) -> None:
        ctx = multiprocessing.get_context("fork")
        parent = os.getpid()
        blocked = hasattr(signal, "pthread_sigmask")
        # Forked with SIGINT blocked: a worker ignores it before it can receive it. A Ctrl-C
        # meanwhile stays pending here and is raised once the workers exist (and are killed).
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if blocked else None
        try:
            for _ in range(n):
                mine, theirs = ctx.Pipe()
                proc = ctx.Process(
                    target=_worker, args=(theirs, parent, [*self.conns, mine]), name="dockerlint-worker", daemon=True
                )
                self.conns.append(mine)
                try:
                    proc.start()
                finally:
                    theirs.close()
                self.procs.append(proc)
        finally:
            if old is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, old)

    def stop(self, kill: bool) -> None:
        """End the workers: idle ones leave on end-of-file; with ``kill``, or past a short
        wait, they are killed (SIGKILL: a worker may be in the middle of a file). A second
        Ctrl-C meanwhile is ignored, so that no worker outlives the run."""
        restore = None
        if kill and threading.current_thread() is threading.main_thread():
            restore = signal.getsignal(signal.SIGINT)
            if restore is not None:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            for c in self.conns:
                c.close()
            if kill:
                for p in self.procs:
                    p.kill()
            deadline = time.monotonic() + 2.0
            for p in self.procs:
                p.join(max(0.0, deadline - time.monotonic()))
                if p.exitcode is None:
                    p.kill()
                    p.join()
        finally:
            if restore is not None:
                signal.signal(signal.SIGINT, restore)


def _death(proc: Any) -> str:
    proc.join(1.0)
    code = proc.exitcode
    if code is None:
        return "it stopped answering"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


class _Feed:
    """Hands chunks of file indexes to the workers (:data:`AHEAD` each at a time) and keeps
    their answers until the files before them are answered too."""

    def __init__(self, workers: _Workers, todo: list[int], jobs: int) -> None:
        size = max(1, min(32, len(todo) // (jobs * 8)))
        self.chunks = [todo[k : k + size] for k in range(0, len(todo), size)]
        self.todo = todo
        self.workers = workers
        self.number = {conn: n for n, conn in enumerate(workers.conns)}
        self.sent = dict.fromkeys(workers.conns, 0)  # chunks sent and not answered yet, per worker
        self.next = 0
        self.got: dict[int, Any] = {}

    def _send(self, conn: Connection) -> None:
        if self.next < len(self.chunks):
            conn.send(self.chunks[self.next])
            self.sent[conn] += 1
            self.next += 1

    def _receive(self) -> str | None:
        """Take the answers of the workers that are ready, and send each its next chunk; how a
        worker died (its pipe closed), or None."""
        for ready in wait([c for c, k in self.sent.items() if k]):
            assert isinstance(ready, Connection)
            conn = ready
            try:
                kind, payload = conn.recv()
            except (EOFError, OSError):
                return _death(self.workers.procs[self.number[conn]])
            if kind == "error":
                raise payload
            self.got.update(payload)
            self.sent[conn] -= 1
            self._send(conn)
        return None

    def run(self, notices: list[str]) -> Iterator[tuple[int, Any]]:
        """(index, outcome) in the order of ``todo``; after a worker died, the files not
        answered yet are linted in this process."""
        for _ in range(AHEAD):  # a chunk in hand and one queued: no worker waits for the run
            for conn in self.workers.conns:
                self._send(conn)
        todo, got = self.todo, self.got
        pos = 0
        dead: str | None = None
        while pos < len(todo) and dead is None:
            while pos < len(todo) and todo[pos] in got:
                yield todo[pos], got.pop(todo[pos])
                pos += 1
            if pos < len(todo):
                dead = self._receive()
        if dead is None:
            return
        self.workers.stop(kill=True)
        left = [i for i in todo[pos:] if i not in got]
        notices.append(
            f"a worker process died ({dead}); the remaining {len(left)} files were linted in the main process"
        )
        for i in todo[pos:]:
            yield (i, got.pop(i)) if i in got else _lint_one(i)


def lint(
    engine: Any, candidates: list[Any], cand_opts: list[Any], todo: list[int], scan: Any, jobs: int, notices: list[str]
) -> Iterator[tuple[int, Any]]:
    """Lint the candidates at indexes ``todo`` in ``jobs`` processes; yields (index, outcome)
    in the order of ``todo``."""
    _STATE.update(engine=engine, candidates=candidates, options=cand_opts, scan=scan)
    workers = _Workers()
    clean = False
    try:
        try:
            workers.start(jobs)
        except OSError as exc:  # a process limit (EAGAIN), no file descriptors left (EMFILE)
            workers.stop(kill=True)
            notices.append(
                f"could not start worker processes ({exc.strerror or exc}); the files were linted in the main process"
            )
            for i in todo:
                yield _lint_one(i)
            clean = True
            return
        yield from _Feed(workers, todo, jobs).run(notices)
        clean = True
    finally:
        workers.stop(kill=not clean)
        _STATE.clear()
