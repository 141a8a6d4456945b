"""DF115 healthcheck-missing: a service image without ``HEALTHCHECK`` (off by default).

Only the final stage matters, with what it inherits through ``FROM <stage>``. Any
``HEALTHCHECK`` in that chain counts, ``HEALTHCHECK NONE`` too (a deliberate choice,
e.g. when the orchestrator probes the service).

Only *service* images are judged: a CLI tool or a build image has nothing to
probe. An image is a service when its final stage chain has an ``EXPOSE``, or when
the ``CMD``/``ENTRYPOINT`` in force starts a well-known server (``nginx``, ``httpd``,
``gunicorn``, ``uvicorn``, ``php-fpm``, ``redis-server``, ``postgres``,
``manage.py runserver``, ``flask run``, ``rails server``, …). A ``HEALTHCHECK`` of
the external base image cannot be seen, so an image that inherits one fires too:
the rule is off by default.

Where it points: at the image of the final stage's ``FROM`` (the construct that
lacks the setting, as DF101 does).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.image import ImageBuild, Instruction
from dockerlint.rules.image._hygiene import with_fix

SERVER_PROGRAMS = frozenset(
    {
        "nginx",
        "openresty",
        "httpd",
        "httpd-foreground",
        "apache2",
        "apache2-foreground",
        "apachectl",
        "lighttpd",
        "caddy",
        "traefik",
        "haproxy",
        "envoy",
        "varnishd",
        "gunicorn",
        "uvicorn",
        "hypercorn",
        "daphne",
        "waitress-serve",
        "uwsgi",
        "php-fpm",
        "puma",
        "unicorn",
        "thin",
        "passenger",
        "catalina.sh",
        "redis-server",
        "postgres",
        "mysqld",
        "mariadbd",
        "mongod",
        "memcached",
        "rabbitmq-server",
        "elasticsearch",
        "etcd",
        "dockerd",
        "sshd",
    }
)
_VERSION_SUFFIX = re.compile(r"[0-9.]+$")
_SUBCOMMANDS = {"flask": {"run"}, "rails": {"server", "s"}, "manage.py": {"runserver"}}


def _program(word: str) -> str:
    name = posixpath.basename(word.strip("\"'"))
    bare = _VERSION_SUFFIX.sub("", name)  # php-fpm8.2, python3.12
    return bare if bare else name


def server_program(ins: Instruction) -> str | None:
    """The well-known server a ``CMD``/``ENTRYPOINT`` starts (``'gunicorn'``, ``'flask run'``), or None."""
    words = [w.text for w in ins.args]
    if len(words) == 1 and not ins.json_form:
        words = words[0].split()
    names = [_program(w) for w in words]
    for i, name in enumerate(names):
        if name in SERVER_PROGRAMS:
            return name
        subs = _SUBCOMMANDS.get(name)
        if subs is not None and i + 1 < len(names) and names[i + 1] in subs:
            return f"{name} {names[i + 1]}"
    return None


@rule(
    id="DF115",
    name="healthcheck-missing",
    reads=ImageBuild,
    severity=Severity.INFO,
    summary="The final stage of a service image has no HEALTHCHECK",
    cis=("4.6",),
    enabled_by_default=False,
    peers={
        "hadolint": "DL3057",
        "checkov": "CKV_DOCKER_2",
        "trivy": "DS-0026",
        "kics": "b03a748a (healthcheck_instruction_missing)",
    },
    precision="medium",
    tags=("reliability",),
)
def healthcheck_missing(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    final = build.final_stage
    if final is None:
        return
    chain = build.stage_chain(final.index)
    instructions = [i for stage in reversed(chain) for i in stage.instructions]
    if any(i.keyword == "HEALTHCHECK" for i in instructions):
        return
    expose = next((i for i in reversed(instructions) if i.keyword == "EXPOSE"), None)
    if expose is not None:
        why = f"EXPOSE {quote(' '.join(a.value for a in expose.args), 40)} on line {expose.keyword_span.line}"
    else:
        why = ""
        for keyword in ("ENTRYPOINT", "CMD"):
            command = next((i for i in reversed(instructions) if i.keyword == keyword), None)
            server = server_program(command) if command is not None else None
            if command is not None and server is not None:
                why = f"{keyword} on line {command.keyword_span.line} starts {server}"
                break
        if not why:
            return
    yield Hit(
        final.image.span,
        with_fix(
            f"no HEALTHCHECK in the final stage of a service ({why})",
            "; add one, or HEALTHCHECK NONE when the orchestrator probes it",
            "; add one (or HEALTHCHECK NONE)",
        ),
        context="final-stage:healthcheck",
    )
