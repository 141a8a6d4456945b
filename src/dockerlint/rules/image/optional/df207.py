"""DF207 apk-package-unpinned: ``apk add`` of packages without a version.

Fires on an ``apk add`` operand that names a package without a version constraint
(``curl``, ``openssl-dev``). Not on:

* constrained packages (``curl=8.5.0-r0``, ``curl~8.5``, ``curl>8``, ``"nodejs=$NODE_APK"``)
  and local ``.apk`` files;
* the name of a virtual package (``--virtual .build-deps``, ``-t .fetch-deps``): a group
  name, not a package;
* operands whose value is unknown (``$runDeps``): they may hold versions;
* packages the same ``RUN`` removes again (``apk del`` of the package or of its
  ``--virtual`` group): build dependencies that never reach a layer;
* simulations (``-s``/``--simulate``).

Where it points: at the first unpinned package of each ``apk add``; the message names the
others of the same command.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.image._hygiene import (
    APK,
    package_call,
    package_name,
    pieces,
    removed_packages,
    shown,
    stage_runs,
    steps_of,
)

_ADD = re.compile(r"\bapk\b.*?\badd\b")
_VIRTUAL = re.compile(r"(?:--virtual[=\s]+|(?<![\w-])-[a-zA-Z]*t\s*)[\"']?([^\s\"']+)")
_VALUE_OPTIONS = frozenset({"-t", "--virtual", "-X", "--repository", "-p", "--root", "--arch", "--cache-dir",
                            "--keys-dir", "--repositories-file", "--wait", "--timeout", "--cache-max-age"})


def _bare_operand(args: str) -> bool:
    """Prefilter: some word of an ``apk add`` piece's arguments may be an unpinned package."""
    words = args.split()
    i = 0
    while i < len(words):
        word = words[i].strip("\"'")
        i += 1
        if word.startswith("-"):
            if word in _VALUE_OPTIONS or (len(word) > 1 and word[1] != "-" and word[-1] in "tXp"):
                i += 1  # the option's value: a group or repository name, not a package
            continue
        if word and "$" not in word and "`" not in word and not any(c in word for c in "=~<>") \
                and not word.endswith(".apk"):
            return True
    return False


def _mentions(text: str) -> bool:
    """Prefilter: an ``apk add`` with a word that may be an unpinned package, and that is not
    of a ``--virtual`` group deleted later in the text."""
    if "apk" not in text or "add" not in text:
        return False
    for piece in pieces(text, APK):
        add = _ADD.search(piece.group())
        if add is None:
            continue
        if (piece.group().count('"') % 2 or piece.group().count("'") % 2) or _bare_operand(piece.group()[add.end():]):
            virtual = _VIRTUAL.search(piece.group())
            if virtual is None or re.search(r"\bapk\b[^;&|\n]*\bdel\b[^;&|\n]*" + re.escape(virtual.group(1))
                                            + r"(?![\w.-])", text[piece.end():]) is None:
                return True
    return False


@rule(id="DF207", name="apk-package-unpinned", reads=ImageBuild, severity=Severity.INFO,
      summary="apk add of packages without a version",
      cwe=(1357,), enabled_by_default=False,
      peers={"hadolint": "DL3018"},
      precision="high", tags=("hygiene", "reproducibility"))
def apk_package_unpinned(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for _, _, script in stage_runs(build, _mentions, words=("apk",)):
        steps = steps_of(script)
        for k, step in enumerate(steps):
            if step.command.name != "apk":
                continue
            call = package_call(step.command)
            if call is None or call.action != "add" or call.has("-s", "--simulate"):
                continue
            loose = [w for w in call.packages if w.value is not None
                     and not any(c in w.value for c in "=~<>") and not w.value.endswith(".apk")]
            if not loose:
                continue
            removed, _ = removed_packages(steps, k, "apk")
            virtual = call.value_of("-t", "--virtual")
            if virtual and virtual[-1] in removed:
                continue  # the whole group is deleted again
            loose = [w for w in loose if package_name(w.value or "", "apk") not in removed]
            if loose:
                yield Hit(loose[0].span,
                          f"apk add without a version for {shown(loose)}: each build may get other versions; "
                          "pin them (name=version, or name~major.minor) if the build must be reproducible",
                          context="apk-unpinned:" + " ".join(w.value or "" for w in loose))
