"""The language server's one door into dockerlint: configuration, discovery, the engine.

Everything the server knows of linting goes through this module, so the engine's and the
configuration's internals can move without the protocol code noticing. Nothing here
speaks LSP: findings come out as :class:`Item` (engine positions: 1-based lines, columns
in code points, end exclusive), and the server converts them for its client.

The workspace is linted as the CLI lints it from its root (``cd root && dockerlint .``):
the same walk, the same configuration search (nearest file, every supported name), the
same containment (nothing is read outside the root through a link). An open document
is linted with the files it is judged against: the Compose files, daemon.json and units
of its folder and of the folders above it, (a daemon.json or a unit) the daemon files of
the same host, and (a Dockerfile) the Compose files that build it from any folder.
Unsaved buffers are given to the engine as standard input is: they win over the files on
disk.

A lint is cheap when little changed: the engine keeps the parses of the texts it saw (a
document's group is parsed again only where its text changed), the buffers are encoded
once, and the Dockerfiles each Compose file builds (the build links) are kept until its
text changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from dockerlint.config.files import CONFIG_NAMES, PYPROJECT, ConfigError, load_file
from dockerlint.config.layers import SettingError
from dockerlint.config.settings import CommandLine, Settings, load_settings
from dockerlint.core.engine import Engine, ParseCache
from dockerlint.core.findings import Finding, Result
from dockerlint.core.options import Options
from dockerlint.core.registry import PluginError, Registry, load_registry
from dockerlint.discovery import Candidate, classify_name, discover, sniff
from dockerlint.models.source import SourceFile
from dockerlint.util import containment
from dockerlint.util.paths import path_key

__all__ = ["ConfigIgnore", "Edit", "Item", "Outcome", "PluginError", "Suppression", "Workspace", "applied"]

# Files other files are judged against (the engine keeps their models for the whole run).
CONTEXT_KINDS = frozenset({"compose", "daemon", "systemd", "devcontainer", "client"})
_HOST_KINDS = frozenset({"daemon", "systemd"})
_BUILDER_KINDS = frozenset({"compose", "devcontainer"})  # files whose services build Dockerfiles
PARSES_KEPT = 64  # parsed files kept between lints (the least recently used go)
LINTS_KEPT = 16  # whole lints kept, for the same texts linted again (code actions)
CONFIG_FILE_NAMES = frozenset({*CONFIG_NAMES, PYPROJECT})
RULES_URL = "https://github.com/dockerlint/dockerlint/blob/main/rules/{}.md"  # as SARIF's helpUri
# Kinds and how a suppression comment is written there ("" : the kind has no comments).
_COMMENT = {
    "dockerfile": "#",
    "compose": "#",
    "github": "#",
    "gitlab": "#",
    "script": "#",
    "makefile": "#",
    "systemd": "#",
    "devcontainer": "//",
    "daemon": "",
    "client": "",
}
# Kinds with end-of-line comments, where the README puts the suppression on the line itself.
_END_OF_LINE = frozenset({"compose", "github", "gitlab", "script", "makefile"})
# The per-file-ignores table's header, in a dockerlint TOML file and in pyproject.toml.
# Matched on the line with its indentation stripped: no leading [ \t]* to rescan.
_TABLE = re.compile(r"\[[ \t]*per-file-ignores[ \t]*\]")
_PYPROJECT_TABLE = re.compile(r"\[[ \t]*tool[ \t]*\.[ \t]*dockerlint[ \t]*\.[ \t]*per-file-ignores[ \t]*\]")
# Lines a Dockerfile's ignore-file goes after (they must stay first in the file).
_DOCKERFILE_HEAD = re.compile(r"#!|#\s*(?:syntax|escape|check)\s*=", re.IGNORECASE)


@dataclass(frozen=True)
class Edit:
    """Replace the text between two engine positions (an insertion when they are equal)."""

    line: int
    col: int
    end_line: int
    end_col: int
    text: str


@dataclass(frozen=True)
class Item:
    """One finding of a document, as the server shows it."""

    rule_id: str
    rule_name: str
    severity: str  # critical, high, error, medium, low, info
    line: int
    col: int
    end_line: int
    end_col: int
    message: str
    fix_title: str = ""
    fix_edits: tuple[Edit, ...] = ()  # in this document only (a fix elsewhere is not offered)


@dataclass(frozen=True)
class Suppression:
    """The comment that suppresses a finding: ``edit``, then the cursor at ``cursor``
    (line, col: where the reason goes)."""

    title: str
    edit: Edit
    cursor: tuple[int, int]


@dataclass(frozen=True)
class ConfigIgnore:
    """A ``per-file-ignores`` entry for a file that cannot hold comments: ``edit`` of the
    configuration file at ``path`` (made first when ``create``), the reason at ``cursor``."""

    title: str
    path: str
    create: bool
    text: str  # the configuration's text before the edit ("" when it is created)
    edit: Edit
    cursor: tuple[int, int]


@dataclass
class Outcome:
    """The findings of one document, and what went wrong in the rules (internal errors)."""

    items: list[Item] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def applied(text: str, e: Edit, reason: str) -> str:
    """``text`` with the insertion ``e`` made and ``reason`` written where its cursor goes."""
    lines = text.split("\n")
    row = lines[e.line - 1] if e.line <= len(lines) else ""
    written = e.text[:-1] + reason + "\n" if e.text.endswith("\n") else e.text + reason
    lines[e.line - 1 : e.line] = (row[: e.col - 1] + written + row[e.col - 1 :]).split("\n")
    return "\n".join(lines)


def _same(a: Item, b: Item) -> bool:
    """The same finding, wherever an inserted line moved it."""
    return a.rule_id == b.rule_id and a.message == b.message and a.col == b.col


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class Workspace:
    """One workspace folder: its candidates, its configuration, an engine."""

    def __init__(
        self, root: str, registry: Registry | None = None, on_parse: Callable[[SourceFile], None] | None = None
    ) -> None:
        self.root = os.path.abspath(root)
        self.real_root = os.path.realpath(self.root)
        self.registry = registry if registry is not None else load_registry([self.root])
        self.config_error = ""
        self._candidates: dict[str, Candidate] = {}
        # The context files (Compose, daemon.json, units...) with their folder and host.
        self._context: list[tuple[Candidate, str, str | None]] = []
        # A file is parsed once per text: a document unchanged since the last lint (the
        # Compose file beside an edited Dockerfile) keeps its models. ``on_parse`` hears of
        # every file actually parsed.
        self.parses = ParseCache(PARSES_KEPT, on_parse)
        # Builder file (Compose...) -> (its text or its stat on disk, the Dockerfiles it builds).
        self._links: dict[str, tuple[object, frozenset[str]]] = {}
        self._generation = 0  # reloads so far: files on disk are looked at again after each
        self._encoded: dict[str, tuple[str, bytes, str]] = {}  # path -> (text, its bytes, its digest)
        self._lints: OrderedDict[tuple[object, ...], Outcome] = OrderedDict()
        self.reload()

    # -- set-up --------------------------------------------------------------------

    def reload(self) -> None:
        """Walk the workspace again and read its configuration again (files changed on disk)."""
        self.config_error = ""
        found, _ = discover([self.root], cwd=self.root)
        self._candidates = {c.abspath: c for c in found}
        self._context = [(c, os.path.dirname(c.abspath), self._host(c)) for c in found if c.kind in CONTEXT_KINDS]
        # Files on disk and the configuration may have changed: nothing parsed or linted before counts.
        self._generation += 1
        self.parses.clear()
        self._lints.clear()
        # The settings as the CLI loads them for this folder (DOCKERLINT_* of the editor's
        # environment, the nearest configuration file per file). A bad DOCKERLINT_* selector
        # is said once; the environment is then left out instead of stopping the server.
        cl = CommandLine(max_file_size=Options().max_file_size, read_roots=[self.root])
        try:
            settings = load_settings(cl, self.root, self.registry, os.environ)
        except SettingError as exc:
            self.config_error = str(exc)
            settings = load_settings(cl, self.root, self.registry, {})
        self._settings: Settings = settings
        base, resolver = settings.base, settings.resolver

        def for_file(abspath: str) -> Options:
            try:
                return resolver(abspath)
            except ConfigError as exc:
                self.config_error = f"configuration: {exc}"
                return resolver(self.root) if abspath != self.root else base

        try:
            run_options = resolver(self.root)
        except ConfigError as exc:
            self.config_error = f"configuration: {exc}"
            run_options = base
        options = replace(
            run_options, for_file=for_file, roots=(self.root,), repository_ignores=True, excluded=self._excluded
        )
        self._engine = Engine(self.registry, options)
        self._engine.keep_parses(self.parses)

    def _excluded(self, abspath: str) -> bool:
        """Whether the ``exclude`` globs of the configuration that applies to ``abspath`` drop it."""
        try:
            return self._settings.excludes(abspath)
        except ConfigError:
            return False

    @staticmethod
    def is_config_file(abspath: str) -> bool:
        return os.path.basename(abspath) in CONFIG_FILE_NAMES

    # -- which files ---------------------------------------------------------------

    def display(self, abspath: str) -> str:
        return os.path.relpath(abspath, self.root).replace(os.sep, "/")

    def candidate(self, abspath: str, text: str | None = None) -> Candidate | None:
        """The candidate a document is linted as, or None: not in the workspace (by its
        real path too: no link leads the server out of the root), excluded, or not a kind
        dockerlint lints (by name, then, for a file the walk did not take, by content)."""
        abspath = os.path.abspath(abspath)
        if not _inside(abspath, self.root) or not _inside(os.path.realpath(abspath), self.real_root):
            return None
        if self._excluded(abspath):
            return None
        found = self._candidates.get(abspath)
        if found is not None:
            return found
        rel = self.display(abspath)
        kind = classify_name("/".join(rel.split("/")[-5:]))
        if kind is None and text is not None:
            kind = sniff(text, os.path.basename(abspath))
        if kind is None:
            return None
        return Candidate(rel, abspath, kind, real=os.path.realpath(abspath))

    def _host(self, cand: Candidate) -> str | None:
        if cand.kind not in _HOST_KINDS:
            return None
        from dockerlint.parsers.daemon import host_root

        return host_root(cand.path)

    def group(self, cand: Candidate, buffers: Mapping[str, str] | None = None) -> list[Candidate]:
        """``cand`` and the files it is judged against (see the module's doc); for a
        Dockerfile, also the Compose files that build it wherever they are (``build: ../app``)."""
        folder = os.path.dirname(cand.abspath)
        host = self._host(cand)
        out = [cand]
        for c, where, its_host in self._context:
            if c.abspath != cand.abspath and (_inside(folder, where) or (host is not None and its_host == host)):
                out.append(c)
        if cand.kind == "dockerfile":
            known = {c.abspath for c in out}
            out += [c for c in self.builders(cand.abspath, buffers or {}) if c.abspath not in known]
        return out

    def related(self, a: str, b: str, buffers: Mapping[str, str] | None = None) -> bool:
        """Whether an edit of ``a`` may change the findings of ``b`` (or the reverse): one of
        them is a file others are judged against (Compose, daemon.json, a unit...) and one's
        folder holds the other's (a Compose file and the Dockerfiles it builds, the files it
        includes), or both are daemon files of one host, or one builds the other (from any
        folder). Two Dockerfiles are not related."""
        ca, cb = self.candidate(a, (buffers or {}).get(a)), self.candidate(b, (buffers or {}).get(b))
        if ca is None or cb is None or not {ca.kind, cb.kind} & CONTEXT_KINDS:
            return False
        da, db = os.path.dirname(a), os.path.dirname(b)
        if _inside(da, db) or _inside(db, da):
            return True
        ha = self._host(ca)
        if ha is not None and ha == self._host(cb):
            return True
        return self._builds(ca, cb, buffers or {}) or self._builds(cb, ca, buffers or {})

    def linked(self, abspath: str, buffers: Mapping[str, str]) -> list[str]:
        """The workspace files, open or not, whose findings an edit of ``abspath`` may change
        for certain: the Compose files that build a Dockerfile (wherever they are), the
        Dockerfiles a Compose file builds and the Compose files of its folder (override
        files), the daemon files of a daemon file's host. (A Compose file at the top of the
        tree concerns every open Dockerfile below it too: :meth:`related` says so, but only
        the open ones are linted again for that.)"""
        cand = self.candidate(abspath, buffers.get(abspath))
        if cand is None:
            return []
        out: list[str] = []
        if cand.kind == "dockerfile":
            out = [c.abspath for c in self.builders(cand.abspath, buffers)]
        elif cand.kind in _BUILDER_KINDS:
            built = self._built_by(cand, buffers.get(cand.abspath))
            folder = os.path.dirname(cand.abspath)
            out = [
                c.abspath
                for c in self._candidates.values()
                if (c.kind == "dockerfile" and path_key(c.abspath) in built)
                or (c.kind in _BUILDER_KINDS and os.path.dirname(c.abspath) == folder)
            ]
        host = self._host(cand)
        if host is not None:
            out += [c.abspath for c, _, its_host in self._context if its_host == host]
        return [p for p in dict.fromkeys(out) if p != cand.abspath]

    # -- build links ---------------------------------------------------------------

    def builders(self, dockerfile: str, buffers: Mapping[str, str]) -> list[Candidate]:
        """The Compose (and devcontainer) files of the workspace, open or not, whose services
        build ``dockerfile`` (an absolute path)."""
        key = path_key(dockerfile)
        return [c for c in self._builder_candidates(buffers) if key in self._built_by(c, buffers.get(c.abspath))]

    def _builder_candidates(self, buffers: Mapping[str, str]) -> list[Candidate]:
        out = [c for c, _, _ in self._context if c.kind in _BUILDER_KINDS]
        for path, text in buffers.items():  # open files the walk did not find (new, not saved yet)
            if path not in self._candidates:
                c = self.candidate(path, text)
                if c is not None and c.kind in _BUILDER_KINDS:
                    out.append(c)
        return out

    def _builds(self, builder: Candidate, dockerfile: Candidate, buffers: Mapping[str, str]) -> bool:
        return (
            builder.kind in _BUILDER_KINDS
            and dockerfile.kind == "dockerfile"
            and path_key(dockerfile.abspath) in self._built_by(builder, buffers.get(builder.abspath))
        )

    def _built_by(self, cand: Candidate, text: str | None) -> frozenset[str]:
        """The Dockerfiles (``path_key``) the services of one file build, as its own text says
        (no other file merged in); kept until its text, or the file on disk, changes. A file
        on disk is looked at (stat) once after each :meth:`reload`, not at every lint: a
        workspace may hold thousands of Compose files."""
        got = self._links.get(cand.abspath)
        stamp: object = text
        if text is None:
            if got is not None and isinstance(got[0], tuple) and got[0][0] == self._generation:
                return got[1]
            try:
                st = os.stat(cand.abspath)
            except OSError:
                return frozenset()
            disk = (self._generation, st.st_ino, st.st_size, st.st_mtime_ns)
            stamp = disk
            if got is not None and isinstance(got[0], tuple) and got[0][1:] == disk[1:]:
                self._links[cand.abspath] = (disk, got[1])
                return got[1]
        elif got is not None and got[0] == text:
            return got[1]
        if text is None:
            text = self.on_disk(cand.abspath)
        built: frozenset[str] = frozenset()
        if text is not None:
            from dockerlint.models.container import dockerfiles_built

            out = self._engine.parse(
                SourceFile(path=cand.path, kind=cand.kind or "compose", text=text, abspath=cand.abspath), Result()
            )
            if out is not None:
                models = [*out.models, *(m for part in out.compose_parts for m in getattr(part, "models", ()))]
                built = frozenset(dockerfiles_built(models))
        self._links[cand.abspath] = (stamp, built)
        return built

    # -- linting -------------------------------------------------------------------

    def lint(self, abspath: str, buffers: Mapping[str, str]) -> Outcome | None:
        """The findings of one document (None: dockerlint does not lint it)."""
        cand = self.candidate(abspath, buffers.get(abspath))
        if cand is None:
            return None
        group = self.group(cand, buffers)
        contents, digests = self._contents(buffers)
        key = (cand.abspath, tuple(c.abspath for c in group), digests)
        kept = self._lints.get(key)
        if kept is not None:  # the same files with the same texts: the same findings
            self._lints.move_to_end(key)
            return kept
        result = self._engine.run(group, contents)
        out = Outcome(errors=list(result.internal_errors), notices=list(result.notices))
        if self.config_error:
            out.errors.insert(0, self.config_error)
        out.items = [self._item(f) for f in result.findings if f.path == cand.path]
        self._lints[key] = out
        while len(self._lints) > LINTS_KEPT:
            self._lints.popitem(last=False)
        return out

    def _contents(self, buffers: Mapping[str, str]) -> tuple[dict[str, bytes], tuple[tuple[str, str], ...]]:
        """The buffers as the engine takes them (bytes), and their digests; each text is
        encoded once, not at every lint."""
        contents: dict[str, bytes] = {}
        digests = []
        for path in sorted(buffers):
            text = buffers[path]
            got = self._encoded.get(path)
            if got is None or got[0] != text:
                data = text.encode("utf-8", "surrogatepass")
                got = self._encoded[path] = (text, data, hashlib.blake2b(data, digest_size=16).hexdigest())
            contents[path] = got[1]
            digests.append((path, got[2]))
        for gone in set(self._encoded).difference(buffers):
            del self._encoded[gone]
        return contents, tuple(digests)

    def _item(self, f: Finding) -> Item:
        s = f.span
        title, edits = "", tuple[Edit, ...]()
        fix = f.fix
        if fix is not None and fix.safe and all(e.span.path == f.path for e in fix.edits):
            title = fix.description
            edits = tuple(
                Edit(e.span.line, e.span.col, e.span.end_line, e.span.end_col, e.replacement) for e in fix.edits
            )
        return Item(
            f.rule_id, f.rule_name, f.severity.value, s.line, s.col, s.end_line, s.end_col, f.message, title, edits
        )

    # -- suppressions --------------------------------------------------------------

    def suppression(self, abspath: str, buffers: Mapping[str, str], item: Item) -> Suppression | None:
        """The inline comment that suppresses ``item`` where the README places it, checked
        by linting the edited text: offered only when the engine then counts the finding
        as suppressed. None: the kind has no comments (JSON), or no placement works."""
        text = buffers.get(abspath)
        cand = self.candidate(abspath, text)
        if text is None or cand is None or not _COMMENT.get(cand.kind or ""):
            return None
        now = self.lint(abspath, buffers)
        before = sum(1 for i in (now.items if now is not None else ()) if _same(i, item))
        for sup in self._placements(cand, text, item):
            if self._suppresses(cand, buffers, sup, item, before):
                return sup
        return None

    def config_ignore(self, abspath: str, buffers: Mapping[str, str], item: Item) -> ConfigIgnore | None:
        """For JSON (no comments): the ``per-file-ignores`` entry that turns the rule off for
        this file, in the TOML configuration that applies to it (a new ``.dockerlint.toml``
        at the root when none does), checked by reading the edited configuration. None: a
        YAML configuration, a name that would be read as a glob, or an edit that fails."""
        cand = self.candidate(abspath, buffers.get(abspath))
        if cand is None or _COMMENT.get(cand.kind or "", "#") != "":
            return None
        try:
            fc = self._settings.finder.for_path(abspath) if self._settings.finder is not None else None
        except ConfigError:
            return None
        path = fc.path if fc is not None else os.path.join(self.root, ".dockerlint.toml")
        if path.endswith((".yaml", ".yml")):
            return None
        text = buffers.get(path) if fc is not None else ""
        if text is None:
            text = self.on_disk(path, config=True)
        rel = os.path.relpath(abspath, os.path.dirname(path)).replace(os.sep, "/")
        if text is None or rel.startswith("../") or any(c in rel for c in "*?[]{}!\\"):
            return None
        table = "tool.dockerlint.per-file-ignores" if os.path.basename(path) == PYPROJECT else "per-file-ignores"
        entry = f'{json.dumps(rel, ensure_ascii=False)} = ["{item.rule_id}"]  # '
        lines = text.split("\n")
        header = _PYPROJECT_TABLE if table.startswith("tool.") else _TABLE
        at = next((n for n, line in enumerate(lines, 1) if header.match(line.lstrip(" \t"))), 0)
        if at:
            edit, cursor = Edit(at + 1, 1, at + 1, 1, entry + "\n"), (at + 1, len(entry) + 1)
        else:
            end = len(lines)
            lead = ("\n" if lines[-1] else "") + ("\n" if text.strip() else "")
            edit = Edit(end, len(lines[-1]) + 1, end, len(lines[-1]) + 1, f"{lead}[{table}]\n{entry}\n")
            cursor = (end + lead.count("\n") + 1, len(entry) + 1)
        written = applied(text, edit, "a reason")
        try:
            checked = load_file(path, self.registry, text=written)
        except (ConfigError, ValueError):
            return None
        if checked is None or item.rule_id not in checked.config.per_file_ignores.get(rel, ()):
            return None
        return ConfigIgnore(
            f"Ignore {item.rule_id} for this file in {self.display(path)} (with a reason)",
            path,
            fc is None,
            text,
            edit,
            cursor,
        )

    def _placements(self, cand: Candidate, text: str, item: Item) -> Iterable[Suppression]:
        kind = cand.kind or ""
        mark = _COMMENT[kind]
        lines = text.split("\n")
        directive = f"{mark} dockerlint: ignore[{item.rule_id}] "
        if kind in _END_OF_LINE and 1 <= item.line <= len(lines):
            line = lines[item.line - 1].rstrip("\r")
            col = len(line) + 1
            yield Suppression(
                f"Suppress {item.rule_id} on this line (with a reason)",
                Edit(item.line, col, item.line, col, "  " + directive),
                (item.line, col + 2 + len(directive)),
            )
        start = self._statement_start(cand, text, item.line)
        if 1 <= start <= len(lines):
            indent = re.match(r"[ \t]*", lines[start - 1])
            lead = indent.group(0) if indent else ""
            yield Suppression(
                f"Suppress {item.rule_id} here (with a reason)",
                Edit(start, 1, start, 1, lead + directive + "\n"),
                (start, len(lead) + len(directive) + 1),
            )
        first = 1
        if kind == "dockerfile":
            while first <= len(lines) and _DOCKERFILE_HEAD.match(lines[first - 1]):
                first += 1
        elif lines and lines[0].startswith("#!"):
            first = 2
        whole = f"{mark} dockerlint: ignore-file[{item.rule_id}] "
        yield Suppression(
            f"Suppress {item.rule_id} in this file (with a reason)",
            Edit(first, 1, first, 1, whole + "\n"),
            (first, len(whole) + 1),
        )

    def _statement_start(self, cand: Candidate, text: str, line: int) -> int:
        """The line a line-before comment goes above: a Dockerfile instruction's first line
        (the comment covers the whole instruction), elsewhere the finding's line."""
        if cand.kind != "dockerfile":
            return line
        out = self._engine.parse(
            SourceFile(path=cand.path, kind="dockerfile", text=text, abspath=cand.abspath), Result()
        )
        for model in out.models if out is not None else ():
            for ins in getattr(model, "instructions", ()):
                if ins.start_line <= line <= ins.end_line:
                    return int(ins.start_line)
        return line

    def _suppresses(
        self, cand: Candidate, buffers: Mapping[str, str], sup: Suppression, item: Item, before: int
    ) -> bool:
        """Whether the edited text has one finding like ``item`` fewer, and it suppressed."""
        edited = dict(buffers)
        edited[cand.abspath] = applied(buffers[cand.abspath], sup.edit, "a reason")
        contents = {p: t.encode("utf-8", "surrogatepass") for p, t in edited.items()}
        result = self._engine.run(self.group(cand, edited), contents)
        after = sum(1 for f in result.findings if f.path == cand.path and _same(self._item(f), item))
        return after < before and any(f.path == cand.path and f.rule_id == item.rule_id for f in result.suppressed)

    # -- rule documentation --------------------------------------------------------

    def rule_page(self, rule_id: str) -> str | None:
        from dockerlint.reporters.ruledocs import read_doc

        r = self.registry.get(rule_id)
        return read_doc(r) if r is not None else None

    def rule_url(self, rule_id: str) -> str | None:
        if rule_id not in self.registry or self.registry.origin(rule_id) != "dockerlint":
            return None
        return RULES_URL.format(rule_id)

    def on_disk(self, abspath: str, config: bool = False) -> str | None:
        """The text of a workspace file on disk (None: not a regular file of the workspace,
        too big, unreadable, not UTF-8), read as the engine reads files (no FIFO blocks)."""
        if not config and self.candidate(abspath) is None:
            return None
        try:
            data = containment.read_regular(
                containment.resolve(abspath, (self.real_root,)), self._engine.options.max_file_size
            )
            return data.decode("utf-8")
        except (OSError, ValueError, containment.Refused):
            return None
