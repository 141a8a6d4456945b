"""The shared credential model, as rules import it: :mod:`dockerlint.knowledge.secrets`.

It lives in the knowledge layer so that ``dockerlint inspect`` (the CLI, which may not import
rule code) masks exactly what DF102, DC117, DF114 and DF117 mask. What needs the rule API
(where a credential is written, as ``Hit.secrets``) is here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from dockerlint.api import Hit
from dockerlint.knowledge.secrets import (
    SECRET_WORD_MARKS,
    SHAPE_MARKS,
    USABLE,
    SecretName,
    Verdict,
    assess,
    may_name_secret,
    name_words,
    secret_name,
    throwaway_service,
    url_passwords,
    usable,
    value_shape,
)
from dockerlint.models.base import Span

__all__ = [
    "SECRET_WORD_MARKS",
    "SHAPE_MARKS",
    "USABLE",
    "SecretName",
    "Verdict",
    "assess",
    "masking",
    "may_name_secret",
    "name_words",
    "one_line_spans",
    "secret_name",
    "throwaway_service",
    "url_passwords",
    "usable",
    "value_shape",
]


# -- where a credential is written: masked in excerpts and fingerprints -------------------------

_WHOLE_LINE = 1 << 30  # an end column past any line: the redaction stops at the line's end


def one_line_spans(span: Span, skip: int = 0) -> tuple[Span, ...]:
    """``span`` (from ``skip`` characters after its start) as one-line spans, the form
    ``Hit.secrets`` takes: a value continued over several lines masks each of them."""
    col = span.col + skip
    if span.end_line <= span.line:
        return (Span(span.path, span.line, col, span.line, span.end_col),)
    out = [Span(span.path, span.line, col, span.line, _WHOLE_LINE)]
    out += [Span(span.path, n, 1, n, _WHOLE_LINE) for n in range(span.line + 1, span.end_line)]
    out.append(Span(span.path, span.end_line, 1, span.end_line, span.end_col))
    return tuple(out)


def masking(hits: Iterable[tuple[Hit, tuple[Span, ...]]]) -> Iterator[Hit]:
    """Each hit with ``secrets`` set to every credential span of the group (a source excerpt
    shows whole lines, and two credentials may share one): reporters show them as ``*`` and the
    fingerprint hashes the masked text, so no format repeats a secret (as DD121 does)."""
    found = list(hits)
    spans = tuple(sp for _, group in found for sp in group)
    for hit, _ in found:
        yield replace(hit, secrets=spans)
