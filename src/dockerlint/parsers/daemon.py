"""Assemble the daemon parts of one scan (daemon.json files, units, drop-ins) into Daemons.

**Which parts form one daemon.** Parts that belong to the same host form one daemon. A
part's *host root* is the path prefix before the first ``etc/docker/``,
``etc/systemd/``, ``run/systemd/``, ``lib/systemd/``, ``usr/lib/systemd/``,
``etc/default/``, ``etc/sysconfig/``, ``.config/docker/`` or ``.config/systemd/``
component in its path (a host tree such as ``srv/host1/etc/...``); otherwise the file's
folder (for a drop-in ``x.service.d/y.conf``, the folder holding ``x.service.d``).
Parts with the same root are one group.

**Within a group:**

* units with the same name: the base unit file is taken from the first of
  ``etc/systemd`` > ``run/systemd`` > ``(usr/)lib/systemd`` > elsewhere (systemd's search
  order); drop-ins apply over it in file-name order, from its own folder, its template's
  (``foo@.service.d``), its dash prefixes' (``docker-.socket.d``) and its type's
  (``service.d``), a same-named drop-in found first replacing a later one
  (:func:`dropin_specificity`, :func:`_units`), and ``ExecStart=`` / ``ListenStream=``
  resets are honoured across files;
* the *main* daemon is ``docker.service`` (else the first service that runs dockerd)
  together with the group's main daemon.json: the file named exactly ``daemon.json``
  (else the first ``*daemon.json`` by path). Any other ``*daemon.json`` in the group
  (``lambda.daemon.json`` next to ``daemon.json``: alternative configs, not layers) is a
  daemon of its own, and so is any other service unit that runs dockerd;
* socket units are routed like systemd routes them: ``Service=``, else the service with
  the socket's name. Decision for ``docker-tcp.socket`` without ``Service=`` (systemd
  would look for ``docker-tcp.service``, which nobody writes): a ``docker*`` socket whose
  target service is not in the group is taken as Docker's API socket and routed to the
  main daemon, so its exposure is never missed. A socket whose ``Service=`` names a
  non-Docker service is not part of any daemon.

Settings come from daemon.json (origin ``file``) first, then the effective ``ExecStart=``
flags (origin ``flag``); listeners from ``hosts``, ``-H`` and the routed sockets'
``ListenStream=``. A group holding only a socket unit is still a Daemon (with no
configuration: rules read that as "no TLS configured").

**Variables in the ExecStart.** ``$VAR`` / ``${VAR}`` words are expanded from the service's
environment as systemd builds it: the manager's variables ``PassEnvironment=`` names (not
known here), then ``Environment=`` lines of the unit and its drop-ins in
order (an empty one resets), overridden by the ``EnvironmentFile=`` files (``-`` = optional),
which are matched by their host path (``/etc/default/docker``; specifiers expanded, the path
simplified, globs matched as systemd does) against the environment files of the same host
group; ``UnsetEnvironment=`` (a name, or a ``NAME=value`` that must match) applies last.
A flag from a variable keeps the span where its text is written (the
``Environment=`` value, the environment-file line) and says so in ``DaemonSetting.via``. A
variable no file of the scan sets is left unexpanded (``Daemon.unresolved``: "flags hidden"),
unless the unit reads environment files and all of them are in the scan: then it is unset,
and ``$VAR`` gives no words.

**No unit runs dockerd** (only drop-ins without ``ExecStart=``, or no service at all) but the
group sets a packaged unit's variables: the daemon gets the flags of those variables and
``Daemon.assumed`` says which unit was assumed (its own words, such as ``-H fd://``, are not
added: no file here writes them). Decisions:

* ``DOCKER_OPTS`` (from a drop-in's ``Environment=`` or ``etc/default/docker``): Debian's
  docker.io unit, ``EnvironmentFile=-/etc/default/docker`` and ``ExecStart=/usr/bin/dockerd
  -H fd:// $DOCKER_OPTS``; an ``/etc/default/docker`` not in the scan is taken as the
  package's (which sets nothing). Docker's own docker-ce unit does not read it at all;
* ``etc/sysconfig/docker`` (without ``etc/default/docker``): the RHEL-family units and init
  scripts, which read ``$OPTIONS`` (RHEL 7 docker), ``$DOCKER_OPTS``, ``$DOCKER_OPTIONS`` or
  ``$other_args`` (EL6): every one that is set is taken.

An environment file no unit of its group reads (and no assumption uses) configures nothing.

**Rootless**: for a rootless daemon, ``-p`` forwards in ``DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS``
become ``Daemon.port_forwards`` (host address -> port inside RootlessKit).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from dockerlint.models.base import LStr, Span
from dockerlint.models.daemon import Daemon, DaemonSetting, Listener, SocketUnit
from dockerlint.parsers.daemon_command import split_shell_value
from dockerlint.parsers.daemon_json import DaemonJsonPart, parse_host
from dockerlint.parsers.output import Problem
from dockerlint.parsers.systemd import (
    START_HOOKS,
    Directive,
    EnvFilePart,
    Environment,
    ExecCommand,
    UnitPart,
    Word,
    assumed_command,
    effective,
    env_file_matches,
    env_file_path,
    environment_assignments,
    expand_command,
    hook_daemon,
    is_podman_unit,
    parse_dockerd_args,
    split_value,
    split_words,
)

_ROOT_MARKERS = (
    "etc/docker/",
    "etc/systemd/",
    "run/systemd/",
    "usr/lib/systemd/",
    "lib/systemd/",
    "etc/default/",
    "etc/sysconfig/",
    ".config/docker/",
    ".config/systemd/",
)
_DROPIN_DIR = re.compile(r"^(?:.+\.[A-Za-z]+|service|socket)\.d$")


@dataclass
class Assembled:
    models: list[Daemon] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def host_root(path: str) -> str:
    """The prefix that identifies the host a config file belongs to (see the module doc)."""
    p = path.replace("\\", "/")
    probe = "/" + p
    best = -1
    for marker in _ROOT_MARKERS:
        at = probe.find("/" + marker)
        if at >= 0 and (best < 0 or at < best):
            best = at
    if best >= 0:
        return p[:best].rstrip("/")
    folder = p.rsplit("/", 1)[0] if "/" in p else ""
    last = folder.rsplit("/", 1)[-1]
    if _DROPIN_DIR.match(last):
        folder = folder.rsplit("/", 1)[0] if "/" in folder else ""
    return folder


def _priority(path: str) -> int:
    probe = "/" + path.replace("\\", "/")
    if "/etc/systemd/" in probe or "/.config/systemd/" in probe:
        return 0
    if "/run/systemd/" in probe:
        return 1
    if "/lib/systemd/" in probe:
        return 2
    return 3


# -- units across files ----------------------------------------------------------------------


@dataclass
class _Unit:
    """A unit with its drop-ins applied."""

    name: str
    base: UnitPart | None
    dropins: list[UnitPart]

    @property
    def files(self) -> list[UnitPart]:
        return ([self.base] if self.base else []) + self.dropins

    @property
    def paths(self) -> list[str]:
        return [f.path for f in self.files]

    def directives(self, section: str, key: str) -> list[Directive]:
        return [d for f in self.files for d in f.directives(section, key)]

    def effective(self, section: str, key: str) -> list[Directive]:
        """A list setting across the unit file and its drop-ins, resets honoured (:func:`effective`)."""
        return effective(self.directives(section, key))

    def last(self, section: str, key: str) -> Directive | None:
        """A single-valued setting: the last assignment wins; an empty one restores the default."""
        found = self.directives(section, key)
        return found[-1] if found and not found[-1].is_reset else None

    def commands(self) -> list[ExecCommand]:
        """The effective ``ExecStart=`` commands (resets honoured across the files)."""
        return effective(c for f in self.files for c in f.exec_starts)

    def hook_commands(self, key: str) -> list[ExecCommand]:
        """The effective ``ExecStartPre=`` or ``ExecStartPost=`` commands (resets honoured)."""
        return effective(c for f in self.files for c in f.exec_hooks.get(key, []))

    @property
    def first_line(self) -> Span:
        return self.files[0].first_line


def dropin_specificity(folder: str, unit: str) -> int | None:
    """How specifically the drop-in folder ``<folder>.d`` names ``unit`` (systemd.unit(5)):
    3 for the unit itself, 2 for its template (``foo@.service`` for ``foo@bar.service``), 1 for a
    dash prefix (``foo-.service`` and ``foo-bar-.service`` for ``foo-bar-baz.service``), 0 for
    all units of its type (``service``); None when it does not apply."""
    if folder == unit:
        return 3
    stem, dot, unit_type = unit.rpartition(".")
    if not dot:
        return None
    if folder == unit_type:
        return 0
    prefix, at, _ = stem.partition("@")
    if at and folder == f"{prefix}@.{unit_type}":
        return 2
    if folder.endswith(f"-.{unit_type}"):
        start = folder[: -len(unit_type) - 1]  # "foo-"
        if stem.startswith(start) and len(stem) > len(start):
            return 1
    return None


def _is_pattern(folder: str) -> bool:
    """A drop-in folder for several units (a dash prefix or a whole type), not one unit's."""
    stem, dot, _ = folder.rpartition(".")
    return not dot or stem.endswith("-")


