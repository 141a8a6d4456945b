"""DF111 secret-file-in-image: a credentials file is copied into, or written into, a layer.

``COPY``/``ADD`` of (source, or where it lands):

* private keys: ``id_rsa``/``id_ed25519``/… (not ``*.pub``), ``*.key``, ``*key.pem``,
  ``*privkey*.pem``, ``*.p12``/``*.pfx``, anything in a ``.ssh`` directory but
  ``known_hosts``, ``config``, ``authorized_keys``;
* credential files: ``.env`` (``.env.production``; not ``.env.example``/``.sample``/
  ``.template``/``.dist``), ``.npmrc``, ``.pypirc``, ``.netrc``, ``.git-credentials``,
  ``.pgpass``, ``.aws/credentials``, ``.docker/config.json``, ``.dockercfg``,
  ``.kube/config``.

``RUN`` steps that write credentials to a file: a redirection or ``tee`` to ``.netrc``,
``.git-credentials``, ``.pgpass``, ``.aws/credentials``, an SSH private key path, or to
``.npmrc``/``.pypirc``/``.docker/config.json`` with token or password content;
``git config credential.helper store``; ``npm``/``yarn config set …_authToken``;
``docker login``; ``aws configure set aws_secret_access_key``.

When a copied key, certificate or keyring (``*.key``, ``*.pem``, ``*.crt``, ``*.asc``,
``*.gpg``, ``*.pub``, ``id_*``, anything landing in ``.ssh``) is in the build context inside
the scanned tree, its first bytes decide (``rules/common/tree.py`` reads at most 8 KiB of a
regular file, never through a link out of the tree): a PGP public key block or keyring,
an SSH public key or a certificate is public and does not fire, whatever its name; a
``PRIVATE KEY`` block fires, whatever its name. An ``.npmrc``, ``.pypirc`` or Docker
``config.json`` in the tree fires only when it sets a token or password (not
``_authToken=${NPM_TOKEN}``, which npm reads from the environment). The build context is the one a Compose
service builds it with, else the Dockerfile's folder or a folder above it. Only when the
file is not in the tree does the name decide, and the message says so.

A file the same ``RUN`` removes afterwards (``… && rm ~/.npmrc``) or that is a mount of the
``RUN`` (``--mount=type=secret,target=/root/.npmrc``) is not in the layer and does not fire.
Note that ``--mount=type=secret`` alone does not help: a file written *from* the secret
stays in the layer unless it is removed in the same ``RUN``.

Stage-aware (``_builds.shipped_stages``): in a builder-only stage, which other stages only copy
files out of, the file is not in any image anyone pulls, only in the build cache: medium, and
the message says so instead of "anyone who can pull the image".

Where it points: at the source word of ``COPY``/``ADD``; at the file a ``RUN`` writes (the
redirection target, the ``tee`` operand), or at the setting that stores the credential.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.knowledge.commands import DOCKER_LOGIN, split_options
from dockerlint.models.base import Span
from dockerlint.models.image import ImageBuild, Instruction, Stage
from dockerlint.models.shell import Command, Script, Step, Word
from dockerlint.rules.common.builds import build_contexts, shipped_stages
from dockerlint.rules.common.image import add_sources, mount_options
from dockerlint.rules.common.secrets import usable
from dockerlint.rules.common.tree import PREFIX, classify, context_files, read_prefix
from dockerlint.rules.image._shell import removed_later, run_scripts

_MENTIONS = re.compile(
    r"netrc|npmrc|pypirc|git-credentials|pgpass|\.aws/|config\.json|dockercfg|"
    r"id_(?:rsa|dsa|ecdsa|ed25519)|\.ssh/|credential\.helper|_authToken|npmAuthToken|_auth\b|"
    r"_password|docker\s+login|aws\s+configure"
)


@functools.cache
def _ssh_key() -> re.Pattern[str]:
    return re.compile(r"id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?(?:[._-].*)?")


_ENV_OK_SUFFIXES = frozenset({"example", "sample", "template", "dist", "defaults", "tpl", "schema"})
_PUBLIC_KEY_HINTS = ("pub", "gpg", "release", "signing", "archive", "keyring", "apt")
_SSH_PUBLIC = frozenset({"known_hosts", "config", "authorized_keys", "authorized_keys2", "environment"})
# Files whose mere existence holds a credential, vs. config files that hold one only with
# token or password content.
_CONTENT_NEEDED = frozenset({".npmrc", ".pypirc", "config.json", ".dockercfg"})


@functools.cache
def _token_content() -> re.Pattern[str]:
    return re.compile(r"_authToken|_auth\b|_password|password|\"auth\"|\bauths\b|token", re.IGNORECASE)


def secret_kind(path: str) -> str | None:
    """What credential a file at ``path`` holds, by its name (None: not a known secret file)."""
    parts = [p for p in path.replace("\\", "/").rstrip("/").split("/") if p not in ("", ".")]
    if not parts:
        return None
    lower = parts[-1].lower()
    parent = parts[-2].lower() if len(parts) > 1 else ""
    if lower.endswith(".pub"):
        return None
    if lower == ".ssh" or parent == ".ssh" or _ssh_key().fullmatch(lower):
        return _ssh_kind(lower)
    return _BY_NAME.get(lower) or _BY_FOLDER_AND_NAME.get((parent, lower)) or _kind_by_suffix(lower)


# Credential files known by their name alone, or by their folder and name.
_BY_NAME = {
    ".netrc": "a .netrc (login credentials)",
    "_netrc": "a .netrc (login credentials)",
    ".git-credentials": "a .git-credentials file (stored passwords/tokens)",
    ".pgpass": "a .pgpass file (database passwords)",
    ".npmrc": "an .npmrc (registry tokens)",
    ".pypirc": "a .pypirc (package index passwords)",
    ".dockercfg": "a Docker client config (registry credentials)",
}
_BY_FOLDER_AND_NAME = {
    (".docker", "config.json"): "a Docker client config (registry credentials)",
    (".aws", "credentials"): "AWS credentials",
    (".kube", "config"): "a kubeconfig (cluster credentials)",
}


def _ssh_kind(lower: str) -> str | None:
    """An SSH folder, a key named like one (id_rsa…), or a file in an SSH folder (``lower``: its name)."""
    if lower == ".ssh":
        return "an SSH directory (private keys)"
    if _ssh_key().fullmatch(lower):
        return "an SSH private key"
    return None if lower in _SSH_PUBLIC else "a file from an SSH directory (a private key?)"


def _kind_by_suffix(lower: str) -> str | None:
    """.env files, key stores and private keys, by the end of their name ``lower``."""
    if lower == ".env" or (lower.startswith(".env.") and lower[5:] not in _ENV_OK_SUFFIXES):
        return "an .env file (application secrets)"
    if lower.endswith((".p12", ".pfx")):
        return "a PKCS#12 key store (private key)"
    if lower.endswith(".key") and not any(h in lower for h in _PUBLIC_KEY_HINTS):
        return "a private key"
    if lower.endswith(".pem") and ("key" in lower or "priv" in lower) and "pub" not in lower:
        return "a private key"
    return None


def _landing(source: str, dest: str) -> str:
    """Where ``source`` lands: ``dest`` itself, or inside it when it is a directory."""
    if dest.endswith("/") or dest.rstrip("/").lower().endswith(".ssh"):
        name = source.rstrip("/").rsplit("/", 1)[-1]
        return dest.rstrip("/") + "/" + name
    return dest


@functools.cache
def _key_file() -> re.Pattern[str]:
    return re.compile(r"\.(?:key|pem|crt|cer|cert|asc|gpg|pub)$", re.IGNORECASE)


def _key_like(path: str) -> bool:
    """A file whose content says whether it is secret: a key, certificate or keyring name."""
    base = path.rstrip("/").rsplit("/", 1)[-1].lower()
    return bool(_key_file().search(base) or _ssh_key().fullmatch(base))


# A credential setting in a config file: .npmrc/.pypirc ``key = value``, Docker's JSON.


@functools.cache
def _config_secret() -> re.Pattern[str]:
    return re.compile(
        r"""(?im)(?:_authToken|_auth|_password|\bpassword|\btoken|"auth"|"identitytoken"|"registrytoken")"""
        r"""\s*[:=]\s*"?([^"\s,}]*)"""
    )


@functools.cache
def _reference() -> re.Pattern[str]:
    return re.compile(r"^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$")


def _holds_credential(text: str) -> bool:
    """A config file's text sets a usable credential (not ``${NPM_TOKEN}``, which npm reads
    from the environment, nor an empty value)."""
    for m in _config_secret().finditer(text):
        value = m.group(1)
        if value and not _reference().match(value) and usable(value):
            return True
    return False


class _Contexts:
    """The build contexts of one Dockerfile, found once per run of the rule (a file of 10,000
    COPY lines resolves them once)."""

    def __init__(self, build: ImageBuild, ctx: RuleContext) -> None:
        self.build, self.ctx = build, ctx
        self._found: list[str] | None = None

    def __iter__(self) -> Iterator[str]:
        if self._found is None:
            self._found = build_contexts(self.build, self.ctx)
        return iter(self._found)


def _context_files(contexts: _Contexts, ctx: RuleContext, source: str) -> list[str] | None:
    """The files ``source`` names in the first build context (in the tree) that has it."""
    for context in contexts:
        files = context_files(context, source, ctx.roots)
        if files:
            return files
    return None


def _in_tree(contexts: _Contexts, ctx: RuleContext, source: str) -> tuple[bool, tuple[str, str] | None]:
    """Whether the build context in the scanned tree holds ``source``, and what its first
    bytes say (``("secret"|"public", what)``, ``("unreadable", path)``; None: not known)."""
    files = _context_files(contexts, ctx, source)
    return (True, classify(files, ctx.roots)) if files else (False, None)


def _config_in_tree(contexts: _Contexts, ctx: RuleContext, source: str) -> tuple[bool, bool | None]:
    """For a config file that holds a credential only with token content (.npmrc, .pypirc,
    Docker's config.json): whether it is in the tree, and whether it holds one (None: it
    could not be read)."""
    files = _context_files(contexts, ctx, source)
    if not files:
        return False, None
    for path in files:
        data = read_prefix(path, ctx.roots, PREFIX)
        if data is None:
            return True, None
        if _holds_credential(data.decode("utf-8", "replace")):
            return True, True
    return True, False


def _builder_only(stage: Stage) -> str:
    """What a finding in a builder-only stage says instead of "anyone who can pull the image"."""
    if stage.name is not None:
        return f"builder-only stage {quote(stage.name.value)}"
    return f"the builder-only stage at line {stage.from_instruction.start_line}"


def _copy_hits(contexts: _Contexts, ins: Instruction, ctx: RuleContext, builder: Stage | None) -> Iterator[Hit]:
    if len(ins.args) < 2:
        return
    dest = ins.args[-1].text
    from_stage = ins.flag("from") is not None
    for src in add_sources(ins):
        text = src.text
        if "://" in text or text.startswith("git@"):
            continue
        kind = secret_kind(text)
        where = ""
        if kind is None:
            kind = secret_kind(_landing(text, dest))
            where = f" (it lands at {quote(dest)})"
        how = ""
        base = text.rstrip("/").rsplit("/", 1)[-1].lower()
        if kind is not None and not where and not from_stage and base in _CONTENT_NEEDED:
            found, holds = _config_in_tree(contexts, ctx, text)
            if holds is False:
                continue  # settings only, or a token read from the environment (${NPM_TOKEN})
            if not found:
                how = f" (judged by name: {quote(text)} is not in the scan)"
        elif not from_stage and (_key_like(text) or (kind is not None and "key" in kind.lower())):
            found, content = _in_tree(contexts, ctx, text)
            verdict, what = content if content is not None else ("", "")
            if verdict == "public":
                continue  # a public key or certificate: its first bytes say so
            if verdict == "secret":
                kind, where = what, ""
            elif kind is None:
                pass
            elif not found:
                how = f" (judged by name: {quote(text)} is not in the scan)"
            elif verdict == "unreadable":
                how = " (judged by name: not a regular file in the scan)"
        if kind is not None:
            yield _copy_hit(ins, src.span, (kind, f"{where}{how}"), text, builder)


def _copy_hit(ins: Instruction, span: Span, kind_and_notes: tuple[str, str], source: str, builder: Stage | None) -> Hit:
    """The finding of a COPY/ADD source: the kind of file and the notes on it, put into the
    image or a builder-only stage; the fix's details when they fit in 140 characters."""
    kind, notes = kind_and_notes
    into = "the image" if builder is None else _builder_only(builder)
    message = f"{ins.keyword} puts {kind} into {into}{notes}"
    advice = "; use a build secret (RUN --mount=type=secret)"
    message += advice if len(message + advice) <= 140 else "; use a build secret"
    if builder is None:
        return Hit(span, message, context=f"{ins.keyword.lower()}:{source}")
    return Hit(span, message, severity=Severity.MEDIUM, context=f"{ins.keyword.lower()}:{source}")


