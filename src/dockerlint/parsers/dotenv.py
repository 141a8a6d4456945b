"""Compose's environment files: a project's ``.env`` and a service's ``env_file``.

The syntax is the one the Compose specification documents (``05-services.md``, "Env_file
format"): ``VAR=VAL`` lines, ``#`` comments, an optional ``export`` prefix, single quotes
literal, double quotes with ``\\n``/``\\t``/``\\\\``/``\\"`` escapes (and able to span lines),
inline comments after a space on unquoted values (compose-go cuts the value at the first
``" #"``: a tab before the ``#`` does not start a comment) and after a closing quote,
``VAR=`` the empty string, and ``VAR`` alone meaning "unset". Unquoted and double-quoted values
are interpolated with the
variables defined earlier in the same file (never with the shell environment: a lint must
not depend on the machine it runs on).

Each variable keeps the position of its name and of its value, 1-based, end exclusive.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from dockerlint.parsers.expansion import InvalidTemplate, compose
from dockerlint.parsers.output import Comment

_NAME = re.compile(r"[^\s=#]+")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"', "$": "\\$"}


@dataclass(frozen=True)
class DotenvVar:
    """``NAME=value`` of an environment file: ``value`` None for a bare ``NAME`` (unset)."""

    name: str
    value: str | None
    line: int  # of the name
    col: int
    end_col: int
    value_line: int  # where the value is written (the quotes included)
    value_col: int
    value_end_line: int
    value_end_col: int


def parse(
    text: str, interpolate_value: bool = True, comments: list[Comment] | None = None, origin: str | None = None
) -> list[DotenvVar]:
    """The variables of an environment file, in order (a later one overrides an earlier one).

    ``interpolate_value=False`` reads values as written (``env_file`` with ``format: raw``).
    A value whose interpolation goes past the expansion limits (:mod:`dockerlint.parsers.
    expansion`) is unknown: the variable is read as unset, for the lines after it too, and
    the limit is recorded for ``origin`` (the file's display path).
    Lines that are not ``NAME[=value]`` are skipped: Compose refuses such a file, and the
    caller reports that; here we read what can be read. ``comments`` gets the file's
    comments as Compose reads them: a line whose first non-blank character is ``#``, and
    the rest of a line after an unquoted value's ``" #"`` or after a closing quote (never a
    ``#`` inside a quoted value, nor one glued to an unquoted value).
    """
    out: list[DotenvVar] = []
    known: dict[str, str] = {}
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        raw = lines[i]
        line_no = i + 1
        i += 1
        stripped = raw.lstrip()
        if not stripped or stripped.startswith("#"):
            if stripped and comments is not None:
                at = len(raw) - len(stripped)
                comments.append(Comment(line_no, at + 1, len(raw.rstrip()) + 1, True))
            continue
        col = len(raw) - len(stripped)  # 0-based
        if stripped.startswith(("export ", "export\t")):
            rest = stripped[6:].lstrip()
            col += len(stripped) - len(rest)
            stripped = rest
        m = _NAME.match(stripped)
        if m is None:
            continue
        name = m.group()
        after = stripped[m.end() :]
        pos = col + m.end()
        gap = len(after) - len(after.lstrip(" \t"))
        after = after[gap:]
        pos += gap
        if not after.startswith("="):
            if not after or after.startswith("#"):
                out.append(
                    DotenvVar(
                        name,
                        None,
                        line_no,
                        col + 1,
                        col + 1 + len(name),
                        line_no,
                        col + 1,
                        line_no,
                        col + 1 + len(name),
                    )
                )
                if after and comments is not None:
                    comments.append(Comment(line_no, pos + 1, len(raw.rstrip()) + 1, False))
            continue
        value_text = after[1:]
        pos += 1
        lead = len(value_text) - len(value_text.lstrip(" \t"))
        value_text = value_text[lead:]
        pos += lead
        start_line, start_col = line_no, pos + 1
        quote = value_text[:1]
        if quote in ("'", '"'):
            body, end_line, end_col, consumed = _quoted(value_text, quote, lines, i, line_no, pos)
            i += consumed
            if comments is not None:
                last = lines[end_line - 1]
                tail = last[end_col - 1 :]
                if tail.lstrip().startswith("#"):
                    at = end_col - 1 + len(tail) - len(tail.lstrip())
                    comments.append(Comment(end_line, at + 1, len(last.rstrip()) + 1, False))
            value: str | None = body
            if quote == '"' and interpolate_value:
                value = _interpolate(body, known, origin)
        else:
            value = _strip_comment(value_text)
            end_line, end_col = line_no, start_col + len(value)
            cut = value_text.find(" #")
            if cut >= 0 and comments is not None:
                comments.append(Comment(line_no, pos + cut + 2, len(raw.rstrip()) + 1, False))
            if interpolate_value:
                value = _interpolate(value, known, origin)
        if value is None:
            known.pop(name, None)
        else:
            known[name] = value
        out.append(
            DotenvVar(name, value, line_no, col + 1, col + 1 + len(name), start_line, start_col, end_line, end_col)
        )
    return out


def values(variables: list[DotenvVar]) -> dict[str, str]:
    """Name -> value, the last definition winning; unset names (``NAME`` alone) dropped."""
    out: dict[str, str] = {}
    for v in variables:
        if v.value is None:
            out.pop(v.name, None)
        else:
            out[v.name] = v.value
    return out


def _interpolate(value: str, known: Mapping[str, str], origin: str | None) -> str | None:
    """The value interpolated; as written when it is not a valid template; None (unknown)
    past the expansion limits."""
    try:
        return compose(value, known, origin=origin)
    except InvalidTemplate:
        return value


def _strip_comment(text: str) -> str:
    """An unquoted value without its inline comment (from the first ``" #"``, as compose-go
    cuts it) and trailing blanks."""
    cut = text.find(" #")
    return (text if cut < 0 else text[:cut]).rstrip()


def _quoted(
    text: str, quote: str, lines: list[str], next_index: int, line_no: int, pos: int
) -> tuple[str, int, int, int]:
    """The body of a quoted value starting at ``text[0]`` (the quote) on line ``line_no``,
    0-based column ``pos``. Returns the body, the 1-based end line and end column of the
    value (after the closing quote), and how many more lines it consumed."""
    body: list[str] = []
    consumed = 0
    current = text
    j = 1
    col0 = pos
    while True:
        while j < len(current):
            c = current[j]
            if c == "\\" and j + 1 < len(current):
                nxt = current[j + 1]
                if quote == '"' and nxt in _ESCAPES:
                    body.append(_ESCAPES[nxt] if nxt != "$" else "$$")
                    j += 2
                    continue
                if quote == "'" and nxt == "'":
                    body.append("'")
                    j += 2
                    continue
            if c == quote:
                return "".join(body), line_no + consumed, col0 + j + 2, consumed
            body.append(c)
            j += 1
        if next_index + consumed >= len(lines):  # never closed: the rest of the file
            return "".join(body), line_no + consumed, col0 + len(current) + 1, consumed
        body.append("\n")
        current = lines[next_index + consumed]
        consumed += 1
        j = 0
        col0 = 0
