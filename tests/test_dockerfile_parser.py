"""The Dockerfile parser: exact spans, heredocs, directives, stages, ARG resolution, errors."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerlint.models.base import LStr, Span
from dockerlint.models.image import ImageBuild
from dockerlint.models.schema import dump
from dockerlint.models.source import SourceFile
from dockerlint.parsers.dockerfile import parse
from dockerlint.parsers.errors import ParseError
from helpers import dedent


def build(text: str) -> ImageBuild:
    model = parse(SourceFile("Dockerfile", "dockerfile", dedent(text))).models[0]
    assert isinstance(model, ImageBuild)
    return model


def at(span: Span) -> tuple[int, int, int, int]:
    return span.line, span.col, span.end_line, span.end_col


def written(text: str, span: Span) -> str:
    """The source text a span covers."""
    lines = dedent(text).split("\n")
    if span.line == span.end_line:
        return lines[span.line - 1][span.col - 1 : span.end_col - 1]
    parts = [lines[span.line - 1][span.col - 1 :]]
    parts += lines[span.line : span.end_line - 1]
    parts.append(lines[span.end_line - 1][: span.end_col - 1])
    return "\n".join(parts)


def error(text: str) -> ParseError:
    with pytest.raises(ParseError) as exc:
        parse(SourceFile("Dockerfile", "dockerfile", dedent(text)))
    return exc.value


# -- spans ---------------------------------------------------------------------------------


def test_keyword_and_args_spans() -> None:
    b = build("""
        FROM debian:12
        USER root
        """)
    user = b.instructions[1]
    assert user.keyword == "USER"
    assert at(user.keyword_span) == (2, 1, 2, 5)
    assert [(a.value, at(a.span)) for a in user.args] == [("root", (2, 6, 2, 10))]
    assert at(user.args_span) == (2, 6, 2, 10)  # type: ignore[arg-type]
    assert at(user.span) == (2, 1, 2, 10)
    assert (user.start_line, user.end_line) == (2, 2)


def test_indented_lowercase_keyword() -> None:
    b = build("FROM alpine\n   user   app\n")
    user = b.instructions[1]
    assert user.keyword == "USER"
    assert at(user.keyword_span) == (2, 4, 2, 8)
    assert at(user.args[0].span) == (2, 11, 2, 14)


def test_flags_with_exact_spans() -> None:
    text = """
        FROM --platform=$BUILDPLATFORM golang:1.22 AS build
        RUN --mount=type=cache,target=/root/.cache --network=none go build ./...
        COPY --from=build --chown=app:app --chmod=0755 --link /out/app /app
        ADD --checksum=sha256:abc https://example.com/x.tgz /x.tgz
        RUN --security=insecure true
        """
    b = build(text)
    platform = b.stages[0].platform
    assert platform is not None
    assert (platform.name, platform.value) == ("platform", "$BUILDPLATFORM")
    assert at(platform.span) == (1, 6, 1, 31)
    assert written(text, platform.value_span) == "$BUILDPLATFORM"  # type: ignore[arg-type]
    run = b.instructions[1]
    assert [(f.name, f.value) for f in run.flags] == [("mount", "type=cache,target=/root/.cache"), ("network", "none")]
    assert [written(text, f.span) for f in run.flags] == ["--mount=type=cache,target=/root/.cache", "--network=none"]
    assert run.args_text == "go build ./..."
    assert [a.value for a in run.args] == ["go", "build", "./..."]
    copy = b.instructions[2]
    assert [(f.name, f.value) for f in copy.flags] == [
        ("from", "build"),
        ("chown", "app:app"),
        ("chmod", "0755"),
        ("link", None),
    ]
    link = copy.flag("link")
    assert link is not None and link.value_span is None and written(text, link.span) == "--link"
    assert written(text, copy.flag("chown").value_span) == "app:app"  # type: ignore[union-attr, arg-type]
    assert b.instructions[3].flag("checksum").value == "sha256:abc"  # type: ignore[union-attr]
    assert b.instructions[4].flag("security").value == "insecure"  # type: ignore[union-attr]


def test_quoted_flag_value() -> None:
    text = 'FROM alpine\nRUN --mount="type=secret,id=a b" cat /run/secrets/a\n'
    run = build(text).instructions[1]
    assert run.flags[0].value == "type=secret,id=a b"
    assert written(text, run.flags[0].span) == '--mount="type=secret,id=a b"'


def test_double_dash_ends_flags() -> None:
    run = build("FROM alpine\nRUN -- --not-a-flag\n").instructions[1]
    assert not run.flags
    assert run.args_text == "--not-a-flag"


def test_columns_count_code_points() -> None:
    text = 'FROM alpine\nLABEL a="héllo 😀" b=2\nUSER 😀\n'
    b = build(text)
    label = b.instructions[1]
    assert [a.value for a in label.args] == ['a="héllo 😀"', "b=2"]
    assert at(label.args[1].span) == (2, 19, 2, 22)
    assert at(b.instructions[2].args[0].span) == (3, 6, 3, 7)


def test_quoted_words_keep_their_quotes() -> None:
    text = """FROM alpine\nENV A="x y" B='z' C=d\\ e\n"""
    env = build(text).instructions[1]
    assert [a.value for a in env.args] == ['A="x y"', "B='z'", "C=d\\ e"]
    assert [written(text, a.span) for a in env.args] == ['A="x y"', "B='z'", "C=d\\ e"]
    assert [a.text for a in env.args] == ["A=x y", "B=z", "C=d e"]


def test_json_form() -> None:
    text = 'FROM alpine\nCMD ["nginx", "-g", "daemon off;"]\nENTRYPOINT [ "a\\"b" ]\nRUN [ not json\n'
    b = build(text)
    cmd = b.instructions[1]
    assert cmd.json_form
    assert [a.value for a in cmd.args] == ["nginx", "-g", "daemon off;"]
    assert [written(text, a.span) for a in cmd.args] == ['"nginx"', '"-g"', '"daemon off;"']
    entry = b.instructions[2]
    assert entry.json_form and entry.args[0].value == 'a"b' and at(entry.args[0].span) == (3, 14, 3, 20)
    run = b.instructions[3]
    assert not run.json_form and [a.value for a in run.args] == ["[", "not", "json"]


def test_json_array_of_non_strings_is_an_error() -> None:
    e = error("FROM alpine\nEXPOSE 80\nCMD [1, 2]\n")
    assert (e.line, e.col) == (3, 5)
    assert "strings only" in e.message


def test_models_are_slotted_dataclasses_compared_and_hashed_by_value() -> None:
    b = build("FROM alpine\nCOPY --chown=app a /b\nUSER app\n")
    arg = b.instructions[2].args[0]
    assert arg == LStr("app", Span("Dockerfile", 3, 6, 3, 9))
    assert hash(arg.span) == hash(Span("Dockerfile", 3, 6, 3, 9))
    assert not hasattr(arg, "__dict__") and not hasattr(arg.span, "__dict__")  # slotted: small
    assert dataclasses.replace(arg, value="x").value == "x"
    assert dataclasses.replace(arg.span, col=7).col == 7
    assert dump(arg) == {
        "value": "app",
        "expanded": None,
        "span": {"path": "Dockerfile", "line": 3, "col": 6, "end_line": 3, "end_col": 9},
    }
    flag = b.instructions[1].flags[0]
    assert dataclasses.replace(flag, value="root").value == "root"
    assert dump(flag)["value_span"]["col"] == 14
    with pytest.raises(TypeError, match="unhashable"):  # a model with a list field, as pydantic's
        hash(b.instructions[1])
    assert pickle.loads(pickle.dumps(arg)) == arg  # --jobs workers send findings and their spans back
    with pytest.raises(TypeError):
        LStr(value="x")  # type: ignore[call-arg]  # every required field is given


# -- continuations -------------------------------------------------------------------------


def test_continuation_with_comments_and_blank_lines() -> None:
    text = """
        FROM alpine
        RUN apk add \\
        # a comment BuildKit drops

              curl \\
          # an indented one too
              git
        USER app
        """
    b = build(text)
    run = b.instructions[1]
    assert (run.start_line, run.end_line) == (2, 7)
    assert run.args_text == "apk add       curl       git"
    assert [(a.value, at(a.span)) for a in run.args] == [
        ("apk", (2, 5, 2, 8)),
        ("add", (2, 9, 2, 12)),
        ("curl", (5, 7, 5, 11)),
        ("git", (7, 7, 7, 10)),
    ]
    assert at(run.span) == (2, 1, 7, 10)
    assert b.instructions[2].start_line == 8


def test_word_split_by_a_continuation() -> None:
    text = "FROM alpine\nRUN ec\\\nho hi\n"
    run = build(text).instructions[1]
    assert run.args_text == "echo hi"
    assert [(a.value, at(a.span)) for a in run.args] == [("echo", (2, 5, 3, 3)), ("hi", (3, 4, 3, 6))]


def test_double_backslash_is_not_a_continuation() -> None:
    b = build("FROM alpine\nRUN echo \\\\\nUSER app\n")
    assert [i.keyword for i in b.instructions] == ["FROM", "RUN", "USER"]


# -- heredocs ------------------------------------------------------------------------------


def test_heredoc_body_and_lines() -> None:
    text = """
        FROM alpine
        RUN <<EOT
        set -e
        apk add curl
        EOT
        USER app
        """
    b = build(text)
    run = b.instructions[1]
    assert [i.keyword for i in b.instructions] == ["FROM", "RUN", "USER"]
    assert (run.start_line, run.end_line) == (2, 5)
    (h,) = run.heredocs
    assert (h.name, h.body, h.body_line, h.strip_tabs, h.quoted) == ("EOT", "set -e\napk add curl\n", 3, False, False)
    assert at(h.span) == (3, 1, 5, 4)
    assert at(run.span) == (2, 1, 5, 4)
    assert [a.value for a in run.args] == ["<<EOT"]


def test_heredoc_strip_tabs_and_quoted_delimiter() -> None:
    text = 'FROM alpine\nRUN <<-"EOF"\n\techo $HOME\n\t\tdone\n\tEOF\nUSER app\n'
    h = build(text).instructions[1].heredocs[0]
    assert (h.name, h.body, h.strip_tabs, h.quoted) == ("EOF", "echo $HOME\ndone\n", True, True)
    assert (h.body_line, h.span.end_line) == (3, 5)


def test_several_heredocs_on_one_instruction() -> None:
    text = "FROM alpine\nRUN <<A cat - <<B > /out\nfirst\nA\nsecond\nB\nUSER app\n"
    run = build(text).instructions[1]
    assert [(h.name, h.body, h.body_line) for h in run.heredocs] == [("A", "first\n", 3), ("B", "second\n", 5)]
    assert (run.start_line, run.end_line) == (2, 6)


def test_copy_heredoc_and_file_descriptor() -> None:
    text = "FROM alpine\nCOPY <<EOF /etc/app.conf\nkey=value\nEOF\nRUN 3<<X cat <&3\nx\nX\n"
    b = build(text)
    copy, run = b.instructions[1], b.instructions[2]
    assert [(h.name, h.body) for h in copy.heredocs] == [("EOF", "key=value\n")]
    assert [a.value for a in copy.args] == ["<<EOF", "/etc/app.conf"]
    assert run.heredocs[0].file_descriptor == 3


def test_empty_heredoc_body() -> None:
    h = build("FROM alpine\nRUN <<EOF\nEOF\n").instructions[1].heredocs[0]
    assert (h.body, h.body_line) == ("", 3)


def test_no_heredoc_in_json_form_or_quotes() -> None:
    b = build('FROM alpine\nRUN ["sh", "-c", "<<EOF"]\nRUN echo "<<EOF"\nRUN cat<<EOF\n')
    assert all(not i.heredocs for i in b.instructions)
    assert len(b.instructions) == 4


def test_unterminated_heredoc_points_at_its_opener() -> None:
    e = error("FROM alpine\nRUN <<EOF\necho hi\n")
    assert (e.line, e.col, e.end_col) == (2, 5, 10)
    assert "unterminated heredoc" in e.message and "'EOF'" in e.message


# -- directives ----------------------------------------------------------------------------


def test_syntax_and_escape_directives() -> None:
    text = (
        "# syntax=docker/dockerfile:1.7\n#  ESCAPE = `\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
        "RUN dir `\n    C:\\\nUSER ContainerUser\n"
    )
    b = build(text)
    assert b.escape == "`"
    assert b.directives["syntax"].value == "docker/dockerfile:1.7"
    assert at(b.directives["syntax"].span) == (1, 10, 1, 31)
    assert at(b.directives["escape"].span) == (2, 13, 2, 14)
    run = b.instructions[1]
    assert (run.start_line, run.end_line) == (4, 5)
    assert run.args_text == "dir     C:\\"
    assert [i.keyword for i in b.instructions] == ["FROM", "RUN", "USER"]


def test_directive_after_a_comment_or_blank_line_is_a_comment() -> None:
    b = build("# hello\n# escape=`\nFROM alpine\nRUN a \\\n  b\n")
    assert b.escape == "\\" and b.directives == {}
    assert b.instructions[1].end_line == 5
    b = parse(SourceFile("Dockerfile", "dockerfile", "\n# syntax=x\nFROM alpine\n")).models[0]
    assert b.directives == {}


def test_repeated_or_invalid_directive_is_an_error() -> None:
    e = error("# escape=`\n# escape=\\\nFROM alpine\n")
    assert e.line == 2 and "only one escape" in e.message
    e = error("# escape=x\nFROM alpine\n")
    assert (e.line, e.col) == (1, 10) and "escape token" in e.message


# -- stages and ARG ------------------------------------------------------------------------


def test_stages_names_and_inheritance() -> None:
    b = build("""
        FROM golang:1.22 AS Build
        RUN go build
        FROM build AS test
        FROM alpine AS final
        FROM TEST
        """)
    assert [(s.index, s.name.value if s.name else None, s.parent) for s in b.stages] == [
        (0, "build", None),
        (1, "test", 0),
        (2, "final", None),
        (3, None, 1),
    ]
    assert at(b.stages[0].name.span) == (1, 21, 1, 26)  # type: ignore[union-attr]
    assert [i.keyword for i in b.stages[0].instructions] == ["FROM", "RUN"]
    assert b.stages[0].from_instruction.keyword == "FROM"
    assert [s.index for s in b.stage_chain(3)] == [3, 1, 0]


def test_from_only_names_earlier_stages() -> None:
    b = build("FROM later\nFROM alpine AS later\n")
    assert b.stages[0].parent is None


def test_global_args_and_resolved_image() -> None:
    text = """
        ARG REGISTRY=docker.io
        ARG VERSION="3.20"
        ARG FLAVOR
        FROM ${REGISTRY}/library/alpine:$VERSION AS a
        FROM ${BASE_IMAGE:-debian:12-slim} AS b
        FROM alpine:${FLAVOR}
        FROM ${VERSION:+alpine}:${VERSION}
        """
    b = build(text)
    assert [(a.name.value, a.default.value if a.default else None) for a in b.global_args] == [
        ("REGISTRY", "docker.io"),
        ("VERSION", '"3.20"'),
        ("FLAVOR", None),
    ]
    version = b.global_args[1]
    assert at(version.name.span) == (2, 5, 2, 12)
    assert version.default is not None and at(version.default.span) == (2, 13, 2, 19)
    assert version.default.text == "3.20"
    assert [s.resolved_image for s in b.stages] == [
        "docker.io/library/alpine:3.20",
        "debian:12-slim",
        "alpine:${FLAVOR}",
        "alpine:3.20",
    ]
    assert b.stages[0].image.value == "${REGISTRY}/library/alpine:$VERSION"
    assert b.stages[0].image.text == "docker.io/library/alpine:3.20"
    assert b.stages[2].image.expanded is None  # unresolvable: as written


def test_from_variable_naming_a_stage() -> None:
    b = build("ARG BASE=builder\nFROM alpine AS builder\nFROM ${BASE}\n")
    assert b.stages[1].parent == 0


def test_user_expanded_from_arg_and_env() -> None:
    b = build("""
        ARG APP_USER=root
        FROM alpine
        ARG APP_USER
        USER ${APP_USER}
        ENV RUNNER=app
        USER $RUNNER:${GROUP:-app}
        USER ${UNKNOWN}
        """)
    users = [i.args[0] for i in b.instructions if i.keyword == "USER"]
    assert [(u.value, u.expanded) for u in users] == [
        ("${APP_USER}", "root"),
        ("$RUNNER:${GROUP:-app}", "app:app"),
        ("${UNKNOWN}", None),
    ]


def test_global_arg_is_not_visible_in_a_stage_without_redeclaring_it() -> None:
    b = build("ARG U=root\nFROM alpine\nUSER $U\n")
    assert b.instructions[2].args[0].expanded is None


def test_env_is_inherited_through_from_stage() -> None:
    b = build("FROM alpine AS base\nENV U=app\nFROM base\nUSER $U\n")
    assert b.instructions[-1].args[0].expanded == "app"


def test_effective_user_walks_stage_inheritance() -> None:
    b = build("FROM alpine AS base\nUSER app\nFROM base\nRUN id\n")
    user, stage = b.effective_user(1)
    assert user is not None and user.value == "app" and stage.index == 0


# -- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "col", "part"),
    [
        ("", 1, 1, "no instructions"),
        ("# just a comment\n\n", 1, 1, "no instructions"),
        ("ARG A=1\n", 1, 1, "no FROM"),
        ("RUN echo hi\nFROM alpine\n", 1, 1, "before the first FROM"),
        ("FROM alpine\nFROB x\n", 2, 1, "unknown instruction: FROB; did you mean FROM?"),
        ("FROM alpine\nRUN --mnt=type=cache,target=/x true\n", 2, 5, "unknown flag: mnt"),
        ("FROM alpine\nCOPY --chwon=app a /b\n", 2, 6, "did you mean --chown?"),
        ("FROM alpine\nCOPY --from a /b\n", 2, 6, "missing a value on flag: from"),
        ("FROM alpine\nCOPY --link=maybe a /b\n", 2, 6, "boolean"),
        ("FROM alpine AS\n", 1, 1, "one or three arguments"),
        ("FROM alpine AS 1st\n", 1, 16, "invalid name for build stage"),
        ("FROM alpine\nENV DEBUG\n", 2, 5, "ENV must have two arguments"),
        ("FROM alpine\nENV A=1 B\n", 2, 9, "can't find ="),
        ("FROM alpine\nUSER\n", 2, 1, "USER requires exactly one argument"),
        ("FROM alpine\nCOPY onlyone\n", 2, 1, "at least two arguments"),
        ("FROM alpine\nCOPY a <<EOF\nx\nEOF\n", 2, 8, "heredoc as a destination"),
        ("FROM alpine\nSHELL /bin/bash -c\n", 2, 1, "JSON form"),
        ("FROM alpine\nONBUILD FROM x\n", 2, 1, "ONBUILD trigger"),
        ("FROM alpine\nHEALTHCHECK CMD\n", 2, 1, "Missing command"),
        ("FROM alpine\nRUN x \\\n", 0, 0, ""),  # valid: a continuation may end the file
    ],
)
def test_errors(text: str, line: int, col: int, part: str) -> None:
    if not part:
        build(text)
        return
    e = error(text)
    assert (e.line, e.col) == (line, col), e.message
    assert part in e.message


def test_lone_continuation_at_end_of_file_is_an_error() -> None:
    e = error("FROM alpine\n\\\n")
    assert e.line == 2 and "unknown instruction" in e.message


def test_first_error_in_file_order_wins() -> None:
    e = error("FROM alpine\nFROB x\nRUN --bad=1 x\n")
    assert e.line == 2


# -- properties ----------------------------------------------------------------------------

DOCKERISH = st.text(
    alphabet=st.sampled_from(list("FROMRUNCOPYAS abc:=-_/.$\\`{}'\"<>#[],\t\n\r01") + ["\u00a0", "é"]), max_size=200
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), DOCKERISH))
def test_arbitrary_text_raises_only_parse_error(text: str) -> None:
    try:
        parse(SourceFile("Dockerfile", "dockerfile", text))
    except ParseError:
        pass


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "FROM a",
                "RUN <<EOF",
                "EOF",
                "RUN a \\",
                "",
                "# c",
                "ENV A=1",
                "COPY <<X /y",
                "X",
                "\\",
                "# escape=`",
                "RUN x`",
                "USER root",
                "ARG B=${C:-d}",
            ]
        ),
        max_size=12,
    )
)
def test_line_soups_raise_only_parse_error(lines: list[str]) -> None:
    try:
        parse(SourceFile("Dockerfile", "dockerfile", "\n".join(lines)))
    except ParseError:
        pass


WORD = st.text(alphabet=st.sampled_from(list("abcxyz019_./:@+%") + ["é", "ß", "😀"]), min_size=1, max_size=8)
SIMPLE = {
    "RUN": (1, 5),
    "CMD": (1, 3),
    "EXPOSE": (1, 3),
    "VOLUME": (1, 2),
    "COPY": (2, 4),
    "ADD": (2, 3),
    "USER": (1, 1),
    "WORKDIR": (1, 1),
    "STOPSIGNAL": (1, 1),
    "ENTRYPOINT": (1, 3),
}


@st.composite
def dockerfiles(draw: st.DrawFn) -> tuple[str, list[tuple[str, list[str]]]]:
    """A valid Dockerfile of simple instructions and what it was written with."""
    written: list[tuple[str, list[str]]] = [("FROM", [draw(WORD)])]
    for _ in range(draw(st.integers(0, 8))):
        kw = draw(st.sampled_from(sorted(SIMPLE) + ["ENV", "LABEL", "ARG"]))
        if kw in ("ENV", "LABEL", "ARG"):
            words = [f"{draw(WORD)}={draw(WORD)}" for _ in range(draw(st.integers(1, 3)))]
        else:
            lo, hi = SIMPLE[kw]
            words = [draw(WORD) for _ in range(draw(st.integers(lo, hi)))]
        written.append((kw, words))
    lines: list[str] = []
    for kw, words in written:
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "# a comment", "   ", "\t# indented comment"])))
        keyword = draw(st.sampled_from([kw, kw.lower(), kw.title()]))
        indent = draw(st.sampled_from(["", " ", "\t", "  "]))
        line = indent + keyword
        for word in words:
            sep = draw(st.sampled_from([" ", "  ", "\t", " \\\n  ", " \\\n\n    ", "\\\n# c\n "]))
            line += sep + word
        lines.append(line + draw(st.sampled_from(["", " ", "\t"])))
    return "\n".join(lines) + "\n", written


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfiles())
def test_generated_dockerfiles_parse_back_to_what_was_written(case: tuple[str, list[tuple[str, list[str]]]]) -> None:
    text, expected = case
    b = parse(SourceFile("Dockerfile", "dockerfile", text)).models[0]
    assert [(i.keyword, [a.value for a in i.args]) for i in b.instructions] == expected
    lines = text.split("\n")
    for ins in b.instructions:
        kw = ins.keyword_span
        assert lines[kw.line - 1][kw.col - 1 : kw.end_col - 1].upper() == ins.keyword
        for arg in ins.args:
            s = arg.span
            assert s.line == s.end_line
            assert lines[s.line - 1][s.col - 1 : s.end_col - 1] == arg.value


# Texts with quotes and no backslash or variable: dockerfile-parse's quote removal (BuildKit's
# rules there) is the oracle; the parser does not call it (a class created per call).
_QUOTED = st.text(alphabet="ab '\"\t=", max_size=12)


@settings(max_examples=500, deadline=None)
@given(_QUOTED)
def test_dequote_agrees_with_dockerfile_parse(text: str) -> None:
    from dockerfile_parse.util import WordSplitter

    from dockerlint.parsers.dockerfile import _dequote

    splitter = WordSplitter(text)
    want = splitter.dequote()
    assert _dequote(text) == (None if splitter.quotes is not None else want)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ('"alpine:3.20"', "alpine:3.20"),
        ("'app'\"user\"", "appuser"),
        ('"it\'s"', "it's"),
        ("'say \"hi\"'", 'say "hi"'),
        ('"open', None),
        ("a'b", None),
    ],
)
def test_dequote_examples(text: str, want: str | None) -> None:
    from dockerlint.parsers.dockerfile import _dequote

    assert _dequote(text) == want
