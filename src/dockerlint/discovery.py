"""Find the files to lint and decide what kind each one is.

Kinds: ``dockerfile``, ``compose``, ``daemon`` (daemon.json), ``systemd`` (Docker's
service/socket units and their drop-ins, and the environment files the distribution
packages' units read: ``etc/default/docker`` (Debian) and ``etc/sysconfig/docker`` (RHEL),
recognised by their path, whose variables feed dockerd's command line). Walking never follows a symlink out of
the scanned tree and never opens anything but regular files.

Files with ``docker run`` lines, by name only: ``script`` (``*.sh``, ``*.bash``), ``makefile``
(``Makefile``, ``GNUmakefile``, ``makefile``, ``*.mk``), ``github`` (``.github/workflows/*.y(a)ml``)
and ``gitlab`` (``.gitlab-ci.y(a)ml``, ``*.gitlab-ci.y(a)ml``). An extension-less script is
recognised by its sh/bash shebang only when it is named on the command line: sniffing the
content of every extension-less file of a tree would make the walk read them all.

Compose files by content: any other ``*.yml`` / ``*.yaml`` is a Compose file when the first
:data:`SNIFF_WINDOW` bytes say so (:func:`is_compose`): a top level of Compose keys only, with
``services:`` mapping names to mappings of Compose service keys. Only that window is read, and
nothing is parsed, before the file is known to be a Compose file.

The walk is iterative (a tree thousands of folders deep is no problem), and a folder that
cannot be listed is an error (exit code 2), never skipped silently.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from dockerlint.knowledge.composespec import SERVICE_KEYS, TOP_LEVEL_KEYS
from dockerlint.util import containment

# Every kind of file dockerlint lints, with what a message calls one. The one table: ``--kind``
# takes its keys, the engine has a parser for each (a test keeps them equal), and the
# "nothing to lint" warnings list them.
KINDS: dict[str, str] = {
    "dockerfile": "Dockerfile",
    "compose": "Compose file",
    "daemon": "daemon.json",
    "systemd": "Docker systemd unit",
    "script": "shell script",
    "makefile": "Makefile",
    "github": "GitHub Actions workflow",
    "gitlab": "GitLab CI file",
    "devcontainer": "dev container configuration",
    "client": "Docker client configuration",
    "quadlet": "Podman Quadlet unit",
    "jenkinsfile": "Jenkinsfile",
}

# File-name patterns, matched against the base name (and for drop-ins the parent
# folder). The same expressions, joined, form the pre-commit hook's ``files:``
# pattern; a test keeps the two equal.
_NOT_DOCKERFILE_SUFFIXES = (
    ".dockerignore",
    ".template",
    ".tmpl",
    ".tpl",
    ".j2",
    ".jinja",
    ".jinja2",
    ".md",
    ".txt",
    ".orig",
    ".bak",
    ".rej",
    ".swp",
    ".sample",
    ".example",
)
NAME_PATTERNS: dict[str, re.Pattern[str]] = {
    "dockerfile": re.compile(
        r"^(?:(?:Dockerfile|Containerfile)(?:[.-][^/]+)?|[^/]+\.(?:Dockerfile|dockerfile|Containerfile|containerfile))$"
    ),
    "compose": re.compile(r"^(?:compose(?:\.[^/]+)?|docker-compose[^/]*)\.ya?ml$"),
    "daemon": re.compile(r"^(?:[^/]+[._-])?daemon\.json$"),
    "systemd": re.compile(r"^(?:docker[^/]*\.(?:socket|service))$"),
    "script": re.compile(r"^[^/]+\.(?:sh|bash)$"),
    "makefile": re.compile(r"^(?:Makefile|GNUmakefile|makefile|[^/]+\.mk)$"),
    "gitlab": re.compile(r"^(?:\.gitlab-ci|[^/]+\.gitlab-ci)\.ya?ml$"),
    "jenkinsfile": re.compile(r"^(?:Jenkinsfile(?:\.[^/]+)?|[^/]+\.jenkinsfile)$"),
}
# The Docker CLI's own files, by path: a context (``.docker/contexts/meta/<id>/meta.json``)
# and ``.docker/config.json``. Any other ``config.json`` is one when its content says so
# (:func:`client_config_by_content`).
CLIENT_FILE = re.compile(r"(?:^|/)\.docker/(?:contexts/meta/[^/]+/meta|config)\.json$")
# GitHub Actions workflows, by path (the file name is free).
GITHUB_WORKFLOW = re.compile(r"(?:^|/)\.github/workflows/[^/]+\.ya?ml$")
# Dev container configurations, by path: ``.devcontainer.json``, ``.devcontainer/devcontainer.json``
# and ``.devcontainer/<name>/devcontainer.json`` (the places the dev container tools look).
DEVCONTAINER = re.compile(r"(?:^|/)(?:\.devcontainer\.json|\.devcontainer/(?:[^/]+/)?devcontainer\.json)$")
# Podman Quadlet units: ``*.container`` by name, ``*.pod`` when its content has a ``[Pod]``
# section (Perl's documentation files are ``*.pod`` too), and their drop-ins
# (``<name>.container.d/*.conf``, ``container.d/*.conf`` for every container unit).
QUADLET_UNIT = re.compile(r"^[^/]+\.container$")
QUADLET_POD = re.compile(r"^[^/]+\.pod$")
QUADLET_DROPIN_DIR = re.compile(r"^(?:[^/]+\.)?(?:container|pod)\.d$")
_POD_SECTION = re.compile(r"^[ \t]*\[Pod\][ \t]*$", re.MULTILINE)
# Programs of a shebang that make an explicitly named file a shell script.
_SHEBANG_SHELLS = frozenset({"sh", "bash", "dash", "ash", "ksh", "mksh", "busybox"})
# Environment files of the distribution packages' units, by path (a host tree: etc/default/docker).
ENV_FILE = re.compile(r"(?:^|/)etc/(?:default|sysconfig)/docker$")
# Drop-ins: <unit>.d/*.conf. Docker's own units by folder name; others by content.
DROPIN_DIR = re.compile(r"^docker[^/]*\.(?:service|socket)\.d$")
ANY_DROPIN_DIR = re.compile(r"^(?:[^/]+\.)?(?:service|socket)\.d$")  # service.d: every service
ANY_UNIT = re.compile(r"^[^/]+\.(?:service|socket)$")

# Regular expression for pre-commit's ``files:`` (matched with re.search on the
# repo-relative path). Kept equal to what ``classify_name`` accepts plus what is decided by
# content: units and drop-ins, and every ``*.yml`` / ``*.yaml`` (Compose files by content;
# Compose, GitHub and GitLab names are among them).
PRE_COMMIT_FILES = (
    r"(^|/)("
    r"(Dockerfile|Containerfile)([.-][^/]+)?"
    r"|[^/]+\.(Dockerfile|dockerfile|Containerfile|containerfile)"
    r"|[^/]+\.ya?ml"
    r"|([^/]+[._-])?daemon\.json"
    r"|[^/]+\.(service|socket)"
    r"|([^/]+\.)?(service|socket)\.d/[^/]+\.conf"
    r"|etc/(default|sysconfig)/docker"
    r"|[^/]+\.(sh|bash)"
    r"|Makefile|GNUmakefile|makefile|[^/]+\.mk"
    r"|\.devcontainer\.json|\.devcontainer/([^/]+/)?devcontainer\.json"
    r"|config\.json"
    r"|\.docker/contexts/meta/[^/]+/meta\.json"
    r"|[^/]+\.(container|pod)"
    r"|([^/]+\.)?(container|pod)\.d/[^/]+\.conf"
    r"|Jenkinsfile(\.[^/]+)?|[^/]+\.jenkinsfile"
    r")$"
)

# Version-control metadata: never walked (git refuses to track a path through .git).
VCS_DIRS = frozenset({".git", ".hg", ".svn"})
# Also skipped by default, with virtual environments (a folder holding pyvenv.cfg): other
# people's code, caches, editor settings. Under --isolated they are walked: a folder name or a
# pyvenv.cfg marker the repository commits must not hide its files from the lint.
SKIP_DIRS = {
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    ".eggs",
    ".idea",
    ".vscode",
}

_DOCKER_UNIT_CONTENT = re.compile(
    r"^\s*(?:ExecStart\s*=.*\b(?:dockerd|docker\s+daemon|dockerd-rootless(?:\.sh)?)\b"
    r"|Service\s*=\s*docker[^\s]*\.service"
    r"|Environment(?:File)?\s*=.*\bDOCKER_OPTS\b)",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)  # slots: one per file of a big tree, for the whole run
class Candidate:
    path: str  # as it will be displayed
    abspath: str
    kind: str | None  # None: decide by content (explicit paths, unit files)
    explicit: bool = False
    # A Dockerfile a Compose build or a ``docker build -f`` line of the scan names
    # (:mod:`dockerlint.references`): linted as one whatever its name and ``--kind``.
    referenced: bool = False
    # The real path (links resolved) when discovery computed it ("": not known): a file
    # several builds name by other paths is linted once.
    real: str = ""


def _is_dockerfile_name(name: str) -> bool:
    if not NAME_PATTERNS["dockerfile"].match(name):
        return False
    lower = name.lower()
    return not lower.endswith(_NOT_DOCKERFILE_SUFFIXES)


def classify_name(relpath: str) -> str | None:
    """The kind a file name says, or None. ``relpath`` uses ``/`` separators."""
    parts = relpath.rsplit("/", 2)
    name = parts[-1]
    parent = parts[-2] if len(parts) > 1 else ""
    if _is_dockerfile_name(name):
        return "dockerfile"
    if NAME_PATTERNS["compose"].match(name):
        return "compose"
    if NAME_PATTERNS["daemon"].match(name):
        return "daemon"
    if NAME_PATTERNS["systemd"].match(name):
        return "systemd"
    if name.endswith(".conf") and DROPIN_DIR.match(parent):
        return "systemd"
    if ENV_FILE.search(relpath):
        return "systemd"
    if GITHUB_WORKFLOW.search(relpath):
        return "github"
    if DEVCONTAINER.search(relpath):
        return "devcontainer"
    if CLIENT_FILE.search(relpath):
        return "client"
    if QUADLET_UNIT.match(name) or (name.endswith(".conf") and QUADLET_DROPIN_DIR.match(parent)):
        return "quadlet"
    for kind in ("gitlab", "jenkinsfile", "makefile", "script"):
        if NAME_PATTERNS[kind].match(name):
            # Jenkinsfile.md, Jenkinsfile.bak: documents and copies, as for Dockerfiles.
            return None if kind == "jenkinsfile" and name.lower().endswith(_NOT_DOCKERFILE_SUFFIXES) else kind
    return None


def _maybe_unit(relpath: str) -> bool:
    """Unit files and drop-ins whose names do not say Docker: decided by content."""
    parts = relpath.rsplit("/", 2)
    name = parts[-1]
    parent = parts[-2] if len(parts) > 1 else ""
    return bool(ANY_UNIT.match(name)) or (name.endswith(".conf") and bool(ANY_DROPIN_DIR.match(parent)))


def maybe_compose(relpath: str) -> bool:
    """A ``*.yml`` / ``*.yaml`` whose name says nothing: a Compose file if its content says so."""
    return relpath.endswith((".yml", ".yaml"))


def maybe_client_config(relpath: str) -> bool:
    """A ``config.json`` outside a ``.docker`` folder: a Docker client configuration if its
    content says so."""
    return relpath == "config.json" or relpath.endswith("/config.json")


def content_decides(relpath: str) -> bool:
    """Files the walk takes by name but keeps only if their content says Docker: units and
    drop-ins whose names do not say Docker, YAML files that may be Compose files, and
    ``config.json`` files that may be a Docker client's."""
    return _maybe_unit(relpath) or maybe_compose(relpath) or maybe_client_config(relpath) or maybe_quadlet_pod(relpath)


