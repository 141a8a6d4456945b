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
  as opaque words (not expanded).

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

from dockerlint.models.base import LStr, Span
from dockerlint.models.daemon import DaemonSetting, Listener
from dockerlint.models.source import SourceFile
from dockerlint.parsers.daemon_json import parse_host
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.output import ParseOutput, Problem

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


@dataclass(eq=False)
class Word:
    """A word of a command line: its unquoted value and where each character came from."""

    value: str
    start: int  # offsets in the directive's value (raw word, quotes included)
    end: int
    offsets: list[int]  # for each character of value, its offset in the directive's value
    lstr: LStr

    def sub_span(self, directive: Directive, i: int, j: int) -> Span:
        """Span of characters ``[i, j)`` of the unquoted value."""
        if not self.offsets:
            return directive.sub_span(self.start, self.end)
        i = min(max(i, 0), len(self.offsets) - 1)
        j = min(max(j, i + 1), len(self.offsets))
        return directive.sub_span(self.offsets[i], self.offsets[j - 1] + 1)

    @property
    def opaque(self) -> bool:
        """``$VAR`` / ``${VAR}``: expanded by systemd at run time, unknown here."""
        return bool(_OPAQUE.match(self.value))


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


def split_words(directive: Directive, start: int = 0) -> tuple[list[Word], str | None]:
    """Split a command line like systemd's extract_first_word(UNQUOTE|CUNESCAPE|RELAX).

    Returns the words and, for unbalanced quotes, an error message.
    """
    text = directive.value
    n = len(text)
    words: list[Word] = []
    i = start
    while True:
        while i < n and text[i] in _WHITESPACE:
            i += 1
        if i >= n:
            return words, None
        begin = i
        chars: list[str] = []
        offsets: list[int] = []
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
                s, j = _unescape(text, i)
                for ch in s:
                    chars.append(ch)
                    offsets.append(i)
                i = j
                continue
            chars.append(c)
            offsets.append(i)
            i += 1
        if quote:
            return words, f"unbalanced {quote} quote in {directive.key}=: systemd ignores this line"
        value = "".join(chars)
        word = Word(value, begin, i, offsets, LStr.make(value, directive.sub_span(begin, i)))
        words.append(word)


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

    directive: Directive
    reset: bool = False
    prefixes: str = ""
    words: list[Word] = field(default_factory=list)
    runs: str = ""  # "dockerd", "docker daemon", "docker -d", "dockerd-rootless", or "" (other/unknown)
    settings: list[DaemonSetting] = field(default_factory=list)
    listeners: list[Listener] = field(default_factory=list)
    rootless: LStr | None = None
    opaque: list[LStr] = field(default_factory=list)  # $VAR words, not expanded

    @property
    def runs_dockerd(self) -> bool:
        return bool(self.runs)

    def lstr(self) -> LStr:
        return self.directive.lstr()


def _program_kind(words: list[Word]) -> tuple[str, int, int | None]:
    """What a command runs: (kind, index of the first daemon argument, index of a word to skip)."""
    if not words:
        return "", 0, None
    base = posixpath.basename(words[0].value)
    if base == "dockerd":
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
    d = cmd.directive
    kind, first, skip = _program_kind(cmd.words)
    cmd.runs = kind
    if not kind:
        return
    if kind == "dockerd-rootless":
        cmd.rootless = cmd.words[0].lstr
    words = [w for k, w in enumerate(cmd.words) if k >= first and k != skip]
    i = 0

    def add(key: str, written: str, value: object, span: Span, value_span: Span) -> None:
        cmd.settings.append(DaemonSetting.model_construct(
            key=key, value=value, span=span, value_span=value_span, origin="flag", written_key=written))

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
        value_span = vword.sub_span(d, vstart, vstart + len(value)) if value else vword.lstr.span
        if kind_ == "bool":
            b = _parse_bool(value)
            if b is None:
                problems.append(Problem("DD000", f"{written}={value}: not a boolean (use true or false); "
                                                 "dockerd refuses to start", value_span))
                return
            add(key, written, b, word.lstr.span, value_span)
            return
        add(key, written, [value] if kind_ == "multi" else value, word.lstr.span, value_span)
        if key == "hosts":
            address = LStr.make(value, value_span)

            def sub(a: int, b_: int) -> Span:
                return vword.sub_span(d, vstart + a, vstart + b_)

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
                add(key, written, True, w.lstr.span, w.lstr.span)
                if key == "rootless":
                    cmd.rootless = w.lstr
            else:
                value, vword = next_value()
                if value is None and not kind_:
                    add(key, written, True, w.lstr.span, w.lstr.span)  # unknown flag: taken as a switch
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
                    add(key, written, True, w.lstr.span, w.lstr.span)
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
            words, _ = split_words(d)
            for w in words:
                name, eq, value = w.value.partition("=")
                if eq and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                    span = w.sub_span(d, len(name) + 1, len(w.value)) if value else w.lstr.span
                    env[name] = LStr.make(value, span)
        return env

    @property
    def environment_files(self) -> list[LStr]:
        return [d.lstr() for d in self.effective("Service", "EnvironmentFile")]


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


def _logical_lines(lines: list[str]) -> list[_Logical]:
    out: list[_Logical] = []
    current: _Logical | None = None
    for idx, line in enumerate(lines):
        line_no = idx + 1
        if current is not None and line.lstrip(_WHITESPACE)[:1] in tuple(_COMMENTS):
            continue  # comment lines inside a continuation are skipped
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
    lines = src.lines
    if lines and lines[0].startswith("\ufeff"):
        lines = [lines[0][1:], *lines[1:]]
    sections: list[Section] = []
    current: Section | None = None
    for logical in _logical_lines(lines):
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
    out = ParseOutput(daemon_parts=[part])
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
    parse_dockerd_args(cmd, unit, problems)
    return cmd
