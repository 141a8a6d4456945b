"""Making a raw finding final, or dropping it: the file's configuration (rule on, per-file
ignores, severity), its snippet and excerpt, fix safety, its suppressions, and the DL rules
over the suppressions once every finding has been matched to them."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, overload

from dockerlint.core.checking import Checker
from dockerlint.core.findings import EXCERPT_LINES, Finding, Result, Suppressed
from dockerlint.core.options import Options
from dockerlint.core.reading import LineHashes
from dockerlint.core.registry import Registry
from dockerlint.core.scan import Scan
from dockerlint.core.selection import matches, path_matches, suggest_rule_id
from dockerlint.models.base import Span
from dockerlint.models.source import SourceFile
from dockerlint.util import lines as _lines
from dockerlint.util.sharing import SharedTexts


def index_of(directives: list[Any]) -> Any:
    """The suppression index of one file's directives (None when it has none)."""
    if not directives:
        return None
    from dockerlint.core import suppressions

    return suppressions.Index(directives)


def excerpt(f: Finding, src: SourceFile | None, masked: dict[int, str] | None = None) -> tuple[str, tuple[str, ...]]:
    """The text a finding's span covers and the source lines it starts on (at most
    :data:`EXCERPT_LINES`), credentials (``Finding.secrets``) masked: ``masked`` holds the
    masked lines (0-based index -> text), :func:`masked_lines` of the finding's secrets."""
    if src is None:
        return f.snippet, f.lines
    if masked is None:
        masked = masked_lines(src.lines, f.secrets)
    view = _MaskedLines(src.lines, masked)
    shown = (
        tuple(view[f.span.line - 1 : min(f.span.end_line, f.span.line + EXCERPT_LINES - 1)])
        if f.span.line >= 1
        else f.lines
    )
    return _lines.text_between(view, f.span), shown


class _MaskedLines(Sequence[str]):
    """A file's lines with some of them masked, read without copying the others."""

    def __init__(self, lines: list[str], masked: dict[int, str]) -> None:
        self.lines = lines
        self.masked = masked

    def __len__(self) -> int:
        return len(self.lines)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self.masked.get(j, self.lines[j]) for j in range(*i.indices(len(self.lines)))]
        j = i + len(self.lines) if i < 0 else i
        return self.masked.get(j, self.lines[i])


def masked_lines(lines: list[str], secrets: Sequence[Span]) -> dict[int, str]:
    """The lines ``secrets`` (one-line spans) touch, with those characters masked (0-based line
    index -> text). Each line is rebuilt once, whatever the number of spans on it: a line of
    5,000 credentials is 5,000 spans shared by 5,000 findings."""
    from dockerlint.util.safetext import redact_all

    return {i: redact_all(lines[i], ranges) for i, ranges in _ranges_on_lines(lines, secrets).items()}


def _ranges_on_lines(lines: list[str], secrets: Sequence[Span]) -> dict[int, list[tuple[int, int]]]:
    """``secrets`` (one-line spans) as 0-based ``[start, end)`` ranges by 0-based line index."""
    on: dict[int, list[tuple[int, int]]] = {}
    for s in secrets:
        if 1 <= s.line <= len(lines):
            end = s.end_col if s.end_line == s.line else len(lines[s.line - 1]) + 1
            on.setdefault(s.line - 1, []).append((s.col - 1, end - 1))
    return on


def masked_text(text: str) -> str:
    """``text`` with every credential the model finds in its lines masked, lengths and line
    breaks kept: what the SARIF ``primaryLocationLineHash`` is computed from. The hash covers
    100 characters from a line's start, and a rolling polynomial hash of a text whose other
    characters the report shows (the masked excerpt) gives a short password back."""
    from dockerlint.knowledge.secrets import credential_spans
    from dockerlint.util.safetext import redact_all

    parts = text.splitlines(keepends=True)
    changed = False
    for i, part in enumerate(parts):
        body = part.rstrip("\r\n")
        ranges = credential_spans(body)
        if ranges:
            parts[i] = redact_all(body, ranges) + part[len(body) :]
            changed = True
    return "".join(parts) if changed else text


_Place = tuple[int, int, int, int]
FINDING_TEXTS = 4096  # distinct texts the table of a run's finding texts holds (util.sharing)
FINDING_TEXT_MAX = 1024  # longer texts are not shared
_MASKED_FILES = 8  # files whose masks are kept (a file's findings come mostly together)


