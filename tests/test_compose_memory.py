"""Memory retention of Compose files (issue 13 item 10, WP5.1): a Compose file's YAML tree is
kept for the project pass only when a project is likely to need it; a project that needs a
dropped tree after all parses the same text again, and the findings do not change."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from dockerlint.core.engine import Engine
from dockerlint.core.findings import Result
from dockerlint.core.options import Options
from dockerlint.discovery import discover
from dockerlint.parsers import compose_project
from helpers import registry, write_tree

LONE = """
    services:
      base:
        image: nginx:1.27
        privileged: true
        environment:
          TOKEN: ${TOKEN}
    """

INCLUDER = """
    include:
      - ../lone/compose.yaml
    services:
      web:
        image: nginx:1.27
        depends_on: [base]
    """


def _run(
    root: Path, monkeypatch: pytest.MonkeyPatch, keep_all: bool, contents: dict[str, bytes] | None = None
) -> tuple[Result, dict[str, Any]]:
    """Lint ``root``; the Compose documents the project pass got, by display path.
    ``keep_all``: every tree kept (the behaviour before trees were dropped)."""
    seen: dict[str, Any] = {}
    real = compose_project.assemble

    def spy(parts: Any, *args: Any, **kwargs: Any) -> Any:
        seen.update((p.path, p) for p in parts)
        return real(parts, *args, **kwargs)

    monkeypatch.setattr(compose_project, "assemble", spy)
    if keep_all:
        monkeypatch.setattr(Engine, "_lean", lambda self, doc, run: doc)
    monkeypatch.chdir(root)
    cands, errors = discover(["."])
    assert not errors
    return Engine(registry(), Options()).run(cands, contents), seen


def _hits(result: Result) -> list[tuple[str, str, int, int, str]]:
    assert not result.internal_errors, result.internal_errors
    return [(f.rule_id, f.path, f.span.line, f.span.col, f.message) for f in result.findings]


def test_tree_of_a_lone_file_is_dropped_and_kept_where_a_project_needs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path,
        {
            "lone/compose.yaml": LONE,
            "refs/compose.yaml": INCLUDER,
            "pair/compose.yaml": "services:\n  a:\n    image: nginx:1.27\n",
            "pair/compose.override.yaml": "services:\n  a:\n    privileged: true\n",
            "withenv/compose.yaml": "services:\n  a:\n    image: nginx:${TAG}\n",
            "withenv/.env": "TAG=1.27\n",
        },
    )
    _, docs = _run(tmp_path, monkeypatch, keep_all=False)
    assert docs["lone/compose.yaml"].root is None
    assert docs["lone/compose.yaml"].text  # what a project that needs it after all parses again
    for kept in ("refs/compose.yaml", "pair/compose.yaml", "pair/compose.override.yaml", "withenv/compose.yaml"):
        assert docs[kept].root is not None, kept


def test_dropped_tree_is_parsed_again_for_an_including_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"lone/compose.yaml": LONE, "refs/compose.yaml": INCLUDER})
    dropped, docs = _run(tmp_path, monkeypatch, keep_all=False)
    assert docs["lone/compose.yaml"].root is None
    monkeypatch.undo()
    kept, docs = _run(tmp_path, monkeypatch, keep_all=True)
    assert docs["lone/compose.yaml"].root is not None
    assert _hits(dropped) == _hits(kept)
    # The included service is checked (its privileged: true), once, where it is written.
    assert [h for h in _hits(dropped) if h[0] == "DC102"] == [
        ("DC102", "lone/compose.yaml", 4, 5, next(f.message for f in kept.findings if f.rule_id == "DC102"))
    ]


def test_dropped_tree_parsed_again_from_the_linted_text_not_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Standard input: the text linted for lone/compose.yaml is not the file on disk; a project
    # that includes it must see the linted text, as the project pass did when it kept the tree.
    write_tree(
        tmp_path, {"lone/compose.yaml": "services:\n  base:\n    image: nginx:1.27\n", "refs/compose.yaml": INCLUDER}
    )
    stdin = {
        os.path.join(str(tmp_path), "lone", "compose.yaml"): b"services:\n  other:\n    image: nginx:1.27\n"
        b"    privileged: true\n  base:\n    image: nginx:1.27\n    privileged: true\n"
    }
    dropped, docs = _run(tmp_path, monkeypatch, keep_all=False, contents=stdin)
    assert docs["lone/compose.yaml"].root is None
    monkeypatch.undo()
    kept, _ = _run(tmp_path, monkeypatch, keep_all=True, contents=stdin)
    assert _hits(dropped) == _hits(kept)
    assert ("lone/compose.yaml", 7) in {(h[1], h[2]) for h in _hits(dropped) if h[0] == "DC102"}


def test_kept_sources_hold_their_text_only_once_findings_are_final(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DC113 carries a fix: the Compose file is handed on with the result (for --fix), its
    # findings with their excerpts; its split lines and line index are not kept.
    write_tree(tmp_path, {"compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n"})
    result, _ = _run(tmp_path, monkeypatch, keep_all=False)
    src = next(s for s in result.files if s.path == "compose.yaml")
    assert src._lines is None and src._index is None
    assert src.lines[3] == "    privileged: true"  # computed again when asked
    hit = next(f for f in result.findings if f.rule_id == "DC102")
    assert hit.lines[0] == "    privileged: true" and hit.snippet


def test_models_are_let_go_before_findings_are_made_final(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"lone/compose.yaml": LONE, "refs/compose.yaml": INCLUDER, "Dockerfile": "FROM alpine\n"})
    held: list[int] = []
    real = Engine._merge

    def spy(self: Engine, candidates: Any, run: Any) -> Result:
        held.append(len(run.scan.models))
        return real(self, candidates, run)

    monkeypatch.setattr(Engine, "_merge", spy)
    result, _ = _run(tmp_path, monkeypatch, keep_all=False)
    assert held == [0]
    assert {f.rule_id for f in result.findings} >= {"DC102"}  # the models' findings are there all the same


def test_no_excerpt_lines_for_reports_that_never_show_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockerlint.cli import pipeline
    from dockerlint.reporters import BUILTIN_FORMATS

    write_tree(tmp_path, {"compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n"})
    monkeypatch.chdir(tmp_path)
    cands, _ = discover(["."])
    shown = next(f for f in Engine(registry(), Options()).run(cands).findings if f.rule_id == "DC102")
    bare = next(f for f in Engine(registry(), Options(excerpts=False)).run(cands).findings if f.rule_id == "DC102")
    assert shown.lines == ("    privileged: true",) and bare.lines == ()
    assert bare.snippet == shown.snippet != ""  # the snippet stays: every report has it
    # Only the text report (and plugins' formats, which may) shows them.
    assert pipeline.NO_EXCERPTS == set(BUILTIN_FORMATS) - {"text"}


def test_empty_collections_of_a_container_are_one_shared_empty_tuple(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # L4: thousands of containers each held a dozen empty lists (56 bytes apiece).
    from dockerlint.models.container import Container

    write_tree(
        tmp_path,
        {
            "a/compose.yaml": "services:\n  web:\n    image: nginx:1.27\n",
            "b/compose.yaml": "services:\n  db:\n    image: postgres:16\n",
        },
    )
    models: list[Any] = []
    real = Engine._check_configuration

    def spy(self: Engine, context_models: list[Any], run: Any) -> None:
        models.extend(context_models)
        real(self, context_models, run)

    monkeypatch.setattr(Engine, "_check_configuration", spy)
    _run(tmp_path, monkeypatch, keep_all=False)
    web, db = (m for m in models if isinstance(m, Container))
    for name in (
        "cap_add",
        "cap_drop",
        "security_opt",
        "devices",
        "volumes",
        "ports",
        "environment",
        "env_files",
        "command",
        "entrypoint",
        "profiles",
        "job_services",
    ):
        assert getattr(web, name) == () and getattr(web, name) is getattr(db, name), name


def test_configuration_files_hold_their_text_only_until_findings_are_made_final(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path,
        {
            "lone/compose.yaml": LONE + "    # dockerlint: ignore[DC113] reason\n",
            "refs/compose.yaml": INCLUDER,
            "Dockerfile": "FROM alpine\n",
        },
    )
    split: list[str] = []
    real = Engine._merge

    def spy(self: Engine, candidates: Any, run: Any) -> Result:
        split.extend(path for path, src in run.sources.items() if src._lines is not None or src._index is not None)
        return real(self, candidates, run)

    monkeypatch.setattr(Engine, "_merge", spy)
    result, _ = _run(tmp_path, monkeypatch, keep_all=False)
    assert split == []
    assert any(f.path == "lone/compose.yaml" and f.lines for f in result.findings)  # excerpts all the same


SERVICE_PAIR = """
    services:
      {name}:
        image: registry.example.com/team/web-frontend:2.4.1
        ports: ["8080:80/TCP"]
        volumes: ["/srv/data:/data:ro,z"]
        environment:
          DATABASE_URL_FOR_THE_APP: postgres://db/app
        command: ["gunicorn", "--workers", "4"]
    """


def _containers(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    from dockerlint.models.container import Container

    models: list[Any] = []
    real = Engine._check_configuration

    def spy(self: Engine, context_models: list[Any], run: Any) -> None:
        models.extend(context_models)
        real(self, context_models, run)

    monkeypatch.setattr(Engine, "_check_configuration", spy)
    _run(root, monkeypatch, keep_all=False)
    return sorted((m for m in models if isinstance(m, Container)), key=lambda c: c.path)


def test_repeated_texts_of_compose_models_are_held_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # L4 (issue 13 item 10): an image name, a port, a protocol, a mount option, a variable name
    # written in many services and files was one string per place it was written.
    from dockerlint.parsers import compose

    monkeypatch.setattr(compose.TEXTS, "table", {})  # not started again between the two files
    write_tree(
        tmp_path,
        {"a/compose.yaml": SERVICE_PAIR.format(name="web"), "b/compose.yaml": SERVICE_PAIR.format(name="api")},
    )
    a, b = _containers(tmp_path, monkeypatch)
    assert a.image is not None and b.image is not None
    assert a.image.value == "registry.example.com/team/web-frontend:2.4.1" and a.image.value is b.image.value
    assert (
        a.ports[0].container_port.value == "80" and a.ports[0].container_port.value is b.ports[0].container_port.value
    )
    assert a.ports[0].protocol == "tcp" and a.ports[0].protocol is b.ports[0].protocol  # lowered: a new string
    assert a.volumes[0].options == ["ro", "z"] and a.volumes[0].options[0] is b.volumes[0].options[0]
    assert a.volumes[0].source is not None and b.volumes[0].source is not None
    assert a.volumes[0].source.value is b.volumes[0].source.value
    assert a.environment[0].name.value is b.environment[0].name.value
    assert [w.value for w in a.command] == ["gunicorn", "--workers", "4"]
    assert all(x.value is y.value for x, y in zip(a.command, b.command))
    # The spans stay each file's own.
    assert a.image.span.path == "a/compose.yaml" and b.image.span.path == "b/compose.yaml"


def test_long_texts_are_not_interned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockerlint.parsers.compose import INTERNED_MAX

    long = "x" * (INTERNED_MAX + 1)
    text = f'services:\n  {{name}}:\n    image: nginx:1.27\n    command: ["{long}"]\n'
    write_tree(tmp_path, {"a/compose.yaml": text.format(name="web"), "b/compose.yaml": text.format(name="api")})
    a, b = _containers(tmp_path, monkeypatch)
    assert a.command[0].value == b.command[0].value == long and a.command[0].value is not b.command[0].value


def test_a_lone_file_keeps_the_first_place_of_each_unresolved_variable_not_its_scalars(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The project of a file alone reports each unresolved variable once, where it is first
    # written: the parse keeps that place's span, not every scalar that uses a variable.
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
            services:
              web:
                image: nginx:${TAG}
                environment:
                  A: ${TOKEN}
                  B: ${TOKEN}-${TAG}
                  C: ${NEEDED:?set it}
            """
        },
    )
    result, docs = _run(tmp_path, monkeypatch, keep_all=False)
    missing = docs["compose.yaml"].missing
    assert [(m.name, type(place).__name__, place.line, place.col) for m, place in missing] == [
        ("TAG", "Span", 3, 12),
        ("TOKEN", "Span", 5, 10),
        ("NEEDED", "Span", 7, 10),
    ]
    assert [(f.span.line, f.span.col) for f in result.findings if f.rule_id == "DC123"] == [(3, 12), (5, 10), (7, 10)]


