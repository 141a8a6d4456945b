"""systemd unit files and drop-ins -> a :class:`UnitPart` (assembled into a Daemon later).

Follows systemd's own reader (``conf-parser.c``, systemd.syntax(7)):

* ``[Section]`` headers; ``Key=Value`` assignments (key and value stripped);
  ``#`` and ``;`` comment lines; empty lines;
* a line ending in an unescaped backslash continues on the next line (the backslash
  becomes a space); comment lines inside a continuation are skipped; a comment line that
  ends in a backslash swallows the next line, exactly as systemd does;
* a repeated key is kept in order; an empty assignment (``ExecStart=``, ``ListenStream=``,
  ``Environment=``) resets the list. Resets across a unit and its drop-ins are applied by
  the assembler (:mod:`dockerlint.parsers.daemon`);
* ``ExecStart=`` prefixes (``-``, ``@``, ``:``, ``+``, ``!``, ``!!``, ``|``) and word
  splitting with systemd's quoting and C escapes; ``$VAR`` / ``${VAR}`` words are kept
  as opaque words here. The assembler expands them (:func:`expand_command`) once it knows
  the unit's environment, as systemd.service(5) "Command lines" says: ``$VAR`` alone as a
  word becomes the value split at whitespace (quotes respected, then removed), zero words
  when unset; ``${VAR}`` becomes exactly one word (also inside a word); ``$$`` is ``$``.
  Words that came from a variable keep the spans of the ``Environment=`` value or the
  environment-file line they were written in.

Environment files (``/etc/default/docker``, ``/etc/sysconfig/docker``; recognised by path)
are read like systemd's ``EnvironmentFile=`` reader (:func:`parse_env_file`).

A line that is neither a section header, a comment nor ``Key=Value``, and an assignment
before any section, are fatal DD000 errors at that line.

For an ``ExecStart=`` that runs the Docker daemon (``dockerd``, ``docker daemon``,
``docker -d``, ``dockerd-rootless.sh``), the command line is parsed like dockerd's flag
parser (pflag) into :class:`~dockerlint.models.daemon.DaemonSetting` (origin ``flag``,
daemon.json key names) with exact spans, even across continuation lines.
"""

from __future__ import annotations

import bisect
import posixpath
import re
from dataclasses import dataclass, field
from typing import Protocol

from dockerlint.lines import LineIndex
from dockerlint.models.base import LStr, Span, build
from dockerlint.models.daemon import DaemonSetting, Listener
from dockerlint.models.source import SourceFile
from dockerlint.parsers.daemon_json import parse_host
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.output import Comment, ParseOutput, Problem

_WHITESPACE = " \t\n\r"
_COMMENTS = "#;"
_DROPIN_DIR = re.compile(r"^(.+\.[A-Za-z]+)\.d$")
_OPAQUE = re.compile(r"^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})$")
_EXEC_PREFIXES = "-@:+!|"


# -- positions ------------------------------------------------------------------------------


class _Logical:
    """A logical line: physical lines joined at backslash continuations, with positions."""

    __slots__ = ("_lines", "_offsets", "text")

    def __init__(self) -> None:
        self.text = ""
        self._offsets: list[int] = []  # offset in text where each physical piece starts
        self._lines: list[int] = []  # the piece's line number (pieces start at column 1)

    def add(self, line_no: int, text: str) -> None:
        self._offsets.append(len(self.text))
        self._lines.append(line_no)
        self.text += text

    def pos(self, offset: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self._offsets, offset) - 1)
        return self._lines[i], offset - self._offsets[i] + 1

    def span(self, path: str, start: int, end: int) -> Span:
        line, col = self.pos(start)
        if end <= start:
            return Span.make(path, line, col, line, col + 1)
        end_line, end_col = self.pos(end - 1)
        return Span.make(path, line, col, end_line, end_col + 1)

    @property
    def first_line(self) -> int:
        return self._lines[0]


@dataclass(eq=False)
class Directive:
    """One ``Key=Value`` assignment."""

    path: str
    section: str
    key: str
    value: str  # stripped; continuation lines joined (backslash -> space)
    key_span: Span
    value_span: Span  # for an empty value: the character after '='
    span: Span  # the whole assignment
    _logical: _Logical = field(repr=False)
    _value_at: int = field(repr=False)

    @property
    def line(self) -> int:
        return self.key_span.line

    @property
    def is_reset(self) -> bool:
        return self.value == ""

    def sub_span(self, start: int, end: int) -> Span:
        """The span of characters ``[start, end)`` of :attr:`value`."""
        return self._logical.span(self.path, self._value_at + start, self._value_at + end)

    def lstr(self) -> LStr:
        return LStr.make(self.value, self.value_span)


