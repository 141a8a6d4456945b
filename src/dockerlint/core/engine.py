"""The engine: read each file once, parse it into models, run the rules, collect findings.

Bad input never stops the run: a file that cannot be read or parsed becomes one
finding under its kind's parse-error id, and the other files are linted as usual.

The jobs are in their own modules: :mod:`~dockerlint.core.reading` (bytes and text),
:mod:`~dockerlint.core.parsing` (models, parse errors), :mod:`~dockerlint.core.checking` (the
rules over a model), :mod:`~dockerlint.core.keeping` (configuration, suppressions, snippets:
findings made final), :mod:`~dockerlint.core.selection` (which rules are on),
:mod:`~dockerlint.core.scan` and :mod:`~dockerlint.core.findings`. This module holds
:class:`Engine` and the phases of a run (:meth:`Engine.run`).
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from dockerlint.core.checking import Checker
from dockerlint.core.findings import Finding, Result, unique
from dockerlint.core.keeping import Keeper, index_of
from dockerlint.core.options import Options
from dockerlint.core.parsing import Parser, expansions
from dockerlint.core.reading import Reader, unit_part
from dockerlint.core.registry import Registry
from dockerlint.core.scan import Scan
from dockerlint.core.selection import EnabledIds, Selection
from dockerlint.discovery import Candidate
from dockerlint.models.base import Span
from dockerlint.models.source import SourceFile
from dockerlint.parsers.output import ParseOutput
from dockerlint.util import limits as _limits
from dockerlint.util.paths import path_key

# Kinds linted file by file and then forgotten; the others (Compose, daemon.json, units)
# are what those files are judged against, and stay in memory for the whole run.
STREAMED_KINDS = frozenset({"dockerfile", "script", "makefile", "github", "gitlab"})
PARALLEL_MIN_FILES = _limits.PARALLEL_MIN_FILES


@dataclass
class _Outcome:
    """What linting one file gives: its final findings (in ``result``), its suppressions,
    and findings it produced in other files (made final when all files are known)."""

    result: Result
    directives: list[Any] = field(default_factory=list)
    foreign: list[Finding] = field(default_factory=list)
    # Dockerfiles its build lines name (``docker build -f``), as display paths: linted once
    # the other files are done, whatever their names.
    references: list[str] = field(default_factory=list)


# What a streamed file leaves for the end of the run (_Run.outcomes): a tuple (no instance
# dict), whose empty parts are the shared ``()``.
class _Kept(NamedTuple):
    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]
    files: tuple[SourceFile, ...]
    internal_errors: tuple[str, ...]
    notices: tuple[str, ...]
    directives: tuple[Any, ...]  # its suppressions
    foreign: tuple[Finding, ...]  # the findings it made in other files


@dataclass
class _Run:
    scan: Scan
    sources: dict[str, SourceFile] = field(default_factory=dict)  # files kept in memory, by path
    directives: dict[str, list[Any]] = field(default_factory=dict)
    daemon_parts: list[Any] = field(default_factory=list)
    compose_parts: list[Any] = field(default_factory=list)
    unrelated_units: list[tuple[int, SourceFile]] = field(default_factory=list)  # see Reader.read
    # Streamed files with something to report, by candidate index (the counts of the
    # others are added up at once: a big tree's clean files leave nothing behind), as
    # _Kept tuples: what a file left, without the empty lists of its Result and _Outcome.
    outcomes: dict[int, _Kept] = field(default_factory=dict)
    files_checked: int = 0
    io_errors: int = 0
    # Unfiltered findings and counts of the kept files (by candidate index; -1: assembling
    # projects and daemons, -2: the rules over their models).
    results: dict[int, Result] = field(default_factory=dict)
    late: list[Finding] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # named by streamed files' build lines
    # Folders where a Compose file's YAML tree is kept for the project pass (two or more
    # files that may be Compose files; a .env: see Engine._lean).
    shared_folders: frozenset[str] = frozenset()
    dotenv_folders: dict[str, bool] = field(default_factory=dict)

    def add(self, i: int, outcome: _Outcome) -> None:
        r = outcome.result
        self.files_checked += r.files_checked
        self.io_errors += r.io_errors
        self.references.extend(outcome.references)
        if (
            r.findings
            or r.suppressed
            or r.files
            or r.notices
            or r.internal_errors
            or outcome.directives
            or outcome.foreign
        ):
            self.outcomes[i] = _Kept(
                tuple(r.findings),
                tuple(r.suppressed),
                tuple(r.files),
                tuple(r.internal_errors),
                tuple(r.notices),
                tuple(outcome.directives),
                tuple(outcome.foreign),
            )

    def result_for(self, i: int) -> Result:
        got = self.results.get(i)
        if got is None:
            got = self.results[i] = Result()
        return got

    def settle(self, i: int) -> None:
        """Fold file ``i``'s result into the run's counts when it holds nothing else, as most
        configuration files' do: a big tree keeps no empty ``Result`` (seven lists) per file."""
        r = self.results.get(i)
        if r is not None and not (
            r.findings or r.suppressed or r.files or r.internal_errors or r.notices or r.remarks or r.rule_ids
        ):
            self.files_checked += r.files_checked
            self.io_errors += r.io_errors
            del self.results[i]


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use (containers, taskset)
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _worker_count(jobs: int, todo: list[int]) -> int:
    """Processes for ``todo``: ``jobs`` (0: the CPUs, when there are enough files to gain from it)."""
    if jobs == 1 or len(todo) < 2:
        return 1
    if jobs <= 0:
        if len(todo) < PARALLEL_MIN_FILES:
            return 1
        jobs = cpu_count()
    from dockerlint.core import parallel

    if not parallel.available():
        return 1
    return max(1, min(jobs, len(todo)))


