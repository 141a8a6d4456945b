"""DF203 apt-lists-not-removed: ``apt-get update`` leaves its package lists in the image.

Fires on ``apt-get update`` (``apt update``) in a ``RUN`` that does not remove
``/var/lib/apt/lists`` afterwards (``rm -rf /var/lib/apt/lists/*``, ``apt-get dist-clean``),
when that ``RUN`` builds a shipped image (see below).
Removing them in a later ``RUN`` does not help: the lists stay in the earlier layer.

Not reported: a ``RUN`` whose ``/var/lib/apt/lists`` (or ``/var/lib/apt``) is a
``--mount=type=cache`` or ``tmpfs`` mount, and build stages that only serve ``COPY --from``
or ``RUN --mount=from=`` (their layers are not shipped). Shipped are the final stage, any
stage nothing refers to (a ``--target`` of its own) and the stages those are built ``FROM``.

Where it points: at the ``apt-get`` word of the ``update``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild
from dockerlint.models.shell import Step
from dockerlint.rules.image._hygiene import (
    APT,
    cache_mounts,
    image_stages,
    package_call,
    pieces,
    stage_runs,
    steps_of,
    under_mount,
)
from dockerlint.rules.image._shell import removed_later
from dockerlint.util.textsearch import in_order

_LISTS = "/var/lib/apt/lists"


# "apt" or "apt-get", then "update" later on the line (textsearch.in_order: linear).
_APT_WORD = re.compile(r"\bapt\b")
_UPDATE_WORD = re.compile(r"\bupdate\b")
_CLEAN = re.compile(r"\brm\b[^;&|\n]*/var/lib/apt(?:/lists)?[\"']?/?[\"']?\*?(?=[\s\"';&|)]|$)|\bdist-?clean\b")


def _mentions(text: str) -> bool:
    """Prefilter: an ``apt-get update`` piece not followed by a removal of the lists."""
    if "apt" not in text or "update" not in text:
        return False
    last = None
    for piece in pieces(text, APT):
        if in_order(piece.group(), _APT_WORD, _UPDATE_WORD):
            last = piece
    return last is not None and _CLEAN.search(text, last.end()) is None


def _cleaned_later(steps: list[Step], k: int) -> bool:
    for step in steps[k + 1 :]:
        cmd = step.command
        if cmd.name in ("apt-get", "apt"):
            call = package_call(cmd)
            if call is not None and call.action in ("dist-clean", "distclean"):
                return True
    return False


@rule(
    id="DF203",
    name="apt-lists-not-removed",
    reads=ImageBuild,
    severity=Severity.INFO,
    summary="apt-get update leaves the package lists in the image",
    enabled_by_default=False,
    peers={"hadolint": "DL3009", "kics": "apt_get_install_lists_were_not_deleted"},
    precision="very-high",
    tags=("hygiene", "image-size"),
)
def apt_lists_not_removed(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    shipped = image_stages(build, ctx)
    for _, ins, script in stage_runs(build, ctx, _mentions, words=("apt",), only=shipped):
        if under_mount(_LISTS + "/x", cache_mounts(ins)):
            continue
        steps = steps_of(script)
        for k, step in enumerate(steps):
            cmd = step.command
            if cmd.name not in ("apt-get", "apt"):
                continue
            call = package_call(cmd)
            if call is None or call.action != "update":
                continue
            if removed_later(script, k, _LISTS + "/x") or _cleaned_later(steps, k):
                break
            word = cmd.command_word
            assert word is not None
            yield Hit(
                word.span,
                f"{call.tool} update leaves the package lists in {_LISTS}: this RUN does not "
                "remove them; end it with rm -rf /var/lib/apt/lists/*",
                context="apt-lists",
            )
            break
