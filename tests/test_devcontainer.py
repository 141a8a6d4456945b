"""Dev container configurations (issue 14 item 1): JSONC, discovery, the container model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dockerlint.discovery import DEVCONTAINER, PRE_COMMIT_FILES, classify_name
from dockerlint.models.container import Container
from dockerlint.models.source import SourceFile
from dockerlint.parsers import devcontainer, jsonpos
from dockerlint.parsers.errors import ParseError
from helpers import check, lint, write_tree

DC = ".devcontainer/devcontainer.json"
IMAGE = '"image": "mcr.microsoft.com/devcontainers/base:1-bookworm"'


def container(text: str, path: str = DC) -> Container:
    out = devcontainer.parse(SourceFile(path=path, kind="devcontainer", text=text))
    got = [m for m in out.models if isinstance(m, Container)]
    assert len(got) == 1, out.models
    return got[0]


# -- JSONC ---------------------------------------------------------------------------------


def test_jsonc_comments_and_trailing_commas_keep_positions() -> None:
    text = '{\n  // "privileged": true,\n  "a": [1, 2,], /* x */ "b": "//not a comment",\n}\n'
    got = jsonpos.parse_jsonc(text)
    root = got.document.root
    assert root is not None and root.py() == {"a": [1, 2], "b": "//not a comment"}
    b = root.get("b")
    assert b is not None and (b.line, b.col) == (3, 30)
    assert got.comments == [(2, 3, 25), (3, 17, 24)]


@pytest.mark.parametrize(
    ("text", "line", "col", "words"),
    [
        ('{\n  "a": 1 /* never closed\n}', 2, 10, "comment is not closed"),
        ('{\n  "a": 1\n  "b": 2\n}', 3, 3, "expected ',' or '}'"),
        ('{"a": 1,,}', 1, 8, "trailing comma"),
        ("{'a': 1}", 1, 2, "double quotes"),
    ],
)
def test_invalid_jsonc_is_one_error_at_its_position(text: str, line: int, col: int, words: str) -> None:
    with pytest.raises(ParseError) as exc:
        jsonpos.parse_jsonc(text, "devcontainer.json", "the dev container tools")
    assert (exc.value.line, exc.value.col) == (line, col)
    assert words in exc.value.message
    assert "dockerd" not in exc.value.message


def test_strict_json_still_rejects_comments_and_trailing_commas() -> None:
    for text in ('{"a": 1, }', '{"a": 1 // x\n}'):
        with pytest.raises(ParseError):
            jsonpos.parse(text, "daemon.json")


def test_a_quote_in_a_string_does_not_open_a_comment() -> None:
    got = jsonpos.parse_jsonc('{"a": "x\\" // y", "b": "/* z */"}')
    assert got.document.root is not None
    assert got.document.root.py() == {"a": 'x" // y', "b": "/* z */"}
    assert got.comments == []


# -- discovery -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        ".devcontainer/devcontainer.json",
        ".devcontainer.json",
        ".devcontainer/python/devcontainer.json",
        "sub/project/.devcontainer/devcontainer.json",
        "a/.devcontainer.json",
    ],
)
def test_devcontainer_paths(path: str) -> None:
    assert classify_name(path) == "devcontainer"
    import re

    assert re.search(PRE_COMMIT_FILES, path)


@pytest.mark.parametrize(
    "path",
    [
        "devcontainer.json",
        "x/devcontainer.json",
        ".devcontainer/a/b/devcontainer.json",
        ".devcontainer/devcontainer-feature.json",
        "devcontainer/devcontainer.json",
    ],
)
def test_not_devcontainer_paths(path: str) -> None:
    assert classify_name(path) != "devcontainer"
    assert DEVCONTAINER.search(path) is None


# -- the container model ---------------------------------------------------------------------


def test_run_args_are_located_inside_their_json_strings() -> None:
    c = container("{\n  " + IMAGE + ',\n  "runArgs": ["--cap-add=SYS_ADMIN", "-v", "/a:/b", "-u", "0"]\n}')
    assert [v.text for v in c.cap_add] == ["SYS_ADMIN"]
    assert (c.cap_add[0].span.line, c.cap_add[0].span.col, c.cap_add[0].span.end_col) == (3, 26, 35)
    assert c.volumes[0].source is not None and c.volumes[0].source.span.col == 45
    assert c.user is not None and c.user.text == "0"


def test_run_args_are_not_split_by_a_shell() -> None:
    # One array entry is one argument: "--env A=b c" is the variable A with the value "b c".
    c = container('{"image": "x:1", "runArgs": ["--env", "A=b c --privileged"]}')
    assert c.privileged is None
    assert c.environment[0].value is not None and c.environment[0].value.text == "b c --privileged"


def test_remote_user_is_not_the_container_user_and_container_user_is() -> None:
    assert container('{"image": "x:1", "remoteUser": "vscode"}').user is None
    c = container('{"image": "x:1", "remoteUser": "vscode", "containerUser": "node"}')
    assert c.user is not None and c.user.text == "node"


def test_app_port_number_is_loopback_and_forward_ports_never_publish() -> None:
    c = container('{"image": "x:1", "appPort": [3000, "8080:80"], "forwardPorts": [5432]}')
    assert [(p.host_ip.text if p.host_ip else None, p.container_port.text) for p in c.ports] == [
        ("127.0.0.1", "3000"),
        (None, "80"),
    ]
    assert container('{"image": "x:1", "appPort": "9000:9000"}').ports[0].host_port is not None


def test_mounts_string_and_object_forms() -> None:
    c = container(
        '{"image": "x:1", "mounts": ["source=/etc,target=/e,type=bind,readonly", '
        '{"type": "volume", "source": "cache", "target": "/c"}, {"source": "/no-type"}]}'
    )
    assert [(m.type, m.source.text if m.source else None, m.read_only) for m in c.volumes] == [
        ("bind", "/etc", True),
        ("volume", "cache", False),
    ]


@pytest.mark.parametrize(
    ("source", "expanded"),
    [
        ("${localEnv:HOME}/.ssh", "~/.ssh"),
        ("${localEnv:HOME}${localEnv:USERPROFILE}/.ssh", "~/.ssh"),
        ("${env:HOME}${env:USERPROFILE}/.kube", "~/.kube"),
        ("${localEnv:USERPROFILE}/.aws", "~/.aws"),
        ("${localEnv:CERTS:/etc/ssl/private}", "/etc/ssl/private"),
        ("${localEnv:CERTS}", None),  # unknown on the local machine: stays a variable
        ("${localWorkspaceFolder}/data", None),
        ("/srv/data", None),
    ],
)
def test_local_variables_in_mount_sources_expand_as_the_tools_do(source: str, expanded: str | None) -> None:
    # devcontainers/cli's variable substitution: ${localEnv:NAME} (${env:NAME}) is the local
    # machine's variable, empty when unset; ${localEnv:NAME:default} has a default.
    c = container('{"image": "x:1", "mounts": ["source=' + source + ',target=/m,type=bind"]}')
    (m,) = c.volumes
    assert m.source is not None and m.source.value == source
    assert m.source.expanded == expanded
    assert (m.source.span.col, m.source.span.end_col) == (37, 37 + len(source))


def test_a_home_credential_folder_fires_through_the_local_variables() -> None:
    source = "${localEnv:HOME}${localEnv:USERPROFILE}/.ssh"
    text = '{\n  "image": "x:1",\n  "mounts": ["source=' + source + ',target=/root/.ssh,type=bind"]\n}\n'
    (got,) = check("DC104", {DC: text}, [(DC, 3, 15, "'~/.ssh' (from '${localEnv:HOME}")], name=DC)
    assert got.severity.value == "high"


def test_workspace_mount_is_a_mount_except_with_compose() -> None:
    mount = '"workspaceMount": "source=/,target=/workspace,type=bind"'
    c = container('{"image": "x:1", ' + mount + "}")
    assert [(m.type, m.source.text if m.source else None, m.target.text if m.target else None) for m in c.volumes] == [
        ("bind", "/", "/workspace")
    ]
    # A Compose-based configuration mounts what its Compose file says: the tools ignore it.
    out = devcontainer.parse(
        SourceFile(path=DC, kind="devcontainer", text='{"dockerComposeFile": "c.yml", "service": "a", ' + mount + "}")
    )
    assert out.models == []


@pytest.mark.parametrize("text", ['{"name": "x"}', '{"image": ""}', "{}"])
def test_a_configuration_that_sets_nothing_is_still_a_container(text: str) -> None:
    # The tools start a container for it all the same: rules about missing settings judge it.
    c = container(text)
    assert c.source == "devcontainer" and c.volumes == ()


def test_init_is_read_as_docker_run_init() -> None:
    c = container('{"image": "x:1", "init": true}')
    assert c.init is not None and c.init.value is True and (c.init.span.line, c.init.span.col) == (1, 18)
    assert container('{"image": "x:1", "init": false}').init.value is False  # type: ignore[union-attr]
    assert container('{"image": "x:1"}').init is None


@pytest.mark.parametrize(
    ("feature", "what"),
    [
        ("ghcr.io/devcontainers/features/docker-outside-of-docker:1", "socket"),
        ("ghcr.io/devcontainers/features/docker-outside-of-docker", "socket"),
        ("ghcr.io/devcontainers/features/docker-from-docker:1.0", "socket"),
        ("docker-from-docker", "socket"),
        ("ghcr.io/devcontainers/features/docker-in-docker:2.12.0", "privileged"),
        ("ghcr.io/devcontainers/features/docker-in-docker@sha256:" + "a" * 64, "privileged"),
        ("docker-in-docker", "privileged"),
        ("ghcr.io/someone/features/docker-in-docker-lookalike:1", None),
        ("ghcr.io/devcontainers/features/common-utils:2", None),
    ],
)
def test_docker_features(feature: str, what: str | None) -> None:
    c = container('{"image": "x:1", "features": {"' + feature + '": {}}}')
    sock = [m for m in c.volumes if m.source is not None and m.source.text == "/var/run/docker.sock"]
    assert bool(sock) == (what == "socket")
    assert (c.privileged is not None and c.privileged.value) == (what == "privileged")
    if what is not None:
        span = sock[0].span if sock else c.privileged.span  # type: ignore[union-attr]
        assert (span.line, span.col) == (1, 32)


def test_compose_based_ignores_run_args_and_app_port_and_judges_the_service_once(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".devcontainer/devcontainer.json": """
            {
              "dockerComposeFile": ["../compose.yaml"],
              "service": "app",
              "runArgs": ["--privileged"],
              "appPort": ["5432:5432"]
            }
            """,
            "compose.yaml": """
            services:
              app:
                image: postgres:16
                privileged: true
            """,
        },
    )
    from helpers import lint_tree

    result = lint_tree(tmp_path, select=["DC102", "DC113", "DC116"])
    got = sorted((f.rule_id, f.span.path, f.span.line) for f in result.findings)
    # Only the service's own findings, in the Compose file: the dev container adds nothing.
    assert got == [("DC102", "compose.yaml", 4), ("DC113", "compose.yaml", 2)]


def test_compose_based_settings_the_tools_add_are_judged_without_the_service_rules() -> None:
    c = container(
        '{"dockerComposeFile": "c.yaml", "service": "app", "capAdd": ["SYS_ADMIN"], "runArgs": ["--privileged"]}'
    )
    assert c.privileged is None and [v.text for v in c.cap_add] == ["SYS_ADMIN"]
    assert c.managed_by == "the Compose service 'app'"
    assert (
        devcontainer.parse(
            SourceFile(path=DC, kind="devcontainer", text='{"dockerComposeFile": "c.yaml", "service": "app"}')
        ).models
        == []
    )


def test_dockerfile_build_links_relative_to_the_file() -> None:
    c = container('{"build": {"dockerfile": "../docker/dev.Dockerfile", "context": ".."}}')
    assert c.build is not None and c.build.dockerfile_path == "docker/dev.Dockerfile"
    legacy = container('{"dockerFile": "Dockerfile"}', path="x/.devcontainer.json")
    assert legacy.build is not None and legacy.build.dockerfile_path == "x/Dockerfile"
    assert container('{"build": {"dockerfile": "${localEnv:DF}"}}').build.dockerfile_path is None  # type: ignore[union-attr]


def test_referenced_dockerfile_is_linted_whatever_its_name(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".devcontainer/devcontainer.json": '{"build": {"dockerfile": "dev.image"}}',
            ".devcontainer/dev.image": "FROM debian:12\n",
        },
    )
    from helpers import lint_tree

    result = lint_tree(tmp_path, select=["DF101", "DC122"])
    assert sorted((f.rule_id, f.span.path) for f in result.findings) == [
        ("DC122", ".devcontainer/devcontainer.json"),
        ("DF101", ".devcontainer/dev.image"),
    ]


def test_commented_out_settings_do_not_fire() -> None:
    check("DC102", {DC: "{\n  " + IMAGE + ',\n  // "privileged": true,\n  /* "runArgs": ["--privileged"] */\n}'}, [])


def test_invalid_jsonc_is_one_dc000_and_the_run_goes_on() -> None:
    result = lint(
        {
            DC: '{\n  "image": "x:1",\n  "runArgs": ["--privileged"\n}',
            "compose.yaml": ("services:\n  a:\n    image: x:1\n    privileged: true\n"),
        },
        select=["DC000", "DC102"],
    )
    got = [(f.rule_id, f.span.path, f.span.line, f.span.col) for f in result.findings]
    assert got == [("DC000", DC, 4, 1), ("DC102", "compose.yaml", 4, 5)]
    assert not result.internal_errors


@pytest.mark.parametrize("text", ["", "[]", '"x"', "null", "{", "\ufeff", "/*", "//x"])
def test_not_an_object_is_a_clear_error(text: str) -> None:
    result = lint({DC: text}, select=["DC000"])
    assert [f.rule_id for f in result.findings] == ["DC000"]
    assert not result.internal_errors


def test_suppression_in_a_jsonc_comment() -> None:
    text = "{\n  " + IMAGE + ',\n  // dockerlint: ignore[DC102] the inner dockerd needs it\n  "privileged": true\n}'
    result = lint({DC: text}, select=["DC102"])
    assert result.findings == []
    assert [f.rule_id for f in result.suppressed] == ["DC102"]


def test_the_dev_container_reader_is_not_imported_for_one_dockerfile(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM debian:12\n", encoding="utf-8")
    code = (
        "import sys; from dockerlint.cli import main; main(['--fail-on', 'never', 'Dockerfile']); "
        "print('dockerlint.parsers.devcontainer' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_jsonc_escapes_lone_cr_line_ends_and_quotes_in_comments() -> None:
    text = '{\r "a": "d//\\\\", /* "} */ "b": [2, /* x */], // c "\r "c": "\\"//"\r}'
    got = jsonpos.parse_jsonc(text)
    assert got.document.root is not None
    assert got.document.root.py() == {"a": "d//\\", "b": [2], "c": '"//'}
    # The reader counts LF only (the engine turns a lone CR into LF first): three comments, each ended by a CR.
    assert [c[0] for c in got.comments] == [1, 1, 1]
    assert got.document.text.count("\r") == 3  # every CR kept where it was


def test_jsonc_is_linear_on_a_large_string() -> None:
    import time

    text = '{"a": "' + "x" * 2_000_000 + '", "b": [' + "1, " * 100_000 + "],}"
    start = time.perf_counter()
    got = jsonpos.parse_jsonc(text)
    assert got.document.root is not None and len(got.document.root.py()["b"]) == 100_000
    assert time.perf_counter() - start < 10
