"""Run the command line in-process, in a folder, with captured output."""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from dockerlint.cli import main


class TTY(io.StringIO):
    """A captured stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def run(
    argv: list[str], cwd: Path, stdin: bytes | None = None, tty: bool = False, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """``main(argv)`` in ``cwd``; returns (exit code, stdout, stderr)."""
    import sys

    out: Any = TTY() if tty else io.StringIO()
    err = io.StringIO()
    old = os.getcwd()
    old_env = {k: os.environ.get(k) for k in (env or {})}
    old_stdin = sys.stdin
    os.chdir(cwd)
    os.environ.update(env or {})
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(argv)
    finally:
        os.chdir(old)
        sys.stdin = old_stdin
        for k, v in old_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return code, out.getvalue(), err.getvalue()


def repo(root: Path) -> Path:
    """Make ``root`` a repository root (the configuration search stops there)."""
    (root / ".git").mkdir(parents=True, exist_ok=True)
    return root
