"""Discovery seen from the command line: Compose files found by content and the projects they
form, unreadable and very deep folders."""

from __future__ import annotations

import os
from pathlib import Path

from cli_helpers import run
from helpers import write_tree

SNIFF_DATA = Path(__file__).resolve().parent / "data" / "compose-sniff"


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
    write_tree(tmp_path, {"compose.yaml": MAIN, "hardening.yml": HARDENING,
                          ".env": "COMPOSE_FILE=compose.yaml:hardening.yml\n"})
    code, out, _ = run(["--select", "DC102", "-q", "--no-color", "."], tmp_path)
    assert (code, out) == (0, "No findings in 2 files.\n")


def test_compose_file_in_another_folders_dotenv_claims_the_file_first(tmp_path):
    # b/ sorts after a/: the override in a/ must not be a project of its own first.
    write_tree(tmp_path, {"b/compose.yaml": MAIN, "a/hardening.yml": HARDENING,
                          "b/.env": "COMPOSE_FILE=compose.yaml:../a/hardening.yml\n"})
    code, out, _ = run(["--select", "DC102,DC108", "-q", "--no-color", "."], tmp_path)
    assert (code, out) == (0, "No findings in 2 files.\n")


def test_compose_file_option_merges_a_file_found_by_content(tmp_path):
    write_tree(tmp_path, {"compose.yaml": MAIN, "hardening.yml": HARDENING})
    code, out, _ = run(["--select", "DC102", "-q", "--no-color", "--compose-file", "compose.yaml",
                        "--compose-file", "hardening.yml", "."], tmp_path)
    assert (code, out) == (0, "No findings in 2 files.\n")


def test_compose_file_option_takes_a_file_whatever_its_content(tmp_path):
    # --compose-file is the user's word: no sniff (a service key Compose refuses is a DC000).
    write_tree(tmp_path, {"stack.yml": "services:\n  web:\n    image: a:1\n    privileged: true\n    typo: 1\n"})
    code, out, _ = run(["-q", "--no-color", "--compose-file", "stack.yml"], tmp_path)
    assert code == 1 and "stack.yml:5:5: DC000 error unknown key 'typo'" in out


# -- folders: unreadable, very deep -------------------------------------------------------------------


def test_an_unreadable_sub_folder_exits_2_naming_it(tmp_path, monkeypatch):
    write_tree(tmp_path, {"Dockerfile": "FROM debian:12\nCMD [\"app\"]\n", "private/Dockerfile": "FROM debian:12\nUSER 1000\n"})
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
            fh.write("FROM debian:12\nCMD [\"app\"]\n")
        code, out, err = run(["-q", "--no-color", "."], Path(top))
        assert code == 1, err
        assert out.startswith("d/" * 1100 + "Dockerfile:1:6: DF101 ")
    finally:
        if os.path.exists(os.path.join(chain[-1], "Dockerfile")):
            os.unlink(os.path.join(chain[-1], "Dockerfile"))
        for folder in reversed(chain):
            if os.path.isdir(folder):
                os.rmdir(folder)
