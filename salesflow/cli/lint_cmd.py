"""`salesflow lint`: review process files and report what a sales-operations lead would."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Optional

import click

if TYPE_CHECKING:
    from ..findings import Finding
    from ..lint.config import Config
    from ..lint.report import Entry, Report
    from ..model import Process
    from ..sources import Chart

from ..lint.formats import FORMATS
from .common import EXIT_ERROR, Run, exit_with, one_input, report, warn


@click.command("lint")
@click.argument("inputs", nargs=-1, metavar="PATH...")
@click.option(
    "-f", "--format", "format_name", type=click.Choice(list(FORMATS)), default=None,
    help="Output format. Default: text, or github when GITHUB_ACTIONS=true.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write the report to this file.")
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    help="Use this configuration file (a .salesflow.toml or pyproject.toml) for every input.",
)
@click.option("--select", multiple=True, metavar="RULES", help="Run only these rules (names, codes or code prefixes, comma-separated).")
@click.option("--ignore", multiple=True, metavar="RULES", help="Do not run these rules (names, codes or code prefixes, comma-separated).")
@click.option(
    "--max-warnings", type=click.IntRange(min=0), default=None, metavar="N",
    help="Exit with 1 when there are more than N warnings.",
)
@click.option("--exit-zero", is_flag=True, help="Exit with 0 even when there are findings (errors in inputs still give 2).")
@click.option("--stdin-filename", default=None, metavar="PATH", help="The path to show, and find the configuration for, when reading -.")
@click.option("--source/--no-source", "show_source", default=None, help="Show the source line under each finding. Default: on a terminal.")
@click.option("--color", type=click.Choice(("auto", "always", "never")), default="auto", show_default=True, help="Colour the text output.")
@click.option("-q", "--quiet", is_flag=True, help="Print the findings only, without the summary line.")
def command(
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
) -> None:
    """Review process files, directories, Markdown files (their mermaid blocks) or - for stdin.

    Prints `path:line:col: CODE severity: message [rule]` for each finding. Exit status: 0 when
    clean, 1 when there are findings at error level (or more warnings than --max-warnings), 2
    when an input, the configuration or the command line cannot be used.

    \b
    Configuration: [tool.salesflow] in pyproject.toml, or .salesflow.toml,
    found above each file: extends, rules, per-file-ignores, exclude.
    `salesflow rules` lists the rules; `salesflow rules NAME` explains one.
    Suppression: a whole-line comment in the chart,
      %% salesflow: disable-next-line=RULE[,RULE…]
      %% salesflow: disable-file=RULE[,RULE…]

    \b
    Examples:
      salesflow lint samples/
      salesflow lint --select missing-owner,SF2 process.flow
      salesflow lint -f sarif -o salesflow.sarif docs/
    """
    from ..errors import SalesflowError
    from ..lint.report import FormatOptions, Report

    if format_name is None:
        format_name = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    try:
        configs = _Configs(config_path, select, ignore)
    except SalesflowError as exc:
        report(exc)
        exit_with(EXIT_ERROR)
        return

    run = Run()
    result = Report()
    if not inputs:
        raise click.UsageError("give at least one process file, directory, Markdown file or - for stdin")
    from ..sources import expand_paths

    paths = list(expand_paths(list(inputs), warn=warn))
    progress = _Progress(len(paths))
    for number, path in enumerate(paths, 1):
        progress.show(number)
        _lint_path(path, stdin_filename, configs, run, result)
    progress.clear()
    searched = [argument for argument in inputs if argument != "-" and os.path.isdir(argument)]
    for config in configs.used.values():
        for message in config.unmatched_patterns(searched, paths):
            warn(message)

    stdout_tty = sys.stdout.isatty() and output is None
    options = FormatOptions(
        color=color == "always" or (color == "auto" and stdout_tty and not os.environ.get("NO_COLOR")),
        show_source=stdout_tty if show_source is None else show_source,
        quiet=quiet,
    )
    from ..lint.formats import render

    text = render(format_name, result, options)
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
        warn(f"{warnings} warnings, more than --max-warnings {max_warnings}")
    exit_with(run.exit_code(findings=failed and not exit_zero))


class _Configs:
    """The configuration for each input: the --config file, or the one found above it (cached)."""

    def __init__(self, config_path: Optional[str], select: tuple[str, ...], ignore: tuple[str, ...]) -> None:
        from ..lint.config import Config, read_config

        self.select, self.ignore = select, ignore
        self.fixed = read_config(config_path) if config_path else None
        # Check --select and --ignore once, before any file is read: a typo is a usage error.
        Config.default().selecting(select, ignore)
        self._adjusted: dict[int, object] = {}
        self.used: dict[int, "Config"] = {}  # each configuration the run used, as read
        self._failed: set[str] = set()

    def for_path(self, path: str):
        from ..lint.config import load_config

        config = self.fixed if self.fixed is not None else load_config(path)
        key = id(config)
        self.used[key] = config
        if key not in self._adjusted:
            self._adjusted[key] = config.selecting(self.select, self.ignore) if (self.select or self.ignore) else config
        return self._adjusted[key]


def _lint_path(path: str, stdin_filename: Optional[str], configs: _Configs, run: Run, result: "Report") -> None:
    from ..errors import ConfigError, SalesflowError
    from ..lint import lint
    from ..lint.report import FileReport
    from ..parse import parse_text
    from ..sources import STDIN, charts_in

    shown = stdin_filename if path == STDIN and stdin_filename else path
    try:
        config = configs.for_path(shown)
    except ConfigError as exc:
        # One broken configuration file is reported once, not once per file under it.
        if str(exc) not in configs._failed:
            configs._failed.add(str(exc))
            run.fail(exc)
        else:
            run.errors += 1
        result.files.append(FileReport(shown, errors=[exc]))
        return
    if path != STDIN and config.excludes(path):
        return
    run.inputs.append(path)
    file_report = FileReport("<stdin>" if path == STDIN and not stdin_filename else shown)
    result.files.append(file_report)
    try:
        charts = charts_in(path)
    except SalesflowError as exc:
        run.fail(exc)
        file_report.errors.append(exc)
        return
    for chart in charts:
        chart_path = shown if path == STDIN and stdin_filename else chart.path
        file_report.charts += 1
        try:
            with one_input(chart_path):
                process = parse_text(chart.text, chart_path, chart.line_offset)
                findings = lint(process, config, source=chart.text)
        except SalesflowError as exc:
            run.fail(exc)
            file_report.errors.append(exc)
            continue
        if findings:
            file_report.entries.extend(_entries(findings, process, chart))


def _entries(findings: list["Finding"], process: "Process", chart: "Chart") -> list["Entry"]:
    """Findings with their Markdown block, edge id, source line and a line-independent anchor."""
    from ..lint.report import Entry

    lines = chart.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    edges = {edge.index: edge for edge in process.edges} if any(f.edge is not None for f in findings) else {}
    entries = []
    for finding in findings:
        at = finding.line - chart.line_offset - 1
        source_line = lines[at] if 0 <= at < len(lines) else None
        edge = edges.get(finding.edge) if finding.edge is not None else None
        if edge is not None:
            anchor = f"edge:{edge.source}->{edge.target}:{edge.label or ''}:{edge.id or ''}"
        elif finding.node:
            anchor = f"node:{finding.node}"
        elif finding.subgraph:
            anchor = f"subgraph:{finding.subgraph}"
        else:
            anchor = f"text:{finding.message}"
        entries.append(Entry(finding, chart.block, edge.id if edge else None, source_line, anchor))
    return entries


class _Progress:
    """A one-line count on a terminal's standard error for long batch runs; silent otherwise."""

    THRESHOLD = 200

    def __init__(self, total: int) -> None:
        self.total = total
        self.enabled = total >= self.THRESHOLD and sys.stderr.isatty()

    def show(self, number: int) -> None:
        if self.enabled and (number % 50 == 0 or number == self.total):
            sys.stderr.write(f"\rlinting {number}/{self.total} files…")
            sys.stderr.flush()

    def clear(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
