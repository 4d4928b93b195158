"""`render -f json`: the parsed model as JSON, for scripts and other tools (schema in the README).

Labels and titles are the text a reader sees (`#quot;` decoded, markup dropped, lines joined by
newlines); `label_source` / `title_source` keep them as written in the chart.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from ..graph import ProcessGraph
from ..model import Duration, Process, Span, Unreadable

SCHEMA = "salesflow.process/1"


def _span(span: Optional[Span]) -> Optional[dict[str, int]]:
    if span is None:
        return None
    return {"line": span.line, "column": span.column, "end_line": span.end_line, "end_column": span.end_column}


def _duration(duration: Optional[Duration]) -> Optional[dict[str, Any]]:
    if duration is None:
        return None
    return {"text": duration.text, "amount": duration.amount, "unit": duration.unit, "hours": duration.hours}


def _unreadable(values: tuple[Unreadable, ...]) -> dict[str, dict[str, Any]]:
    """Values that did not read, by key: as written, why not, and where."""
    return {value.key: {"text": value.text, "problem": value.problem, "span": _span(value.span)} for value in values}


def _metadata(element: Any, where: str, elsewhere: tuple[str, ...] = ()) -> dict[str, Any]:
    """The element's metadata fields, in the order of the key table (`metadata_keys`).

    `elsewhere`: keys the caller writes at another place of the object.
    """
    from ..metadata_keys import keys_for

    fields: dict[str, Any] = {}
    for key in keys_for(where):
        if key.name in elsewhere:
            continue
        value = getattr(element, key.field)
        if key.decoder == "duration":
            fields[key.field] = _duration(value)
        elif key.decoder in ("texts", "lanes"):
            fields[key.field] = list(value)
        else:
            fields[key.field] = value
        if key.mermaid == "own":
            fields[key.field + "_from_lane"] = getattr(element, key.field + "_from_lane")
        if key.decoder == "rate":
            fields[key.field + "_text"] = getattr(element, key.field + "_text")
    return fields


def to_dict(process: Process) -> dict[str, Any]:
    from ..metadata_keys import EDGE, FRONT_MATTER, NODE

    graph = ProcessGraph(process)
    starts = set(graph.starts)
    ends = set(graph.ends)
    return {
        "schema": SCHEMA,
        "path": process.path,
        "header": process.header,
        "direction": process.direction,
        "process": {
            **_metadata(process, FRONT_MATTER),
            "mermaid": dict(process.mermaid_front_matter),
            "unreadable": _unreadable(process.unreadable),
        },
        "nodes": [
            {
                "id": node.id,
                "label": node.text,
                "label_source": node.label,
                "label_format": node.label_format,
                "shape": node.shape,
                "kind": node.kind,
                "is_start": node.id in starts,
                "is_end": node.id in ends,
                "is_decision": node.is_decision,
                **_metadata(node, NODE, elsewhere=("kind",)),  # what a node is stands with its shape
                "classes": list(node.classes),
                "subgraph": node.subgraph,
                "lane": node.lane,
                "mermaid_data": dict(node.mermaid_data),
                "unreadable": _unreadable(node.unreadable),
                "line": node.span.line,
                "column": node.span.column,
                "span": _span(node.span),
                "data_span": _span(node.data_span),
            }
            for node in process.nodes
        ],
        "edges": [
            {
                "index": edge.index,
                "source": edge.source,
                "target": edge.target,
                "stroke": edge.stroke,
                "start": edge.start,
                "end": edge.end,
                "length": edge.length,
                "label": edge.text,
                "label_source": edge.label,
                "label_format": edge.label_format,
                "id": edge.id,
                **_metadata(edge, EDGE),
                "unreadable": _unreadable(edge.unreadable),
                "line": edge.span.line,
                "column": edge.span.column,
                "span": _span(edge.span),
                "data_span": _span(edge.data_span),
            }
            for edge in process.edges
        ],
        "subgraphs": [
            {
                "id": subgraph.id,
                "title": subgraph.text,
                "title_source": subgraph.title,
                "title_format": subgraph.title_format,
                "members": list(subgraph.members),
                "direction": subgraph.direction,
                "parent": subgraph.parent,
                "is_lane": subgraph.is_lane,
                "line": subgraph.span.line,
                "column": subgraph.span.column,
            }
            for subgraph in process.subgraphs
        ],
        "class_defs": [{"name": c.name, "style": c.style, "line": c.span.line} for c in process.class_defs],
        "styles": [
            {"target": s.target, "style": s.style, "is_link": s.is_link, "line": s.span.line} for s in process.styles
        ],
        "clicks": [
            {
                "node": c.node,
                "action": c.action,
                "target": c.target,
                "tooltip": c.tooltip,
                "window": c.window,
                "line": c.span.line,
            }
            for c in process.clicks
        ],
        "acc_title": process.acc_title,
        "acc_descr": process.acc_descr,
    }


def render(process: Process, **_options: object) -> str:
    return json.dumps(to_dict(process), ensure_ascii=False, indent=2) + "\n"