def maybe_quadlet_pod(relpath: str) -> bool:
    """A ``*.pod``: a Podman Quadlet pod unit if its content has a ``[Pod]`` section."""
    return bool(QUADLET_POD.match(relpath.rsplit("/", 1)[-1]))


def quadlet_pod_by_content(abspath: str) -> bool | None:
    """Read at most :data:`SNIFF_WINDOW` bytes and say whether a ``*.pod`` has a ``[Pod]``
    section line. None when it cannot be read."""
    data = _head(abspath)
    if data is None:
        return None
    text = _decode_head(data)
    return text is not None and _POD_SECTION.search(text) is not None


# -- Compose files by content ------------------------------------------------------------

# Bytes read to decide whether a YAML file is a Compose file; the rest of a file that is not
# one is never read.
SNIFF_WINDOW = 64 * 1024
# A top-level ``services:`` key (plain or quoted): without one in the window, nothing else is looked at.
_TOP_SERVICES = re.compile(r"""^(?:services|"services"|'services')[ \t]*:(?:[ \t]|$)""", re.MULTILINE)
# Template syntax where YAML would need a value: a line that starts with ``{{``/``{%`` (Helm,
# Jinja), or an unquoted value that does. Such a file is a template, not what Docker runs.
_TEMPLATE = re.compile(r"^[ \t]*(?:-[ \t]+)?\{[{%]|:[ \t]+\{[{%]", re.MULTILINE)
_NOT_PLAIN_KEY_START = frozenset("#[]{},&*!|>%@`'\"")


