"""systemd unit files and drop-ins -> a :class:`UnitPart` (assembled into a Daemon later).

Reads a unit as systemd (240 and later) reads its bytes (``conf-parser.c``, ``fileio.c``,
``load-fragment.c``; systemd.syntax(7), systemd.unit(5), systemd.service(5)), so that a file
cannot mean one thing to systemd and another to dockerlint:

* **Lines** end at LF, CR, NUL or a pair of two different ones (CRLF, LF CR, LF NUL...), as
  systemd's ``read_line`` splits them; positions stay those of the engine's line index. A
  byte-order mark belongs to the first line. A line of 1 MiB or more, or a continued line
  over 1 MiB, stops systemd reading the file.
* **Comments**: a line whose first non-blank character is ``#`` or ``;`` is skipped before
  anything else, also in the middle of a continued line, whatever it ends with (a first line
  that starts with a byte-order mark is not a comment for systemd). systemd before 240 let a
  comment ending in a backslash swallow the next line and kept comment lines inside a
  continued line: where that changes what a line means, a DD000 finding says so.
* **Continuations**: a line ending in an odd number of backslashes continues on the next
  one; the last backslash becomes a space; an empty line ends the continued line.
* ``[Section]`` headers (case-sensitive names); ``Key=Value`` (key and value stripped of
  blanks). A line without ``=``, without a key, or before the first section is ignored by
  systemd: a DD000 finding says so and the rest of the file is read.
* **Fatal errors** (a section header without its ``]`` or with quotes, backslashes or control
  characters in its name, a line too long, an ``ExecStart=`` systemd cannot use): systemd
  refuses to load a unit file (:class:`ParseError`, one DD000 finding), and stops reading a
  drop-in there, keeping the lines before it (a DD000 finding at the line).
* A repeated key is kept in order; an empty assignment (``ExecStart=``, ``ListenStream=``,
  ``Environment=``) resets the list. Resets across a unit and its drop-ins are applied by
  the assembler (:mod:`dockerlint.parsers.daemon`).
* **Specifiers** (``%n``, ``%N``, ``%p``, ``%P``, ``%i``, ``%I``, ``%j``, ``%J``, ``%f``, ``%%``,
  and for system units ``%E``, ``%S``, ``%C``, ``%L``, ``%t``, ``%T``, ``%V``) are expanded in
  ``ExecStart=`` words, ``Environment=``, ``EnvironmentFile=``, ``ListenStream=`` and
  ``Service=``; the others (``%H``...) depend on the host and are kept as written.
* ``ExecStart=``: systemd.service(5) "Command lines": words split with quotes and C escapes
  (an invalid escape or unbalanced quote makes the line unusable), then the prefixes of the
  first word (``-``, ``@``, ``:``, ``+``, ``!``, ``!!``, ``|``, each at most once), a lone
  ``;`` word separating several commands and ``\\;`` a literal one. ``$VAR`` / ``${VAR}``
  words are kept as opaque words here. The assembler expands them (:func:`expand_command`)
  once it knows the unit's environment, unless the ``:`` prefix turns that off: ``$VAR``
  alone as a word becomes the value split at whitespace (quotes respected, then removed),
  zero words when unset; ``${VAR}`` becomes exactly one word (also inside a word); ``$$`` is
  ``$``. Words that came from a variable keep the spans of the ``Environment=`` value or the
  environment-file line they were written in.

Environment files (``/etc/default/docker``, ``/etc/sysconfig/docker``; recognised by path)
are read like systemd's ``EnvironmentFile=`` reader (:func:`parse_env_file`).

For an ``ExecStart=`` that runs the Docker daemon (``dockerd``, ``docker daemon``,
``docker -d``, ``dockerd-rootless.sh``), the command line is parsed like dockerd's flag
parser (pflag) into :class:`~dockerlint.models.daemon.DaemonSetting` (origin ``flag``,
daemon.json key names) with exact spans, even across continuation lines.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from dockerlint.models.base import LStr, Span
from dockerlint.models.daemon import DaemonSetting, Listener
from dockerlint.models.source import RawBytes, SourceFile
from dockerlint.parsers.daemon_json import parse_host
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.output import Comment, ParseOutput, Problem
from dockerlint.parsers.unit_words import Environment as Environment
from dockerlint.parsers.unit_words import EnvValue as EnvValue
from dockerlint.parsers.unit_words import Spanner as Spanner
from dockerlint.parsers.unit_words import Word as Word
from dockerlint.util.budget import Budget, LimitExceeded, record
from dockerlint.util.lines import LineIndex, SegmentMap

_WHITESPACE = " \t\n\r"
_COMMENTS = "#;"
_DROPIN_DIR = re.compile(r"^(.+\.[A-Za-z]+)\.d$")
# Units a user's service manager reads (its specifiers %t, %S... are that user's directories,
# not known here): ~/.config/systemd/user/, and Podman Quadlet's rootless search paths.
_USER_UNIT = re.compile(
    r"/(?:\.config/systemd/user|\.config/containers/systemd|etc/containers/systemd/users"
    r"|run/user/[^/]+/containers/systemd)/"
)

# systemd's LONG_LINE_MAX: a line this long (in bytes) or longer, or a continued line longer
# than this, makes systemd stop reading the file (read_line returns -ENOBUFS).
LONG_LINE_MAX = 1024 * 1024
# What read_line takes for one line end: LF, CR or NUL, or two or three of them in a row,
# each at most once, NUL only last.
_LINE_ENDS = re.compile("\n\r?\0?|\r\n?\0?|\0")
# The sections a unit of each type reads; the others are ignored (with what is in them).
_UNIT_SECTIONS = {
    "service": "Service",
    "socket": "Socket",
    "timer": "Timer",
    "mount": "Mount",
    "path": "Path",
    "swap": "Swap",
    "automount": "Automount",
    "slice": "Slice",
    "scope": "Scope",
}
# Podman Quadlet units (podman-systemd.unit(5)): their own section, and [Service] and [Quadlet],
# which the generator copies into (or reads for) the service it writes.
QUADLET_SECTIONS = {"container": "Container", "pod": "Pod"}


# -- the text as systemd reads it -----------------------------------------------------------


class _Text:
    """A unit or environment file as systemd reads it: the bytes' text (CR, CRLF and a
    byte-order mark as they were) and, for each of its characters, the offset in the
    engine's text (where LF stands for every line end), so positions come from one index."""

    def __init__(self, src: SourceFile) -> None:
        raw = src.raw or RawBytes()
        text = src.text
        self.index = src.index
        self.bom = raw.bom
        self.utf16 = raw.utf16
        start = 0
        if text.startswith("\ufeff"):  # a text handed over with its byte-order mark
            self.bom = True
            start = 1
        if not raw.line_ends:
            self.text = text[start:]
            self._at: list[int] | None = None
            self._shift = start
            return
        parts: list[str] = []
        at: list[int] = []
        pos = start
        for lf in sorted(raw.line_ends):
            if lf < pos:
                continue
            parts.append(text[pos:lf])
            at.extend(range(pos, lf))
            end = raw.line_ends[lf]
            parts.append(end)
            at.extend([lf] * len(end))
            pos = lf + 1
        parts.append(text[pos:])
        at.extend(range(pos, len(text)))
        at.append(len(text))
        self.text = "".join(parts)
        self._at = at
        self._shift = 0

    def offset(self, i: int) -> int:
        """The offset in the engine's text of character ``i`` of :attr:`text`."""
        if self._at is None:
            return i + self._shift
        return self._at[min(max(i, 0), len(self._at) - 1)]

    def position(self, i: int) -> tuple[int, int]:
        return self.index.position(self.offset(i))

    def lines(self) -> Iterator[tuple[int, int]]:
        """systemd's read_line: the (start, end) of each line. A line ends at LF, CR or NUL, or
        at two or three of them in a row, each at most once and NUL last (CRLF, LF CR, CR NUL...)."""
        text = self.text
        n = len(text)
        i = 0
        for m in _LINE_ENDS.finditer(text):
            yield i, m.start()
            i = m.end()
        if i < n:
            yield i, n