def _mount_targets(ins: Instruction) -> set[str]:
    out: set[str] = set()
    for flag in ins.flags:
        if flag.name == "mount" and flag.value:
            target = mount_options(flag.value).get("target")
            if target:
                out.add(target.rstrip("/"))
    return out


def _content(step: Step) -> str:
    """What the command writes: echo/printf arguments, heredoc bodies, its pipeline's upstream."""
    parts: list[str] = []
    cmds: Sequence[Command] = step.pipeline.commands[: step.position + 1]
    for cmd in cmds:
        if cmd.name in ("echo", "printf", "cat", "tee"):
            parts.extend(w.text for w in cmd.args)
        parts.extend(r.body for r in cmd.redirects if r.body)
    return "\n".join(parts)


def _write_targets(cmd: Command) -> list[Word]:
    """The files a command writes: redirection targets, ``tee`` operands."""
    out = [r.target for r in cmd.redirects if r.writes and r.target is not None]
    if cmd.name == "tee":
        out += [w for w in cmd.args if not w.text.startswith("-")]
    return out


def _same_path(a: str, mounts: set[str]) -> bool:
    norm = a.rstrip("/")
    for m in mounts:
        if norm == m or norm.replace("~", "/root", 1) == m or norm.replace("$HOME", "/root", 1) == m:
            return True
    return False