def _mapping_key(s: str) -> tuple[str, str] | None:
    """``key: rest`` on a block mapping line (indentation removed): the key and what follows
    the colon (stripped), or None when the line is not a mapping entry. Linear, no regex."""
    first = s[0]
    if first in "\"'":
        end = s.find(first, 1)
        if end < 0:
            return None
        key, after = s[1:end], s[end + 1 :].lstrip(" \t")
        if not after.startswith(":") or (len(after) > 1 and after[1] not in " \t"):
            return None
        return key, after[1:].strip()
    if first in _NOT_PLAIN_KEY_START or (first in "-?:" and (len(s) == 1 or s[1] in " \t")):
        return None  # a sequence entry, an explicit key, a flow collection, a comment...
    i = s.find(":")
    while i >= 0:
        if i + 1 == len(s) or s[i + 1] in " \t":
            key = s[:i].rstrip(" \t")
            return (key, s[i + 1 :].strip()) if "#" not in key else None
        i = s.find(":", i + 1)
    return None


def _block_follows(rest: str) -> bool:
    """After ``key:``: nothing but an anchor, a tag or a comment, so a block node follows."""
    for word in rest.split():
        if word.startswith("#"):
            return True
        if not word.startswith(("&", "!")):
            return False
    return True


def _top_marker(stripped: str, seen_top: bool) -> str:
    """A line at the top level that is not a mapping entry of the document: "skip" for a
    directive before it (``%YAML 1.2``), its ``---`` start or a line starting with a tab; "end"
    for the end of the first document (``...``, or the ``---`` of a second one: Compose reads
    the first); "" for any other line. ``seen_top``: a top-level key was read."""
    if stripped.startswith("%") and not seen_top:
        return "skip"
    if stripped.startswith("---") and (len(stripped) == 3 or stripped[3] in " \t"):
        return "end" if seen_top else "skip"
    if stripped.startswith("...") and seen_top:
        return "end"
    return "skip" if stripped[0] == "\t" else ""


