"""Human-readable output: `path:line:col: CODE severity: message [rule]`, an excerpt, a summary.

Paths, messages and source lines are shown with control characters escaped (`\\x1b`, `\\n`), so a
label or a file name can neither drive the terminal nor fake a line of the report.
"""

from __future__ import annotations

from ...findings import severity_word
from ...i18n import _, n_
from ...terminal import excerpt, visible
from ..report import FormatOptions, Report

_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def render(report: Report, options: FormatOptions) -> str:
    def style(text: str, **kwargs) -> str:
        if not options.color:
            return text
        import click  # only for colours: a report without them does without click's start-up

        return click.style(text, **kwargs)

    out: list[str] = []
    for file_report in report.files:
        if options.list_errors:
            for error in file_report.errors:
                formatted = error.format().split("\n")
                out.extend(formatted if options.show_source else formatted[:1])
        for entry in file_report.entries:
            f = entry.finding
            where = style(visible(f"{f.path}:{f.line}:{f.column}:"), bold=True)
            severity = style(f"{severity_word(f.severity)}:", fg=_COLOURS.get(f.severity), bold=True)
            out.append(f"{where} {style(f.code, bold=True)} {severity} {visible(f.message)} {style(f'[{f.rule}]', dim=True)}")
            if options.show_source and entry.source_line is not None:
                width = f.end_column - f.column if f.end_line == f.line and f.end_column > f.column else 1
                shown, caret = excerpt(entry.source_line, f.column, width)
                out.append(f"    {shown}")
                out.append("    " + style(caret, fg=_COLOURS.get(f.severity)))
    if not options.quiet:
        out.append(summary(report))
    return "\n".join(out) + "\n" if out else ""


def _severities(report: Report) -> str:
    counts = {
        "error": lambda n: n_("{n} error", "{n} errors", n),
        "warning": lambda n: n_("{n} warning", "{n} warnings", n),
        "info": lambda n: n_("{n} info", "{n} infos", n),
    }
    return _(", ").join(counted(n) for name, counted in counts.items() if (n := report.count(name)))


def summary(report: Report) -> str:
    """One line: what was found, and what could not be read; never "No problems" when a file was
    not read, since then it was not checked. Each count is a sentence of its own in the catalog,
    so that every language words its plurals its own way."""
    files = len(report.files)
    unreadable = report.unreadable
    with_findings = sum(1 for r in report.files if r.entries)
    total = len(report.entries)
    if total:
        found = n_(
            "{n} problem ({severities}) in {with_findings} of {files}",
            "{n} problems ({severities}) in {with_findings} of {files}",
            total, severities=_severities(report), with_findings=with_findings,
            files=n_("{n} file", "{n} files", files),
        )
    if not unreadable:
        if total:
            return _("Found {found}.", found=found)
        return n_("No problems found in {n} file.", "No problems found in {n} files.", files)
    head = n_("{n} file could not be read", "{n} files could not be read", unreadable)
    if total:
        return _("{head}; found {found}.", head=head, found=found)
    others = files - unreadable
    if not others:
        return _("{head}.", head=head)
    return n_(
        "{head}; no problems found in the other file.", "{head}; no problems found in the other {n} files.",
        others, head=head,
    )
