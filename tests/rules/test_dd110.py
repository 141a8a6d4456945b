"""DD110 userland-proxy-enabled."""

from __future__ import annotations

from helpers import check


def test_unset_fires_at_line_1():
    check("DD110", {"daemon.json": '{\n  "icc": false\n}'}, expect=[(1, 1, "leaves userland-proxy at its default")])


def test_disabled_is_clean():
    check("DD110", {"daemon.json": '{"userland-proxy": false}'}, expect=[])
    check("DD110", {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --userland-proxy=false\n"}, expect=[])


def test_explicit_true_points_at_the_flag():
    check(
        "DD110",
        {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --userland-proxy=true\n"},
        expect=[(2, 28, "--userland-proxy=true runs a root docker-proxy")],
    )


def test_rootless_daemons_cannot_turn_it_off():
    check("DD110", {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd-rootless.sh\n"}, expect=[])
    check("DD110", {"home/me/.config/docker/daemon.json": '{"debug": true}'}, expect=[])


def test_socket_only_is_not_judged():
    check("DD110", {"docker.socket": "[Socket]\nListenStream=/run/docker.sock\nSocketMode=0660\n"}, expect=[])


def test_with_iptables_off_the_proxy_is_the_only_way_to_a_published_port():
    # No NAT rules without iptables: turning the proxy off would leave published ports dead,
    # so CIS 2.16 ("where hairpin NAT is available") does not apply.
    check("DD110", {"daemon.json": '{\n    "iptables": false,\n    "ip": "127.0.0.1"\n}\n'}, expect=[])
    check("DD110", {"daemon.json": '{"iptables": false, "userland-proxy": true}'}, expect=[])
    check("DD110", {"docker.service": "[Service]\nExecStart=/usr/bin/dockerd --iptables=false\n"}, expect=[])
    # iptables on (explicitly or by default): still judged
    check("DD110", {"daemon.json": '{"iptables": true}'}, expect=[(1, 1, "leaves userland-proxy at its default")])
    check("DD110", {"daemon.json": '{"iptables": "no"}'}, expect=[(1, 1, "leaves userland-proxy at its default")])