def is_compose(text: str, complete: bool = True) -> bool:
    """Is this (the start of) a Compose file? Its top level has only Compose keys (``x-``
    extensions allowed), and ``services:`` maps names to block mappings whose keys are all
    Compose service keys (``x-`` and ``<<`` merges allowed), at least one service with one.

    ``complete``: False when ``text`` is only the start of the file (its last line may be cut).
    Only the first YAML document counts, as in Compose. Look-alikes fail: a top-level list
    (Ansible), ``apiVersion``/``kind`` (Kubernetes), ``on``/``jobs`` (GitHub Actions),
    ``services:`` as a list (GitLab CI), ``openapi``/``paths``, template lines (Helm, Jinja).
    Linear in the size of ``text``; no YAML parse.
    """
    if not _TOP_SERVICES.search(text) or _TEMPLATE.search(text):
        return False
    lines = text.split("\n")
    if not complete:
        lines.pop()
    seen_top = False
    in_services = False
    block: list[tuple[int, str]] = []  # the indented lines under services:
    for raw in lines:
        line = raw.rstrip("\r")
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if indent:
            if in_services:
                block.append((indent, stripped))
            continue
        if stripped[0] in "%-.\t" and (marker := _top_marker(stripped, seen_top)):
            if marker == "end":
                break
            continue
        entry = _mapping_key(stripped)
        if entry is None:
            if not seen_top or (in_services and stripped[0] == "-"):
                return False  # not a mapping at the top (Ansible's list); services: as a list (GitLab)
            continue  # a compact sequence under another key, a closing bracket...
        key, rest = entry
        if key not in TOP_LEVEL_KEYS and not key.startswith("x-"):
            return False
        seen_top = True
        in_services = key == "services"
        if in_services and not _block_follows(rest):
            return False  # services: [] / {} / a flow mapping / a scalar
    return _services_are_compose(block)


