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


def test_services_that_build_nothing_are_released_before_the_streamed_files(tmp_path: Path) -> None:
    """The Compose services are judged (their rules run) before the Dockerfiles and scripts
    that are linted one by one, and then the scan lets go of the services that build nothing:
    no rule of a streamed file looks them up. The services that build an image stay, so a
    Dockerfile built ``FROM`` that image still gets the image's user."""
    import gc
    from collections.abc import Iterator
    from typing import Any

    from dockerlint.core.registry import Hit, Registry, Severity, rule
    from dockerlint.models.container import Container
    from dockerlint.models.image import ImageBuild
    from helpers import lint_tree, write_tree

    alive: dict[str, tuple[int, int]] = {}

    def live_services() -> int:  # the models are slotted: no weak references to them
        gc.collect()
        return sum(1 for o in gc.get_objects() if type(o) is Container and o.path == "compose.yaml" and o.build is None)

    @rule(id="TST901", name="live-services", reads=ImageBuild, severity=Severity.INFO, summary="test")
    def count(build: ImageBuild, ctx: Any) -> Iterator[Hit]:
        in_scan = sum(1 for m in ctx.scan.models if isinstance(m, Container) and m.build is None)
        alive[build.path] = (in_scan, live_services())
        yield from ()

    reg = Registry.builtin()
    reg.add(count, origin="test", builtin=False)
    web = "".join(f"  web{k}:\n    image: nginx:1.27\n    privileged: true\n" for k in range(20))
    compose = f"services:\n{web}  app:\n    build: ./app\n    image: acme/app:1\n"
    write_tree(
        tmp_path,
        {
            "compose.yaml": compose,
            "app/Dockerfile": "FROM debian:12\nUSER app\n",
            "on-app/Dockerfile": "FROM acme/app:1\nRUN echo hi\n",
            "as-root/Dockerfile": "FROM debian:12\nRUN echo hi\n",
        },
    )
    result = lint_tree(tmp_path, select=["TST901", "DF101", "DC102"], jobs=1, rules=reg)
    # The built Dockerfile is linted with every service in the scan; the others after the
    # services were judged, with none of those that build nothing left in memory.
    assert alive == {"app/Dockerfile": (20, 20), "on-app/Dockerfile": (0, 0), "as-root/Dockerfile": (0, 0)}, alive
    # What the services are judged on, and what the streamed Dockerfiles look up, is unchanged.
    assert sorted({f.path for f in result.findings if f.rule_id == "DF101"}) == ["as-root/Dockerfile"]
    assert len([f for f in result.findings if f.rule_id == "DC102"]) == 20


def test_a_packed_source_gives_its_text_back_whole() -> None:
    """``SourceFile.pack`` holds the text compressed; reading ``text`` (or ``lines``) gives it
    back as it was, also after pickling (worker processes) and ``dataclasses.replace``."""
    import pickle
    from dataclasses import replace

    from dockerlint.models.source import SourceFile

    text = "services:\n  web:\n    image: nginx  # é \ud83d\ude00\n" * 200
    src = SourceFile(path="compose.yaml", kind="compose", text=text, abspath="/t/compose.yaml")
    assert src.lines[1] == "  web:"
    src.pack()
    assert src.packed and src._lines is None
    assert len(src.__dict__["_packed_text"]) < len(text) // 4
    copy = pickle.loads(pickle.dumps(src))
    assert copy.packed and copy.text == text and not copy.packed
    assert src.lines[2] == "    image: nginx  # é \ud83d\ude00" and src.text == text and not src.packed
    src.pack()
    assert replace(src, path="other.yaml").text == text
    empty = SourceFile(path="e", kind="compose", text="")
    empty.pack()
    assert empty.text == "" and not empty.packed
    src.text = "x"
    assert src.text == "x" and not src.packed


def test_kept_files_hold_their_text_packed_while_the_others_are_linted(tmp_path: Path) -> None:
    """The configuration files (kept to the end for their findings' snippets, suppressions
    and fixes) hold their text compressed while the tree's other files are linted."""
    import gc
    from collections.abc import Iterator
    from typing import Any

    from dockerlint.core.registry import Hit, Registry, Severity, rule
    from dockerlint.models.image import ImageBuild
    from dockerlint.models.source import SourceFile
    from helpers import lint_tree, write_tree

    seen: dict[str, list[tuple[str, bool]]] = {}

    @rule(id="TST902", name="packed-sources", reads=ImageBuild, severity=Severity.INFO, summary="test")
    def look(build: ImageBuild, ctx: Any) -> Iterator[Hit]:
        kept = [o for o in gc.get_objects() if type(o) is SourceFile and o.path in ("compose.yaml", "daemon.json")]
        seen[build.path] = sorted((o.path, o.packed) for o in kept)
        yield from ()

    reg = Registry.builtin()
    reg.add(look, origin="test", builtin=False)
    write_tree(
        tmp_path,
        {
            "compose.yaml": (
                "services:\n  web:\n    image: nginx:1.27\n    privileged: true  # dockerlint: ignore[DC102] ok\n"
            ),
            "daemon.json": '{"icc": true}\n',
            "Dockerfile": "FROM debian:12\nRUN echo hi\n",
        },
    )
    result = lint_tree(tmp_path, select=["TST902", "DC102", "DF101", "DD107", "DL001", "DL002"], jobs=1, rules=reg)
    assert seen == {"Dockerfile": [("compose.yaml", True), ("daemon.json", True)]}, seen
    # ... and their findings are made final from the text as it was.
    assert [(f.rule_id, f.snippet) for f in result.suppressed] == [("DC102", "privileged")]
    assert [(f.rule_id, f.snippet) for f in result.findings] == [("DF101", "debian:12"), ("DD107", '"icc"')]


