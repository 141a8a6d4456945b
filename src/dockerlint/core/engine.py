"""The engine: read each file once, parse it into models, run the rules, collect findings.

Bad input never stops the run: a file that cannot be read or parsed becomes one
finding under its kind's parse-error id, and the other files are linted as usual.
"""

from __future__ import annotations

import codecs
import functools
import importlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from dockerlint.api import RuleContext
from dockerlint.core.registry import Fix, Hit, PluginError, Registry, Rule, RuleStub, Severity, type_key
from dockerlint.discovery import KINDS, Candidate, is_docker_unit, sniff
from dockerlint.models.base import Span
from dockerlint.models.source import RawBytes, SourceFile
from dockerlint.parsers import PARSERS
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.output import ParseOutput, Problem
from dockerlint.util import containment
from dockerlint.util import limits as _limits
from dockerlint.util.paths import path_key

# Files with ``docker run`` lines (scripts, Makefiles, CI workflows) are container sources: DC000.
PARSE_ERROR_ID = {"dockerfile": "DF000", "compose": "DC000", "daemon": "DD000", "systemd": "DD000",
                  "script": "DC000", "makefile": "DC000", "github": "DC000", "gitlab": "DC000",
                  "devcontainer": "DC000", "client": "DD000", "jenkinsfile": "DC000"}
PARSER_MODULE = PARSERS  # the old name (tests, fuzz targets)
DEFAULT_MAX_FILE_SIZE = _limits.DEFAULT_MAX_FILE_SIZE
# Kinds whose syntax reads a lone CR as a line break (YAML, systemd) or as blank space
# (JSON); editors show a line break. BuildKit and shells do not: they keep their CRs.
_LONE_CR_BREAKS = frozenset({"compose", "daemon", "systemd", "github", "gitlab", "devcontainer", "client"})


@dataclass(frozen=True)
class Suppressed:
    """Why a finding is not reported: ``kind`` is "inline" (a ``dockerlint: ignore[...]``
    comment), "file" (``ignore-file[...]``), "hadolint" (a hadolint ignore comment) or
    "baseline"; ``reason`` is the justification written with it."""

    kind: str
    reason: str = ""


@dataclass(frozen=True)
class Finding:
    rule_id: str
    rule_name: str
    severity: Severity
    span: Span
    message: str
    context: str = ""
    # The source text the span covers (as written; "" when the file could not be read).
    snippet: str = ""
    # The source lines the span starts on (at most EXCERPT_LINES), for reporters that show
    # them: the file's text is not kept once it has been linted.
    lines: tuple[str, ...] = ()
    # GitHub's primaryLocationLineHash of the start line, computed from the text the engine
    # read (with Options.line_hashes; "" otherwise or when the file could not be read):
    # reporters never read a file again.
    line_hash: str = ""
    fix: Fix | None = None
    suppression: Suppressed | None = None  # set on findings in ``Result.suppressed``
    # Where credentials are written (``Hit.secrets``): masked in ``snippet`` and ``lines``.
    secrets: tuple[Span, ...] = ()

    @property
    def path(self) -> str:
        return self.span.path

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.path, self.span.line, self.span.col, self.rule_id, self.message)


@dataclass
class Options:
    """What the engine needs to know of the configuration (of one file, or of the run)."""

    select: list[str] = field(default_factory=list)  # ids or prefixes; empty: the defaults
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    forced_kind: str | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    limits: _limits.Limits = _limits.DEFAULTS  # nesting depth, alias expansion (the parsers read them)
    rule_options: dict[str, Any] = field(default_factory=dict)  # rule id -> validated options
    # The exact ids that are on, when the selection was resolved already (configuration
    # layers); overrides select / extend_select / ignore.
    enabled: frozenset[str] | None = None
    # (glob, selectors): rules off for the files a glob matches, relative to ``base_dir``.
    per_file_ignores: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    base_dir: str = ""  # absolute folder the globs are relative to ("" = working directory)
    allow_inline_ignores: bool = True
    require_reason: bool = True
    fail_on: str = "low"  # lowest severity that fails the run ("never": none)
    # The options of the configuration that applies to a file (by absolute path); None:
    # these options apply to every file.
    for_file: Callable[[str], Options] | None = None
    # Called before each file is read: (index from 1, total, display path).
    progress: Callable[[int, int, str], None] | None = None
    # Compose: files given with --compose-file (absolute, in merge order: one project, like
    # ``docker compose -f``), and the absolute folders the scan covers (files a project
    # refers to outside them are not read; empty: the working directory).
    compose_files: tuple[str, ...] = ()
    roots: tuple[str, ...] = ()
    # Worker processes for the files linted on their own (0: one per CPU, when the run is
    # big enough to gain from it; 1: this process only).
    jobs: int = 1
    # Whether the repository's ignore rules (.gitignore) may say a file is not committed
    # (DC117 on a .env); --isolated: no, nothing the repository commits hides a finding.
    repository_ignores: bool = True
    # Whether the user's exclude globs (--exclude, the configuration's ``exclude``) drop a
    # file the scan refers to (a Dockerfile a Compose build or a ``docker build -f`` line
    # names), by absolute path; None: nothing is excluded.
    excluded: Callable[[str], bool] | None = None
    # Compute Finding.line_hash (the SARIF report's primaryLocationLineHash) while each
    # file's text is in memory.
    line_hashes: bool = False


@dataclass
class Scan:
    """Everything parsed in one run; rules may look across files through it."""

    models: list[Any] = field(default_factory=list)
    # Bumped whenever ``models`` changes: rules' per-scan indexes (``checks/_scan``,
    # ``checks/_builds``) are rebuilt when it moves.
    version: int = 0
    # ``path_key`` of another path to a Dockerfile of the scan (through a symbolic link) ->
    # the ``path_key`` it is linted under: a build that names it that way builds that file.
    aliases: dict[str, str] = field(default_factory=dict)

    def of(self, cls: type) -> list[Any]:
        return [m for m in self.models if isinstance(m, cls)]

    def add(self, models: Iterable[Any]) -> None:
        self.models.extend(models)
        self.version += 1

    def replace(self, models: list[Any]) -> None:
        self.models = models
        self.version += 1


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    io_errors: int = 0  # files that could not be read
    files_checked: int = 0  # files linted or reported as unreadable/unparseable
    internal_errors: list[str] = field(default_factory=list)  # bugs: exit code 2
    notices: list[str] = field(default_factory=list)  # said on stderr, exit code unaffected
    remarks: list[str] = field(default_factory=list)  # the same, but not under --quiet
    rule_ids: list[str] = field(default_factory=list)  # the rules that were enabled
    # Findings silenced by an inline comment or the baseline (``Finding.suppression`` says which).
    suppressed: list[Finding] = field(default_factory=list)


