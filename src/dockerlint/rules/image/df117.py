"""DF117 secret-in-build-history: a credential reaches the image history or config through a build step.

Two cases.

**A secret-named build argument a build step uses.** ``ARG NPM_TOKEN`` declared in a stage
is in the environment of every later ``RUN`` of that stage, and BuildKit records the value
of every build argument in scope in that step's history entry (``docker history`` shows
``RUN |1 NPM_TOKEN=… /bin/sh -c …``), also in max-mode provenance attestations. Fires at the
``ARG`` name when a ``RUN`` follows it in the same stage, or at an ``ENV`` value that copies
a build argument into a secret-named variable, or copies a secret-named build argument
(``ENV NPM_TOKEN=$NPM_TOKEN``): ``ENV`` persists in the image config. Names are judged by the
shared credential model (``rules/common/secrets.py``): ``ARG GPG_KEY``, ``ARG TOKEN_FILE``,
``ARG PASSWORD_LENGTH`` are not secrets. BuildKit's own ``SecretsUsedInArgOrEnv`` check flags
the names alone; this rule is stage-aware:

- a stage the final image descends from (the final stage and the stages it builds on with
  ``FROM <stage>``): high, the history ships with the image;
- a builder-only stage (only files are copied out of it): medium, and the message says why:
  that history is not in the final image, but the value stays in the build cache, the build
  record and max-mode provenance.

**A literal credential in a ``RUN`` line**: a URL with a password (``https://user:pass@…``),
a well-known token shape, ``curl -u user:pass``, ``--password=…``/``--token …`` (any long
option with a secret name and a literal value), ``-p<pass>`` to MySQL/MariaDB clients,
``sshpass -p``, ``docker login -p``, ``htpasswd -b``, ``PGPASSWORD=…``/``export
API_TOKEN=…`` assignments, secret-named Java system properties of the JVM build tools
(``mvn -Dgpg.passphrase=…``, ``gradle -PsigningPassword=…``), openssl's ``-passin``/
``-passout``/``-pass pass:…``, and keytool's ``-storepass``/``-keypass`` (and their
``-src``/``-dest`` forms; not the JDK trust store's public ``changeit`` with ``-cacerts``).
Values that are not usable credentials (placeholders, variables,
``$(cat /run/secrets/…)``) do not fire. The same severity split applies: the line is in the
Dockerfile and the history of the stage that runs it.

Where it points: at the ``ARG`` name, the ``ENV`` value, or the word holding the credential.
Messages never repeat the secret.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.knowledge.commands import CURL, WGET
from dockerlint.models.base import LStr, Span
from dockerlint.models.image import ImageBuild, Instruction, Stage
from dockerlint.models.shell import Command, Script, Word
from dockerlint.rules.common.builds import shipped_stages
from dockerlint.rules.common.secrets import (
    SECRET_WORD_MARKS,
    SHAPE_MARKS,
    assess,
    masking,
    may_name_secret,
    one_line_spans,
    secret_name,
    url_passwords,
    value_shape,
)
from dockerlint.rules.image._shell import operands, options
from dockerlint.util.safetext import mask

_REFERENCE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")  # the name only: linear on any text
# -- the prefilter -------------------------------------------------------------------------------
# Parsing a RUN as shell is the expensive part, and other rules' own prefilters leave most RUN
# lines unparsed; so a RUN is parsed here only when its text could hold a hit. Each test below
# is a necessary condition of one kind of hit of _command_hits, judged on the text with line
# continuations, quotes and backslashes removed (a word's text is its raw text without them, so
# a word's text is a substring of that plain text), and, for names, with the credential model's
# own words (SECRET_WORD_MARKS, may_name_secret): no second list that could drift.
# tests/rules/test_df117.py checks the "necessary" part with generated RUN lines.
_MYSQL_CLIENTS = frozenset(
    {
        "mysql",
        "mysqldump",
        "mysqladmin",
        "mysqlimport",
        "mysqlshow",
        "mysqlcheck",
        "mysqlsh",
        "mariadb",
        "mariadb-dump",
        "mariadb-admin",
        "mariadb-import",
        "mariadb-check",
    }
)
_SEPARATORS = " \t\n\r\f\v;&|()<>`"
_SEPARATOR_TO_GLUE = str.maketrans(_SEPARATORS, "_" * len(_SEPARATORS))
# A quoted string or an escaped character (an unterminated quote runs to the end): linear.
# One group, so that re.split keeps them (at the odd places of its list).
_QUOTED = re.compile(r"""('[^']*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z)|\\.)""", re.DOTALL)
# The shell parser's blanks and operators, each made a blank: one str.find finds the next of them.
_SEPARATOR_TO_BLANK = str.maketrans(_SEPARATORS, " " * len(_SEPARATORS))
_WINDOW = 256  # a name longer than this around a secret word: admitted, not measured
# The marks, case-insensitively, as re.IGNORECASE reads them (it also takes the Kelvin sign for k,
# the long s for s, dotted and dotless I for i), found in a folded copy of the text instead: a
# one-to-one translation, so offsets stay, and ten times faster than an IGNORECASE alternation.
_MARKS = re.compile("|".join(SECRET_WORD_MARKS))
_FOLD = str.maketrans(
    {
        **{chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)},
        "\u0130": "i",
        "\u0131": "i",
        "\u017f": "s",
        "\u212a": "k",
    }
)
_SHAPES = re.compile("|".join(map(re.escape, SHAPE_MARKS)))  # any of them: one scan, not one per mark
_TOOLS = ("curl", "wget", "mysql", "mariadb", "sshpass", "login", "openssl", "keytool", "htpasswd")


def _unquote(text: str) -> str:
    """``text`` without its quotes and backslashes (three ``str.replace``: faster than a
    ``str.translate`` that deletes)."""
    return text.replace("'", "").replace('"', "").replace("\\", "")


@functools.lru_cache(maxsize=4)  # the tools and the names of one RUN may each need it
def _glued(text: str) -> str:
    """``text`` with quotes and escapes removed and the blanks and operators they protected
    turned into ``_``: a separator left is one the shell splits at (in a nested ``sh -c``
    string, inner words stay glued: a name is only seen longer, never shorter)."""
    if "'" not in text and '"' not in text and "\\" not in text:
        return text  # nothing quoted, nothing to remove
    parts = _QUOTED.split(text)  # outside, quoted, outside, quoted...: no function call per quote
    parts[1::2] = [quoted.translate(_SEPARATOR_TO_GLUE) for quoted in parts[1::2]]
    return _unquote("".join(parts))


def _names_may_hit(glued: str) -> bool:
    """A secret-named ``NAME=…`` (assignment, ``export``, ``--name=…``, ``-Dname=…``) or
    ``--name …``: a word holding a secret word (a mark) and, after it, an ``=``, or a ``-``
    before it. The name is the word from its start (the last separator before the mark) to
    that ``=`` (or the word's end), judged by may_name_secret, also from a ``-D``/``-P`` on.

    Each mark looks for its word's ends at most ``_WINDOW + 1`` characters either side (in the
    text with every separator made a blank, by ``str.find``): linear in any input."""
    flat: str | None = None
    for m in _MARKS.finditer(glued.translate(_FOLD)):
        p, e = m.span()
        if flat is None:
            flat = glued.translate(_SEPARATOR_TO_BLANK)
        start = flat.rfind(" ", max(p - _WINDOW - 1, 0), p) + 1
        if start == 0 and p > _WINDOW:
            return True  # a word this long around a secret word: admitted, not measured
        end = flat.find(" ", e, e + _WINDOW + 1)
        if end < 0:
            if e + _WINDOW < len(glued):
                return True
            end = len(glued)
        if _word_may_name(glued[start:end], p - start, e - start):
            return True
    return False


def _word_may_name(word: str, p: int, e: int) -> bool:
    """Whether ``word``, holding a mark at ``[p, e)``, may be a secret-named ``NAME=`` or
    ``--name``."""
    eq = word.find("=", e)
    if eq < 0 and "-" not in word[:p]:
        return False
    # Where the name may end: at the "=", the word's end, or a glued separator after the
    # mark (in a nested sh -c string, "--token_VALUE" was "--token VALUE").
    cut = e
    ends = [eq if eq >= 0 else len(word)]
    while (cut := word.find("_", cut, ends[0])) >= 0:
        ends.append(cut)
        cut += 1
    return any(_may_name(word[:i]) for i in ends)


def _may_name(key: str) -> bool:
    return may_name_secret(key) or any(
        may_name_secret(key[i + 2 :]) for i in (key.rfind("-D"), key.rfind("-P")) if i >= 0
    )


def _program(*names: str) -> re.Pattern[str]:
    """One of ``names`` (the first that fits, in order) as the basename of a command word:
    after the start, a blank, an operator or "/", before a blank, an operator or the end.
    Each name is matched before the look back at what precedes it, so that the search skips
    to the names' first letters instead of trying every character (``m.end()`` is all the
    callers read)."""
    return re.compile(
        "(?:"
        + "|".join(rf"{n}(?<![^ \t\n\r\f\v;&|()<>`/]{n})" for n in map(re.escape, names))
        + r")(?=[ \t\n\r\f\v;&|()<>`]|$)"
    )


_CURL_WGET = _program("curl", "wget")
_MYSQL = _program(*sorted(_MYSQL_CLIENTS, key=len, reverse=True))
_PASSWORD_P = _program("sshpass", "login")
# Options as words (after a blank; "$" for $'-u'), each up to its letter, past no letter that
# takes a value: curl's -u/-U in a group (-fsSLu; in -executable, -e takes the rest), --user,
# --proxy-user; MySQL's -p<password>; sshpass's and docker login's -p. Linear. Each starts
# with its "-", then looks back at what precedes it: the search skips from "-" to "-".
_DASH_AFTER_BLANK = r"-(?<![^ \t\n\r\f\v$]-)"
# A group longer than 32 letters is admitted (so each start reads at most 33 characters).
_USER_OPTION = re.compile(
    _DASH_AFTER_BLANK + r"(?:-(?:proxy-)?user"
    r"|(?!-)(?:[^ \t\n\r\f\voeuU]{0,32}[uU]|[^ \t\n\r\f\voeuU]{33}))"
)
_MYSQL_P = re.compile(_DASH_AFTER_BLANK + r"p")
_P_OPTION = re.compile(_DASH_AFTER_BLANK + r"(?!-)(?:[^ \t\n\r\f\vpfdu]{0,32}p|[^ \t\n\r\f\vpfdu]{33})")
# Where a simple command ends, in the glued text (quoted operators are glued): | ; newline &,
# not the redirections >| >& <& &>.
_COMMAND_END = re.compile(r"(?<!>)\||;|\n|(?<![<>])&(?!>)")


def _after_program(program: re.Pattern[str], option: re.Pattern[str], text: str, plain: str) -> bool:
    """``option`` among the words after ``program`` in the same simple command (to the end of
    the text when a ``$(``/backquote in between could hide an operator). ``plain`` and
    ``_glued(text)`` have the same length: the quotes and backslashes each drops are the same.

    Most texts have no such option after the program's first occurrence at all (a search to
    the end of the text, which finds whatever a search to a command's end finds): they are
    answered without gluing the text."""
    if option.search(plain) is None:  # the cheapest test first: it skips from "-" to "-"
        return False
    first = program.search(plain)
    if first is None or option.search(plain, first.end()) is None:
        return False
    glued = _glued(text)
    scanned = -1
    for m in program.finditer(plain):
        start = m.end()
        if start < scanned:
            continue  # inside the range of an earlier occurrence: searched already
        end_m = _COMMAND_END.search(glued, start)
        end = end_m.start() if end_m is not None else len(plain)
        if "$(" in plain[start:end] or "`" in plain[start:end]:
            end = len(plain)
        if option.search(plain, start, end) is not None:
            return True
        scanned = end
    return False


def _tool_may_hit(text: str, plain: str, low: str) -> bool:
    """The hits bound to one program: curl/wget -u user:password, MySQL -p<password>,
    sshpass/docker login -p, openssl pass:, keytool, htpasswd. The value of ``-u`` is not
    tested for its ``:``: a quoted blank may have split it off."""
    if ("curl" in low or "wget" in low) and _after_program(_CURL_WGET, _USER_OPTION, text, plain):
        return True
    if ("mysql" in low or "mariadb" in low) and _after_program(_MYSQL, _MYSQL_P, text, plain):
        return True
    if ("sshpass" in low or "login" in low) and _after_program(_PASSWORD_P, _P_OPTION, text, plain):
        return True
    return (
        ("openssl" in low and "pass:" in low)
        or ("keytool" in low and ("pass" in low or "-new" in low))
        or "htpasswd" in low
    )


def _ansi_escape(text: str) -> bool:
    """An ANSI-C string ``$'...'`` with a backslash escape: it can spell any character, so no
    text test is safe. (Without one it reads as its plain quoted text; ``$"..."`` too.) The
    first quote after ``$'`` is the closing one or an escaped one: linear."""
    at = text.find("$'")
    while at >= 0:
        close = text.find("'", at + 2)
        if "\\" in text[at + 2 : close if close >= 0 else len(text)]:
            return True
        at = text.find("$'", close if close >= 0 else len(text))
    return False


def _may_hold_credential(text: str) -> bool:
    """A necessary condition of a literal-credential hit in a RUN whose text (arguments and
    heredoc bodies, one per line) is ``text``: only a RUN that passes is parsed. Linear."""
    if _ansi_escape(text):
        return True
    text = text.replace("\\\n", "")
    plain = _unquote(text)
    if _SHAPES.search(plain) is not None:
        return True
    if "://" in plain and next(url_passwords(plain), None) is not None:
        return True
    low = plain.lower()
    tools = any(t in low for t in _TOOLS)
    named = any(m in low for m in SECRET_WORD_MARKS)
    if not (tools or named):
        return False
    return (tools and _tool_may_hit(text, plain, low)) or (named and _names_may_hit(_glued(text)))


# Clients whose --password takes no value (PostgreSQL: force a prompt) or only an attached one (MySQL).
_PROMPT_PASSWORD = (
    frozenset(
        {
            "psql",
            "pg_dump",
            "pg_dumpall",
            "pg_restore",
            "createdb",
            "createuser",
            "dropdb",
            "dropuser",
            "pg_basebackup",
            "vacuumdb",
            "reindexdb",
            "clusterdb",
        }
    )
    | _MYSQL_CLIENTS
)
_DECLARES = frozenset({"export", "local", "declare", "readonly", "typeset", "env"})
_BUILDER_ONLY = " (builder-only stage)"
_LIMIT = 140


def _fit(message: str, *fixes: str) -> str:
    """``message`` with the first of ``fixes`` that keeps it within 140 characters (the last one else)."""
    for fix in fixes:
        if len(message) + len(fix) <= _LIMIT:
            return message + fix
    return message + fixes[-1]


def _refs(text: str) -> set[str]:
    return set(_REFERENCE.findall(text))


# -- build arguments ----------------------------------------------------------------------------


def _arg_hits(stage: Stage, final_chain: bool) -> Iterator[Hit]:
    declared: set[str] = set()  # secret-named or not: ENV may copy any of them into a secret name
    pending: dict[str, tuple[LStr, LStr | None]] = {}  # secret-named ARGs no RUN has used yet, with defaults
    reported: set[str] = set()
    for ins in stage.instructions:
        if ins.keyword == "ARG":
            for p in ins.pairs:
                declared.add(p.key.value)
                if secret_name(p.key.value) is not None and p.key.value not in reported:
                    pending[p.key.value] = (p.key, p.value)
        elif ins.keyword == "ENV":
            for arg, hit in _env_copies(ins, declared, final_chain):
                reported.add(arg)
                pending.pop(arg, None)
                yield hit
        elif ins.keyword == "RUN" and pending:
            for name, (key, default) in pending.items():
                reported.add(name)
                where = "" if final_chain else _BUILDER_ONLY
                yield Hit(
                    key.span,
                    _fit(
                        f"secret-like build argument {quote(name)} reaches the RUN at line {ins.start_line} "
                        f"and later ones{where}",
                        "; use a build secret (RUN --mount=type=secret)",
                        "; use a build secret",
                    ),
                    severity=Severity.HIGH if final_chain else Severity.MEDIUM,
                    context=f"arg:{name}",
                    secrets=one_line_spans(default.span) if default is not None and default.value else (),
                )
            pending = {}


def _env_copies(ins: Instruction, declared: set[str], final_chain: bool) -> Iterator[tuple[str, Hit]]:
    """``(build argument, hit)`` for each ENV pair that copies a build argument into the config."""
    for p in ins.pairs:
        if p.value is None or "$" not in p.value.value:
            continue
        copied = [n for n in _refs(p.value.value) if n in declared]
        secret = [n for n in copied if secret_name(n) is not None]
        if not copied or (not secret and secret_name(p.key.text) is None):
            continue
        arg = (secret or copied)[0]
        where = "" if final_chain else _BUILDER_ONLY
        yield (
            arg,
            Hit(
                p.value.span,
                _fit(
                    f"ENV {quote(p.key.text)} copies build argument {quote(arg)} into the image config{where}",
                    "; use a build secret (RUN --mount=type=secret)",
                    "; use a build secret",
                ),
                severity=Severity.HIGH if final_chain else Severity.MEDIUM,
                context=f"env:{p.key.text}",
            ),
        )


# -- literal credentials in RUN ------------------------------------------------------------------


def _literal(word: Word, value: str | None = None) -> str | None:
    """The literal text of ``value`` (or the word), or None when it holds an expansion."""
    if value is None:
        return word.value
    return None if "$" in value or "`" in value else value


_WRAPPED_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


def _usable(value: str | None, name: str | None = None) -> bool:
    return value is not None and value != "" and assess(value, name).usable


def _assignment_hits(cmd: Command) -> Iterator[tuple[Word, str]]:
    """``NAME=value`` with a secret name: before the command, after an ``env``/``sudo``
    wrapper, or an argument of ``export``/``declare``/``env``..."""
    wrapped = (w for w in cmd.words[: max(cmd.name_index, 0)] if _WRAPPED_ASSIGNMENT.match(w.text))
    declared = (a for a in cmd.args if cmd.name in _DECLARES and "=" in a.text)
    for w in (*cmd.assignments, *wrapped, *declared):
        key, _, value = w.text.partition("=")
        lit = _literal(w, value)
        if secret_name(key) is not None and _usable(lit, key):
            yield w, f"{key} is set to a literal credential ({mask(lit or '')})"


def _command_hits(cmd: Command) -> Iterator[tuple[Word, str]]:
    """``(word, what)`` for the literal credentials one command line holds."""
    name = cmd.name or ""
    args = cmd.args
    yield from _assignment_hits(cmd)
    for w in args:
        shape = value_shape(w.text)
        if shape is not None:
            what, shown = shape
            yield w, f"{what} ({shown})"
    tool = _tool_hits().get(name)
    if tool is not None:
        yield from tool(name, args)
    yield from _secret_flag_hits(name, args)


_ToolHits = Callable[[str, tuple[Word, ...]], Iterator[tuple[Word, str]]]


@functools.cache
def _tool_hits() -> dict[str, _ToolHits]:
    """The command names whose own options carry a password, each with its reader."""
    table: dict[str, _ToolHits] = {
        "curl": _user_password_hits,
        "wget": _user_password_hits,
        "sshpass": _dash_p_hits,
        "docker": _dash_p_hits,
        "openssl": lambda _, args: _openssl_hits(args),
        "keytool": lambda _, args: _keytool_hits(args),
        "htpasswd": _htpasswd_hits,
    }
    table.update(dict.fromkeys(_MYSQL_CLIENTS, _mysql_hits))
    table.update(dict.fromkeys(_JVM_TOOLS, _jvm_property_hits))
    return table


# The options that take user:password: curl(1) -u/--user, -U/--proxy-user; wget(1) --user,
# --proxy-user (its -U is --user-agent). Their option tables are knowledge/commands.py's.
_USER_OPTIONS = {
    "curl": (CURL, frozenset({"-u", "--user", "-U", "--proxy-user"})),
    "wget": (WGET, frozenset({"--user", "--proxy-user"})),
}


def _user_password_hits(name: str, args: tuple[Word, ...]) -> Iterator[tuple[Word, str]]:
    """curl/wget ``-u user:password``."""
    spec, user_options = _USER_OPTIONS[name]
    for o in options(args, spec.short_with_value, spec.long_with_value):
        if o.name in user_options and o.value is not None and ":" in o.value:
            secret = o.value.split(":", 1)[1]
            if _usable(_literal(o.value_word, secret) if o.value_word else None):
                yield o.value_word or o.word, f"{name} {o.name} user:password with a literal password"


def _mysql_hits(name: str, args: tuple[Word, ...]) -> Iterator[tuple[Word, str]]:
    """MySQL clients' ``-pPASSWORD`` (attached: ``-p PASSWORD`` would prompt)."""
    for w in args:
        v = w.text
        if v.startswith("-p") and len(v) > 2 and not v.startswith("--") and _usable(_literal(w, v[2:])):
            yield w, f"{name} -p with a literal password"


def _dash_p_hits(name: str, args: tuple[Word, ...]) -> Iterator[tuple[Word, str]]:
    """``sshpass -p PASSWORD``, ``docker login -p PASSWORD``."""
    if name == "docker" and not (args[:1] and args[0].text == "login"):
        return
    for o in options(args, "pfdu", ("--password", "--username")):
        if o.name == "-p" and _usable(_literal(o.value_word, o.value) if o.value_word else None):
            shown = "docker login" if name == "docker" else name
            yield o.value_word or o.word, f"{shown} -p with a literal password"


def _jvm_property_hits(name: str, args: tuple[Word, ...]) -> Iterator[tuple[Word, str]]:
    """``mvn -Dgpg.passphrase=…``, ``gradle -PsigningPassword=…``."""
    for w in args:
        m = _SYSTEM_PROPERTY.match(w.text)
        if m is not None and secret_name(m.group(2)) is not None:
            lit = _literal(w, m.group(3))
            if _usable(lit, m.group(2)):
                yield w, f"{name} {m.group(1)}{m.group(2)}= with a literal value ({len(lit or '')} characters)"


def _htpasswd_hits(name: str, args: tuple[Word, ...]) -> Iterator[tuple[Word, str]]:
    """``htpasswd -b FILE USER PASSWORD``."""
    if any(o.name == "-b" for o in options(args)):
        ops = operands(args)
        if len(ops) >= 2 and _usable(_literal(ops[-1])):
            yield ops[-1], "htpasswd -b with a literal password"


def _secret_flag_hits(name: str, args: tuple[Word, ...]) -> Iterator[tuple[Word, str]]:
    """``--password VALUE``, ``--api-token=VALUE``: a long option with a secret name."""
    i = 0
    while i < len(args):
        w = args[i]
        i += 1
        m = re.match(r"^--([A-Za-z][A-Za-z0-9_.-]*)(?:=(.*))?$", w.text, re.DOTALL)
        if m is None or secret_name(m.group(1)) is None:
            continue
        flag, value = m.group(1), m.group(2)
        target = w
        if value is None:
            if name in _PROMPT_PASSWORD or i >= len(args) or args[i].text.startswith("-"):
                continue  # psql --password prompts; mysql takes only --password=VALUE
            target, value = args[i], args[i].text
            lit = _literal(target)
        else:
            lit = _literal(w, value)
        if _usable(lit, flag):
            yield target, f"--{flag} with a literal value ({len(lit or '')} characters)"


# Java system properties (-Dname=value; Gradle's project properties -Pname=value too) of the
# JVM build tools: ``mvn -Dgpg.passphrase=…``, ``gradle -PsigningPassword=…``.
_JVM_TOOLS = frozenset({"mvn", "mvnw", "mvnd", "java", "gradle", "gradlew", "ant", "sbt"})
_SYSTEM_PROPERTY = re.compile(r"^(-D|-P)([A-Za-z_][\w.-]{0,200})=(.*)$", re.DOTALL)
# openssl's pass phrase arguments (openssl-passphrase-options(1)): only "pass:" is literal
# ("env:", "file:", "fd:", "stdin" name where the pass phrase is).
_OPENSSL_PASS_OPTIONS = frozenset({"-passin", "-passout", "-pass", "-password", "-kpass"})
# keytool's password options; "-storepass:env VAR" and "-storepass:file F" are not literal.
_KEYTOOL_PASS_OPTIONS = frozenset(
    {"-storepass", "-keypass", "-srcstorepass", "-deststorepass", "-srckeypass", "-destkeypass", "-new"}
)
# The JDK's trust store ships with the public password "changeit"; it holds public certificates
# only, so writing that password leaks nothing (``keytool -importcert -cacerts -storepass changeit``).
_JDK_TRUSTSTORE_PASSWORD = "changeit"


def _option_values(args: tuple[Word, ...], names: frozenset[str]) -> Iterator[tuple[str, Word, str]]:
    """``(option, value word, value)`` for ``-opt value`` and ``-opt=value`` of single-dash
    long options (openssl's and keytool's syntax)."""
    i = 0
    while i < len(args):
        w = args[i]
        i += 1
        opt, eq, attached = w.text.partition("=")
        if opt not in names:
            continue
        if eq:
            yield opt, w, attached
        elif i < len(args):
            yield opt, args[i], args[i].text
            i += 1


def _openssl_hits(args: tuple[Word, ...]) -> Iterator[tuple[Word, str]]:
    for opt, word, value in _option_values(args, _OPENSSL_PASS_OPTIONS):
        if value.startswith("pass:"):
            lit = _literal(word, value[5:])
            if _usable(lit, "password"):
                yield word, f"openssl {opt} pass: with a literal pass phrase ({len(lit or '')} characters)"


def _keytool_hits(args: tuple[Word, ...]) -> Iterator[tuple[Word, str]]:
    truststore = any(a.text == "-cacerts" for a in args) or any(
        opt == "-keystore" and value.rstrip("/").endswith("cacerts")
        for opt, _, value in _option_values(args, frozenset({"-keystore"}))
    )
    for opt, word, value in _option_values(args, _KEYTOOL_PASS_OPTIONS):
        lit = _literal(word, value)
        if lit == _JDK_TRUSTSTORE_PASSWORD and truststore:
            continue
        if _usable(lit, "password"):
            yield word, f"keytool {opt} with a literal password ({len(lit or '')} characters)"


def _secret_spans(word: Word) -> tuple[Span, ...]:
    """Where the credential of ``word`` is written: after its ``NAME=`` when the word is
    written on one line as its raw text, else the whole word."""
    span, raw = word.span, word.raw
    eq = raw.find("=")
    skip = eq + 1 if span.end_line == span.line and span.end_col - span.col == len(raw) and 0 < eq < len(raw) - 1 else 0
    return one_line_spans(span, skip)


def _run_hits(ins: Instruction, script: Script, stage: Stage, final_chain: bool) -> Iterator[Hit]:
    yield from masking(_literal_hits(script, stage, final_chain))


def _literal_hits(script: Script, stage: Stage, final_chain: bool) -> Iterator[tuple[Hit, tuple[Span, ...]]]:
    seen: set[tuple[int, int]] = set()
    for step in script.walk():
        cmd = step.command
        if cmd.name in ("chpasswd", "passwd", "usermod", "useradd"):
            continue  # DF114
        for word, what in _command_hits(cmd):
            at = (word.span.line, word.span.col)
            if at in seen:
                continue
            seen.add(at)
            where = "" if final_chain else _BUILDER_ONLY
            yield (
                Hit(
                    word.span,
                    _fit(
                        f"{what} in a RUN line{where}",
                        "; use a build secret (RUN --mount=type=secret,env=NAME)",
                        "; use a build secret",
                    ),
                    severity=Severity.HIGH if final_chain else Severity.MEDIUM,
                    context=f"run:{cmd.name}:{what.split(' (')[0]}",
                ),
                _secret_spans(word),
            )


@rule(
    id="DF117",
    name="secret-in-build-history",
    reads=ImageBuild,
    severity=Severity.HIGH,
    summary="A secret build argument or a literal credential reaches the image history through a build step",
    cwe=(538, 798, 532),
    cis=("4.10",),
    peers={"buildkit": "SecretsUsedInArgOrEnv (names only)", "trivy": "DS-0031 (partial)"},
    precision="high",
    tags=("security", "secrets"),
)
def secret_in_build_history(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    final = build.final_stage
    if final is None:
        return
    chain = shipped_stages(build, ctx)
    for stage in build.stages:
        final_chain = stage.index in chain
        yield from _arg_hits(stage, final_chain)
        for ins in stage.instructions:
            if ins.keyword != "RUN":
                continue
            text = "\n".join([ins.args_text, *(h.body for h in ins.heredocs)])
            if not _may_hold_credential(text):
                continue
            script = ins.script
            if script is not None and script.pipelines:
                yield from _run_hits(ins, script, stage, final_chain)
