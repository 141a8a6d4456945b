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


def _caps(c: Container) -> set[str]:
    return {cap.text.strip().upper().removeprefix("CAP_") for cap in c.cap_add}


def privileged(c: Container) -> bool:
    return c.privileged is not None and bool(c.privileged.value)


def has_capability(c: Container, name: str) -> bool:
    """Whether ``c`` holds capability ``name`` beyond Docker's default set: added (or ``ALL``),
    or privileged."""
    caps = _caps(c)
    return privileged(c) or name in caps or "ALL" in caps


def apparmor_off(c: Container) -> str | None:
    """How ``c`` runs without the AppArmor profile (``docker-default`` lets a container signal
    and trace only processes under the same profile): ``"privileged"``, ``"'apparmor:unconfined'"``;
    None when the engine's default profile applies (on hosts that have AppArmor)."""
    if privileged(c):
        return "privileged"
    for opt, key, value in options(c):
        if key == "apparmor" and value is not None and value.lower() == "unconfined":
            return repr(opt.text.strip())
    return None
