"""Output formats for lint results: each is a module with `render(report, options) -> str`."""

from __future__ import annotations

from importlib import import_module

from ..report import FormatOptions, Report

# Adding a format: one module here and one entry below.
FORMATS = {
    "text": "salesflow.lint.formats.text",
    "json": "salesflow.lint.formats.json_format",
    "sarif": "salesflow.lint.formats.sarif",
    "github": "salesflow.lint.formats.github",
    "junit": "salesflow.lint.formats.junit",
}


def render(name: str, report: Report, options: FormatOptions = FormatOptions()) -> str:
    return import_module(FORMATS[name]).render(report, options)
