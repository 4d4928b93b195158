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
from ..i18n import N_, _, gettext, use
from ..model import Edge, Process, Span, Style

TEXT = {
    "title": N_("Conformance: {title}"),
    "kicker": N_("Chart against stage history"),
    "chart": N_("The chart as the log shows it"),
    "chart_hint": N_("Edges are as wide as their share of the moves and labelled with their count; dashed red edges are "
                  "moves the chart does not have; stages are coloured by the share of stays over their deadline."),
    "legend_ok": N_("under {share} over deadline"),
    "legend_warn": N_("{low}–{high} over deadline"),
    "legend_bad": N_("over {share} over deadline"),
    "legend_none": N_("not recorded or no deadline"),
    "no_chart": N_("The chart could not be drawn here: {problem}"),
    "facts_cases": N_("cases"),
    "facts_fitness": N_("cases following the chart"),
    "facts_moves": N_("moves that fit"),
    "facts_open": N_("open past deadline"),
    "deviations": N_("Moves not in the chart"),
    "times": N_("Time in each stage"),
    "times_hint": N_("Bars show the median (dark) and 90th percentile (light) stay; the line marks the deadline."),
    "conversions": N_("Conversion at branches"),
    "loops": N_("Loops"),
    "owners": N_("Per owner"),
    "unmapped": N_("Stage names the chart does not know"),
    "read": N_("What was read"),
    "col_from": N_("from"), "col_to": N_("to"), "col_count": N_("moves"), "col_cases": N_("cases"), "col_examples": N_("e.g."),
    "col_skips": N_("skips"), "col_stage": N_("stage"), "col_stays": N_("stays"), "col_due": N_("due"), "col_over": N_("over due"),
    "col_at": N_("at"), "col_actual": N_("actual"), "col_charted": N_("charted"), "col_owner": N_("owner"),
    "col_median": N_("median"), "col_fit": N_("moves that fit"), "col_name": N_("name"), "col_records": N_("records"),
    "col_suggestion": N_("did you mean"), "col_share": N_("share of cases"),
    "outside": N_("outside sampling error"), "assumed": N_("no rate: equal share assumed"),
    "edge_count": N_("{count}×"), "extra_label": N_("{count}× outside the chart"),
    "left_out": N_("{records} records of {cases} cases; left out: {without_time} without a time, {unmapped} with an "
                "unknown stage, {duplicates} exact repeats; {out_of_order} out of time order."),
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
        text = _(TEXT["edge_count"], count=f"{count:,}")
        label = f"{edge.text} · {text}" if edge.text else text
        edges.append(_relabelled(edge, label))
        width = 1 + 6 * count / busiest
        colour = "#1f5f99" if count else UNUSED_COLOUR
        styles.append(Style(str(edge.index), f"stroke:{colour},stroke-width:{width:.1f}px", True, span))
    index = len(process.edges)
    for extra in result["extra_moves"]:
        label = _(TEXT["extra_label"], count=f"{extra['count']:,}")
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


def words(table: dict[str, str]) -> dict[str, str]:
    """A table of report words in the run's language (their placeholders are filled by the template)."""
    return {key: gettext(text) for key, text in table.items()}


def html_language(lang: str) -> str:
    """The report's `<html lang>`."""
    return "zh-CN" if lang == "zh" else lang


def conformance_html(process: Process, result: dict, lang: str = "en") -> str:
    """The report in `lang`: its words, the chart's labels and the template's."""
    with use(lang):
        return _conformance_html(process, result, lang)


def _conformance_html(process: Process, result: dict, lang: str) -> str:
    from ..handbook.chart import as_written
    from ..handbook.environment import environment, template_error
    from ..handbook.render import process_title

    import jinja2

    title = process_title(process)
    drawing, problem = None, None
    try:
        drawing = as_written(overlay(process, result), title).markup
    except RenderError as exc:
        problem = str(exc)
    context = {
        "t": words(TEXT), "html_lang": html_language(lang), "r": result, "title": title, "drawing": drawing, "problem": problem,
        "bars": bars(result["stages"]),
        "legend": [(OK_FILL, OK_LINE, _(TEXT["legend_ok"], share="15%")), (WARN_FILL, WARN_LINE, _(TEXT["legend_warn"], low="15", high="35%")),
                   (BAD_FILL, BAD_LINE, _(TEXT["legend_bad"], share="35%")), (NONE_FILL, NONE_LINE, _(TEXT["legend_none"]))],
    }
    try:
        return environment(lang).get_template("conform-report.html.j2").render(context)
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None


ANALYSIS_TEXT = {
    "title": N_("Funnel: {title}"),
    "kicker": N_("What the chart promises for {leads} leads"),
    "facts_wins": N_("expected wins"),
    "facts_mean": N_("cycle time, mean"),
    "facts_p90": N_("cycle time, p90"),
    "facts_target": N_("target"),
    "funnel": N_("Funnel"),
    "funnel_hint": N_("Expected arrivals at each stage, in flow order; passes round loops count each time."),
    "time": N_("Time in each stage against its deadline"),
    "time_hint": N_("Bars show the expected stay (0.8 × due, dark) within the deadline (light)."),
    "loops": N_("Loops"),
    "owners": N_("Workload per owner"),
    "flags": N_("Assumptions"),
    "col_stage": N_("stage"), "col_arrivals": N_("arrivals"), "col_drop": N_("drop-outs"), "col_share": N_("time share"),
    "col_from": N_("from"), "col_to": N_("to"), "col_pass": N_("per pass"), "col_once": N_("at least once"),
    "col_owner": N_("owner"), "col_hours": N_("calendar hours per {leads} leads"),
    "slowest": N_("Slowest path by deadlines ({hours}): {path}"),
    "bottleneck": N_("Bottleneck: {label}, {share} of the expected time."),
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
    """The report in `lang`."""
    with use(lang):
        return _analysis_html(process, analysis, lang)


def _analysis_html(process: Process, analysis, lang: str) -> str:
    from ..handbook.environment import environment, template_error
    from ..handbook.render import process_title

    import jinja2

    total = sum(s.hours for s in analysis.stages) or 1.0
    context = {"t": words(ANALYSIS_TEXT), "html_lang": html_language(lang), "a": analysis, "title": process_title(process), "total_hours": total,
               "funnel": funnel_bars(analysis.stages), "stays": stay_bars(analysis.stages)}
    try:
        return environment(lang).get_template("analyze-report.html.j2").render(context)
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None
