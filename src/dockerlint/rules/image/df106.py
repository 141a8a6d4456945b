"""DF106 unpinned-base-image: ``FROM`` an image with no tag or with ``:latest``.

The reference is judged after global ``ARG`` defaults are substituted (the parser
gives ``Stage.resolved_image``), so ``ARG BASE=debian:12`` + ``FROM ${BASE}`` is fine
and ``ARG BASE=debian`` + ``FROM $BASE`` fires. A reference that still holds a
variable (an ``ARG`` without a default, set only by ``--build-arg``) cannot be judged
and does not fire. ``scratch``, earlier stages (``FROM build``) and digests
(``@sha256:…``) are pinned or not images at all, and neither is an image another build of
the scan produces (a Compose service's ``build:`` with ``image:``, a ``docker build -t``
line): the builder uses the local image, it does not pull it. Every stage is judged: a
build stage on ``:latest`` makes the build just as unreproducible as the final one.

Where it points: at the image word of the ``FROM``.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.common.builds import built_here
from dockerlint.rules.common.image import unresolved


def split_reference(ref: str) -> tuple[str, str | None, str | None]:
    """``name[:tag][@digest]`` as (name, tag, digest); a registry port is not a tag."""
    name, _, digest = ref.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        return name[:colon], name[colon + 1 :], digest or None
    return name, None, digest or None


@rule(
    id="DF106",
    name="unpinned-base-image",
    reads=ImageBuild,
    severity=Severity.MEDIUM,
    summary="A stage is built FROM an image without a tag or with :latest",
    cwe=(1357,),
    peers={
        "hadolint": "DL3006, DL3007",
        "checkov": "CKV_DOCKER_7",
        "trivy": "DS-0001",
        "kics": "f45ea400 (image_version_not_explicit), 9efb0b2d (image_version_using_latest)",
    },
    precision="very-high",
    tags=("security", "supply-chain", "reproducibility"),
)
def unpinned_base_image(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for stage in build.stages:
        if stage.parent is not None:
            continue  # FROM <earlier stage>
        ref = stage.resolved_image.strip()
        if not ref or unresolved(ref) or ref.lower() == "scratch":
            continue
        _, tag, digest = split_reference(ref)
        if digest is not None or (tag is not None and tag != "latest"):
            continue
        producer = built_here(ref, ctx, besides=build.path)
        if producer is not None and producer.pulls is None:
            continue  # built by another build of this scan, not pulled
        via = f" (= {quote(ref)})" if stage.image.value != ref else ""
        what = "has no tag, so it pulls :latest" if tag is None else "pulls :latest"
        yield Hit(
            stage.image.span,
            f"base image {quote(stage.image.value)}{via} {what}, which moves; pin a version tag or digest",
            context=f"from:{ref}",
        )