def _services_are_compose(block: list[tuple[int, str]]) -> bool:
    """The lines under ``services:`` (indentation, text): a block mapping of services whose
    keys are Compose service keys."""
    if not block:
        return False
    name_indent = block[0][0]
    services = known = 0
    key_indent = 0  # of the current service's keys (0: not known yet)
    checking = False  # the current service's keys are looked at (not an x- entry, not an alias)
    keys = 0  # keys of the current service so far
    for indent, s in block:
        if indent < name_indent:
            continue  # a continuation line of a scalar
        if indent == name_indent:
            if s[0] == "-":
                return False  # a list of services (GitLab CI)
            entry = _mapping_key(s)
            if entry is None:
                continue
            name, rest = entry
            key_indent = keys = 0
            checking = False
            if name.startswith("x-"):
                continue
            if rest.startswith("*") or rest in ("{}", "{ }"):
                services += 1  # an alias of a service defined elsewhere, or an empty one
                continue
            if not _block_follows(rest):
                return False  # a service that is a scalar or a flow collection
            services += 1
            checking = True
            continue
        if not checking:
            continue
        if not key_indent:
            key_indent = indent
        if indent != key_indent:
            continue  # deeper: a key's value
        if s[0] == "-":
            if not keys:
                return False  # the service is a list
            continue  # a compact sequence: the value of the key above ("ports:" then "- 80:80")
        entry = _mapping_key(s)
        if entry is None:
            continue
        keys += 1
        key = entry[0]
        if key == "<<" or key.startswith("x-"):
            continue
        if key not in SERVICE_KEYS:
            return False
        known += 1
    return services > 0 and known > 0


def _decode_head(data: bytes) -> str | None:
    """The text of a file's first bytes (None: binary). Lenient: the window may cut a character."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        if b"\x00" in data:
            return None
        text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def compose_by_content(abspath: str) -> bool | None:
    """Read at most :data:`SNIFF_WINDOW` bytes of a regular file and say whether it is a Compose
    file. None when it cannot be read (or is not a regular file). The walk (or the user)
    chose the path: its links are followed."""
    real = os.path.realpath(abspath)
    try:
        data = containment.read_regular(real, SNIFF_WINDOW, prefix=True)
        complete = len(data) < SNIFF_WINDOW or os.stat(real).st_size <= len(data)
    except (OSError, containment.Refused):
        return None
    text = _decode_head(data)
    if text is None:
        return False
    return is_compose(text, complete=complete)


# -- Docker client config.json by content ---------------------------------------------------

# The keys only a Docker client's config.json has at its top level.
CLIENT_KEYS = frozenset({"auths", "credsStore", "credHelpers"})
# JSON tokens that matter for the nesting: strings (a key when a ':' follows) and brackets.
_JSON_TOKEN = re.compile(r'"((?:[^"\\\n]|\\.)*)"[ \t\r\n]*(:)?|[{}\[\]]')


def is_client_config(text: str, keys: frozenset[str] = CLIENT_KEYS) -> bool:
    """Is this (the start of) a Docker client ``config.json``? A JSON object with ``auths``,
    ``credsStore`` or ``credHelpers`` (``keys``) among its top-level keys. Only strings and
    brackets are looked at (one regular-expression scan, linear): no JSON parse."""
    if not text.lstrip("\ufeff \t\r\n").startswith("{"):
        return False
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        token = m.group()
        if token in "{[":
            depth += 1
        elif token in "}]":
            depth -= 1
            if depth <= 0:
                return False  # the top-level object ended
        elif depth == 1 and m.group(2) and m.group(1) in keys:
            return True
    return False


def client_config_by_content(abspath: str) -> bool | None:
    """Read at most :data:`SNIFF_WINDOW` bytes of a regular file and say whether it is a Docker
    client ``config.json``. None when it cannot be read (or is not a regular file)."""
    data = _head(abspath)
    if data is None:
        return None
    text = _decode_head(data)
    return text is not None and is_client_config(text)


def _head(abspath: str) -> bytes | None:
    """The first :data:`SNIFF_WINDOW` bytes of a regular file, through the one tree reader
    (as :func:`compose_by_content`); None when it cannot be read."""
    try:
        return containment.read_regular(os.path.realpath(abspath), SNIFF_WINDOW, prefix=True)
    except (OSError, containment.Refused):
        return None


def sniff(text: str, name: str = "") -> str | None:
    """Guess a kind from content, for paths given explicitly with an unknown name."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        return None
    if text.startswith("#!"):
        return "script" if _shebang_shell(text.split("\n", 1)[0]) else None
    if stripped.startswith("{"):
        # A Docker client's config.json or context, by their top-level keys; else daemon.json.
        return "client" if is_client_config(stripped, CLIENT_KEYS | {"Endpoints"}) else "daemon"
    if re.search(r"^\s*\[(?:Socket|Service|Unit)\]\s*$", text, re.MULTILINE):
        return "systemd"
    if is_compose(text):
        return "compose"
    # A Dockerfile: the first instruction (after comments, directives and ARGs) is FROM.
    for line in text.split("\n"):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        word = s.split(None, 1)[0].upper()
        if word == "ARG":
            continue
        return "dockerfile" if word == "FROM" else None
    return None


