"""The daemon model: what ``dockerd`` will run with, from every source that configures it.

``daemon.json``, ``dockerd`` flags in a unit's ``ExecStart`` (drop-ins applied, ``$VARIABLES``
expanded from ``Environment=`` and environment files such as ``/etc/default/docker``),
and socket units routed to ``docker.service`` all feed one :class:`Daemon`. Each
setting keeps its provenance (file, span, whether it came from the file or a flag)
so a finding points at the line that caused it.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any, ClassVar

from dockerlint.models.base import LStr, LValue, Root, Span, model


@model
class DaemonSetting:
    """One occurrence of a daemon setting.

    ``key`` is the daemon.json spelling (``tlsverify``, ``hosts``, ``userns-remap``),
    also for flags (``-H`` -> ``hosts``, ``--tlsverify`` -> ``tlsverify``).
    """

    key: str
    value: Any  # parsed value: bool, str, int, list, dict
    span: Span  # where to report: the JSON key, or the flag word
    value_span: Span  # the value as written
    origin: str  # "file" (daemon.json) or "flag" (dockerd command line)
    written_key: str = ""  # the key/flag as written ("-H", "--tlsverify", "tlsverify")
    # A flag that reached dockerd through a variable: which one and where it is set
    # ("$DOCKER_OPTS, set at etc/default/docker:4"); span/value_span then point into that value.
    via: str = ""
    # daemon.json only: the members of an object value (each with its own members/items) and
    # the items of an array value, each with its span. Lets rules point into nested values:
    # dockerd flattens objects one level to check their keys (DD112/DD113), "builder" holds
    # entitlements (DD119), "insecure-registries" lists one registry per item (DD106).
    members: list[DaemonSetting] = field(default_factory=list)
    items: list[LValue] = field(default_factory=list)


@model
class Listener:
    """An address the API listens on."""

    address: LStr  # as written: "tcp://0.0.0.0:2375", "fd://", "2376", "/run/docker.sock"
    scheme: str  # "tcp", "unix", "fd", "npipe", "ssh", "" (unparseable)
    host: str | None = None  # None for port-only forms; "" means "all interfaces"
    port: int | None = None
    port_span: Span | None = None
    origin: str  # "file" (hosts), "flag" (-H), "socket" (ListenStream=), "rootlesskit" (-p forward)
    unit: str | None = None  # socket unit name for origin "socket"
    target_port: int | None = None  # origin "rootlesskit": the port inside RootlessKit it forwards to

    @property
    def is_tcp(self) -> bool:
        return self.scheme == "tcp"

    @property
    def is_loopback(self) -> bool:
        h = (self.host or "").strip("[]").lower()
        return h in {"localhost", "::1"} or h.startswith("127.")


@model
class SocketUnit:
    """A systemd ``.socket`` unit that activates ``docker.service``."""

    path: str
    name: str  # "docker.socket", "docker-tcp.socket"
    span: Span  # the ``[Socket]`` section header (or first line)
    listen_streams: list[LStr] = field(default_factory=list)  # effective, after resets
    service: LStr | None = None  # ``Service=``
    socket_mode: LStr | None = None
    socket_user: LStr | None = None
    socket_group: LStr | None = None


@model
class Daemon(Root):
    """One Docker daemon as configured by the sources found together in a scan."""

    KIND: ClassVar[str] = "daemon"
    # The file daemon-wide findings belong to, and the place they point at: the first line
    # of daemon.json if there is one, else the first line of the service unit.
    path: str
    span: Span
    config_path: str | None = None  # the daemon.json path
    service_path: str | None = None  # docker.service (the unit whose ExecStart runs dockerd)
    sources: list[str] = field(default_factory=list)  # every file that contributed
    settings: list[DaemonSetting] = field(default_factory=list)  # every occurrence, in order
    listeners: list[Listener] = field(default_factory=list)
    sockets: list[SocketUnit] = field(default_factory=list)
    exec_start: LStr | None = None  # the effective ExecStart= that runs dockerd
    rootless: LStr | None = None  # evidence of rootless mode (dockerd-rootless.sh, "rootless": true)
    # $VAR / ${VAR} words of the ExecStart whose value no file in the scan gives (an
    # EnvironmentFile= that is not in the scan may set them): flags hidden from the linter.
    unresolved: list[LStr] = field(default_factory=list)
    # When no unit in the scan runs dockerd but a packaged unit's variables are set (a loose
    # drop-in with Environment=DOCKER_OPTS=..., /etc/default/docker, /etc/sysconfig/docker):
    # the unit assumed to use them ("Debian's docker.io unit (ExecStart=... $DOCKER_OPTS)").
    assumed: str | None = None
    # Rootless: host ports RootlessKit forwards into its namespace (DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS -p).
    port_forwards: list[Listener] = field(default_factory=list)
    # The engine whose API this is: "docker" (dockerd), or "podman" (Podman's API service,
    # ``podman system service``, socket-activated by podman.socket; it reads no daemon.json).
    engine: str = "docker"

    def all(self, key: str) -> list[DaemonSetting]:
        return [s for s in self.settings if s.key == key]

    def get(self, key: str) -> DaemonSetting | None:
        """The effective occurrence of ``key`` (last in file order, flags after the file)."""
        found = self.all(key)
        return found[-1] if found else None

    def value(self, key: str, default: Any = None) -> Any:
        setting = self.get(key)
        return default if setting is None else setting.value

    @property
    def tcp_listeners(self) -> list[Listener]:
        return [lst for lst in self.listeners if lst.is_tcp]

    @property
    def tls_enabled(self) -> bool:
        """Whether dockerd serves TLS.

        dockerd (``loadDaemonCliConfig``): "if they specify TLSVerify at all then we need to
        turn on TLS", so ``tlsverify`` set to true *or false* turns TLS on; otherwise ``tls``
        decides.
        """
        tv = self.get("tlsverify")
        if tv is not None and isinstance(tv.value, bool):
            return True
        return self.value("tls") is True