class _FileMasks:
    """The credentials of one file's lines, as the credential model finds them in the text
    (:func:`dockerlint.knowledge.secrets.credential_spans`, computed once per line), and per
    group of findings (one ``secrets`` tuple, or none) the masked lines and excerpts."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.model: dict[int, list[tuple[int, int]]] = {}
        # id(secrets) (0: none) -> (the tuple, its ranges by line, masked lines (None: no
        # credential there), excerpts by place); an entry keeps its tuple, so the id lives.
        self.groups: dict[
            int,
            tuple[
                tuple[Span, ...],
                dict[int, list[tuple[int, int]]],
                dict[int, str | None],
                dict[_Place, tuple[str, tuple[str, ...]]],
            ],
        ] = {}

    def ranges(self, i: int) -> list[tuple[int, int]]:
        got = self.model.get(i)
        if got is None:
            from dockerlint.knowledge.secrets import credential_spans

            got = self.model[i] = credential_spans(self.lines[i])
            if i > 0:
                from dockerlint.knowledge.secrets import continued_credential

                more = continued_credential(self.lines[i], self.lines[i - 1])
                if more is not None:
                    got.append(more)
        return got

    def excerpt(self, f: Finding, src: SourceFile) -> tuple[str, tuple[str, ...]]:
        """The finding's snippet and shown lines, masked with the model's credentials on every
        line they hold and the finding's own ``secrets``: cut once per group and place (the
        words of a long command all point at the command)."""
        key = id(f.secrets) if f.secrets else 0
        entry = self.groups.get(key)
        if entry is None or entry[0] is not f.secrets:
            entry = self.groups[key] = (f.secrets, _ranges_on_lines(self.lines, f.secrets), {}, {})
        _, own, masked, cut = entry
        place = (f.span.line, f.span.col, f.span.end_line, f.span.end_col)
        got = cut.get(place)
        if got is None:
            from dockerlint.util.safetext import redact_all

            first = max(f.span.line - 1, 0)
            last = min(len(self.lines), max(f.span.end_line, f.span.line + EXCERPT_LINES - 1))
            view: dict[int, str] = {}
            for i in range(first, last):
                if i not in masked:
                    ranges = self.ranges(i) + own.get(i, [])
                    masked[i] = redact_all(self.lines[i], ranges) if ranges else None
                text = masked[i]
                if text is not None:
                    view[i] = text
            got = cut[place] = excerpt(f, src, view)
        return got


def _relative(path: str, base_dir: str) -> str:
    abspath = os.path.abspath(path)
    base = base_dir or os.getcwd()
    try:
        rel = os.path.relpath(abspath, base)
    except ValueError:
        return path.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def ignored_for_file(f: Finding, o: Options) -> bool:
    """Whether a ``per-file-ignores`` entry of ``o`` turns the finding's rule off for its file."""
    if not o.per_file_ignores:
        return False
    rel = _relative(f.path, o.base_dir)
    for glob, selectors in o.per_file_ignores:
        if matches(f.rule_id, selectors) and path_matches(glob, rel):
            return True
    return False


def _fix_if_safe(f: Finding, sources: dict[str, SourceFile]) -> Any:
    if f.fix is None:
        return None
    from dockerlint.fixes.safety import fix_is_safe

    return f.fix if fix_is_safe(f.fix, sources) else None


