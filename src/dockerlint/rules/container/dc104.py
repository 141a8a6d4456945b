"""DC104 sensitive-host-mount: a bind mount of a host system path (not ``/``, not the socket).

One table, :data:`PLACES`, says for each host path what the host does with it and so how bad
a mount of it is, written and read-only:

- ``SECRET``: reading it is the harm (password hashes, private keys), and the host also runs
  or trusts what is written there (sshd's configuration, wg-quick's PostUp lines, a home's
  shell startup files): high either way;
- ``CREDENTIALS``: reading it is the harm, and that is all it is (a registry login, a
  ``.netrc``, TLS private keys): high either way, but a writable one is not "a way to root";
- ``EXPOSES``: a writable mount changes the host, a read-only one still discloses
  (``/proc``, ``/var/lib/docker``, a whole ``/etc``): high writable, medium read-only;
- ``TRUSTED``: the host runs it or trusts it (cron, systemd units, sudoers, shell profiles,
  program folders, a service's configuration whose commands the host runs as root):
  high writable, silent read-only;
- ``CONFIG``: other files below the host's system roots (``/etc``, ``/usr``): medium
  writable, silent read-only;
- ``BENIGN``: never reported (``/etc/localtime``).

A volume's own data (``/var/lib/docker/volumes/<name>/_data`` and below) is the volume, not
the engine's data root: mounting it by path is sharing that volume, as ``<name>:/path``
does, and is not judged.

A path is judged by the most specific place that is it or holds it (``own`` when the mount
is that place, ``inside`` for a path below it) and, when it is a folder, by every place it
contains (``/etc/ssl`` holds ``/etc/ssl/private``): the worst of them decides. Places
written ``~/…`` are in any home folder (``/root``, ``/home/<user>``, ``~``, ``$HOME``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.containers import subject
from dockerlint.rules.container._mounts import bind_source, default_note
from dockerlint.rules.container._rootless import room, scoped


@dataclass(frozen=True)
class Grade:
    """The severity of a writable and of a read-only mount (None: not reported)."""

    name: str
    writable: Severity | None
    read_only: Severity | None


SECRET = Grade("secret", Severity.HIGH, Severity.HIGH)
CREDENTIALS = Grade("credentials", Severity.HIGH, Severity.HIGH)
EXPOSES = Grade("exposes", Severity.HIGH, Severity.MEDIUM)
TRUSTED = Grade("trusted", Severity.HIGH, None)
CONFIG = Grade("config", Severity.MEDIUM, None)
BENIGN = Grade("benign", None, None)


@dataclass(frozen=True)
class Place:
    """A host path, how a mount of it (``own``) or of a path below it (``inside``; None: not
    judged by this place) is graded, and why: what the host keeps or does there."""

    own: Grade
    inside: Grade | None
    why: str
    inside_why: str | None = None


def _same(grade: Grade, why: str) -> Place:
    return Place(grade, grade, why)


_ROOT_JOBS = "jobs and scripts the host runs as root"
_LOGIN = "how the host authenticates logins"
_SHELL = "shell startup files the host's shells run at login, root's included"
_BOOT_SETTINGS = "settings the host applies to its kernel at boot (modprobe.d 'install' lines run as root)"
_NAMES = "the host's own name resolution"
_BINARIES = "programs or libraries the host runs as root"
_CA = "the certificate authorities the host trusts for TLS"
_PKG = "where the host's package manager installs from, and its hooks, which run as root"

# The table. Keys are normalized absolute paths, or ``~/…`` for a path in any home folder.
PLACES: dict[str, Place] = {
    # -- kernel interfaces and engine data: disclosed even read-only --------------------------
    "/proc": _same(
        EXPOSES,
        "the host's /proc: host processes' command lines and environment, kernel "
        "tunables (/proc/sys) and /proc/sysrq-trigger",
    ),
    "/sys": _same(
        EXPOSES,
        "the host's /sys: kernel, device and cgroup settings (a writable cgroup tree is the release_agent escape)",
    ),
    "/var/lib/docker": _same(
        EXPOSES,
        "Docker's data root: every container's filesystem, volumes, logs and "
        "configuration (with its environment secrets)",
    ),
    "/var/lib/containerd": _same(EXPOSES, "containerd's data root: every container's filesystem"),
    "/var/lib/kubelet": _same(EXPOSES, "the kubelet's data: every pod's volumes, service-account tokens and secrets"),
    "/dev": Place(
        EXPOSES,
        None,
        "the host's /dev: the device nodes of every disk and of memory, usable as "
        "soon as the device cgroup allows them",
    ),  # nodes below: DC114's
    "/dev/shm": _same(EXPOSES, "the host's shared memory: other processes' shared-memory segments"),
    "/dev/mqueue": _same(EXPOSES, "the host's POSIX message queues"),
    # -- the system roots ---------------------------------------------------------------------
    "/etc": Place(
        EXPOSES,
        CONFIG,
        "the host's /etc: /etc/shadow, SSH host keys, sudoers, cron jobs and systemd units",
        "host configuration that the host's programs read",
    ),
    "/usr": Place(
        EXPOSES, CONFIG, "the host's /usr: the programs and libraries the host runs as root", "files of the host's /usr"
    ),
    "/boot": Place(
        EXPOSES,
        TRUSTED,
        "the host's kernel and boot loader files",
        "the kernel, initramfs or boot loader configuration the host boots",
    ),
    "/lib": Place(EXPOSES, TRUSTED, "the host's system libraries, loaded by every program the host runs", _BINARIES),
    "/lib64": Place(EXPOSES, TRUSTED, "the host's system libraries, loaded by every program the host runs", _BINARIES),
    "/bin": Place(EXPOSES, TRUSTED, "the host's system programs", _BINARIES),
    "/sbin": Place(EXPOSES, TRUSTED, "the host's system programs", _BINARIES),
    "/lib/modules": _same(TRUSTED, "the host's kernel modules, which the host loads into its kernel"),
    "/usr/lib/modules": _same(TRUSTED, "the host's kernel modules, which the host loads into its kernel"),
    **{
        p: _same(TRUSTED, _BINARIES)
        for p in (
            "/usr/bin",
            "/usr/sbin",
            "/usr/lib",
            "/usr/lib32",
            "/usr/lib64",
            "/usr/libexec",
            "/usr/local/bin",
            "/usr/local/sbin",
            "/usr/local/lib",
            "/usr/local/libexec",
        )
    },
    # -- homes --------------------------------------------------------------------------------
    "/root": Place(
        SECRET, None, "root's home on the host: SSH keys, cloud and registry credentials, shell startup files"
    ),
    "/home": Place(
        SECRET, None, "the users' homes on the host: SSH keys, cloud and registry credentials, shell startup files"
    ),
    "/Users": Place(
        SECRET, None, "the users' homes on the host: SSH keys, cloud and registry credentials, shell startup files"
    ),
    "~": Place(
        SECRET, None, "a user's home folder on the host: SSH keys, cloud and registry credentials, shell startup files"
    ),
    # Credentials whose folder or file also makes the user's tools run what is written there:
    # authorized_keys and ssh's ProxyCommand, gpg-agent's pinentry-program, the AWS CLI's
    # credential_process, Azure CLI extensions, kubeconfig exec plugins, Docker CLI plugins
    # (~/.docker/cli-plugins), npm's script-shell, gh's aliases.
    **{
        f"~/{name}": _same(SECRET, f"a user's credentials on the host ({name})")
        for name in (".ssh", ".gnupg", ".aws", ".azure", ".kube", ".docker", ".npmrc", ".config/gh")
    },
    # Credentials and nothing the user's tools run.
    **{
        f"~/{name}": _same(CREDENTIALS, f"a user's credentials on the host ({name})")
        for name in (
            ".docker/config.json",
            ".netrc",
            ".git-credentials",
            ".pypirc",
            ".pgpass",
            ".vault-token",
            ".config/gcloud",
        )
    },
    **{
        f"~/{name}": _same(TRUSTED, f"a user's login startup files on the host ({name}), run at the next login")
        for name in (
            ".bashrc",
            ".bash_profile",
            ".bash_login",
            ".profile",
            ".zshrc",
            ".zprofile",
            ".zshenv",
            ".config/autostart",
            ".config/systemd",
            ".config/fish",
            ".local/bin",
        )
    },
    # -- secrets below /etc: reading them is the harm ----------------------------------------
    "/etc/shadow": _same(SECRET, "the host's password hashes"),
    "/etc/gshadow": _same(SECRET, "the host's password hashes"),
    "/etc/shadow-": _same(SECRET, "the host's password hashes"),
    "/etc/gshadow-": _same(SECRET, "the host's password hashes"),
    "/etc/ssh": _same(SECRET, "the host's SSH host keys and sshd configuration"),
    "/etc/kubernetes": _same(SECRET, "the Kubernetes configuration: the admin kubeconfig and the cluster's PKI keys"),
    "/etc/ssl/private": _same(CREDENTIALS, "the host's TLS private keys"),
    "/etc/pki/tls/private": _same(CREDENTIALS, "the host's TLS private keys"),
    "/etc/letsencrypt": _same(SECRET, "the host's Let's Encrypt private keys, and renewal hooks certbot runs as root"),
    "/etc/docker": _same(SECRET, "the Docker daemon's configuration (runtimes it starts as root) and its TLS keys"),
    "/etc/wireguard": _same(
        SECRET,
        "WireGuard's configuration: the interfaces' private keys, and the "
        "PostUp/PostDown commands the host's wg-quick runs as root",
    ),
    "/etc/openvpn": _same(
        SECRET, "OpenVPN's configuration: its keys, and the up/down scripts the host's OpenVPN runs as root"
    ),
    "/etc/ipsec.d": _same(SECRET, "the host's IPsec keys and certificates"),
    "/etc/ipsec.secrets": _same(CREDENTIALS, "the host's IPsec pre-shared keys and private keys"),
    "/etc/NetworkManager/system-connections": _same(CREDENTIALS, "the host's Wi-Fi and VPN passwords and keys"),
    # -- what the host runs or trusts: harmless to read, root when written --------------------
    "/etc/passwd": _same(TRUSTED, "the host's user accounts"),
    "/etc/group": _same(TRUSTED, "the host's groups (who is in 'docker' and 'sudo')"),
    "/etc/sudoers": _same(TRUSTED, "who may become root on the host"),
    "/etc/sudoers.d": _same(TRUSTED, "who may become root on the host"),
    "/etc/sudo.conf": _same(TRUSTED, "how the host's sudo runs (plugins it loads as root)"),
    "/etc/doas.conf": _same(TRUSTED, "who may become root on the host"),
    "/etc/pam.d": _same(TRUSTED, _LOGIN),
    "/etc/security": _same(TRUSTED, _LOGIN),
    "/etc/polkit-1": _same(TRUSTED, "who may run privileged actions on the host (polkit rules)"),
    **{
        p: _same(TRUSTED, _ROOT_JOBS)
        for p in (
            "/etc/crontab",
            "/etc/cron.d",
            "/etc/cron.hourly",
            "/etc/cron.daily",
            "/etc/cron.weekly",
            "/etc/cron.monthly",
            "/etc/anacrontab",
            "/var/spool/cron",
            "/etc/systemd",
            "/etc/init.d",
            "/etc/init",
            "/etc/rc.local",
            "/etc/rc.d",
            "/etc/update-motd.d",
            "/etc/xdg/autostart",
        )
    },
    "/etc/logrotate.conf": _same(TRUSTED, "log rotation rules whose postrotate scripts the host runs as root"),
    "/etc/logrotate.d": _same(TRUSTED, "log rotation rules whose postrotate scripts the host runs as root"),
    "/etc/udev": _same(TRUSTED, "device rules whose RUN+= programs the host's udev runs as root"),
    "/etc/default": _same(TRUSTED, "settings the host's init scripts source as root"),
    "/etc/sysconfig": _same(TRUSTED, "settings the host's init scripts source as root"),
    "/etc/ld.so.preload": _same(TRUSTED, "what the dynamic loader injects into every program"),
    "/etc/ld.so.conf": _same(TRUSTED, "where every program loads its libraries from"),
    "/etc/ld.so.conf.d": _same(TRUSTED, "where every program loads its libraries from"),
    **{
        p: _same(TRUSTED, _SHELL)
        for p in (
            "/etc/profile",
            "/etc/profile.d",
            "/etc/environment",
            "/etc/bash.bashrc",
            "/etc/bashrc",
            "/etc/bash_completion.d",
            "/etc/zsh",
            "/etc/zshenv",
            "/etc/zshrc",
        )
    },
    **{
        p: _same(TRUSTED, _BOOT_SETTINGS)
        for p in (
            "/etc/modprobe.d",
            "/etc/modules-load.d",
            "/etc/modules",
            "/etc/sysctl.conf",
            "/etc/sysctl.d",
            "/etc/fstab",
        )
    },
    "/etc/hosts": _same(TRUSTED, _NAMES),
    "/etc/resolv.conf": _same(TRUSTED, _NAMES),
    "/etc/ssl/certs": _same(TRUSTED, _CA),
    "/etc/ca-certificates": _same(TRUSTED, _CA),
    "/etc/ca-certificates.conf": _same(TRUSTED, _CA),
    "/etc/pki": Place(TRUSTED, TRUSTED, _CA),
    "/usr/local/share/ca-certificates": _same(TRUSTED, _CA),
    "/usr/share/ca-certificates": _same(TRUSTED, _CA),
    "/etc/apt": _same(TRUSTED, _PKG),
    "/etc/yum.repos.d": _same(TRUSTED, _PKG),
    "/etc/dnf": _same(TRUSTED, _PKG),
    "/etc/apk": _same(TRUSTED, _PKG),
    "/etc/selinux": _same(TRUSTED, "the host's SELinux policy"),
    "/etc/apparmor.d": _same(TRUSTED, "the host's AppArmor profiles, which confine its programs and containers"),
    "/etc/containerd": _same(TRUSTED, "containerd's configuration: the runtimes it starts as root"),
    "/etc/containers": _same(TRUSTED, "Podman's configuration: the runtimes and hooks it starts as root"),
    "/etc/crio": _same(TRUSTED, "CRI-O's configuration: the runtimes and hooks it starts as root"),
    "/etc/network": _same(
        TRUSTED, "the host's network configuration, whose if-up.d scripts and up/down lines it runs as root"
    ),
    "/etc/networkd-dispatcher": _same(TRUSTED, "scripts the host runs as root on network changes"),
    "/etc/NetworkManager": _same(
        TRUSTED, "NetworkManager's configuration, whose dispatcher scripts the host runs as root"
    ),
    "/etc/netplan": _same(TRUSTED, "the host's network configuration"),
    "/etc/ppp": _same(TRUSTED, "PPP's configuration, whose ip-up/ip-down scripts the host runs as root"),
    "/etc/dhcp": _same(TRUSTED, "the DHCP client's configuration, whose hooks the host runs as root"),
    "/etc/dnsmasq.conf": _same(TRUSTED, "dnsmasq's configuration (a dhcp-script the host's dnsmasq runs as root)"),
    "/etc/dnsmasq.d": _same(TRUSTED, "dnsmasq's configuration (a dhcp-script the host's dnsmasq runs as root)"),
    "/etc/keepalived": _same(TRUSTED, "keepalived's configuration, whose notify scripts the host runs as root"),
    "/etc/fail2ban": _same(TRUSTED, "fail2ban's configuration, whose ban actions the host runs as root"),
    "/etc/rsyslog.conf": _same(TRUSTED, "rsyslog's configuration (programs it starts as root)"),
    "/etc/rsyslog.d": _same(TRUSTED, "rsyslog's configuration (programs it starts as root)"),
    "/etc/audit": _same(TRUSTED, "the host's audit rules and the programs auditd starts as root"),
    # -- harmless wherever they are mounted from ---------------------------------------------
    "/etc/localtime": _same(BENIGN, "the clock's time zone"),
    "/etc/timezone": _same(BENIGN, "the clock's time zone"),
}

# A named volume's own data: the volume, whatever it holds, not the engine's data root.
_VOLUME_DATA = re.compile(r"^/var/lib/docker/volumes/[^/]+/_data(?:/.*)?$")
_HOME = re.compile(r"^(~|\$HOME|\$\{HOME\}|/root|/home/[^/]+|/Users/[^/]+)(?:/(.*))?$")
_RANK = {None: 0, Severity.MEDIUM: 1, Severity.HIGH: 2}


@dataclass(frozen=True)
class Judgement:
    severity: Severity
    what: str  # what the path is to the host, for the message
    grade: Grade


def _as_home(path: str) -> tuple[str, str] | None:
    """``(~/rest, whose)`` for a path in a home folder (``~`` for the folder itself)."""
    m = _HOME.match(path)
    if m is None:
        return None
    home, rest = m.group(1), (m.group(2) or "").rstrip("/")
    whose = "root's" if home == "/root" else "a user's"
    return ("~/" + rest if rest else "~"), whose


def _candidates(path: str) -> Iterator[tuple[Grade, str]]:
    """Every (grade, why) that applies to a mount of ``path``."""
    keys = [path]
    home = _as_home(path)
    if home is not None and home[0] != "~":
        keys.append(home[0])  # /root/.ssh is ~/.ssh; /root itself keeps its own place
    elif home is not None and path not in PLACES:
        keys.append("~")
    for key in keys:
        place = PLACES.get(key)
        if place is not None:
            yield place.own, place.why
            continue
        # The most specific place that holds it: the longest of its folders that is one.
        holder = next((PLACES[k] for k in _folders(key) if k in PLACES), None)
        if holder is not None and holder.inside is not None:
            yield holder.inside, holder.inside_why or holder.why
    # A folder that holds places: the worst of what it holds.
    for key in filter(None, keys):
        below = key.rstrip("/") + "/"
        for k, place in PLACES.items():
            if k.startswith(below) and place.own is not BENIGN:
                yield place.own, f"it contains {k}: {place.why}"


def _folders(path: str) -> Iterator[str]:
    """The folders holding ``path``, the closest first (``/etc/ssl/x``: ``/etc/ssl``,
    ``/etc``; ``/etc/``: ``/etc``), as written: the places are written without a trailing ``/``."""
    end = len(path)
    while (end := path.rfind("/", 0, end)) > 0:
        yield path[:end]


@lru_cache(maxsize=4096)
def judge(path: str, read_only: bool) -> Judgement | None:
    """How bad a bind of host ``path`` is (None: not reported). ``/`` is DC103's, the engine's
    socket and ``/run`` DC101's. Remembered per path (a Judgement is frozen): the same host
    paths come back in every service and project, and each look scans every place twice."""
    if path == "/" or not path:
        return None
    if PLACES.get(path) is not None and PLACES[path].own is BENIGN:
        return None
    if _VOLUME_DATA.match(path):
        return None  # a volume mounted by its path: the same as mounting it by name
    best: Judgement | None = None
    for grade, why in _candidates(path):
        severity = grade.read_only if read_only else grade.writable
        if severity is None:
            continue
        if (
            best is None
            or _RANK[severity] > _RANK[best.severity]
            # writable, what the host runs says more than what can be read
            or (not read_only and severity is best.severity and best.grade is CREDENTIALS and grade is not CREDENTIALS)
        ):
            best = Judgement(severity, why, grade)
    if best is not None:
        home = _as_home(path)
        if home is not None and home[1] == "root's":
            best = Judgement(best.severity, best.what.replace("a user's", "root's"), best.grade)
    return best


@rule(
    id="DC104",
    name="sensitive-host-mount",
    reads=Container,
    severity=Severity.HIGH,
    summary="A sensitive host path (/etc, /proc, /sys, /dev, /usr, /var/lib/docker, homes...) is bind-mounted",
    cwe=(250, 668),
    cis=("5.5",),
    peers={"compose-lint": "CL-0013, CL-0025", "kics": "volume_has_sensitive_host_directory"},
    precision="high",
    tags=("security",),
)
def sensitive_host_mount(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    return scoped(c, _sensitive_host_mount(c, ctx), Severity.HIGH)


def _sensitive_host_mount(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    for m in c.volumes:
        src = bind_source(m)
        if src is None:
            continue
        j = judge(src, m.read_only)
        if j is None:
            continue
        target = f" at {quote(m.target.text, 40)}" if m.target is not None else ""
        head = f"{subject(c)} mounts {quote(src)}{default_note(m)}{target} {'read-only' if m.read_only else 'writable'}"
        msg = _with_what(head, j.what, room(c))
        yield Hit(m.span, msg, severity=j.severity, context=f"{c.name.value}:{src}")


def _with_what(head: str, what: str, limit: int) -> str:
    """``head: what`` (what the path is to the host), or with only the words of ``what``
    before its first ``:``/``(`` when that fits, or ``head`` alone: the rule page says why the
    grade is what it is (reading is the harm, ':ro' does not stop disclosure...)."""
    short = what.split(":", 1)[0].split(" (", 1)[0]
    for text in (what, short, short.split(", ", 1)[0].split(" which ", 1)[0]):
        if len(head) + 2 + len(text) <= limit:
            return f"{head}: {text}"
    return head