def _units(parts: Iterable[UnitPart]) -> dict[str, _Unit]:
    """The units of a group with their drop-ins, as systemd finds them (dropin.c): the unit's
    own folder, its template's, those of its dash prefixes (longest first) in each unit path
    (``/etc`` before ``/run`` before ``/usr/lib``), then its type's in each. Drop-ins apply in
    file-name order; of two with the same name, the one in the folder found first wins."""
    parts = list(parts)
    by_name: dict[str, list[UnitPart]] = {}
    for p in parts:
        if not (p.dropin and _is_pattern(p.name)):
            by_name.setdefault(p.name, []).append(p)
    dropins = [p for p in parts if p.dropin]
    out: dict[str, _Unit] = {}
    for name in sorted(by_name):
        bases = sorted((f for f in by_name[name] if not f.dropin), key=lambda f: (_priority(f.path), f.path))
        ranked = []
        for f in dropins:
            rank = dropin_specificity(f.name, name)
            if rank is not None:
                ranked.append(((rank == 0, _priority(f.path), -rank, -len(f.name), f.path), f))
        chosen: dict[str, UnitPart] = {}
        for _, f in sorted(ranked, key=lambda r: r[0]):
            chosen.setdefault(f.file_name, f)
        out[name] = _Unit(name, bases[0] if bases else None, [chosen[k] for k in sorted(chosen)])
    return out


