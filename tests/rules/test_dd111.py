"""DD111 experimental-enabled."""

from __future__ import annotations

from helpers import check


def test_key_true_points_at_the_key():
    check(
        "DD111",
        {"daemon.json": '{\n  "ipv6": true,\n  "experimental": true\n}'},
        expect=[(3, 3, '"experimental": true turns on')],
    )


def test_flag_forms():
    check(
        "DD111",
        {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd -H fd:// --experimental\n"},
        expect=[(2, 37, "--experimental turns on")],
    )
    check(
        "DD111",
        {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --experimental=true\n"},
        expect=[(2, 28, "--experimental=true turns on")],
    )


def test_rootless_is_still_reported_with_a_note():
    check(
        "DD111",
        {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd-rootless.sh --experimental\n"},
        expect=[(2, 40, "rootless needs it only before Docker 20.10")],
    )


def test_unset_or_false_is_clean():
    check("DD111", {"daemon.json": '{"experimental": false}'}, expect=[])
    check("DD111", {"daemon.json": '{"debug": true}'}, expect=[])
    check("DD111", {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --experimental=false\n"}, expect=[])
