"""DD112 unknown-or-ignored-daemon-key: dockerd's key check, replayed."""

from __future__ import annotations

import pytest

from helpers import check, findings


def _severities(rule_files):
    return [f.severity.value for f in findings("DD112", rule_files)]


def test_unknown_key_with_did_you_mean():
    check(
        "DD112",
        {"daemon.json": '{\n  "debugg": true,\n  "Live-Restore": true,\n  "zzz": 1\n}'},
        expect=[
            (2, 3, "did you mean 'debug'?"),
            (3, 3, "did you mean 'live-restore'?"),
            (4, 3, "'zzz' is not a daemon.json option: dockerd refuses to start"),
        ],
    )


@pytest.mark.parametrize(
    ("key", "plural"),
    [
        ("label", "labels"),
        ("host", "hosts"),
        ("insecure-registry", "insecure-registries"),
        ("registry-mirror", "registry-mirrors"),
        ("authorization-plugin", "authorization-plugins"),
        ("storage-opt", "storage-opts"),
        ("exec-opt", "exec-opts"),
        ("dns-opt", "dns-opts"),
    ],
)
def test_singular_flag_names_are_silently_ignored(key, plural):
    got = check("DD112", {"daemon.json": f'{{\n  "{key}": ["x"]\n}}'}, expect=[(2, 3, f"reads '{plural}'; rename it")])
    assert got[0].severity.value == "medium"


def test_singular_keys_holding_objects_are_flattened_and_rejected():
    check(
        "DD112",
        {"daemon.json": '{"log-opt": {"max-size": "10m"}, "default-ulimit": {"nofile": {}}}'},
        expect=[(1, 2, "'max-size' inside is none either"), (1, 34, "rename it to 'default-ulimits'")],
    )
    check("DD112", {"daemon.json": '{"add-runtime": {"debug": true}}'}, expect=[(1, 2, "rename it to 'runtimes'")])


def test_authorization_plugin_consequence():
    check(
        "DD112",
        {"daemon.json": '{"authorization-plugin": ["opa"]}'},
        expect=[(1, 2, "(no authorization plugin is loaded)")],
    )


@pytest.mark.parametrize(
    ("key", "version", "use"),
    [
        ("graph", "23.0", "use data-root instead"),
        ("cluster-store", "23.0", "Swarm mode"),
        ("cluster-advertise", "23.0", ""),
        ("oom-score-adjust", "25.0", "OOMScoreAdjust="),
        ("api-cors-header", "28.0", "reverse proxy"),
        ("disable-legacy-registry", "19.03", ""),
    ],
)
def test_removed_keys_name_the_version(key, version, use):
    value = "true" if key == "disable-legacy-registry" else ("-500" if key == "oom-score-adjust" else '"x"')
    got = check(
        "DD112",
        {"daemon.json": f'{{\n  "{key}": {value}\n}}'},
        expect=[(2, 3, f"was removed in Docker {version}: dockerd refuses to start")],
    )
    assert use in got[0].message
    assert got[0].severity.value == "error"


def test_no_op_key_is_medium():
    got = check(
        "DD112",
        {"daemon.json": '{"allow-nondistributable-artifacts": ["r.lan"]}'},
        expect=[(1, 2, "has had no effect since Docker 28.0")],
    )
    assert got[0].severity.value == "medium"


@pytest.mark.parametrize(
    "key",
    [
        "default-init",
        "resolv-conf",
        "swarm-raft-heartbeat-tick",
        "swarm-raft-election-tick",
        "containerd-plugin-namespace",
    ],
)
def test_go_fields_without_a_flag_are_rejected(key):
    check("DD112", {"daemon.json": f'{{"{key}": "x"}}'}, expect=[(1, 2, "is not accepted in daemon.json")])


def test_flag_only_and_misread_keys_are_ignored():
    check(
        "DD112",
        {
            "daemon.json": """
        {
          "containerd-plugins-namespace": "plugins.moby",
          "http-proxy": "http://proxy:3128",
          "config-file": "/etc/docker/other.json"
        }
        """
        },
        expect=[
            (2, 3, "set the --containerd-plugins-namespace flag instead"),
            (3, 3, 'write "proxies": {"http-proxy": ...}'),
            (4, 3, "--config-file is a command-line flag only"),
        ],
    )


def test_unknown_object_is_flattened():
    # accepted (the inner key names a flag) but ignored as a whole
    got = check(
        "DD112", {"daemon.json": '{\n  "x": {"debug": true}\n}'}, expect=[(2, 3, "dockerd ignores the whole object")]
    )
    assert got[0].severity.value == "medium"
    # rejected for the keys inside
    check(
        "DD112",
        {"daemon.json": '{\n  "tls-settings": {"verify": true, "foo": 1}\n}'},
        expect=[(2, 3, "'verify', 'foo' inside are none either")],
    )