@dataclass(eq=False)
class Section:
    name: str
    span: Span  # the header line
    directives: list[Directive] = field(default_factory=list)


# -- ExecStart words --------------------------------------------------------------------------


class Spanner(Protocol):
    """Maps character offsets of a text (a directive's value, an environment file) to spans."""

    def sub_span(self, start: int, end: int) -> Span: ...


@dataclass(eq=False)
class Word:
    """A word of a command line: its unquoted value and where each character came from.

    ``offsets`` are offsets in ``source`` (the directive's value for a word written in the
    ``ExecStart=``; an ``Environment=`` directive or an environment file for a word that came
    from a variable). A word that mixes both (``--label=${X}``) lists a source per character.
    """

    value: str
    start: int  # offsets in the source (raw word, quotes included)
    end: int
    offsets: list[int]  # for each character of value, its offset in the source
    lstr: LStr
    source: Spanner | None = None
    via: str = ""  # for a word that came from a variable: which, and where set ("$DOCKER_OPTS, set at x:7")
    sources: list[Spanner] | None = None  # per character, for a word with characters from several sources

    def sub_span(self, i: int, j: int) -> Span:
        """Span of characters ``[i, j)`` of the unquoted value."""
        if not self.offsets or self.source is None:
            return self.lstr.span
        i = min(max(i, 0), len(self.offsets) - 1)
        j = min(max(j, i + 1), len(self.offsets))
        src = self.source
        if self.sources is not None:
            src = self.sources[i]
            k = i
            while k + 1 < j and self.sources[k + 1] is src:
                k += 1
            j = k + 1
        return src.sub_span(self.offsets[i], self.offsets[j - 1] + 1)

    @property
    def opaque(self) -> bool:
        """``$VAR`` / ``${VAR}`` written in the unit: expanded by systemd at run time, unknown here.

        A word that came from a variable is never expanded again (systemd does not)."""
        return not self.via and bool(_OPAQUE.match(self.value))


_C_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
              "\\": "\\", '"': '"', "'": "'", "s": " "}


def _unescape(text: str, i: int) -> tuple[str, int]:
    """systemd's cunescape_one (relaxed): the character(s) for the escape at ``text[i] == '\\'``."""
    nxt = text[i + 1:i + 2]
    if not nxt:
        return "\\", i + 1
    if nxt in _C_ESCAPES:
        return _C_ESCAPES[nxt], i + 2
    m = re.match(r"x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{3})", text[i + 1:])
    if m:
        try:
            if m.group(1):
                return chr(int(m.group(1), 16)), i + 1 + m.end()
            if m.group(2):
                return chr(int(m.group(2), 16)), i + 1 + m.end()
            if m.group(3):
                return chr(int(m.group(3), 16)), i + 1 + m.end()
            return chr(int(m.group(4), 8)), i + 1 + m.end()
        except (ValueError, OverflowError):
            pass
    return "\\" + nxt, i + 2  # relaxed: unknown escapes stay as written


def _split(text: str, source: Spanner, offsets: list[int] | None = None, start: int = 0, *,
           cunescape: bool = True, relax: bool = False, via: str = "") -> tuple[list[Word], str | None]:
    """systemd's extract_first_word loop over ``text`` (UNQUOTE, plus CUNESCAPE or RELAX).

    ``offsets[k]`` is where character ``k`` of ``text`` is in ``source`` (``None``: the text
    is the source itself). Returns the words and, for unbalanced quotes without ``relax``, an
    error message (with ``relax`` an unbalanced quote ends the word, as systemd does)."""
    n = len(text)
    at = offsets if offsets is not None else range(n + 1)
    words: list[Word] = []
    i = start
    while True:
        while i < n and text[i] in _WHITESPACE:
            i += 1
        if i >= n:
            return words, None
        begin = i
        chars: list[str] = []
        where: list[int] = []
        quote = ""
        while i < n:
            c = text[i]
            if quote:
                if c == quote:
                    quote = ""
                    i += 1
                    continue
            elif c in _WHITESPACE:
                break
            elif c in "'\"":
                quote = c
                i += 1
                continue
            if c == "\\":
                if cunescape:
                    s, j = _unescape(text, i)
                else:  # a backslash takes the next character as it is
                    s, j = (text[i + 1], i + 2) if i + 1 < n else ("\\", i + 1)
                for ch in s:
                    chars.append(ch)
                    where.append(at[i])
                i = j
                continue
            chars.append(c)
            where.append(at[i])
            i += 1
        if quote and not relax:
            return words, f"unbalanced {quote} quote"
        value = "".join(chars)
        raw_start, raw_end = at[begin], at[i - 1] + 1
        word = Word(value, raw_start, raw_end, where, LStr.make(value, source.sub_span(raw_start, raw_end)),
                    source, via)
        words.append(word)


