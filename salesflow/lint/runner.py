"""One lint run over many inputs, as a plain function: the `lint` command only reads its options,
prints and chooses the exit code. `salesflow.lint.run` is its public face.

    from salesflow.lint import run

    report = run(["samples/"])
    for entry in report.entries:
        print(entry.finding.path, entry.finding.line, entry.finding.message)
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Callable, Iterable, Optional, Union

if TYPE_CHECKING:
    import datetime

    from ..errors import SalesflowError
    from ..findings import Finding
    from ..model import Process
    from ..sources import Chart
    from .config import Config
    from .report import Entry, Report


def _ignore(_message: object) -> None:
    pass


def run(
    paths: Iterable[str],
    config: Union[str, "Config", "Configs", None] = None,
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    today: Optional["datetime.date"] = None,
    stdin_filename: Optional[str] = None,
    on_error: Callable[["SalesflowError"], None] = _ignore,
    on_warning: Callable[[str], None] = _ignore,
    on_file: Callable[[int, int], None] = lambda number, total: None,
) -> "Report":
    """Review process files, directories (their chart files, recursively), Markdown files (their
    mermaid blocks) or `-` (standard input), as `salesflow lint` does.

    `config` is a configuration file's path, a `Config`, or None for each file's own configuration
    (found above it; the `recommended` preset where there is none). `select` and `ignore` name
    rules (names, codes, code prefixes) as --select and --ignore do; a name that is not a rule is
    a `ConfigError`, raised before any file is read. Files that cannot be read are in the report
    with their errors, and `on_error` hears of each as it is met; `on_warning` hears of skipped
    files and of `exclude`/`per-file-ignores` patterns that match nothing; `on_file(number,
    total)` counts files, for progress. `today` is the day goals' dates are judged against.
    """
    from ..sources import STDIN, expand_paths

    configs = config if isinstance(config, Configs) else Configs(config, tuple(select), tuple(ignore))
    arguments = [paths] if isinstance(paths, str) else list(paths)
    files = list(expand_paths(arguments, warn=on_warning))
    report = lint_paths(
        files, configs, stdin_filename, on_error=on_error, on_file=lambda number: on_file(number, len(files)), today=today
    )
    searched = [argument for argument in arguments if argument != STDIN and os.path.isdir(argument)]
    for used in configs.used.values():
        for message in used.unmatched_patterns(searched, files):
            on_warning(message)
    return report


class Configs:
    """The configuration for each input: a fixed file, or the one found above it (cached), with
    --select and --ignore applied."""

    def __init__(
        self, config: Union[str, "Config", None] = None, select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()
    ) -> None:
        from .config import Config, read_config

        self.select, self.ignore = select, ignore
        # A path names a configuration file; a Config is used as it is.
        self.fixed = read_config(config) if isinstance(config, str) and config else config or None
        # Check --select and --ignore once, before any file is read: a typo is a usage error.
        Config.default().selecting(select, ignore)
        self._adjusted: dict[int, object] = {}
        self.used: dict[int, "Config"] = {}  # each configuration the run used, as read

    def for_path(self, path: str):
        from .config import load_config

        config = self.fixed if self.fixed is not None else load_config(path)
        key = id(config)
        self.used[key] = config
        if key not in self._adjusted:
            self._adjusted[key] = config.selecting(self.select, self.ignore) if (self.select or self.ignore) else config
        return self._adjusted[key]


def lint_paths(
    paths: Iterable[str],
    configs: Configs,
    stdin_filename: Optional[str] = None,
    on_error: Callable[["SalesflowError"], None] = lambda error: None,
    on_file: Callable[[int], None] = lambda number: None,
    today: Optional["datetime.date"] = None,
) -> "Report":
    """Review every file of `paths` (already expanded: files, Markdown files or `-`).

    A file that cannot be read, or a chart with syntax errors, is recorded in the report with each
    of its errors, and the others are still reviewed; `on_error` hears of each such error once (a
    broken configuration file, once for all the files under it). `on_file` counts files, for progress.
    `today` is the day the review is made as of (goals whose date has passed); None for today.
    """
    from .report import Report

    report = Report()
    failed_configs: set[str] = set()
    for number, path in enumerate(paths, 1):
        on_file(number)
        _lint_path(path, stdin_filename, configs, report, on_error, failed_configs, today)
    return report


def _lint_path(
    path: str,
    stdin_filename: Optional[str],
    configs: Configs,
    report: "Report",
    on_error: Callable[["SalesflowError"], None],
    failed_configs: set[str],
    today: Optional["datetime.date"] = None,
) -> None:
    from ..errors import ConfigError, SalesflowError
    from ..limits import one_input
    from ..parse import parse_text
    from ..sources import STDIN, charts_in
    from . import lint
    from .report import FileReport

    shown = stdin_filename if path == STDIN and stdin_filename else path
    try:
        config = configs.for_path(shown)
    except ConfigError as exc:
        # One broken configuration file is reported once, not once per file under it.
        if str(exc) not in failed_configs:
            failed_configs.add(str(exc))
            on_error(exc)
        report.files.append(FileReport(shown, errors=[exc]))
        return
    if path != STDIN and config.excludes(path):
        return
    report.inputs.append(path)
    file_report = FileReport("<stdin>" if path == STDIN and not stdin_filename else shown)
    report.files.append(file_report)
    try:
        charts = charts_in(path, stdin_filename)
    except SalesflowError as exc:
        on_error(exc)
        file_report.errors.extend(exc.each())
        return
    for chart in charts:
        chart_path = shown if path == STDIN and stdin_filename else chart.path
        file_report.charts += 1
        try:
            with one_input(chart_path):
                process = parse_text(chart.text, chart_path, chart.line_offset)
                findings = lint(process, config, source=chart.text, today=today)
        except SalesflowError as exc:
            on_error(exc)
            file_report.errors.extend(exc.each())
            continue
        if findings:
            file_report.entries.extend(_entries(findings, process, chart))


def _entries(findings: list["Finding"], process: "Process", chart: "Chart") -> list["Entry"]:
    """Findings with their Markdown block, edge id, source line and a line-independent anchor."""
    from .report import Entry

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
