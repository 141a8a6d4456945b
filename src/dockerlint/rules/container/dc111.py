"""DC111 seccomp-disabled: the container runs without a seccomp filter."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.container import Container
from dockerlint.rules.container._secopt import options


@rule(id="DC111", name="seccomp-disabled", reads=Container, severity=Severity.HIGH,
      summary="Container runs without the default seccomp profile (seccomp=unconfined)",
      cwe=(693,), cis=("5.21",),
      peers={"compose-lint": "CL-0009", "kics": "default_seccomp_profile_disabled"},
      precision="very-high", tags=("security",))
def seccomp_disabled(c: Container, ctx: RuleContext) -> Iterator[Hit]:
    for opt, key, value in options(c):
        if key == "seccomp" and value is not None and value.lower() == "unconfined":
            yield Hit(opt.span,
                      f"{c.label} disables seccomp ({opt.text.strip()!r}): every system call is open "
                      "to the container again, including the ones the default profile blocks because "
                      "they have been container escapes (keyctl, add_key, unshare, mount, bpf, "
                      "open_by_handle_at, userfaultfd, ...)",
                      context=f"{c.name.value}:seccomp")