def _shebang_shell(line: str) -> bool:
    """``#!/bin/sh``, ``#!/usr/bin/env bash``, ``#!/bin/bash -e``..."""
    words = line[2:].split()
    if not words:
        return False
    program = words[0].rsplit("/", 1)[-1]
    if program == "env":
        rest = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        program = rest[0].rsplit("/", 1)[-1] if rest else ""
    return program in _SHEBANG_SHELLS


def is_docker_unit(text: str) -> bool:
    """True when a unit/drop-in's content concerns Docker (runs dockerd, activates docker)."""
    return bool(_DOCKER_UNIT_CONTENT.search(text))


def _display(path: str, cwd: str) -> str:
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:  # another drive on Windows
        rel = path
    if rel.startswith(".." + os.sep) or rel == "..":
        rel = path
    return rel.replace(os.sep, "/")


class Excluder:
    """``--exclude`` patterns with git's ``.gitignore`` semantics (:class:`dockerlint.util.gitignore.Globs`),
    relative to the linted folder: ``*`` stays within a name, ``**`` crosses folders, a ``/``
    at the start or in the middle anchors, ``!`` re-includes, the last match wins."""

    def __init__(self, patterns: list[str]) -> None:
        self.patterns = [p for p in patterns if p.strip()]
        self._globs: Any = None
        if self.patterns:  # the module only when there is something to match (start-up)
            from dockerlint.util.gitignore import Globs

            self._globs = Globs(self.patterns, "--exclude")

    def excluded(self, relpath: str, is_dir: bool = False) -> bool:
        return self._globs is not None and bool(self._globs.matches(relpath, is_dir))


def _is_virtualenv(dirpath: str) -> bool:
    return os.path.isfile(os.path.join(dirpath, "pyvenv.cfg"))


@dataclass(frozen=True)
class Unmatched:
    """A path named on the command line that gave nothing to lint: a folder without a file
    dockerlint lints, or a YAML file whose content is not a Compose file."""

    path: str  # as given
    folder: bool
    what: str = "compose"  # the kind its name made it a candidate for: "compose", "client" or "quadlet"