def split_words(directive: Directive, start: int = 0) -> tuple[list[Word], str | None]:
    """Split a command line like systemd's extract_first_word(UNQUOTE|CUNESCAPE|RELAX).

    Returns the words and, for unbalanced quotes, an error message.
    """
    words, error = _split(directive.value, directive, None, start)
    if error:
        return words, f"{error} in {directive.key}=: systemd ignores this line"
    return words, None


def split_value(value: EnvValue, via: str) -> list[Word]:
    """The words of a variable's value as ``$VAR`` in a command line gives them: split at
    whitespace, quotes respected and removed, backslash escapes the next character
    (replace_env_argv: EXTRACT_RELAX|EXTRACT_UNQUOTE)."""
    words, _ = _split(value.value, value.source, value.offsets, cunescape=False, relax=True, via=via)
    return words


# -- dockerd flags ----------------------------------------------------------------------------

# Long flag -> (daemon.json key, kind). kind: "bool", "value", "multi" (repeatable: the
# daemon.json key is the plural of the flag name; each occurrence's value is a one-item list).
_BOOL = ("tls tlsverify debug validate icc iptables ip6tables ip-forward ip-forward-no-drop ip-masq ipv6 "
         "allow-direct-routing userland-proxy live-restore no-new-privileges selinux-enabled experimental "
         "init raw-logs rootless cri-containerd disable-legacy-registry help version")
_VALUE = ("config-file log-level log-format tlscacert tlscert tlskey userns-remap seccomp-profile log-driver "
          "containerd containerd-namespace containerd-plugins-namespace group pidfile data-root exec-root "
          "storage-driver bridge bip bip6 fixed-cidr fixed-cidr-v6 default-gateway default-gateway-v6 ip mtu "
          "cgroup-parent default-runtime default-shm-size default-ipc-mode default-cgroupns-mode init-path "
          "userland-proxy-path metrics-addr network-diagnostic-port swarm-default-advertise-addr "
          "max-concurrent-downloads max-concurrent-uploads max-download-attempts shutdown-timeout "
          "firewall-backend bridge-accept-fwmark cpu-rt-period cpu-rt-runtime oom-score-adjust http-proxy "
          "https-proxy no-proxy graph api-cors-header cluster-store cluster-advertise exec-driver "
          "nri-opts default-stop-timeout")
_MULTI = {
    "host": "hosts", "label": "labels", "insecure-registry": "insecure-registries",
    "registry-mirror": "registry-mirrors", "authorization-plugin": "authorization-plugins",
    "log-opt": "log-opts", "storage-opt": "storage-opts", "default-ulimit": "default-ulimits",
    "dns": "dns", "dns-opt": "dns-opts", "dns-search": "dns-search", "exec-opt": "exec-opts",
    "add-runtime": "runtimes", "default-address-pool": "default-address-pools",
    "default-network-opt": "default-network-opts", "node-generic-resource": "node-generic-resources",
    "cdi-spec-dir": "cdi-spec-dirs", "feature": "features", "host-gateway-ip": "host-gateway-ips",
    "allow-nondistributable-artifacts": "allow-nondistributable-artifacts",
    "cluster-store-opt": "cluster-store-opts",
}
FLAGS: dict[str, tuple[str, str]] = {
    **{name: (name, "bool") for name in _BOOL.split()},
    **{name: (name, "value") for name in _VALUE.split()},
    **{name: (key, "multi") for name, key in _MULTI.items()},
}
FLAGS["pidfile"] = ("pidfile", "value")
SHORT: dict[str, str] = {"H": "host", "D": "debug", "G": "group", "l": "log-level", "p": "pidfile",
                         "s": "storage-driver", "b": "bridge", "g": "graph", "e": "exec-driver",
                         "v": "version", "h": "help"}
_TRUE = {"1", "t", "T", "true", "TRUE", "True"}
_FALSE = {"0", "f", "F", "false", "FALSE", "False"}


@dataclass(eq=False)
class ExecCommand:
    """One ``ExecStart=`` assignment (``reset`` for an empty one)."""

    directive: Directive | None  # None for the command of an assumed unit (see assumed_command)
    reset: bool = False
    prefixes: str = ""
    words: list[Word] = field(default_factory=list)
    runs: str = ""  # "dockerd", "docker daemon", "docker -d", "dockerd-rootless", or "" (other/unknown)
    settings: list[DaemonSetting] = field(default_factory=list)
    listeners: list[Listener] = field(default_factory=list)
    rootless: LStr | None = None
    opaque: list[LStr] = field(default_factory=list)  # $VAR words, not expanded
    problems: list[Problem] = field(default_factory=list)  # what parsing the words reported

    @property
    def runs_dockerd(self) -> bool:
        return bool(self.runs)

    def lstr(self) -> LStr:
        assert self.directive is not None
        return self.directive.lstr()


