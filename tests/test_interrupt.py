"""Ctrl-C and killed runs with worker processes (``--jobs``).

Ctrl-C sends SIGINT to the whole foreground process group: the run and its workers. The
run must end within seconds with exit code 130 and no traceback, every time, and leave no
worker behind. A run that is killed outright (SIGKILL, the OOM killer) cannot clean up:
its workers must notice that their parent is gone and end too.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dockerlint.core import parallel

pytestmark = [
    pytest.mark.skipif(not parallel.available(), reason="worker processes need fork (POSIX)"),
    pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds the workers through /proc"),
]

DL = [sys.executable, "-m", "dockerlint"]
RUNS = 5  # the deadlock this guards against happened about one run in five


@pytest.fixture(scope="module")
def big_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough files that two workers are busy for several seconds (about 4 s here in 0.2.0): the
    run must outlast start-up plus the test's longest wait before Ctrl-C, or the signal lands
    after the run ended (once the 2,400 one-line files took 0.7 s, the test raced the exit)."""
    root = tmp_path_factory.mktemp("big")
    (root / ".git").mkdir()
    for k in range(1200):
        d = root / f"s{k:04d}"
        d.mkdir()
        runs = "".join(f"RUN apt-get update && apt-get install -y curl{k}-{j}\n" for j in range(90))
        (d / "Dockerfile").write_text(f"FROM debian:12\n{runs}USER root\n", encoding="utf-8")
        (d / "run.sh").write_text(f"docker run --privileged -v /:/host img{k}\n", encoding="utf-8")
    return root


def children(pid: int) -> set[int]:
    """The live (not zombie) processes whose parent is ``pid``."""
    out = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            out.add(int(entry))
    return out


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def with_sigint(disposition: str, argv: list[str]) -> list[str]:
    """``argv`` exec'd with SIGINT set to ``disposition`` ("SIG_DFL", as a terminal's foreground
    job has it, or "SIG_IGN"). Whoever runs this suite may ignore SIGINT (a non-interactive shell
    does for `pytest &`), and an ignored SIGINT is inherited across exec, where the run rightly
    keeps ignoring it."""
    code = (
        f"import os, signal, sys; signal.signal(signal.SIGINT, signal.{disposition}); "
        "os.execv(sys.argv[1], sys.argv[1:])"
    )
    return [sys.executable, "-c", code, *argv]


def start_with_workers(tree: Path, disposition: str = "SIG_DFL") -> tuple[subprocess.Popen[bytes], set[int]]:
    proc = subprocess.Popen(
        with_sigint(disposition, [*DL, "--jobs", "2", "."]),
        cwd=tree,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2:
        assert proc.poll() is None, "the run ended before its workers started"
        assert time.monotonic() < deadline, "no workers after 60 s"
        time.sleep(0.02)
        workers = children(proc.pid)
    return proc, workers


def test_ctrl_c_ends_the_run_quietly_with_130(big_tree: Path) -> None:
    rng = random.Random(11)
    for attempt in range(RUNS):
        proc, workers = start_with_workers(big_tree)
        time.sleep(rng.uniform(0.0, 0.8))  # anywhere in the run: forking, linting, collecting
        assert proc.poll() is None
        os.killpg(proc.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
        start = time.monotonic()
        if attempt % 2:  # an impatient user: Ctrl-C again while the run cleans up
            time.sleep(rng.uniform(0.0, 0.03))
            try:
                os.killpg(proc.pid, signal.SIGINT)
            except ProcessLookupError:
                pass  # already gone
        try:
            _, err = proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail(f"run {attempt}: still running 5 s after Ctrl-C")
        took = time.monotonic() - start
        assert proc.returncode == 130, (attempt, proc.returncode, err.decode(errors="replace"))
        assert b"Traceback" not in err and b"KeyboardInterrupt" not in err, err.decode(errors="replace")
        assert err == b"", err.decode(errors="replace")
        assert took < 5
        assert not any(alive(w) for w in workers), f"run {attempt}: workers left behind"


def test_an_ignored_ctrl_c_stays_ignored(big_tree: Path) -> None:
    """Started with SIGINT ignored (`dockerlint . &` in a script, nohup), the run does not take
    it back: a Ctrl-C meant for the shell's foreground job does not end it."""
    proc, _ = start_with_workers(big_tree, "SIG_IGN")
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, (proc.returncode, err.decode(errors="replace"))  # it finished: findings
    assert err == b"", err.decode(errors="replace")


def test_workers_end_when_the_run_is_killed(big_tree: Path) -> None:
    for _ in range(2):
        proc, workers = start_with_workers(big_tree)
        time.sleep(0.3)
        proc.kill()  # SIGKILL: the run cannot tell its workers
        proc.wait(timeout=10)
        deadline = time.monotonic() + 5
        while any(alive(w) for w in workers):
            if time.monotonic() > deadline:
                for w in workers:
                    if alive(w):
                        os.kill(w, signal.SIGKILL)
                pytest.fail("workers still alive 5 s after their parent was killed")
            time.sleep(0.05)


def test_a_worker_notices_its_parent_is_gone_without_prctl(tmp_path: Path) -> None:
    """The portable way (no PR_SET_PDEATHSIG, as on macOS): the worker watches its parent."""
    script = textwrap.dedent("""
        import os, sys, time
        from dockerlint.core import parallel

        parent = os.getpid()
        if os.fork() == 0:
            parallel.watch_parent(parent, pdeathsig=False)
            print("watching", os.getpid(), flush=True)
            time.sleep(60)
            os._exit(0)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    word, pid = proc.stdout.readline().split()
    child = int(pid)
    assert word == b"watching" and alive(child)
    proc.kill()
    proc.wait(timeout=10)
    deadline = time.monotonic() + 5
    while alive(child):
        if time.monotonic() > deadline:
            os.kill(child, signal.SIGKILL)
            pytest.fail("the worker did not notice that its parent was killed")
        time.sleep(0.05)


def test_workers_ignore_ctrl_c_and_leave_it_to_the_run(tmp_path: Path) -> None:
    """A SIGINT that reaches a worker alone (it is in the terminal's process group) neither
    kills it nor prints anything: the run decides."""
    script = textwrap.dedent("""
        import os, signal, sys, time
        from dockerlint.core import parallel

        pid = os.fork()
        if pid == 0:
            parallel.worker_signals()
            time.sleep(1.0)
            os._exit(7)
        time.sleep(0.3)
        os.kill(pid, signal.SIGINT)
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status), flush=True)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=30, check=False)
    assert proc.stdout.strip() == b"7" and proc.stderr == b"", proc


@pytest.mark.parametrize("what", ["fork", "pipe"])
def test_no_worker_can_be_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: str) -> None:
    """A process limit (EAGAIN from fork) or no file descriptors left (EMFILE) is no reason
    to lose the run: it goes on in one process, and says so."""
    import errno

    from helpers import lint_tree, write_tree

    def refuse(*args: object, **kwargs: object) -> None:
        if what == "fork":
            raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")
        raise OSError(errno.EMFILE, "Too many open files")

    write_tree(tmp_path, {f"s{k}/Dockerfile": "FROM debian:12\nUSER root\n" for k in range(20)})
    if what == "fork":
        monkeypatch.setattr(os, "fork", refuse)
    else:  # a duplex Pipe is a socket pair
        monkeypatch.setattr(socket, "socketpair", refuse)
    result = lint_tree(tmp_path, select=["DF101"], jobs=2)
    assert sorted(f.path for f in result.findings) == sorted(f"s{k}/Dockerfile" for k in range(20))
    assert any("could not start worker processes" in n for n in result.notices), result.notices
