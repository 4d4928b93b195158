"""What a hand-over says it carries: one answer for the linter and the handbook alike.

A link between two owners is a hand-over. What goes across is written in the link's `note`
(edge data) or in its label — except on a branch of a decision, whose label is the answer that
leads there (是, 否, yes, no, 通过, 不通过, 加急通过, …), not what is handed over.
"""

from __future__ import annotations

from typing import Optional

from .model import Edge, Node


def carried_label(edge: Edge, source: Node) -> Optional[str]:
    """The link's label when it says what is handed over; None for no label or a decision's answer."""
    if source.is_decision or not edge.label or not edge.label.strip():
        return None
    return edge.label


def says_what_is_carried(edge: Edge, source: Node) -> bool:
    """Whether the link says what goes across: a note, or a label that is not a decision's answer."""
    return bool(edge.note and edge.note.strip()) or carried_label(edge, source) is not None
