"""``--diff``: the automatic fixes as a unified diff, safe to print."""

from __future__ import annotations

from dockerlint.util.lines import split_keepends
from dockerlint.util.safetext import line_start, visible


def unified_diff(before: dict[str, str], after: dict[str, str]) -> str:
    import difflib

    out: list[str] = []
    for path in sorted(after):
        if before.get(path) == after[path]:
            continue
        # Lines as every reader counts them: LF only (splitlines() would also break at
        # U+2028, NEL, VT... and print "No newline at end of file" in the middle of a file).
        a = split_keepends(before[path])
        b = split_keepends(after[path])
        shown = visible(path)
        for line in difflib.unified_diff(a, b, fromfile=f"a/{shown}", tofile=f"b/{shown}"):
            out.append(_shown_diff_line(line))
    return "".join(out)


def _shown_diff_line(line: str) -> str:
    """A line of the diff as printed: the file's text is the repository's, so control and
    bidirectional characters are escaped (tabs kept) and no line can start a GitHub Actions
    command; the line's own end (LF, CRLF) is kept."""
    end = "\r\n" if line.endswith("\r\n") else "\n" if line.endswith("\n") else ""
    body = line[: len(line) - len(end)]
    if body[:1] in (" ", "+", "-") and not body.startswith(("--- ", "+++ ")):
        body = body[0] + line_start(visible(body[1:], keep="\t"))
    else:
        body = visible(body, keep="\t")
    return body + (end or "\n\\ No newline at end of file\n")