def test_proxies_children():
    check(
        "DD112",
        {
            "daemon.json": """
        {
          "proxies": {
            "http-proxy": "http://p:3128",
            "no_proxy": "localhost",
            "debug": true
          }
        }
        """
        },
        expect=[(4, 5, "did you mean 'no-proxy'?"), (5, 5, "'debug' inside 'proxies' is ignored")],
    )


def test_builder_fields_are_checked_as_a_struct():
    check(
        "DD112",
        {
            "daemon.json": """
        {
          "builder": {
            "gc": {"enabled": true, "whatever": 1},
            "entitlement": {"security-insecure": true},
            "entitlements": {"network-hosts": false, "device": true}
          }
        }
        """
        },
        expect=[(4, 5, "'builder.entitlement' is ignored"), (5, 22, "did you mean 'network-host'?")],
    )


def test_maps_are_not_checked():
    check(
        "DD112",
        {
            "daemon.json": """
        {
          "log-opts": {"max-size": "10m", "anything": "goes"},
          "runtimes": {"crun": {"path": "/usr/bin/crun"}},
          "default-ulimits": {"nofile": {"Name": "nofile", "Soft": 1, "Hard": 2}},
          "features": {"containerd-snapshotter": true},
          "default-network-opts": {"bridge": {"com.docker.network.driver.mtu": "1400"}}
        }
        """
        },
        expect=[],
    )


def test_every_documented_key_is_clean():
    body = ", ".join(
        f'"{k}": null'
        for k in [
            "hosts",
            "tls",
            "tlsverify",
            "labels",
            "userns-remap",
            "icc",
            "min-api-version",
            "host-gateway-ip",
            "network-control-plane-mtu",
            "default-stop-timeout",
            "cdi-spec-dirs",
            "nri-opts",
            "bip6",
        ]
    )
    check("DD112", {"daemon.json": "{" + body + "}"}, expect=[])


def test_flags_unknown_removed_and_plural():
    check(
        "DD112",
        {
            "docker.service": """
        [Service]
        ExecStart=/usr/bin/dockerd -H fd:// \\
          --tlsverfy \\
          --labels=env=prod \\
          --graph=/srv/docker -g /srv/docker \\
          --oom-score-adjust=-500
        """
        },
        expect=[
            (3, 3, "did you mean --tlsverify?"),
            (4, 3, "did you mean --label?"),
            (5, 3, "--graph was removed in Docker 23.0"),
            (5, 23, "-g (--graph) was removed"),
            (6, 3, "--oom-score-adjust was removed in Docker 25.0: dockerd refuses to start"),
        ],
    )


def test_known_flags_are_clean():
    check(
        "DD112",
        {
            "docker.service": """
        [Service]
        ExecStart=/usr/bin/dockerd -H fd:// -D -G docker -l info --containerd=/run/containerd/containerd.sock \\
          --label a=b --insecure-registry r.lan --add-runtime crun=/usr/bin/crun --config-file /etc/docker/d.json \\
          --http-proxy http://p --default-ulimit nofile=1024:2048 --log-opt max-size=10m --feature cdi=true
        """
        },
        expect=[],
    )


def test_socket_and_rootless_units_are_clean():
    check(
        "DD112",
        {
            "docker.socket": "[Socket]\nListenStream=/run/docker.sock\nSocketMode=0660\n",
            "docker.service": "[Service]\nExecStart=/usr/bin/dockerd-rootless.sh --experimental\n",
        },
        expect=[],
    )


def test_severity_split():
    assert _severities({"daemon.json": '{"label": [], "debugg": true}'}) == ["medium", "error"]


def test_parser_exposes_nested_members_and_items_with_spans():
    from dockerlint.models.source import SourceFile
    from dockerlint.parsers import daemon_json

    text = '{\n  "proxies": {"http-proxy": "http://p"},\n  "dns": ["1.1.1.1", "9.9.9.9"]\n}\n'
    part = daemon_json.parse(SourceFile("daemon.json", "daemon", text)).daemon_parts[0]
    proxies, dns = part.settings
    (child,) = proxies.members
    assert (child.key, child.span.line, child.span.col, child.value_span.col) == ("http-proxy", 2, 15, 29)
    assert [(i.value, i.span.line, i.span.col, i.span.end_col) for i in dns.items] == [
        ("1.1.1.1", 3, 11, 20),
        ("9.9.9.9", 3, 22, 31),
    ]
    assert proxies.items == [] and dns.members == []
