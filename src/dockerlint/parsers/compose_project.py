"""Compose projects: the files Compose reads together, merged into the model it runs.

Peers judge each Compose file alone; Compose runs their combination. This module groups
the Compose files of one scan into projects the way ``docker compose`` finds them, merges
them by the Compose specification's rules and builds one :class:`Container` per service of
each project, each value keeping the span where it is *written* (the override file's line
when the override wins).

Which files form a project (per folder holding a scanned Compose file):

- ``--compose-file`` on the command line (repeatable, like ``docker compose -f``): those
  files, in that order (the folder of the first is the project folder);
- else ``COMPOSE_FILE`` in the folder's ``.env`` (separator ``:``, or the value of
  ``COMPOSE_PATH_SEPARATOR``), relative to that folder;
- else the first of ``compose.yaml``, ``compose.yml``, ``docker-compose.yml``,
  ``docker-compose.yaml`` plus the first of ``compose.override.yml``,
  ``compose.override.yaml``, ``docker-compose.override.yml``, ``docker-compose.override.yaml``
  (compose-go's default names, in its order);
- any other scanned Compose file, found by name (``compose.prod.yaml`` …) or by content
  (``stack.yml``), that no project of the scan claims is a project of its own (projects of
  several files are formed first, so a folder's ``COMPOSE_FILE`` may name a file elsewhere).

Within a project (Compose specification, "Merge and override", "extends", "include",
"Interpolation"):

- each file's ``extends`` is resolved first (same file, or ``file:`` relative to the file
  that says it), then the files are merged in order: mappings key by key, sequences
  appended; ``command``/``entrypoint``/``healthcheck.test`` replaced; ``environment``,
  ``labels`` … merged by name (list and mapping syntax mixed); ``volumes`` and ``devices``
  unique by target, ``ports`` by their whole definition, ``cap_add``/``cap_drop``/
  ``security_opt``/``dns``… by value; ``!reset`` removes a value, ``!override`` replaces it;
  a null in a later file leaves the earlier value;
- ``include`` loads each listed file as a project of its own (its folder, its ``.env``,
  overridden by the including project's variables) and adds its services;
- ``${VAR}`` is interpolated with the project's ``.env`` only. The shell environment is
  never read: the same tree lints the same on every machine. A variable neither ``.env`` nor
  a default resolves keeps its text (rules see it is unknown) and is reported once per
  project by DC123 (info), at its first use;
- ``env_file`` files are read (``required: false`` honoured) for the container's
  environment: their ``DOCKER_*`` client settings reach DD104; they do not feed
  interpolation (Compose's documented behaviour).

A file that Compose would refuse (unreadable, a folder, invalid YAML, an unknown service or a
cycle) is a DC000 finding at the key that refers to it; a file missing from the tree is one
DC124 (info) per file, at its first reference (none for an ``env_file`` with ``required:
false``). A file outside the scanned folders (never looked at, so an existing and a missing
one read the same) and a remote one (``oci://``, Git URLs: no network) are not followed: one
notice per file (``Assembled.notices``, said on stderr), not a finding. The rest of the
project is still checked.

Cost: a project of one file with nothing to look up (no ``.env`` for its variables, no
``include``/``extends``/``env_file``) keeps the models the parser built for the file: the
pass costs one directory listing per folder.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dockerlint.api import quote
from dockerlint.models.base import LStr, Span
from dockerlint.models.container import ClientEnv, Container, EnvFile, EnvFileUse, EnvFileVar, EnvVar
from dockerlint.parsers import dotenv, yaml_nodes
from dockerlint.parsers.compose import ComposeDocument, _ComposeParser, split_outside, variables, volume_fields
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.expansion import InvalidTemplate, Missing, interpolate
from dockerlint.parsers.output import Comment, Problem
from dockerlint.parsers.yaml_nodes import MAP, NULL, YEntry, YMap, YNode, YPair, YScalar, YSeq
from dockerlint.util import containment

PARSE_ERROR = "DC000"
UNRESOLVED = "DC123"
MISSING = "DC124"
# A reference that is never read (outside the tree, remote): a notice on stderr, not a finding.
NOT_FOLLOWED = "notice"

MAIN_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
OVERRIDE_NAMES = (
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
)
MAX_DEPTH = 20  # nested include / extends chains
MAX_INCLUDES = 500  # included projects built for one top-level project (one that includes files over and over)
# ... and in one scan: a backstop against a tree of many projects that each include big files
# hundreds of times (real trees stay far below it: 30 projects of 20 includes are 600).
MAX_SCAN_INCLUDES = 20 * MAX_INCLUDES

# -- merge rules (paths relative to a service) -------------------------------------------

_Path = tuple[str, ...]
# Replaced, not merged.
_REPLACED: frozenset[_Path] = frozenset({("command",), ("entrypoint",), ("healthcheck", "test")})
# "KEY=value" lists and KEY: value mappings, the two syntaxes mixable: merged by key.
_KEY_VALUE: frozenset[_Path] = frozenset(
    {
        ("environment",),
        ("labels",),
        ("annotations",),
        ("sysctls",),
        ("extra_hosts",),
        ("build", "args"),
        ("build", "labels"),
        ("build", "extra_hosts"),
        ("build", "additional_contexts"),
        ("deploy", "labels"),
    }
)
# A string or a list of strings: appended (env_file unique by path, the others by value).
_STRING_OR_LIST: frozenset[_Path] = frozenset({("env_file",), ("dns",), ("dns_search",), ("tmpfs",), ("label_file",)})


def _text(node: YNode, env: Mapping[str, str]) -> str:
    if isinstance(node, YScalar):
        try:
            return interpolate(node.value, env, origin=node.path or None)
        except InvalidTemplate:
            return node.value
    return ""


def _sub(node: YNode, key: str, env: Mapping[str, str]) -> str:
    if isinstance(node, YMap):
        v = node.get(key)
        return _text(v, env) if v is not None else ""
    return ""


def _kv_key(node: YNode, env: Mapping[str, str]) -> str:
    if isinstance(node, YPair):
        return node.entry.key.value
    if isinstance(node, YMap):  # env_file: {path: ...}
        return _sub(node, "path", env)
    return _text(node, env).split("=", 1)[0]


def _volume_key(node: YNode, env: Mapping[str, str]) -> str:
    if isinstance(node, YMap):
        return _sub(node, "target", env)
    text = _text(node, env)
    if len(text) <= 2:
        return text
    fields = volume_fields(text)
    return fields[1] if len(fields) >= 2 else fields[0]


def _device_key(node: YNode, env: Mapping[str, str]) -> str:
    if isinstance(node, YMap):
        return _sub(node, "target", env)
    parts = _text(node, env).split(":")
    return parts[1] if len(parts) > 1 else parts[0]


def _port_key(node: YNode, env: Mapping[str, str]) -> str:
    if isinstance(node, YMap):
        return (
            f"{_sub(node, 'host_ip', env) or '0.0.0.0'}:{_sub(node, 'published', env)}:"
            f"{_sub(node, 'target', env)}/{_sub(node, 'protocol', env) or 'tcp'}"
        )
    return _text(node, env)


def _mount_key(default: str) -> Callable[[YNode, Mapping[str, str]], str]:
    def key(node: YNode, env: Mapping[str, str]) -> str:
        if isinstance(node, YMap):
            return _sub(node, "target", env) or f"{default}/{_sub(node, 'source', env)}"
        return f"{default}/{_text(node, env)}"

    return key


# Sequences whose items are unique: a later item with the same key replaces the earlier
# one in its place (compose-go's EnforceUnicity). Others are appended as they are.
_UNIQUE: dict[_Path, Callable[[YNode, Mapping[str, str]], str]] = {
    ("volumes",): _volume_key,
    ("devices",): _device_key,
    ("ports",): _port_key,
    ("secrets",): _mount_key("/run/secrets"),
    ("configs",): _mount_key(""),
    ("expose",): _text,
    ("env_file",): _kv_key,
    **{
        (k,): _kv_key
        for k in (
            "cap_add",
            "cap_drop",
            "dns",
            "dns_opt",
            "dns_search",
            "links",
            "profiles",
            "tmpfs",
            "external_links",
            "security_opt",
            "device_cgroup_rules",
            "group_add",
        )
    },
    **dict.fromkeys(_KEY_VALUE, _kv_key),
}


def _is_null(node: YNode) -> bool:
    return isinstance(node, YScalar) and node.is_null and node.tag not in ("!reset", "!override")


def _as_items(node: YNode) -> list[YNode]:
    if isinstance(node, YMap):
        return [YPair.of(e) for e in node.entries if e.value.tag != "!reset"]
    if isinstance(node, YSeq):
        return list(node.items)
    return [node]


class Merger:
    """Merges service definitions (override files, ``extends``) by the specification's rules.

    ``env`` is the interpolation environment: unique keys (a volume's target) are compared
    after interpolation, as Compose interpolates each file before merging.
    """

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def service(self, base: YNode, over: YNode) -> YNode | None:
        """``over`` (a later file, or the extending service) merged onto ``base``."""
        return self.merge(base, over, ())

    def merge(self, base: YNode, over: YNode, path: _Path) -> YNode | None:
        if over.tag == "!reset":
            return None
        if over.tag == "!override" or base.tag == "!reset":
            return over
        if _is_null(over):
            return base
        if _is_null(base) or path in _REPLACED:
            return over
        if path == ("build",):
            base, over = self._build_map(base), self._build_map(over)
        if path in _KEY_VALUE and not (isinstance(base, YMap) and isinstance(over, YMap)):
            return self._unique(YSeq.build(_as_items(base) + _as_items(over), base), path)
        if path in _STRING_OR_LIST:
            return self._unique(YSeq.build(_as_items(base) + _as_items(over), base), path)
        if path == ("logging",) and isinstance(base, YMap) and isinstance(over, YMap):
            b, o = base.get("driver"), over.get("driver")
            if b is not None and o is not None and _text(b, self.env) != _text(o, self.env):
                return over
        if isinstance(base, YMap) and isinstance(over, YMap):
            return self._mapping(base, over, path)
        if isinstance(base, YSeq) and isinstance(over, YSeq):
            return self._unique(YSeq.build(base.items + over.items, base), path)
        return over  # scalars, and shapes Compose cannot merge (the later file wins)

    def _mapping(self, base: YMap, over: YMap, path: _Path) -> YMap:
        entries = list(base.entries)
        index = {e.key.value: i for i, e in enumerate(entries)}
        removed: set[int] = set()
        for e in over.entries:
            name = e.key.value
            i = index.get(name)
            if i is None or i in removed or name.startswith("x-"):
                if e.value.tag == "!reset":
                    if i is not None:
                        removed.add(i)
                    continue
                if i is not None and i not in removed:
                    entries[i] = e
                else:
                    index[name] = len(entries)
                    entries.append(e)
                continue
            old = entries[i]
            merged = self.merge(old.value, e.value, (*path, name))
            if merged is None:
                removed.add(i)
            elif merged is old.value:
                continue
            elif merged is e.value:
                entries[i] = e  # the later file's key and value: its span wins
            else:
                entries[i] = YEntry(old.key, merged, old.merged_by)
        kept = [e for i, e in enumerate(entries) if i not in removed]
        return YMap.build(kept, base, base.tag if base.tag != "!reset" else MAP)

    def _unique(self, seq: YSeq, path: _Path) -> YSeq:
        keyf = _UNIQUE.get(path)
        if keyf is None:
            return seq
        items: list[YNode] = []
        where: dict[str, int] = {}
        for item in seq.items:
            if _is_null(item):
                continue
            k = keyf(item, self.env)
            j = where.get(k)
            if j is None:
                where[k] = len(items)
                items.append(item)
            else:
                items[j] = item
        seq.items = items
        return seq

    @staticmethod
    def _build_map(node: YNode) -> YNode:
        """``build: ./dir`` as ``build: {context: ./dir}`` (Compose merges the two forms)."""
        if isinstance(node, YScalar) and not node.is_null:
            key = YScalar()
            key.place_like(node)
            key.tag, key.value, key.style, key.weight = "tag:yaml.org,2002:str", "context", None, 1
            return YMap.build([YEntry(key, node)], node)
        return node


# -- files ---------------------------------------------------------------------------------


class RefError(Exception):
    """A file a project refers to cannot be used (the message says why and what to do).

    ``rule``: DC000 when Compose would refuse it as it is (a folder, unparseable), DC124 when
    the file is missing from the tree, NOT_FOLLOWED when it is outside it (never read: a
    notice, not a finding); ``abspath``: the file, for one DC124 or notice per file."""

    def __init__(self, message: str, rule: str = PARSE_ERROR, abspath: str = "") -> None:
        super().__init__(message)
        self.rule = rule
        self.abspath = abspath


# ``oci://…``, ``https://…/repo.git#ref:path``, ``git@host:repo.git``, ``github.com/org/repo``:
# Compose fetches these (its remote resource loaders); a local path never looks like one.
_REMOTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://|git@[^/:]+:|github\.com/)")


def is_remote(written: str) -> bool:
    """Whether a reference names a remote resource (git repository, OCI artifact)."""
    return _REMOTE.match(written.strip()) is not None


class Files:
    """Reads the files a project refers to: scanned Compose files from the scan (their
    current text, already parsed), others from disk, only inside the scanned folders."""

    def __init__(
        self, parts: Iterable[ComposeDocument], roots: Sequence[str], cwd: str, scanned: Iterable[str] = ()
    ) -> None:
        self.docs = {p.abspath: p for p in parts}
        self.cwd = cwd
        self.roots = containment.real_dirs(roots or [cwd])
        # The folders as named (links in their own path are the user's), to their real paths.
        self.aliases = {os.path.normpath(os.path.abspath(r)): os.path.realpath(r) for r in (roots or [cwd])}
        self._inside: dict[str, bool] = {}
        self.scanned = set(scanned) | set(self.docs)  # scanned Compose files, parsed or not
        self._texts: dict[str, str] = {}
        self._trees: dict[str, YMap | None] = {}
        self._listings: dict[str, frozenset[str]] = {}

    def display(self, abspath: str) -> str:
        doc = self.docs.get(abspath)
        if doc is not None:
            return doc.path
        try:
            rel = os.path.relpath(abspath, self.cwd)
        except ValueError:
            return abspath.replace(os.sep, "/")
        if rel == ".." or rel.startswith(".." + os.sep):
            return abspath.replace(os.sep, "/")
        return rel.replace(os.sep, "/")

    def inside(self, abspath: str) -> bool:
        """Whether the file, every link resolved, is in the scanned folders, decided without
        looking at anything outside them (:func:`dockerlint.util.containment.within`): a scan never
        learns whether a path outside the tree exists."""
        got = self._inside.get(abspath)
        if got is None:
            got = self._inside[abspath] = containment.within(abspath, self.roots, self.aliases)
        return got

    def listing(self, folder: str) -> frozenset[str]:
        """The names in a folder of the scanned tree; nothing for a folder outside it (a
        listing there would tell what exists outside the tree)."""
        got = self._listings.get(folder)
        if got is None:
            got = frozenset()
            if self.inside(folder):
                try:
                    got = frozenset(os.listdir(folder))
                except OSError:
                    pass
            self._listings[folder] = got
        return got

    def exists(self, abspath: str) -> bool:
        """Whether a file inside the scanned folders exists (False outside them: not looked at)."""
        if abspath in self.docs:
            return True
        return self.inside(abspath) and os.path.basename(abspath) in self.listing(os.path.dirname(abspath))

    def shown(self, abspath: str, written: str | None) -> str:
        """How a message names a file: its display path, or as written when that is outside
        the working directory (an absolute path would make findings differ between machines)."""
        display = self.display(abspath)
        if written is not None and os.path.isabs(display) and not os.path.isabs(written):
            return written
        return display

    def text(self, abspath: str, what: str, written: str | None = None) -> str:
        got = self._texts.get(abspath)
        if got is not None:
            return got
        shown = self.shown(abspath, written)
        if not self.inside(abspath):
            raise RefError(
                f"{what} {shown!r} is outside the scanned folders: not followed (dockerlint never "
                "reads outside them); lint a folder that holds it, or the findings here may miss "
                "what it sets",
                NOT_FOLLOWED,
                abspath,
            )
        try:
            # The run's --max-file-size; a FIFO or device would block or never end; a link
            # swapped in since ``inside`` looked must still stay in the tree.
            data = containment.read_regular(containment.resolve(abspath, self.roots))
        except containment.NotRegular as exc:
            if exc.what == "a folder":
                raise RefError(f"{what} {shown!r} is a folder, not a file: Compose refuses the project") from None
            raise RefError(f"{what} {shown!r} is not a regular file ({exc.what}); not read") from None
        except containment.TooLarge as exc:
            raise RefError(
                f"{what} {shown!r} is {exc.size} bytes, over the {exc.limit}-byte limit (raise it "
                "with --max-file-size); not read"
            ) from None
        except containment.Refused as exc:
            raise RefError(f"{what} {shown!r} is not read: {exc}") from None
        except FileNotFoundError:
            raise RefError(f"{what} {shown!r} does not exist; what it sets is not checked", MISSING, abspath) from None
        except IsADirectoryError:
            raise RefError(f"{what} {shown!r} is a folder, not a file: Compose refuses the project") from None
        except OSError as exc:
            raise RefError(f"{what} {shown!r} cannot be read: {exc.strerror or exc}") from None
        try:
            text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            raise RefError(f"{what} {shown!r} is not UTF-8 text") from None
        self._texts[abspath] = text
        return text

    def tree(self, abspath: str, what: str, written: str | None = None) -> YMap | None:
        """The YAML tree of a Compose file (None: a scanned file that failed to parse, already
        reported by DC000)."""
        doc = self.docs.get(abspath)
        if doc is not None and doc.root is not None:
            return doc.root
        if abspath in self._trees:
            return self._trees[abspath]
        if doc is not None:  # its tree was dropped after parsing: the same text parsed again
            got = yaml_nodes.load(doc.text, doc.path)
            tree = self._trees[abspath] = got if isinstance(got, YMap) else None
            return tree
        if abspath in self.scanned:
            self._trees[abspath] = None
            return None
        text = self.text(abspath, what, written)
        shown = self.display(abspath)
        try:
            root = yaml_nodes.load(text, shown)
        except ParseError as exc:
            where = f":{exc.line}:{exc.col}" if exc.line else ""
            raise RefError(f"{what} {shown!r} cannot be parsed ({shown}{where}: {exc.message})") from None
        if root is None or (isinstance(root, YScalar) and root.is_null):
            root = YMap.build([], _origin(shown))
        if not isinstance(root, YMap):
            raise RefError(f"{what} {shown!r} is not a Compose file (its top level is a {root.kind})")
        self._trees[abspath] = root
        return root


def _origin(path: str) -> YNode:
    node = YScalar()
    node.path, node.line, node.col, node.end_line, node.end_col = path, 1, 1, 1, 2
    node.tag, node.value, node.style, node.weight = NULL, "", None, 1
    return node


# -- environment ---------------------------------------------------------------------------


@dataclass
class Env:
    """A project's interpolation variables: its ``.env`` (``path`` None: there is none)."""

    values: dict[str, str] = field(default_factory=dict)
    path: str | None = None  # display path
    variables: list[dotenv.DotenvVar] = field(default_factory=list)
    abspath: str | None = None  # the .env read (None: none, or it could not be read)

    def describe(self) -> str:
        return repr(self.path) if self.path else "a .env file (the project has none)"


def _dotenv(files: Files, folder: str) -> Env:
    if ".env" not in files.listing(folder):
        return Env()
    abspath = os.path.join(folder, ".env")
    try:
        text = files.text(abspath, "the .env file")
    except RefError:
        return Env(path=files.display(abspath))
    got = dotenv.parse(text, origin=files.display(abspath))
    return Env(values=dotenv.values(got), path=files.display(abspath), variables=got, abspath=abspath)


# -- projects ------------------------------------------------------------------------------


@dataclass
class Project:
    folder: str  # absolute
    files: list[str]  # absolute, in merge order
    env: Env
    # Where the file list comes from, for messages on a missing member (a COMPOSE_FILE line).
    origin: Span | None = None


@dataclass
class Assembled:
    models: list[Any] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # ids of models the parser built for files whose project replaces them.
    replaced: set[int] = field(default_factory=set)
    # The environment files the projects read (.env, env_file), for findings located in them
    # (their text and comments: snippets and inline suppressions).
    env_sources: list[EnvSource] = field(default_factory=list)
    # References never read (outside the tree, remote), as ``path:line:col: message``.
    notices: list[str] = field(default_factory=list)
    # Bugs met while assembling a project (the engine reports them as internal errors).
    errors: list[str] = field(default_factory=list)


@dataclass
class EnvSource:
    path: str  # display
    abspath: str
    text: str
    comments: list[Comment]


def find_projects(parts: Sequence[ComposeDocument], files: Files, compose_files: Sequence[str] = ()) -> list[Project]:
    """Group the scanned Compose files into projects (see the module docstring)."""
    projects: list[Project] = []
    claimed: set[str] = set()
    if compose_files:
        first = os.path.dirname(compose_files[0])
        projects.append(Project(first, list(compose_files), _dotenv(files, first)))
        claimed.update(compose_files)
    folders: dict[str, list[ComposeDocument]] = {}
    for p in parts:
        folders.setdefault(os.path.dirname(p.abspath), []).append(p)
    envs: dict[str, Env] = {}
    # First the projects of several files (COMPOSE_FILE, the default names), then every file
    # none of them claims as a project of its own: a file another folder's COMPOSE_FILE names
    # is part of that project, whichever folder comes first.
    for folder in sorted(folders):
        env = envs[folder] = _dotenv(files, folder)
        names = files.listing(folder)
        members: list[str] = []
        origin = None
        compose_file = env.values.get("COMPOSE_FILE")
        if compose_file:
            sep = env.values.get("COMPOSE_PATH_SEPARATOR") or ":"
            members = [os.path.normpath(os.path.join(folder, f.strip())) for f in compose_file.split(sep) if f.strip()]
            var = next(v for v in reversed(env.variables) if v.name == "COMPOSE_FILE")
            origin = Span(env.path or ".env", var.value_line, var.value_col, var.value_end_line, var.value_end_col)
        else:
            main = next((n for n in MAIN_NAMES if n in names), None)
            if main is not None:
                members = [os.path.join(folder, main)]
                override = next((n for n in OVERRIDE_NAMES if n in names), None)
                if override is not None:
                    members.append(os.path.join(folder, override))
        members = list(dict.fromkeys(members))
        if members and not claimed.intersection(members) and any(m in files.docs for m in members):
            projects.append(Project(folder, members, env, origin))
            claimed.update(members)
    for folder in sorted(folders):
        for p in sorted(folders[folder], key=lambda d: d.path):
            if p.abspath not in claimed:
                projects.append(Project(folder, [p.abspath], envs[folder]))
                claimed.add(p.abspath)
    return projects


def assemble(
    parts: Sequence[ComposeDocument],
    compose_files: Sequence[str] = (),
    roots: Sequence[str] = (),
    scanned: Iterable[str] = (),
    cwd: str | None = None,
) -> Assembled:
    """The Compose projects of one scan (engine hook, after every file is parsed).

    ``compose_files``: absolute paths given with ``--compose-file``, in order; ``roots``:
    absolute folders the scan covers (referenced files outside them are not read; default
    the working directory); ``scanned``: absolute paths of every Compose file of the scan,
    parsed or not.
    """
    out = Assembled()
    cwd = cwd or os.getcwd()
    files = Files(parts, roots, cwd, scanned)
    builder = _Builder(files, out)
    # A service is checked once across the scan: a file that is a project of its own and is
    # also included by another project (or read twice) gives its services once, the first time.
    emitted: set[tuple[str, int, int]] = set()
    rebuild: list[Project] = []
    for project in find_projects(parts, files, compose_files):
        builder.register(project.env)
        single = files.docs.get(project.files[0]) if len(project.files) == 1 else None
        if single is not None and not single.references and (project.env.path is None or not _has_vars(single, files)):
            emitted.update(_identity(m) for m in single.models if isinstance(m, Container))
            out.problems.extend(builder.unresolved(single.missing, project.env, set()))
            continue
        for f in project.files:
            doc = files.docs.get(f)
            if doc is not None:
                out.replaced.update(id(m) for m in doc.models)
        rebuild.append(project)
    for project in rebuild:
        try:
            _, models = builder.project(project)
        except Exception as exc:  # noqa: BLE001 -- a bug in one project must not lose the others
            first = files.display(project.files[0])
            out.errors.append(
                f"{first}: internal error while assembling its Compose project: {type(exc).__name__}: {exc}"
            )
            out.problems.append(
                Problem(
                    PARSE_ERROR,
                    "dockerlint could not assemble the Compose project of this "
                    f"file (internal error: {type(exc).__name__}); please report it",
                    Span(first, 1, 1, 1, 2),
                )
            )
            builder.extended_roots = []
            continue
        skip = False
        for m in models:
            if isinstance(m, Container):
                identity = _identity(m)
                skip = identity in emitted
                emitted.add(identity)
            if not skip:
                out.models.append(m)
    builder.env_file_models()
    return out


def _identity(c: Container) -> tuple[str, int, int]:
    s = c.name.span
    return (s.path, s.line, s.col)


def _has_vars(doc: ComposeDocument, files: Files) -> bool:
    if doc.missing:
        return True
    root = files.tree(doc.abspath, "Compose file")
    return root is not None and _any_dollar(root)


def _any_dollar(node: YNode) -> bool:
    stack = [node]
    seen: set[int] = set()
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, YScalar):
            if "$" in n.value:
                return True
        elif isinstance(n, YMap):
            stack.extend(e.value for e in n.entries)
        elif isinstance(n, YSeq):
            stack.extend(n.items)
    return False


