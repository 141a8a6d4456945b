"""DC108 host-pid."""

from __future__ import annotations

import pytest

from helpers import check


def test_pid_host_points_at_the_value() -> None:
    check(
        "DC108",
        """
        services:
          falco:
            image: falcosecurity/falco:0.38.1
            pid: host
        """,
        expect=[(4, 10, "service 'falco' shares the host's process namespace")],
        name="compose.yaml",
    )


@pytest.mark.parametrize("value", ['"host"', "HOST", '"${PID_MODE:-host}"'])
def test_spellings(value: str) -> None:
    check("DC108", f"services:\n  a:\n    pid: {value}\n", expect=[(3, 10)], name="compose.yaml")


@pytest.mark.parametrize("value", ['"service:app"', '"container:abc"', "private", '"${PID_MODE}"'])
def test_other_values_are_clean(value: str) -> None:
    check("DC108", f"services:\n  a:\n    pid: {value}\n", expect=[], name="compose.yaml")


# -- the message says what the container can do, as far as the file says (issue 12 D) -------


def test_plain_pid_host_does_not_claim_a_host_shell() -> None:
    got = check(
        "DC108",
        """
        services:
          glances:
            image: nicolargo/glances:4.5.4
            pid: host
            read_only: true
        """,
        expect=[(4, 10, "service 'glances' shares the host's process namespace (pid 'host')")],
        name="compose.yaml",
    )
    msg = got[0].message
    # what else it could do is the rule page's; the message names only what the file gives it
    assert msg == "service 'glances' shares the host's process namespace (pid 'host')"
    assert "shell" not in msg


def test_ptrace_admin_and_apparmor_off_is_a_host_shell() -> None:
    got = check(
        "DC108",
        """
        services:
          netdata:
            image: netdata/netdata:v2.11.0
            pid: host
            cap_add:
              - SYS_PTRACE
              - CAP_SYS_ADMIN
            security_opt:
              - apparmor:unconfined
        """,
        expect=[(4, 10)],
        name="compose.yaml",
    )
    msg = got[0].message
    assert msg.endswith("(pid 'host'); SYS_PTRACE+SYS_ADMIN, AppArmor off: a host shell (nsenter -t 1 -a)")


def test_ptrace_and_admin_under_apparmor_is_hedged() -> None:
    got = check(
        "DC108",
        """
        services:
          agent:
            image: example/agent:1.2.0
            pid: host
            cap_add: [SYS_PTRACE, SYS_ADMIN]
        """,
        expect=[(4, 10)],
        name="compose.yaml",
    )
    assert got[0].message.endswith("; SYS_PTRACE+SYS_ADMIN: a host shell (nsenter) unless AppArmor stops it")


def test_privileged_command_line() -> None:
    got = check(
        "DC108",
        {"run.sh": "#!/bin/sh\ndocker run --rm --privileged --pid=host alpine:3.20 ps\n"},
        expect=[("run.sh", 2, 36)],
    )
    msg = got[0].message
    assert msg == (
        "docker run shares the host's process namespace (pid 'host'); privileged: a host shell (nsenter -t 1 -a)"
    )
