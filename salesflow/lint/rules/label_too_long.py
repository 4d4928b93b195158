"""A stage or link label too long to read at a glance.

Labels are measured as a reader sees them, by display width, the way a terminal or a chart box
shows them: a Chinese, Japanese or Korean character (and a full-width form) counts as two columns,
other characters as one. Markup is not counted (`<b>报价</b>` is two characters, `#quot;` one),
and a label drawn on several lines (`<br>`) is measured by its longest line. Stage labels
over `max` columns and link labels over `max-edge` columns are reported.

Why it matters:
    过于复杂: a box is a name, not a paragraph. Long labels make the chart unreadable when
    printed and push the detail where nobody maintains it; the stage's `steps`, `checks` and
    `note` are where the detail belongs, and the handbook prints them in full.

Options:
    max (default: 40)
        The widest stage label, in columns (20 Chinese characters).
    max-edge (default: 30)
        The widest link label, in columns (15 Chinese characters).

Failing example:
    flowchart TD
        A[与客户确认预算范围、决策流程、采购时间表以及所有相关干系人的意见] --> B[报价]

Passing example:
    flowchart TD
        A[确认预算和决策流程] --> B[报价]
        A@{ steps: [确认预算范围, 确认决策流程和采购时间表, 收集干系人意见] }
"""

from __future__ import annotations

from ...textwidth import display_width
from ..api import Context, Option, Problem, _, quote

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF703"
NAME = "label-too-long"
SEVERITY = "warning"
ENABLED = True
THEME = "complexity"
TITLE = {"en": "A stage name is too long", "zh": "阶段名称太长"}
FIX = {"en": "Shorten the name; put details into the steps.", "zh": "缩短名称，把细节写进工作步骤。"}
OPTIONS = {"max": Option(40, "int", minimum=1), "max-edge": Option(30, "int", minimum=1)}


def _width(text: str, limit: int) -> int:
    """The widest line's display width; 0 when the text cannot be over `limit` anyway."""
    if len(text) * 2 <= limit:
        return 0  # every character is at most two columns: no need to measure
    return max(display_width(line) for line in text.split("\n"))


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    limit, edge_limit = options["max"], options["max-edge"]
    for node in ctx.process.nodes:
        # What a reader sees is never longer than the label as written (entity codes and markup
        # only shrink), so a label short as written needs no reading.
        if len(node.label) * 2 <= limit:
            continue
        width = _width(node.text, limit)
        if width > limit:
            yield Problem(
                node.span,
                _(
                    "the label of {label} is {width} columns wide, more than {limit}: name the stage in a few words "
                    "and move the detail into its `steps` or `note`",
                    label=quote(node.text, 24), width=width, limit=limit,
                ),
                node=node.id,
            )
    for edge in ctx.graph.flow_edges:
        if edge.label is None or len(edge.label) * 2 <= edge_limit or not edge.text:
            continue
        width = _width(edge.text, edge_limit)
        if width > edge_limit:
            yield Problem(
                edge.span,
                _(
                    "the label {label} on the link from {source} to {target} is {width} columns wide, more than "
                    "{limit}: keep the condition or hand-over short and put the rest in the link's `note`",
                    label=quote(edge.text, 24), source=ctx.show(edge.source), target=ctx.show(edge.target),
                    width=width, limit=edge_limit,
                ),
                edge=edge.index,
            )
