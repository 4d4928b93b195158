"""Conversion rates out of one stage that add up to more than 100%.

The `rate` in a link's data (`A e1@--> B` with `e1@{ rate: 60% }`) is the share of deals at
the stage that take this link. The shares of the links leaving one stage cannot add up to more
than 100%: no deal goes two ways at once. Reported at the stage, with the rates that were
added up. (A single rate over 100% is a value that does not read, reported on its own.)

Why it matters:
    数据反馈: the rates are what `salesflow analyze` and `simulate` turn into a funnel. Rates that
    add up to more than all the deals make every figure after the stage wrong, usually because
    one rate was copied from another stage or counts from the top of the funnel.

Options:
    none.

Failing example:
    flowchart LR
        Q{成交?} e1@-->|是| A[签约]
        Q e2@-->|否| B[复盘]
        e1@{ rate: 60% }
        e2@{ rate: 55% }

Passing example:
    flowchart LR
        Q{成交?} e1@-->|是| A[签约]
        Q e2@-->|否| B[复盘]
        e1@{ rate: 45% }
        e2@{ rate: 55% }
"""

from __future__ import annotations

from ..api import Context, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF804"
NAME = "rates-over-100"
SEVERITY = "error"
ENABLED = True
THEME = "measurement"
TITLE = {"en": "Conversion rates out of a stage add up to more than 100%", "zh": "一个阶段流出的转化率加起来超过100%"}
FIX = {"en": "Correct the rates: the deals leaving a stage add up to 100% at most.", "zh": "改正转化率：离开一个阶段的商机加起来最多100%。"}
OPTIONS: dict = {}

_NAMED = 4  # rates named in the message before "…"


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    process = ctx.process
    rated: dict[str, list] = {}  # source (a stage or a subgraph) → its links with a rate, in order
    for edge in ctx.graph.flow_edges:
        if edge.rate is not None:
            rated.setdefault(edge.source, []).append(edge)
    for source, edges in rated.items():
        if len(edges) < 2:
            continue
        total = sum(edge.rate for edge in edges)
        if total <= 1 + 1e-9:
            continue
        comma = _(", ")
        shown = comma.join(
            _("{rate} to {target}", rate=edge.rate_text or _percent(edge.rate), target=ctx.show(edge.target))
            for edge in edges[:_NAMED]
        )
        if len(edges) > _NAMED:
            shown += f"{comma}…"
        if process.has_node(source):
            span, node, subgraph = process.node(source).span, source, None
        else:
            span, node, subgraph = edges[0].span, None, source
        yield Problem(
            span,
            _(
                "the conversion rates out of {source} add up to {total} ({shown}): a deal takes one way, so the "
                "shares leaving a stage add up to 100% at most. Correct the rates",
                source=ctx.show(source), total=_percent(total), shown=shown,
            ),
            node=node,
            subgraph=subgraph,
            related=tuple(edge.target for edge in edges),
        )


def _percent(share: float) -> str:
    return f"{share * 100:.4g}%"