def test_dc113_fixes_share_their_texts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Most services of a large scan get DC113's fix: its description and inserted text were
    # strings of their own per finding, though they depend only on the indentation.
    service = "services:\n  {name}:\n    image: nginx:1.27\n"
    listed = "services:\n  {name}:\n    image: nginx:1.27\n    security_opt:\n      - label=disable\n"
    write_tree(
        tmp_path,
        {
            "a/compose.yaml": service.format(name="web"),
            "b/compose.yaml": service.format(name="api"),
            "c/compose.yaml": listed.format(name="web"),
            "d/compose.yaml": listed.format(name="api"),
        },
    )
    result, _ = _run(tmp_path, monkeypatch, keep_all=False)
    a, b, c, d = sorted((f for f in result.findings if f.rule_id == "DC113"), key=lambda f: f.path)
    assert all(f.fix is not None for f in (a, b, c, d))
    assert a.fix is not None and b.fix is not None and c.fix is not None and d.fix is not None
    assert a.fix.description == "add security_opt 'no-new-privileges:true'"
    assert a.fix.description is b.fix.description
    assert a.fix.edits[0].replacement == "    security_opt:\n      - no-new-privileges:true\n"
    assert a.fix.edits[0].replacement is b.fix.edits[0].replacement
    assert c.fix.description == "add 'no-new-privileges:true' to security_opt"
    assert c.fix.description is d.fix.description
    assert c.fix.edits[0].replacement == "      - no-new-privileges:true\n"
    assert c.fix.edits[0].replacement is d.fix.edits[0].replacement
    assert a.fix.edits[0].span.path == "a/compose.yaml" and b.fix.edits[0].span.path == "b/compose.yaml"


def test_the_table_of_shared_texts_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # What the table keeps between runs (a language server lints for hours) has a bound: it
    # starts again empty when full, and is not sys.intern (Python 3.12 never frees those).
    from dockerlint.parsers import compose

    table: dict[str, str] = {}
    monkeypatch.setattr(compose.TEXTS, "table", table)
    monkeypatch.setattr(compose.TEXTS, "limit", 5)
    variables = "\n".join(f"      VARIABLE_{n}: value-{n}" for n in range(40))
    write_tree(tmp_path, {"compose.yaml": f"services:\n  web:\n    image: nginx:1.27\n    environment:\n{variables}\n"})
    (web,) = _containers(tmp_path, monkeypatch)
    assert 0 < len(table) <= 5
    assert [(v.name.value, v.value.value if v.value else None) for v in web.environment] == [
        (f"VARIABLE_{n}", f"value-{n}") for n in range(40)
    ]
    assert all(sys.getrefcount(text) < 1000 for text in table)  # mortal: freed once unused
