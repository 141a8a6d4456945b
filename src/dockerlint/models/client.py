"""The Docker *client*'s own files: CLI contexts and ``config.json``.

:class:`~dockerlint.models.container.ClientEnv` holds the client settings written as
environment variables (``DOCKER_HOST``, ``DOCKER_TLS_VERIFY``: DD104); these models hold the
ones the Docker CLI reads from its configuration folder (``~/.docker``):

- :class:`ClientContext` -- ``contexts/meta/<id>/meta.json``, a named endpoint the CLI talks
  to (``docker context use``), whose TLS material lives in ``contexts/tls/<id>/docker/``
  (``<id>``: the SHA-256 of the context's name, in hex);
- :class:`ClientConfig` -- ``config.json``, with the registry credentials ``docker login``
  writes there when no credential store is configured.

Credentials are never shown: a :class:`StoredCredential` carries where the value is written
and a masked form of it (``safetext.mask``, as DF102's messages); the value itself is in a field
no serialisation includes, so nothing that dumps a model (a report, ``dockerlint inspect``)
can show it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import field
from typing import ClassVar

from dockerlint.models.base import LBool, LStr, Root, Span, model


@model
class ClientContext(Root):
    """A Docker CLI context (``.docker/contexts/meta/<id>/meta.json``)."""

    KIND: ClassVar[str] = "client"
    path: str
    span: Span  # the file's first character: where findings about the whole context point
    name: LStr | None = None  # ``Name``
    host: LStr | None = None  # ``Endpoints.docker.Host``
    skip_tls_verify: LBool | None = None  # ``Endpoints.docker.SkipTLSVerify``
    # The folder where the CLI looks for the context's TLS material (``ca.pem``, ``cert.pem``,
    # ``key.pem``): ``contexts/tls/<sha256 of Name>/docker`` beside ``contexts/meta``, as an
    # absolute path ("" when the file is not in a context store's layout).
    tls_dir: str = ""
    tls_dir_display: str = ""  # the same as the scan shows paths


@model
class StoredCredential:
    """A credential written in ``auths`` of a ``config.json`` (never its value)."""

    registry: LStr  # the key of ``auths`` (a registry host or URL)
    field: str  # "auth", "identitytoken" or "password"
    span: Span  # the value as written (quotes included)
    masked: str  # the value with all but its first characters masked
    # For ``auth`` (base64 of ``user:password``): the user name (``masked`` masks the password).
    user: str = ""
    # The credential itself (``auth``: the decoded password), for rules that judge it. Never
    # serialised (``exclude``: :mod:`dockerlint.models.schema` leaves it out) nor shown in a
    # ``repr``: reports and ``inspect`` cannot reveal it.
    value: str = dataclasses.field(default="", repr=False, metadata={"exclude": True})  # ``field`` is a field here


@model
class ClientConfig(Root):
    """A Docker client ``config.json``."""

    KIND: ClassVar[str] = "client"
    path: str
    span: Span
    creds_store: LStr | None = None  # ``credsStore``
    cred_helpers: list[LStr] = field(default_factory=list)  # the registries of ``credHelpers``
    credentials: list[StoredCredential] = field(default_factory=list)
