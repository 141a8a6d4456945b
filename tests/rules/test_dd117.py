"""DD117 no-authorization-plugin (off by default; selected by id in tests)."""

from __future__ import annotations

from helpers import check, lint


def test_off_by_default():
    result = lint({"daemon.json": '{"debug": true}'}, select=[])
    assert not [f for f in result.findings if f.rule_id == "DD117"]


def test_missing_fires_at_line_1():
    check("DD117", {"daemon.json": '{\n  "debug": true\n}'}, expect=[(1, 1, "loads no authorization plugin")])


def test_plugins_in_file_or_flag_are_clean():
    check("DD117", {"daemon.json": '{"authorization-plugins": ["opa-docker-authz"]}'}, expect=[])
    check("DD117", {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --authorization-plugin=opa\n"}, expect=[])


def test_empty_list_points_at_the_key():
    check("DD117", {"daemon.json": '{\n  "authorization-plugins": []\n}'}, expect=[(2, 3, "is empty")])


def test_singular_key_is_named_in_the_message():
    check(
        "DD117",
        {"daemon.json": '{\n  "authorization-plugin": ["opa"]\n}'},
        expect=[(1, 1, "(authorization-plugin on line 2 is ignored)")],
    )


def test_socket_only_is_not_judged():
    check("DD117", {"docker.socket": "[Socket]\nListenStream=/run/docker.sock\nSocketMode=0660\n"}, expect=[])
