"""Units, drop-ins and environment files are read as systemd reads them (issue 11: no hidden
findings): a file must not mean one thing to systemd and another to dockerlint.

Each case is a file a hostile repository could write so that the daemon systemd starts
listens on TCP without TLS while an earlier reading of dockerlint saw something else (or the
other way round). Facts from systemd's conf-parser.c (config_parse, parse_line), fileio.c
(read_line), env-file.c (parse_env_file_internal), load-fragment.c (config_parse_exec) and
socket-netlink.c (socket_address_parse).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint.core.findings import Result
from dockerlint.models.source import SourceFile
from dockerlint.parsers import systemd
from dockerlint.parsers.errors import ParseError
from helpers import lint

UNIT = "etc/systemd/system/docker.service"
DROPIN = "etc/systemd/system/docker.service.d/override.conf"
BASE = "[Service]\nExecStart=/usr/bin/dockerd -H fd://\n"
EXPOSED = "ExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375"


def found(files: dict[str, str | bytes], *ids: str) -> list[tuple[str, str, int]]:
    result: Result = lint(files, select=list(ids) or ["DD101", "DD000"])
    assert not result.internal_errors, result.internal_errors
    return sorted((f.rule_id, f.span.path, f.span.line) for f in result.findings)


def messages(files: dict[str, str | bytes], rule_id: str = "DD000") -> list[str]:
    return [f.message for f in lint(files, select=[rule_id]).findings if f.rule_id == rule_id]


# -- comments ----------------------------------------------------------------------------------


def test_a_comment_ending_in_a_backslash_does_not_hide_the_next_line() -> None:
    unit = f"[Service]\n# note \\\n{EXPOSED}\n"
    assert found({UNIT: unit}) == [("DD000", UNIT, 2), ("DD101", UNIT, 3)]
    (note,) = messages({UNIT: unit})
    assert "before version 240" in note and "line 3" in note


def test_a_comment_ending_in_a_backslash_before_a_blank_line_is_not_noted() -> None:
    # Older systemd swallows only the blank line: every version reads the unit alike.
    assert found({UNIT: f"[Service]\n# note \\\n\n{EXPOSED}\n"}) == [("DD101", UNIT, 4)]


def test_an_environment_file_comment_ending_in_a_backslash_does_not_hide_the_next_line() -> None:
    env = "# note \\\nDOCKER_OPTS=-H tcp://0.0.0.0:2375\n"
    unit = "[Service]\nEnvironmentFile=-/etc/default/docker\nExecStart=/usr/bin/dockerd $DOCKER_OPTS\n"
    got = found({UNIT: unit, "etc/default/docker": env})
    assert got == [("DD000", "etc/default/docker", 1), ("DD101", "etc/default/docker", 2)]
    (note,) = messages({UNIT: unit, "etc/default/docker": env})
    assert "before version 254" in note and "line 2" in note


def test_a_first_line_behind_a_byte_order_mark_is_not_a_comment() -> None:
    # systemd looks for '#' before it takes the BOM off: this first line is an ordinary line,
    # which the backslash continues onto [Service]; the assignments after it are then outside
    # any section, and systemd ignores them.
    out = systemd.parse(SourceFile(DROPIN, "systemd", f"\ufeff# note \\\n[Service]\nExecStart=\n{EXPOSED}\n"))
    part = out.daemon_parts[0]
    assert part.sections == [] and part.exec_starts == []
    assert [p.span.line for p in out.problems] == [3, 4]


# -- lines systemd ignores, and errors that stop it ------------------------------------------------


def test_a_line_systemd_ignores_does_not_hide_the_rest_of_the_unit() -> None:
    unit = f"[Service]\nExecStart=\n{EXPOSED}\nnot an assignment\n"
    assert found({UNIT: unit}) == [("DD000", UNIT, 4), ("DD101", UNIT, 3)]


def test_a_drop_in_is_read_up_to_the_error_that_stops_systemd() -> None:
    dropin = f"[Service]\nExecStart=\n{EXPOSED}\n[Broken\nExecStart=\nExecStart=/usr/bin/dockerd -H fd://\n"
    assert found({UNIT: BASE, DROPIN: dropin}) == [("DD000", DROPIN, 4), ("DD101", DROPIN, 3)]
    (note,) = messages({UNIT: BASE, DROPIN: dropin})
    assert "systemd ignores the rest of this drop-in" in note


def test_an_exec_start_systemd_cannot_use_stops_a_drop_in() -> None:
    # An invalid escape in a later word is fatal for the line: systemd stops reading there.
    dropin = f"[Service]\nExecStart=\n{EXPOSED}\nExecStart=/bin/echo \\q\nExecStart=\nExecStart=/usr/bin/dockerd\n"
    assert found({UNIT: BASE, DROPIN: dropin}) == [("DD000", DROPIN, 4), ("DD101", DROPIN, 3)]


def test_an_exec_start_systemd_cannot_use_refuses_a_unit() -> None:
    with pytest.raises(ParseError, match="invalid escape"):
        systemd.parse(SourceFile(UNIT, "systemd", f"[Service]\n{EXPOSED} --label=a\\qb\n"))


def test_a_line_of_a_mebibyte_stops_systemd_reading_a_drop_in() -> None:
    long_line = "# " + "x" * systemd.LONG_LINE_MAX
    dropin = f"[Service]\nExecStart=\n{EXPOSED}\nX-Pad={long_line}\nExecStart=\nExecStart=/usr/bin/dockerd\n"
    assert found({UNIT: BASE, DROPIN: dropin}) == [("DD000", DROPIN, 4), ("DD101", DROPIN, 3)]
    with pytest.raises(ParseError, match="1 MiB"):
        systemd.parse(SourceFile(UNIT, "systemd", f"[Service]\nX-Pad={long_line}\n"))
    # Just under the limit, the line is read.
    ok = "X-Pad=" + "x" * (systemd.LONG_LINE_MAX - 7)
    assert systemd.parse(SourceFile(UNIT, "systemd", f"[Service]\n{ok}\n")).problems == []


# -- line ends ------------------------------------------------------------------------------------


def test_a_nul_byte_ends_a_line() -> None:
    pad = "# " + "p" * 9000 + "\n"  # NUL bytes past the first 8 KiB are text to the decoder
    unit = f"[Service]\n{pad}X-Note=x\0{EXPOSED}\n".encode()
    assert found({UNIT: unit}) == [("DD101", UNIT, 3)]


def test_a_nul_byte_ends_an_environment_file() -> None:
    pad = "# " + "p" * 9000 + "\n"
    env = f"{pad}DOCKER_OPTS=-H tcp://0.0.0.0:2375\0 --tlsverify\n".encode()
    unit = "[Service]\nEnvironmentFile=-/etc/default/docker\nExecStart=/usr/bin/dockerd $DOCKER_OPTS\n"
    assert found({UNIT: unit, "etc/default/docker": env}, "DD101") == [("DD101", "etc/default/docker", 2)]


def test_lf_cr_is_one_line_end_for_systemd() -> None:
    # read_line takes "\n\r" as one line end: no empty line ends the continued ExecStart.
    unit = b"[Service]\nExecStart=/usr/bin/dockerd \\\n\r  -H tcp://0.0.0.0:2375\n"
    assert found({UNIT: unit}) == [("DD101", UNIT, 4)]
    # CR LF CR is two: the second CR is a line end of its own, and the line after stands alone.
    unit = b"[Service]\nExecStart=/usr/bin/dockerd \\\r\n\r  -H tcp://0.0.0.0:2375\n"
    assert found({UNIT: unit}) == [("DD000", UNIT, 4)]


def test_a_backslash_before_crlf_in_an_environment_file_escapes_only_the_cr() -> None:
    # env-file.c reads CR and LF as two line ends: the backslash eats the CR, the LF ends the
    # value, and --tlsverify is a line of its own (without '=': ignored).
    env = b"DOCKER_OPTS=-H tcp://0.0.0.0:2375 \\\r\n--tlsverify\r\n"
    unit = "[Service]\nEnvironmentFile=-/etc/default/docker\nExecStart=/usr/bin/dockerd $DOCKER_OPTS\n"
    assert found({UNIT: unit, "etc/default/docker": env}, "DD101") == [("DD101", "etc/default/docker", 1)]


def test_a_lone_cr_ends_an_environment_file_line() -> None:
    values = systemd.parse_env_file("etc/default/docker", "FOO=a\rDOCKER_OPTS=-H tcp://0.0.0.0:2375\n").values()
    assert (values["FOO"].value, values["DOCKER_OPTS"].value) == ("a", "-H tcp://0.0.0.0:2375")


def test_a_utf16_unit_is_not_what_systemd_runs() -> None:
    unit = ("[Service]\n" + EXPOSED + "\n").encode("utf-16")
    assert found({UNIT: unit}) == [("DD000", UNIT, 1)]
    assert "UTF-16" in messages({UNIT: unit})[0]


# -- ExecStart= -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "- /usr/bin/dockerd -H tcp://0.0.0.0:2375",  # "-" alone: an empty program path, ignored
        "--/usr/bin/dockerd -H tcp://0.0.0.0:2375",  # the second '-' is part of a path that is not absolute
        "-usr/bin/dockerd -H tcp://0.0.0.0:2375",
        '-"/usr/bin/dockerd\\x07" -H tcp://0.0.0.0:2375',  # a control character in the program path
    ],
)
def test_commands_systemd_ignores_do_not_run(line: str) -> None:
    out = systemd.parse(SourceFile(UNIT, "systemd", f"[Service]\nExecStart={line}\n"))
    assert out.daemon_parts[0].exec_starts == []
    assert [p.rule_id for p in out.problems] == ["DD000"]


def test_prefixes_are_read_from_the_unquoted_first_word() -> None:
    (cmd,) = (
        systemd.parse(SourceFile(UNIT, "systemd", '[Service]\nExecStart="@/usr/bin/dockerd" dockerd -H fd://\n'))
        .daemon_parts[0]
        .exec_starts
    )
    assert (cmd.prefixes, [w.value for w in cmd.words]) == ("@", ["/usr/bin/dockerd", "-H", "fd://"])
    assert cmd.problems == []


def test_a_lone_semicolon_separates_commands() -> None:
    unit = "[Service]\nType=oneshot\nExecStart=/bin/true ; /usr/bin/dockerd -H tcp://0.0.0.0:2375\n"
    assert found({UNIT: unit}) == [("DD101", UNIT, 3)]
    (true, dockerd) = systemd.parse(SourceFile(UNIT, "systemd", unit)).daemon_parts[0].exec_starts
    assert (true.runs, dockerd.runs) == ("", "dockerd")
    # \; is a literal ';' argument, and a service of another type may run only one command.
    two = "[Service]\nExecStart=/usr/bin/dockerd -H fd:// ; /usr/bin/dockerd -H tcp://0.0.0.0:2375\n"
    assert any("2 ExecStart= commands" in m for m in messages({UNIT: two}))
    (cmd,) = (
        systemd.parse(SourceFile(UNIT, "systemd", "[Service]\nExecStart=/bin/find \\; x\n")).daemon_parts[0].exec_starts
    )
    assert [w.value for w in cmd.words] == ["/bin/find", ";", "x"]


def test_a_oneshot_service_runs_its_first_dockerd_command() -> None:
    unit = f"[Service]\nType=oneshot\n{EXPOSED}\nExecStart=/bin/true\n"
    assert found({UNIT: unit}) == [("DD101", UNIT, 3)]


def test_the_colon_prefix_passes_variables_on_unexpanded() -> None:
    # dockerd then gets the word "$OPTS" and refuses to start: no TCP listener.
    unit = '[Service]\nEnvironment="OPTS=-H tcp://0.0.0.0:2375"\nExecStart=:/usr/bin/dockerd $OPTS\n'
    got = found({UNIT: unit})
    assert got == [("DD000", UNIT, 3)]
    assert "takes no arguments" in messages({UNIT: unit})[0]


# -- specifiers -------------------------------------------------------------------------------------


def test_specifiers_in_exec_start_are_expanded() -> None:
    files = {"etc/systemd/system/runner@dockerd.service": "[Service]\nExecStart=/usr/bin/%i -H tcp://0.0.0.0:2375\n"}
    assert found(files, "DD101") == [("DD101", "etc/systemd/system/runner@dockerd.service", 2)]
    out = systemd.parse(
        SourceFile(
            "docker-tcp.service",
            "systemd",
            "[Service]\nExecStart=/usr/bin/dockerd -H unix://%t/%N.sock --label=%j --label=100%%\n",
        )
    )
    (cmd,) = out.daemon_parts[0].exec_starts
    assert [s.value for s in cmd.settings] == [["unix:///run/docker-tcp.sock"], ["tcp"], ["100%"]]


def test_specifiers_in_environment_file_names_and_environment() -> None:
    unit = (
        "[Service]\nEnvironmentFile=-%E/default/docker\nEnvironment=EXTRA=--label=%n\n"
        "ExecStart=/usr/bin/dockerd $DOCKER_OPTS $EXTRA\n"
    )
    result = lint({UNIT: unit, "etc/default/docker": "DOCKER_OPTS=-H tcp://0.0.0.0:2375\n"}, select=["DD101"])
    assert [(f.rule_id, f.span.path) for f in result.findings] == [("DD101", "etc/default/docker")]


@pytest.mark.parametrize("name", ["-/etc/default/dock*", "-/etc//default/./docker", "/etc/default/[d]ocker"])
def test_environment_file_globs_and_unsimplified_paths(name: str) -> None:
    unit = f"[Service]\nEnvironmentFile={name}\nExecStart=/usr/bin/dockerd $DOCKER_OPTS\n"
    got = found({UNIT: unit, "etc/default/docker": "DOCKER_OPTS=-H tcp://0.0.0.0:2375\n"}, "DD101")
    assert got == [("DD101", "etc/default/docker", 1)]


# -- sockets ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("listen", "host", "port"),
    [
        ("2375", None, 2375),
        ("0x947", None, 2375),  # strtoul with base 0
        ("04507", None, 2375),
        ("0.0.0.0:2375", "0.0.0.0", 2375),
        ("0.0.0.0:2375%eth0", "0.0.0.0", 2375),
        ("[::]:2375", "::", 2375),
        ("[::]:0x947%eth0", "::", 2375),
        ("[%t]:2375", None, None),
        ("99999", None, None),  # not a port: systemd refuses the line
        ("010.0.0.1:2375", None, None),  # inet_pton takes no leading zeros
        ("localhost:2375", None, None),  # no host names
        ("::1", None, None),  # an address without a port
        ("[::1]:2375#name", None, None),
        ("%t/docker.sock", None, None),
        ("vsock:2:2375", None, None),
    ],
)
def test_listen_stream_addresses(listen: str, host: str | None, port: int | None) -> None:
    from dockerlint.parsers.daemon import parse_listen_stream

    part = systemd.parse(SourceFile("docker.socket", "systemd", f"[Socket]\nListenStream={listen}\n")).daemon_parts[0]
    (d,) = part.listen_streams
    lst = parse_listen_stream(d, "docker.socket")
    if port is None:
        assert lst.scheme != "tcp"
    else:
        assert (lst.scheme, lst.host, lst.port) == ("tcp", host, port)
        assert lst.port_span is not None and lst.port_span.line == 2


def test_a_hex_port_socket_is_an_exposed_api() -> None:
    files = {"etc/systemd/system/docker.socket": "[Socket]\nListenStream=0x947\n", UNIT: BASE}
    assert found(files, "DD101") == [("DD101", "etc/systemd/system/docker.socket", 2)]


# -- which files are units of Docker --------------------------------------------------------------


@pytest.mark.parametrize(
    "exec_start",
    [
        "ExecStart=\\\n  /usr/bin/dockerd -H tcp://0.0.0.0:2375",
        "ExecStart=/usr/bin/docker\\x64 -H tcp://0.0.0.0:2375",
        'ExecStart="/usr/bin/docker"d -H tcp://0.0.0.0:2375',
    ],
)
def test_a_unit_is_recognised_as_docker_s_by_what_systemd_reads(exec_start: str) -> None:
    path = "etc/systemd/system/api.service"
    assert found({path: f"[Service]\n{exec_start}\n"}, "DD101") != []


# -- drop-in folders and the files of one unit -----------------------------------------------------


def test_a_socket_routed_to_docker_by_a_drop_in_is_read_with_it() -> None:
    # api.socket alone does not concern Docker; its drop-in routes it to docker.service.
    files = {
        "etc/systemd/system/api.socket": "[Socket]\nListenStream=0.0.0.0:2375\n",
        "etc/systemd/system/api.socket.d/route.conf": "[Socket]\nService=docker.service\n",
        UNIT: BASE,
    }
    assert found(files, "DD101") == [("DD101", "etc/systemd/system/api.socket", 2)]


def test_a_drop_in_of_a_docker_unit_is_read_whatever_it_says() -> None:
    files = {
        "etc/systemd/system/myd.service": "[Service]\nExecStart=/usr/bin/dockerd $EXTRA\n",
        "etc/systemd/system/myd.service.d/env.conf": '[Service]\nEnvironment="EXTRA=-H tcp://0.0.0.0:2375"\n',
    }
    assert found(files, "DD101") == [("DD101", "etc/systemd/system/myd.service.d/env.conf", 2)]


def test_drop_ins_for_every_unit_of_a_type_apply_to_docker_s() -> None:
    files = {UNIT: BASE, "etc/systemd/system/service.d/10-all.conf": f"[Service]\nExecStart=\n{EXPOSED}\n"}
    assert found(files, "DD101") == [("DD101", "etc/systemd/system/service.d/10-all.conf", 3)]
    files = {
        UNIT: BASE,
        "etc/systemd/system/docker.socket": "[Socket]\nListenStream=/run/docker.sock\n",
        "etc/systemd/system/socket.d/10-all.conf": "[Socket]\nListenStream=2375\n",
    }
    assert found(files, "DD101") == [("DD101", "etc/systemd/system/socket.d/10-all.conf", 2)]
    # Alone, such a drop-in is nobody's: it makes no daemon.
    assert found({"etc/systemd/system/socket.d/10-all.conf": "[Socket]\nListenStream=2375\n"}, "DD101") == []


def test_a_dash_prefix_drop_in_applies_to_the_units_it_prefixes() -> None:
    files = {
        "etc/systemd/system/docker-tcp.socket": "[Socket]\nListenStream=0.0.0.0:2375\nService=docker.service\n",
        "etc/systemd/system/docker-.socket.d/local.conf": "[Socket]\nListenStream=\nListenStream=/run/d.sock\n",
        UNIT: BASE,
    }
    assert found(files, "DD101") == []


@pytest.mark.parametrize(
    ("folder", "unit", "rank"),
    [
        ("docker.service", "docker.service", 3),
        ("docker@.service", "docker@2375.service", 2),
        ("docker-.service", "docker-ce.service", 1),
        ("docker-ce-.service", "docker-ce-rootless.service", 1),
        ("service", "docker.service", 0),
        ("docker-.service", "docker.service", None),
        ("docker-.service", "docker-.service", 3),
        ("socket", "docker.service", None),
        ("docker.service", "docker.socket", None),
    ],
)
def test_which_drop_in_folders_apply_to_a_unit(folder: str, unit: str, rank: int | None) -> None:
    from dockerlint.parsers.daemon import dropin_specificity

    assert dropin_specificity(folder, unit) == rank


def test_a_same_named_drop_in_in_a_more_specific_folder_wins() -> None:
    files = {
        UNIT: BASE,
        "etc/systemd/system/service.d/10-x.conf": f"[Service]\nExecStart=\n{EXPOSED}\n",
        "etc/systemd/system/docker.service.d/10-x.conf": "[Service]\nType=notify\n",
    }
    assert found(files, "DD101") == []


def test_a_drop_in_for_a_whole_type_yields_to_a_same_named_one_anywhere() -> None:
    # dropin.c looks in the unit's own folders in every unit path before the type's folders.
    files = {
        UNIT: BASE,
        "etc/systemd/system/service.d/10-x.conf": f"[Service]\nExecStart=\n{EXPOSED}\n",
        "usr/lib/systemd/system/docker.service.d/10-x.conf": "[Service]\nType=notify\n",
    }
    assert found(files, "DD101") == []
    files = {
        UNIT: BASE,
        "etc/systemd/system/docker.service.d/10-x.conf": f"[Service]\nExecStart=\n{EXPOSED}\n",
        "usr/lib/systemd/system/docker.service.d/10-x.conf": "[Service]\nType=notify\n",
    }
    assert found(files, "DD101") == [("DD101", "etc/systemd/system/docker.service.d/10-x.conf", 3)]


# -- any bytes ------------------------------------------------------------------------------------

_PAD = "#" * 8200 + "\n"  # NUL bytes past the first 8 KiB are text to the decoder
_ALPHABET = list("[]=#;\\\"' \t\n\r\0abcServiceExecStart-H:/$%{}@|+!nNpit\u00e9\ufeff") + ["ListenStream=", "\\x"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_ALPHABET), max_size=80).map("".join),
    st.sampled_from([UNIT, DROPIN, "etc/default/docker", "etc/systemd/system/docker.socket"]),
    st.sampled_from(["", "\ufeff"]),
)
def test_any_bytes_read_as_systemd_reads_them_never_crash(text: str, path: str, bom: str) -> None:
    from dockerlint.core.reading import decode, raw_bytes

    data = (bom + _PAD + text).encode("utf-8")
    decoded = decode(data).replace("\r", "\n")
    src = SourceFile(path, "systemd", decoded, raw=raw_bytes(data))
    lines = decoded.split("\n")
    try:
        out = systemd.parse(src)
    except ParseError as exc:
        assert 1 <= exc.line <= len(lines)
        return
    spans = [p.span for p in out.problems]
    for part in out.daemon_parts:
        if isinstance(part, systemd.UnitPart):
            spans += [d.span for s in part.sections for d in s.directives]
            spans += [w.lstr.span for c in part.exec_starts for w in c.words]
        else:
            spans += [a.span() for a in part.assignments]
    for span in spans:
        assert 1 <= span.line <= span.end_line <= len(lines), (span, len(lines))
        if span.line == span.end_line:
            assert 1 <= span.col < span.end_col <= len(lines[span.line - 1]) + 2
    for c in out.comments:
        assert lines[c.line - 1][c.col - 1] in "#;"


# -- the environment a command is expanded with --------------------------------------------------


def test_unset_environment_applies_before_the_command_is_expanded() -> None:
    unit = (
        '[Service]\nEnvironment="HOST=-H tcp://0.0.0.0:2375" "TLS=--tlsverify --tlscacert=/ca.pem '
        '--tlscert=/c.pem --tlskey=/k.pem"\nUnsetEnvironment=TLS\nExecStart=/usr/bin/dockerd $HOST $TLS\n'
    )
    assert found({UNIT: unit}, "DD101") == [("DD101", UNIT, 2)]
    # A NAME=value only unsets the variable when the value matches; an empty line resets the list.
    for unset in ("UnsetEnvironment=TLS=other", "UnsetEnvironment=TLS\nUnsetEnvironment="):
        assert found({UNIT: unit.replace("UnsetEnvironment=TLS", unset)}, "DD101") == []


def test_a_passed_variable_is_unknown_not_unset() -> None:
    # PassEnvironment= takes DOCKER_OPTS from the service manager: its value is not in the scan.
    from test_daemon_model import one

    unit = (
        "[Service]\nEnvironmentFile=-/etc/default/docker\nPassEnvironment=DOCKER_OPTS\n"
        "ExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS\n"
    )
    d = one({UNIT: unit, "etc/default/docker": "OTHER=1\n"})
    assert [u.value for u in d.unresolved] == ["$DOCKER_OPTS"]
    assert (
        one({UNIT: unit.replace("PassEnvironment=DOCKER_OPTS\n", ""), "etc/default/docker": "OTHER=1\n"}).unresolved
        == []
    )


def test_comments_after_the_point_where_systemd_stops_do_not_suppress() -> None:
    hide = "# dockerlint: ignore-file[DD101] reviewed (SEC-1)\n"
    dropin = f"[Service]\nExecStart=\n{EXPOSED}\n[Broken\n{hide}"
    assert found({UNIT: BASE, DROPIN: dropin}, "DD101") == [("DD000", DROPIN, 4), ("DD101", DROPIN, 3)]
    assert found({UNIT: BASE, DROPIN: hide + dropin}, "DD101") == [("DD000", DROPIN, 5)]


def test_names_of_sections_and_keys_are_case_sensitive_and_blanks_around_equals_do_not_matter() -> None:
    for unit in (f"[service]\n{EXPOSED}\n", f"[Service]\n{EXPOSED.replace('ExecStart', 'execstart')}\n"):
        assert systemd.parse(SourceFile(UNIT, "systemd", unit)).daemon_parts[0].exec_starts == []
    out = systemd.parse(SourceFile(UNIT, "systemd", f"  [Service]  \n\t{EXPOSED.replace('=', '  = ', 1)}\t\n"))
    assert [c.listeners[0].port for c in out.daemon_parts[0].exec_starts] == [2375]
