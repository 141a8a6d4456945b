"""DC114 host-device."""

from __future__ import annotations

import pytest

from helpers import check


def test_devices_and_cgroup_rules_point_at_the_item() -> None:
    check(
        "DC114",
        """
        services:
          backup:
            image: example/disk-backup:3.2.0
            devices:
              - /dev/fuse
              - /dev/sda:/dev/sda:r
            device_cgroup_rules:
              - 'c 189:* rmw'
              - 'a *:* rwm'
        """,
        expect=[
            (6, 9, "the host device '/dev/sda': raw access to a host disk"),
            (9, 9, "device cgroup rule 'a *:* rwm'"),
        ],
        name="compose.yaml",
    )


@pytest.mark.parametrize(
    "dev",
    [
        "/dev/mem",
        "/dev/kmem:/dev/kmem",
        "/dev/port",
        "/dev",
        "/dev/",
        "/dev/sdb1",
        "/dev/nvme0n1",
        "/dev/nvme0n1p2:/dev/disk0",
        "/dev/vda",
        "/dev/xvdf",
        "/dev/hda",
        "/dev/mmcblk0p1",
        "/dev/dm-0",
        "/dev/mapper/vg0-data",
        "/dev/loop0",
        "/dev/md0",
        "/dev/disk/by-id/ata-WDC",
        "/dev/cpu/0/msr",
        "/dev/nbd0",
        "/dev/zd0",
        "'${DISK:-/dev/sdc}:/dev/sdc'",
    ],
)
def test_dangerous_devices(dev: str) -> None:
    check("DC114", f"services:\n  a:\n    devices:\n      - {dev}\n", expect=[(4, 9)], name="compose.yaml")


def test_long_syntax() -> None:
    check(
        "DC114",
        """
        services:
          a:
            devices:
              - source: /dev/nvme1n1
                target: /dev/nvme1n1
                permissions: rwm
        """,
        expect=[(4, 9, "'/dev/nvme1n1'")],
        name="compose.yaml",
    )


@pytest.mark.parametrize(
    "dev",
    [
        "/dev/fuse",
        "/dev/kvm",
        "/dev/net/tun",
        "/dev/dri",
        "/dev/dri/renderD128",
        "/dev/ttyUSB0:/dev/zigbee",
        "/dev/snd",
        "/dev/bus/usb",
        "/dev/nvidia0",
        "/dev/nvidiactl",
        "/dev/sr0",
        "/dev/video0",
        "nvidia.com/gpu=all",
        "'${DEVICE}'",
    ],
)
def test_other_devices_are_clean(dev: str) -> None:
    check("DC114", f"services:\n  a:\n    devices:\n      - {dev}\n", expect=[], name="compose.yaml")


@pytest.mark.parametrize(
    "rule", ["a *:* rwm", "a *:* r", "b *:* rwm", "b 8:* rw", "c 1:1 rwm", "c 1:* rw", "c *:* rwm", "c  1:4  w"]
)
def test_dangerous_cgroup_rules(rule: str) -> None:
    check("DC114", f"services:\n  a:\n    device_cgroup_rules: ['{rule}']\n", expect=[(3, 27)], name="compose.yaml")


@pytest.mark.parametrize("rule", ["c 189:* rmw", "c 1:3 rwm", "c 10:200 rwm", "a *:* m", "b *:* m", "c 226:* rw"])
def test_other_cgroup_rules_are_clean(rule: str) -> None:
    check("DC114", f"services:\n  a:\n    device_cgroup_rules: ['{rule}']\n", expect=[], name="compose.yaml")
