"""Named layouts of CRM exports (`conform --format`): which columns hold case, stage, time and owner.

Each layout is a list of column names (compared as `columns.simple` does) per role, tried in
order; `--case/--stage/--time/--owner` still override them. The HubSpot deal export may instead
be wide, one row per deal with a `Date entered "<stage> (<pipeline>)"` column per stage: each
filled cell becomes one event.

- `salesforce`: OpportunityHistory (`OpportunityId, StageName, CreatedDate, CreatedById`, as
  Data Loader or the API export it), or OpportunityFieldHistory (`OpportunityId, Field,
  NewValue, CreatedDate, CreatedById`; rows whose `Field` is `StageName`), or the Opportunity
  History report (`Opportunity ID, To Stage, Edit Date, Edited By`).
- `hubspot`: the deals export with `Record ID` and `Date entered "…"` columns (`Deal owner` for
  the owner), or a deal-stage history (`Record ID`/`Deal ID`, `Deal Stage`, `Timestamp`).
- `zoho`: Zoho CRM's Stage History of deals (`Deal Id` or `Deal Name`, `Stage`,
  `Modified Time`, `Modified By`).
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from .columns import KNOWN, quoted, simple

LAYOUTS = {
    "generic": KNOWN,
    "salesforce": {
        "case": ("opportunityid", "opportunity18digitid", "opportunity"),
        "stage": ("stagename", "tostage", "newvalue", "stage"),
        "time": ("createddate", "editdate", "lastmodifieddate", "systemmodstamp"),
        "owner": ("createdbyname", "createdby", "editedby", "createdbyid", "owner"),
    },
    "hubspot": {
        "case": ("recordid", "dealid", "hsobjectid", "objectid"),
        "stage": ("dealstage", "stage", "value", "propertyvalue"),
        "time": ("timestamp", "date", "changedat", "time"),
        "owner": ("dealowner", "hubspotowner", "hubspotownerid", "owner", "updatedbyuserid"),
    },
    "zoho": {
        "case": ("dealid", "dealsid", "potentialid", "recordid", "dealname", "potentialname"),
        "stage": ("stage", "tostage"),
        "time": ("modifiedtime", "lastmodifiedtime", "stagechangedtime", "createdtime"),
        "owner": ("modifiedby", "dealowner", "owner"),
    },
}

FORMATS = tuple(LAYOUTS)

_DATE_ENTERED = re.compile(r"^\s*date\s+entered\s+[\"“']?(?P<stage>.*?)[\"”']?\s*$", re.IGNORECASE)
_PIPELINE = re.compile(r"\s*\([^()]*\)\s*$")


def stage_filter(layout: str, columns: Sequence[str]) -> Optional[str]:
    """A WHERE condition the layout needs (Salesforce field history: only stage changes)."""
    if layout != "salesforce":
        return None
    by_name = {simple(c): c for c in columns}
    if "field" in by_name and "newvalue" in by_name and "stagename" not in by_name:
        return f"lower(trim({quoted(by_name['field'])})) = 'stagename'"
    return None


def date_entered_columns(columns: Sequence[str]) -> list[tuple[str, str]]:
    """HubSpot's wide layout: (column, stage name) for every `Date entered "…"` column."""
    found = []
    for column in columns:
        match = _DATE_ENTERED.match(column)
        if match:
            stage = _PIPELINE.sub("", match.group("stage")).strip().strip("\"“”'")
            if stage:
                found.append((column, stage))
    return found