class _Logical:
    """A logical line: lines of the file joined at backslash continuations, with positions.

    Each piece is one physical line (its line end left out), so its characters are one line's
    consecutive columns: the line and column of each piece's start, once, make the
    :class:`SegmentMap` every position of the logical line comes from."""

    __slots__ = ("_length", "_map", "_offsets", "_pieces", "_starts", "_text", "first_line")

    def __init__(self, source: _Text) -> None:
        self._text = source
        self._pieces: list[str] = []
        self._length = 0
        self._offsets: list[int] = []  # offset in self.text where each piece starts
        self._starts: list[int] = []  # where the piece starts in the source text
        self._map: SegmentMap | None = None
        self.first_line = 0

    def add(self, start: int, piece: str) -> None:
        if not self._offsets:
            self.first_line = self._text.position(start)[0]
        self._offsets.append(self._length)
        self._starts.append(start)
        self._pieces.append(piece)
        self._length += len(piece)
        self._map = None

    @property
    def text(self) -> str:
        if len(self._pieces) > 1:
            self._pieces = ["".join(self._pieces)]
        return self._pieces[0] if self._pieces else ""

    def _segments(self) -> SegmentMap:
        m = self._map
        if m is None:
            position = self._text.position
            m = self._map = SegmentMap.of((off, *position(start)) for off, start in zip(self._offsets, self._starts))
        return m

    def pos(self, offset: int) -> tuple[int, int]:
        return self._segments().position(offset)

    def span(self, path: str, start: int, end: int) -> Span:
        if end <= start:
            line, col = self.pos(start)
            return Span(path, line, col, line, col + 1)
        line, col, end_line, end_col = self._segments().range(start, end)
        return Span(path, line, col, end_line, end_col)


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
    specifiers: Specifiers | None = field(default=None, repr=False)

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
        return LStr(self.value, self.value_span)

    def printed(self) -> tuple[str, list[int]]:
        """The value with its specifiers expanded, and for each character the index in
        :attr:`value` it comes from (systemd's unit_full_printf)."""
        if self.specifiers is None or "%" not in self.value:
            return self.value, list(range(len(self.value)))
        return self.specifiers.expand(self.value)

    def printed_lstr(self) -> LStr:
        """The value with its specifiers expanded (as :meth:`lstr` when there are none)."""
        text, at = self.printed()
        if text == self.value:
            return self.lstr()
        return LStr(text, self.sub_span(at[0], at[-1] + 1) if at else self.value_span)


class _Assignment(Protocol):
    @property
    def is_reset(self) -> bool: ...


_A = TypeVar("_A", bound=_Assignment)


def effective(assignments: Iterable[_A]) -> list[_A]:
    """The assignments of a list-valued setting that are in force, in order: systemd's reset
    rule (systemd.unit(5)), where each assignment appends to the list and an empty one
    (``ExecStart=``, ``ListenStream=``) empties it. The one place the rule is written: a unit
    file's own settings, a unit's across its drop-ins, and their ``ExecStart=`` and start-hook
    commands (:class:`ExecCommand`) are read through it."""
    out: list[_A] = []
    for a in assignments:
        if a.is_reset:
            out.clear()
        else:
            out.append(a)
    return out


@dataclass(eq=False)
class Section:
    name: str
    span: Span  # the header line
    directives: list[Directive] = field(default_factory=list)


# -- specifiers -------------------------------------------------------------------------------


def _unit_name_unescape(text: str) -> str:
    """systemd's unit_name_unescape: ``\\xNN`` is a byte, ``-`` is ``/``."""
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "-":
            out.append("/")
        elif c == "\\" and re.fullmatch(r"x[0-9a-fA-F]{2}", text[i + 1 : i + 4]):
            out.append(chr(int(text[i + 2 : i + 4], 16)))
            i += 4
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


# The directories the system manager's specifiers stand for (systemd.unit(5), "Specifiers").
_SYSTEM_DIRS = {
    "E": "/etc",
    "S": "/var/lib",
    "C": "/var/cache",
    "L": "/var/log",
    "t": "/run",
    "T": "/tmp",
    "V": "/var/tmp",
}


@dataclass(frozen=True)
class Specifiers:
    """The ``%`` specifiers of one unit that do not depend on the host (systemd.unit(5)):
    from the unit's name, and the fixed directories of the system manager. Host-dependent
    ones (``%H``, ``%m``, a user unit's directories...) are kept as written."""

    unit: str  # "docker.service", "docker@2375.service"
    system: bool = True  # a unit of the system manager (not ~/.config/systemd/user)

    def table(self) -> dict[str, str]:
        name = self.unit
        stem = name.rsplit(".", 1)[0] if "." in name else name
        prefix, at, instance = stem.partition("@")
        final = prefix.rsplit("-", 1)[-1]
        out = {
            "n": name,
            "N": stem,
            "p": prefix,
            "P": _unit_name_unescape(prefix),
            "i": instance,
            "I": _unit_name_unescape(instance),
            "j": final,
            "J": _unit_name_unescape(final),
            "f": "/" + _unit_name_unescape(instance if at and instance else prefix).lstrip("/"),
            "%": "%",
        }
        if self.system:
            out.update(_SYSTEM_DIRS)
        return out

    def expand(self, text: str) -> tuple[str, list[int]]:
        """``text`` with the known specifiers replaced, and for each character of the result
        the index in ``text`` it comes from (a replacement: the ``%``, then its letter)."""
        table = self.table()
        out: list[str] = []
        at: list[int] = []
        i = 0
        n = len(text)
        while i < n:
            c = text[i]
            if c == "%" and i + 1 < n and text[i + 1] in table:
                rep = table[text[i + 1]]
                out.append(rep)
                at.extend([i] * (len(rep) - 1) + [i + 1] if rep else [])
                i += 2
                continue
            out.append(c)
            at.append(i)
            i += 1
        return "".join(out), at


# -- ExecStart words --------------------------------------------------------------------------


_C_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    '"': '"',
    "'": "'",
    "s": " ",
}


def _unichar_is_valid(c: int) -> bool:
    return c < 0x110000 and (c & 0xFFFFF800) != 0xD800 and not 0xFDD0 <= c <= 0xFDEF and (c & 0xFFFE) != 0xFFFE


def _cunescape_one(text: str, i: int) -> tuple[str, int] | None:
    """systemd's cunescape_one for the escape at ``text[i] == '\\'``: the character and where
    the text goes on, or None for an escape systemd refuses (``\\q``, ``\\x00``, ``\\777``...)."""
    nxt = text[i + 1 : i + 2]
    if nxt in _C_ESCAPES:
        return _C_ESCAPES[nxt], i + 2
    digits = {"x": 2, "u": 4, "U": 8}.get(nxt)
    if digits is not None:
        code = text[i + 2 : i + 2 + digits]
        if len(code) != digits or not all(ch in "0123456789abcdefABCDEF" for ch in code):
            return None
        value = int(code, 16)
        if value == 0 or (nxt != "x" and not _unichar_is_valid(value)):
            return None
        return chr(value), i + 2 + digits
    if nxt and nxt in "01234567":
        code = text[i + 1 : i + 4]
        if len(code) != 3 or not all(ch in "01234567" for ch in code):
            return None
        value = int(code, 8)
        if value == 0 or value > 255:
            return None
        return chr(value), i + 4
    return None


def _command_separator(text: str, i: int) -> str:
    """The word at ``text[i]`` if it is ``;`` (it ends an ``ExecStart=`` command) or ``\\;`` (a
    literal ``;`` word), else ""."""
    if text[i] == ";":
        word = ";"
    elif text.startswith("\\;", i):
        word = "\\;"
    else:
        return ""
    end = i + len(word)
    return word if end == len(text) or text[end] in _WHITESPACE else ""


def _backslash(text: str, i: int, cunescape: bool, relax: bool) -> tuple[str, int] | str:
    """The escape at ``text[i] == '\\'`` in a word: the characters it stands for and where the
    text goes on, or an error message (a backslash at the end without ``relax``; with
    ``cunescape``, an escape systemd refuses). Without ``cunescape`` a backslash takes the next
    character as it is."""
    if i + 1 >= len(text):  # a backslash at the very end
        return ("\\", i + 1) if relax else "a backslash at the end of the line"
    if not cunescape:
        return text[i + 1], i + 2
    found = _cunescape_one(text, i)
    return found if found is not None else f"invalid escape '{text[i : i + 2]}'"


def _split(
    text: str,
    source: Spanner,
    offsets: list[int] | None = None,
    start: int = 0,
    *,
    cunescape: bool = True,
    relax: bool = False,
    via: str = "",
    stop_at_semicolon: bool = False,
) -> tuple[list[Word], str | None, int]:
    """systemd's extract_first_word loop over ``text`` (UNQUOTE, plus CUNESCAPE or RELAX).

    ``offsets[k]`` is where character ``k`` of ``text`` is in ``source`` (``None``: the text
    is the source itself). Returns the words, an error message (an unbalanced quote or an
    invalid escape without ``relax``; the words before it are returned), and where reading
    stopped: the end, the error, or (``stop_at_semicolon``) just after a lone ``;`` word,
    which separates commands in ``ExecStart=`` (``\\;`` is a literal ``;`` word there)."""
    n = len(text)
    at = offsets if offsets is not None else range(n + 1)
    words: list[Word] = []
    i = start
    while True:
        while i < n and text[i] in _WHITESPACE:
            i += 1
        if i >= n:
            return words, None, n
        if stop_at_semicolon and words:  # not in a command's first word
            separator = _command_separator(text, i)
            if separator == ";":
                return words, None, i + 1
            if separator == "\\;":
                words.append(
                    Word(
                        ";",
                        at[i],
                        at[i + 1] + 1,
                        [at[i + 1]],
                        LStr(";", source.sub_span(at[i], at[i + 1] + 1)),
                        source,
                        via,
                    )
                )
                i += 2
                continue
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
                found = _backslash(text, i, cunescape, relax)
                if isinstance(found, str):
                    return words, found, begin
                s, j = found
                for ch in s:
                    chars.append(ch)
                    where.append(at[i])
                i = j
                continue
            chars.append(c)
            where.append(at[i])
            i += 1
        if quote and not relax:
            return words, f"unbalanced {quote} quote", begin
        value = "".join(chars)
        raw_start, raw_end = at[begin], at[i - 1] + 1
        word = Word(value, raw_start, raw_end, where, LStr(value, source.sub_span(raw_start, raw_end)), source, via)
        words.append(word)


