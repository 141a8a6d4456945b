"""The models as a whole: slotted dataclasses built by their constructor, root models with
``path`` and ``span``, pydantic only in ``models/schema.py``, and the shipped JSON Schema."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dockerlint.models import client, container, daemon, image, shell, suppression
from dockerlint.models.base import LStr, Root, Span, model
from dockerlint.models.schema import dump, json_schema
from dockerlint.models.source import SourceFile
from dockerlint.parsers.dockerfile import parse

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "docs" / "models.schema.json"
MODULES = (client, container, daemon, image, shell, suppression)


def _models() -> list[type]:
    return [
        obj
        for m in MODULES
        for obj in vars(m).values()
        if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == m.__name__
    ]


def test_every_model_is_slotted_and_every_root_model_has_path_and_span() -> None:
    models = _models()
    assert len(models) > 25
    roots = {cls.__name__ for cls in models if issubclass(cls, Root)}
    assert {"ImageBuild", "Container", "BuiltImage", "ClientEnv", "Daemon", "Suppression"} <= roots
    for cls in models:
        assert "__slots__" in vars(cls) and "__dict__" not in dir(cls), cls
        names = [f.name for f in dataclasses.fields(cls)]
        if issubclass(cls, Root):
            assert {"path", "span"} <= set(names), cls


def test_a_root_model_without_path_or_span_is_refused() -> None:
    with pytest.raises(TypeError, match="'path' and 'span'"):

        @model
        class Broken(Root):
            span: Span


def test_fields_starting_with_an_underscore_are_never_dumped() -> None:
    for cls in _models():
        for f in dataclasses.fields(cls):
            if f.name.startswith("_"):
                assert f.metadata.get("exclude") is True and not f.compare and not f.repr, (cls, f.name)
    b = parse(SourceFile("Dockerfile", "dockerfile", "FROM alpine\nRUN echo hi\n")).models[0]
    assert isinstance(b, image.ImageBuild)
    run = b.instructions[1]
    data = dump(b)  # a RUN whose script nobody read: the dump neither shows nor parses it
    assert "_script" not in data["instructions"][1] and "script" not in data["instructions"][1]
    assert callable(run._script)
    assert data["instructions"][1]["args_text"] == "echo hi"


def test_daemon_path_is_the_file_of_its_span() -> None:
    from dockerlint.parsers.daemon import assemble
    from dockerlint.parsers.daemon_json import parse as parse_json

    part = parse_json(SourceFile("etc/docker/daemon.json", "daemon", '{"debug": true}\n')).daemon_parts[0]
    (d,) = assemble([part]).models
    assert (d.path, d.span) == ("etc/docker/daemon.json", Span("etc/docker/daemon.json", 1, 1, 1, 2))


def test_no_model_module_imports_pydantic() -> None:
    names = ", ".join(m.__name__ for m in MODULES)
    code = (
        f"import sys, {names}, dockerlint.models.schema\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_models_schema_json_is_current() -> None:
    want = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == want, (
        "docs/models.schema.json is stale: run `python scripts/regenerate.py --only schema`"
    )


def test_located_values_are_positional_values() -> None:
    s = Span("f", 1, 2, 1, 5)
    assert LStr("abc", s) == LStr(value="abc", span=s) and LStr("a", s, "b").text == "b"
    assert {s, Span("f", 1, 2, 1, 5)} == {s}
