"""DD103: TLS is on but its certificate material is missing, empty or relative."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.daemon import Daemon
from dockerlint.rules.daemon._daemon import tls_anchor, verifies_clients

_ABSOLUTE = re.compile(r"^(?:/|[A-Za-z]:[\\/]|\\\\)")
_DEFAULT = {"tlscacert": "ca.pem", "tlscert": "cert.pem", "tlskey": "key.pem"}


@rule(
    id="DD103",
    name="api-tls-material-missing",
    reads=Daemon,
    severity=Severity.HIGH,
    summary="TLS is on but the CA, certificate or key is missing, empty or a relative path",
    cwe=(295,),
    cis=("2.7",),
    tags=("security",),
)
def api_tls_material_missing(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    if d.engine != "docker":
        return  # dockerd's settings; Podman's API service reads none of them
    anchor = tls_anchor(d)
    if anchor is None:
        return
    needed = (["tlscacert"] if verifies_clients(d) else []) + ["tlscert", "tlskey"]
    missing: list[str] = []
    for key in needed:
        s = d.get(key)
        if s is None:
            missing.append(key)
            continue
        if not isinstance(s.value, str):
            continue  # a wrong type is DD000
        value = s.value.strip()
        if not value and key == "tlscacert":
            yield Hit(
                s.value_span,
                (
                    "tlscacert is empty, so client certificates from any public CA are accepted; point it at your "
                    "private CA"
                ),
            )
        elif not value:
            yield Hit(s.value_span, f"{key} is empty: dockerd cannot load its TLS key pair and refuses to start")
        elif not _ABSOLUTE.match(value):
            tilde = " ('~' is not expanded)" if value.startswith("~") else ""
            yield Hit(s.value_span, f"{key} {quote(value)} is a relative path{tilde}; use an absolute path")
    if missing:
        names = ", ".join(missing)
        fallback = f"~/.docker/{_DEFAULT[missing[0]]}" if len(missing) == 1 else "~/.docker/*.pem"
        verb = "is" if len(missing) == 1 else "are"
        yield Hit(
            anchor.span,
            (
                f"{anchor.written_key or anchor.key} turns TLS on but {names} {verb} not set (dockerd falls back to "
                f"{fallback}); set absolute paths"
            ),
        )
