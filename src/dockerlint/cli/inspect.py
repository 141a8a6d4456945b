"""``dockerlint inspect PATH…``: the normalised view the rules judge, with provenance.

``docker compose config`` for everything: per Compose project its merged services, per host
the effective daemon configuration, per Dockerfile its stages and final user, per command line
and dev container the container it starts, per client file its contexts and logins. Every
located value carries the span where the value that wins is written.

The files are found exactly as ``dockerlint PATH…`` finds them (the same walker, ``--exclude``,
configuration ``exclude``, ``--kind``, ``--compose-file``, limits and containment), then read
and assembled by the engine; no rule runs. Credentials are masked as findings mask them, and
nothing from the scanned files reaches the output unescaped.

Exit codes: 0 everything was read; 2 a usage error, or a file that could not be read or parsed
(listed under ``errors`` with its position, and on stderr; the other files are still shown).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import Any

from dockerlint.cli.args import EXIT_ERROR, EXIT_OK, HelpFormatter, UsageError, add_input_options, scanned_dirs
from dockerlint.cli.output import isatty, say, write_text
from dockerlint.knowledge.secrets import secret_name, secret_spans, usable
from dockerlint.util import limits
from dockerlint.util.safetext import mask

FORMATS = ("json", "text")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dockerlint inspect",
        formatter_class=HelpFormatter,
        description="Print the normalised view the rules judge, with where each value is written: Compose "
        "projects merged, daemon configurations, Dockerfile stages, the containers command lines and dev "
        "containers start, client contexts and configurations. Credentials are masked.",
        epilog="Files are found as 'dockerlint PATH...' finds them. Exit codes: 0 ok, 2 usage error or a file "
        "that could not be read or parsed (listed under 'errors').",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to inspect (default: .)")
    p.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default=None,
        help="json, or text (a readable tree); default: text on a terminal, json otherwise",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument(
        "--schema", action="store_true", help="print the JSON Schema of the JSON output and exit (for plugin authors)"
    )
    p.add_argument("--config", metavar="FILE", help="use this configuration file for every file (no search)")
    p.add_argument(
        "--isolated",
        action="store_true",
        help="ignore every configuration file and walk the folders skipped by default",
    )
    add_input_options(p)
    return p


def cmd_inspect(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.output == "-":
        args.output = None
    if args.schema:
        from dockerlint.models.schema import json_schema

        write_text(json.dumps(json_schema(), indent=2, sort_keys=True) + "\n", args.output)
        return EXIT_OK
    if "-" in (args.paths or []):
        raise UsageError("inspect reads files: standard input ('-') is not supported")
    try:
        cwd = os.getcwd()
    except OSError:
        raise UsageError("cannot find the working directory") from None
    in_force = limits.Limits(
        args.max_depth, args.max_alias_expansion, args.max_file_size or limits.DEFAULT_MAX_FILE_SIZE
    )
    with limits.using(in_force):
        return _inspect(args, in_force, cwd)


def _inspect(args: argparse.Namespace, in_force: limits.Limits, cwd: str) -> int:
    from dockerlint.cli.pipeline import load_plugins

    registry = load_plugins(scanned_dirs([*(args.paths or ["."]), *(args.compose_file or ())]))
    candidates, options, path_errors = _discover(args, in_force, cwd, registry)
    for err in path_errors:
        say(f"error: {err}")
    engine = _collector(registry, options)
    result = engine.run(candidates)
    data, errors = _inspection(engine.models, result)
    fmt = args.format or ("text" if not args.output and isatty(sys.stdout) else "json")
    write_text(render(data, fmt), args.output, _guarded(cwd, options.roots))
    failed = path_errors or errors or result.io_errors or result.internal_errors
    return EXIT_ERROR if failed else EXIT_OK


def _inspection(models: list[Any], result: Any) -> tuple[dict[str, Any], list[Any]]:
    """The inspection of a run's models, dumped and masked; the files that could not be read or
    parsed (also said on stderr, with the run's notices, remarks such as references not followed,
    and internal errors)."""
    from dockerlint import __version__
    from dockerlint.core.registry import Severity
    from dockerlint.models.schema import InspectError, dump, gather

    errors = [
        InspectError(path=f.path, line=f.span.line, col=f.span.col, rule=f.rule_id, message=f.message)
        for f in result.findings
        if f.severity == Severity.ERROR
    ]
    for e in errors:
        say(f"error: {e.path}:{e.line}:{e.col}: {e.rule} {e.message}")
    for msg in [*result.notices, *result.remarks, *result.internal_errors]:  # as lint says them
        say(msg)
    return mask_credentials(dump(gather(models, errors, __version__))), errors


def render(data: dict[str, Any], fmt: str) -> str:
    """The masked inspection as JSON (escaped for CI logs) or as the text tree."""
    if fmt == "json":
        from dockerlint.util.safetext import json_text

        return json_text(json.dumps(data, indent=2, ensure_ascii=True)) + "\n"
    from dockerlint.reporters.inspect_text import render as render_text

    return render_text(data)


def _guarded(cwd: str, roots: Sequence[str]) -> list[str]:
    from dockerlint.util.safefiles import guarded_dirs

    return list(guarded_dirs(cwd, roots))


def _discover(
    args: argparse.Namespace, in_force: limits.Limits, cwd: str, registry: Any
) -> tuple[list[Any], Any, list[str]]:
    """The files ``dockerlint PATH…`` would lint with these arguments, and the engine's options:
    the lint pipeline's own steps (targets, settings, inputs), with inspect's few options."""
    import dataclasses

    from dockerlint.cli.inputs import collect_inputs, excluder, resolve_targets
    from dockerlint.config.settings import CommandLine, load_settings

    args.inputs = list(args.paths or [])
    args.stdin_filename = None
    args.limits = in_force
    targets = resolve_targets(args, cwd)
    cl = CommandLine(
        config=args.config,
        isolated=args.isolated,
        kind=args.kind,
        max_file_size=in_force.max_file_size,
        read_roots=targets.read_roots,
    )
    settings = load_settings(cl, cwd, registry, os.environ)
    inputs = collect_inputs(args, cwd, settings, targets)
    options = dataclasses.replace(
        settings.for_file(cwd),
        for_file=settings.for_file,
        limits=in_force,
        compose_files=inputs.compose_files,
        roots=inputs.roots,
        jobs=1,
        repository_ignores=not args.isolated,
        excluded=excluder(args.exclude or [], inputs.roots, settings),
    )
    return inputs.candidates, options, inputs.errors


def _collector_class() -> type:
    from dockerlint.core.engine import Engine
    from dockerlint.models.image import ImageBuild
    from dockerlint.models.schema import dockerfile_view

    class Collector(Engine):
        """The engine, reading and assembling as for a lint run, but keeping the models it would
        hand to the rules instead of running any rule."""

        def __init__(self, *a: Any, **k: Any) -> None:
            super().__init__(*a, **k)
            self.models: list[Any] = []
            self.checker.check_model = self._keep  # type: ignore[method-assign]

        def _keep(self, model: Any, scan: Any, result: Any, shadow: frozenset[str] = frozenset()) -> None:
            # A Dockerfile is kept as its summary: its instructions are not shown.
            self.models.append(dockerfile_view(model) if isinstance(model, ImageBuild) else model)

    return Collector


def _collector(registry: Any, options: Any) -> Any:
    """The collecting engine (its class is made on first use: the engine is imported lazily)."""
    return _collector_class()(registry, options)


# -- credentials -----------------------------------------------------------------------------------


def mask_credentials(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (a dumped :class:`~dockerlint.models.schema.Inspection`) with every credential
    masked as findings mask it: the values of variables whose names say credential (environment,
    ``.env`` files, ``ENV``/``ARG``), wherever else those values appear (an interpolated
    command), well-known token shapes and URL passwords in any string."""
    found: set[str] = set()
    _mask_pairs(data, found)
    secrets = sorted((s for s in found if len(s) >= _MIN_SPREAD), key=len, reverse=True)
    masked = _mask_strings(data, secrets)
    assert isinstance(masked, dict)
    return masked


