"""DD120 client-tls-verification-skipped: a Docker CLI context reaches a TCP daemon without
verifying it.

A context (``.docker/contexts/meta/<id>/meta.json``) is what ``docker context use`` switches
to; its ``docker`` endpoint is the daemon every later command talks to. Over ``tcp://`` the
CLI uses TLS only when the context has TLS material (``ca.pem``, ``cert.pem``, ``key.pem``
in ``contexts/tls/<id>/docker/``) or ``SkipTLSVerify: true``
(docker/cli ``context/docker.EndpointMeta``): without material it speaks plain HTTP, and
with ``SkipTLSVerify`` it encrypts but accepts any certificate.

The TLS folder is looked at only inside the scanned tree (:mod:`dockerlint.util.containment`): when
it lies outside, or the file is not in a context store's layout, only ``SkipTLSVerify`` is
judged. ``DOCKER_TLS_VERIFY`` and the other variables are DD104's (they override a context
only through ``DOCKER_HOST``, which replaces the context altogether).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.client import ClientContext
from dockerlint.util import containment

TLS_FILES = ("ca.pem", "cert.pem", "key.pem")


def _has_tls_material(tls_dir: str, roots: tuple[str, ...]) -> bool | None:
    """Whether the context's TLS folder holds a TLS file; None when it cannot be known (the
    folder is outside the scanned tree)."""
    tree = containment.tree_dirs(roots or [os.getcwd()])
    if not containment.within(tls_dir, tree):
        return None
    return any(
        os.path.isfile(os.path.join(tls_dir, name)) and containment.within(os.path.join(tls_dir, name), tree)
        for name in TLS_FILES
    )


@rule(
    id="DD120",
    name="client-tls-verification-skipped",
    reads=ClientContext,
    severity=Severity.HIGH,
    summary="A Docker CLI context reaches a TCP daemon without verifying its TLS certificate",
    cwe=(295, 319),
    tags=("security",),
)
def client_tls_verification_skipped(context: ClientContext, ctx: RuleContext) -> Iterator[Hit]:
    host = context.host
    # The scheme as written: the Go client dials the network named by it (net.Dial knows "tcp",
    # not "TCP"), so ``TCP://`` connects nowhere (docker/cli opts/hosts.go reads it so too).
    if host is None or not host.text.strip().startswith("tcp://"):
        return
    address = host.text.strip()
    label = f"context {quote(context.name.value, 32)}" if context.name is not None else "this context"
    skip = context.skip_tls_verify
    if skip is not None and skip.value:
        yield Hit(
            skip.span,
            f"{label} reaches {quote(address)} with SkipTLSVerify: true (any certificate is "
            "accepted); give it the daemon's CA",
            context="SkipTLSVerify",
        )
        return
    if not context.tls_dir:
        return
    material = _has_tls_material(context.tls_dir, ctx.roots)
    if material is None or material:
        return
    yield Hit(
        host.span,
        f"{label} reaches {quote(address)} over plain HTTP: no TLS material "
        f"({', '.join(TLS_FILES)}); add the daemon's CA",
        context="Host",
    )
