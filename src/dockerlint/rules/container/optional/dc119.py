"""DC119 no-resource-limits: the container may use all the host's memory, processes or CPU."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.base import LStr
from dockerlint.models.container import Container
from dockerlint.rules.common.containers import add_settings, subject
from dockerlint.rules.container._text import LIMIT


def _limited(v: LStr | None) -> bool:
    """Set to a real limit: ``0`` (and ``-1`` for pids) mean unlimited; a variable counts as set."""
    if v is None:
        return False
    text = v.text.strip().lower()
    return text not in {"", "0", "-1", "0b", "0k", "0m", "0g", "0.0"}


def _first_fit(message: str, *tails: str) -> str:
    """``message`` with the first of ``tails`` that fits in the line."""
    return next((message + t for t in tails if len(message) + len(t) <= LIMIT), message)


@rule(
    id="DC119",
    name="no-resource-limits",
    reads=Container,
    severity=Severity.INFO,
    summary="Container has no memory, process-count or CPU limit",
    cwe=(770,),
    cis=("5.10", "5.11", "5.28"),
    peers={"compose-lint": "CL-0026", "kics": "memory_not_limited, cpus_not_limited, pids_limit_not_set"},
    enabled_by_default=False,
    precision="very-high",
    tags=("security", "availability"),
)
def no_resource_limits(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    if c.managed_by is not None:
        return  # created by a CI runner or defined by a Compose service: not settable here
    missing: list[tuple[str, str]] = []
    if not _limited(c.mem_limit):
        missing.append(("memory", "mem_limit"))
    if not _limited(c.pids_limit):
        missing.append(("process-count", "pids_limit"))
    if not (_limited(c.cpus) or _limited(c.cpu_quota) or _limited(c.cpu_shares)):
        missing.append(("CPU", "cpus"))
    if not missing:
        return
    names = [n for n, _ in missing]
    what = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    # The hint in the source's own syntax: Compose keys, docker run flags, Quadlet keys.
    hint = add_settings(c, [k for _, k in missing])
    more = ", or deploy.resources.limits" if c.source == "compose" else ""
    yield Hit(
        c.name.span,
        _first_fit(f"{subject(c)} has no {what} limit", f" ({hint}{more})", f" ({hint})"),
        context=f"{c.name.value}:limits",
    )
