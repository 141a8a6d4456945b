"""The systemd unit parser: syntax, resets, continuations, ExecStart words and dockerd flags."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint.models.source import SourceFile
from dockerlint.parsers import systemd
from dockerlint.parsers.errors import ParseError
from helpers import dedent


def unit(text: str, path: str = "docker.service") -> systemd.UnitPart:
    out = systemd.parse(SourceFile(path, "systemd", dedent(text)))
    part = out.daemon_parts[0]
    part.problems = out.problems  # type: ignore[attr-defined]
    return part


def pos(span):
    return (span.line, span.col, span.end_line, span.end_col)


def test_sections_repeated_keys_comments():
    u = unit("""
        # leading comment
        ; another
        [Unit]
        Description = Docker Application Container Engine
        After=network.target
        After=docker.socket

        [Service]
        Type=notify
        """)
    assert [s.name for s in u.sections] == ["Unit", "Service"]
    after = u.directives("Unit", "After")
    assert [d.value for d in after] == ["network.target", "docker.socket"]
    desc = u.last("Unit", "Description")
    assert desc.value == "Docker Application Container Engine"
    assert pos(desc.key_span) == (4, 1, 4, 12)
    assert pos(desc.value_span) == (4, 15, 4, 50)
    assert pos(u.sections[0].span) == (3, 1, 3, 7)


def test_identity_of_units_and_dropins():
    assert (
        unit("[Socket]\n", "etc/systemd/system/docker-tcp.socket").name,
        unit("[Socket]\n", "etc/systemd/system/docker-tcp.socket").unit_type,
    ) == ("docker-tcp.socket", "socket")
    d = unit("[Service]\n", "etc/systemd/system/docker.service.d/10-override.conf")
    assert (d.name, d.file_name, d.dropin, d.unit_type) == ("docker.service", "10-override.conf", True, "service")
    s = unit("[Socket]\n", "docker.socket.d/tcp.conf")
    assert (s.name, s.dropin, s.unit_type) == ("docker.socket", True, "socket")
    loose = unit("[Service]\nEnvironment=A=b\n", "20-docker.conf")
    assert (loose.name, loose.dropin) == ("docker.service", True)


def test_continuation_lines_and_comments_inside_them():
    u = unit("""
        [Service]
        ExecStart=/usr/bin/dockerd \\
          # a comment inside the continuation is skipped
          -H tcp://0.0.0.0:2375 \\
          --tlsverify
        """)
    d = u.last("Service", "ExecStart")
    assert d.value.split() == ["/usr/bin/dockerd", "-H", "tcp://0.0.0.0:2375", "--tlsverify"]
    assert pos(d.value_span) == (2, 11, 5, 14)
    cmd = u.exec_starts[0]
    host = cmd.settings[0]
    assert (host.key, host.written_key, host.value) == ("hosts", "-H", ["tcp://0.0.0.0:2375"])
    assert pos(host.span) == (4, 3, 4, 5)
    assert pos(host.value_span) == (4, 6, 4, 24)
    assert pos(cmd.listeners[0].port_span) == (4, 20, 4, 24)
    tv = cmd.settings[1]
    assert (tv.key, tv.value) == ("tlsverify", True) and pos(tv.span) == (5, 3, 5, 14)


def test_comment_ending_in_backslash_does_not_swallow_the_next_line():
    # systemd 240+ skips comment lines before joining continued lines (systemd.syntax(7)):
    # the ExecStart below runs. Older versions swallowed it: DD000 says so at the comment.
    u = unit("""
        [Service]
        # note \\
        ExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375
        """)
    (d,) = u.directives("Service", "ExecStart")
    assert d.value == "/usr/bin/dockerd -H tcp://0.0.0.0:2375" and d.line == 3
    assert u.exec_starts[0].listeners[0].port == 2375
    (note,) = u.problems
    assert note.rule_id == "DD000" and "before version 240" in note.message and "line 3" in note.message
    assert pos(note.span) == (2, 1, 2, 9)


def test_exec_start_resets_within_a_file():
    u = unit("""
        [Service]
        ExecStart=
        ExecStart=/usr/bin/dockerd -H fd://
        """)
    assert [c.reset for c in u.exec_starts] == [True, False]
    assert [d.value for d in u.effective("Service", "ExecStart")] == ["/usr/bin/dockerd -H fd://"]


def test_listen_stream_reset():
    u = unit(
        """
        [Socket]
        ListenStream=/run/docker.sock
        ListenStream=
        ListenStream=2375
        """,
        "docker.socket.d/override.conf",
    )
    assert [d.value for d in u.effective("Socket", "ListenStream")] == ["2375"]
    assert len(u.listen_streams) == 3


def test_effective_is_the_reset_rule_for_list_settings():
    """``systemd.effective``: each assignment appends, an empty one empties the list so far."""
    u = unit(
        """
        [Socket]
        ListenStream=/run/docker.sock
        ListenStream=0.0.0.0:2375
        ListenStream=
        ListenStream=2376
        ListenStream=/run/b.sock
        """,
        "docker.socket",
    )
    found = u.directives("Socket", "ListenStream")
    assert [d.value for d in systemd.effective(found)] == ["2376", "/run/b.sock"]
    assert [d.value for d in systemd.effective(found[:2])] == ["/run/docker.sock", "0.0.0.0:2375"]
    assert systemd.effective(found[:3]) == []
    assert systemd.effective([]) == []
    assert [d.value for d in systemd.effective(iter(found[2:]))] == ["2376", "/run/b.sock"]  # any iterable
    assert systemd.effective(found) is not found and len(found) == 5  # the input is left as it was


def test_effective_applies_to_exec_commands():
    """The same rule for commands: an empty ``ExecStart=`` / ``ExecStartPre=`` drops those before it."""
    u = unit("""
        [Service]
        ExecStart=/usr/bin/dockerd -H fd://
        ExecStart=
        ExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375
        ExecStartPre=/bin/true
        ExecStartPre=
        """)
    assert [c.reset for c in u.exec_starts] == [False, True, False]
    assert [c.directive.value for c in systemd.effective(u.exec_starts)] == ["/usr/bin/dockerd -H tcp://0.0.0.0:2375"]
    assert systemd.effective(u.exec_hooks["ExecStartPre"]) == []


def test_effective_across_a_unit_and_its_dropins():
    """The daemon's view of a unit (its file and drop-ins in order) applies the same rule: a
    drop-in's empty ``ListenStream=`` drops the unit file's sockets."""
    from dockerlint.parsers import daemon

    base = unit(
        """
        [Socket]
        ListenStream=/run/docker.sock
        ListenStream=0.0.0.0:2375
        """,
        "etc/systemd/system/docker.socket",
    )
    reset = unit(
        """
        [Socket]
        ListenStream=
        ListenStream=127.0.0.1:2375
        """,
        "etc/systemd/system/docker.socket.d/local.conf",
    )
    appended = unit(
        """
        [Socket]
        ListenStream=/run/extra.sock
        """,
        "etc/systemd/system/docker.socket.d/more.conf",
    )
    units = daemon._units([base, reset, appended])
    assert [d.value for d in units["docker.socket"].effective("Socket", "ListenStream")] == [
        "127.0.0.1:2375",
        "/run/extra.sock",
    ]
    assert [d.value for d in daemon._units([base, appended])["docker.socket"].effective("Socket", "ListenStream")] == [
        "/run/docker.sock",
        "0.0.0.0:2375",
        "/run/extra.sock",
    ]
    assert [d.value for d in base.effective("Socket", "ListenStream")] == ["/run/docker.sock", "0.0.0.0:2375"]


@pytest.mark.parametrize(
    ("line", "prefixes"),
    [
        ("-/usr/bin/dockerd -H fd://", "-"),
        ("+/usr/bin/dockerd -H fd://", "+"),
        ("!!/usr/bin/dockerd -H fd://", "!!"),
        ("@/usr/bin/dockerd dockerd -H fd://", "@"),
        ("-!/usr/bin/dockerd -H fd://", "-!"),
    ],
)
def test_exec_prefixes(line, prefixes):
    u = unit(f"[Service]\nExecStart={line}\n")
    cmd = u.exec_starts[0]
    assert cmd.prefixes == prefixes
    assert cmd.runs == "dockerd"
    assert [s.value for s in cmd.settings] == [["fd://"]]


@pytest.mark.parametrize(
    ("args", "key", "value", "written", "span", "vspan"),
    [
        ("-H tcp://0.0.0.0:2375", "hosts", ["tcp://0.0.0.0:2375"], "-H", (1, 28, 1, 30), (1, 31, 1, 49)),
        ("-H=tcp://0.0.0.0:2375", "hosts", ["tcp://0.0.0.0:2375"], "-H", (1, 28, 1, 49), (1, 31, 1, 49)),
        ("-Htcp://0.0.0.0:2375", "hosts", ["tcp://0.0.0.0:2375"], "-H", (1, 28, 1, 48), (1, 30, 1, 48)),
        ("--host tcp://1.2.3.4:2375", "hosts", ["tcp://1.2.3.4:2375"], "--host", (1, 28, 1, 34), (1, 35, 1, 53)),
        ("--host=tcp://1.2.3.4:2375", "hosts", ["tcp://1.2.3.4:2375"], "--host", (1, 28, 1, 53), (1, 35, 1, 53)),
        ('"--host=tcp://1.2.3.4:2375"', "hosts", ["tcp://1.2.3.4:2375"], "--host", (1, 28, 1, 55), (1, 36, 1, 54)),
        ("--tls", "tls", True, "--tls", (1, 28, 1, 33), (1, 28, 1, 33)),
        ("--tlsverify=false", "tlsverify", False, "--tlsverify", (1, 28, 1, 45), (1, 40, 1, 45)),
        (
            "--tlscacert /etc/docker/ca.pem",
            "tlscacert",
            "/etc/docker/ca.pem",
            "--tlscacert",
            (1, 28, 1, 39),
            (1, 40, 1, 58),
        ),
        ("--userns-remap=default", "userns-remap", "default", "--userns-remap", (1, 28, 1, 50), (1, 43, 1, 50)),
        ("--icc=false", "icc", False, "--icc", (1, 28, 1, 39), (1, 34, 1, 39)),
        (
            "--insecure-registry 10.0.0.0/8",
            "insecure-registries",
            ["10.0.0.0/8"],
            "--insecure-registry",
            (1, 28, 1, 47),
            (1, 48, 1, 58),
        ),
        ("--label env=prod", "labels", ["env=prod"], "--label", (1, 28, 1, 35), (1, 36, 1, 44)),
        (
            "--authorization-plugin=authz",
            "authorization-plugins",
            ["authz"],
            "--authorization-plugin",
            (1, 28, 1, 56),
            (1, 51, 1, 56),
        ),
        ("--log-opt max-size=10m", "log-opts", ["max-size=10m"], "--log-opt", (1, 28, 1, 37), (1, 38, 1, 50)),
        (
            "--storage-opt dm.basesize=20G",
            "storage-opts",
            ["dm.basesize=20G"],
            "--storage-opt",
            (1, 28, 1, 41),
            (1, 42, 1, 57),
        ),
        (
            "--default-ulimit nofile=1024:2048",
            "default-ulimits",
            ["nofile=1024:2048"],
            "--default-ulimit",
            (1, 28, 1, 44),
            (1, 45, 1, 61),
        ),
        ("--dns-opt ndots:1", "dns-opts", ["ndots:1"], "--dns-opt", (1, 28, 1, 37), (1, 38, 1, 45)),
        (
            "--exec-opt native.cgroupdriver=systemd",
            "exec-opts",
            ["native.cgroupdriver=systemd"],
            "--exec-opt",
            (1, 28, 1, 38),
            (1, 39, 1, 66),
        ),
        (
            "--add-runtime crun=/usr/bin/crun",
            "runtimes",
            ["crun=/usr/bin/crun"],
            "--add-runtime",
            (1, 28, 1, 41),
            (1, 42, 1, 60),
        ),
        (
            "--registry-mirror https://m.example",
            "registry-mirrors",
            ["https://m.example"],
            "--registry-mirror",
            (1, 28, 1, 45),
            (1, 46, 1, 63),
        ),
        ("-D", "debug", True, "-D", (1, 28, 1, 30), (1, 28, 1, 30)),
        ("-G dockerusers", "group", "dockerusers", "-G", (1, 28, 1, 30), (1, 31, 1, 42)),
        ("--no-new-privileges", "no-new-privileges", True, "--no-new-privileges", (1, 28, 1, 47), (1, 28, 1, 47)),
        ("--live-restore", "live-restore", True, "--live-restore", (1, 28, 1, 42), (1, 28, 1, 42)),
        ("--userland-proxy=false", "userland-proxy", False, "--userland-proxy", (1, 28, 1, 50), (1, 45, 1, 50)),
        ("--experimental", "experimental", True, "--experimental", (1, 28, 1, 42), (1, 28, 1, 42)),
        (
            "--seccomp-profile unconfined",
            "seccomp-profile",
            "unconfined",
            "--seccomp-profile",
            (1, 28, 1, 45),
            (1, 46, 1, 56),
        ),
        ("--log-driver journald", "log-driver", "journald", "--log-driver", (1, 28, 1, 40), (1, 41, 1, 49)),
        (
            "--containerd=/run/containerd/containerd.sock",
            "containerd",
            "/run/containerd/containerd.sock",
            "--containerd",
            (1, 28, 1, 72),
            (1, 41, 1, 72),
        ),
        ("--rootless", "rootless", True, "--rootless", (1, 28, 1, 38), (1, 28, 1, 38)),
    ],
)
def test_dockerd_flags(args, key, value, written, span, vspan):
    # "ExecStart=/usr/bin/dockerd " is 27 characters: the first argument starts at column 28.
    part = unit(f"[Service]\nExecStart=/usr/bin/dockerd {args}\n")
    cmd = part.exec_starts[0]
    assert len(cmd.settings) == 1, cmd.settings
    s = cmd.settings[0]
    assert (s.key, s.value, s.written_key, s.origin) == (key, value, written, "flag")
    assert (s.span.line, s.span.end_line, s.value_span.line, s.value_span.end_line) == (2, 2, 2, 2)
    assert (s.span.col, s.span.end_col) == (span[1], span[3])
    assert (s.value_span.col, s.value_span.end_col) == (vspan[1], vspan[3])


@pytest.mark.parametrize(
    ("line", "runs", "rootless"),
    [
        ("/usr/bin/dockerd -H fd://", "dockerd", False),
        ("dockerd -H fd://", "dockerd", False),
        ("/usr/bin/docker daemon -H fd://", "docker daemon", False),
        ("/usr/bin/docker -d -H fd://", "docker -d", False),
        ("/usr/bin/dockerd-rootless.sh -H fd://", "dockerd-rootless", True),
        ("/usr/bin/containerd", "", False),
    ],
)
def test_recognized_daemons(line, runs, rootless):
    cmd = unit(f"[Service]\nExecStart={line}\n").exec_starts[0]
    assert cmd.runs == runs
    assert (cmd.rootless is not None) == rootless
    if runs:
        assert [s.value for s in cmd.settings] == [["fd://"]]


def test_opaque_variables_are_kept_not_expanded():
    u = unit("[Service]\nExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS ${EXTRA} -H $HOST\n")
    cmd = u.exec_starts[0]
    assert [o.value for o in cmd.opaque] == ["$DOCKER_OPTS", "${EXTRA}", "$HOST"]
    assert [s.value for s in cmd.settings] == [["fd://"]]
    assert u.problems == []


def test_quoting_and_escapes():
    u = unit("[Service]\nExecStart=/usr/bin/dockerd --label \"a b\" --label 'c\\x20d' --label e\\sf\n")
    cmd = u.exec_starts[0]
    assert [s.value for s in cmd.settings] == [["a b"], ["c d"], ["e f"]]


def test_listeners_from_flags_with_port_spans():
    cmd = unit("[Service]\nExecStart=/usr/bin/dockerd -H fd:// -H tcp://:2376 -H 0.0.0.0:5555\n").exec_starts[0]
    got = [(lst.scheme, lst.host, lst.port, lst.origin) for lst in cmd.listeners]
    assert got == [("fd", None, None, "flag"), ("tcp", "localhost", 2376, "flag"), ("tcp", "0.0.0.0", 5555, "flag")]
    assert pos(cmd.listeners[1].port_span) == (2, 47, 2, 51)


def test_environment():
    u = unit("""
        [Service]
        Environment="DOCKER_OPTS=-H tcp://0.0.0.0:2375" FOO=bar
        EnvironmentFile=-/etc/default/docker
        """)
    env = u.environment
    assert env["DOCKER_OPTS"].value == "-H tcp://0.0.0.0:2375"
    assert pos(env["DOCKER_OPTS"].span) == (2, 26, 2, 47)
    assert env["FOO"].value == "bar"
    assert [e.value for e in u.environment_files] == ["-/etc/default/docker"]


@pytest.mark.parametrize(
    ("args", "part"),
    [
        ("--tlsverify false", "dockerd takes no arguments"),
        ("--tlsverify=maybe", "not a boolean"),
        ("-H", "-H needs a value"),
        ("-H http://x", "unsupported protocol 'http'"),
        ("-H tcp://0.0.0.0:99999", "invalid port"),
    ],
)
def test_dockerd_command_problems(args, part):
    u = unit(f"[Service]\nExecStart=/usr/bin/dockerd {args}\n")
    assert any(part in p.message for p in u.problems), [p.message for p in u.problems]
    assert all(p.rule_id == "DD000" for p in u.problems)


@pytest.mark.parametrize(
    ("text", "line", "col", "part"),
    [
        ("[Service]\n  [Broken\n", 2, 3, "invalid section header"),
        ('[Service]\n[Serv"ice]\n', 2, 1, "bad characters in section header"),
        ("[Service]\nExecStart=/usr/bin/dockerd '-H\n", 2, 28, "unbalanced ' quote in ExecStart="),
    ],
)
def test_unparseable_units(text, line, col, part):
    with pytest.raises(ParseError) as info:
        systemd.parse(SourceFile("docker.service", "systemd", text))
    assert (info.value.line, info.value.col) == (line, col)
    assert part in info.value.message and "systemd refuses to load this unit" in info.value.message


@pytest.mark.parametrize(
    ("text", "line", "col", "part"),
    [
        (
            "ExecStart=/usr/bin/dockerd\n[Service]\nExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375\n",
            1,
            1,
            "before any [Section]",
        ),
        (
            "[Service]\nthis is not an assignment\nExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375\n",
            2,
            1,
            "not a section header",
        ),
        ("[Service]\n=value\nExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375\n", 2, 1, "without a key"),
        (
            "[Service]\n.include /etc/x.conf\nExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375\n",
            2,
            1,
            "not a section header",
        ),
    ],
)
def test_lines_systemd_ignores_do_not_hide_the_rest_of_the_unit(text, line, col, part):
    # systemd logs these lines and ignores them ("Missing '='", "Assignment outside of
    # section"): the ExecStart after them runs, so it must be read.
    out = systemd.parse(SourceFile("docker.service", "systemd", text))
    (problem,) = out.problems
    assert (problem.rule_id, problem.span.line, problem.span.col) == ("DD000", line, col)
    assert part in problem.message and "systemd ignores it" in problem.message
    (cmd,) = out.daemon_parts[0].exec_starts
    assert [lst.port for lst in cmd.listeners] == [2375]


def test_lines_in_a_section_systemd_ignores_are_not_reported():
    out = systemd.parse(SourceFile("docker.service", "systemd", "[X-Notes]\nfree text\n[Service]\nType=notify\n"))
    assert out.problems == []


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("[]=#;\\\"' \n\tabcServiceExecStart-H:/$%{}\u00e9")), max_size=120))
def test_arbitrary_text_only_raises_parse_error(text):
    try:
        systemd.parse(SourceFile("docker.service", "systemd", text))
    except ParseError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("-=Ht:/0.5\"'\\ $ab")), max_size=12), max_size=8))
def test_arbitrary_dockerd_arguments_never_crash(words):
    text = "[Service]\nExecStart=/usr/bin/dockerd " + " ".join(words) + "\n"
    try:
        systemd.parse(SourceFile("docker.service", "systemd", text))
    except ParseError:
        pass
