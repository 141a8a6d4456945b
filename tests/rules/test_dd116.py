"""DD116 daemon-seccomp-unconfined."""

from __future__ import annotations

from helpers import check


def test_file_points_at_the_value():
    check(
        "DD116",
        {"daemon.json": '{\n  "seccomp-profile": "unconfined"\n}'},
        expect=[(2, 22, "turns seccomp off for every container")],
    )


def test_flag_points_at_the_value():
    check(
        "DD116",
        {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --seccomp-profile=unconfined\n"},
        expect=[(2, 46)],
    )
    check(
        "DD116",
        {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --seccomp-profile unconfined\n"},
        expect=[(2, 46)],
    )


def test_builtin_custom_and_other_spellings_are_clean():
    check("DD116", {"daemon.json": '{"seccomp-profile": "builtin"}'}, expect=[])
    check("DD116", {"daemon.json": '{"seccomp-profile": "/etc/docker/seccomp.json"}'}, expect=[])
    # dockerd compares exactly: "Unconfined" is read as a file path (and fails), not as unconfined
    check("DD116", {"daemon.json": '{"seccomp-profile": "Unconfined"}'}, expect=[])
