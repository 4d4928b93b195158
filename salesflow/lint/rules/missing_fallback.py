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

from ...model import Node
from ..api import Context, Option, Problem, _, normalise

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator

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
    is_decision = graph.decision_flags
    decisions = [n for n, decides in zip(process.nodes, is_decision) if decides]
    if not decisions:
        stages = [n for n in process.nodes if not ctx.is_marker(n)]
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
    # Nodes by number (see `ProcessGraph.number`): the walks below work on lists of small ints.
    number = graph.number
    after, before = graph.successor_numbers, graph.predecessor_numbers
    ends = bytearray(len(after))
    for end in graph.ends:
        ends[number[end]] = 1
    walks = _Walks(graph, ends)
    exits: dict[int, bool] = {}

    def runs_out(start: int) -> bool:
        """Whether a branch from `start` reaches an end or a stop before joining another path."""
        if start in exits:
            return exits[start]
        current = start
        seen = set()
        result = False
        while current not in seen:
            seen.add(current)
            following = after[current]
            if ends[current] or not following:
                result = True
                break
            if len(following) != 1 or is_decision[current]:
                break
            nxt = following[0]
            if len(before[nxt]) != 1 and not ends[nxt]:
                break  # it joins another path: the deal carries on with the others
            current = nxt
        exits[start] = result
        return result

    for node in decisions:
        decision = number[node.id]
        branches = after[decision]
        if len(branches) < 2:
            continue  # decision-needs-two-branches
        # A branch that returns or stops at once settles it without the walks below.
        if walks.settled(decision, branches) or any(runs_out(b) for b in branches) or walks.handled(decision, branches):
            continue
        yield Problem(
            node.span,
            _(
                "every branch of decision {decision} moves forward: nothing returns, retries or stops here. Send "
                "the negative outcome back to an earlier stage or out to an end (e.g. {link})",
                decision=ctx.show(node.id), link=_suggestion(ctx, node),
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

    What a walk would meet at its first stage, and, where no joining point bounds the walks,
    what can be reached at all (`_Reach`), is known without walking. The walks that are left
    share a budget linear in the size of the chart, so that thousands of nested decisions cannot
    make the check quadratic; a decision left when it runs out is given the benefit of the doubt.
    """

    def __init__(self, graph, ends: bytearray) -> None:
        self.graph = graph
        self.position = graph.forward_positions
        self.after = graph.successor_numbers
        self.ends = ends
        self.joined = graph.post_dominator_numbers
        self.budget = 8 * (len(graph.node_ids) + len(graph.step_edges)) + 1000
        self.mark = [0] * len(self.after)  # the number of the walk that last saw each node
        self.walk = 0
        self._reach: "_Reach | None" = None

    def settled(self, decision: int, branches: list[int]) -> bool:
        """Whether a branch handles the "no" at its first stage: it goes straight to where the
        others join (it skips them), back to the decision or before it, or to a stop."""
        position, after, ends = self.position, self.after, self.ends
        here = position[decision]
        joined = self.joined[decision]
        for branch in branches:
            if branch == joined or position[branch] <= here or ends[branch] or not after[branch]:
                return True
        return False

    def handled(self, decision: int, branches: list[int]) -> bool:
        if self.settled(decision, branches):
            return True
        position, after, ends, mark = self.position, self.after, self.ends, self.mark
        here = position[decision]
        joined = self.joined[decision]  # -1: no stage where every way onward meets
        if joined < 0:
            # Nothing bounds the walks: whether a branch can reach a stop or a stage before the
            # decision is known for the whole chart at once; only reaching another branch is left.
            if self._reach is None:
                self._reach = _Reach(self.graph, ends)
            if any(self._reach.returns_or_stops(branch, here) for branch in branches):
                return True
        others = set(branches)
        for branch in branches:
            self.walk += 1
            walk = self.walk
            stack = [branch]
            mark[branch] = walk
            while stack:
                self.budget -= 1
                if self.budget < 0:
                    return True
                current = stack.pop()
                following = after[current]
                if position[current] <= here or ends[current] or not following:
                    return True
                if current != branch and current in others:
                    return True
                for nxt in following:
                    if mark[nxt] != walk and nxt != joined:
                        mark[nxt] = walk
                        stack.append(nxt)
        return False


class _Reach:
    """For each stage, what can be reached from it by any way at all: the earliest place in the
    forward order, and whether a stop (an end, or a stage with no way onward).

    Stages on one loop reach the same; the loops' components come out of Tarjan's algorithm in
    an order where every component reached from another comes first, so one pass fills them all.
    """

    def __init__(self, graph, ends: bytearray) -> None:
        parts = graph.strong_parts
        after = graph.successor_numbers
        position = graph.forward_positions
        count = max(parts, default=-1) + 1
        earliest = [len(parts)] * count
        stops = bytearray(count)
        members: list[list[int]] = [[] for _ in range(count)]
        for node, part in enumerate(parts):
            members[part].append(node)
            if position[node] < earliest[part]:
                earliest[part] = position[node]
            if ends[node] or not after[node]:
                stops[part] = 1
        for part in range(count):
            for node in members[part]:
                for nxt in after[node]:
                    other = parts[nxt]
                    if other != part:
                        if earliest[other] < earliest[part]:
                            earliest[part] = earliest[other]
                        if stops[other]:
                            stops[part] = 1
        self.parts, self.earliest, self.stops = parts, earliest, stops

    def returns_or_stops(self, node: int, here: int) -> bool:
        """Whether some way from `node` reaches a stop or a place at or before `here`."""
        part = self.parts[node]
        return self.earliest[part] <= here or bool(self.stops[part])


def _suggestion(ctx: Context, node: Node) -> str:
    """A link for the "no": back to the nearest real stage before the decision, else out to an end.

    Its label is one the decision's branches do not carry yet, and it never loops the decision
    to itself or to a start marker.
    """
    graph, process = ctx.graph, ctx.process
    used = {normalise(step.edge.label) for step in graph.outgoing[node.id] if step.edge.label}
    words = ctx.example_label("否 不通过 驳回 退回", "no rejected declined returned").split()
    no = next((w for w in words if w not in used), "…")
    positions, number = graph.forward_positions, graph.number

    def position(node_id: str) -> int:
        return positions[number[node_id]]

    here = position(node.id)
    before = [
        p for p in graph.predecessors[node.id]
        if p != node.id and position(p) < here and not ctx.is_marker(process.node(p))
    ]
    if before:
        return f"`{node.id} -->|{no}| {max(before, key=position)}`"
    lost = next(name for name in ("Lost", *(f"Lost{n}" for n in range(2, len(graph.node_ids) + 3))) if not process.has_node(name))
    label = ctx.example_label("丢单", "Lost")
    return f"`{node.id} -->|{no}| {lost}([{label}])`"