_SET_IT = "; set it in .env or give a default"


def _unresolved(
    found: Iterable[tuple[Missing, YScalar | Span]],
    env: Env,
    reported: set[str],
    spans: set[tuple[str, int, int, str]],
) -> list[Problem]:
    """DC123 findings: once per variable name in ``reported`` (a project), and never twice
    for the same place (``spans``: the whole scan). Each variable comes with the scalar it is
    written in, or that scalar's span (``ComposeDocument.missing``)."""
    out = []
    for m, node in found:
        if m.name in reported:
            continue
        reported.add(m.name)
        place = (node.path, node.line, node.col, m.name)
        if place in spans:
            continue
        spans.add(place)
        where = env.describe()
        if m.required is not None:
            # DC123's page says the rest: Compose then needs the shell to set it, which
            # dockerlint does not read, so the values that use it are checked as written.
            why = f" ({quote(m.required, 40)})" if m.required else ""
            message = f"variable {quote(m.name, 40)} is required{why} and not set in {where}"
        else:
            message = f"variable {quote(m.name, 40)} is not set in {where} and has no default"
            if len(message) + len(_SET_IT) <= 140:
                message += _SET_IT
        out.append(Problem(UNRESOLVED, message, node if isinstance(node, Span) else node.span()))
    return out


