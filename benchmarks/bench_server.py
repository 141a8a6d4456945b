#!/usr/bin/env python3
"""How fast ``dockerlint server`` answers an edit, and how much memory it holds.

    python benchmarks/bench_server.py                 # all three measures, 60 edits each, 3 runs
    python benchmarks/bench_server.py -n 200 --runs 5 # more edits, more runs
    python benchmarks/bench_server.py --corpus PATH   # another tree for the memory measure
    python benchmarks/bench_server.py --no-memory     # the edit measures only

Needs the ``server`` and ``test`` extras (pygls, pytest-lsp's client). The server runs as
an editor runs it, a subprocess over stdio, with ``--debounce-ms 0`` so that the time
measured is the server's own work, not the debounce delay:

* ``dockerfile``: a 200-line Dockerfile is opened, then changed ``-n`` times; each change
  alternates between two texts whose findings differ (the server publishes only when the
  findings change), each edit's text new (a value in it is the edit's number: the server
  keeps parses by text, so a text seen before would not be parsed again, as no real edit
  is), and the time from sending ``didChange`` to receiving its ``publishDiagnostics`` is
  taken. Median, 90th percentile and best are printed, and the server's CPU time per edit
  (user + system, /proc: it does not grow with the machine's load as wall time does).
  Each measure runs ``--runs`` times (a new server each time); the load average is
  printed with each run. Goal: median at most 20 ms.
* ``project``: the same Dockerfile in ``app/``, built by the three services of a Compose
  project (``compose.yaml`` and ``compose.override.yaml``, not open) beside it: each edit
  also re-judges the project (its DC122 findings change, and are published), which the
  CPU time includes; the time is that of the Dockerfile's own diagnostics. The Compose
  files are parsed once, not at every edit.
* ``compose``: the same with a one-service Compose file. Goal: median at most 10 ms.
* ``memory``: the server on a workspace holding the whole corpus (default
  ``../shared/corpus`` beside the repository), every Dockerfile, Compose file and
  daemon.json of its first 40 folders opened in turn; the server's resident memory at
  the end (VmRSS) and its peak (VmHWM), from /proc. Goal: under 150 MiB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lsprotocol import types as t
from pygls.uris import from_fs_path

ROOT = Path(__file__).resolve().parents[1]


def dockerfile_200() -> tuple[str, str]:
    """Two 200-line Dockerfiles that differ in their last line (USER root / USER app)."""
    lines = ["# syntax=docker/dockerfile:1", "FROM python:3.12-slim AS build", "WORKDIR /src"]
    k = 0
    while len(lines) < 196:
        k += 1
        lines += [
            f"ENV STEP_{k}=value{k}",
            f"COPY part{k}/ /src/part{k}/",
            (f"RUN apt-get update && apt-get install -y --no-install-recommends pkg{k} && rm -rf /var/lib/apt/lists/*"),
            f"RUN python -m compileall /src/part{k} \\",
            f"    && echo built part {k}",
        ]
    lines = lines[:196] + ["FROM python:3.12-slim", "COPY --from=build /src /app", 'CMD ["python", "/app"]']
    return "\n".join([*lines, "USER root"]) + "\n", "\n".join([*lines, "USER app"]) + "\n"


def edited(text: str, n: int) -> str:
    """``text`` made new for edit ``n``, its findings unchanged: a value (Dockerfile ENV) or a
    comment (Compose) names the edit."""
    if "ENV STEP_1=value1\n" in text:
        return text.replace("ENV STEP_1=value1\n", f"ENV STEP_1=value1-{n}\n", 1)
    return text.replace("services:\n", f"services:  # edit {n}\n", 1)


# The Compose project beside the Dockerfile's folder that builds it (not open): an edit of
# the Dockerfile between USER root and USER app changes its DC122 findings.
PROJECT = {
    "compose.yaml": "".join(
        f"  {name}:\n    build: ./app\n    read_only: true\n" for name in ("web", "worker", "cron")
    ).join(("services:\n", "")),
    "compose.override.yaml": 'services:\n  web:\n    ports: ["127.0.0.1:8080:8080"]\n',
}

COMPOSE = (
    'services:\n  web:\n    image: nginx:1.27\n    user: "1000:1000"\n    read_only: true\n'
    '    cap_drop: [ALL]\n    security_opt: ["no-new-privileges:true"]\n    privileged: {}\n'
)


async def start(root: Path) -> Any:
    from pytest_lsp import make_test_lsp_client

    client = make_test_lsp_client()
    await client.start_io(sys.executable, "-m", "dockerlint", "server", "--debounce-ms", "0")
    uri = str(from_fs_path(str(root)))
    await client.initialize_session(
        t.InitializeParams(
            capabilities=t.ClientCapabilities(),
            root_uri=uri,
            workspace_folders=[t.WorkspaceFolder(uri=uri, name="bench")],
        )
    )
    return client


async def stop(client: Any) -> None:
    await client.shutdown_session()
    await client.stop()


def cpu_of(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc; clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def edits(
    root: Path,
    name: str,
    texts: tuple[str, str],
    n: int,
    language: str,
    others: dict[str, str] | None = None,
    also: str = "",
) -> tuple[list[float], float]:
    """The times of ``n`` edits of ``name`` (``others``: more files of the workspace; ``also``:
    one of them, not open, whose diagnostics each edit changes: awaited too before the next
    edit, its re-lint counted in the CPU time, not in the times)."""
    for other, text in (others or {}).items():
        (root / other).parent.mkdir(parents=True, exist_ok=True)
        (root / other).write_text(text, encoding="utf-8")
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(texts[0], encoding="utf-8")
    client = await start(root)
    uri = str(from_fs_path(str(root / name)))
    also_uri = str(from_fs_path(str(root / also))) if also else ""
    got: asyncio.Queue[float] = asyncio.Queue()
    got_also: asyncio.Queue[float] = asyncio.Queue()
    handler = client.protocol.fm.features[t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def publish(params: t.PublishDiagnosticsParams) -> None:
        handler(params)
        if params.uri == uri:
            got.put_nowait(time.perf_counter())
        elif params.uri == also_uri:
            got_also.put_nowait(time.perf_counter())

    client.protocol.fm.features[t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    client.text_document_did_open(
        t.DidOpenTextDocumentParams(
            text_document=t.TextDocumentItem(uri=uri, language_id=language, version=1, text=texts[0])
        )
    )
    await asyncio.wait_for(got.get(), 30)
    times = []
    cpu = 0.0
    for version in range(2, n + 3):
        if version == 4:
            cpu = cpu_of(client._server.pid)
        sent = time.perf_counter()
        client.text_document_did_change(
            t.DidChangeTextDocumentParams(
                text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    t.TextDocumentContentChangeWholeDocument(text=edited(texts[(version + 1) % 2], version))
                ],
            )
        )
        received = await asyncio.wait_for(got.get(), 30)
        if also_uri:
            await asyncio.wait_for(got_also.get(), 30)
        if version > 3:  # the first two edits warm the caches up
            times.append((received - sent) * 1000)
    cpu = (cpu_of(client._server.pid) - cpu) / max(1, len(times)) * 1000
    await stop(client)
    return times, cpu


def memory_of(pid: int) -> tuple[float, float]:
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    values = {
        line.split(":")[0]: int(line.split()[1]) for line in status.splitlines() if line.startswith(("VmRSS", "VmHWM"))
    }
    return values["VmRSS"] / 1024, values["VmHWM"] / 1024


async def memory(corpus: Path) -> tuple[float, float, int]:
    client = await start(corpus)
    folders = sorted(p for p in corpus.iterdir() if p.is_dir())[:40]
    names = ("Dockerfile", "compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml", "daemon.json")
    opened = 0
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.name in names and path.is_file():
                uri = str(from_fs_path(str(path)))
                text = path.read_text(encoding="utf-8", errors="replace")
                client.text_document_did_open(
                    t.DidOpenTextDocumentParams(
                        text_document=t.TextDocumentItem(uri=uri, language_id="x", version=1, text=text)
                    )
                )
                opened += 1
    # A request after the notifications: answered once they are all handled.
    await client.text_document_hover_async(
        t.HoverParams(
            text_document=t.TextDocumentIdentifier(uri=str(from_fs_path(str(corpus / "none")))),
            position=t.Position(line=0, character=0),
        )
    )
    rss, peak = memory_of(client._server.pid)
    await stop(client)
    return rss, peak, opened


def load() -> str:
    try:
        return "load " + " ".join(Path("/proc/loadavg").read_text(encoding="utf-8").split()[:3])
    except OSError:
        return "load ?"


def show(label: str, measured: tuple[list[float], float], goal: float) -> float:
    times, cpu = sorted(measured[0]), measured[1]
    p90 = times[int(len(times) * 0.9) - 1]
    median = statistics.median(times)
    print(
        f"{label}: median {median:.1f} ms, p90 {p90:.1f} ms, best {times[0]:.1f} ms "
        f"; server CPU {cpu:.1f} ms an edit ({len(times)} edits; goal: median <= {goal:g} ms; {load()})",
        flush=True,
    )
    return median


async def measure(
    label: str,
    name: str,
    texts: tuple[str, str],
    language: str,
    goal: float,
    args: argparse.Namespace,
    others: dict[str, str] | None = None,
    also: str = "",
) -> None:
    medians = []
    for k in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            measured = await edits(Path(tmp), name, texts, args.n, language, others, also)
            medians.append(show(f"{label} (run {k + 1})", measured, goal))
    if len(medians) > 1:
        print(
            f"{label}: medians of {len(medians)} runs: best {min(medians):.1f} ms, "
            f"median {statistics.median(medians):.1f} ms",
            flush=True,
        )


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=60, help="edits per measure (default 60)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each edit measure (default 3)")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--no-memory", action="store_true", help="skip the memory measure")
    args = ap.parse_args()
    await measure(
        "didChange -> publishDiagnostics, 200-line Dockerfile", "Dockerfile", dockerfile_200(), "dockerfile", 20, args
    )
    await measure(
        "the same Dockerfile, built by a 3-service Compose project (not open, re-judged at each edit)",
        "app/Dockerfile",
        dockerfile_200(),
        "dockerfile",
        20,
        args,
        PROJECT,
        "compose.yaml",
    )
    await measure(
        "didChange -> publishDiagnostics, one-service Compose file",
        "compose.yaml",
        (COMPOSE.format("true"), COMPOSE.format("false")),
        "yaml",
        10,
        args,
    )
    if args.no_memory:
        return
    if args.corpus.is_dir():
        rss, peak, opened = await memory(args.corpus)
        print(
            f"memory on {args.corpus} ({opened} documents open): RSS {rss:.0f} MiB, peak {peak:.0f} MiB "
            f"(goal: < 150 MiB)"
        )
    else:
        print(f"memory: {args.corpus} not found, skipped")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    asyncio.run(main())
