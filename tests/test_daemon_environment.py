"""The daemon's effective command line: Environment=, EnvironmentFile=, $VARIABLES and where
each expanded flag is written; environment files; assumed packaged units; rootless forwards."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint.discovery import PRE_COMMIT_FILES, classify_name
from dockerlint.models.daemon import Daemon
from dockerlint.models.source import RawBytes, SourceFile
from dockerlint.parsers import systemd
from dockerlint.parsers.daemon import DEBIAN_UNIT, RHEL_UNIT
from dockerlint.parsers.errors import ParseError
from helpers import dedent, lint
from test_daemon_model import build, one


def pos(span):
    return (span.path, span.line, span.col, span.end_line, span.end_col)


def flags(d: Daemon) -> list[tuple[str, object]]:
    return [(s.key, s.value) for s in d.settings if s.origin == "flag"]


DEBIAN_UNIT_TEXT = """
    [Service]
    Type=notify
    EnvironmentFile=-/etc/default/docker
    ExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS
    """


# -- environment files -------------------------------------------------------------------------


def env_file(text: str, path: str = "etc/default/docker") -> dict[str, systemd.EnvValue]:
    return systemd.parse_env_file(path, dedent(text)).values()


def test_env_file_quoting_like_systemd():
    values = env_file("""
        # Docker Upstart and SysVinit configuration file
        #DOCKER_OPTS="--dns 8.8.8.8 --dns 8.8.4.4"
        ; a comment too
        PLAIN=a b  c\\ d   \t
        DQ="x \\"y\\" \\$z \\n"
        SQ='it''s \\n'
        JOINED="a"b "c"
        JOINED2="a"  'b'
          SPACED = v
        MULTI="one
        two"
        CONT=left\\
        right
        EMPTY=
        export EXPORTED=1
        no equals sign here
        """)
    got = {k: v.value for k, v in values.items()}
    assert got == {
        "PLAIN": "a b  c d",
        "DQ": 'x "y" $z \\n',
        "SQ": "its \\n",
        "JOINED": 'ab "c"',
        "JOINED2": "ab",
        "SPACED": "v",
        "MULTI": "one\ntwo",
        "CONT": "leftright",
        "EMPTY": "",
    }


def test_env_file_value_positions():
    values = env_file('# comment\nDOCKER_OPTS="-H tcp://0.0.0.0:2375"\n  OTHER=--debug\n')
    opts = values["DOCKER_OPTS"]
    assert pos(opts.span()) == ("etc/default/docker", 2, 14, 2, 35)
    assert pos(opts.name_span) == ("etc/default/docker", 2, 1, 2, 12)
    assert opts.where == "etc/default/docker:2"
    assert pos(values["OTHER"].span()) == ("etc/default/docker", 3, 9, 3, 16)


def test_a_comment_ending_in_backslash_does_not_continue():
    assert set(env_file("# x \\\nDOCKER_OPTS=-D\n")) == {"DOCKER_OPTS"}


def test_last_assignment_wins():
    assert env_file("A=1\nA=2\n")["A"].value == "2"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("AB_=#; \t\n\\\"'$-Hx:/")), max_size=80))
def test_env_file_never_crashes_and_positions_are_in_the_file(text):
    part = systemd.parse_env_file("etc/default/docker", text)
    lines = text.split("\n")
    for a in part.assignments:
        assert len(a.offsets) == len(a.value)
        for k, off in enumerate(a.offsets):
            assert text[off] == a.value[k] or text[off] == "\\"
        span = a.span()
        assert 1 <= span.line <= len(lines)


# -- Environment= and $VAR expansion -------------------------------------------------------------


def test_environment_quoting_and_word_positions():
    d = one(
        {
            "docker.service": """
        [Service]
        Environment="DOCKER_OPTS=--label a=b -H tcp://0.0.0.0:2375" FOO=bar
        ExecStart=/usr/bin/dockerd $DOCKER_OPTS
        """
        }
    )
    assert flags(d) == [("labels", ["a=b"]), ("hosts", ["tcp://0.0.0.0:2375"])]
    label, host = d.settings
    assert pos(label.span) == ("docker.service", 2, 26, 2, 33)
    assert pos(host.span) == ("docker.service", 2, 38, 2, 40)
    assert pos(host.value_span) == ("docker.service", 2, 41, 2, 59)
    assert pos(d.tcp_listeners[0].port_span) == ("docker.service", 2, 55, 2, 59)
    assert host.via == "$DOCKER_OPTS, set at docker.service:2"
    assert d.unresolved == []


def test_braced_variable_is_one_word():
    # "${VAR}" is exactly one argument: dockerd gets "-H tcp://..." as one word, a -H with the
    # attached value " tcp://..." (ParseHost trims it).
    d = one(
        {
            "docker.service": """
        [Service]
        Environment="OPTS=-H tcp://0.0.0.0:2375"
        ExecStart=/usr/bin/dockerd ${OPTS}
        """
        }
    )
    (host,) = d.settings
    assert host.key == "hosts" and host.value == [" tcp://0.0.0.0:2375"]
    assert pos(host.span)[:3] == ("docker.service", 2, 19)
    assert [(lst.host, lst.port) for lst in d.tcp_listeners] == [("0.0.0.0", 2375)]


def test_braced_variable_inside_a_word_and_defaults():
    d = one(
        {
            "docker.service": """
        [Service]
        Environment=ADDR=0.0.0.0:2375
        ExecStart=/usr/bin/dockerd --host=tcp://${ADDR} --label=x${UNSET:-dflt} --label=$$HOME
        EnvironmentFile=/etc/default/docker
        """,
            "etc/default/docker": "OTHER=1\n",
        }
    )
    assert flags(d) == [("hosts", ["tcp://0.0.0.0:2375"]), ("labels", ["xdflt"]), ("labels", ["$HOME"])]
    host = d.settings[0]
    assert pos(host.span)[:3] == ("docker.service", 3, 28)  # --host= is written in the ExecStart
    assert pos(d.tcp_listeners[0].port_span)[:3] == ("docker.service", 2, 26)  # the port, in Environment=


def test_unset_variable_without_environment_files_stays_hidden():
    d = one({"docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS\n"})
    assert [u.value for u in d.unresolved] == ["$DOCKER_OPTS"]
    assert flags(d) == [("hosts", ["fd://"])]


def test_environment_file_not_in_the_scan_keeps_its_variables_hidden():
    d = one({"lib/systemd/system/docker.service": DEBIAN_UNIT_TEXT})
    assert [u.value for u in d.unresolved] == ["$DOCKER_OPTS"]


def test_debian_unit_reads_etc_default_docker_with_exact_positions():
    d = one(
        {
            "etc/default/docker": "# Docker Upstart and SysVinit configuration file\n"
            'DOCKER_OPTS="--dns 8.8.8.8 \\\n  -H tcp://0.0.0.0:2375"\n',
            "lib/systemd/system/docker.service": DEBIAN_UNIT_TEXT,
        }
    )
    assert flags(d) == [("hosts", ["fd://"]), ("dns", ["8.8.8.8"]), ("hosts", ["tcp://0.0.0.0:2375"])]
    fd, dns, tcp = d.settings
    assert (fd.via, pos(fd.span)[:3]) == ("", ("lib/systemd/system/docker.service", 4, 28))
    assert pos(dns.span) == ("etc/default/docker", 2, 14, 2, 19)
    assert pos(tcp.span) == ("etc/default/docker", 3, 3, 3, 5)
    assert pos(tcp.value_span) == ("etc/default/docker", 3, 6, 3, 24)
    assert tcp.via == "$DOCKER_OPTS, set at etc/default/docker:2"
    assert d.unresolved == [] and d.assumed is None
    assert d.sources == ["lib/systemd/system/docker.service", "etc/default/docker"]


def test_set_but_empty_and_unset_variables_give_no_words_when_every_file_is_known():
    d = one(
        {
            "etc/default/docker": "DOCKER_OPTS=\n",
            "etc/systemd/system/docker.service": DEBIAN_UNIT_TEXT.replace("$DOCKER_OPTS", "$DOCKER_OPTS $NOPE"),
        }
    )
    assert flags(d) == [("hosts", ["fd://"])] and d.unresolved == []


def test_environment_file_overrides_environment_and_dropins_override_in_order():
    d = one(
        {
            "lib/systemd/system/docker.service": DEBIAN_UNIT_TEXT,
            "etc/systemd/system/docker.service.d/10-env.conf": '[Service]\nEnvironment="DOCKER_OPTS=--debug"\n',
            "etc/default/docker": "DOCKER_OPTS=--icc=false\n",
        }
    )
    assert flags(d) == [("hosts", ["fd://"]), ("icc", False)]  # EnvironmentFile= beats Environment=


def test_environment_reset_and_later_dropin_wins():
    d = one(
        {
            "docker.service": '[Service]\nEnvironment="A=--debug" "B=--icc=false"\nExecStart=/usr/bin/dockerd $A $B\n',
            "docker.service.d/10-a.conf": "[Service]\nEnvironment=\nEnvironment=A=--live-restore\n",
        }
    )
    # The reset drops A and B of the unit; B is then unset, and no environment file can set it.
    assert flags(d) == [("live-restore", True)]
    assert [u.value for u in d.unresolved] == ["$B"]


def test_environment_file_reset_in_a_dropin():
    d = one(
        {
            "etc/default/docker": "DOCKER_OPTS=--debug\n",
            "lib/systemd/system/docker.service": DEBIAN_UNIT_TEXT,
            "etc/systemd/system/docker.service.d/no-env.conf": "[Service]\nEnvironmentFile=\n",
        }
    )
    assert flags(d) == [("hosts", ["fd://"])]
    assert [u.value for u in d.unresolved] == ["$DOCKER_OPTS"]  # no environment file left: unknown


def test_exec_start_reset_across_dropins_in_name_order_and_folder_precedence():
    d = one(
        {
            "usr/lib/systemd/system/docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H fd:// --debug\n",
            # the same drop-in name in /etc replaces the /lib one; others apply in file-name order
            "usr/lib/systemd/system/docker.service.d/20-x.conf": "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd "
            "--icc=false\n",
            "etc/systemd/system/docker.service.d/20-x.conf": "[Service]\nEnvironment=X=--live-restore\n",
            "run/systemd/system/docker.service.d/30-y.conf": "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd $X\n",
            "etc/systemd/system/docker.service.d/10-z.conf": "[Service]\nExecStart=\n"
            "ExecStart=/usr/bin/dockerd --tls\n",
        }
    )
    assert d.exec_start.value == "/usr/bin/dockerd $X"
    assert flags(d) == [("live-restore", True)]
    assert d.settings[0].span.path == "etc/systemd/system/docker.service.d/20-x.conf"


def test_words_from_variables_are_not_expanded_again():
    d = one(
        {
            "etc/default/docker": 'DOCKER_OPTS="$DOCKER_OPTS --debug"\n',
            "etc/systemd/system/docker.service": DEBIAN_UNIT_TEXT,
        }
    )
    assert flags(d) == [("hosts", ["fd://"]), ("debug", True)]
    assert d.unresolved == []


def test_dd000_for_a_bad_word_in_the_environment_file_is_reported_there_once():
    result = lint(
        {
            "etc/default/docker": 'DOCKER_OPTS="--tlsverify false"\n',
            "etc/systemd/system/docker.service": DEBIAN_UNIT_TEXT,
        },
        select=["DD000"],
    )
    got = [(f.span.path, f.span.line, f.span.col, f.message[:40]) for f in result.findings]
    assert got == [("etc/default/docker", 1, 26, "dockerd takes no arguments, only flags: ")]


def test_old_docker_daemon_and_rhel_dockerd_current_commands():
    d = one(
        {
            "etc/sysconfig/docker": "OPTIONS='--selinux-enabled --log-driver=journald'\n",
            "usr/lib/systemd/system/docker.service": "[Service]\nEnvironmentFile=-/etc/sysconfig/docker\n"
            "ExecStart=/usr/bin/dockerd-current --add-runtime x=/usr/bin/x $OPTIONS\n",
        }
    )
    assert flags(d) == [("runtimes", ["x=/usr/bin/x"]), ("selinux-enabled", True), ("log-driver", "journald")]
    assert pos(d.settings[1].span) == ("etc/sysconfig/docker", 1, 10, 1, 27)


# -- assumed units -------------------------------------------------------------------------------


def test_loose_dropin_with_docker_opts_assumes_the_debian_unit():
    d = one(
        {
            "20-docker.conf": """
        [Service]
        #swarm docker etcd mode
        Environment="DOCKER_OPTS=--storage-driver=overlay2 -H tcp://0.0.0.0:2375"
        """
        }
    )
    assert d.assumed == DEBIAN_UNIT
    assert d.exec_start is None  # the assumed unit is not judged for missing settings
    assert flags(d) == [("storage-driver", "overlay2"), ("hosts", ["tcp://0.0.0.0:2375"])]
    host = d.settings[1]
    assert pos(host.span) == ("20-docker.conf", 3, 52, 3, 54)
    assert host.via.startswith("$DOCKER_OPTS, set at 20-docker.conf:3, assuming Debian's docker.io unit")
    assert (d.span.path, d.span.line) == ("20-docker.conf", 1)


def test_etc_default_docker_alone_and_with_daemon_json():
    d = one({"etc/default/docker": 'DOCKER_OPTS="-H tcp://0.0.0.0:2375"\n'})
    assert d.assumed == DEBIAN_UNIT and flags(d) == [("hosts", ["tcp://0.0.0.0:2375"])]
    d = one({"etc/default/docker": 'DOCKER_OPTS="-D"\n', "etc/docker/daemon.json": '{"icc": false}'})
    assert d.config_path == "etc/docker/daemon.json" and flags(d) == [("debug", True)]
    assert d.sources == ["etc/docker/daemon.json", "etc/default/docker"]


def test_etc_default_docker_overrides_the_dropin_of_the_assumed_unit():
    d = one(
        {
            "etc/default/docker": "DOCKER_OPTS=--icc=false\n",
            "etc/systemd/system/docker.service.d/opts.conf": '[Service]\nEnvironment="DOCKER_OPTS=-D"\n',
        }
    )
    assert flags(d) == [("icc", False)]


def test_sysconfig_alone_assumes_the_rhel_units():
    d = one(
        {
            "etc/sysconfig/docker": '# /etc/sysconfig/docker\nother_args="-H tcp://0.0.0.0:4243"\n'
            "OPTIONS=--selinux-enabled\n"
        }
    )
    assert d.assumed == RHEL_UNIT
    assert flags(d) == [("selinux-enabled", True), ("hosts", ["tcp://0.0.0.0:4243"])]


def test_nothing_assumed_without_variables_or_with_a_unit_that_runs_something_else():
    daemons, _ = build({"etc/default/docker": '#DOCKER_OPTS="--dns 8.8.8.8"\n'})
    assert daemons == []
    daemons, _ = build({"x/docker.service.d/limits.conf": "[Service]\nLimitNOFILE=1\n"})
    assert [(d.assumed, d.settings) for d in daemons] == [(None, [])]
    d = one({"docker.service": '[Service]\nEnvironment="DOCKER_OPTS=-D"\nExecStart=/opt/start.sh\n'})
    assert d.assumed is None and d.settings == []


def test_upstream_unit_ignores_etc_default_docker():
    d = one(
        {
            "etc/default/docker": 'DOCKER_OPTS="-H tcp://0.0.0.0:2375"\n',
            "lib/systemd/system/docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H fd://\n",
        }
    )
    assert flags(d) == [("hosts", ["fd://"])] and d.assumed is None
    assert "etc/default/docker" not in d.sources


# -- rootless ------------------------------------------------------------------------------------


def test_rootlesskit_port_forwards():
    d = one(
        {
            "home/u/.config/systemd/user/docker.service": """
        [Service]
        Environment=DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS="-p 0.0.0.0:2376:2376/tcp --publish=127.0.0.1:8080:80"
        ExecStart=/usr/bin/dockerd-rootless.sh -H tcp://0.0.0.0:2376
        """
        }
    )
    assert d.rootless is not None
    got = [(f.host, f.port, f.target_port, f.address.value, pos(f.port_span)[1:]) for f in d.port_forwards]
    assert got == [
        ("0.0.0.0", 2376, 2376, "0.0.0.0:2376:2376/tcp", (2, 60, 2, 64)),
        ("127.0.0.1", 8080, 80, "127.0.0.1:8080:80", (2, 94, 2, 98)),
    ]
    assert pos(d.port_forwards[0].address.span) == ("home/u/.config/systemd/user/docker.service", 2, 52, 2, 73)


def test_forwards_are_read_for_rootless_daemons_only():
    d = one(
        {
            "docker.service": '[Service]\nEnvironment=DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS="-p 2376:2376"\n'
            "ExecStart=/usr/bin/dockerd -H fd://\n"
        }
    )
    assert d.rootless is None and d.port_forwards == []


# -- discovery -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("etc/default/docker", "systemd"),
        ("host/etc/default/docker", "systemd"),
        ("etc/sysconfig/docker", "systemd"),
        ("default/docker", None),
        ("etc/default/docker-ufw", None),
        ("etc/default/docker.bak", None),
        ("etc/docker", None),
    ],
)
def test_environment_files_are_discovered_by_path(path, kind):
    import re

    assert classify_name(path) == kind
    assert bool(re.search(PRE_COMMIT_FILES, path)) == (kind is not None)


def test_explicit_environment_file_is_linted_as_one(tmp_path):
    from helpers import lint_tree, write_tree

    write_tree(tmp_path, {"h/etc/default/docker": 'DOCKER_OPTS="-H tcp://0.0.0.0:2375"\n'})
    result = lint_tree(tmp_path, select=["DD101"], paths=["h/etc/default/docker"])
    assert [(f.span.path, f.span.line, f.span.col) for f in result.findings] == [("h/etc/default/docker", 1, 14)]


def test_environment_file_parser_is_chosen_by_path():
    out = systemd.parse(SourceFile("x/etc/default/docker", "systemd", "DOCKER_OPTS=-D\n"))
    (part,) = out.daemon_parts
    assert isinstance(part, systemd.EnvFilePart)
    assert part.values()["DOCKER_OPTS"].span().col == 13


def test_a_byte_order_mark_is_part_of_the_first_name_as_for_systemd():
    # systemd's env-file reader has no idea of a BOM: its bytes start the first name, which is
    # then not a valid name, and the assignment is dropped when the service starts.
    text = "TLS=--tlsverify\nDOCKER_OPTS=-H tcp://0.0.0.0:2375\n"
    for src in (
        SourceFile("x/etc/default/docker", "systemd", "\ufeff" + text),
        SourceFile("x/etc/default/docker", "systemd", text, raw=RawBytes(bom=True)),
    ):
        out = systemd.parse(src)
        (part,) = out.daemon_parts
        assert sorted(part.values()) == ["DOCKER_OPTS"]
        (note,) = out.problems
        assert "byte-order mark" in note.message and "'TLS'" in note.message and note.span.line == 1


def test_variable_values_split_with_quotes_and_backslashes_but_no_c_escapes():
    d = one(
        {
            "etc/default/docker": (
                """DOCKER_OPTS="--label 'a b' --label c\\\\ d --label e\\\\x20f """
                """--api-cors-header='*'"\n"""
            ),
            "etc/systemd/system/docker.service": DEBIAN_UNIT_TEXT,
        }
    )
    assert flags(d)[1:] == [("labels", ["a b"]), ("labels", ["c d"]), ("labels", ["ex20f"]), ("api-cors-header", "*")]
    label = d.settings[1]
    assert pos(label.value_span) == ("etc/default/docker", 1, 23, 1, 26)  # a b, without its quotes


_ENV_TEXT = st.text(alphabet=st.sampled_from(list("-H tcp:/0.5\"'\\$={}DX")), max_size=40)


@settings(max_examples=200, deadline=None)
@given(_ENV_TEXT, _ENV_TEXT, st.sampled_from(["$X", "${X}", "--label=${X}", "$X ${D}", "-H $X"]))
def test_any_values_expand_without_crashing_and_flags_point_into_the_files(env_value, file_value, words):
    files = {
        "etc/default/docker": f"D={file_value}\n",
        "etc/systemd/system/docker.service": f"[Service]\nEnvironment=X={env_value}\n"
        f"EnvironmentFile=-/etc/default/docker\n"
        f"ExecStart=/usr/bin/dockerd {words}\n",
    }
    try:
        daemons, _ = build(files)
    except ParseError:  # a unit line the parser rejects (an unbalanced quote is not one)
        return
    texts = {p: dedent(t).split("\n") for p, t in files.items()}
    for d in daemons:
        for s in d.settings:
            for span in (s.span, s.value_span):
                assert span.path in texts
                assert 1 <= span.line <= span.end_line <= len(texts[span.path])