def _program_kind(words: list[Word]) -> tuple[str, int, int | None]:
    """What a command runs: (kind, index of the first daemon argument, index of a word to skip)."""
    if not words:
        return "", 0, None
    base = posixpath.basename(words[0].value)
    if base in ("dockerd", "dockerd-current"):  # dockerd-current: RHEL 7's docker 1.13 package
        return "dockerd", 1, None
    if base.startswith("dockerd-rootless"):
        return "dockerd-rootless", 1, None
    if base == "docker":
        if len(words) > 1 and words[1].value == "daemon":
            return "docker daemon", 2, None
        for k, w in enumerate(words[1:], start=1):
            if w.value in ("-d", "--daemon"):
                return "docker -d", 1, k
            if not w.value.startswith("-"):
                break
    return "", 0, None


def _parse_bool(text: str) -> bool | None:
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def parse_dockerd_args(cmd: ExecCommand, unit: str, problems: list[Problem]) -> None:
    """Fill ``cmd.settings``/``listeners`` from the daemon's arguments, like pflag would."""
    kind, first, skip = _program_kind(cmd.words)
    cmd.runs = kind
    if not kind:
        return
    if kind == "dockerd-rootless":
        cmd.rootless = cmd.words[0].lstr
    words = [w for k, w in enumerate(cmd.words) if k >= first and k != skip]
    i = 0

    def add(key: str, written: str, value: object, span: Span, value_span: Span, via: str = "") -> None:
        cmd.settings.append(build(DaemonSetting,
            key=key, value=value, span=span, value_span=value_span, origin="flag", written_key=written,
            via=via))

    def take_value(word: Word, key: str, kind_: str, written: str, value: str | None,
                   vstart: int, vword: Word | None) -> None:
        """Record a flag's value (``vword``/``vstart``: where the value's characters are)."""
        if value is None:
            problems.append(Problem("DD000", f"{written} needs a value: dockerd refuses to start", word.lstr.span))
            return
        assert vword is not None
        if vword is not word and vword.opaque:
            cmd.opaque.append(vword.lstr)  # "-H $HOST": the value is only known at run time
            return
        value_span = vword.sub_span(vstart, vstart + len(value)) if value else vword.lstr.span
        if kind_ == "bool":
            b = _parse_bool(value)
            if b is None:
                problems.append(Problem("DD000", f"{written}={value}: not a boolean (use true or false); "
                                                 "dockerd refuses to start", value_span))
                return
            add(key, written, b, word.lstr.span, value_span, word.via)
            return
        add(key, written, [value] if kind_ == "multi" else value, word.lstr.span, value_span, word.via)
        if key == "hosts":
            address = LStr.make(value, value_span)

            def sub(a: int, b_: int) -> Span:
                return vword.sub_span(vstart + a, vstart + b_)

            lst, error = parse_host(address, "flag", sub)
            cmd.listeners.append(lst)
            if error:
                problems.append(Problem("DD000", error, value_span))
        if key == "rootless" and value in _TRUE:
            cmd.rootless = word.lstr

    def next_value() -> tuple[str | None, Word | None]:
        nonlocal i
        if i + 1 < len(words) and not words[i + 1].value.startswith("-"):
            i += 1
            return words[i].value, words[i]
        return None, None

    while i < len(words):
        w = words[i]
        s = w.value
        if w.opaque:
            cmd.opaque.append(w.lstr)
        elif s == "--":
            pass
        elif s.startswith("--"):
            name, eq, attached = s[2:].partition("=")
            key, kind_ = FLAGS.get(name, (name, ""))
            written = f"--{name}"
            if eq:
                take_value(w, key, kind_ or "value", written, attached, len(name) + 3, w)
            elif kind_ == "bool":
                add(key, written, True, w.lstr.span, w.lstr.span, w.via)
                if key == "rootless":
                    cmd.rootless = w.lstr
            else:
                value, vword = next_value()
                if value is None and not kind_:
                    add(key, written, True, w.lstr.span, w.lstr.span, w.via)  # unknown flag: taken as a switch
                else:
                    take_value(w, key, kind_, written, value, 0, vword)
        elif s.startswith("-") and len(s) > 1:
            j = 1
            while j < len(s):
                name = SHORT.get(s[j], "")
                if not name:
                    break  # unknown shorthand: dockerd refuses it; nothing to record
                key, kind_ = FLAGS[name]
                written = f"-{s[j]}"
                if kind_ == "bool":
                    if s[j + 1:j + 2] == "=":
                        take_value(w, key, kind_, written, s[j + 2:], j + 2, w)
                        break
                    add(key, written, True, w.lstr.span, w.lstr.span, w.via)
                    j += 1
                    continue
                rest = s[j + 1:]
                if rest:
                    at = j + 1 + (1 if rest.startswith("=") else 0)
                    take_value(w, key, kind_, written, s[at:], at, w)
                else:
                    value, vword = next_value()
                    take_value(w, key, kind_, written, value, 0, vword)
                break
        elif kind in ("dockerd", "dockerd-rootless"):
            problems.append(Problem("DD000", (
                f"dockerd takes no arguments, only flags: '{s}' makes it refuse to start"
                + (" (a boolean flag takes its value with '=': --flag=false)" if s in _TRUE | _FALSE else "")),
                w.lstr.span))
        i += 1


