"""DD121 registry-credentials-in-plaintext: a Docker client ``config.json`` holds registry
credentials itself.

``docker login`` writes ``auths.<registry>.auth`` (base64 of ``user:password``, an encoding, not
encryption) or ``identitytoken`` into ``config.json`` when no credential store or helper is
configured; ``password`` is read there too. Whoever reads the file (a committed dotfile, a
backup, a container that mounts ``~/.docker``) can push and pull as that user.

Each inline credential fires, also when ``credsStore`` or a ``credHelpers`` entry is set: the
CLI then keeps new logins in the store, but the entry already written stays in plain text on
disk. An empty entry (``{}``, what Docker Desktop writes beside ``credsStore``), an ``auth``
whose password is empty and a template (``${AUTH}``, ``{{ token }}``) are not credentials; an
``auth`` the CLI cannot decode is a DD000 (the CLI refuses the file).

Messages never show the credential: all but its first characters are masked (as DF102's), and
source excerpts show its characters as ``*``.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.client import ClientConfig

_WHAT = {
    "auth": "the password{who} for {registry} in auth (base64, {masked})",
    "identitytoken": "an identity token for {registry} ({masked})",
    "password": "the password{who} for {registry} (password: {masked})",
}


@rule(
    id="DD121",
    name="registry-credentials-in-plaintext",
    reads=ClientConfig,
    severity=Severity.HIGH,
    summary="A Docker client config.json stores registry credentials in plain text",
    cwe=(256, 522),
    tags=("security", "secrets"),
)
def registry_credentials_in_plaintext(config: ClientConfig, ctx: RuleContext) -> Iterator[Hit]:
    helpers = {h.value for h in config.cred_helpers}
    for cred in config.credentials:
        registry = cred.registry.value
        who = f" of user {quote(cred.user, 24)}" if cred.user else ""
        if registry in helpers:
            store = " (credHelpers does not remove it)"
        elif config.creds_store is not None:
            store = f" (credsStore {quote(config.creds_store.value, 16)} does not remove it)"
        else:
            store = ""
        what = _WHAT[cred.field].format(who=who, registry=quote(registry, 40), masked=cred.masked)
        yield Hit(
            cred.span,
            f"config.json stores {what}{store}; remove and revoke it",
            context=f"auths.{registry}.{cred.field}",
            secrets=(cred.span,),
        )
