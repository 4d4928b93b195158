"""The same link drawn twice.

Two links with the same source and the same target (as written: stages or subgraphs) are
reported at the second one. When their labels differ, the message says so: two branches that
end at the same stage decide nothing.

Why it matters:
    A duplicate link is usually a copy-paste slip, or a decision whose "yes" and "no" both lead
    to the same place. Either way the chart says less than it seems to, and conversion rates or
    notes on one copy are missing from the other.

Options:
    none.

Failing example:
    flowchart TD
        A[报价] --> B[谈判]
        A --> B

Passing example:
    flowchart TD
        A[报价] --> B[谈判]
        B -->|客户还价| A
"""

from __future__ import annotations

from ..api import Context, Problem, _, quote

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF306"
NAME = "duplicate-edge"
SEVERITY = "warning"
ENABLED = True
THEME = "structure"
TITLE = {"en": "The same connection is drawn twice", "zh": "同一条连线画了两次"}
FIX = {"en": "Keep one of the two arrows.", "zh": "保留其中一条。"}
OPTIONS: dict = {}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    graph = ctx.graph
    # Node to node, every edge is a step, and the distinct next nodes count the distinct links:
    # as many as edges, and none repeats (no need to look at each).
    if graph.node_to_node and sum(map(len, graph.successor_numbers)) == len(graph.flow_edges):
        return
    first_seen: dict[tuple[str, str], object] = {}
    for edge in graph.flow_edges:
        key = (edge.source, edge.target)
        first = first_seen.get(key)
        if first is None:
            first_seen[key] = edge
            continue
        source, target = ctx.show(edge.source), ctx.show(edge.target)
        line = first.span.line  # type: ignore[attr-defined]
        labels = (first.text or "", edge.text or "")  # type: ignore[attr-defined]
        if labels[0] != labels[1] and all(labels):
            message = _(
                "{first_label} and {second_label} both lead from {source} to {target} (the first on line {line}): "
                "branches that end at the same stage decide nothing; point one elsewhere, or merge them",
                first_label=quote(labels[0]), second_label=quote(labels[1]), source=source, target=target, line=line,
            )
        else:
            message = _(
                "this link from {source} to {target} repeats the one on line {line}: remove one of them",
                source=source, target=target, line=line,
            )
        yield Problem(edge.span, message, edge=edge.index)
