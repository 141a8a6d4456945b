"""DF208 apk-cache-kept: ``apk add`` without ``--no-cache`` keeps the package index in the image.

``apk add`` (and ``apk update``) store the repository indexes in ``/var/cache/apk``, where
they stay in the layer. ``apk add --no-cache`` fetches the index, installs and keeps
nothing.

Fires on ``apk add``, ``apk update`` and ``apk upgrade`` without ``--no-cache`` in a ``RUN``
of a shipped stage (the final stage, a stage nothing refers to, or one they are built
``FROM``; a build stage that only serves ``COPY --from`` ships no layer). Not when the
``RUN`` removes ``/var/cache/apk`` afterwards (``rm -rf /var/cache/apk/*``), when
``/var/cache/apk`` (or ``/etc/apk/cache``) is a ``--mount=type=cache``, and not for
``apk add --no-network`` (installs from what is already there, downloads nothing).

Where it points: at the ``apk`` command word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.image._hygiene import (
    APK,
    cache_mounts,
    image_stages,
    package_call,
    pieces,
    stage_runs,
    under_mount,
)
from dockerlint.rules.image._shell import removed_later

_ACTIONS = frozenset({"add", "update", "upgrade"})


# Each test a linear search: "\bapk\b.*\b(?:add|…)\b" and "\brm\b[^;&|\n]*/var/cache/apk…"
# searched tried every "apk" / "rm" again up to the end (4 s on 100 KB).
_APK_WORD = re.compile(r"\bapk\b")
_ACTION_WORD = re.compile(r"\b(?:add|update|upgrade)\b")
_SAID = re.compile(r"--no-cache|--no-network|--simulate|(?<![\w-])-[a-zA-Z]*s[a-zA-Z]*\b")
_CACHE = re.compile(r"/var/cache/apk[\"']?/?[\"']?\*?(?=[\s\"';&|)]|$)")
_RM_WORD = re.compile(r"\brm\b")
_PIECE_END = re.compile(r"[;&|\n]")


def _cleaned(text: str) -> int:
    """Where the last ``rm … /var/cache/apk`` (in one piece) starts at the latest; -1 if none.
    (At most the start of its piece's first ``rm``: the prefilter may let more through.)
    One pass: separators, ``rm`` words and cache paths are each read once."""
    found, start, scanned = -1, 0, 0
    rm_piece, rm_at, rm_to = -1, -1, 0
    for cache in _CACHE.finditer(text):
        for sep in _PIECE_END.finditer(text, scanned, cache.start()):
            start = sep.end()  # the piece that holds this cache path starts here
        scanned = cache.start()
        if rm_piece != start:
            rm_piece, rm_at, rm_to = start, -1, start
        if rm_at < 0:
            rm = _RM_WORD.search(text, rm_to, cache.start())
            rm_to = cache.start()
            rm_at = rm.start() if rm is not None else -1
        if rm_at >= 0:
            found = rm_at
    return found


def _mentions(text: str) -> bool:
    """Prefilter: an ``apk add``/``update`` piece without ``--no-cache`` and no removal of
    ``/var/cache/apk`` after it."""
    if "apk" not in text:
        return False
    cleaned = _cleaned(text)  # pieces that end before this position are cleaned after
    return any(
        p.end() > cleaned and _action_piece(p.group()) and not _SAID.search(p.group()) for p in pieces(text, APK)
    )


def _action_piece(piece: str) -> bool:
    apk = _APK_WORD.search(piece)
    return apk is not None and _ACTION_WORD.search(piece, apk.end()) is not None


@rule(
    id="DF208",
    name="apk-cache-kept",
    reads=ImageBuild,
    severity=Severity.INFO,
    summary="apk add without --no-cache keeps the package index in the image",
    enabled_by_default=False,
    peers={"hadolint": "DL3019", "trivy": "DS-0025", "kics": "apk_add_using_local_cache_path"},
    precision="very-high",
    tags=("hygiene", "image-size"),
)
def apk_cache_kept(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    shipped = image_stages(build, ctx)
    for _, ins, script in stage_runs(build, ctx, _mentions, words=("apk",), only=shipped):
        mounts = cache_mounts(ins)
        if under_mount("/var/cache/apk/x", mounts) or under_mount("/etc/apk/cache/x", mounts):
            continue
        for k, step in enumerate(script.walk()):
            cmd = step.command
            if cmd.name != "apk":
                continue
            call = package_call(cmd)
            if (
                call is None
                or call.action not in _ACTIONS
                or call.has("--no-cache", "--no-network", "-s", "--simulate")
            ):
                continue
            if removed_later(script, k, "/var/cache/apk/x"):
                continue
            word = cmd.command_word
            assert word is not None
            yield Hit(
                word.span,
                f"apk {call.action} without --no-cache keeps the package index in /var/cache/apk; "
                "use apk add --no-cache (no apk update needed)",
                context=f"apk-cache:{call.action}",
            )
