"""A stage that nobody is responsible for.

Every stage needs one role that answers for it. A stage has an owner when its node data says so
(`A@{ owner: 客户经理 }`) or when it sits in a department lane: a subgraph listed under `lanes:`
in the front matter, or any top-level subgraph of a Mermaid swimlane diagram (`swimlane-beta`),
gives its title to every stage inside that does not name its own owner.
Bare start and end markers are not stages and are left alone: a stadium `([…])` or circle
`((…))` (or `kind: start` / `kind: end`) that nothing leads into or that leads nowhere, with no
data of its own, whatever its label says (`([开始])`, `([成交])`, `([丢单])`).

Why it matters:
    责任人 is the first thing a sales-process review asks for. A stage without an owner is the one
    where deals wait: everyone assumes someone else follows up, and nobody is asked why it stalled.

Options:
    ignore-markers (default: true)
        Leave bare start and end markers alone. Set to false to require an owner on them too.

Failing example:
    flowchart TD
        A[需求分析] --> B[报价与谈判]
        A@{ owner: 客户经理 }

Passing example:
    ---
    lanes: [sales]
    ---
    flowchart TD
        subgraph sales[销售部]
            A[需求分析] --> B[报价与谈判]
        end
        B@{ owner: 销售经理 }
"""

from __future__ import annotations

from ..api import Context, Option, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF101"
NAME = "missing-owner"
SEVERITY = "error"
ENABLED = True
THEME = "owners"
TITLE = {"en": "A stage has no owner", "zh": "阶段没有责任人"}
FIX = {
    "en": "Name the one role that answers for this stage, or put it in a department lane.",
    "zh": "为此阶段指定一个具体负责的岗位，或把它放进部门泳道。",
}
OPTIONS = {"ignore-markers": Option(True, "bool")}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    nodes, markers = ctx.process.nodes, ctx.marker_flags
    for index in [index for index, owner in enumerate(ctx.graph.owners) if not owner]:
        node = nodes[index]
        if options["ignore-markers"] and markers[index]:
            continue
        yield Problem(
            node.span,
            _(
                "{stage} has no owner: name the role responsible for it in its node data (`{example}`), "
                "or put it in a department lane",
                stage=ctx.show(node.id), example=f"{node.id}@{{ owner: {ctx.for_reader('客户经理', '…')} }}",
            ),
            node=node.id,
        )
