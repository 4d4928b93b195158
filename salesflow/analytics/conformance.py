"""`salesflow conform`: a chart against a CRM's stage history, in SQL over DuckDB.

The log becomes the table `events` (`logs.py`); CRM stage names become chart stages
(`mapping.py`). Stages the log never records (decisions, usually) are passed through: a move
from A to B fits when the chart leads from A to B through such stages only. The chart's allowed
moves are a small table (`moves`); the stays, moves, quantiles and counts are SQL over window
functions (one pass over the log in time order; two when it names a stage in two ways), so
the log may be larger than memory. Which chart steps a move takes is worked out once per kind of
move, not per record.

Figures:
- fitness: the share of cases whose every move fits, and the share of moves that fit;
- moves outside the chart, with counts and example cases; those that jump ahead in the chart
  name the stages they skip;
- loops: how often each edge that leads back is taken, and by how many cases;
- time in each stage (from entering it to entering the next), p50/p90 against its `due`, and the
  share of stays over it (the deadlines of unrecorded stages passed on the way, such as a
  decision's, are added to the allowance);
- conversion at each branch (the share of the moves out of it that take each way) against the
  charted `rate`, with whether the difference is within sampling error (two standard errors);
- cases whose last stage is not an end and that have stayed there longer than its `due` by the
  end of the log (or `as_of`);
- per owner (the owner column of the stage's record): stays completed (the case moved on),
  median time, deadline breaches, moves that fit.
"""

from __future__ import annotations

import datetime
import math
import tempfile
from collections import deque
from typing import Optional

from ..model import Process
from . import duckdb_module
from .flow import Chain
from .expectation import rounded
from .logs import Columns, literal, load
from .mapping import StageNames

MEMORY_LIMIT = "1GB"


def conform(process: Process, log_path: str, layout: str = "generic", columns: Optional[Columns] = None,
            as_of: Optional[datetime.datetime] = None) -> dict:
    duckdb = duckdb_module()
    chain = Chain(process)
    graph = chain.graph
    con = duckdb.connect()
    spill = tempfile.TemporaryDirectory(prefix="salesflow-")
    # Past this much memory DuckDB moves data to the temporary folder: a log of any length runs
    # in bounded memory, as a CRM export larger than the machine's memory must.
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = {literal(spill.name)}")
    try:
        report = load(con, log_path, layout, columns)
        return _figures(con, process, chain, graph, report, layout, as_of)
    finally:
        con.close()
        spill.cleanup()


