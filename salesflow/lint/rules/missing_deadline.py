"""A stage without a deadline.

Every stage says how long it may take, in its node data: `A@{ due: 2个工作日 }`. Durations are
read in English or Chinese: `4h`, `2d`, `3 workdays`, `1w`, `2个工作日`, `3天`, `48小时`,
`1周`, `30分钟`, `3个月`, `1季度`, ranges (`2-3天`), limits (`1天内`) and `T+1`. Bare start and end
markers are left alone (a stadium `([…])` or circle `((…))` that nothing leads into or that leads
nowhere, with no data of its own, such as `([成交])`).

Why it matters:
    时间节点: without a deadline nobody can tell a deal that is on track from one that is
    stuck, follow-ups drift, and the process's total cycle time cannot be worked out or held
    against its target.

Options:
    ignore-markers (default: true)
        Leave bare start and end markers alone.
    ignore-decisions (default: false)
        Do not ask decision points for a deadline.

Failing example:
    flowchart TD
        A[报价] --> B[谈判]
        A@{ due: 2个工作日 }

Passing example:
    flowchart TD
        A[报价] --> B[谈判]
        A@{ due: 2个工作日 }
        B@{ due: 10个工作日 }
"""

from __future__ import annotations

from ..api import Context, Option, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF201"
NAME = "missing-deadline"
SEVERITY = "error"
ENABLED = True
THEME = "deadlines"
TITLE = {"en": "A stage has no deadline", "zh": "阶段没有时限"}
FIX = {"en": "Say how long the stage may take, e.g. 2 workdays.", "zh": "写明此阶段最多用多长时间，例如 2个工作日。"}
OPTIONS = {"ignore-markers": Option(True, "bool"), "ignore-decisions": Option(False, "bool")}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    example = ctx.example_due()
    nodes, markers = ctx.process.nodes, ctx.marker_flags
    for index in [index for index, due in enumerate(ctx.graph.dues) if due is None]:
        node = nodes[index]
        if node.unreadable_value("due") is not None:
            continue  # a deadline that does not read is invalid-duration's to report
        if options["ignore-markers"] and markers[index]:
            continue
        if options["ignore-decisions"] and node.is_decision:
            continue
        yield Problem(
            node.span,
            _(
                "{stage} has no deadline: say how long it may take in its node data (`{example}`)",
                stage=ctx.show(node.id), example=f"{node.id}@{{ due: {example} }}",
            ),
            node=node.id,
        )
