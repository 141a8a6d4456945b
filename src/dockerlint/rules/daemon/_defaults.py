"""Helpers for the DD rules that judge daemon-wide settings (DD106-DD119).

A *missing* setting is reported once per daemon at :attr:`Daemon.span` (the first
line of daemon.json, else of the service unit), and only for a daemon that has a
configuration to judge: a daemon.json, or a unit whose ``ExecStart`` runs dockerd. A
daemon seen only through a socket unit or a drop-in without a command is not judged
(the same policy as DD105).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from dockerlint.api import Hit, quote
from dockerlint.models.base import LValue, Span
from dockerlint.models.daemon import Daemon, DaemonSetting
from dockerlint.rules.daemon._daemon import flags_hidden


def judged(d: Daemon) -> bool:
    """Whether the daemon has a configuration whose missing settings can be judged."""
    return d.config_path is not None or d.exec_start is not None


def hidden(d: Daemon) -> str:
    """A message fragment for flags hidden in ``$VARIABLES`` of the ExecStart."""
    return " (ExecStart's $VARIABLES unread)" if flags_hidden(d) else ""


def at(span: Span) -> str:
    """``path:line`` of a span, for messages that name another place."""
    return f"{span.path}:{span.line}"


def shown(s: DaemonSetting) -> str:
    """A setting as written: ``"icc": true`` in daemon.json, ``--icc=true`` / ``--icc`` as a flag."""
    if s.origin == "flag":
        if s.value is True and s.span == s.value_span:
            return s.written_key  # a bare boolean flag
        value = s.value[0] if isinstance(s.value, list) and len(s.value) == 1 else s.value
        text = json.dumps(value) if isinstance(value, bool) else str(value)
        return f"{s.written_key}={bare(text)}"
    return f'"{s.written_key or s.key}": {bare(json.dumps(s.value))}'


def fit(message: str, *details: str, limit: int = 140) -> str:
    """``message`` with each of ``details`` appended, in order, that still fits in ``limit``
    characters (a table's note or a suggestion, when there is room: CONTRIBUTING.md)."""
    for extra in details:
        if extra and len(message) + len(extra) <= limit:
            message += extra
    return message


def bare(text: str) -> str:
    """A value as :func:`dockerlint.api.quote` shows it (escaped, elided, masked), without its
    quotes: for ``Key=value`` and ``"key": value`` forms."""
    return quote(text)[1:-1]


def entries(s: DaemonSetting) -> list[LValue]:
    """The entries of a list setting with their spans: the items of a daemon.json array, or
    the value of one repeatable flag (``--insecure-registry X`` -> ``[X]``)."""
    if s.origin == "file":
        return list(s.items)
    values = s.value if isinstance(s.value, list) else [s.value]
    return [LValue(v, s.value_span) for v in values]


def member(s: DaemonSetting | None, *path: str) -> DaemonSetting | None:
    """The effective (last) nested member ``path`` of a daemon.json object setting."""
    for name in path:
        if s is None:
            return None
        found = [m for m in s.members if m.key == name]
        s = found[-1] if found else None
    return s


def boolean_default(d: Daemon, key: str, want: bool, unset: str, wrong: str) -> Iterator[Hit]:
    """A boolean daemon setting that should be ``want``: one finding at the daemon's span when it is
    not set (``unset``), or at the key / flag word when it is set the other way (``wrong``,
    with ``{setting}`` for the setting as written). A value of the wrong type is DD000's."""
    if not judged(d):
        return
    s = d.get(key)
    if s is None:
        yield Hit(d.span, unset.format(hidden=hidden(d)), context=key)
    elif isinstance(s.value, bool) and s.value is not want:
        yield Hit(s.span, wrong.format(setting=shown(s)), context=key)
