"""DF101 final-stage-root: the image's final stage runs as root.

Only the final stage matters: it is what runs. Build stages may use root freely
(hadolint's DL3002 fires on them too; that is noise). The user in force is the last
``USER`` of the final stage or of the stages it builds on (``FROM <stage>``). With
none, the base image decides:

- a base image the scan builds (a Compose service's ``build:`` with ``image:``, a
  ``docker build -t`` line) passes on the last ``USER`` of its Dockerfile (followed
  further when that sets none either);
- a base image known to default to a non-root user (option ``nonroot_base_images``, the
  table ``NONROOT_BASE_IMAGES`` with the source of each fact) does not fire;
- any other base image fires, and the message says that its default user applies, which
  is root unless that image sets one (``scratch`` has no user at all: uid 0).

Where it points: at the ``USER`` value that selects root, or, when no stage sets a
user, at the image reference of the final stage's ``FROM`` (the image that brings
the root default). The message names the Compose services of the scan that run the
image (``; used by service 'web' (compose.yaml)``); DC122 reports on those services.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from dockerlint.api import Hit, RuleContext, Severity, options_of, quote, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.common.builds import (
    NONROOT_BASE_IMAGES,
    WINDOWS_ADMIN,
    WINDOWS_ADMIN_BASES,
    base_user,
    is_root_user,
    matches_image,
    no_user_severity,
    services_using,
    user_text,
)

__all__ = ["Options", "final_stage_root", "is_root_user"]


@dataclass(slots=True, kw_only=True)
class Options:
    """Options of DF101 (``[rules.DF101]`` in the configuration; validated there, not here).
    Read-only by convention: ``frozen=True`` would double the cost of defining the class."""

    # Globs (fnmatch, case-insensitive) over the base image reference with its digest
    # removed. A final stage that sets no USER on such a base image does not fire.
    nonroot_base_images: list[str] = field(default_factory=lambda: list(NONROOT_BASE_IMAGES))


def _options(ctx: RuleContext) -> Options:
    return options_of(ctx, Options)


def _used_by(build: ImageBuild, ctx: RuleContext, message: str, fix: str) -> str:
    """``message`` with ``fix`` and ``; used by service 'web' (compose.yaml)``, the Compose services
    running this image, each when it fits in 140 characters; else their number (DC122 names each)."""
    services = services_using(build, ctx)
    if not services:
        return message + fix if len(message) + len(fix) <= _LIMIT else message
    compose = all(c.source == "compose" for c in services)
    by_file: dict[str, list[str]] = {}
    files_of: dict[str, list[str]] = {}  # each name, the files that have a container of that name
    for c in services:  # sorted by file, then name
        # A dev container (or another source) is named by its label: it is no service.
        name = quote(c.name.value) if c.source == "compose" and compose else c.label
        by_file.setdefault(c.path, []).append(name)
        if c.path not in files_of.setdefault(name, []):
            files_of[name].append(c.path)
    count = len(services)
    kind = f"service{'s' if count > 1 else ''} " if compose else ""
    names = ", ".join(f"{', '.join(names)} ({path})" for path, names in by_file.items())
    # Names once each: one that several files share says which files (or how many).
    with_files = ", ".join(n if len(f) == 1 else f"{n} ({', '.join(f)})" for n, f in files_of.items())
    with_count = ", ".join(n if len(f) == 1 else f"{n} ({len(f)} files)" for n, f in files_of.items())
    tails = [
        f"; used by {kind}{names}",
        f"; used by {kind}{with_files}",
        f"; used by {kind}{with_count}",
        f"; used by {count} {'services' if compose else 'containers'}"
        if count > 1
        else f"; used by a {'service' if compose else 'container'}",
    ]
    for tail in tails:
        for shown in (message + fix + tail, message + tail):
            if len(shown) <= _LIMIT:
                return shown
    return message


_LIMIT = 140


@rule(
    id="DF101",
    name="final-stage-root",
    reads=ImageBuild,
    severity=Severity.HIGH,
    summary="The final stage runs as root",
    cwe=(250,),
    cis=("4.1",),
    peers={
        "hadolint": "DL3002",
        "checkov": "CKV_DOCKER_3, CKV_DOCKER_8",
        "trivy": "DS-0002",
        "kics": "last_user_is_root, missing_user",
    },
    precision="high",
    tags=("security",),
    options=Options,
)
def final_stage_root(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    final = build.final_stage
    if final is None:
        return
    user, owner = build.effective_user(final.index)
    if user is None:
        scope = "final stage sets"
        if owner.index != final.index:
            scope = "final stage and its parents set"
        inherited = base_user(build, owner, ctx)
        via = "".join(f" {quote(ref)} ({image.path})," for ref, image in inherited.via)
        if inherited.user is not None and inherited.owner is not None:
            written, meant = user_text(inherited.owner, inherited.user)
            if not is_root_user(meant):
                return  # the base image built in this scan ends with a non-root USER
            severity = no_user_severity(build, final).severity
            span = inherited.user.span
            shown = f"{quote(written)} (= {quote(meant)})" if meant != written else quote(written)
            yield Hit(
                final.image.span,
                _used_by(
                    build,
                    ctx,
                    f"{scope} no USER; base image {quote(inherited.via[0][0])} passes "
                    f"on USER {shown} ({span.path}:{span.line}): root",
                    "; add a non-root USER",
                )
                if inherited.via
                else _used_by(
                    build,
                    ctx,
                    f"{scope} no USER; its base image's USER {shown} ({span.path}:{span.line}) applies: root",
                    "; add a non-root USER",
                ),
                severity=severity,
                context="final-stage:no-user",
            )
            return
        base = inherited.external
        if matches_image(base, _options(ctx).nonroot_base_images):
            return
        severity = no_user_severity(build, final).severity
        from_scan = f" (through{via.rstrip(',')})" if via else ""
        if matches_image(base, WINDOWS_ADMIN_BASES):
            runs = f"base image {quote(base)}{from_scan} decides: ContainerAdministrator"
        elif base.strip().lower() == "scratch":
            runs = f"the container runs as uid 0 (a scratch image{from_scan} has no user)"
        elif "$" in base:
            runs = f"base image {quote(base, 40)}{from_scan} (unset ARG) decides (root unless it sets one)"
        else:
            runs = f"base image {quote(base)}{from_scan} decides (root unless it sets one)"
        yield Hit(
            final.image.span,
            _used_by(build, ctx, f"{scope} no USER; {runs}", "; add a non-root USER"),
            severity=severity,
            context="final-stage:no-user",
        )
        return
    written, meant = user_text(owner, user)
    if not is_root_user(meant):
        return
    via = f" (= {quote(meant)})" if meant != written else ""
    where = ""
    if owner.index != final.index:
        stage = quote(owner.name.value) if owner.name is not None else str(owner.index)
        where = f", inherited from stage {stage}"
    admin = meant.split(":", 1)[0].strip().lower() == WINDOWS_ADMIN
    who = "ContainerAdministrator" if admin else "root"
    yield Hit(
        user.span,
        _used_by(
            build,
            ctx,
            f"final stage switches to USER {quote(written)}{via}{where}, so the container runs as {who}",
            "; end it with a non-root USER",
        ),
        context="final-stage:user",
    )
