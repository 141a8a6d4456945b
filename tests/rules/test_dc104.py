"""DC104 sensitive-host-mount."""

from __future__ import annotations

import pytest

from helpers import check


def test_writable_system_path_is_high_and_points_at_the_item() -> None:
    got = check(
        "DC104",
        """
        services:
          agent:
            image: example/agent:1.4.2
            volumes:
              - ./data:/data
              - /etc:/host/etc
        """,
        expect=[(6, 9, "service 'agent' mounts '/etc' at '/host/etc' writable")],
        name="compose.yaml",
    )
    assert got[0].severity.value == "high"


def test_read_only_is_medium() -> None:
    got = check(
        "DC104",
        """
        services:
          node-exporter:
            image: prom/node-exporter:v1.8.1
            volumes:
              - /proc:/host/proc:ro
              - /sys:/host/sys:ro
        """,
        expect=[(5, 9, "read-only"), (6, 9, "read-only")],
        name="compose.yaml",
    )
    assert [f.severity.value for f in got] == ["medium", "medium"]


def test_read_only_secret_stays_high() -> None:
    got = check(
        "DC104",
        """
        services:
          dev:
            image: mcr.microsoft.com/devcontainers/base:1.0.9
            volumes:
              - ~/.ssh:/home/vscode/.ssh:ro
              - /etc/shadow:/etc/shadow:ro
        """,
        expect=[(5, 9, "credentials on the host (.ssh)"), (6, 9, "password hashes")],
        name="compose.yaml",
    )
    assert [f.severity.value for f in got] == ["high", "high"]


def test_long_syntax_and_interpolation_default() -> None:
    check(
        "DC104",
        """
        services:
          cadvisor:
            image: gcr.io/cadvisor/cadvisor:v0.49.1
            volumes:
              - type: bind
                source: /var/lib/docker
                target: /var/lib/docker
                read_only: true
              - ${CGROUPS:-/sys/fs/cgroup}:/sys/fs/cgroup:ro
        """,
        expect=[(5, 9, "Docker's data root"), (9, 9, "(from '${CGROUPS:-/sys/fs/cgroup}')")],
        name="compose.yaml",
    )


@pytest.mark.parametrize(
    "item",
    [
        "/boot:/boot",
        "/lib/modules:/lib/modules",
        "/usr:/host/usr:ro",
        "/lib:/host/lib:ro",
        "/dev:/dev",
        "/dev/shm:/dev/shm",
        "/root:/root",
        "/home:/home:ro",
        "/home/alice:/workspace",
        "/var:/host/var:ro",  # contains /var/lib/docker
        "/var/lib:/host/var/lib:ro",
        "/var/lib/docker/containers:/logs:ro",
        "/var/lib/kubelet/pods:/pods:ro",
        "/etc/kubernetes:/etc/kubernetes:ro",
        "/etc/ssh:/etc/ssh:ro",
        "/etc/docker:/etc/docker",
        "/etc/passwd:/etc/passwd",  # writable only
        "/etc/cron.d:/etc/cron.d",
        "/usr/local/bin:/usr/local/bin",  # writable only
        "/usr/bin/docker:/usr/bin/docker",
        "/proc/sys:/host/sys",
        "//etc/:/host/etc:ro",
        "$HOME/.aws:/root/.aws:ro",
        "${HOME}/.kube:/root/.kube:ro",
        "/Users/bob/.docker:/root/.docker:ro",
        "~/.bashrc:/root/.bashrc",  # writable only
        "~:/home/dev",
    ],
)
def test_sensitive_paths(item: str) -> None:
    check("DC104", f"services:\n  a:\n    volumes:\n      - {item}\n", expect=[(4, 9)], name="compose.yaml")


@pytest.mark.parametrize(
    "item",
    [
        "/etc/localtime:/etc/localtime:ro",
        "/etc/localtime:/etc/localtime",
        "/etc/timezone:/etc/timezone:ro",
        "/etc/passwd:/etc/passwd:ro",  # public account list, harmful only writable
        "/etc/group:/etc/group:ro",
        "/etc/os-release:/host/etc/os-release:ro",
        "/etc/ssl/certs:/etc/ssl/certs:ro",
        "/etc/pihole:/etc/pihole:ro",  # an application's own folder under /etc, read-only
        "/lib/modules:/lib/modules:ro",  # nothing secret to read
        "/boot/config-6.8.0:/boot/config:ro",
        "/etc/nginx/conf.d:/etc/nginx/conf.d:ro",
        "/usr/share/zoneinfo:/usr/share/zoneinfo:ro",
        "/usr/bin/docker:/usr/bin/docker:ro",
        "/usr/share/appdata/wireguard:/config:ro",
        "/usr/src:/usr/src:ro",
        "/dev/log:/dev/log",
        "/dev/bus/usb:/dev/bus/usb",  # nodes stay unusable without a device cgroup rule
        "/home/alice/project:/app",
        "~/minecraft_data:/data",
        "~/.sshd-notes:/notes:ro",  # not ~/.ssh
        "/usr/local/bin:/usr/local/bin:ro",
        "./etc:/etc",
        "etc_data:/etc",  # a named volume
        "/var/log:/var/log:ro",
        "/srv/data:/data",
        "/:/host",  # DC103's business
        "/var/run/docker.sock:/var/run/docker.sock",  # DC101's business
        "/run:/run",
    ],
)
def test_other_mounts_are_clean(item: str) -> None:
    check(
        "DC104",
        f"services:\n  a:\n    volumes:\n      - {item}\nvolumes:\n  etc_data:\n",
        expect=[],
        name="compose.yaml",
    )