def split_words(directive: Directive, start: int = 0) -> tuple[list[Word], str | None]:
    """Split a value like systemd's extract_first_word(UNQUOTE|CUNESCAPE): the words, and for
    an unbalanced quote or an invalid escape an error message (with the words before it)."""
    words, error, _ = _split(directive.value, directive, None, start)
    if error:
        return words, f"{error} in {directive.key}="
    return words, None


def split_value(value: EnvValue, via: str) -> list[Word]:
    """The words of a variable's value as ``$VAR`` in a command line gives them: split at
    whitespace, quotes respected and removed, backslash escapes the next character
    (replace_env_argv: EXTRACT_RELAX|EXTRACT_UNQUOTE)."""
    words, _, _ = _split(value.value, value.source, value.offsets, cunescape=False, relax=True, via=via)
    return words


# -- dockerd flags ----------------------------------------------------------------------------

# Long flag -> (daemon.json key, kind). kind: "bool", "value", "multi" (repeatable: the
# daemon.json key is the plural of the flag name; each occurrence's value is a one-item list).
_BOOL = (
    "tls tlsverify debug validate icc iptables ip6tables ip-forward ip-forward-no-drop ip-masq ipv6 "
    "allow-direct-routing userland-proxy live-restore no-new-privileges selinux-enabled experimental "
    "init raw-logs rootless cri-containerd disable-legacy-registry help version"
)
_VALUE = (
    "config-file log-level log-format tlscacert tlscert tlskey userns-remap seccomp-profile log-driver "
    "containerd containerd-namespace containerd-plugins-namespace group pidfile data-root exec-root "
    "storage-driver bridge bip bip6 fixed-cidr fixed-cidr-v6 default-gateway default-gateway-v6 ip mtu "
    "cgroup-parent default-runtime default-shm-size default-ipc-mode default-cgroupns-mode init-path "
    "userland-proxy-path metrics-addr network-diagnostic-port swarm-default-advertise-addr "
    "max-concurrent-downloads max-concurrent-uploads max-download-attempts shutdown-timeout "
    "firewall-backend bridge-accept-fwmark cpu-rt-period cpu-rt-runtime oom-score-adjust http-proxy "
    "https-proxy no-proxy graph api-cors-header cluster-store cluster-advertise exec-driver "
    "nri-opts default-stop-timeout"
)
_MULTI = {
    "host": "hosts",
    "label": "labels",
    "insecure-registry": "insecure-registries",
    "registry-mirror": "registry-mirrors",
    "authorization-plugin": "authorization-plugins",
    "log-opt": "log-opts",
    "storage-opt": "storage-opts",
    "default-ulimit": "default-ulimits",
    "dns": "dns",
    "dns-opt": "dns-opts",
    "dns-search": "dns-search",
    "exec-opt": "exec-opts",
    "add-runtime": "runtimes",
    "default-address-pool": "default-address-pools",
    "default-network-opt": "default-network-opts",
    "node-generic-resource": "node-generic-resources",
    "cdi-spec-dir": "cdi-spec-dirs",
    "feature": "features",
    "host-gateway-ip": "host-gateway-ips",
    "allow-nondistributable-artifacts": "allow-nondistributable-artifacts",
    "cluster-store-opt": "cluster-store-opts",
}
FLAGS: dict[str, tuple[str, str]] = {
    **{name: (name, "bool") for name in _BOOL.split()},
    **{name: (name, "value") for name in _VALUE.split()},
    **{name: (key, "multi") for name, key in _MULTI.items()},
}
FLAGS["pidfile"] = ("pidfile", "value")
SHORT: dict[str, str] = {
    "H": "host",
    "D": "debug",
    "G": "group",
    "l": "log-level",
    "p": "pidfile",
    "s": "storage-driver",
    "b": "bridge",
    "g": "graph",
    "e": "exec-driver",
    "v": "version",
    "h": "help",
}
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
    through: str = ""  # the wrappers and shells the daemon is started through ("/bin/sh -c", "env")
    settings: list[DaemonSetting] = field(default_factory=list)
    listeners: list[Listener] = field(default_factory=list)
    rootless: LStr | None = None
    opaque: list[LStr] = field(default_factory=list)  # $VAR words, not expanded
    problems: list[Problem] = field(default_factory=list)  # what parsing the words reported
    # ``podman system service [URI]``: Podman's API service (not dockerd), its address word
    # (None: the default unix socket, or the socket systemd passes) and its TLS options.
    podman: bool = False
    podman_uri: Word | None = None
    podman_tls: dict[str, Word] = field(default_factory=dict)

    @property
    def runs_dockerd(self) -> bool:
        return bool(self.runs)

    @property
    def is_reset(self) -> bool:
        """An empty assignment, which drops the commands before it (:func:`effective`)."""
        return self.reset

    def lstr(self) -> LStr:
        assert self.directive is not None
        return self.directive.lstr()


def _runs_daemon(words: list[Word]) -> bool:
    return bool(_program_kind(words)[0])


def daemon_words(
    words: list[Word], env: Environment | None = None, unresolved: list[LStr] | None = None
) -> tuple[list[Word], str]:
    """The words of the command that really runs (past exec wrappers and ``sh -c`` strings;
    see :mod:`dockerlint.parsers.daemon_command`), and how it is reached ("" directly)."""
    from dockerlint.parsers.daemon_command import PROGRAMS
    from dockerlint.parsers.daemon_command import daemon_words as unwrap

    if not words or words[0].opaque or posixpath.basename(words[0].value) not in PROGRAMS:
        return words, ""

    return unwrap(words, _runs_daemon, env, unresolved)


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


def parse_dockerd_args(
    cmd: ExecCommand,
    unit: str,
    problems: list[Problem],
    env: Environment | None = None,
    unresolved: list[LStr] | None = None,
) -> None:
    """Fill ``cmd.settings``/``listeners`` from the daemon's arguments, like pflag would; past
    exec wrappers and shells (``env``: the service's environment, for the expansions of a
    shell string; ``unresolved`` gets those the scan gives no value for)."""
    run, cmd.through = daemon_words(cmd.words, env, unresolved)
    kind, first, skip = _program_kind(run)
    cmd.runs = kind
    if not kind:
        cmd.through = ""
        return
    if kind == "dockerd-rootless":
        cmd.rootless = run[0].lstr
    words = [w for k, w in enumerate(run) if k >= first and k != skip]
    _DaemonArgs(cmd, words, problems).read(takes_arguments=kind not in ("dockerd", "dockerd-rootless"))