_PORT = re.compile(r"\+?(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)")


def _ip_port(text: str) -> int | None:
    """systemd's parse_ip_port: strtoul with base 0 (``0x947`` and ``04507`` are 2375 too),
    1 to 65535; None when systemd refuses it."""
    if not _PORT.fullmatch(text):
        return None
    digits = text.lstrip("+")
    if digits[:2] in ("0x", "0X"):
        digits, base = digits[2:], 16
    elif digits.startswith("0"):
        base = 8
    else:
        base = 10
    digits = digits.lstrip("0") or "0"
    if len(digits) > 6:
        return None
    port = int(digits, base)
    return port if 0 < port <= 0xFFFF else None


def _ifname_valid(name: str) -> bool:
    """An interface name systemd accepts after ``%`` (ifname_valid_full, alternative names allowed)."""
    return (
        0 < len(name) < 128
        and name not in (".", "..")
        and not any(c in "/:%" or c.isspace() or ord(c) < 0x20 for c in name)
    )


def parse_listen_stream(d: Directive, unit: str) -> Listener:
    """A ``ListenStream=`` address as systemd reads it (socket_address_parse; systemd.socket(5)):
    a path or ``@name`` (unix), ``vsock:...``, a port alone (every interface; ``0x947`` and
    ``04507`` are ports too), ``IPv4:port`` or ``[IPv6]:port``, either followed by ``%interface``.
    Specifiers are expanded first. Anything else systemd refuses (scheme "")."""
    value, at = d.printed()
    address = d.printed_lstr()

    def make(scheme: str, host: str | None = None, port: int | None = None, port_span: Span | None = None) -> Listener:
        return Listener(
            address=address, scheme=scheme, host=host, port=port, port_span=port_span, origin="socket", unit=unit
        )

    def sub(a: int, b: int) -> Span:
        return d.sub_span(at[a], at[b - 1] + 1) if at and b > a else d.value_span

    if value.startswith(("/", "@")):
        return make("unix")
    if value.startswith("vsock:"):
        return make("vsock")
    port = _ip_port(value)
    if port is not None:
        return make("tcp", None, port, sub(0, len(value)))  # a port alone: every interface
    text = value
    if "#" in text:
        return make("")
    pct = text.find("%")
    if pct >= 0:
        if not _ifname_valid(text[pct + 1 :]):
            return make("")
        text = text[:pct]
    colon = text.rfind(":")
    if colon < 0:
        return make("")
    if text.startswith("["):
        if text[colon - 1] != "]":
            return make("")
        host = text[1 : colon - 1]
        ok = _ip_valid(host, 6)
    else:
        if _ip_valid(text, 6):
            return make("")  # an IPv6 address without a port
        host = text[:colon]
        ok = _ip_valid(host, 4)
    port = _ip_port(text[colon + 1 :])
    if not ok or port is None:
        return make("")
    return make("tcp", host, port, sub(colon + 1, len(text)))


def _ip_valid(text: str, version: int) -> bool:
    """inet_pton's reading: dotted decimal IPv4 (no leading zeros), or IPv6 without a scope."""
    import ipaddress

    if "%" in text:
        return False
    try:
        (ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address)(text)
    except ValueError:
        return False
    return True


# -- building daemons ------------------------------------------------------------------------


def _socket_model(unit: _Unit) -> tuple[SocketUnit, list[Listener]]:
    listens = unit.effective("Socket", "ListenStream")
    listeners = [parse_listen_stream(d, unit.name) for d in listens]
    header = None
    for f in unit.files:
        s = f.section("Socket")
        if s is not None:
            header = s.span
            break

    def lstr(key: str) -> LStr | None:
        d = unit.last("Socket", key)
        return d.printed_lstr() if d else None

    model = SocketUnit(
        path=unit.files[0].path,
        name=unit.name,
        span=header or unit.first_line,
        listen_streams=[d.printed_lstr() for d in listens],
        service=lstr("Service"),
        socket_mode=lstr("SocketMode"),
        socket_user=lstr("SocketUser"),
        socket_group=lstr("SocketGroup"),
    )
    return model, listeners


