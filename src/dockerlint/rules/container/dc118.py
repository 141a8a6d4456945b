"""DC118 unpinned-image: the image is pulled by ``:latest`` or without a tag."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.builds import built_here, pulls_despite_build


def tag_of(ref: str) -> str | None:
    """The tag of an image reference, None without one; a digest counts as a pin (``"@"``).

    The tag is after the last ``:`` of the last path component, so a registry port
    (``localhost:5000/app``) is not a tag.
    """
    if "@" in ref:
        return "@"
    last = ref.rsplit("/", 1)[-1]
    if ":" not in last:
        return None
    return last.split(":", 1)[1]


@rule(id="DC118", name="unpinned-image", reads=Container, severity=Severity.MEDIUM,
      summary="Image pulled by ':latest' or without a tag",
      cwe=(829,),
      peers={"compose-lint": "CL-0004"},
      precision="very-high", tags=("security", "reproducibility"))
def unpinned_image(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    img = c.image
    if img is None:
        return
    pulls = pulls_despite_build(c.pull_policy)
    if c.build is not None and not pulls:
        return  # with build:, image: names the image Compose builds, not one it pulls
    ref = img.text.strip()
    if not ref or "$" in ref:
        return  # a variable without a default: chosen at deploy time
    tag = tag_of(ref)
    if tag is not None and tag != "latest":
        return
    producer = built_here(ref, ctx) if c.build is None else None
    if producer is not None and producer.pulls is None and not pulls:
        return  # another service or a docker build -t line of the scan builds it
    note = f" (interpolated from {img.value!r})" if img.expanded is not None else ""
    how = "the ':latest' tag" if tag == "latest" else "no tag, which means ':latest'"
    policy = c.pull_policy.text.strip() if c.pull_policy is not None else ""
    if c.build is not None:
        why = (f"; it also has build:, but pull_policy: {policy} makes Compose pull the registry's image "
               "instead of building it")
    elif producer is not None and pulls:
        flag = f"pull_policy: {policy}" if c.source == "compose" else f"--pull {policy}"
        why = f"; {producer.where} builds it, but {flag} pulls the registry's image instead"
    elif producer is not None:
        why = (f"; {producer.where} can build it, but its pull_policy: {producer.pulls} pulls the registry's "
               "image instead")
    else:
        why = ", and nothing in the scan builds it, so it is pulled"
    yield Hit(img.span,
              f"{c.label} uses image {ref!r}{note} with {how}{why}: every pull may bring a different image "
              "(new major versions, a compromised push), so deployments are neither reproducible nor "
              "reviewable; pin a version tag, ideally with its digest (name:1.27@sha256:...)",
              context=f"{c.name.value}:image")