class ParseCache:
    """Parsed files kept between runs, for a caller that lints the same files again and again
    (the language server): a file whose kind, paths and text are those of a kept parse is not
    parsed again. Its models, comments, parse-error and parser findings come back as the
    parse gave them (rules and assembly read models, they do not change them); the notices
    of values that reached an expansion limit are said by the first parse only.

    At most ``size`` files are kept (the least recently used go). ``on_parse`` is told of
    every file actually parsed. Give it to an engine with :meth:`Engine.keep_parses`; one
    cache serves engines of the same registry and limits only (make a new one otherwise)."""

    def __init__(self, size: int = 256, on_parse: Callable[[SourceFile], None] | None = None) -> None:
        self.size = size
        self.on_parse = on_parse
        self._kept: OrderedDict[tuple[str, str, str | None, str], tuple[ParseOutput | None, Result, Any]] = (
            OrderedDict()
        )

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        self._kept.clear()

    def parse(self, parser: Parser, src: SourceFile, result: Result) -> ParseOutput | None:
        digest = hashlib.blake2b(src.text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        key = (src.path, src.kind, src.abspath, digest)
        got = self._kept.get(key)
        if got is None:
            if self.on_parse is not None:
                self.on_parse(src)
            own = Result()
            out = parser.parse(src, own)
            got = (out, own, parser.unparsed_comments.get(src.path) if out is None else None)
            self._kept[key] = got
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        else:
            self._kept.move_to_end(key)
        out, own, comments = got
        result.findings.extend(own.findings)
        result.internal_errors.extend(own.internal_errors)
        if comments is not None:
            parser.unparsed_comments[src.path] = comments
        return out


class Engine:
    """Lints candidates: ``Engine(registry, options).run(candidates)`` gives a :class:`Result`."""

    def __init__(self, registry: Registry, options: Options | None = None) -> None:
        self.registry = registry
        self.options = options or Options()
        self.enabled_ids = EnabledIds(registry)
        self._opts_by_path: dict[str, Options] = {}
        # The limits every parse and every file read in the run obey (--max-file-size too:
        # files read for extends / include / env_file come through containment.read_regular).
        self._limits = replace(self.options.limits, max_file_size=self.options.max_file_size)
        self.parser = Parser(registry, self._limits)
        self.reader = Reader(self.options, self.parser)
        self.checker = Checker(
            registry, self.options, self.options_for, Selection.of_options(self.options).ids(registry)
        )
        self.keeper = Keeper(registry, self.options, self.options_for, self.enabled_ids)
        self.keeper.hash_texts = self.reader.hash_texts  # one dict: the reader fills it, the keeper reads it
        self._run_enabled: frozenset[str] = frozenset()
        self._notices: list[str] = []
        self._parses: ParseCache | None = None
        # What a run recomputed from the registry alone: kept for the next run (the server's).
        self._indexed: frozenset[str] | None = None  # the rules the checker was last given

    def options_for(self, path: str) -> Options:
        """The options of a file by display path (the run's options for unknown paths)."""
        return self._opts_by_path.get(path, self.options)

    def read(self, cand: Candidate, result: Result, unrelated: list[SourceFile] | None = None) -> SourceFile | None:
        """The file as a SourceFile, or None (see :meth:`Reader.read`)."""
        return self.reader.read(cand, result, unrelated)

    def parse(self, src: SourceFile, result: Result) -> ParseOutput | None:
        """The models of ``src``, or None (see :meth:`Parser.parse`)."""
        if self._parses is not None:
            return self._parses.parse(self.parser, src, result)
        return self.parser.parse(src, result)

    def keep_parses(self, cache: ParseCache | None) -> None:
        """Parse through ``cache`` from now on (None: parse every file every run)."""
        self._parses = cache

    def check(self, scan: Scan, result: Result) -> None:
        """Run the enabled rules over every model of ``scan`` (findings not yet filtered)."""
        self.checker.check(scan, result)

    # -- running -----------------------------------------------------------------

    def run(self, candidates: list[Candidate], contents: dict[str, bytes] | None = None) -> Result:
        """:meth:`lint_all` with the tree computed once for the run (:func:`containment.run_scope`)."""
        from dockerlint.util import containment

        with containment.run_scope():
            return self.lint_all(candidates, contents)

    def lint_all(self, candidates: list[Candidate], contents: dict[str, bytes] | None = None) -> Result:
        """Lint ``candidates``. ``contents`` maps absolute paths to bytes linted instead of
        the file's (standard input).

        Files are linted in three steps, so that only what rules look up across files stays
        in memory: (1) the configuration files other files are judged against (Compose,
        daemon.json, systemd units) are parsed and assembled into projects and daemons;
        (2) the Dockerfiles a Compose project builds are linted and their models kept; (3)
        every other Dockerfile, script and CI file is linted on its own and forgotten — in
        ``Options.jobs`` processes when there are enough of them. The rules of step (1)'s
        models run between (2) and (3), and then the scan forgets the models no rule of
        (3) looks up. Findings are sorted, so the order of work never shows.
        """
        candidates = list(candidates)  # the Dockerfiles the scan refers to join it
        cand_opts = self._start(candidates, contents)
        run = _Run(scan=Scan())
        alone = [self._streamed(cand) for cand in candidates]
        context = [i for i, on_its_own in enumerate(alone) if not on_its_own]
        streamed = [i for i, on_its_own in enumerate(alone) if on_its_own]
        # (1) Compose files, daemon.json and units: parsed, assembled, kept.
        context_models = self._read_configuration(context, candidates, run)
        # (2) Dockerfiles a Compose service or a docker build -t line builds, kept.
        rest = self._lint_built(streamed, candidates, cand_opts, run)
        # The rules of step (1)'s models: they look at the kept Dockerfiles and at each other,
        # never at a streamed file (none joins the scan). Then the scan keeps only what the
        # streamed files' rules look up (see _for_streamed), not every service of every project.
        self._check_configuration(context_models, run)
        context_models.clear()
        _for_streamed(run.scan)
        # (3) Everything else, file by file (in worker processes when worth it).
        for i, outcome in self._stream(candidates, cand_opts, rest, run.scan):
            run.add(i, outcome)
        # (4) The Dockerfiles that build lines of those files name (docker build -f, without
        # -t: no image name links them to anything else) and that are not linted yet.
        if run.references:
            late_files = self._follow(run.references, candidates, cand_opts, run.scan)
            for i, outcome in self._stream(candidates, cand_opts, late_files, run.scan):
                run.add(i, outcome)
        # Every rule has run: the findings are made final from the texts alone, without the
        # models (most of a Compose-heavy scan's memory at that point).
        run.scan = Scan()
        return self._merge(candidates, run)

    def _start(self, candidates: list[Candidate], contents: dict[str, bytes] | None) -> list[Options]:
        """Reset the state of a previous run (a --fix pass lints new texts); the candidates' options."""
        self.reader.contents = dict(contents or {})
        self.keeper.hashers.clear()
        self.keeper.hash_texts.clear()
        self.keeper.masks.clear()
        cand_opts: list[Options] = []
        self._run_enabled = frozenset()
        self._known: Any = None  # references.Known, once a reference is followed
        self._admit(candidates, cand_opts, 0)
        self._hadolint = self.registry.hadolint_map()
        self._progress_done = 0
        self._progress_total = len(candidates)
        self._notices = []
        return cand_opts

    def _streamed(self, cand: Candidate) -> bool:
        """Whether a file is linted on its own and forgotten (not a configuration file, nor a
        script or CI file that builds images other files use)."""
        kind = self.reader.kind(cand)
        return kind in STREAMED_KINDS and not (kind != "dockerfile" and self.reader.builds_images(cand))

    def _read_configuration(self, context: list[int], candidates: list[Candidate], run: _Run) -> list[Any]:
        """Phase (1): read and parse the configuration files, assemble daemons and Compose
        projects; the models whose rules run last."""
        run.shared_folders = _shared_folders(
            candidates[i].abspath for i in context if self.reader.kind(candidates[i]) in ("compose", None)
        )
        for i in context:
            self._read_context(i, candidates[i], run)
        self._related_units(run)
        if run.daemon_parts:
            self._daemons(run)
        if run.compose_parts:
            self._compose_projects(run)
        run.daemon_parts = run.compose_parts = []
        return list(run.scan.models)

    def _daemons(self, run: _Run) -> None:
        from dockerlint.parsers.daemon import assemble

        with expansions(run.result_for(-1)), _limits.using(self._limits):
            assembled = assemble(run.daemon_parts)
        run.scan.add(assembled.models)
        for p in assembled.problems:
            self.parser.problem(run.result_for(-1), p)

    def _lint_built(
        self, streamed: list[int], candidates: list[Candidate], cand_opts: list[Options], run: _Run
    ) -> list[int]:
        """Phase (2): the Dockerfiles the scan builds, linted with their models kept (the rules
        of the containers that run those images read them); the streamed files left."""
        first, rest = self._built_first(streamed, candidates, cand_opts, run.scan)
        # All of them are parsed before any is checked: one may be the base image of another
        # (FROM acme/base, built by a service with image: acme/base), whatever their order.
        parsed: dict[int, tuple[Result, SourceFile | None, ParseOutput | None]] = {}
        for i in first:
            result = Result()
            src, out = self._read(candidates[i], result)
            if out is not None:
                run.scan.add(out.models)
            parsed[i] = (result, src, out)
        inline = self._parse_inline_dockerfiles(run) if run.sources else []
        for i in first:
            run.add(i, self._lint_streamed(candidates[i], cand_opts[i], run.scan, keep=True, parsed=parsed.pop(i)))
            self._tick(candidates[i])
        for item in inline:
            self._check_inline(item, run)
        return rest

    def _built_first(
        self, streamed: list[int], candidates: list[Candidate], cand_opts: list[Options], scan: Scan
    ) -> tuple[list[int], list[int]]:
        """The streamed files a Compose service or a docker build -t line builds, and the
        others. Those the walk did not find by name (build/app.docker) join the run here,
        before any Dockerfile is linted."""
        wanted = self._built_in_scan(scan)
        if not wanted:
            return [], streamed
        keys = [path_key(c.path) for c in candidates]
        first = [i for i in streamed if keys[i] in wanted]
        rest = [i for i in streamed if keys[i] not in wanted]
        unknown = wanted.difference(keys)
        if unknown:
            found = self._follow(unknown, candidates, cand_opts, scan)
            if scan.aliases:  # named through a link: the file found by name is built
                built = set(scan.aliases.values())
                first += [i for i in rest if keys[i] in built]
                rest = [i for i in rest if keys[i] not in built]
            first += found
        return first, rest

    def _check_configuration(self, context_models: list[Any], run: _Run) -> None:
        """The rules of the configuration files' models (they look at the kept Dockerfiles).
        A Compose project's value may be written in another of its files than the model's:
        the rules named in any of these files' suppressions run over all of their models."""
        late = run.result_for(-2)
        shadow = self._shadow_ids([d for ds in run.directives.values() for d in ds])
        for model in context_models:
            self.checker.check_model(model, run.scan, late, shadow)

    def _admit(self, candidates: list[Candidate], cand_opts: list[Options], start: int) -> None:
        """The options of ``candidates[start:]`` (their configuration), and the rules they turn on."""
        base = self.options
        enabled = set(self._run_enabled)
        for cand in candidates[start:]:
            o = base.for_file(cand.abspath) if base.for_file is not None else base
            cand_opts.append(o)
            self._opts_by_path[cand.path] = o
            enabled |= self.enabled_ids(o)
        enabled |= self.enabled_ids(base)
        if start and enabled <= self._run_enabled:
            return
        self._run_enabled = frozenset(enabled)
        if self._run_enabled == self._indexed:
            return  # the rules of the previous run: indexed already
        self._indexed = self._run_enabled
        self.checker.index(frozenset(rid for rid in enabled if not rid.startswith("DL")))

    def _follow(
        self, paths: Iterable[str], candidates: list[Candidate], cand_opts: list[Options], scan: Scan
    ) -> list[int]:
        """Add the Dockerfiles ``paths`` name (display paths) that are in the tree and not in the
        run yet to ``candidates``; their indexes."""
        from dockerlint import references

        if self._known is None:
            self._known = references.Known(candidates)
        found = references.follow(paths, self._known, self.options.roots, os.getcwd(), self.options.excluded)
        if self._known.aliases != scan.aliases:
            scan.aliases = dict(self._known.aliases)
            scan.version += 1
        if not found:
            return []
        start = len(candidates)
        candidates.extend(replace(c, referenced=True) for c in found)
        self._admit(candidates, cand_opts, start)
        self._progress_total += len(found)
        return list(range(start, len(candidates)))

    def _parse_inline_dockerfiles(self, run: _Run) -> list[Any]:
        """The Dockerfiles written in Compose files (``build.dockerfile_inline``), parsed where
        they are written and added to the scan (the services that build them, and the
        Dockerfiles built on their images, are judged against them); checked later."""
        container = _container_models()
        users = (
            []
            if container is None
            else [
                m
                for m in run.scan.models
                if isinstance(m, container.Container) and m.build is not None and m.build.inline is not None
            ]
        )
        if not users:
            return []
        from dockerlint.parsers import inline as inline_mod

        done: set[str] = set()
        out = []
        for c in sorted(users, key=lambda c: c.build.inline.path):
            written = c.build.inline
            compose = run.sources.get(written.value.span.path)
            if written.path in done or compose is None or compose.kind != "compose":
                continue  # written in a file this run does not lint (an extends base outside it)
            done.add(written.path)
            out.append(self._parse_inline(inline_mod.prepare(written, compose), run))
        return out

    def _parse_inline(self, item: Any, run: _Run) -> tuple[Any, Result, list[Any], list[Any]]:
        """Parse one inline Dockerfile (``inline.Inline``): its models and suppression comments
        moved to the Compose file that holds it; the models join the scan."""
        src = item.source
        where = item.compose.path
        o = self.options_for(where)
        self._opts_by_path[src.path] = o  # its rules' options: the Compose file's configuration
        raw = Result()
        out = self.parse(src, raw)
        models: list[Any] = []
        directives: list[Any] = []
        if out is not None:
            models = item.remap(out.models)
            run.scan.add(models)
        comments = out.comments if out is not None else self.parser.unparsed_comments.pop(src.path, None)
        if o.allow_inline_ignores and comments is not None:
            from dockerlint.core import suppressions

            extents = (out.extents or {}) if out is not None else None
            directives = [
                self._moved_directive(d, item) for d in suppressions.parse(src, extents, self._hadolint, comments)
            ]
            if directives:
                run.directives.setdefault(where, []).extend(directives)
        return item, raw, models, directives

    def _check_inline(self, parsed: tuple[Any, Result, list[Any], list[Any]], run: _Run) -> None:
        """Check one parsed inline Dockerfile; its findings are the Compose file's, made final
        with that file's suppressions once every file is done."""
        item, raw, models, directives = parsed
        shadow = self._shadow_ids(directives)
        for model in models:
            self.checker.check_model(model, run.scan, raw, shadow)
        result = run.result_for(-3)
        for f in raw.findings:
            span = item.span(f.span) if f.span.path == item.source.path else f.span
            result.findings.append(replace(f, span=span, fix=None))  # an edit of the Dockerfile is no YAML edit
        result.internal_errors.extend(raw.internal_errors)

    @staticmethod
    def _moved_directive(d: Any, item: Any) -> Any:
        """A suppression comment of an inline Dockerfile, where it is written in the Compose
        file; ``ignore-file`` there covers the inline Dockerfile, not the Compose file."""

        def line_of(n: int) -> int:
            return item.span(Span.point(d.path, n, 1)).line if n else 0

        covers = (line_of(d.covers[0]), line_of(d.covers[1]))
        scope = d.scope
        if scope == "file":
            scope, covers = "line", item.lines
        return replace(
            d,
            path=item.compose.path,
            span=item.span(d.span),
            scope=scope,
            covers=covers,
            ids=[(rule_id, item.span(span)) for rule_id, span in d.ids],
            used=set(),
        )

    def _tick(self, cand: Candidate) -> None:
        if self.options.progress is not None:
            self._progress_done += 1
            self.options.progress(self._progress_done, self._progress_total, cand.path)

    def _read(
        self, cand: Candidate, result: Result, unrelated: list[SourceFile] | None = None
    ) -> tuple[SourceFile | None, ParseOutput | None]:
        before = len(result.findings)
        src = self.read(cand, result, unrelated)
        if src is None:
            result.files_checked += len(result.findings) > before
            return None, None
        result.files_checked += 1
        with expansions(result, src.path):
            return src, self.parse(src, result)

    def _directives(self, src: SourceFile, out: ParseOutput | None, read: Any = None) -> list[Any]:
        # Only the comments the parser read are comments (none when it could not read the file).
        comments = (
            read
            if read is not None
            else (out.comments if out is not None else self.parser.unparsed_comments.pop(src.path, None))
        )
        if not self.options_for(src.path).allow_inline_ignores:
            return []
        from dockerlint.core import suppressions

        extents = None
        if src.kind == "dockerfile" and out is not None:
            extents = out.extents or {}
        return suppressions.parse(src, extents, self._hadolint, comments if comments is not None else [])

    def _read_context(self, i: int, cand: Candidate, run: _Run) -> None:
        result = run.result_for(i)
        unrelated: list[SourceFile] = []
        src, out = self._read(cand, result, unrelated)
        self._tick(cand)
        run.unrelated_units.extend((i, u) for u in unrelated)
        if src is not None:
            self._keep_context(src, out, run)
        run.settle(i)

    def _keep_context(self, src: SourceFile, out: ParseOutput | None, run: _Run) -> None:
        run.sources[src.path] = src
        if out is not None:
            run.scan.add(out.models)
            run.daemon_parts.extend(out.daemon_parts)
            run.compose_parts.extend(self._lean(doc, run) for doc in out.compose_parts)
        found = self._directives(src, out)
        if found:
            run.directives[src.path] = found
        src.pack()  # parsed: the text is enough until its findings are made final (L3), packed

    def _lean(self, doc: Any, run: _Run) -> Any:
        """A parsed Compose file (``ComposeDocument``) as the project pass gets it: without its
        YAML tree unless a project is likely to need it (the file refers to others, shares its
        folder with another Compose file or a ``.env``, or was named with ``--compose-file``).
        The trees of a scan's Compose files are most of its memory while they are all parsed;
        a project that needs a dropped tree after all parses the file's text again."""
        if doc.root is None or doc.references or doc.abspath in self.options.compose_files:
            return doc
        folder = os.path.dirname(doc.abspath)
        if folder in run.shared_folders:
            return doc
        dotenv = run.dotenv_folders.get(folder)
        if dotenv is None:
            dotenv = run.dotenv_folders[folder] = os.path.lexists(os.path.join(folder, ".env"))
        return doc if dotenv else replace(doc, root=None)

    def _related_units(self, run: _Run) -> None:
        """Units and drop-ins that do not concern Docker by themselves but belong to a unit
        that does, as systemd assembles it: the socket unit a Docker drop-in routes to
        docker.service, a drop-in of a Docker unit, a drop-in for a dash prefix or a whole
        type of units (``docker-.socket.d``, ``service.d``). They are linted with it."""
        if not run.unrelated_units:
            return
        from dockerlint.parsers import systemd
        from dockerlint.parsers.daemon import dropin_specificity, host_root

        # The units Docker's files make (a drop-in's folder may name several: those are not units).
        docker = {(host_root(p.path), p.name) for p in run.daemon_parts if isinstance(p, systemd.UnitPart)}
        for i, src in run.unrelated_units:
            part = unit_part(src)
            if part is None:
                continue
            root = host_root(src.path)
            if not any(
                r == root and (name == part.name or (part.dropin and dropin_specificity(part.name, name) is not None))
                for r, name in docker
            ):
                continue
            result = run.result_for(i)
            result.files_checked += 1
            self._keep_context(src, self.parse(src, result), run)
            run.settle(i)
        run.unrelated_units = []

    def _built_in_scan(self, scan: Scan) -> frozenset[str]:
        """The Dockerfiles the scan's Compose services and ``docker build -t`` lines build."""
        container = _container_models()
        return frozenset() if container is None else frozenset(container.dockerfiles_built(scan.models))

    def _lint_streamed(
        self,
        cand: Candidate,
        o: Options,
        scan: Scan,
        keep: bool = False,
        parsed: tuple[Result, SourceFile | None, ParseOutput | None] | None = None,
    ) -> _Outcome:
        """Read, parse and check one file on its own; its findings come back final (with
        snippets, suppressions applied). ``keep``: its models join the scan for later files.
        ``parsed``: the file was read and parsed already, and its models added to the scan."""
        if parsed is None:
            result = Result()
            src, out = self._read(cand, result)
        else:
            result, src, out = parsed
        outcome = _Outcome(result=result)
        if src is None:
            return outcome
        directives = self._directives(src, out)
        if out is not None:
            if keep and parsed is None:
                scan.add(out.models)
            shadow = self._shadow_ids(directives)
            raw: list[Finding] = []
            holder = Result(findings=raw, internal_errors=result.internal_errors)
            # RUN scripts are parsed when a rule reads them: the same limits hold then.
            with expansions(result, src.path), _limits.using(self._limits):
                for model in out.models:
                    self.checker.check_model(model, scan, holder, shadow)
                    named = getattr(model, "dockerfiles", None)  # a build line's Dockerfile (BuiltImage)
                    if named:
                        outcome.references.extend(named)
            result.findings.extend(raw)
        sources = {src.path: src}
        index = index_of(directives)
        pending, result.findings = result.findings, []
        for f in pending:
            if f.path == src.path:
                self.keeper.keep(f, result, sources, {src.path: index} if index is not None else {})
            else:
                outcome.foreign.append(f)  # located in another file: its suppressions decide there
        outcome.directives = directives
        self.keeper.hashers.pop(src.path, None)
        src.forget_lines()  # kept (below) or not, the file holds its text only from now on
        if keep or directives or any(f.fix is not None for f in result.findings):
            # Needed later: --fix edits it; a kept build or a file with suppressions gets
            # findings once the other files are done (DC122 on a service, DL rules).
            src.pack()
            result.files.append(src)
        else:
            self.keeper.hash_texts.pop(src.path, None)
        return outcome

    def _stream(
        self, candidates: list[Candidate], cand_opts: list[Options], todo: list[int], scan: Scan
    ) -> Iterable[tuple[int, _Outcome]]:
        jobs = _worker_count(self.options.jobs, todo)
        if jobs <= 1:
            for i in todo:
                outcome = self._lint_streamed(candidates[i], cand_opts[i], scan)
                self._tick(candidates[i])
                yield i, outcome
            return
        from dockerlint.core import parallel

        for i, outcome in parallel.lint(self, candidates, cand_opts, todo, scan, jobs, self._notices):
            self._tick(candidates[i])
            yield i, outcome

    def _shadow_ids(self, directives: list[Any]) -> frozenset[str]:
        """Rules named in suppressions run even when they are off, so a suppression that
        suppresses nothing is told from one that does; their findings are not reported."""
        if not directives:
            return frozenset()
        named = {rule_id for d in directives for rule_id, _ in d.ids}
        return frozenset(
            rid for rid in named if rid in self.registry and rid not in self._run_enabled and not rid.startswith("DL")
        )

    def _merge(self, candidates: list[Candidate], run: _Run) -> Result:
        """One result from the files' outcomes, in the candidates' order; the findings that
        waited for other files (the configuration files', foreign ones) are made final here."""
        result = Result(rule_ids=[], files_checked=run.files_checked, io_errors=run.io_errors)
        self._gather_outcomes(run, result)
        for src in result.files:
            run.sources.setdefault(src.path, src)
        for r in (run.results[k] for k in sorted(run.results)):
            run.late.extend(r.findings)
            result.absorb(r)
        indexes = {path: index for path, ds in run.directives.items() if (index := index_of(ds)) is not None}
        self._keep_late(run, result, indexes)
        self.keeper.meta(result, run.sources, run.directives, indexes, list(self._opts_by_path.values()))
        self._finish(result, candidates, run)
        return result

    def _keep_late(self, run: _Run, result: Result, indexes: dict[str, Any]) -> None:
        """Make the late findings final file by file (a stable sort: each file's findings in
        their order), each file's lines and line hashes dropped once its findings are done."""
        run.late.sort(key=_path_of)
        last = ""
        for f in run.late:
            if f.path != last:
                self._forget(run.sources.get(last))
                last = f.path
            self.keeper.keep(f, result, run.sources, indexes)
        self._forget(run.sources.get(last))
        run.late = []

    def _forget(self, src: SourceFile | None) -> None:
        if src is not None:
            src.pack()
            self.keeper.hashers.pop(src.path, None)

    @staticmethod
    def _gather_outcomes(run: _Run, result: Result) -> None:
        """The streamed files' outcomes into ``result`` (final findings) and ``run`` (their
        suppressions; foreign findings, made final with the others)."""
        for i in sorted(run.outcomes):
            kept = run.outcomes.pop(i)
            result.findings.extend(kept.findings)
            result.suppressed.extend(kept.suppressed)
            result.files.extend(kept.files)
            result.internal_errors.extend(kept.internal_errors)
            result.notices.extend(kept.notices)
            if kept.directives:
                run.directives[kept.directives[0].path] = list(kept.directives)
            run.late.extend(kept.foreign)

    def _finish(self, result: Result, candidates: list[Candidate], run: _Run) -> None:
        # Only the text of the files --fix may edit is handed on (findings carry their lines).
        needed = {e.span.path for f in result.findings if f.fix is not None for e in f.fix.edits}
        order = {c.path: n for n, c in enumerate(candidates)}
        result.files = sorted(
            (src for path, src in run.sources.items() if path in needed),
            key=lambda src: order.get(src.path, len(order)),
        )
        result.notices.extend(self._notices)
        result.notices = list(dict.fromkeys(result.notices))  # a file read twice says it once
        result.rule_ids = [rid for rid in self.registry.ids() if rid in self._run_enabled]
        # The same finding twice (a service shared by two projects, such as the base of an
        # ``extends`` that is a project of its own) says nothing more: reported once.
        result.findings.sort(key=Finding.sort_key)
        result.findings = unique(result.findings)
        result.suppressed.sort(key=Finding.sort_key)
        result.suppressed = unique(result.suppressed)
        self.keeper.hashers.clear()
        self.keeper.hash_texts.clear()
        self.keeper.texts.table.clear()

    def _compose_projects(self, run: _Run) -> None:
        """Merge the Compose files of the scan into projects (override files, extends,
        include, .env): the project's models replace those of its files."""
        from dockerlint.parsers.compose_project import assemble

        scanned = [s.abspath for s in run.sources.values() if s.kind == "compose" and s.abspath]
        with expansions(run.result_for(-1)), _limits.using(self._limits):
            got = assemble(
                run.compose_parts, compose_files=self.options.compose_files, roots=self.options.roots, scanned=scanned
            )
        if got.replaced:
            run.scan.replace([m for m in run.scan.models if id(m) not in got.replaced])
        run.scan.add(got.models)
        for p in got.problems:
            self.parser.problem(run.result_for(-1), p)
        run.result_for(-1).remarks.extend(got.notices)
        run.result_for(-1).internal_errors.extend(got.errors)
        self._env_sources(got.env_sources, run)

    def _env_sources(self, sources: list[Any], run: _Run) -> None:
        """The environment files the Compose projects read (``.env``, ``env_file``): findings
        located there (DC117) get their snippet, the configuration of the folder they are in,
        and the file's own inline suppressions (``# dockerlint: ignore[...]`` as Compose reads
        comments: a line starting with ``#``, ``" #"`` after an unquoted value)."""
        for env in sources:
            if env.path in run.sources:
                continue  # a file also linted for itself keeps its own reading
            src = SourceFile(path=env.path, kind="dotenv", text=env.text, abspath=env.abspath)
            run.sources[env.path] = src
            if self.options.for_file is not None and env.path not in self._opts_by_path:
                self._opts_by_path[env.path] = self.options.for_file(env.abspath)
            found = self._directives(src, None, env.comments)
            if found:
                run.directives[env.path] = found


def _path_of(f: Finding) -> str:
    return f.path


def _shared_folders(abspaths: Iterable[str]) -> frozenset[str]:
    """The folders holding two or more of ``abspaths``."""
    seen: set[str] = set()
    shared: set[str] = set()
    for path in abspaths:
        folder = os.path.dirname(path)
        (shared if folder in seen else seen).add(folder)
    return frozenset(shared)


def _for_streamed(scan: Scan) -> None:
    """Keep in ``scan`` only the models the rules of streamed files may look up, once the
    configuration files' rules have run: those rules read the scan through the links of
    builds to images (``rules.common.builds``: the kept Dockerfiles, the Compose services and
    ``docker run`` containers that build, the ``docker build -t`` lines) and the daemons
    (``rules.common.daemons``). A container that builds nothing is in neither: the services
    of a big tree's Compose projects are most of its memory while its files are streamed."""
    container = _container_models()
    if container is None:
        return
    kept = [m for m in scan.models if not (isinstance(m, container.Container) and m.build is None)]
    if len(kept) != len(scan.models):
        scan.replace(kept)


def _container_models() -> Any:
    """``dockerlint.models.container`` if it was imported, else None: then no ``Container`` nor
    ``BuiltImage`` exists, and a run of Dockerfiles alone does not import it."""
    return sys.modules.get("dockerlint.models.container")
