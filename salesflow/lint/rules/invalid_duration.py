"""A deadline or target that is not a duration, or cannot be right.

A stage's `due`, or the process's `target`, written as something that is not a duration
(`due: 尽快`, `due: 一段时间`, `due: soon`, `due: 3` without a unit) is reported at its place,
with the forms that are accepted. The rest of the chart is still read and every other rule
runs: such a stage is not also reported as having no deadline, and it counts as zero in the
slowest path; the drawing and the handbook show the text as written, marked `(?)`.

A stage's `due` is also reported when it is longer than the `target` cycle time of the whole
process (one stage cannot take longer than the process it belongs to; usually a unit slipped,
10周 for 10天), and, when the options set them, when it is shorter than `shortest` or longer
than `longest`.

Why it matters:
    Deadlines are summed along the process to check it against its target and shown to new
    reps as "how long you have". "尽快" tells a new rep nothing and adds nothing up; a deadline
    off by a unit makes both wrong, and nobody notices until deals miss it.

Options:
    shortest (default: none)
        The shortest deadline a stage may have, e.g. "1h"; shorter ones are reported.
    longest (default: none)
        The longest deadline a stage may have, e.g. "8 weeks"; longer ones are reported.

Failing example:
    ---
    target: 60天
    ---
    flowchart TD
        A[报价] --> B[谈判] --> C[签约]
        A@{ due: 尽快 }
        B@{ due: 10周 }
        C@{ due: 1天 }

Passing example:
    ---
    target: 60天
    ---
    flowchart TD
        A[报价] --> B[谈判] --> C[签约]
        A@{ due: 2个工作日 }
        B@{ due: 10天 }
        C@{ due: 1天 }
"""

from __future__ import annotations

import math

from ...durations import format_hours
from ..api import Context, Option, Problem, _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF202"
NAME = "invalid-duration"
SEVERITY = "error"
ENABLED = True
THEME = "deadlines"
TITLE = {"en": "A deadline cannot be read", "zh": "时限无法识别"}
FIX = {"en": "Write a number and a unit, e.g. 4h, 3 workdays, 2个工作日.", "zh": "写数字加单位，例如 4小时、3个工作日、1周。"}
OPTIONS = {"shortest": Option(None, "duration"), "longest": Option(None, "duration")}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    target = ctx.process.target
    shortest, longest = options["shortest"], options["longest"]
    lang = "zh" if ctx.chinese else "en"
    unreadable_target = ctx.process.unreadable_value("target")
    if unreadable_target is not None:
        yield Problem(
            unreadable_target.span, _("the process's `target` does not read: {problem}", problem=unreadable_target.problem)
        )
    # Only the stages with a value that does not read, or a deadline beyond a bound, are visited.
    bounds = [bound.hours for bound in (target, longest) if bound is not None]
    high, low = min(bounds, default=math.inf), shortest.hours if shortest is not None else -math.inf
    graph, nodes = ctx.graph, ctx.process.nodes
    beyond = [index for index, due in enumerate(graph.dues) if due is not None and not low <= due.hours <= high]
    for index in sorted(set(beyond).union(graph.unreadable_numbers)):
        node = nodes[index]
        unreadable = node.unreadable_value("due")
        if unreadable is not None:
            yield Problem(
                unreadable.span,
                _("the deadline of {stage} does not read: {problem}", stage=ctx.show(node.id), problem=unreadable.problem),
                node=node.id,
            )
        due = node.due
        if due is None:
            continue
        where = ctx.node_data_span(node)
        if target is not None and due.hours > target.hours:
            yield Problem(
                where,
                _(
                    "{stage} may take {due} ({hours}), longer than the whole process's target of {target}: check "
                    "the unit of `due`, or raise `target`",
                    stage=ctx.show(node.id), due=due.text, hours=format_hours(due.hours, lang), target=target.text,
                ),
                node=node.id,
            )
        elif longest is not None and due.hours > longest.hours:
            yield Problem(
                where,
                _(
                    "{stage} may take {due}, longer than the longest deadline allowed here ({longest}): split the "
                    "stage, or check the unit of `due`",
                    stage=ctx.show(node.id), due=due.text, longest=longest.text,
                ),
                node=node.id,
            )
        if shortest is not None and due.hours < shortest.hours:
            yield Problem(
                where,
                _(
                    "{stage} may take only {due}, shorter than the shortest deadline allowed here ({shortest}): "
                    "check the unit of `due`, or merge the stage into its neighbour",
                    stage=ctx.show(node.id), due=due.text, shortest=shortest.text,
                ),
                node=node.id,
            )
