"""Variable expansion, bounded: the one place that decides how far a value may grow.

A few hundred bytes of variables can describe gigabytes: ``A1=${A0}${A0}``, ``A2=${A1}${A1}``
… doubles at every line (a Dockerfile's global ``ARG``, a ``.env``), and
``${A:-${A:-…}}`` nests as deep as the file is long. Every expander of dockerlint counts
with a :class:`Budget`:

- one value may grow by at most :data:`MAX_VALUE` characters through variables (the
  values substituted into it; its own written text, defaults included, is not counted), so
  an expanded value is at most its written text plus 64 KiB;
- references may nest at most :data:`MAX_NESTING` levels deep (``${A:-${B:-…}}``);
- the values of one file (one scope) may take at most :data:`MAX_TOTAL` characters from
  variables altogether (ten thousand ``LABEL x=$BIG`` lines stay cheap).

Past a bound the value is *unknown*, exactly as a value that uses an unset variable: the
caller keeps it as written (Compose, ``docker run``), or as no value at all (a Dockerfile
``ARG``, a ``.env`` variable, which later references then see as unset). It is not an
error: no finding; the run says once per file, on stderr, that a limit was reached
(:func:`scope` collects that; the engine turns it into a notice).

The dialects:

- Compose interpolation (:func:`compose`, :func:`interpolate`): ``${VAR}``, ``$VAR``,
  ``${VAR:-d}``, ``${VAR-d}``, ``${VAR:?e}``, ``${VAR?e}``, ``${VAR:+a}``, ``${VAR+a}``, ``$$``,
  with the project's ``.env`` (also what ``.env`` files use among their own lines);
- shell defaults of ``docker run`` lines (:func:`shell_defaults`): ``${VAR:-d}``,
  ``${VAR-d}``, ``${VAR:=d}``, ``${VAR=d}`` become ``d``; the rest stays as written;
- BuildKit's word expansion (``ARG``/``ENV``, in :mod:`dockerlint.parsers.dockerfile`)
  and systemd's ``$VAR`` words (:mod:`dockerlint.parsers.systemd`) keep their own lexers,
  which follow their programs' grammar, and count with :class:`Budget` here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# The budgets live in a leaf module (rules use them too); re-exported for the readers' and tests' sake.
from dockerlint.util.budget import (
    _NESTING as _NESTING,
)
from dockerlint.util.budget import (
    _SIZE as _SIZE,
)
from dockerlint.util.budget import (
    _TOTAL as _TOTAL,
)
from dockerlint.util.budget import (
    MAX_NESTING as MAX_NESTING,
)
from dockerlint.util.budget import (
    MAX_TOTAL as MAX_TOTAL,
)
from dockerlint.util.budget import (
    MAX_VALUE as MAX_VALUE,
)
from dockerlint.util.budget import (
    Budget as Budget,
)
from dockerlint.util.budget import (
    LimitExceeded as LimitExceeded,
)
from dockerlint.util.budget import (
    Scope as Scope,
)
from dockerlint.util.budget import (
    record as record,
)
from dockerlint.util.budget import (
    scope as scope,
)

# -- Compose interpolation ---------------------------------------------------------------------

_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DEFAULT_OPS = (":-", "-")
_OPS = (":-", "-", ":?", "?", ":+", "+")


class InvalidTemplate(ValueError):
    """What Compose calls an invalid template: ``${}``, ``${1X}``, an unclosed ``${``."""


@dataclass(frozen=True)
class Missing:
    """A variable interpolation could not resolve: ``${NAME}``/``$NAME`` without a default
    (``required`` None), or ``${NAME:?err}``/``${NAME?err}`` (``required`` the error text)."""

    name: str
    required: str | None = None


_NO_ENV: Mapping[str, str] = {}


def compose(
    text: str, env: Mapping[str, str] | None = None, missing: list[Missing] | None = None, origin: str | None = None
) -> str | None:
    """``text`` interpolated the way Compose does, with the variables of ``env`` (a project's
    ``.env``; the shell environment is never read, so a lint is the same on every machine).

    ``${VAR}``/``$VAR`` become the value of ``VAR`` in ``env``; ``${VAR:-d}``/``${VAR-d}`` the
    value or the default; ``${VAR:?e}``/``${VAR?e}`` the value; ``${VAR:+a}``/``${VAR+a}`` the
    alternative or the empty string; ``$$`` a ``$``. What ``env`` cannot decide (a variable it
    does not set, without a default) is kept as written, and its variable is appended to
    ``missing``. None when the expansion goes past a limit (recorded for ``origin``). Raises
    :class:`InvalidTemplate` for an invalid template.
    """
    if "$" not in text:
        return text
    found: list[Missing] = []
    try:
        out, _ = _compose(text, 0, False, _NO_ENV if env is None else env, found, Budget())
    except LimitExceeded as exc:
        record(exc, origin)
        return None
    if missing is not None:
        missing.extend(found)
    return out


def interpolate(
    text: str, env: Mapping[str, str] | None = None, missing: list[Missing] | None = None, origin: str | None = None
) -> str:
    """:func:`compose`, with a value past the limits kept as written (unknown)."""
    got = compose(text, env, missing, origin)
    return text if got is None else got


def _compose(
    s: str, i: int, nested: bool, env: Mapping[str, str], missing: list[Missing], budget: Budget
) -> tuple[str, int]:
    parts: list[str] = []
    n = len(s)
    while i < n:
        c = s[i]
        if nested and c == "}":
            return "".join(parts), i
        if c != "$":
            j = s.find("$", i)
            if nested:
                b = s.find("}", i)
                if b != -1 and (j == -1 or b < j):
                    j = b
            j = n if j == -1 else j
            parts.append(s[i:j])
            i = j
            continue
        nxt = s[i + 1] if i + 1 < n else ""
        if nxt == "$":
            parts.append("$")
            i += 2
        elif nxt == "{":
            m = _VAR_NAME.match(s, i + 2)
            if m is None:
                raise InvalidTemplate(f"invalid interpolation {s[i : i + 12]!r}: expected a variable name after '${{'")
            name = m.group()
            j = m.end()
            if j < n and s[j] == "}":
                parts.append(_variable(name, s[i : j + 1], env, budget, missing))
                i = j + 1
                continue
            op = next((o for o in _OPS if s.startswith(o, j)), None)
            if op is None:
                raise InvalidTemplate(
                    f"invalid interpolation {s[i : j + 1]!r}: expected '}}', ':-', '-', "
                    "':?', '?', ':+' or '+' after the variable name"
                )
            sub: list[Missing] = []
            budget.enter()
            inner, k = _compose(s, j + len(op), True, env, sub, budget)
            budget.leave()
            if k >= n or s[k] != "}":
                raise InvalidTemplate(f"invalid interpolation {s[i:]!r}: '${{' is never closed")
            parts.append(_with_operator(op, env.get(name), (name, inner, s[i : k + 1]), sub, budget, missing))
            i = k + 1
        else:
            m = _VAR_NAME.match(s, i + 1)
            if m is not None:
                parts.append(_variable(m.group(), s[i : m.end()], env, budget, missing))
                i = m.end()
            else:
                parts.append("$")
                i += 1
    return "".join(parts), i


def _variable(name: str, written: str, env: Mapping[str, str], budget: Budget, missing: list[Missing]) -> str:
    """What ``$name`` / ``${name}`` (written ``written``) becomes: its value, or as written."""
    if name in env:
        budget.add(len(env[name]))
        return env[name]
    missing.append(Missing(name))
    return written


def _with_operator(
    op: str, value: str | None, ref: tuple[str, str, str], sub: list[Missing], budget: Budget, missing: list[Missing]
) -> str:
    """What ``${name<op>inner}`` becomes, ``ref`` being (name, inner expanded, the whole as
    written) and ``sub`` the variables ``inner`` misses."""
    name, inner, written = ref
    usable = value if op[0] != ":" or value else None  # ":" ops treat empty as unset
    if usable is not None and op not in (":+", "+"):
        budget.add(len(usable))
        return usable
    if op in _DEFAULT_OPS:
        missing.extend(sub)
        return inner
    if op in (":?", "?"):
        missing.append(Missing(name, inner))
        return written
    if usable is not None:  # ":+" / "+": the alternative when set
        missing.extend(sub)
        return inner
    if value is not None:  # set but empty, ":+": the empty string
        return ""
    return written  # unknown until run time, and Compose does not warn


# -- shell defaults (docker run lines) --------------------------------------------------------

_SHELL_DEFAULT_OPS = (":-", ":=", "-", "=")


def shell_defaults(text: str, origin: str | None = None) -> str:
    """``text`` with shell defaults applied: ``${VAR:-d}``, ``${VAR-d}``, ``${VAR:=d}``,
    ``${VAR=d}`` become ``d``; other expansions stay as written. Never raises; past the
    nesting limit the text is kept as written (unknown)."""
    if "${" not in text:
        return text
    try:
        out, _ = _shell(text, 0, False, Budget())
    except LimitExceeded as exc:
        record(exc, origin)
        return text
    return out


def _shell(s: str, i: int, nested: bool, budget: Budget) -> tuple[str, int]:
    parts: list[str] = []
    n = len(s)
    while i < n:
        c = s[i]
        if nested and c == "}":
            return "".join(parts), i
        if c == "$" and i + 1 < n and s[i + 1] == "{":
            m = _VAR_NAME.match(s, i + 2)
            if m is not None:
                j = m.end()
                op = next((o for o in _SHELL_DEFAULT_OPS if s.startswith(o, j)), None)
                if op is not None:
                    budget.enter()
                    inner, k = _shell(s, j + len(op), True, budget)
                    budget.leave()
                    if k < n and s[k] == "}":
                        parts.append(inner)
                        i = k + 1
                        continue
            k = _brace_end(s, i + 2)
            parts.append(s[i:k])
            i = k
            continue
        j = i + 1
        while j < n and s[j] != "$" and not (nested and s[j] == "}"):
            j += 1
        parts.append(s[i:j])
        i = j
    return "".join(parts), i


def _brace_end(s: str, i: int) -> int:
    depth = 1
    while i < len(s):
        if s[i] == "{":
            depth += 1
        elif s[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(s)
