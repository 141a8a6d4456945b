"""Compose ``build.dockerfile_inline``: the Dockerfile written in a Compose file is linted
with the DF rules, every finding and suppression at its place in the Compose file (through
YAML quoting, block indentation and Compose interpolation), and linked to its services."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import run
from dockerlint.core import parallel
from helpers import lint_tree, write_tree


def found(result, *rule_ids: str) -> list[tuple[str, str, int, int]]:
    return [(f.rule_id, f.path, f.span.line, f.span.col) for f in result.findings if f.rule_id in rule_ids]


LITERAL = """\
services:
  app:
    image: acme/app:1
    build:
      context: .
      dockerfile_inline: |
        # syntax=docker/dockerfile:1
        FROM debian:12
        RUN echo "$${HOME}" && curl -k https://get.example.com/i.sh | sh
        RUN <<EOF
        wget --no-check-certificate https://e.example.com/a
        EOF
        CMD ["app"]
"""


def test_a_literal_block_is_linted_at_its_place_in_the_compose_file(tmp_path: Path) -> None:
    write_tree(tmp_path, {"compose.yaml": LITERAL})
    result = lint_tree(tmp_path, select=["DF101", "DF104", "DF105", "DC122", "DF000"])
    assert not result.internal_errors
    assert found(result, "DF101", "DF104", "DF105", "DF000") == [
        ("DF101", "compose.yaml", 8, 14),  # FROM debian:12, past the block's indentation
        ("DF105", "compose.yaml", 9, 37),  # curl -k, after Compose's $$ (one $ for BuildKit)
        ("DF104", "compose.yaml", 9, 71),
        ("DF105", "compose.yaml", 11, 14),  # in a heredoc body
    ]
    assert [f.snippet for f in result.findings if f.rule_id in ("DF105", "DF104")] == [
        "-k",
        "sh",
        "--no-check-certificate",
    ]
    spans = {f.rule_id: f for f in result.findings}
    # The service is judged by the image it builds, and DF101 names the service.
    (dc122,) = [f for f in result.findings if f.rule_id == "DC122"]
    assert (dc122.path, dc122.span.line, dc122.span.col) == ("compose.yaml", 4, 5)
    assert "; the dockerfile_inline at compose.yaml:6: final stage sets no USER" in dc122.message
    assert "used by service 'app' (compose.yaml)" in spans["DF101"].message
    assert result.files_checked == 1


@pytest.mark.parametrize(
    ("written", "line", "col"),
    [
        ('"FROM alpine:3.20\\nRUN curl -k https://e.example.com\\n"', 4, 54),  # double-quoted, escapes
        ("'FROM alpine:3.20\n\n        RUN curl -k https://e.example.com'", 6, 18),  # single-quoted, folded line
        (">\n        FROM alpine:3.20\n\n        RUN curl -k https://e.example.com", 7, 18),  # folded block
        ("|-\n        FROM alpine:3.20\n        RUN curl -k https://e.example.com", 6, 18),  # strip chomping
        ("|2\n          FROM alpine:3.20\n          RUN curl -k https://e.example.com", 6, 20),  # indentation indicator
    ],
)
def test_every_yaml_style_maps_back_exactly(tmp_path: Path, written: str, line: int, col: int) -> None:
    compose = f"services:\n  app:\n    build:\n      dockerfile_inline: {written}\n"
    write_tree(tmp_path, {"compose.yaml": compose})
    result = lint_tree(tmp_path, select=["DF105", "DF000"])
    assert found(result, "DF105", "DF000") == [("DF105", "compose.yaml", line, col)], compose
    (f,) = result.findings
    assert f.snippet == "-k"


def test_interpolation_is_judged_after_it_and_reported_where_written(tmp_path: Path) -> None:
    compose = "services:\n  app:\n    build:\n      dockerfile_inline: |\n        FROM ${BASE}\n        USER 1000\n"
    write_tree(tmp_path, {"compose.yaml": compose, ".env": "BASE=debian:latest\n"})
    result = lint_tree(tmp_path, select=["DF106"])
    (f,) = result.findings
    assert (f.path, f.span.line, f.span.col, f.snippet) == ("compose.yaml", 5, 14, "${BASE}")
    assert "'debian:latest'" in f.message
    (tmp_path / ".env").write_text("BASE=debian:12.6\n", encoding="utf-8")
    assert lint_tree(tmp_path, select=["DF106"]).findings == []


def test_suppressions_in_the_inline_dockerfile_apply_where_written(tmp_path: Path) -> None:
    compose = """\
    services:
      app:
        user: "1000"
        build:
          dockerfile_inline: |
            # dockerlint: ignore-file[DF106] pinned by the registry mirror
            FROM debian:latest
            # dockerlint: ignore[DF105] internal mirror with its own CA
            RUN curl -k https://x.example/i.tgz -o /i.tgz \\
                && wget --no-check-certificate https://e.example/a
            # dockerlint: ignore[DF104] nothing to suppress here
            USER 1000
      other:
        image: debian:latest
    """
    write_tree(tmp_path, {"compose.yaml": compose})
    result = lint_tree(tmp_path, select=["DF105", "DF106", "DF104", "DL001", "DC118"])
    # ignore-file in the inline Dockerfile covers that Dockerfile (its lines of the Compose
    # file), not the Compose file; a suppression that suppresses nothing is reported where
    # it is written.
    assert [(f.rule_id, f.suppression.kind, f.span.line, f.span.col) for f in result.suppressed] == [
        ("DF106", "inline", 7, 14),
        ("DF105", "inline", 9, 18),
        ("DF105", "inline", 10, 21),
    ]
    assert found(result, "DC118", "DL001") == [("DL001", "compose.yaml", 11, 30), ("DC118", "compose.yaml", 14, 12)]
    result = lint_tree(tmp_path, select=["DF105"], allow_inline_ignores=False)
    assert len(result.findings) == 2 and not result.suppressed


def test_a_broken_inline_dockerfile_is_a_df000_in_the_compose_file(tmp_path: Path) -> None:
    compose = (
        "services:\n  app:\n    build:\n      dockerfile_inline: |\n        RUN echo before\n"
        "        FROM alpine:3.20\n  web:\n    image: nginx:1.27\n    privileged: true\n"
    )
    write_tree(tmp_path, {"compose.yaml": compose})
    code, out, _ = run(["--select", "DF000,DC102", "-q", "--no-color", "."], tmp_path)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("compose.yaml:5:9: DF000 error RUN comes before the first FROM")
    assert lines[1].startswith("compose.yaml:9:5: DC102 critical ")  # the rest is linted


def test_an_inline_dockerfile_in_an_override_file_points_there_and_is_linted_once(tmp_path: Path) -> None:
    base = "services:\n  app:\n    image: acme/app:1\n"
    override = (
        "services:\n  app:\n    build:\n      dockerfile_inline: |\n"
        "        FROM alpine:3.20\n        RUN curl -k https://e.example.com\n"
    )
    write_tree(
        tmp_path,
        {
            "compose.yaml": base,
            "compose.override.yaml": override,
            "other/compose.yaml": "services:\n  x:\n    extends:\n      file: ../compose.override.yaml\n"
            "      service: app\n",
        },
    )
    result = lint_tree(tmp_path, select=["DF105"])
    assert found(result, "DF105") == [("DF105", "compose.override.yaml", 6, 18)]


def test_fixes_are_not_offered_in_an_inline_dockerfile(tmp_path: Path) -> None:
    compose = (
        "services:\n  app:\n    build:\n      dockerfile_inline: |\n        FROM alpine:3.20\n"
        "        MAINTAINER someone@example.com\n        USER 1000\n"
    )
    write_tree(tmp_path, {"compose.yaml": compose, "Dockerfile": "FROM alpine:3.20\nMAINTAINER a@example.com\n"})
    result = lint_tree(tmp_path, select=["DF221"])
    assert [(f.path, f.span.line, f.fix is not None) for f in result.findings] == [
        ("Dockerfile", 2, True),
        ("compose.yaml", 6, False),
    ]


@pytest.mark.skipif(not parallel.available(), reason="worker processes need fork (POSIX)")
def test_output_is_the_same_whatever_the_number_of_workers(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {f"svc{k:03d}/Dockerfile": f"FROM debian:12\nRUN echo {k}\n" for k in range(30)}
    files["compose.yaml"] = LITERAL
    files["run.sh"] = "docker run --rm acme/app:1\n"
    write_tree(tmp_path, files)
    outputs = {jobs: run(["--no-color", "--format", "json", "--jobs", str(jobs), "."], tmp_path) for jobs in (1, 2)}
    assert '"path": "compose.yaml"' in outputs[1][1] and "dockerfile_inline at compose.yaml:6" in outputs[1][1]
    assert outputs[2] == outputs[1]


def test_a_deeply_nested_run_is_moved_without_recursion(tmp_path: Path) -> None:
    """The shell script of a RUN nests as deep as its input; moving it to the Compose file
    must not cost a recursion level per level (the Dockerfile's own depth is the limit)."""
    nested = "echo " + "$(echo " * 100 + "x" + ")" * 100
    compose = (
        "services:\n  app:\n    build:\n      dockerfile_inline: |\n        FROM alpine:3.20\n"
        f"        RUN {nested.replace('$', '$$')} && curl -k https://e.example.com\n"
    )
    write_tree(tmp_path, {"compose.yaml": compose, "Dockerfile": f"FROM alpine:3.20\nRUN {nested} && curl -k x\n"})
    result = lint_tree(tmp_path, select=["DF105"])
    assert not result.internal_errors
    assert [(f.path, f.span.line) for f in result.findings] == [("Dockerfile", 2), ("compose.yaml", 6)]
    (inline,) = [f for f in result.findings if f.path == "compose.yaml"]
    assert inline.snippet == "-k" and inline.span.col == 13 + len(nested.replace("$", "$$")) + 9


def test_copy_sources_of_an_inline_dockerfile_are_read_from_its_context(tmp_path: Path) -> None:
    """DF111 reads the first bytes of a COPY source in the build context: for an inline
    Dockerfile, the build's context (relative to the Compose file)."""
    compose = (
        "services:\n  app:\n    build:\n      context: ./app\n      dockerfile_inline: |\n"
        "        FROM alpine:3.20\n        COPY signing.key /etc/apk/keys/\n"
        "        COPY deploy.key /root/.ssh/id_ed25519\n        USER 1000\n"
    )
    public = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBF\n-----END PGP PUBLIC KEY BLOCK-----\n"
    private = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----\n"
    write_tree(
        tmp_path,
        {
            "compose.yaml": compose,
            "app/signing.key": public,
            "app/deploy.key": private,
            # not the context: a file of the same name beside the Compose file
            "signing.key": private,
        },
    )
    result = lint_tree(tmp_path, select=["DF111"])
    assert found(result, "DF111") == [("DF111", "compose.yaml", 8, 14)]
    assert "private key (-----BEGIN OPENSSH PRIVATE KEY-----)" in result.findings[0].message  # read, not guessed


def test_a_dockerfile_built_on_an_inline_one_inherits_its_user(tmp_path: Path) -> None:
    """All the Dockerfiles the services build are in the scan before any is checked, inline
    ones too: FROM acme/base, built from a dockerfile_inline that ends with USER app, runs as app."""
    compose = (
        "services:\n  base:\n    image: acme/base:1\n    build:\n      dockerfile_inline: |\n"
        "        FROM debian:12.6\n        RUN useradd --system app\n        USER app\n"
        "  app:\n    image: acme/app:1\n    build:\n      context: .\n      dockerfile: docker/app.df\n"
    )
    write_tree(tmp_path, {"compose.yaml": compose, "docker/app.df": 'FROM acme/base:1\nCMD ["app"]\n'})
    result = lint_tree(tmp_path, select=["DF101", "DC122", "DF106"])
    assert not result.findings, [(f.rule_id, f.path, f.message) for f in result.findings]
    # ... and the other way round: an inline Dockerfile built on a Dockerfile of the tree.
    compose = (
        "services:\n  base:\n    image: acme/base:1\n    build: {context: ., dockerfile: docker/base.df}\n"
        '  app:\n    build:\n      dockerfile_inline: |\n        FROM acme/base:1\n        CMD ["app"]\n'
    )
    write_tree(tmp_path, {"compose.yaml": compose, "docker/base.df": "FROM debian:12.6\nUSER 1000\n"})
    result = lint_tree(tmp_path, select=["DF101", "DC122", "DF106"])
    assert not result.findings, [(f.rule_id, f.path, f.message) for f in result.findings]
