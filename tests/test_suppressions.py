"""Inline suppressions and the DL meta rules, through ``main(argv)`` on real files."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from cli_helpers import repo, run
from dockerlint.core.suppressions import dockerfile_extents, hadolint_ids, parse
from dockerlint.models.source import SourceFile
from helpers import registry, write_tree

COMPOSE = """
    services:
      web:
        image: nginx:1.27
        privileged: true  # dockerlint: ignore[DC102] kind-in-docker needs it (SEC-1)
        # dockerlint: ignore[DC101] builds images for CI (SEC-2)
        # a second comment line between the suppression and its line is fine
        volumes:
          - /var/run/docker.sock:/var/run/docker.sock
      db:
        image: postgres:16
        # dockerlint: ignore[DC105] the image drops privileges itself (SEC-3)
        user: root
    """


def lint_json(root, *args, env=None):
    code, out, err = run(["-f", "json", *args], root, env=env)
    assert code in (0, 1), err
    return json.loads(out)


def found(doc, key="findings"):
    return [(f["path"], f["line"], f["rule_id"]) for f in doc[key]]


def test_compose_same_line_and_next_line(tmp_path):
    write_tree(repo(tmp_path), {"compose.yaml": COMPOSE})
    doc = lint_json(tmp_path, "--select", "DC101,DC102,DC105,DL")
    # DC101 is on line 8, not the line after its comment (line 7, "volumes:"): not suppressed,
    # and the comment suppresses nothing
    assert found(doc) == [("compose.yaml", 5, "DL001"), ("compose.yaml", 8, "DC101")]
    assert found(doc, "suppressed") == [("compose.yaml", 4, "DC102"), ("compose.yaml", 12, "DC105")]
    assert [f["suppression"] for f in doc["suppressed"]] == [
        {"kind": "inline", "reason": "kind-in-docker needs it (SEC-1)"},
        {"kind": "inline", "reason": "the image drops privileges itself (SEC-3)"},
    ]
    assert doc["summary"]["suppressed"] == 2


def test_dockerfile_comment_covers_the_whole_next_instruction(tmp_path):
    write_tree(
        repo(tmp_path),
        {
            "Dockerfile": """
            FROM debian:12
            # dockerlint: ignore[DF101] the entrypoint drops to app with gosu

            USER \\
              root
            """,
            "b/Dockerfile": """
            FROM debian:12
            # dockerlint: ignore[DF101] only the next instruction is covered
            RUN true
            USER root
            """,
        },
    )
    doc = lint_json(tmp_path, "--select", "DF101,DL")
    assert found(doc, "suppressed") == [("Dockerfile", 5, "DF101")]
    assert found(doc) == [("b/Dockerfile", 2, "DL001"), ("b/Dockerfile", 4, "DF101")]


def test_systemd_semicolon_comment_and_ignore_file(tmp_path):
    write_tree(
        repo(tmp_path),
        {
            "etc/systemd/system/docker.service": """
            [Service]
            ; dockerlint: ignore[DD101] reached only through the host's SSH tunnel (SEC-9)
            ExecStart=/usr/bin/dockerd -H fd:// -H tcp://0.0.0.0:2375
            """,
            "other/compose.yaml": "# dockerlint: ignore-file[DC105] legacy stack, removed in Q3\n"
            "services:\n  a:\n    image: a:1\n    user: root\n  b:\n    image: b:1\n    user: '0'\n",
        },
    )
    doc = lint_json(tmp_path, "--select", "DD101,DC105,DL")
    assert found(doc) == []
    assert sorted(f["rule_id"] for f in doc["suppressed"]) == ["DC105", "DC105", "DD101"]
    assert {f["suppression"]["kind"] for f in doc["suppressed"]} == {"inline", "file"}


def test_reason_is_required_by_default(tmp_path):
    root = repo(tmp_path)
    write_tree(root, {"Dockerfile": "FROM debian:12\n# dockerlint: ignore[DF101]\nUSER root\n"})
    doc = lint_json(root, "--select", "DF101,DL")
    assert found(doc) == [("Dockerfile", 2, "DL003"), ("Dockerfile", 3, "DF101")]
    assert "not applied" in doc["findings"][0]["message"]
    (root / ".dockerlint.toml").write_text("require-reason = false\n")
    doc = lint_json(root, "--select", "DF101,DL")
    assert found(doc) == [] and found(doc, "suppressed") == [("Dockerfile", 3, "DF101")]


def test_unknown_malformed_and_unused(tmp_path):
    write_tree(
        repo(tmp_path),
        {
            "Dockerfile": """
        FROM debian:12
        # dockerlint: ignore[DF1O1, DF101] typo first (SEC-4)
        USER root
        # dockerlint: ignore=DF101
        # dockerlint: ignore[DC101] wrong file kind
        CMD ["app"]
        """
        },
    )
    code, out, _ = run(["--quiet", "--select", "DF101,DL"], tmp_path)
    lines = out.splitlines()
    assert lines[0] == (
        "Dockerfile:2:22: DL002 medium no rule has the id 'DF1O1' (did you mean DF101?), "
        "so this suppression suppresses nothing"
    )
    assert lines[1].startswith("Dockerfile:4:3: DL002 medium cannot read this suppression")
    assert lines[2].startswith("Dockerfile:5:22: DL001 low DC101 has no finding on line 6")
    assert len(lines) == 4 and code == 1
    assert lines[3] == "Found 3 findings in 1 file (2 medium, 1 low). 1 suppressed (1 by comments)."


def test_unused_is_judged_even_when_the_rule_is_not_selected(tmp_path):
    write_tree(
        repo(tmp_path), {"Dockerfile": "FROM debian:12\n# dockerlint: ignore[DF101] drops privileges\nUSER app\n"}
    )
    assert found(lint_json(tmp_path, "--select", "DL001")) == [("Dockerfile", 2, "DL001")]
    write_tree(tmp_path, {"Dockerfile": "FROM debian:12\n# dockerlint: ignore[DF101] drops privileges\nUSER root\n"})
    assert found(lint_json(tmp_path, "--select", "DL001")) == []


def test_no_inline_ignores(tmp_path):
    write_tree(repo(tmp_path), {"compose.yaml": COMPOSE})
    for args, env in ((["--no-inline-ignores"], None), ([], {"DOCKERLINT_NO_INLINE_IGNORES": "1"})):
        doc = lint_json(tmp_path, "--select", "DC101,DC102,DC105,DL", *args, env=env)
        assert sorted(f["rule_id"] for f in doc["findings"]) == ["DC101", "DC102", "DC105"]
        assert doc["suppressed"] == []


def test_hadolint_ignore_comments_map_to_df_rules(tmp_path):
    mapped = [r.id for r in registry() if "DL3002" in hadolint_ids(r.peers)]
    assert mapped == ["DF101"]
    write_tree(
        repo(tmp_path),
        {
            "Dockerfile": "FROM debian:12\n# hadolint ignore=DL3008,DL3002\nUSER root\n",
            "b/Dockerfile": "# hadolint global ignore=DL3002\nFROM debian:12\nRUN true\nUSER root\n",
            "c/Dockerfile": "FROM debian:12\n# hadolint ignore=DL3003\nUSER root\n",
        },
    )
    doc = lint_json(tmp_path, "--select", "DF101,DL")
    assert found(doc) == [("c/Dockerfile", 3, "DF101")]  # DL3003 is not DF101's; no DL finding either
    assert [f["suppression"]["kind"] for f in doc["suppressed"]] == ["hadolint", "hadolint"]


def test_hadolint_ids_accept_several_spellings():
    assert hadolint_ids({"hadolint": "DL3006/DL3007"}) == ["DL3006", "DL3007"]
    assert hadolint_ids({"hadolint": "DL3006, DL3007"}) == ["DL3006", "DL3007"]
    assert hadolint_ids({"checkov": "CKV_DOCKER_3"}) == []


def test_suppressed_findings_in_text_and_sarif(tmp_path):
    write_tree(repo(tmp_path), {"compose.yaml": COMPOSE})
    code, out, _ = run(["-q", "--select", "DC102,DC105"], tmp_path)
    assert code == 0 and out == "No findings in 1 file. 2 suppressed (2 by comments).\n"
    _, out, _ = run(["-f", "sarif", "--select", "DC102,DC105"], tmp_path)
    assert json.loads(out)["runs"][0]["results"] == []
    _, out, _ = run(["-f", "sarif", "--select", "DC102,DC105", "--sarif-include-suppressed"], tmp_path)
    results = json.loads(out)["runs"][0]["results"]
    assert [r["suppressions"] for r in results] == [
        [{"kind": "inSource", "justification": "kind-in-docker needs it (SEC-1)"}],
        [{"kind": "inSource", "justification": "the image drops privileges itself (SEC-3)"}],
    ]


def test_meta_findings_obey_configuration(tmp_path):
    root = repo(tmp_path)
    write_tree(
        root,
        {
            ".dockerlint.toml": "[per-file-ignores]\n'legacy/*' = ['DL']\n",
            "legacy/Dockerfile": "FROM debian:12\n# dockerlint: ignore[DF101]\nUSER app\n",
            "Dockerfile": "FROM debian:12\n# dockerlint: ignore[DF101]\nUSER app\n",
        },
    )
    assert found(lint_json(root, "--select", "DF101,DL")) == [("Dockerfile", 2, "DL003")]
    assert found(lint_json(root, "--select", "DF101,DL", "--ignore", "DL003")) == []


def test_parse_positions_and_extents():
    text = (
        "FROM a\n# dockerlint: ignore[DF101 , DC101] why\nRUN a \\\n  # inner\n  b\n\n"
        "# dockerlint: ignore-file[DF102] -- file reason\n"
    )
    src = SourceFile(path="Dockerfile", kind="dockerfile", text=text)
    assert dockerfile_extents(src.lines) == {1: 1, 3: 5}
    first, second = parse(src)
    assert first.scope == "line" and first.covers == (3, 5) and first.reason == "why"
    assert [(i, s.col, s.end_col) for i, s in first.ids] == [("DF101", 22, 27), ("DC101", 30, 35)]
    assert second.scope == "file" and second.reason == "file reason"
    assert parse(SourceFile(path="daemon.json", kind="daemon", text='{"a": "# dockerlint: ignore[X]"}')) == []
    # in a unit, '#' after a value is part of the value, not a comment
    unit = SourceFile(
        path="docker.service",
        kind="systemd",
        text="[Service]\nExecStart=/usr/bin/dockerd # dockerlint: ignore[DD101] x\n",
    )
    assert parse(unit) == []


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "FROM a",
                "USER root",
                "RUN a \\",
                "  b",
                "",
                "# x",
                "  # dockerlint: ignore[DF101] r",
                "# dockerlint: ignore[",
                "# dockerlint: ignore-file[DC1O1,] ",
                "x: 1  # dockerlint: ignore[DC102]",
                "; dockerlint: ignore[DD101] y",
                "# hadolint ignore=DL3002",
                "# hadolint global ignore=DL3002, DL3006",
                "# dockerlint:",
                "\t# dockerlint: ignore[ DF101 ]\tr",
                "é # dockerlint: ignore[DF101] ü",
            ]
        ),
        max_size=12,
    ),
    st.sampled_from(["dockerfile", "compose", "systemd"]),
)
def test_parse_never_crashes_and_spans_are_inside_the_line(lines: list[str], kind: str) -> None:
    src = SourceFile(path="f", kind=kind, text="\n".join(lines) + "\n")
    for d in parse(src, hadolint_map={"DL3002": ["DF101"], "DL3006": ["DF106"]}):
        line = src.lines[d.span.line - 1]
        assert 1 <= d.span.col < d.span.end_col <= len(line) + 1
        for word, span in d.ids:
            if d.origin == "dockerlint":
                assert line[span.col - 1 : span.end_col - 1].upper() == word
        if d.scope == "line" and d.covers[0]:
            assert d.covers[0] <= d.covers[1] <= len(src.lines)