# What is assumed when no unit in the scan runs dockerd but a packaged unit's variables are
# set: the unit of the distribution package that reads them (see the module doc).
DEBIAN_UNIT = (
    "Debian's docker.io unit (EnvironmentFile=-/etc/default/docker, ExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS)"
)
RHEL_UNIT = (
    "the RHEL-family docker unit or init script (EnvironmentFile=-/etc/sysconfig/docker; "
    "dockerd gets $OPTIONS, $DOCKER_OPTS, $DOCKER_OPTIONS or $other_args)"
)
# The init scripts that source an environment file as shell (``. /etc/default/docker``), so
# that its ``export NAME=value`` lines, which systemd drops, configure the daemon they start:
# by family, what they are and the variables they pass to dockerd (moby's
# contrib/init/sysvinit-debian/docker and contrib/init/upstart/docker.conf, kept by Debian's
# docker.io; the RHEL-family init script of EL6's docker-io).
INIT_SCRIPTS = {
    "debian": (
        (
            "the sysvinit and upstart scripts of Docker's Debian packages (/etc/init.d/docker, "
            "/etc/init/docker.conf), which source /etc/default/docker as shell"
        ),
        ("DOCKER_OPTS",),
    ),
    "rhel": (
        "the RHEL-family init script (/etc/init.d/docker), which sources /etc/sysconfig/docker as shell",
        ("OPTIONS", "DOCKER_OPTS", "DOCKER_OPTIONS", "other_args"),
    ),
}
_RHEL_VARIABLES = ("OPTIONS", "DOCKER_OPTS", "DOCKER_OPTIONS", "other_args")
_ROOTLESSKIT_FLAGS = "DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS"
_PUBLISH = re.compile(r"^(?:(\[[^\]]*\]|[0-9.]+|[^:/]*):)?([0-9]+):(?:[^:/]*:)?([0-9]+)(?:/(tcp|udp|sctp))?$")


