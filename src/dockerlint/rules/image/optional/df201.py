"""DF201 apt-package-unpinned: ``apt-get install`` of packages without a version.

Fires on an ``apt-get install`` / ``apt install`` operand that names a package without
``=version`` (``curl``, ``libssl-dev``). Not on:

* pinned packages (``curl=7.88.1-10+deb12u5``, ``"postgresql-$PG_MAJOR=$PG_VERSION"``, a
  ``=7.88*`` glob), a release selection (``curl/bookworm-backports``), local ``.deb`` files;
* operands whose value is unknown (``$PKGS``, ``"$fetchDeps"``): they may hold pins;
* packages the same ``RUN`` removes again: named by a later ``apt-get purge``/``remove``, or
  installed before the official images' ``apt-mark auto '.*'`` … ``apt-get purge -y
  --auto-remove`` (build dependencies that never reach a layer);
* simulations and downloads (``-s``, ``--dry-run``, ``--download-only``).

Where it points: at the first unpinned package of each ``install``; the message names the
others of the same command.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild
from dockerlint.models.shell import Word
from dockerlint.rules.image._hygiene import (
    APT,
    APT_NOT_INSTALLING,
    mentions_apt_install,
    package_call,
    package_name,
    pieces,
    removed_packages,
    stage_runs,
    steps_of,
    unpinned,
)
from dockerlint.util.textsearch import in_order


def pinned(word: Word) -> bool:
    text = word.value or ""
    return "=" in text or "/" in text or text.endswith(".deb")


# "apt" or "apt-get", then "install" later on the line (textsearch.in_order: linear).
_APT_WORD = re.compile(r"\bapt\b")
_INSTALL_WORD = re.compile(r"\binstall\b")
_MARK_AUTO = re.compile(r"\bapt-mark\b[^;&|\n]*\bauto\b")
_AUTO_REMOVE = re.compile(r"--auto-?remove|\bauto(?:remove|purge)\b")


def _may_fire(text: str) -> bool:
    """Prefilter: an ``apt-get install`` that the official images' ``apt-mark auto`` …
    ``purge --auto-remove`` idiom does not undo later in the text."""
    covered = -1  # installs that end before this position are undone by the idiom
    if "apt-mark" in text:
        removal = None
        for match in _AUTO_REMOVE.finditer(text):
            removal = match
        if removal is not None:
            for mark in _MARK_AUTO.finditer(text, 0, removal.start()):
                covered = mark.start()
    return any(
        piece.end() > covered and in_order(piece.group(), _APT_WORD, _INSTALL_WORD) for piece in pieces(text, APT)
    )


@rule(
    id="DF201",
    name="apt-package-unpinned",
    reads=ImageBuild,
    severity=Severity.INFO,
    summary="apt-get install of packages without a version",
    cwe=(1357,),
    enabled_by_default=False,
    peers={"hadolint": "DL3008", "kics": "apt_get_install_pin_version_not_defined"},
    precision="high",
    tags=("hygiene", "reproducibility"),
)
def apt_package_unpinned(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for _, _, script in stage_runs(build, ctx, mentions_apt_install, _may_fire, words=("apt",)):
        steps = steps_of(script)
        for k, step in enumerate(steps):
            if step.command.name not in ("apt-get", "apt"):
                continue
            call = package_call(step.command)
            if call is None or call.action != "install" or call.has(*APT_NOT_INSTALLING):
                continue
            loose = [w for w in call.packages if w.value is not None and not pinned(w) and not w.value.endswith("-")]
            if not loose:
                continue
            removed, wholesale = removed_packages(steps, k, call.tool)
            if wholesale:
                continue
            loose = [w for w in loose if package_name(w.value or "", call.tool) not in removed]
            if loose:
                yield Hit(
                    loose[0].span,
                    unpinned(f"{call.tool} install without a version for ", loose, "; pin them (name=version)"),
                    context="apt-unpinned:" + " ".join(w.value or "" for w in loose),
                )
