"""DF219 cmd-shell-form: ``CMD``/``ENTRYPOINT`` in shell form.

``CMD node server.js`` runs ``/bin/sh -c "node server.js"``: the shell is PID 1, it does
not pass ``SIGTERM`` on, so ``docker stop`` waits its 10 seconds and kills the process
without a clean shutdown. A shell-form ``ENTRYPOINT`` also ignores the ``CMD`` and the
arguments of ``docker run``. The JSON (exec) form runs the program directly.

Fires on shell-form ``CMD`` and ``ENTRYPOINT`` in the stages that make an image (the final
stage, a stage nothing refers to, and the stages those are built ``FROM``). Not on a ``CMD`` whose shell form
starts with ``exec`` (the shell replaces itself with the program, which gets the signals),
nor on stages that only serve ``COPY --from``. ``CMD ["sh", "-c", "…"]`` is exec form and
is not judged.

When a ``CMD`` is plain words (no quotes, variables or shell operators) on one line, the
finding carries a fix that rewrites it in JSON form. ``ENTRYPOINT`` gets none: in JSON form it
receives the ``CMD`` (the base image's too) as arguments, which changes what runs.

Where it points: at the command text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from dockerlint.api import Edit, Fix, Hit, RuleContext, Severity, quote, rule
from dockerlint.models.image import ImageBuild, Instruction
from dockerlint.rules.image._hygiene import image_stages, with_fix

_PLAIN = re.compile(r"[\w@%+=:,./-]+")


def _fix(ins: Instruction) -> Fix | None:
    if ins.keyword != "CMD":
        return None  # a JSON-form ENTRYPOINT gets the CMD (the base image's too) as arguments
    span = ins.args_span
    if span is None or ins.start_line != ins.end_line or span.line != span.end_line:
        return None
    words = ins.args_text.split()
    if not words or not all(_PLAIN.fullmatch(w) for w in words):
        return None
    text = json.dumps(words)
    return Fix(f"write {ins.keyword} in JSON form: {text}", [Edit(span, text)])


@rule(
    id="DF219",
    name="cmd-shell-form",
    reads=ImageBuild,
    severity=Severity.LOW,
    summary="CMD or ENTRYPOINT in shell form",
    enabled_by_default=False,
    peers={"hadolint": "DL3025"},
    precision="very-high",
    tags=("hygiene", "reliability"),
    fixes="rewrites a one-line `CMD` of plain words in JSON form: `CMD node app.js` becomes "
    '`CMD ["node", "app.js"]` (not `ENTRYPOINT`: in JSON form it would receive the `CMD`)',
)
def cmd_shell_form(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    shipped = image_stages(build, ctx)
    for stage in build.stages:
        if stage.index not in shipped:
            continue
        for ins in stage.instructions:
            if ins.keyword not in ("CMD", "ENTRYPOINT") or ins.json_form or not ins.args_text.strip():
                continue
            text = ins.args_text.strip()
            if ins.keyword == "CMD" and re.match(r"exec\s", text):
                continue
            if ins.keyword == "CMD":
                why = "/bin/sh -c is PID 1 and does not pass SIGTERM on"
            else:
                why = "the program gets no SIGTERM and ignores the CMD and docker run arguments"
            shown = quote(text, 40 if ins.keyword == "CMD" else 32)  # ENTRYPOINT's why is longer
            yield Hit(
                ins.args_span or ins.keyword_span,
                with_fix(
                    f"{ins.keyword} {shown} is in shell form: {why}",
                    f'; use {ins.keyword} ["program", "arg"]',
                    "; use the JSON form",
                ),
                context=f"{ins.keyword.lower()}:{text}",
                fix=_fix(ins),
            )
