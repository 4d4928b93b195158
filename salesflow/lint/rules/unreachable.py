"""Stages the flow never reaches from the start.

The flow begins at the starts (the `kind: start` stages, or else the stages nothing leads to)
and follows the links. A stage it cannot reach is reported, once per unreachable stretch: the
first such stage is named, with the number of stages after it that are cut off with it. Parts
of the chart that are not linked to the rest at all are left to disconnected.

Why it matters:
    An unreachable stage is a stage no deal ever enters: usually a link points the wrong way
    (`B --> A` for `A --> B`) or a link to it was forgotten, and the process on paper is not
    the process the team follows.

Options:
    none.

Failing example:
    flowchart TD
        A([线索收集]) --> B[需求分析]
        A@{ kind: start }
        C[方案演示] --> B

Passing example:
    flowchart TD
        A([线索收集]) --> C[方案演示] --> B[需求分析]
        A@{ kind: start }
"""

from __future__ import annotations

from ..api import Context, Problem, _, n_

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF303"
NAME = "unreachable"
SEVERITY = "error"
ENABLED = True
THEME = "structure"
TITLE = {"en": "A stage can never be reached", "zh": "有阶段永远走不到"}
FIX = {"en": "Connect the stage to the flow, or remove it.", "zh": "把此阶段接入流程，或删除它。"}
OPTIONS: dict = {}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    graph = ctx.graph
    if 0 not in graph.reachable_flags:
        return
    reached = graph.reachable
    starts = set(graph.starts)
    parts_with_start = set()
    part_of: dict[str, int] = {}
    for index, part in enumerate(graph.components):
        for node_id in part:
            part_of[node_id] = index
            if node_id in starts:
                parts_with_start.add(index)
    covered: set[str] = set()
    first_start = graph.starts[0] if graph.starts else None
    position = {node_id: index for index, node_id in enumerate(graph.node_ids)}
    candidates = [n for n in graph.node_ids if n not in reached and part_of[n] in parts_with_start]
    # Entries first (stages whose predecessors are all reached), so each stretch is reported at
    # the stage where it begins; then whatever is left, such as a loop nothing enters.
    entries = [n for n in candidates if all(p in reached for p in graph.predecessors[n])]
    for node_id in entries + candidates:
        if node_id in covered:
            continue
        # Everything cut off behind this stage goes with it into one report.
        stretch = [node_id]
        covered.add(node_id)
        stack = [node_id]
        while stack:
            current = stack.pop()
            for nxt in graph.successors[current]:
                if nxt not in reached and nxt not in covered:
                    covered.add(nxt)
                    stretch.append(nxt)
                    stack.append(nxt)
        more = len(stretch) - 1
        after = n_(" (and {n} stage after it)", " (and {n} stages after it)", more) if more else ""
        start = _(" from {start}", start=ctx.show(first_start)) if first_start else ""
        yield Problem(
            ctx.process.node(node_id).span,
            _(
                "{stage}{after} cannot be reached{start}: link it from the stage that comes before it, check the "
                "direction of its links, or, if deals also begin here, mark it and the other first stages "
                "`kind: start`",
                stage=ctx.show(node_id), after=after, start=start,
            ),
            node=node_id,
            related=tuple(sorted(stretch[1:], key=position.__getitem__)),
        )
