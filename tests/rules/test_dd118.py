"""DD118 logging-not-centralized (off by default; selected by id in tests)."""

from __future__ import annotations

import pytest

from helpers import check


def test_unset_fires_at_line_1():
    check("DD118", {"daemon.json": '{\n  "debug": true\n}'}, expect=[(1, 1, "sets no log-driver")])


@pytest.mark.parametrize("driver", ["json-file", "local", "none"])
def test_local_drivers_point_at_the_value(driver):
    check("DD118", {"daemon.json": f'{{\n  "log-driver": "{driver}"\n}}'}, expect=[(2, 17, f'"{driver}"')])


def test_flag_value():
    check(
        "DD118",
        {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --log-driver=local\n"},
        expect=[(2, 41, "--log-driver=local keeps container logs on the host only")],
    )


@pytest.mark.parametrize("driver", ["syslog", "fluentd", "gelf", "journald", "awslogs", "splunk"])
def test_remote_drivers_are_clean(driver):
    check("DD118", {"daemon.json": f'{{"log-driver": "{driver}"}}'}, expect=[])


def test_socket_only_is_not_judged():
    check("DD118", {"docker.socket": "[Socket]\nListenStream=/run/docker.sock\nSocketMode=0660\n"}, expect=[])
