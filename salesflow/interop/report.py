"""What an import could not say in a process file, listed for the user: never dropped in silence.

Each entry names the element (its kind, id and name), where it is in the file, and what became
of it. The command prints them to standard error and, with `--report FILE.json`, writes them
as JSON for a script to read.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Optional

from ..i18n import N_, _

LINE = N_("{path}:{line}:{column}: note: {element} {id}{named}: {what}")
NAMED = N_(" `{name}`")


@dataclass(frozen=True)
class Entry:
    element: str  # the element's kind as the file names it: `bpmn:serviceTask`, `mxCell`
    id: str
    name: str
    line: int
    column: int
    what: str  # what became of it, a whole sentence


@dataclass
class Report:
    path: str
    entries: list[Entry] = field(default_factory=list)

    def add(self, element: str, id: str, name: Optional[str], line: int, column: int, what: str) -> None:
        self.entries.append(Entry(element, id, name or "", line, column, what))

    def lines(self) -> list[str]:
        """One line per entry, in the run's language (`what` was worded in it when the entry was made)."""
        result = []
        for entry in self.entries:
            named = _(NAMED, name=entry.name) if entry.name else ""
            result.append(_(LINE, path=self.path, line=entry.line, column=entry.column, element=entry.element,
                            id=entry.id, named=named, what=entry.what))
        return result

    def to_json(self) -> str:
        return json.dumps(
            {"input": self.path, "entries": [asdict(entry) for entry in self.entries]}, ensure_ascii=False, indent=2
        ) + "\n"