class _DaemonArgs:
    """The daemon's flags as pflag reads them, recorded as ``cmd``'s settings and listeners."""

    def __init__(self, cmd: ExecCommand, words: list[Word], problems: list[Problem]) -> None:
        self.cmd = cmd
        self.words = words
        self.problems = problems
        self.i = 0  # the word being read

    def read(self, takes_arguments: bool) -> None:
        """Read every word: flags, ``--``, and (for a program that is not dockerd itself,
        ``takes_arguments``) other arguments; dockerd refuses an argument that is not a flag."""
        words = self.words
        while self.i < len(words):
            w = words[self.i]
            s = w.value
            if w.opaque:
                self.cmd.opaque.append(w.lstr)
            elif s == "--":
                pass
            elif s.startswith("--"):
                self.long_flag(w)
            elif s.startswith("-") and len(s) > 1:
                self.short_flags(w)
            elif not takes_arguments:
                self.problems.append(
                    Problem(
                        "DD000",
                        (
                            f"dockerd takes no arguments, only flags: '{s}' makes it refuse to start"
                            + (
                                " (a boolean flag takes its value with '=': --flag=false)"
                                if s in _TRUE | _FALSE
                                else ""
                            )
                        ),
                        w.lstr.span,
                    )
                )
            self.i += 1

    def long_flag(self, w: Word) -> None:
        """``--name``, ``--name=value`` or ``--name value`` (an unknown flag without a value is a switch)."""
        name, eq, attached = w.value[2:].partition("=")
        key, kind = FLAGS.get(name, (name, ""))
        written = f"--{name}"
        if eq:
            self.take_value(w, key, kind or "value", written, attached, len(name) + 3, w)
        elif kind == "bool":
            self.add(key, written, True, w.lstr.span, w.lstr.span, w.via)
            if key == "rootless":
                self.cmd.rootless = w.lstr
        else:
            value, vword = self.next_value()
            if value is None and not kind:
                self.add(key, written, True, w.lstr.span, w.lstr.span, w.via)  # unknown flag: taken as a switch
            else:
                self.take_value(w, key, kind, written, value, 0, vword)

    def short_flags(self, w: Word) -> None:
        """A word of shorthands: ``-D``, ``-Di``, ``-D=false``, ``-Hvalue``, ``-H=value``, ``-H value``."""
        s = w.value
        j = 1
        while j < len(s):
            name = SHORT.get(s[j], "")
            if not name:
                break  # unknown shorthand: dockerd refuses it; nothing to record
            key, kind = FLAGS[name]
            written = f"-{s[j]}"
            if kind == "bool":
                if s[j + 1 : j + 2] == "=":
                    self.take_value(w, key, kind, written, s[j + 2 :], j + 2, w)
                    break
                self.add(key, written, True, w.lstr.span, w.lstr.span, w.via)
                j += 1
                continue
            rest = s[j + 1 :]
            if rest:
                at = j + 1 + (1 if rest.startswith("=") else 0)
                self.take_value(w, key, kind, written, s[at:], at, w)
            else:
                value, vword = self.next_value()
                self.take_value(w, key, kind, written, value, 0, vword)
            break

    def add(self, key: str, written: str, value: object, span: Span, value_span: Span, via: str = "") -> None:
        self.cmd.settings.append(
            DaemonSetting(
                key=key, value=value, span=span, value_span=value_span, origin="flag", written_key=written, via=via
            )
        )

    def next_value(self) -> tuple[str | None, Word | None]:
        """The next word as the flag's value, unless there is none or it is a flag."""
        words = self.words
        if self.i + 1 < len(words) and not words[self.i + 1].value.startswith("-"):
            self.i += 1
            return words[self.i].value, words[self.i]
        return None, None

    def take_value(
        self, word: Word, key: str, kind: str, written: str, value: str | None, vstart: int, vword: Word | None
    ) -> None:
        """Record a flag's value (``vword``/``vstart``: where the value's characters are)."""
        cmd, problems = self.cmd, self.problems
        if value is None:
            problems.append(Problem("DD000", f"{written} needs a value: dockerd refuses to start", word.lstr.span))
            return
        assert vword is not None
        if vword is not word and vword.opaque:
            cmd.opaque.append(vword.lstr)  # "-H $HOST": the value is only known at run time
            return
        value_span = vword.sub_span(vstart, vstart + len(value)) if value else vword.lstr.span
        if kind == "bool":
            b = _parse_bool(value)
            if b is None:
                problems.append(
                    Problem(
                        "DD000",
                        f"{written}={value}: not a boolean (use true or false); dockerd refuses to start",
                        value_span,
                    )
                )
                return
            self.add(key, written, b, word.lstr.span, value_span, word.via)
            return
        self.add(key, written, [value] if kind == "multi" else value, word.lstr.span, value_span, word.via)
        if key == "hosts":
            address = LStr(value, value_span)

            def sub(a: int, b_: int) -> Span:
                return vword.sub_span(vstart + a, vstart + b_)

            lst, error = parse_host(address, "flag", sub)
            cmd.listeners.append(lst)
            if error:
                problems.append(Problem("DD000", error, value_span))
        if key == "rootless" and value in _TRUE:
            cmd.rootless = word.lstr


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
    # [Service] ExecStartPre= and ExecStartPost=, in order (each with its resets): a daemon
    # started there runs too (see :data:`START_HOOKS`).
    exec_hooks: dict[str, list[ExecCommand]] = field(default_factory=dict)

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
        """A list setting within this file: an empty assignment resets it (:func:`effective`)."""
        return effective(self.directives(section, key))

    @property
    def listen_streams(self) -> list[Directive]:
        return self.directives("Socket", "ListenStream")

    @property
    def environment(self) -> dict[str, LStr]:
        """``Environment=`` assignments of this file (an empty ``Environment=`` resets them)."""
        env: dict[str, LStr] = {}
        for d in effective(self.directives("Service", "Environment")):
            for a in environment_assignments(d):
                env[a.name] = a.lstr()
        return env

    @property
    def environment_files(self) -> list[LStr]:
        return [d.lstr() for d in self.effective("Service", "EnvironmentFile")]


# -- environment: Environment=, EnvironmentFile= and the files they name -----------------------

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def environment_assignments(d: Directive) -> list[EnvValue]:
    """The ``NAME=value`` words of one ``Environment=`` line (config_parse_environ: words split
    with quotes and C escapes, specifiers expanded; invalid assignments are ignored, and so is
    the rest of the line after a word systemd cannot split, as systemd does)."""
    out: list[EnvValue] = []
    words, _ = split_words(d)
    for word in words:
        w = word.printed(d.specifiers)
        name, eq, value = w.value.partition("=")
        if not eq or not _ENV_NAME.fullmatch(name):
            continue
        k = len(name) + 1
        out.append(EnvValue(name, value, w.offsets[k:], d, w.sub_span(0, len(name)), f"{d.path}:{d.line}"))
    return out


class _TextSource:
    """Offsets of a whole file's text -> spans."""

    def __init__(self, path: str, text: str | LineIndex) -> None:
        self.path = path
        self.index = text if isinstance(text, LineIndex) else LineIndex(text)

    def sub_span(self, start: int, end: int) -> Span:
        line, col = self.index.position(start)
        if end <= start:
            return Span(self.path, line, col, line, col + 1)
        end_line, end_col = self.index.position(end - 1)
        return Span(self.path, line, col, end_line, end_col + 1)


_EXPORT = re.compile(r"export[ \t]+([A-Za-z_][A-Za-z0-9_]*)")
# The files of the Debian/Ubuntu and RHEL-family packages that hold dockerd's options.
ENV_FILE_PATH = re.compile(r"(?:^|/)etc/(?:default|sysconfig)/docker$")
_SHELL_NEED_ESCAPE = '"\\`$'
_ENV_NEWLINE = "\n\r"


@dataclass(eq=False)
class EnvFilePart:
    """An environment file (``/etc/default/docker``, ``/etc/sysconfig/docker``) as systemd's
    ``EnvironmentFile=`` reads it (``env-file.c``)."""

    path: str
    first_line: Span
    assignments: list[EnvValue] = field(default_factory=list)  # valid names only, in order
    # ``export NAME=value`` lines: systemd drops them, but the sysvinit and upstart scripts of
    # Docker's packages source the file as shell, which applies them (see shell_values).
    exported: list[EnvValue] = field(default_factory=list)

    kind = "environment file"

    @property
    def host_path(self) -> str:
        """The path the file has on its host (``/etc/default/docker``)."""
        m = ENV_FILE_PATH.search(self.path)
        return "/" + self.path[m.start() :].lstrip("/") if m else self.path

    @property
    def family(self) -> str:
        return "debian" if "/default/" in "/" + self.path else "rhel"

    def values(self) -> dict[str, EnvValue]:
        """The effective assignments: the last one of a name wins."""
        return {a.name: a for a in self.assignments}

    def shell_values(self) -> dict[str, EnvValue]:
        """The effective assignments for a shell that sources the file (``. /etc/default/docker``),
        ``export`` lines included: the last one of a name in the file wins."""
        both = sorted([*self.assignments, *self.exported], key=lambda a: (a.name_span.line, a.name_span.col))
        return {a.name: a for a in both}


def _old_comment_end(s: str, i: int) -> int:
    """Where a comment starting at ``s[i]`` ends for systemd before 254, whose backslash in a
    comment escapes the next character, a line end too."""
    n = len(s)
    while i < n:
        if s[i] == "\\":
            i += 2
            continue
        if s[i] in _ENV_NEWLINE:
            return i
        i += 1
    return n


def _meaningful(text: str) -> bool:
    """Lines that are more than blanks and comments."""
    for line in re.split("[\n\r]", text):
        body = line.strip(_WHITESPACE)
        if body and body[0] not in _COMMENTS:
            return True
    return False


def _shell_assignment(line: str) -> str | None:
    """``NAME=value`` of an ``export NAME=value`` line as a POSIX shell reads it; None when
    it is not that one word, or when the shell would expand something in it."""
    import shlex

    try:
        words = shlex.split(line, comments=True)
    except ValueError:
        return None
    if len(words) != 2 or words[0] != "export" or "$" in line or "`" in line:
        return None
    return words[1]


