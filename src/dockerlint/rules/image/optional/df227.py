"""DF227 expose-invalid-port: ``EXPOSE`` with a port that does not exist.

Ports go from 1 to 65535 and protocols are ``tcp``, ``udp`` and ``sctp``: ``EXPOSE 80000``,
``EXPOSE 8080/http`` or ``EXPOSE 9000-8000`` are typos that BuildKit rejects or that
document a port nobody can publish.

Fires on each such ``EXPOSE`` item, judged after ``ENV``/``ARG`` substitution; an item that
still holds an unknown variable is not judged. A ``host:container`` mapping is judged by its
container port.

Where it points: at the item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.image import ImageBuild

_ITEM = re.compile(r"(?P<start>[0-9]+)(?:-(?P<end>[0-9]+))?")


def problem(item: str) -> str | None:
    """What is wrong with an EXPOSE item (``8080``, ``53/udp``, ``8000-8010/tcp``), or None."""
    port, _, proto = item.partition("/")
    port = port.rsplit(":", 1)[-1]
    if proto and proto.lower() not in ("tcp", "udp", "sctp"):
        return f"unknown protocol {quote(proto, 16)} (tcp, udp or sctp)"
    m = _ITEM.fullmatch(port)
    if m is None:
        return "not a port number"
    start = int(m["start"])
    end = int(m["end"]) if m["end"] is not None else start
    if not 1 <= start <= 65535 or not 1 <= end <= 65535:
        return "outside the port range 1-65535"
    if end < start:
        return "a range whose end is below its start"
    return None


@rule(
    id="DF227",
    name="expose-invalid-port",
    reads=ImageBuild,
    severity=Severity.LOW,
    summary="EXPOSE of an invalid port or protocol",
    enabled_by_default=False,
    peers={"hadolint": "DL3011", "trivy": "DS-0008", "kics": "unix_ports_out_of_range"},
    precision="very-high",
    tags=("hygiene", "correctness"),
)
def expose_invalid_port(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for ins in build.instructions:
        if ins.keyword != "EXPOSE":
            continue
        for arg in ins.args:
            text = arg.text.strip("\"'")
            if not text or "$" in text:
                continue
            what = problem(text)
            if what is not None:
                yield Hit(arg.span, f"EXPOSE {quote(arg.value, 32)}: {what}", context=f"expose:{arg.value}")
