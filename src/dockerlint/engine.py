"""The engine: read each file once, parse it into models, run the rules, collect findings.

Bad input never stops the run: a file that cannot be read or parsed becomes one
finding under its kind's parse-error id, and the other files are linted as usual.
"""

from __future__ import annotations

import codecs
import importlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dockerlint.discovery import Candidate, is_docker_unit, sniff
from dockerlint.models.base import Span
from dockerlint.models.source import SourceFile
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.output import ParseOutput, Problem
from dockerlint.registry import Hit, Registry, Rule, Severity

PARSE_ERROR_ID = {"dockerfile": "DF000", "compose": "DC000", "daemon": "DD000", "systemd": "DD000"}
PARSER_MODULE = {
    "dockerfile": "dockerlint.parsers.dockerfile",
    "compose": "dockerlint.parsers.compose",
    "daemon": "dockerlint.parsers.daemon_json",
    "systemd": "dockerlint.parsers.systemd",
}
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


@dataclass(frozen=True)
class Finding:
    rule_id: str
    rule_name: str
    severity: Severity
    span: Span
    message: str
    context: str = ""

    @property
    def path(self) -> str:
        return self.span.path

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.path, self.span.line, self.span.col, self.rule_id, self.message)


@dataclass
class Options:
    """What the engine needs to know of the configuration."""

    select: list[str] = field(default_factory=list)  # ids or prefixes; empty: the defaults
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    forced_kind: str | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    rule_options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Scan:
    """Everything parsed in one run; rules may look across files through it."""

    models: list[Any] = field(default_factory=list)

    def of(self, cls: type) -> list[Any]:
        return [m for m in self.models if isinstance(m, cls)]


@dataclass
class RuleContext:
    scan: Scan
    options: Any = None


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    io_errors: int = 0  # files that could not be read
    files_checked: int = 0  # files linted or reported as unreadable/unparseable
    internal_errors: list[str] = field(default_factory=list)  # bugs: exit code 2
    notices: list[str] = field(default_factory=list)  # said on stderr, exit code unaffected
    rules: list[Rule] = field(default_factory=list)  # the rules that were enabled


def _matches(rule_id: str, selectors: Iterable[str]) -> bool:
    return any(rule_id.startswith(s) for s in selectors if s)


def enabled_rules(registry: Registry, options: Options) -> list[Rule]:
    """Rules on for this run: the defaults (or ``select``), plus ``extend_select``, minus ``ignore``.

    Selecting by exact id turns on a rule that is off by default; selecting by a prefix
    turns on the off-by-default rules under it only when the prefix names their group
    precisely enough to mean them (``DF2`` turns on the DF2xx hygiene group; ``DF``
    alone keeps it off).
    """
    out = []
    for r in registry:
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


def _selected(r: Rule, selectors: list[str]) -> bool:
    for s in selectors:
        if s == "ALL":
            return True
        if s and r.id.startswith(s) and (r.enabled_by_default or len(s) >= 3):
            return True
    return False


