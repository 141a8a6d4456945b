"""The Docker CLI's own files -> :class:`~dockerlint.models.client.ClientContext` and
:class:`~dockerlint.models.client.ClientConfig`.

Both are JSON the CLI reads with Go's ``encoding/json``, so they are read as strictly as
``daemon.json`` (:mod:`dockerlint.parsers.jsonpos`): invalid JSON is one DD000 finding at the
offending character. A value of the wrong type (``"SkipTLSVerify": "true"``, ``"auths": []``)
makes the CLI refuse the file: a non-fatal DD000 at the value, the rest still judged.

Which of the two a file is: a ``meta.json`` in a context store's layout
(``contexts/meta/<id>/meta.json``), or a file whose top level has ``Endpoints`` (a context
linted with ``--kind client``), is a context; anything else is a ``config.json``.

The context store (docker/cli ``cli/context/store``): ``<config dir>/contexts/meta/<id>/meta.json``
holds ``Name``, ``Metadata`` and ``Endpoints`` (``Endpoints.docker.Host``,
``Endpoints.docker.SkipTLSVerify``); the TLS files of the ``docker`` endpoint are
``<config dir>/contexts/tls/<id>/docker/{ca,cert,key}.pem``; ``<id>`` is the hex SHA-256 of the
context's name.

Credentials never leave this module: a :class:`~dockerlint.models.client.StoredCredential`
keeps the value only in an excluded field (no serialisation shows it) and its masked form.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import posixpath
import re

from dockerlint.models.base import LBool, LStr, Span
from dockerlint.models.client import ClientConfig, ClientContext, StoredCredential
from dockerlint.models.source import SourceFile
from dockerlint.parsers import jsonpos
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.output import ParseOutput, Problem
from dockerlint.util.safetext import mask

CONTEXT_META = re.compile(r"(?:^|/)contexts/meta/[^/]+/meta\.json$")
# The credential fields of an ``auths`` entry that dockerlint reports (DD121).
CREDENTIAL_FIELDS = ("auth", "identitytoken", "password")
# A value that is a template to be filled in before use (``${AUTH}``, ``{{ token }}``, ``<token>``).
_TEMPLATE = re.compile(r"\$\{?[A-Za-z_]|\{\{|\{%|^<[^<>]*>$")


def _wrong_type(node: jsonpos.Node, where: str, want: str, path: str) -> Problem:
    return Problem(
        "DD000",
        f"'{where}' must be {want}, not {node.type_name}: the Docker CLI refuses to load this file",
        node.span(path),
    )


def _root(src: SourceFile, what: str) -> jsonpos.Node | None:
    doc = jsonpos.parse(src.text, what=what, reader="the Docker CLI")
    root = doc.root
    if root is None or root.kind == "null":
        return None
    if root.kind != "object":
        raise ParseError(
            f"{what} must hold a JSON object ({{...}}), not {root.type_name}: the Docker CLI refuses to load it",
            root.line,
            root.col,
            root.end_col if root.end_line == root.line else None,
        )
    return root


def _layout_path(src: SourceFile) -> str:
    """The file's path as the context store's layout is matched against: the absolute one when
    known (the display path lacks ``contexts/meta`` when the scan starts inside it)."""
    return (src.abspath or src.path).replace(os.sep, "/").replace("\\", "/")


def is_context(src: SourceFile, root: jsonpos.Node | None) -> bool:
    if CONTEXT_META.search(_layout_path(src)):
        return True
    return root is not None and root.get("Endpoints") is not None


def parse(src: SourceFile) -> ParseOutput:
    is_meta = bool(CONTEXT_META.search(_layout_path(src)))
    root = _root(src, "a Docker context's meta.json" if is_meta else "a Docker client config.json")
    if is_context(src, root):
        return _context(src, root)
    return _config(src, root)


# -- contexts --------------------------------------------------------------------------------


def _tls_dir(src: SourceFile, name: str | None) -> tuple[str, str]:
    """Where the CLI looks for the context's TLS files, as an absolute and a display path
    ("" when the file is not ``contexts/meta/<id>/meta.json``)."""
    if not src.abspath or not CONTEXT_META.search(_layout_path(src)):
        return "", ""
    folder = os.path.dirname(src.abspath)
    ident = hashlib.sha256(name.encode("utf-8")).hexdigest() if name is not None else os.path.basename(folder)
    contexts = os.path.dirname(os.path.dirname(folder))
    shown = posixpath.normpath(
        posixpath.join(posixpath.dirname(src.path.replace("\\", "/")) or ".", "../..", "tls", ident, "docker")
    )
    return os.path.join(contexts, "tls", ident, "docker"), shown


def _context(src: SourceFile, root: jsonpos.Node | None) -> ParseOutput:
    path = src.path
    out = ParseOutput()
    name = host = skip = None
    if root is not None:
        node = root.get("Name")
        if node is not None and node.kind == "string":
            name = LStr(node.value, node.span(path))
        elif node is not None and node.kind != "null":
            out.problems.append(_wrong_type(node, "Name", "a string", path))
        endpoint = _object(root, "Endpoints", "Endpoints", path, out)
        docker = _object(endpoint, "docker", "Endpoints.docker", path, out) if endpoint is not None else None
        if docker is not None:
            host, skip = _endpoint(docker, path, out)
    tls_dir, tls_shown = _tls_dir(src, name.value if name is not None else None)
    out.models.append(
        ClientContext(
            path=path,
            span=Span.point(path),
            name=name,
            host=host,
            skip_tls_verify=skip,
            tls_dir=tls_dir,
            tls_dir_display=tls_shown,
        )
    )
    return out


def _object(node: jsonpos.Node, key: str, where: str, path: str, out: ParseOutput) -> jsonpos.Node | None:
    value = node.get(key)
    if value is None or value.kind == "null":
        return None
    if value.kind != "object":
        out.problems.append(_wrong_type(value, where, "an object", path))
        return None
    return value


def _endpoint(docker: jsonpos.Node, path: str, out: ParseOutput) -> tuple[LStr | None, LBool | None]:
    host = skip = None
    node = docker.get("Host")
    if node is not None and node.kind == "string":
        host = LStr(node.value, node.span(path))
    elif node is not None and node.kind != "null":
        out.problems.append(_wrong_type(node, "Endpoints.docker.Host", "a string", path))
    node = docker.get("SkipTLSVerify")
    if node is not None and node.kind == "bool":
        member = docker.members("SkipTLSVerify")[-1]
        skip = LBool(bool(node.value), member.key_node.span(path))
    elif node is not None and node.kind != "null":
        out.problems.append(_wrong_type(node, "Endpoints.docker.SkipTLSVerify", "a boolean (true or false)", path))
    return host, skip


# -- config.json -----------------------------------------------------------------------------


def _config(src: SourceFile, root: jsonpos.Node | None) -> ParseOutput:
    path = src.path
    out = ParseOutput()
    store = None
    helpers: list[LStr] = []
    credentials: list[StoredCredential] = []
    if root is not None:
        node = root.get("credsStore")
        if node is not None and node.kind == "string":
            if node.value.strip():
                store = LStr(node.value, node.span(path))
        elif node is not None and node.kind != "null":
            out.problems.append(_wrong_type(node, "credsStore", "a string", path))
        node = _object(root, "credHelpers", "credHelpers", path, out)
        if node is not None:
            helpers = [
                LStr(m.key, m.key_node.span(path))
                for m in node.value
                if m.value.kind == "string" and m.value.value.strip()
            ]
        auths = _object(root, "auths", "auths", path, out)
        if auths is not None:
            for member in auths.value:
                credentials.extend(_entry(member, path, out))
    out.models.append(
        ClientConfig(path=path, span=Span.point(path), creds_store=store, cred_helpers=helpers, credentials=credentials)
    )
    return out


def _entry(member: jsonpos.Member, path: str, out: ParseOutput) -> list[StoredCredential]:
    """The credentials of one ``auths`` entry (``"registry": {"auth": "..."}``)."""
    registry = LStr(member.key, member.key_node.span(path))
    entry = member.value
    if entry.kind == "null":
        return []
    if entry.kind != "object":
        out.problems.append(_wrong_type(entry, f"auths.{member.key}", "an object", path))
        return []
    found: list[StoredCredential] = []
    for field in CREDENTIAL_FIELDS:
        node = entry.get(field)
        if node is None or node.kind == "null":
            continue
        if node.kind != "string":
            out.problems.append(_wrong_type(node, f"auths.{member.key}.{field}", "a string", path))
            continue
        value = node.value.strip()
        if not value or _TEMPLATE.search(value):
            continue  # nothing stored, or a template filled in before use
        user = ""
        if field == "auth":
            decoded = _decode_auth(value)
            if decoded is None:
                out.problems.append(
                    Problem(
                        "DD000",
                        (
                            f"'auths.{member.key}.auth' is not the base64 of 'user:password': the Docker CLI refuses "
                            "to load this file (invalid auth configuration file)"
                        ),
                        node.span(path),
                    )
                )
                continue
            user, secret = decoded
            if not secret:
                continue  # no password: nothing to steal
        else:
            secret = value
            named = entry.get("username")
            user = named.value if named is not None and named.kind == "string" and field == "password" else ""
        found.append(
            StoredCredential(
                registry=registry, field=field, span=node.span(path), masked=mask(secret), user=user, value=secret
            )
        )
    return found


def _decode_auth(value: str) -> tuple[str, str] | None:
    """``auth`` as the CLI decodes it (standard base64 of ``user:password``): (user, password),
    or None when the CLI cannot decode it."""
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    text = raw.decode("utf-8", errors="replace")
    user, sep, password = text.partition(":")
    if not sep:
        return None
    return user, password
