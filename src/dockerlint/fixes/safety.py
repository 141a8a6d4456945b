"""Which fixes the engine lets through: a fix never rewrites text whose meaning is shared
or computed elsewhere (``${VAR}`` interpolation, YAML anchors, aliases and merge keys)."""

from __future__ import annotations

import re

from dockerlint.api import Fix
from dockerlint.models.source import SourceFile
from dockerlint.util.lines import text_between

# What a fix must never rewrite: text built from ${VAR} interpolation, and in YAML the
# anchors, aliases and merge keys that share one value between several places.
UNSAFE_TEXT = ("${", "*", "&", "<<")
YAML_SHARED = re.compile(r"(?:^|[\s\[{,])[&*][^\s,\[\]{}]+|<<\s*:")


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
        old = text_between(src.lines, edit.span)
        if any(token in old for token in UNSAFE_TEXT) or "${" in edit.replacement:
            return False
        if src.kind == "compose":
            touched = src.lines[edit.span.line - 1 : edit.span.end_line]
            if any(YAML_SHARED.search(line) or "${" in line for line in touched):
                return False
    return True
