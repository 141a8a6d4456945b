"""DC124 missing-referenced-file, and what a scan may learn about paths outside the tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_helpers import run
from helpers import check, lint, write_tree

WEB = "services:\n  web:\n    image: nginx:1.27\n"


def test_one_finding_per_missing_file_at_its_first_reference() -> None:
    got = check(
        "DC124",
        {
            "compose.yaml": """
        services:
          web:
            image: nginx:1.27
            env_file:
              - ./web.env
              - ./secrets.env
          worker:
            image: nginx:1.27
            env_file: secrets.env
          cron:
            image: nginx:1.27
            env_file:
              - path: ./local.env
                required: false
        """,
            "web.env": "A=1\n",
        },
        expect=[(6, 9, "env_file 'secrets.env' does not exist")],
    )
    assert got[0].severity.value == "info"
    assert "required: false" in got[0].message


def test_a_missing_file_is_not_a_parse_error_and_does_not_fail_the_run() -> None:
    files = {"compose.yaml": "include:\n  - ./db/compose.yaml\n" + WEB}
    check("DC000", files, expect=[])
    check("DC124", files, expect=[(2, 5, "the included file 'db/compose.yaml' does not exist")])
    result = lint(files)
    assert not [f for f in result.findings if f.rule_id.endswith("000")]


def test_extends_file_and_compose_file_entries() -> None:
    check(
        "DC124",
        {
            ".env": "COMPOSE_FILE=compose.yaml:compose.prod.yaml\n",
            "compose.yaml": "services:\n  web:\n    extends:\n      file: ./base.yaml\n      service: web\n",
        },
        expect=[
            (".env", 1, 14, "'compose.prod.yaml' does not exist"),
            ("compose.yaml", 4, 13, "the extended file 'base.yaml' does not exist"),
        ],
    )


@pytest.mark.parametrize(
    "reference",
    [
        "oci://docker.io/acme/stack:1.4",
        "https://github.com/acme/stacks.git#v2.1.0:compose/agent.yaml",
        "git@github.com:acme/stacks.git#main:compose.yaml",
        "github.com/acme/stacks.git",
    ],
)
def test_remote_include_is_a_notice_not_a_finding(tmp_path: Path, reference: str) -> None:
    # DC124 is a file missing from the tree; a remote reference is never read: a notice on
    # stderr (once per reference, at its first place), no finding, exit code untouched.
    files = {"compose.yaml": f"include:\n  - {reference}\n  - path: {reference}\n" + WEB}
    check("DC124", files, expect=[])
    check("DC000", files, expect=[])
    write_tree(tmp_path, files)
    code, out, err = run(["--no-color", "--select", "DC124", "."], tmp_path)
    assert (code, out) == (0, "No findings in 1 file.\n")
    assert err == (
        f"dockerlint: compose.yaml:2:5: remote include {reference!r} not followed: dockerlint never "
        "uses the network, so what it brings is not checked; lint a local copy of it to check it\n"
    )
    assert run(["--no-color", "-q", "--select", "DC124", "."], tmp_path)[2] == ""  # --quiet: not said


def test_remote_extends_file_is_a_notice_not_a_finding(tmp_path: Path) -> None:
    files = {
        "compose.yaml": """
        services:
          web:
            extends:
              file: oci://docker.io/acme/base:1
              service: web
        """
    }
    check("DC124", files, expect=[])
    write_tree(tmp_path, files)
    code, _, err = run(["--no-color", "--select", "DC124", "."], tmp_path)
    assert code == 0 and err.startswith(
        "dockerlint: compose.yaml:4:13: remote extends file 'oci://docker.io/acme/base:1' not followed"
    ), err


def test_unset_variable_in_a_path_is_left_to_dc123() -> None:
    files = {"compose.yaml": "include:\n  - ${STACK_DIR}/compose.yaml\n" + WEB}
    check("DC124", files, expect=[])
    check("DC123", files, expect=[(2, 5, "'STACK_DIR'")])


# -- nothing learnt outside the tree -----------------------------------------------------------


def _scan(tmp_path: Path, compose: str, outside: dict[str, str]) -> tuple[int, str, str]:
    tree = tmp_path / "repo"
    write_tree(tree, {"compose.yaml": compose})
    write_tree(tmp_path, outside)
    return run(["--no-color", "--format", "json", "."], tree)


OPTIONAL_OUTSIDE = """
    services:
      web:
        image: nginx:1.27
        env_file:
          - path: ../private/app.env
            required: false
    """
REQUIRED_OUTSIDE = "services:\n  web:\n    image: nginx:1.27\n    env_file: ../private/app.env\n"
INCLUDE_OUTSIDE = "include:\n  - path: ../private/compose.yaml\n    project_directory: ../private\n" + WEB
EXTENDS_OUTSIDE = "services:\n  web:\n    extends:\n      file: ../private/compose.yaml\n      service: web\n"


@pytest.mark.parametrize(
    "compose",
    [OPTIONAL_OUTSIDE, REQUIRED_OUTSIDE, INCLUDE_OUTSIDE, EXTENDS_OUTSIDE],
    ids=["optional-env-file", "required-env-file", "include", "extends"],
)
def test_an_outside_path_gives_the_same_output_whether_it_exists_or_not(tmp_path: Path, compose: str) -> None:
    # Issue 11 item 15: 'required: false' outside the tree was DC000 when the file existed and
    # silent when it did not, so a scan told whether a path outside the tree exists.
    present = {
        "private/app.env": "DOCKER_HOST=tcp://10.0.0.1:2375\n",
        "private/.env": "X=1\n",
        "private/compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n",
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with_file = _scan(tmp_path / "a", compose, present)
    without = _scan(tmp_path / "b", compose, {})
    assert with_file == without
    assert "DC000" not in with_file[1] and "DC102" not in with_file[1] and "DD104" not in with_file[1]


def test_optional_env_file_outside_is_silent(tmp_path: Path) -> None:
    tree = tmp_path / "repo"
    write_tree(tree, {"compose.yaml": OPTIONAL_OUTSIDE, "../private/app.env": "A=1\n"})
    code, out, _ = run(["--no-color", "--select", "DC000,DC124", "."], tree)
    assert (code, out) == (0, "No findings in 1 file.\n")


def test_a_link_out_of_the_tree_is_not_followed_and_tells_nothing(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "exists").mkdir(parents=True)
    (outside / "exists" / "app.env").write_text("DOCKER_HOST=tcp://10.0.0.1:2375\n")
    outputs = []
    for target in ("exists", "missing"):
        tree = tmp_path / f"repo-{target}"
        write_tree(tree, {"compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    env_file: conf/app.env\n"})
        os.symlink(outside / target, tree / "conf")
        outputs.append(run(["--no-color", "--show-source", "."], tree))
    assert outputs[0] == outputs[1]
    _, out, err = outputs[0]
    assert "DD104" not in out and "DC124" not in out
    assert err == (
        "dockerlint: compose.yaml:4:15: env_file 'conf/app.env' is outside the scanned folders: not "
        "followed (dockerlint never reads outside them); lint a folder that holds it, or the findings "
        "here may miss what it sets\n"
    )


def test_a_link_that_stays_inside_is_followed(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  ci:\n    image: docker:27-cli\n    env_file: conf/ci.env\n",
            "shared/ci.env": "DOCKER_HOST=tcp://build.example.com:2375\n",
        },
    )
    os.symlink("shared", tmp_path / "conf")
    _, out, _ = run(["--no-color", "-q", "--select", "DD104,DC124", "."], tmp_path)
    assert "DD104" in out and "DC124" not in out


def test_remote_references_never_touch_the_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access: {args!r}")

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse)
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
        include:
          - oci://docker.io/acme/stack:1.4
          - https://github.com/acme/stacks.git#main:compose.yaml
          - git@github.com:acme/stacks.git
        services:
          web:
            extends:
              file: https://example.com/base.yaml
              service: web
        """
        },
    )
    code, out, err = run(["--no-color", "--select", "DC000,DC124", "."], tmp_path)
    assert (code, out) == (0, "No findings in 1 file.\n")
    assert err.count("not followed") == 4 and "Traceback" not in err
