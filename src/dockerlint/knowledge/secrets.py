"""Is this a usable credential? One model shared by DF102, DC117, DF114 and DF117, by
``dockerlint inspect``, which masks what these rules would mask, and by the engine, which masks
every excerpt, snippet and line hash with :func:`credential_spans` whatever rules ran (rules
reach it through :mod:`dockerlint.rules.common.secrets`; it lives here, below the rules, so the
CLI and the engine may import it).

Two questions, asked in this order:

1. **Does the name say "credential"?** (:func:`secret_name`) The name is split into words
   at ``_``, ``-``, ``.`` and camelCase (``GF_SECURITY_ADMIN_PASSWORD``, ``dbPassword``).
   It names a credential when a *secret word* ends it (``PASSWORD``, ``PASSWD``, ``PASS``,
   ``PWD``, ``PW``, ``PASSPHRASE``, ``SECRET``, ``TOKEN``, ``SALT``, ``CREDENTIALS``,
   ``API_KEY``, ``ACCESS_KEY``, ``PRIVATE_KEY``, ``SECRET_KEY``, …; a word glued to one,
   ``WEBPASSWORD``, ``AUTHTOKEN``, ``ROOTPASS``, counts), or when only *qualifiers* follow
   it: an environment or role (``DB_PASSWORD_PROD``, ``PASSWORD_ADMIN``), a number
   (``TOKEN_2``), an encoding of the same value (``PASSWORD_HASH``, ``TOKEN_B64``), Rails'
   ``SECRET_KEY_BASE`` or ``CREDENTIALS_JSON``. Any other word after the secret word makes
   the name a setting *about* the credential, however new the word is: ``TOKEN_FILE``,
   ``PASSWORD_PATH``, ``TOKEN_TIME``, ``TOKEN_TTL``, ``SESSION_SECRET_EXPIRY``,
   ``PASS_SCHEME``, ``PASSWORD_MIN_LENGTH``, ``SECRET_NAME``. A switch word anywhere
   (``ALLOW_EMPTY_PASSWORD``, ``RANDOM_ROOT_PASSWORD``, ``NO_PASSWORD``) makes it a switch.
   ``KEY`` alone is no secret word (``GPG_KEY``, ``SORT_KEY``), nor is ``AUTH``
   (``SMTP_AUTH=login``), nor is ``PWD`` alone (the working directory).

2. **Could the value be the credential itself?** (:func:`assess`) A value is *not* a usable
   credential when it is:

   - empty, ``~``, or a null/sentinel word: ``none``, ``null``, ``nil``, ``undefined``,
     ``n/a``, ``tbd``, ``todo``, ``invalid``, ``unset``, ``user_provided``;
   - a boolean or switch (``true``, ``no``, ``0``, ``enabled``, ``random``, ``auto``…);
   - a template or an unresolved reference (detect-secrets' *templated* filter, gitleaks'
     allowlist): ``${VAR}``, ``$VAR``, ``{{ x }}``, ``${{ secrets.X }}``, ``<your-token>``,
     ``[token]``, ``{token}``, ``%VAR%``, ``@VAR@``, ``__VAR__``, ``%(name)s``;
   - a description of the slot rather than a value, in one case: ``your_api_key``,
     ``YOUR_TOKEN``, ``…_here``, ``replace_me``, ``insert_…``, ``enter_…``, ``put_…``,
     ``fill_…`` (but ``yourStrong(!)Password``, the SQL Server docs' example, is a real
     password that gets deployed);
   - a version number (``1.5.0``: ``PY3_DETECT_SECRETS=1.5.0`` pins a tool);
   - a mask: one character repeated (``x``, ``xxx``, ``***``, ``...``, ``----``), gitleaks'
     "repeated character" allowlist;
   - a reference to where the credential is: a path (``/run/secrets/db``, ``./key.pem``,
     ``~/.token``), a key or data file name (``server.key``, ``sa.json``), a URL without a
     password (``https://vault.example.com/v1/db``);
   - for an *issued* credential (a token or a key, which a service hands out): the name
     of the slot itself (``TOKEN=token``, ``API_KEY=apikey``, ``DUCKDNS_TOKEN=my_token``),
     or a sequence (``123456789``, ``abcdef``; detect-secrets' *sequential* filter);
   - when words follow the secret word (``PASSWORD_HASH``, ``TOKEN_PROD``): a number or a
     duration (``168``, ``24h``) or a scheme or algorithm name (``bcrypt``, ``BLF-CRYPT``,
     ``HS256``), which describe the credential rather than hold it.

   Weak but real values stay credentials: ``changeme``, ``password``, ``secret``,
   ``admin``, ``example``, ``123456`` for a password. They are defaults that get deployed
   unchanged, and whoever reads the file can log in with them. A password is chosen by
   whoever sets it, so any concrete string works; only tokens and keys are issued, so only
   there does "the word ``token``" mean an empty slot. UUIDs are *not* filtered (many API
   keys are UUIDs; detect-secrets drops them only from its entropy scan), except the nil
   UUID. An identifier name (``*_ID``) is a setting about the credential (step 1), which is
   what detect-secrets' *id-like* filter catches.

A CI job's own containers (a GitLab CI service; a GitHub Actions job container or service)
are created for the job and removed with it, on a network only the job reaches. A password
that one of the job's services takes as *its own initial password* protects only that
throwaway service: :func:`throwaway_service` finds it by the convention that images name their
setup variables after themselves (``postgres``: ``POSTGRES_PASSWORD``, ``mysql``:
``MYSQL_ROOT_PASSWORD``, ``bitnami/postgresql``: ``POSTGRESQL_PASSWORD``,
``docker.elastic.co/elasticsearch/elasticsearch``: ``ELASTIC_PASSWORD``), first word against
the image's name, at least four letters; MariaDB and Percona keep MySQL's names, PostGIS,
TimescaleDB and pgvector the postgres image's. The engine's own image (``docker:dind``) creates no
account, so ``DOCKER_PASSWORD`` is never its. Tokens and keys (issued by a service elsewhere),
token shapes, URLs with a password and any other password keep firing there.

``assess(..., applied=True)`` judges a value that a build step *applies* (``echo
'root:xxx' | chpasswd`` sets the password to ``xxx``): there a mask or a slot description is
the real password, and only generated values (``$(openssl rand -hex 16)``, ``/dev/urandom``,
``pwgen``: nobody knows them) and template syntax (the Dockerfile is rendered before the
build) are not known credentials.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

from dockerlint.util.safetext import mask

# -- names -----------------------------------------------------------------------------


@functools.cache
def _token_split() -> re.Pattern[str]:
    return re.compile(r"[^A-Za-z0-9]+")


@functools.cache
def _camel() -> re.Pattern[str]:
    return re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


# Secret words that end a name, and whether the credential is *chosen* by whoever sets it
# (a password: any string works) or *issued* by a service (a token or a key).
_CHOSEN_WORDS = frozenset(
    {"PASSWORD", "PASSWD", "PASS", "PWD", "PW", "PASSPHRASE", "SECRET", "SALT", "REQUIREPASS", "MASTERAUTH"}
)
_ISSUED_WORDS = frozenset(
    {"TOKEN", "APIKEY", "ACCESSKEY", "PRIVATEKEY", "SECRETKEY", "AUTHKEY", "CREDENTIAL", "CREDENTIALS"}
)
# "<qualifier> KEY" pairs that name a key (API_KEY, SECRET_KEY, APP_KEY); KEY alone does not.
_KEY_QUALIFIERS = frozenset(
    {
        "API",
        "ACCESS",
        "PRIVATE",
        "SECRET",
        "ENCRYPTION",
        "SIGNING",
        "MASTER",
        "APP",
        "AUTH",
        "LICENSE",
        "SERVICE",
        "ANON",
        "CLIENT",
        "WEBHOOK",
        "SESSION",
        "CRYPT",
        "HMAC",
        "JWT",
    }
)
# Glued forms: WEBPASSWORD, CLIENTSECRET, AUTHTOKEN; ROOTPASS, DBPWD.
_GLUED_LONG = ("PASSWORD", "PASSWD", "SECRET", "TOKEN", "PASSPHRASE")
_GLUED_SHORT = ("PASS", "PWD", "PW")
_GLUED = re.compile(
    rf"^[A-Z]+(?:{'|'.join(_GLUED_LONG)})$"
    rf"|^(?:ROOT|ADMIN|DB|USER|SUDO|MASTER|SA|MYSQL|PG|REDIS)(?:{'|'.join(_GLUED_SHORT)})$"
)
# Words that may follow the secret word and still name the credential itself.
_QUALIFIERS = frozenset(
    {
        "PROD",
        "PRODUCTION",
        "DEV",
        "DEVELOPMENT",
        "STAGING",
        "STAGE",
        "TEST",
        "TESTING",
        "QA",
        "UAT",
        "LOCAL",
        "LIVE",
        "SANDBOX",
        "ADMIN",
        "ROOT",
        "SUPERUSER",
        "MASTER",
        "REPLICA",
        "REPLICATION",
        "APP",
        "DB",
        "RO",
        "RW",
        "READ",
        "WRITE",
        "READONLY",
        "OLD",
        "NEW",
        "CURRENT",
        "PREVIOUS",
        "PRIMARY",
        "SECONDARY",
        "HASH",
        "HASHED",
        "ENCODED",
        "B64",
        "BASE64",
        "ENC",
        "ENCRYPTED",
        "BCRYPT",
        "VALUE",
        "PLAIN",
        "PLAINTEXT",
        "RAW",
        "STRING",
        "STR",
        "BASE",
        "JSON",
        "KEY",
    }
)
# A word anywhere that makes the name a switch about the credential.
_SWITCH_WORDS = frozenset(
    {
        "NO",
        "ALLOW",
        "ASK",
        "SKIP",
        "DISABLE",
        "DISABLED",
        "ENABLE",
        "ENABLED",
        "RANDOM",
        "GENERATE",
        "EMPTY",
        "ONETIME",
        "WITHOUT",
        "REQUIRE",
        "REQUIRED",
        "USE",
    }
)
_TOO_VAGUE_ALONE = frozenset({"PWD", "PW", "PASS", "SALT"})


class SecretName(NamedTuple):
    """What a name says about its value."""

    word: str  # the secret word, joined with '_': "PASSWORD", "API_KEY"
    issued: bool  # a token or key a service issues (vs. a password whoever sets it chooses)
    qualified: bool  # qualifiers follow the secret word (DB_PASSWORD_PROD, PASSWORD_HASH)


def name_words(name: str) -> list[str]:
    """``DB_PASSWORD`` → DB PASSWORD; ``apiKey`` → API KEY; ``org.example.api-token`` → … API TOKEN."""
    out: list[str] = []
    for part in _token_split().split(name):
        out += [t.upper() for t in _camel().findall(part)]
    return out


def _secret_at(words: list[str], i: int) -> tuple[str, bool] | None:
    """The secret word that ends at ``words[i]`` (joined) and whether it is issued."""
    w = words[i]
    if w == "KEY" and i > 0 and words[i - 1] in _KEY_QUALIFIERS:
        prev = words[i - 1]
        # SECRET_KEY (Django, Flask) and SECRET_KEY_BASE (Rails) are chosen, like a password.
        return f"{prev}_KEY", prev not in ("SECRET", "SESSION", "APP", "ENCRYPTION", "CRYPT", "HMAC", "JWT")
    if w in _CHOSEN_WORDS:
        return w, False
    if w in _ISSUED_WORDS:
        return w, w not in ("SECRETKEY",)
    if _GLUED.match(w):
        return w, w.endswith("TOKEN")
    return None


def _secret_word_marks() -> tuple[str, ...]:
    """Lower-case substrings one of which every secret word holds (:func:`_secret_at`: the
    chosen and issued words, ``KEY``, the glued endings), the shortest ones only: ``pass``
    covers ``PASSWORD`` and ``REQUIREPASS``, ``pw`` covers ``PWD``, ``key`` every ``*_KEY``."""
    words = sorted({w.lower() for w in (*_CHOSEN_WORDS, *_ISSUED_WORDS, *_GLUED_LONG, *_GLUED_SHORT, "KEY")}, key=len)
    marks: list[str] = []
    for w in words:
        if not any(m in w for m in marks):
            marks.append(w)
    return tuple(marks)


# Every name secret_name() takes for a credential holds one of these, in any case: a text
# without any of them cannot name a credential (DF117's prefilter finds its candidates so).
SECRET_WORD_MARKS = _secret_word_marks()


@lru_cache(maxsize=4096)
def may_name_secret(fragment: str) -> bool:
    """Whether ``fragment`` could name a credential once the words in front of the name are
    dropped: :func:`secret_name` without its switch-word rule. A necessary condition: for a
    text ``W + name`` where ``W`` ends at a word break (a blank, ``_``...), ``secret_name(name)``
    implies ``may_name_secret(W + name)``; the words in front neither end the name nor change
    the secret word (``KEY`` keeps the qualifier before it), and switch words are ignored."""
    return _find_secret(name_words(fragment)) is not None


@lru_cache(maxsize=4096)
def secret_name(name: str) -> SecretName | None:
    """What credential ``name`` names, or None when it names none (or a setting about one)."""
    words = name_words(name)
    if not words or not _SWITCH_WORDS.isdisjoint(words):
        return None
    return _find_secret(words)


def _find_secret(words: list[str]) -> SecretName | None:
    if len(words) == 1 and words[0] in _TOO_VAGUE_ALONE:
        return None  # PWD is the working directory; the others say too little alone
    # The last secret word, with only qualifiers (or digits) after it.
    for i in range(len(words) - 1, -1, -1):
        found = _secret_at(words, i)
        if found is not None:
            word, issued = found
            return SecretName(word, issued, i < len(words) - 1)
        w = words[i]
        if not (w in _QUALIFIERS or w.isdigit()):
            return None
    return None


# -- values ----------------------------------------------------------------------------

_SENTINELS = frozenset(
    {
        "~",
        "none",
        "null",
        "nil",
        "undefined",
        "undef",
        "n/a",
        "na",
        "tbd",
        "todo",
        "fixme",
        "invalid",
        "unset",
        "notset",
        "not_set",
        "not-set",
        "user_provided",
        "user-provided",
        "userprovided",
        "provided",
        "redacted",
        "<redacted>",
        "hidden",
        "secret_here",
        "empty",
        "blank",
        "nothing",
        "unknown",
        "placeholder",
        "dummy_value",
        "00000000-0000-0000-0000-000000000000",
    }
)
_SWITCHES = frozenset(
    {
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "0",
        "1",
        "enabled",
        "disabled",
        "enable",
        "disable",
        "required",
        "optional",
        "random",
        "auto",
        "generate",
        "generated",
        "prompt",
        "ask",
        "skip",
        "default",
    }
)


@functools.cache
def _templated() -> re.Pattern[str]:
    return re.compile(
        r"^(?:<[^<>]*>|\{\{.*\}\}|\$\{\{.*\}\}|\{[^{}]*\}|\[[^\[\]]*\]|%[A-Za-z_][A-Za-z0-9_]*%|@[A-Za-z_][A-Za-z0-9_]*@"
        r"|__[A-Za-z][A-Za-z0-9_]*__|%\([A-Za-z_][A-Za-z0-9_]*\)s|#\{[^{}]*\})$",
        re.DOTALL,
    )


# A description of the slot: "your_api_key", "replace_me", "enter-token", "<put it here>".


@functools.cache
def _slot_start() -> re.Pattern[str]:
    return re.compile(
        r"^(?:(?:replace|insert|enter|put|fill|paste|provide|specify)(?:[-_ .]?(?:me|it|this)|[-_ .].*|your.*|with.*)?"
        r"|your[-_ .]?[a-z_ .-]*(?:password|passwd|pass|pwd|secret|token|key|apikey|credentials?|passphrase|value))$",
        re.IGNORECASE,
    )


@functools.cache
def _slot_end() -> re.Pattern[str]:
    return re.compile(r"[-_ .](?:goes[-_ .])?here[-_ .]?$", re.IGNORECASE)


@functools.cache
def _repeated() -> re.Pattern[str]:
    return re.compile(r"^(.)\1*$", re.DOTALL)


@functools.cache
def _version() -> re.Pattern[str]:
    return re.compile(r"^v?\d+(?:\.\d+)+(?:[-+][0-9A-Za-z.]+)?$")


@functools.cache
def _url() -> re.Pattern[str]:
    return re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://([^/@\s]*@)?[^\s]*$")


@functools.cache
def _file_name() -> re.Pattern[str]:
    return re.compile(
        r"^[\w.-]+\.(?:pem|key|crt|cer|der|p12|pfx|jks|keystore|asc|gpg|pub|json|ya?ml|txt|env|conf|cfg|ini|toml"
        r"|properties|secret|token)$",
        re.IGNORECASE,
    )


@functools.cache
def _number_or_duration() -> re.Pattern[str]:
    return re.compile(r"^\d+(?:\.\d+)?\s*(?:ms|s|m|h|d|w|y|sec|secs|min|mins|hours?|days?|weeks?)?$", re.IGNORECASE)


_ALGORITHMS = frozenset(
    {
        "bcrypt",
        "scrypt",
        "argon2",
        "argon2i",
        "argon2id",
        "pbkdf2",
        "pbkdf2_sha256",
        "sha1",
        "sha256",
        "sha512",
        "md5",
        "md5-crypt",
        "sha256-crypt",
        "sha512-crypt",
        "blf-crypt",
        "crypt",
        "ssha",
        "ssha256",
        "ssha512",
        "plain",
        "plaintext",
        "clear",
        "cleartext",
        "cram-md5",
        "digest-md5",
        "scram-sha-1",
        "scram-sha-256",
        "hs256",
        "hs384",
        "hs512",
        "rs256",
        "rs384",
        "rs512",
        "es256",
        "es384",
        "es512",
        "ps256",
        "eddsa",
        "aes",
        "aes128",
        "aes256",
        "aes-256-gcm",
        "aes-256-cbc",
        "rsa",
        "ed25519",
        "hmac",
        "hmac-sha256",
        "sha2",
        "ntlm",
        "trust",
        "md5sum",
        "none",
        "basic",
        "bearer",
        "login",
        "oauth",
        "oauth2",
        "jwt",
        "ldap",
    }
)
_SEQUENCES = ("0123456789" * 2, "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")
# Shell text that makes a value nobody knows: a generator run during the build.


@functools.cache
def _generator() -> re.Pattern[str]:
    return re.compile(
        r"openssl\s+rand\b|\bpwgen\b|\bapg\b|\bmakepasswd\b|\buuidgen\b|/dev/u?random\b|/proc/sys/kernel/random/uuid"
        r"|\$\{?RANDOM\b|\bsecrets\.(?:token_\w+|choice)|\bos\.urandom\b|\bgpg2?\s+(?:--\S+\s+)*--gen-random"
        r"|\brandom\.(?:SystemRandom|choices?|randint|sample)\b|\bmktemp\s+-u\b"
    )  # dd if=/dev/urandom: above


@functools.cache
def _substitution() -> re.Pattern[str]:
    return re.compile(r"\$\(|`")


class Verdict(NamedTuple):
    """:func:`assess`'s answer: a usable credential, or why not."""

    usable: bool
    why: str = ""  # why the value is not a usable credential ("a placeholder", "generated during the build"...)


