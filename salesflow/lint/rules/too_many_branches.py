"""A stage that fans out to too many next stages.

A stage or decision that links onward to more than `max` different stages is reported.

Why it matters:
    过于复杂: a decision with six outcomes is six decisions in one box, and nobody can tell
    which condition wins when two apply. Break it into a short chain of yes/no questions, or
    route by one criterion first (region, then deal size).

Options:
    max (default: 4)
        The most different next stages one stage may have.

Failing example:
    flowchart TD
        Q{线索来源?} -->|展会| A[展会跟进]
        Q -->|官网| B[官网跟进]
        Q -->|转介绍| C[转介绍跟进]
        Q -->|电话| D[电话跟进]
        Q -->|社交媒体| E[社媒跟进]

Passing example:
    flowchart TD
        Q{线索来源?} -->|线上| A[线上跟进]
        Q -->|线下| B[线下跟进]
        Q -->|转介绍| C[转介绍跟进]
"""

from __future__ import annotations

from ..api import Context, Option, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF702"
NAME = "too-many-branches"
SEVERITY = "warning"
ENABLED = True
THEME = "complexity"
TITLE = {"en": "A stage branches too many ways", "zh": "一个阶段的分支太多"}
FIX = {"en": "Split the decision into smaller ones.", "zh": "把这个判断拆成几个更小的判断。"}
OPTIONS = {"max": Option(4, "int", minimum=1)}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    limit = options["max"]
    for node, following in zip(ctx.process.nodes, ctx.graph.successor_numbers):
        count = len(following)
        if count <= limit:
            continue
        yield Problem(
            node.span,
            _(
                "{stage} branches to {count} stages, more than {limit}: split it into a short chain of yes/no "
                "questions, or route by one criterion first",
                stage=ctx.show(node.id), count=count, limit=limit,
            ),
            node=node.id,
        )
