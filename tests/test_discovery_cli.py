"""Discovery seen from the command line: Compose files found by content and the projects they
form, --kind for every kind, warnings when a named path gives nothing to lint, unreadable and
very deep folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_helpers import run
from dockerlint.cli import build_parser
from dockerlint.core.parsing import PARSE_ERROR_ID
from dockerlint.discovery import KINDS
from dockerlint.parsers import PARSERS
from helpers import write_tree

SNIFF_DATA = Path(__file__).resolve().parent / "data" / "compose-sniff"
CLEAN_DOCKERFILE = "FROM debian:12\nUSER 1000\n"


# -- Compose files by content ------------------------------------------------------------------------


def test_compose_files_found_by_content_are_linted_at_exact_positions():
    code, out, err = run(["--select", "DC101", "-q", "--no-color", "."], SNIFF_DATA)
    assert code == 1, err
    assert out.splitlines()[0].startswith("compose/swarm-stack.yml:23:9: DC101 critical service 'proxy' ")
    assert "not-compose" not in out + err


MAIN = "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n"
HARDENING = "services:\n  web:\n    privileged: false\n    read_only: true\n"


def test_a_file_found_by_content_is_its_own_project(tmp_path):
    write_tree(tmp_path, {"compose.yaml": MAIN, "hardening.yml": HARDENING})
    code, out, _ = run(["--select", "DC102", "-q", "--no-color", "."], tmp_path)
    assert code == 1 and out.splitlines()[0].startswith("compose.yaml:4:5: DC102 critical service 'web' ")


def test_compose_file_in_dotenv_merges_a_file_found_by_content(tmp_path):
    write_tree(
        tmp_path,
        {"compose.yaml": MAIN, "hardening.yml": HARDENING, ".env": "COMPOSE_FILE=compose.yaml:hardening.yml\n"},
    )
    code, out, _ = run(["--select", "DC102", "-q", "--no-color", "."], tmp_path)
    assert (code, out) == (0, "No findings in 2 files.\n")


def test_compose_file_in_another_folders_dotenv_claims_the_file_first(tmp_path):
    # b/ sorts after a/: the override in a/ must not be a project of its own first.
    write_tree(
        tmp_path,
        {
            "b/compose.yaml": MAIN,
            "a/hardening.yml": HARDENING,
            "b/.env": "COMPOSE_FILE=compose.yaml:../a/hardening.yml\n",
        },
    )
    code, out, _ = run(["--select", "DC102,DC108", "-q", "--no-color", "."], tmp_path)
    assert (code, out) == (0, "No findings in 2 files.\n")


def test_compose_file_option_merges_a_file_found_by_content(tmp_path):
    write_tree(tmp_path, {"compose.yaml": MAIN, "hardening.yml": HARDENING})
    code, out, _ = run(
        [
            "--select",
            "DC102",
            "-q",
            "--no-color",
            "--compose-file",
            "compose.yaml",
            "--compose-file",
            "hardening.yml",
            ".",
        ],
        tmp_path,
    )
    assert (code, out) == (0, "No findings in 2 files.\n")


def test_compose_file_option_takes_a_file_whatever_its_content(tmp_path):
    # --compose-file is the user's word: no sniff (a service key Compose refuses is a DC000).
    write_tree(tmp_path, {"stack.yml": "services:\n  web:\n    image: a:1\n    privileged: true\n    typo: 1\n"})
    code, out, _ = run(["-q", "--no-color", "--compose-file", "stack.yml"], tmp_path)
    assert code == 1 and "stack.yml:5:5: DC000 error unknown key 'typo'" in out


# -- --kind ----------------------------------------------------------------------------------------------


def test_kind_takes_every_kind_of_the_table():
    action = next(a for a in build_parser()._actions if "--kind" in a.option_strings)
    assert list(action.choices) == list(KINDS)
    # The engine reads and parses every kind of the table.
    assert set(KINDS) == set(PARSERS) == set(PARSE_ERROR_ID)


@pytest.mark.parametrize(
    ("kind", "name", "text", "where"),
    [
        ("script", "deploy", "set -e\ndocker run --privileged alpine:3.20 sh\n", "deploy:2:12"),
        ("makefile", "build-rules", "run:\n\tdocker run --privileged alpine:3.20 sh\n", "build-rules:2:13"),
        (
            "github",
            "ci-workflow",
            (
                "on: push\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n"
                "      - run: docker run --privileged alpine:3.20 sh\n"
            ),
            "ci-workflow:6:25",
        ),
        ("gitlab", "ci-jobs", "test:\n  script:\n    - docker run --privileged alpine:3.20 sh\n", "ci-jobs:3:18"),
    ],
)
def test_kind_lints_a_named_file_of_any_name(tmp_path, kind, name, text, where):
    write_tree(tmp_path, {name: text})
    code, out, err = run([name], tmp_path)  # no shebang, no known name: not recognized
    assert code == 0 and "not recognized" in err and "--kind KIND" in err
    code, out, err = run(["--kind", kind, "--select", "DC102", "-q", "--no-color", name], tmp_path)
    assert code == 1, err
    assert out.startswith(f"{where}: DC102 critical "), out


# -- named paths that give nothing to lint ----------------------------------------------------------


def test_an_empty_folder_warns_and_exits_0(tmp_path):
    write_tree(tmp_path, {"docs/guide.md": "# Guide\n", "docs/app.yml": "debug: true\n"})
    code, out, err = run(["docs"], tmp_path)
    assert (code, out) == (0, "No findings in 0 files.\n")
    assert err.startswith("dockerlint: warning: docs: nothing to lint in this folder (no Dockerfile, Compose file,")
    assert (
        "--kind KIND (dockerfile, compose, daemon, systemd, script, makefile, github, gitlab, devcontainer, "
        "client, quadlet, jenkinsfile)"
    ) in err


def test_each_named_folder_without_files_is_named_even_if_others_have_some(tmp_path):
    write_tree(tmp_path, {"Dockerfile": CLEAN_DOCKERFILE, "deploy/notes.txt": "x\n"})
    code, out, err = run(["Dockerfile", "deploy"], tmp_path)
    assert (code, out) == (0, "No findings in 1 file.\n")
    assert err.count("warning:") == 1 and "warning: deploy: nothing to lint in this folder" in err


def test_a_named_yaml_file_that_is_not_compose_warns_only_when_nothing_is_linted(tmp_path):
    write_tree(tmp_path, {"Dockerfile": CLEAN_DOCKERFILE, "app.yml": "debug: true\n"})
    code, out, err = run(["app.yml"], tmp_path)
    assert (code, out) == (0, "No findings in 0 files.\n")
    assert "warning: app.yml: not a Compose file" in err and "--kind" in err
    # As pre-commit names them: the other YAML files of a commit stay silent.
    code, out, err = run(["app.yml", "Dockerfile"], tmp_path)
    assert (code, out, err) == (0, "No findings in 1 file.\n", "")


def test_a_folder_whose_candidates_are_all_dropped_warns(tmp_path):
    write_tree(tmp_path, {"units/nginx.service": "[Service]\nExecStart=/usr/sbin/nginx\n"})
    code, out, err = run(["units"], tmp_path)
    assert (code, out) == (0, "No findings in 0 files.\n")
    assert err.startswith("dockerlint: warning: nothing to lint in units (")


def test_the_warning_goes_to_stderr_whatever_the_format(tmp_path):
    import json

    (tmp_path / "empty").mkdir()
    code, out, err = run(["--format", "json", "empty"], tmp_path)
    assert code == 0 and json.loads(out)["findings"] == []
    assert "warning: empty: nothing to lint" in err


# -- folders: unreadable, very deep -------------------------------------------------------------------


def test_an_unreadable_sub_folder_exits_2_naming_it(tmp_path, monkeypatch):
    write_tree(tmp_path, {"Dockerfile": 'FROM debian:12\nCMD ["app"]\n', "private/Dockerfile": CLEAN_DOCKERFILE})
    real = os.scandir
    target = str(tmp_path / "private")

    def scandir(path="."):
        if os.path.realpath(path) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, err = run(["-q", "--no-color", "."], tmp_path)
    assert code == 2
    assert "dockerlint: error: private: cannot read folder: Permission denied" in err
    assert "Dockerfile:1:6: DF101 " in out  # the rest is linted


def test_a_tree_1100_folders_deep_is_linted(tmp_path):
    import tempfile

    top = tempfile.mkdtemp(prefix="dl-deep-")
    chain = [top]
    try:
        for _ in range(1100):
            chain.append(os.path.join(chain[-1], "d"))
            os.mkdir(chain[-1])
        with open(os.path.join(chain[-1], "Dockerfile"), "w", encoding="utf-8") as fh:
            fh.write('FROM debian:12\nCMD ["app"]\n')
        code, out, err = run(["-q", "--no-color", "."], Path(top))
        assert code == 1, err
        assert out.startswith("d/" * 1100 + "Dockerfile:1:6: DF101 ")
    finally:
        if os.path.exists(os.path.join(chain[-1], "Dockerfile")):
            os.unlink(os.path.join(chain[-1], "Dockerfile"))
        for folder in reversed(chain):
            if os.path.isdir(folder):
                os.rmdir(folder)
