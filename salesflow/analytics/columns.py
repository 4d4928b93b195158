"""Which columns of a stage-history log hold the case, the stage, the time and the owner.

Given with `--case/--stage/--time/--owner`, or found by name among the names CRMs and process
mining tools use. Names compare without case, spaces, underscores, dots and colons, so
`Opportunity ID`, `opportunity_id` and `OPPORTUNITYID` are one name.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional, Sequence

from ..i18n import N_, _
from . import AnalysisError

# In order of preference.
KNOWN = {
    "case": ("caseid", "case", "caseconceptname", "opportunityid", "dealid", "recordid", "leadid", "accountid",
             "traceid", "id"),
    "stage": ("stage", "stagename", "dealstage", "activity", "conceptname", "tostage", "newstage", "status",
              "step"),
    "time": ("timestamp", "timetimestamp", "time", "eventtime", "date", "createddate", "changedat", "changedate",
             "modifiedtime", "enteredat", "starttime", "datetime"),
    "owner": ("owner", "orgresource", "resource", "user", "salesagent", "dealowner", "opportunityowner",
              "assignedto"),
}

MESSAGES = {
    "missing": N_("{path}: no {role} column{given}; the columns are: {found}. Name it with --{role}"),
    "given": N_(" `{name}`"),
}


def simple(name: str) -> str:
    return re.sub(r"[\s_.:\-/]+", "", unicodedata.normalize("NFKC", name)).casefold()


def find(columns: Sequence[str], role: str, given: Optional[str], path: str, required: bool = True) -> Optional[str]:
    """The column playing `role` (case, stage, time, owner), or a one-line error naming the columns found."""
    by_name = {simple(c): c for c in reversed(columns)}  # the first of equal names wins
    if given is not None:
        if given in columns:
            return given
        if simple(given) in by_name:
            return by_name[simple(given)]
        raise AnalysisError(_(MESSAGES["missing"], path=path, role=role, given=_(MESSAGES["given"], name=given),
                                                       found=listing(columns)))
    for candidate in KNOWN[role]:
        if candidate in by_name:
            return by_name[candidate]
    if required:
        raise AnalysisError(_(MESSAGES["missing"], path=path, role=role, given="", found=listing(columns)))
    return None


def listing(columns: Sequence[str]) -> str:
    return ", ".join(columns) if columns else "(none)"


def quoted(name: str) -> str:
    """A column name as a DuckDB identifier."""
    return '"' + name.replace('"', '""') + '"'
