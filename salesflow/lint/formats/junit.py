"""JUnit XML: one test case per file; errors fail it, warnings and notes are listed in its output."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ...findings import severity_word
from ...i18n import n_
from ...regex_cache import compiled
from ..report import FormatOptions, Report, error_position

# Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML = compiled("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render(report: Report, options: FormatOptions) -> str:
    tests = len(report.files)
    failures = sum(1 for r in report.files if not r.errors and any(e.finding.severity == "error" for e in r.entries))
    errors = sum(1 for r in report.files if r.errors)
    suites = ET.Element("testsuites", name="salesflow lint", tests=str(tests), failures=str(failures), errors=str(errors))
    suite = ET.SubElement(
        suites, "testsuite", name="salesflow lint", tests=str(tests), failures=str(failures), errors=str(errors), skipped="0"
    )
    for file_report in report.files:
        case = ET.SubElement(suite, "testcase", classname="salesflow.lint", name=_clean(file_report.path), file=_clean(file_report.path))
        lines = [
            f"{e.finding.path}:{e.finding.line}:{e.finding.column}: {e.finding.code} {severity_word(e.finding.severity)}: "
            f"{e.finding.message} [{e.finding.rule}]"
            for e in file_report.entries
        ]
        if file_report.errors:
            messages = []
            for error in file_report.errors:
                path, line, column, message = error_position(error)
                place = ":".join(str(p) for p in (path or file_report.path, line, column) if p is not None)
                messages.append(f"{place}: {severity_word('error')}: {message}")
            node = ET.SubElement(case, "error", message=_clean(messages[0]), type="unreadable")
            node.text = _clean("\n".join(messages))
        else:
            failing = [e for e in file_report.entries if e.finding.severity == "error"]
            if failing:
                count = len(failing)
                node = ET.SubElement(
                    case, "failure", type="lint",
                    message=n_("{n} error found by salesflow lint", "{n} errors found by salesflow lint", count),
                )
                node.text = _clean("\n".join(lines))
        if lines:
            ET.SubElement(case, "system-out").text = _clean("\n".join(lines))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
