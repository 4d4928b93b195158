"""A chart with more stages than a reader can follow.

The stages (decisions included; bare start and end markers not) are counted; above `max`, the
chart is reported at the first stage past the limit.

Why it matters:
    过于复杂: a process chart is read by new reps on their first day. Past a few dozen boxes it
    stops being a map and becomes a wall; split it into one chart per phase (lead handling,
    deal, delivery, after-sales) that link to each other, or merge stages that one person does
    in one sitting.

Options:
    max (default: 30)
        The most stages a chart may have.

Failing example:
    flowchart LR
        A([线索]) --> B[筛选] --> C[联系] --> D[调研] --> E[方案] --> F[报价]
        F --> G[谈判] --> H[签约] --> I[交付] --> J[验收] --> K[回款] --> L[回访]
        L --> M[续约] --> N[复购] --> O[转介绍] --> P[复盘] --> Q[归档] --> R[培训]
        R --> S[评估] --> T[激励] --> U[优化] --> V[发布] --> W[宣讲] --> X[执行]
        X --> Y[检查] --> Z[纠偏] --> AA[汇总] --> AB[汇报] --> AC[审阅] --> AD[批准]
        AD --> AE[存档] --> AF[发布] --> AG([结案])

Passing example:
    flowchart LR
        A([线索]) --> B[筛选] --> C[联系] --> D[调研] --> E[方案] --> F[报价]
        F --> G[谈判] --> H[签约] --> I[交付] --> J[验收] --> K[回款] --> L[回访]
        L --> M([结案])
"""

from __future__ import annotations

from itertools import islice

from ..api import Context, Option, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF701"
NAME = "too-many-steps"
SEVERITY = "warning"
ENABLED = True
THEME = "complexity"
TITLE = {"en": "The chart has too many stages", "zh": "阶段太多"}
FIX = {"en": "Group stages into sub-processes so that people can follow it.", "zh": "把阶段归并成子流程，便于大家理解。"}
OPTIONS = {"max": Option(30, "int", minimum=1)}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    limit = options["max"]
    count = ctx.stage_count
    if count <= limit:
        return
    stages = (n for n in ctx.process.nodes if not ctx.is_marker(n))
    yield Problem(
        next(islice(stages, limit, None)).span,
        _(
            "the chart has {count} stages, more than the {limit} a reader can follow (this is stage {this}): split "
            "it into one chart per phase, or merge stages one person does in one sitting",
            count=count, limit=limit, this=limit + 1,
        ),
    )
