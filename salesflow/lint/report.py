"""What one `salesflow lint` run found, file by file, ready for any output format.

A file that could not be read (or a chart in it that has syntax errors) is part of the report too:
each of its errors is shown in every format as a problem of its own, under the code `SF000`
(`parse-error`), so that a broken file is never mistaken for a clean one.
"""

from __future__ import annotations


from ..i18n import N_
from ..records import Fields

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Optional

    from ..errors import SalesflowError
    from ..findings import Finding  # noqa: F401 (an Entry's finding)


# A finding with what only the run knows: the Markdown block, the author's edge id, the source
# line, and what the finding is about, independent of line numbers (`anchor`, for fingerprints).
# A named tuple, and the two reports below plain classes: a dataclass would generate and compile
# its methods at every start of `salesflow lint`.
class Entry(Fields):
    __slots__ = ()
    _fields = (
        "finding",  # Finding
        "block",  # Optional[int]
        "edge_id",  # Optional[str]
        "source_line",  # Optional[str]
        "anchor",  # str
    )

    def __new__(cls, finding, block=None, edge_id=None, source_line=None, anchor=""):
        return tuple.__new__(cls, (finding, block, edge_id, source_line, anchor))


class FileReport:
    __slots__ = ("path", "entries", "errors", "charts", "prepared")

    def __init__(
        self,
        path: str,
        entries: Optional[list[Entry]] = None,
        errors: Optional[list[SalesflowError]] = None,
        charts: int = 0,
        prepared: Optional[dict[str, object]] = None,
    ) -> None:
        self.path = path
        self.entries: list[Entry] = [] if entries is None else entries
        # the file or a chart in it could not be read
        self.errors: list[SalesflowError] = [] if errors is None else errors
        self.charts = charts
        # An output format's work on this file done where it was reviewed, by format name (see
        # `formats.preparer`): a parallel run's workers share it, rather than the one process that prints.
        self.prepared: dict[str, object] = {} if prepared is None else prepared


class Report:
    __slots__ = ("files", "inputs")

    def __init__(self, files: Optional[list[FileReport]] = None, inputs: Optional[list[str]] = None) -> None:
        self.files: list[FileReport] = [] if files is None else files
        self.inputs: list[str] = [] if inputs is None else inputs  # the paths read, which no output may overwrite

    @property
    def entries(self) -> list[Entry]:
        return [entry for report in self.files for entry in report.entries]

    def count(self, severity: str) -> int:
        return sum(1 for entry in self.entries if entry.finding.severity == severity)

    @property
    def errors(self) -> list[SalesflowError]:
        return [error for report in self.files for error in report.errors]

    @property
    def unreadable(self) -> int:
        """How many files could not be read, or not in full."""
        return sum(1 for report in self.files if report.errors)


class FormatOptions(Fields):
    __slots__ = ()
    _fields = (
        "color",  # bool
        "show_source",  # bool
        "quiet",  # bool
        "list_errors",  # bool: False when the errors were shown already (the text report on a terminal)
    )

    def __new__(cls, color=False, show_source=False, quiet=False, list_errors=True):
        return tuple.__new__(cls, (color, show_source, quiet, list_errors))


# The code and name under which every format shows an input or chart that could not be read.
UNREADABLE_CODE = "SF000"
UNREADABLE_RULE = "parse-error"
UNREADABLE_SUMMARY = N_("The file could not be read as a process chart")
UNREADABLE_HELP = N_(
    "salesflow could not read this file, or a chart in it: a syntax error, a value the chart cannot "
    "hold, or an input that is not a readable text file. No rule ran on it. Fix the error shown at "
    "this position and run salesflow lint again."
)


def error_position(error: SalesflowError) -> tuple[Optional[str], Optional[int], Optional[int], str]:
    """(path, line, column, message) of a parse or input error, as far as it knows them."""
    path = getattr(error, "path", None)
    line = getattr(error, "line", None)
    column = getattr(error, "column", None)
    message = getattr(error, "message", None) or str(error)
    return path, line, column, message


def error_end_column(error: SalesflowError) -> Optional[int]:
    """The column after the marked text of a positioned error, on its line."""
    column = getattr(error, "column", None)
    return column + getattr(error, "width", 1) if column else None
