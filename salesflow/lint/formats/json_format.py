"""JSON output: a list of findings, one object per line, in file and line order.

Each error of a file that could not be read comes first among its file's items, as a problem with
the code `SF000` (`parse-error`) and severity `error`.
"""

from __future__ import annotations

import json

from ..report import UNREADABLE_CODE, UNREADABLE_RULE, FormatOptions, Report, error_end_column, error_position


def render(report: Report, options: FormatOptions) -> str:
    items = []
    for file_report in report.files:
        for error in file_report.errors:
            path, line, column, message = error_position(error)
            items.append(
                {
                    "file": path or file_report.path,
                    "line": line,
                    "column": column,
                    "end_line": line,
                    "end_column": error_end_column(error),
                    "code": UNREADABLE_CODE,
                    "rule": UNREADABLE_RULE,
                    "severity": "error",
                    "message": message,
                    "node": None,
                    "edge": None,
                    "edge_id": None,
                    "subgraph": None,
                    "related": [],
                    "block": None,
                }
            )
        for entry in file_report.entries:
            f = entry.finding
            items.append(
                {
                    "file": f.path,
                    "line": f.line,
                    "column": f.column,
                    "end_line": f.end_line,
                    "end_column": f.end_column,
                    "code": f.code,
                    "rule": f.rule,
                    "severity": f.severity,
                    "message": f.message,
                    "node": f.node,
                    "edge": f.edge,
                    "edge_id": entry.edge_id,
                    "subgraph": f.subgraph,
                    "related": list(f.related),
                    "block": entry.block,
                }
            )
    # One finding per line: easy to read and to grep, and each line is encoded by json's fast
    # C encoder (indenting the whole list would use the pure-Python one).
    if not items:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(item, ensure_ascii=False) for item in items) + "\n]\n"