def _add_assignment(
    part: EnvFilePart,
    source: _TextSource,
    name: str,
    value: tuple[str, list[int]],
    at: int,
    text: str,
    problems: list[Problem] | None,
) -> None:
    """Record ``name=value`` read at offset ``at`` of the file: an assignment systemd makes, an
    ``export NAME=value`` line that only a shell sourcing the file applies (when a shell reads
    ``text`` as that one assignment, with the value systemd reads and nothing to expand), or
    nothing (a name systemd ignores). ``value``: its text and the offset of each character."""
    if _ENV_NAME.fullmatch(name):
        line = source.sub_span(at, at + 1).line
        part.assignments.append(
            EnvValue(name, value[0], value[1], source, source.sub_span(at, at + len(name)), f"{part.path}:{line}")
        )
    elif (m := _EXPORT.fullmatch(name)) is not None and _shell_assignment(text) == f"{m.group(1)}={value[0]}":
        # systemd drops it; a shell sourcing the file assigns and exports the variable (a line
        # a shell reads otherwise, "export X=a b", "export X=$HOME", is not read).
        at += m.start(1)
        line = source.sub_span(at, at + 1).line
        part.exported.append(
            EnvValue(
                m.group(1), value[0], value[1], source, source.sub_span(at, at + len(m.group(1))), f"{part.path}:{line}"
            )
        )
    elif name.startswith("\ufeff") and _ENV_NAME.fullmatch(name[1:]) and problems is not None:
        problems.append(
            Problem(
                "DD000",
                (
                    f"the file starts with a byte-order mark, which systemd reads as the first characters of "
                    f"the name '{name[1:]}': it ignores this assignment"
                ),
                source.sub_span(at, at + len(name) - 1),
            )
        )


def parse_env_file(
    path: str, text: str | SourceFile, comments: list[Comment] | None = None, problems: list[Problem] | None = None
) -> EnvFilePart:
    """systemd's parse_env_file_internal (``env-file.c``, systemd 254 and later), keeping the
    offset of every value character.

    systemd reads the file as bytes up to the first NUL; CR and LF both end lines. ``KEY=value``
    lines; ``#``/``;`` comment lines (ending at the line end, even after a backslash); an
    unquoted value keeps its inner whitespace (trailing whitespace dropped) and takes ``\\x`` as
    ``x`` (a backslash before a line end joins the next line); ``'...'`` is literal;
    ``"..."`` unescapes ``\\"``, ``\\\\``, ``\\` ``, ``\\$`` (other escapes are kept); quoted parts
    may span lines and concatenate (``"a"b`` is ``ab``). A key that is not a valid name
    (``export FOO=1``, or a first name behind a byte-order mark) is dropped when the service
    starts, as systemd drops it. ``problems`` gets what older systemd versions read differently.
    """
    src = text if isinstance(text, SourceFile) else SourceFile(path, "systemd", text)
    t = _Text(src)
    source = _TextSource(path, src.index)
    part = EnvFilePart(path, source.sub_span(0, max(1, len(src.text.split("\n", 1)[0]))))
    _EnvFileReader(t, source, part, comments, problems).read()
    return part


class _EnvFileReader:
    """The state machine of systemd's parse_env_file_internal over one file. Each state has a
    method that reads characters while the state stays (an unquoted value up to its line end,
    a quoted string up to its quote...) and returns where reading goes on."""

    def __init__(
        self,
        t: _Text,
        source: _TextSource,
        part: EnvFilePart,
        comments: list[Comment] | None,
        problems: list[Problem] | None,
    ) -> None:
        s = t.text
        nul = s.find("\0")
        self.s = s[:nul] if nul >= 0 else s  # systemd reads the file as one C string
        self.t = t
        self.off = t.offset
        self.source = source
        self.part = part
        self.comments = comments
        self.problems = problems
        self.key: list[str] = ["\ufeff"] if t.bom else []  # systemd reads a BOM as the start of a name
        self.key_at = 0
        self.key_ws: int | None = None  # where trailing whitespace of the key starts
        self.chars: list[str] = []
        self.where: list[int] = []
        self.value_ws: int | None = None  # where trailing whitespace of an unquoted value starts
        self.state = "key" if t.bom else "pre_key"

    def read(self) -> None:
        states: dict[str, Callable[[int], int]] = {
            "pre_key": self.pre_key,
            "key": self.read_key,
            "pre_value": self.pre_value,
            "value": self.value,
            "value_escape": self.value_escape,
            "single": self.single,
            "double": self.double,
            "double_escape": self.double_escape,
        }
        n = len(self.s)
        i = 0
        while i < n:
            i = states[self.state](i)
        if self.state not in ("pre_key", "key"):
            self.push(self.state == "value", n)

    def push(self, chomp: bool, i: int) -> None:
        """Record the assignment whose value ends at ``i`` (``chomp``: drop trailing whitespace)."""
        chars, where = self.chars, self.where
        if chomp and self.value_ws is not None:
            del chars[self.value_ws :], where[self.value_ws :]
        name = "".join(self.key[: self.key_ws])  # key_ws None: the whole key
        # s[key_at:i]: the line as a shell reads it (the value ends at i, a line end or the end)
        _add_assignment(
            self.part,
            self.source,
            name,
            ("".join(chars), list(where)),
            self.off(self.key_at),
            self.s[self.key_at : i],
            self.problems,
        )

    def pre_key(self, i: int) -> int:
        """Blanks and comment lines before a key."""
        s = self.s
        n = len(s)
        while i < n:
            c = s[i]
            if c in _COMMENTS:
                return self.comment(i)
            if c not in _WHITESPACE:
                self.state = "key"
                self.key = [c]
                self.key_at = i
                self.key_ws = None
                return i + 1
            i += 1
        return i

    def comment(self, i: int) -> int:
        """A comment line (``#`` or ``;``): recorded in ``comments``; a problem when systemd
        before 254 would continue it onto the next line, which it then ignores."""
        s, t = self.s, self.t
        n = len(s)
        end = i
        while end < n and s[end] not in _ENV_NEWLINE:
            end += 1
        line, col = t.position(i)
        if self.comments is not None:
            self.comments.append(Comment(line, col, col + len(s[i:end].rstrip(_WHITESPACE)), True))
        old = _old_comment_end(s, i)
        if old > end and self.problems is not None and _meaningful(s[end:old]):
            nxt = t.position(end + 1 if s[end : end + 2] != "\r\n" else end + 2)[0]
            self.problems.append(
                Problem(
                    "DD000",
                    (
                        f"this comment ends in a backslash: systemd before version 254 continues it onto "
                        f"line {nxt} and ignores what is written there, later versions (and dockerlint) read "
                        "that line; remove the backslash so that every version reads the file alike"
                    ),
                    self.source.sub_span(self.off(i), self.off(end)),
                )
            )
        return end + 1  # the line end, and anything after a backslash, ends the comment (254+)

    def read_key(self, i: int) -> int:
        """A key, up to ``=`` (a line without one is ignored); its trailing blanks are not part of it."""
        s, key = self.s, self.key
        n = len(s)
        key_ws = self.key_ws
        while i < n:
            c = s[i]
            if c in _ENV_NEWLINE:
                self.state = "pre_key"  # no '=': ignored
                break
            if c == "=":
                self.state = "pre_value"
                self.chars, self.where, self.value_ws = [], [], None
                break
            if c not in _WHITESPACE:
                key_ws = None
            elif key_ws is None:
                key_ws = len(key)
            key.append(c)
            i += 1
        self.key_ws = key_ws
        return i + 1 if i < n else n

    def pre_value(self, i: int) -> int:
        """Blanks after ``=`` and between the parts of a value; a part starts here."""
        s = self.s
        n = len(s)
        while i < n:
            c = s[i]
            if c in _ENV_NEWLINE:
                self.push(False, i)
                self.state = "pre_key"
            elif c == "'":
                self.state = "single"
            elif c == '"':
                self.state = "double"
            elif c == "\\":
                self.state = "value_escape"
            elif c not in _WHITESPACE:
                self.state = "value"
                self.chars.append(c)
                self.where.append(self.off(i))
            else:
                i += 1
                continue
            return i + 1
        return i

    def value(self, i: int) -> int:
        """An unquoted value, to its line end (trailing blanks dropped) or a backslash."""
        s, chars, where, off = self.s, self.chars, self.where, self.off
        n = len(s)
        value_ws = self.value_ws
        while i < n:
            c = s[i]
            if c in _ENV_NEWLINE:
                self.value_ws = value_ws
                self.push(True, i)
                self.state = "pre_key"
                return i + 1
            if c == "\\":
                self.state = "value_escape"
                self.value_ws = None
                return i + 1
            if c not in _WHITESPACE:
                value_ws = None
            elif value_ws is None:
                value_ws = len(chars)
            chars.append(c)
            where.append(off(i))
            i += 1
        self.value_ws = value_ws
        return i

    def value_escape(self, i: int) -> int:
        """The character after a backslash in an unquoted value: taken as it is."""
        self.state = "value"
        if self.s[i] not in _ENV_NEWLINE:  # an escaped line end is eaten up
            self.chars.append(self.s[i])
            self.where.append(self.off(i))
        return i + 1

    def single(self, i: int) -> int:
        """A single-quoted part: literal up to the next quote."""
        s, off = self.s, self.off
        end = s.find("'", i)
        stop = len(s) if end < 0 else end
        self.chars.extend(s[i:stop])
        self.where.extend(off(k) for k in range(i, stop))
        if end < 0:
            return stop
        self.state = "pre_value"
        return end + 1

    def double(self, i: int) -> int:
        """A double-quoted part, up to its quote or a backslash."""
        s, chars, where, off = self.s, self.chars, self.where, self.off
        n = len(s)
        while i < n:
            c = s[i]
            if c == '"':
                self.state = "pre_value"
                return i + 1
            if c == "\\":
                self.state = "double_escape"
                return i + 1
            chars.append(c)
            where.append(off(i))
            i += 1
        return i

    def double_escape(self, i: int) -> int:
        """The character after a backslash in double quotes: ``\\"``, ``\\\\``, ``\\` ``, ``\\$``
        unescape; other escapes are kept, as the shell keeps them; ``\\`` before LF is eaten."""
        c = self.s[i]
        self.state = "double"
        if c in _SHELL_NEED_ESCAPE:
            self.chars.append(c)
            self.where.append(self.off(i))
        elif c != "\n":
            self.chars += ["\\", c]
            self.where += [self.off(i - 1), self.off(i)]
        return i + 1


