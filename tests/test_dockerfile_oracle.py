"""Differential test: our Dockerfile model against BuildKit's own parser.

The ``dockerfile`` wheel wraps BuildKit's Go parser (``frontend/dockerfile/parser``).
For every Dockerfile of the corpus (``../shared/corpus``) and of ``fixtures/`` (except
the DF000 cases, which BuildKit rejects), the instructions must agree: keyword, start
and end line, flags, and heredocs (name and body).

Heredoc bodies: BuildKit's AST keeps ``<<-`` bodies unstripped and strips the tabs when
it uses them; our model holds the body as used, so the oracle's body is stripped the
same way before comparing. The wheel does not expose the heredocs of ``ONBUILD``
triggers, so those are compared by line span only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerlint.models.source import SourceFile
from dockerlint.parsers.dockerfile import parse
from dockerlint.parsers.errors import ParseError
from helpers import CORPUS_DIR

dockerfile = pytest.importorskip("dockerfile", reason="BuildKit's parser wheel (dockerfile) is not installed")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
LEADING_TABS = re.compile(r"^\t+", re.MULTILINE)


def is_dockerfile(p: Path) -> bool:
    n = p.name
    return n == "Dockerfile" or n.startswith(("Dockerfile.", "Dockerfile-")) or n.endswith(".Dockerfile")


def files_under(root: Path, skip: tuple[str, ...] = ()) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.rglob("*") if p.is_file() and is_dockerfile(p) and not any(part in skip for part in p.parts)
    )


CORPUS_FILES = files_under(CORPUS_DIR)
FIXTURE_FILES = files_under(FIXTURES, skip=("DF000",))


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")


def ours(text: str) -> list[tuple[object, ...]]:
    build = parse(SourceFile("Dockerfile", "dockerfile", text)).models[0]
    out = []
    for i in build.instructions:
        flags = tuple(f"--{f.name}" + (f"={f.value}" if f.value is not None else "") for f in i.flags)
        heredocs = () if i.keyword == "ONBUILD" else tuple((h.name, h.body) for h in i.heredocs)
        out.append((i.keyword, i.start_line, i.end_line, flags, heredocs))
    return out


def buildkit(text: str, chomp: set[tuple[int, str]]) -> list[tuple[object, ...]]:
    out = []
    for c in dockerfile.parse_string(text):
        heredocs = tuple(
            (h.name, LEADING_TABS.sub("", h.content) if (c.start_line, h.name) in chomp else h.content)
            for h in c.heredocs
        )
        out.append((c.cmd.upper(), c.start_line, c.end_line, tuple(c.flags), heredocs))
    return out


def compare(path: Path) -> None:
    text = read(path)
    build = parse(SourceFile("Dockerfile", "dockerfile", text)).models[0]
    chomp = {(i.start_line, h.name) for i in build.instructions for h in i.heredocs if h.strip_tabs}
    assert ours(text) == buildkit(text, chomp)


@pytest.mark.parametrize(
    "path", CORPUS_FILES or [None], ids=lambda p: str(p.relative_to(CORPUS_DIR)) if p else "no-corpus"
)
def test_corpus_file_matches_buildkit(path: Path | None, shared_dir: Path) -> None:
    assert path is not None, f"no Dockerfile found under {shared_dir / 'corpus'}"
    compare(path)


@pytest.mark.skipif(not FIXTURE_FILES, reason="no Dockerfile fixtures")
@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_matches_buildkit(path: Path) -> None:
    compare(path)


TRICKY = {
    "heredocs": 'FROM alpine\nRUN <<EOT cat <<-B\nhello\nEOT\n\tyo\n\tB\nCOPY <<"EOF" /dst\na $x\nEOF\n'
    "RUN 2<<X cat\nx\nX\nRUN cat <<EOF>f\nbody\nEOF>f\n",
    "not heredocs": 'FROM alpine\nRUN cat<<EOF\nRUN echo \'<<EOF\'\nRUN ["sh", "<<EOF"]\n',
    "continuations": "FROM alpine\nRUN a \\\n\n# comment\n  # indented comment\n  b \\\n  c\nRUN x\\\\\n",
    "escape directive": "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n  C:\\\n",
    "flags": 'FROM --platform=$BUILDPLATFORM alpine AS b\nRUN --mount="type=cache,target=/a b" --network=none x\n'
    "COPY --link --chown=1:1 --from=b /a /b\nRUN -- --not-a-flag\n",
    "onbuild": "FROM alpine\nONBUILD RUN <<EOF\necho hi\nEOF\nONBUILD COPY . /app\n",
    "lowercase": "from alpine\nrun echo hi\nuser app\n",
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_input_matches_buildkit(name: str) -> None:
    text = TRICKY[name]
    build = parse(SourceFile("Dockerfile", "dockerfile", text)).models[0]
    chomp = {(i.start_line, h.name) for i in build.instructions for h in i.heredocs if h.strip_tabs}
    assert ours(text) == buildkit(text, chomp)


# -- differential property test: random line soups --------------------------------------
FRAGMENTS = [
    "FROM a",
    "FROM b AS x",
    "RUN echo hi",
    "RUN <<EOF",
    "EOF",
    "\tEOF",
    "RUN <<-EOF cat",
    "COPY <<A /b",
    "A",
    "RUN a \\",
    "RUN a\\\\",
    "  b \\",
    "",
    "   ",
    "# c",
    "  # c2",
    "\\",
    "`",
    "# escape=`",
    "#escape=\\",
    "# syntax=x",
    "ENV A=1",
    "ENV A 1 2",
    "ENV A",
    'LABEL a=b c="d e"',
    "ARG X",
    'ARG Y="z"',
    "RUN --mount=type=cache,target=/x y",
    'RUN ["a", "b"]',
    "CMD [1]",
    "RUN <<'E' x",
    "E",
    "ONBUILD RUN <<Q",
    "Q",
    "RUN echo 'it''s' \"q\\\"x\"",
    "RUN 2<<X cat <<Y",
    "X",
    "Y",
    "RUN x \\  ",
    "RUN cat <<EOF>f",
    "EOF>f",
    'RUN <<"EOF',
    "RUN echo ${X:-a b} <<EOF",
    "user root",
    "RUN \u00a0x",
    "RUN é\\",
    'HEALTHCHECK CMD ["a"]',
    "RUN <<EOF\r",
    "EOF\r",
    "RUN a`",
    "  c `",
    "RUN <<E1 <<E2",
    "E1",
    "E2",
    "RUN x \\\r",
    "RUN ${A",
    'RUN <<"E F"',
    "E F",
    "RUN <<$X",
    "$X",
    'RUN echo "<<EOF"',
    "RUN <<EOF <<EOF",
    "\tRUN y",
    "ADD <<EOF /x",
    'VOLUME ["/a", 1]',
    'VOLUME ["/a"',
    "RUN ${X:+<<EOF}",
    "RUN <<a<b",
    'RUN "unterminated <<EOF',
    "ONBUILD ADD <<W /w",
    "W",
    "ONBUILD",
    "RUN",
    "RUN <<",
    'LABEL "a b"=c',
    "ENV A=x\\\\",
    "RUN -- <<EOF",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=10), st.booleans())
def test_random_fragments_agree_with_buildkit(lines: list[str], final_newline: bool) -> None:
    text = "\n".join(lines) + ("\n" if final_newline else "")
    try:
        dockerfile.parse_string(text)
    except (dockerfile.GoParseError, dockerfile.GoIOError):  # BuildKit rejects it: so must we
        with pytest.raises(ParseError):
            parse(SourceFile("Dockerfile", "dockerfile", text))
        return
    try:
        build = parse(SourceFile("Dockerfile", "dockerfile", text)).models[0]
    except ParseError:
        return  # rejected by BuildKit's instruction parsing, which the wheel does not run
    chomp = {(i.start_line, h.name) for i in build.instructions for h in i.heredocs if h.strip_tabs}
    assert ours(text) == buildkit(text, chomp)
