"""More than one place where the process begins.

Without any `kind: start` stage, every stage that nothing leads to is a start. Two of them in
the same connected chart usually mean a missing link: a stage whose predecessor was forgotten.
Each start after the first (in the order written) is reported. Stages that stand alone,
linked to nothing, are left to disconnected, and so are separate parts of the chart.

Several `kind: start` stages are a deliberate choice (leads from events and leads from the
website enter the same process) and are accepted unless `allow-declared` is false.

Why it matters:
    A second, accidental entry point is a stage that deals reach from nowhere: the step before
    it has no arrow, so nobody knows who hands the deal over.

Options:
    allow-declared (default: true)
        Accept several stages marked `kind: start`. Set to false to have one start only.

Failing example:
    flowchart TD
        A([线索收集]) --> C[需求分析]
        B[电话邀约] --> C

Passing example:
    flowchart TD
        A([线索收集]) --> B[电话邀约] --> C[需求分析]
"""

from __future__ import annotations

from ..api import Context, Option, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF302"
NAME = "multiple-starts"
SEVERITY = "warning"
ENABLED = True
THEME = "structure"
TITLE = {"en": "The process has several starts", "zh": "流程有多个起点"}
FIX = {"en": "Keep one entry point, or join the starts into one first stage.", "zh": "只保留一个入口，或把几个起点合并到同一个首阶段。"}
OPTIONS = {"allow-declared": Option(True, "bool")}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    graph = ctx.graph
    if graph.declared_starts:
        if options["allow-declared"] or len(graph.declared_starts) < 2:
            return
        first = graph.declared_starts[0]
        for node_id in graph.declared_starts[1:]:
            yield Problem(
                ctx.process.node(node_id).span,
                _(
                    "{stage} is marked as a start besides {first}: keep one `kind: start` and link the other "
                    "into the flow",
                    stage=ctx.show(node_id), first=ctx.show(first),
                ),
                node=node_id,
            )
        return
    part_of, number = graph.part_numbers, graph.number  # by node number (see `ProcessGraph.number`)
    first_in_part: dict[int, str] = {}
    for node_id in graph.sources:
        if not graph.successor_numbers[number[node_id]]:
            continue  # linked to nothing at all: disconnected reports it
        part = part_of[number[node_id]]
        if part not in first_in_part:
            first_in_part[part] = node_id
            continue
        first = first_in_part[part]
        yield Problem(
            ctx.process.node(node_id).span,
            _(
                "{stage} is a second starting point besides {first}: nothing leads to it. Link it from the stage "
                "before it, or mark the real start with `kind: start`",
                stage=ctx.show(node_id), first=ctx.show(first),
            ),
            node=node_id,
        )
