"""The handbook's "what the chart promises" section: `salesflow analyze` for N leads, in the handbook.

The figures are the analytics' own (`analytics.expectation.analyze`), so the handbook and
`salesflow analyze -f json --leads N` always agree; the bar charts are the geometry and the SVG
macros the `analyze -f html` report draws with (`analytics.report_html`, analytics-charts.html.j2).
A chart with neither a conversion rate nor a deadline promises nothing, so it gets no section.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from ..model import Process

DEFAULT_LEADS = 100


@dataclass(frozen=True)
class Promises:
    leads: int
    analysis: Any  # analytics.expectation.Analysis
    funnel: dict  # geometry for the funnel_svg macro
    stays: dict  # geometry for the stay_svg macro
    cycle_hours: float  # won deals' mean cycle time, or every lead's where nothing is won
    cycle_is_won: bool
    assumptions: list[tuple[str, str]]  # (message key, stage label), in flow order


def has_numbers(process: Process) -> bool:
    return any(e.rate is not None for e in process.edges) or any(n.due is not None for n in process.nodes)


def promises(process: Process, leads: int = DEFAULT_LEADS) -> Optional[Promises]:
    """What the chart promises for `leads` leads, or None when it has no rates and no deadlines or
    its flow cannot be worked out (a loop no lead leaves: the health section says why)."""
    if not has_numbers(process):
        return None
    from ..analytics import AnalysisError
    from ..analytics.expectation import analyze
    from ..analytics.flow import Chain
    from ..analytics.report_html import funnel_bars, stay_bars

    try:
        analysis = analyze(process, leads=leads)
        chain = Chain(process)
    except AnalysisError:
        return None
    won = analysis.won_mean_hours is not None
    return Promises(
        leads=leads, analysis=analysis, funnel=funnel_bars(analysis.stages), stays=stay_bars(analysis.stages),
        cycle_hours=analysis.won_mean_hours if won else analysis.mean_hours, cycle_is_won=won,
        assumptions=_assumptions(process, chain, analysis),
    )


def _assumptions(process: Process, chain: Any, analysis: Any) -> list[tuple[str, str]]:
    """Each guess the figures rest on, as an interface-text key and the stage it is about."""
    result = []
    for stage in analysis.stages:
        if stage.id in chain.assumed:
            rates = [s.edge.rate for s in chain.graph.outgoing[stage.id] if s.edge.rate is not None]
            key = "numbers_over_100" if sum(rates) > 1 + 1e-9 else "numbers_equal_shares"
            result.append((key, stage.label))
        if stage.id in chain.feedback_ends:
            result.append(("numbers_feedback_end", stage.label))
        node = process.node(stage.id)
        if stage.due_hours is None and stage.kind not in ("start", "end", "decision") and not node.is_decision:
            result.append(("numbers_no_deadline", stage.label))
    return result
