"""DC110 dangerous-capability."""

from __future__ import annotations

import pytest

from helpers import check


def test_each_item_with_its_severity() -> None:
    got = check("DC110", """
        services:
          vpn:
            image: linuxserver/wireguard:1.0.20210914
            cap_add:
              - NET_ADMIN
              - SYS_MODULE
              - CHOWN
        """, expect=[(5, 9, "adds capability NET_ADMIN"), (6, 9, "adds capability SYS_MODULE")],
        name="compose.yaml")
    assert [f.severity.value for f in got] == ["high", "critical"]


@pytest.mark.parametrize(("cap", "severity"), [
    ("ALL", "critical"), ("all", "critical"), ("SYS_ADMIN", "critical"), ("CAP_SYS_ADMIN", "critical"),
    ("cap_sys_admin", "critical"), ("SYS_RAWIO", "critical"), ("SYS_PTRACE", "high"),
    ("DAC_READ_SEARCH", "high"), ("BPF", "high"), ("PERFMON", "high"), ("SYS_TIME", "high"),
    ("SYS_BOOT", "high"), ("MAC_ADMIN", "high"), ("MAC_OVERRIDE", "high"), ("SYSLOG", "high"),
    ("AUDIT_CONTROL", "high"), (" net_admin ", "high"),
])
def test_dangerous_capabilities(cap: str, severity: str) -> None:
    got = check("DC110", f"services:\n  a:\n    cap_add: ['{cap}']\n", expect=[(3, 15)], name="compose.yaml")
    assert got[0].severity.value == severity


@pytest.mark.parametrize("cap", ["NET_RAW", "NET_BIND_SERVICE", "DAC_OVERRIDE", "SETFCAP", "CHOWN",
                                 "SYS_NICE", "IPC_LOCK", "SYS_RESOURCE", "CAP_NET_BIND_SERVICE"])
def test_default_and_harmless_capabilities_are_clean(cap: str) -> None:
    check("DC110", f"services:\n  a:\n    cap_add: [{cap}]\n", expect=[], name="compose.yaml")


def test_cap_drop_is_not_read() -> None:
    check("DC110", "services:\n  a:\n    cap_drop: [ALL, SYS_ADMIN]\n", expect=[], name="compose.yaml")


def test_anchor() -> None:
    check("DC110", """
        x-caps: &caps
          - SYS_PTRACE
        services:
          debugger:
            cap_add: *caps
        """, expect=[(2, 5, "SYS_PTRACE")], name="compose.yaml")