# -- $VARIABLES in a command line -----------------------------------------------------------

_BRACED = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:[-+])([^}]*))?\}|\$\$")
_DOLLARS = re.compile(r"\$\$")


def _braced(value: str) -> list[re.Match[str]]:
    """``_BRACED.finditer(value)``, in linear time: after the last ``}`` only ``$$`` can match,
    and searching ``${A:-…`` there again from every ``${`` to the end was quadratic."""
    last = value.rfind("}") + 1
    return [*_BRACED.finditer(value, 0, last), *_DOLLARS.finditer(value, last)]


def _expand_word(w: Word, env: Environment, unresolved: list[LStr]) -> list[Word]:
    """One command-line word after systemd's replace_env_argv; a word whose variables would
    add more than the expansion limit is left unexpanded (unknown), as for an unknown variable."""
    try:
        return _expand_word_bounded(w, env, unresolved, Budget())
    except LimitExceeded as exc:
        record(exc, w.lstr.span.path or None)
        unresolved.append(w.lstr)
        return [w]


def _expand_word_bounded(w: Word, env: Environment, unresolved: list[LStr], budget: Budget) -> list[Word]:
    m = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", w.value)
    if m and not w.via:
        value = env.values.get(m.group(1))
        if value is not None:
            budget.add(len(value.value))
            return split_value(value, f"${m.group(1)}, set at {value.where}")
        if env.unset(m.group(1)):
            return []  # unset: zero words
        unresolved.append(w.lstr)
        return [w]
    if w.via or "$" not in w.value or not _braced(w.value):
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

    for m2 in _braced(w.value):
        keep(pos, m2.start())
        pos = m2.end()
        if m2.group(0) == "$$":
            chars.append("$")
            offsets.append(w.offsets[m2.start()])
            sources.append(own)
            continue
        name, op = m2.group(1), m2.group(2)
        value = env.values.get(name)
        if value is None and not env.unset(name):
            unresolved.append(w.lstr)
            return [w]
        text = value.value if value is not None else ""
        if (op == ":-" and not text) or (op == ":+" and text):
            keep(m2.start(3), m2.end(3))  # the default / alternative written in the unit
            continue
        if op == ":+" or value is None:
            continue
        budget.add(len(value.value))
        chars.extend(value.value)
        offsets.extend(value.offsets)
        sources.extend([value.source] * len(value.value))
        via = via or f"${{{name}}}, set at {value.where}"
    keep(pos, len(w.value))
    text = "".join(chars)
    mixed = Word(text, w.start, w.end, offsets, LStr(text, w.lstr.span), own, via, sources)
    if offsets:  # report where the word's first characters are written
        mixed.lstr = LStr(text, mixed.sub_span(0, len(text)))
    return [mixed]


def expand_command(cmd: ExecCommand, env: Environment, unit: str) -> tuple[ExecCommand, list[LStr]]:
    """``cmd`` with its ``$VAR`` / ``${VAR}`` words expanded from ``env`` (not with the ``:``
    prefix) and its dockerd flags read again; the words left unexpanded (unknown variables)
    are returned too.

    A daemon started through a shell string (``sh -c "dockerd $DOCKER_OPTS"``) is read again
    with the environment too: the shell expands the string's variables from the environment
    systemd gives it, also with the ``:`` prefix.

    Problems the first reading already reported are not repeated."""
    unresolved: list[LStr] = []
    dollar = any("$" in w.value for w in cmd.words)
    systemd_expands = ":" not in cmd.prefixes and dollar  # ':': systemd expands no variables
    if not systemd_expands and not (cmd.through and dollar):
        return cmd, unresolved
    words: list[Word] = cmd.words
    if systemd_expands:
        words = []
        for w in cmd.words:
            words.extend(_expand_word(w, env, unresolved))
    out = ExecCommand(cmd.directive, prefixes=cmd.prefixes, words=words)
    parse_dockerd_args(out, unit, out.problems, env, unresolved)
    seen = {(p.message, p.span) for p in cmd.problems}
    out.problems = [p for p in out.problems if (p.message, p.span) not in seen]
    known: set[Span] = set()
    unresolved = [u for u in unresolved if not (u.span in known or known.add(u.span))]  # type: ignore[func-returns-value]
    return out, unresolved


def assumed_command(variables: list[EnvValue], unit: str, via: str) -> ExecCommand:
    """dockerd run with the words of ``variables``: the command of a packaged unit that is not
    in the scan (Debian's ``dockerd -H fd:// $DOCKER_OPTS``). The unit's own words (``-H fd://``)
    are not part of it: no file here writes them."""
    anchor = variables[0].name_span
    program = Word("/usr/bin/dockerd", 0, 0, [], LStr("/usr/bin/dockerd", anchor))
    words = [program]
    for v in variables:
        words.extend(split_value(v, f"${v.name}, set at {v.where}, {via}"))
    cmd = ExecCommand(None, words=words)
    parse_dockerd_args(cmd, unit, cmd.problems)
    return cmd


def _unit_identity(path: str, section_names: set[str]) -> tuple[str, str, bool, str]:
    """(file name, unit name, drop-in?, unit type). A drop-in's unit name is its folder's
    without ``.d``: a unit (``docker.service``), a template (``foo@.service``), a dash prefix
    (``docker-.socket``) or a type (``service``, for all services)."""
    parts = path.replace("\\", "/").split("/")
    file_name = parts[-1]
    parent = parts[-2] if len(parts) > 1 else ""
    m = _DROPIN_DIR.match(parent)
    if file_name.endswith(".conf") and m:
        name, dropin = m.group(1), True
    elif (
        file_name.endswith(".conf")
        and (parent[:-2] in _UNIT_SECTIONS or parent[:-2] in QUADLET_SECTIONS)
        and parent.endswith(".d")
    ):
        name, dropin = parent[:-2], True
    elif file_name.endswith(".conf"):
        # A drop-in found outside its <unit>.d folder (given explicitly): judge by content.
        name, dropin = (
            ("docker.socket" if "Socket" in section_names and "Service" not in section_names else "docker.service"),
            True,
        )
    else:
        name, dropin = file_name, False
    unit_type = name.rsplit(".", 1)[-1] if "." in name else name
    if unit_type not in _UNIT_SECTIONS and unit_type not in QUADLET_SECTIONS:
        unit_type = "socket" if "Socket" in section_names else "service"
    return file_name, name, dropin, unit_type


def _odd_backslashes(text: str) -> bool:
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


class _Fatal(Exception):
    """An error that makes systemd stop reading the file (see the module doc)."""

    def __init__(self, message: str, span: Span) -> None:
        super().__init__(message)
        self.message = message
        self.span = span


def _too_long(text: str) -> bool:
    return len(text) * 4 >= LONG_LINE_MAX and len(text.encode("utf-8", "surrogatepass")) >= LONG_LINE_MAX


