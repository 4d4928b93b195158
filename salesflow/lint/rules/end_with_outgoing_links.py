"""A stage marked as an end that still leads on.

`kind: end` says the process closes at this stage. A stage marked so that links on to further
stages contradicts itself: the slowest path (cycle-time-over-target, the handbook's deadline
table) stops at it, so the stages after it silently drop out of the cycle time, and a reader
does not know whether the deal is done. Links that lead back to an earlier stage (feedback,
referrals, repeat business) are what an end should have, and are not reported.

Why it matters:
    时间节点: the cycle time promised to customers is checked along the slowest path. An end
    in the middle of the chart cuts that path short, and the target looks met when it is not.

Options:
    none.

Failing example:
    flowchart LR
        A([询盘]) --> B[合同签订] --> C[交付] --> D([结案])
        B@{ kind: end }

Passing example:
    flowchart LR
        A([询盘]) --> B[合同签订] --> C[交付] --> D[售后回访]
        D@{ kind: end }
"""

from __future__ import annotations

from ..api import Context, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF309"
NAME = "end-with-outgoing-links"
SEVERITY = "error"
ENABLED = True
THEME = "structure"
TITLE = {"en": "A stage marked as the end still leads on", "zh": "标为终点的阶段后面还有连线"}
FIX = {"en": "Remove kind: end, or the links out of the stage.", "zh": "去掉 kind: end，或去掉从它出去的连线。"}
OPTIONS: dict = {}

_NAMED = 3  # next stages named in the message before "…"


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    graph = ctx.graph
    nodes = ctx.process.nodes
    for index in [index for index, kind in enumerate(graph.kinds) if kind == "end"]:
        node = nodes[index]
        # A link that comes back round to the end is feedback, not a later stage.
        onward = (graph.node_ids[n] for n in graph.successor_numbers[graph.number[node.id]])
        following = [n for n in onward if not graph.on_cycle(node.id, n)]
        if not following:
            continue
        comma = _(", ")
        named = comma.join(ctx.show(n) for n in following[:_NAMED]) + (f"{comma}…" if len(following) > _NAMED else "")
        yield Problem(
            ctx.node_data_span(node),
            _(
                "{stage} is marked `kind: end` but leads on to {named}: the slowest path stops at an end, so the "
                "stages after it drop out of the cycle time. Remove `kind: end`, or the links out of it",
                stage=ctx.show(node.id), named=named,
            ),
            node=node.id,
            related=tuple(following),
        )
