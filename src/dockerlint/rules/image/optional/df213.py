"""DF213 npm-package-unpinned: ``npm install <package>`` without a version.

Fires on an ``npm install`` (``npm i``, ``npm add``) operand that names a registry package
without a version or tag (``typescript``, ``@angular/cli``), global installs included.
Not on:

* ``name@version``, ``name@^1.2``, ``@scope/name@1.2.3`` (a moving tag such as ``@latest``
  or ``@next`` still fires);
* tarballs (``.tgz``, ``.tar.gz``), folders (``./pkg``, ``/src``, ``~/x``), git URLs with a
  ``#commit`` or ``#semver:`` ref;
* ``npm install`` / ``npm ci`` without packages (they install the lockfile's versions);
* operands whose value is unknown (``"$PKG"``).

Where it points: at the first unpinned package of each ``npm install``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.image._hygiene import NPM, package_call, pieces, stage_runs, unpinned
from dockerlint.util.textsearch import in_order

_INSTALL = frozenset(
    {"install", "i", "add", "isntall", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal"}
)
_MOVING_TAGS = frozenset({"latest", "next", "canary", "beta", "alpha", "rc", "nightly", "*", "x", ""})


# "npm", then an install subcommand later on the line (textsearch.in_order: linear; the one
# pattern with ".*" between them took 3 s on 50 KB of "npm npm …"). The operand is left to
# the rule: the prefilter may pass more, never less.
_NPM_WORD = re.compile(r"\bnpm\b")
_INSTALL_WORD = re.compile(r"\b(?:install|i|add|in|ins|inst|insta|instal|isnt|isnta|isntal|isntall)\s")


def _mentions(text: str) -> bool:
    """Prefilter: an ``npm install`` piece."""
    return "npm" in text and any(in_order(p.group(), _NPM_WORD, _INSTALL_WORD) for p in pieces(text, NPM))


def _pinned(text: str) -> bool:
    if text.startswith(("git:", "git+", "github:", "https://github.com/", "http://", "https://")):
        return "#" in text or text.endswith((".tgz", ".tar.gz", ".tar"))
    if text.endswith((".tgz", ".tar.gz", ".tar")) or text.startswith(("/", "./", "../", "~/", "file:")):
        return True
    name = text.removeprefix("@")
    if "@" not in name:
        return False
    version = name.split("@", 1)[1]
    return version.lower() not in _MOVING_TAGS


@rule(
    id="DF213",
    name="npm-package-unpinned",
    reads=ImageBuild,
    severity=Severity.LOW,
    summary="npm install of packages without a version",
    cwe=(1357,),
    enabled_by_default=False,
    peers={"hadolint": "DL3016", "kics": "npm_install_without_pinned_version"},
    precision="high",
    tags=("hygiene", "reproducibility", "supply-chain"),
)
def npm_package_unpinned(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for _, _, script in stage_runs(build, ctx, _mentions, words=("npm",)):
        for step in script.walk():
            if step.command.name != "npm":
                continue
            call = package_call(step.command)
            if call is None or call.action not in _INSTALL:
                continue
            loose = [w for w in call.packages if w.value is not None and not _pinned(w.value)]
            if loose:
                yield Hit(
                    loose[0].span,
                    unpinned(
                        f"npm {call.action} without a version for ",
                        loose,
                        "; pin them (name@version) or use package.json and npm ci",
                    ),
                    context="npm-unpinned:" + " ".join(w.value or "" for w in loose),
                )
