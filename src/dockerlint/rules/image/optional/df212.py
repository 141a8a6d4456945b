"""DF212 pip-cache-kept: ``pip install`` without ``--no-cache-dir`` keeps its cache in the image.

pip caches the wheels it downloads and builds in ``~/.cache/pip`` (``/root/.cache/pip`` for
root); in a build that cache is never used again but stays in the layer, often as large as
what was installed.

Fires on ``pip install`` (``pip3``, ``python -m pip``) without ``--no-cache-dir`` in a
``RUN`` of a shipped stage (the final stage, a stage nothing refers to, or one they are built
``FROM``; a build stage that only serves ``COPY --from`` ships no layer). Not when the cache
is off (``PIP_NO_CACHE_DIR`` set by ``ENV``/``ARG`` or on the command line), when the
``RUN`` removes the cache afterwards (``rm -rf /root/.cache``, ``pip cache purge``), nor
when ``/root/.cache/pip`` (or ``/root/.cache``) is a ``--mount=type=cache``.

Where it points: at the ``pip`` command word (``python`` for ``python -m pip``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild
from dockerlint.models.shell import Command, Step
from dockerlint.rules.image._hygiene import (
    PIP,
    cache_mounts,
    image_stages,
    package_call,
    pieces,
    stage_env,
    stage_runs,
    steps_of,
    under_mount,
)
from dockerlint.rules.image._shell import removed_later
from dockerlint.util.textsearch import in_order

_CACHES = ("/root/.cache/pip/x", "~/.cache/pip/x", "$HOME/.cache/pip/x", "${HOME}/.cache/pip/x")


# pip, then "install" later on the line (textsearch.in_order: linear).
_PIP_WORD = re.compile(r"\bpip[0-9.]*\b")
_INSTALL_WORD = re.compile(r"\binstall\b")


def _mentions(text: str) -> bool:
    """Prefilter: a ``pip … install`` piece without ``--no-cache-dir``."""
    return (
        "pip" in text
        and "install" in text
        and any(
            in_order(p.group(), _PIP_WORD, _INSTALL_WORD) and "--no-cache-dir" not in p.group()
            for p in pieces(text, PIP)
        )
    )


def _sets_no_cache(cmd: Command) -> bool:
    """``PIP_NO_CACHE_DIR=1 pip …``, ``env PIP_NO_CACHE_DIR=1 pip …``, ``export PIP_NO_CACHE_DIR=1``."""
    words = (*cmd.assignments, *cmd.words[: max(cmd.name_index, 0)], *(cmd.args if cmd.name == "export" else ()))
    return any((w.value or w.text).startswith("PIP_NO_CACHE_DIR=") for w in words)


def _purged_later(steps: list[Step], k: int) -> bool:
    for step in steps[k + 1 :]:
        call = package_call(step.command)
        if (
            call is not None
            and call.tool == "pip"
            and call.action == "cache"
            and any(w.value == "purge" for w in call.packages)
        ):
            return True
    return False


@rule(
    id="DF212",
    name="pip-cache-kept",
    reads=ImageBuild,
    severity=Severity.INFO,
    summary="pip install without --no-cache-dir keeps the download cache in the image",
    enabled_by_default=False,
    peers={"hadolint": "DL3042", "kics": "pip_install_keeping_cached_packages"},
    precision="high",
    tags=("hygiene", "image-size"),
)
def pip_cache_kept(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    shipped = image_stages(build, ctx)
    for stage, ins, script in stage_runs(build, ctx, _mentions, words=("pip",), only=shipped):
        if under_mount(_CACHES[0], cache_mounts(ins)):
            continue
        env: bool | None = None
        disabled = False  # by an export (or a bare assignment) earlier in the RUN
        steps = steps_of(script)
        for k, step in enumerate(steps):
            cmd = step.command
            if cmd.name in ("export", None) and _sets_no_cache(cmd):
                disabled = True
                continue
            call = package_call(cmd)
            if disabled or call is None or call.tool != "pip" or call.action != "install":
                continue
            if call.has("--no-cache-dir") or _sets_no_cache(cmd):
                continue
            if env is None:
                env = stage_env(build, stage, ins, "PIP_NO_CACHE_DIR") is not None
            if env:
                break
            if any(removed_later(script, k, c) for c in _CACHES) or _purged_later(steps, k):
                continue
            word = cmd.command_word
            assert word is not None
            yield Hit(
                word.span,
                "pip install without --no-cache-dir keeps its wheels in ~/.cache/pip in the image; "
                "add --no-cache-dir (or ENV PIP_NO_CACHE_DIR=1)",
                context="pip-cache",
            )
