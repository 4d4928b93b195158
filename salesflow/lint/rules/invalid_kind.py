"""A node's `kind` that is not one of the kinds salesflow knows.

`kind` says what a node is when its shape does not: `start`, `end`, `task` or `decision`.
Anything else (`kind: 开始`, `kind: finish`) is reported at its place, with the kind that was
probably meant. Until it is fixed the node is read as if it had no `kind`: its shape and its
place in the flow decide whether it starts, ends or branches, and every other rule runs.

Why it matters:
    `kind: end` is how a chart says "the process may stop here", and `kind: start` where it
    begins. A kind that does not read is silently lost: an end stage turns into a dead end, a
    start into an unreachable stage, and the slowest path and the handbook follow the wrong flow.

Options:
    none.

Failing example:
    flowchart TD
        A[接到询盘] --> B[报价] --> C[签约]
        A@{ kind: 开始 }
        C@{ kind: 结束 }

Passing example:
    flowchart TD
        A[接到询盘] --> B[报价] --> C[签约]
        A@{ kind: start }
        C@{ kind: end }
"""

from __future__ import annotations

from ..api import Context, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF308"
NAME = "invalid-kind"
SEVERITY = "error"
ENABLED = True
THEME = "structure"
TITLE = {"en": "A stage's kind cannot be read", "zh": "阶段类型无法识别"}
FIX = {"en": "Write start, end, task or decision.", "zh": "写 start、end、task 或 decision。"}
OPTIONS: dict = {}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    nodes = ctx.process.nodes
    for index in ctx.graph.unreadable_numbers:
        node = nodes[index]
        unreadable = node.unreadable_value("kind")
        if unreadable is not None:
            yield Problem(
                unreadable.span,
                _("the kind of {stage} does not read: {problem}", stage=ctx.show(node.id), problem=unreadable.problem),
                node=node.id,
            )