def discover(
    paths: list[str],
    exclude: list[str] | None = None,
    cwd: str | None = None,
    *,
    kind: str | None = None,
    unmatched: list[Unmatched] | None = None,
    skip_tool_dirs: bool = True,
) -> tuple[list[Candidate], list[str]]:
    """Walk ``paths``. Returns the candidates (in a deterministic order) and error messages
    for paths that do not exist and folders that cannot be read.

    ``kind``: the kind every named file is linted as (``--kind``, ``--compose-file``): named
    files are then taken whatever their content. ``unmatched`` receives the named paths that
    give no candidate (see :func:`nothing_to_lint`). ``skip_tool_dirs`` False (``--isolated``):
    walk the folders of :data:`SKIP_DIRS` and virtual environments too (only :data:`VCS_DIRS`
    are skipped)."""
    cwd = cwd or os.getcwd()
    excluder = Excluder(exclude or [])
    found: list[Candidate] = []
    errors: list[str] = []
    seen: set[str] = set()

    for given in paths:
        abspath = os.path.abspath(given)
        try:
            st = os.stat(abspath)
        except OSError as exc:
            errors.append(f"{given}: {exc.strerror or exc}")
            continue
        if stat.S_ISDIR(st.st_mode):
            root = os.path.realpath(abspath)
            walked = _walk(abspath, root, excluder, cwd, errors, skip_tool_dirs)
            if not walked and unmatched is not None:
                unmatched.append(Unmatched(given, folder=True))
            for cand, resolved in zip(walked, containment.realpaths([c.abspath for c in walked])):
                # one string, not two equal ones, per file of a big tree
                real = cand.abspath if resolved == cand.abspath else resolved
                if real not in seen:
                    seen.add(real)
                    found.append(replace(cand, real=real))
        else:
            real = containment.realpaths([abspath])[0]  # within a run scope, each folder is resolved once
            if real in seen:
                continue
            seen.add(real)
            display = _display(abspath, cwd)
            named = classify_name(_tail(abspath))
            if named is None and kind is None:
                sniffed = _named_by_content(abspath)
                if sniffed is not None and sniffed[1] is False:
                    if unmatched is not None:
                        unmatched.append(Unmatched(given, folder=False, what=sniffed[0]))
                    continue
                named = sniffed[0] if sniffed is not None and sniffed[1] else None
            found.append(Candidate(display, abspath, named, explicit=True, real=real))
    return found, errors


# Names whose content decides, for a file named on the command line: the kind, and the look
# at its first bytes (pre-commit names every YAML file of a commit: the others must cost nothing).
_BY_CONTENT = (
    ("compose", maybe_compose, compose_by_content),
    ("quadlet", maybe_quadlet_pod, quadlet_pod_by_content),
    ("client", maybe_client_config, client_config_by_content),
)


def _named_by_content(abspath: str) -> tuple[str, bool | None] | None:
    """For a named file whose name leaves the kind to its content: the kind it may be and
    whether its first bytes say so (None: unreadable, the engine says why); None for others."""
    for kind, maybe, by_content in _BY_CONTENT:
        if maybe(abspath):
            return kind, by_content(abspath)
    return None


def nothing_to_lint(unmatched: list[Unmatched], files_checked: int, named: Sequence[str] = ()) -> list[str]:
    """Warnings (for stderr; the exit code stays 0, as ruff's) about named paths that gave nothing
    to lint: a folder always; a YAML file that is not a Compose file only when the run linted
    nothing at all (pre-commit names every YAML file of a commit: the others stay silent when
    there is something to lint); and when nothing was linted and nothing was said yet, the
    ``named`` paths (their candidates were all dropped: units that are not Docker's, excludes)."""
    kinds = ", ".join(KINDS)
    labels = list(KINDS.values())
    looked_for = f"no {', '.join(labels[:-1])} or {labels[-1]} found, by name or by content"
    force = f"to lint a file of another name, name it with --kind KIND ({kinds})"
    out = []
    for u in unmatched:
        if u.folder:
            out.append(f"warning: {u.path}: nothing to lint in this folder ({looked_for}); {force}")
        elif not files_checked and u.what == "quadlet":
            out.append(
                f"warning: {u.path}: not a Podman Quadlet pod unit (no [Pod] section in its first "
                f"{SNIFF_WINDOW // 1024} KiB) and its name says no other kind; to lint it anyway, name it "
                f"with --kind KIND ({kinds})"
            )
        elif not files_checked and u.what == "client":
            out.append(
                f"warning: {u.path}: not a Docker client config.json (no top-level 'auths', 'credsStore' "
                f"or 'credHelpers' in its first {SNIFF_WINDOW // 1024} KiB) and its name says no other kind; "
                f"to lint it anyway, name it with --kind KIND ({kinds})"
            )
        elif not files_checked:
            out.append(
                f"warning: {u.path}: not a Compose file (no top-level 'services:' of Compose "
                f"services in its first {SNIFF_WINDOW // 1024} KiB) and its name says no other kind; to lint it "
                f"anyway, name it with --kind KIND ({kinds})"
            )
    if not files_checked and not out and named:
        out.append(f"warning: nothing to lint in {', '.join(named)} ({looked_for}); {force}")
    return out