class _Builder:
    def __init__(self, problems: list[Problem], env_files: dict[str, EnvFilePart] | None = None) -> None:
        self.problems = problems
        self.config: DaemonJsonPart | None = None
        self.service: _Unit | None = None
        self.command: ExecCommand | None = None
        self.sockets: list[_Unit] = []
        self.extra: list[str] = []
        self.env_files = env_files or {}  # by the path they have on their host ("/etc/default/docker")
        self.used_env_files: list[str] = []
        self.main = False

    def environment(self, assumed_files: tuple[str, ...] = ()) -> Environment:
        """The service's environment as systemd builds it: ``Environment=`` lines in file order
        (an empty one resets), then the ``EnvironmentFile=`` files, which override them, in order.
        The environment is *complete* (a variable none of them sets is unset: ``$VAR`` gives no
        words) only when the unit reads environment files and all of them are in the scan;
        otherwise a variable the scan does not set may come from a file, drop-in or manager
        environment that is not here, and its words stay unknown."""
        env = Environment()
        for d in self.service_effective("Environment"):
            for a in environment_assignments(d):
                env.values[a.name] = a
        specs = [spec.removeprefix("-") for spec in assumed_files]
        for d in self.service.directives("Service", "EnvironmentFile") if self.service else []:
            if d.is_reset:
                specs.clear()
            elif path := env_file_path(d):  # systemd ignores a path that is not absolute
                specs.append(path)
        passed, unset = self.service_names("PassEnvironment"), self.service_names("UnsetEnvironment")
        env.complete = bool(specs)
        for spec in specs:
            # A path or a glob (systemd expands it and reads the files in order).
            parts = [self.env_files[p] for p in sorted(self.env_files) if env_file_matches(spec, p)]
            if not parts:
                env.complete = False
                continue
            for part in parts:
                self.used_env_files.append(part.path)
                env.values.update(part.values())
        # The manager's variables PassEnvironment= names come first: the unit's override them.
        env.passed = {n for n in passed if n not in env.values}
        for item in unset:  # UnsetEnvironment= is applied last, before the command is expanded
            name, eq, value = item.partition("=")
            if not eq or (name in env.values and env.values[name].value == value):
                env.values.pop(name, None)
                env.passed.discard(name)
        return env

    def service_effective(self, key: str) -> list[Directive]:
        """The service's ``[Service]`` list setting ``key`` in force (none without a service)."""
        return self.service.effective("Service", key) if self.service else []

    def service_names(self, key: str) -> list[str]:
        """The names a ``PassEnvironment=`` / ``UnsetEnvironment=`` list of the service holds."""
        return [w.printed(d.specifiers).value for d in self.service_effective(key) for w in split_words(d)[0]]

    def assume(self) -> tuple[ExecCommand, str] | None:
        """The dockerd command of the packaged unit, when no unit in the scan runs dockerd but its
        variables are set (a loose drop-in's ``Environment=DOCKER_OPTS=...``, /etc/default/docker)."""
        files: tuple[str, ...]
        names: tuple[str, ...]
        if "/etc/default/docker" in self.env_files or "/etc/sysconfig/docker" not in self.env_files:
            files, names, unit = ("-/etc/default/docker",), ("DOCKER_OPTS",), DEBIAN_UNIT
        else:
            files, names, unit = ("-/etc/sysconfig/docker",), _RHEL_VARIABLES, RHEL_UNIT
        env = self.environment(files)
        variables = [env.values[n] for n in names if n in env.values]
        if not variables:
            self.used_env_files.clear()
            return None
        return assumed_command(variables, "docker.service", f"assuming {unit}"), unit

    def port_forwards(self, env: Environment) -> list[Listener]:
        """RootlessKit's ``-p [IP:]PORT:PORT[/PROTO]`` forwards in DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS."""
        value = env.values.get(_ROOTLESSKIT_FLAGS)
        if value is None:
            return []
        words = split_value(value, f"${_ROOTLESSKIT_FLAGS}, set at {value.where}")
        out: list[Listener] = []
        for k, w in enumerate(words):
            spec, at = None, 0
            if w.value in ("-p", "--publish") and k + 1 < len(words):
                spec = words[k + 1]
            elif w.value.startswith(("-p=", "--publish=")):
                spec, at = w, w.value.index("=") + 1
            elif w.value.startswith("-p") and len(w.value) > 2 and w.value[2] != "=":
                spec, at = w, 2
            if spec is None:
                continue
            text = spec.value[at:]
            m = _PUBLISH.match(text)
            if m is None or m.group(4) not in (None, "tcp"):
                continue
            host = (m.group(1) or "0.0.0.0").strip("[]")
            address = LStr(text, spec.sub_span(at, len(spec.value)))
            out.append(
                Listener(
                    address=address,
                    scheme="tcp",
                    host=host,
                    port=int(m.group(2)),
                    port_span=spec.sub_span(at + m.start(2), at + m.end(2)),
                    origin="rootlesskit",
                    target_port=int(m.group(3)),
                )
            )
        return out

    def use_config(self, config: DaemonJsonPart) -> _Builder:
        """This builder, for the daemon a daemon.json configures."""
        self.config = config
        return self

    def use_service(self, unit: _Unit) -> _Builder:
        """This builder, for the daemon a service unit runs: its command (``ExecStart=``, else
        a start hook that runs dockerd)."""
        self.service = unit
        commands = unit.commands()
        kind = unit.last("Service", "Type")
        self.command = None
        if kind is not None and kind.value == "oneshot":
            # The commands run one after the other: the first that runs dockerd keeps running.
            self.command = next((c for c in commands if c.runs_dockerd), commands[-1] if commands else None)
        else:
            self.check_commands(unit, commands)
        if self.command is None or not self.command.runs_dockerd:
            # A daemon started by ExecStartPre= or ExecStartPost= runs too (systemd.START_HOOKS).
            for key in START_HOOKS:
                hook = hook_daemon(unit.hook_commands(key))
                if hook is not None:
                    self.command = hook
                    break
        return self

    def check_commands(self, unit: _Unit, commands: list[ExecCommand]) -> None:
        if len(commands) > 1:
            first, second = commands[0].directive, commands[1].directive
            assert first is not None and second is not None  # commands read from a unit file
            self.problems.append(
                Problem(
                    "DD000",
                    (
                        f"{unit.name} has {len(commands)} ExecStart= commands (first at {first.path}:{first.line}); "
                        f"reset "
                        "it with an empty 'ExecStart=' first"
                    ),
                    second.key_span,
                )
            )
        self.command = commands[-1] if commands else None

    def resolved_command(self) -> tuple[ExecCommand | None, Environment, list[LStr], str | None]:
        """The dockerd command this daemon runs, its variables expanded from the service's
        environment; or, for the main daemon whose unit runs none, the packaged unit's command
        assumed from the variables the scan sets. With the environment, the variables no file
        sets, and which unit was assumed."""
        command = self.command if self.command is not None and self.command.runs_dockerd else None
        if command is not None:
            env = self.environment()
            expanded, unresolved = expand_command(command, env, self.service.name if self.service else "")
            if expanded is not command:
                self.problems.extend(expanded.problems)
            return expanded, env, unresolved, None
        if self.main and (self.service is None or not self.service.commands()):
            found = self.assume()
            if found is not None:
                packaged, assumed = found
                self.problems.extend(packaged.problems)
                return packaged, Environment(), [], assumed
        return None, Environment(), [], None

    def service_origin(self, service: _Unit, command: ExecCommand | None) -> tuple[str | None, Span]:
        """The service unit's path as the daemon's ``service_path`` (the base unit's, else the
        drop-in that runs the command; None when it runs none) and the line that anchors it."""
        if command is None or command.directive is None:
            return None, service.first_line
        if service.base is not None:
            return service.base.path, service.first_line
        path = command.directive.path
        return path, next(f.first_line for f in service.files if f.path == path)

    def build(self) -> Daemon | None:
        """The daemon, or None when nothing configures one (environment files nobody reads)."""
        settings: list[DaemonSetting] = []
        listeners: list[Listener] = []
        sources: list[str] = []
        rootless: LStr | None = None
        anchor: Span | None = None
        service_path: str | None = None
        forwards: list[Listener] = []
        if self.config is not None:
            settings.extend(self.config.settings)
            listeners.extend(self.config.listeners)
            sources.append(self.config.path)
            rootless = self.config.rootless
            anchor = self.config.span
        command, env, unresolved, assumed = self.resolved_command()
        if self.service is not None:
            sources.extend(self.service.paths)
            service_path, unit_anchor = self.service_origin(self.service, command)
            if "/.config/systemd/user/" in "/" + self.service.files[0].path and rootless is None:
                rootless = LStr(
                    f"{self.service.files[0].path} (a per-user unit: rootless Docker)", self.service.first_line
                )
            anchor = anchor or unit_anchor
        if command is not None:
            settings.extend(command.settings)
            listeners.extend(command.listeners)
            rootless = rootless or command.rootless
            if rootless is not None:
                forwards = self.port_forwards(env)
        anchor = self.add_env_files(sources, anchor)
        sockets, anchor = self.add_sockets(listeners, sources, anchor)
        sources.extend(self.extra)
        if anchor is None:
            return None
        seen: set[str] = set()
        unique = [s for s in sources if not (s in seen or seen.add(s))]  # type: ignore[func-returns-value]
        return Daemon(
            path=anchor.path,
            span=anchor,
            config_path=self.config.path if self.config else None,
            service_path=service_path,
            sources=unique,
            settings=settings,
            listeners=listeners,
            sockets=sockets,
            exec_start=command.lstr() if command is not None and command.directive is not None else None,
            rootless=rootless,
            unresolved=unresolved,
            assumed=assumed,
            port_forwards=forwards,
        )

    def add_env_files(self, sources: list[str], anchor: Span | None) -> Span | None:
        """Add the environment files the service read to ``sources`` (each once); the anchor,
        the first one's first line if there was none yet."""
        seen_env: set[str] = set()
        for path in self.used_env_files:
            if path not in seen_env:
                seen_env.add(path)
                sources.append(path)
                anchor = anchor or self.env_files_by_path(path).first_line
        return anchor

    def add_sockets(
        self, listeners: list[Listener], sources: list[str], anchor: Span | None
    ) -> tuple[list[SocketUnit], Span | None]:
        """The routed socket units as models; their ``ListenStream=`` listeners and paths added to
        ``listeners`` and ``sources``; the anchor, the first socket's first line if none yet."""
        sockets: list[SocketUnit] = []
        for sock in self.sockets:
            model, socket_listeners = _socket_model(sock)
            sockets.append(model)
            listeners.extend(socket_listeners)
            sources.extend(sock.paths)
            anchor = anchor or sock.first_line
        return sockets, anchor

    def configures(self, env_files: bool) -> bool:
        """Whether anything could configure this daemon: a daemon.json, a service, a socket, or
        for the main daemon environment files (``env_files``: the group has some)."""
        return self.config is not None or self.service is not None or bool(self.sockets) or (self.main and env_files)

    def env_files_by_path(self, path: str) -> EnvFilePart:
        return next(p for p in self.env_files.values() if p.path == path)


