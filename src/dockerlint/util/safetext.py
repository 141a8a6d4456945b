"""Text from the scanned repository, made safe to show: one escaping for every output.

File names, service names, values and comments are the repository's, and the repository
may be hostile. Shown raw, they could move a terminal's cursor or set its title (ESC, OSC
and CSI sequences, C1 controls), start a new line (LF, CR, U+2028) that forges a
``path:line: ID`` line or a GitHub Actions ``::error`` command, reorder what a reader sees
(bidirectional overrides and isolates: "Trojan Source"), or run a CI log command from the
middle of a line (GitHub's legacy ``##[command]``, Azure's ``##vso[…]``, TeamCity's
``##teamcity[…]``).

:func:`visible` is applied once to every such field where a reporter, or a notice on
stderr, writes it; escaped text is left as it is, so nothing is escaped twice. Machine
formats keep paths exact (JSON string escapes, percent-encoded SARIF URIs) and run their
serialised text through :func:`json_text`.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, the bidirectional embeddings, overrides and isolates,
# the Unicode line and paragraph separators, lone surrogates (a file name's bytes that are
# not UTF-8, as os.fsdecode gives them), and the two noncharacters XML 1.0 cannot hold.
_UNSAFE = "\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
# A CI log command that runners find anywhere in a line: ``##[`` and ``##word[``.
_LOG_COMMAND = r"(?<=##)[A-Za-z]*\["
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_PATTERNS: dict[str, re.Pattern[str]] = {}


def _pattern(keep: str) -> re.Pattern[str]:
    pattern = _PATTERNS.get(keep)
    if pattern is None:
        unsafe = f"[{_UNSAFE}]"
        if keep:
            unsafe = f"(?![{re.escape(keep)}]){unsafe}"
        pattern = _PATTERNS[keep] = re.compile(f"{unsafe}|{_LOG_COMMAND}")
    return pattern


def _escape(m: re.Match[str]) -> str:
    text = m.group()
    if text.endswith("["):  # a log command: its bracket, as \x5b
        return text[:-1] + "\\x5b"
    if text in _NAMED:
        return _NAMED[text]
    c = ord(text)
    if c < 0x100:
        return f"\\x{c:02x}"
    if 0xDC80 <= c <= 0xDCFF:  # a byte that is not UTF-8 (surrogateescape): the byte
        return f"\\x{c - 0xDC00:02x}"
    return f"\\u{c:04x}"


def visible(text: str, keep: str = "") -> str:
    """``text`` with every character that is unsafe to show escaped, Python-style.

    ``\\t``, ``\\n``, ``\\r``; ``\\xNN`` for other C0 and C1 controls and DEL, and for each
    byte of a file name that is not UTF-8; ``\\uNNNN`` for the bidirectional controls,
    U+2028/U+2029, lone surrogates and U+FFFE/U+FFFF; the bracket of a CI log command
    (``##[error]`` → ``##\\x5berror]``). Characters in ``keep`` (a tab in a source
    excerpt, the line breaks of a document) stay. Backslashes are not escaped: a text that
    is already escaped is returned unchanged.
    """
    pattern = _pattern(keep)
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def line_start(text: str) -> str:
    """``text`` that begins a line of output, unable to start a GitHub Actions command.

    The runner reads a line as a workflow command when it starts with ``::`` once leading
    white space is trimmed; the first colon of such a line is escaped (``\\x3a``).
    """
    stripped = text.lstrip()
    if not stripped.startswith("::"):
        return text
    at = len(text) - len(stripped)
    return text[:at] + "\\x3a" + text[at + 1 :]


def display_path(path: str) -> str:
    """A path as the text formats show it at the start of a line: escaped, and prefixed
    with ``./`` when it would begin with white space or ``:`` (a forged ``::error``)."""
    shown = visible(path)
    if shown[:1].isspace() or shown.startswith(":"):
        return "./" + shown
    return shown


def json_text(text: str) -> str:
    """Serialised JSON (ASCII, as ``json.dumps`` writes it by default) that a CI log cannot
    read a command from: the ``[`` of ``##[`` / ``##word[`` inside strings becomes
    ``\\u005b``, the same string to any JSON reader. ``#`` only occurs inside strings."""
    if "##" not in text:
        return text
    return re.sub(_LOG_COMMAND, lambda m: m.group()[:-1] + "\\u005b", text)


# -- credentials -------------------------------------------------------------------------------


def mask(secret: str, keep: int = 2) -> str:
    """A credential as messages show it: the first ``keep`` characters (none of a short value),
    the rest as ``*`` (at most 8), so neither the value nor its length is shown."""
    if len(secret) <= keep * 3:
        keep = 0
    return secret[:keep] + "*" * min(max(len(secret) - keep, 3), 8)


def redact(line: str, start: int, end: int) -> str:
    """``line`` with its characters ``[start, end)`` (0-based) replaced by ``*``, the quotes
    that open and close a quoted value kept: a source excerpt that shows where a credential is
    written without showing it. The length is kept, so carets under the line stay right."""
    start, end = max(start, 0), min(end, len(line))
    if end <= start:
        return line
    if end - start >= 2 and line[start] == line[end - 1] and line[start] in "\"'":
        start, end = start + 1, end - 1
    return line[:start] + "*" * (end - start) + line[end:]


def redact_all(line: str, ranges: list[tuple[int, int]]) -> str:
    """``line`` with every ``[start, end)`` of ``ranges`` masked as :func:`redact` masks one, in
    one pass: the ranges (quotes dropped as there) are sorted and merged first, so the cost is
    the line's length plus the ranges', however many overlap."""
    cut: list[tuple[int, int]] = []
    for a, b in ranges:
        start, end = max(a, 0), min(b, len(line))
        if end - start >= 2 and line[start] == line[end - 1] and line[start] in "\"'":
            start, end = start + 1, end - 1
        if end > start:
            cut.append((start, end))
    if not cut:
        return line
    cut.sort()
    parts: list[str] = []
    at = 0
    for a, b in cut:
        if b <= at:
            continue
        parts.append(line[at : max(a, at)])
        parts.append("*" * (b - max(a, at)))
        at = b
    parts.append(line[at:])
    return "".join(parts)
