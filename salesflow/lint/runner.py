"""One lint run over many inputs, as a plain function: the `lint` command only reads its options,
prints and chooses the exit code. `salesflow.lint.run` is its public face.

    from salesflow.lint import run

    report = run(["samples/"])
    for entry in report.entries:
        print(entry.finding.path, entry.finding.line, entry.finding.message)
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Callable, Iterable, Optional, Union
    import datetime

    from ..errors import SalesflowError
    from ..findings import Finding
    from ..model import Process
    from ..sources import Chart
    from .config import Config
    from .report import Entry, FileReport, Report


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
    prepare: Optional[Callable[["FileReport"], None]] = None,
    meanwhile: Optional[Callable[[], None]] = None,
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
    `prepare(file_report)`, if given, is an output format's work on each file's findings (see
    `formats.preparer`), done by the processes of a parallel run as they review the files.
    `meanwhile()`, if given, is the caller's own work that needs no file's findings (an output
    format's `prepare_run`): a parallel run does it in this process while the other processes
    review files; a run in one process does not call it.
    """
    from ..sources import STDIN, expand_paths

    configs = config if isinstance(config, Configs) else Configs(config, tuple(select), tuple(ignore))
    arguments = [paths] if isinstance(paths, str) else list(paths)
    files = list(expand_paths(arguments, warn=on_warning))
    report = lint_paths(
        files, configs, stdin_filename, on_error=on_error, on_file=lambda number: on_file(number, len(files)), today=today,
        prepare=prepare, meanwhile=meanwhile,
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
    prepare: Optional[Callable[["FileReport"], None]] = None,
    meanwhile: Optional[Callable[[], None]] = None,
) -> "Report":
    """Review every file of `paths` (already expanded: files, Markdown files or `-`).

    A file that cannot be read, or a chart with syntax errors, is recorded in the report with each
    of its errors, and the others are still reviewed; `on_error` hears of each such error once (a
    broken configuration file, once for all the files under it). `on_file` counts files, for progress.
    `today` is the day the review is made as of (goals whose date has passed); None for today.
    `prepare` is an output format's work on each file, and `meanwhile` the caller's own work that
    a parallel run does while its workers review files (see `run`).
    """
    from .report import Report

    run = _Run(configs, Report(), on_error, set(), today, stdin_filename)
    paths = list(paths)
    processes = _worker_count(paths)
    if processes > 1:
        _lint_in_parallel(paths, processes, run, on_file, prepare, meanwhile)
        return run.report
    for number, path in enumerate(paths, 1):
        on_file(number)
        _lint_path(path, run)
    return run.report


class _Run:
    """What the files of one run share: the configurations, the report they are added to, who
    hears of errors, the broken configuration files already reported, the day of the review."""

    __slots__ = ("configs", "report", "on_error", "failed_configs", "today", "stdin_filename")

    def __init__(
        self,
        configs: Configs,
        report: "Report",
        on_error: Callable[["SalesflowError"], None],
        failed_configs: set[str],
        today: Optional["datetime.date"],
        stdin_filename: Optional[str] = None,
    ) -> None:
        self.configs = configs
        self.report = report
        self.on_error = on_error
        self.failed_configs = failed_configs
        self.today = today
        self.stdin_filename = stdin_filename


# Past this many files a run is shared among processes, one per CPU: below it, starting the
# workers costs more than they save.
PARALLEL_FROM_FILES = 64
_CHUNK = 1  # files per task at the end of a run: one, so that the processes finish within a file of each other
_LARGEST_CHUNK = 32  # files per task at most (more only for a run of hundreds of thousands of files)
_SHARES = 4  # a task takes at most this share (1/_SHARES) of what is left per process