def _logical_lines(
    path: str, t: _Text, comments: list[Comment], problems: list[Problem]
) -> tuple[list[_Logical], _Fatal | None]:
    """The logical lines, as systemd's config_parse joins them (see the module doc), and the
    error that stopped systemd reading, if any. ``comments`` gets the comment lines; ``problems``
    the comments ending in a backslash that swallow a line for systemd before 240. (Those
    versions also kept a comment line inside a continued line, ending the line there: that is
    the documented syntax since 240, and not reported.)"""
    out: list[_Logical] = []
    current: _Logical | None = None
    joined = 0  # the bytes of the continued line so far
    text = t.text
    lines = list(t.lines())
    swallows: list[bool] | None = None
    for k, (start, end) in enumerate(lines):
        piece = text[start:end]
        if _too_long(piece):
            line, col = t.position(start)
            return out, _Fatal("a line of 1 MiB or more", Span(path, line, col, line, col + 1))
        body = piece.lstrip(_WHITESPACE)
        if not body and current is None:
            continue  # a blank line between logical lines: nothing for systemd
        if body[:1] in ("#", ";") and not (k == 0 and t.bom):
            # A comment line is skipped, also inside a continued line (systemd 240+). A first
            # line behind a byte-order mark is no comment: systemd looks for '#' before the mark.
            lead = len(piece) - len(body)
            line, col = t.position(start + lead)
            comments.append(Comment(line, col, col + len(body.rstrip(_WHITESPACE)), True))
            span = Span(path, line, col, line, col + max(1, len(body.rstrip(_WHITESPACE))))
            if current is None and _odd_backslashes(body) and k + 1 < len(lines):
                if swallows is None:
                    swallows = _swallows(text, lines)
                if swallows[k + 1]:
                    nxt = t.position(lines[k + 1][0])[0]
                    problems.append(
                        Problem(
                            "DD000",
                            (
                                f"this comment ends in a backslash: systemd before version 240 continues it onto line "
                                f"{nxt} and ignores what is written there, later versions (and dockerlint) read that "
                                "line; remove the backslash so that every version reads the unit alike"
                            ),
                            span,
                        )
                    )
            continue
        size = len(piece) if piece.isascii() else len(piece.encode("utf-8", "surrogatepass"))
        if current is not None and joined + size > LONG_LINE_MAX:
            line, col = t.position(start)
            return out, _Fatal("a continued line of more than 1 MiB", Span(path, line, col, line, col + 1))
        # An odd run of trailing backslashes continues the line; the last one becomes a space.
        escaped = _odd_backslashes(piece)
        if current is None:
            current = _Logical(t)
            joined = 0
        joined += size
        current.add(start, piece[:-1] + " " if escaped else piece)
        if not escaped:
            out.append(current)
            current = None
    if current is not None:
        out.append(current)
    return out, None


def _swallows(text: str, lines: list[tuple[int, int]]) -> list[bool]:
    """For each line: whether it, or a line it continues onto (ending in a backslash, as
    systemd before 240 joined every line), says more than blanks and comments. What a comment
    ending in a backslash just before it hides from those versions."""
    out = [False] * (len(lines) + 1)
    for j in range(len(lines) - 1, -1, -1):
        piece = text[lines[j][0] : lines[j][1]]
        body = piece.strip(_WHITESPACE)
        out[j] = (bool(body) and body[0] not in _COMMENTS) or (_odd_backslashes(piece) and out[j + 1])
    return out


def _string_is_safe(text: str) -> bool:
    """systemd's string_is_safe: no control characters, quotes or backslashes."""
    return not any(ord(c) < 0x20 or c in "\"'\\\x7f" for c in text)


def parse(src: SourceFile) -> ParseOutput:
    path = src.path
    if src.raw is not None and src.raw.utf16:
        raise ParseError(
            "UTF-16 text: systemd reads unit and environment files as UTF-8 bytes and "
            "cannot read this file, so nothing in it takes effect"
        )
    if ENV_FILE_PATH.search(path.replace("\\", "/")):
        comments: list[Comment] = []
        problems: list[Problem] = []
        part = parse_env_file(path, src, comments, problems)
        return ParseOutput(daemon_parts=[part], comments=comments, problems=problems)
    comments = []
    try:
        return _parse_unit(src, comments)
    except ParseError as exc:
        exc.comments = comments
        raise


def _parse_unit(src: SourceFile, comments: list[Comment]) -> ParseOutput:
    path = src.path
    t = _Text(src)
    problems: list[Problem] = []
    logicals, fatal = _logical_lines(path, t, comments, problems)
    headers: set[str] = set()
    for logical in logicals:
        body = logical.text.strip(_WHITESPACE)
        if body.startswith("[") and body.endswith("]"):
            headers.add(body[1:-1])
    file_name, name, dropin, unit_type = _unit_identity(path, headers)
    specifiers = Specifiers(name, not _USER_UNIT.search("/" + path.replace("\\", "/")))
    if unit_type in QUADLET_SECTIONS:
        known = {"Unit", "Install", "Service", "Quadlet", QUADLET_SECTIONS[unit_type]}
    else:
        known = {"Unit", "Install", _UNIT_SECTIONS[unit_type]}
    sections: list[Section] = []
    exec_starts: list[ExecCommand] = []
    hooks: dict[str, list[ExecCommand]] = {}
    current: Section | None = None
    try:  # the lines before a reading error (a line too long) count: systemd has read them
        for logical in logicals:
            current, d = _parse_line(path, logical, current, sections, problems, specifiers, known)
            if d is not None and d.section == "Service" and unit_type == "service" and d.key == "ExecStart":
                exec_starts.extend(_exec_commands(d, name, specifiers, problems))
            elif d is not None and d.section == "Service" and unit_type == "service" and d.key in START_HOOKS:
                hooks.setdefault(d.key, []).extend(_hook_commands(d, name, specifiers))
    except _Fatal as exc:
        # Without its traceback: kept in this frame, which the traceback holds, it would be a
        # reference cycle keeping the callers' frames (the whole run) until a collection.
        fatal = exc.with_traceback(None)
    if fatal is not None:
        # Only the comments before the point where systemd stops reading are comments of the file.
        comments[:] = [c for c in comments if c.line < fatal.span.line]
        problems[:] = [p for p in problems if p.span.line <= fatal.span.line]
        if not dropin:
            raise ParseError(
                f"{fatal.message}: systemd refuses to load this unit",
                fatal.span.line,
                fatal.span.col,
                fatal.span.end_col if fatal.span.end_line == fatal.span.line else None,
            )
        problems.append(Problem("DD000", f"{fatal.message}: systemd ignores the rest of this drop-in", fatal.span))
    first = src.lines[0] if src.lines else ""
    first_line = Span(path, 1, 1, 1, max(2, len(first) + 1))
    part = UnitPart(path, file_name, name, dropin, unit_type, first_line, sections, exec_starts, hooks)
    return ParseOutput(daemon_parts=[part], comments=comments, problems=problems)


def _parse_line(
    path: str,
    logical: _Logical,
    current: Section | None,
    sections: list[Section],
    problems: list[Problem],
    specifiers: Specifiers,
    known: set[str],
) -> tuple[Section | None, Directive | None]:
    """One logical line, as systemd's parse_line reads it: the section it leaves open and the
    assignment it makes. Lines systemd ignores are noted (not in sections systemd ignores)."""
    text = logical.text
    lead = len(text) - len(text.lstrip(_WHITESPACE))
    body = text.strip(_WHITESPACE)
    if not body:
        return current, None
    if body[0] == "[":
        if not body.endswith("]"):
            raise _Fatal(
                f"invalid section header {body[:60]!r}: expected [Name]", logical.span(path, lead, lead + len(body))
            )
        name = body[1:-1]
        if not _string_is_safe(name):
            raise _Fatal(f"bad characters in section header {body[:60]!r}", logical.span(path, lead, lead + len(body)))
        section = Section(name, logical.span(path, lead, lead + len(body)))
        sections.append(section)
        return section, None
    if current is None:
        if body[0] not in _COMMENTS:  # the first line behind a byte-order mark: see _logical_lines
            problems.append(
                Problem(
                    "DD000",
                    f"{body[:60]!r} comes before any [Section] header: systemd ignores it",
                    logical.span(path, lead, lead + 1),
                )
            )
        return current, None
    quiet = current.name not in known  # systemd ignores a section it does not know, silently
    eq = text.find("=")
    if eq < 0:
        if not quiet:
            problems.append(
                Problem(
                    "DD000",
                    (f"line is not a section header, a comment or Key=Value: {body[:60]!r}; systemd ignores it"),
                    logical.span(path, lead, lead + 1),
                )
            )
        return current, None
    key = text[:eq].strip(_WHITESPACE)
    if not key:
        if not quiet:
            problems.append(
                Problem(
                    "DD000", "assignment without a key name: systemd ignores it", logical.span(path, lead, lead + 1)
                )
            )
        return current, None
    value_raw = text[eq + 1 :]
    vlead = len(value_raw) - len(value_raw.lstrip(_WHITESPACE))
    value = value_raw.strip(_WHITESPACE)
    value_at = eq + 1 + vlead
    key_span = logical.span(path, lead, lead + len(key))
    value_span = logical.span(path, value_at, value_at + len(value)) if value else logical.span(path, eq + 1, eq + 1)
    end = value_at + len(value) if value else eq + 1
    d = Directive(
        path,
        current.name,
        key,
        value,
        key_span,
        value_span,
        logical.span(path, lead, end),
        logical,
        value_at,
        specifiers,
    )
    current.directives.append(d)
    return current, d


