"""XES event logs (IEEE 1849, the process-mining standard), read as a stream.

Only what a stage history needs is kept: each trace's `concept:name` (the case), and each
event's `concept:name` (the stage), `time:timestamp` and `org:resource` (the owner). The file is
read in chunks by expat, so a log larger than memory reads in constant memory. A document type
declaration is refused: XES needs none, and entities are how XML files explode or reach out to
other files.
"""

from __future__ import annotations

import csv
import gzip
from typing import IO
from xml.parsers import expat

from ..i18n import N_, _
from . import AnalysisError

CHUNK = 1 << 20

MESSAGES = {
    "doctype": N_("{path}: line {line}: a DOCTYPE or entity declaration is not accepted in an XES log"),
    "syntax": N_("{path}: line {line}, column {column}: not well-formed XML: {problem}"),
    "unreadable": N_("{path}: cannot read: {problem}"),
}


class _Refused(Exception):
    pass


def to_csv(path: str, target: IO[str]) -> int:
    """Write the log at `path` as CSV rows (case_id, stage, timestamp, owner) to `target`; the event count."""
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow(("case_id", "stage", "timestamp", "owner"))
    state = {"depth": 0, "in_trace": False, "in_event": False, "case": "", "event": {}, "pending": [], "count": 0}

    def start(name: str, attributes: dict) -> None:
        local = name.rsplit(":", 1)[-1]  # `xes:trace` as well as `trace`
        if local == "trace":
            state.update(in_trace=True, case="", pending=[])
        elif local == "event":
            state.update(in_event=True, event={})
        elif "key" in attributes and "value" in attributes:
            key = attributes["key"]
            if state["in_event"]:
                if key in ("concept:name", "time:timestamp", "org:resource"):
                    state["event"].setdefault(key, attributes["value"])
            elif state["in_trace"] and key == "concept:name":
                state["case"] = attributes["value"]
        state["depth"] += 1

    def end(name: str) -> None:
        state["depth"] -= 1
        local = name.rsplit(":", 1)[-1]  # `xes:trace` as well as `trace`
        if local == "event" and state["in_event"]:
            state["in_event"] = False
            event = state["event"]
            if state["in_trace"]:
                state["pending"].append(event)
        elif local == "trace":
            # The case name may come after the events in a trace: write them when the trace closes.
            for event in state["pending"]:
                writer.writerow((state["case"], event.get("concept:name", ""), event.get("time:timestamp", ""),
                                 event.get("org:resource", "")))
                state["count"] += 1
            state.update(in_trace=False, pending=[])

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end

    def refuse(*_arguments: object) -> None:
        raise _Refused()

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as handle:
            while True:
                chunk = handle.read(CHUNK)
                parser.Parse(chunk, not chunk)
                if not chunk:
                    break
    except _Refused:
        raise AnalysisError(_(MESSAGES["doctype"], path=path, line=parser.CurrentLineNumber)) from None
    except expat.ExpatError as exc:
        raise AnalysisError(_(MESSAGES["syntax"], path=path, line=exc.lineno, column=exc.offset + 1,
                                                      problem=expat.ErrorString(exc.code))) from None
    except (OSError, EOFError) as exc:
        raise AnalysisError(_(MESSAGES["unreadable"], path=path, problem=getattr(exc, "strerror", None) or exc)) from None
    return state["count"]