USABLE = Verdict(True)


def _normalized(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _names_the_slot(value: str, name: str, secret: SecretName) -> bool:
    """``TOKEN=token``, ``API_KEY=api-key``, ``DUCKDNS_TOKEN=duckdns_token``, ``my_token``."""
    v = _normalized(value)
    for prefix in ("your", "my", "the", "some"):
        if v.startswith(prefix) and len(v) > len(prefix):
            v = v[len(prefix) :]
            break
    v = re.sub(r"(?:goes)?here$", "", v) or v
    words = name_words(name)
    candidates = {_normalized(secret.word), _normalized(name)}
    candidates.update("".join(words[i:]).lower() for i in range(len(words)))
    return v in candidates


def _sequential(value: str) -> bool:
    v = value.lower()
    return len(v) >= 4 and any(v in s for s in _SEQUENCES)


def assess(value: str, name: str | None = None, *, applied: bool = False) -> Verdict:
    """Whether ``value`` (as the program gets it; ``$VAR``/``$(...)`` kept as written) is a
    usable credential, for a setting called ``name`` (None: no name, e.g. a URL's password).

    ``applied``: a build step applies the value as it is (a password ``chpasswd`` sets), so
    masks and slot descriptions are real passwords; only generated values and template
    syntax are not known credentials.
    """
    t = value.strip()
    if t[:1] == t[-1:] and t[:1] in ("'", '"') and len(t) >= 2:
        t = t[1:-1].strip()
    unknown = _unknown_when_written(t, applied)
    if unknown is not None:
        return unknown
    if applied:
        return USABLE
    if not t:
        return Verdict(False, "empty")
    return _placeholder(t) or _reference(t) or _about_the_secret(t, name) or USABLE


def _unknown_when_written(t: str, applied: bool) -> Verdict | None:
    """A value nobody knows from the Dockerfile: generated during the build, or a template's."""
    if _substitution().search(t) and _generator().search(t):
        return Verdict(False, "generated during the build")
    if t.startswith(("{{", "${{", "{%")) or (applied and _templated().match(t) and not t.startswith("[")):
        return Verdict(False, "a template placeholder")
    return None


def _placeholder(t: str) -> Verdict | None:
    """A sentinel, a switch, a slot to fill in or a version number (``t`` not empty)."""
    lower = t.lower()
    if lower in _SENTINELS:
        return Verdict(False, "a placeholder")
    if lower in _SWITCHES:
        return Verdict(False, "a switch, not a value")
    if _templated().match(t) or _repeated().match(t) or _slot_end().search(t):
        return Verdict(False, "a placeholder")
    if (t == lower or t == t.upper()) and _slot_start().match(t):
        return Verdict(False, "a placeholder")  # your_api_key, REPLACE_ME; not yourStrong(!)Password
    if _version().match(t):
        return Verdict(False, "a version number")
    return None


def _reference(t: str) -> Verdict | None:
    """Where the credential is, not the credential: a path, a URL without a password, a file name."""
    if t.startswith(("/", "./", "../", "~/", "file:")) and " " not in t:
        return Verdict(False, "a path to the credential")
    url = _url().match(t)
    if url is not None and (url.group(1) is None or ":" not in url.group(1)):
        return Verdict(False, "a URL without a password")
    if _file_name().match(t):
        return Verdict(False, "a file name")
    return None


def _about_the_secret(t: str, name: str | None) -> Verdict | None:
    """What the setting's name says the value is instead: a placeholder naming its slot, or a
    setting about the credential (a length, a lifetime, an algorithm)."""
    secret = secret_name(name) if name else None
    if secret is None:
        return None
    if secret.issued and (_names_the_slot(t, name or "", secret) or _sequential(t)):
        return Verdict(False, "a placeholder")
    if secret.qualified and (_number_or_duration().match(t) or t.lower() in _ALGORITHMS):
        return Verdict(False, "a setting about the credential")
    return None


def usable(value: str, name: str | None = None) -> bool:
    return assess(value, name).usable


# -- values that are credentials whatever their name -------------------------------------------

# Token shapes, each with the number of leading characters that are not secret.


@functools.cache
def _shapes() -> tuple[tuple[str, re.Pattern[str], int], ...]:
    return (
        ("an AWS access key id", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"), 4),
        ("a GitHub token", re.compile(r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,}"), 4),
        ("a GitHub token", re.compile(r"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,}"), 11),
        ("a GitLab token", re.compile(r"(?<![A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20,}"), 6),
        ("a Slack token", re.compile(r"(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}"), 5),
        ("a Stripe secret key", re.compile(r"(?<![A-Za-z0-9])[rs]k_live_[A-Za-z0-9]{20,}"), 8),
        ("a Google API key", re.compile(r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}"), 4),
        ("a private key", re.compile(r"-----BEGIN[A-Z ]*PRIVATE KEY(?: BLOCK)?-----"), 0),
    )


# Cheap first pass: every shape above, and '://' for URLs, holds one of these.
# Each shape above holds one of these marks, case and all (a necessary condition; DF117's
# prefilter tests them as substrings).
SHAPE_MARKS = (
    "AKIA",
    "ASIA",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "xox",
    "k_live_",
    "AIza",
    "PRIVATE KEY",
)
_PREFILTER = re.compile("|".join([*(re.escape(m) for m in SHAPE_MARKS), "://"]))
# A URL with a password, found in linear time: each "://" is located with str.find, the scheme
# before it is matched at most 32 characters back, the rest forward from it (every part stops
# at the next '/', so the scans of two occurrences never overlap). One unanchored pattern
# would retry the scheme at every position: quadratic on a long run of letters.


@functools.cache
def _scheme_before() -> re.Pattern[str]:
    return re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,31}\Z")


@functools.cache
def _after_scheme() -> re.Pattern[str]:
    return re.compile(r"(?P<user>[^/\s:@]*):(?P<pw>[^/\s@]+)@(?P<host>[^\s/]*)")


def url_passwords(text: str) -> Iterator[tuple[str, str, str, str]]:
    """``(scheme, user, password, host)`` of each ``scheme://user:password@host`` in ``text``."""
    at = text.find("://")
    while at >= 0:
        scheme = _scheme_before().search(text, max(0, at - 32), at)
        if scheme is not None:
            m = _after_scheme().match(text, at + 3)
            if m is not None:
                yield scheme.group(), m.group("user"), m.group("pw"), m.group("host")
        at = text.find("://", at + 3)


def value_shape(text: str) -> tuple[str, str] | None:
    """(what, masked) for a well-known token shape or a URL with a password in ``text``, whatever
    it is called (DF102, DF117)."""
    if _PREFILTER.search(text) is None:
        return None
    for what, pattern, keep in _shapes():
        m = pattern.search(text)
        if m is not None and "EXAMPLE" not in m.group().upper():
            found = m.group()
            return what, found if keep == 0 else found[:keep] + "*" * 8
    for scheme, user, pw, host in url_passwords(text):
        if "$" in pw or not usable(pw):
            continue
        return "a URL with a password", f"{scheme}://{user}:{mask(pw, 0)}@{host}"
    return None


def secret_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, masked)`` of each well-known token and each URL password in ``text``, in
    order and without overlaps: what a tool that shows the text whole (``dockerlint inspect``)
    masks, as :func:`value_shape` masks them in messages. A password that is a variable
    (``$``) is no credential."""
    if _PREFILTER.search(text) is None:
        return []
    found: list[tuple[int, int, str]] = []
    for _, pattern, keep in _shapes():
        for m in pattern.finditer(text):
            if "EXAMPLE" not in m.group().upper():
                found.append((m.start(), m.end(), m.group() if keep == 0 else m.group()[:keep] + "*" * 8))
    at = text.find("://")
    while at >= 0:
        scheme = _scheme_before().search(text, max(0, at - 32), at)
        url = _after_scheme().match(text, at + 3) if scheme is not None else None
        if url is not None and "$" not in url.group("pw"):
            found.append((url.start("pw"), url.end("pw"), mask(url.group("pw"), 0)))
        at = text.find("://", at + 3)
    out: list[tuple[int, int, str]] = []
    for start, end, masked in sorted(found):
        if not out or start >= out[-1][1]:
            out.append((start, end, masked))
    return out


# -- a CI job's throwaway services ------------------------------------------------------------

_MIN_IMAGE_WORD = 4  # "DB", "SA", "APP" name no image
# Images that keep another image's setup variables: MariaDB and Percona read MySQL's
# (MYSQL_ROOT_PASSWORD), PostGIS, TimescaleDB and pgvector are the postgres image.
_SAME_VARIABLES = {"mysql": ("mariadb", "percona"), "postgres": ("postgis", "timescaledb", "pgvector")}


def _image_words(image: str) -> list[str]:
    """``mcr.microsoft.com/mssql/server:2019-latest`` -> mssql, server (registry, tag and digest
    dropped, lower case)."""
    ref = image.strip().split("@", 1)[0].lower()
    parts = ref.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    if parts:
        parts[-1] = parts[-1].split(":", 1)[0]
    return [p for p in parts if p]


def throwaway_service(name: str, images: Sequence[str]) -> str | None:
    """The image in ``images`` (a CI job's services) that takes ``name`` as its own initial
    password (``POSTGRES_PASSWORD`` and ``postgres:16``), or None: the name must be a *chosen*
    credential (a password, not a token or key) whose first word names the image."""
    secret = secret_name(name)
    if secret is None or secret.issued or not images:
        return None
    words = name_words(name)
    if len(words) < 2 or len(words[0]) < _MIN_IMAGE_WORD:
        return None
    first = words[0].lower()
    heirs = _SAME_VARIABLES.get(first, ())
    for image in images:
        found = _image_words(image)
        if found and found[-1] == "docker":
            continue  # the engine (docker:dind) creates no account of its own
        for part in found:
            if min(len(part), len(first)) >= _MIN_IMAGE_WORD and (part.startswith(first) or first.startswith(part)):
                return image
            if part.startswith(heirs):
                return image
    return None


# -- credentials written in a line of source text ----------------------------------------------
# What every excerpt a reporter prints is masked with, whatever rules ran: the credential model
# applied to the lines themselves (the spans rules found are added to it, not needed for it).
# Each scan below is linear: every "=" and ":" is found with str.find, a name is read backwards
# at most _MAX_NAME characters (never before the previous candidate), and once a credential
# name is found the search goes on after its value, so no character is read twice by values.

_MAX_NAME = 128
_NAME_REVERSED = re.compile(r"[A-Za-z0-9_.-]*")
_UNQUOTED_VALUE = re.compile(r"[^\s'\"]+")
_WORDS = re.compile(r"\S+")
# Options whose next word (or, glued, the rest of the word) is a password for some tool.
_USER_PASS_OPTIONS = frozenset({"-u", "--user", "--proxy-user", "-U"})
_PASS_NEXT = frozenset({"-storepass", "-keypass", "-srcstorepass", "-deststorepass", "-srckeypass", "-destkeypass"})
_P_TOOLS = ("mysql", "mariadb", "sshpass", "login", "mongo", "mongosh", "htpasswd")


def _quoted_or_word(text: str, at: int) -> tuple[int, int]:
    """``[start, end)`` of the value that starts at ``at``: a quoted string (to its closing
    quote, or the end of the text) or a word."""
    if at < len(text) and text[at] in "'\"":
        close = text.find(text[at], at + 1)
        return at + 1, (len(text) if close < 0 else close)
    m = _UNQUOTED_VALUE.match(text, at)
    return at, (m.end() if m is not None else at)


def _name_before(text: str, at: int, floor: int) -> int:
    """Where the name that ends at ``at`` starts (``at`` itself when there is none)."""
    low = max(floor, at - _MAX_NAME)
    m = _NAME_REVERSED.match(text[low:at][::-1])
    start = at - (m.end() if m is not None else 0)
    while start < at and not (text[start].isalpha() or text[start] == "_"):
        start += 1  # "--db-password": the name starts at its first letter
    return start


_DEFAULT = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*:?[-=]([^${}]*)\}")
_ENV_LEGACY = re.compile(r"\s*ENV\s+([A-Za-z_][A-Za-z0-9_.-]*)\s+", re.IGNORECASE)
_BASE64 = re.compile(r"[A-Za-z0-9+/]{8,}={0,2}")


def _literal(value: str, name: str | None) -> bool:
    return bool(value) and "$" not in value and assess(value, name).usable


def _value_ranges(text: str, a: int, b: int, name: str | None, out: list[tuple[int, int]]) -> None:
    """The credential of the value ``text[a:b]``: all of it when it is a literal credential;
    in a variable with a default (``${DB_PASSWORD:-dev-pw}``), the default."""
    value = text[a:b]
    if "$" not in value:
        if _literal(value, name):
            out.append((a, b))
        return
    for m in _DEFAULT.finditer(value):
        if _literal(m.group(1), name):
            out.append((a + m.start(1), a + m.end(1)))


def _assignments(text: str, out: list[tuple[int, int]]) -> None:
    """``NAME=value`` (``--db-password=…``, ``-Dgpg.passphrase=…``, ``PGPASSWORD=…``)."""
    floor = 0
    at = text.find("=")
    while at >= 0:
        start = _name_before(text, at, floor)
        nxt = at + 1
        if start < at and secret_name(text[start:at]) is not None:
            a, b = _quoted_or_word(text, at + 1)
            _value_ranges(text, a, b, text[start:at], out)
            nxt = max(b, at + 1)
        floor = nxt
        at = text.find("=", nxt)


def _mapping_value_end(text: str, a: int, flow: bool) -> int:
    """The end of an unquoted YAML value from ``a``: the line's end, before a comment, or the
    next ``,``/``}`` in a flow mapping."""
    end = len(text)
    hash_at = text.find(" #", a)
    if hash_at >= 0:
        end = hash_at
    if flow:
        for stop in (",", "}"):
            k = text.find(stop, a, end)
            if k >= 0:
                end = k
    while end > a and text[end - 1] in " \t":
        end -= 1
    return end


def _mappings(text: str, out: list[tuple[int, int]]) -> None:
    """``name: value`` (YAML) and ``"name": "value"`` (JSON) of credential names."""
    floor = 0
    at = text.find(":")
    while at >= 0:
        nxt = at + 1
        after = text[at + 1 : at + 2]
        quoted_name = at > floor and text[at - 1] in "'\""
        if after in ("", " ", "\t") or quoted_name:
            end = at - 1 if quoted_name else at
            start = _name_before(text, end, floor)
            name = text[start:end]
            if start < end and (secret_name(name) is not None or (quoted_name and name == "auth")):
                a = at + 1
                while a < len(text) and text[a] in " \t":
                    a += 1
                if a < len(text) and text[a] in "'\"":
                    a, b = _quoted_or_word(text, a)
                else:
                    b = _mapping_value_end(text, a, "{" in text[floor:start])
                if name == "auth":  # a Docker client config's base64 "user:password"
                    if _BASE64.fullmatch(text, a, b):
                        out.append((a, b))
                elif a < b and text[a] not in "|>&*!":
                    _value_ranges(text, a, b, name, out)
                nxt = max(b, at + 1)
        floor = nxt
        at = text.find(":", nxt)


def _option_words(text: str, out: list[tuple[int, int]]) -> None:
    """Passwords given as command-line words: ``--password VALUE`` (a long option with a
    credential name), ``curl -u user:pass``, ``mysql -pVALUE``, ``sshpass -p VALUE``, ``docker
    login -p VALUE``, ``openssl … pass:VALUE``, ``keytool -storepass VALUE``, ``echo
    'user:pass' | chpasswd``."""
    words = [(m.start(), m.end()) for m in _WORDS.finditer(text)]
    plain = [text[a:b].strip("'\"") for a, b in words]
    p_tool = any(w.rsplit("/", 1)[-1] in _P_TOOLS for w in plain)
    chpasswd = "chpasswd" in text
    for i, (a, b) in enumerate(words):
        w = plain[i]
        if w.startswith("pass:") and len(w) > 5:
            k = text.find("pass:", a, b) + 5
            _after(text, k, b, out)
        if i + 1 < len(words) and not plain[i + 1].startswith("-"):
            _option_value(text, w, words[i + 1], plain[i + 1], p_tool, out)
        if p_tool and w.startswith("-p") and len(w) > 2 and w[2] not in "-=":
            _after(text, a + 2 + (text[a] in "'\""), b, out)
        if chpasswd and ":" in w and not w.startswith(("-", "/")):
            _after(text, text.find(":", a, b) + 1, b, out, strip="'\";|")


def _after(text: str, a: int, b: int, out: list[tuple[int, int]], strip: str = "'\"") -> None:
    """``text[a:b]`` (its quotes or ``strip`` characters at the end left out) when it is a
    literal usable password."""
    value = text[a:b].rstrip(strip)
    if value and _literal(value, "password"):
        out.append((a, a + len(value)))


def _option_value(
    text: str, w: str, nxt: tuple[int, int], nxt_plain: str, p_tool: bool, out: list[tuple[int, int]]
) -> None:
    """The password in the word ``nxt`` that follows the option ``w``."""
    if (
        w in _PASS_NEXT
        or (w == "-p" and p_tool)
        or (w.startswith("--") and "=" not in w and secret_name(w[2:]) is not None)
    ):
        if _literal(nxt_plain, "password"):
            out.append(nxt)
    elif w in _USER_PASS_OPTIONS and ":" in nxt_plain:
        _after(text, text.find(":", nxt[0], nxt[1]) + 1, nxt[1], out)


_CONTINUED = re.compile(r"(?:^|\s)['\"]?(-[A-Za-z][\w.-]*)['\"]?\s*\\$")


def continued_credential(line: str, prev: str) -> tuple[int, int] | None:
    """``[start, end)`` of the first word of ``line`` when it is the value of a password option
    that ends the line before it with a continuation (``--admin-password \\``)."""
    m = _CONTINUED.search(prev[-_MAX_NAME:]) if prev.endswith("\\") else None
    if m is None:
        return None
    opt = m.group(1)
    if not (opt in _PASS_NEXT or (opt.startswith("--") and secret_name(opt[2:]) is not None)):
        return None
    word = _WORDS.search(line)
    if word is None or word.group().startswith("-"):
        return None
    a, b = word.start(), word.end()
    if line[a] in "'\"" and b - a >= 2 and line[b - 1] == line[a]:
        a, b = a + 1, b - 1
    return (a, b) if _literal(line[a:b], "password") else None


def credential_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each credential written in ``text`` (one line of a file), found by the
    credential model itself, whatever rule would report it: token shapes and URL passwords
    (:func:`secret_spans`), ``NAME=value``, ``name: value`` and ``--name value`` of credential
    names with literal usable values, and the password arguments of common tools. What every
    excerpt, snippet and fingerprint of a finding is masked with."""
    out: list[tuple[int, int]] = [(a, b) for a, b, _ in secret_spans(text)]
    lower = text.lower()
    marked = any(m in lower for m in SECRET_WORD_MARKS)
    if marked:
        if "=" in text:
            _assignments(text, out)
        if ":" in text:
            _mappings(text, out)
        legacy = _ENV_LEGACY.match(text)  # ENV NAME value (one variable, the rest of the line)
        if legacy is not None and "=" not in legacy.group(1) and secret_name(legacy.group(1)) is not None:
            end = len(text.rstrip(" \t\\"))
            if legacy.end() < end:
                _value_ranges(text, legacy.end(), end, legacy.group(1), out)
    elif '"auth"' in text:
        _mappings(text, out)
    if _may_hold_option_password(text, lower, marked):
        _option_words(text, out)
    return out


def _may_hold_option_password(text: str, lower: str, marked: bool) -> bool:
    """A necessary condition of a hit of :func:`_option_words`, cheap to test on every line."""
    if "chpasswd" in lower or "pass:" in lower or (marked and "-" in text):
        return True  # --password, -storepass, pass:, chpasswd
    if ":" in text and ("-u" in text or "-U" in text):
        return True  # curl -u user:pass, --user, --proxy-user
    return "-p" in text and any(tool in lower for tool in _P_TOOLS)
