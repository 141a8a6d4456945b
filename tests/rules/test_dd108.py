"""DD108 no-new-privileges-default-off."""

from __future__ import annotations

from helpers import check


def test_unset_fires_at_line_1():
    check("DD108", {"daemon.json": '{\n  "icc": false\n}'}, expect=[(1, 1, "does not set no-new-privileges")])


def test_true_is_clean():
    check("DD108", {"daemon.json": '{"no-new-privileges": true}'}, expect=[])
    check("DD108", {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --no-new-privileges\n"}, expect=[])


def test_false_points_at_the_key_or_the_flag():
    check(
        "DD108",
        {"daemon.json": '{\n  "no-new-privileges": false\n}'},
        expect=[(2, 3, '"no-new-privileges": false leaves')],
    )
    check(
        "DD108",
        {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --no-new-privileges=false\n"},
        expect=[(2, 28, "--no-new-privileges=false leaves")],
    )


def test_socket_only_is_not_judged():
    check("DD108", {"docker.socket": "[Socket]\nListenStream=/run/docker.sock\nSocketMode=0660\n"}, expect=[])