def _worker_count(paths: list[str]) -> int:
    """How many processes should review `paths`: 1 (this one) unless there are many files, more
    than one CPU, and it is safe to fork (a process with other threads may not)."""
    import sys

    from ..sources import STDIN

    if len(paths) < PARALLEL_FROM_FILES or STDIN in paths:
        return 1
    import threading  # only now: a run of a few files does without it

    if threading.active_count() > 1:
        return 1
    # Forking is what makes the workers cheap (they inherit the loaded rules and parser); it is
    # safe on Linux, and macOS system libraries may break in a forked child.
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 1
    return min(cpus, len(paths) // _CHUNK)


def _chunks(paths: list[str], processes: int) -> list[list[str]]:
    """`paths` cut into tasks for `processes` processes, in order: up to `_LARGEST_CHUNK` files
    while there is plenty left to balance the processes with, smaller towards the end, down to
    `_CHUNK`, so that they finish together."""
    from .pool import MOST_TASKS

    largest = max(_LARGEST_CHUNK, -(-len(paths) // (MOST_TASKS // 2)))
    chunks = []
    start = 0
    while start < len(paths):
        size = max(_CHUNK, min(largest, (len(paths) - start) // (processes * _SHARES)))
        chunks.append(paths[start : start + size])
        start += size
    return chunks


def _lint_in_parallel(
    paths: list[str],
    processes: int,
    run: _Run,
    on_file: Callable[[int], None],
    prepare: Optional[Callable[["FileReport"], None]],
    meanwhile: Optional[Callable[[], None]] = None,
) -> None:
    """Review `paths` in `processes` processes, this one included, and put together the same
    report, in the same order, with the same `on_error` calls, as one process would; each process
    does `prepare` (an output format's work, see `run`) for the files it reviewed, and this one
    does `meanwhile` too."""
    from ..errors import ConfigError

    from .pool import share
    from .rules import all_rules

    # This process reviews the first file itself before forking: that loads the parser, the rules
    # and what they load or compile on first use once, here, and every worker inherits them instead
    # of loading its own (the report's formats need the rules here afterwards anyway).
    all_rules()
    on_file(1)
    _lint_path(paths[0], run)
    if prepare is not None:
        for file_report in run.report.files:
            prepare(file_report)
    configs, today = run.configs, run.today
    files_done = 1

    def lint_chunk(chunk: list[str], between: Callable[[], None]) -> list[tuple["Report", list["SalesflowError"]]]:
        return _lint_chunk(chunk, configs, today, prepare, between)

    def count(parts: list) -> None:
        nonlocal files_done
        for _part in parts:
            files_done += 1
            on_file(files_done)

    chunks = share(_chunks(paths[1:], processes), processes, lint_chunk, _pack_parts, _unpack_parts, count, meanwhile)
    report, failed_configs = run.report, run.failed_configs
    for parts in chunks:
        for part, errors in parts:
            for error in errors:
                # As in one process: a broken configuration file is reported once for all its files.
                if isinstance(error, ConfigError):
                    if str(error) in failed_configs:
                        continue
                    failed_configs.add(str(error))
                run.on_error(error)
            report.files.extend(part.files)
            report.inputs.extend(part.inputs)
    # The run's warnings about unused patterns need to know each configuration the files used.
    # A file's configuration is the one found above its folder (or the one given for all), so one
    # file per folder tells them all.
    if run.configs.fixed is None:
        first_in_folder: dict[str, str] = {}
        for path in paths:
            first_in_folder.setdefault(os.path.dirname(path), path)
        for path in first_in_folder.values():
            try:
                run.configs.for_path(path)
            except ConfigError:
                pass


def _lint_chunk(
    paths: list[str],
    configs: Configs,
    today: Optional["datetime.date"],
    prepare: Optional[Callable[["FileReport"], None]],
    between: Callable[[], None],
) -> list[tuple["Report", list["SalesflowError"]]]:
    """Each path's part of the report and the errors it met, in order, each file `prepare`d;
    `between()` after each file. A broken configuration file is in the errors of every file under
    it: the parts are put together in order, and the first one reports it."""
    from .report import Report

    parts = []
    for path in paths:
        part, errors = Report(), []
        _lint_path(path, _Run(configs, part, errors.append, set(), today))
        if prepare is not None:
            for file_report in part.files:
                prepare(file_report)
        parts.append((part, errors))
        between()
    return parts


# A worker's part of the report crosses to the process that prints as tuples of plain values, not
# as objects: pickle rebuilds an object field by field through Python code, and the one process
# that takes in every worker's findings, and reviews files too, would spend its time on that.


def _pack_parts(parts: list[tuple["Report", list["SalesflowError"]]]) -> list[tuple]:
    """`_lint_chunk`'s parts as tuples: for each, the inputs read, the file reports (the
    entries' findings as tuples too) and the errors met."""
    from operator import attrgetter

    from ..findings import Finding

    fields = attrgetter(*Finding._field_names)
    return [
        (
            part.inputs,
            [
                (
                    file_report.path,
                    # An entry is a named tuple: the finding first, then what the run knows about it.
                    [(fields(entry.finding), *entry[1:]) for entry in file_report.entries],
                    file_report.errors,
                    file_report.charts,
                    file_report.prepared,
                )
                for file_report in part.files
            ],
            errors,
        )
        for part, errors in parts
    ]


def _unpack_parts(packed: list[tuple]) -> list[tuple["Report", list["SalesflowError"]]]:
    """The parts `_pack_parts` packed, rebuilt."""
    from ..findings import Finding
    from .report import Entry, FileReport, Report

    parts = []
    for inputs, file_reports, errors in packed:
        files = [
            FileReport(path, [Entry(Finding(*finding), *rest) for finding, *rest in entries], file_errors, charts, prepared)
            for path, entries, file_errors, charts, prepared in file_reports
        ]
        parts.append((Report(files, inputs), errors))
    return parts


def _lint_path(path: str, run: _Run) -> None:
    from ..errors import ConfigError, SalesflowError
    from ..limits import one_input
    from ..parse import parse_text
    from ..sources import STDIN, charts_in
    from . import lint
    from .report import FileReport

    stdin_filename, report, on_error = run.stdin_filename, run.report, run.on_error
    shown = stdin_filename if path == STDIN and stdin_filename else path
    try:
        config = run.configs.for_path(shown)
    except ConfigError as exc:
        # One broken configuration file is reported once, not once per file under it.
        if str(exc) not in run.failed_configs:
            run.failed_configs.add(str(exc))
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
                findings = lint(process, config, source=chart.text, today=run.today)
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
