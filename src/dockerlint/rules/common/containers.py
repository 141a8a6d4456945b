"""How a finding's message names the container it is about (docs/messages.md: the subject).

Every rule that judges a :class:`~dockerlint.models.container.Container` starts its message
with :func:`subject`, so the container is named the way its source names it, the same way in
every rule: ``service 'web'`` (a Compose service, with ``(profile 'dev')`` when it runs only
with a profile), ``docker run`` (a command line: its words), ``dev container 'Go'``,
``Quadlet container 'web.container'``, ``service 'postgres' of job 'test'`` (GitLab CI),
``agent docker of stage 'build'`` (Jenkins)...
"""

from __future__ import annotations

from dockerlint.api import quote
from dockerlint.models.container import Container

# A service name is the user's text: short enough to leave the message its room.
_NAME_LIMIT = 32


def subject(c: Container) -> str:
    """The container as a message names it. A Compose service's name (and profiles) go through
    :func:`dockerlint.api.quote` (escaped, elided past 32 characters); the other sources' labels
    are built by their parsers from the words of the file."""
    if c.source != "compose":
        return c.label
    name = f"service {quote(c.name.value, _NAME_LIMIT)}"
    if not c.profiles:
        return name
    which = "profile" if len(c.profiles) == 1 else "profiles"
    return f"{name} ({which} {', '.join(quote(p, _NAME_LIMIT) for p in c.profiles)})"


# -- how each source writes a setting ---------------------------------------------------------

# A container setting by its Compose key (the model's field), as the other sources write it:
# the ``docker run`` flag (command lines; a dev container's ``runArgs``; the ``options:`` of a
# GitHub Actions job container; a Jenkinsfile's arguments), and the Quadlet key of
# podman-systemd.unit(5) where there is one (``PodmanArgs=`` takes the flag otherwise).
_FLAGS: dict[str, tuple[str, str]] = {
    "mem_limit": ("--memory", ""),
    "pids_limit": ("--pids-limit", "PidsLimit"),
    "cpus": ("--cpus", ""),
    "read_only": ("--read-only", "ReadOnly"),
    "security_opt": ("--security-opt", ""),
    "cap_drop": ("--cap-drop", "DropCapability"),
    "network_mode": ("--network", "Network"),
    "userns_mode": ("--userns", "UserNS"),
    "pid": ("--pid", ""),
}
# Where the flags of a source that takes ``docker run`` flags in a list go. (A GitHub Actions
# job container takes them in 'options:', but a workflow's ``docker run`` lines have the same
# source; a Jenkinsfile passes them in the agent's 'args' or to docker.image().run: the
# container's label says which.)
_FLAGS_IN = {"devcontainer": '"runArgs"'}


def written(c: Container, key: str, value: str = "", *, compose: str | None = None) -> str:
    """Setting ``key`` (its Compose name, one of :data:`_FLAGS`) with ``value``, as the source of
    ``c`` writes it: ``read_only: true``, ``--read-only``, ``ReadOnly=true``, ``--read-only in
    "runArgs"``. A boolean flag is written alone for ``true`` (``--read-only``), with ``=``
    otherwise (``--read-only=false``). ``compose``: the Compose form when the message has its
    own (``network_mode 'host'``)."""
    if c.source == "compose":
        if compose is not None:
            return compose
        return f"{key}: {value}" if value else key
    flag, quadlet = _FLAGS[key]
    if c.source == "quadlet":
        if quadlet:
            return f"{quadlet}={value}"
        return f"PodmanArgs={flag}" + (f"={value}" if value else "")
    if key == "read_only":
        text = flag if value in ("", "true") else f"{flag}={value}"
    else:
        text = f"{flag} {value}".rstrip()
    where = _FLAGS_IN.get(c.source)
    return f"{text} in {where}" if where else text


def add_settings(c: Container, keys: list[str]) -> str:
    """The hint to set ``keys`` (Compose names) in the syntax of the source of ``c``: ``set
    mem_limit, cpus`` (Compose), ``add --memory, --cpus`` (a command line), ``add --memory,
    --cpus to "runArgs"`` (a dev container), ``set PidsLimit=, PodmanArgs=--memory --cpus``
    (Quadlet)."""
    if c.source == "compose":
        return "set " + ", ".join(keys)
    flags = [_FLAGS[k][0] for k in keys]
    if c.source == "quadlet":
        native = [f"{_FLAGS[k][1]}=" for k in keys if _FLAGS[k][1]]
        other = [_FLAGS[k][0] for k in keys if not _FLAGS[k][1]]
        return "set " + ", ".join(native + ([f"PodmanArgs={' '.join(other)}"] if other else []))
    where = _FLAGS_IN.get(c.source)
    return "add " + ", ".join(flags) + (f" to {where}" if where else "")