def _figures(con, process, chain, graph, report, layout, as_of) -> dict:
    label = chain.label
    names = StageNames(process, graph.flow_order)
    counted = con.execute("SELECT stage, count(*) FROM events GROUP BY stage ORDER BY count(*) DESC, stage").fetchall()
    mapping = [(name, names.node(name)) for name, _count in counted]
    unmapped = [{"name": name, "count": count, "did_you_mean": names.suggestion(name)}
                for (name, count), (_name, node) in zip(counted, mapping) if node is None]
    con.execute("CREATE TABLE stage_map (stage VARCHAR, node VARCHAR)")
    known = [m for m in mapping if m[1] is not None]
    if known:
        con.executemany("INSERT INTO stage_map VALUES (?, ?)", known)
    recorded = {node for _name, node in known}

    allowed = _allowed_moves(graph, recorded)
    # A stay lasts until the next recorded stage is entered, so the deadlines of the stages passed
    # through on the way (a decision's `due`) are part of its allowance.
    con.execute("CREATE TABLE moves (src VARCHAR, dst VARCHAR, allowance DOUBLE)")
    if allowed:
        con.executemany("INSERT INTO moves VALUES (?, ?, ?)",
                        [(a, b, sum(chain.due_hours(t) or 0.0 for _s, t in path[:-1])) for (a, b), path in allowed.items()])
    con.execute("CREATE TABLE dues (node VARCHAR, due DOUBLE, is_end BOOLEAN)")
    con.executemany("INSERT INTO dues VALUES (?, ?, ?)",
                    [(n, chain.due_hours(n), n in chain.ends) for n in graph.node_ids])
    self_moves = sorted(a for a, b in allowed if a == b)

    # An exact repeat (one case, one stage, one moment) is one event: a hash aggregate, no sort.
    con.execute("""
        CREATE TABLE unique_events AS
        SELECT min(e.row) AS row, e.case_id, e.stage, m.node, e.ts, arg_min(e.owner, e.row) AS owner
        FROM events e JOIN stage_map m USING (stage) GROUP BY e.case_id, e.stage, m.node, e.ts""")
    duplicates = (sum(count for (_name, count), (_n, node) in zip(counted, mapping) if node is not None)
                  - con.execute("SELECT count(*) FROM unique_events").fetchone()[0])
    con.execute("DROP VIEW events")
    con.execute("DROP TABLE timed")

    # Two CRM stages one chart stage stands for (`crm: [Needs Analysis, Value Proposition]`), one
    # after the other, are one stay — unless the chart leads from that stage back to itself; the
    # same CRM stage entered again later is a move back into it. Only a log that names some stage
    # in two ways needs this extra pass in time order.
    merged = 0
    source = "unique_events"
    names_per_node: dict[str, int] = {}
    for _name, node in known:
        names_per_node[node] = names_per_node.get(node, 0) + 1
    if any(count > 1 for count in names_per_node.values()):
        con.execute("""
            CREATE TABLE kept_events AS SELECT * FROM unique_events
            WINDOW w AS (PARTITION BY case_id ORDER BY ts, row)
            QUALIFY NOT coalesce(lag(node) OVER w = node AND lag(stage) OVER w <> stage
                                 AND NOT list_contains(?, node), false)""", [self_moves])
        merged = (con.execute("SELECT count(*) FROM unique_events").fetchone()[0]
                  - con.execute("SELECT count(*) FROM kept_events").fetchone()[0])
        source = "kept_events"

    # The one pass every log needs: each stay with the stage entered next. `early` marks a record
    # written after one that happened later (the log was not in time order).
    con.execute(f"""
        CREATE TABLE stays AS
        SELECT s.*, m.src IS NOT NULL AS fits, m.allowance FROM (
            SELECT case_id, node, ts, owner,
                   lead(node) OVER w AS next_node, lead(ts) OVER w AS next_ts, row_number() OVER w AS position,
                   date_diff('millisecond', ts, lead(ts) OVER w) AS ms,
                   coalesce(row < lag(row) OVER w, false) AS early
            FROM {source}
            WINDOW w AS (PARTITION BY case_id ORDER BY ts, row)) s
        LEFT JOIN moves m ON s.node = m.src AND s.next_node = m.dst""")
    con.execute("DROP TABLE unique_events")
    if source != "unique_events":
        con.execute(f"DROP TABLE {source}")
    out_of_order = con.execute("SELECT count(*) FROM stays WHERE early").fetchone()[0]

    pairs = con.execute("""
        SELECT node, next_node, count(*), min(case_id), max(case_id), bool_or(fits)
        FROM stays WHERE next_node IS NOT NULL GROUP BY node, next_node ORDER BY count(*) DESC, node, next_node
        """).fetchall()
    outside_cases = {(a, b): n for a, b, n in con.execute(
        "SELECT node, next_node, count(DISTINCT case_id) FROM stays WHERE next_node IS NOT NULL AND NOT fits "
        "GROUP BY node, next_node").fetchall()}
    entries = sorted(_entry_stages(graph, recorded))
    cases, fitting_cases, started = con.execute("""
        SELECT count(*), count(*) FILTER (WHERE misfits = 0), count(*) FILTER (WHERE starts) FROM (
            SELECT case_id, count(*) FILTER (WHERE next_node IS NOT NULL AND NOT fits) AS misfits,
                   bool_or(position = 1 AND list_contains(?, node)) AS starts
            FROM stays GROUP BY case_id)""", [entries]).fetchone()

    moves_total = sum(p[2] for p in pairs)
    fitting_moves = sum(p[2] for p in pairs if p[5])
    deviations, skipped = _deviations(graph, recorded, allowed, pairs, outside_cases, label)

    # Each chart step's traffic: the moves whose way through the chart takes it.
    usage: dict[tuple[str, str], int] = {}
    for source, target, count, *_rest in pairs:
        for step in allowed.get((source, target), ()):
            usage[step] = usage.get(step, 0) + count
    loop_cases = _loop_cases(con, graph, allowed)

    stages = []
    for node, stays, p50, p90, mean, breaches, due in con.execute("""
            SELECT s.node, count(*), quantile_cont(ms, 0.5) / 3600000.0, quantile_cont(ms, 0.9) / 3600000.0,
                   -- a sum of whole milliseconds is exact, so the mean does not depend on how threads split the work
                   avg(ms) / 3600000.0,
                   count(*) FILTER (WHERE ms / 3600000.0 > d.due + coalesce(s.allowance, 0)), any_value(d.due)
            FROM stays s JOIN dues d USING (node) WHERE ms IS NOT NULL GROUP BY s.node""").fetchall():
        stages.append({"id": node, "label": label(node), "stays": stays, "p50_hours": p50, "p90_hours": p90,
                       "mean_hours": mean, "due_hours": due, "breaches": breaches if due is not None else None,
                       "breach_rate": (breaches / stays) if due is not None and stays else None})
    order = {n: i for i, n in enumerate(graph.flow_order)}
    stages.sort(key=lambda s: order[s["id"]])

    moment = as_of or con.execute("SELECT max(ts) FROM stays").fetchone()[0]
    open_rows = []
    if moment is not None:
        open_rows = con.execute("""
            SELECT s.node, count(*), min(s.case_id), max(s.case_id)
            FROM stays s JOIN dues d USING (node)
            WHERE s.next_node IS NULL AND NOT d.is_end AND d.due IS NOT NULL
              AND date_diff('millisecond', s.ts, ?) / 3600000.0 > d.due
            GROUP BY s.node ORDER BY count(*) DESC, s.node""", [moment]).fetchall()

    owners = []
    if report.has_owner:
        for owner, stays, p50, breaches, timed, moves, fit in con.execute("""
                SELECT s.owner, count(s.ms), quantile_cont(s.ms, 0.5) / 3600000.0,
                       count(*) FILTER (WHERE s.ms / 3600000.0 > d.due + coalesce(s.allowance, 0)),
                       count(*) FILTER (WHERE s.ms IS NOT NULL AND d.due IS NOT NULL),
                       count(*) FILTER (WHERE s.next_node IS NOT NULL),
                       count(*) FILTER (WHERE s.next_node IS NOT NULL AND s.fits)
                FROM stays s JOIN dues d USING (node)
                WHERE s.owner IS NOT NULL GROUP BY s.owner ORDER BY count(*) DESC, s.owner""").fetchall():
            owners.append({"owner": owner, "stays": stays, "p50_hours": p50,
                           "breach_rate": breaches / timed if timed else None,
                           "fitting_moves": fit / moves if moves else None})

    return rounded({
        "chart": process.path,
        "log": report.path,
        "format": layout,
        "columns": report.columns,
        "records": report.records,
        "left_out": {"without_time": report.without_time, "without_case_or_stage": report.without_case_or_stage,
                     "duplicates": duplicates, "same_stage_again": merged,
                     "unmapped_stage": sum(u["count"] for u in unmapped)},
        "out_of_order": out_of_order,
        "cases": cases,
        "fitness": {"cases": fitting_cases / cases if cases else None,
                    "moves": fitting_moves / moves_total if moves_total else None,
                    "fitting_cases": fitting_cases, "moves_total": moves_total, "fitting_moves": fitting_moves},
        "starting_at_a_start": started / cases if cases else None,
        "unmapped": unmapped,
        "passed_through": [label(n) for n in graph.flow_order if n not in recorded],
        "deviations": deviations,
        "skipped_stages": skipped,
        "loops": _loops(graph, usage, loop_cases, cases, label),
        "stages": stages,
        "conversions": _conversions(chain, usage, label),
        "open_past_deadline": {"as_of": moment.isoformat() if moment else None, "total": sum(r[1] for r in open_rows),
                               "stages": [{"stage": label(n), "count": c, "examples": _examples(a, b)}
                                          for n, c, a, b in open_rows]},
        "owners": owners,
        "edges": [{"from": s, "to": t, "count": n} for (s, t), n in sorted(usage.items())],
        "extra_moves": [{"from": d["from_id"], "to": d["to_id"], "count": d["count"]} for d in deviations],
    })