# -- the unit file ----------------------------------------------------------------------------


@dataclass(eq=False)
class UnitPart:
    """One unit file or drop-in."""

    path: str
    file_name: str  # "docker.service", "override.conf"
    name: str  # the unit it is, or for a drop-in the unit it applies to
    dropin: bool
    unit_type: str  # "service", "socket", ... (from the unit name)
    first_line: Span  # the whole first line
    sections: list[Section] = field(default_factory=list)
    exec_starts: list[ExecCommand] = field(default_factory=list)  # [Service] ExecStart=, in order

    kind = "unit"

    def directives(self, section: str, key: str) -> list[Directive]:
        return [d for s in self.sections if s.name == section for d in s.directives if d.key == key]

    def last(self, section: str, key: str) -> Directive | None:
        found = self.directives(section, key)
        return found[-1] if found else None

    def section(self, name: str) -> Section | None:
        for s in self.sections:
            if s.name == name:
                return s
        return None

    def effective(self, section: str, key: str) -> list[Directive]:
        """A list setting within this file: an empty assignment resets it."""
        out: list[Directive] = []
        for d in self.directives(section, key):
            if d.is_reset:
                out.clear()
            else:
                out.append(d)
        return out

    @property
    def listen_streams(self) -> list[Directive]:
        return self.directives("Socket", "ListenStream")

    @property
    def environment(self) -> dict[str, LStr]:
        """``Environment=`` assignments of this file (an empty ``Environment=`` resets them)."""
        env: dict[str, LStr] = {}
        for d in self.directives("Service", "Environment"):
            if d.is_reset:
                env.clear()
                continue
            for a in environment_assignments(d):
                env[a.name] = a.lstr()
        return env

    @property
    def environment_files(self) -> list[LStr]:
        return [d.lstr() for d in self.effective("Service", "EnvironmentFile")]


# -- environment: Environment=, EnvironmentFile= and the files they name -----------------------

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(eq=False)
class EnvValue:
    """A variable's value with where each of its characters is written."""

    name: str
    value: str
    offsets: list[int]  # for each character of value, its offset in source
    source: Spanner
    name_span: Span  # the variable's name as written
    where: str  # where the assignment is written: "x.conf:3", "etc/default/docker:5"

    def span(self) -> Span:
        if not self.offsets:
            return self.name_span
        return self.source.sub_span(self.offsets[0], self.offsets[-1] + 1)

    def lstr(self) -> LStr:
        return LStr.make(self.value, self.span())


def environment_assignments(d: Directive) -> list[EnvValue]:
    """The ``NAME=value`` words of one ``Environment=`` line (config_parse_environ: words split
    with quotes and C escapes; invalid assignments are ignored, as systemd ignores them)."""
    out: list[EnvValue] = []
    words, _ = split_words(d)
    for w in words:
        name, eq, value = w.value.partition("=")
        if not eq or not _ENV_NAME.fullmatch(name):
            continue
        k = len(name) + 1
        out.append(EnvValue(name, value, w.offsets[k:], d, w.sub_span(0, len(name)),
                            f"{d.path}:{d.line}"))
    return out


