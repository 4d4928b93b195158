"""Goals about cycle time, but no target cycle time to check the deadlines against.

When a goal in the front matter is about how long the process takes (周期, 时长, 天内成交,
cycle time, lead time, days to close, …) but the front matter sets no `target`, the deadlines
of the stages are never added up and held against it. Reported as information, at the first
such goal.

Why it matters:
    时间节点: "缩短成交周期到30天" is only checked if the chart says so. With `target: 30天`,
    cycle-time-over-target adds up the deadlines along the slowest path and tells you whether
    the process as drawn can meet the goal.

Options:
    none.

Failing example:
    ---
    goals: [2027年底前，平均成交周期缩短到30天]
    ---
    flowchart LR
        A[报价] --> B[签约]

Passing example:
    ---
    goals: [2027年底前，平均成交周期缩短到30天]
    target: 30天
    ---
    flowchart LR
        A[报价] --> B[签约]
"""

from __future__ import annotations

import unicodedata

from ...lazy_regex import LazyRegex
from ..api import Context, Problem, _, quote

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF204"
NAME = "missing-target"
SEVERITY = "info"
ENABLED = True
THEME = "deadlines"
TITLE = {"en": "Goals are about cycle time, but there is no target", "zh": "目标涉及周期，却没有设定目标周期"}
FIX = {
    "en": "Set target in the front matter, so the deadlines are checked against it.",
    "zh": "在文件头里写上 target，让各阶段时限对照它检查。",
}
OPTIONS: dict = {}

# Words that make a goal about the process's duration. Each is a plain alternative or a short
# bounded form, so the search stays linear however long the goal.
_ABOUT_TIME = LazyRegex(
    r"周期|时长|耗时|用时|提速|[天日周月]内(?:成交|签约|完成|结案|回款)|成交时间|签约时间|交付时间"
    r"|cycle[ -]?time|lead[ -]?time|time[ -]to[ -](?:close|sign|win|deliver)|days[ -]to[ -]close"
    r"|sales[ -]cycle|turnaround"
)


def about_cycle_time(goal: str) -> bool:
    return bool(_ABOUT_TIME.search(unicodedata.normalize("NFKC", goal).casefold()))


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    process = ctx.process
    if process.target is not None or process.unreadable_value("target") is not None:
        return  # a target that is written but does not read is invalid-duration's to report
    for goal in process.goals:
        if about_cycle_time(goal):
            example = ctx.example_label("30天", "30 days")
            yield Problem(
                ctx.front_matter_line("goals", goal),
                _(
                    "the goal {goal} is about cycle time, but the front matter sets no `target`: add `{example}` "
                    "so the deadlines along the slowest path are checked against it",
                    goal=quote(goal, 40), example=f"target: {example}",
                ),
            )
            return
