"""Podman Quadlet units and Podman's API service (issue 14 item 3)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dockerlint.discovery import PRE_COMMIT_FILES, classify_name
from dockerlint.models.container import Container
from dockerlint.models.source import SourceFile
from dockerlint.parsers import quadlet
from dockerlint.parsers.errors import ParseError
from helpers import check, lint

IMAGE = "Image=docker.io/library/nginx:1.27\n"


def container(text: str, path: str = "web.container") -> Container:
    out = quadlet.parse(SourceFile(path=path, kind="quadlet", text=text))
    got = [m for m in out.models if isinstance(m, Container)]
    assert len(got) == 1, out.models
    return got[0]


# -- discovery --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("web.container", "quadlet"),
        ("deploy/quadlets/web.container", "quadlet"),
        ("web.container.d/10-caps.conf", "quadlet"),
        ("container.d/10-all.conf", "quadlet"),
        ("app.pod.d/ports.conf", "quadlet"),
        ("app.pod", None),  # by content: Perl documentation is *.pod too
        ("web.container.txt", None),
    ],
)
def test_file_names(path: str, kind: str | None) -> None:
    assert classify_name(path) == kind


@pytest.mark.parametrize("path", ["web.container", "a/app.pod", "a/web.container.d/x.conf", "pod.d/x.conf"])
def test_pre_commit_files_take_quadlet_units(path: str) -> None:
    assert re.search(PRE_COMMIT_FILES, path)


def test_a_pod_file_is_linted_only_with_a_pod_section() -> None:
    result = lint(
        {"app.pod": "[Pod]\nPublishPort=6379:6379\n", "docs/manual.pod": "=head1 NAME\n\nPublishPort=1:1 [Pod]\n"},
        select=["DC116"],
    )
    assert [(f.span.path, f.span.line, f.span.col) for f in result.findings] == [("app.pod", 2, 13)]
    assert result.files_checked == 1


# -- keys -> the container model ------------------------------------------------------------


def test_keys_become_the_podman_run_options_at_their_positions() -> None:
    c = container(
        "[Container]\n"
        "Image=docker.io/library/nginx:1.27\n"
        "Volume=/srv/site:/usr/share/nginx/html:ro,z\n"
        "AddCapability=NET_ADMIN  SYS_TIME\n"
        "DropCapability=ALL\n"
        "User=101\n"
        "Group=101\n"
        "Network=host\n"
        "PublishPort=127.0.0.1:8080:80\n"
        'Environment=A=1 "B=two words"\n'
        "EnvironmentFile=/etc/web.env\n"
        "AddDevice=-/dev/fuse\n"
        "ReadOnly=yes\n"
        "UserNS=keep-id\n"
    )
    assert c.image is not None and c.image.value == "docker.io/library/nginx:1.27"
    (m,) = c.volumes
    assert (m.type, m.read_only, m.options) == ("bind", True, ["ro", "z"])
    assert m.source is not None and (m.source.span.line, m.source.span.col, m.source.span.end_col) == (3, 8, 17)
    assert [(x.value, x.span.line, x.span.col) for x in c.cap_add] == [("NET_ADMIN", 4, 15), ("SYS_TIME", 4, 26)]
    assert [x.value for x in c.cap_drop] == ["ALL"]
    assert c.user is not None and c.user.text == "101:101"
    assert c.network_mode is not None and c.network_mode.text == "host"
    (p,) = c.ports
    assert p.host_ip is not None and p.host_ip.text == "127.0.0.1"
    assert [(e.name.value, e.value.value if e.value else None) for e in c.environment] == [
        ("A", "1"),
        ("B", "two words"),
    ]
    assert [e.value for e in c.env_files] == ["/etc/web.env"]
    assert [(d.value, d.span.col) for d in c.devices] == [("/dev/fuse", 12)]
    assert c.read_only is not None and c.read_only.value is True
    assert c.userns_mode is not None and c.userns_mode.text == "keep-id"


def test_continuation_lines_and_comments_keep_exact_positions() -> None:
    c = container("[Container]\n" + IMAGE + "AddCapability=NET_RAW \\\n# a comment inside\n   SYS_PTRACE\n")
    assert [(x.value, x.span.line, x.span.col) for x in c.cap_add] == [("NET_RAW", 3, 15), ("SYS_PTRACE", 5, 4)]


def test_an_empty_assignment_resets_a_list() -> None:
    c = container("[Container]\n" + IMAGE + "Volume=/etc:/etc\nVolume=\nVolume=data:/data\n")
    assert [m.target.text for m in c.volumes if m.target] == ["/data"]


def test_podman_args_are_read_as_podman_run_options() -> None:
    c = container("[Container]\n" + IMAGE + 'PodmanArgs=--privileged --pids-limit=100 "--cap-add=SYS_ADMIN"\n')
    assert c.privileged is not None and c.privileged.value is True
    assert (c.privileged.span.line, c.privileged.span.col) == (3, 12)
    assert [x.value for x in c.cap_add] == ["SYS_ADMIN"]
    assert c.pids_limit is not None and c.pids_limit.value == "100"


def test_a_commented_setting_is_no_setting() -> None:
    c = container("[Container]\n" + IMAGE + "# PodmanArgs=--privileged\n; AddCapability=ALL\n")
    assert c.privileged is None and not c.cap_add


def test_security_keys() -> None:
    c = container(
        "[Container]\n" + IMAGE + "SecurityLabelDisable=true\nSeccompProfile=unconfined\n"
        "NoNewPrivileges=true\nUnmask=ALL\n"
    )
    assert sorted(o.text for o in c.security_opt) == [
        "label=disable",
        "no-new-privileges",
        "seccomp=unconfined",
        "unmask=ALL",
    ]


def test_a_drop_in_is_judged_for_what_it_adds() -> None:
    result = lint(
        {
            "web.container": "[Container]\n" + IMAGE + "NoNewPrivileges=true\n",
            "web.container.d/caps.conf": "[Container]\nAddCapability=SYS_ADMIN\n",
        },
        select=["DC110", "DC113"],
    )
    assert [(f.rule_id, f.span.path, f.span.line, f.span.col) for f in result.findings] == [
        ("DC110", "web.container.d/caps.conf", 2, 15)
    ]


# -- where the unit is installed ---------------------------------------------------------------


def test_rootless_units_lower_the_host_harm_and_say_why() -> None:
    text = "[Container]\n" + IMAGE + "PodmanArgs=--privileged\nAddCapability=SYS_ADMIN\nVolume=/etc:/etc\n"
    rooted = lint({"etc/containers/systemd/web.container": text}, select=["DC102", "DC110", "DC104"])
    rootless = lint(
        {
            "home/u/.config/containers/systemd/web.container": text,
            "etc/containers/systemd/users/1000/web.container": text,
        },
        select=["DC102", "DC110", "DC104"],
    )
    assert [str(f.severity) for f in rooted.findings] == ["critical", "critical", "high"]
    assert all("assumed" not in f.message and "rootless" not in f.message for f in rooted.findings)
    assert [str(f.severity) for f in rootless.findings] == ["high", "high", "medium"] * 2
    for f in rootless.findings:
        assert "severity lowered" in f.message and "rootless" in f.message


def test_an_unknown_location_says_what_is_assumed() -> None:
    (f,) = check(
        "DC102",
        {"deploy/web.container": "[Container]\n" + IMAGE + "PodmanArgs=--privileged\n"},
        [(3, 12, "assumed to run as root")],
    )
    assert str(f.severity) == "critical"


def test_a_user_units_runtime_folder_is_the_users_socket() -> None:
    check(
        "DC101",
        {
            "home/u/.config/containers/systemd/w.container": "[Container]\n"
            + IMAGE
            + "Volume=%t/podman/podman.sock:/var/run/docker.sock\n"
        },
        [(3, 8, "${XDG_RUNTIME_DIR}/podman/podman.sock")],
    )


# -- Podman's API service ------------------------------------------------------------------------


def test_podman_socket_on_tcp_is_a_plaintext_api() -> None:
    (f,) = check(
        "DD101",
        {"etc/systemd/system/podman.socket": "[Socket]\nListenStream=0.0.0.0:2375\n"},
        [(2, 14, "Podman's API service")],
    )
    assert "Podman's API service as root" in f.message


def test_podman_service_uri_is_a_listener_and_tls_flags_count() -> None:
    check(
        "DD101",
        {
            "etc/systemd/system/podman-api.service": "[Service]\nExecStart=/usr/bin/podman system service -t 0 tcp://0.0.0.0:8888\n"
        },
        [(2, 47, "tcp://0.0.0.0:8888")],
    )
    tls = "[Service]\nExecStart=/usr/bin/podman system service --tls-cert /c.pem --tls-key=/k.pem tcp://0.0.0.0:8443\n"
    check("DD101", {"etc/systemd/system/podman-api.service": tls}, [])
    check("DD102", {"etc/systemd/system/podman-api.service": tls}, [(2, 53, "--tls-client-ca")])
    check("DD115", {"etc/systemd/system/podman-api.service": tls}, [(2, 77, "Podman")])


def test_podman_units_are_not_judged_as_dockerd() -> None:
    """daemon.json settings are dockerd's: a podman socket next to one is its own daemon."""
    result = lint(
        {
            "etc/docker/daemon.json": '{"tlsverify": true, "tlscacert": "/ca", "tlscert": "/c", "tlskey": "/k"}',
            "etc/systemd/system/podman.socket": "[Socket]\nListenStream=2375\n",
            "etc/systemd/system/podman.service": "[Service]\nExecStart=/usr/bin/podman system service\n",
        }
    )
    podman = [(f.rule_id, f.span.path) for f in result.findings if "podman" in f.span.path]
    assert podman == [("DD101", "etc/systemd/system/podman.socket")]
    assert not [
        f
        for f in result.findings
        if f.rule_id in ("DD101", "DD102", "DD103", "DD115") and f.span.path.endswith("daemon.json")
    ]