class _TextSource:
    """Offsets of a whole file's text -> spans."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.index = LineIndex(text)

    def sub_span(self, start: int, end: int) -> Span:
        line, col = self.index.position(start)
        if end <= start:
            return Span.make(self.path, line, col, line, col + 1)
        end_line, end_col = self.index.position(end - 1)
        return Span.make(self.path, line, col, end_line, end_col + 1)


# The files of the Debian/Ubuntu and RHEL-family packages that hold dockerd's options.
ENV_FILE_PATH = re.compile(r"(?:^|/)etc/(?:default|sysconfig)/docker$")
_SHELL_NEED_ESCAPE = '"\\`$'


@dataclass(eq=False)
class EnvFilePart:
    """An environment file (``/etc/default/docker``, ``/etc/sysconfig/docker``) as systemd's
    ``EnvironmentFile=`` reads it (``env-file.c``)."""

    path: str
    first_line: Span
    assignments: list[EnvValue] = field(default_factory=list)  # valid names only, in order

    kind = "environment file"

    @property
    def host_path(self) -> str:
        """The path the file has on its host (``/etc/default/docker``)."""
        m = ENV_FILE_PATH.search(self.path)
        return "/" + self.path[m.start():].lstrip("/") if m else self.path

    @property
    def family(self) -> str:
        return "debian" if "/default/" in "/" + self.path else "rhel"

    def values(self) -> dict[str, EnvValue]:
        """The effective assignments: the last one of a name wins."""
        return {a.name: a for a in self.assignments}


def parse_env_file(path: str, text: str, comments: list[Comment] | None = None) -> EnvFilePart:
    """systemd's parse_env_file_internal, keeping the offset of every value character.

    ``KEY=value`` lines; ``#``/``;`` comment lines; an unquoted value keeps its inner
    whitespace (trailing whitespace dropped) and takes ``\\x`` as ``x``; ``'...'`` is literal;
    ``"..."`` unescapes ``\\"``, ``\\\\``, ``\\` ``, ``\\$`` (other escapes are kept); quoted parts
    may span lines and concatenate (``"a"b`` is ``ab``). A key that is not a valid name
    (``export FOO=1``) is dropped when the service starts, as systemd drops it.
    """
    source = _TextSource(path, text)
    part = EnvFilePart(path, source.sub_span(0, max(1, len(text.split("\n", 1)[0]))))
    n = len(text)
    i = 0
    while i < n:
        # PRE_KEY
        while i < n and text[i] in " \t\r":
            i += 1
        if i >= n:
            break
        if text[i] == "\n":
            i += 1
            continue
        if text[i] in "#;":
            # A comment ends at the newline, even after a backslash (systemd >= 254; older
            # versions let it swallow the next line).
            at = i
            while i < n and text[i] != "\n":
                i += 1
            if comments is not None:
                line, col = source.index.position(at)
                comments.append(Comment(line, col, col + len(text[at:i].rstrip(_WHITESPACE)), True))
            i += 1
            continue
        key_at = i
        while i < n and text[i] not in "=\n":
            i += 1
        if i >= n or text[i] == "\n":
            i += 1
            continue  # no '=': ignored
        key = text[key_at:i].rstrip(" \t\r")
        i += 1
        chars: list[str] = []
        where: list[int] = []
        trailing: int | None = None  # where trailing whitespace of an unquoted value starts
        state = "pre"
        while i < n:
            c = text[i]
            if state in ("pre", "value"):
                if c == "\n":
                    break
                if c == "'" and state == "pre":
                    state = "single"
                elif c == '"' and state == "pre":
                    state = "double"
                elif c == "\\":
                    state = "value"
                    trailing = None
                    if i + 1 < n and text[i + 1] != "\n":
                        chars.append(text[i + 1])
                        where.append(i + 1)
                    i += 2
                    continue
                elif c in " \t\r":
                    if state == "value":
                        if trailing is None:
                            trailing = len(chars)
                        chars.append(c)
                        where.append(i)
                else:
                    state = "value"
                    trailing = None
                    chars.append(c)
                    where.append(i)
            elif state == "single":
                if c == "'":
                    state = "pre"
                else:
                    chars.append(c)
                    where.append(i)
            else:  # double
                if c == '"':
                    state = "pre"
                elif c == "\\" and i + 1 < n:
                    nxt = text[i + 1]
                    if nxt in _SHELL_NEED_ESCAPE:
                        chars.append(nxt)
                        where.append(i + 1)
                    elif nxt != "\n":
                        chars += ["\\", nxt]
                        where += [i, i + 1]
                    i += 2
                    continue
                else:
                    chars.append(c)
                    where.append(i)
            i += 1
        if state == "value" and trailing is not None:
            del chars[trailing:], where[trailing:]
        i += 1
        if _ENV_NAME.fullmatch(key):
            line = source.sub_span(key_at, key_at + 1).line
            part.assignments.append(EnvValue(key, "".join(chars), where, source,
                                             source.sub_span(key_at, key_at + len(key)), f"{path}:{line}"))
    return part


# -- $VARIABLES in a command line -----------------------------------------------------------

_BRACED = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:[-+])([^}]*))?\}|\$\$")


@dataclass
class Environment:
    """What systemd would pass to a service: the values known from the scan, and whether
    every source of variables was found (then an unknown variable is simply unset)."""

    values: dict[str, EnvValue] = field(default_factory=dict)
    complete: bool = True


def _expand_word(w: Word, env: Environment, unresolved: list[LStr]) -> list[Word]:
    """One command-line word after systemd's replace_env_argv."""
    m = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", w.value)
    if m and not w.via:
        value = env.values.get(m.group(1))
        if value is not None:
            return split_value(value, f"${m.group(1)}, set at {value.where}")
        if env.complete:
            return []  # unset: zero words
        unresolved.append(w.lstr)
        return [w]
    if w.via or "$" not in w.value or not _BRACED.search(w.value):
        return [w]
    chars: list[str] = []
    offsets: list[int] = []
    sources: list[Spanner] = []
    own = w.source
    assert own is not None
    via = ""
    pos = 0

    def keep(a: int, b: int) -> None:
        chars.extend(w.value[a:b])
        offsets.extend(w.offsets[a:b])
        sources.extend([own] * (b - a))

    for m2 in _BRACED.finditer(w.value):
        keep(pos, m2.start())
        pos = m2.end()
        if m2.group(0) == "$$":
            chars.append("$")
            offsets.append(w.offsets[m2.start()])
            sources.append(own)
            continue
        name, op = m2.group(1), m2.group(2)
        value = env.values.get(name)
        if value is None and not env.complete:
            unresolved.append(w.lstr)
            return [w]
        text = value.value if value is not None else ""
        if op == ":-" and not text or op == ":+" and text:
            keep(m2.start(3), m2.end(3))  # the default / alternative written in the unit
            continue
        if op == ":+" or value is None:
            continue
        chars.extend(value.value)
        offsets.extend(value.offsets)
        sources.extend([value.source] * len(value.value))
        via = via or f"${{{name}}}, set at {value.where}"
    keep(pos, len(w.value))
    text = "".join(chars)
    mixed = Word(text, w.start, w.end, offsets, LStr.make(text, w.lstr.span), own, via, sources)
    if offsets:  # report where the word's first characters are written
        mixed.lstr = LStr.make(text, mixed.sub_span(0, len(text)))
    return [mixed]


