"""Messages say what is wrong here, with the value, in at most 140 characters (CONTRIBUTING.md, "Write the message").

The why and the fix belong to the rule page (``rules/<ID>.md``): SARIF carries it as the rule's
help, and ``--show-why`` prints its first "Why is this bad?" sentence under each finding.

``tests/data/message-allowlist.txt`` lists the rules whose messages are still longer (issue 13's
wave 4 shortens them group by group and deletes their lines). It only shrinks: a listed rule
whose messages all fit fails the test until its line is deleted.
"""

from __future__ import annotations

import io
import json
import os
from contextlib import redirect_stderr, redirect_stdout
from functools import cache
from pathlib import Path

import pytest
from regen_script import regen

from dockerlint.api import quote
from dockerlint.cli import main
from dockerlint.reporters.ruledocs import first_sentence, why
from helpers import registry

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
DATA = Path(__file__).resolve().parent / "data"
ALLOWLIST = DATA / "message-allowlist.txt"
SHOW_WHY_GOLDEN = DATA / "show-why.txt"
LIMIT = 140
WHY_LIMIT = 200


def allowlisted() -> set[str]:
    lines = ALLOWLIST.read_text(encoding="utf-8").splitlines()
    return {ln.split("#", 1)[0].strip() for ln in lines if ln.split("#", 1)[0].strip()}


def _run(folder: Path, *args: str) -> tuple[int, str]:
    old = os.getcwd()
    os.chdir(folder)
    out = io.StringIO()
    try:
        with redirect_stdout(out), redirect_stderr(io.StringIO()):
            code = main([*args, "--no-color", "--jobs", "1", "."])
    finally:
        os.chdir(old)
    return code, out.getvalue()


@cache
def fixture_messages() -> dict[str, list[tuple[str, str]]]:
    """rule id -> [(where, message)] of every finding (suppressed ones too) of every fixture
    case linted with ``--select ALL``: the rules' own findings and the parse errors."""
    found: dict[str, list[tuple[str, str]]] = {}
    for rule_dir in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for case in sorted(p for p in rule_dir.iterdir() if p.is_dir()):
            _, text = _run(case, "--select", "ALL", "--format", "json", "--fail-on", "never")
            doc = json.loads(text)
            for f in doc["findings"] + doc["suppressed"]:
                where = f"fixtures/{rule_dir.name}/{case.name}/{f['path']}:{f['line']}"
                found.setdefault(f["rule_id"], []).append((where, f["message"]))
    return found


# -- api.quote -----------------------------------------------------------------------------


def test_quote_puts_a_value_in_single_quotes():
    assert quote("/var/run/docker.sock") == "'/var/run/docker.sock'"


def test_quote_elides_the_middle_of_a_long_value():
    shown = quote("a" * 30 + "MIDDLE" + "z" * 30, limit=20)
    assert shown == "'" + "a" * 10 + "\u2026" + "z" * 9 + "'"
    assert "MIDDLE" not in shown


def test_quote_escapes_what_could_forge_output():
    shown = quote("x\n::error file=a::forged\x1b[2J\u202e")
    assert "\n" not in shown and "\x1b" not in shown and "\u202e" not in shown
    assert shown == "'x\\n::error file=a::forged\\x1b[2J\\u202e'"


def test_quote_masks_credentials():
    assert (
        quote("tcp://deploy:Sup3rS3cretPw@docker.example.com:2375") == "'tcp://deploy:********@docker.example.com:2375'"
    )
    assert "a" * 36 not in quote("token ghp_" + "a" * 36)
    assert quote("hunter22", secret=True) == "'********'"
    # a password that is a variable is no credential: it is shown
    assert quote("tcp://deploy:$PASSWORD@host") == "'tcp://deploy:$PASSWORD@host'"


def test_quote_masks_before_it_elides():
    # Eliding first could leave part of the password on either side of the cut.
    url = "tcp://deploy:" + "S3cret" * 10 + "@docker.example.com:2375"
    assert "S3cret" not in quote(url, limit=40)


# -- message length ------------------------------------------------------------------------


def test_messages_over_the_fixtures_fit_in_140_characters():
    listed = allowlisted()
    too_long = []
    for rule_id, messages in sorted(fixture_messages().items()):
        if rule_id in listed:
            continue
        too_long += [f"{rule_id} {len(m)} {where}: {m}" for where, m in messages if len(m) > LIMIT]
    assert not too_long, "messages over 140 characters (CONTRIBUTING.md, 'Write the message'):\n" + "\n".join(too_long)


