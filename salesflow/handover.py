"""What a hand-over is and what it says it carries: one answer for the linter and the handbook alike.

A link is a hand-over when work changes hands: the two stages have different owners, or the link
goes from one department lane to another. A bare start or end marker does no work and hands
nothing over. What goes across is written in the link's `note`
(edge data) or in its label. On a branch of a decision the label is first of all the answer
that leads there (是, 否, yes, no, 通过, 不通过, 加急通过, …), which says nothing about what goes
across; only what the author writes after the answer, past a comma, colon or dash
(`是，移交合同`, `no - back to nurturing`), says what happens to the deal.
"""

from __future__ import annotations

from operator import attrgetter

from .lazy_regex import LazyRegex
from .lint.api import normalise
from .model import Edge, Node

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Optional

    from .graph import ProcessGraph

# Where an answer ends and what follows it begins: a comma, colon, semicolon, dash or slash,
# half- or full-width (a plain search: linear on any label).
_AFTER_ANSWER = LazyRegex(r"[,，:：;；、/]|\s[-–—]+\s|——")


def carried_label(edge: Edge, source: Node) -> Optional[str]:
    """The part of the link's label that says what is handed over, or None.

    The whole label on an ordinary link; on a decision's branch, only what follows the answer.
    """
    label = (edge.label or "").strip()
    if not label:
        return None
    if not source.is_decision:
        return label
    cut = _AFTER_ANSWER.search(label)
    rest = label[cut.end() :].strip() if cut else ""
    return rest or None


def says_what_is_carried(edge: Edge, source: Node) -> bool:
    """Whether the link says what goes across: a note, or a label that is more than a decision's answer."""
    return bool(edge.note and edge.note.strip()) or carried_label(edge, source) is not None


def is_handover(graph: "ProcessGraph", source: Node, target: Node) -> bool:
    """Whether work changes hands on a link from `source` to `target`.

    Owners are compared as a reader compares names (`Sales Rep` is `sales rep`; full-width forms
    and spacing aside); a missing owner differs from any named one, since the work then goes to
    nobody in particular.
    """
    markers = graph.bare_markers
    return _changes_hands(
        source.id in markers or target.id in markers,
        source.lane,
        target.lane,
        normalise(source.owner) if source.owner else None,
        normalise(target.owner) if target.owner else None,
    )


class Handovers:
    """`is_handover` asked of many links of one graph, their ends given by number (see
    `ProcessGraph.number`).

    A rule that goes through every link reads each node's facts from lists made once, and each
    distinct owner is normalised once, not once per link.
    """

    def __init__(self, graph: "ProcessGraph") -> None:
        self._markers = graph.bare_marker_flags
        self._lanes = list(map(_LANE, graph.process.nodes))
        owners = graph.owners
        compared: dict[Optional[str], Optional[str]] = {owner: normalise(owner) for owner in set(owners) if owner}
        compared[None] = compared[""] = None  # an empty owner is no owner, as `is_handover` reads it
        # Each node's owner as hand-overs compare them (None: no owner), by number.
        self.owners: list[Optional[str]] = list(map(compared.__getitem__, owners))

    def between(self, source: int, target: int) -> bool:
        """Whether work changes hands on a link from node number `source` to node number `target`."""
        markers, lanes, owners = self._markers, self._lanes, self.owners
        return _changes_hands(
            markers[source] or markers[target], lanes[source], lanes[target], owners[source], owners[target]
        )


_LANE = attrgetter("lane")


def _changes_hands(
    marker: bool, source_lane: Optional[str], target_lane: Optional[str],
    source_owner: Optional[str], target_owner: Optional[str],
) -> bool:
    """The hand-over rule itself, given what it looks at: whether either end is a bare marker,
    both ends' lanes and both ends' owners as compared (normalised, None for none)."""
    if marker:
        return False
    if source_lane is not None and target_lane is not None and source_lane != target_lane:
        return True
    return source_owner != target_owner
