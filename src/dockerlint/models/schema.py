"""What ``dockerlint inspect`` emits: the models the rules judge, gathered per source, and their
serialisation (:func:`dump`) and JSON Schema (:func:`json_schema`).

This is the one module that turns models into JSON, and the one module of the models that uses
pydantic: only ``dockerlint inspect`` imports it (a lint run never does), and it imports pydantic
on first use. The models are dataclasses; the document is their serialisation by a
``pydantic.TypeAdapter`` per class, in the order of their fields, with the fields marked
``exclude`` and the ``_`` fields left out. It holds the models the parsers build
(``Container``, ``Daemon``, ``ClientConfig``...), every located value
with its ``span`` (file, 1-based line and column, end exclusive): where the value that wins is
written. Dockerfiles are summarised (stages, base images, the user in force) rather than dumped
instruction by instruction.
"""

from __future__ import annotations

import dataclasses
from dataclasses import field
from typing import Any

from dockerlint.models.base import LStr, Span, is_model, model
from dockerlint.models.client import ClientConfig, ClientContext
from dockerlint.models.container import BuiltImage, ClientEnv, Container, EnvFile
from dockerlint.models.daemon import Daemon
from dockerlint.models.image import ArgDef, KeyValue

SCHEMA_VERSION = 1


@model
class InspectError:
    """A file that could not be read or parsed (what lint reports as DF000, DC000, DD000)."""

    path: str
    line: int
    col: int
    rule: str
    message: str


@model
class ComposeProject:
    """One Compose project as the rules see it: its services merged (override files, ``extends``,
    ``include`` and ``.env`` interpolation applied); each value's span says which file sets it."""

    path: str  # the project's first file (where its services are reported)
    files: list[str] = field(default_factory=list)  # every file a winning value comes from
    services: list[Container] = field(default_factory=list)


@model
class StageView:
    """One build stage of a Dockerfile."""

    index: int
    span: Span  # the ``FROM`` instruction
    name: LStr | None = None  # ``AS name``
    image: LStr  # the base image as written
    resolved_image: str  # after global ARG defaults
    platform: str | None = None  # ``--platform``
    parent: int | None = None  # the stage it builds on (``FROM <stage>``)
    user: LStr | None = None  # the USER in force at the end of the stage (None: the base image's)
    env: list[KeyValue] = field(default_factory=list)  # ``ENV`` of this stage (credentials masked)
    args: list[KeyValue] = field(default_factory=list)  # ``ARG`` of this stage (credentials masked)


@model
class DockerfileView:
    """A Dockerfile: its stages and the user its final image runs as."""

    path: str
    span: Span
    global_args: list[ArgDef] = field(default_factory=list)
    stages: list[StageView] = field(default_factory=list)
    final_user: LStr | None = None  # the USER in force in the final stage (None: none is set)
    # Where the final user comes from: "USER in stage 1 ('final')", or "the base image
    # 'debian:12' (no USER)".
    final_user_from: str = ""


@model
class Inspection:
    """Everything ``dockerlint inspect`` found, by source."""

    schema_version: int = SCHEMA_VERSION
    version: str = ""  # dockerlint's
    compose_projects: list[ComposeProject] = field(default_factory=list)
    daemons: list[Daemon] = field(default_factory=list)  # one per host folder
    dockerfiles: list[DockerfileView] = field(default_factory=list)
    # Containers started by command lines (shell scripts, Makefiles, CI files) and dev containers.
    containers: list[Container] = field(default_factory=list)
    builds: list[BuiltImage] = field(default_factory=list)  # ``docker build -t`` lines
    client_environments: list[ClientEnv] = field(default_factory=list)  # DOCKER_HOST & co.
    client_contexts: list[ClientContext] = field(default_factory=list)
    client_configs: list[ClientConfig] = field(default_factory=list)
    env_files: list[EnvFile] = field(default_factory=list)  # .env and env_file files (values masked)
    errors: list[InspectError] = field(default_factory=list)


def dump(obj: Any) -> dict[str, Any]:
    """``obj`` (a model) as JSON-ready data: pydantic's serialisation of its dataclass, fields
    marked ``exclude`` (credential values, the ``_`` fields such as an instruction's unparsed
    script) left out."""
    data: dict[str, Any] = _adapter(type(obj)).dump_python(obj, mode="json")
    return data


