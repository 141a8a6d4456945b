"""Fuzz every dockerlint parser with atheris (libFuzzer for Python).

Each input is bytes: the first byte picks a target (a kind of file, with a path that
says it: ``TARGETS``), the rest goes through ``core.reading.decode`` (which may refuse it with
ValueError: binary, not UTF-8) and then

* straight into the target's parser, where the only exception allowed is
  :class:`~dockerlint.parsers.errors.ParseError` (the parse-error path), and
* through the whole engine (parser, models, every rule, off-by-default ones included,
  suppressions), which must report no internal error.

Anything else (an IndexError, a RecursionError, an internal error) is a crash: atheris
prints the traceback, writes the input to ``crash-<sha1>`` and exits non-zero.

    python fuzz/fuzz_parsers.py -max_total_time=60 /tmp/corpus fuzz/corpus  # libFuzzer flags
    python fuzz/fuzz_parsers.py crash-1234abcd                               # replay one input

``fuzz/corpus`` holds seeds (one small valid file per target, first byte = target);
libFuzzer adds what it finds to the first folder given, hence a scratch one first.
``tests/test_robustness.py`` runs this file for a bounded time in CI. See fuzz/README.md.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import atheris

with atheris.instrument_imports(include=["dockerlint"]):
    from dockerlint.core.engine import Engine
    from dockerlint.core.options import Options
    from dockerlint.core.reading import LONE_CR_BREAKS as _LONE_CR_BREAKS
    from dockerlint.core.reading import decode
    from dockerlint.core.registry import load_registry
    from dockerlint.discovery import Candidate
    from dockerlint.models.source import SourceFile
    from dockerlint.parsers import PARSERS as PARSER_MODULE
    from dockerlint.parsers import compose, daemon_json, dockerfile, shell, systemd
    from dockerlint.parsers.errors import ParseError

# (kind for the engine, path, parser). The path matters: systemd's parser reads
# etc/default/docker as an environment file, and daemon files pair up by host folder.
TARGETS: list[tuple[str, str, Any]] = [
    ("dockerfile", "Dockerfile", dockerfile.parse),
    ("compose", "compose.yaml", compose.parse),
    ("daemon", "etc/docker/daemon.json", daemon_json.parse),
    ("systemd", "etc/systemd/system/docker.service", systemd.parse),
    ("systemd", "etc/default/docker", systemd.parse),
    ("shell", "script.sh", None),
]
# Kinds added later go at the end, so the seeds' first bytes keep their meaning.
for _kind, _path in (
    ("script", "deploy.sh"),
    ("makefile", "Makefile"),
    ("github", ".github/workflows/ci.yml"),
    ("gitlab", ".gitlab-ci.yml"),
):
    if _kind in PARSER_MODULE:
        with atheris.instrument_imports(include=["dockerlint"]):
            TARGETS.append((_kind, _path, importlib.import_module(PARSER_MODULE[_kind]).parse))
ROOT = "/nonexistent-dockerlint-fuzz"  # never read: the engine gets the bytes in ``contents``
SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

with atheris.instrument_imports(include=["dockerlint"]):
    # Rules and the modules the engine imports on first use, instrumented too.
    ENGINE = Engine(load_registry(), Options(select=["ALL"]))


def check(data: bytes) -> None:
    """Run one input; raise on a crash."""
    if not data:
        return
    kind, path, parse = TARGETS[data[0] % len(TARGETS)]
    body = data[1:]
    try:
        text = decode(body)
    except ValueError:
        return  # refused as not text: the engine reports it as a finding
    if kind == "shell":
        shell.parse(text, shell.TextLocator(path, text))  # documented never to raise
        return
    if kind in _LONE_CR_BREAKS:
        text = text.replace("\r", "\n")  # as the engine reads it (lone CR is a line break)
    try:
        parse(SourceFile(path=path, kind=kind, text=text))
    except ParseError:
        pass
    abspath = os.path.join(ROOT, path)
    result = ENGINE.run([Candidate(path, abspath, kind, explicit=True)], contents={abspath: body})
    if result.internal_errors:
        raise RuntimeError("internal error: " + "; ".join(result.internal_errors))
    for f in result.findings:
        if f.message.startswith("input is nested too deeply"):  # a RecursionError the engine caught
            raise RuntimeError(f"RecursionError in the {kind} parser: {f.message}")


def _warm_up() -> None:
    """Run the seeds once, inside the instrumentation, so that every module the engine
    imports lazily (rules, the daemon assembler, suppressions) is instrumented too."""
    with atheris.instrument_imports(include=["dockerlint"]):
        for name in sorted(os.listdir(SEEDS)) if os.path.isdir(SEEDS) else []:
            with open(os.path.join(SEEDS, name), "rb") as fh:
                check(fh.read())


def main(argv: list[str]) -> None:
    _warm_up()
    atheris.Setup(argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