def _setting_hit(cmd: Command) -> tuple[Word, str] | None:
    """Commands that store a credential in a file: (the word to point at, what it does)."""
    name = cmd.name
    args = cmd.args
    values = [w.value or w.text for w in args]
    if name == "git" and "config" in values:
        for k, v in enumerate(values):
            if v.lower() == "credential.helper" and k + 1 < len(values) and values[k + 1].startswith("store"):
                return args[k], "git config credential.helper store saves passwords in ~/.git-credentials"
    if name in ("npm", "yarn", "pnpm") and "set" in values:
        for w, v in zip(args, values):
            if re.search(r"_authToken|npmAuthToken|_auth$|_password", v):
                return w, f"{name} config set {v.split('=')[0]} writes a registry token to the user config"
    if name == "docker" and values[:1] == ["login"]:
        for o in split_options(args[1:], DOCKER_LOGIN.short_with_value, DOCKER_LOGIN.long_with_value):
            if o.name in ("-p", "--password", "--password-stdin"):
                return o.word, "docker login saves the registry password in ~/.docker/config.json"
    if name == "aws" and values[:2] == ["configure", "set"]:
        for w, v in zip(args, values):
            if v.split(".")[-1] in ("aws_secret_access_key", "aws_session_token"):
                return w, "aws configure set stores the secret key in ~/.aws/credentials"
    return None


