"""A decision whose every branch moves forward, or a chart with no decision at all.

A branch of a decision is a fallback when it returns (its stage leads back to the decision:
rework, retry, back to nurturing) or exits (it runs, without joining another path first, into
an end or a stage with no way onward: lost deal, disqualified lead, 登记归档 → 结束). A decision all of whose
branches carry on forward is reported: nothing handles the "no". A chart of `min-steps`
stages or more without a single decision is reported too: it describes the happy path only.

Why it matters:
    异常处理和回退路径: real deals stall, get rejected and come back. A chart with no way back
    teaches reps that every lead closes, and leaves them without a procedure when one does not.

Options:
    min-steps (default: 5)
        A chart with at least this many stages must have a decision. 0 turns that check off.

Failing example:
    flowchart TD
        A([提交报价]) --> Q{经理批准?}
        Q -->|是| B[发送报价]
        Q -->|否| C[降价后发送]
        B --> D[客户确认]
        C --> D
        D --> E([签约])

Passing example:
    flowchart TD
        A([提交报价]) --> Q{经理批准?}
        Q -->|是| B[发送报价]
        Q -->|否| C[调整价格]
        B --> D([客户确认])
        C -->|重新提交| A
"""

from __future__ import annotations

from typing import Iterator

from ..engine import Context, Option, Problem

CODE = "SF503"
NAME = "missing-fallback"
SEVERITY = "warning"
ENABLED = True
THEME = "exceptions"
OPTIONS = {"min-steps": Option(5, "int", minimum=0)}


def check(ctx: Context, options: dict) -> Iterator[Problem]:
    process, graph = ctx.process, ctx.graph
    decisions = [n for n in process.nodes if n.is_decision]
    stages = [n for n in process.nodes if not ctx.is_marker(n)]
    if not decisions:
        if options["min-steps"] and len(stages) >= options["min-steps"]:
            question = ctx.example_label("是否成交?", "Deal won?")
            no = ctx.example_label("否", "no")
            yield Problem(
                stages[0].span,
                f"the chart has no decision point, so it shows the happy path only: add the checks where deals "
                f"stall or fail (e.g. `{{{question}}}`) with a `{no}` branch that goes back to an earlier "
                "stage or out to an end",
            )
        return
    ends = set(graph.ends)
    exits: dict[str, bool] = {}

    def runs_out(start: str) -> bool:
        """Whether a branch from `start` reaches an end or a stop before joining another path."""
        if start in exits:
            return exits[start]
        current = start
        seen = set()
        result = False
        while current not in seen:
            seen.add(current)
            following = graph.successors[current]
            if current in ends or not following:
                result = True
                break
            node = process.node(current)
            if len(following) != 1 or node.is_decision:
                break
            nxt = following[0]
            if len(graph.predecessors[nxt]) != 1 and nxt not in ends:
                break  # it joins another path: the deal carries on with the others
            current = nxt
        exits[start] = result
        return result

    for node in decisions:
        branches = graph.successors[node.id]
        if len(branches) < 2:
            continue  # decision-needs-two-branches
        if any(graph.on_cycle(node.id, b) or runs_out(b) for b in branches):
            continue
        back = ctx.example_label("否", "no")
        earlier = graph.predecessors[node.id][0] if graph.predecessors[node.id] else None
        hint = f"`{node.id} -->|{back}| {earlier}`" if earlier else f"`{node.id} -->|{back}| …`"
        yield Problem(
            node.span,
            f"every branch of decision {ctx.show(node.id)} moves forward: nothing returns, retries or stops "
            f"here. Send the negative outcome back to an earlier stage (e.g. {hint}) or out to an end",
            node=node.id,
        )
