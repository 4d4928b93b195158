"""A process with no clear beginning.

A process starts at its `kind: start` stages; without any, at the stages nothing leads to. When
every stage has another stage leading into it (the chart is one big loop) and none is marked
as the start, where a deal enters is a guess: salesflow takes the first stage written. That is
reported, unless the first stage is drawn as a start usually is, as a stadium `([…])` or a
circle `((…))`. An empty chart, with no stages at all, is reported too.

Why it matters:
    A new rep reading the chart, and every check that follows the flow (unreachable stages,
    cycle time, the handbook's stage order), need to know where a deal comes in.

Options:
    none.

Failing example:
    flowchart TD
        A[报价] --> B[谈判]
        B -->|客户还价| A

Passing example:
    flowchart TD
        A[报价] --> B[谈判]
        B -->|客户还价| A
        A@{ kind: start }
"""

from __future__ import annotations

from ...model import TERMINAL_SHAPES, Span
from ..api import Context, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF301"
NAME = "no-start"
SEVERITY = "error"
ENABLED = True
THEME = "structure"
TITLE = {"en": "The process has no start", "zh": "流程没有起点"}
FIX = {"en": "Mark the first stage with kind: start.", "zh": "用 kind: start 标出第一个阶段。"}
OPTIONS: dict = {}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    process, graph = ctx.process, ctx.graph
    if not process.nodes:
        yield Problem(
            Span.point(process.line_offset + 1, 1),
            _("the chart has no stages: add the process's stages and the links between them"),
        )
        return
    if graph.declared_starts or graph.sources:
        return
    first = process.nodes[0]
    if first.shape in TERMINAL_SHAPES:
        return
    yield Problem(
        first.span,
        _(
            "every stage has another leading into it, so the process has no clear beginning (salesflow takes the "
            "first stage written, {stage}): mark the real first stage with `kind: start` in its node data, e.g. "
            "`{example}`",
            stage=ctx.show(first.id), example=f"{first.id}@{{ kind: start }}",
        ),
        node=first.id,
    )
