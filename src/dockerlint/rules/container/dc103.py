"""DC103 host-root-mount: the host's whole filesystem is mounted into a container."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.builds import NONROOT_BASE_IMAGES, is_root_user, matches_image
from dockerlint.rules.common.containers import subject
from dockerlint.rules.container._mounts import bind_source, default_note, is_windows_drive_root
from dockerlint.rules.container._rootless import scoped

_UNKNOWN = ("$", "`")  # a user from a variable or a command: not known to be non-root


def _non_root_user(c: Container) -> str | None:
    """Who the container runs as when that is known not to be root: its ``user:`` /
    ``--user``, else the user of a well-known non-root image it pulls (the table DF101 and
    DC122 use, with the source of each fact); None when it is root or unknown."""
    if c.user is not None:
        user = c.user.text.strip()
        if not user or any(u in user for u in _UNKNOWN) or is_root_user(user):
            return None
        key = c.user_key.strip("'")
        return f"as user {quote(user, 32)} (its {key})"
    if c.build is not None or c.image is None or any(u in c.image.text.split(":", 1)[0] for u in _UNKNOWN):
        return None
    if matches_image(c.image.text, NONROOT_BASE_IMAGES):
        return f"as the non-root user of {quote(c.image.text, 40)}"
    return None


@rule(
    id="DC103",
    name="host-root-mount",
    reads=Container,
    severity=Severity.CRITICAL,
    summary="The host's root filesystem is mounted into a container",
    cwe=(250, 668),
    cis=("5.5",),
    peers={"compose-lint": "CL-0025", "kics": "volume_has_sensitive_host_directory"},
    precision="very-high",
    tags=("security",),
)
def host_root_mount(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    return scoped(c, _host_root_mount(c, ctx), Severity.CRITICAL)


def _host_root_mount(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    for m in c.volumes:
        src = bind_source(m)
        if src is None or not (src == "/" or is_windows_drive_root(src)):
            continue
        target = f" at {quote(m.target.text, 40)}" if m.target is not None else ""
        what = "root filesystem" if src == "/" else "system drive"
        runs_as = _non_root_user(c) if m.read_only and (c.privileged is None or not c.privileged.value) else None
        if runs_as is not None:
            yield Hit(
                m.span,
                f"{subject(c)} mounts the host's {what} {quote(src)}{default_note(m)}{target} read-only, {runs_as}",
                severity=Severity.HIGH,
                context=f"{c.name.value}:{src}",
            )
            continue
        how = "read-only" if m.read_only else "writable"
        yield Hit(
            m.span,
            f"{subject(c)} mounts the host's {what} {quote(src)}{default_note(m)}{target} {how}",
            context=f"{c.name.value}:{src}",
        )