# -- nothing a linted file leaves needs the cyclic collector ---------------------------------
# A run sets the collector's thresholds high (cli/pipeline.GC_THRESHOLDS): garbage in reference
# cycles then piles up over thousands of files (about 20 MiB on the 10,000-file tree) before a
# collection frees it. Each case here once left such garbage: a class created per quoted value
# (dockerfile-parse's WordSplitter), the [[ ]] checker's nested functions, the cached matches of
# a RUN text that referred back to it.
_CYCLE_CASES = {
    "quoted": 'FROM "alpine:3.20"\nARG V="1.0"\nUSER "app"\n',
    "cond": (
        "FROM alpine:3.20\n"
        'RUN if [[ -f /x && ( -n "$A" || ! -d /y ) ]]; then curl -fsSL https://example.com/i.sh | sh; fi\n'
        "USER app\n"
    ),
    "pieces": (
        "FROM debian:12\n"
        "RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
        "RUN apk add --no-cache git; pip install flask==3.0.0; npm install -g yarn\n"
        "USER app\n"
    ),
}


def _fixture_files() -> list[Path]:
    root = Path(__file__).resolve().parent.parent / "fixtures"
    return sorted(p for p in root.rglob("*") if p.is_file() and "Dockerfile" in p.name)


@pytest.mark.parametrize("case", sorted(_CYCLE_CASES))
def test_linting_a_dockerfile_leaves_no_cyclic_garbage(tmp_path: Path, case: str) -> None:
    import gc

    from dockerlint.core.engine import Engine
    from dockerlint.core.options import Options
    from dockerlint.core.registry import load_registry
    from dockerlint.discovery import discover

    df = tmp_path / "Dockerfile"
    df.write_text(_CYCLE_CASES[case], encoding="utf-8")
    cands, errors = discover([str(df)])
    assert not errors and len(cands) == 1
    engine = Engine(load_registry(()), Options(select=["ALL"]))
    first = engine.run(cands)  # imports and lazily built tables: garbage of their own, once
    assert first.files_checked == 1 and not first.internal_errors
    gc.collect()
    gc.disable()
    try:
        engine.run(cands)
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_the_fixture_dockerfiles_leave_no_cyclic_garbage() -> None:
    import gc

    from dockerlint.core.engine import Engine
    from dockerlint.core.options import Options
    from dockerlint.core.registry import load_registry
    from dockerlint.discovery import Candidate

    files = _fixture_files()
    assert len(files) > 100
    cands = [Candidate(str(p), str(p), "dockerfile") for p in files]
    engine = Engine(load_registry(()), Options(select=["ALL"]))
    engine.run(cands)
    gc.collect()
    gc.disable()
    try:
        left = {}
        for c in cands:
            engine.run([c])
            n = gc.collect()
            if n:
                left[c.path] = n
    finally:
        gc.enable()
    assert not left, left


def test_a_path_that_is_real_already_is_its_own_real_path(tmp_path: Path) -> None:
    """Within a run scope the cache of real paths holds one string per file of a big tree, not
    two equal ones (the path and its resolution), and discovery keeps that one."""
    from dockerlint.discovery import discover

    real = Path(os.path.realpath(tmp_path))
    (real / "a").mkdir()
    (real / "a" / "Dockerfile").write_text("FROM alpine:3.20\n", encoding="utf-8")
    os.symlink(real / "a", real / "link")
    paths = [str(real / "a" / "Dockerfile"), str(real / "link" / "Dockerfile")]
    with containment.run_scope():
        got = containment.realpaths(paths)
        assert got[0] is paths[0]
        assert got[1] == paths[0] and got[1] is not paths[1]
        cands, errors = discover([str(real / "a")])
    assert not errors
    assert [c.real is c.abspath for c in cands] == [True]


