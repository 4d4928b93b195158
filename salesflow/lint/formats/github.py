"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per finding,
and an `::error` for each error of a file that could not be read.

Values are escaped as the runner expects: in the message `%`, CR and LF; in properties (file,
title) also `:` and `,`, which would otherwise end the property. Other control characters from
labels and file names are shown as visible escapes (`\x1b`): the job log is shown in a terminal.
"""

from __future__ import annotations

from ...terminal import visible
from ..report import UNREADABLE_CODE, UNREADABLE_RULE, FormatOptions, Report, error_end_column, error_position

_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: object) -> str:
    props = ",".join(
        f"{key}={escape_property(visible(str(value)))}" for key, value in properties.items() if value is not None
    )
    data = escape_data(visible(message))
    return f"::{level} {props}::{data}" if props else f"::{level}::{data}"


def render(report: Report, options: FormatOptions) -> str:
    out = []
    for file_report in report.files:
        for entry in file_report.entries:
            f = entry.finding
            out.append(
                command(
                    _LEVELS[f.severity],
                    f.message,
                    file=f.path,
                    line=f.line,
                    col=f.column,
                    endLine=f.end_line,
                    endColumn=f.end_column,
                    title=f"{f.code} {f.rule}",
                )
            )
        for error in file_report.errors:
            path, line, column, message = error_position(error)
            out.append(
                command(
                    "error",
                    message,
                    file=path or file_report.path,
                    line=line,
                    col=column,
                    endLine=line,
                    endColumn=error_end_column(error),
                    title=f"{UNREADABLE_CODE} {UNREADABLE_RULE}",
                )
            )
    return "\n".join(out) + "\n" if out else ""
