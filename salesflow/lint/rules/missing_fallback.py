"""A decision whose every branch moves forward, or a chart with no decision at all.

A branch of a decision handles the negative outcome when, before it joins the path of another
branch, it

- returns: links back to the decision or to a stage before it (rework, retry, back to
  nurturing);
- exits: runs into an end or a stage with no way onward (lost deal, disqualified lead,
  登记归档 → 结束), before it joins the other branches or at an end they share;
- or skips: it leads straight to a stage that another branch reaches later, so the "no" just
  leaves out optional stages (`是否追加销售? -->|否| 续约`).

A decision none of whose branches does any of these is reported: nothing handles the "no".
A loop that starts after the branches have joined again (a 复盘 from the signed contract back
to the first stage) is not a fallback for the decision. The suggested fix sends the "no" back to
the nearest real stage before the decision, or out to a new end. A chart of `min-steps` stages
or more without a single decision is reported too: it describes the happy path only.

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

from ...model import Node
from ..api import Context, Option, Problem, _, normalise

CODE = "SF503"
NAME = "missing-fallback"
SEVERITY = "warning"
ENABLED = True
THEME = "exceptions"
TITLE = {"en": "A decision only moves forward", "zh": "判断节点只有向前的分支"}
FIX = {"en": "Add the way back for the “no” case: rework, nurturing or escalation.", "zh": "为「否」的情况加一条回退路径：返工、培育或上报。"}
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
                _(
                    "the chart has no decision point, so it shows the happy path only: add the checks where deals "
                    "stall or fail (e.g. `{question}`) with a `{no}` branch that goes back to an earlier stage or "
                    "out to an end",
                    question=f"{{{question}}}", no=no,
                ),
            )
        return
    position = {node_id: index for index, node_id in enumerate(graph.forward_order)}
    walks = _Walks(graph, position)
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
        if any(runs_out(b) for b in branches) or walks.handled(node.id, branches):
            continue
        yield Problem(
            node.span,
            _(
                "every branch of decision {decision} moves forward: nothing returns, retries or stops here. Send "
                "the negative outcome back to an earlier stage or out to an end (e.g. {link})",
                decision=ctx.show(node.id), link=_suggestion(ctx, node, position),
            ),
            node=node.id,
        )


class _Walks:
    """What each branch of a decision does before the branches all join again.

    The branches have all joined at the decision's immediate post-dominator, the first stage
    every way onward passes: a loop from there or later serves the whole flow, not this
    decision. Walking from one branch up to that point, the branch handles the "no" when it
    links back to the decision or before it (returns), reaches a stop (the outcomes part), or
    reaches another branch of the same decision (it skips the stages of that branch).

    The walks share a budget linear in the size of the chart, so that thousands of nested
    decisions cannot make the check quadratic; a decision left when it runs out is given the
    benefit of the doubt.
    """

    def __init__(self, graph, position: dict[str, int]) -> None:
        self.graph = graph
        self.position = position
        self.ends = set(graph.ends)
        self.budget = 8 * (len(graph.node_ids) + len(graph.steps)) + 1000

    def handled(self, decision: str, branches: list[str]) -> bool:
        graph, position = self.graph, self.position
        here = position[decision]
        joined = graph.post_dominators[decision]
        others = set(branches)
        for branch in branches:
            if branch == joined:
                return True  # the branch goes straight to where the others join: it skips them
            stack = [branch]
            seen = {branch}
            while stack:
                self.budget -= 1
                if self.budget < 0:
                    return True
                current = stack.pop()
                following = graph.successors[current]
                if position[current] <= here or current in self.ends or not following:
                    return True
                if current != branch and current in others:
                    return True
                for nxt in following:
                    if nxt not in seen and nxt != joined:
                        seen.add(nxt)
                        stack.append(nxt)
        return False


def _suggestion(ctx: Context, node: Node, position: dict[str, int]) -> str:
    """A link for the "no": back to the nearest real stage before the decision, else out to an end.

    Its label is one the decision's branches do not carry yet, and it never loops the decision
    to itself or to a start marker.
    """
    graph, process = ctx.graph, ctx.process
    used = {normalise(step.edge.label) for step in graph.outgoing[node.id] if step.edge.label}
    words = ctx.example_label("否 不通过 驳回 退回", "no rejected declined returned").split()
    no = next((w for w in words if w not in used), "…")
    here = position[node.id]
    before = [
        p for p in graph.predecessors[node.id]
        if p != node.id and position[p] < here and not ctx.is_marker(process.node(p))
    ]
    if before:
        return f"`{node.id} -->|{no}| {max(before, key=position.__getitem__)}`"
    lost = next(name for name in ("Lost", *(f"Lost{n}" for n in range(2, len(graph.node_ids) + 3))) if not process.has_node(name))
    label = ctx.example_label("丢单", "Lost")
    return f"`{node.id} -->|{no}| {lost}([{label}])`"
