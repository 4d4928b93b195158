"""The slowest way through a process, as the deadline table shows it.

The path itself is `ProcessGraph.slowest_path`, the one the cycle-time-over-target rule names too,
so the handbook and the linter always show the same path and the same total.
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
    """`ProcessGraph.slowest_path` with the stages on it that have no deadline; None without one."""
    total, path = graph.slowest_path
    if not path:
        return None
    missing = tuple(n for n in path if graph.process.node(n).due is None)
    return SlowestPath(path, round(total, 6), missing)
