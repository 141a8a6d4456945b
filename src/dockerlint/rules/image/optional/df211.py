"""DF211 pip-package-unpinned: ``pip install`` of packages without a version.

Fires on a ``pip install`` (``pip3``, ``python -m pip``) operand that names a package
without a version specifier (``flask``, ``requests[socks]``). Not on:

* specified versions: ``flask==3.0.3``, ``flask>=3,<4``, ``flask~=3.0``, direct references
  (``pkg @ https://…``, ``git+https://…@v1.2``);
* requirement and constraint files (``-r requirements.txt``, ``-c constraints.txt``, or
  ``PIP_CONSTRAINT`` set by ``ENV``): the file holds the pins, and with ``-c`` every package
  of the command is constrained;
* local projects and archives: ``.``, ``./src``, ``-e .``, ``/tmp/x.whl``, ``dist/*.tar.gz``;
* operands whose value is unknown (``"$PIP_PACKAGES"``), and packages the same ``RUN``
  uninstalls again (``pip uninstall -y``).

Where it points: at the first unpinned package of each ``pip install``; the message names
the others of the same command.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild
from dockerlint.models.shell import Word
from dockerlint.rules.image._hygiene import (
    PIP,
    package_call,
    package_name,
    pieces,
    removed_packages,
    stage_env,
    stage_runs,
    steps_of,
    unpinned,
)

_SPECIFIER = re.compile(r"==|>=|<=|!=|~=|[<>@]")


# pip, then "install": what follows the first install after the first pip (two searches:
# "pip.*?install" searched tried every pip again up to the end of its line).
_PIP_WORD = re.compile(r"\bpip[0-9.]*\b")
_INSTALL_WORD = re.compile(r"\binstall\b")
_BARE = re.compile(r"(?:^|\s)[\"']?[A-Za-z0-9][\w.\[\],-]*[\"']?(?=\s|$)")


def _mentions(text: str) -> bool:
    """Prefilter: a ``pip … install`` piece with an operand that may be a bare package name."""
    if "pip" not in text or "install" not in text:
        return False
    for piece in pieces(text, PIP):
        rest = _after_install(piece.group())
        if rest is not None and any(not _pinned_text(b.group().strip().strip("\"'")) for b in _BARE.finditer(rest)):
            return True
    return False


def _after_install(piece: str) -> str | None:
    """The text after the first ``install`` that follows the first ``pip`` (to the line's end)."""
    pip = _PIP_WORD.search(piece)
    install = _INSTALL_WORD.search(piece, pip.end()) if pip is not None else None
    if install is None or "\n" in piece[pip.end() if pip else 0 : install.start()]:
        return None
    end = piece.find("\n", install.end())
    return piece[install.end() :] if end < 0 else piece[install.end() : end]


def _pinned_text(text: str) -> bool:
    return (
        bool(_SPECIFIER.search(text))
        or "/" in text
        or text.startswith(".")
        or text.endswith((".whl", ".tar.gz", ".zip", ".tgz", ".tar.bz2"))
    )


def _pinned(word: Word) -> bool:
    return _pinned_text(word.value or "")


@rule(
    id="DF211",
    name="pip-package-unpinned",
    reads=ImageBuild,
    severity=Severity.LOW,
    summary="pip install of packages without a version",
    cwe=(1357,),
    enabled_by_default=False,
    peers={"hadolint": "DL3013", "kics": "unpinned_package_version_in_pip_install"},
    precision="high",
    tags=("hygiene", "reproducibility", "supply-chain"),
)
def pip_package_unpinned(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for stage, ins, script in stage_runs(build, ctx, _mentions, words=("pip",)):
        steps = steps_of(script)
        for k, step in enumerate(steps):
            call = package_call(step.command)
            if call is None or call.tool != "pip" or call.action != "install":
                continue
            if call.has("-c", "--constraint"):
                continue
            loose = [w for w in call.packages if w.value is not None and not _pinned(w)]
            if not loose or stage_env(build, stage, ins, "PIP_CONSTRAINT"):
                continue
            removed, _ = removed_packages(steps, k, "pip")
            loose = [w for w in loose if package_name(w.value or "", "pip") not in removed]
            if loose:
                yield Hit(
                    loose[0].span,
                    unpinned(
                        "pip install without a version for ",
                        loose,
                        "; pin them (name==version) or use a pinned requirements file",
                    ),
                    context="pip-unpinned:" + " ".join(w.value or "" for w in loose),
                )
