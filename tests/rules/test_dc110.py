"""DC110 dangerous-capability."""

from __future__ import annotations

import pytest

from helpers import check


def test_each_item_with_its_severity() -> None:
    got = check(
        "DC110",
        """
        services:
          vpn:
            image: linuxserver/wireguard:1.0.20210914
            cap_add:
              - NET_ADMIN
              - SYS_MODULE
              - CHOWN
        """,
        expect=[(5, 9, "adds capability NET_ADMIN"), (6, 9, "adds capability SYS_MODULE")],
        name="compose.yaml",
    )
    assert [f.severity.value for f in got] == ["high", "critical"]


@pytest.mark.parametrize(
    ("cap", "severity"),
    [
        ("ALL", "critical"),
        ("all", "critical"),
        ("SYS_ADMIN", "critical"),
        ("CAP_SYS_ADMIN", "critical"),
        ("cap_sys_admin", "critical"),
        ("SYS_RAWIO", "critical"),
        ("SYS_PTRACE", "medium"),
        ("DAC_READ_SEARCH", "high"),
        ("BPF", "high"),
        ("PERFMON", "high"),
        ("SYS_TIME", "high"),
        ("SYS_BOOT", "high"),
        ("MAC_ADMIN", "high"),
        ("MAC_OVERRIDE", "high"),
        ("SYSLOG", "high"),
        ("AUDIT_CONTROL", "high"),
        (" net_admin ", "high"),
    ],
)
def test_dangerous_capabilities(cap: str, severity: str) -> None:
    got = check("DC110", f"services:\n  a:\n    cap_add: ['{cap}']\n", expect=[(3, 15)], name="compose.yaml")
    assert got[0].severity.value == severity


@pytest.mark.parametrize(
    "cap",
    [
        "NET_RAW",
        "NET_BIND_SERVICE",
        "DAC_OVERRIDE",
        "SETFCAP",
        "CHOWN",
        "SYS_NICE",
        "IPC_LOCK",
        "SYS_RESOURCE",
        "CAP_NET_BIND_SERVICE",
    ],
)
def test_default_and_harmless_capabilities_are_clean(cap: str) -> None:
    check("DC110", f"services:\n  a:\n    cap_add: [{cap}]\n", expect=[], name="compose.yaml")


def test_cap_drop_is_not_read() -> None:
    check("DC110", "services:\n  a:\n    cap_drop: [ALL, SYS_ADMIN]\n", expect=[], name="compose.yaml")


def test_anchor() -> None:
    check(
        "DC110",
        """
        x-caps: &caps
          - SYS_PTRACE
        services:
          debugger:
            cap_add: *caps
        """,
        expect=[(2, 5, "SYS_PTRACE")],
        name="compose.yaml",
    )


# -- SYS_PTRACE and NET_ADMIN are said of the namespaces the container shares (issue 12 D) ----


@pytest.mark.parametrize(
    ("extra", "severity", "part"),
    [
        ("pid: host", "high", "inject code into the host's processes (pid: host, unless AppArmor stops it)"),
        (
            "pid: host\n    security_opt: ['apparmor:unconfined']",
            "high",
            "inject code into the host's processes (pid: host)",
        ),
        ('pid: "service:app"', "high", "inject code into the processes of pid: 'service:app'"),
        ("image: example/debug:1.0.0", "medium", "inject code into its own container's processes"),
    ],
)
def test_sys_ptrace_reaches_what_it_shares(extra: str, severity: str, part: str) -> None:
    got = check(
        "DC110",
        f"services:\n  a:\n    cap_add: [SYS_PTRACE]\n    {extra}\n",
        expect=[(3, 15, part)],
        name="compose.yaml",
    )
    assert got[0].severity.value == severity


@pytest.mark.parametrize(
    ("extra", "part"),
    [
        ("network_mode: host", "reconfigure the host's interfaces, routes and firewall (network_mode: host)"),
        (
            'network_mode: "service:vpn"',
            "reconfigure the network of 'service:vpn' and reach the kernel's nf_tables code",
        ),
        ("image: ghcr.io/wg-easy/wg-easy:14", "reconfigure its own network and reach the kernel's nf_tables code"),
    ],
)
def test_net_admin_reconfigures_what_it_shares(extra: str, part: str) -> None:
    got = check(
        "DC110",
        f"services:\n  a:\n    cap_add: [NET_ADMIN]\n    {extra}\n",
        expect=[(3, 15, part)],
        name="compose.yaml",
    )
    assert got[0].severity.value == "high"
    assert ("nf_tables" in got[0].message) == ("host" not in extra)


def test_command_line_host_pid_and_ptrace() -> None:
    got = check(
        "DC110",
        {"debug.sh": "#!/bin/sh\ndocker run --rm -it --pid=host --cap-add SYS_PTRACE nicolaka/netshoot:v0.13\n"},
        expect=[("debug.sh", 2, 42, "the host's processes (--pid host")],
    )
    assert got[0].severity.value == "high"
