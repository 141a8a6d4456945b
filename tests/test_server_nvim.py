"""`dockerlint server` in a real editor: Neovim, headless, as a user's configuration starts it.

Runs when `nvim` is on PATH (Debian's neovim package was installed to check it here; CI
machines have no editor, and the test says so as a skip). The Lua script is the older
Neovim's form (`vim.lsp.start_client`, 0.7 and later); README shows 0.11's `vim.lsp.config`,
which starts the same command.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

NVIM = shutil.which("nvim")
SCRIPT = Path(__file__).parent / "data" / "nvim" / "diagnostics.lua"


@pytest.mark.skipif(NVIM is None, reason="no Neovim (nvim) on PATH: the editor check needs one")
def test_neovim_shows_the_servers_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM debian:12\nRUN curl -k https://x | sh\nUSER root\n", encoding="utf-8")
    dockerlint = Path(sys.executable).with_name("dockerlint")
    assert dockerlint.exists(), dockerlint
    env = dict(
        os.environ,
        DOCKERLINT_BIN=str(dockerlint),
        XDG_CONFIG_HOME=str(tmp_path / "cfg"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
    )
    proc = subprocess.run(
        [str(NVIM), "--headless", "-u", "NONE", "-c", f"luafile {SCRIPT}"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = proc.stdout.splitlines()
    assert lines and lines[0] == "OK", (proc.stdout, proc.stderr)
    got = {tuple(line.split()[:2]) for line in lines[1:]}
    assert {("2:10", "DF105"), ("2:25", "DF104"), ("3:6", "DF101")} <= got, proc.stdout
