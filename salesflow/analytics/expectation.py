"""What a chart promises for N leads (`salesflow analyze`), from its rates and deadlines alone.

Closed form, from the Markov chain of `flow.py`: the expected arrivals at every stage solve
`v = s + Pᵀ v` (`linear.py`), so a loop taken with probability p adds the geometric 1/(1−p)
passes; the ends' arrivals are the leads finishing there; the expected time per lead is the sum
of arrivals × mean stay. The chance that a lead goes round a loop at least once is the same
system solved with that loop's edge leading out of the process instead. The median and 90th
percentile of the cycle time come from a seeded simulation of the same chain (`simulation.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..i18n import N_, _
from ..model import Process
from . import AnalysisError
from .flow import STAY_MEAN, Chain
from .linear import solve_arrivals

# Simulated cases for the quantiles: enough for two-digit quantiles, bounded by the stages walked.
QUANTILE_CASES = 2000
QUANTILE_STEPS = 120_000

MESSAGES = {
    "loop_never_exits": N_("{path}: a loop in the chart never lets a lead out, so no expectation exists"),
    "no_deadline": N_("{label}: no deadline; counted as taking no time"),
}


@dataclass
class StageFigures:
    id: str
    label: str
    kind: str
    owner: Optional[str]
    arrivals: float  # expected entries, passes round loops included
    drop_outs: float
    due_hours: Optional[float]
    mean_stay_hours: float
    hours: float  # arrivals × mean stay: the stage's part of all leads' time


@dataclass
class LoopFigures:
    source: str
    target: str
    share: float  # the branch's share at its source
    passes_per_lead: float  # how often leads take it, on average
    probability: float  # the chance a lead takes it at least once


@dataclass
class Analysis:
    path: str
    title: Optional[str]
    leads: int
    stages: list[StageFigures]
    ends: list[dict]
    wins: float
    dropped: float
    mean_hours: float  # per lead, until it leaves the process
    mean_hours_at_deadlines: float  # the same with every stay taking its full `due`
    p50_hours: float
    p90_hours: float
    won_mean_hours: Optional[float]
    won_p50_hours: Optional[float]
    won_p90_hours: Optional[float]
    target_hours: Optional[float]
    slowest_path: tuple[float, list[str]]
    bottleneck: Optional[dict]
    loops: list[LoopFigures]
    owners: list[dict]
    flags: list[str] = field(default_factory=list)
    simulated_cases: int = 0
    seed: int = 0

    def to_dict(self) -> dict:
        from dataclasses import asdict

        data = asdict(self)
        data["slowest_path"] = {"hours": self.slowest_path[0], "stages": self.slowest_path[1]}
        return rounded(data)


def analyze(process: Process, leads: int = 1000, seed: int = 0) -> Analysis:
    chain = Chain(process)
    graph = chain.graph
    order = list(graph.forward_order)
    moves = {n: [(m.target, m.share) for m in chain.moves[n]] for n in order}
    starts = chain.starts
    entering = {s: leads / len(starts) for s in starts}
    arrivals = solve_arrivals(order, moves, entering)
    if arrivals is None:
        raise AnalysisError(_(MESSAGES["loop_never_exits"], path=process.path))

    flags = list(chain.flags)
    stages = []
    for node_id in graph.flow_order:
        node = process.node(node_id)
        due = chain.due_hours(node_id)
        if due is None and not graph.is_marker(node) and not node.is_decision:
            flags.append(_(MESSAGES["no_deadline"], label=chain.label(node_id)))
        stay = chain.mean_stay(node_id)
        stages.append(StageFigures(
            id=node_id, label=chain.label(node_id), kind=graph.kind(node), owner=node.owner,
            arrivals=arrivals[node_id], drop_outs=arrivals[node_id] * chain.leak(node_id),
            due_hours=due, mean_stay_hours=stay, hours=arrivals[node_id] * stay,
        ))
    total_hours = sum(s.hours for s in stages)
    ends = [{"id": n, "label": chain.label(n), "arrivals": arrivals[n], "won": n in chain.wins}
            for n in chain.ends]
    wins = sum(arrivals[n] for n in chain.wins)
    dropped = sum(s.drop_outs for s in stages)
    busiest = max(stages, key=lambda s: s.hours, default=None)
    bottleneck = None
    if busiest is not None and busiest.hours > 0:
        bottleneck = {"id": busiest.id, "label": busiest.label, "share": busiest.hours / total_hours}

    owners: dict[str, dict] = {}
    for stage in stages:
        if stage.owner:
            entry = owners.setdefault(stage.owner, {"owner": stage.owner, "hours": 0.0, "stages": 0})
            entry["hours"] += stage.hours
            entry["stages"] += 1
    hours_slowest, path = graph.slowest_path
    simulated = _quantiles(chain, arrivals, leads, seed)
    target = process.target.hours if process.target else None
    return Analysis(
        path=process.path, title=process.title, leads=leads, stages=stages, ends=ends, wins=wins,
        dropped=dropped, mean_hours=total_hours / leads if leads else 0.0,
        mean_hours_at_deadlines=(total_hours / STAY_MEAN / leads) if leads else 0.0,
        p50_hours=simulated["p50"], p90_hours=simulated["p90"],
        won_mean_hours=simulated["won_mean"], won_p50_hours=simulated["won_p50"], won_p90_hours=simulated["won_p90"],
        target_hours=target, slowest_path=(hours_slowest, [chain.label(n) for n in path]),
        bottleneck=bottleneck, loops=_loops(chain, order, moves, entering, leads),
        owners=sorted(owners.values(), key=lambda o: (-o["hours"], o["owner"])),
        flags=flags, simulated_cases=simulated["cases"], seed=seed,
    )


def _loops(chain: Chain, order: list[str], moves: dict, entering: dict, leads: int) -> list[LoopFigures]:
    """Each edge that closes a loop: how often it is taken, and the chance of taking it at all."""
    graph = chain.graph
    result = []
    arrivals = solve_arrivals(order, moves, entering) or {}
    for node_id in order:
        for move in chain.moves[node_id]:
            if (node_id, move.target) not in graph.back_steps:
                continue
            # The same chain with this edge leading out: arrivals at its source before any pass.
            cut = dict(moves)
            cut[node_id] = [(t, s) for t, s in moves[node_id] if t != move.target]
            before = solve_arrivals(order, cut, entering)
            first = before[node_id] * move.share / leads if before and leads else 0.0
            passes = arrivals.get(node_id, 0.0) * move.share / leads if leads else 0.0
            result.append(LoopFigures(chain.label(node_id), chain.label(move.target), move.share, passes, first))
    return result


def _quantiles(chain: Chain, arrivals: dict, leads: int, seed: int) -> dict:
    from .simulation import cases

    per_case = sum(arrivals.values()) / leads if leads else 1.0
    count = max(200, min(QUANTILE_CASES, int(QUANTILE_STEPS / max(per_case, 1.0))))
    times, won = [], []
    wins = set(chain.wins)
    for case in cases(chain, count, seed):
        times.append(case.hours)
        if case.finished and case.last in wins:
            won.append(case.hours)
    return {
        "cases": count, "p50": _quantile(times, 0.5), "p90": _quantile(times, 0.9),
        "won_mean": sum(won) / len(won) if won else None,
        "won_p50": _quantile(won, 0.5) if won else None, "won_p90": _quantile(won, 0.9) if won else None,
    }


def _quantile(values: list[float], q: float) -> float:
    """Linear interpolation between order statistics (DuckDB's `quantile_cont` does the same)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def rounded(value):
    """Figures to six decimals: enough for any report, and the same on every run and machine."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [rounded(v) for v in value]
    return value
