"""DD104: a Docker client is pointed at a TCP daemon without TLS verification."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.container import ClientEnv

_PORT = re.compile(r"^tcp://(?:\[[^\]]*\]|[^/:]*)(?::([0-9]+))?", re.IGNORECASE)


@rule(id="DD104", name="client-plaintext-endpoint", reads=ClientEnv, severity=Severity.HIGH,
      summary="DOCKER_HOST points at a TCP daemon without TLS verification", cwe=(319, 295),
      tags=("security",))
def client_plaintext_endpoint(env: ClientEnv, ctx: RuleContext) -> Iterator[Hit]:
    host = env.variables.get("DOCKER_HOST")
    if host is None or host.value is None:
        return
    value = host.value.text.strip()
    m = _PORT.match(value)
    if m is None:
        return
    port = int(m.group(1)) if m.group(1) else None
    verify = env.variables.get("DOCKER_TLS_VERIFY")
    # Any non-empty DOCKER_TLS_VERIFY (even "0") turns verification on; a variable passed
    # through from the caller's environment (no value here) is given the benefit of the doubt.
    verifying = verify is not None and (verify.value is None or verify.value.text != "")
    if not verifying:
        partial = [n for n in ("DOCKER_TLS", "DOCKER_CERT_PATH") if n in env.variables]
        if partial:
            how = f"{' and '.join(partial)} without DOCKER_TLS_VERIFY does not verify the daemon"
        else:
            how = f"DOCKER_TLS_VERIFY {'is empty' if verify is not None else 'is not set'}"
        yield Hit(host.span, f"{env.scope}: DOCKER_HOST {quote(value)} is TCP and {how}; set DOCKER_TLS_VERIFY=1",
                  context="DOCKER_HOST")
    elif port == 2375:
        yield Hit(host.span, f"{env.scope}: DOCKER_HOST {quote(value)} uses port 2375, the plain-text API port; use "
                             "the TLS port 2376", context="DOCKER_HOST")
