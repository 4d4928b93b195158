"""CRM stage names → chart stages.

A stage's `crm:` names come first; then node ids, then labels as a reader sees them. Names
compare without case and width (`Ｑｕａｌｉｆｉｃａｔｉｏｎ` is `qualification`) and with runs of
spaces made one. A name that matches nothing is reported with how often it occurs and the
nearest name the chart knows.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Optional

from ..model import Process
from ..suggest import closest


def key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@dataclass(frozen=True)
class Unmapped:
    name: str
    count: int
    suggestion: Optional[str]


class StageNames:
    def __init__(self, process: Process, order: tuple[str, ...]) -> None:
        self.known: dict[str, str] = {}  # key → node id
        self.shown: dict[str, str] = {}  # key → the name as the chart writes it
        nodes = [process.node(n) for n in order]
        for names in (lambda n: n.crm, lambda n: (n.id,), lambda n: (n.text.replace("\n", " "),)):
            for node in nodes:
                for name in names(node):
                    k = key(name)
                    if k and k not in self.known:
                        self.known[k] = node.id
                        self.shown[k] = name

    def node(self, name: str) -> Optional[str]:
        return self.known.get(key(name))

    def suggestion(self, name: str) -> Optional[str]:
        meant = closest(key(name), self.known)
        return self.shown[meant] if meant else None
