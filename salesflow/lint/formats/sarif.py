"""SARIF 2.1.0 for code scanning: rule metadata, relative URIs, code-point columns, stable fingerprints.

Locations are relative to the working directory (`SRCROOT`), so the same report means the same
thing on any checkout. Each result carries a fingerprint built from the rule, the file and what
the finding is about (a node id, an edge's ends, a lane), not from line numbers: moving a stage
down the file does not make its finding look new. Each error of a file that could not be read is
a result of its own under the rule `SF000` (`parse-error`), which code scanning shows like any
finding, and also a tool execution notification, which marks the run as not fully successful.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from typing import Any, Optional
from urllib.parse import quote

from ...i18n import current, gettext
from ..report import (
    UNREADABLE_CODE,
    UNREADABLE_HELP,
    UNREADABLE_RULE,
    UNREADABLE_SUMMARY,
    Entry,
    FileReport,
    FormatOptions,
    Report,
    error_end_column,
    error_position,
)

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FORMAT = "sarif"  # the name under which `prepare_file` leaves its work in a file's report
_LEVELS = {"error": "error", "warning": "warning", "info": "note", "off": "none"}


@lru_cache(maxsize=4096)
def _uri(path: str) -> tuple[str, Optional[str]]:
    """(uri, uriBaseId) for a path as the user gave it."""
    if path in ("-", "<stdin>"):
        return quote("<stdin>"), None
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.getcwd()) if not path.startswith("<") else path
    if relative.startswith(".."):
        return "file://" + quote(absolute.replace(os.sep, "/")), None
    return quote(relative.replace(os.sep, "/")), "SRCROOT"


def _location(path: str, line: Optional[int], column: Optional[int], end_line=None, end_column=None) -> dict:
    uri, base = _uri(path)
    artifact: dict[str, Any] = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if line:
        region: dict[str, Any] = {"startLine": line}
        if column:
            region["startColumn"] = column
        if end_line and end_line >= line:
            region["endLine"] = end_line
            if end_column and (end_line > line or (column and end_column > column)):
                region["endColumn"] = end_column
        physical["region"] = region
    return {"physicalLocation": physical}


@lru_cache(maxsize=1)
def _rule_index() -> dict[str, int]:
    """Each rule's place in the run's rule descriptors (see `_rules`), by code."""
    from ..rules import all_rules

    index = {UNREADABLE_CODE: 0}
    for position, rule in enumerate(all_rules(), 1):
        index[rule.CODE] = position
    return index


def prepare_run() -> None:
    """The rule descriptors in the run's language, made ahead of `render`: a parallel run's own
    process makes them while its workers review files, rather than after they are done."""
    _rules(current())


@lru_cache(maxsize=None)
def _rules(language: str) -> tuple[list[dict], dict[str, int]]:
    """The run's rule descriptors and each rule's place among them, by code, in `language` (the
    one `gettext` speaks now); kept for the next run in the same language. Read only."""
    from .. import docs
    from ..config import preset_rules
    from ..rules import all_rules

    recommended = preset_rules("recommended")
    descriptors: list[dict] = [
        {
            "id": UNREADABLE_CODE,
            "name": UNREADABLE_RULE,
            "shortDescription": {"text": gettext(UNREADABLE_SUMMARY)},
            "fullDescription": {"text": gettext(UNREADABLE_HELP)},
            "help": {"text": gettext(UNREADABLE_HELP)},
            "defaultConfiguration": {"level": "error", "enabled": True},
            "properties": {"tags": ["salesflow"]},
        }
    ]
    index = {UNREADABLE_CODE: 0}
    for position, rule in enumerate(all_rules(), len(descriptors)):
        parts = docs.sections(rule)
        description = parts["description"].split("\n\n", 1)[0].replace("\n", " ").strip()
        descriptors.append(
            {
                "id": rule.CODE,
                "name": rule.NAME,
                "shortDescription": {"text": docs.summary(rule)},
                "fullDescription": {"text": description or docs.summary(rule)},
                "help": {"text": docs.text(rule)},
                "defaultConfiguration": {
                    "level": _LEVELS[rule.SEVERITY],
                    "enabled": recommended[rule.NAME].severity != "off",
                },
                "properties": {"tags": ["salesflow", rule.THEME]},
            }
        )
        index[rule.CODE] = position
    return descriptors, index


def fingerprint(entry: Entry, occurrence: int) -> str:
    f = entry.finding
    uri, _base = _uri(f.path)
    key = "\x1f".join((f.code, uri, str(entry.block or 0), entry.anchor or f.message, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _encode(value: Any) -> str:
    # Compact: indenting switches json to its pure-Python encoder, several times slower on the
    # thousands of results a repository-wide run produces; SARIF is read by tools, not people.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _entry_results(file_report: FileReport, seen: dict[tuple, int]) -> list[dict]:
    """The results for one file's findings; `seen` counts the findings met so far by what they are
    about, for their fingerprints."""
    index = _rule_index()
    results = []
    for entry in file_report.entries:
        f = entry.finding
        key = (f.code, f.path, entry.block, entry.anchor or f.message)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        location = _location(f.path, f.line, f.column, f.end_line, f.end_column)
        if f.node or f.subgraph:
            location["logicalLocations"] = [{"name": f.node or f.subgraph, "kind": "element"}]
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _LEVELS[f.severity],
            "message": {"text": f.message},
            "locations": [location],
            "partialFingerprints": {"salesflowFinding/v1": fingerprint(entry, occurrence)},
        }
        properties = {k: v for k, v in (("rule", f.rule), ("node", f.node), ("edge", f.edge), ("edgeId", entry.edge_id), ("block", entry.block)) if v is not None}
        result["properties"] = properties
        results.append(result)
    return results


def prepare_file(file_report: FileReport) -> None:
    """The encoded results of one file's findings, made where the file was reviewed (a worker
    process of a parallel run) so that `render` only joins them.

    A finding's fingerprint counts the findings before it about the same thing in the same file,
    so a file's results depend on that file alone; `render` checks that no two files share a path.
    """
    results = _entry_results(file_report, {})
    paths = tuple(dict.fromkeys(entry.finding.path for entry in file_report.entries))
    file_report.prepared[FORMAT] = (paths, ",".join(_encode(result) for result in results))


def _encoded_entry_results(report: Report) -> list[str]:
    """Every file's encoded results, in order: as `prepare_file` left them where every file has
    them and no two files share a path, else made here."""
    prepared = [file_report.prepared.get(FORMAT) for file_report in report.files]
    if all(part is not None or not file_report.entries for part, file_report in zip(prepared, report.files)):
        paths = [path for part in prepared if part is not None for path in part[0]]
        if len(paths) == len(set(paths)):
            return [part[1] for part in prepared if part is not None and part[1]]
    seen: dict[tuple, int] = {}
    encoded = []
    for file_report in report.files:
        results = _entry_results(file_report, seen)
        if results:
            encoded.append(",".join(_encode(result) for result in results))
    return encoded


def render(report: Report, options: FormatOptions) -> str:
    from ... import __version__

    descriptors, index = _rules(current())
    encoded_results = _encoded_entry_results(report)
    results: list[dict] = []
    # Error results are keyed apart from findings' (by uri and message), so they count on their own.
    seen: dict[tuple, int] = {}

    notifications = []
    for file_report in report.files:
        for error in file_report.errors:
            path, line, column, message = error_position(error)
            location = _location(path or file_report.path, line, column, line, error_end_column(error))
            notifications.append({"level": "error", "message": {"text": message}, "locations": [location]})
            uri, _base = _uri(path or file_report.path)
            # Keyed on the message, not the line: the same mistake moved down the file stays one alert.
            key = (UNREADABLE_CODE, uri, message)
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            digest = hashlib.sha256("\x1f".join((*key, str(occurrence))).encode("utf-8")).hexdigest()
            results.append(
                {
                    "ruleId": UNREADABLE_CODE,
                    "ruleIndex": index[UNREADABLE_CODE],
                    "level": "error",
                    "message": {"text": message},
                    "locations": [location],
                    "partialFingerprints": {"salesflowFinding/v1": digest},
                    "properties": {"rule": UNREADABLE_RULE},
                }
            )
    root = os.getcwd().replace(os.sep, "/")
    run = {
        "tool": {"driver": {"name": "salesflow", "version": __version__, "rules": descriptors}},
        "originalUriBaseIds": {"SRCROOT": {"uri": "file://" + quote(root.rstrip("/") + "/")}},
        "columnKind": "unicodeCodePoints",
        "invocations": [
            {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
        ],
        "results": [],
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    # The results, encoded file by file, go in the empty list that ends the document: the bytes
    # are those of encoding the whole document at once.
    text = _encode(document)
    end = "[]}]}"
    assert text.endswith('"results":' + end)
    # Put together in one join: the results are most of the text, and each step of building it
    # piece by piece would copy them all again.
    pieces = [text[: -len(end)], "["]
    for number, result_text in enumerate((*encoded_results, *(_encode(result) for result in results))):
        if number:
            pieces.append(",")
        pieces.append(result_text)
    pieces.append("]}]}\n")
    return "".join(pieces)
