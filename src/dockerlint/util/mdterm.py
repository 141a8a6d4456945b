"""Rule documentation for a terminal: Markdown without the markup.

``dockerlint rule ID`` prints the raw Markdown when its output is piped (so it can be
saved or rendered elsewhere) and this rendering on a terminal: headings in bold without
``#``, code blocks indented without fences (the file name kept as a caption), inline
code and emphasis markers dropped, links as ``text (url)``.
"""

from __future__ import annotations

import re

_BOLD, _DIM, _CYAN, _RESET = "\033[1m", "\033[2m", "\033[36m", "\033[0m"
# Neither part holds a bracket: each try stops at the next one (a label or URL that may
# hold "[" or "(" made each try run to the end of the text: quadratic).
_LINK = re.compile(r"\[([^\[\]]+)\]\(([^()\[\]\s]+)\)")
_CODE = re.compile(r"`([^`]+)`")
_STRONG = re.compile(r"\*\*([^*]+)\*\*|__([^_]+)__")
_EM = re.compile(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])")


def _inline(text: str, color: bool) -> str:
    def link(m: re.Match[str]) -> str:
        label, url = m.group(1), m.group(2)
        return label if label == url else f"{label} ({url})"

    text = _LINK.sub(link, text)
    text = _STRONG.sub(lambda m: _wrap(m.group(1) or m.group(2), _BOLD, color), text)
    text = _EM.sub(lambda m: m.group(1), text)
    text = _CODE.sub(lambda m: _wrap(m.group(1), _CYAN, color), text)
    return text


def _wrap(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color else text


def render(markdown: str, color: bool = True) -> str:
    out: list[str] = []
    fence = ""
    for line in markdown.splitlines():
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
                out.append("")
                continue
            out.append("    " + _wrap(line, _DIM, color) if line else "")
            continue
        m = re.match(r"^(```+|~~~+)\s*(\S*)\s*(.*)$", stripped)
        if m:
            fence = m.group(1)
            caption = m.group(3).strip()
            if caption:
                out.append("  " + _wrap(caption + ":", _BOLD, color))
            continue
        h = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", line)
        if h:
            title = _inline(h.group(2), False)
            out.append(_wrap(title, _BOLD, color))
            continue
        out.append(_inline(line, color))
    text = "\n".join(out).rstrip("\n")
    return re.sub(r"\n{3,}", "\n\n", text) + "\n"
