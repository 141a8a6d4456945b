"""DC117 secret-in-environment: a literal credential in a container's environment or command,
or in an environment file of a Compose project that the repository does not ignore.

A variable fires when its name names a credential and its literal value is a usable one
(``rules/common/secrets.py``: placeholders, sentinels, templates, paths, switches and settings
about the credential are not), or when its value holds a well-known token shape or a URL
with a password, whatever the name. ``--flag value`` / ``--flag=value`` words of the
command line are judged the same way.

An environment file (a project's ``.env``, a service's ``env_file``) fires at the line of a
value written there that is a credential by its own name, by the name of the container
variable it becomes (``POSTGRES_PASSWORD: ${DB_PASS}``), or by what it makes of a value it is
interpolated into (``postgres://app:${DB_PASS}@db``); one finding per line, naming the
services that receive it. A file the repository's ignore rules exclude is local and stays
silent (:mod:`dockerlint.util.gitignore`, imported only when a file holds a credential).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.base import LStr, Span
from dockerlint.models.container import Container, EnvFile, EnvFileUse, EnvFileVar
from dockerlint.rules.common.containers import subject
from dockerlint.rules.common.secrets import masking, one_line_spans, secret_name, throwaway_service, usable
from dockerlint.rules.container._text import fit
from dockerlint.util import shellwords

# -- names ---------------------------------------------------------------------------
# Which names name a credential, and which values are usable credentials, is the shared
# model of rules/common/secrets.py (also DF102's, DF114's and DF117's).


def is_secret_name(name: str) -> bool:
    return secret_name(name) is not None


# -- values --------------------------------------------------------------------------
# scheme://user:password@: what r"\b([a-zA-Z][a-zA-Z0-9+.-]*)://([^\s:/@]*):([^\s/@]+)@" finds,
# in linear time (see _url_credentials).
_URL_TAIL = re.compile(r"://([^\s:/@]*):([^\s/@]+)@")
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_WORD_CHAR = re.compile(r"\w")
# Well-known token shapes: (what, pattern).
_TOKEN_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b")),
    ("a GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}")),
    ("a Stripe secret key", re.compile(r"\b[sr]k_live_[0-9A-Za-z]{20,}")),
    ("an npm token", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b")),
    ("a SendGrid API key", re.compile(r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}")),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WHOLE_DEFAULT = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*):?-(.*)\}$", re.DOTALL)


def literal(v: LStr) -> tuple[str, str | None] | None:
    """The literal text of an environment value, and the variable it is the default of.

    ``abc`` -> ``("abc", None)``; ``${X:-abc}`` -> ``("abc", "X")``; None when the value comes
    from the deployer's environment (``${X}``, ``$X``, ``pre${X}``): not written in the file.
    """
    raw = v.value
    if "$" not in raw.replace("$$", ""):
        return v.text, None
    m = _WHOLE_DEFAULT.match(raw.strip())
    if m is not None and "$" not in m.group(2).replace("$$", ""):
        # The default as written: when the project's .env sets the variable, its value is
        # judged at its line in the .env (below), not here.
        return m.group(2).replace("$$", "$"), m.group(1)
    return None


def _url_credentials(text: str, pos: int = 0) -> tuple[int, int, str, str, str] | None:
    """The first ``scheme://user:password@`` of ``text`` from ``pos``: (start, end, scheme,
    user, password).

    The pattern searched as one regular expression tries every start in a run of scheme
    characters and scans to its end each time (80 KB of ``a-a-a-…`` took 20 s): here each
    ``://`` is found once and its scheme is read backwards from it, so a run is read once.
    """
    for tail in _URL_TAIL.finditer(text, pos):
        end_of_scheme = start = tail.start()
        while start > pos and text[start - 1] in _SCHEME_CHARS:
            start -= 1
        for p in range(start, end_of_scheme):  # the leftmost letter at a word boundary
            if text[p].isascii() and text[p].isalpha() and (p == 0 or not _WORD_CHAR.match(text[p - 1])):
                return p, tail.end(), text[p:end_of_scheme], tail.group(1), tail.group(2)
    return None


def _mask_url(text: str) -> str:
    parts: list[str] = []
    pos = 0
    while (found := _url_credentials(text, pos)) is not None:
        start, end, scheme, user, _ = found
        parts += (text[pos:start], f"{scheme}://{user}:****@")
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def by_value(text: str) -> str | None:
    """What secret ``text`` holds whatever it is called: a known token shape or URL credentials."""
    for what, pattern in _TOKEN_SHAPES:
        if pattern.search(text):
            return what
    found = _url_credentials(text)
    if found is not None and "$" not in found[4] and found[4].strip("*x") != "":
        url = _mask_url(text[found[0] :].split()[0])
        return f"a password in the URL '{url}'"
    return None


def _name(name: str) -> str:
    """A variable or flag name the file wrote: plain when it is a short identifier (how users
    read ``POSTGRES_PASSWORD``), else through :func:`dockerlint.api.quote`."""
    return name if len(name) <= 40 and _PLAIN_NAME.match(name) else quote(name, 40)


_PLAIN_NAME = re.compile(r"^(?:--?|\$\{)?[A-Za-z_][A-Za-z0-9_.-]*\}?$")
_CMD_FIX = "; pass it in a file or the environment"


def _size(text: str) -> str:
    n = len(text)
    return f"{n} character{'s' if n != 1 else ''}"


# -- command words -------------------------------------------------------------------
_FLAG = re.compile(r"^--?([A-Za-z][A-Za-z0-9_.-]*)(?:=(.*))?$", re.DOTALL)


_DEFAULT = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^${}]*)\}")


def written(raw: str) -> str:
    """``raw`` as this file alone says it: interpolation defaults applied, other references
    (``${X}``, resolved from the project's .env or not) kept, ``$$`` unescaped. A value the
    .env supplies is judged at its line in the .env, not here."""
    if "$" not in raw:
        return raw
    return _DEFAULT.sub(lambda m: m.group(1), raw).replace("$$", "$")


def _words(c: Container) -> Iterator[tuple[LStr, str]]:
    """Words of ``command`` and ``entrypoint`` (a word with spaces, ``sh -c '...'``, split again),
    as written in the file (see :func:`written`)."""
    for seq in (c.entrypoint, c.command):
        previous: str | None = None
        for w in seq:
            if w.value is previous:
                # The next word of the same expression (``${X:-a b}`` gives two words, each
                # written as the whole expression): its words were read with the first one.
                # Splitting the whole text again for each of its words was quadratic
                # (20,000 words of one 100 KB unclosed ``${``: minutes).
                continue
            previous = w.value
            text = written(w.value)
            if any(ch.isspace() for ch in text.strip()):
                try:
                    parts = shellwords.split(text)
                except ValueError:
                    parts = text.split()
                for part in parts:
                    yield w, part
            else:
                yield w, text


def _command_hits(c: Container) -> Iterator[tuple[Hit, tuple[Span, ...]]]:
    words = list(_words(c))
    for i, (w, text) in enumerate(words):
        what = by_value(text)
        if what is not None:
            yield (
                Hit(
                    w.span,
                    fit(f"{subject(c)} passes {what} on its command line", _CMD_FIX),
                    context=f"{c.name.value}:command:{i}",
                ),
                one_line_spans(w.span),
            )
            continue
        m = _FLAG.match(text)
        if m is None or not is_secret_name(m.group(1)) or not text.startswith("--"):
            continue  # one-dash flags (-p) mean a port for most programs: not judged
        value = m.group(2)
        if value is None and i + 1 < len(words) and not words[i + 1][1].startswith("-"):
            value = words[i + 1][1]
        if value is None or "$" in value or not usable(value, m.group(1)):
            continue  # $VAR: read from the environment at run time, not written here
        flag = text.split("=", 1)[0]
        yield (
            Hit(
                w.span,
                fit(
                    f"{subject(c)} passes a literal value ({_size(value)}) to {_name(flag)} on its command line",
                    _CMD_FIX,
                ),
                context=f"{c.name.value}:command:{flag}",
            ),
            one_line_spans(w.span),
        )


@rule(
    id="DC117",
    name="secret-in-environment",
    reads=(Container, EnvFile),
    severity=Severity.HIGH,
    summary="Literal credential in a container's environment or command line, or in a committed .env",
    cwe=(798, 312),
    peers={"compose-lint": "CL-0020, CL-0021"},
    precision="high",
    tags=("security",),
)
def secret_in_environment(c: Container | EnvFile, ctx: RuleContext) -> Iterator[Hit]:
    if isinstance(c, EnvFile):
        yield from masking(_env_file(c, ctx))
        return
    yield from masking(_container_hits(c))


def _container_hits(c: Container) -> Iterator[tuple[Hit, tuple[Span, ...]]]:
    for var in c.environment:
        if var.value is None:
            continue  # passed through from the deployer's environment
        lit = literal(var.value)
        if lit is None:
            continue
        text, default_of = lit
        name = var.name.value
        where = f", the default of {_name('${' + default_of + '}')}" if default_of else ""
        what = by_value(text)
        if what is not None:
            msg = f"{subject(c)} sets {_name(name)} to {what}"
        elif is_secret_name(name) and usable(text, name):
            if throwaway_service(name, c.job_services) is not None:
                continue  # the initial password of a service the CI job creates and removes
            msg = f"{subject(c)} sets {_name(name)} to a literal value ({_size(text)})"
        else:
            continue
        # The fix in a few words; the rule page ("Use instead") says each in full.
        if c.source == "devcontainer":
            fix = f"; use ${{localEnv:{name}}}" if _PLAIN_NAME.match(name) else "; use ${localEnv:...}"
        elif c.source == "quadlet":
            fix = f"; use Secret=NAME,type=env,target={name}" if _PLAIN_NAME.match(name) else "; use Secret="
        elif c.source == "github":  # a job container's env: or a docker run line of a step
            fix = "; use a secret (${{ secrets.NAME }})"
        elif c.source == "gitlab":  # a job's or service's variables
            fix = "; use a masked CI/CD variable"
        elif c.source != "compose":  # a command line: -e NAME passes the caller's value
            fix = f"; pass it from the environment (-e {name})" if _PLAIN_NAME.match(name) else "; pass it with -e NAME"
        elif default_of:
            fix = "; use ${...:?error} or a Compose secret"
        else:
            fix = "; use ${...} from .env or a Compose secret"
        short = {
            "devcontainer": "; use ${localEnv:...}",
            "quadlet": "; use a Podman secret (Secret=)",
            "compose": "",
            "github": "; use a secret",
            "gitlab": "; use a masked CI/CD variable",
        }.get(c.source, "; pass it with -e NAME")
        yield (
            Hit(
                var.value.span,
                fit(msg, where, fix if len(msg + where + fix) <= 140 else short),
                context=f"{c.name.value}:env:{name}",
            ),
            one_line_spans(var.value.span),
        )
    yield from _command_hits(c)


# -- environment files -----------------------------------------------------------------
MAX_RECEIVERS = 2  # services named in a message (the others are counted)


def _judge(var: EnvFileVar) -> tuple[str, EnvFileUse | None] | None:
    """What credential the line holds, and the use that makes it one when its own name does
    not (None: not a credential)."""
    raw = var.value.value
    if "$" in raw.replace("$$", ""):
        return None  # built from other variables: the credential, if any, is written on their line
    text = raw.replace("$$", "$")
    name = var.name.value
    what = by_value(text)
    if what is not None:
        return what, None
    size = f"a literal value ({_size(text)})"
    if is_secret_name(name) and usable(text, name):
        return size, None
    for use in var.uses:
        if use.alone and use.via == "interpolation" and is_secret_name(use.name) and usable(text, use.name):
            return size, use
    for use in var.uses:
        if not use.alone:
            made = by_value(use.value)
            if made is not None and by_value(use.rest) is None:
                return made, use
    return None


def _receivers(uses: list[EnvFileUse]) -> str:
    by_container: dict[str, list[str]] = {}
    for use in sorted(uses, key=lambda u: u.container):
        how = "env_file" if use.via == "env_file" else use.name
        got = by_container.setdefault(use.container, [])
        if how not in got:
            got.append(how)
    parts = [f"{container} ({', '.join(hows)})" for container, hows in by_container.items()]
    if len(parts) > MAX_RECEIVERS:
        parts = [*parts[:MAX_RECEIVERS], f"{len(parts) - MAX_RECEIVERS} more"]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _env_file(f: EnvFile, ctx: RuleContext) -> Iterator[tuple[Hit, tuple[Span, ...]]]:
    found = [(var, got) for var in f.variables if (got := _judge(var)) is not None]
    if not found:
        return
    if ctx.repository_ignores:
        from dockerlint.util import gitignore

        verdict = gitignore.check(f.abspath, ctx.roots)
        if verdict.ignored:
            return  # a local file: the repository's ignore rules keep it out of version control
        committed = "; no ignore rule excludes the file"
        if verdict.over_budget:
            committed = "; taken as committed (ignore rules too costly to read)"
    else:  # --isolated: what the repository commits (its .gitignore) hides nothing
        committed = "; taken as committed (--isolated)"
    file = quote(os.path.basename(f.path), 32)
    for var, (what, use) in found:
        name = _name(var.name.value)
        if use is not None and not use.alone:
            head = f"{file} sets {name}, part of {what}"  # in the variable the receivers name
        else:
            head = f"{file} sets {name} to {what}"
        if not var.uses:
            received = ["; no service of the scan receives it"]
        else:
            count = len({u.container for u in var.uses})
            received = [
                f", received by {_receivers(var.uses)}",
                f", received by {count} service{'s' if count != 1 else ''}",
            ]
        # who receives it (by name, else how many), then whether it is committed, if it fits
        message = next((head + r for r in received if len(head + r) <= 140), head)
        yield Hit(var.value.span, fit(message, committed), context=f"env-file:{name}"), one_line_spans(var.value.span)
