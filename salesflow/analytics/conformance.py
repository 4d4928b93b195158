"""`salesflow conform`: a chart against a CRM's stage history, in SQL over DuckDB.

The log becomes the table `events` (`logs.py`); CRM stage names become chart stages
(`mapping.py`). Stages the log never records (decisions, usually) are passed through: a move
from A to B fits when the chart leads from A to B through such stages only. The chart's allowed
moves are a small table (`moves`), and so are the chart steps each move takes (`move_steps`);
the stays, transitions, quantiles and counts are SQL over window functions, so the log may be
larger than memory.

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
- per owner (the owner column of the stage's record): stays, median time, deadline breaches,
  moves that fit.
"""

from __future__ import annotations

import datetime
import math
from collections import deque
from typing import Optional

from ..model import Process
from . import duckdb_module
from .flow import Chain
from .logs import Columns, load
from .expectation import rounded
from .mapping import StageNames

EXAMPLES = 3


def conform(process: Process, log_path: str, layout: str = "generic", columns: Optional[Columns] = None,
            as_of: Optional[datetime.datetime] = None) -> dict:
    duckdb = duckdb_module()
    chain = Chain(process)
    graph = chain.graph
    con = duckdb.connect()
    try:
        report = load(con, log_path, layout, columns)
        return _figures(con, process, chain, graph, report, layout, as_of)
    finally:
        con.close()


