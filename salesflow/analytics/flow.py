"""The chart as a Markov chain: where a lead goes from each stage, and how long it stays there.

Where a lead goes next, from each stage:
- the one way onward, if there is one;
- by the branches' `rate`s; rates that add up to less than 100% leave the rest of the leads
  dropping out of the process at that stage (a funnel leaks), rates over 100% are scaled down to
  add up to 100% and flagged;
- branches without a rate share what the rated ones leave, equally, and the stage is flagged;
- a stage whose every way onward only feeds back to an earlier stage, inside a loop nothing else
  leaves (after-sales results sent back to lead generation), ends the case there: that edge
  carries lessons, not leads. The stage is flagged.

How long a lead stays in a stage (the model `analyze` and `simulate` share): a triangular
distribution between 40% and 120% of the stage's `due`, most likely 80% — so the mean and the
median stay is 0.8 × `due` and one stay in eight runs over its deadline. A stage without a
deadline takes no time, and is listed as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Optional

from ..i18n import N_, _
from ..graph import ProcessGraph
from ..model import Edge, Process
from . import AnalysisError

STAY_LOW, STAY_MODE, STAY_HIGH = 0.4, 0.8, 1.2
STAY_MEAN = (STAY_LOW + STAY_MODE + STAY_HIGH) / 3

# Words that mark an end as a loss; every other end counts as a win.
LOSS_WORDS = ("lost", "lose", "loss", "churn", "disqualif", "reject", "declin", "abandon", "dead", "fail",
              "丢单", "输单", "流失", "失败", "放弃", "未成交", "拒绝", "淘汰", "关闭-丢失")

MESSAGES = {
    "equal_shares": N_("{label}: its {count} branches carry no rate; assumed equal shares"),
    "partly_rated": N_("{label}: branches without a rate share the {rest} the rated ones leave"),
    "over_100": N_("{label}: its rates add up to {total}; scaled down to 100%"),
    "feedback_end": N_("{label}: its only way on feeds back to an earlier stage; counted as where a case ends"),
    "closed_loop": N_("the loop through {stages} never lets a lead out: give one of its branches a rate below {full} "
                   "or a way to an end"),
}


@dataclass(frozen=True)
class Move:
    target: str
    share: float
    edge: Edge


class Chain:
    """Where leads go and how long they stay, for one chart."""

    def __init__(self, process: Process) -> None:
        self.process = process
        self.graph = ProcessGraph(process)
        self.flags: list[str] = []
        self.moves: dict[str, list[Move]] = {}
        self.feedback_ends: set[str] = set()
        self.assumed: set[str] = set()  # stages whose shares were assumed, not charted
        for node_id in self.graph.node_ids:
            self.moves[node_id] = self._moves_from(node_id)
        self._close_feedback_loops()

    # ------------------------------------------------------------------ moves

    def label(self, node_id: str) -> str:
        return self.process.node(node_id).text.replace("\n", " ")

    def _moves_from(self, node_id: str) -> list[Move]:
        steps = self.graph.outgoing[node_id]
        if not steps:
            return []
        if len(steps) == 1:
            step = steps[0]
            share = 1.0 if step.edge.rate is None else min(step.edge.rate, 1.0)
            return [Move(step.target, share, step.edge)]
        rated = [s for s in steps if s.edge.rate is not None]
        unrated = [s for s in steps if s.edge.rate is None]
        total = sum(s.edge.rate for s in rated)  # type: ignore[misc]
        label = self.label(node_id)
        if total > 1 + 1e-9:
            self.flags.append(_(MESSAGES["over_100"], label=label, total=_percent(total)))
            self.assumed.add(node_id)
            return [Move(s.target, s.edge.rate / total, s.edge) for s in rated]  # type: ignore[operator]
        moves = [Move(s.target, float(s.edge.rate), s.edge) for s in rated]  # type: ignore[arg-type]
        if unrated:
            rest = 1.0 - total
            if rated:
                self.flags.append(_(MESSAGES["partly_rated"], label=label, rest=_percent(rest)))
            else:
                self.flags.append(_(MESSAGES["equal_shares"], label=label, count=len(unrated)))
            self.assumed.add(node_id)
            moves += [Move(s.target, rest / len(unrated), s.edge) for s in unrated]
        return moves

    def _close_feedback_loops(self) -> None:
        """Loops that nothing leaves: end them where they only feed back (see the module docstring)."""
        for members in self._closed_classes():
            leading_back = self.graph.edges_leading_back
            for node_id in members:
                moves = self.moves[node_id]
                if moves and all(m.edge.index in leading_back and m.edge.rate is None for m in moves):
                    self.moves[node_id] = []
                    self.feedback_ends.add(node_id)
                    self.flags.append(_(MESSAGES["feedback_end"], label=self.label(node_id)))
        for members in self._closed_classes():
            stages = " → ".join(self.label(n) for n in members[:6]) + (" → …" if len(members) > 6 else "")
            raise AnalysisError(f"{self.process.path}: " + _(MESSAGES["closed_loop"], stages=stages, full="100%"))

    def _closed_classes(self) -> list[list[str]]:
        """Strongly connected parts that a lead, once inside, can never leave."""
        components = self.graph.strong_components
        members: dict[int, list[str]] = {}
        for node_id in self.graph.node_ids:
            members.setdefault(components[node_id], []).append(node_id)
        closed = []
        for component, nodes in members.items():
            if len(nodes) == 1 and not any(m.target == nodes[0] for m in self.moves[nodes[0]]):
                continue
            inside = set(nodes)
            leaves = any(
                not self.moves[n] or self.leak(n) > 1e-12 or any(m.target not in inside for m in self.moves[n])
                for n in nodes
            )
            if not leaves:
                closed.append(nodes)
        return closed

    def leak(self, node_id: str) -> float:
        """The share of leads that drop out at this stage (rates adding up to less than 100%)."""
        moves = self.moves[node_id]
        return max(0.0, 1.0 - sum(m.share for m in moves)) if moves else 0.0

    # ------------------------------------------------------------------ starts, ends, time

    @cached_property
    def starts(self) -> tuple[str, ...]:
        return self.graph.starts

    @cached_property
    def ends(self) -> tuple[str, ...]:
        """Where cases finish: stages with no way onward (ends, dead ends, feedback ends)."""
        return tuple(n for n in self.graph.node_ids if not self.moves[n])

    def is_loss(self, node_id: str) -> bool:
        node = self.process.node(node_id)
        words = f"{node.id} {node.text}".lower()
        return any(word in words for word in LOSS_WORDS)

    @cached_property
    def wins(self) -> tuple[str, ...]:
        """Ends that count as won deals: every end whose id or label does not read as a loss."""
        return tuple(n for n in self.ends if not self.is_loss(n))

    def due_hours(self, node_id: str) -> Optional[float]:
        due = self.process.node(node_id).due
        return due.hours if due else None

    def mean_stay(self, node_id: str) -> float:
        """The expected time in a stage, in hours (see the module docstring)."""
        due = self.due_hours(node_id)
        return 0.0 if due is None else due * STAY_MEAN

    @cached_property
    def recorded(self) -> tuple[str, ...]:
        """Stages a CRM records as a stage (all but decisions), in flow order."""
        return tuple(n for n in self.graph.flow_order if not self.process.node(n).is_decision)


def _percent(value: float) -> str:
    return f"{value * 100:.4g}%"
