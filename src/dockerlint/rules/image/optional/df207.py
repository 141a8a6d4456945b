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
from dockerlint.knowledge.commands import APK as APK_OPTIONS
from dockerlint.models.image import ImageBuild
from dockerlint.rules.image._hygiene import (
    APK,
    package_call,
    package_name,
    pieces,
    removed_packages,
    stage_runs,
    steps_of,
    unpinned,
)

_APK_WORD = re.compile(r"\bapk\b")
_ADD_WORD = re.compile(r"\badd\b")
_DEL_WORD = re.compile(r"\bdel\b")
_PIECE_END = re.compile(r"[;&|\n]")
_VIRTUAL = re.compile(r"(?:--virtual[=\s]+|(?<![\w-])-[a-zA-Z]*t\s*)[\"']?([^\s\"']+)")


def _bare_operand(args: str) -> bool:
    """Prefilter: some word of an ``apk add`` piece's arguments may be an unpinned package."""
    words = args.split()
    i = 0
    while i < len(words):
        word = words[i].strip("\"'")
        i += 1
        if word.startswith("-"):
            if word in APK_OPTIONS.long_with_value or (
                len(word) > 1 and word[1] != "-" and word[-1] in APK_OPTIONS.short_with_value
            ):
                i += 1  # the option's value: a group or repository name, not a package
            continue
        if (
            word
            and "$" not in word
            and "`" not in word
            and not any(c in word for c in "=~<>")
            and not word.endswith(".apk")
        ):
            return True
    return False


def _mentions(text: str) -> bool:
    """Prefilter: an ``apk add`` with a word that may be an unpinned package, and that is not
    of a ``--virtual`` group deleted later in the text."""
    if "apk" not in text or "add" not in text:
        return False
    deleted: dict[str, int] = {}  # virtual group -> start of its last deletion (-1: none)
    for piece in pieces(text, APK):
        add = _add(piece.group())
        if add is None:
            continue
        if (piece.group().count('"') % 2 or piece.group().count("'") % 2) or _bare_operand(piece.group()[add:]):
            virtual = _VIRTUAL.search(piece.group())
            if virtual is None:
                return True
            name = virtual.group(1)
            if name not in deleted:
                deleted[name] = _last_deletion(text, name)
            if deleted[name] < piece.end():
                return True
    return False


def _add(piece: str) -> int | None:
    """Where the ``add`` after the piece's first ``apk`` word ends (None: no such ``add``)."""
    apk = _APK_WORD.search(piece)
    add = _ADD_WORD.search(piece, apk.end()) if apk is not None else None
    return add.end() if add is not None else None


def _last_deletion(text: str, name: str) -> int:
    """Where the last ``apk`` word of ``text`` that is followed, in its piece (up to ``;``,
    ``&``, ``|`` or a line end), by ``del`` and then ``name`` (not followed by a name
    character) starts; -1 if none. One pass over the text (the pattern searched from each
    ``apk`` again was cubic)."""
    found = -1
    looked = -1  # where the piece of the last apk looked at ends
    tail = re.compile(re.escape(name) + r"(?![\w.-])")
    for apk in _APK_WORD.finditer(text):
        if apk.start() < looked:
            continue  # the first apk of a piece sees everything the later ones would
        end = _PIECE_END.search(text, apk.end())
        looked = end.start() if end is not None else len(text)
        dele = _DEL_WORD.search(text, apk.end(), looked)
        if dele is not None and tail.search(text, dele.end(), looked) is not None:
            found = apk.start()
    return found


@rule(
    id="DF207",
    name="apk-package-unpinned",
    reads=ImageBuild,
    severity=Severity.INFO,
    summary="apk add of packages without a version",
    cwe=(1357,),
    enabled_by_default=False,
    peers={"hadolint": "DL3018"},
    precision="high",
    tags=("hygiene", "reproducibility"),
)
def apk_package_unpinned(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for _, _, script in stage_runs(build, ctx, _mentions, words=("apk",)):
        steps = steps_of(script)
        for k, step in enumerate(steps):
            if step.command.name != "apk":
                continue
            call = package_call(step.command)
            if call is None or call.action != "add" or call.has("-s", "--simulate"):
                continue
            loose = [
                w
                for w in call.packages
                if w.value is not None and not any(c in w.value for c in "=~<>") and not w.value.endswith(".apk")
            ]
            if not loose:
                continue
            removed, _ = removed_packages(steps, k, "apk")
            virtual = call.value_of("-t", "--virtual")
            if virtual and virtual[-1] in removed:
                continue  # the whole group is deleted again
            loose = [w for w in loose if package_name(w.value or "", "apk") not in removed]
            if loose:
                yield Hit(
                    loose[0].span,
                    unpinned("apk add without a version for ", loose, "; pin them (name=version or name~major.minor)"),
                    context="apk-unpinned:" + " ".join(w.value or "" for w in loose),
                )
