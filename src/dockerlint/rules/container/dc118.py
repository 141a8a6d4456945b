"""DC118 unpinned-image: the image is pulled by ``:latest`` or without a tag."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.container import Container
from dockerlint.rules.common.builds import built_here, pulls_despite_build
from dockerlint.rules.common.containers import subject
from dockerlint.rules.container._text import fit


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


# The fix in a few words (the rule page says why a tag alone is not enough).
_FIX = "; pin a version tag or digest"


@rule(
    id="DC118",
    name="unpinned-image",
    reads=Container,
    severity=Severity.MEDIUM,
    summary="Image pulled by ':latest' or without a tag",
    cwe=(829,),
    peers={"compose-lint": "CL-0004"},
    precision="very-high",
    tags=("security", "reproducibility"),
)
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
    note = f" (from {quote(img.value, 40)})" if img.expanded is not None else ""
    how = "tag ':latest'" if tag == "latest" else "no tag: ':latest'"
    policy = quote(c.pull_policy.text.strip(), 24) if c.pull_policy is not None else ""
    if c.build is not None:
        why = f"; it has build:, but pull_policy {policy} pulls it"
    elif producer is not None and pulls:
        flag = f"pull_policy {policy}" if c.source == "compose" else f"--pull {policy}"
        why = f"; {producer.where} builds it, but {flag} pulls it"
    elif producer is not None:
        why = f"; {producer.where} builds it, but pull_policy {quote(producer.pulls or '', 24)} pulls it"
    else:
        why = ""
    yield Hit(
        img.span, fit(f"{subject(c)} uses image {quote(ref)}{note} ({how}){why}", _FIX), context=f"{c.name.value}:image"
    )
