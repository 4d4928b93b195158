"""What every command shares: reading inputs into charts, reporting errors, exit codes."""

from __future__ import annotations

import sys

from ..errors import SalesflowError
from ..i18n import _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator, Optional


def no_input() -> str:
    """What every command says when it is given nothing to read."""
    return _("give at least one process file, directory, Markdown file or - for stdin")

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

# True when salesflow runs as its own process (`main`), which ends with the command; False when a
# command is invoked from Python (the tests, a program that embeds the CLI), whose process goes on.
EXITS_AFTER_COMMAND = False


def collect_garbage_at_exit_only() -> None:
    """For a command that reads a chart, works on it and exits: stop Python's cyclic garbage
    collector for the rest of the process.

    A large chart's model, a drawing's plan or a JSON document is a great many small objects that
    all live until the command ends, and hold no reference cycles to free: each collection of the
    older generations would walk all of them again (at 50,000 nodes, a tenth of a lint and a
    quarter of a JSON render) and free nothing. Memory is still freed as objects go out of use;
    only cycles would wait for the exit. A process that goes on after the command (the studio,
    a program that embeds the CLI) keeps its collector.
    """
    if EXITS_AFTER_COMMAND:
        import gc

        gc.disable()


def echo_error(message: str) -> None:
    """A line on standard error, exactly as `click.echo(message, err=True)` writes it, without
    loading click for the lines that need none of what it does.

    Click writes a line as it is to a text stream that can encode more than ASCII; it takes out
    terminal escapes when standard error is no terminal, and re-encodes for an ASCII stream. Those
    lines, and a missing stream, go through click itself.
    """
    import codecs
    import io

    stream = sys.stderr
    plain = (
        isinstance(stream, io.TextIOWrapper) and stream.encoding is not None and stream.errors is not None
        and codecs.lookup(stream.encoding).name != "ascii" and "\x1b" not in message and sys.platform != "win32"
    )
    if not plain:
        import click

        click.echo(message, err=True)
        return
    stream.write(message + "\n")
    stream.flush()


def report(error: SalesflowError) -> None:
    echo_error(error.format())


def warn(message: str) -> None:
    from ..terminal import visible

    # Warnings name files, whose names may hold control characters.
    echo_error(visible(message))


class Run:
    """Counts what went wrong across many inputs, so one bad file does not stop the others."""

    def __init__(self, errors: int = 0, inputs: Optional[list[str]] = None) -> None:
        self.errors = errors
        self.inputs: list[str] = [] if inputs is None else inputs

    def charts(self, arguments: tuple[str, ...]) -> Iterator:
        from ..sources import charts_in, expand_paths

        if not arguments:
            import click

            raise click.UsageError(no_input())
        for path in expand_paths(list(arguments), warn=warn):
            self.inputs.append(path)
            try:
                yield from charts_in(path)
            except SalesflowError as exc:
                self.fail(exc)

    def processes(self, arguments: tuple[str, ...]) -> Iterator:
        """(chart, process) for every chart that parses; errors are reported and counted."""
        from ..limits import one_input
        from ..parse import parse_text

        for chart in self.charts(arguments):
            try:
                with one_input(chart.path):
                    process = parse_text(chart.text, chart.path, chart.line_offset)
            except SalesflowError as exc:
                self.fail(exc)
                continue
            yield chart, process

    def fail(self, error: SalesflowError) -> None:
        self.errors += 1
        report(error)

    def exit_code(self, findings: bool = False) -> int:
        if self.errors:
            return EXIT_ERROR
        return EXIT_FINDINGS if findings else EXIT_OK


class OutputNames:
    """File names for the charts' outputs inside one output directory, unique within the run."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        # The next number to try for each name, so that a thousand charts called `a` cost no more than one each.
        self.counters: dict[str, int] = {}

    def name(self, path: str, block: Optional[int], extension: str) -> str:
        import os

        stem = "stdin" if path in ("-", "<stdin>") else os.path.splitext(os.path.basename(path))[0]
        if block is not None:
            stem = f"{stem}-{block}"
        name = stem + extension
        if name in self.taken and path not in ("-", "<stdin>"):
            parent = os.path.dirname(os.path.normpath(path)).replace(os.sep, "-").strip("-.")
            name = f"{parent}-{stem}{extension}" if parent else name
        base = name
        counter = self.counters.get(base, 2)
        while name in self.taken:
            name = f"{os.path.splitext(base)[0]}-{counter}{extension}"
            counter += 1
        self.counters[base] = counter
        self.taken.add(name)
        return name


def exit_with(code: int) -> None:
    sys.exit(code)
