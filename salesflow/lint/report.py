"""What one `salesflow lint` run found, file by file, ready for any output format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..errors import SalesflowError
from ..findings import Finding


@dataclass(frozen=True)
class Entry:
    """A finding with what only the run knows: the Markdown block, the author's edge id, the source line."""

    finding: Finding
    block: Optional[int] = None
    edge_id: Optional[str] = None
    source_line: Optional[str] = None
    anchor: str = ""  # what the finding is about, independent of line numbers (for fingerprints)


@dataclass
class FileReport:
    path: str
    entries: list[Entry] = field(default_factory=list)
    errors: list[SalesflowError] = field(default_factory=list)  # the file or a chart in it could not be read
    charts: int = 0


@dataclass
class Report:
    files: list[FileReport] = field(default_factory=list)

    @property
    def entries(self) -> list[Entry]:
        return [entry for report in self.files for entry in report.entries]

    def count(self, severity: str) -> int:
        return sum(1 for entry in self.entries if entry.finding.severity == severity)

    @property
    def errors(self) -> list[SalesflowError]:
        return [error for report in self.files for error in report.errors]


@dataclass(frozen=True)
class FormatOptions:
    color: bool = False
    show_source: bool = False
    quiet: bool = False


def error_position(error: SalesflowError) -> tuple[Optional[str], Optional[int], Optional[int], str]:
    """(path, line, column, message) of a parse or input error, as far as it knows them."""
    path = getattr(error, "path", None)
    line = getattr(error, "line", None)
    column = getattr(error, "column", None)
    message = getattr(error, "message", None) or str(error)
    return path, line, column, message