def _exec_prefixes(word: str) -> str:
    """The prefixes systemd takes off the first word of a command (config_parse_exec): each of
    ``-``, ``@``, ``:``, ``|`` at most once, and one of ``+``, ``!``, ``!!``."""
    taken = ""
    for c in word:
        if c in "-@:|":
            ok = c not in taken
        elif c == "+":
            ok = "+" not in taken and "!" not in taken
        else:
            ok = c == "!" and "+" not in taken and taken.count("!") < 2
        if not ok:
            break
        taken += c
    return taken


def _refuser(ignore: bool, out: list[ExecCommand], problems: list[Problem]) -> Callable[[str, Span], list[ExecCommand]]:
    """What systemd does with a command it cannot use: with the ``-`` prefix it ignores the
    rest of the line (keeping the commands before it); otherwise the line is a fatal error."""

    def refuse(message: str, span: Span) -> list[ExecCommand]:
        if ignore:
            problems.append(
                Problem(
                    "DD000", f"{message} in ExecStart=: systemd ignores this command (and the rest of the line)", span
                )
            )
            return out
        raise _Fatal(f"{message} in ExecStart=", span)

    return refuse


def _exec_commands(d: Directive, unit: str, specifiers: Specifiers, problems: list[Problem]) -> list[ExecCommand]:
    """The commands of one ``ExecStart=`` line, as systemd's config_parse_exec reads them.
    Raises _Fatal for a line systemd cannot use (without the ``-`` prefix, which makes it
    ignore the rest of the line instead)."""
    if d.is_reset:
        return [ExecCommand(d, reset=True)]
    out: list[ExecCommand] = []
    value = d.value
    at = 0
    while True:
        words, error, stop = _split(value, d, None, at, stop_at_semicolon=True)
        if not words and error is None:
            return out  # nothing (more) to run
        prefixes = _exec_prefixes(words[0].value) if words else ""
        refuse = _refuser("-" in prefixes, out, problems)

        if error is not None:
            span = d.sub_span(stop, len(value))
            if not words:
                # In the program word itself: systemd ignores the (rest of the) line, and goes on.
                problems.append(
                    Problem(
                        "DD000",
                        f"{error} in ExecStart=: systemd ignores this "
                        + ("line" if not out else "and the rest of the line"),
                        span,
                    )
                )
                return out
            return refuse(error, span)
        first = words[0].sliced(len(prefixes)).printed(specifiers)
        program = first.value
        where = words[0].lstr.span
        if not program:
            return refuse("an empty program path", where)
        if not _string_is_safe(program):
            return refuse(f"special characters in the program path {program[:60]!r}", where)
        if program.endswith("/"):
            return refuse(f"the program path {program[:60]!r} is a folder", where)
        if not program.startswith("/") and "/" in program:
            return refuse(f"{program[:60]!r} is neither an absolute path nor a program name", where)
        args = [w.printed(specifiers) for w in words[1:]]
        if ":" in prefixes:
            for w in args:
                w.literal = True  # systemd passes "$VAR" on as it is
        if "@" in prefixes:
            if not args:
                return refuse("no argv[0] after the '@' prefix", where)
            args = args[1:]  # '@': the second word is argv[0], not an argument
        cmd = ExecCommand(d, prefixes=prefixes, words=[first, *args])
        parse_dockerd_args(cmd, unit, cmd.problems)
        if not cmd.runs:
            podman_service(cmd)
        problems.extend(cmd.problems)
        out.append(cmd)
        if stop >= len(value):
            return out
        at = stop


# The commands systemd runs around ExecStart=. It waits for each to exit, but a daemon started
# there still runs: in the foreground it holds the unit's start until TimeoutStartSec= ends it
# (never, with TimeoutStartSec=0 or infinity, as Docker's units set), in the background
# (``sh -c "dockerd … &"``) it keeps running with the service.
START_HOOKS = ("ExecStartPre", "ExecStartPost")


def _hook_commands(d: Directive, unit: str, specifiers: Specifiers) -> list[ExecCommand]:
    """The commands of an ``ExecStartPre=`` / ``ExecStartPost=`` line, read as ``ExecStart=``
    is; what systemd would refuse in them is not reported (only the daemon they may start is
    of interest), and a line it cannot use gives no command."""
    try:
        return _exec_commands(d, unit, specifiers, [])
    except _Fatal:
        return []


def hook_daemon(commands: list[ExecCommand]) -> ExecCommand | None:
    """The first command of ``ExecStartPre=``/``ExecStartPost=`` commands (resets applied by
    the caller) that starts the daemon, not a query such as ``dockerd --validate``."""
    from dockerlint.parsers.daemon_command import is_query

    for c in commands:
        if c.runs_dockerd and not is_query(daemon_words(c.words)[0]):
            return c
    return None


# -- Podman's API service ----------------------------------------------------------------------

# ``podman system service`` options that take a value (podman-system-service(1)), and the TLS
# ones of Podman 5.7 and later (without them the service speaks plain HTTP on a TCP address).
_PODMAN_SERVICE_VALUES = frozenset({"time", "t", "cors", "tls-cert", "tls-key", "tls-client-ca"})
_PODMAN_TLS = frozenset({"tls-cert", "tls-key", "tls-client-ca"})


def podman_service(cmd: ExecCommand) -> None:
    """Mark ``cmd`` as Podman's API service (``podman [global options] system service [options]
    [URI]``, directly or behind an exec wrapper) and read its address and TLS options."""
    words, _ = daemon_words(cmd.words) if cmd.words and not cmd.words[0].opaque else (cmd.words, "")
    if not words or posixpath.basename(words[0].value) != "podman":
        return
    values = [w.value for w in words]
    at = next((k for k in range(1, len(values) - 1) if values[k] == "system" and values[k + 1] == "service"), None)
    if at is None:
        return
    cmd.podman = True
    i = at + 2
    while i < len(words):
        text = values[i]
        if text.startswith("-") and text != "-":
            dashes = len(text) - len(text.lstrip("-"))
            name, eq, _ = text[dashes:].partition("=")
            if name in _PODMAN_TLS and (eq or i + 1 < len(words)):
                cmd.podman_tls[name] = words[i].sliced(dashes + len(name) + 1) if eq else words[i + 1]
            if not eq and name in _PODMAN_SERVICE_VALUES:
                i += 1
        elif cmd.podman_uri is None:
            cmd.podman_uri = words[i]
        i += 1


def is_podman_unit(part: UnitPart) -> bool:
    """A unit of Podman's API service: a service that runs ``podman system service``, or a
    socket routed to a ``podman*.service`` (``podman.socket``, by its name without ``Service=``)."""
    if any(c.podman for c in part.exec_starts):
        return True
    if part.unit_type != "socket":
        return False
    routed = [d.printed()[0] for d in part.directives("Socket", "Service")]
    if routed:
        return routed[-1].startswith("podman") and routed[-1].endswith(".service")
    return part.name.startswith("podman")


# -- which units concern Docker ---------------------------------------------------------------


def concerns_docker(src: SourceFile) -> bool | None:
    """Whether a unit or drop-in (found by its ``.service``/``.socket``/``.d`` name, not its
    Docker name) concerns Docker, read as systemd reads it: a command that runs dockerd, a
    socket routed to a ``docker*.service``, ``DOCKER_OPTS`` set, or Docker's environment files
    read. None when systemd cannot read it (the caller decides from the text)."""
    try:
        out = _parse_unit(src, [])
    except ParseError:
        return None
    part = out.daemon_parts[0]
    if any(c.runs_dockerd for c in part.exec_starts) or is_podman_unit(part):
        return True
    if any(hook_daemon(commands) is not None for commands in part.exec_hooks.values()):
        return True
    for d in part.directives("Socket", "Service"):
        service = d.printed()[0]
        if service.startswith("docker") and service.endswith(".service"):
            return True
    for d in part.directives("Service", "Environment"):
        if any(a.name == "DOCKER_OPTS" for a in environment_assignments(d)):
            return True
    for d in part.directives("Service", "EnvironmentFile"):
        path = env_file_path(d)
        if path and any(env_file_matches(path, host) for host in ("/etc/default/docker", "/etc/sysconfig/docker")):
            return True
    return False


def env_file_path(d: Directive) -> str:
    """The path an ``EnvironmentFile=`` names (specifiers expanded, ``-`` taken off, simplified
    as systemd's path_simplify does), or "" when systemd ignores it (not absolute)."""
    value = d.printed()[0].strip(_WHITESPACE)
    value = value.removeprefix("-")
    if not value.startswith("/"):
        return ""
    parts = [p for p in value.split("/") if p not in ("", ".")]
    return "/" + "/".join(parts)


def env_file_matches(pattern: str, path: str) -> bool:
    """Whether ``EnvironmentFile=`` ``pattern`` (a path or a glob: ``*``, ``?``, ``[...]``, which
    never match ``/``) names the file ``path`` on the host."""
    if not any(c in pattern for c in "*?["):
        return pattern == path
    import fnmatch  # only for the rare glob

    a, b = pattern.split("/"), path.split("/")
    return len(a) == len(b) and all(fnmatch.fnmatchcase(y, x) for x, y in zip(a, b, strict=True))