@dataclass
class _Layer:
    """One file of a project after its ``extends`` are resolved."""

    path: str  # display
    abspath: str
    root: YMap
    services: list[tuple[YScalar, YNode]]  # name key, settings (extends applied)


def _include_entry(item: YNode, base: str, env: Mapping[str, str]) -> tuple[list[YNode], str | None, list[YNode]]:
    """One ``include`` entry: its paths, its project folder (absolute; None: the first file's)
    and its ``env_file`` nodes."""
    if isinstance(item, YScalar):
        return [item], None, []
    if not isinstance(item, YMap):
        return [], None, []
    p = item.get("path")
    paths = list(p.items) if isinstance(p, YSeq) else ([p] if p is not None else [])
    project_dir = None
    pd = item.get("project_directory")
    if isinstance(pd, YScalar) and not pd.is_null:
        project_dir = os.path.normpath(os.path.join(base, _text(pd, env)))
    ef = item.get("env_file")
    env_files = list(ef.items) if isinstance(ef, YSeq) else ([ef] if ef is not None else [])
    return paths, project_dir, env_files


def _without_services(models: list[Any], names: set[str], every: bool) -> list[Any]:
    """``models`` less the services named ``names`` and the models that follow each one's
    Container; nothing when ``every`` service is named (the same file included again)."""
    if every:
        return list(itertools.takewhile(lambda m: not isinstance(m, Container), models))
    keep: list[Any] = []
    skip = False
    for m in models:
        if isinstance(m, Container):
            skip = m.name.value in names
        if not skip:
            keep.append(m)
    return keep


