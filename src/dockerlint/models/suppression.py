"""Inline suppression comments as the engine judged them, for the ``DL`` meta rules.

The engine reads ``# dockerlint: ignore[ID,...] reason`` comments, applies them to the
findings of the run, and then hands one :class:`Suppression` per comment to the
``DL`` rules, with what it learned: which ids are unknown, which suppressed nothing,
whether a required reason is missing.
"""

from __future__ import annotations

from dataclasses import field
from typing import ClassVar

from dockerlint.models.base import Root, Span, model


@model
class SuppressedId:
    """One rule id named in a suppression comment."""

    id: str  # as written, upper-cased
    span: Span  # the id inside the brackets
    known: bool = True  # a registered rule id
    suggestion: str = ""  # the closest registered id, for unknown ones
    used: bool = False  # a finding of this rule was suppressed by this comment


@model
class Suppression(Root):
    """A ``dockerlint: ignore[...]`` or ``ignore-file[...]`` comment."""

    KIND: ClassVar[str] = "suppression"
    path: str
    span: Span  # the directive, from ``dockerlint:`` to the end of the comment
    scope: str  # "line" (the next instruction / line, or the same line) or "file"
    ids: list[SuppressedId] = field(default_factory=list)
    reason: str = ""
    error: str = ""  # why the directive could not be read (then ``ids`` is empty)
    reason_required: bool = True
    honoured: bool = True  # False when a required reason is missing
    covers: tuple[int, int] = (0, 0)  # first and last line it applies to (scope "line")
