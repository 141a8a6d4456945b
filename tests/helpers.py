"""Test helpers: lint in-memory files and compare exact positions.

    check("DF101", {"Dockerfile": '''
        FROM debian:12 AS build
        USER root
        FROM build
        '''}, expect=[(3, 1)])

``files`` maps relative paths to text (dedented, leading newline dropped); a bare
string is one file named ``name``. ``expect`` lists ``(line, col)``,
``(line, col, "message part")`` or ``("path", line, col[, "message part"])``
for every finding of ``rule_id``, in order; ``[]`` means none.
"""

from __future__ import annotations

import os
import tempfile
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dockerlint.core.engine import Engine
from dockerlint.core.findings import Finding, Result
from dockerlint.core.options import Options
from dockerlint.core.registry import Registry, load_registry
from dockerlint.discovery import discover

# ../shared beside the repository: the real-world corpus (tests that need it ask for the
# ``shared_dir`` fixture of conftest.py, which skips them visibly where it is absent).
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
CORPUS_DIR = SHARED_DIR / "corpus"

_REGISTRY: Registry | None = None


def registry() -> Registry:
    global _REGISTRY  # noqa: PLW0603 -- loaded once for the whole session
    if _REGISTRY is None:
        _REGISTRY = load_registry()
    return _REGISTRY


def dedent(text: str) -> str:
    text = textwrap.dedent(text)
    return text[1:] if text.startswith("\n") else text


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(dedent(content), encoding="utf-8")


def lint_tree(
    root: Path,
    select: Sequence[str] | None = None,
    paths: Sequence[str] | None = None,
    rules: Registry | None = None,
    **options: Any,
) -> Result:
    """Lint ``root`` (or ``paths`` inside it) with display paths relative to ``root``
    (``rules``: another registry than the built-in rules')."""
    opts = Options(select=list(select or []), **options)
    old = os.getcwd()
    os.chdir(root)
    try:
        cands, errors = discover(list(paths or ["."]))
        assert not errors, errors
        return Engine(rules or registry(), opts).run(cands)
    finally:
        os.chdir(old)


def lint(
    files: str | dict[str, str | bytes], name: str = "Dockerfile", select: Sequence[str] | None = None, **options: Any
) -> Result:
    if isinstance(files, str):
        files = {name: files}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_tree(root, files)
        return lint_tree(root, select=select, **options)


def findings(rule_id: str, files: str | dict[str, str | bytes], name: str = "Dockerfile") -> list[Finding]:
    result = lint(files, name=name, select=[rule_id])
    assert not result.internal_errors, result.internal_errors
    return [f for f in result.findings if f.rule_id == rule_id]


def check(
    rule_id: str, files: str | dict[str, str | bytes], expect: list[tuple[Any, ...]], name: str = "Dockerfile"
) -> list[Finding]:
    """Assert the exact findings of ``rule_id``; returns them for further checks."""
    got = findings(rule_id, files, name=name)
    assert len(got) == len(expect), _describe(got, expect)
    for f, e in zip(got, expect):
        if isinstance(e[0], str):
            path, line, col, *rest = e
            assert f.span.path == path, _describe(got, expect)
        else:
            line, col, *rest = e
        assert (f.span.line, f.span.col) == (line, col), _describe(got, expect)
        if rest:
            assert rest[0] in f.message, f"{rest[0]!r} not in {f.message!r}"
    return got


def _describe(got: list[Finding], expect: list[tuple[Any, ...]]) -> str:
    lines = [f"expected {expect}, got:"]
    lines += [
        f"  {f.span.path}:{f.span.line}:{f.span.col}-{f.span.end_line}:{f.span.end_col} {f.rule_id} {f.message}"
        for f in got
    ]
    return "\n".join(lines)
