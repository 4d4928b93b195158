"""A branch of a decision without a label.

Each link leaving a decision point must say which outcome takes it: `Q -->|是| B`,
`Q -- 否 --> C`. Links that leave the subgraph around a decision are not the decision's own
branches and are not checked. Decisions with fewer than two ways out are left to
decision-needs-two-branches.

Why it matters:
    An unlabelled branch makes the reader guess the condition. Which way does a deal go when
    the discount is over 10%? The chart should answer, not the person who drew it.

Options:
    none.

Failing example:
    flowchart TD
        Q{折扣超过10%?} -->|是| A([经理审批])
        Q --> B([直接报价])

Passing example:
    flowchart TD
        Q{折扣超过10%?} -->|是| A([经理审批])
        Q -->|否| B([直接报价])
"""

from __future__ import annotations

from ..api import Context, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF502"
NAME = "unlabeled-decision-branch"
SEVERITY = "warning"
ENABLED = True
THEME = "exceptions"
TITLE = {"en": "A branch of a decision has no condition", "zh": "判断节点的分支没有写条件"}
FIX = {"en": "Label each branch with its answer, e.g. yes / no.", "zh": "在每个分支上写明条件，例如 是 / 否。"}
OPTIONS: dict = {}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    graph = ctx.graph
    ids = graph.node_ids
    decisions = {
        ids[index]
        for index, (decides, following) in enumerate(zip(graph.decision_flags, graph.successor_numbers))
        if decides and len(following) >= 2
    }
    if not decisions:
        return
    example = ctx.example_label("否", "no")
    for edge in graph.decision_edges:
        if edge.source not in decisions or (edge.label and edge.label.strip()):
            continue
        yield Problem(
            edge.span,
            _(
                "the branch from decision {decision} to {target} has no label: say which outcome takes it, e.g. "
                "`{link}`",
                decision=ctx.show(edge.source), target=ctx.show(edge.target),
                link=f"{edge.source} -->|{example}| {edge.target}",
            ),
            node=edge.source,
            edge=edge.index,
        )
