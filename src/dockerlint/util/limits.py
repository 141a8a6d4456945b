"""Input limits: what dockerlint refuses to read, with their defaults, in one place.

A file over a limit is never a crash nor a hang: it becomes one parse-error finding
(``DF000``, ``DC000``, ``DD000``) that names the limit and the option that raises it,
and the other files are linted as usual. The README's "Limits" section documents them.

=====================  ========  ==========================  ==================================
limit                  default   raised with                 guards against
=====================  ========  ==========================  ==================================
file size (bytes)      10 MiB    ``--max-file-size``         huge files, ``/dev/zero`` links
nesting depth          200       ``--max-depth``             deeply nested YAML / JSON
alias expansion        100,000   ``--max-alias-expansion``   YAML alias bombs (billion laughs)
=====================  ========  ==========================  ==================================

The nesting depth counts the levels of YAML collections and JSON arrays / objects. The
alias expansion counts the nodes YAML aliases add to a document when each one is
replaced by a copy of what it refers to (a document without aliases adds none, however
large). Two ceilings hold whatever the settings: libyaml refuses YAML nested more than
1000 levels, and Python's recursion limit stops the YAML converter and the reading of
JSON values a few hundred levels down; such input is reported as nested too deeply.

The parsers read the limits in force with :func:`current`; the engine sets them around
each parse with :func:`using` (from ``Options.limits``). A context variable rather than a
parameter keeps every parser's ``parse(src)`` signature the same, and a parser called
outside the engine (tests, the fuzz harness) gets the defaults.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
DEFAULT_MAX_DEPTH = 200
DEFAULT_MAX_ALIAS_EXPANSION = 100_000


@dataclass(frozen=True)
class Limits:
    """The limits of a run: the parsers' and the size of every file read
    (:func:`dockerlint.util.containment.read_regular`)."""

    max_depth: int = DEFAULT_MAX_DEPTH
    max_alias_expansion: int = DEFAULT_MAX_ALIAS_EXPANSION
    max_file_size: int = DEFAULT_MAX_FILE_SIZE


DEFAULTS = Limits()
_CURRENT: ContextVar[Limits] = ContextVar("dockerlint_limits", default=DEFAULTS)


def current() -> Limits:
    """The limits in force for the parse going on (the defaults outside the engine)."""
    return _CURRENT.get()


@contextmanager
def using(limits: Limits) -> Iterator[Limits]:
    """Put ``limits`` in force for the code run inside the ``with`` block."""
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


def positive(text: str) -> int:
    """A limit given on the command line: a whole number above 0 (argparse's ``type``)."""
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


# --jobs 0 (the default) forks workers only when at least this many files are linted on
# their own (Dockerfiles, scripts, CI files): below it, starting processes costs more than
# it saves (measured: benchmarks/bench_scale.py).
PARALLEL_MIN_FILES = 64
