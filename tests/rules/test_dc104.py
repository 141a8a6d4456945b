"""DC104 sensitive-host-mount."""

from __future__ import annotations

import pytest

from helpers import check


def test_writable_system_path_is_high_and_points_at_the_item() -> None:
    got = check("DC104", """
        services:
          agent:
            image: example/agent:1.4.2
            volumes:
              - ./data:/data
              - /etc:/host/etc
        """, expect=[(6, 9, "service 'agent' mounts '/etc' at '/host/etc' writable")], name="compose.yaml")
    assert got[0].severity.value == "high"


def test_read_only_is_medium() -> None:
    got = check("DC104", """
        services:
          node-exporter:
            image: prom/node-exporter:v1.8.1
            volumes:
              - /proc:/host/proc:ro
              - /sys:/host/sys:ro
        """, expect=[(5, 9, "read-only"), (6, 9, "read-only")], name="compose.yaml")
    assert [f.severity.value for f in got] == ["medium", "medium"]


def test_read_only_secret_stays_high() -> None:
    got = check("DC104", """
        services:
          dev:
            image: mcr.microsoft.com/devcontainers/base:1.0.9
            volumes:
              - ~/.ssh:/home/vscode/.ssh:ro
              - /etc/shadow:/etc/shadow:ro
        """, expect=[(5, 9, "credentials on the host (.ssh)"), (6, 9, "password hashes")], name="compose.yaml")
    assert [f.severity.value for f in got] == ["high", "high"]


def test_long_syntax_and_interpolation_default() -> None:
    check("DC104", """
        services:
          cadvisor:
            image: gcr.io/cadvisor/cadvisor:v0.49.1
            volumes:
              - type: bind
                source: /var/lib/docker
                target: /var/lib/docker
                read_only: true
              - ${CGROUPS:-/sys/fs/cgroup}:/sys/fs/cgroup:ro
        """, expect=[(5, 9, "Docker's data root"), (9, 9, "(interpolated from '${CGROUPS:-/sys/fs/cgroup}')")],
        name="compose.yaml")


@pytest.mark.parametrize("item", [
    "/boot:/boot",
    "/lib/modules:/lib/modules:ro",
    "/usr:/host/usr:ro",
    "/lib:/host/lib:ro",
    "/dev:/dev",
    "/dev/shm:/dev/shm",
    "/root:/root",
    "/home:/home:ro",
    "/home/alice:/workspace",
    "/var:/host/var:ro",                 # contains /var/lib/docker
    "/var/lib:/host/var/lib:ro",
    "/var/lib/docker/containers:/logs:ro",
    "/var/lib/kubelet/pods:/pods:ro",
    "/etc/kubernetes:/etc/kubernetes:ro",
    "/etc/ssh:/etc/ssh:ro",
    "/etc/docker:/etc/docker",
    "/etc/passwd:/etc/passwd",           # writable only
    "/etc/cron.d:/etc/cron.d",
    "/usr/local/bin:/usr/local/bin",     # writable only
    "/usr/bin/docker:/usr/bin/docker",
    "/proc/sys:/host/sys",
    "//etc/:/host/etc:ro",
    "$HOME/.aws:/root/.aws:ro",
    "${HOME}/.kube:/root/.kube:ro",
    "/Users/bob/.docker:/root/.docker:ro",
    "~/.bashrc:/root/.bashrc",           # writable only
    "~:/home/dev",
])
def test_sensitive_paths(item: str) -> None:
    check("DC104", f"services:\n  a:\n    volumes:\n      - {item}\n", expect=[(4, 9)], name="compose.yaml")


@pytest.mark.parametrize("item", [
    "/etc/localtime:/etc/localtime:ro",
    "/etc/localtime:/etc/localtime",
    "/etc/timezone:/etc/timezone:ro",
    "/etc/passwd:/etc/passwd:ro",        # public account list, harmful only writable
    "/etc/group:/etc/group:ro",
    "/etc/os-release:/host/etc/os-release:ro",
    "/etc/ssl/certs:/etc/ssl/certs:ro",
    "/etc/pihole:/etc/pihole",           # an application's own folder under /etc
    "/etc/nginx/conf.d:/etc/nginx/conf.d:ro",
    "/usr/share/zoneinfo:/usr/share/zoneinfo:ro",
    "/usr/bin/docker:/usr/bin/docker:ro",
    "/usr/share/appdata/wireguard:/config",
    "/usr/src:/usr/src",
    "/dev/log:/dev/log",
    "/dev/bus/usb:/dev/bus/usb",         # nodes stay unusable without a device cgroup rule
    "/home/alice/project:/app",
    "~/minecraft_data:/data",
    "~/.sshd-notes:/notes:ro",           # not ~/.ssh
    "/usr/local/bin:/usr/local/bin:ro",
    "./etc:/etc",
    "etc_data:/etc",                     # a named volume
    "/var/log:/var/log:ro",
    "/srv/data:/data",
    "/:/host",                           # DC103's business
    "/var/run/docker.sock:/var/run/docker.sock",  # DC101's business
    "/run:/run",
])
def test_other_mounts_are_clean(item: str) -> None:
    check("DC104", f"services:\n  a:\n    volumes:\n      - {item}\nvolumes:\n  etc_data:\n",
          expect=[], name="compose.yaml")


def test_anchor_points_at_the_anchor() -> None:
    check("DC104", """
        x-host: &host
          volumes:
            - /sys:/sys
        services:
          a:
            <<: *host
          b:
            <<: *host
        """, expect=[(3, 7, "service 'a'"), (3, 7, "service 'b'")], name="compose.yaml")