def expand_command(cmd: ExecCommand, env: Environment, unit: str) -> tuple[ExecCommand, list[LStr]]:
    """``cmd`` with its ``$VAR`` / ``${VAR}`` words expanded from ``env`` and its dockerd
    flags read again; the words left unexpanded (unknown variables) are returned too.

    Problems the first reading already reported are not repeated."""
    unresolved: list[LStr] = []
    if not any("$" in w.value for w in cmd.words):
        return cmd, unresolved
    words: list[Word] = []
    for w in cmd.words:
        words.extend(_expand_word(w, env, unresolved))
    out = ExecCommand(cmd.directive, prefixes=cmd.prefixes, words=words)
    parse_dockerd_args(out, unit, out.problems)
    seen = {(p.message, p.span) for p in cmd.problems}
    out.problems = [p for p in out.problems if (p.message, p.span) not in seen]
    return out, unresolved


def assumed_command(variables: list[EnvValue], unit: str, via: str) -> ExecCommand:
    """dockerd run with the words of ``variables``: the command of a packaged unit that is not
    in the scan (Debian's ``dockerd -H fd:// $DOCKER_OPTS``). The unit's own words (``-H fd://``)
    are not part of it: no file here writes them."""
    anchor = variables[0].name_span
    program = Word("/usr/bin/dockerd", 0, 0, [], LStr.make("/usr/bin/dockerd", anchor))
    words = [program]
    for v in variables:
        words.extend(split_value(v, f"${v.name}, set at {v.where}, {via}"))
    cmd = ExecCommand(None, words=words)
    parse_dockerd_args(cmd, unit, cmd.problems)
    return cmd


def _unit_identity(path: str, text_sections: list[Section]) -> tuple[str, str, bool, str]:
    parts = path.replace("\\", "/").split("/")
    file_name = parts[-1]
    parent = parts[-2] if len(parts) > 1 else ""
    m = _DROPIN_DIR.match(parent)
    if file_name.endswith(".conf") and m:
        name, dropin = m.group(1), True
    elif file_name.endswith(".conf"):
        # A drop-in found outside its <unit>.d folder (given explicitly): judge by content.
        names = {s.name for s in text_sections}
        name, dropin = ("docker.socket" if "Socket" in names and "Service" not in names else "docker.service"), True
    else:
        name, dropin = file_name, False
    unit_type = name.rsplit(".", 1)[-1] if "." in name else ""
    if unit_type not in ("service", "socket", "timer", "mount", "path", "target", "slice", "scope", "device",
                         "swap", "automount"):
        names = {s.name for s in text_sections}
        unit_type = "socket" if "Socket" in names else "service"
    return file_name, name, dropin, unit_type