class _Builder:
    def __init__(self, files: Files, out: Assembled) -> None:
        self.files = files
        self.out = out
        self.known_problems = {
            (p.span.path, p.span.line, p.span.col, p.message) for d in files.docs.values() for p in d.problems
        }
        self.reported: set[str] = set()  # unresolved variables reported for this top-level project
        self.reported_at: set[tuple[str, int, int, str]] = set()  # ... and where, in the whole scan
        self.extended_roots: list[YMap] = []  # other files read for ``extends``, for DC123
        self.includes_built = 0  # for the top-level project being built (MAX_INCLUDES each)
        self.scan_includes_built = 0  # in the whole scan (MAX_SCAN_INCLUDES)
        self.limits_reported: set[str] = set()  # the reader's limits reached (each said once in the scan)
        self.missing_reported: set[str] = set()  # files with their DC124 (one per file, in the scan)
        self.env_files: dict[str, _EnvFileInfo] = {}  # environment files read, by absolute path
        # Included projects already built, by everything that decides the result: the same
        # file included again and again (500 times) is built once.
        self.built: dict[tuple[Any, ...], tuple[set[str], list[Any]]] = {}

    def unresolved(
        self, found: Iterable[tuple[Missing, YScalar | Span]], env: Env, reported: set[str]
    ) -> list[Problem]:
        return _unresolved(found, env, reported, self.reported_at)

    def problem(self, message: str, node: YNode, rule_id: str = PARSE_ERROR) -> None:
        self.problem_at(message, node.span(), rule_id)

    def problem_at(self, message: str, span: Span, rule_id: str = PARSE_ERROR) -> None:
        key = (span.path, span.line, span.col, message)
        if key in self.known_problems:
            return
        self.known_problems.add(key)
        self.out.problems.append(Problem(rule_id, message, span))

    def ref_problem(self, exc: RefError, span: Span, message: str | None = None) -> None:
        """A reference that cannot be used: DC000, one DC124 per missing file at its first
        reference, or one notice per file outside the tree."""
        if exc.rule in (MISSING, NOT_FOLLOWED) and exc.abspath:
            if exc.abspath in self.missing_reported:
                return
            self.missing_reported.add(exc.abspath)
        if exc.rule == NOT_FOLLOWED:
            self.notice(message or str(exc), span)
            return
        self.problem_at(message or str(exc), span, exc.rule)

    def limit_once(self, limit: str, message: str, node: YNode) -> None:
        """A limit of the reader reached (not an error for Compose): said once in the scan, where
        it is first reached (every service of a long chain, every file of a chain across files,
        each a project of its own, would reach it again)."""
        if limit not in self.limits_reported:
            self.limits_reported.add(limit)
            self.problem(message, node)

    def notice(self, message: str, span: Span) -> None:
        """Said on stderr as ``path:line:col: message``: not a finding, no effect on the exit code."""
        self.out.notices.append(f"{span.path}:{span.line}:{span.col}: {message}")

    def remote(self, what: str, written: str, node: YNode) -> None:
        """A notice for a remote reference: never fetched (no network), its content not checked."""
        written = written.strip()
        if "remote:" + written in self.missing_reported:
            return
        self.missing_reported.add("remote:" + written)
        self.notice(
            f"remote {what} {written!r} not followed: dockerlint never uses the network, so what it "
            "brings is not checked; lint a local copy of it to check it",
            node.span(),
        )

    # -- a whole project --------------------------------------------------------------

    def project(
        self, project: Project, parent_env: Mapping[str, str] | None = None, depth: int = 0, seen: tuple[str, ...] = ()
    ) -> tuple[set[str], list[Any]]:
        """The project's service names and models (its problems go to ``self.out``)."""
        if depth == 0:
            self.reported = set()
            # Each project has its own include budget: many projects of a large tree must not
            # use up a shared one and leave the includes of the later ones unread.
            self.includes_built = 0
            self.limits_reported.discard("includes")
        env_values = dict(project.env.values)
        if parent_env:
            env_values.update(parent_env)  # the including project's variables win
        env = Env(env_values, project.env.path, project.env.variables)
        merger = Merger(env_values)
        project_dir = self.files.display(project.folder) if project.folder != self.files.cwd else ""
        if project_dir == ".":
            project_dir = ""
        layers: list[_Layer] = []
        for f in project.files:
            shown = self.files.display(f)
            try:
                root = self.files.tree(f, "Compose file")
            except RefError as exc:
                if project.origin is not None:
                    self.ref_problem(exc, project.origin)
                continue
            if root is None:
                continue
            layers.append(_Layer(shown, f, root, self.extended_services(root, f, merger, depth)))
        if not layers:
            return set(), []
        # Relative paths in every file of the project are relative to the project folder.
        workdirs = {layer.path: project_dir for layer in layers}
        merged: dict[str, tuple[YScalar, YNode]] = {}
        for layer in layers:
            for key, body in layer.services:
                name = key.value
                if body.tag == "!reset":
                    merged.pop(name, None)
                    continue
                prev = merged.get(name)
                if prev is None:
                    merged[name] = (key, body)
                    continue
                got = merger.service(prev[1], body)
                if got is None:
                    merged.pop(name)
                else:
                    merged[name] = (prev[0], got)
        named_volumes: set[str] = set()
        for layer in layers:
            vols = layer.root.get("volumes")
            if isinstance(vols, YMap):
                named_volumes.update(vols.keys())
        parser = _ComposeParser(layers[0].path, env_values, workdirs)
        parser.named_volumes = named_volumes
        parser._seen = {(p.span.path, p.span.line, p.span.col, p.message) for p in self.out.problems}
        entries = [YEntry(key, body) for key, body in merged.values()]
        models = parser.services(entries)
        self.add_env_files(models, merged, parser, env_values)
        self.interpolation_uses(project.env, parent_env, env_values, merged, models)
        for p in parser.problems:
            seen_key = (p.span.path, p.span.line, p.span.col, p.message)
            if seen_key not in self.known_problems:
                self.known_problems.add(seen_key)
                self.out.problems.append(p)
        for root in [layer.root for layer in layers] + self.extended_roots:
            self.out.problems.extend(self.unresolved(variables(root, env_values), env, self.reported))
        self.extended_roots = []
        names = set(merged)
        # include: each listed file is a project of its own, whose services are added.
        for layer in layers:
            names |= self.includes(layer, env_values, names, models, depth, (*seen, *project.files))
        return names, models

    # -- extends ------------------------------------------------------------------------

    def extended_services(self, root: YMap, abspath: str, merger: Merger, depth: int) -> list[tuple[YScalar, YNode]]:
        services = root.get("services")
        if not isinstance(services, YMap):
            return []
        out: list[tuple[YScalar, YNode]] = []
        for e in services.entries:
            if e.key.value.startswith("x-"):
                continue
            if e.value.tag == "!reset":
                out.append((e.key, e.value))
                continue
            out.append((e.key, self.resolve(abspath, root, e.key.value, e.value, merger, ())))
        return out

    def resolve(
        self, abspath: str, root: YMap, name: str, body: YNode, merger: Merger, chain: tuple[tuple[str, str], ...]
    ) -> YNode:
        """``body`` with its ``extends`` applied (recursively), ``extends`` removed."""
        if not isinstance(body, YMap) or "extends" not in body:
            return body
        ext_entry = body.entry("extends")
        assert ext_entry is not None
        own = YMap.build([e for e in body.entries if e.key.value != "extends"], body, body.tag)
        ext = ext_entry.value
        service_node: YNode | None = None
        file_node: YNode | None = None
        if isinstance(ext, YScalar) and not ext.is_null:
            service_node = ext
        elif isinstance(ext, YMap):
            service_node = ext.get("service")
            file_node = ext.get("file")
        if not isinstance(service_node, YScalar) or service_node.is_null:
            self.problem("'extends' needs 'service': the name of the service to extend", ext_entry.key)
            return own
        base_name = _text(service_node, merger.env)
        base_abs, base_root = abspath, root
        if isinstance(file_node, YScalar) and not file_node.is_null:
            got = self.extended_file(abspath, file_node, merger.env)
            if got is None:
                return own
            base_abs, base_root = got
        here = (abspath, name)
        if (base_abs, base_name) in chain or (base_abs, base_name) == here:
            self.problem(
                f"'extends' of service {name!r} comes back to service {base_name!r}: Compose refuses circular extends",
                service_node,
            )
            return own
        if len(chain) > MAX_DEPTH:
            self.limit_once(
                "extends",
                f"'extends' of service {name!r} is more than {MAX_DEPTH} services deep: "
                f"service {base_name!r} and what it extends are not read (said once in the scan)",
                service_node,
            )
            return own
        services = base_root.get("services")
        base_body = services.get(base_name) if isinstance(services, YMap) else None
        if base_body is None:
            where = f" in {self.files.display(base_abs)!r}" if base_abs != abspath else ""
            self.problem(
                f"'extends' refers to service {base_name!r}, which is not defined{where}: Compose refuses the project",
                service_node,
            )
            return own
        base_body = self.resolve(base_abs, base_root, base_name, base_body, merger, (*chain, here))
        got_body = merger.service(base_body, own)
        return got_body if got_body is not None else own

    def extended_file(self, abspath: str, file_node: YScalar, env: Mapping[str, str]) -> tuple[str, YMap] | None:
        """The file ``extends: {file: ...}`` names and its tree (None: not read, said why)."""
        rel = _text(file_node, env)
        if is_remote(rel):
            self.remote("extends file", rel, file_node)
            return None
        if "$" in rel:
            return None  # an unset variable (DC123): nothing to look for
        base_abs = os.path.normpath(os.path.join(os.path.dirname(abspath), rel))
        try:
            got = self.files.tree(base_abs, "the extended file", rel)
        except RefError as exc:
            self.ref_problem(exc, file_node.span())
            return None
        if got is None:
            return None
        if all(r is not got for r in self.extended_roots):
            self.extended_roots.append(got)
        return base_abs, got

    # -- include ----------------------------------------------------------------------------

    def includes(
        self,
        layer: _Layer,
        env: Mapping[str, str],
        names: set[str],
        models: list[Any],
        depth: int,
        seen: tuple[str, ...],
    ) -> set[str]:
        """Add the services of the files ``layer`` includes to ``models``; their names."""
        node = layer.root.get("include")
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return set()
        items = node.items if isinstance(node, YSeq) else [node]
        added: set[str] = set()
        base = os.path.dirname(layer.abspath)
        for item in items:
            paths, project_dir, env_files = _include_entry(item, base, env)
            if not paths:
                self.problem("an 'include' entry needs 'path': the Compose file to include", item)
                continue
            members = self.include_members(paths, base, env, depth, seen)
            if not members:
                continue
            folder = project_dir or os.path.dirname(members[0])
            sub_env = _dotenv(self.files, folder)
            self.register(sub_env)
            self.include_env_files(sub_env, env_files, base, env)
            self.includes_built += 1
            self.scan_includes_built += 1
            got_names, got_models = self.included(Project(folder, members, sub_env), env, depth, seen)
            clash = {n for n in got_names if n in names or n in added}
            if clash:
                self.problem(
                    f"service {min(clash)!r} is defined both here and in the included file: Compose "
                    "refuses to include a service that already exists",
                    paths[0],
                )
                got_models = _without_services(got_models, clash, len(clash) == len(got_names))
            models.extend(got_models)
            added |= got_names
        return added

    def include_members(
        self, paths: list[YNode], base: str, env: Mapping[str, str], depth: int, seen: tuple[str, ...]
    ) -> list[str]:
        """The files of one ``include`` entry that can be read (each refusal reported)."""
        members: list[str] = []
        for p in paths:
            if not isinstance(p, YScalar) or p.is_null:
                continue
            written = _text(p, env)
            if is_remote(written):
                self.remote("include", written, p)
                continue
            if "$" in written:
                continue  # an unset variable (DC123): nothing to look for
            abspath = os.path.normpath(os.path.join(base, written))
            if self.include_refused(p, abspath, depth, seen):
                continue
            try:
                if self.files.tree(abspath, "the included file", p.value) is None:
                    continue
            except RefError as exc:
                self.ref_problem(exc, p.span())
                continue
            members.append(abspath)
        return members

    def include_refused(self, p: YScalar, abspath: str, depth: int, seen: tuple[str, ...]) -> bool:
        """Whether an included file is not read: over the budget, circular, too deep (said)."""
        if self.over_include_budget(p):
            return True
        if abspath in seen:
            self.problem(
                f"'include' of {self.files.display(abspath)!r} comes back to a file that "
                "includes it: Compose refuses circular includes",
                p,
            )
            return True
        if depth >= MAX_DEPTH:
            self.limit_once(
                "include",
                f"'include' of {self.files.display(abspath)!r} is more than "
                f"{MAX_DEPTH} files deep: it is not read (said once in the scan)",
                p,
            )
            return True
        return False

    def include_env_files(self, sub_env: Env, env_files: list[YNode], base: str, env: Mapping[str, str]) -> None:
        """An ``include`` entry's ``env_file`` files, read into the included project's variables."""
        for ef in env_files:
            if not isinstance(ef, YScalar) or ef.is_null:
                continue
            ef_written = _text(ef, env)
            if "$" in ef_written:
                continue
            ef_abs = os.path.normpath(os.path.join(base, ef_written))
            try:
                got = dotenv.parse(
                    self.files.text(ef_abs, "the include's env_file", ef.value), origin=self.files.display(ef_abs)
                )
            except RefError as exc:
                self.ref_problem(exc, ef.span())
                continue
            sub_env.values.update(dotenv.values(got))
            sub_env.path = self.files.display(ef_abs)

    def over_include_budget(self, node: YNode) -> bool:
        """Whether the project's include budget (or the scan's backstop) is spent: said once per
        project (once in the scan for the backstop), at ``node``, the first include not read."""
        if self.scan_includes_built >= MAX_SCAN_INCLUDES:
            self.limit_once(
                "scan-includes",
                f"more than {MAX_SCAN_INCLUDES} included files in this scan: "
                "the rest are not read (said once in the scan)",
                node,
            )
            return True
        if self.includes_built >= MAX_INCLUDES:
            self.limit_once(
                "includes", f"more than {MAX_INCLUDES} included files in this project: the rest are not read", node
            )
            return True
        return False

    def included(
        self, project: Project, env: Mapping[str, str], depth: int, seen: tuple[str, ...]
    ) -> tuple[set[str], list[Any]]:
        """The services and models of an included project, built once per run for the same
        files, folder, variables and place (500 includes of one file read and built it 500
        times)."""
        key = (
            tuple(project.files),
            project.folder,
            project.env.path,
            tuple(sorted(project.env.values.items())),
            tuple(sorted(env.items())),
            depth,
            seen,
        )
        cached = self.built.get(key)
        if cached is None:
            cached = self.built[key] = self.project(project, env, depth + 1, seen)
        return cached

    # -- environment files and where their variables go ---------------------------------

    def register(self, env: Env) -> None:
        """Note a project's ``.env`` (read by :func:`_dotenv`) as an environment file of the scan."""
        if env.abspath is None or env.path is None:
            return
        try:
            text = self.files.text(env.abspath, "the .env file")
        except RefError:
            return
        self.register_file(env.abspath, env.path, text)

    def register_file(self, abspath: str, display: str, text: str) -> _EnvFileInfo:
        info = self.env_files.get(abspath)
        if info is None:
            info = self.env_files[abspath] = _EnvFileInfo(abspath, display, text)
        return info

    def interpolation_uses(
        self,
        env: Env,
        parent_env: Mapping[str, str] | None,
        values: Mapping[str, str],
        merged: Mapping[str, tuple[YScalar, YNode]],
        models: list[Any],
    ) -> None:
        """Where the services of a project interpolate the variables of its ``.env``: each
        ``environment`` value (by the name the container sees), and any other value of the
        service (by its key path: ``command``, ``build.args.NPM_TOKEN``)."""
        info = self.env_files.get(env.abspath or "")
        if info is None or not env.values:
            return
        own = {n for n in env.values if not parent_env or n not in parent_env}  # the including project's win
        if not own:
            return
        for m in models:
            if not isinstance(m, Container) or m.name.value not in merged:
                continue
            for var in m.environment:
                if var.value is not None and "$" in var.value.value:
                    for n in _references(var.value.value, values, own):
                        info.add(n, self._use(m, var.name.value, var.value.value, n, values))
            body = merged[m.name.value][1]
            if isinstance(body, YMap):
                for path, node in _scalars(body):
                    for n in _references(node.value, values, own):
                        info.add(n, self._use(m, path, node.value, n, values))

    @staticmethod
    def _use(c: Container, name: str, raw: str, variable: str, values: Mapping[str, str]) -> EnvFileUse:
        try:
            value = interpolate(raw, values)
            rest = interpolate(raw, {**values, variable: "${" + variable + "}"})
        except InvalidTemplate:
            value = rest = raw
        v = re.escape(variable)
        alone = re.fullmatch(r"\$(?:" + v + r"|\{" + v + r"(?::?[-?][^}]*)?\})", raw.strip()) is not None
        return EnvFileUse(
            container=c.label, service=c.name.value, name=name, via="interpolation", alone=alone, value=value, rest=rest
        )

    def env_file_models(self) -> None:
        """One :class:`EnvFile` per environment file read, and its text for the engine."""
        for info in self.env_files.values():
            comments: list[Comment] = []
            written = dotenv.parse(info.text, interpolate_value=False, comments=comments)
            last = {v.name: i for i, v in enumerate(written)}
            variables = []
            for i, v in enumerate(written):
                if v.value is None:
                    continue
                name = LStr(v.name, Span(info.display, v.line, v.col, v.line, v.end_col))
                value = LStr(v.value, Span(info.display, v.value_line, v.value_col, v.value_end_line, v.value_end_col))
                uses = info.uses.get(v.name, []) if last[v.name] == i else []  # only the definition that wins
                variables.append(EnvFileVar(name=name, value=value, uses=list(uses)))
            self.out.models.append(
                EnvFile(path=info.display, abspath=info.abspath, span=Span.point(info.display), variables=variables)
            )
            self.out.env_sources.append(EnvSource(info.display, info.abspath, info.text, comments))

    # -- env_file ---------------------------------------------------------------------------

    def add_env_files(
        self,
        models: list[Any],
        merged: Mapping[str, tuple[YScalar, YNode]],
        parser: _ComposeParser,
        env: Mapping[str, str],
    ) -> None:
        """Check every ``env_file`` and pass its ``DOCKER_*`` client settings to the service's
        ClientEnv (``environment`` wins over ``env_file``, as in Compose)."""
        by_name: dict[str, Container] = {}
        client: dict[int, int] = {}  # id(container) -> index of its ClientEnv (right after it)
        for i, m in enumerate(models):
            if isinstance(m, Container):
                by_name[m.name.value] = m
            elif isinstance(m, ClientEnv) and i and isinstance(models[i - 1], Container):
                client[id(models[i - 1])] = i
        for name, (_, body) in merged.items():
            if not isinstance(body, YMap):
                continue
            node = body.get("env_file")
            if node is None or _is_null(node):
                continue
            receiver = by_name.get(name)
            from_files: dict[str, EnvVar] = {}
            for item in _as_items(node):
                self.env_file(item, name, receiver, parser, env, from_files)
            if from_files and receiver is not None:
                _client_env(models, client, receiver, from_files)

    def env_file(
        self,
        item: YNode,
        name: str,
        receiver: Container | None,
        parser: _ComposeParser,
        env: Mapping[str, str],
        from_files: dict[str, EnvVar],
    ) -> None:
        """One ``env_file`` entry of service ``name``: read, its uses noted, its ``DOCKER_*``
        variables into ``from_files``."""
        path_node, required, raw = _env_file_entry(item, env)
        if path_node is None:
            return
        rel = _text(path_node, env)
        if "$" in rel:
            return
        folder = parser.workdir(path_node)
        shown = os.path.normpath(os.path.join(folder, rel)) if not os.path.isabs(rel) else rel
        abspath = os.path.abspath(os.path.join(self.files.cwd, shown))
        if not required and not self.files.exists(abspath):
            # Optional: Compose starts without it. Outside the tree it is not looked at,
            # so an existing and a missing file there read the same.
            return
        try:
            text = self.files.text(abspath, "env_file", rel)
        except RefError as exc:
            message = None
            if exc.rule == MISSING and self.files.inside(abspath):
                shown = self.files.shown(abspath, rel)
                message = (
                    f"env_file {shown!r} does not exist; its variables are not checked "
                    "(created at deploy time? say 'required: false')"
                )
            self.ref_problem(exc, path_node.span(), message)
            return
        display = self.files.display(abspath)
        info = self.register_file(abspath, display, text)
        for var in dotenv.parse(text, interpolate_value=not raw, origin=display):
            if var.value is not None and receiver is not None:
                info.add(
                    var.name,
                    EnvFileUse(
                        container=receiver.label,
                        service=name,
                        name=var.name,
                        via="env_file",
                        alone=True,
                        value=var.value,
                        rest="",
                    ),
                )
            if var.value is None or not var.name.startswith("DOCKER_"):
                continue
            span = Span(display, var.line, var.col, var.value_end_line, var.value_end_col)
            from_files[var.name] = EnvVar(
                name=LStr(var.name, Span(display, var.line, var.col, var.line, var.end_col)),
                value=LStr(
                    var.value, Span(display, var.value_line, var.value_col, var.value_end_line, var.value_end_col)
                ),
                span=span,
            )


