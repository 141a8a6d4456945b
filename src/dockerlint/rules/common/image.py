"""Helpers shared by the image-build rules (DF103, DF106, DF112, DF113, ...)."""

from __future__ import annotations

import re

from dockerlint.models.base import LStr
from dockerlint.models.image import Instruction, Stage

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_HTTP = re.compile(r"^https?://", re.IGNORECASE)
# BuildKit's gitutil: these transports are always git; http(s) is git when the path ends in .git.
_GIT_TRANSPORT = re.compile(r"^(?:git://|git@|ssh://)", re.IGNORECASE)
_GIT_HTTP_PATH = re.compile(r"^https?://[^?#]*\.git(?:[/?#]|$)", re.IGNORECASE)


def add_sources(ins: Instruction) -> list[LStr]:
    """The source words of an ``ADD``/``COPY`` (every argument but the destination).

    Heredoc sources (``ADD <<EOF /dst``) are left out: their text is in the Dockerfile.
    """
    words = list(ins.args[:-1])
    if ins.heredocs:
        words = [w for w in words if not w.value.startswith("<<")]
    return words


def stage_label(stage: Stage) -> str:
    """``stage 'build'``, or ``the stage at line 12`` for an unnamed one."""
    if stage.name is not None:
        return f"stage {stage.name.value!r}"
    return f"the stage at line {stage.from_instruction.start_line}"


def is_git_source(text: str) -> bool:
    """A source BuildKit clones with git: ``git@host:repo``, ``git://``, ``ssh://``, ``https://….git``."""
    return bool(_GIT_TRANSPORT.match(text) or _GIT_HTTP_PATH.match(text))


def is_http_source(text: str) -> bool:
    return bool(_HTTP.match(text))


def is_remote_source(text: str) -> bool:
    """Anything ``ADD`` fetches instead of reading from the build context."""
    return bool(_URL.match(text) or _GIT_TRANSPORT.match(text))


def unresolved(text: str) -> bool:
    """True when a variable reference is still in ``text`` (an ARG without a default)."""
    return "$" in text


def mount_options(value: str) -> dict[str, str]:
    """``--mount=type=bind,source=/x,target=/y`` as a dict (BuildKit reads it as one CSV record).

    Keys are lower-cased; ``src``/``dst``/``destination`` are folded to ``source``/``target``;
    a bare key (``readonly``, ``rw``) maps to ``""``.
    """
    import csv  # only for RUN --mount: not at every start-up

    try:
        fields = next(csv.reader([value]), [])
    except csv.Error:
        fields = value.split(",")
    out: dict[str, str] = {}
    for field in fields:
        key, _, val = field.partition("=")
        key = key.strip().lower()
        key = {"src": "source", "dst": "target", "destination": "target"}.get(key, key)
        out[key] = val.strip()
    return out