def _group(parts: list[Any], problems: list[Problem]) -> list[Daemon]:
    """The daemons of one host group (see the module doc): the main one, the other services
    that run dockerd, the other daemon.json files, init scripts' and Podman's."""
    configs = sorted((p for p in parts if isinstance(p, DaemonJsonPart)), key=lambda p: p.path)
    env_files: dict[str, EnvFilePart] = {}
    for e in sorted((p for p in parts if isinstance(p, EnvFilePart)), key=lambda p: p.path):
        env_files.setdefault(e.host_path, e)
    units, podman = _without_podman(_units(p for p in parts if isinstance(p, UnitPart)))
    services = {n: u for n, u in units.items() if u.files[0].unit_type == "service"}
    sockets = {n: u for n, u in units.items() if u.files[0].unit_type == "socket"}
    builders, daemons_order = _service_daemons(services, problems, env_files)
    main = daemons_order[0]
    _route_sockets(sockets.values(), builders, daemons_order, main)
    primary = _primary_config(configs)
    main.config = primary
    daemons_order.extend(_Builder(problems).use_config(c) for c in configs if c is not primary)
    for n, u in units.items():
        if n not in services and n not in sockets:
            main.extra.extend(u.paths)

    out = [daemon for b in daemons_order if b.configures(bool(env_files)) and (daemon := b.build()) is not None]
    out.extend(_init_script_daemons(bool(units), env_files.values(), primary, problems))
    out.extend(_podman_daemon(podman, problems))
    return out


