"""Output formats for lint results: each is a module with `render(report, options) -> str`."""

from __future__ import annotations

import sys

from ..report import FileReport, FormatOptions, Report

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Callable, Optional

# Adding a format: one module here and one entry below.
FORMATS = {
    "text": "salesflow.lint.formats.text",
    "json": "salesflow.lint.formats.json_format",
    "sarif": "salesflow.lint.formats.sarif",
    "github": "salesflow.lint.formats.github",
    "junit": "salesflow.lint.formats.junit",
}


def render(name: str, report: Report, options: FormatOptions = FormatOptions()) -> str:
    return _module(name).render(report, options)


def preparer(name: str) -> Optional[Callable[[FileReport], None]]:
    """What format `name` can do for each file on its own, before the whole report is put
    together (`prepare_file(file_report)`), or None: a parallel run does it in its workers."""
    return getattr(_module(name), "prepare_file", None)


def run_preparer(name: str) -> Optional[Callable[[], None]]:
    """What format `name` can make ahead of its `render` that no file's findings change
    (`prepare_run()`), or None: a parallel run's own process does it while its workers review files."""
    return getattr(_module(name), "prepare_run", None)


def _module(name: str):
    # Imported by name as importlib.import_module does, without importing importlib (and warnings).
    __import__(FORMATS[name])
    return sys.modules[FORMATS[name]]