def test_a_kept_dockerfile_model_does_not_keep_its_parser() -> None:
    """A Compose service's Dockerfile is kept for the whole run; the functions that parse its
    RUN scripts on demand keep what they read (the RUN's own parse, the lines for heredocs),
    not the parser with every instruction's raw parse."""
    import gc

    from dockerlint.models.source import SourceFile
    from dockerlint.parsers import dockerfile
    from dockerlint.parsers.dockerfile_syntax import Ins

    text = (
        "FROM alpine:3.20\nENV A=1 B=2\nRUN echo a\nRUN <<EOF\necho b\nEOF\n"
        'RUN ["sh", "-c", "echo c"]\nONBUILD RUN echo d\nLABEL x=y\nUSER app\n'
    )
    build = dockerfile.parse(SourceFile("Dockerfile", "dockerfile", text)).models[0]
    gc.collect()
    assert not [o for o in gc.get_objects() if type(o) is dockerfile._Parser]
    assert not [o for o in gc.get_objects() if type(o) is Ins]  # nor the RUNs' lexed instructions
    runs = [i for i in build.instructions if i.keyword in ("RUN", "ONBUILD")]
    scripts = [r.script for r in runs]  # still parsed on demand: heredoc, exec form, trigger
    assert [[c.name for p in s.pipelines for c in p.commands] for s in scripts if s] == [
        ["echo"],
        ["echo"],
        ["sh"],
        ["echo"],
    ]


def test_equal_texts_of_findings_are_held_once_and_not_kept_after_the_run(tmp_path: Path) -> None:
    from dockerlint.core.engine import Engine
    from dockerlint.core.options import Options
    from dockerlint.core.registry import load_registry
    from dockerlint.discovery import discover

    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text("FROM debian:12\nRUN apt-get update\n", encoding="utf-8")
    cands, errors = discover([str(tmp_path)])
    assert not errors and len(cands) == 2
    engine = Engine(load_registry(()), Options())
    result = engine.run(cands)
    by_file: dict[str, list[object]] = {}
    for f in result.findings:
        by_file.setdefault(f.path, []).append(f)
    a, b = (by_file[c.path] for c in cands)
    assert [f.rule_id for f in a] == [f.rule_id for f in b] and a
    for x, y in zip(a, b):
        assert x.message == y.message and x.message is y.message  # type: ignore[attr-defined]
        assert x.snippet is y.snippet  # type: ignore[attr-defined]
    assert not engine.keeper.texts.table  # a language server's engine keeps none between runs


def test_linting_every_fixture_again_leaves_no_cyclic_garbage() -> None:
    """Every kind of file (Compose projects, daemon files, units, scripts, CI files, dev
    containers...), linted as one tree: once the first run has imported and built what it
    builds once, a second run leaves nothing for the cyclic collector."""
    import gc

    from dockerlint.core.engine import Engine
    from dockerlint.core.options import Options
    from dockerlint.core.registry import load_registry
    from dockerlint.discovery import discover

    root = Path(__file__).resolve().parent.parent / "fixtures"
    old = os.getcwd()
    os.chdir(root)
    try:
        cands, _errors = discover(["."])
        kinds = {c.kind for c in cands}
        assert {"dockerfile", "compose"} <= kinds and len(kinds) >= 6, kinds
        engine = Engine(load_registry(()), Options(select=["ALL"]))
        engine.run(cands)
        gc.collect()
        gc.disable()
        try:
            result = engine.run(cands)
            left = gc.collect()
        finally:
            gc.enable()
    finally:
        os.chdir(old)
    assert result.findings
    assert left == 0


def test_configuration_files_with_nothing_of_their_own_keep_no_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each configuration file read in phase 1 had a Result (seven lists) kept to the end of
    the run; one with nothing of its own (no parse problem) now only adds to the counts."""
    from typing import Any

    from dockerlint.core.engine import Engine
    from helpers import lint_tree, write_tree

    kept: list[list[int]] = []
    original = Engine._check_configuration

    def spy(self: Engine, context_models: list[Any], run: Any) -> None:
        kept.append(sorted(i for i in run.results if i >= 0))
        original(self, context_models, run)

    monkeypatch.setattr(Engine, "_check_configuration", spy)
    files = {f"p{k}/compose.yaml": f"services:\n  web{k}:\n    image: nginx:1.27\n" for k in range(5)}
    files["broken/compose.yaml"] = "services:\n  web: [\n"
    files["etc/docker/daemon.json"] = '{"hosts": ["unix:///var/run/docker.sock"]}\n'
    write_tree(tmp_path, files)
    result = lint_tree(tmp_path, jobs=1)
    assert len(kept) == 1 and len(kept[0]) == 1  # the broken file's DC000 only
    assert [f.path for f in result.findings if f.rule_id == "DC000"] == ["broken/compose.yaml"]
    assert result.files_checked == 7
