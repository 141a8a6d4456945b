"""DF102 secret-in-image: a literal credential in ``ENV``, ``ARG`` or ``LABEL``.

Two ways to recognize one:

* by value, whatever the name: well-known token shapes (AWS access key ids, GitHub,
  GitLab, Slack, Stripe and Google API tokens, PEM private keys) and URLs with a
  password (``scheme://user:pass@host``);
* by name, with a value that is a usable credential: the shared model of
  ``checks/_secrets.py`` (also DC117's, DF114's and DF117's). The name ends with a secret
  word (``PASSWORD``, ``TOKEN``, ``API_KEY``…; a setting *about* the secret such as
  ``TOKEN_FILE``, ``TOKEN_TTL`` or ``PASS_SCHEME`` does not), and the value is not a
  placeholder, a sentinel, a template, a reference or a switch. Default passwords
  (``changeme``, ``admin``, the ``my-secret-pw`` of the docs) *do* fire: a default baked
  into an image is the problem this rule is about.

Only literal values are judged: ``${DB_PASSWORD}`` is set at build time (the default of a
lone ``${X:-default}`` *is* a literal).

Where it points: at the value. Messages never repeat the secret: all but its first
characters are masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.checks._secrets import mask, secret_name, usable
from dockerlint.engine import RuleContext
from dockerlint.lazyre import compile_later
from dockerlint.models.base import LStr
from dockerlint.models.image import ImageBuild
from dockerlint.registry import Hit, Severity, rule

_DEFAULT_REF = compile_later(r"^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^${}]*)\}$")

# Token shapes, each with the number of leading characters that are not secret.
_SHAPES: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("an AWS access key id", compile_later(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"), 4),
    ("a GitHub token", compile_later(r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,}"), 4),
    ("a GitHub token", compile_later(r"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,}"), 11),
    ("a GitLab token", compile_later(r"(?<![A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20,}"), 6),
    ("a Slack token", compile_later(r"(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}"), 5),
    ("a Stripe secret key", compile_later(r"(?<![A-Za-z0-9])[rs]k_live_[A-Za-z0-9]{20,}"), 8),
    ("a Google API key", compile_later(r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}"), 4),
    ("a private key", compile_later(r"-----BEGIN[A-Z ]*PRIVATE KEY(?: BLOCK)?-----"), 0),
)
# Cheap first pass: every shape above, and '://' for URLs, holds one of these.
_PREFILTER = compile_later(r"AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox|k_live_|AIza|PRIVATE KEY|://")
_URL_CREDS = compile_later(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<user>[^/\s:@]*):(?P<pw>[^/\s@]+)@(?P<host>[^\s/]*)")


def literal(value: LStr) -> str | None:
    """The literal text a value puts in the image, or None when it is only variable references.

    ``${X:-default}`` alone gives its default (what the image gets unless the variable is set).
    """
    raw = value.value.strip()
    if "$" not in raw:
        return value.text
    inner = raw[1:-1] if len(raw) > 1 and raw[0] == raw[-1] and raw[0] in "\"'" else raw
    if raw[0] == "'" and raw[-1] == "'":
        return inner  # single quotes: no expansion, the text is literal
    m = _DEFAULT_REF.match(inner)
    return m.group(1) if m else None


def value_shape(text: str) -> tuple[str, str] | None:
    """(what, masked) for a well-known token shape or a URL with a password in ``text``."""
    if _PREFILTER.search(text) is None:
        return None
    for what, pattern, keep in _SHAPES:
        m = pattern.search(text)
        if m is not None and "EXAMPLE" not in m.group().upper():
            found = m.group()
            return what, found if keep == 0 else found[:keep] + "*" * 8
    for m in _URL_CREDS.finditer(text):
        pw = m.group("pw")
        if "$" in pw or not usable(pw):
            continue
        return "a URL with a password", f"{m.group('scheme')}://{m.group('user')}:{mask(pw, 0)}@{m.group('host')}"
    return None


_WHERE = {
    "ENV": "ENV values stay in the image config, readable by anyone who pulls it",
    "ARG": "ARG values are recorded in the image history of every step that uses them",
    "LABEL": "labels are part of the image config, readable by anyone who pulls it",
}


@rule(id="DF102", name="secret-in-image", reads=ImageBuild, severity=Severity.HIGH,
      summary="A literal secret in ENV, ARG or LABEL",
      cwe=(798, 538), cis=("4.10",),
      peers={"hadolint": "DL3064", "trivy": "DS-0031", "kics": "passwords_and_secrets"},
      precision="high", tags=("security", "secrets"))
def secret_in_image(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for ins in build.instructions:
        if ins.keyword not in _WHERE:
            continue
        for pair in ins.pairs:
            value = pair.value
            if value is None:
                continue  # ARG NAME: set by --build-arg, nothing in the Dockerfile
            name = pair.key.text
            text = literal(value)
            if text is None:
                continue
            advice = (f"{_WHERE[ins.keyword]}; pass it at run time or use a build secret "
                      "(RUN --mount=type=secret)")
            shape = value_shape(text)
            if shape is not None:
                what, shown = shape
                yield Hit(value.span, f"{ins.keyword} {name} holds {what} ({shown}); {advice}",
                          context=f"{ins.keyword}:{name}")
                continue
            if secret_name(name) is None or not usable(text, name):
                continue
            yield Hit(value.span, f"{ins.keyword} {name} sets a literal secret ({mask(text)}); {advice}",
                      context=f"{ins.keyword}:{name}")
