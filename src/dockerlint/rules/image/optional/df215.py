"""DF215 useradd-high-uid-without-l: ``useradd -u <high UID>`` without ``-l``.

``useradd`` records every new user in ``/var/log/lastlog`` and ``/var/log/faillog``,
files indexed by UID: a user with UID 1000000 makes them sparse files of about 290 MB and
32 MB. Image layers do not keep files sparse, so the image grows by that much.
``useradd -l`` (``--no-log-init``) skips them.

Fires on ``useradd`` with a literal ``-u``/``--uid`` of 32768 or more (a lastlog of about
10 MB or more) and without ``-l``/``--no-log-init``, and on Debian's ``adduser --uid`` with such
a UID (it runs ``useradd`` without ``-l`` and has no option to add it). BusyBox ``adduser -u``
(Alpine) writes no log files. UIDs held in variables are not judged.

Where it points: at the UID.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.knowledge.commands import USERADD, options
from dockerlint.models.image import ImageBuild
from dockerlint.rules.image._hygiene import stage_runs

THRESHOLD = 32768
_LASTLOG_RECORD = 292  # bytes per UID (struct lastlog on 64-bit Linux)


# A UID of five digits or more after -u (also in a group: -lu, -ou) or --uid.
_MENTIONS = re.compile(r"(?:(?<![\w-])-[a-zA-Z]*u|--uid)[=\s]*[\"']?[0-9]{5,}")


def _mentions(text: str) -> bool:
    return ("useradd" in text or "adduser" in text) and _MENTIONS.search(text) is not None


@rule(
    id="DF215",
    name="useradd-high-uid-without-l",
    reads=ImageBuild,
    severity=Severity.LOW,
    summary="useradd with a high UID and without -l bloats the image",
    enabled_by_default=False,
    peers={"hadolint": "DL3046"},
    precision="very-high",
    tags=("hygiene", "image-size"),
)
def useradd_high_uid_without_l(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for _, _, script in stage_runs(build, ctx, _mentions, words=("useradd", "adduser")):
        for step in script.walk():
            cmd = step.command
            if cmd.name not in ("useradd", "adduser"):
                continue
            opts = options(cmd, USERADD)  # Debian's adduser: --uid, read the same way
            if any(o.name in ("-l", "--no-log-init") for o in opts):
                continue
            uid_options = ("-u", "--uid") if cmd.name == "useradd" else ("--uid",)  # BusyBox: -u
            for o in opts:
                if (
                    o.name in uid_options
                    and o.value_word is not None
                    and o.value_word.value is not None
                    and o.value is not None
                    and o.value.isdigit()
                    and int(o.value) >= THRESHOLD
                ):
                    size = int(o.value) * _LASTLOG_RECORD / 1e6
                    fix = (
                        "add -l (--no-log-init)"
                        if cmd.name == "useradd"
                        else "use useradd -l (adduser cannot skip them)"
                    )
                    uid = o.value if len(o.value) <= 10 else quote(o.value, 12)
                    amount = (
                        f"about {size:.0f} MB"
                        if size < 1e4
                        else f"about {size / 1e3:.0f} GB"
                        if size < 1e6
                        else "over a terabyte"
                    )
                    yield Hit(
                        o.value_word.span,
                        f"{cmd.name} {o.name} {uid} without -l: /var/log/lastlog and faillog add {amount} "
                        f"to the layer; {fix}",
                        context=f"{cmd.name}-uid:{o.value}",
                    )
