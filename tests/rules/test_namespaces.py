"""One host-namespace check for DC106, DC107, DC108, DC109 and DC115 (rules/container/_namespaces.py)."""

from __future__ import annotations

import pytest

from helpers import check, findings

# rule, Compose key, docker run flag, the namespace's name
_RULES = [
    ("DC106", "userns_mode", "--userns", "userns"),
    ("DC107", "network_mode", "--network", "network"),
    ("DC108", "pid", "--pid", "pid"),
    ("DC109", "ipc", "--ipc", "ipc"),
    ("DC115", "uts", "--uts", "uts"),
    ("DC115", "cgroup", "--cgroupns", "cgroup"),
]


@pytest.mark.parametrize(("rule", "key", "flag", "ns"), _RULES)
@pytest.mark.parametrize("value", ["host", '"HOST"', '" host "', '"${NS:-host}"'])
def test_every_namespace_rule_reads_host_the_same_way(rule: str, key: str, flag: str, ns: str, value: str) -> None:
    check(rule, f"services:\n  a:\n    image: x\n    {key}: {value}\n", expect=[(4, 7 + len(key))], name="compose.yaml")


@pytest.mark.parametrize(("rule", "key", "flag", "ns"), _RULES)
@pytest.mark.parametrize("value", ['"container:abc"', '"service:b"', "private", "none", '""', '"hostile"'])
def test_other_values_stay_off_the_host(rule: str, key: str, flag: str, ns: str, value: str) -> None:
    check(rule, f"services:\n  a:\n    image: x\n    {key}: {value}\n", expect=[], name="compose.yaml")


@pytest.mark.parametrize(("rule", "key", "flag", "ns"), _RULES)
def test_docker_run_flags(rule: str, key: str, flag: str, ns: str) -> None:
    got = findings(rule, {"run.sh": f"docker run {flag}=host alpine:3.20\n"}, name="run.sh")
    assert [(f.span.line, f.span.col) for f in got] == [(1, 12 + len(flag) + 1)]


@pytest.mark.parametrize(
    ("rule", "key", "ns"),
    [("DC107", "network_mode", "network"), ("DC108", "pid", "pid"), ("DC109", "ipc", "ipc"), ("DC115", "uts", "uts")],
)
def test_the_message_says_when_the_value_was_interpolated(rule: str, key: str, ns: str) -> None:
    got = findings(
        rule, {"compose.yaml": f'services:\n  a:\n    image: x\n    {key}: "${{NS:-host}}"\n'}, name="compose.yaml"
    )
    assert len(got) == 1 and "'host', from '${NS:-host}')" in got[0].message
