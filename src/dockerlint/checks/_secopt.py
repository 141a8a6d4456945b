"""Helpers shared by the rules that read ``security_opt`` (DC111, DC112, DC113)."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.models.base import LStr
from dockerlint.models.container import Container

# strconv.ParseBool, which dockerd uses for ``no-new-privileges=<value>``.
GO_TRUE = frozenset({"1", "t", "true"})
GO_FALSE = frozenset({"0", "f", "false"})


def split_opt(text: str) -> tuple[str, str | None]:
    """dockerd's reading of one security option: ``(key, value)``, key lower-cased.

    dockerd splits on the first ``=``, and only if there is none on the first ``:`` (the
    older separator): ``label:type:spc_t`` is ``("label", "type:spc_t")``. A bare word
    (``no-new-privileges``) has the value None.
    """
    text = text.strip()
    if "=" in text:
        key, value = text.split("=", 1)
    elif ":" in text:
        key, value = text.split(":", 1)
    else:
        return text.lower(), None
    return key.strip().lower(), value.strip()


def options(c: Container) -> Iterator[tuple[LStr, str, str | None]]:
    """Every ``security_opt`` item of ``c`` with its key and value (defaults applied)."""
    for opt in c.security_opt:
        key, value = split_opt(opt.text)
        yield opt, key, value
