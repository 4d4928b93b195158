"""A stage with no way onward that is not an end.

A stage the flow cannot leave must be an end of the process: marked `kind: end`, or drawn as an
end usually is, a stadium `([…])` or a circle `((…))`. Any other stage without an outgoing link
is a dead end. Decisions are left to decision-needs-two-branches, stages linked to nothing
at all to disconnected, and stages whose `kind` is written but does not read (`kind: 结束`) to
invalid-kind.

Why it matters:
    A dead end is where a deal stops without anyone deciding it is done: after-sales that never
    feeds back, a contract that is signed and then nothing. Either the next stage is missing,
    or the stage really closes the process and should say so.

Options:
    none.

Failing example:
    flowchart TD
        A([线索收集]) --> B[合同签订] --> C[售后服务]

Passing example:
    flowchart TD
        A([线索收集]) --> B[合同签订] --> C[售后服务]
        C@{ kind: end }
"""

from __future__ import annotations

from ..api import Context, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator, Optional

CODE = "SF304"
NAME = "dead-end"
SEVERITY = "error"
ENABLED = True
THEME = "structure"
TITLE = {"en": "The flow stops at a stage that is not an end", "zh": "流程停在了一个不是终点的阶段"}
FIX = {"en": "Say what happens next, or mark the stage as an end.", "zh": "写明下一步做什么，或把它标为终点。"}
OPTIONS: dict = {}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    graph = ctx.graph
    only_one = len(graph.node_ids) == 1  # a lone stage is still a dead end unless it is a bare marker
    first: Optional[str] = None
    first_known = False
    for node_id in graph.sinks:
        node = ctx.process.node(node_id)
        if graph.is_end(node) or node.is_decision:
            continue
        if node.unreadable_value("kind") is not None:
            continue  # most likely meant to be an end; invalid-kind reports it
        if not graph.predecessor_numbers[graph.number[node_id]] and not only_one:
            continue  # linked to nothing: disconnected says so
        if only_one and ctx.is_marker(node):
            continue
        if not first_known:
            # Where results would be fed back to: the first real stage, never a bare start marker
            # such as `([开门营业])`, which a link into it would turn into a stage. Found once, when
            # there is a dead end to report.
            first = next((n for n in graph.flow_order if not ctx.is_marker(ctx.process.node(n))), None)
            first_known = True
        if first is not None and first != node_id and node.kind != "end":
            message = _(
                "{stage} is a dead end: nothing follows it and it is not marked as an end. Link it to the "
                "next stage (e.g. feed results back to {first}), or mark it `kind: end` if the process closes here",
                stage=ctx.show(node_id), first=ctx.show(first),
            )
        else:
            message = _(
                "{stage} is a dead end: nothing follows it and it is not marked as an end. Link it to the "
                "next stage, or mark it `kind: end` if the process closes here",
                stage=ctx.show(node_id),
            )
        yield Problem(
            node.span,
            message,
            node=node_id,
        )
