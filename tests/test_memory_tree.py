"""Memory on big trees (issue 13: the 10,000-file tree in at most 100 MiB with ``--jobs 1``):
what a run must not hold, pinned with tracemalloc and weak references rather than timings."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from dockerlint.util import containment

MIB = 1024 * 1024


def _traced_peak(action: object) -> int:
    """The peak of traced memory while ``action()`` runs, above what was traced before."""
    assert callable(action)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        action()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def test_reading_a_small_file_allocates_what_it_holds_not_the_size_limit(tmp_path: Path) -> None:
    """``read_regular`` under the 10 MiB ``--max-file-size`` allocated a 10 MiB buffer for every
    file it read, however small: a peak of its own for each of a tree's files."""
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"FROM debian:12\n" * 100)
    got: list[bytes] = []
    peak = _traced_peak(lambda: got.append(containment.read_regular(str(path), 10 * MIB)))
    assert got == [b"FROM debian:12\n" * 100]
    assert peak < 64 * 1024, peak


def test_a_file_whose_size_is_unknown_is_read_whole_up_to_the_limit(tmp_path: Path) -> None:
    """A regular file ``fstat`` gives no size for (``/proc``) is still read whole, and over the
    limit it is refused (or cut, as a prefix)."""
    proc = Path("/proc/self/status")
    if not proc.is_file() or os.stat(proc).st_size:
        pytest.skip("no /proc file of unknown size here")
    data = containment.read_regular(str(proc), 10 * MIB)
    assert b"\nVmRSS:" in data or b"\nPid:" in data
    assert len(data) > 200
    try:
        containment.read_regular(str(proc), 100)
    except containment.TooLarge:
        pass
    else:
        raise AssertionError("a /proc file over the limit was not refused")
    assert len(containment.read_regular(str(proc), 100, prefix=True)) == 100


def test_a_file_that_grew_since_fstat_is_refused_past_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read past the size ``fstat`` gave tells a file that grew: over the limit it is
    refused; under it, the whole of it is read."""
    path = tmp_path / "compose.yaml"
    path.write_bytes(b"x" * 5000)
    real_fstat = os.fstat

    def stale(fd: int) -> os.stat_result:  # as if fstat ran before the file grew
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, *st[1:6], 10, *st[7:]))

    monkeypatch.setattr(containment.os, "fstat", stale)
    assert containment.read_regular(str(path), 8000) == b"x" * 5000
    try:
        containment.read_regular(str(path), 4000)
    except containment.TooLarge as exc:
        assert exc.size > 4000
    else:
        raise AssertionError("a file that grew past the limit was read")
