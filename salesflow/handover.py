"""What a hand-over says it carries: one answer for the linter and the handbook alike.

A link between two owners is a hand-over. What goes across is written in the link's `note`
(edge data) or in its label. On a branch of a decision the label is first of all the answer
that leads there (是, 否, yes, no, 通过, 不通过, 加急通过, …), which says nothing about what goes
across; only what the author writes after the answer, past a comma, colon or dash
(`是，移交合同`, `no - back to nurturing`), says what happens to the deal.
"""

from __future__ import annotations

import re
from typing import Optional

from .model import Edge, Node

# Where an answer ends and what follows it begins: a comma, colon, semicolon, dash or slash,
# half- or full-width (a plain search: linear on any label).
_AFTER_ANSWER = re.compile(r"[,，:：;；、/]|\s[-–—]+\s|——")


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