def test_anchor_points_at_the_anchor() -> None:
    check(
        "DC104",
        """
        x-host: &host
          volumes:
            - /sys:/sys
        services:
          a:
            <<: *host
          b:
            <<: *host
        """,
        expect=[(3, 7, "service 'a'"), (3, 7, "service 'b'")],
        name="compose.yaml",
    )


# -- severity by what the host does with the path (issue 12, C2) ----------------------------


@pytest.mark.parametrize(
    ("item", "severity", "part"),
    [
        # places the host executes or trusts: high when writable
        ("/etc/wireguard:/etc/wireguard", "high", "writable: WireGuard's configuration"),
        ("/etc/cron.daily:/etc/cron.daily", "high", "jobs and scripts the host runs as root"),
        ("/etc/systemd/system:/host/systemd", "high", "jobs and scripts the host runs as root"),
        ("/etc/sudoers.d:/etc/sudoers.d", "high", "who may become root"),
        ("/etc/profile.d/app.sh:/etc/profile.d/app.sh", "high", "shell startup files"),
        ("/usr/local/bin:/host/bin", "high", "programs or libraries the host runs as root"),
        ("/root/.ssh:/root/.ssh", "high", "root's credentials on the host (.ssh)"),
        ("/etc/dnsmasq.d/:/etc/dnsmasq.d/", "high", "dhcp-script"),
        ("/etc/openvpn:/etc/openvpn", "high", "writable: OpenVPN's configuration"),
        ("/etc/logrotate.d:/etc/logrotate.d", "high", "postrotate"),
        ("/etc/ssl/certs:/etc/ssl/certs", "high", "certificate authorities the host trusts"),
        ("/boot/grub:/grub", "high", "boot loader configuration the host boots"),
        ("/usr/local:/usr/local", "high", "'/usr/local' writable: it contains /usr/local/bin"),
        # other writable paths below /etc and /usr: medium
        ("/etc/pihole/:/etc/pihole/", "medium", "host configuration that the host's programs read"),
        ("/etc/hostname:/etc/nodename", "medium", "host configuration"),
        ("/usr/src:/usr/src", "medium", "files of the host's /usr"),
        ("/usr/share/appdata/wireguard/config:/config", "medium", "writable: files of the host's /usr"),
        # read-only, but holding secrets: high
        ("/etc/wireguard:/etc/wireguard:ro", "high", "read-only: WireGuard's configuration"),
        ("/etc/ssl:/etc/ssl:ro", "high", "read-only: it contains /etc/ssl/private: the host's TLS private keys"),
        ("/etc:/host/etc:ro", "high", "read-only: it contains /etc/shadow: the host's password hashes"),
        ("/home/alice:/home/alice:ro", "high", "a user's home folder on the host"),
        # read-only and only disclosing: medium
        ("/proc:/host/proc:ro", "medium", "read-only: the host's /proc"),
        ("/var:/host/var:ro", "medium", "'/var' at '/host/var' read-only: it contains /var/lib/docker"),
    ],
)
def test_severity_follows_what_the_host_does_with_the_path(item: str, severity: str, part: str) -> None:
    got = check("DC104", f"services:\n  a:\n    volumes:\n      - {item}\n", expect=[(4, 9, part)], name="compose.yaml")
    assert got[0].severity.value == severity


def test_one_table_of_places_with_reasons() -> None:
    from dockerlint.rules.container.dc104 import BENIGN, PLACES, Place

    for path, place in PLACES.items():
        assert isinstance(place, Place) and place.why, path
        assert path.startswith(("/", "~")) and (path == "/" or not path.endswith("/")), path
    assert PLACES["/etc/localtime"].own is BENIGN


def test_script_mount_of_a_trusted_place_is_graded_the_same() -> None:
    got = check(
        "DC104",
        {
            "vpn.sh": "#!/bin/sh\ndocker run -d --cap-add NET_ADMIN --network host "
            "-v /etc/wireguard:/etc/wireguard ghcr.io/wg-easy/wg-easy:14\n"
        },
        expect=[("vpn.sh", 2, 53, "'/etc/wireguard' at '/etc/wireguard' writable: WireGuard's configuration")],
    )
    assert got[0].severity.value == "high"