def _tail(abspath: str) -> str:
    """The last five components of a path, for drop-in folder names, etc/default/docker and
    .docker/contexts/meta/<id>/meta.json."""
    parts = abspath.replace(os.sep, "/").split("/")
    return "/".join(parts[-5:])


def _listing(path: str) -> tuple[list[str], list[str]]:
    """A folder's sub-folders and other entries (symbolic links to folders among the folders,
    as ``os.walk`` lists them). Raises OSError when the folder cannot be read."""
    dirs: list[str] = []
    files: list[str] = []
    with os.scandir(path) as it:
        for entry in it:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (dirs if is_dir else files).append(entry.name)
    return dirs, files


def _name_kind(rel: str, dirpath: str) -> str | None:
    """The kind a walked file's name says; a context's ``meta.json`` is known by its whole
    path when the walk starts below ``.docker/``."""
    kind = classify_name(rel)
    if kind is None and rel.endswith("meta.json"):
        kind = classify_name(_tail(os.path.join(dirpath, rel.rsplit("/", 1)[-1])))
    return kind


def _kind_by_content(rel: str, full: str) -> str | None:
    """The kind of a file the walk took to decide by content: "client" or "compose" when its
    first bytes say so, None for a unit or drop-in (decided when it is read), "" to skip it."""
    if maybe_client_config(rel):
        return "client" if client_config_by_content(full) else ""  # only its first bytes were read
    if maybe_quadlet_pod(rel):
        return "quadlet" if quadlet_pod_by_content(full) else ""  # only its first bytes were read
    if _maybe_unit(rel):
        return None
    return "compose" if compose_by_content(full) else ""  # other YAML: only its first bytes were read


def _walk(
    top: str, root: str, excluder: Excluder, cwd: str, errors: list[str], skip_tool_dirs: bool = True
) -> list[Candidate]:
    """Depth first, folders and files in name order (files of a folder before its sub-folders),
    with a stack of its own: no recursion, whatever the depth."""
    out: list[Candidate] = []
    skipped = SKIP_DIRS if skip_tool_dirs else VCS_DIRS
    stack = [(top, "")]
    while stack:
        dirpath, rel_dir = stack.pop()
        try:
            dirnames, filenames = _listing(dirpath)
        except OSError as exc:
            errors.append(f"{_display(dirpath, cwd)}: cannot read folder: {exc.strerror or exc}")
            continue
        keep = []
        for d in sorted(dirnames):
            rel = f"{rel_dir}/{d}" if rel_dir else d
            full = os.path.join(dirpath, d)
            if d in skipped or excluder.excluded(rel, is_dir=True):
                continue
            if os.path.islink(full) or (skip_tool_dirs and _is_virtualenv(full)):
                continue
            keep.append((full, rel))
        stack.extend(reversed(keep))
        for name in sorted(filenames):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            kind = _name_kind(rel, dirpath)
            if kind is None and not content_decides(rel):
                continue
            if excluder.excluded(rel):
                continue
            full = os.path.join(dirpath, name)
            if os.path.islink(full) and not containment.inside(full, (root,)):
                continue  # never follow a link out of the scanned tree
            try:
                st = os.stat(full)
            except OSError:
                st = None
            if st is not None and not stat.S_ISREG(st.st_mode):
                continue  # FIFOs, devices, sockets, folders named like files
            if kind is None:
                kind = _kind_by_content(rel, full)
                if kind == "":
                    continue
            out.append(Candidate(_display(full, cwd), full, kind))
    return out
