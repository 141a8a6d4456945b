"""GitHub's ``primaryLocationLineHash``, computed exactly as github/codeql-action does.

A port of ``hash()`` in codeql-action's ``src/fingerprints.ts`` (which upload-sarif runs
on every uploaded result that lacks the fingerprint). Emitting the same value ourselves
means alerts track the same way whether the SARIF reaches GitHub through upload-sarif
or through the REST API (which computes nothing).

The algorithm, kept bug-for-bug:

* the file is read as UTF-8 (invalid bytes become U+FFFD, a BOM is kept as a character)
  and walked in **UTF-16 code units** (JavaScript ``charCodeAt``);
* spaces and tabs are skipped; ``\\r`` becomes ``\\n``; a ``\\n`` right after a ``\\r`` is
  skipped (but a space or tab in between resets that, as in the original);
* a rolling hash over a window of 100 kept characters:
  ``h = 37*h + c - 37**100 * c_out``, in wrapping 64-bit arithmetic;
* a line's hash is taken when the line's first kept character leaves the window, so it
  covers the next 100 kept characters from the start of the line, across line ends;
* an end-of-file marker 65535 is fed, then 100 zeros flush the last lines;
* the value is ``<unsigned lower-case hex, no padding>:<n>``, ``n`` counting identical
  hashes seen so far in the file (from 1). A trailing newline gives one more "line".

Test vectors (from codeql-action's ``src/fingerprints.test.ts``) live in
``tests/test_sarif.py``.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator

BLOCK_SIZE = 100
_MOD = 37
_MASK = (1 << 64) - 1
_FIRST_MOD = pow(_MOD, BLOCK_SIZE, 1 << 64)
_TAB, _SPACE, _LF, _CR = 0x09, 0x20, 0x0A, 0x0D
_EOF = 65535


def utf16_units(text: str) -> array[int]:
    """``text`` as UTF-16 code units, as JavaScript's ``charCodeAt`` sees it."""
    units = array("H")
    units.frombytes(text.encode("utf-16-le", "surrogatepass"))
    if sys.byteorder == "big":
        units.byteswap()
    return units


def decode_like_node(data: bytes) -> str:
    """Decode bytes as Node's ``fs.createReadStream(path, "utf8")`` does (BOM kept)."""
    return data.decode("utf-8", errors="replace")


def iter_line_hashes(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, "hex:n")`` for every line of ``text``, in line order.

    Lazy: a caller that needs only the first lines can stop early, and the values it
    got are exact (``n`` counts only earlier hashes).
    """
    window = [0] * BLOCK_SIZE
    line_numbers = [-1] * BLOCK_SIZE
    counts: dict[int, int] = {}
    h = 0
    index = 0
    line_number = 0
    line_start = True
    prev_cr = False

    def output() -> tuple[int, str]:
        counts[h] = n = counts.get(h, 0) + 1
        line = line_numbers[index]
        line_numbers[index] = -1
        return line, f"{h:x}:{n}"

    def chars() -> Iterable[int]:
        yield from utf16_units(text)
        yield _EOF

    for unit in chars():
        c = unit
        if c == _SPACE or c == _TAB or (prev_cr and c == _LF):
            prev_cr = False
            continue
        if c == _CR:
            c = _LF
            prev_cr = True
        else:
            prev_cr = False
        if line_numbers[index] != -1:
            yield output()
        if line_start:
            line_start = False
            line_number += 1
            line_numbers[index] = line_number
        if c == _LF:
            line_start = True
        begin = window[index]
        window[index] = c
        h = (_MOD * h + c - _FIRST_MOD * begin) & _MASK
        index = (index + 1) % BLOCK_SIZE

    for _ in range(BLOCK_SIZE):
        if line_numbers[index] != -1:
            yield output()
        begin = window[index]
        window[index] = 0
        h = (_MOD * h - _FIRST_MOD * begin) & _MASK
        index = (index + 1) % BLOCK_SIZE


def line_hashes(text: str) -> list[str]:
    """Every line's hash, index 0 for line 1."""
    return [value for _, value in iter_line_hashes(text)]


def hashes_for_lines(text: str, lines: Iterable[int]) -> dict[int, str]:
    """The hashes of the given 1-based ``lines`` only (hashing stops after the last one).

    Lines past the end of the text are missing from the answer.
    """
    wanted = set(lines)
    if not wanted:
        return {}
    last = max(wanted)
    out: dict[int, str] = {}
    for line, value in iter_line_hashes(text):
        if line in wanted:
            out[line] = value
        if line >= last:
            break
    return out


def stable_fingerprint(rule_id: str, path: str, snippet: str, context: str) -> str:
    """dockerlint's line-independent fingerprint: sha256 over the rule id, the path, the
    flagged source text with whitespace collapsed, and the finding's context (a service
    name, a key path). Moving code around keeps it; editing the flagged text changes it."""
    import hashlib
    import json

    payload = json.dumps([rule_id, path, " ".join(snippet.split()), context], ensure_ascii=False)
    try:
        data = payload.encode("utf-8", "surrogateescape")  # a path's bytes that are not UTF-8: those bytes
    except UnicodeEncodeError:  # a lone surrogate of another kind
        data = payload.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


class Occurrences:
    """Which occurrence of its fingerprint a finding is (the ``n`` of ``<fingerprint>:<n>``),
    for findings given in the order of ``paths`` (one path per finding, as they will come).

    A fingerprint covers its path, so only the findings of one path can share it. Reports
    come sorted by path: a path's counts are dropped once its run of findings ends, unless
    the path comes again later (the suppressed findings after the reported ones, or any
    other order). A big tree's report then holds the counts of one file, not every
    finding's fingerprint."""

    def __init__(self, paths: Iterable[str]) -> None:
        seen: set[str] = set()
        self._again: set[str] = set()
        last = None
        for path in paths:
            if path != last:
                if path in seen:
                    self._again.add(path)
                seen.add(path)
                last = path
        self._kept: dict[str, dict[str, int]] = {}
        self._path: str | None = None
        self._counts: dict[str, int] = {}

    def count(self, path: str, fingerprint: str) -> int:
        """``fingerprint`` (of a finding in ``path``) once more: how many times so far."""
        if path != self._path:
            self._path = path
            self._counts = self._kept.setdefault(path, {}) if path in self._again else {}
        self._counts[fingerprint] = n = self._counts.get(fingerprint, 0) + 1
        return n