# Kinds linted file by file and then forgotten; the others (Compose, daemon.json, units)
# are what those files are judged against, and stay in memory for the whole run.
STREAMED_KINDS = frozenset({"dockerfile", "script", "makefile", "github", "gitlab"})
PARALLEL_MIN_FILES = _limits.PARALLEL_MIN_FILES
# The words of a line that may build a named image (``docker build -t``, ``docker buildx
# build``, ``podman build``, a ``docker/build-push-action`` step's ``tags``...): the files
# that have them are read with the configuration files.
_BUILD_WORDS = (re.compile(rb"\b(?:docker|podman|nerdctl)\b"), re.compile(rb"\bbuild\b"),
                re.compile(rb"\s-t|--tag\b|build-push-action"))
EXCERPT_LINES = 4  # source lines a finding carries for reporters (Finding.lines)


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


@dataclass
class _Run:
    scan: Scan
    sources: dict[str, SourceFile] = field(default_factory=dict)  # files kept in memory, by path
    directives: dict[str, list[Any]] = field(default_factory=dict)
    daemon_parts: list[Any] = field(default_factory=list)
    compose_parts: list[Any] = field(default_factory=list)
    unrelated_units: list[tuple[int, SourceFile]] = field(default_factory=list)  # see Engine.read
    # Streamed files with something to report, by candidate index (the counts of the
    # others are added up at once: a big tree's clean files leave nothing behind).
    outcomes: dict[int, _Outcome] = field(default_factory=dict)
    files_checked: int = 0
    io_errors: int = 0
    # Unfiltered findings and counts of the kept files (by candidate index; -1: assembling
    # projects and daemons, -2: the rules over their models).
    results: dict[int, Result] = field(default_factory=dict)
    late: list[Finding] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # named by streamed files' build lines

    def add(self, i: int, outcome: _Outcome) -> None:
        r = outcome.result
        self.files_checked += r.files_checked
        self.io_errors += r.io_errors
        self.references.extend(outcome.references)
        if (r.findings or r.suppressed or r.files or r.notices or r.internal_errors or outcome.directives
                or outcome.foreign):
            self.outcomes[i] = outcome

    def result_for(self, i: int) -> Result:
        got = self.results.get(i)
        if got is None:
            got = self.results[i] = Result()
        return got


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


def _matches(rule_id: str, selectors: Iterable[str]) -> bool:
    return any(rule_id.startswith(s) for s in selectors if s)


def enabled_rules(registry: Registry, options: Options) -> list[RuleStub]:
    """Rules on for this run: the defaults (or ``select``), plus ``extend_select``, minus ``ignore``.

    Selecting by exact id turns on a rule that is off by default; selecting by a prefix
    turns on the off-by-default rules under it only when the prefix names their group
    precisely enough to mean them (``DF2`` turns on the DF2xx hygiene group; ``DF``
    alone keeps it off).
    """
    out = []
    for r in registry.stubs():
        on = r.enabled_by_default
        if options.select:
            on = _selected(r, options.select)
        if options.extend_select and _selected(r, options.extend_select):
            on = True
        if _matches(r.id, options.ignore):
            on = False
        if on or r.id.endswith("000"):  # parse errors are always reported
            out.append(r)
    return out


def _selected(r: RuleStub, selectors: list[str]) -> bool:
    for s in selectors:
        if s == "ALL":
            return True
        if s and r.id.startswith(s) and (r.enabled_by_default or len(s) >= 3):
            return True
    return False


def decode(data: bytes) -> str:
    """Decode a file's bytes: UTF-8 (BOM allowed) or UTF-16 with a BOM. Raises ValueError."""
    return _decode_keeping_line_ends(data).replace("\r\n", "\n")