def _logical_lines(lines: list[str], comments: list[Comment], bom: int = 0) -> list[_Logical]:
    """The logical lines; ``comments`` gets the comment lines (``bom``: a byte-order mark was
    taken off the first line)."""
    out: list[_Logical] = []
    current: _Logical | None = None
    for idx, line in enumerate(lines):
        line_no = idx + 1
        body = line.lstrip(_WHITESPACE)
        if body[:1] in tuple(_COMMENTS):
            # A comment line: skipped inside a continuation; otherwise the logical line it
            # starts is dropped whole by parse().
            lead = len(line) - len(body) + (bom if idx == 0 else 0)
            comments.append(Comment(line_no, lead + 1, lead + 1 + len(body.rstrip(_WHITESPACE)), True))
            if current is not None:
                continue
        # An odd run of trailing backslashes continues the line.
        stripped = line.rstrip("\\")
        escaped = (len(line) - len(stripped)) % 2 == 1
        piece = line[:-1] + " " if escaped else line
        if current is None:
            current = _Logical()
        current.add(line_no, piece)
        if not escaped:
            out.append(current)
            current = None
    if current is not None:
        out.append(current)
    return out


def parse(src: SourceFile) -> ParseOutput:
    path = src.path
    if ENV_FILE_PATH.search(path.replace("\\", "/")):
        # A BOM is blanked, not dropped, so offsets stay those of the file.
        text = src.text.replace("\ufeff", " ", 1) if src.text.startswith("\ufeff") else src.text
        comments: list[Comment] = []
        part = parse_env_file(path, text, comments)
        return ParseOutput(daemon_parts=[part], comments=comments)
    lines = src.lines
    bom = 0
    if lines and lines[0].startswith("\ufeff"):
        lines = [lines[0][1:], *lines[1:]]
        bom = 1
    comments: list[Comment] = []
    try:
        return _parse_unit(src, lines, comments, bom)
    except ParseError as exc:
        exc.comments = comments
        raise


def _parse_unit(src: SourceFile, lines: list[str], comments: list[Comment], bom: int) -> ParseOutput:
    path = src.path
    sections: list[Section] = []
    current: Section | None = None
    for logical in _logical_lines(lines, comments, bom):
        text = logical.text
        lead = len(text) - len(text.lstrip(_WHITESPACE))
        body = text.strip(_WHITESPACE)
        if not body or body[0] in _COMMENTS:
            continue
        line_no = logical.first_line
        if body[0] == "[":
            if not body.endswith("]") or len(body) < 3:
                raise ParseError(f"invalid section header {body!r}: expected [Name]", line_no, lead + 1,
                                 lead + 1 + len(body) if "\n" not in body else None)
            current = Section(body[1:-1], logical.span(path, lead, lead + len(body)))
            sections.append(current)
            continue
        eq = text.find("=")
        if eq < 0:
            raise ParseError(f"line is not a section header, a comment or Key=Value: {body[:60]!r}",
                             line_no, lead + 1)
        key_raw = text[:eq]
        key = key_raw.strip(_WHITESPACE)
        if not key:
            raise ParseError("assignment without a key name", line_no, lead + 1)
        if current is None:
            raise ParseError(f"'{key}=' comes before any [Section] header", line_no, lead + 1)
        value_raw = text[eq + 1:]
        vlead = len(value_raw) - len(value_raw.lstrip(_WHITESPACE))
        value = value_raw.strip(_WHITESPACE)
        value_at = eq + 1 + vlead
        key_span = logical.span(path, lead, lead + len(key))
        value_span = logical.span(path, value_at, value_at + len(value)) if value else logical.span(
            path, eq + 1, eq + 1)
        end = value_at + len(value) if value else eq + 1
        current.directives.append(Directive(
            path, current.name, key, value, key_span, value_span, logical.span(path, lead, end),
            logical, value_at))
    file_name, name, dropin, unit_type = _unit_identity(path, sections)
    first = lines[0] if lines else ""
    first_line = Span.make(path, 1, 1, 1, max(2, len(first) + 1))
    part = UnitPart(path, file_name, name, dropin, unit_type, first_line, sections)
    out = ParseOutput(daemon_parts=[part], comments=comments)
    for d in part.directives("Service", "ExecStart"):
        part.exec_starts.append(_exec_command(d, name, out.problems))
    return out


def _exec_command(d: Directive, unit: str, problems: list[Problem]) -> ExecCommand:
    if d.is_reset:
        return ExecCommand(d, reset=True)
    value = d.value
    k = 0
    while k < len(value) and value[k] in _EXEC_PREFIXES:
        k += 1
    cmd = ExecCommand(d, prefixes=value[:k])
    words, error = split_words(d, k)
    if error:
        problems.append(Problem("DD000", error, d.value_span))
        return cmd
    if "@" in cmd.prefixes and len(words) > 1:
        words = [words[0], *words[2:]]  # '@': the second word is argv[0], not an argument
    cmd.words = words
    parse_dockerd_args(cmd, unit, cmd.problems)
    problems.extend(cmd.problems)
    return cmd