def test_other_podman_units_are_not_linted() -> None:
    result = lint(
        {"etc/systemd/system/podman-auto-update.service": "[Service]\nExecStart=/usr/bin/podman auto-update\n"}
    )
    assert result.files_checked == 0 and not result.findings


# -- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "col", "words"),
    [
        ("[Container\nImage=x\n", 1, 1, "invalid section header"),
        ("[Service]\nExecStart=/bin/true\n", 1, 1, "no [Container] section"),
        ("", 1, 1, "no [Container] section"),
    ],
)
def test_units_quadlet_refuses_are_one_error(text: str, line: int, col: int, words: str) -> None:
    with pytest.raises(ParseError) as exc:
        quadlet.parse(SourceFile(path="web.container", kind="quadlet", text=text))
    assert (exc.value.line, exc.value.col) == (line, col) and words in exc.value.message


@pytest.mark.parametrize(
    "text",
    [
        "[Container]\n" + IMAGE + "Volume=" + "a" * 2_000_000 + "\n",
        "[Container]\n" + IMAGE + "AddCapability=SYS_ADMIN" + " \\\n" * 50_000 + "X\n",
        "[Container]\n" + IMAGE + "Environment=A=\0B\n" + "PodmanArgs=" + "-v " * 20_000 + "\n",
        "[Container]\n" + IMAGE + 'PodmanArgs="unclosed\nEnvironment=\\q\n',
    ],
)
def test_hostile_units_never_crash_and_stay_fast(text: str) -> None:
    start = time.monotonic()
    result = lint({"web.container": text})
    assert not result.internal_errors
    assert time.monotonic() - start < 10
    assert all(f.span.line >= 1 for f in result.findings)


