"""What `salesflow lint` does with its options: the review of the inputs, the report, the exit status.

Click-free: a `salesflow lint FILE…` that `salesflow.cli.fast_lint` reads runs without loading click.
The two usage errors below load it, and that command line never reaches them (it goes through click).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Optional
    import datetime

from ..i18n import _, n_
from .common import EXIT_ERROR, Run, collect_garbage_at_exit_only, exit_with, no_input, report, warn


def review(
    inputs: tuple[str, ...],
    format_name: Optional[str],
    output: Optional[str],
    config_path: Optional[str],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    max_warnings: Optional[int],
    exit_zero: bool,
    stdin_filename: Optional[str],
    show_source: Optional[bool],
    color: str,
    quiet: bool,
    review_date: Optional[str],
) -> None:
    # First: the rules and the parser are loaded from here on (a process pool's workers inherit this too).
    collect_garbage_at_exit_only()
    from ..errors import SalesflowError
    from ..lint.report import FormatOptions
    from ..lint.runner import Configs, run as lint_run

    today = _review_date(review_date)
    if format_name is None:
        format_name = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    try:
        configs = Configs(config_path, select, ignore)
    except SalesflowError as exc:
        report(exc)
        exit_with(EXIT_ERROR)
        return

    if not inputs and stdin_filename:
        inputs = ("-",)
    if not inputs:
        import click

        raise click.UsageError(no_input())
    stdout_tty = sys.stdout.isatty() and output is None
    progress = _Progress()
    # Each error goes to standard error as it is met, with its source line and caret.
    from ..lint.formats import preparer, run_preparer

    prepare_run = run_preparer(format_name)

    def meanwhile() -> None:
        # What this process does after the review that needs none of its findings, done while
        # a parallel run's workers review files: they take the files it would have in that time.
        if prepare_run is not None:
            prepare_run()
        from .. import output  # noqa: F401  (loaded now: the report is written with it below)

    result = lint_run(
        inputs, configs, stdin_filename=stdin_filename, today=today, on_error=report, on_warning=progress.warn,
        on_file=progress.show, prepare=preparer(format_name), meanwhile=meanwhile,
    )
    progress.clear()

    options = FormatOptions(
        color=color == "always" or (color == "auto" and stdout_tty and not os.environ.get("NO_COLOR")),
        show_source=stdout_tty if show_source is None else show_source,
        quiet=quiet,
        # A text report on standard output would only repeat them; a report file keeps them.
        list_errors=not (format_name == "text" and output is None),
    )
    from ..lint.formats import render

    text = render(format_name, result, options)
    run = Run(errors=1 if result.errors else 0, inputs=result.inputs)
    try:
        if output is None:
            from ..output import write_stdout

            write_stdout(text)
        else:
            from ..output import refuse_input_overwrite, write_atomic

            refuse_input_overwrite(output, run.inputs)
            write_atomic(output, text)
    except SalesflowError as exc:
        run.fail(exc)

    errors, warnings = result.count("error"), result.count("warning")
    failed = errors > 0 or (max_warnings is not None and warnings > max_warnings)
    if failed and max_warnings is not None and not errors and not exit_zero:
        warn(n_("{n} warning, more than --max-warnings {most}", "{n} warnings, more than --max-warnings {most}", warnings, most=max_warnings))
    exit_with(run.exit_code(findings=failed and not exit_zero))


def _review_date(text: Optional[str]) -> Optional["datetime.date"]:
    """`--date` read as a calendar date; None (today) when not given."""
    if text is None:
        return None
    import datetime

    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        import click

        raise click.BadParameter(
            _("{written} is not a date: write it as YYYY-MM-DD, e.g. 2027-03-31", written=repr(text)), param_hint="--date"
        ) from None


class _Progress:
    """A one-line count on a terminal's standard error for long batch runs; silent otherwise."""

    THRESHOLD = 200

    def __init__(self) -> None:
        self.enabled = False

    def show(self, number: int, total: int) -> None:
        if number == 1:
            self.enabled = total >= self.THRESHOLD and sys.stderr.isatty()
        if self.enabled and (number % 50 == 0 or number == total):
            sys.stderr.write("\r" + _("linting {number}/{total} files…", number=number, total=total))
            sys.stderr.flush()

    def clear(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self.enabled = False

    def warn(self, message: str) -> None:
        """A warning on a line of its own, not after the count."""
        self.clear()
        warn(message)
