"""DF110 sensitive-port-exposed: ``EXPOSE`` of SSH, Telnet or the Docker API.

``22`` (SSH), ``23`` (Telnet), ``2375`` (Docker API, plaintext) and ``2376`` (Docker
API, TLS) over TCP, also inside a range (``20-25``) and through ``ARG``/``ENV``
defaults (``EXPOSE ${PORT}`` with ``ARG PORT=22``). ``/udp`` and ``/sctp`` are not
these services. A port whose value cannot be known (an ``ARG`` without a default)
does not fire.

Where it points: at the port word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.common.image import unresolved

SENSITIVE = {
    22: "SSH",
    23: "Telnet",
    2375: "the Docker API without TLS",
    2376: "the Docker API over TLS",
}
_PORT = re.compile(r"^(\d+)(?:-(\d+))?(?:/([A-Za-z]+))?$")


@rule(
    id="DF110",
    name="sensitive-port-exposed",
    reads=ImageBuild,
    severity=Severity.MEDIUM,
    summary="EXPOSE of SSH, Telnet or the Docker API port",
    cwe=(668,),
    cis=("5.6", "5.8"),
    peers={"checkov": "CKV_DOCKER_1", "trivy": "DS-0004", "kics": "exposing_port_22"},
    precision="high",
    tags=("security",),
)
def sensitive_port_exposed(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for ins in build.instructions:
        if ins.keyword != "EXPOSE":
            continue
        for word in ins.args:
            text = word.text.strip()
            if unresolved(text):
                continue
            m = _PORT.match(text)
            if m is None or (m.group(3) or "tcp").lower() != "tcp":
                continue
            low = int(m.group(1))
            high = int(m.group(2)) if m.group(2) else low
            hit = [port for port in SENSITIVE if low <= port <= high]
            if not hit:
                continue
            via = f" (= {quote(text)})" if text != word.value else ""
            what = "; ".join(f"{port}, {SENSITIVE[port]}" for port in hit)
            yield Hit(
                word.span,
                f"EXPOSE {quote(word.value)}{via} declares port {what}; do not expose it from the image",
                context="expose:" + ",".join(map(str, hit)),
            )
