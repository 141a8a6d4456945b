"""The container model: one shape for a Compose service and a ``docker run`` line.

Parsers normalize every syntax (Compose short and long forms, ``-v``/``--mount``,
``-e K=V``/``environment:`` mapping) into these models, so a ``DC`` rule is
written once. Each value keeps the span of the narrowest source text that sets
it: the Compose key or list item, or the command-line word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field
from typing import Any, ClassVar

from dockerlint.models.base import LBool, LStr, Root, Span, model
from dockerlint.util.paths import path_key


@model
class Mount:
    """A volume or bind mount."""

    span: Span  # the whole list item / flag value
    type: str  # "bind", "volume", "tmpfs", "npipe", "image", "cluster"
    source: LStr | None = None  # host path (bind) or volume name; None for anonymous volumes
    target: LStr | None = None
    read_only: bool = False
    propagation: LStr | None = None  # "shared", "rshared", ...
    options: list[str] = field(default_factory=list)  # raw mode/option words ("ro", "z", "rshared")

    @property
    def is_bind(self) -> bool:
        return self.type == "bind"


@model
class PortBinding:
    """A published port (``ports:`` item, ``-p``)."""

    span: Span
    host_ip: LStr | None = None
    host_port: LStr | None = None  # may be a range ("8000-8010"); None: ephemeral host port
    container_port: LStr
    protocol: str = "tcp"


@model
class EnvVar:
    """An environment variable given to the container."""

    name: LStr
    value: LStr | None  # None: passed through from the caller's environment (``- FOO``)
    span: Span  # the whole item (``- FOO=bar`` / ``FOO: bar`` / ``-e FOO=bar``)


@model
class InlineDockerfile:
    """``build.dockerfile_inline`` of a Compose service: a Dockerfile written in the Compose
    file, which the engine lints where it is written (:mod:`dockerlint.parsers.inline`)."""

    value: LStr  # the YAML string (``value``), interpolated as Compose does (``text``), the scalar's span
    style: str | None = None  # the scalar's YAML style: None (plain), "'", '"', "|" or ">"
    # How the interpolated text maps back to the written one, piece by piece: (interpolated
    # start, end, written start, end, copied) (``compose.Interpolated.pieces``).
    pieces: list[tuple[int, int, int, int, bool]] = field(default_factory=list)

    @property
    def path(self) -> str:
        """What the build is called in the scan (``ImageBuild.path``): below the Compose file's
        path, so it can be no file of the tree."""
        s = self.value.span
        return f"{s.path}/dockerfile_inline:{s.line}:{s.col}"


@model
class BuildRef:
    """``build:`` of a Compose service."""

    span: Span
    key_span: Span | None = None  # the ``build`` key (where findings about the built image point)
    context: LStr | None = None
    dockerfile: LStr | None = None
    target: LStr | None = None
    privileged: LBool | None = None
    # The Dockerfile the build reads, as a display path like ``ImageBuild.path`` (context
    # resolved against the folder of the file that writes it); None when it is not a
    # local file known statically (a git/URL context, ``dockerfile_inline``, variables).
    dockerfile_path: str | None = None
    inline: InlineDockerfile | None = None  # ``dockerfile_inline``

    @property
    def built_path(self) -> str | None:
        """The Dockerfile the build reads as the scan calls it: ``dockerfile_path``, or the
        inline Dockerfile's :attr:`InlineDockerfile.path`."""
        if self.dockerfile_path is not None:
            return self.dockerfile_path
        return self.inline.path if self.inline is not None else None


@model
class Container(Root):
    """A container as the engine would create it."""

    KIND: ClassVar[str] = "container"
    source: str  # "compose", "cli", ...
    path: str
    name: LStr  # Compose: the service name key; command line: the ``docker run`` words
    span: Span  # the whole construct (service mapping / command line)
    image: LStr | None = None
    build: BuildRef | None = None
    # When the image is pulled: Compose ``pull_policy`` (always, missing, never, build, daily,
    # weekly, every_<duration>, refresh), ``docker run --pull`` (always, missing, never).
    pull_policy: LStr | None = None
    privileged: LBool | None = None
    read_only: LBool | None = None
    init: LBool | None = None  # an init process (tini) as PID 1: Compose ``init``, ``--init``
    user: LStr | None = None
    userns_mode: LStr | None = None
    network_mode: LStr | None = None
    pid: LStr | None = None
    ipc: LStr | None = None
    uts: LStr | None = None
    cgroup: LStr | None = None
    cap_add: Sequence[LStr] = ()
    cap_drop: Sequence[LStr] = ()
    security_opt: Sequence[LStr] = ()
    devices: Sequence[LStr] = ()
    device_cgroup_rules: Sequence[LStr] = ()
    volumes: Sequence[Mount] = ()
    ports: Sequence[PortBinding] = ()
    environment: Sequence[EnvVar] = ()
    env_files: Sequence[LStr] = ()
    command: Sequence[LStr] = ()
    entrypoint: Sequence[LStr] = ()
    mem_limit: LStr | None = None
    pids_limit: LStr | None = None
    cpus: LStr | None = None
    cpu_shares: LStr | None = None  # relative CPU weight (CIS 5.11 accepts it as a CPU control)
    cpu_quota: LStr | None = None  # CFS quota in microseconds per period (what ``cpus`` sets)
    profiles: Sequence[str] = ()
    # Who creates the container when options such as security_opt or resource limits cannot
    # be set where it is declared (a GitLab CI service: the runner; a ``docker compose run``
    # line: the Compose service, whose definition holds them). Rules about such options stay
    # silent for it: the line offers no way to set them.
    managed_by: str | None = None
    # A container a CI job creates for itself and removes with it (a GitLab CI service; a
    # GitHub Actions job container or service): the images of that job's services, the
    # throwaway datastores the job reaches (empty for any other container).
    job_services: Sequence[str] = ()
    # Who runs it, where its location says (a Podman Quadlet unit): why it runs rootless (the
    # user's systemd: privileges, capabilities and host mounts reach only that user's), or what
    # is assumed when the location is not known. Rules whose risk depends on it say so.
    rootless: str | None = None
    placement: str | None = None

    def env(self, name: str) -> EnvVar | None:
        """The last definition of environment variable ``name`` (the one that wins)."""
        found = None
        for var in self.environment:
            if var.name.value == name:
                found = var
        return found

    @property
    def user_key(self) -> str:
        """How messages name the setting of this container's user: ``'user:'`` (Compose),
        ``containerUser`` (a dev container), ``--user`` (a command line)."""
        return {"compose": "'user:'", "devcontainer": "'containerUser'", "quadlet": "'User='"}.get(
            self.source, "--user"
        )

    @property
    def label(self) -> str:
        """How messages name this container: ``service 'web'``, ``service 'debug' (profile
        'dev')`` for a service that runs only with that profile, or ``docker run``."""
        if self.source == "compose":
            if self.profiles:
                which = "profile" if len(self.profiles) == 1 else "profiles"
                return f"service '{self.name.value}' ({which} {', '.join(repr(p) for p in self.profiles)})"
            return f"service '{self.name.value}'"
        return self.name.value


