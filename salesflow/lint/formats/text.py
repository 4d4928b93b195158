"""Human-readable output: `path:line:col: CODE severity: message [rule]`, an excerpt, a summary."""

from __future__ import annotations

from ...textwidth import caret_line
from ..report import FormatOptions, Report

_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def render(report: Report, options: FormatOptions) -> str:
    import click

    def style(text: str, **kwargs) -> str:
        return click.style(text, **kwargs) if options.color else text

    out: list[str] = []
    for file_report in report.files:
        for entry in file_report.entries:
            f = entry.finding
            where = style(f"{f.path}:{f.line}:{f.column}:", bold=True)
            severity = style(f"{f.severity}:", fg=_COLOURS.get(f.severity), bold=True)
            out.append(f"{where} {style(f.code, bold=True)} {severity} {f.message} {style(f'[{f.rule}]', dim=True)}")
            if options.show_source and entry.source_line is not None:
                shown = entry.source_line.replace("\t", " ")
                width = f.end_column - f.column if f.end_line == f.line and f.end_column > f.column else 1
                out.append(f"    {shown}")
                out.append("    " + style(caret_line(shown, f.column, width), fg=_COLOURS.get(f.severity)))
    if not options.quiet:
        out.append(summary(report))
    return "\n".join(out) + "\n" if out else ""


def summary(report: Report) -> str:
    files = len(report.files)
    unreadable = sum(1 for r in report.files if r.errors)
    with_findings = sum(1 for r in report.files if r.entries)
    total = len(report.entries)
    checked = f"{files} file{'s' if files != 1 else ''}"
    tail = f"; {unreadable} could not be read" if unreadable else ""
    if not total:
        return f"No problems found in {checked}{tail}."
    counts = [
        f"{n} {name}{'s' if n != 1 else ''}"
        for name in ("error", "warning", "info")
        if (n := report.count(name))
    ]
    return (
        f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(counts)}) in {with_findings} of "
        f"{checked}{tail}."
    )
