"""DC104 sensitive-host-mount: a bind mount of a host system path (not ``/``, not the socket)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from dockerlint.checks._mounts import bind_source, default_note
from dockerlint.engine import RuleContext
from dockerlint.models.container import Container
from dockerlint.registry import Hit, Severity, rule


@dataclass(frozen=True)
class Sensitive:
    what: str  # what the path holds, for the message
    secret: bool = False  # reading it is the harm: high even when read-only
    write_only: bool = False  # harmless to read: reported only when writable


# Mounted themselves, anything inside them, or a folder that contains them: reported.
TREES: dict[str, Sensitive] = {
    "/proc": Sensitive("the host's /proc: host processes' command lines and environment, kernel tunables "
                       "(/proc/sys) and /proc/sysrq-trigger"),
    "/sys": Sensitive("the host's /sys: kernel, device and cgroup settings (a writable cgroup tree is the "
                      "release_agent escape)"),
    "/boot": Sensitive("the host's kernel and boot loader files"),
    "/lib/modules": Sensitive("the host's kernel modules, which run inside the host kernel"),
    "/usr/lib/modules": Sensitive("the host's kernel modules, which run inside the host kernel"),
    "/var/lib/docker": Sensitive("Docker's data root: every container's filesystem, volumes, logs and "
                                 "configuration (with its environment secrets)"),
    "/var/lib/containerd": Sensitive("containerd's data root: every container's filesystem"),
    "/var/lib/kubelet": Sensitive("the kubelet's data: every pod's volumes, service-account tokens and secrets"),
    "/etc/kubernetes": Sensitive("the Kubernetes configuration: the admin kubeconfig and the cluster's PKI "
                                 "keys", secret=True),
}
# Mounted themselves (or a folder that contains them): reported; inside them, only the
# paths listed in INSIDE.
TOPS: dict[str, Sensitive] = {
    "/etc": Sensitive("the host's /etc: /etc/shadow, SSH host keys, sudoers, cron jobs and systemd units"),
    "/root": Sensitive("root's home on the host: SSH keys, shell startup files, cloud and registry credentials"),
    "/home": Sensitive("the users' homes on the host: SSH keys, shell startup files and credentials"),
    "/dev": Sensitive("the host's /dev: the device nodes of every disk and of memory, usable as soon as the "
                      "device cgroup allows them"),
    "/usr": Sensitive("the host's /usr: the programs and libraries the host runs as root"),
    "/lib": Sensitive("the host's system libraries, loaded by every program the host runs"),
    "/lib64": Sensitive("the host's system libraries, loaded by every program the host runs"),
    "/bin": Sensitive("the host's system programs"),
    "/sbin": Sensitive("the host's system programs"),
}
_PASSWORDS = Sensitive("the host's password hashes", secret=True)
_LOGIN = Sensitive("how the host authenticates logins", write_only=True)
_SHELL = Sensitive("a shell startup file root runs at login", write_only=True)
_BOOT = Sensitive("settings the host applies to its kernel at boot", write_only=True)
_ROOT_JOBS = Sensitive("jobs and scripts the host runs as root", write_only=True)
_NAMES = Sensitive("the host's own name resolution", write_only=True)
INSIDE: dict[str, Sensitive] = {
    "/etc/shadow": _PASSWORDS, "/etc/gshadow": _PASSWORDS, "/etc/shadow-": _PASSWORDS,
    "/etc/ssh": Sensitive("the host's SSH host keys and sshd configuration", secret=True),
    "/etc/ssl/private": Sensitive("the host's TLS private keys", secret=True),
    "/etc/docker": Sensitive("the Docker daemon's configuration and its TLS keys", secret=True),
    "/etc/passwd": Sensitive("the host's user accounts", write_only=True),
    "/etc/group": Sensitive("the host's groups (who is in 'docker' and 'sudo')", write_only=True),
    "/etc/sudoers": Sensitive("who may become root on the host", write_only=True),
    "/etc/sudoers.d": Sensitive("who may become root on the host", write_only=True),
    "/etc/pam.d": _LOGIN, "/etc/security": _LOGIN,
    "/etc/crontab": _ROOT_JOBS, "/etc/cron.d": _ROOT_JOBS, "/etc/cron.hourly": _ROOT_JOBS,
    "/etc/cron.daily": _ROOT_JOBS, "/etc/cron.weekly": _ROOT_JOBS, "/etc/cron.monthly": _ROOT_JOBS,
    "/etc/systemd": _ROOT_JOBS, "/etc/init.d": _ROOT_JOBS, "/etc/rc.local": _ROOT_JOBS,
    "/etc/ld.so.preload": Sensitive("what the dynamic loader injects into every program", write_only=True),
    "/etc/ld.so.conf": Sensitive("where every program loads its libraries from", write_only=True),
    "/etc/ld.so.conf.d": Sensitive("where every program loads its libraries from", write_only=True),
    "/etc/profile": _SHELL, "/etc/profile.d": _SHELL, "/etc/environment": _SHELL, "/etc/bash.bashrc": _SHELL,
    "/etc/modprobe.d": _BOOT, "/etc/modules-load.d": _BOOT, "/etc/modules": _BOOT,
    "/etc/sysctl.conf": _BOOT, "/etc/sysctl.d": _BOOT, "/etc/fstab": _BOOT,
    "/etc/hosts": _NAMES, "/etc/resolv.conf": _NAMES,
    "/dev/shm": Sensitive("the host's shared memory: other processes' shared-memory segments"),
    "/dev/mqueue": Sensitive("the host's POSIX message queues"),
}
# Folders of executables and libraries inside /usr: harmless to read, dangerous to write.
_BIN_DIRS = ("/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib32", "/usr/lib64", "/usr/libexec",
             "/usr/local/bin", "/usr/local/sbin", "/usr/local/lib")
_BINARIES = Sensitive("programs or libraries the host runs as root", write_only=True)
# In any home folder: credentials (secret) and files run at login (writable only).
_HOME_SECRETS = frozenset({".ssh", ".gnupg", ".aws", ".azure", ".kube", ".docker", ".netrc",
                           ".git-credentials", ".npmrc", ".pypirc", ".pgpass", ".vault-token",
                           ".config/gcloud", ".config/gh"})
_HOME_STARTUP = frozenset({".bashrc", ".bash_profile", ".bash_login", ".profile", ".zshrc", ".zprofile",
                           ".config/autostart", ".config/systemd"})
# Harmless wherever they are mounted from: the clock's time zone.
BENIGN = frozenset({"/etc/localtime", "/etc/timezone"})

_HOME = re.compile(r"^(~|\$HOME|\$\{HOME\}|/root|/home/[^/]+|/Users/[^/]+)(?:/(.*))?$")


def _under(path: str, folder: str) -> bool:
    return path.startswith(folder + "/")


def _home(path: str) -> Sensitive | None:
    m = _HOME.match(path)
    if m is None:
        return None
    home, rest = m.group(1), (m.group(2) or "").rstrip("/")
    whose = "root's" if home == "/root" else "a user's"
    if not rest:
        return Sensitive(f"{whose} home folder on the host: SSH keys, shell startup files, cloud and "
                         "registry credentials")
    for name in _HOME_SECRETS:
        if rest == name or rest.startswith(name + "/"):
            return Sensitive(f"{whose} credentials on the host ({name})", secret=True)
    for name in _HOME_STARTUP:
        if rest == name or rest.startswith(name + "/"):
            return Sensitive(f"{whose} login startup files on the host ({name}), run at the next login",
                             write_only=True)
    return None


def classify(path: str) -> Sensitive | None:
    """What makes host ``path`` sensitive, or None (``/`` is DC103's, the API socket DC101's)."""
    if path == "/" or path in BENIGN:
        return None
    if not path.startswith("/"):
        return _home(path)
    for folder, s in TREES.items():
        if path == folder or _under(path, folder):
            return s
    if path in TOPS:
        return TOPS[path]
    for folder, s in (*TREES.items(), *TOPS.items()):
        if _under(folder, path):  # /var contains /var/lib/docker, /usr/lib /usr/lib/modules
            return Sensitive(f"{path!r}, which contains {folder}: {s.what}", secret=s.secret)
    for folder, s in INSIDE.items():
        if path == folder or _under(path, folder):
            return s
    if any(path == d or _under(path, d) for d in _BIN_DIRS):
        return _BINARIES
    if any(_under(path, d) for d in ("/lib", "/lib64", "/bin", "/sbin")):
        return _BINARIES
    return _home(path)


@rule(id="DC104", name="sensitive-host-mount", reads=Container, severity=Severity.HIGH,
      summary="A sensitive host path (/etc, /proc, /sys, /dev, /usr, /var/lib/docker, homes...) is bind-mounted",
      cwe=(250, 668), cis=("5.5",),
      peers={"compose-lint": "CL-0013, CL-0025", "kics": "volume_has_sensitive_host_directory"},
      precision="high", tags=("security",))
def sensitive_host_mount(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    for m in c.volumes:
        src = bind_source(m)
        if src is None:
            continue
        s = classify(src)
        if s is None or (s.write_only and m.read_only):
            continue
        target = f" at {m.target.text!r}" if m.target is not None else ""
        head = f"{c.label} mounts {src!r}{default_note(m)}{target}"
        if not m.read_only:
            msg = (f"{head} writable: {s.what}; the container can change what the host trusts and runs, "
                   "which is a way to root on the host")
            severity = Severity.HIGH
        elif s.secret:
            msg = f"{head} read-only: {s.what}; reading them is the harm, so ':ro' does not help"
            severity = Severity.HIGH
        else:
            msg = (f"{head} read-only: {s.what}; ':ro' stops the container changing it, not reading "
                   "what it discloses")
            severity = Severity.MEDIUM
        yield Hit(m.span, msg, severity=severity, context=f"{c.name.value}:{src}")