def _env_file_entry(item: YNode, env: Mapping[str, str]) -> tuple[YScalar | None, bool, bool]:
    """An ``env_file`` entry: its path node (None: none), whether it is required, whether its
    values are raw (``format: raw``: not interpolated)."""
    path_node: YNode | None = item
    required = True
    raw = False
    if isinstance(item, YMap):
        path_node = item.get("path")
        req = item.get("required")
        if isinstance(req, YScalar) and _text(req, env).strip().lower() in ("false", "no", "off", "n"):
            required = False
        fmt = item.get("format")
        raw = isinstance(fmt, YScalar) and fmt.value == "raw"
    if not isinstance(path_node, YScalar) or path_node.is_null:
        return None, required, raw
    return path_node, required, raw


def _client_env(models: list[Any], client: dict[int, int], c: Container, from_files: dict[str, EnvVar]) -> None:
    """The ``DOCKER_*`` variables of a service's ``env_file`` files into its ClientEnv (the
    service's own ``environment`` wins), made when they configure a client."""
    variables_ = dict(from_files)
    for written in c.environment:
        if written.name.value.startswith("DOCKER_"):
            variables_[written.name.value] = written
    at = client.get(id(c))
    if at is not None:
        existing = models[at]
        models[at] = ClientEnv(path=existing.path, scope=existing.scope, span=existing.span, variables=variables_)
    elif any(
        n in variables_
        for n in ("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_TLS_CERTDIR", "DOCKER_CERT_PATH", "DOCKER_TLS")
    ):
        models.insert(
            models.index(c) + 1, ClientEnv(path=c.path, scope=c.label, span=c.name.span, variables=variables_)
        )


