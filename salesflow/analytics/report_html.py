"""The HTML report of `conform`: the chart drawn as an overlay of what the log shows, in the handbook's style.

The overlay is the chart itself, drawn by the Graphviz renderer the handbook uses, with Mermaid
styles added to a copy of the process: each edge as wide as the share of moves that take it and
labelled with its count, every move outside the chart a dashed red edge of its own, every stage
filled by how often stays in it run over the deadline. Bar charts of time per stage are plain
SVG written by the template: the page has no script and fetches nothing.
"""

from __future__ import annotations

import dataclasses
from typing import Optional

from ..errors import RenderError
from ..model import Edge, Process, Span, Style

TEXT = {
    "title": "Conformance: {title}",
    "kicker": "Chart against stage history",
    "chart": "The chart as the log shows it",
    "chart_hint": "Edges are as wide as their share of the moves and labelled with their count; dashed red edges are "
                  "moves the chart does not have; stages are coloured by the share of stays over their deadline.",
    "legend_ok": "under 15% over deadline",
    "legend_warn": "15–35% over deadline",
    "legend_bad": "over 35% over deadline",
    "legend_none": "not recorded or no deadline",
    "no_chart": "The chart could not be drawn here: {problem}",
    "facts_cases": "cases",
    "facts_fitness": "cases following the chart",
    "facts_moves": "moves that fit",
    "facts_open": "open past deadline",
    "deviations": "Moves not in the chart",
    "times": "Time in each stage",
    "times_hint": "Bars show the median (dark) and 90th percentile (light) stay; the line marks the deadline.",
    "conversions": "Conversion at branches",
    "loops": "Loops",
    "owners": "Per owner",
    "unmapped": "Stage names the chart does not know",
    "read": "What was read",
    "col_from": "from", "col_to": "to", "col_count": "moves", "col_cases": "cases", "col_examples": "e.g.",
    "col_skips": "skips", "col_stage": "stage", "col_stays": "stays", "col_due": "due", "col_over": "over due",
    "col_at": "at", "col_actual": "actual", "col_charted": "charted", "col_owner": "owner",
    "col_median": "median", "col_fit": "moves that fit", "col_name": "name", "col_records": "records",
    "col_suggestion": "did you mean", "col_share": "share of cases",
    "outside": "outside sampling error", "assumed": "no rate: equal share assumed",
    "edge_count": "{count}×", "extra_label": "{count}× outside the chart",
    "left_out": "{records} records of {cases} cases; left out: {without_time} without a time, {unmapped} with an "
                "unknown stage, {duplicates} exact repeats; {out_of_order} out of time order.",
}

OK_FILL, WARN_FILL, BAD_FILL, NONE_FILL = "#e5f3ea", "#fff4d6", "#fbe9e7", "#f1f3f5"
OK_LINE, WARN_LINE, BAD_LINE, NONE_LINE = "#2e7d4f", "#8a5a00", "#b3261e", "#9aa5b1"
EXTRA_COLOUR = "#b3261e"
UNUSED_COLOUR = "#b8c2cc"


def breach_colours(rate: Optional[float]) -> tuple[str, str]:
    if rate is None:
        return NONE_FILL, NONE_LINE
    if rate < 0.15:
        return OK_FILL, OK_LINE
    if rate < 0.35:
        return WARN_FILL, WARN_LINE
    return BAD_FILL, BAD_LINE


def overlay(process: Process, result: dict) -> Process:
    """A copy of the chart styled and labelled by the log (see the module docstring)."""
    from ..graph import ProcessGraph

    graph = ProcessGraph(process)
    usage = {(e["from"], e["to"]): e["count"] for e in result["edges"]}
    per_edge: dict[int, int] = {}
    for step in graph.steps:
        per_edge[step.edge.index] = per_edge.get(step.edge.index, 0) + usage.get((step.source, step.target), 0)
    busiest = max(list(per_edge.values()) + [e["count"] for e in result["extra_moves"]] + [1])
    styles = [s for s in process.styles if not s.is_link and s.target not in {n.id for n in process.nodes}]
    span = Span.point(1, 1)

    breach = {s["id"]: s["breach_rate"] for s in result["stages"]}
    for node in process.nodes:
        fill, line = breach_colours(breach.get(node.id))
        styles.append(Style(node.id, f"fill:{fill},stroke:{line}", False, span))

    edges = []
    for edge in process.edges:
        count = per_edge.get(edge.index, 0)
        text = TEXT["edge_count"].format(count=f"{count:,}")
        label = f"{edge.text} · {text}" if edge.text else text
        edges.append(_relabelled(edge, label))
        width = 1 + 6 * count / busiest
        colour = "#1f5f99" if count else UNUSED_COLOUR
        styles.append(Style(str(edge.index), f"stroke:{colour},stroke-width:{width:.1f}px", True, span))
    index = len(process.edges)
    for extra in result["extra_moves"]:
        label = TEXT["extra_label"].format(count=f"{extra['count']:,}")
        edges.append(Edge(extra["from"], extra["to"], "dotted", "none", "arrow", 1, label, span, index))
        width = 1 + 6 * extra["count"] / busiest
        styles.append(Style(str(index), f"stroke:{EXTRA_COLOUR},color:{EXTRA_COLOUR},stroke-width:{width:.1f}px,"
                                        "stroke-dasharray:6 4", True, span))
        index += 1
    return dataclasses.replace(process, edges=tuple(edges), styles=tuple(styles))


