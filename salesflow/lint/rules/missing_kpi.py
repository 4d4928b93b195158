"""A stage without a measure of how well it works.

Each stage lists at least one KPI in its node data: `A@{ kpi: [首次接触到约访转化率不低于40%] }`.
Decisions and bare start and end markers (a stadium `([…])` or circle `((…))` that nothing
leads into or that leads nowhere, with no data of its own, such as `([成交])`) are left alone by
default. The rule is off in the `recommended` preset; `strict` and `all` turn it on, or enable it on its own in the config:
`missing-kpi = "warning"`.

Why it matters:
    数据反馈: what is not measured is not managed. A KPI per stage (conversion to the next
    stage, time in stage, first-time-right rate) is how a sales manager finds the stage where
    the funnel leaks.

Options:
    ignore-decisions (default: true)
        Do not ask decision points for a KPI.
    ignore-markers (default: true)
        Leave bare start and end markers alone.

Failing example:
    flowchart TD
        A[初次接触] --> B[需求调研]
        A@{ kpi: [约访转化率不低于40%] }

Passing example:
    flowchart TD
        A[初次接触] --> B[需求调研]
        A@{ kpi: [约访转化率不低于40%] }
        B@{ kpi: [调研到方案转化率不低于60%] }
"""

from __future__ import annotations

from ..api import Context, Option, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF801"
NAME = "missing-kpi"
SEVERITY = "warning"
ENABLED = False
THEME = "measurement"
TITLE = {"en": "A stage has no KPI", "zh": "阶段没有考核指标"}
FIX = {"en": "Add a measure that shows whether the stage works.", "zh": "加一个能看出此阶段做得好不好的指标。"}
OPTIONS = {"ignore-decisions": Option(True, "bool"), "ignore-markers": Option(True, "bool")}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    example = ctx.example_label("转化率不低于30%", "conversion to the next stage of 30% or more")
    for node in ctx.process.nodes:
        if node.kpi:
            continue
        if options["ignore-decisions"] and node.is_decision:
            continue
        if options["ignore-markers"] and ctx.is_marker(node):
            continue
        yield Problem(
            node.span,
            _(
                "{stage} has no KPI: add a measure of how well it works to its node data (`{example}`)",
                stage=ctx.show(node.id), example=f"{node.id}@{{ kpi: [{example}] }}",
            ),
            node=node.id,
        )