def _figures(con, process, chain, graph, report, layout, as_of) -> dict:
    label = chain.label
    # Exact repeats (one case, one stage, one moment) are one event; records out of time order are counted.
    out_of_order = con.execute(
        "SELECT count(*) FROM (SELECT ts < lag(ts) OVER (PARTITION BY case_id ORDER BY row) AS early FROM events) "
        "WHERE early").fetchone()[0]
    con.execute("CREATE TABLE kept AS SELECT * FROM events "
                "QUALIFY row_number() OVER (PARTITION BY case_id, stage, ts ORDER BY row) = 1")
    events_in, kept = con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM kept)").fetchone()

    names = StageNames(process, graph.flow_order)
    counted = con.execute("SELECT stage, count(*) FROM kept GROUP BY stage ORDER BY count(*) DESC, stage").fetchall()
    mapping = [(name, names.node(name)) for name, _count in counted]
    unmapped = [{"name": name, "count": count, "did_you_mean": names.suggestion(name)}
                for (name, count), (_name, node) in zip(counted, mapping) if node is None]
    con.execute("CREATE TABLE stage_map (stage VARCHAR, node VARCHAR)")
    if mapping:
        con.executemany("INSERT INTO stage_map VALUES (?, ?)", [m for m in mapping if m[1] is not None])
    con.execute("CREATE TABLE mapped AS SELECT k.row, k.case_id, k.stage, m.node, k.ts, k.owner FROM kept k "
                "JOIN stage_map m USING (stage)")
    recorded = {row[0] for row in con.execute("SELECT DISTINCT node FROM mapped").fetchall()}

    allowed = _allowed_moves(graph, recorded)
    # A stay lasts until the next recorded stage is entered, so the deadlines of the stages passed
    # through on the way (a decision's `due`) are part of its allowance.
    con.execute("CREATE TABLE moves (src VARCHAR, dst VARCHAR, allowance DOUBLE)")
    con.execute("CREATE TABLE move_steps (src VARCHAR, dst VARCHAR, step_src VARCHAR, step_dst VARCHAR)")
    if allowed:
        con.executemany("INSERT INTO moves VALUES (?, ?, ?)",
                        [(a, b, sum(chain.due_hours(t) or 0.0 for _s, t in path[:-1])) for (a, b), path in allowed.items()])
        con.executemany("INSERT INTO move_steps VALUES (?, ?, ?, ?)",
                        [(a, b, s, t) for (a, b), path in allowed.items() for s, t in path])
    con.execute("CREATE TABLE dues (node VARCHAR, due DOUBLE, is_end BOOLEAN)")
    con.executemany("INSERT INTO dues VALUES (?, ?, ?)",
                    [(n, chain.due_hours(n), n in chain.ends) for n in graph.node_ids])

    # Two CRM stages one chart stage stands for (`crm: [Needs Analysis, Value Proposition]`), one
    # after the other, are one stay — unless the chart itself leads from that stage back to it. The
    # same CRM stage entered again is a move back into it, which the chart allows or not.
    con.execute("""
        CREATE TABLE merged AS
        SELECT * FROM mapped WINDOW w AS (PARTITION BY case_id ORDER BY ts, row)
        QUALIFY NOT (coalesce(lag(node) OVER w = node AND lag(stage) OVER w <> stage, false)
                     AND node NOT IN (SELECT src FROM moves WHERE src = dst))""")
    con.execute("""
        CREATE TABLE stays AS
        SELECT case_id, node, ts, owner, row,
               lead(node) OVER w AS next_node, lead(ts) OVER w AS next_ts, row_number() OVER w AS position,
               date_diff('millisecond', ts, lead(ts) OVER w) AS ms,
               date_diff('millisecond', ts, lead(ts) OVER w) / 3600000.0 AS hours
        FROM merged WINDOW w AS (PARTITION BY case_id ORDER BY ts, row)""")
    merged = con.execute("SELECT (SELECT count(*) FROM mapped) - (SELECT count(*) FROM merged)").fetchone()[0]

    pairs = con.execute("""
        SELECT node, next_node, count(*), count(DISTINCT case_id), min(case_id), max(case_id)
        FROM stays WHERE next_node IS NOT NULL GROUP BY node, next_node ORDER BY count(*) DESC, node, next_node
        """).fetchall()
    cases, fitting_cases = con.execute("""
        SELECT count(*), count(*) FILTER (WHERE misfits = 0) FROM (
            SELECT s.case_id, count(*) FILTER (WHERE s.next_node IS NOT NULL AND m.src IS NULL) AS misfits
            FROM stays s LEFT JOIN moves m ON s.node = m.src AND s.next_node = m.dst GROUP BY s.case_id)
        """).fetchone()
    entries = sorted(_entry_stages(graph, recorded))
    started = con.execute(
        "SELECT count(*) FROM stays WHERE position = 1 AND list_contains(?, node)", [entries]).fetchone()[0]

    moves_total = sum(p[2] for p in pairs)
    fitting_moves = sum(p[2] for p in pairs if (p[0], p[1]) in allowed)
    deviations, skipped = _deviations(graph, recorded, allowed, pairs, label)

    usage = {(s, t): (n, c) for s, t, n, c in con.execute("""
        SELECT p.step_src, p.step_dst, count(*), count(DISTINCT s.case_id)
        FROM stays s JOIN move_steps p ON s.node = p.src AND s.next_node = p.dst
        GROUP BY p.step_src, p.step_dst""").fetchall()}

    stages = []
    for node, stays, p50, p90, mean, breaches, due in con.execute("""
            SELECT s.node, count(*), quantile_cont(hours, 0.5), quantile_cont(hours, 0.9),
                   -- a sum of whole milliseconds is exact, so the mean does not depend on how threads split the work
                   avg(ms) / 3600000.0,
                   count(*) FILTER (WHERE hours > d.due + coalesce(m.allowance, 0)), any_value(d.due)
            FROM stays s JOIN dues d USING (node) LEFT JOIN moves m ON s.node = m.src AND s.next_node = m.dst
            WHERE hours IS NOT NULL GROUP BY s.node""").fetchall():
        stages.append({"id": node, "label": label(node), "stays": stays, "p50_hours": p50, "p90_hours": p90,
                       "mean_hours": mean, "due_hours": due, "breaches": breaches if due is not None else None,
                       "breach_rate": (breaches / stays) if due is not None and stays else None})
    order = {n: i for i, n in enumerate(graph.flow_order)}
    stages.sort(key=lambda s: order[s["id"]])

    moment = as_of or con.execute("SELECT max(ts) FROM mapped").fetchone()[0]
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
                SELECT s.owner, count(*), quantile_cont(s.hours, 0.5),
                       count(*) FILTER (WHERE s.hours > d.due + coalesce(m.allowance, 0)),
                       count(*) FILTER (WHERE s.hours IS NOT NULL AND d.due IS NOT NULL),
                       count(*) FILTER (WHERE s.next_node IS NOT NULL),
                       count(*) FILTER (WHERE s.next_node IS NOT NULL AND m.src IS NOT NULL)
                FROM stays s JOIN dues d USING (node) LEFT JOIN moves m ON s.node = m.src AND s.next_node = m.dst
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
                     "duplicates": events_in - kept, "same_stage_again": merged,
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
        "loops": _loops(graph, usage, cases, label),
        "stages": stages,
        "conversions": _conversions(chain, usage, label),
        "open_past_deadline": {"as_of": moment.isoformat() if moment else None, "total": sum(r[1] for r in open_rows),
                               "stages": [{"stage": label(n), "count": c, "examples": _examples(a, b)}
                                          for n, c, a, b in open_rows]},
        "owners": owners,
        "edges": [{"from": s, "to": t, "count": n, "cases": c} for (s, t), (n, c) in sorted(usage.items())],
        "extra_moves": [{"from": d["from_id"], "to": d["to_id"], "count": d["count"]} for d in deviations],
    })


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


def _deviations(graph, recorded, allowed, pairs, label) -> tuple[list[dict], list[dict]]:
    deviations = []
    skipped: dict[str, int] = {}
    for source, target, count, cases, first, last in pairs:
        if (source, target) in allowed:
            continue
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


def _loops(graph, usage, cases, label) -> list[dict]:
    result = []
    for source, target in sorted(graph.back_steps):
        passes, taken_by = usage.get((source, target), (0, 0))
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
        counts = {m.target: usage.get((node_id, m.target), (0, 0))[0] for m in moves}
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