def _relabelled(edge: Edge, label: str) -> Edge:
    # A chart label is Mermaid text: the label as shown is written back with the characters that
    # would read as markup or entity codes written as entity codes.
    for character, code in (("#", "#35;"), ("<", "#60;"), (">", "#62;"), ('"', "#quot;")):
        label = label.replace(character, code)
    return dataclasses.replace(edge, label=label, label_format="text")


def bars(stages: list[dict]) -> dict:
    """Geometry of the time-per-stage chart: one row per stage with median, p90 and deadline."""
    longest = max([s["p90_hours"] or 0 for s in stages] + [s["due_hours"] or 0 for s in stages] + [1e-9])
    scale = 560 / longest
    rows = []
    for number, s in enumerate(stages):
        fill, line = breach_colours(s["breach_rate"])
        rows.append({"label": s["label"], "y": 8 + number * 30, "p50": (s["p50_hours"] or 0) * scale,
                     "p90": (s["p90_hours"] or 0) * scale,
                     "due": None if s["due_hours"] is None else s["due_hours"] * scale,
                     "colour": line, "fill": fill, "stage": s})
    return {"rows": rows, "height": 16 + len(stages) * 30, "width": 760, "left": 190}


def conformance_html(process: Process, result: dict, lang: str = "en") -> str:
    from ..handbook.chart import chart
    from ..handbook.environment import environment, template_error
    from ..handbook.render import process_title

    import jinja2

    title = process_title(process)
    drawing, problem = None, None
    try:
        drawing = chart(overlay(process, result), title).markup
    except RenderError as exc:
        problem = str(exc)
    context = {
        "t": TEXT, "r": result, "title": title, "drawing": drawing, "problem": problem,
        "bars": bars(result["stages"]),
        "legend": [(OK_FILL, OK_LINE, TEXT["legend_ok"]), (WARN_FILL, WARN_LINE, TEXT["legend_warn"]),
                   (BAD_FILL, BAD_LINE, TEXT["legend_bad"]), (NONE_FILL, NONE_LINE, TEXT["legend_none"])],
    }
    try:
        return environment(lang).get_template("conform-report.html.j2").render(context)
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None


ANALYSIS_TEXT = {
    "title": "Funnel: {title}",
    "kicker": "What the chart promises for {leads} leads",
    "facts_wins": "expected wins",
    "facts_mean": "cycle time, mean",
    "facts_p90": "cycle time, p90",
    "facts_target": "target",
    "funnel": "Funnel",
    "funnel_hint": "Expected arrivals at each stage, in flow order; passes round loops count each time.",
    "time": "Time in each stage against its deadline",
    "time_hint": "Bars show the expected stay (0.8 × due, dark) within the deadline (light).",
    "loops": "Loops",
    "owners": "Workload per owner",
    "flags": "Assumptions",
    "col_stage": "stage", "col_arrivals": "arrivals", "col_drop": "drop-outs", "col_share": "time share",
    "col_from": "from", "col_to": "to", "col_pass": "per pass", "col_once": "at least once",
    "col_owner": "owner", "col_hours": "hours per {leads} leads",
    "slowest": "Slowest path by deadlines ({hours}): {path}",
    "bottleneck": "Bottleneck: {label}, {share} of the expected time.",
}


def funnel_bars(stages: list) -> dict:
    most = max([s.arrivals for s in stages] + [1e-9])
    rows = []
    for number, s in enumerate(stages):
        width = 520 * s.arrivals / most
        rows.append({"label": s.label, "y": 6 + number * 28, "x": 190 + (520 - width) / 2, "width": width,
                     "kind": s.kind, "arrivals": f"{s.arrivals:,.1f}"})
    return {"rows": rows, "height": 12 + len(stages) * 28, "width": 900, "left": 190}


def stay_bars(stages: list) -> dict:
    timed = [s for s in stages if s.due_hours]
    longest = max([s.due_hours for s in timed] + [1e-9])
    rows = []
    for number, s in enumerate(timed):
        rows.append({"label": s.label, "y": 6 + number * 28, "due": 520 * s.due_hours / longest,
                     "stay": 520 * s.mean_stay_hours / longest, "due_hours": s.due_hours})
    return {"rows": rows, "height": 12 + len(timed) * 28, "width": 900, "left": 190}


def analysis_html(process: Process, analysis, lang: str = "en") -> str:
    from ..handbook.environment import environment, template_error
    from ..handbook.render import process_title

    import jinja2

    total = sum(s.hours for s in analysis.stages) or 1.0
    context = {"t": ANALYSIS_TEXT, "a": analysis, "title": process_title(process), "total_hours": total,
               "funnel": funnel_bars(analysis.stages), "stays": stay_bars(analysis.stages)}
    try:
        return environment(lang).get_template("analyze-report.html.j2").render(context)
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None