def test_the_message_allowlist_only_shrinks():
    listed = allowlisted()
    known = {r.id for r in registry()}
    assert listed <= known, f"unknown ids in {ALLOWLIST.name}: {sorted(listed - known)}"
    messages = fixture_messages()
    fitting = sorted(r for r in listed if all(len(m) <= LIMIT for _, m in messages.get(r, [])))
    assert not fitting, f"these rules' messages fit now: delete their lines from {ALLOWLIST.name}: {fitting}"


# -- the why sentence ----------------------------------------------------------------------


def test_every_rule_page_has_a_why_sentence():
    listed = allowlisted()
    missing, long = [], []
    for r in registry():
        sentence = why(r.id)
        if not sentence:
            missing.append(r.id)
        elif len(sentence) > WHY_LIMIT and r.id not in listed:
            long.append(f"{r.id} ({len(sentence)}): {sentence}")
    assert not missing, f"rule pages without a 'Why is this bad?' sentence: {missing}"
    assert not long, "why sentences over 200 characters (the first sentence is what --show-why prints):\n" + "\n".join(
        long
    )


def test_why_is_one_plain_sentence():
    assert why("DD104") == (
        "Without TLS the client sends every API call, image layer and registry credential "
        "(docker login passes them to the daemon) in clear text, and it cannot tell whether "
        "it is talking to the real daemon."
    )
    assert why("NOPE999") is None
    assert why("../../etc/passwd") is None
    # not cut inside a quotation, nor after an abbreviation
    assert first_sentence('apt-get asks "Continue? [Y/n]" often. More.') == 'apt-get asks "Continue? [Y/n]" often.'
    assert first_sentence("Use e.g. the cache. Then more.") == "Use e.g. the cache."


# -- --show-why ----------------------------------------------------------------------------


def test_show_why_golden():
    """The why line under each finding, in both text layouts (``python scripts/regenerate.py
    --only show-why`` rewrites the golden; read the diff)."""
    case = FIXTURES / "DD104" / "fire"
    _, concise = _run(case, "--select", "DD104", "--show-why", "--quiet")
    _, grouped = _run(case, "--select", "DD104", "--show-why", "--show-source")
    got = (
        f"$ dockerlint --select DD104 --show-why --quiet\n{concise}\n"
        f"$ dockerlint --select DD104 --show-why --show-source\n{grouped}"
    )
    assert got == SHOW_WHY_GOLDEN.read_text(encoding="utf-8"), regen.stale_message("show-why")
    assert regen.show_why_text(ROOT) == got  # the script makes what is tested
    assert f"    why: {why('DD104')}  (dockerlint rule DD104)" in concise.splitlines()


def test_without_show_why_there_is_no_why_line():
    _, text = _run(FIXTURES / "DD104" / "fire", "--select", "DD104", "--quiet")
    assert "why:" not in text


@pytest.mark.parametrize("fmt", ["json", "sarif", "github"])
def test_show_why_goes_with_the_text_format(fmt, capsys):
    code, _ = _run(FIXTURES / "DD104" / "fire", "--select", "DD104", "--show-why", "--format", fmt)
    assert code == 2


def test_show_why_for_a_rule_without_a_page():
    from dockerlint.api import Severity, Span
    from dockerlint.core.findings import Finding
    from dockerlint.reporters import ReportContext
    from dockerlint.reporters.text import why_line

    plugin = Finding("XY001", "plugin-rule", Severity.LOW, Span("Dockerfile", 1, 1, 1, 5), "a finding")
    assert why_line(plugin, ReportContext(registry=None, version="0")) == "    why: see dockerlint rule XY001"


def test_sarif_keeps_the_why_in_the_rule_help():
    """GitHub shows a result's message.text; the why it no longer repeats is in the rule's help."""
    _, text = _run(FIXTURES / "DD104" / "fire", "--select", "DD104", "--format", "sarif")
    doc = json.loads(text)
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    help_text = rules["DD104"]["help"]["markdown"]
    assert "## Why is this bad?" in help_text
    assert "Without TLS the client sends every API call" in help_text
    assert rules["DD104"]["fullDescription"]["text"]


# -- values from the file stay short in daemon messages --------------------------------------


def test_daemon_messages_elide_long_values():
    from helpers import findings

    long_host = "registry-" + "x" * 400 + ".example.com:5000"
    long_key = "k" * 300
    daemon = json.dumps({"insecure-registries": [long_host], long_key: True, "userns-remap": "root"})
    for rule_id in ("DD106", "DD112"):
        got = findings(rule_id, {"etc/docker/daemon.json": daemon})
        assert got, rule_id
        for f in got:
            # 140 plus a value elided to 48 characters (issue 13 plan: at most 200 on any input)
            assert len(f.message) <= 200, f.message
            assert "\u2026" in f.message and "x" * 100 not in f.message and "k" * 100 not in f.message
