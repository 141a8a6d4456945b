"""DD117: no authorization plugin: every API client that can connect may do everything."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.daemon import Daemon
from dockerlint.rules.daemon._defaults import hidden, judged


@rule(
    id="DD117",
    name="no-authorization-plugin",
    reads=Daemon,
    severity=Severity.INFO,
    summary="No authorization plugin controls what API clients may do",
    cwe=(862,),
    cis=("2.12",),
    peers={"docker-bench": "2.12"},
    enabled_by_default=False,
    precision="medium",
    tags=("security",),
)
def no_authorization_plugin(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    if d.engine != "docker":
        return  # dockerd's settings; Podman's API service reads none of them
    if not judged(d):
        return
    plugins = d.all("authorization-plugins")
    if any(isinstance(s.value, list) and s.value for s in plugins):
        return
    singular = next((s for s in d.settings if s.origin == "file" and s.key == "authorization-plugin"), None)
    note = f" (authorization-plugin on line {singular.span.line} is ignored)" if singular is not None else ""
    span = plugins[-1].span if plugins else d.span
    what = "authorization-plugins is empty" if plugins else "the daemon configured here loads no authorization plugin"
    yield Hit(span, f"{what}{note}{hidden(d)}; add one to authorization-plugins", context="authorization-plugins")
