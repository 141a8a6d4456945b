"""Automatic fixes: ``--fix`` writes them, ``--diff`` shows them as a unified diff.

A rule attaches a :class:`~dockerlint.registry.Fix` (edits by span) to a finding when the
change is unambiguous; the engine has already dropped fixes that would rewrite
``${VAR}`` interpolation or YAML anchors, aliases and merge keys. Here the fixes of one
pass are applied to each file's text (a fix whose edits overlap an accepted one waits
for the next pass), the result is parsed again, and a file that would no longer parse
is left alone. The command line lints the fixed text again until nothing changes.

Files keep their encoding, byte-order mark and line endings.
"""

from __future__ import annotations

import codecs
import importlib
import os
from dataclasses import dataclass, field

from dockerlint.engine import PARSER_MODULE, Result
from dockerlint.models.source import SourceFile
from dockerlint.registry import Edit


@dataclass
class FileFix:
    path: str  # display path
    abspath: str
    kind: str
    before: str  # text as linted (LF line ends)
    after: str
    fixed: list[str] = field(default_factory=list)  # "RULE line:col" of the findings fixed


def _offsets(text: str) -> list[int]:
    starts = [0]
    for i, c in enumerate(text):
        if c == "\n":
            starts.append(i + 1)
    return starts


def _offset(starts: list[int], text: str, line: int, col: int) -> int | None:
    if line < 1 or line > len(starts):
        return None
    end = starts[line] - 1 if line < len(starts) else len(text)
    at = starts[line - 1] + col - 1
    return at if starts[line - 1] <= at <= end else None


def plan(result: Result) -> tuple[dict[str, FileFix], list[str]]:
    """The fixed text of every file with applicable fixes, and notices for refused ones."""
    sources = {src.path: src for src in result.files}
    chosen: dict[str, list[tuple[int, int, str]]] = {}
    labels: dict[str, list[str]] = {}
    notices: list[str] = []
    for f in result.findings:
        if f.fix is None or not f.fix.safe:
            continue
        ranges: list[tuple[str, int, int, str]] = []
        ok = True
        for edit in f.fix.edits:
            r = _range(sources, edit)
            if r is None:
                ok = False
                break
            ranges.append((edit.span.path, r[0], r[1], edit.replacement))
        if not ok:
            continue
        if any(_overlaps(chosen.get(p, []), a, b) for p, a, b, _ in ranges):
            continue  # next pass
        for p, a, b, text in ranges:
            chosen.setdefault(p, []).append((a, b, text))
            labels.setdefault(p, []).append(f"{f.rule_id} {f.span.line}:{f.span.col}")
    out: dict[str, FileFix] = {}
    for path, edits in chosen.items():
        src = sources[path]
        text = src.text
        for a, b, repl in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
            text = text[:a] + repl + text[b:]
        problem = _parse_problem(src, text)
        if problem:
            notices.append(f"{path}: fixes not applied: the result would not parse ({problem})")
            continue
        out[path] = FileFix(path, src.abspath, src.kind, src.text, text, labels[path])
    return out, notices


def _range(sources: dict[str, SourceFile], edit: Edit) -> tuple[int, int] | None:
    src = sources.get(edit.span.path)
    if src is None:
        return None
    starts = _offsets(src.text)
    a = _offset(starts, src.text, edit.span.line, edit.span.col)
    b = _offset(starts, src.text, edit.span.end_line, edit.span.end_col)
    if a is None or b is None or b < a:
        return None
    return a, b


def _overlaps(taken: list[tuple[int, int, str]], a: int, b: int) -> bool:
    # Two insertions at one point also conflict: their order would be arbitrary.
    return any(a < tb and ta < b or a == ta or b == tb for ta, tb, _ in taken)


def _parse_problem(src: SourceFile, text: str) -> str:
    from dockerlint.parsers.errors import ParseError

    module = importlib.import_module(PARSER_MODULE[src.kind])
    try:
        out = module.parse(SourceFile(path=src.path, kind=src.kind, text=text, abspath=src.abspath))
    except ParseError as exc:
        return f"line {exc.line}: {exc.message}"
    except Exception as exc:  # noqa: BLE001 -- any parser failure means: do not write
        return f"{type(exc).__name__}: {exc}"
    errors = [p for p in out.problems if p.rule_id.endswith("000")]
    if not errors:
        return ""
    before = module.parse(SourceFile(path=src.path, kind=src.kind, text=src.text, abspath=src.abspath))
    if len(errors) > len([p for p in before.problems if p.rule_id.endswith("000")]):
        return str(errors[0].message)
    return ""


def encode_like(original: bytes, text: str) -> bytes:
    """``text`` (LF line ends) encoded as ``original`` was: BOM, UTF-16, CRLF kept."""
    if original.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        crlf = "\r\n".encode("utf-16-le" if original.startswith(codecs.BOM_UTF16_LE) else "utf-16-be") in original
        body = text.replace("\n", "\r\n") if crlf else text
        return body.encode("utf-16")
    bom = codecs.BOM_UTF8 if original.startswith(codecs.BOM_UTF8) else b""
    body = text.replace("\n", "\r\n") if b"\r\n" in original else text
    return bom + body.encode("utf-8")


def write(files: list[tuple[str, str, str, str]]) -> list[str]:
    """Write fixed files: ``(display path, absolute path, text as first linted, fixed text)``.

    The file is read again and must still hold the text that was linted (else it changed
    meanwhile and is left alone); it is replaced atomically, keeping its mode, encoding,
    byte-order mark and line endings. Returns error messages.
    """
    from dockerlint.engine import decode

    errors: list[str] = []
    for display, abspath, linted, fixed in files:
        try:
            with open(abspath, "rb") as fh:
                raw = fh.read()
        except OSError as exc:
            errors.append(f"{display}: cannot read it again to fix it: {exc.strerror or exc}")
            continue
        try:
            current = decode(raw)
        except ValueError:
            current = None
        if current is not None and current != linted and current.replace("\r", "\n") == linted:
            errors.append(f"{display}: has lone CR line endings, which a fix would not keep; not fixed "
                          "(convert them to LF or CRLF first)")
            continue
        if current != linted:
            errors.append(f"{display}: changed while dockerlint was running; not fixed")
            continue
        tmp = f"{abspath}.dockerlint-fix"
        try:
            mode = os.stat(abspath).st_mode
            with open(tmp, "wb") as fh:
                fh.write(encode_like(raw, fixed))
            os.chmod(tmp, mode & 0o7777)
            os.replace(tmp, abspath)
        except OSError as exc:
            errors.append(f"{display}: cannot write the fix: {exc.strerror or exc}")
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return errors


def unified_diff(before: dict[str, str], after: dict[str, str]) -> str:
    import difflib

    out: list[str] = []
    for path in sorted(after):
        if before.get(path) == after[path]:
            continue
        a = before[path].splitlines(keepends=True)
        b = after[path].splitlines(keepends=True)
        for line in difflib.unified_diff(a, b, fromfile=f"a/{path}", tofile=f"b/{path}"):
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
