"""What the rules know about the commands a ``RUN`` line calls: which options take a value, and
what the download tools do with what they fetch. One table for every rule that reads commands.

Each entry is learned from the tool's manual; where the manual and an older copy of a table
disagreed, the manual won (tests/test_knowledge_commands.py cites the page for each change):

* curl(1) (curl's ``src/tool_getparam.c``, the ``aliases`` table: every ``ARG_STRG``/``ARG_FILE``
  option takes a value, ``ARG_BOOL``/``ARG_NONE`` ones do not; a short option's value may be
  attached, ``-ofile``, a long option's is the next word);
* wget(1) (``src/main.c``, ``option_data``: ``OPT_VALUE`` options and ``-a``/``-e``/``-n``
  take a value; boolean options take one only attached, ``--cache=off``);
* fetch(1) (FreeBSD): ``-o file``/``--output=file``;
* apt-get(8): ``-o``/``--option``, ``-c``/``--config-file``, ``-t``/``--target-release``,
  ``-a``/``--host-architecture``, ``-P``/``--build-profiles`` take a value; ``-q`` is a count
  (``-qq``), not a value;
* apk(8): ``-X``/``--repository``, ``-t``/``--virtual``, ``-p``/``--root`` take a value;
  ``-U`` is ``--update-cache``, a flag;
* aptitude(8): ``-S`` names a state file (a value), ``-q`` is a count;
* rpm(8): ``-D``/``--define``, ``-E``/``--eval``, ``-r``/``--root`` take a value;
* useradd(8): ``-l`` (``--no-log-init``) and ``-U`` (``--user-group``) are flags; usermod(8):
  ``-l`` is ``--login NEW_LOGIN``, a value;
* install(1), mkdir(1) (GNU): ``-Z`` is a flag, ``--context`` takes its value only attached;
* yum(8)/dnf(8), zypper(8), pip(1), npm(1), passwd(1), docker-login(1) as listed.

The helpers work on anything shaped like :class:`dockerlint.models.shell.Command` (a ``name``
and ``args`` of words with ``value``/``text``/``raw``): this package sits below the models and
imports none of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar


class WordLike(Protocol):
    """A shell word as :class:`dockerlint.models.shell.Word` has it."""

    @property
    def raw(self) -> str: ...  # as written

    @property
    def value(self) -> str | None: ...  # quotes removed; None when it holds an expansion

    @property
    def text(self) -> str: ...  # quotes removed, expansions kept as written


W = TypeVar("W", bound=WordLike)
W_co = TypeVar("W_co", bound=WordLike, covariant=True)


class CommandLike(Protocol[W_co]):
    """A simple command as :class:`dockerlint.models.shell.Command` has it."""

    @property
    def name(self) -> str | None: ...  # the command that runs, past wrappers (``sudo``...)

    @property
    def args(self) -> Sequence[W_co]: ...  # its arguments


@dataclass(frozen=True)
class OptionSpec:
    """Which options of a command take a value (GNU style: ``-ovalue``, ``-o value``,
    ``--output value``, ``--output=value``)."""

    short_with_value: str = ""  # the letters of the short options that take one
    long_with_value: frozenset[str] = frozenset()  # the long ones, with their dashes


@dataclass(frozen=True)
class Option(Generic[W]):
    """One option of a command line: ``-k``, ``--output``; its value when it takes one."""

    name: str  # "-k", "--insecure", "-o"
    value: str | None  # the option's value ("-" for ``-O-``), None for a flag
    word: W  # the word that holds the option
    value_word: W | None  # the word that holds the value (the option's own word when attached)


def _longs(*names: str) -> frozenset[str]:
    return frozenset("--" + n for n in names)


# curl(1): the ARG_STRG and ARG_FILE entries of tool_getparam.c's table (curl 8.x).
CURL = OptionSpec(
    "AbcCdDeEFHKmoPQrtTuUwxXyYz",
    _longs(
        "abstract-unix-socket",
        "alt-svc",
        "aws-sigv4",
        "cacert",
        "capath",
        "cert",
        "cert-type",
        "ciphers",
        "config",
        "connect-timeout",
        "connect-to",
        "continue-at",
        "cookie",
        "cookie-jar",
        "create-file-mode",
        "crlfile",
        "curves",
        "data",
        "data-ascii",
        "data-binary",
        "data-raw",
        "data-urlencode",
        "delegation",
        "dns-interface",
        "dns-ipv4-addr",
        "dns-ipv6-addr",
        "dns-servers",
        "doh-url",
        "dump-header",
        "ech",
        "egd-file",
        "engine",
        "etag-compare",
        "etag-save",
        "expect100-timeout",
        "form",
        "form-string",
        "ftp-account",
        "ftp-alternative-to-user",
        "ftp-method",
        "ftp-port",
        "ftp-ssl-ccc-mode",
        "happy-eyeballs-timeout-ms",
        "haproxy-clientip",
        "header",
        "hostpubmd5",
        "hostpubsha256",
        "hsts",
        "interface",
        "ip-tos",
        "ipfs-gateway",
        "json",
        "keepalive-cnt",
        "keepalive-time",
        "key",
        "key-type",
        "knownhosts",
        "krb",
        "krb4",
        "libcurl",
        "limit-rate",
        "local-port",
        "login-options",
        "mail-auth",
        "mail-from",
        "mail-rcpt",
        "max-filesize",
        "max-redirs",
        "max-time",
        "netrc-file",
        "noproxy",
        "oauth2-bearer",
        "output",
        "output-dir",
        "parallel-max",
        "parallel-max-host",
        "pass",
        "pinnedpubkey",
        "preproxy",
        "proto",
        "proto-default",
        "proto-redir",
        "proxy",
        "proxy-cacert",
        "proxy-capath",
        "proxy-cert",
        "proxy-cert-type",
        "proxy-ciphers",
        "proxy-crlfile",
        "proxy-header",
        "proxy-key",
        "proxy-key-type",
        "proxy-pass",
        "proxy-pinnedpubkey",
        "proxy-service-name",
        "proxy-tls13-ciphers",
        "proxy-tlsauthtype",
        "proxy-tlspassword",
        "proxy-tlsuser",
        "proxy-user",
        "proxy1.0",
        "pubkey",
        "quote",
        "random-file",
        "range",
        "rate",
        "referer",
        "request",
        "request-target",
        "resolve",
        "retry",
        "retry-delay",
        "retry-max-time",
        "sasl-authzid",
        "service-name",
        "sigalgs",
        "socks4",
        "socks4a",
        "socks5",
        "socks5-gssapi-service",
        "socks5-hostname",
        "speed-limit",
        "speed-time",
        "ssl-sessions",
        "stderr",
        "telnet-option",
        "tftp-blksize",
        "time-cond",
        "tls-max",
        "tls13-ciphers",
        "tlsauthtype",
        "tlspassword",
        "tlsuser",
        "trace",
        "trace-ascii",
        "trace-config",
        "unix-socket",
        "upload-file",
        "upload-flags",
        "url",
        "url-query",
        "user",
        "user-agent",
        "variable",
        "vlan-priority",
        "write-out",
    ),
)

# wget(1): option_data's OPT_VALUE entries, -a/--append-output, -e/--execute and -n/--no
# (``-nv``: the letters after -n are its value).
WGET = OptionSpec(
    "aABDeiIlnOoPQRtTUwXY",
    _longs(
        "accept",
        "accept-regex",
        "append-output",
        "base",
        "bind-address",
        "bind-dns-address",
        "body-data",
        "body-file",
        "ca-certificate",
        "ca-directory",
        "certificate",
        "certificate-type",
        "ciphers",
        "config",
        "connect-timeout",
        "crl-file",
        "cut-dirs",
        "default-page",
        "directory-prefix",
        "dns-servers",
        "dns-timeout",
        "domains",
        "dot-style",
        "egd-file",
        "exclude-directories",
        "exclude-domains",
        "execute",
        "follow-tags",
        "ftp-password",
        "ftp-user",
        "header",
        "hsts-file",
        "http-passwd",
        "http-password",
        "http-user",
        "ignore-tags",
        "include-directories",
        "input-file",
        "level",
        "limit-rate",
        "load-cookies",
        "local-encoding",
        "max-redirect",
        "method",
        "no",
        "output-document",
        "output-file",
        "password",
        "pinnedpubkey",
        "post-data",
        "post-file",
        "prefer-family",
        "private-key",
        "private-key-type",
        "progress",
        "proxy-passwd",
        "proxy-password",
        "proxy-user",
        "quota",
        "random-file",
        "read-timeout",
        "referer",
        "regex-type",
        "reject",
        "reject-regex",
        "rejected-log",
        "remote-encoding",
        "retry-on-http-error",
        "save-cookies",
        "secure-protocol",
        "start-pos",
        "timeout",
        "tries",
        "use-askpass",
        "user",
        "user-agent",
        "wait",
        "waitretry",
        "warc-dedup",
        "warc-file",
        "warc-header",
        "warc-max-size",
        "warc-tempdir",
    ),
)

# FreeBSD fetch(1): only its output option matters to the rules.
FETCH = OptionSpec("o", _longs("output"))

# apt-get(8) and apt(8).
APT = OptionSpec(
    "octaP", _longs("option", "config-file", "target-release", "default-release", "host-architecture", "build-profiles")
)
# aptitude(8): -F/--display-format, -o, -O/--sort, -S (a state file), -t/--target-release,
# -w/--width take a value.
APTITUDE = OptionSpec(
    "FoOStw",
    _longs(
        "display-format",
        "option",
        "sort",
        "target-release",
        "default-release",
        "width",
        "add-user-tag",
        "remove-user-tag",
        "log-file",
        "log-level",
        "group-by",
        "show-summary",
    ),
)
# apk(8) (apk-tools 2 and 3).
APK = OptionSpec(
    "Xtp",
    _longs(
        "repository",
        "virtual",
        "root",
        "arch",
        "cache-dir",
        "keys-dir",
        "repositories-file",
        "wait",
        "timeout",
        "cache-max-age",
        "progress-fd",
    ),
)
# yum(8), dnf(8), microdnf(8).
YUM = OptionSpec(
    "cdeRx",
    _longs(
        "config",
        "installroot",
        "releasever",
        "setopt",
        "enablerepo",
        "disablerepo",
        "exclude",
        "repo",
        "repoid",
        "downloaddir",
        "destdir",
        "forcearch",
        "color",
        "rpmverbosity",
        "debuglevel",
        "errorlevel",
        "repofrompath",
    ),
)
# zypper(8).
ZYPPER = OptionSpec(
    "cCDRrt",
    _longs(
        "config",
        "cache-dir",
        "reposd-dir",
        "root",
        "repo",
        "type",
        "from",
        "installroot",
        "raw-cache-dir",
        "solv-cache-dir",
        "pkg-cache-dir",
    ),
)
# rpm(8): -D/--define, -E/--eval, -r/--root take a value.
RPM = OptionSpec(
    "DEr", _longs("root", "dbpath", "define", "eval", "prefix", "macros", "rcfile", "pipe", "relocate", "excludepath")
)
# pip(1): the general options and those of install/download/wheel.
PIP = OptionSpec(
    "rceiftCb",
    _longs(
        "requirement",
        "constraint",
        "editable",
        "index-url",
        "extra-index-url",
        "find-links",
        "target",
        "prefix",
        "root",
        "src",
        "platform",
        "python-version",
        "implementation",
        "abi",
        "no-binary",
        "only-binary",
        "progress-bar",
        "proxy",
        "trusted-host",
        "upgrade-strategy",
        "cache-dir",
        "log",
        "timeout",
        "retries",
        "exists-action",
        "cert",
        "client-cert",
        "global-option",
        "config-settings",
        "report",
        "root-user-action",
        "use-feature",
        "use-deprecated",
        "python",
        "keyring-provider",
        "build-option",
        "install-option",
        "group",
    ),
)
# npm(1).
NPM = OptionSpec(
    "wC",
    _longs(
        "prefix",
        "registry",
        "cache",
        "loglevel",
        "tag",
        "workspace",
        "omit",
        "include",
        "location",
        "userconfig",
        "globalconfig",
        "install-strategy",
    ),
)

# shadow-utils useradd(8): -l is --no-log-init and -U --user-group, both flags.
USERADD = OptionSpec(
    "bcdefgGkKpPRsuZ",
    _longs(
        "base-dir",
        "comment",
        "home-dir",
        "expiredate",
        "inactive",
        "gid",
        "groups",
        "skel",
        "key",
        "password",
        "prefix",
        "root",
        "shell",
        "uid",
        "selinux-user",
        "selinux-range",
    ),
)
# usermod(8): -l is --login NEW_LOGIN (a value); -a, -L, -m, -o, -r, -U are flags.
USERMOD = OptionSpec(
    "cdefgGlpPRsuvVwWZ",
    _longs(
        "comment",
        "home",
        "expiredate",
        "inactive",
        "gid",
        "groups",
        "login",
        "password",
        "prefix",
        "root",
        "shell",
        "uid",
        "add-subuids",
        "del-subuids",
        "add-subgids",
        "del-subgids",
        "selinux-user",
        "selinux-range",
    ),
)
# passwd(1) (shadow-utils).
PASSWD = OptionSpec("nxwirRP", _longs("mindays", "maxdays", "warndays", "inactive", "repository", "root", "prefix"))
# GNU install(1): -Z is a flag and --context takes its value only attached (--context=CTX).
INSTALL = OptionSpec("mgoSt", _longs("mode", "owner", "group", "suffix", "target-directory"))
# GNU mkdir(1): -m/--mode; -Z is a flag, --context=CTX attached only.
MKDIR = OptionSpec("m", _longs("mode"))
# docker login (docker-login(1)): -p/--password, -u/--username; --password-stdin is a flag.
DOCKER_LOGIN = OptionSpec("pu", _longs("password", "username"))

# Command name -> its options. Aliases share their tool's entry.
COMMANDS: dict[str, OptionSpec] = {
    "curl": CURL,
    "wget": WGET,
    "fetch": FETCH,
    "apt-get": APT,
    "apt": APT,
    "aptitude": APTITUDE,
    "apk": APK,
    "yum": YUM,
    "dnf": YUM,
    "microdnf": YUM,
    "zypper": ZYPPER,
    "rpm": RPM,
    "pip": PIP,
    "npm": NPM,
    "useradd": USERADD,
    "usermod": USERMOD,
    "passwd": PASSWD,
    "install": INSTALL,
    "mkdir": MKDIR,
}
NO_OPTIONS = OptionSpec()


# -- download tools -------------------------------------------------------------------------

STDOUT = frozenset({"-", "/dev/stdout", "/dev/fd/1"})
STDIN = frozenset({"-", "/dev/stdin", "/dev/fd/0"})


@dataclass(frozen=True)
class Download:
    """Where a download tool writes what it fetches."""

    to_stdout: bool  # without an output option, the download goes to standard output
    output: frozenset[str]  # options naming the output file ("-" is standard output)
    remote_name: frozenset[str] = frozenset()  # options that write to a file named after the URL


# curl(1): standard output unless -o FILE (``-o -`` is standard output again) or -O/--remote-name
# (--remote-name-all turns -O on for every URL). wget(1): a file named after the URL unless
# -O/--output-document (``-O -`` prints it). fetch(1): the same with -o/--output.
DOWNLOADS: dict[str, Download] = {
    "curl": Download(True, frozenset({"-o", "--output"}), frozenset({"-O", "--remote-name", "--remote-name-all"})),
    "wget": Download(False, frozenset({"-O", "--output-document"})),
    "fetch": Download(False, frozenset({"-o", "--output"})),
}


def downloads_to_stdout(cmd: CommandLike[WordLike]) -> bool:
    """The command is a download tool that writes what it fetches to standard output:
    ``curl URL``, ``curl -o - URL``, ``wget -O- URL``, ``fetch -o - URL``."""
    name = cmd.name
    tool = DOWNLOADS.get(name) if name is not None else None
    if tool is None:
        return False
    opts = options(cmd)
    if tool.to_stdout:
        return not any((o.name in tool.output and o.value not in STDOUT) or o.name in tool.remote_name for o in opts)
    return any(o.name in tool.output and o.value in STDOUT for o in opts)


# -- options and operands ---------------------------------------------------------------------


def spec_of(name: str | None) -> OptionSpec:
    """The option table of command ``name`` (none when unknown: every option a flag)."""
    return COMMANDS.get(name, NO_OPTIONS) if name is not None else NO_OPTIONS


def options(cmd: CommandLike[W], spec: OptionSpec | None = None) -> list[Option[W]]:
    """The options of ``cmd``'s arguments, read with ``spec`` (by default its command's table)."""
    s = spec if spec is not None else spec_of(cmd.name)
    return split_options(cmd.args, s.short_with_value, s.long_with_value)


def operands(cmd: CommandLike[W], spec: OptionSpec | None = None) -> list[W]:
    """The non-option words of ``cmd``'s arguments, read with ``spec`` (by default its command's table)."""
    s = spec if spec is not None else spec_of(cmd.name)
    return split_operands(cmd.args, s.short_with_value, s.long_with_value)


def split_options(
    args: Sequence[W], short_with_value: str = "", long_with_value: Iterable[str] = (), attached_long: bool = True
) -> list[Option[W]]:
    """GNU-style options of ``args``: short groups (``-fsSLk``), ``--long``, ``--long=value``.

    A short option in ``short_with_value`` takes the rest of its word or, when that is
    empty, the next word. Options stop at ``--``. Operands are skipped (GNU getopt
    permutes them). A word that is not literal counts by its text (``--password="$HASH"``
    is ``--password`` with the value ``$HASH``) when that starts with a dash.
    """
    long_set = long_with_value if isinstance(long_with_value, frozenset) else frozenset(long_with_value)
    out: list[Option[W]] = []
    i, n = 0, len(args)
    while i < n:
        w = args[i]
        v = w.value if w.value is not None else (w.text if w.raw.startswith("-") else None)
        i += 1
        if v is None or len(v) < 2 or v[0] != "-":
            continue
        if v == "--":
            break
        if v.startswith("--"):
            name, eq, value = v.partition("=")
            if eq and attached_long:
                out.append(Option(name, value, w, w))
            elif name in long_set and i < n:
                out.append(Option(name, args[i].text, w, args[i]))
                i += 1
            else:
                out.append(Option(name, None, w, None))
            continue
        i = _short_group(args, i, v, w, short_with_value, out)
    return out


def _short_group(args: Sequence[W], i: int, v: str, w: W, short_with_value: str, out: list[Option[W]]) -> int:
    """Read the short options of ``v`` (the word ``w``; ``args[i]`` the next word) into ``out``;
    the index of the word after them."""
    for k in range(1, len(v)):
        ch = v[k]
        if ch in short_with_value:
            rest = v[k + 1 :]
            if rest:
                out.append(Option("-" + ch, rest, w, w))
            elif i < len(args):
                out.append(Option("-" + ch, args[i].text, w, args[i]))
                i += 1
            else:
                out.append(Option("-" + ch, None, w, None))
            break
        out.append(Option("-" + ch, None, w, None))
    return i


def split_operands(args: Sequence[W], short_with_value: str = "", long_with_value: Iterable[str] = ()) -> list[W]:
    """The non-option words of ``args`` (after ``--`` everything is an operand)."""
    long_set = long_with_value if isinstance(long_with_value, frozenset) else frozenset(long_with_value)
    out: list[W] = []
    i, n = 0, len(args)
    while i < n:
        w = args[i]
        v = w.text
        i += 1
        if v == "--":
            out.extend(args[i:])
            break
        if len(v) < 2 or v[0] != "-":
            out.append(w)
            continue
        if v.startswith("--"):
            if "=" not in v and v in long_set:
                i += 1
            continue
        for k in range(1, len(v)):
            if v[k] in short_with_value:
                if k == len(v) - 1:
                    i += 1
                break
    return out
