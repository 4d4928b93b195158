"""Two branches of one decision with the same label.

The labels on a decision's branches are the answers to its question: each must say which way
to go. Two branches that carry the same label (compared as a reader sees them: case, full-width
forms and spaces aside) to different stages leave the rep guessing. Reported at the second
branch. Two links that also share their target are a duplicate-edge instead.

Why it matters:
    异常处理和回退路径: `折扣审批 -->|通过| 发送报价` and `折扣审批 -->|通过| 总监审批` is
    usually a "no" written as "yes" by copy and paste, and the rejected quote has nowhere to go.

Options:
    none.

Failing example:
    flowchart TD
        Q{折扣超过20%?} -->|是| A[总监审批]
        Q -->|是| B[发送报价]

Passing example:
    flowchart TD
        Q{折扣超过20%?} -->|是| A[总监审批]
        Q -->|否| B[发送报价]
"""

from __future__ import annotations

from ..api import Context, Problem, _, normalise, plain_label, quote

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

CODE = "SF504"
NAME = "duplicate-branch-label"
SEVERITY = "warning"
ENABLED = True
THEME = "exceptions"
TITLE = {"en": "Two branches of a decision give the same answer", "zh": "判断节点的两个分支写了同样的条件"}
FIX = {"en": "Label each branch with the answer that leads there.", "zh": "每个分支写上通向它的那个答案。"}
OPTIONS: dict = {}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    seen: dict[tuple[str, str], list] = {}  # (decision, label as read) → the edges carrying it
    read: dict[str, str] = {}  # each label as read: branches repeat the same few answers
    for edge in ctx.graph.decision_edges:
        if not edge.label or not edge.label.strip():
            continue
        label = read.get(edge.label)
        if label is None:
            label = read[edge.label] = normalise(plain_label(edge.label))
        key = (edge.source, label)
        earlier = seen.setdefault(key, [])
        first = next((e for e in earlier if e.target != edge.target), None)
        earlier.append(edge)
        if first is None:
            continue
        yield Problem(
            edge.span,
            _(
                "two branches of decision {decision} say {label}: to {first} (line {line}) and to {target}. "
                "Label each branch with the answer that leads there",
                decision=ctx.show(edge.source), label=quote(edge.label), first=ctx.show(first.target),
                line=first.span.line, target=ctx.show(edge.target),
            ),
            edge=edge.index,
            node=edge.source,
        )
