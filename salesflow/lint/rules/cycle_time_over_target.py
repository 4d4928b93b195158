"""The slowest path through the process takes longer than its target cycle time.

When the front matter sets `target` (e.g. `target: 16周`), the deadlines (`due`) of the stages
along each path from a start to an end are added up, and the slowest path must fit within the
target. Loops (rework, nurturing, feedback) are counted once, not round and round: the path
follows the forward flow, and where the chart marks no end it runs on to the flow's last stage,
as the handbook's deadline table shows it. Stages without a deadline count as zero (missing-deadline reports
them), and so do stages whose deadline does not read (invalid-duration reports them; the
message names those on the slowest path, which then takes at least the time shown). A
`target` that does not read is invalid-duration's finding, and nothing is compared with it.
Working days count as 1.4 calendar days, so mixed units add up.

Why it matters:
    A target nobody can meet is not a target. If the deadlines of the stages add up to more
    than the promised cycle time, either some stage deadlines are too generous or the target
    is wishful; the message names the path and its slowest stages, the first place to look.

Options:
    none.

Failing example:
    ---
    target: 2周
    ---
    flowchart LR
        A([询盘]) --> B[报价] --> C([签约])
        A@{ due: 1天 }
        B@{ due: 10天 }
        C@{ due: 5天 }

Passing example:
    ---
    target: 3周
    ---
    flowchart LR
        A([询盘]) --> B[报价] --> C([签约])
        A@{ due: 1天 }
        B@{ due: 10天 }
        C@{ due: 5天 }
"""

from __future__ import annotations

from ...durations import format_hours
from ..api import Context, Problem, _, n_

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF203"
NAME = "cycle-time-over-target"
SEVERITY = "warning"
ENABLED = True
THEME = "deadlines"
TITLE = {"en": "The slowest path takes longer than the target", "zh": "最慢路径超出目标周期"}
FIX = {"en": "Shorten the slowest stages on the path, or agree a longer target.", "zh": "缩短路径上最慢的阶段，或重新商定目标周期。"}
OPTIONS: dict = {}

_SHOWN = 8  # stages named in full before the path is shortened with …


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    target = ctx.process.target
    if target is None or not ctx.process.nodes:
        return
    process, graph = ctx.process, ctx.graph
    total, path = graph.slowest_path
    # A little tolerance: 5 workdays and 1 week are the same 168 hours, give or take rounding.
    if not path or total <= target.hours + 1e-6:
        return
    lang = "zh" if ctx.chinese else "en"
    def label(node_id: str) -> str:
        return " ".join(process.node(node_id).text.split())

    if len(path) > _SHOWN:
        labels = [label(n) for n in path[: _SHOWN // 2]] + ["…"] + [label(n) for n in path[-(_SHOWN // 2) :]]
    else:
        labels = [label(n) for n in path]
    slowest = sorted((n for n in path if process.node(n).due), key=lambda n: -process.node(n).due.hours)[:2]  # type: ignore[union-attr]
    comma = _(", ")
    named = comma.join(f"{ctx.show(n)} {process.node(n).due.text}" for n in slowest)  # type: ignore[union-attr]
    # Stages whose deadline does not read count as zero: the path takes at least this long.
    unread = [ctx.show(n) for n in path if process.node(n).unreadable_value("due") is not None]
    values = dict(
        target=target.text, target_hours=format_hours(target.hours, lang), path=" → ".join(labels),
        stages=n_("{n} stage", "{n} stages", len(path)), named=named,
    )
    if unread:
        message = _(
            "the slowest path takes at least {total}, more than the target of {target} ({target_hours}): {path} "
            "({stages}, not counting {unread}, whose deadline does not read). Shorten its slowest stages ({named}) "
            "or raise `target`",
            total=format_hours(total, lang), unread=comma.join(unread), **values,
        )
    else:
        message = _(
            "the slowest path takes {total}, more than the target of {target} ({target_hours}): {path} ({stages}). "
            "Shorten its slowest stages ({named}) or raise `target`",
            total=format_hours(total, lang), **values,
        )
    yield Problem(
        ctx.front_matter_line("target"),
        message,
        related=tuple(path),
    )