# -- a volume's data and credentials-only places (wild corpus review, issue 12 D) -------------


@pytest.mark.parametrize(
    "item",
    [
        # CasaOS writes a container's own anonymous volume by its path (long syntax below too)
        "/var/lib/docker/volumes/b098c98b2c5dec792246dc33375853c05958ace7c144f4aa157326a6f6c0de4c/_data:/var/jenkins_home",
        "/var/lib/docker/volumes/app_media/_data/uploads:/uploads:ro",
        "/var/lib/docker/volumes/app_media/_data/:/media",
    ],
)
def test_a_volume_mounted_by_its_path_is_the_volume(item: str) -> None:
    check("DC104", f"services:\n  a:\n    volumes:\n      - {item}\n", expect=[], name="compose.yaml")


def test_a_volume_by_path_in_long_syntax_is_clean() -> None:
    check(
        "DC104",
        """
        services:
          jenkins:
            image: jenkins/jenkins:2.462.1-lts-jdk17
            volumes:
              - type: bind
                source: /var/lib/docker/volumes/0b5c1e7f/_data
                target: /var/jenkins_home
        """,
        expect=[],
        name="compose.yaml",
    )


@pytest.mark.parametrize(
    ("item", "part"),
    [
        ("/var/lib/docker/volumes:/volumes", "Docker's data root"),  # every volume
        ("/var/lib/docker/volumes/metadata.db:/meta.db", "Docker's data root"),  # volume drivers' options
        ("/var/lib/docker/volumes/app/_data/../../other/_data/../..:/v", "Docker's data root"),
        ("/var/lib/docker/volumes/app:/v", "Docker's data root"),
        ("/var/lib/docker/volumes/app/_data_old:/v", "Docker's data root"),
    ],
)
def test_the_volumes_folder_and_its_metadata_still_fire(item: str, part: str) -> None:
    got = check("DC104", f"services:\n  a:\n    volumes:\n      - {item}\n", expect=[(4, 9, part)], name="compose.yaml")
    assert got[0].severity.value == "high"


@pytest.mark.parametrize(
    ("item", "severity", "part", "grade"),
    [
        # credentials and nothing the host runs: reading is the harm; writable is no way to root
        (
            "$HOME/.docker/config.json:/config.json",
            "high",
            "writable: a user's credentials on the host (.docker/",
            "credentials",
        ),
        ("~/.netrc:/root/.netrc", "high", "writable: a user's credentials on the host (.netrc)", "credentials"),
        ("/etc/ssl/private:/etc/ssl/private", "high", "writable: the host's TLS private keys", "credentials"),
        (
            "~/.docker/config.json:/root/.docker/config.json:ro",
            "high",
            "read-only: a user's credentials on the host",
            "credentials",
        ),
        # places whose contents the user's tools run stay "a way to root" (the rule page says so)
        ("~/.docker:/root/.docker", "high", "writable: a user's credentials on the host (.docker)", "secret"),
        ("~/.aws:/root/.aws", "high", "writable: a user's credentials on the host (.aws)", "secret"),
        ("/etc/wireguard:/etc/wireguard", "high", "writable: WireGuard's configuration", "secret"),
        # a folder holding both: what the host runs decides the message
        ("/etc/ssl:/etc/ssl", "high", "writable: it contains /etc/ssl/certs", "trusted"),
    ],
)
def test_credentials_only_places_do_not_claim_root(item: str, severity: str, part: str, grade: str) -> None:
    from dockerlint.rules.container._mounts import normalize_host_path
    from dockerlint.rules.container.dc104 import judge

    got = check("DC104", f"services:\n  a:\n    volumes:\n      - {item}\n", expect=[(4, 9, part)], name="compose.yaml")
    assert got[0].severity.value == severity
    source, _, rest = item.partition(":")
    judgement = judge(normalize_host_path(source.replace("~", "/root", 1)), rest.endswith(":ro"))
    assert judgement is not None and judgement.grade.name == grade
    assert "way to root" not in got[0].message  # the why is the page's


def test_script_mount_of_a_registry_login_says_what_it_is() -> None:
    got = check(
        "DC104",
        {
            "release.sh": "#!/bin/sh\ndocker run --rm -v $HOME/.docker/config.json:/config.json "
            "quay.io/skopeo/stable:v1.16.1 copy --authfile /config.json "
            "docker://a docker://b\n"
        },
        expect=[("release.sh", 2, 20, "writable: a user's credentials on the host (.docker/config.json)")],
    )
    assert "way to root" not in got[0].message