def test_dockerd_defaults_do_not_apply_to_podman_containers() -> None:
    """daemon.json's default host IP and no-new-privileges are dockerd's: a Quadlet container
    in the same scan gets neither, a Compose service does."""
    files = {
        "etc/docker/daemon.json": '{"ip": "127.0.0.1", "no-new-privileges": true}',
        "web.container": "[Container]\n" + IMAGE + "PublishPort=8080:80\n",
        "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    ports: ['8080:80']\n",
    }
    result = lint(files, select=["DC116", "DC113"])
    assert [(f.rule_id, f.span.path, f.span.line) for f in result.findings] == [
        ("DC113", "web.container", 1),
        ("DC116", "web.container", 3),
    ]
    assert result.findings[1].message == (
        "Quadlet container 'web.container' publishes host port 8080 (container port "
        "80) on every host interface (no host IP); bind it to 127.0.0.1"
    )


def test_a_literal_secret_names_podmans_way_to_pass_it() -> None:
    (f,) = check(
        "DC117",
        {"web.container": "[Container]\n" + IMAGE + "Environment=DB_PASSWORD=s3cr3t-Pa55word\n"},
        [(3, 25, "Secret=NAME,type=env,target=DB_PASSWORD")],
    )
    assert "s3cr3t" not in f.message


def test_the_quadlet_reader_is_not_imported_for_one_dockerfile(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM debian:12\n", encoding="utf-8")
    (tmp_path / "perl.pod").write_text("=head1 NAME\n\nnot a unit\n", encoding="utf-8")
    code = (
        "import sys; from dockerlint.cli import main; main(['--fail-on', 'never', 'Dockerfile', 'perl.pod']); "
        "print('dockerlint.parsers.quadlet' in sys.modules, 'dockerlint.parsers.systemd' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False False"


def test_an_image_of_another_unit_is_not_a_registry_image() -> None:
    check(
        "DC118",
        {"web.container": "[Container]\nImage=web.build\n", "db.container": "[Container]\nImage=db.image\n"},
        [],
    )
    check("DC118", {"web.container": "[Container]\nImage=docker.io/library/nginx\n"}, [(2, 7, "nginx")])


def test_podman_socket_permissions_name_podman() -> None:
    unit = "[Socket]\nListenStream=%t/podman/podman.sock\nSocketMode=0666\nSocketGroup=wheel\n"
    got = check(
        "DD114",
        {"etc/systemd/system/podman.socket": unit},
        [(3, 12, "Podman's API socket"), (4, 13, "keep SocketGroup=root")],
    )
    assert not any("dockerd" in f.message or "Docker API" in f.message for f in got)
    check("DD114", {"home/u/.config/systemd/user/podman.socket": unit}, [])  # the user's private runtime folder


def test_a_docker_client_setting_in_environment_is_dd104() -> None:
    check(
        "DD104",
        {
            "ci.container": "[Container]\nImage=docker.io/library/docker:27-cli\n"
            "Environment=DOCKER_HOST=tcp://10.0.0.5:2375\n"
        },
        [(3, 13, "DOCKER_HOST 'tcp://10.0.0.5:2375'")],
    )


@pytest.mark.parametrize(("value", "on"), [("true", True), ("yes", True), ("false", False)])
def test_run_init_is_docker_run_init(value: str, on: bool) -> None:
    # podman-systemd.unit(5): RunInit= adds --init to podman run.
    c = container("[Container]\n" + IMAGE + f"RunInit={value}\n")
    assert (
        c.init is not None and c.init.value is on and (c.init.span.line, c.init.span.col) == (3, 1)
    )  # the directive, as ReadOnly=