class Keeper:
    """Makes the findings of one run final (see the module's docstring)."""

    def __init__(
        self,
        registry: Registry,
        options: Options,
        options_for: Callable[[str], Options],
        enabled_ids: Callable[[Options], frozenset[str]],
    ) -> None:
        self.registry = registry
        self.options = options
        self.options_for = options_for
        self.enabled_ids = enabled_ids
        # Options.line_hashes: each file's line hashes as far as its findings need them, and
        # the text GitHub hashes where it is not the text linted (files with a BOM; the
        # Reader's dict).
        self.hashers: dict[str, LineHashes] = {}
        self.hash_texts: dict[str, str] = {}
        # The credentials of the last files' lines and their masked excerpts (_FileMasks).
        self.masks: dict[str, _FileMasks] = {}
        # A finding's texts, held once when equal: a big tree's findings repeat messages
        # (every one of a rule that names no value), flagged lines and contexts; the
        # findings of a run are all kept until the report is written. Emptied when a run ends.
        self.texts = SharedTexts(FINDING_TEXTS, FINDING_TEXT_MAX)
        self.share = self.texts.share

    def keep(
        self, f: Finding, result: Result, sources: dict[str, SourceFile], indexes: dict[str, Any], meta: bool = False
    ) -> None:
        """Add ``f`` to ``result``'s findings or its suppressed ones, or drop it (off for its file)."""
        o = self.options_for(f.path)
        matched = self._matched(f, indexes, meta)
        if f.rule_id not in self.enabled_ids(o) or ignored_for_file(f, o):
            return
        src = sources.get(f.path)
        snippet, shown = self._excerpt(f, src)
        if not self.options.excerpts:
            shown = ()
        share = self.share
        f = replace(
            f,
            severity=o.severity_overrides.get(f.rule_id) or f.severity,
            message=share(f.message),
            context=share(f.context),
            snippet=share(snippet),
            lines=shown,
            fix=_fix_if_safe(f, sources),
            line_hash=self._line_hash(f, src),
        )
        honoured = [d for d in matched if d.reason or not o.require_reason or d.origin == "hadolint"]
        if honoured:
            d = honoured[0]
            kind = d.origin if d.origin == "hadolint" else ("file" if d.scope == "file" else "inline")
            result.suppressed.append(replace(f, suppression=Suppressed(kind, d.reason)))
            return
        result.findings.append(f)

    @staticmethod
    def _matched(f: Finding, indexes: dict[str, Any], meta: bool) -> list[Any]:
        """The suppressions of the finding's file that name it (marked as used)."""
        index = indexes.get(f.path)
        if index is None:
            return []
        matched: list[Any] = index.match(f.rule_id, f.span.line)
        if meta:  # meta findings are silenced by ignore-file only
            matched = [d for d in matched if d.scope == "file"]
        for d in matched:
            d.used.add(f.rule_id)
        return matched

    def _excerpt(self, f: Finding, src: SourceFile | None) -> tuple[str, tuple[str, ...]]:
        """The finding's snippet and the source lines it starts on, every credential masked:
        those the credential model finds in the lines themselves, whatever rules ran (another
        rule's finding on a line where DF117 is off, ignored or suppressed still hides the
        password), and the finding's own ``secrets``."""
        if src is None:
            return f.snippet, f.lines
        return self._masks(src).excerpt(f, src)

    def _masks(self, src: SourceFile) -> _FileMasks:
        masks = self.masks.get(src.path)
        if masks is None or masks.lines is not src.lines:
            if len(self.masks) >= _MASKED_FILES:
                del self.masks[next(iter(self.masks))]
            masks = self.masks[src.path] = _FileMasks(src.lines)
        return masks

    def _line_hash(self, f: Finding, src: SourceFile | None) -> str:
        """The finding's primaryLocationLineHash, from the text read (Options.line_hashes)."""
        if src is None or not self.options.line_hashes:
            return f.line_hash
        hasher = self.hashers.get(src.path)
        if hasher is None:
            hasher = self.hashers[src.path] = LineHashes(masked_text(self.hash_texts.get(src.path, src.text)))
        return hasher.get(max(1, f.span.line))

    # -- the DL rules ------------------------------------------------------------------

    def meta(
        self,
        result: Result,
        sources: dict[str, SourceFile],
        directives: dict[str, list[Any]],
        indexes: dict[str, Any],
        file_options: Sequence[Options],
    ) -> None:
        """The DL rules, over the suppressions once every finding has been matched to them
        (``file_options``: the configurations of the run's files)."""
        if not directives:
            return
        distinct = {id(o): o for o in file_options}.values()
        meta = [
            rid
            for rid in self.registry.ids()
            if rid.startswith("DL") and any(rid in self.enabled_ids(o) for o in distinct)
        ]
        if not meta:
            return
        models = self._suppression_models(directives)
        raw = Result(internal_errors=result.internal_errors)
        Checker(self.registry, self.options, self.options_for, meta).check(Scan(models=models), raw)
        for f in raw.findings:
            self.keep(f, result, sources, indexes, meta=True)

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
                    ids.append(
                        SuppressedId(id=rule_id, span=span, known=is_known, suggestion=hint, used=rule_id in d.used)
                    )
                models.append(
                    Suppression(
                        path=path,
                        span=d.span,
                        scope=d.scope,
                        ids=ids,
                        reason=d.reason,
                        error=d.error,
                        reason_required=o.require_reason,
                        honoured=bool(d.reason) or not o.require_reason,
                        covers=d.covers,
                    )
                )
        return models