@dataclass
class _EnvFileInfo:
    abspath: str
    display: str
    text: str
    uses: dict[str, list[EnvFileUse]] = field(default_factory=dict)
    _seen: set[tuple[str, str, str]] = field(default_factory=set)

    def add(self, variable: str, use: EnvFileUse) -> None:
        key = (variable, use.container, use.name)
        if key not in self._seen:
            self._seen.add(key)
            self.uses.setdefault(variable, []).append(use)


class _Recorder(Mapping[str, str]):
    """A mapping that remembers which names interpolation looked up."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = values  # not .values: that is Mapping's method
        self.asked: list[str] = []

    def __getitem__(self, key: str) -> str:
        self.asked.append(key)
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def _references(text: str, values: Mapping[str, str], own: set[str]) -> list[str]:
    """The variables of ``own`` that interpolating ``text`` with ``values`` uses."""
    if "$" not in text:
        return []
    rec = _Recorder(values)
    try:
        interpolate(text, rec)
    except InvalidTemplate:
        return []
    return [n for n in dict.fromkeys(rec.asked) if n in own and n in values]


_NOT_SETTINGS = frozenset({"environment", "env_file", "extends"})


def _scalars(body: YMap, limit: int = 10_000) -> Iterator[tuple[str, YScalar]]:
    """The scalars of a service holding ``$`` (``environment`` aside), with their key path."""
    stack: list[tuple[str, YNode]] = [
        (e.key.value, e.value) for e in reversed(body.entries) if e.key.value not in _NOT_SETTINGS
    ]
    seen: set[int] = set()
    while stack and limit > 0:
        limit -= 1
        path, node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, YScalar):
            if "$" in node.value and not node.is_null:
                yield path, node
        elif isinstance(node, YMap):
            stack.extend((f"{path}.{e.key.value}", e.value) for e in reversed(node.entries))
        elif isinstance(node, YSeq):
            stack.extend((path, item) for item in reversed(node.items))
        elif isinstance(node, YPair):
            stack.append((f"{path}.{node.entry.key.value}", node.entry.value))


__all__ = ["Assembled", "Env", "Files", "Merger", "Project", "RefError", "assemble", "find_projects", "split_outside"]
