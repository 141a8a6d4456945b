"""Helpers shared by the rules that judge mounts (DC101, DC103, ...)."""

from __future__ import annotations

import posixpath
import re

from dockerlint.api import quote
from dockerlint.models.container import Mount

_WINDOWS_DRIVE_ROOT = re.compile(r"^[A-Za-z]:[\\/]*$")


def bind_source(m: Mount) -> str | None:
    """The host path a bind mount exposes, normalized (defaults applied, ``//``, ``/./``,
    ``..`` and trailing slashes removed); None when ``m`` is not a bind of a host path."""
    if m.type != "bind" or m.source is None:
        return None
    return normalize_host_path(m.source.text)


def normalize_host_path(text: str) -> str:
    text = text.strip()
    if not text.startswith("/"):
        return text.rstrip("/") or text
    # POSIX keeps a leading '//' as implementation-defined; for Linux it is just '/'.
    norm = posixpath.normpath("/" + text.lstrip("/"))
    return "/" if norm in ("/", "//") else norm


def is_windows_drive_root(text: str) -> bool:
    """``C:\\`` / ``C:/`` / ``C:``: the whole drive of a Windows host."""
    return bool(_WINDOWS_DRIVE_ROOT.match(text.strip()))


def default_note(m: Mount) -> str:
    """`` (from '${X:-...}')`` when the source came from interpolation (a default or .env)."""
    if m.source is not None and m.source.expanded is not None:
        return f" (from {quote(m.source.value, 32)})"
    return ""