def _primary_config(configs: list[DaemonJsonPart]) -> DaemonJsonPart | None:
    """The group's main daemon.json: the one named exactly so, else the first by path."""
    primary = next((c for c in configs if c.path.rsplit("/", 1)[-1] == "daemon.json"), None)
    return primary if primary is not None or not configs else configs[0]


def _main_service(builders: dict[str, _Builder], runs: list[str]) -> str:
    """The main daemon's service: ``docker.service``, else the first that runs dockerd, else the
    first by name; "" when the group has no service."""
    if "docker.service" in builders:
        return "docker.service"
    if runs:
        return runs[0]
    return min(builders) if builders else ""


def _service_daemons(
    services: dict[str, _Unit], problems: list[Problem], env_files: dict[str, EnvFilePart]
) -> tuple[dict[str, _Builder], list[_Builder]]:
    """A builder for each service, by name; and the daemons among them: the main daemon first
    (a builder without a service when the group has none), then the other services that run
    dockerd. The paths of services that are no daemon go to the main daemon's sources."""
    builders = {u.name: _Builder(problems, env_files).use_service(u) for u in services.values()}
    runs = [n for n, b in builders.items() if b.command is not None and b.command.runs_dockerd]
    main_name = _main_service(builders, runs)
    main = builders[main_name] if main_name else _Builder(problems, env_files)  # "": no service
    main.main = True
    for name, b in builders.items():
        if name != main_name and name not in runs:
            main.extra.extend(b.service.paths if b.service else [])
    return builders, [main, *(builders[n] for n in runs if n != main_name)]


def _route_sockets(
    sockets: Iterable[_Unit], builders: dict[str, _Builder], daemons: list[_Builder], main: _Builder
) -> None:
    """Route each socket unit as systemd does (``Service=``, else the service of its name) to the
    daemon of that service (``daemons``: the builders that are daemons); a ``docker*`` socket whose
    service is not one goes to the main daemon (see the module doc), any other to none."""
    for sock in sockets:
        service = sock.last("Socket", "Service")
        target = service.printed()[0] if service else sock.name.rsplit(".", 1)[0] + ".service"
        if target in builders and builders[target] in daemons:
            builders[target].sockets.append(sock)
        elif target.startswith("docker") or (service is None and sock.name.startswith("docker")):
            main.sockets.append(sock)


def _without_podman(units: dict[str, _Unit]) -> tuple[dict[str, _Unit], list[_Unit]]:
    """The units of dockerd, and those of Podman's API service (a daemon of their own)."""
    podman = [u for u in units.values() if any(is_podman_unit(f) for f in u.files)]
    names = {u.name for u in podman}
    return {n: u for n, u in units.items() if n not in names}, podman


# What ``podman system service`` TLS options are, as daemon settings (daemon.json key names).
_PODMAN_TLS_KEYS = {"tls-cert": "tlscert", "tls-key": "tlskey", "tls-client-ca": "tlscacert"}