def decode(data: bytes) -> str:
    """Decode a file's bytes: UTF-8 (BOM allowed) or UTF-16 with a BOM. Raises ValueError."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16").replace("\r\n", "\n")
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValueError(f"not valid UTF-8 text (byte {exc.start}, line {line})") from None
    return text.replace("\r\n", "\n")


class Engine:
    def __init__(self, registry: Registry, options: Options | None = None) -> None:
        self.registry = registry
        self.options = options or Options()
        self.rules = enabled_rules(registry, self.options)
        self._by_model: dict[type, list[Rule]] = {}
        for r in self.rules:
            for model_type in r.reads_types:
                self._by_model.setdefault(model_type, []).append(r)
        self._rule_ids = {r.id for r in self.rules}

    # -- reading -----------------------------------------------------------------

    def read(self, cand: Candidate, result: Result) -> SourceFile | None:
        kind = self.options.forced_kind or cand.kind
        fallback_kind = kind or "dockerfile"
        try:
            size = os.path.getsize(cand.abspath)
            if size > self.options.max_file_size:
                self._file_error(result, cand.path, fallback_kind,
                                 f"file is {size} bytes, over the {self.options.max_file_size}-byte limit "
                                 "(raise it with --max-file-size)")
                return None
            with open(cand.abspath, "rb") as fh:
                data = fh.read(self.options.max_file_size + 1)
        except OSError as exc:
            result.io_errors += 1
            self._file_error(result, cand.path, fallback_kind, f"cannot read file: {exc.strerror or exc}")
            return None
        try:
            text = decode(data)
        except ValueError as exc:
            if kind is None and not cand.explicit:
                return None  # a unit-looking file that is not text: not ours
            self._file_error(result, cand.path, fallback_kind, str(exc))
            return None
        if kind is None:
            if cand.explicit:
                kind = sniff(text)
                if kind is None:
                    result.notices.append(
                        f"{cand.path}: not recognized as a Dockerfile, Compose file, daemon.json or "
                        "systemd unit; skipped (use --kind to force one)"
                    )
                    return None
            elif is_docker_unit(text):
                kind = "systemd"
            else:
                return None
        return SourceFile(path=cand.path, kind=kind, text=text, abspath=cand.abspath)

    def _file_error(self, result: Result, path: str, kind: str, message: str,
                    line: int = 1, col: int = 1, end_col: int | None = None) -> None:
        rule_id = PARSE_ERROR_ID[kind]
        r = self.registry.get(rule_id)
        span = Span.make(path, line, col, line, end_col if end_col and end_col > col else col + 1)
        result.findings.append(Finding(rule_id, r.name if r else "parse-error", Severity.ERROR, span, message))

    # -- parsing -----------------------------------------------------------------

    def parse(self, src: SourceFile, result: Result) -> ParseOutput | None:
        module = importlib.import_module(PARSER_MODULE[src.kind])
        try:
            out: ParseOutput = module.parse(src)
        except ParseError as exc:
            self._file_error(result, src.path, src.kind, exc.message, exc.line, exc.col, exc.end_col)
            return None
        except RecursionError:
            self._file_error(result, src.path, src.kind, "input is nested too deeply to parse")
            return None
        except Exception as exc:  # a parser bug must not lose the other files' findings
            result.internal_errors.append(f"{src.path}: internal error while parsing: {type(exc).__name__}: {exc}")
            self._file_error(result, src.path, src.kind,
                             f"dockerlint could not parse this file (internal error: {type(exc).__name__}); "
                             "please report it")
            return None
        for p in out.problems:
            self._problem(result, p)
        return out

    def _problem(self, result: Result, p: Problem) -> None:
        if p.rule_id not in self._rule_ids:
            return
        r = self.registry.get(p.rule_id)
        assert r is not None
        sev = self.options.severity_overrides.get(r.id, r.severity)
        result.findings.append(Finding(r.id, r.name, sev, p.span, p.message))

    # -- running -----------------------------------------------------------------

    def run(self, candidates: list[Candidate]) -> Result:
        result = Result(rules=list(self.rules))
        scan = Scan()
        daemon_parts: list[Any] = []
        for cand in candidates:
            before = len(result.findings)
            src = self.read(cand, result)
            if src is None:
                result.files_checked += len(result.findings) > before
                continue
            result.files_checked += 1
            result.files.append(src)
            out = self.parse(src, result)
            if out is None:
                continue
            scan.models.extend(out.models)
            daemon_parts.extend(out.daemon_parts)
        if daemon_parts:
            from dockerlint.parsers.daemon import assemble

            assembled = assemble(daemon_parts)
            scan.models.extend(assembled.models)
            for p in assembled.problems:
                self._problem(result, p)
        self.check(scan, result)
        result.findings.sort(key=Finding.sort_key)
        return result

    def check(self, scan: Scan, result: Result) -> None:
        for model in scan.models:
            for r in self._by_model.get(type(model), ()):
                ctx = RuleContext(scan=scan, options=self.options.rule_options.get(r.id))
                try:
                    hits = list(r.run(model, ctx))
                except Exception as exc:
                    result.internal_errors.append(
                        f"rule {r.id} crashed on {getattr(model, 'path', '?')}: {type(exc).__name__}: {exc}"
                    )
                    continue
                for hit in hits:
                    result.findings.append(self._finding(r, hit))

    def _finding(self, r: Rule, hit: Hit) -> Finding:
        sev = self.options.severity_overrides.get(r.id) or hit.severity or r.severity
        return Finding(r.id, r.name, sev, hit.span, hit.message, hit.context)