def _decode_keeping_line_ends(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ValueError(f"not valid UTF-16 text (byte {exc.start}): {exc.reason}") from None
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValueError(f"not valid UTF-8 text (byte {exc.start}, line {line})") from None


_CR_LINE_END = re.compile("\r\n?")


def raw_bytes(data: bytes) -> RawBytes:
    """What decoding ``data`` (and turning each CRLF and lone CR into LF) changed, for the
    systemd reader, which reads the bytes as systemd does."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    bom = utf16 or data.startswith(codecs.BOM_UTF8)
    if b"\r" not in data and not utf16:
        return RawBytes(bom, utf16)
    ends: dict[int, str] = {}
    shift = 0  # characters the CRLFs before this one took out
    for m in _CR_LINE_END.finditer(_decode_keeping_line_ends(data)):
        ends[m.start() - shift] = m.group()
        shift += len(m.group()) - 1
    return RawBytes(bom, utf16, ends)


def _concerns_docker(src: SourceFile, text: str) -> bool:
    """Whether a unit or drop-in that is not named for Docker concerns it, read as systemd reads
    it (a continued line, an escape or a specifier can spell ``dockerd``); for a unit systemd
    cannot load, from its text (so that its DD000 is reported)."""
    from dockerlint.parsers import systemd

    try:
        found = systemd.concerns_docker(src)
    except Exception:  # noqa: BLE001 -- a parser bug: decide from the text; parse() reports it
        found = None
    return is_docker_unit(text) if found is None else found


def _unique(findings: list[Finding]) -> list[Finding]:
    """``findings`` without repeats (same rule, span and message), in order."""
    seen: set[tuple[str, Span, str]] = set()
    out = []
    for f in findings:
        key = (f.rule_id, f.span, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _unit_part(src: SourceFile) -> Any:
    """The UnitPart of a unit file, or None when systemd cannot load it."""
    from dockerlint.parsers import systemd

    try:
        parts = systemd.parse(src).daemon_parts
    except Exception:  # noqa: BLE001 -- a unit systemd refuses (or a parser bug, reported if it is linted)
        return None
    return parts[0] if parts and isinstance(parts[0], systemd.UnitPart) else None


def _refusal(exc: Exception) -> str:
    """A finding's words for a file :func:`containment.read_regular` refused."""
    if isinstance(exc, containment.NotRegular):
        return f"not a regular file ({exc.what}); not read"
    if isinstance(exc, containment.TooLarge):
        return f"file is {exc.size} bytes, over the {exc.limit}-byte limit (raise it with --max-file-size)"
    if isinstance(exc, containment.LinkLoop):
        return f"cannot read file: {exc}"
    return f"not read: {exc}"


def span_text(lines: list[str], span: Span) -> str:
    """The source text ``span`` covers (code point columns, end exclusive)."""
    if span.line < 1 or span.line > len(lines):
        return ""
    last = min(max(span.end_line, span.line), len(lines))
    if last == span.line:
        return lines[span.line - 1][span.col - 1: max(span.end_col, span.col) - 1]
    parts = [lines[span.line - 1][span.col - 1:]]
    parts.extend(lines[span.line: last - 1])
    parts.append(lines[last - 1][: max(span.end_col, 1) - 1] if last == span.end_line else lines[last - 1])
    return "\n".join(parts)


# What a fix must never rewrite: text built from ${VAR} interpolation, and in YAML the
# anchors, aliases and merge keys that share one value between several places.
_UNSAFE_TEXT = ("${", "*", "&", "<<")
_YAML_SHARED = re.compile(r"(?:^|[\s\[{,])[&*][^\s,\[\]{}]+|<<\s*:")


def _excerpt(f: Finding, src: SourceFile | None) -> tuple[str, tuple[str, ...]]:
    """The text a finding's span covers and the source lines it starts on (at most
    :data:`EXCERPT_LINES`), credentials (``Finding.secrets``) masked."""
    if src is None:
        return f.snippet, f.lines
    lines = _redacted(src.lines, f.secrets) if f.secrets else src.lines
    shown = tuple(lines[f.span.line - 1: min(f.span.end_line, f.span.line + EXCERPT_LINES - 1)]) \
        if f.span.line >= 1 else f.lines
    return span_text(lines, f.span), shown


def _redacted(lines: list[str], secrets: Sequence[Span]) -> list[str]:
    """``lines`` with the characters of ``secrets`` (one-line spans) masked."""
    from dockerlint.util.safetext import redact

    out = list(lines)
    for s in secrets:
        if 1 <= s.line <= len(out):
            end = s.end_col if s.end_line == s.line else len(out[s.line - 1]) + 1
            out[s.line - 1] = redact(out[s.line - 1], s.col - 1, end - 1)
    return out


def fix_is_safe(fix: Fix, sources: dict[str, SourceFile]) -> bool:
    """Whether the engine lets a fix through: every edit's file is known, and no edit
    rewrites text containing ``${``, ``*``, ``&`` or ``<<``, nor touches a YAML line
    that defines or uses an anchor or a merge key."""
    if not fix.safe or not fix.edits:
        return False
    for edit in fix.edits:
        src = sources.get(edit.span.path)
        if src is None:
            return False
        old = span_text(src.lines, edit.span)
        if any(token in old for token in _UNSAFE_TEXT) or "${" in edit.replacement:
            return False
        if src.kind == "compose":
            touched = src.lines[edit.span.line - 1: edit.span.end_line]
            if any(_YAML_SHARED.search(line) or "${" in line for line in touched):
                return False
    return True


class _LineHashes:
    """The primaryLocationLineHash of the lines of one text, computed once and only as far
    as the lines asked for (a hash covers the 100 characters that follow a line's start)."""

    def __init__(self, text: str) -> None:
        from dockerlint.util.fingerprint import iter_line_hashes

        self._pending = iter_line_hashes(text)
        self._got: dict[int, str] = {}
        self._last = 0

    def get(self, line: int) -> str:
        while self._last < line:
            step = next(self._pending, None)
            if step is None:
                self._last = line
                break
            self._last, self._got[step[0]] = step
        return self._got.get(line, "")


def _decode_like_node(data: bytes) -> str:
    from dockerlint.util.fingerprint import decode_like_node

    return decode_like_node(data)


def _line_hash_of(data: bytes, line: int = 1) -> str:
    """The hash of ``line`` of bytes that are not text (a parse error at line 1)."""
    from dockerlint.util.fingerprint import decode_like_node

    return _LineHashes(decode_like_node(data)).get(line)


@contextmanager
def _expansions(result: Result, origin: str = "") -> Iterator[None]:
    """Count the variable expansions done in the block as those of file ``origin``; the
    files whose values went past the expansion limits get one notice each."""
    from dockerlint.util import budget as expansion  # a run with nothing parsed never imports it

    with expansion.scope(origin) as done:
        yield
    result.notices.extend(n for n in done.notices() if n not in result.notices)


def _model_path(model: Any) -> str:
    path = getattr(model, "path", None)
    if isinstance(path, str):
        return path
    anchor = getattr(model, "anchor", None) or getattr(model, "span", None)
    return anchor.path if isinstance(anchor, Span) else ""


class Engine:
    def __init__(self, registry: Registry, options: Options | None = None) -> None:
        self.registry = registry
        self.options = options or Options()
        self.rules = enabled_rules(registry, self.options)
        self._enabled_cache: dict[int, tuple[Options, frozenset[str]]] = {}
        self._rule_ids = self._enabled_ids(self.options)
        self._by_model: dict[str, list[RuleStub]] = {}
        self._type_keys: dict[type, str] = {}
        self._loaded: dict[str, list[Rule]] = {}
        self._index_rules(self.rules)
        self._contents: dict[str, bytes] = {}
        # The comments of a file whose parser stopped with an error, by path (for its suppressions).
        self._unparsed_comments: dict[str, Any] = {}
        # The limits every parse and every file read in the run obey (--max-file-size too:
        # files read for extends / include / env_file come through containment.read_regular).
        self._limits = replace(self.options.limits, max_file_size=self.options.max_file_size)
        self._default_options: dict[str, Any] = {}
        self._opts_by_path: dict[str, Options] = {}
        # Options.line_hashes: each file's line hashes as far as its findings need them, and
        # the text GitHub hashes where it is not the text linted (files with a BOM).
        self._hashers: dict[str, _LineHashes] = {}
        self._hash_texts: dict[str, str] = {}
        self._tree: tuple[str, ...] | None = None  # the scanned folders' real paths, once a file is read

    def _index_rules(self, rules: Iterable[RuleStub]) -> None:
        self._by_model = {}
        self._loaded = {}
        for r in rules:
            for key in r.reads:
                self._by_model.setdefault(key, []).append(r)

    def _rules_for(self, model_type: type, result: Result) -> list[Rule]:
        """The rules that read ``model_type``, their modules imported on first use."""
        key = self._type_keys.get(model_type)
        if key is None:
            key = self._type_keys[model_type] = type_key(model_type)
        got = self._loaded.get(key)
        if got is None:
            got = []
            for stub in self._by_model.get(key, ()):
                try:
                    r = self.registry.get(stub.id)
                except PluginError as exc:
                    result.internal_errors.append(str(exc))
                    continue
                if r is not None:
                    got.append(r)
            self._loaded[key] = got
        return got

    def _enabled_ids(self, options: Options) -> frozenset[str]:
        key = id(options)
        hit = self._enabled_cache.get(key)
        cached = hit[1] if hit is not None and hit[0] is options else None
        if cached is None:
            if options.enabled is not None:
                always = {rid for rid in self.registry.ids() if rid.endswith("000")}
                cached = frozenset(set(options.enabled) | always)
            else:
                cached = frozenset(r.id for r in enabled_rules(self.registry, options))
            self._enabled_cache[key] = (options, cached)  # the object too: ids of dead objects are reused
        return cached

    def options_for(self, path: str) -> Options:
        """The options of a file by display path (the run's options for unknown paths)."""
        return self._opts_by_path.get(path, self.options)

    # -- reading -----------------------------------------------------------------

    def read(self, cand: Candidate, result: Result, unrelated: list[SourceFile] | None = None) -> SourceFile | None:
        """The file as a SourceFile, or None (an error was reported, or it is not ours). A unit
        or drop-in named like any other that does not concern Docker goes to ``unrelated``: it
        is Docker's after all when it belongs to a unit that does (see _related_units)."""
        kind = self._kind(cand)
        fallback_kind = kind or "dockerfile"
        data = self._bytes_of(cand, result, fallback_kind)
        if data is None:
            return None
        try:
            text = decode(data)
        except ValueError as exc:
            if kind is None and not cand.explicit:
                return None  # a unit-looking file that is not text: not ours
            self._file_error(result, cand.path, fallback_kind, str(exc),
                             line_hash=_line_hash_of(data) if self.options.line_hashes else "")
            return None
        tentative = False  # a unit or drop-in named like any other: ours if it concerns Docker
        if self.options.line_hashes and data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # GitHub hashes the bytes read as UTF-8, the BOM kept: not quite the text linted.
            self._hash_texts[cand.path] = _decode_like_node(data)
        if kind is None:
            if cand.explicit:
                kind = sniff(text)
                if kind is None:
                    result.notices.append(
                        f"{cand.path}: not recognized by its name or content; skipped (use --kind KIND "
                        f"to force one: {', '.join(KINDS)})"
                    )
                    return None
            else:
                kind, tentative = "systemd", True
        raw_text = text
        if "\r" in text and kind in _LONE_CR_BREAKS:
            text = text.replace("\r", "\n")  # positions, snippets and fixes agree with editors
        raw = raw_bytes(data) if kind == "systemd" else None
        src = SourceFile(path=cand.path, kind=kind, text=text, abspath=cand.abspath, raw=raw)
        if tentative and not _concerns_docker(src, raw_text):
            if unrelated is not None:
                unrelated.append(src)
            return None
        return src

    def _bytes_of(self, cand: Candidate, result: Result, fallback_kind: str) -> bytes | None:
        """The bytes of a candidate (given, or read), or None when an error was reported."""
        max_size = self.options.max_file_size
        given = self._contents.get(cand.abspath)
        if given is not None:
            if len(given) > max_size:  # standard input is read up to one byte past the limit
                self._file_error(result, cand.path, fallback_kind,
                                 f"input is over the {max_size}-byte limit (raise it with --max-file-size)")
                return None
            return given
        try:
            # A FIFO (named on the command line, or put in place since the walk) never
            # blocks the read, a /dev/zero link is refused, and so is a link of the tree
            # swapped in since the walk that leads out of it: see containment.read_regular.
            return self._read_file(cand, max_size)
        except containment.Refused as exc:
            if not isinstance(exc, containment.TooLarge):
                result.io_errors += 1
            self._file_error(result, cand.path, fallback_kind, _refusal(exc))
        except OSError as exc:
            result.io_errors += 1
            self._file_error(result, cand.path, fallback_kind, f"cannot read file: {exc.strerror or exc}")
        return None

    def _file_error(self, result: Result, path: str, kind: str, message: str,
                    line: int = 1, col: int = 1, end_col: int | None = None, line_hash: str = "") -> None:
        rule_id = PARSE_ERROR_ID[kind]
        r = self.registry.stub(rule_id)
        span = Span.make(path, line, col, line, end_col if end_col and end_col > col else col + 1)
        result.findings.append(Finding(rule_id, r.name if r else "parse-error", Severity.ERROR, span, message,
                                       line_hash=line_hash))

    # -- parsing -----------------------------------------------------------------

    def parse(self, src: SourceFile, result: Result) -> ParseOutput | None:
        module = importlib.import_module(PARSERS[src.kind])
        try:
            with _limits.using(self._limits):
                out: ParseOutput = module.parse(src)
        except ParseError as exc:
            self._file_error(result, src.path, src.kind, exc.message, exc.line, exc.col, exc.end_col)
            if exc.comments is not None:
                self._unparsed_comments[src.path] = exc.comments  # read up to the error
            return None
        except RecursionError:
            self._file_error(result, src.path, src.kind, "input is nested too deeply to parse")
            return None
        except Exception as exc:  # noqa: BLE001 -- a parser bug must not lose the other files' findings
            result.internal_errors.append(f"{src.path}: internal error while parsing: {type(exc).__name__}: {exc}")
            self._file_error(result, src.path, src.kind,
                             f"dockerlint could not parse this file (internal error: {type(exc).__name__}); "
                             "please report it")
            return None
        for p in out.problems:
            self._problem(result, p)
        return out

    def _problem(self, result: Result, p: Problem) -> None:
        r = self.registry.stub(p.rule_id)
        if r is None:
            return
        result.findings.append(Finding(r.id, r.name, r.severity, p.span, p.message))

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
        models run last. Findings are sorted, so the order of work never shows.
        """
        self._contents = dict(contents or {})
        candidates = list(candidates)  # the Dockerfiles the scan refers to join it
        self._hashers, self._hash_texts = {}, {}  # a --fix pass lints new texts
        self._snippets: dict[tuple[str, int, int, int, int], str] = {}
        cand_opts: list[Options] = []
        self._run_enabled: frozenset[str] = frozenset()
        self._known: Any = None  # references.Known, once a reference is followed
        self._admit(candidates, cand_opts, 0)
        self._hadolint = self._hadolint_map()
        self._progress_done = 0
        self._progress_total = len(candidates)
        self._notices: list[str] = []

        run = _Run(scan=Scan())
        context: list[int] = []
        streamed: list[int] = []
        for i, cand in enumerate(candidates):
            kind = self._kind(cand)
            if kind in STREAMED_KINDS and not (kind != "dockerfile" and self._builds_images(cand)):
                streamed.append(i)
            else:
                context.append(i)

        # (1) Compose files, daemon.json and units: parsed, assembled, kept.
        for i in context:
            self._read_context(i, candidates[i], run)
        self._related_units(run)
        if run.daemon_parts:
            from dockerlint.parsers.daemon import assemble

            with _expansions(run.result_for(-1)), _limits.using(self._limits):
                assembled = assemble(run.daemon_parts)
            run.scan.add(assembled.models)
            for p in assembled.problems:
                self._problem(run.result_for(-1), p)
        if run.compose_parts:
            self._compose_projects(run)
        run.daemon_parts = run.compose_parts = []
        context_models = list(run.scan.models)

        # (2) Dockerfiles a Compose service or a docker build -t line builds: the rules of the
        # containers that run those images read them. Those the walk did not find by name
        # (build/app.docker) join the run here, before any Dockerfile is linted.
        wanted = self._built_in_scan(run.scan)
        first: list[int] = []
        rest = streamed
        if wanted:
            keys = [path_key(c.path) for c in candidates]
            first = [i for i in streamed if keys[i] in wanted]
            rest = [i for i in streamed if keys[i] not in wanted]
            unknown = wanted.difference(keys)
            if unknown:
                found = self._follow(unknown, candidates, cand_opts, run.scan)
                if run.scan.aliases:  # named through a link: the file found by name is built
                    built = set(run.scan.aliases.values())
                    first += [i for i in rest if keys[i] in built]
                    rest = [i for i in rest if keys[i] not in built]
                first += found
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

        # (3) Everything else, file by file (in worker processes when worth it).
        for i, outcome in self._stream(candidates, cand_opts, rest, run.scan):
            run.add(i, outcome)

        # (4) The Dockerfiles that build lines of those files name (docker build -f, without
        # -t: no image name links them to anything else) and that are not linted yet.
        if run.references:
            late_files = self._follow(run.references, candidates, cand_opts, run.scan)
            for i, outcome in self._stream(candidates, cand_opts, late_files, run.scan):
                run.add(i, outcome)

        # The rules of the configuration files' models (they look at the kept Dockerfiles).
        # A Compose project's value may be written in another of its files than the model's:
        # the rules named in any of these files' suppressions run over all of their models.
        late = run.result_for(-2)
        shadow = self._shadow_ids([d for ds in run.directives.values() for d in ds])
        for model in context_models:
            self._check_model(model, run.scan, late, shadow)
        return self._merge(candidates, run)

    def _kind(self, cand: Candidate) -> str | None:
        """The kind a candidate is linted as: ``--kind`` for the files of the command line and
        the walk, its own for a Dockerfile the scan refers to."""
        return cand.kind if cand.referenced else (self.options.forced_kind or cand.kind)

    def _admit(self, candidates: list[Candidate], cand_opts: list[Options], start: int) -> None:
        """The options of ``candidates[start:]`` (their configuration), and the rules they turn on."""
        base = self.options
        enabled = set(self._run_enabled)
        for cand in candidates[start:]:
            o = base.for_file(cand.abspath) if base.for_file is not None else base
            cand_opts.append(o)
            self._opts_by_path[cand.path] = o
            enabled |= self._enabled_ids(o)
        enabled |= self._enabled_ids(base)
        if start and enabled <= self._run_enabled:
            return
        self._run_enabled = frozenset(enabled)
        rules = [r for r in self.registry.stubs() if r.id in enabled]
        self._index_rules([r for r in rules if not r.id.startswith("DL")])

    def _follow(self, paths: Iterable[str], candidates: list[Candidate], cand_opts: list[Options],
                scan: Scan) -> list[int]:
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
        users = [m for m in run.scan.models if getattr(getattr(m, "build", None), "inline", None) is not None]
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
        comments = out.comments if out is not None else self._unparsed_comments.pop(src.path, None)
        if o.allow_inline_ignores and comments is not None:
            from dockerlint.core import suppressions

            extents = {i.start_line: i.end_line for m in out.models for i in getattr(m, "instructions", ())} \
                if out is not None else None
            directives = [self._moved_directive(d, item)
                          for d in suppressions.parse(src, extents, self._hadolint, comments)]
            if directives:
                run.directives.setdefault(where, []).extend(directives)
        return item, raw, models, directives

    def _check_inline(self, parsed: tuple[Any, Result, list[Any], list[Any]], run: _Run) -> None:
        """Check one parsed inline Dockerfile; its findings are the Compose file's, made final
        with that file's suppressions once every file is done."""
        item, raw, models, directives = parsed
        shadow = self._shadow_ids(directives)
        for model in models:
            self._check_model(model, run.scan, raw, shadow)
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
        return replace(d, path=item.compose.path, span=item.span(d.span), scope=scope, covers=covers,
                       ids=[(rule_id, item.span(span)) for rule_id, span in d.ids], used=set())

    def _tick(self, cand: Candidate) -> None:
        if self.options.progress is not None:
            self._progress_done += 1
            self.options.progress(self._progress_done, self._progress_total, cand.path)

    def _read(self, cand: Candidate, result: Result,
              unrelated: list[SourceFile] | None = None) -> tuple[SourceFile | None, ParseOutput | None]:
        before = len(result.findings)
        src = self.read(cand, result, unrelated)
        if src is None:
            result.files_checked += len(result.findings) > before
            return None, None
        result.files_checked += 1
        with _expansions(result, src.path):
            return src, self.parse(src, result)

    def _directives(self, src: SourceFile, out: ParseOutput | None, read: Any = None) -> list[Any]:
        # Only the comments the parser read are comments (none when it could not read the file).
        comments = read if read is not None else (
            out.comments if out is not None else self._unparsed_comments.pop(src.path, None))
        if not self.options_for(src.path).allow_inline_ignores:
            return []
        from dockerlint.core import suppressions

        extents = None
        if src.kind == "dockerfile" and out is not None:
            extents = {i.start_line: i.end_line for m in out.models for i in getattr(m, "instructions", ())}
        return suppressions.parse(src, extents, self._hadolint, comments if comments is not None else [])

    def _read_context(self, i: int, cand: Candidate, run: _Run) -> None:
        result = run.result_for(i)
        unrelated: list[SourceFile] = []
        src, out = self._read(cand, result, unrelated)
        self._tick(cand)
        run.unrelated_units.extend((i, u) for u in unrelated)
        if src is None:
            return
        self._keep_context(src, out, run)

    def _keep_context(self, src: SourceFile, out: ParseOutput | None, run: _Run) -> None:
        run.sources[src.path] = src
        if out is not None:
            run.scan.add(out.models)
            run.daemon_parts.extend(out.daemon_parts)
            run.compose_parts.extend(out.compose_parts)
        found = self._directives(src, out)
        if found:
            run.directives[src.path] = found

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
            part = _unit_part(src)
            if part is None:
                continue
            root = host_root(src.path)
            if not any(r == root and (name == part.name or (part.dropin and dropin_specificity(part.name, name)
                                      is not None)) for r, name in docker):
                continue
            result = run.result_for(i)
            result.files_checked += 1
            self._keep_context(src, self.parse(src, result), run)
        run.unrelated_units = []

    def _read_file(self, cand: Candidate, limit: int) -> bytes:
        """The bytes of a candidate, through the one limited reader. A file the walk or a
        reference found must still resolve inside the scanned folders (a link swapped in
        since is the repository's, not the user's); a file named on the command line is the
        user's choice, its links followed."""
        if self._tree is None:
            self._tree = containment.tree_dirs(self.options.roots) if self.options.roots else ()
        tree = () if cand.explicit else self._tree
        return containment.read_regular(containment.resolve(cand.abspath, tree), limit)

    def _builds_images(self, cand: Candidate) -> bool:
        """Whether a script or CI file has a ``docker build -t`` line (a cheap look at its
        bytes): it is then read with the configuration files, so that the images it names
        are known before the Dockerfiles and the ``docker run`` lines are linted."""
        data = self._contents.get(cand.abspath)
        if data is None:
            try:
                data = self._read_file(cand, self.options.max_file_size)
            except (OSError, containment.Refused):
                return False  # reported when it is read for real
        # Three independent searches (linear in any input): a file that has all three words
        # anywhere is read early; one that has them apart only costs keeping its models.
        return all(p.search(data) is not None for p in _BUILD_WORDS)

    def _built_in_scan(self, scan: Scan) -> frozenset[str]:
        """The Dockerfiles the scan's Compose services and ``docker build -t`` lines build."""
        users = [m for m in scan.models if getattr(m, "build", None) is not None or hasattr(m, "dockerfiles")]
        if not users:
            return frozenset()
        from dockerlint.models.container import dockerfiles_built

        return frozenset(dockerfiles_built(users))

    def _lint_streamed(self, cand: Candidate, o: Options, scan: Scan, keep: bool = False,
                       parsed: tuple[Result, SourceFile | None, ParseOutput | None] | None = None) -> _Outcome:
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
            with _expansions(result, src.path), _limits.using(self._limits):
                for model in out.models:
                    self._check_model(model, scan, holder, shadow)
                    named = getattr(model, "dockerfiles", None)  # a build line's Dockerfile (BuiltImage)
                    if named:
                        outcome.references.extend(named)
            result.findings.extend(raw)
        sources = {src.path: src}
        index = self._index_of(directives)
        pending, result.findings = result.findings, []
        for f in pending:
            if f.path == src.path:
                self._keep(f, result, sources, {src.path: index} if index is not None else {})
            else:
                outcome.foreign.append(f)  # located in another file: its suppressions decide there
        outcome.directives = directives
        self._hashers.pop(src.path, None)
        if keep or directives or any(f.fix is not None for f in result.findings):
            # Needed later: --fix edits it; a kept build or a file with suppressions gets
            # findings once the other files are done (DC122 on a service, DL rules).
            result.files.append(src)
        else:
            self._hash_texts.pop(src.path, None)
        return outcome

    def _stream(self, candidates: list[Candidate], cand_opts: list[Options], todo: list[int],
                scan: Scan) -> Iterable[tuple[int, _Outcome]]:
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
        return frozenset(rid for rid in named if rid in self.registry and rid not in self._run_enabled
                         and not rid.startswith("DL"))

    @staticmethod
    def _index_of(directives: list[Any]) -> Any:
        if not directives:
            return None
        from dockerlint.core import suppressions

        return suppressions.Index(directives)

    def _merge(self, candidates: list[Candidate], run: _Run) -> Result:
        """One result from the files' outcomes, in the candidates' order; the findings that
        waited for other files (the configuration files', foreign ones) are made final here."""
        result = Result(rule_ids=[], files_checked=run.files_checked, io_errors=run.io_errors)
        for i in sorted(run.outcomes):
            o = run.outcomes[i]
            r = o.result
            result.findings.extend(r.findings)
            result.suppressed.extend(r.suppressed)
            result.files.extend(r.files)
            result.internal_errors.extend(r.internal_errors)
            result.notices.extend(r.notices)
            if o.directives:
                run.directives[o.directives[0].path] = o.directives
            run.late.extend(o.foreign)
        for src in result.files:
            run.sources.setdefault(src.path, src)
        late = run.late
        for r in (run.results[k] for k in sorted(run.results)):
            late.extend(r.findings)
            result.io_errors += r.io_errors
            result.files_checked += r.files_checked
            result.internal_errors.extend(r.internal_errors)
            result.notices.extend(r.notices)
            result.remarks.extend(r.remarks)
        indexes = {path: index for path, ds in run.directives.items()
                   if (index := self._index_of(ds)) is not None}
        for f in late:
            self._keep(f, result, run.sources, indexes)
        self._meta(result, run.sources, run.directives, indexes)
        # Only the text of the files --fix may edit is handed on (findings carry their lines).
        needed = {e.span.path for f in result.findings if f.fix is not None for e in f.fix.edits}
        order = {c.path: n for n, c in enumerate(candidates)}
        result.files = sorted((src for path, src in run.sources.items() if path in needed),
                              key=lambda src: order.get(src.path, len(order)))
        result.notices.extend(self._notices)
        result.notices = list(dict.fromkeys(result.notices))  # a file read twice says it once
        result.rule_ids = [r.id for r in self.registry.stubs() if r.id in self._run_enabled]
        # The same finding twice (a service shared by two projects, such as the base of an
        # ``extends`` that is a project of its own) says nothing more: reported once.
        result.findings = _unique(sorted(result.findings, key=Finding.sort_key))
        result.suppressed = _unique(sorted(result.suppressed, key=Finding.sort_key))
        self._hashers, self._hash_texts = {}, {}
        return result

    def _compose_projects(self, run: _Run) -> None:
        """Merge the Compose files of the scan into projects (override files, extends,
        include, .env): the project's models replace those of its files."""
        from dockerlint.parsers.compose_project import assemble

        scanned = [s.abspath for s in run.sources.values() if s.kind == "compose" and s.abspath]
        with _expansions(run.result_for(-1)), _limits.using(self._limits):
            got = assemble(run.compose_parts, compose_files=self.options.compose_files, roots=self.options.roots,
                           scanned=scanned)
        if got.replaced:
            run.scan.replace([m for m in run.scan.models if id(m) not in got.replaced])
        run.scan.add(got.models)
        for p in got.problems:
            self._problem(run.result_for(-1), p)
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

    def _hadolint_map(self) -> dict[str, list[str]]:
        from dockerlint.core.suppressions import hadolint_ids

        out: dict[str, list[str]] = {}
        for r in self.registry.stubs():
            if r.id.startswith("DF"):
                for h in hadolint_ids({"hadolint": r.hadolint}):
                    out.setdefault(h, []).append(r.id)
        return out

    def _rule_options(self, r: Rule, o: Options) -> Any:
        if r.id in o.rule_options:
            return o.rule_options[r.id]
        if r.options is None:
            return None
        if r.id not in self._default_options:
            fields = getattr(r.options, "model_fields", None)
            if fields is not None and not any(f.is_required() for f in fields.values()):
                # The defaults, without building the model's validator (start-up cost).
                self._default_options[r.id] = r.options.model_construct()  # type: ignore[attr-defined]
            else:
                try:
                    self._default_options[r.id] = r.options()
                except Exception:  # noqa: BLE001 -- an options model with required fields has no default
                    self._default_options[r.id] = None
        return self._default_options[r.id]

    def check(self, scan: Scan, result: Result) -> None:
        """Run the indexed rules over every model of ``scan`` (findings not yet filtered)."""
        for model in scan.models:
            self._check_model(model, scan, result)

    def _check_model(self, model: Any, scan: Scan, result: Result, shadow: frozenset[str] = frozenset()) -> None:
        rules = self._rules_for(type(model), result)
        if shadow:
            rules = rules + self._shadow_rules(type(model), shadow, result)
        if not rules:
            return
        o = self.options_for(_model_path(model))
        for r in rules:
            ctx = RuleContext(scan=scan, options=self._rule_options(r, o), roots=self.options.roots,
                              repository_ignores=self.options.repository_ignores)
            try:
                hits = list(r.run(model, ctx))
            except Exception as exc:  # noqa: BLE001 -- report a crashing rule, lint on
                result.internal_errors.append(
                    f"rule {r.id} crashed on {_model_path(model) or '?'}: {type(exc).__name__}: {exc}"
                )
                continue
            for hit in hits:
                result.findings.append(self._finding(r, hit))

    def _shadow_rules(self, model_type: type, ids: frozenset[str], result: Result) -> list[Rule]:
        key = self._type_keys.get(model_type) or type_key(model_type)
        out = []
        for rule_id in sorted(ids):
            stub = self.registry.stub(rule_id)
            if stub is None or key not in stub.reads:
                continue
            try:
                r = self.registry.get(rule_id)
            except PluginError as exc:
                result.internal_errors.append(str(exc))
                continue
            if r is not None:
                out.append(r)
        return out

    def _finding(self, r: Rule, hit: Hit) -> Finding:
        # The configured severity (per file) is stamped when findings are filtered.
        sev = hit.severity or r.severity
        return Finding(r.id, r.name, sev, hit.span, hit.message, hit.context, fix=hit.fix, secrets=hit.secrets)

    # -- filtering: configuration, suppressions, meta rules ---------------------

    def _meta(self, result: Result, sources: dict[str, SourceFile], directives: dict[str, list[Any]],
              indexes: dict[str, Any]) -> None:
        """The DL rules, over the suppressions once every finding has been matched to them."""
        if not directives:
            return
        meta = [r for r in self.registry.stubs() if r.id.startswith("DL") and any(
            r.id in self._enabled_ids(o) for o in {id(o): o for o in self._opts_by_path.values()}.values())]
        if not meta:
            return
        models = self._suppression_models(directives)
        saved = (self._by_model, self._loaded)
        self._index_rules(meta)
        raw = Result(internal_errors=result.internal_errors)
        self.check(Scan(models=models), raw)
        self._by_model, self._loaded = saved
        for f in raw.findings:
            self._keep(f, result, sources, indexes, meta=True)

    def _keep(self, f: Finding, result: Result, sources: dict[str, SourceFile],
              indexes: dict[str, Any], meta: bool = False) -> None:
        o = self.options_for(f.path)
        enabled = f.rule_id in self._enabled_ids(o)
        matched = []
        index = indexes.get(f.path)
        if index is not None:
            matched = index.match(f.rule_id, f.span.line)
            if meta:  # meta findings are silenced by ignore-file only
                matched = [d for d in matched if d.scope == "file"]
            for d in matched:
                d.used.add(f.rule_id)
        if not enabled or self._ignored_for_file(f, o):
            return
        sev = o.severity_overrides.get(f.rule_id)
        src = sources.get(f.path)
        snippet, shown = self._excerpt(f, src)
        fix = f.fix
        if fix is not None and not fix_is_safe(fix, sources):
            fix = None
        f = replace(f, severity=sev or f.severity, snippet=snippet, lines=shown, fix=fix,
                    line_hash=self._line_hash(f, src))
        honoured = [d for d in matched if d.reason or not o.require_reason or d.origin == "hadolint"]
        if honoured:
            d = honoured[0]
            kind = d.origin if d.origin == "hadolint" else ("file" if d.scope == "file" else "inline")
            result.suppressed.append(replace(f, suppression=Suppressed(kind, d.reason)))
            return
        result.findings.append(f)

    def _excerpt(self, f: Finding, src: SourceFile | None) -> tuple[str, tuple[str, ...]]:
        """The finding's snippet and the source lines it starts on; credentials masked."""
        if src is None:
            return f.snippet, f.lines
        if f.secrets:  # this finding's own masked text, never shared
            return _excerpt(f, src)
        shown = (tuple(src.lines[f.span.line - 1: min(f.span.end_line, f.span.line + EXCERPT_LINES - 1)])
                 if f.span.line >= 1 else f.lines)
        return self._snippet(src, f.span), shown

    def _snippet(self, src: SourceFile, span: Span) -> str:
        """The text a finding's span covers, cut once per span: findings that share one (the
        words of a long Compose command all point at the command) each copied a 100 KB line."""
        key = (src.path, span.line, span.col, span.end_line, span.end_col)
        got = self._snippets.get(key)
        if got is None:
            got = self._snippets[key] = span_text(src.lines, span)
        return got

    def _line_hash(self, f: Finding, src: SourceFile | None) -> str:
        """The finding's primaryLocationLineHash, from the text read (Options.line_hashes)."""
        if src is None or not self.options.line_hashes:
            return f.line_hash
        hasher = self._hashers.get(src.path)
        if hasher is None:
            hasher = self._hashers[src.path] = _LineHashes(self._hash_texts.get(src.path, src.text))
        return hasher.get(max(1, f.span.line))

    def _ignored_for_file(self, f: Finding, o: Options) -> bool:
        if not o.per_file_ignores:
            return False
        rel = self._relative(f.path, o.base_dir)
        for glob, selectors in o.per_file_ignores:
            if _matches(f.rule_id, selectors) and _path_matches(glob, rel):
                return True
        return False

    @staticmethod
    def _relative(path: str, base_dir: str) -> str:
        abspath = os.path.abspath(path)
        base = base_dir or os.getcwd()
        try:
            rel = os.path.relpath(abspath, base)
        except ValueError:
            return path.replace(os.sep, "/")
        return rel.replace(os.sep, "/")

    def _suppression_models(self, directives: dict[str, list[Any]]) -> list[Any]:
        from dockerlint.models.suppression import SuppressedId, Suppression

        known = self.registry.ids()
        models = []
        for path, ds in directives.items():
            o = self.options_for(path)
            for d in ds:
                if d.origin != "dockerlint":
                    continue
                ids = []
                for rule_id, span in d.ids:
                    is_known = rule_id in self.registry
                    hint = "" if is_known else suggest_rule_id(rule_id, known)
                    ids.append(SuppressedId.model_construct(id=rule_id, span=span, known=is_known,
                                                            suggestion=hint, used=rule_id in d.used))
                models.append(Suppression.model_construct(
                    path=path, span=d.span, scope=d.scope, ids=ids, reason=d.reason, error=d.error,
                    reason_required=o.require_reason, honoured=bool(d.reason) or not o.require_reason,
                    covers=d.covers))
        return models


_LOOKALIKE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def suggest_rule_id(word: str, known: Iterable[str]) -> str:
    """The registered id closest to a mistyped one ('' if none is close): letters that look
    like digits first (``DF1O1`` -> ``DF101``), then by similarity."""
    import difflib

    ids = list(known)
    upper = word.strip().upper()
    fixed = upper[:2] + upper[2:].translate(_LOOKALIKE)
    if fixed in ids:
        return fixed
    close = difflib.get_close_matches(upper, ids, n=1, cutoff=0.6)
    return close[0] if close else ""


def _path_matches(glob: str, rel: str) -> bool:
    """Whether one ``per-file-ignores`` key matches the file ``rel`` (relative to the
    configuration's folder): the key is a ``.gitignore`` line, with git's semantics."""
    return bool(_globs((glob,)).matches(rel))


def _globs_match(globs: Sequence[str], rel: str) -> bool:
    """Whether a configuration's ``exclude`` list (the lines of one ``.gitignore``: the last
    matching one decides, ``!`` re-includes) matches the file ``rel``."""
    return bool(_globs(tuple(globs)).matches(rel))


@functools.lru_cache(maxsize=256)
def _globs(patterns: tuple[str, ...]) -> Any:
    from dockerlint.util.gitignore import Globs

    return Globs(patterns, "configuration")