def _podman_daemon(units: list[_Unit], problems: list[Problem]) -> list[Daemon]:
    """Podman's API service of one host: ``podman.socket`` (and any socket routed to a
    ``podman*.service``) and the service that runs ``podman system service [URI]``. It reads no
    daemon.json: its listeners are the sockets' ``ListenStream=`` and the URI; TLS is on only
    with ``--tls-cert`` and ``--tls-key`` (Podman 5.7 and later; ``--tls-client-ca`` verifies
    clients). Without them a TCP address serves the API in plain HTTP, with no authentication."""
    if not units:
        return []
    listeners: list[Listener] = []
    sockets: list[SocketUnit] = []
    settings: list[DaemonSetting] = []
    sources: list[str] = []
    anchor: Span | None = None
    rootless: LStr | None = None
    for unit in units:
        sources.extend(unit.paths)
        anchor = anchor or unit.first_line
        if "/.config/systemd/user/" in "/" + unit.files[0].path and rootless is None:
            rootless = LStr(f"{unit.files[0].path} (a per-user unit: rootless Podman)", unit.first_line)
        if unit.files[0].unit_type == "socket":
            model, found = _socket_model(unit)
            sockets.append(model)
            listeners.extend(found)
            continue
        commands = [c for c in unit.commands() if c.podman]
        if not commands:
            continue
        cmd = commands[-1]
        if cmd.podman_uri is not None and not cmd.podman_uri.opaque:
            uri = cmd.podman_uri
            listener, error = parse_host(uri.lstr, "flag", uri.sub_span)
            listeners.append(listener)
            if error:
                problems.append(Problem("DD000", error.replace("dockerd", "podman"), uri.lstr.span))
        for name, word in cmd.podman_tls.items():
            settings.append(
                DaemonSetting(
                    key=_PODMAN_TLS_KEYS[name],
                    value=word.value,
                    span=word.lstr.span,
                    value_span=word.lstr.span,
                    origin="flag",
                    written_key=f"--{name}",
                )
            )
        if "tls-cert" in cmd.podman_tls and "tls-key" in cmd.podman_tls:
            word = cmd.podman_tls["tls-cert"]
            settings.append(
                DaemonSetting(
                    key="tls",
                    value=True,
                    span=word.lstr.span,
                    value_span=word.lstr.span,
                    origin="flag",
                    written_key="--tls-cert",
                )
            )
            if "tls-client-ca" in cmd.podman_tls:
                ca = cmd.podman_tls["tls-client-ca"]
                settings.append(
                    DaemonSetting(
                        key="tlsverify",
                        value=True,
                        span=ca.lstr.span,
                        value_span=ca.lstr.span,
                        origin="flag",
                        written_key="--tls-client-ca",
                    )
                )
    assert anchor is not None
    return [
        Daemon(
            path=anchor.path,
            span=anchor,
            config_path=None,
            service_path=None,
            sources=sources,
            settings=settings,
            listeners=listeners,
            sockets=sockets,
            exec_start=None,
            rootless=rootless,
            unresolved=[],
            assumed=None,
            port_forwards=[],
            engine="podman",
        )
    ]


def _init_script_daemons(
    systemd: bool, env_files: Iterable[EnvFilePart], config: DaemonJsonPart | None, problems: list[Problem]
) -> Iterator[Daemon]:
    """The daemons init scripts start with the export lines of the environment files, when the
    host tree has no systemd unit of Docker (``systemd``): a drop-in or socket unit, even one
    without ``ExecStart=``, says systemd runs Docker there, and systemd drops those lines."""
    if systemd:
        return
    for part in env_files:
        daemon = _init_script_daemon(part, config, problems)
        if daemon is not None:
            yield daemon


def _init_script_daemon(part: EnvFilePart, config: DaemonJsonPart | None, problems: list[Problem]) -> Daemon | None:
    """The daemon an init script starts with an environment file whose ``export`` lines change
    its options (see :data:`INIT_SCRIPTS`); None when systemd and a shell read the same options.

    systemd drops ``export DOCKER_OPTS=…``, a shell sourcing the file applies it: on a host whose
    sysvinit or upstart script starts Docker, those options are live. The daemon gets the
    options as that script passes them (``$DOCKER_OPTS`` unquoted: split at blanks, no quote
    removal) and the group's daemon.json; it is not judged for settings it lacks (its
    script's own words are not in the scan)."""
    description, names = INIT_SCRIPTS[part.family]
    shell = part.shell_values()
    systemd_values = part.values()
    if not any(n in shell and shell[n] is not systemd_values.get(n) for n in names):
        return None
    anchor = part.first_line
    words = [Word("/usr/bin/dockerd", 0, 0, [], LStr("/usr/bin/dockerd", anchor))]
    for name in names:
        v = shell.get(name)
        if v is None:
            continue
        via = f"${name}, set at {v.where}"
        if v is not systemd_values.get(name):
            via += (
                " by an 'export' line, which systemd ignores but a sysvinit or upstart script that "
                "sources the file applies"
            )
        words.extend(split_shell_value(v, via))
    command = ExecCommand(None, words=words)
    parse_dockerd_args(command, "docker", command.problems)
    problems.extend(command.problems)
    settings: list[DaemonSetting] = []
    listeners: list[Listener] = []
    sources = [part.path]
    if config is not None:
        settings.extend(config.settings)
        listeners.extend(config.listeners)
        sources.append(config.path)
    return Daemon(
        path=anchor.path,
        span=anchor,
        config_path=None,
        service_path=None,
        sources=sources,
        settings=[*settings, *command.settings],
        listeners=[*listeners, *command.listeners],
        sockets=[],
        exec_start=None,
        rootless=command.rootless or (config.rootless if config else None),
        unresolved=[],
        assumed=description,
        port_forwards=[],
    )


def assemble(parts: list[Any]) -> Assembled:
    """Group the parts of one scan by host and build one Daemon per configured daemon."""
    result = Assembled()
    groups: dict[str, list[Any]] = {}
    for p in parts:
        groups.setdefault(host_root(p.path), []).append(p)
    for root in sorted(groups):
        result.models.extend(_group(groups[root], result.problems))
    return result
