"""The subcommands: ``dockerlint rules`` and ``dockerlint rule ID``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from dockerlint.cli.args import EXIT_ERROR, EXIT_OK, HelpFormatter
from dockerlint.cli.output import isatty, say, write_text
from dockerlint.util.safetext import json_text, visible


def load_registry(untrusted: Sequence[str] = ()) -> Any:
    from dockerlint.core.registry import load_registry as load

    return load(untrusted)


def cmd_rules(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="dockerlint rules", description="List the registered rules.", formatter_class=HelpFormatter
    )
    p.add_argument("-f", "--format", choices=["text", "json", "markdown", "coverage"], default="text")
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    from dockerlint.reporters import ruledocs

    registry = load_registry()
    render = {
        "json": ruledocs.rules_json,
        "markdown": ruledocs.rules_markdown,
        "coverage": ruledocs.coverage_markdown,
    }.get(args.format, ruledocs.rules_table)
    text = render(registry)  # plugins' rules too: escaped like everything else shown
    write_text(json_text(text) if args.format == "json" else visible(text, keep="\n\t"), None)
    return EXIT_OK


def cmd_rule(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="dockerlint rule",
        formatter_class=HelpFormatter,
        description="Print a rule's documentation (Markdown when piped, formatted on a terminal).",
    )
    p.add_argument("id", help="rule id, e.g. DC101, or its name, e.g. docker-socket-mount")
    p.add_argument("--raw", action="store_true", help="print the Markdown even on a terminal")
    p.add_argument("--no-color", action="store_true", help="no colour on a terminal")
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    from dockerlint.reporters.ruledocs import find_rule, read_doc

    registry = load_registry()
    r = find_rule(registry, args.id)
    if r is None:
        import difflib

        close = difflib.get_close_matches(args.id.upper(), [x.id for x in registry], n=1, cutoff=0.6)
        close += difflib.get_close_matches(args.id.lower(), [x.name for x in registry], n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else ""
        say(f"no rule {args.id!r}{hint} (see 'dockerlint rules')")
        return EXIT_ERROR
    doc = visible(read_doc(r), keep="\n\t")
    if not args.raw and isatty(sys.stdout):
        from dockerlint.util.mdterm import render

        doc = render(doc, color=not args.no_color and "NO_COLOR" not in os.environ)
    write_text(doc, None)
    return EXIT_OK
