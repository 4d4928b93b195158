"""Human-readable output: `path:line:col: CODE severity: message [rule]`, an excerpt, a summary.

Paths, messages and source lines are shown with control characters escaped (`\\x1b`, `\\n`), so a
label or a file name can neither drive the terminal nor fake a line of the report.
"""

from __future__ import annotations

from ...terminal import excerpt, visible
from ..report import FormatOptions, Report

_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def render(report: Report, options: FormatOptions) -> str:
    import click

    def style(text: str, **kwargs) -> str:
        return click.style(text, **kwargs) if options.color else text

    out: list[str] = []
    for file_report in report.files:
        if options.list_errors:
            for error in file_report.errors:
                formatted = error.format().split("\n")
                out.extend(formatted if options.show_source else formatted[:1])
        for entry in file_report.entries:
            f = entry.finding
            where = style(visible(f"{f.path}:{f.line}:{f.column}:"), bold=True)
            severity = style(f"{f.severity}:", fg=_COLOURS.get(f.severity), bold=True)
            out.append(f"{where} {style(f.code, bold=True)} {severity} {visible(f.message)} {style(f'[{f.rule}]', dim=True)}")
            if options.show_source and entry.source_line is not None:
                width = f.end_column - f.column if f.end_line == f.line and f.end_column > f.column else 1
                shown, caret = excerpt(entry.source_line, f.column, width)
                out.append(f"    {shown}")
                out.append("    " + style(caret, fg=_COLOURS.get(f.severity)))
    if not options.quiet:
        out.append(summary(report))
    return "\n".join(out) + "\n" if out else ""


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'s' if n != 1 else ''}"


def summary(report: Report) -> str:
    """One line: what was found, and what could not be read; never "No problems" when a file was
    not read, since then it was not checked."""
    files = len(report.files)
    unreadable = report.unreadable
    with_findings = sum(1 for r in report.files if r.entries)
    total = len(report.entries)
    if total:
        counts = [_count(n, name) for name in ("error", "warning", "info") if (n := report.count(name))]
        found = f"{_count(total, 'problem')} ({', '.join(counts)}) in {with_findings} of {_count(files, 'file')}"
    if not unreadable:
        return f"Found {found}." if total else f"No problems found in {_count(files, 'file')}."
    head = f"{_count(unreadable, 'file')} could not be read"
    if total:
        return f"{head}; found {found}."
    others = files - unreadable
    if not others:
        return f"{head}."
    return f"{head}; no problems found in the other {_count(others, 'file') if others > 1 else 'file'}."