def _loop_cases(con, graph, allowed) -> dict[tuple[str, str], int]:
    """How many cases take each edge that leads back (a few moves each, so counted exactly)."""
    rows = [(a, b, s, t) for (a, b), path in allowed.items() for s, t in path if (s, t) in graph.back_steps]
    if not rows:
        return {}
    con.execute("CREATE TABLE loop_moves (src VARCHAR, dst VARCHAR, step_src VARCHAR, step_dst VARCHAR)")
    con.executemany("INSERT INTO loop_moves VALUES (?, ?, ?, ?)", rows)
    return {(s, t): n for s, t, n in con.execute("""
        SELECT l.step_src, l.step_dst, count(DISTINCT s.case_id)
        FROM stays s JOIN loop_moves l ON s.node = l.src AND s.next_node = l.dst
        GROUP BY l.step_src, l.step_dst""").fetchall()}


def _allowed_moves(graph, recorded: set[str]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(A, B) → the chart steps from A to B through stages the log never records (the shortest such way)."""
    allowed: dict[tuple[str, str], list[tuple[str, str]]] = {}
    successors = graph.successors
    for source in recorded:
        previous: dict[str, Optional[str]] = {}
        queue = deque()
        for target in successors[source]:
            if target not in previous:
                previous[target] = None
                queue.append(target)
        while queue:
            current = queue.popleft()
            if current in recorded:
                path = [current]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])  # type: ignore[arg-type]
                path.append(source)
                path.reverse()
                allowed[(source, current)] = list(zip(path, path[1:]))
                continue
            for target in successors[current]:
                if target not in previous:
                    previous[target] = current
                    queue.append(target)
    return allowed


def _entry_stages(graph, recorded: set[str]) -> set[str]:
    """Recorded stages a case may begin at: the starts, or the first recorded stages after them."""
    found, seen = set(), set()
    stack = list(graph.starts)
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        if current in recorded:
            found.add(current)
            continue
        stack.extend(graph.successors[current])
    return found


def _deviations(graph, recorded, allowed, pairs, outside_cases, label) -> tuple[list[dict], list[dict]]:
    deviations = []
    skipped: dict[str, int] = {}
    for source, target, count, first, last, fits in pairs:
        if fits:
            continue
        cases = outside_cases.get((source, target), 0)
        way = _shortest_way(graph, source, target)
        jumped = [n for n in (way or [])[1:-1] if n in recorded]
        for node in jumped:
            skipped[node] = skipped.get(node, 0) + count
        deviations.append({"from": label(source), "to": label(target), "from_id": source, "to_id": target,
                           "count": count, "cases": cases, "examples": _examples(first, last),
                           "skips": [label(n) for n in jumped] if way else None})
    skipped_list = [{"stage": label(n), "count": c} for n, c in sorted(skipped.items(), key=lambda i: (-i[1], i[0]))]
    return deviations, skipped_list


def _shortest_way(graph, source: str, target: str) -> Optional[list[str]]:
    previous: dict[str, Optional[str]] = {source: None}
    queue = deque([source])
    while queue:
        current = queue.popleft()
        for nxt in graph.successors[current]:
            if nxt in previous:
                continue
            previous[nxt] = current
            if nxt == target:
                way = [nxt]
                while previous[way[-1]] is not None:
                    way.append(previous[way[-1]])  # type: ignore[arg-type]
                return list(reversed(way))
            queue.append(nxt)
    return None


def _loops(graph, usage, loop_cases, cases, label) -> list[dict]:
    result = []
    for source, target in sorted(graph.back_steps):
        passes, taken_by = usage.get((source, target), 0), loop_cases.get((source, target), 0)
        result.append({"from": label(source), "to": label(target), "passes": passes, "cases": taken_by,
                       "share_of_cases": taken_by / cases if cases else None})
    return result


def _conversions(chain: Chain, usage, label) -> list[dict]:
    """At each stage with several ways on: the share of moves taking each way, against the chart."""
    result = []
    for node_id in chain.graph.flow_order:
        moves = chain.moves[node_id]
        if len({m.target for m in moves}) < 2:
            continue
        counts = {m.target: usage.get((node_id, m.target), 0) for m in moves}
        total = sum(counts.values())
        # Of the leads that move on: where rates leave some dropping out, the rest split in proportion.
        carried = sum(m.share for m in moves) or 1.0
        branches = []
        for move in moves:
            n = counts[move.target]
            share = n / total if total else None
            charted = move.share / carried
            error = math.sqrt(charted * (1 - charted) / total) if total else None
            within = None if share is None else abs(share - charted) <= 2 * (error or 0) + 1e-9
            branches.append({"to": label(move.target), "count": n, "share": share, "charted": charted,
                             "rate_given": move.edge.rate is not None, "within_sampling_error": within})
        result.append({"at": label(node_id), "id": node_id, "moves": total, "branches": branches})
    return result


def _examples(first: str, last: str) -> list[str]:
    return [first] if first == last else [first, last]
