"""What the command line writes: the report, the diff, the baseline, one-line notices on
stderr (:func:`say`) and the progress display."""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from dockerlint import __version__
from dockerlint.cli.args import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError
from dockerlint.util.safetext import visible

if TYPE_CHECKING:
    import argparse

    from dockerlint.cli.inputs import Inputs
    from dockerlint.config.settings import Settings
    from dockerlint.core.findings import Result


def write_text(text: str, output: str | None, guarded: Sequence[str] = ()) -> None:
    """Write ``text`` to ``output`` (a file; None or '-': standard output). A symbolic link inside
    one of the ``guarded`` folders (the working directory, the scanned ones) is refused."""
    write_out(lambda out: out.write(text), output, guarded)


def write_out(produce: Callable[[TextIO], object], output: str | None, guarded: Sequence[str] = ()) -> None:
    """Let ``produce`` write text to ``output`` as it goes (a file, written atomically as
    :func:`write_text` writes it, in UTF-8; None or '-': standard output)."""
    if output and output != "-":
        from dockerlint.util.safefiles import WriteRefused, write_report

        try:
            write_report(output, _in_utf8(produce), guarded)
        except WriteRefused as exc:
            raise UsageError(
                f"not writing the report to {output}: {exc}: dockerlint does not write "
                "through links of the tree it lints"
            ) from None
        except OSError as exc:
            raise UsageError(f"cannot write the report to {output}: {exc.strerror or exc}") from None
    else:
        if sys.stdout is None:
            raise UsageError("standard output is closed")
        try:
            produce(sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:  # a full disk, /dev/full, an I/O error
            discard_stdout()
            raise UsageError(f"cannot write the report to standard output: {exc.strerror or exc}") from None


def _in_utf8(produce: Callable[[TextIO], object]) -> Callable[[BinaryIO], None]:
    """A writer of the binary file it is given, encoding what ``produce`` writes as UTF-8 (as
    ``text.encode("utf-8")``: no newline translation, an unencodable character is an error)."""

    def write(binary: BinaryIO) -> None:
        out = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        try:
            produce(out)
            out.flush()
        finally:
            out.detach()  # the caller closes the file

    return write


def discard_stdout() -> None:
    """Point standard output at /dev/null once writing to it failed, so that what is still
    buffered does not fail again (with a traceback) when the interpreter exits."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    os.dup2(devnull, fd)
    os.close(devnull)


def say(message: str) -> None:
    """One line on stderr, ``dockerlint: message``, with every character that is unsafe to
    show escaped (paths and values in it come from the scanned files). A closed or failing
    stderr loses the line, never the run."""
    if sys.stderr is None:
        return
    try:
        sys.stderr.write(f"dockerlint: {visible(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def isatty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False


def tolerant_stdout() -> None:
    """Never fail on a character standard output cannot encode (``PYTHONIOENCODING=ascii``,
    a C locale): write it as a backslash escape instead."""
    out = sys.stdout
    if out is not None and hasattr(out, "reconfigure") and getattr(out, "errors", None) != "backslashreplace":
        try:
            out.reconfigure(errors="backslashreplace")
        except (OSError, ValueError, AttributeError, TypeError):
            pass


@dataclass
class Outcome:
    """The final result of a run, and with ``--diff`` the diff of the fixes."""

    result: Result
    diff: str = ""

    def errors(self, inputs: Inputs) -> bool:
        """Whether the run had errors: a path, a file that could not be read, an internal error."""
        return bool(inputs.errors or self.result.io_errors or self.result.internal_errors)


def working_directory() -> str:
    try:
        return os.getcwd()
    except FileNotFoundError:
        raise UsageError(
            "the working directory no longer exists (it was deleted or moved away); cd to the folder to lint"
        ) from None
    except OSError as exc:
        raise UsageError(f"cannot find the working directory: {exc.strerror or exc}") from None


def write_diff(outcome: Outcome, inputs: Inputs, args: argparse.Namespace) -> int:
    """``--diff``: the fixes as a unified diff; exit 1 if there are any (2 on errors)."""
    write_text(outcome.diff, args.output, inputs.guarded)
    return EXIT_ERROR if outcome.errors(inputs) else (EXIT_FINDINGS if outcome.diff else EXIT_OK)


def write_baseline(outcome: Outcome, inputs: Inputs, args: argparse.Namespace) -> int:
    """``--write-baseline``: record the findings; exit 0 (2 on errors)."""
    from dockerlint import baseline

    try:
        n = baseline.write(args.write_baseline, outcome.result, inputs.guarded)
    except baseline.BaselineError as exc:
        raise UsageError(str(exc)) from None
    say(f"recorded {n} finding{'s' if n != 1 else ''} in {args.write_baseline}")
    return EXIT_ERROR if outcome.errors(inputs) else EXIT_OK


def apply_baseline(outcome: Outcome, args: argparse.Namespace, settings: Settings) -> None:
    """``--baseline``: the findings it records are moved to the suppressed ones."""
    if not args.baseline:
        return
    from dockerlint import baseline

    try:
        baseline.apply(
            outcome.result,
            args.baseline,
            baseline.load(args.baseline, settings.tree, settings.holders, settings.base.max_file_size),
        )
    except baseline.BaselineError as exc:
        raise UsageError(str(exc)) from None


def write_report(
    render: Any, outcome: Outcome, args: argparse.Namespace, inputs: Inputs, registry: Any, cwd: str
) -> None:
    """The report in the chosen format, streamed when the formatter can write
    (``reporters.writer_of``: JSON and SARIF, one finding at a time), else rendered whole."""
    from dockerlint.reporters import ReportContext, writer_of

    color = not args.no_color and not args.output and "NO_COLOR" not in os.environ and isatty(sys.stdout)
    shown = {c.path: data for c in inputs.candidates for a, data in inputs.contents.items() if c.abspath == a}
    # Text layout: grouped with source on a terminal (people), one line per finding when
    # piped or written to a file (programs, grep, editors); --quiet / --show-source decide.
    on_terminal = not args.output and isatty(sys.stdout)
    quiet = args.quiet or (args.show_source is None and not on_terminal)
    ctx = ReportContext(
        registry=registry,
        version=__version__,
        color=color,
        cwd=cwd,
        quiet=quiet,
        statistics=args.statistics,
        show_source=args.show_source is not False,
        show_why=args.show_why,
        sarif_category=args.sarif_category,
        include_suppressed=args.sarif_include_suppressed,
        contents=shown,
    )
    write = writer_of(render)
    if write is not None:
        write_out(lambda out: write(outcome.result, ctx, out), args.output, inputs.guarded)
    else:
        write_text(render(outcome.result, ctx), args.output, inputs.guarded)


# -- progress ----------------------------------------------------------------------


class Progress:
    """``[n/N] path`` on stderr, for long runs on a terminal only: it starts after
    ``delay`` seconds, redraws at most ten times a second and is erased at the end."""

    def __init__(self, stream: TextIO, delay: float = 1.0, clock: Any = time.monotonic) -> None:
        self.stream = stream
        self.delay = delay
        self.clock = clock
        self.start = clock()
        self.last = 0.0
        self.shown = False

    def __call__(self, index: int, total: int, path: str) -> None:
        now = self.clock()
        if now - self.start < self.delay or (self.shown and now - self.last < 0.1 and index != total):
            return
        self.last = now
        text = f"[{index}/{total}] {visible(path)}"
        if len(text) > 78:
            text = text[:37] + "..." + text[-38:]
        self.stream.write("\r\033[K" + text)
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False
