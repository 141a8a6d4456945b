"""DF102 secret-in-image: a literal credential in ``ENV``, ``ARG`` or ``LABEL``.

Two ways to recognize one:

* by value, whatever the name: well-known token shapes (AWS access key ids, GitHub,
  GitLab, Slack, Stripe and Google API tokens, PEM private keys) and URLs with a
  password (``scheme://user:pass@host``);
* by name: the name, split into words at ``_``, ``-``, ``.`` and camelCase, *ends*
  with a secret word (``PASSWORD``, ``PASSWD``, ``PASS``, ``PWD``, ``SECRET``,
  ``TOKEN``, ``API_KEY``, ``ACCESS_KEY``, ``PRIVATE_KEY``, ``SECRET_KEY``, ``AUTH_KEY``,
  ``LICENSE_KEY``…) and the value is a literal. A word after the secret word makes it
  a setting *about* the secret (``TOKEN_FILE``, ``PASSWORD_LENGTH``, ``SECRET_NAME``,
  ``TOKEN_URL``), and a word glued to it is another word (``GOPRIVATE``,
  ``PASSTHROUGH``); neither fires. ``KEY`` alone (``GPG_KEY``, ``SIGNING_KEY``) is
  not a secret word: official images put GPG fingerprints there. ``AUTH`` alone is
  not one either (``SMTP_AUTH=login``, ``REDIS_AUTH=yes`` are switches).

Values that cannot be a credential do not fire: empty, only variable references
(``${DB_PASSWORD}``; the default of a lone ``${X:-default}`` *is* a literal), booleans
and switches (``true``, ``no``, ``0``…), paths (``/run/secrets/db``, ``./key.pem``) and
template placeholders (``<your-token>``, ``{{ token }}``, ``xxx``, ``***``). Default
passwords (``changeme``, ``admin``, the ``my-secret-pw`` of the docs) *do* fire: a
default baked into an image is the problem this rule is about.

Where it points: at the value. Messages never repeat the secret: all but its first
characters are masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from dockerlint.lazyre import compile_later
from dockerlint.engine import RuleContext
from dockerlint.models.base import LStr
from dockerlint.models.image import ImageBuild
from dockerlint.registry import Hit, Severity, rule

# Secret words as token sequences; the name must end with one of them.
_SECRET_WORDS: tuple[tuple[str, ...], ...] = (
    ("PASSWORD",), ("PASSWD",), ("PASS",), ("PWD",), ("SECRET",), ("TOKEN",),
    ("APIKEY",), ("API", "KEY"), ("ACCESS", "KEY"), ("ACCESSKEY",), ("PRIVATE", "KEY"), ("PRIVATEKEY",),
    ("SECRET", "KEY"), ("SECRETKEY",), ("AUTH", "KEY"), ("AUTHKEY",), ("MASTER", "KEY"),
    ("ENCRYPTION", "KEY"), ("CLIENT", "KEY"), ("SESSION", "KEY"), ("LICENSE", "KEY"),
    ("SECRET", "KEY", "BASE"),  # Rails
    ("CREDENTIALS", "JSON"),
)
_LAST_WORDS = frozenset(words[-1] for words in _SECRET_WORDS)
# A password glued to its owner: ROOTPASSWORD, DBPASSWD, ADMINPASS.
_GLUED = compile_later(r"^[A-Z]*(?:PASSWORD|PASSWD)$|^(?:ROOT|ADMIN|DB|USER|SUDO|MASTER|SA)(?:PASS|PWD)$")
_TOKEN_SPLIT = compile_later(r"[^A-Za-z0-9]+")
_CAMEL = compile_later(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")

_NOT_SECRET_VALUES = frozenset({
    "true", "false", "yes", "no", "on", "off", "y", "n", "0", "1", "none", "null", "nil", "undefined",
    "enabled", "disabled", "enable", "disable", "required", "optional", "empty", "random", "auto",
})
_PLACEHOLDER = compile_later(
    r"^(?:<[^<>]*>|\{\{.*\}\}|\[[^\[\]]*\]|x+|X+|\*+|\.+|-+|_+|#+|\?+|your[-_ ].*)$",
    re.IGNORECASE)
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


def name_tokens(name: str) -> list[str]:
    """``DB_PASSWORD`` → DB PASSWORD; ``apiKey`` → API KEY; ``org.example.api-token`` → … API TOKEN."""
    out: list[str] = []
    for part in _TOKEN_SPLIT.split(name):
        out += [t.upper() for t in _CAMEL.findall(part)]
    return out


@lru_cache(maxsize=4096)
def secret_word(name: str) -> str | None:
    """The secret word ``name`` ends with (``'API_KEY'``), or None."""
    tokens = name_tokens(name)
    if not tokens or tokens == ["PWD"]:  # $PWD is the working directory
        return None
    if tokens[-1] not in _LAST_WORDS:
        return tokens[-1] if _GLUED.match(tokens[-1]) else None
    for words in _SECRET_WORDS:
        if len(tokens) >= len(words) and tuple(tokens[-len(words):]) == words:
            return "_".join(words)
    if _GLUED.match(tokens[-1]):
        return tokens[-1]
    return None


def mask(secret: str, keep: int = 2) -> str:
    """The first ``keep`` characters (none of a short value), the rest as ``*`` (at most 8)."""
    if len(secret) <= keep * 3:
        keep = 0
    return secret[:keep] + "*" * min(max(len(secret) - keep, 3), 8)


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


def is_placeholder(text: str) -> bool:
    t = text.strip()
    return (not t or t.lower() in _NOT_SECRET_VALUES or bool(_PLACEHOLDER.match(t))
            or t.startswith(("/", "~/", "./")))


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
        if "$" in pw or is_placeholder(pw):
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
            word = secret_word(name)
            if word is None or is_placeholder(text):
                continue
            yield Hit(value.span, f"{ins.keyword} {name} sets a literal secret ({mask(text)}); {advice}",
                      context=f"{ins.keyword}:{name}")
