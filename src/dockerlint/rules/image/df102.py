"""DF102 secret-in-image: a literal credential in ``ENV``, ``ARG`` or ``LABEL``.

Two ways to recognize one:

* by value, whatever the name: well-known token shapes (AWS access key ids, GitHub,
  GitLab, Slack, Stripe and Google API tokens, PEM private keys) and URLs with a
  password (``scheme://user:pass@host``);
* by name, with a value that is a usable credential: the shared model of
  ``rules/common/secrets.py`` (also DC117's, DF114's and DF117's). The name ends with a secret
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

import functools
import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.base import LStr, Span
from dockerlint.models.image import ImageBuild
from dockerlint.rules.common.secrets import masking, one_line_spans, secret_name, usable, value_shape
from dockerlint.util.safetext import mask


@functools.cache
def _default_ref() -> re.Pattern[str]:
    return re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^${}]*)\}$")


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
    m = _default_ref().match(inner)
    return m.group(1) if m else None


_WHERE = {
    "ENV": "ENV values stay in the image config, readable by anyone who pulls it",
    "ARG": "ARG values are recorded in the image history of every step that uses them",
    "LABEL": "labels are part of the image config, readable by anyone who pulls it",
}


@rule(
    id="DF102",
    name="secret-in-image",
    reads=ImageBuild,
    severity=Severity.HIGH,
    summary="A literal secret in ENV, ARG or LABEL",
    cwe=(798, 538),
    cis=("4.10",),
    peers={"hadolint": "DL3064", "trivy": "DS-0031", "kics": "passwords_and_secrets"},
    precision="high",
    tags=("security", "secrets"),
)
def secret_in_image(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    yield from masking(_hits(build))


def _hits(build: ImageBuild) -> Iterator[tuple[Hit, tuple[Span, ...]]]:
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
            advice = "pass it at run time or use a build secret"
            shape = value_shape(text)
            if shape is not None:
                what, shown = shape
                yield (
                    Hit(
                        value.span,
                        f"{ins.keyword} {quote(name)} holds {what} ({quote(shown)}); {advice}",
                        context=f"{ins.keyword}:{name}",
                    ),
                    one_line_spans(value.span),
                )
                continue
            if secret_name(name) is None or not usable(text, name):
                continue
            yield (
                Hit(
                    value.span,
                    f"{ins.keyword} {quote(name)} sets a literal secret ({quote(mask(text))}); {advice}",
                    context=f"{ins.keyword}:{name}",
                ),
                one_line_spans(value.span),
            )