def json_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`dump` applied to an :class:`Inspection` (for plugin authors)."""
    schema: dict[str, Any] = _adapter(Inspection).json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "dockerlint inspect output"
    return schema


_ADAPTERS: dict[type, Any] = {}


def _adapter(cls: type) -> Any:
    """The ``pydantic.TypeAdapter`` of a model class, made on first use (pydantic is imported
    only here, only by ``dockerlint inspect``)."""
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        from pydantic import TypeAdapter

        adapter = _ADAPTERS[cls] = TypeAdapter(cls)
    return adapter


# -- gathering ---------------------------------------------------------------------------------


def gather(models: list[Any], errors: list[InspectError], version: str = "") -> Inspection:
    """The models a run judged, sorted into an :class:`Inspection` (in the order they came,
    Compose services grouped by project). Models of other types (a plugin's) are left out."""
    from dockerlint.models.image import ImageBuild

    projects: dict[str, list[Container]] = {}
    by_type: dict[str, list[Any]] = {name: [] for name in _FIELDS.values()}
    dockerfiles: list[DockerfileView] = []
    for m in models:
        if isinstance(m, Container) and m.source == "compose":
            projects.setdefault(m.path, []).append(m)
        elif isinstance(m, ImageBuild):
            dockerfiles.append(dockerfile_view(m))
        elif isinstance(m, DockerfileView):
            dockerfiles.append(m)
        elif type(m) in _FIELDS:
            by_type[_FIELDS[type(m)]].append(_without_local_paths(m))
    compose = [
        ComposeProject(path=path, files=_files_of(path, services), services=services)
        for path, services in projects.items()
    ]
    values: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "version": version,
        "compose_projects": compose,
        "dockerfiles": dockerfiles,
        "errors": errors,
        **by_type,
    }
    return Inspection(**values)  # dumped in the order of its fields (the schema's)


_FIELDS: dict[type, str] = {
    Daemon: "daemons",
    Container: "containers",
    BuiltImage: "builds",
    ClientEnv: "client_environments",
    ClientContext: "client_contexts",
    ClientConfig: "client_configs",
    EnvFile: "env_files",
}


def _without_local_paths(m: Any) -> Any:
    """The model without the absolute paths of this machine (they depend on where the scan
    runs, not on the scanned files): the display paths say the same."""
    if isinstance(m, EnvFile):
        return dataclasses.replace(m, abspath="")
    if isinstance(m, ClientContext) and m.tls_dir:
        return dataclasses.replace(m, tls_dir="")
    return m


def _files_of(first: str, services: list[Container]) -> list[str]:
    """The project's first file, then every other file a value of its services is written in."""
    found: dict[str, None] = {first: None}

    def walk(node: Any) -> None:
        if isinstance(node, Span):
            found.setdefault(node.path, None)
        elif is_model(node):
            for f in dataclasses.fields(node):
                walk(getattr(node, f.name))
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    for s in services:
        walk(s)
    return list(found)


def dockerfile_view(image: Any) -> DockerfileView:
    """An ``ImageBuild`` summarised: each stage's base image, name and user, and the final user."""
    stages = []
    for stage in image.stages:
        user, _ = image.effective_user(stage.index)
        platform = stage.platform.value if stage.platform is not None else None
        env = [p for i in stage.instructions if i.keyword == "ENV" for p in i.pairs]
        args = [p for i in stage.instructions if i.keyword == "ARG" for p in i.pairs]
        stages.append(
            StageView(
                index=stage.index,
                span=stage.from_instruction.span,
                name=stage.name,
                image=stage.image,
                resolved_image=stage.resolved_image,
                platform=platform,
                parent=stage.parent,
                user=user,
                env=env,
                args=args,
            )
        )
    final_user, origin = None, ""
    if image.stages:
        last = image.stages[-1]
        final_user, setter = image.effective_user(last.index)
        if final_user is not None:
            named = f" ({setter.name.value!r})" if setter.name is not None else ""
            origin = f"USER in stage {setter.index}{named}"
        else:
            origin = f"the base image {setter.resolved_image!r} (no USER)"
    return DockerfileView(
        path=image.path,
        span=image.span,
        global_args=image.global_args,
        stages=stages,
        final_user=final_user,
        final_user_from=origin,
    )
