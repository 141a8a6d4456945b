"""DD102: the API uses TLS but does not authenticate clients."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Edit, Fix, Hit, RuleContext, Severity, rule
from dockerlint.models.base import Span
from dockerlint.models.daemon import Daemon, DaemonSetting
from dockerlint.rules.daemon._daemon import where


@rule(
    id="DD102",
    name="api-client-auth-disabled",
    reads=Daemon,
    severity=Severity.CRITICAL,
    summary="The Docker API uses TLS without client certificate verification",
    cwe=(287, 306),
    cis=("2.7",),
    tags=("security",),
    fixes='adds `"tlsverify": true` after `"tls": true` in `daemon.json`, and `--tlsverify` after '
    "`--tls` in a unit's `ExecStart=`",
)
def api_client_auth_disabled(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    tcp = d.tcp_listeners
    # TLS settings only matter for TCP. Without any listener in the scan, the endpoint is
    # configured elsewhere (a unit or socket not scanned), so the settings are judged anyway.
    if not tcp and d.listeners:
        return
    reach = f" on {', '.join(where(lst) for lst in tcp)}" if tcp else ""
    tv = d.get("tlsverify")
    tls = d.get("tls")
    if d.engine == "podman":
        if tv is None and tls is not None and tls.value is True:
            yield Hit(tls.span, f"Podman's API service serves TLS{reach} without --tls-client-ca; add it with your CA")
        return
    if tv is not None and tv.value is False:
        yield Hit(
            tv.span,
            (
                f"{tv.written_key or 'tlsverify'} is false: the API{reach} accepts clients without a certificate; set "
                "it to true"
            ),
        )
    elif tv is None and tls is not None and tls.value is True:
        yield Hit(
            tls.span,
            (
                f"{tls.written_key or 'tls'} is on without tlsverify: engines before 20.10 accept any client{reach}; "
                "set tlsverify to true"
            ),
            severity=Severity.MEDIUM,
            fix=_add_tlsverify(tls),
        )


def _add_tlsverify(tls: DaemonSetting) -> Fix | None:
    """``"tlsverify": true`` right after ``"tls": true``; ``--tlsverify`` right after ``--tls``.

    Unambiguous: dockerd 20.10+ already behaves so (tlsverify follows tls), so the fix only
    makes older engines verify clients too; the CA it needs is DD103's to check.
    """
    end = (
        tls.value_span
        if (tls.value_span.end_line, tls.value_span.end_col) > (tls.span.end_line, tls.span.end_col)
        else tls.span
    )
    at = Span(end.path, end.end_line, end.end_col, end.end_line, end.end_col)
    if tls.origin == "file":
        return Fix('add "tlsverify": true after "tls": true', [Edit(at, ', "tlsverify": true')])
    if tls.origin == "flag":
        return Fix("add --tlsverify after --tls", [Edit(at, " --tlsverify")])
    return None
