"""A process with no end.

A deal leaves the process at an end: a stage marked `kind: end`, or one drawn as an end usually is,
a stadium `([…])` or a circle `((…))`, that nothing follows. A stage that nothing follows and that
is not marked is a dead end (dead-end reports it). When every stage leads on to another, none is
marked as an end and none but the start is drawn as one, the chart has no end at all: every path
turns back into the flow, and no deal is ever won, lost or closed. That is reported once, at the
stage the flow reaches last. (An end drawn so with a feedback link leaving it, `I([售后服务]) -.->
A`, is an end: the link says what is learned from the deals that finish there.)

Why it matters:
    A process people can follow says where it is done: a contract signed, an order delivered,
    a lead given up. A chart that only loops (after-sales feeding referrals straight back to
    lead capture, say) leaves the new rep without a finish line, and leaves out the cases that
    leave the funnel.

Options:
    none.

Failing example:
    flowchart LR
        A([线索收集]) --> B[报价] --> C[成交与交付] --> D[售后回访]
        D -->|转介绍| A

Passing example:
    flowchart LR
        A([线索收集]) --> B[报价] --> C[成交与交付] --> D[售后回访]
        D -->|转介绍| A
        D --> E([订单完成])
"""

from __future__ import annotations

from ...model import TERMINAL_SHAPES
from ..api import Context, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

    from ...graph import ProcessGraph
    from ...model import Node

CODE = "SF310"
NAME = "no-end"
SEVERITY = "error"
ENABLED = True
THEME = "structure"
TITLE = {"en": "The process has no end", "zh": "流程没有终点"}
FIX = {
    "en": "Add the stage where a deal is done, or mark it with kind: end.",
    "zh": "加上流程结束的阶段，或用 kind: end 标出它。",
}
OPTIONS: dict = {}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    graph = ctx.graph
    if not graph.node_ids or graph.sinks or graph.ends:
        return  # no stages (no-start says so), or somewhere the flow stops
    starts = set(graph.starts)
    if any(_drawn_as_an_end(graph, node) for node in ctx.process.nodes if node.id not in starts):
        return
    # The stage the flow reaches last is where the finish is missing, most often: the after-sales
    # stage that feeds straight back to the first.
    last = ctx.process.node(graph.flow_order[-1])
    taken = set(graph.node_ids)
    end_id = next(name for name in (f"done{n}" if n else "done" for n in range(len(taken) + 1)) if name not in taken)
    yield Problem(
        last.span,
        _(
            "the process has no end: every stage leads on to another, so no deal ever leaves the flow. If the "
            "process closes at {stage}, mark it `{mark}` (its links back stay, as feedback); otherwise add the "
            "stage where a deal is done, e.g. `{example}`",
            stage=ctx.show(last.id), mark=f"{last.id}@{{ kind: end }}",
            example=f"{last.id} --> {end_id}([{ctx.example_label('订单完成', 'Order closed')}])",
        ),
        node=last.id,
    )


def _drawn_as_an_end(graph: ProcessGraph, node: Node) -> bool:
    """A stage other than the start drawn as an end, `([售后服务])`, that the flow leads into, though a
    link leaves it: the chart's finish with its feedback loop (`I -.->|复购与转介绍| A`) is where a
    deal leaves the process, and the loop says what is learned from it. `kind:` overrides the
    drawing."""
    if node.kind is not None or node.shape not in TERMINAL_SHAPES:
        return False
    return bool(graph.predecessor_numbers[graph.number[node.id]])
