"""A conversion rate that is not a rate.

A link's `rate` (in its edge data: `A e1@--> B` then `e1@{ rate: 60% }`) is a share of the deals
that take the link: a percentage from `0%` to `100%`, or a fraction from `0` to `1`. Anything
else (`rate: high`, `rate: 六成`, `rate: 150%`) is reported at its place. The rest of the chart
is still read and reviewed; the drawing and the handbook show the text as written, marked `(?)`.

Why it matters:
    Conversion rates are how a team sees where deals leak out of the funnel. A rate nobody can
    read cannot be compared, added up or tracked against last quarter's.

Options:
    none.

Failing example:
    flowchart LR
        A[报价] e1@--> B[签约]
        e1@{ rate: high }

Passing example:
    flowchart LR
        A[报价] e1@--> B[签约]
        e1@{ rate: 60% }
"""

from __future__ import annotations

from ..api import Context, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF803"
NAME = "invalid-rate"
SEVERITY = "error"
ENABLED = True
THEME = "measurement"
TITLE = {"en": "A conversion rate cannot be read", "zh": "转化率无法识别"}
FIX = {"en": "Write a percentage or a fraction, e.g. 60% or 0.6.", "zh": "写百分比或小数，例如 60% 或 0.6。"}
OPTIONS: dict = {}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    for edge in ctx.process.edges:
        unreadable = edge.unreadable_value("rate")
        if unreadable is not None:
            yield Problem(
                unreadable.span,
                _(
                    "the rate of the link from {source} to {target} does not read: {problem}",
                    source=ctx.show(edge.source), target=ctx.show(edge.target), problem=unreadable.problem,
                ),
                edge=edge.index,
            )
