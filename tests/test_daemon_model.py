"""Assembling daemon.json files and units into Daemon models: grouping, drop-ins, provenance."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint.models.daemon import Daemon
from dockerlint.models.source import SourceFile
from dockerlint.parsers import daemon_json, systemd
from dockerlint.parsers.daemon import Assembled, assemble, host_root
from dockerlint.parsers.output import Problem
from helpers import dedent, lint

STOCK_SERVICE = """
    [Unit]
    Description=Docker Application Container Engine
    Requires=docker.socket

    [Service]
    Type=notify
    ExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock
    """
STOCK_SOCKET = """
    [Unit]
    Description=Docker Socket for the API

    [Socket]
    ListenStream=/run/docker.sock
    SocketMode=0660
    SocketUser=root
    SocketGroup=docker
    """


def build(files: dict[str, str]) -> tuple[list[Daemon], list[Problem]]:
    parts = []
    problems: list[Problem] = []
    for path, text in files.items():
        kind = "daemon" if path.endswith(".json") else "systemd"
        module = daemon_json if kind == "daemon" else systemd
        out = module.parse(SourceFile(path, kind, dedent(text)))
        parts.extend(out.daemon_parts)
        problems.extend(out.problems)
    result = assemble(parts)
    assert isinstance(result, Assembled)
    return result.models, problems + result.problems


def one(files: dict[str, str]) -> Daemon:
    daemons, _ = build(files)
    assert len(daemons) == 1, [d.sources for d in daemons]
    return daemons[0]


@pytest.mark.parametrize(
    ("path", "root"),
    [
        ("etc/docker/daemon.json", ""),
        ("host1/etc/docker/daemon.json", "host1"),
        ("host1/etc/systemd/system/docker.service.d/override.conf", "host1"),
        ("host1/usr/lib/systemd/system/docker.service", "host1"),
        ("host1/lib/systemd/system/docker.socket", "host1"),
        ("host1/etc/default/docker", "host1"),
        ("files/daemon.json", "files"),
        ("files/docker.service.d/selinux.conf", "files"),
        ("daemon.json", ""),
        ("docker.service.d/override.conf", ""),
        ("home/me/.config/docker/daemon.json", "home/me"),
        ("home/me/.config/systemd/user/docker.service", "home/me"),
        ("repo/hack/dockerfile/etc/docker/daemon.json", "repo/hack/dockerfile"),
    ],
)
def test_host_root(path, root):
    assert host_root(path) == root


def test_same_host_tree_forms_one_daemon_with_file_then_flags():
    d = one(
        {
            "host/etc/docker/daemon.json": '{"debug": true, "userns-remap": "default"}',
            "host/lib/systemd/system/docker.service": STOCK_SERVICE,
            "host/lib/systemd/system/docker.socket": STOCK_SOCKET,
        }
    )
    assert d.config_path == "host/etc/docker/daemon.json"
    assert d.service_path == "host/lib/systemd/system/docker.service"
    assert d.sources == [
        "host/etc/docker/daemon.json",
        "host/lib/systemd/system/docker.service",
        "host/lib/systemd/system/docker.socket",
    ]
    assert [(s.key, s.origin) for s in d.settings] == [
        ("debug", "file"),
        ("userns-remap", "file"),
        ("hosts", "flag"),
        ("containerd", "flag"),
    ]
    assert [(lst.scheme, lst.origin) for lst in d.listeners] == [("fd", "flag"), ("unix", "socket")]
    assert [s.name for s in d.sockets] == ["docker.socket"]
    sock = d.sockets[0]
    assert (sock.socket_mode.value, sock.socket_user.value, sock.socket_group.value) == ("0660", "root", "docker")
    assert (d.span.path, d.span.line, d.span.col) == ("host/etc/docker/daemon.json", 1, 1)
    assert d.exec_start.value.startswith("/usr/bin/dockerd -H fd://")


def test_different_folders_are_different_daemons():
    daemons, _ = build({"a/daemon.json": "{}", "b/daemon.json": "{}", "b/docker.service": STOCK_SERVICE})
    assert [(d.config_path, d.service_path) for d in daemons] == [
        ("a/daemon.json", None),
        ("b/daemon.json", "b/docker.service"),
    ]


def test_alternative_daemon_json_files_in_one_folder_are_separate_daemons():
    daemons, _ = build(
        {
            "files/daemon.json": "{}",
            "files/lambda.daemon.json": '{"debug": true}',
            "files/docker.service": STOCK_SERVICE,
        }
    )
    assert [(d.config_path, d.service_path) for d in daemons] == [
        ("files/daemon.json", "files/docker.service"),
        ("files/lambda.daemon.json", None),
    ]


def test_dropin_resets_exec_start_and_points_into_the_dropin():
    d = one(
        {
            "usr/lib/systemd/system/docker.service": STOCK_SERVICE,
            "etc/systemd/system/docker.service.d/override.conf": """
            [Service]
            ExecStart=
            ExecStart=/usr/bin/dockerd -H fd:// -H tcp://0.0.0.0:2375
            """,
        }
    )
    assert d.exec_start.value == "/usr/bin/dockerd -H fd:// -H tcp://0.0.0.0:2375"
    assert d.exec_start.span.path == "etc/systemd/system/docker.service.d/override.conf"
    hosts = d.all("hosts")
    assert [h.value for h in hosts] == [["fd://"], ["tcp://0.0.0.0:2375"]]
    second = hosts[1]
    assert (second.span.line, second.span.col, second.value_span.col) == (3, 37, 40)
    assert d.get("containerd") is None  # the stock command line was replaced
    assert d.tcp_listeners[0].port_span.col == 54
    assert d.span.path == "usr/lib/systemd/system/docker.service"


def test_dropins_apply_in_file_name_order():
    d = one(
        {
            "docker.service.d/20-b.conf": "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H unix:///b.sock\n",
            "docker.service.d/10-a.conf": "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H unix:///a.sock\n",
        }
    )
    assert d.exec_start.value.endswith("/b.sock")
    assert d.span.path == "docker.service.d/20-b.conf"


def test_etc_unit_shadows_lib_unit():
    d = one(
        {
            "lib/systemd/system/docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H fd://\n",
            "etc/systemd/system/docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H unix:///etc.sock\n",
        }
    )
    assert d.service_path == "etc/systemd/system/docker.service"
    assert d.exec_start.value.endswith("/etc.sock")


def test_dropin_without_reset_is_two_exec_starts():
    _, problems = build(
        {
            "docker.service": STOCK_SERVICE,
            "docker.service.d/override.conf": "[Service]\nExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375\n",
        }
    )
    assert [(p.rule_id, p.span.path, p.span.line) for p in problems] == [("DD000", "docker.service.d/override.conf", 2)]
    assert "reset it with an empty 'ExecStart=' first" in problems[0].message


def test_socket_routing_and_listen_stream_resets():
    d = one(
        {
            "docker.service": STOCK_SERVICE,
            "docker.socket": STOCK_SOCKET,
            "docker.socket.d/tcp.conf": "[Socket]\nListenStream=\nListenStream=0.0.0.0:2375\n",
            "docker-tcp.socket": "[Socket]\nListenStream=2376\nService=docker.service\n",
            "other.socket": "[Socket]\nListenStream=9999\nService=other.service\n",
        }
    )
    got = [(lst.address.value, lst.host, lst.port, lst.unit) for lst in d.listeners if lst.origin == "socket"]
    assert got == [("2376", None, 2376, "docker-tcp.socket"), ("0.0.0.0:2375", "0.0.0.0", 2375, "docker.socket")]
    assert {s.name for s in d.sockets} == {"docker.socket", "docker-tcp.socket"}
    tcp = next(lst for lst in d.listeners if lst.address.value == "0.0.0.0:2375")
    assert (tcp.address.span.path, tcp.address.span.line, tcp.address.span.col) == ("docker.socket.d/tcp.conf", 3, 14)
    assert (tcp.port_span.col, tcp.port_span.end_col) == (22, 26)


def test_docker_tcp_socket_without_service_goes_to_the_docker_daemon():
    d = one({"daemon.json": "{}", "docker-tcp.socket": "[Socket]\nListenStream=2375\n"})
    assert d.config_path == "daemon.json"
    assert [s.name for s in d.sockets] == ["docker-tcp.socket"]


def test_socket_only_daemon():
    d = one({"docker-tcp.socket": "[Unit]\nDescription=x\n[Socket]\nListenStream=2375\nService=docker.service\n"})
    assert (d.config_path, d.service_path, d.exec_start) == (None, None, None)
    assert d.settings == []
    assert (d.span.path, d.span.line) == ("docker-tcp.socket", 1)
    assert d.sockets[0].span.line == 3


def test_rootless_evidence():
    d = one({"files/docker.service": "[Service]\nExecStart=/usr/bin/dockerd-rootless.sh --experimental\n"})
    assert d.rootless is not None and d.rootless.value == "/usr/bin/dockerd-rootless.sh"
    assert d.get("experimental").value is True
    d = one({"daemon.json": '{"rootless": true}'})
    assert d.rootless is not None and d.rootless.span.line == 1
    d = one({"home/u/.config/docker/daemon.json": "{}"})
    assert d.rootless is not None
    d = one({"daemon.json": '{"rootless": false}'})
    assert d.rootless is None


def test_non_dockerd_service_gives_no_exec_start():
    d = one({"docker.service": "[Service]\nExecStart=/usr/local/bin/start-docker.sh\n"})
    assert d.exec_start is None and d.service_path is None and d.settings == []


def test_duplicate_keys_and_wrong_types_are_dd000_at_the_value():
    text = '{\n  "icc": "false",\n  "debug": true,\n  "debug": false,\n  "log-opts": {"max-file": 3}\n}\n'
    result = lint({"daemon.json": text}, select=["DD000"])
    got = [(f.rule_id, f.span.line, f.span.col) for f in result.findings]
    assert got == [("DD000", 2, 10), ("DD000", 4, 3), ("DD000", 5, 28)]
    msgs = [f.message for f in result.findings]
    assert "write false without quotes" in msgs[0]
    assert "takes the last" in msgs[1]
    assert 'write "3" in quotes' in msgs[2]


def test_unknown_keys_are_recorded_not_dd000():
    out = daemon_json.parse(SourceFile("daemon.json", "daemon", '{"insecure-registry": ["x"], "debug": true}'))
    part = out.daemon_parts[0]
    assert [k.value for k in part.unknown_keys] == ["insecure-registry"]
    assert out.problems == []


def test_null_is_accepted_for_any_key_as_go_does():
    out = daemon_json.parse(SourceFile("daemon.json", "daemon", '{"icc": null, "hosts": null}'))
    assert out.problems == []


def test_jsonschema_is_loaded_lazily():
    import subprocess
    import sys

    code = (
        "import sys; import dockerlint.core.engine, dockerlint.parsers.systemd, dockerlint.parsers.daemon; "
        "print('jsonschema' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_schema_is_a_valid_draft_2020_12_schema():
    import jsonschema

    schema = daemon_json._schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert {"hosts", "tlsverify", "userns-remap", "icc"} <= set(schema["properties"])
    assert all(p.get("description") for p in schema["properties"].values())


_KEYS = [
    "hosts",
    "tls",
    "tlsverify",
    "tlscacert",
    "tlscert",
    "tlskey",
    "userns-remap",
    "rootless",
    "icc",
    "log-opts",
    "default-ulimits",
    "runtimes",
    "labels",
    "x-unknown",
]
_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-3, 70000)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(
        [
            "",
            "tcp://0.0.0.0:2375",
            "0.0.0.0:5555",
            "unix:///x",
            "root",
            "default",
            "ca.pem",
            "/etc/docker/ca.pem",
            "tcp://[::1]:x",
            "ssh://h",
            "fd://",
        ]
    )
)
_VALUES = st.recursive(
    _LEAVES, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.sampled_from(_KEYS), c, max_size=3), max_leaves=8
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_KEYS), _VALUES), max_size=8),
    st.lists(
        st.sampled_from(
            [
                "-H tcp://0.0.0.0:2375",
                "--tlsverify=false",
                "--tls",
                "--userns-remap=root",
                "$DOCKER_OPTS",
                "-Hfd://",
                "--tlscacert",
                "-D",
                "--label=a",
            ]
        ),
        max_size=5,
    ),
)
def test_any_typed_config_assembles_and_every_dd_rule_runs(members, flags):
    import json as _json

    from dockerlint.core.registry import Registry

    body = ", ".join(f"{_json.dumps(k)}: {_json.dumps(v)}" for k, v in members)
    daemons, _ = build(
        {
            "daemon.json": "{" + body + "}",
            "docker.service": "[Service]\nExecStart=/usr/bin/dockerd " + " ".join(flags) + "\n",
            "docker-tcp.socket": "[Socket]\nListenStream=2375\n",
        }
    )
    registry = Registry.builtin()
    rules = [r for r in registry.rules_for("daemon", registry.ids()) if r.id.startswith("DD")]
    for d in daemons:
        for r in rules:
            list(r.run(d, None))
