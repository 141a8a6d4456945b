"""``dockerlint server``: a Language Server Protocol server over standard input and output.

Its dependencies (pygls, lsprotocol) come with the ``server`` extra
(``pip install 'dockerlint[server]'``); they are imported here only, when the command runs,
so the linter's own start-up does not change.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

DEFAULT_DEBOUNCE_MS = 50


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dockerlint server",
        description="Serve dockerlint's findings, fixes and rule pages to an editor "
        "(Language Server Protocol over standard input and output).",
    )
    p.add_argument(
        "--debounce-ms",
        type=int,
        default=DEFAULT_DEBOUNCE_MS,
        metavar="MS",
        help=f"wait this long after the last change before linting (default {DEFAULT_DEBOUNCE_MS}; 0: lint at once)",
    )
    return p


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    if args.debounce_ms < 0:
        print("error: --debounce-ms cannot be negative", file=sys.stderr)
        return 2
    try:
        from dockerlint.server.lsp import serve
    except ImportError as exc:
        print(
            f"error: dockerlint server needs the 'server' extra ({exc.name} is missing): "
            "pip install 'dockerlint[server]'",
            file=sys.stderr,
        )
        return 2
    serve(args.debounce_ms / 1000)
    return 0
