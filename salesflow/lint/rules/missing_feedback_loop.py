"""Nothing flows back from the late stages to an earlier one.

The late stages are the ends of the process, the stages just before them, and the after-sales
stages (by label or owner: 售后, 回访, 复购, 续约, 客户成功, after-sales, customer success,
renewal, …). Without ends, the stages with no way onward stand in for them. At least one link
must be a way from a late stage back to an earlier stage that is not late itself, directly or
through other stages: customer feedback, referrals or repeat orders returning to lead
generation, lessons returning to qualification. A rework loop in the middle of the chart does
not count. Charts with fewer
than `min-steps` stages (start and end markers not counted) are sub-processes and are not asked
for one.

The finding is reported at the late stage a feedback link would best leave from (an
after-sales stage, else the last stage before an end) and suggests a link from there to the
first stage upstream of it that is not late: never a loop from a stage to itself.

Why it matters:
    反馈与持续改进: a process that ends at after-sales learns nothing from its customers.
    Referrals and repeat business are the cheapest leads there are, and lost-deal and
    satisfaction results are what should change the early stages.

Options:
    min-steps (default: 5)
        Charts with fewer stages than this are not checked.
    late-words (default: the list below)
        Words (compared without regard to case) that mark a stage as after-sales wherever it
        sits: 售后, 回访, 复购, 续约, 续费, 转介绍, 客户成功, 客户服务, after-sales,
        aftersales, after sales, customer success, renewal, referral.

Failing example:
    flowchart LR
        A([线索]) --> B[线索收集] --> C[需求分析] --> D[报价]
        D --> E[合同签订] --> F[售后服务] --> G([结案])

Passing example:
    flowchart LR
        A([线索]) --> B[线索收集] --> C[需求分析] --> D[报价]
        D --> E[合同签订] --> F[售后服务] --> G([结案])
        F -->|转介绍线索| B
"""

from __future__ import annotations

from itertools import compress

from ...memo import memoized
from ..api import Context, Option, Problem, _, compiled, escape, matching, normalise

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    import re
    from typing import Iterator, Optional

CODE = "SF401"
NAME = "missing-feedback-loop"
SEVERITY = "warning"
ENABLED = True
THEME = "feedback"
TITLE = {"en": "Results never flow back", "zh": "结果没有反馈回流程"}
FIX = {
    "en": "Add a path from after-sales or the end back to an earlier stage, so that lessons and referrals return.",
    "zh": "从售后或终点加一条回到前面阶段的路径，让经验和转介绍回流，形成反馈闭环。",
}

LATE_WORDS = (
    "售后", "回访", "复购", "续约", "续费", "转介绍", "客户成功", "客户服务",
    "after-sales", "aftersales", "after sales", "customer success", "renewal", "referral",
)
OPTIONS = {"min-steps": Option(5, "int", minimum=0), "late-words": Option(LATE_WORDS, "words")}


def late_stages(ctx: Context, words: tuple[str, ...]) -> bytearray:
    """Whether each stage is late, by number (see `ProcessGraph.number`)."""
    graph = ctx.graph
    number, before = graph.number, graph.predecessor_numbers
    late = bytearray(len(graph.node_ids))
    for node_id in graph.ends or graph.sinks:
        closing = number[node_id]
        late[closing] = 1
        for previous in before[closing]:
            late[previous] = 1
    pattern = _words(tuple(words))
    if pattern is not None:
        # Every stage's label and owner together is a text of its own: all searched in one go.
        texts = [node.label + " " + (node.owner or "") for node in ctx.process.nodes]
        for index in matching(pattern, texts):
            late[index] = 1
    return late


@memoized(maxsize=8)
def _words(words: tuple[str, ...]) -> "Optional[re.Pattern[str]]":
    folded = [escape(normalise(w)) for w in words if w.strip()]
    return compiled("|".join(folded)) if folded else None


def feeds_back(ctx: Context, is_late: bytearray) -> bool:
    """Whether some loop runs through a late stage and an earlier stage that is not late.

    Stages on one loop share a strongly connected component; "earlier" is the order of the
    forward flow (loops left out). One pass over the stages, so linear.
    """
    graph = ctx.graph
    order, component = graph.forward_positions, graph.strong_parts
    earliest = [len(order)] * len(order)  # by component: the earliest stage in it that is not late
    for node, part in enumerate(component):
        if not is_late[node] and order[node] < earliest[part]:
            earliest[part] = order[node]
    return any(earliest[component[node]] < order[node] for node in compress(range(len(order)), is_late))


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    if ctx.stage_count < max(options["min-steps"], 2):
        return
    is_late = late_stages(ctx, options["late-words"])
    if not any(is_late):
        return
    if feeds_back(ctx, is_late):
        return
    late = list(compress(ctx.graph.node_ids, is_late))  # in the order written
    origin, target = suggested_link(ctx, late, options["late-words"])
    label = ctx.example_label("客户反馈/转介绍", "feedback / referrals")
    if target:
        link = f"`{origin} -->|{label}| {target}`"
    else:
        link = _("{link} to an earlier stage", link=f"`{origin} -->|{label}| …`")
    shown = _(", ").join(ctx.show(n) for n in late[-3:])
    yield Problem(
        ctx.process.node(origin).span,
        _(
            "nothing flows back from the late stages ({late}) to an earlier stage: add a link that feeds results "
            "back, e.g. {link}, so feedback, referrals and repeat business reach the early stages",
            late=shown, link=link,
        ),
        node=origin,
        related=tuple(n for n in late if n != origin),
    )


def suggested_link(ctx: Context, late: list[str], words: tuple[str, ...]) -> tuple[str, Optional[str]]:
    """The late stage a feedback link would most naturally leave from, and the early stage it goes to.

    The link leaves from an after-sales stage if there is one, else from the last real stage
    before an end, and goes to the first real stage upstream of it that is not late: never to
    itself, never from one late stage to another. Markers (`([开始])`, `((结束))`) are neither
    end of it while a real stage will do. No early stage upstream: (the stage, None).
    """
    graph, process = ctx.graph, ctx.process
    pattern = _words(tuple(words))
    closing = set(graph.ends) or set(graph.sinks)
    real = [n for n in late if not ctx.is_marker(process.node(n))]
    after_sales = [n for n in real if pattern and pattern.search(normalise(process.node(n).label))]
    before_end = [n for n in real if n not in closing]
    preferred = list(dict.fromkeys([*reversed(after_sales), *reversed(before_end), *reversed(real), *reversed(late)]))
    late_set = set(late)
    # Stages with an early stage somewhere before them, found in one pass for all candidates.
    after_early = graph.reachable_from(n for e in graph.node_ids if e not in late_set for n in graph.successors[e])
    origin = next((n for n in preferred if n in after_early), None)
    if origin is None:
        return preferred[0], None
    positions, number = graph.forward_positions, graph.number
    upstream = graph.reaching([origin]) - late_set
    return origin, min(upstream, key=lambda n: (ctx.is_marker(process.node(n)), positions[number[n]]))
