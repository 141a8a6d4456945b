"""The cost of a run grows with its files, not with their square.

Every file of an explicit path list is a root of its own, so the tree (the real paths of
the linted folders) has as many folders as the list has files. Resolved again for every
file that a rule reads beside (DF111 reading a copied key), or walked up to ``/`` for every
root (the checkouts holding them), that made a run of N files cost N² file-system calls.
Counted here as ``lstat`` calls (what resolving a path costs), which the load of the
machine does not change, unlike time.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dockerlint import cli


def _tree(root: Path, n: int) -> list[str]:
    paths = []
    for i in range(n):
        d = root / f"svc{i:03d}"
        d.mkdir()
        (d / "Dockerfile").write_text("FROM alpine:3.19\nCOPY server.key /etc/ssl/\n")
        (d / "server.key").write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        paths.append(f"svc{i:03d}/Dockerfile")
    return paths


def _lstats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], n: int) -> int:
    root = tmp_path / str(n)
    root.mkdir()
    paths = _tree(root, n)
    monkeypatch.chdir(root)
    calls = 0
    real_lstat = os.lstat

    def counting(*args: object, **kwargs: object) -> os.stat_result:
        nonlocal calls
        calls += 1
        return real_lstat(*args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as m:
        m.setattr(os, "lstat", counting)
        code = cli.main(["--jobs", "1", "--select", "DF111", "--format", "json", *paths])
    out = capsys.readouterr().out
    assert code == 1
    assert out.count('"DF111"') == n  # every copied key is read and judged
    return calls


def test_explicit_path_list_costs_linear_file_system_calls(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    small = _lstats(tmp_path, monkeypatch, capsys, 20)
    large = _lstats(tmp_path, monkeypatch, capsys, 80)
    # Four times the files: about four times the calls when each costs the same (N² gives 16).
    assert large < 6 * small, (small, large)
