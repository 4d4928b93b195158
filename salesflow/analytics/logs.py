"""A stage-history log read into DuckDB as one table: `events(row, case_id, stage, ts, owner)`.

CSV (any delimiter DuckDB's sniffer finds; `-` reads standard input) and Parquet are read by
DuckDB directly; XES through `xes.py`. `row` numbers the log's records from 1 as the file holds
them (for a CSV, line `row + 1`, below the header), so a problem can be pointed at. Times are
read as ISO 8601 (with or without an offset; offsets are turned into UTC), `MM/DD/YYYY`,
`DD.MM.YYYY` (each with an optional time), or Unix seconds or milliseconds; a Parquet or
XES timestamp is taken as it is. A record without a time cannot be placed and is left out,
counted; one whose time does not read stops the run, naming its row.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Optional

from ..i18n import N_, _
from . import AnalysisError
from .adapters import LAYOUTS, date_entered_columns, stage_filter
from .columns import find, listing, quoted

MESSAGES = {
    "bad_time": N_("{path}: {where}: `{value}` is not a time (write e.g. 2026-01-05, 2026-01-05 09:30 or "
                "2026-01-05T09:30:00Z){more}"),
    "more_bad": N_("; {count} more rows like it"),
    "line": N_("line {line}"),
    "row": N_("row {row}"),
    "unreadable": N_("{path}: cannot read the log: {problem}"),
    "missing_file": N_("{path}: no such file"),
    "empty": N_("{path}: the log is empty"),
    "hubspot_case": N_("{path}: the HubSpot deals export needs a Record ID column; the columns are: {found}"),
}

_FORMATS = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%m/%d/%Y", "%d.%m.%Y %H:%M:%S",
            "%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")


@dataclass
class Columns:
    case: Optional[str] = None
    stage: Optional[str] = None
    time: Optional[str] = None
    owner: Optional[str] = None


@dataclass
class LoadReport:
    path: str
    kind: str  # csv, parquet, xes
    records: int = 0
    without_time: int = 0
    without_case_or_stage: int = 0
    columns: dict = field(default_factory=dict)  # role → column used
    has_owner: bool = False


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def kind_of(path: str) -> str:
    lower = path.lower()
    if lower.endswith((".parquet", ".pq")):
        return "parquet"
    if lower.endswith((".xes", ".xes.gz")):
        return "xes"
    return "csv"


ROW = "salesflow_record"  # the record number column of `raw`, counted from 0 in the file's order


def load(con, path: str, layout: str = "generic", given: Optional[Columns] = None) -> LoadReport:
    """Read the log at `path` into the table `events`; what was read and left out."""
    duckdb = sys.modules["duckdb"]
    given = given or Columns()
    kind = kind_of(path)
    report = LoadReport(path, kind)
    source = path
    cleanup = []
    try:
        if path == "-":
            handle = tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False)
            handle.write(sys.stdin.buffer.read())
            handle.close()
            source = handle.name
            cleanup.append(source)
        elif not os.path.exists(path):
            raise AnalysisError(_(MESSAGES["missing_file"], path=path))
        if os.path.getsize(source) == 0:
            raise AnalysisError(_(MESSAGES["empty"], path=path))
        if kind == "xes":
            from .xes import to_csv

            handle = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8", newline="")
            cleanup.append(handle.name)
            with handle:
                to_csv(path, handle)
            source = handle.name
        try:
            # A view, not a table: the file is read once, by the query that picks the columns.
            # DuckDB keeps a scan's rows in file order, so row_number() numbers the records.
            if kind == "parquet":
                reader = f"read_parquet({literal(source)}, file_row_number = true)"
                con.execute(f"CREATE VIEW raw AS SELECT * EXCLUDE (file_row_number), file_row_number AS {ROW} "
                            f"FROM {reader}")
            else:
                # A short row (a trailing empty cell left out) reads as empty cells, not as a broken file.
                reader = f"read_csv({literal(source)}, all_varchar = true, header = true, null_padding = true)"
                con.execute(f"CREATE VIEW raw AS SELECT *, row_number() OVER () - 1 AS {ROW} FROM {reader}")
            described = con.execute("DESCRIBE raw").fetchall()
        except duckdb.Error as exc:
            raise _unreadable(path, exc) from None
        columns = [row[0] for row in described if row[0] != ROW]
        types = {row[0]: row[1] for row in described}
        if not columns:
            raise AnalysisError(_(MESSAGES["empty"], path=path))
        selection = _selection(path, layout, columns, types, given, report)
        try:
            _parse_times(con, path, kind, selection, report)
        except duckdb.Error as exc:
            raise _unreadable(path, exc) from None
        con.execute("DROP VIEW raw")
    finally:
        for name in cleanup:
            try:
                os.unlink(name)
            except OSError:
                pass
    return report


def _unreadable(path: str, exc: Exception) -> AnalysisError:
    problem = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return AnalysisError(_(MESSAGES["unreadable"], path=path, problem=problem))


def _selection(path: str, layout: str, columns: list[str], types: dict, given: Columns,
               report: LoadReport) -> str:
    """SQL picking (row, case_id, stage, t, owner) out of `raw` for the layout."""
    names = LAYOUTS[layout]
    wide = date_entered_columns(columns) if layout == "hubspot" and given.stage is None else []
    owner = _find(columns, names, "owner", given.owner, path, required=False)
    owner_sql = f"CAST({quoted(owner)} AS VARCHAR)" if owner else "CAST(NULL AS VARCHAR)"
    report.has_owner = owner is not None
    if wide:
        case = _find(columns, names, "case", given.case, path)
        report.columns = {"case": case, "stage": "Date entered …", "time": "Date entered …", "owner": owner}
        parts = [
            f"SELECT {ROW} + 1 AS row, CAST({quoted(case)} AS VARCHAR) AS case_id, {literal(stage)} AS stage, "
            f"CAST({quoted(column)} AS VARCHAR) AS t, {owner_sql} AS owner FROM raw "
            # An empty cell: the deal never entered that stage.
            f"WHERE nullif(trim(CAST({quoted(column)} AS VARCHAR)), '') IS NOT NULL"
            for column, stage in wide
        ]
        return " UNION ALL ".join(parts)
    case = _find(columns, names, "case", given.case, path)
    stage = _find(columns, names, "stage", given.stage, path)
    time = _find(columns, names, "time", given.time, path)
    report.columns = {"case": case, "stage": stage, "time": time, "owner": owner}
    kept = stage_filter(layout, columns)
    time_type = types.get(time, "VARCHAR")
    t = quoted(time) if time_type.startswith(("TIMESTAMP", "DATE")) else f"CAST({quoted(time)} AS VARCHAR)"
    return (f"SELECT {ROW} + 1 AS row, CAST({quoted(case)} AS VARCHAR) AS case_id, "
            f"CAST({quoted(stage)} AS VARCHAR) AS stage, {t} AS t, {owner_sql} AS owner FROM raw"
            + (f" WHERE {kept}" if kept else ""))


def _find(columns, names, role, given, path, required=True):
    if given is not None or names is LAYOUTS["generic"]:
        return find(columns, role, given, path, required)
    from .columns import simple

    by_name = {simple(c): c for c in reversed(columns)}
    for candidate in names[role]:
        if candidate in by_name:
            return by_name[candidate]
    return find(columns, role, None, path, required)


def _time_expression(con, selection: str) -> str:
    kind = dict((r[0], r[1]) for r in con.execute(f"DESCRIBE {selection}").fetchall())["t"]
    if kind.startswith("TIMESTAMP WITH TIME ZONE"):
        return "t AT TIME ZONE 'UTC'"
    if kind.startswith(("TIMESTAMP", "DATE")):
        return "CAST(t AS TIMESTAMP)"
    formats = "[" + ", ".join(literal(f) for f in _FORMATS) + "]"
    # A plain ISO time reads fastest as TIMESTAMP, which would drop an offset: one with an offset
    # (or a `Z`) is read as TIMESTAMPTZ and turned into UTC. The other forms are tried only then.
    return ("COALESCE(CASE WHEN regexp_matches(t, '(Z|[+-][0-9][0-9](:?[0-9][0-9])?)$') "
            "THEN try_cast(t AS TIMESTAMPTZ) AT TIME ZONE 'UTC' ELSE try_cast(t AS TIMESTAMP) END, "
            f"try_strptime(trim(t), {formats}), "
            "CASE WHEN regexp_full_match(trim(t), '[0-9]{9,13}') THEN "
            "to_timestamp(CAST(trim(t) AS DOUBLE) / CASE WHEN length(trim(t)) > 11 THEN 1000 ELSE 1 END) "
            "AT TIME ZONE 'UTC' END)")


def _parse_times(con, path: str, kind: str, selection: str, report: LoadReport) -> None:
    con.execute("SET TimeZone = 'UTC'")
    expression = _time_expression(con, f"({selection})")
    con.execute(f"CREATE TABLE timed AS SELECT row, nullif(trim(case_id), '') AS case_id, "
                f"nullif(trim(stage), '') AS stage, nullif(trim(owner), '') AS owner, "
                f"nullif(trim(CAST(t AS VARCHAR)), '') IS NOT NULL AS has_time, {expression} AS ts "
                f"FROM ({selection})")
    first_bad, bad = con.execute("SELECT min(row), count(*) FROM timed WHERE ts IS NULL AND has_time").fetchone()
    if bad:
        value = con.execute(f"SELECT CAST(t AS VARCHAR) FROM ({selection}) WHERE row = ? AND t IS NOT NULL "
                            f"AND ({expression}) IS NULL LIMIT 1", [first_bad]).fetchone()[0]
        where = _(MESSAGES["line"], line=first_bad + 1) if kind == "csv" else _(MESSAGES["row"], row=first_bad)
        more = _(MESSAGES["more_bad"], count=bad - 1) if bad > 1 else ""
        raise AnalysisError(_(MESSAGES["bad_time"], path=path, where=where, value=value, more=more))
    report.records, report.without_time, report.without_case_or_stage = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE ts IS NULL), "
        "count(*) FILTER (WHERE ts IS NOT NULL AND (case_id IS NULL OR stage IS NULL)) FROM timed").fetchone()
    con.execute("CREATE VIEW events AS SELECT row, case_id, stage, ts, owner FROM timed "
                "WHERE ts IS NOT NULL AND case_id IS NOT NULL AND stage IS NOT NULL")


__all__ = ["Columns", "LoadReport", "load", "listing"]
