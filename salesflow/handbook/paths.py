"""The slowest way through a process, as the deadline table shows it.

The path itself comes from `ProcessGraph.longest_path`, which the cycle-time-over-target rule uses
too, so the handbook and the linter always name the same path and the same total.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..graph import ProcessGraph


@dataclass(frozen=True)
class SlowestPath:
    nodes: tuple[str, ...]  # node ids from a start to an end
    hours: float  # the sum of their deadlines; a stage without one adds nothing
    missing: tuple[str, ...]  # stages on the path without a deadline


def slowest_path(graph: ProcessGraph) -> Optional[SlowestPath]:
    """The start→end path with the largest total deadline, loops left out; None without one.

    It ends at a stage marked as an end (kind `end`, or a terminal shape) when one can be reached,
    otherwise at a stage from which the forward flow goes no further.

    The total is the one the cycle-time-over-target rule reports. Where the chart marks no end,
    the rule lets the path stop anywhere; as no deadline is negative, the slowest such path can
    always be carried on, at no extra time, to a stage the forward flow leaves only by loops or
    not at all. The handbook carries it on, since a reader expects the path to reach the end of
    the flow rather than stop after the first stage of a chart without deadlines.
    """
    process = graph.process
    hours = {node.id: (node.due.hours if node.due else 0.0) for node in process.nodes}
    reachable = graph.reachable
    ends = [n for n in graph.ends if n in reachable]
    if not ends:
        back = graph.back_steps
        # In flow order (not set order), so that ties always go the same way.
        ends = [n for n in graph.flow_order if n in reachable and all((n, m) in back for m in graph.successors[n])]
    total, path = graph.longest_path(hours.__getitem__, graph.starts, ends or None)
    if not path:
        return None
    missing = tuple(n for n in path if process.node(n).due is None)
    return SlowestPath(tuple(path), round(total, 6), missing)