def _run_hits(ins: Instruction, script: Script, builder: Stage | None) -> Iterator[Hit]:
    mounts = _mount_targets(ins)
    for index, step in enumerate(script.walk()):
        cmd = step.command
        for target in _write_targets(cmd):
            path = target.text
            kind = secret_kind(path)
            if kind is None or kind.startswith("an .env") or "PKCS" in kind:
                continue
            base = path.rstrip("/").rsplit("/", 1)[-1].lower()
            if base in _CONTENT_NEEDED and not _token_content().search(_content(step)):
                continue
            if _same_path(path, mounts) or removed_later(script, index, path):
                continue
            yield _run_hit(target.span, f"this RUN writes {kind} to {quote(path)}", path, builder)
        found = _setting_hit(cmd)
        if found is not None:
            word, what = found
            yield _run_hit(word.span, what, cmd.name or "", builder)


def _run_hit(span: Span, what: str, context: str, builder: Stage | None) -> Hit:
    advice = "mount it as a build secret, or delete it in the same RUN"
    if builder is not None:
        return Hit(
            span,
            f"{what}, in {_builder_only(builder)}; {advice}",
            severity=Severity.MEDIUM,
            context=f"run-writes:{context}",
        )
    return Hit(span, f"{what}; {advice}", context=f"run-writes:{context}")


@rule(
    id="DF111",
    name="secret-file-in-image",
    reads=ImageBuild,
    severity=Severity.HIGH,
    summary="A credentials file (private key, .env, .npmrc, .netrc...) is copied or written into the image",
    cwe=(538,),
    cis=("4.10",),
    peers={"trivy": "DS-0031 (partial)"},
    precision="high",
    tags=("security", "secrets"),
)
def secret_file_in_image(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    contexts = _Contexts(build, ctx)
    builders = _builder_stages(build, ctx)
    for ins in build.instructions:
        if ins.keyword in ("COPY", "ADD"):
            yield from _copy_hits(contexts, ins, ctx, builders.get(id(ins)))
    for ins, script in run_scripts(build, _MENTIONS):
        yield from _run_hits(ins, script, builders.get(id(ins)))


def _builder_stages(build: ImageBuild, ctx: RuleContext) -> dict[int, Stage]:
    """The builder-only stage of each instruction in one (by ``id``): its layers are in no
    image anyone pulls (``shipped_stages``)."""
    if len(build.stages) < 2:
        return {}
    shipped = shipped_stages(build, ctx)
    return {id(ins): stage for stage in build.stages if stage.index not in shipped for ins in stage.instructions}
