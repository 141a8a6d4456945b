"""A unit's daemon behind exec wrappers and shells, ExecStartPre=/ExecStartPost=, and the
``export`` lines of /etc/default/docker that only init scripts read."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint.models.source import SourceFile
from dockerlint.parsers import systemd
from dockerlint.parsers.daemon import INIT_SCRIPTS
from helpers import check, dedent, lint
from test_daemon_model import build, one


def hosts(text: str) -> list[tuple[str, int, int, int]]:
    """The -H values of the first ExecStart= of a unit, with line, column and end column."""
    out = systemd.parse(SourceFile("docker.service", "systemd", dedent(text)))
    cmd = out.daemon_parts[0].exec_starts[0]
    return [
        (s.value[0], s.value_span.line, s.value_span.col, s.value_span.end_col)
        for s in cmd.settings
        if s.key == "hosts"
    ]


TCP = "tcp://0.0.0.0:2375"


@pytest.mark.parametrize(
    ("command", "col"),
    [
        ('/bin/sh -c "dockerd -H tcp://0.0.0.0:2375"', 34),
        ("/bin/bash -ec 'exec /usr/bin/dockerd -H tcp://0.0.0.0:2375 >>/var/log/dockerd.log 2>&1'", 51),
        ('/bin/sh -c "mkdir -p /run/x && nohup dockerd -H tcp://0.0.0.0:2375 &"', 59),
        ('/bin/sh -c "dockerd --version; exec dockerd -H \\"tcp://0.0.0.0:2375\\""', 60),
        ("/bin/sh -c \"sh -c 'dockerd -H tcp://0.0.0.0:2375'\"", 41),
        ('/bin/bash -c \'exec "$0" "$@"\' /usr/bin/dockerd -H tcp://0.0.0.0:2375', 61),
        ("/usr/bin/busybox sh -c 'dockerd -H tcp://0.0.0.0:2375'", 46),
        ("/usr/bin/env dockerd -H tcp://0.0.0.0:2375", 35),
        ("/usr/bin/env -i PATH=/usr/bin -u HOME dockerd -H tcp://0.0.0.0:2375", 60),
        ("/usr/bin/env -S dockerd -H tcp://0.0.0.0:2375", 38),
        ('/usr/bin/env -S "dockerd -H tcp://0.0.0.0:2375"', 39),
        ("/usr/bin/env --split-string='nice -n 5 dockerd' -H tcp://0.0.0.0:2375", 62),
        ("/usr/bin/nice -n 10 /usr/bin/ionice -c2 -n7 /usr/bin/dockerd -H tcp://0.0.0.0:2375", 75),
        ("/usr/bin/nice -5 dockerd -H tcp://0.0.0.0:2375", 39),
        ("/usr/bin/timeout --signal=TERM -k 5 1d dockerd -H tcp://0.0.0.0:2375", 61),
        ("/usr/bin/stdbuf -oL -e L dockerd -H tcp://0.0.0.0:2375", 47),
        ("/usr/bin/chrt -r 10 dockerd -H tcp://0.0.0.0:2375", 42),
        ("/usr/bin/taskset -c 0-3 dockerd -H tcp://0.0.0.0:2375", 46),
        ("/usr/bin/setsid -f dockerd -H tcp://0.0.0.0:2375", 41),
        ("/usr/bin/setpriv --reuid=0 --inh-caps -all dockerd -H tcp://0.0.0.0:2375", 65),
        ("/usr/bin/flock /run/dockerd.lock dockerd -H tcp://0.0.0.0:2375", 55),
        ('/usr/bin/flock -w 5 /run/dockerd.lock -c "dockerd -H tcp://0.0.0.0:2375"', 64),
        ("/sbin/runuser -u root -- dockerd -H tcp://0.0.0.0:2375", 47),
        ('/sbin/runuser root -c "dockerd -H tcp://0.0.0.0:2375"', 45),
        ("/bin/su -s /bin/sh -c 'dockerd -H tcp://0.0.0.0:2375' root", 45),
        ("/usr/bin/sudo -u root DOCKER_RAMDISK=1 dockerd -H tcp://0.0.0.0:2375", 61),
        ("/usr/sbin/chroot /srv/root /usr/bin/dockerd -H tcp://0.0.0.0:2375", 58),
        # The wrappers the shell model reads past are read past here too (one table).
        ("/usr/bin/tini -s -- /usr/bin/dockerd -H tcp://0.0.0.0:2375", 51),
        ("/usr/bin/dumb-init /usr/bin/dockerd -H tcp://0.0.0.0:2375", 50),
    ],
)
def test_the_daemon_behind_wrappers_and_shells_at_exact_positions(command, col):
    got = hosts(f"[Service]\nExecStart={command}\n")
    assert got == [(TCP, 2, col, col + len(TCP))], command


@pytest.mark.parametrize(
    "command",
    [
        "/usr/bin/env",  # no command: env prints the environment
        "/usr/bin/ionice -p 1 dockerd -H tcp://0.0.0.0:2375",  # -p: the class of process 1, no command
        "/usr/bin/chrt -p 10 1",
        "/usr/bin/taskset -p 1",
        "/usr/bin/sudo -l dockerd -H tcp://0.0.0.0:2375",  # -l lists what may run
        "/usr/bin/setpriv -d",
        "/bin/sh /opt/start-dockerd.sh -H tcp://0.0.0.0:2375",  # a script file: not read
        '/bin/sh -c "echo dockerd -H tcp://0.0.0.0:2375"',  # dockerd is an argument of echo
        '/bin/sh -c "dockerd --version"',  # a query: prints and exits
        "/sbin/runuser root dockerd",  # runuser without -u runs a login shell
        "/usr/bin/unshare -m dockerd -H tcp://0.0.0.0:2375",  # not followed (optional-argument options)
        "/usr/bin/env $DOCKERD -H tcp://0.0.0.0:2375",  # the program is only known at run time
        # Commands that never run (POSIX shell "exit", "AND-OR Lists", "if"/"while" compounds):
        '/bin/sh -c "exit 0; dockerd -H tcp://0.0.0.0:2375"',
        '/bin/sh -c "exec sleep infinity; dockerd -H tcp://0.0.0.0:2375"',
        '/bin/sh -c "false && dockerd -H tcp://0.0.0.0:2375"',
        '/bin/sh -c "true || dockerd -H tcp://0.0.0.0:2375"',
        "/bin/bash -c 'if false; then dockerd -H tcp://0.0.0.0:2375; fi'",
        "/bin/bash -c 'if true; then echo; else dockerd -H tcp://0.0.0.0:2375; fi'",
        "/bin/sh -c 'while false; do dockerd -H tcp://0.0.0.0:2375; done'",
        "/bin/bash -c 'debug() { dockerd -H tcp://0.0.0.0:2375; }; exec sleep infinity'",
        "/usr/bin/flock /run/d.lock -c 'exit 1; dockerd -H tcp://0.0.0.0:2375'",
    ],
)
def test_commands_that_do_not_start_a_daemon_here(command):
    out = systemd.parse(SourceFile("x.service", "systemd", f"[Service]\nExecStart={command}\n"))
    cmd = out.daemon_parts[0].exec_starts[0]
    assert (cmd.runs, cmd.settings) == ("", []), command


@pytest.mark.parametrize(
    "command",
    [
        # The exit may not run (test can fail), so dockerd may: it is read.
        '/bin/sh -c "test -f /etc/no-docker && exit 0; dockerd -H tcp://0.0.0.0:2375"',
        '/bin/sh -c "exit 0 & dockerd -H tcp://0.0.0.0:2375"',  # exit in the background: a subshell
        '/bin/sh -c "false || dockerd -H tcp://0.0.0.0:2375"',
        "/bin/bash -c 'if [ -S /run/x ]; then exit 0; fi; dockerd -H tcp://0.0.0.0:2375'",
        "/bin/bash -c 'if false; then exit; elif true; then dockerd -H tcp://0.0.0.0:2375; fi'",
        # The daemon that runs is the one read, not one in a branch that never runs.
        "/bin/bash -c 'if false; then dockerd -H unix:///x.sock; fi; exec dockerd -H tcp://0.0.0.0:2375'",
        "/bin/bash -c 'if true; then exec dockerd -H tcp://0.0.0.0:2375; else dockerd; fi'",
        "/bin/bash -c 'start() { exec dockerd -H tcp://0.0.0.0:2375; }; mkdir -p /run/d; start'",
    ],
)
def test_commands_that_may_run_are_still_read(command):
    col = len("ExecStart=") + command.index(TCP) + 1
    assert hosts(f"[Service]\nExecStart={command}\n") == [(TCP, 2, col, col + len(TCP))], command


def test_a_wrapped_daemon_is_one_and_reported_where_its_flag_is_written():
    files = {
        "etc/systemd/system/docker.service.d/override.conf": """
        [Service]
        ExecStart=
        ExecStart=/bin/sh -c "exec /usr/bin/dockerd \\
            -H fd:// -H tcp://0.0.0.0:2375 >>/var/log/dockerd.log 2>&1"
        """
    }
    check("DD101", files, [("etc/systemd/system/docker.service.d/override.conf", 4, 14, "tcp://0.0.0.0:2375")])
    d = one(files)
    assert d.exec_start is not None and d.exec_start.value.startswith("/bin/sh -c")


def test_shell_expansions_take_the_service_environment():
    # systemd expands $VAR only as a word of its own: inside the sh -c string, the shell
    # expands it from the environment systemd gives it (also with the ':' prefix).
    unit = """
        [Service]
        EnvironmentFile=-/etc/default/docker
        ExecStart={prefix}/bin/sh -c 'exec dockerd -H fd:// $DOCKER_OPTS "$LABEL"'
        """
    env = 'DOCKER_OPTS="-H tcp://0.0.0.0:2375  --debug"\nLABEL="--label=a b"\n'
    for prefix in ("", ":"):
        d = one({"etc/default/docker": env, "lib/systemd/system/docker.service": unit.format(prefix=prefix)})
        got = [(s.key, s.value, s.span.path, s.span.line, s.span.col, s.via) for s in d.settings]
        assert got == [
            ("hosts", ["fd://"], "lib/systemd/system/docker.service", 3, 36 + len(prefix), ""),
            ("hosts", ["tcp://0.0.0.0:2375"], "etc/default/docker", 1, 14, "$DOCKER_OPTS, set at etc/default/docker:1"),
            ("debug", True, "etc/default/docker", 1, 37, "$DOCKER_OPTS, set at etc/default/docker:1"),
            ("labels", ["a b"], "etc/default/docker", 2, 8, "$LABEL, set at etc/default/docker:2"),
        ], prefix
        assert d.unresolved == []
    # systemd substitutes ${VAR} inside the string before the shell reads it.
    d = one(
        {
            "docker.service": '[Service]\nEnvironment="A=-H tcp://0.0.0.0:2375"\n'
            'ExecStart=/bin/sh -c "exec dockerd ${A}"\n'
        }
    )
    assert [(s.value, s.span.line, s.span.col) for s in d.settings] == [(["tcp://0.0.0.0:2375"], 2, 16)]


def test_unknown_shell_expansions_hide_flags_and_unset_ones_give_nothing():
    d = one(
        {
            "docker.service": "[Service]\nEnvironmentFile=/etc/docker.env\n"
            "ExecStart=/bin/sh -c 'dockerd -H tcp://0.0.0.0:2376 --tlsverify=$V $(cat /etc/f)'\n"
        }
    )
    # The file is not in the scan, and what $(...) prints is never known.
    assert [u.value for u in d.unresolved] == ["--tlsverify=$V", "$(cat /etc/f)"]
    assert [s.key for s in d.settings] == ["hosts"]
    check(
        "DD101",
        {"docker.service": "[Service]\nExecStart=/bin/sh -c 'dockerd -H tcp://0.0.0.0:2375 $OPTS'\n"},
        [(2, 31, "unless ExecStart")],
    )
    d = one(
        {
            "docker.service": "[Service]\nEnvironmentFile=/etc/default/docker\n"
            "ExecStart=/bin/sh -c 'dockerd $UNSET -H tcp://0.0.0.0:2375'\n",
            "etc/default/docker": "DOCKER_OPTS=\n",
        }
    )
    assert d.unresolved == [] and [s.key for s in d.settings] == ["hosts"]


def test_exec_start_pre_and_post_start_a_daemon_too():
    # ExecStartPre= must exit before ExecStart= runs, but a daemon it starts in the background
    # keeps running with the service (and one in the foreground holds the start).
    files = {
        "etc/systemd/system/ci-docker.service": """
        [Service]
        ExecStartPre=/usr/bin/dockerd --validate --config-file /etc/ci/daemon.json
        ExecStartPre=/bin/sh -c "dockerd -H tcp://0.0.0.0:2375 --config-file /etc/ci/daemon.json &"
        ExecStart=/usr/local/bin/ci-runner
        """
    }
    check("DD101", files, [(3, 34)])
    post = {
        "etc/systemd/system/x.service": "[Service]\nExecStart=/opt/app\nExecStartPost=-/usr/bin/dockerd -H tcp://0.0.0.0:2375\n"
    }
    check("DD101", post, [(3, 33)])
    # A later empty ExecStartPre= resets the list (here in a drop-in).
    reset = {**files, "etc/systemd/system/ci-docker.service.d/no-pre.conf": "[Service]\nExecStartPre=\n"}
    check("DD101", reset, [])
    # ExecStart='s daemon is the unit's daemon; a query in ExecStartPre= starts none.
    both = {
        "docker.service": "[Service]\nExecStartPre=/usr/bin/dockerd --validate -H tcp://0.0.0.0:2375\n"
        "ExecStart=/usr/bin/dockerd -H fd://\n"
    }
    assert [s.value for s in one(both).settings] == [["fd://"]]


def test_a_unit_of_any_name_that_starts_dockerd_through_a_shell_is_found():
    for text in (
        "[Service]\nExecStart=/bin/sh -c 'dockerd -H tcp://0.0.0.0:2375'\n",
        "[Service]\nExecStartPre=/bin/sh -c 'dockerd -H tcp://0.0.0.0:2375 &'\nExecStart=/bin/true\n",
    ):
        assert systemd.concerns_docker(SourceFile("ci.service", "systemd", text)) is True
        check("DD101", {"ci.service": text}, [(2, text.splitlines()[1].index("-H") + 1)])
    plain = "[Service]\nExecStartPre=/bin/sh -c 'echo dockerd'\nExecStart=/usr/bin/env python3 app.py\n"
    assert systemd.concerns_docker(SourceFile("app.service", "systemd", plain)) is False


# -- /etc/default/docker as init scripts read it ----------------------------------------------------


def test_export_lines_are_live_for_init_scripts_only():
    files = {
        "etc/default/docker": """
        # Docker Upstart and SysVinit configuration file
        export DOCKER_OPTS="--dns 8.8.8.8 -H tcp://0.0.0.0:2375"
        """
    }
    found = check("DD101", files, [("etc/default/docker", 2, 35)])
    assert "(via $DOCKER_OPTS" in found[0].message
    d = one(files)
    assert d.assumed == INIT_SCRIPTS["debian"][0] and d.exec_start is None
    assert [(s.key, s.value) for s in d.settings] == [("dns", ["8.8.8.8"]), ("hosts", ["tcp://0.0.0.0:2375"])]
    # The init scripts pass $DOCKER_OPTS unquoted: split at blanks, quotes kept.
    d = one({"etc/default/docker": "export DOCKER_OPTS=\"--label 'a b'\"\n"})
    assert [s.value for s in d.settings] == [["'a"]]


def test_export_and_plain_lines_give_two_daemons_when_they_disagree():
    files = {
        "etc/default/docker": 'DOCKER_OPTS="-H unix:///run/docker.sock"\nexport DOCKER_OPTS="-H tcp://0.0.0.0:2375"\n'
    }
    daemons, _ = build(files)
    assert [[s.value for s in d.settings] for d in daemons] == [[["unix:///run/docker.sock"]], [[TCP]]]
    check("DD101", files, [("etc/default/docker", 2, 21)])
    # The last line wins for a shell too: a plain line after the export is what both read.
    same = {
        "etc/default/docker": 'export DOCKER_OPTS="-H tcp://0.0.0.0:2375"\nDOCKER_OPTS="-H unix:///run/docker.sock"\n'
    }
    daemons, _ = build(same)
    assert [[s.value for s in d.settings] for d in daemons] == [[["unix:///run/docker.sock"]]]


def test_export_lines_are_dead_where_a_unit_of_the_scan_starts_the_daemon():
    # A unit that runs dockerd in the same host tree: the host runs systemd, which drops them.
    files = {
        "etc/default/docker": 'export DOCKER_OPTS="-H tcp://0.0.0.0:2375"\n',
        "lib/systemd/system/docker.service": "[Service]\nEnvironmentFile=-/etc/default/docker\n"
        "ExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS\n",
    }
    check("DD101", files, [])
    assert [s.value for s in one(files).settings] == [["fd://"]]


def test_export_lines_with_daemon_json_tls_and_the_rhel_file():
    tls = {
        "etc/default/docker": 'export DOCKER_OPTS="-H tcp://0.0.0.0:2376"\n',
        "etc/docker/daemon.json": '{"tlsverify": true, "tlscacert": "/etc/docker/ca.pem", '
        '"tlscert": "/etc/docker/cert.pem", "tlskey": "/etc/docker/key.pem"}',
    }
    check("DD101", tls, [])
    rhel = {"etc/sysconfig/docker": "export other_args='-H tcp://0.0.0.0:4243'\n"}
    check("DD101", rhel, [("etc/sysconfig/docker", 1, 20)])
    assert one(rhel).assumed == INIT_SCRIPTS["rhel"][0]


def test_export_lines_a_shell_reads_otherwise_are_not_read():
    for text in (
        "export DOCKER_OPTS=-H tcp://0.0.0.0:2375\n",  # a shell exports 'tcp://…' as a name
        "export DOCKER_OPTS =-H\n",  # not an assignment for a shell
        'export DOCKER_OPTS="-H" tcp://0.0.0.0:2375\n',
    ):
        part = systemd.parse_env_file("etc/default/docker", text)
        assert part.exported == [] and part.assignments == [], text
        assert build({"etc/default/docker": text})[0] == []


# -- never a crash ------------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "sh",
        "-c",
        '"',
        "'",
        "\\",
        "$",
        "$X",
        "${X}",
        "$@",
        "$1",
        "env",
        "-S",
        "-u",
        "nice",
        "-n",
        "dockerd",
        "-H",
        "tcp://0.0.0.0:2375",
        "exec",
        "&",
        ";",
        "(",
        ")",
        "`",
        " ",
        "\\\n",
        "timeout",
        "1d",
        "runuser",
        "--",
        "sudo",
        "flock",
        "$(",
        "#",
        "=",
        "X=1",
        "--version",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30), st.booleans())
def test_any_command_line_never_crashes_and_flags_point_into_the_files(pieces, env_file):
    line = "ExecStart=/bin/sh -c " + "".join(pieces)
    files = {"lib/systemd/system/docker.service": "[Service]\nEnvironmentFile=-/etc/default/docker\n" + line + "\n"}
    if env_file:
        files["etc/default/docker"] = 'X="-H tcp://0.0.0.0:2375 --debug"\nexport DOCKER_OPTS=-D\n'
    result = lint(files)
    assert not result.internal_errors, result.internal_errors
    for f in result.findings:
        assert f.span.path in files and f.span.line >= 1 and f.span.col >= 1


# -- wrapper grammars checked against the manuals -------------------------------------------------


@pytest.mark.parametrize(
    ("command", "col"),
    [
        # bash/sh: -o in a group of short options takes the next word (the string comes after it).
        ("/bin/bash -co pipefail 'dockerd -H tcp://0.0.0.0:2375'", 46),
        ("/bin/sh -eo nounset -c 'dockerd -H tcp://0.0.0.0:2375'", 46),
        # setpriv(1): --ruid, --euid, --rgid, --egid take a value.
        ("/usr/bin/setpriv --ruid 0 --egid 0 dockerd -H tcp://0.0.0.0:2375", 57),
        # sudo(8): -k with a command runs it (without cached credentials); -c CLASS takes a value.
        ("/usr/bin/sudo -k -c default dockerd -H tcp://0.0.0.0:2375", 50),
        # runuser(1) -u: no option after the command unless '--' ends runuser's (GNU getopt permutes).
        ("/sbin/runuser -u root -g docker -- /usr/bin/dockerd -H tcp://0.0.0.0:2375", 66),
        ("/sbin/runuser -u root /usr/bin/env DOCKER_OPTS=x dockerd", None),
        # chrt(1): no priority for the policies without one (util-linux 2.42), or 0.
        ("/usr/bin/chrt --other dockerd -H tcp://0.0.0.0:2375", 44),
        ("/usr/bin/chrt -b 0 dockerd -H tcp://0.0.0.0:2375", 41),
    ],
)
def test_wrapper_options_as_their_manuals_give_them(command, col):
    if col is None:  # a daemon without flags: found, nothing to report
        out = systemd.parse(SourceFile("x.service", "systemd", f"[Service]\nExecStart={command}\n"))
        assert out.daemon_parts[0].exec_starts[0].runs == "dockerd", command
        return
    got = hosts(f"[Service]\nExecStart={command}\n")
    assert got == [(TCP, 2, col, col + len(TCP))], command


@pytest.mark.parametrize(
    "command",
    [
        "/usr/bin/doas -C /etc/doas.conf dockerd -H tcp://0.0.0.0:2375",  # checks the config, runs nothing
        "/usr/bin/nice --help dockerd -H tcp://0.0.0.0:2375",
        "/usr/bin/env --version dockerd -H tcp://0.0.0.0:2375",
        "/usr/bin/setpriv --list-caps dockerd -H tcp://0.0.0.0:2375",
        "/usr/bin/ionice -h dockerd -H tcp://0.0.0.0:2375",
        "/usr/bin/chrt -r dockerd -H tcp://0.0.0.0:2375",  # SCHED_RR needs a priority: chrt refuses
        # runuser -u reads dockerd's -H as its own option and refuses it (util-linux 2.38: "invalid option");
        # with -u it refuses --login ('-') too ("options ... are mutually exclusive").
        "/sbin/runuser -u root dockerd -H tcp://0.0.0.0:2375",
        "/sbin/runuser -u root - dockerd",
    ],
)
def test_wrapper_options_that_run_nothing(command):
    out = systemd.parse(SourceFile("x.service", "systemd", f"[Service]\nExecStart={command}\n"))
    cmd = out.daemon_parts[0].exec_starts[0]
    assert (cmd.runs, cmd.settings) == ("", []), command


@pytest.mark.parametrize(
    "unit",
    [
        ("etc/systemd/system/docker.service.d/override.conf", "[Service]\nEnvironment=HTTP_PROXY=http://proxy:3128\n"),
        ("lib/systemd/system/docker.socket", "[Socket]\nListenStream=/run/docker.sock\n"),
    ],
)
def test_export_lines_are_dead_beside_any_systemd_unit_of_docker(unit):
    # A drop-in or a socket unit of Docker, even one that starts no dockerd, says that systemd
    # runs Docker on this host: it drops the export line, no init script applies it.
    files = {"etc/default/docker": 'export DOCKER_OPTS="-H tcp://0.0.0.0:2375"\n', unit[0]: unit[1]}
    check("DD101", files, [])
    assert all(d.assumed != INIT_SCRIPTS["debian"][0] for d in build(files)[0])


def test_export_lines_as_a_shell_splits_them():
    # Blanks after the closing quote end the word for a shell: the line is read.
    files = {"etc/default/docker": 'export DOCKER_OPTS="-H tcp://0.0.0.0:2375"   \n'}
    check("DD101", files, [("etc/default/docker", 1, 21)])
    # What a shell would expand, or reads otherwise than systemd (a comment after the value:
    # systemd keeps it in the value), is not read: the options are not known.
    for text in (
        'export DOCKER_OPTS="$EXTRA -H tcp://0.0.0.0:2375"\n',
        'export DOCKER_OPTS="-H tcp://0.0.0.0:2375 `cat /etc/flags`"\n',
        'export DOCKER_OPTS="-H tcp://0.0.0.0:2375" # open to the farm\n',
    ):
        assert systemd.parse_env_file("etc/default/docker", text).exported == [], text


def test_the_shell_model_follows_every_wrapper_a_unit_is_read_past():
    # One table of exec wrappers: what a unit's ExecStart= is read past, the shell model of
    # Dockerfiles and scripts reads past too, with the same option grammar.
    from dockerlint.models import shell as shell_model
    from dockerlint.parsers import daemon_command

    assert daemon_command.WRAPPERS is shell_model.WRAPPERS
    assert daemon_command.SHELLS is shell_model.SHELLS
    builtins = {"exec", "command", "builtin"}
    assert daemon_command.PROGRAMS == (set(shell_model.WRAPPERS) - builtins) | shell_model.SHELLS | {"su"}
