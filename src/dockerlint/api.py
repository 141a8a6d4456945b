"""The public rule API: what rule modules (built-in and plugins) import, and nothing else.

A rule is a function decorated with :func:`rule`; it takes ``(model, ctx)`` and yields
:class:`Hit` objects. ``ctx`` is a :class:`RuleContext`: the rule's options (:func:`options_of`), the
folders of the scan, and :class:`ScanView`, the other models of the run (cross-file rules).
The engine (``dockerlint.core``) stamps the id and severity on each hit and makes it a finding.

This module sits below the engine, the parsers and the rules, and above the models: it imports
only ``dockerlint.models.base`` (and the standard library). ``dockerlint.registry`` re-exports
it for plugins written against dockerlint 0.1.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from dockerlint.models.base import Span

T = TypeVar("T")

__all__ = [
    "Edit",
    "Fix",
    "Hit",
    "PluginError",
    "Rule",
    "RuleContext",
    "ScanView",
    "Severity",
    "Span",
    "no_check",
    "options_of",
    "quote",
    "rule",
]


class Severity(str, enum.Enum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    ERROR = "error"  # the input is broken (parse errors, a daemon that will not start)
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.strip().lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of: {names})") from None

    def __str__(self) -> str:
        return self.value


_RANK = {
    Severity.INFO: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.ERROR: 3,
    Severity.CRITICAL: 4,
}

# How many characters of a value a message shows before it elides the middle (api.quote).
QUOTE_LIMIT = 48
_ELLIPSIS = "\u2026"


def quote(value: str, limit: int = QUOTE_LIMIT, *, secret: bool = False) -> str:
    """A value from the scanned file as a message shows it, in single quotes: the one way
    messages quote what the user wrote (CONTRIBUTING.md, "Write the message").

    - credentials masked: the whole value when ``secret`` (a password variable's value),
      else each well-known token shape and the password of each ``scheme://user:password@``
      URL (:func:`dockerlint.knowledge.secrets.secret_spans`, the model ``inspect`` masks with);
    - characters that are unsafe on a terminal or in a CI log escaped
      (:func:`dockerlint.util.safetext.visible`);
    - past ``limit`` characters, the middle elided with ``…`` (the snippet, the excerpt and the
      SARIF region keep the whole text).
    """
    from dockerlint.util.safetext import mask, visible

    if secret:
        return f"'{mask(value, 0)}'"
    from dockerlint.knowledge.secrets import secret_spans

    for start, end, masked in reversed(secret_spans(value)):
        value = value[:start] + masked + value[end:]
    if len(value) > limit > 1:
        head, tail = limit // 2, (limit - 1) // 2
        value = value[:head] + _ELLIPSIS + (value[len(value) - tail :] if tail else "")
    return f"'{visible(value)}'"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text of ``span`` with ``replacement`` (an empty span inserts)."""

    span: Span
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A change that removes a finding: applied by ``--fix``, shown by ``--diff``, in SARIF ``fixes``.

    ``safe=False`` marks a fix that may change meaning beyond the finding (for example a
    value shared through a YAML anchor); such fixes are reported but never applied.
    """

    description: str
    edits: tuple[Edit, ...] | list[Edit]
    safe: bool = True


@dataclass(frozen=True)
class Hit:
    """What a rule yields: where, and what. The engine stamps id and severity."""

    span: Span
    message: str
    # Overrides the rule's default severity for this one finding (e.g. DC110: ALL is
    # critical while NET_ADMIN is high). The user's configuration still wins.
    severity: Severity | None = None
    # Extra text for line-independent fingerprints (a service name, a key path).
    context: str = ""
    # How to remove the finding automatically, when that is unambiguous.
    fix: Fix | None = None
    # Where a credential is written (one-line spans): reporters that show source lines show
    # these characters as ``*``, and the fingerprint hashes them masked (DD121).
    secrets: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    reads: type | tuple[type, ...]  # the model class(es) the rule inspects
    severity: Severity
    summary: str
    check: Callable[..., Iterable[Hit]]
    cwe: tuple[int, ...] = ()
    cis: tuple[str, ...] = ()  # CIS Docker Benchmark v1.6 sections
    peers: dict[str, str] = field(default_factory=dict)  # peer tool -> its equivalent ids
    enabled_by_default: bool = True
    precision: str = "high"  # GitHub: very-high / high / medium / low
    tags: tuple[str, ...] = ()
    # The class of the rule's options: a dataclass whose fields all have defaults (or, for a plugin, a
    # pydantic model). The configuration validates ``[rules.ID]`` against it; see options_of().
    options: type | None = None
    # What --fix does for the rule's findings (Markdown, for the README and 'dockerlint rules');
    # '' when its findings carry no Fix. tests/test_fixes.py keeps the built-ins' true.
    fixes: str = ""

    @property
    def reads_types(self) -> tuple[type, ...]:
        return self.reads if isinstance(self.reads, tuple) else (self.reads,)

    @property
    def reads_names(self) -> str:
        return ", ".join(t.__name__ for t in self.reads_types)

    @property
    def group(self) -> str:
        return self.id[:2]

    def run(self, model: Any, ctx: Any) -> Iterator[Hit]:
        yield from self.check(model, ctx)


def rule(
    *,
    id: str,
    name: str,
    reads: type | tuple[type, ...],
    severity: Severity,
    summary: str,
    cwe: Iterable[int] = (),
    cis: Iterable[str] = (),
    peers: dict[str, str] | None = None,
    enabled_by_default: bool = True,
    precision: str = "high",
    tags: Iterable[str] = (),
    options: type | None = None,
    fixes: str = "",
) -> Callable[[Callable[..., Iterable[Hit]]], Rule]:
    """Declare a rule. The decorated function takes ``(model, ctx)`` and yields :class:`Hit`.

    ``fixes`` says what the automatic fix does, for a rule whose hits carry a :class:`Fix`."""

    def wrap(fn: Callable[..., Iterable[Hit]]) -> Rule:
        return Rule(
            id=id,
            name=name,
            reads=reads,
            severity=severity,
            summary=summary,
            check=fn,
            cwe=tuple(cwe),
            cis=tuple(cis),
            peers=dict(peers or {}),
            enabled_by_default=enabled_by_default,
            precision=precision,
            tags=tuple(tags),
            options=options,
            fixes=fixes,
        )

    return wrap


def no_check(model: Any, ctx: Any) -> Iterator[Hit]:
    """The check of a rule whose findings are raised elsewhere (the parse-error rules by the engine,
    DC124 by the Compose project assembler)."""
    return iter(())


class PluginError(Exception):
    """A rule plugin could not be loaded or declares something invalid."""


class ScanView(Protocol):
    """What a rule sees of the scan (``ctx.scan``): the models kept for rules that look across
    files, namely those of the configuration files (Compose, ``daemon.json``, units, contexts),
    of the Dockerfiles they build and of the scripts that build images. A Dockerfile, script or
    CI file linted on its own is not in it. While such files are linted (after the
    configuration files' rules have run), a container that builds nothing is no longer in it."""

    # The kept models, in the order they were parsed.
    models: list[Any]
    # Bumped whenever ``models`` changes: an index a rule builds over the scan is stale when it moves.
    version: int
    # ``path_key`` of another path to a Dockerfile of the scan (through a symbolic link) ->
    # the ``path_key`` it is linted under.
    aliases: dict[str, str]

    def of(self, cls: type) -> list[Any]:
        """The models of the scan that are instances of ``cls``."""
        ...

    def cached(self, compute: Callable[[Any], T]) -> T:
        """``compute(scan)``, computed once per version of the scan and shared by every rule of
        the run (an index over the scan's models). ``compute`` is the cache key: pass the same
        module-level function each time, not a new lambda."""
        ...


@dataclass
class RuleContext:
    """What a rule's check gets beside the model: ``check(model, ctx)``."""

    scan: ScanView
    options: Any = None  # the rule's options: read them with options_of()
    # The absolute folders the scan covers (empty: the working directory). A rule that reads
    # a file of the tree (rules/common/tree.py) reads only inside them.
    roots: tuple[str, ...] = ()
    # Whether the repository's ignore rules are read (Options.repository_ignores).
    repository_ignores: bool = True
    # The model being checked, and what :meth:`memo` computed from it. The engine gives the
    # rules of one model the same ``memos``, and drops them once those rules have run.
    model: Any = None
    memos: dict[Callable[[Any], Any], Any] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, compute: Callable[[Any], T]) -> T:
        """``compute(model)`` for the model being checked, computed once for all of its rules
        (a per-model index several rules read). ``compute`` is the cache key: pass the same
        module-level function each time, not a new lambda."""
        if compute in self.memos:
            value: T = self.memos[compute]
            return value
        value = self.memos[compute] = compute(self.model)
        return value


OptionsT = TypeVar("OptionsT")


def options_of(ctx: Any, cls: type[OptionsT]) -> OptionsT:
    """The rule's options: what the configuration gave, else the defaults (``cls()``).

    The engine passes an instance of ``cls``: validated by the configuration reader when a
    configuration sets the rule's options (``[rules.ID]``), else built from the defaults of
    ``cls``'s fields. A plain mapping (from a caller that built the context by hand, a test)
    is passed to ``cls``: to its constructor as keywords (an unknown key raises
    :class:`TypeError`), or to ``model_validate`` for a pydantic model. Nothing here imports
    pydantic: options are validated where the configuration is read.
    """
    opts = ctx.options
    if isinstance(opts, cls):
        return opts
    if isinstance(opts, dict):
        validate = getattr(cls, "model_validate", None)  # a plugin's pydantic model
        made: OptionsT = validate(opts) if validate is not None else cls(**opts)
        return made
    return cls()