# A credential this short is masked where it is set, not searched for in every other string.
_MIN_SPREAD = 4


def _name_of(node: dict[str, Any]) -> str | None:
    name = node.get("name", node.get("key"))
    if isinstance(name, dict):
        name = name.get("value")
    return name if isinstance(name, str) else None


def _mask_pairs(node: Any, found: set[str]) -> None:
    """Mask, in place, the value of each ``name``/``key`` + ``value`` pair whose name says
    credential and whose value is usable as one; collect those values in ``found``."""
    if isinstance(node, list):
        for item in node:
            _mask_pairs(item, found)
        return
    if not isinstance(node, dict):
        return
    name = _name_of(node)
    if name is not None:
        _mask_value(node, name, found)
    for value in node.values():
        _mask_pairs(value, found)


def _mask_value(node: dict[str, Any], name: str, found: set[str]) -> None:
    if secret_name(name) is None:
        return
    for slot in ("value", "default"):  # EnvVar, KeyValue, EnvFileVar, EnvFileUse; ArgDef
        value = node.get(slot)
        if isinstance(value, str):
            if _literal_credential(value, name):
                found.add(value)
                node[slot] = mask(value)
        elif isinstance(value, dict):
            for key in ("value", "expanded"):
                text = value.get(key)
                if isinstance(text, str) and _literal_credential(text, name):
                    found.add(text)
                    value[key] = mask(text)


