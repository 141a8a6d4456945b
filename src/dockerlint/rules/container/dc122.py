"""DC122 container-root-by-image-default: the service runs an image built here whose user is root.

A Compose service with ``build:`` runs the image of a Dockerfile in the same scan: the
stage ``target`` names, else the final stage. When no stage of that chain sets a ``USER``
(``FROM <stage>`` inheritance included), or the last one is root, and the service sets no
``user:``, the container runs as root. DF101 judges the image (final stage only, at the
Dockerfile); this rule judges the container, at the service's ``build`` key, and also
covers a ``target`` stage DF101 never looks at.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dockerlint.api import Hit, RuleContext, Severity, options_of, quote, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.builds import (
    NONROOT_BASE_IMAGES,
    WINDOWS_ADMIN_BASES,
    base_user,
    build_of,
    built_from,
    image_for_tag,
    is_root_user,
    matches_image,
    no_user_severity,
    user_text,
)
from dockerlint.rules.common.containers import subject
from dockerlint.rules.container._text import fit

if TYPE_CHECKING:
    from dockerlint.models.image import ImageBuild


@dataclass(slots=True, kw_only=True)
class Options:
    """Options of DC122 (``[rules.DC122]`` in the configuration; validated there, not here).
    Read-only by convention: ``frozen=True`` would double the cost of defining the class."""

    # Globs (fnmatch, case-insensitive) over the base image reference, digest removed: base
    # images known to run as a non-root user, so a stage without USER on them is fine.
    nonroot_base_images: list[str] = field(default_factory=lambda: list(NONROOT_BASE_IMAGES))


def _options(ctx: RuleContext) -> Options:
    return options_of(ctx, Options)


# The fix in a few words, when it fits (the rule page, "Use instead", says each in full).
_FIX_CLI = "; use --user or a non-root USER"
_FIX_DEVCONTAINER = "; set containerUser or a non-root USER"
_FIX = "; set user: or a non-root USER"


def _built(image: ImageBuild, limit: int) -> str:
    """The Dockerfile a message names: its path through quote (elided past ``limit``), or the
    dockerfile_inline of a Compose file (``built_from``)."""
    shown = built_from(image)
    return shown if not shown.startswith("'") else quote(image.path, limit)


def _say(head: str, image: ImageBuild, rest: str, *tails: str) -> str:
    """``<subject> sets no <user key>; <Dockerfile>: <rest>``, the Dockerfile's path elided
    more when the message is long, then each of ``tails`` that fits (:func:`fit`)."""
    for limit in (48, 24):
        message = f"{head}; {_built(image, limit)}: {rest}"
        if len(message) <= 140:
            return fit(message, *tails)
    return fit(f"{head}; its {rest}", *tails)  # the finding is at the build: the Dockerfile is known


@rule(
    id="DC122",
    name="container-root-by-image-default",
    reads=Container,
    severity=Severity.MEDIUM,
    summary="Container runs as root because the image it builds sets no non-root USER",
    cwe=(250,),
    cis=("4.1",),
    precision="high",
    tags=("security",),
    options=Options,
)
def container_root_by_image_default(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    if c.user is not None or (c.build is None and c.source == "compose"):
        return
    if c.build is not None:
        link = build_of(c, ctx)
        if link is None:
            return
        image, stage = link
        span = c.build.key_span or c.build.span
        targeted = c.build.target is not None
    else:
        # A command line (docker run, a CI service) running an image that a Compose service
        # or a docker build -t line of the same scan builds under that name.
        if c.image is None:
            return
        link = image_for_tag(c.image.text, ctx)
        if link is None:
            return
        image, stage = link
        span = c.image.span
        final = image.final_stage
        targeted = final is not None and stage.index != final.index  # built with --target
    unset = c.user_key
    fix = {"compose": _FIX, "devcontainer": _FIX_DEVCONTAINER}.get(c.source, _FIX_CLI)
    if targeted and stage.name is not None:
        which = f"target stage {quote(stage.name.value, 24)}"
    else:
        which = "final stage"
    head = f"{subject(c)} sets no {unset}"
    user, owner = image.effective_user(stage.index)
    if user is None:
        inherited = base_user(image, owner, ctx)
        if inherited.user is not None and inherited.owner is not None and inherited.build is not None:
            written, meant = user_text(inherited.owner, inherited.user)
            if not is_root_user(meant):
                return  # a base image built in this scan ends with a non-root USER
            ref = inherited.via[-1][0]
            at = f"{inherited.user.span.path}:{inherited.user.span.line}"
            yield Hit(
                span,
                _say(head, image, f"{which} inherits USER {quote(written, 24)} from {quote(ref, 40)} ({at})", fix),
                context=f"{c.name.value}:build-user",
            )
            return
        else:
            base = inherited.external
            if matches_image(base, _options(ctx).nonroot_base_images):
                return
            if matches_image(base, WINDOWS_ADMIN_BASES):
                runs = f", runs as ContainerAdministrator of {quote(base, 40)}"
            elif base.strip().lower() == "scratch":
                runs = ", runs as root (scratch)"
            else:
                runs = f", runs as the user of {quote(base, 40)}"
            lowered = no_user_severity(image, stage, high=Severity.MEDIUM)
            severity, why = lowered.severity, lowered.reason
            if severity is Severity.MEDIUM:
                message = _say(head, image, f"{which} sets no USER", runs, why, fix)
            else:  # the reason the severity is lower stays, before what else fits
                message = _say(head, image, f"{which} sets no USER{why}", fix)
            yield Hit(span, message, severity=severity, context=f"{c.name.value}:build-user")
            return
    written, meant = user_text(owner, user)
    if not is_root_user(meant):
        return
    via = f" (= {quote(meant, 24)})" if meant != written else ""
    yield Hit(
        span,
        _say(head, image, f"{which} ends with USER {quote(written, 24)}{via} ({user.span.path}:{user.span.line})", fix),
        context=f"{c.name.value}:build-user",
    )
