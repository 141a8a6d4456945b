"""The words of a unit's command line and the variables they may take, each character
located where it is written.

Shared by the systemd reader (:mod:`dockerlint.parsers.systemd`, which re-exports them) and by
:mod:`dockerlint.parsers.daemon_command`, which the reader uses to go past exec wrappers and
shell strings: kept apart so that neither imports the other back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from dockerlint.models.base import LStr, Span

_OPAQUE = re.compile(r"^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})$")


class Expander(Protocol):
    """Expands systemd's specifiers (``%n``) in a text (see ``systemd.Specifiers``)."""

    def expand(self, text: str) -> tuple[str, list[int]]: ...


class Spanner(Protocol):
    """Maps character offsets of a text (a directive's value, an environment file) to spans."""

    def sub_span(self, start: int, end: int) -> Span: ...


@dataclass(eq=False)
class Word:
    """A word of a command line: its unquoted value and where each character came from.

    ``offsets`` are offsets in ``source`` (the directive's value for a word written in the
    ``ExecStart=``; an ``Environment=`` directive or an environment file for a word that came
    from a variable). A word that mixes both (``--label=${X}``) lists a source per character.
    """

    value: str
    start: int  # offsets in the source (raw word, quotes included)
    end: int
    offsets: list[int]  # for each character of value, its offset in the source
    lstr: LStr
    source: Spanner | None = None
    via: str = ""  # for a word that came from a variable: which, and where set ("$DOCKER_OPTS, set at x:7")
    sources: list[Spanner] | None = None  # per character, for a word with characters from several sources
    literal: bool = False  # "$VAR" that systemd passes as it is (the ':' prefix)
    # A word whose value is only known at run time: a shell expansion in an ``sh -c`` string
    # that nothing in the scan gives (``--host=$ADDR``, ``$(cat /etc/flags)``).
    unknown: bool = False

    def sub_span(self, i: int, j: int) -> Span:
        """Span of characters ``[i, j)`` of the unquoted value."""
        if not self.offsets or self.source is None:
            return self.lstr.span
        i = min(max(i, 0), len(self.offsets) - 1)
        j = min(max(j, i + 1), len(self.offsets))
        src = self.source
        if self.sources is not None:
            src = self.sources[i]
            k = i
            while k + 1 < j and self.sources[k + 1] is src:
                k += 1
            j = k + 1
        return src.sub_span(self.offsets[i], self.offsets[j - 1] + 1)

    @property
    def opaque(self) -> bool:
        """``$VAR`` / ``${VAR}`` written in the unit: expanded by systemd at run time, unknown here.

        A word that came from a variable is never expanded again (systemd does not)."""
        return self.unknown or (not self.via and not self.literal and bool(_OPAQUE.match(self.value)))

    def sliced(self, k: int) -> Word:
        """The word without its first ``k`` characters (a prefix such as ``-`` taken off)."""
        value = self.value[k:]
        offsets = self.offsets[k:]
        if not offsets or self.source is None:
            return Word(
                value,
                self.start,
                self.end,
                offsets,
                LStr(value, self.lstr.span),
                self.source,
                self.via,
                None,
                self.literal,
            )
        span = self.source.sub_span(offsets[0], self.end)
        return Word(value, offsets[0], self.end, offsets, LStr(value, span), self.source, self.via, None, self.literal)

    def printed(self, specifiers: Expander | None) -> Word:
        """The word with its specifiers expanded (systemd expands them after unquoting)."""
        if specifiers is None or "%" not in self.value or self.sources is not None:
            return self
        value, at = specifiers.expand(self.value)
        if value == self.value:
            return self
        return Word(
            value,
            self.start,
            self.end,
            [self.offsets[k] for k in at],
            LStr(value, self.lstr.span),
            self.source,
            self.via,
            None,
            self.literal,
        )


@dataclass(eq=False)
class EnvValue:
    """A variable's value with where each of its characters is written."""

    name: str
    value: str
    offsets: list[int]  # for each character of value, its offset in source
    source: Spanner
    name_span: Span  # the variable's name as written
    where: str  # where the assignment is written: "x.conf:3", "etc/default/docker:5"

    def span(self) -> Span:
        if not self.offsets:
            return self.name_span
        return self.source.sub_span(self.offsets[0], self.offsets[-1] + 1)

    def lstr(self) -> LStr:
        return LStr(self.value, self.span())


@dataclass
class Environment:
    """What systemd would pass to a service: the values known from the scan, and whether
    every source of variables was found (then an unknown variable is simply unset, unless
    ``PassEnvironment=`` takes it from the service manager's environment: ``passed``)."""

    values: dict[str, EnvValue] = field(default_factory=dict)
    complete: bool = True
    passed: set[str] = field(default_factory=set)

    def unset(self, name: str) -> bool:
        """Known to be unset (not just unknown here)."""
        return name not in self.values and self.complete and name not in self.passed
