"""A decision with fewer than two ways out.

A decision point (a `{…}` rhombus or `{{…}}` hexagon, or `kind: decision`) chooses between
outcomes, so it needs at least two links to different stages. One with a single way out
decides nothing; one with none is a dead end.

Why it matters:
    异常处理: a decision with one branch is the happy path dressed up as a check. What happens
    when the answer is "no" (the budget is not confirmed, the contract is not approved) is
    exactly what a new rep needs the chart for.

Options:
    none.

Failing example:
    flowchart TD
        A([需求分析]) --> Q{预算明确?}
        Q -->|是| B([方案设计])

Passing example:
    flowchart TD
        A([需求分析]) --> Q{预算明确?}
        Q -->|是| B([方案设计])
        Q -->|否| A
"""

from __future__ import annotations

from ..api import Context, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF501"
NAME = "decision-needs-two-branches"
SEVERITY = "error"
ENABLED = True
THEME = "exceptions"
TITLE = {"en": "A decision has fewer than two branches", "zh": "判断节点少于两个分支"}
FIX = {"en": "Draw what happens for each answer.", "zh": "把每种结果之后做什么都画出来。"}
OPTIONS: dict = {}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    yes, no = ctx.example_label("是", "yes"), ctx.example_label("否", "no")
    graph = ctx.graph
    for node, following, decides in zip(ctx.process.nodes, graph.successor_numbers, graph.decision_flags):
        if len(following) >= 2 or not decides:
            continue
        ways = [graph.node_ids[n] for n in following]
        if not ways:
            message = _(
                "decision {decision} has no way out: add a link for each outcome, e.g. `{yes_link}` and `{no_link}`",
                decision=ctx.show(node.id), yes_link=f"{node.id} -->|{yes}| …", no_link=f"{node.id} -->|{no}| …",
            )
        else:
            message = _(
                "decision {decision} has only one way out (to {target}): add the other outcome (e.g. "
                "`{no_link}`), or draw it as an ordinary stage `[…]` if nothing is decided here",
                decision=ctx.show(node.id), target=ctx.show(ways[0]), no_link=f"{node.id} -->|{no}| …",
            )
        yield Problem(node.span, message, node=node.id)