def _literal_credential(value: str, name: str) -> bool:
    """A value written out (no ``$`` reference to a variable, which DC117 does not judge either)
    that the credential model calls usable."""
    return "$" not in value and usable(value, name)


def _mask_strings(node: Any, secrets: list[str]) -> Any:
    if isinstance(node, dict):
        return {k: _mask_strings(v, secrets) for k, v in node.items()}
    if isinstance(node, list):
        return [_mask_strings(v, secrets) for v in node]
    if isinstance(node, str):
        return mask_text(node, secrets)
    return node


def mask_text(text: str, secrets: Sequence[str] = ()) -> str:
    """``text`` with the known ``secrets``, token shapes, URL passwords and ``NAME=value``
    assignments of credential names masked."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, mask(secret))
    spans = secret_spans(text)
    for start, end, masked in reversed(spans):
        text = text[:start] + masked + text[end:]
    return _mask_assignments(text) if "=" in text and _MASK_NAME_WORDS.search(text) else text


# ``NAME=value`` (also ``--db-password=value``) inside a longer string (a command line, an
# ExecStart). Each ``=`` is found with str.find; the name is read backwards from it (up to
# _MAX_NAME characters, never past the previous ``=``; a longer name is judged by its end, as
# the credential model reads names) and the value forwards (up to the next
# blank, quote or ``=``): every character is read a bounded number of times, whatever the input.
_MAX_NAME = 128
_MASK_NAME_REVERSED = re.compile(r"[A-Za-z0-9_.-]*")
_MASK_VALUE = re.compile(r"[^\s'\"=]+")
# A credential name holds one of these (knowledge/secrets.py): a text without any has none.
_MASK_NAME_WORDS = re.compile(r"(?i)pass|pwd|pw|secret|token|key|salt|credential|auth")


def _mask_assignments(text: str) -> str:
    out: list[str] = []
    copied = 0  # text[:copied] is in out
    floor = 0  # where the name before the next "=" may start
    at = text.find("=")
    while at >= 0:
        low = max(floor, at - _MAX_NAME)
        m = _MASK_NAME_REVERSED.match(text[low:at][::-1])
        start = at - (m.end() if m is not None else 0)
        while start < at and not (text[start].isalpha() or text[start] == "_"):
            start += 1  # "--db-password": the name starts at its first letter
        value = _MASK_VALUE.match(text, at + 1)
        if value is not None and start < at and _is_credential(text[start:at], value.group()):
            out += [text[copied : value.start()], mask(value.group())]
            copied = value.end()
        floor = at + 1
        at = text.find("=", at + 1)
    return "".join(out) + text[copied:] if out else text


def _is_credential(name: str, value: str) -> bool:
    return secret_name(name) is not None and _literal_credential(value, name)
