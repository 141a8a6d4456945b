"""DC113 no-new-privileges-not-set: setuid binaries can still raise privileges in the container."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from dockerlint.api import Edit, Fix, Hit, RuleContext, Severity, quote, rule
from dockerlint.models.base import LStr, Span
from dockerlint.models.container import Container
from dockerlint.rules.common.containers import subject, written
from dockerlint.rules.common.daemons import daemons
from dockerlint.rules.container._secopt import GO_FALSE, GO_TRUE, options


def _daemons_default_on(ctx: RuleContext) -> bool:
    """True when the scan has daemon configs and every one of them sets ``no-new-privileges: true``.

    We cannot tell which daemon a Compose file is deployed to, so one daemon without the
    default is enough to keep the finding.
    """
    found = [d for d in daemons(ctx) if d.engine == "docker"]  # Podman's API service sets no defaults
    return bool(found) and all(d.value("no-new-privileges") is True for d in found)


_SET = "no-new-privileges:true"
# The fixes' descriptions, and (below) their texts by indentation: one string each, shared by
# every service the fix is for (thousands of findings in a large Compose scan).
_REPLACE = f"set '{_SET}'"
_ADD_ITEM = f"add '{_SET}' to security_opt"
_ADD_KEY = f"add security_opt '{_SET}'"


_SHARED_INDENT = 32  # deeper indentations are rare: their texts are not kept for the next fix


def _item_text(indent: int) -> str:
    return _shared_item_text(indent) if indent <= _SHARED_INDENT else " " * indent + f"- {_SET}\n"


def _key_text(indent: int) -> str:
    if indent <= _SHARED_INDENT:
        return _shared_key_text(indent)
    pad = " " * indent
    return f"{pad}security_opt:\n{pad}  - {_SET}\n"


@functools.cache
def _shared_item_text(indent: int) -> str:
    return " " * indent + f"- {_SET}\n"


@functools.cache
def _shared_key_text(indent: int) -> str:
    pad = " " * indent
    return f"{pad}security_opt:\n{pad}  - {_SET}\n"


def _replace_fix(opt: LStr) -> Fix:
    """Rewrite the item that turns the option off (quotes included in its span)."""
    return Fix(_REPLACE, (Edit(opt.span, _SET),))


def _add_fix(c: Container) -> Fix | None:
    """Add the option to a Compose service written as a block mapping.

    With a ``security_opt`` list already there, a new first item goes on the line of the
    current first item, at its indentation; otherwise a ``security_opt`` key goes first in
    the service. Flow-style mappings (``web: {image: x}``) get no fix. The fix machinery
    parses the result again and drops the fix if the file would no longer parse.
    """
    if c.source != "compose" or c.span.line <= c.name.span.line:
        return None
    if c.security_opt:
        first = c.security_opt[0].span
        if first.line <= c.span.line or first.col < 3:
            return None
        at = Span(first.path, first.line, 1, first.line, 1)
        return Fix(_ADD_ITEM, (Edit(at, _item_text(first.col - 3)),))
    at = Span(c.span.path, c.span.line, 1, c.span.line, 1)
    return Fix(_ADD_KEY, (Edit(at, _key_text(c.span.col - 1)),))


@rule(
    id="DC113",
    name="no-new-privileges-not-set",
    reads=Container,
    severity=Severity.LOW,
    summary="Container does not set no-new-privileges",
    cwe=(269,),
    cis=("5.25",),
    peers={
        "compose-lint": "CL-0003",
        "kics": "no_new_privileges_not_set",
        "semgrep": "docker-compose.security.no-new-privileges",
    },
    precision="very-high",
    tags=("security",),
    fixes="adds `security_opt: [no-new-privileges:true]` to a Compose service written as a block "
    "mapping, or that item to its `security_opt` list; rewrites an item that turns it off",
)
def no_new_privileges_not_set(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    if c.managed_by is not None:
        return  # created by a CI runner or defined by a Compose service: not settable here
    effective: LStr | None = None
    on = False
    invalid = False
    for opt, key, value in options(c):
        if key != "no-new-privileges":
            continue
        # dockerd: the bare word means true, otherwise strconv.ParseBool of the value; the
        # last occurrence wins.
        effective = opt
        v = None if value is None else value.lower()
        on = v is None or v in GO_TRUE
        invalid = v is not None and v not in GO_TRUE and v not in GO_FALSE
    if on or (c.source != "quadlet" and _daemons_default_on(ctx)):  # dockerd's default is not podman's
        return
    if c.source == "devcontainer" and not invalid:
        # A development container is the developer's workstation, whose user is meant to
        # become root: the dev container images and the common-utils Feature give the
        # non-root user passwordless sudo, Features and lifecycle commands use it, and
        # no-new-privileges makes sudo refuse to run. Only a value dockerd refuses is reported.
        return
    if effective is not None:
        if invalid:
            yield Hit(
                effective.span,
                f"{subject(c)} sets {quote(effective.text.strip(), 40)}: not a boolean, so dockerd refuses "
                "to create the container",
                context=f"{c.name.value}:no-new-privileges",
            )
        else:
            yield Hit(
                effective.span,
                f"{subject(c)} turns no-new-privileges off ({quote(effective.text.strip(), 40)})",
                context=f"{c.name.value}:no-new-privileges",
                fix=_replace_fix(effective) if c.source == "compose" else None,
            )
        return
    setting = {
        "compose": "security_opt 'no-new-privileges:true'",
        "devcontainer": "securityOpt 'no-new-privileges:true'",
        "quadlet": "NoNewPrivileges=true",
    }.get(c.source) or written(c, "security_opt", "no-new-privileges")
    yield Hit(
        c.name.span,
        f"{subject(c)} does not set {setting}",
        context=f"{c.name.value}:no-new-privileges",
        fix=_add_fix(c),
    )
