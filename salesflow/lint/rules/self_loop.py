"""A stage that links to itself.

A link from a stage straight back to the same stage (`A --> A`) is reported.

Why it matters:
    A self-loop says "repeat until done" without saying when it is done or who decides. A
    retry reads better as a decision (`资料齐全?`) whose "no" branch returns to the stage, so
    the condition for moving on is written down.

Options:
    none.

Failing example:
    flowchart TD
        A([收集资料]) --> A
        A --> B([提交审批])

Passing example:
    flowchart TD
        A([收集资料]) --> Q{资料齐全?}
        Q -->|否| A
        Q -->|是| B([提交审批])
"""

from __future__ import annotations

from operator import eq

from ..api import Context, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF307"
NAME = "self-loop"
SEVERITY = "warning"
ENABLED = True
THEME = "structure"
TITLE = {"en": "A stage leads back to itself", "zh": "阶段指回了自己"}
FIX = {"en": "Draw the rework as its own stage, or remove the loop.", "zh": "把返工画成单独的阶段，或去掉这条回线。"}
OPTIONS: dict = {}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    graph = ctx.graph
    # Node to node, a link to itself is a step whose two ends have one number.
    if graph.node_to_node and not any(map(eq, *graph.step_numbers)):
        return
    question = ctx.example_label("完成了吗?", "Done?")
    for edge in graph.flow_edges:
        if edge.source != edge.target:
            continue
        yield Problem(
            edge.span,
            _(
                "{stage} links to itself: draw the retry as a decision (e.g. `{question}`) whose negative branch "
                "returns here, so the condition for moving on is written down",
                stage=ctx.show(edge.source), question=f"{{{question}}}",
            ),
            edge=edge.index,
            node=edge.source if ctx.process.has_node(edge.source) else None,
        )
