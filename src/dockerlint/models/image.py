"""The image build model: a Dockerfile/Containerfile as stages of instructions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import field
from typing import ClassVar

from dockerlint.models.base import LStr, Root, Span, model
from dockerlint.models.shell import Script


@model
class Flag:
    """An instruction flag such as ``--mount=type=cache,target=/root`` or ``--chown=app``."""

    name: str  # without the leading dashes, lower-case: "mount", "chown", "from"
    value: str | None  # None for a bare flag (``--link``)
    span: Span  # the whole ``--name=value`` word
    value_span: Span | None = None


@model
class Heredoc:
    """A heredoc body that belongs to an instruction (``RUN <<EOT`` ... ``EOT``)."""

    name: str  # the delimiter word, without quotes
    body: str  # the body as BuildKit sees it (after ``<<-`` tab stripping), newline-terminated
    body_line: int  # line of the first body line (line of the terminator when the body is empty)
    span: Span  # from the first body line to the end of the terminator line
    strip_tabs: bool = False  # ``<<-``
    quoted: bool = False  # ``<<"EOT"`` / ``<<'EOT'``: no expansion in the body
    file_descriptor: int = 0


@model
class KeyValue:
    """One ``NAME=value`` of ``ENV``, ``LABEL`` or ``ARG`` (also the legacy ``ENV NAME value``).

    ``value`` is as written (quotes kept), its ``text`` as BuildKit sees it (quotes
    removed, ARG/ENV defaults substituted); None for ``ARG NAME`` without a default.
    """

    key: LStr
    value: LStr | None = None


@model
class Instruction:
    """One Dockerfile instruction, continuation lines and heredoc bodies included."""

    keyword: str  # upper-case: "RUN", "FROM", ...
    keyword_span: Span
    span: Span  # the whole instruction, to the end of its last line (heredocs included)
    flags: Sequence[Flag] = ()  # empty ones are one shared () (memory of kept builds)
    # The argument text after the flags, continuation lines joined the way BuildKit
    # joins them (backslash-newline removed), comments inside continuations dropped.
    args_text: str = ""
    args_span: Span | None = None
    # The arguments split into words. For the JSON (exec) form the JSON strings; for
    # the shell form whitespace-separated words, quotes kept as written.
    args: Sequence[LStr] = ()
    json_form: bool = False
    heredocs: Sequence[Heredoc] = ()
    pairs: Sequence[KeyValue] = ()  # ENV, LABEL and ARG
    # Raw source lines of the instruction (from its first line to its last), for rules
    # that need exact positions inside multi-line instructions.
    start_line: int
    end_line: int
    # The script (see :attr:`script`): until it is first read, the function that parses it. Not
    # compared, hashed, shown nor serialised (``dockerlint inspect`` leaves ``_`` fields out).
    _script: Script | Callable[[], Script | None] | None = field(
        default=None, repr=False, compare=False, metadata={"exclude": True}
    )

    @property
    def script(self) -> Script | None:
        """RUN (and ONBUILD RUN): the shell commands it runs, located (see models/shell.py).

        The shell form, the ``-c`` string of an exec-form shell, heredoc bodies; None for
        other instructions. Parsed the first time it is read (the Dockerfile parser gives the
        parse function as ``_script``): parsing every RUN up front would about double the
        parse time of a Dockerfile, and most rules read few RUNs.
        """
        script = self._script
        if script is None or isinstance(script, Script):
            return script
        parsed = script()
        object.__setattr__(self, "_script", parsed)  # the one assignment to a built model: a cache
        return parsed

    def flag(self, name: str) -> Flag | None:
        """The last flag called ``name`` (BuildKit: the last one wins), or None."""
        found = None
        for f in self.flags:
            if f.name == name:
                found = f
        return found


@model
class ArgDef:
    """``ARG NAME[=default]``."""

    name: LStr
    default: LStr | None = None


@model
class Stage:
    """A build stage: its ``FROM`` and the instructions up to the next ``FROM``."""

    index: int
    from_instruction: Instruction
    image: LStr  # the image reference as written (``${BASE}``, ``debian:12``, ``build``)
    resolved_image: str  # after substituting global ARG defaults (as written when unresolved)
    name: LStr | None = None  # ``AS name`` (lower-cased value, as BuildKit compares)
    platform: Flag | None = None
    parent: int | None = None  # index of the stage this one builds on (``FROM <stage>``)
    instructions: list[Instruction] = field(default_factory=list)  # FROM first

    @property
    def users(self) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == "USER"]


@model
class ImageBuild(Root):
    """A whole Dockerfile."""

    KIND: ClassVar[str] = "image"
    path: str
    span: Span  # the first line of the file (whole-file findings point here)
    directives: dict[str, LStr] = field(default_factory=dict)  # "syntax", "escape", "check"
    escape: str = "\\"
    global_args: list[ArgDef] = field(default_factory=list)  # ARGs before the first FROM
    stages: list[Stage] = field(default_factory=list)
    instructions: list[Instruction] = field(default_factory=list)  # every instruction, in order

    @property
    def final_stage(self) -> Stage | None:
        return self.stages[-1] if self.stages else None

    def stage_chain(self, index: int) -> list[Stage]:
        """The stage and the stages it inherits from (``FROM <stage>``), nearest first."""
        chain: list[Stage] = []
        seen: set[int] = set()
        current: int | None = index
        while current is not None and current not in seen and 0 <= current < len(self.stages):
            seen.add(current)
            stage = self.stages[current]
            chain.append(stage)
            current = stage.parent
        return chain

    def effective_user(self, index: int) -> tuple[LStr | None, Stage]:
        """The ``USER`` in force at the end of stage ``index`` and the stage that set it.

        Walks ``FROM <stage>`` inheritance. Returns ``(None, base_stage)`` when no stage in
        the chain sets a user: the user then comes from the external base image, which
        is ``base_stage.image``.
        """
        chain = self.stage_chain(index)
        for stage in chain:
            users = stage.users
            if users:
                last = users[-1]
                if last.args:
                    value = " ".join(a.value for a in last.args)
                    first, final = last.args[0].span, last.args[-1].span
                    span = Span(first.path, first.line, first.col, final.end_line, final.end_col)
                    return LStr(value, span), stage
                return LStr("", last.keyword_span), stage
        return None, chain[-1]
