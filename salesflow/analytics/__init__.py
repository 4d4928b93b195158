"""The chart turned into numbers, and checked against what the sales team actually does.

- `flow.py`: the chart as a Markov chain — where a lead goes next from each stage, and how long
  it stays (the one place that reads `rate` and `due` for the numbers);
- `linear.py`: the small sparse linear solver the expectations need;
- `expectation.py`: `salesflow analyze` — what the chart promises for N leads;
- `simulation.py`: `salesflow simulate` — a synthetic stage-history log;
- `columns.py`, `xes.py`, `adapters.py`, `logs.py`: reading a CRM's stage history into DuckDB;
- `mapping.py`: CRM stage names → chart stages;
- `conformance.py`: `salesflow conform` — the log against the chart, in SQL;
- `report_text.py`, `report_html.py`: the reports.

DuckDB is only needed for `conform` and comes with the `data` extra; `analyze` and `simulate`
run on the standard library alone.
"""

from __future__ import annotations

from ..errors import SalesflowError
from ..i18n import N_, _

NO_DUCKDB = N_("reading a stage-history log needs DuckDB: pip install 'salesflow[data]'")


class AnalysisError(SalesflowError):
    """A chart or a log that cannot be turned into numbers."""


def duckdb_module():
    """DuckDB, imported on first use, or a one-line error naming the extra to install."""
    try:
        import duckdb
    except ImportError:
        raise AnalysisError(_(NO_DUCKDB)) from None
    return duckdb
