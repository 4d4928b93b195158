"""A deadline that reads as a duration but cannot be right.

A stage's `due` is reported when it is longer than the `target` cycle time of the whole process
(one stage cannot take longer than the process it belongs to; usually a unit slipped, 10周 for
10天), and, when the options set them, when it is shorter than `shortest` or longer than
`longest`.

Text that is not a duration at all (`due: 两三天`, `due: soon`, `due: 3` without a unit) is
refused earlier, when the file is read: salesflow reports it as an error at its position, with
the accepted forms, and no rule runs on that file until it is fixed.

Why it matters:
    Deadlines are summed along the process to check it against its target and shown to new
    reps as "how long you have". A deadline off by a unit makes both wrong, and nobody notices
    until deals miss it.

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
        A[报价] --> B[谈判]
        A@{ due: 2个工作日 }
        B@{ due: 10周 }

Passing example:
    ---
    target: 60天
    ---
    flowchart TD
        A[报价] --> B[谈判]
        A@{ due: 2个工作日 }
        B@{ due: 10天 }
"""

from __future__ import annotations

from typing import Iterator

from ...durations import format_hours
from ..engine import Context, Option, Problem

CODE = "SF202"
NAME = "invalid-duration"
SEVERITY = "error"
ENABLED = True
THEME = "deadlines"
OPTIONS = {"shortest": Option(None, "duration"), "longest": Option(None, "duration")}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    target = ctx.process.target
    shortest, longest = options["shortest"], options["longest"]
    lang = "zh" if ctx.chinese else "en"
    for node in ctx.process.nodes:
        due = node.due
        if due is None:
            continue
        where = ctx.node_data_span(node)
        if target is not None and due.hours > target.hours:
            yield Problem(
                where,
                f"{ctx.show(node.id)} may take {due.text} ({format_hours(due.hours, lang)}), longer than the whole "
                f"process's target of {target.text}: check the unit of `due`, or raise `target`",
                node=node.id,
            )
        elif longest is not None and due.hours > longest.hours:
            yield Problem(
                where,
                f"{ctx.show(node.id)} may take {due.text}, longer than the longest deadline allowed here "
                f"({longest.text}): split the stage, or check the unit of `due`",
                node=node.id,
            )
        if shortest is not None and due.hours < shortest.hours:
            yield Problem(
                where,
                f"{ctx.show(node.id)} may take only {due.text}, shorter than the shortest deadline allowed here "
                f"({shortest.text}): check the unit of `due`, or merge the stage into its neighbour",
                node=node.id,
            )
