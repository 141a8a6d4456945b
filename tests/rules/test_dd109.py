"""DD109 live-restore-disabled."""

from __future__ import annotations

from helpers import check


def test_unset_fires_at_line_1_of_the_service_without_daemon_json():
    check(
        "DD109",
        {"lib/systemd/system/docker.service": "[Unit]\nDescription=x\n\n[Service]\nExecStart=/usr/bin/dockerd\n"},
        expect=[("lib/systemd/system/docker.service", 1, 1, "does not enable live-restore")],
    )


def test_enabled_in_file_or_flag_is_clean():
    check("DD109", {"daemon.json": '{"live-restore": true}'}, expect=[])
    check("DD109", {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --live-restore\n"}, expect=[])


def test_explicit_false():
    check(
        "DD109", {"daemon.json": '{"debug": true,\n "live-restore": false}'}, expect=[(2, 2, '"live-restore": false')]
    )


def test_socket_only_is_not_judged():
    check("DD109", {"docker.socket": "[Socket]\nListenStream=/run/docker.sock\nSocketMode=0660\n"}, expect=[])
