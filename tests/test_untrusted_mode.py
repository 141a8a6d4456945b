"""``--isolated --no-inline-ignores`` (and no ``--baseline``): the mode for code you do not trust.

Nothing the repository commits may switch a finding off in that mode: not its configuration
files (any of the three names, at any level), not its suppression comments (dockerlint's,
hadolint's, file-wide or inline, in a ``.env`` too), not a committed baseline, not a
``.hadolint.yaml``, not a ``.gitignore`` (which would make a committed ``.env`` look local),
and not where it puts its files (folders skipped by default, a ``pyvenv.cfg`` marker).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from cli_helpers import repo, run
from helpers import write_tree

UNTRUSTED = ["--isolated", "--no-inline-ignores"]

HOSTILE = {
    # Configurations that turn everything off, at three levels.
    "pyproject.toml": """
        [tool.dockerlint]
        select = ["DL"]
        ignore = ["DF", "DC", "DD"]
        fail-on = "never"
        exclude = ["*"]
        allow-inline-ignores = true

        [tool.dockerlint.per-file-ignores]
        "*" = ["DF", "DC", "DD"]
        """,
    "services/.dockerlint.yml": """
        select: [DL]
        ignore: [DF, DC, DD]
        fail-on: never
        per-file-ignores: {"*": [DF, DC, DD], "**/*": [DF, DC, DD]}
        """,
    "deploy/.dockerlint.toml": 'select = ["DL"]\nfail-on = "never"\nexclude = ["*"]\n',
    ".hadolint.yaml": "ignored:\n  - DL3002\n  - DL3006\n  - DL3007\n",
    # Suppression comments of every kind.
    "Dockerfile": """
        # dockerlint: ignore-file[DF101,DF106] reviewed (SEC-1)
        # hadolint global ignore=DL3002,DL3006,DL3007
        FROM alpine
        # dockerlint: ignore[DF101] reviewed (SEC-2)
        # hadolint ignore=DL3002
        USER root
        """,
    "services/compose.yaml": """
        # dockerlint: ignore-file[DC102,DC113] reviewed (SEC-3)
        services:
          web:
            image: nginx:1.27
            privileged: true  # dockerlint: ignore[DC102] reviewed (SEC-4)
        """,
    "scripts/run.sh": """
        #!/bin/sh
        # dockerlint: ignore-file[DC102] reviewed (SEC-5)
        docker run --privileged nginx:1.27  # dockerlint: ignore[DC102] reviewed (SEC-6)
        """,
    # A committed .env with a credential, ignored by the repository's own .gitignore (its
    # files are in the checkout: committed, whatever .gitignore says) and suppressed in it.
    ".gitignore": "/services/*.env\n/services/.env\n",
    "services/.env": "DB_PASSWORD=hunter2-real\n",
    "app/compose.yaml": "services:\n  app:\n    image: example/app:1.2.0\n    env_file: .env\n    read_only: true\n",
    "app/.env": """
        # dockerlint: ignore-file[DC117] reviewed (SEC-7)
        API_TOKEN=t0k3n-real-value  # dockerlint: ignore[DC117] reviewed (SEC-8)
        """,
    # Places the walk skips by default.
    "deploy/Dockerfile": "FROM alpine\n",
    "deploy/pyvenv.cfg": "home = /usr/bin\n",
    "node_modules/app/Dockerfile": "FROM alpine\n",
    "venv/Dockerfile": "FROM alpine\n",
    ".venv/lib/Dockerfile": "FROM alpine\n",
    ".tox/py/Dockerfile": "FROM alpine\n",
}
PLANTED = {
    "Dockerfile",
    "services/compose.yaml",
    "services/.env",
    "app/compose.yaml",
    "app/.env",
    "scripts/run.sh",
    "deploy/Dockerfile",
    "node_modules/app/Dockerfile",
    "venv/Dockerfile",
    ".venv/lib/Dockerfile",
    ".tox/py/Dockerfile",
}
_SUPPRESSION = re.compile(r"#\s*(?:dockerlint|hadolint)\b[^\n]*")


def _clean(files: dict[str, str]) -> dict[str, str]:
    """The same files without anything that could switch a finding off: no configuration, no
    marker, suppression comments replaced by plain ones (so every position stays)."""
    out = {}
    for rel, text in files.items():
        name = rel.rsplit("/", 1)[-1]
        if name in (
            "pyproject.toml",
            ".dockerlint.yml",
            ".dockerlint.toml",
            ".hadolint.yaml",
            "pyvenv.cfg",
            ".gitignore",
        ):
            continue
        out[rel] = _SUPPRESSION.sub("# a plain comment", text)
    return out


def _findings(out: str) -> list[tuple[str, str, int, int]]:
    return [(f["rule_id"], f["path"], f["line"], f["column"]) for f in json.loads(out)["findings"]]


def test_nothing_the_repository_commits_hides_a_finding(tmp_path):
    root = repo(tmp_path / "hostile")
    write_tree(root, HOSTILE)
    # The repository's own baseline, recording every finding.
    code, _, err = run([*UNTRUSTED, "--write-baseline", ".dockerlint-baseline.json", "."], root)
    assert code == 0, err
    assert len(json.loads((root / ".dockerlint-baseline.json").read_text())["findings"]) >= len(PLANTED)

    # The trap works: trusted, the repository hides everything.
    code, out, err = run(["-f", "json", "--baseline", ".dockerlint-baseline.json", "."], root)
    assert code == 0 and _findings(out) == [], (out, err)

    # Untrusted: every finding, exit 1, the committed baseline not read.
    code, out, err = run(["-f", "json", *UNTRUSTED, "."], root)
    assert code == 1, err
    got = _findings(out)
    assert {path for _, path, _, _ in got} == PLANTED
    assert json.loads(out)["suppressed"] == []

    # Exactly what the same files give with nothing in them that could switch a finding off.
    clean = tmp_path / "clean"
    write_tree(repo(clean), _clean(HOSTILE))
    code, ref, err = run(["-f", "json", *UNTRUSTED, "."], clean)
    assert code == 1, err
    assert got == _findings(ref)
    for rule in ("DF101", "DF106", "DC102", "DC113", "DC117"):
        assert rule in {r for r, _, _, _ in got}


def test_untrusted_mode_from_a_subfolder_ignores_the_configuration_above(tmp_path):
    root = repo(tmp_path / "hostile")
    write_tree(root, HOSTILE)
    code, out, err = run(["-f", "json", *UNTRUSTED, "."], root / "services")
    assert code == 1 and ("DC102", "compose.yaml", 5, 5) in _findings(out), err


def test_the_skipped_folders_are_skipped_when_the_tree_is_trusted(tmp_path):
    """Outside --isolated the walk still spares dependency folders and virtual environments
    (other people's code, and time); --isolated walks them."""
    hidden = {k: v for k, v in HOSTILE.items() if k.endswith(("/Dockerfile", "pyvenv.cfg"))}
    root = repo(tmp_path / "t")
    write_tree(root, hidden)
    code, out, err = run(["-f", "json", "."], root)
    assert code == 0 and _findings(out) == [], err
    code, out, err = run(["-f", "json", "--isolated", "."], root)
    assert code == 1, err
    assert {path for _, path, _, _ in _findings(out)} == {k for k in hidden if k.endswith("Dockerfile")}


def test_isolated_still_skips_version_control_metadata(tmp_path):
    root = repo(tmp_path / "t")
    write_tree(
        root,
        {
            ".git/hooks/Dockerfile": "FROM alpine\n",
            ".hg/Dockerfile": "FROM alpine\n",
            ".svn/Dockerfile": "FROM alpine\n",
            "Dockerfile": "FROM alpine:3.20\nUSER app\n",
        },
    )
    code, out, err = run(["-f", "json", *UNTRUSTED, "."], root)
    assert code == 0 and _findings(out) == [], (out, err)
    assert json.loads(out)["summary"]["files"] == 1


def test_untrusted_mode_reads_nothing_outside_the_tree(tmp_path):
    """The configuration search does not run at all: even a file that would be an error is not read."""
    parent = tmp_path / "parent"
    write_tree(parent, {"pyproject.toml": "[tool.dockerlint]\nnot-a-key = 1\n"})
    root = parent / "checkout"  # no .git: the search would go up to the filesystem root
    write_tree(root, {"Dockerfile": "FROM alpine\n", ".dockerlint.yml": "also-not-a-key: 1\n"})
    code, _, err = run(["-q", *UNTRUSTED, "."], root)
    assert code == 1 and "not-a-key" not in err and "configuration" not in err, err
    code, _, err = run(["-q", "."], root)
    assert code == 2 and "also-not-a-key" in err  # without the mode, it is read


def test_the_readme_names_the_mode(tmp_path):
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = text.split("## Security model", 1)[1].split("\n## ", 1)[0]
    assert "--isolated --no-inline-ignores" in section and "--baseline" in section
