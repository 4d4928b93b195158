"""Parts of the chart that are not linked to the rest.

A process is one connected flow. When the chart falls apart into pieces with no link between
them, every piece but the largest is reported at its first stage, with the number of stages in
it. A stage that is linked to nothing at all is one such piece. Invisible links (`~~~`) only
place boxes on the page and do not connect anything.

Why it matters:
    A piece cut off from the flow is a second process hiding in the chart, or a stage whose
    links were forgotten. Readers cannot tell how a deal gets from one piece to the other.

Options:
    none.

Failing example:
    flowchart TD
        A([线索收集]) --> B[需求分析]
        C[售后回访] --> D([结案])

Passing example:
    flowchart TD
        A([线索收集]) --> B[需求分析] --> C[售后回访] --> D([结案])
"""

from __future__ import annotations

from ..api import Context, Problem, _, n_

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF305"
NAME = "disconnected"
SEVERITY = "error"
ENABLED = True
THEME = "structure"
TITLE = {"en": "Part of the chart is not connected to the rest", "zh": "流程图有一部分与其余部分不相连"}
FIX = {"en": "Connect the parts, or make them separate charts.", "zh": "把几部分连起来，或拆成单独的流程图。"}
OPTIONS: dict = {}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    if max(ctx.graph.part_numbers, default=0) < 1:
        return  # one part: no need to list its stages
    parts = ctx.graph.components
    main = max(range(len(parts)), key=lambda i: (len(parts[i]), -i))
    for index, part in enumerate(parts):
        if index == main:
            continue
        first = part[0]
        node = ctx.process.node(first)
        if len(part) == 1:
            message = _(
                "{stage} is not linked to any other stage: link it into the flow, or remove it", stage=ctx.show(first)
            )
        else:
            message = n_(
                "{stage} and {n} other stage linked to it are cut off from the rest of the process ({main} …): "
                "link them into the flow, or move them to a chart of their own",
                "{stage} and {n} other stages linked to it are cut off from the rest of the process ({main} …): "
                "link them into the flow, or move them to a chart of their own",
                len(part) - 1, stage=ctx.show(first), main=ctx.show(parts[main][0]),
            )
        yield Problem(node.span, message, node=first, related=tuple(part[1:]))
