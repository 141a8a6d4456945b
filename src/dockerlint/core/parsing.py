"""Parsing one source file into models: a file that cannot be parsed becomes one finding
under its kind's parse-error id (a parser bug too, and an internal error), never a crash."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dockerlint.api import Severity
from dockerlint.core.findings import Finding, Result
from dockerlint.core.registry import PluginError, Registry, Rule
from dockerlint.models.base import Span
from dockerlint.models.source import SourceFile
from dockerlint.parsers import PARSERS
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.output import ParseOutput, Problem
from dockerlint.util import limits as _limits

# Files with ``docker run`` lines (scripts, Makefiles, CI workflows) are container sources: DC000.
PARSE_ERROR_ID = {
    "dockerfile": "DF000",
    "compose": "DC000",
    "daemon": "DD000",
    "systemd": "DD000",
    "script": "DC000",
    "makefile": "DC000",
    "github": "DC000",
    "gitlab": "DC000",
    "devcontainer": "DC000",
    "client": "DD000",
    "quadlet": "DC000",
    "jenkinsfile": "DC000",
}


def file_error(
    registry: Registry,
    result: Result,
    path: str,
    kind: str,
    message: str,
    line: int = 1,
    col: int = 1,
    end_col: int | None = None,
    line_hash: str = "",
) -> None:
    """One finding under ``kind``'s parse-error id: the file could not be read or parsed."""
    rule_id = PARSE_ERROR_ID[kind]
    r = _rule(registry, rule_id)
    span = Span(path, line, col, line, end_col if end_col and end_col > col else col + 1)
    result.findings.append(
        Finding(rule_id, r.name if r else "parse-error", Severity.ERROR, span, message, line_hash=line_hash)
    )


def problem(registry: Registry, result: Result, p: Problem) -> None:
    """A parser's finding (a value a rule's id owns, found while parsing)."""
    r = _rule(registry, p.rule_id)
    if r is None:
        return
    result.findings.append(Finding(r.id, r.name, r.severity, p.span, p.message))


def _rule(registry: Registry, rule_id: str) -> Rule | None:
    """The rule (its module imported: a parse error's, a parser's problem's); None when it is
    not registered or does not load (the load error is reported where the rule runs)."""
    try:
        return registry.get(rule_id)
    except PluginError:
        return None


@contextmanager
def expansions(result: Result, origin: str = "") -> Iterator[None]:
    """Count the variable expansions done in the block as those of file ``origin``; the
    files whose values went past the expansion limits get one notice each."""
    from dockerlint.util import budget as expansion  # a run with nothing parsed never imports it

    with expansion.scope(origin) as done:
        yield
    result.notices.extend(n for n in done.notices() if n not in result.notices)


class Parser:
    """Parses the files of one run under its limits."""

    def __init__(self, registry: Registry, limits: _limits.Limits) -> None:
        self.registry = registry
        self.limits = limits
        # The comments of a file whose parser stopped with an error, by path (for its suppressions).
        self.unparsed_comments: dict[str, Any] = {}

    def file_error(
        self,
        result: Result,
        path: str,
        kind: str,
        message: str,
        line: int = 1,
        col: int = 1,
        end_col: int | None = None,
        line_hash: str = "",
    ) -> None:
        file_error(self.registry, result, path, kind, message, line, col, end_col, line_hash)

    def problem(self, result: Result, p: Problem) -> None:
        problem(self.registry, result, p)

    def parse(self, src: SourceFile, result: Result) -> ParseOutput | None:
        """The models of ``src``, or None (a finding says why)."""
        module = importlib.import_module(PARSERS[src.kind])
        try:
            with _limits.using(self.limits):
                out: ParseOutput = module.parse(src)
        except ParseError as exc:
            self.file_error(result, src.path, src.kind, exc.message, exc.line, exc.col, exc.end_col)
            if exc.comments is not None:
                self.unparsed_comments[src.path] = exc.comments  # read up to the error
            return None
        except RecursionError:
            self.file_error(result, src.path, src.kind, "input is nested too deeply to parse")
            return None
        except Exception as exc:  # noqa: BLE001 -- a parser bug must not lose the other files' findings
            result.internal_errors.append(f"{src.path}: internal error while parsing: {type(exc).__name__}: {exc}")
            self.file_error(
                result,
                src.path,
                src.kind,
                f"dockerlint could not parse this file (internal error: {type(exc).__name__}); please report it",
            )
            return None
        for p in out.problems:
            self.problem(result, p)
        return out
