"""A lint finding: what the linter reports and what renderers can highlight."""

from __future__ import annotations

from .i18n import N_, gettext
from .records import Record, record, set_field

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Optional

SEVERITIES = ("error", "warning", "info")
# Severities as a reader sees them in a report or on a chart; configuration keeps the English codes.
_SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}


def severity_word(severity: str) -> str:
    """`severity` in the reader's language (`error` → 错误)."""
    return gettext(_SEVERITY_WORDS.get(severity, severity))


@record(slots=True)
class Finding(Record):
    """One finding of one rule, at a place in a file."""

    path: str
    line: int  # 1-based, in the file the user gave (Markdown included)
    column: int
    end_line: int
    end_column: int
    code: str  # stable rule code, e.g. SF101
    rule: str  # kebab-case rule name, e.g. missing-owner
    severity: str  # see SEVERITIES
    message: str
    node: Optional[str] = None  # the node the finding is about
    edge: Optional[int] = None  # the index of the edge it is about (Edge.index)
    subgraph: Optional[str] = None  # the lane or subgraph it is about, when it is about one
    related: tuple[str, ...] = ()  # other nodes it involves, e.g. the stages of a too-slow path

    def __init__(
        self, path: str, line: int, column: int, end_line: int, end_column: int, code: str, rule: str, severity: str,
        message: str, node: Optional[str] = None, edge: Optional[int] = None, subgraph: Optional[str] = None,
        related: tuple[str, ...] = (),
    ) -> None:
        set_field(self, "path", path)
        set_field(self, "line", line)
        set_field(self, "column", column)
        set_field(self, "end_line", end_line)
        set_field(self, "end_column", end_column)
        set_field(self, "code", code)
        set_field(self, "rule", rule)
        set_field(self, "severity", severity)
        set_field(self, "message", message)
        set_field(self, "node", node)
        set_field(self, "edge", edge)
        set_field(self, "subgraph", subgraph)
        set_field(self, "related", related)