@model
class BuiltImage(Root):
    """An image a command line builds under a name: ``docker build -t acme/api:dev -f
    docker/api.Dockerfile .`` (also ``docker image build``, ``docker buildx build``, podman,
    nerdctl). A ``docker run acme/api:dev`` elsewhere in the scan runs that image: DC122
    judges its user from the Dockerfile. A line without a name but with ``-f`` is one too
    (``tags`` empty): the Dockerfile it names is linted whatever its name.

    Where a relative path starts from depends on the directory the line runs in, which a
    script does not say: ``dockerfiles`` lists the Dockerfile as seen from each directory the
    line may run in (a Makefile's folder; a script's folder or the scan's directory; the
    scan's directory for CI files), as display paths. The image is linked to a Dockerfile
    only when exactly one of them is in the scan.
    """

    KIND: ClassVar[str] = "built-image"
    path: str  # the file with the build line
    span: Span  # the build command
    tags: list[LStr] = field(default_factory=list)
    dockerfiles: list[str] = field(default_factory=list)
    target: LStr | None = None


@model
class ClientEnv(Root):
    """Settings a Docker *client* reads (``DOCKER_HOST``, ``DOCKER_TLS_VERIFY``...) in one scope.

    A scope is where those variables apply together: a Compose service's environment,
    a shell script after ``export``, a CI job's variables.
    """

    KIND: ClassVar[str] = "client"
    path: str
    scope: str  # human description: "service 'ci'", "script", "job 'build'"
    span: Span
    variables: dict[str, EnvVar] = field(default_factory=dict)


@model
class EnvFileUse:
    """A place where a variable of an environment file reaches a container."""

    container: str  # how messages name the container: "service 'db'"
    service: str  # the service's name
    # What the container gets it as: its environment variable (POSTGRES_PASSWORD), or where
    # else the Compose file interpolates it ("command", "build.args.NPM_TOKEN").
    name: str
    via: str  # "interpolation" (``${VAR}`` in the Compose file) or "env_file" (the file is the service's env_file)
    alone: bool  # the value is the variable alone (``${VAR}``, ``${VAR:-x}``, ``${VAR:?e}``)
    value: str  # the setting's value with the project's variables interpolated
    rest: str  # the same with this variable left as ``${VAR}``: what the value holds without it


@model
class EnvFileVar:
    """``NAME=value`` of an environment file, with where it goes."""

    name: LStr
    # The value as written (quotes removed, escapes applied, ``${...}`` kept); span: where it
    # is written, the quotes included.
    value: LStr
    uses: list[EnvFileUse] = field(default_factory=list)


@model
class EnvFile(Root):
    """An environment file a Compose project of the scan reads: its ``.env`` (interpolation)
    or a service's ``env_file`` (every variable passed to the container)."""

    KIND: ClassVar[str] = "container"
    path: str  # display path
    abspath: str
    span: Span  # the file's first line
    variables: list[EnvFileVar] = field(default_factory=list)


def dockerfiles_built(models: list[Any]) -> set[str]:
    """The Dockerfiles (as ``path_key`` paths) that Compose services' ``build:`` and ``docker build
    -t`` lines (:class:`BuiltImage`) use: the engine keeps their models for the whole run,
    for ``rules/common/builds.py``."""
    out: set[str] = set()
    for m in models:
        if isinstance(m, Container):
            if m.build is not None and m.build.dockerfile_path is not None:
                out.add(path_key(m.build.dockerfile_path))
        elif isinstance(m, BuiltImage):
            out.update(path_key(p) for p in m.dockerfiles)
    return out
