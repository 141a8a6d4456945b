"""DF105 tls-verification-disabled: a build turns off TLS certificate or package signature checks.

In ``RUN`` (also inside ``$(…)``, ``sh -c``, heredoc scripts):

* ``curl -k``/``--insecure``/``--proxy-insecure`` (also grouped: ``-fsSLk``);
  ``wget --no-check-certificate``, ``wget -e check_certificate=off``;
* ``pip install --trusted-host``, ``pip config set global.trusted-host``, ``uv … --allow-insecure-host``;
* ``npm``/``yarn``/``pnpm config set strict-ssl false`` (``enableStrictSsl false``), ``--strict-ssl=false``;
* ``git -c http.sslVerify=false``, ``git config … http.sslVerify false``;
* ``apt-get``/``apt`` ``--allow-unauthenticated``, ``--allow-insecure-repositories``, ``--force-yes``,
  ``-o Acquire::https::Verify-Peer=false`` (``Verify-Host``, ``APT::Get::AllowUnauthenticated``);
* ``apk add --allow-untrusted``; ``yum``/``dnf``/``microdnf``/``tdnf --nogpgcheck``,
  ``--setopt=sslverify=0``/``gpgcheck=0``; ``zypper --no-gpg-checks``; ``rpm --nosignature``/``--nodigest``;
* ``conda config --set ssl_verify false``, ``composer config disable-tls true``/``secure-http false``,
  ``bundle config ssl_verify_mode 0``, ``go get -insecure``;
* generic switches: ``--insecure-skip-tls-verify`` (helm, kubectl), ``--tls-verify=false``
  (podman, buildah, skopeo), ``--no-verify-ssl`` (aws);
* configuration written to a file: ``insecure`` in a ``.curlrc``, ``check_certificate = off``,
  ``Acquire::https::Verify-Peer "false"``, ``[trusted=yes]`` on a non-``file:`` APT source,
  ``strict-ssl=false``, ``sslverify=0``, ``gpgcheck=0``, ``ssl_verify: false``.

Environment (``ENV``, ``ARG`` defaults, ``FOO=… cmd``, ``export``, ``env``):
``NODE_TLS_REJECT_UNAUTHORIZED=0``, ``PYTHONHTTPSVERIFY=0``, ``GIT_SSL_NO_VERIFY`` (any value:
git only checks that it is set), ``PIP_TRUSTED_HOST``, ``UV_INSECURE_HOST``,
``NPM_CONFIG_STRICT_SSL=false``, ``YARN_ENABLE_STRICT_SSL=false``, ``CONDA_SSL_VERIFY=false``,
``BUNDLE_SSL_VERIFY_MODE=0``, ``GOINSECURE``, ``GOFLAGS=-insecure``.

Not flagged: ``CURL_CA_BUNDLE=""``/``REQUESTS_CA_BUNDLE=""`` (whether an empty bundle disables
checks depends on the library version), ``Acquire::Check-Valid-Until=false`` (an expiry check,
used with snapshot mirrors), ``wget -k`` (``--convert-links``).

Where it points: at the option or setting that disables the check (the ``-fsSLk`` word, the
``NODE_TLS_REJECT_UNAUTHORIZED=0`` assignment, the line of a written configuration file).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.knowledge.commands import PIP, YUM, operands, options, split_options
from dockerlint.models.base import LStr
from dockerlint.models.image import ImageBuild, Instruction
from dockerlint.models.shell import Command, Script, Step, Word
from dockerlint.rules.image._shell import is_pip, run_scripts

# Prefilter on the RUN text (parsing is the expensive part): substrings, lower-cased.
_KEYWORDS = (
    "insecure",
    "check-certificate",
    "check_certificate",
    "trusted-host",
    "trusted_host",
    "trusted=",
    "trusted =",
    "strict-ssl",
    "strict_ssl",
    "strictssl",
    "sslverify",
    "ssl_verify",
    "allow-un",
    "force-yes",
    "verify-peer",
    "verify-host",
    "allowunauthenticated",
    "nogpgcheck",
    "no-gpg-check",
    "nosignature",
    "nodigest",
    "gpgcheck",
    "disable-tls",
    "secure-http",
    "tls-verify",
    "tlsverify",
    "no-verify-ssl",
    "tls_reject",
    "httpsverify",
    "ssl_no_verify",
    "goflags",
    "curlrc",
    "wgetrc",
    "ssl_verify_mode",
)
_CURL_K = re.compile(r"(?<![\w-])-[A-Za-z0-9]*k")


def _mentions(text: str) -> bool:
    lower = text.lower()
    if any(k in lower for k in _KEYWORDS):
        return True
    return "curl" in lower and _CURL_K.search(text) is not None


_FALSY = frozenset({"0", "false", "no", "off", "n"})
_TRUTHY = frozenset({"1", "true", "yes", "on", "y"})


@functools.cache
def _apt_option() -> re.Pattern[str]:
    return re.compile(
        r"(?:acquire::https?::(?:[^:=]+::)?verify-(?:peer|host)\s*=\s*(?P<f>\S+))|"
        r"(?:apt::get::allowunauthenticated\s*=\s*(?P<t1>\S+))|"
        r"(?:acquire::allow(?:downgradetoinsecure|insecure)repositories\s*=\s*(?P<t2>\S+))",
        re.IGNORECASE,
    )


_GENERIC_FLAGS = {
    "--insecure-skip-tls-verify": None,
    "--tls-verify": "false",
    "--tlsverify": "false",
    "--skip-tls-verify": None,
    "--no-verify-ssl": None,
    "--allow-insecure-host": None,
}
# Written configuration: (pattern, what it disables). Matched per line.


@functools.cache
def _config_lines() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    return (
        (re.compile(r"^\s*(?:-k|--insecure|insecure)\s*$"), "curlrc", "curl certificate checks (.curlrc insecure)"),
        (re.compile(r"check_certificate\s*=\s*(?:off|no|0|false)\b", re.IGNORECASE), "", "wget certificate checks"),
        (re.compile(r"Verify-(?:Peer|Host)\s+\"?(?:false|no|0)\b", re.IGNORECASE), "", "APT certificate checks"),
        (re.compile(r"AllowUnauthenticated\s+\"?(?:true|yes|1)\b", re.IGNORECASE), "", "APT signature checks"),
        (
            re.compile(r"Allow(?:DowngradeToInsecure|Insecure)Repositories\s+\"?(?:true|yes|1)\b", re.IGNORECASE),
            "",
            "APT signature checks",
        ),
        (
            re.compile(
                r"^\s*deb(?:-src)?\s+\[[^\]]*\btrusted\s*=\s*yes\b[^\]]*\]\s+(?!file:|copy:|cdrom:)", re.IGNORECASE
            ),
            "",
            "APT signature checks",
        ),
        (re.compile(r"^\s*strict-ssl\s*=\s*false\b", re.IGNORECASE), "", "npm certificate checks"),
        (re.compile(r"^\s*trusted-host\s*=", re.IGNORECASE), "", "pip certificate checks"),
        (re.compile(r"^\s*sslverify\s*=\s*(?:false|no|0)\b", re.IGNORECASE), "", "certificate checks (sslverify)"),
        (re.compile(r"^\s*gpgcheck\s*=\s*0\b", re.IGNORECASE), "", "package signature checks (gpgcheck=0)"),
        (re.compile(r"^\s*ssl_verify\s*:\s*(?:false|no|0)\b", re.IGNORECASE), "", "conda certificate checks"),
        (re.compile(r":ssl_verify_mode:\s*0\b"), "", "RubyGems certificate checks"),
    )


# -- environment variables ------------------------------------------------------------


def env_disables(name: str, value: str) -> str | None:
    """What setting ``name=value`` disables, or None."""
    upper = name.upper()
    v = value.strip().strip("'\"").strip().lower()
    if upper == "NODE_TLS_REJECT_UNAUTHORIZED" and v == "0":
        return "Node.js certificate checks"
    if upper == "PYTHONHTTPSVERIFY" and v == "0":
        return "Python's default HTTPS certificate checks"
    if upper == "GIT_SSL_NO_VERIFY":
        return "git certificate checks (any value does)"
    if upper in ("PIP_TRUSTED_HOST", "UV_INSECURE_HOST") and v:
        return (
            "pip certificate checks for the listed hosts"
            if upper.startswith("PIP")
            else "uv certificate checks for the listed hosts"
        )
    if upper in ("NPM_CONFIG_STRICT_SSL", "YARN_STRICT_SSL", "YARN_ENABLE_STRICT_SSL") and v in _FALSY:
        return "npm/yarn certificate checks"
    if upper == "CONDA_SSL_VERIFY" and v in _FALSY:
        return "conda certificate checks"
    if upper == "BUNDLE_SSL_VERIFY_MODE" and v == "0":
        return "Bundler certificate checks"
    if upper == "GOINSECURE" and v:
        return "Go module download security (GOINSECURE) for the listed paths"
    if upper == "GOFLAGS" and re.search(r"(?:^|\s)-insecure\b", v):
        return "Go module download security (-insecure)"
    return None


def _env_instruction_hits(ins: Instruction) -> Iterator[Hit]:
    args = ins.args
    if not args:
        return
    pairs: list[tuple[str, str, LStr]] = []
    if ins.keyword == "ENV" and "=" not in args[0].value:
        rest = ins.args_text.split(None, 1)
        pairs.append((args[0].text, rest[1] if len(rest) > 1 else "", args[0]))
    else:
        for a in args:
            name, eq, value = a.text.partition("=")
            if eq:
                pairs.append((name, value, a))
    for name, value, word in pairs:
        what = env_disables(name, value)
        if what is not None:
            yield Hit(
                word.span, f"{ins.keyword} {quote(name)} disables {what}; {_CA_FIX}", context=f"env:{name.upper()}"
            )


def _assignment_words(cmd: Command) -> list[Word]:
    out = list(cmd.assignments)
    if cmd.name in ("export", "declare", "typeset", "readonly", "local"):
        out += [w for w in cmd.args if "=" in w.text and not w.text.startswith("-")]
    if cmd.name_index > 0:  # env NAME=VALUE cmd, sudo NAME=VALUE cmd
        out += [w for w in cmd.words[: cmd.name_index] if "=" in w.text and not w.text.startswith("-")]
    return out


# -- commands ----------------------------------------------------------------------------


def _hit(word: Word | LStr, what: str, fix: str, context: str) -> Hit:
    return Hit(word.span, f"{what}; {fix}", context=f"tls:{context}")


_CA_FIX = "remove it and trust the needed CA instead"
_SIG_FIX = "remove it and import the repository's key instead"


_DOWNLOADERS = frozenset({"curl", "wget", "fetch"})


def _local_packages(words: Sequence[Word], ext: str, script: Script) -> bool:
    """All package operands are local files (built by this build) and the RUN downloads nothing.

    Signature checks protect packages fetched from a repository; a package file built in an
    earlier stage has no signature to check. One downloaded in the same RUN does.
    """
    if not words or any(not w.text.endswith(ext) or "://" in w.text for w in words):
        return False
    return not any(step.command.name in _DOWNLOADERS for step in script.walk())


def _command_hits(step: Step, script: Script) -> Iterator[Hit]:
    cmd = step.command
    name = cmd.name or ""
    args = cmd.args
    values = [w.value if w.value is not None else w.text for w in args]
    for w in _assignment_words(cmd):
        key, _, value = w.text.partition("=")
        what = env_disables(key, value)
        if what is not None:
            yield _hit(w, f"{key} disables {what}", _CA_FIX, f"env:{key.upper()}")
    tool = _TOOL_HITS.get(name)
    if tool is not None:
        yield from tool(cmd, values, script)
    yield from _pip_hits(cmd)
    for w, v in zip(args, values):
        flag, eq, value = v.partition("=")
        if flag in _GENERIC_FLAGS and name not in ("curl", "wget"):
            wanted = _GENERIC_FLAGS[flag]
            if wanted is None or (eq and value.lower() == wanted):
                yield _hit(w, f"{name} {v} turns off certificate checks", _CA_FIX, flag)
    yield from _written_config_hits(step)


# -- one function per tool: (the command, its arguments' values, the script) -> findings ----------


def _curl_hits(cmd: Command, values: list[str], script: Script) -> Iterator[Hit]:
    for o in options(cmd):
        if o.name in ("-k", "--insecure", "--proxy-insecure", "--doh-insecure"):
            yield _hit(o.word, f"curl {o.name} turns off certificate checks", _CA_FIX, "curl")
            break


_WGET_OFF = re.compile(r"check_certificate\s*=\s*(?:off|no|0|false)", re.IGNORECASE)


def _wget_hits(cmd: Command, values: list[str], script: Script) -> Iterator[Hit]:
    for o in options(cmd):
        if o.name == "--no-check-certificate" or (
            o.name in ("-e", "--execute") and o.value is not None and _WGET_OFF.fullmatch(o.value.strip())
        ):
            yield _hit(o.word, "wget turns off certificate checks", _CA_FIX, "wget")
            break


def _apt_off(value: str) -> bool:
    """An APT option (``-o NAME=VALUE``) that turns a check off."""
    m = _apt_option().search(value)
    return m is not None and (
        (m.group("f") or "").lower().strip("\"'") in _FALSY
        or (m.group("t1") or m.group("t2") or "").lower().strip("\"'") in _TRUTHY
    )


def _apt_hits(cmd: Command, values: list[str], script: Script) -> Iterator[Hit]:
    name = cmd.name
    for o in options(cmd):
        if o.name in ("--allow-unauthenticated", "--allow-insecure-repositories", "--force-yes"):
            what = {"--force-yes": f"{name} --force-yes also installs unauthenticated packages"}.get(
                o.name, f"{name} {o.name} installs packages without checking their signatures"
            )
            yield _hit(o.word, what, _SIG_FIX, "apt")
        elif o.name in ("-o", "--option") and o.value is not None and _apt_off(o.value):
            yield _hit(o.value_word or o.word, f"{name} -o {quote(o.value)} turns off APT's checks", _SIG_FIX, "apt")


def _apk_hits(cmd: Command, values: list[str], script: Script) -> Iterator[Hit]:
    ops = operands(cmd)
    installs = bool(ops) and ops[0].text in ("add", "upgrade", "fix")  # not: apk index, apk verify
    for o in options(cmd):
        if o.name == "--allow-untrusted" and installs and not _local_packages(ops[1:], ".apk", script):
            yield _hit(
                o.word, "apk --allow-untrusted installs packages without checking their signatures", _SIG_FIX, "apk"
            )


_SETOPT_OFF = re.compile(
    r"(?:[^=]*\.)?(?:sslverify\s*=\s*(?:0|false|no|off)|gpgcheck\s*=\s*(?:0|false|no|off))", re.IGNORECASE
)


def _yum_hits(cmd: Command, values: list[str], script: Script) -> Iterator[Hit]:
    name = cmd.name
    for o in options(cmd, YUM):
        if o.name == "--nogpgcheck" and not _local_packages(operands(cmd, YUM)[1:], ".rpm", script):
            yield _hit(
                o.word, f"{name} --nogpgcheck installs packages without checking their signatures", _SIG_FIX, "rpm"
            )
        elif o.name == "--setopt" and o.value is not None and _SETOPT_OFF.fullmatch(o.value.strip()):
            yield _hit(
                o.value_word or o.word, f"{name} --setopt {quote(o.value)} turns off verification", _SIG_FIX, "rpm"
            )


def _zypper_hits(cmd: Command, values: list[str], script: Script) -> Iterator[Hit]:
    for w, v in zip(cmd.args, values):
        if v in ("--no-gpg-checks", "--no-gpg-check"):
            yield _hit(
                w, "zypper --no-gpg-checks installs packages without checking their signatures", _SIG_FIX, "zypper"
            )


def _rpm_hits(cmd: Command, values: list[str], script: Script) -> Iterator[Hit]:
    local = _local_packages(operands(cmd), ".rpm", script)
    for w, v in zip(cmd.args, values):
        if v in ("--nosignature", "--nodigest", "--nogpgcheck") and not local:
            yield _hit(w, f"rpm {v} installs packages without checking them", _SIG_FIX, "rpm")
            break


def _conda_hits(cmd: Command, values: list[str], script: Script) -> Iterator[Hit]:
    if "--set" not in values:
        return
    k = values.index("--set")
    if k + 2 < len(values) and values[k + 1] == "ssl_verify" and values[k + 2].lower() in _FALSY:
        yield _hit(
            cmd.args[k + 1], "conda config --set ssl_verify false turns off certificate checks", _CA_FIX, "conda"
        )


def _composer_hits(cmd: Command, values: list[str], script: Script) -> Iterator[Hit]:
    if "config" not in values:
        return
    for k, v in enumerate(values[:-1]):
        nxt = values[k + 1].lower()
        if (v == "disable-tls" and nxt in _TRUTHY) or (v == "secure-http" and nxt in _FALSY):
            yield _hit(
                cmd.args[k],
                f"composer config {v} {quote(values[k + 1])} turns off transport security",
                _CA_FIX,
                "composer",
            )


def _bundle_hits(cmd: Command, values: list[str], script: Script) -> Iterator[Hit]:
    if "config" not in values:
        return
    for k, v in enumerate(values[:-1]):
        if v == "ssl_verify_mode" and values[k + 1] == "0":
            yield _hit(cmd.args[k], "bundle config ssl_verify_mode 0 turns off certificate checks", _CA_FIX, "bundler")


def _go_hits(cmd: Command, values: list[str], script: Script) -> Iterator[Hit]:
    if values[:1] == ["get"] and "-insecure" in values:
        yield _hit(cmd.args[values.index("-insecure")], "go get -insecure allows insecure downloads", _CA_FIX, "go")


def _npm_tool_hits(cmd: Command, values: list[str], script: Script) -> Iterator[Hit]:
    yield from _npm_hits(cmd.name or "", cmd.args, values)


def _git_tool_hits(cmd: Command, values: list[str], script: Script) -> Iterator[Hit]:
    yield from _git_hits(cmd.args, values)


def _pip_hits(cmd: Command) -> Iterator[Hit]:
    pip, pip_args = is_pip(cmd)
    if not pip:
        return
    pip_values = [w.value if w.value is not None else w.text for w in pip_args]
    for o in split_options(pip_args, PIP.short_with_value, PIP.long_with_value):
        if o.name == "--trusted-host":
            yield _hit(o.word, "pip --trusted-host turns off certificate checks for that host", _CA_FIX, "pip")
    if pip_values[:2] == ["config", "set"] and len(pip_values) >= 3 and pip_values[2].split(".")[-1] == "trusted-host":
        yield _hit(
            pip_args[2], "pip config set trusted-host turns off certificate checks for that host", _CA_FIX, "pip"
        )


_ToolHits = Callable[[Command, list[str], Script], Iterator[Hit]]
_TOOL_HITS: dict[str, _ToolHits] = {
    "curl": _curl_hits,
    "wget": _wget_hits,
    "apt-get": _apt_hits,
    "apt": _apt_hits,
    "aptitude": _apt_hits,
    "apk": _apk_hits,
    **dict.fromkeys(("yum", "dnf", "dnf5", "microdnf", "tdnf", "yum-config-manager"), _yum_hits),
    "zypper": _zypper_hits,
    "rpm": _rpm_hits,
    "npm": _npm_tool_hits,
    "yarn": _npm_tool_hits,
    "pnpm": _npm_tool_hits,
    "git": _git_tool_hits,
    "conda": _conda_hits,
    "composer": _composer_hits,
    "bundle": _bundle_hits,
    "go": _go_hits,
}


def _npm_hits(name: str, args: Sequence[Word], values: list[str]) -> Iterator[Hit]:
    if "set" in values:
        k = values.index("set")
        if k + 1 < len(values):
            key, eq, value = values[k + 1].partition("=")
            if not eq and k + 2 < len(values):
                value = values[k + 2]
            if key.lower() in ("strict-ssl", "enablestrictssl") and value.lower() in _FALSY:
                yield _hit(args[k + 1], f"{name} config set {key} false turns off certificate checks", _CA_FIX, "npm")
                return
    for w, v in zip(args, values):
        if v in ("--strict-ssl=false", "--no-strict-ssl"):
            yield _hit(w, f"{name} {v} turns off certificate checks", _CA_FIX, "npm")


def _git_hits(args: Sequence[Word], values: list[str]) -> Iterator[Hit]:
    for k, v in enumerate(values):
        if v == "-c" and k + 1 < len(values):
            key, _, value = values[k + 1].partition("=")
            if _is_ssl_verify(key) and value.lower() in _FALSY:
                yield _hit(args[k + 1], f"git -c {values[k + 1]} turns off certificate checks", _CA_FIX, "git")
        elif v == "config":
            rest = [(w, x) for w, x in zip(args[k + 1 :], values[k + 1 :]) if not x.startswith("-")]
            if len(rest) >= 2 and _is_ssl_verify(rest[0][1]) and rest[1][1].lower() in _FALSY:
                yield _hit(
                    rest[0][0], f"git config {rest[0][1]} {rest[1][1]} turns off certificate checks", _CA_FIX, "git"
                )
            break


def _is_ssl_verify(key: str) -> bool:
    k = key.lower()
    return k.startswith("http.") and k.endswith(".sslverify")


def _written_config_hits(step: Step) -> Iterator[Hit]:
    """Configuration lines written to a file by echo/printf/tee or a heredoc."""
    cmd = step.command
    writes = [r.target.text for r in cmd.redirects if r.writes and r.target is not None]
    if cmd.name == "tee":
        writes += [w.text for w in cmd.args if not w.text.startswith("-")]
    if not writes:
        return
    target = writes[0]
    sources: list[tuple[Word | LStr, str]] = []
    for c in step.pipeline.commands[: step.position + 1]:
        if c.name in ("echo", "printf"):
            for w in c.args:
                sources.append((w, w.text))
    for r in cmd.redirects:
        for body_line in r.body_lines:
            sources.append((body_line, body_line.value))
    for where, text in sources:
        for line in text.replace("\\n", "\n").split("\n"):
            for pattern, only_in, what in _config_lines():
                if only_in and only_in not in target:
                    continue
                if pattern.search(line):
                    message = f"writing {quote(line.strip(), 40)} to {quote(target, 40)} turns off {what}"
                    yield Hit(
                        where.span,
                        message + "; remove the line" if len(message) <= 123 else message,
                        context="tls:config",
                    )
                    return


@rule(
    id="DF105",
    name="tls-verification-disabled",
    reads=ImageBuild,
    severity=Severity.HIGH,
    summary="A build turns off TLS certificate or package signature verification",
    cwe=(295,),
    cis=("4.11",),
    peers={"checkov": "CKV2_DOCKER_2 to CKV2_DOCKER_16"},
    precision="high",
    tags=("security", "supply-chain"),
)
def tls_verification_disabled(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for ins in build.instructions:
        if ins.keyword in ("ENV", "ARG"):
            yield from _env_instruction_hits(ins)
    for _, script in run_scripts(build, _mentions):
        for step in script.walk():
            yield from _command_hits(step, script)
