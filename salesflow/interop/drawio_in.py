"""`salesflow import FILE.drawio`: a diagrams.net (draw.io) diagram read into a `draft.Draft`.

Read from the shapes draw.io's flowchart palette offers, whoever drew them:

- a rhombus (or the flowchart decision shape) is a decision; an ellipse, a terminator or a
  fully rounded rectangle that nothing leads into (or out of) is a start (or end) marker; other
  shapes are stages;
- swimlanes are department lanes (a pool's lanes are flattened: "Pool / Lane"), other
  containers and groups are subgraphs; a shape belongs to the container it was dropped into;
- connectors are links, their text (or the label cell attached to them) the link's label; a
  connector not attached at both ends is left out and reported;
- HTML labels become plain text; shape data (draw.io's "Edit Data") named owner, due, steps,
  resources, checks, kpi, note (lists one item a line) is the stage's metadata, as
  `render -f drawio` writes it;
- compressed diagrams (deflate, base64, URL-encoding: draw.io's default for years) are read
  too, within a size limit; a file with several pages imports the first and reports the rest.
"""

from __future__ import annotations

import base64
import html
import re
import zlib
from typing import Optional
from urllib.parse import unquote

from ..i18n import N_, _
from ..errors import ParseError
from .. import limits
from .draft import Draft, DraftEdge, DraftGroup, DraftNode
from .drawio_out import CELL_PREFIX, LIST_KEYS, META_COLOUR
from .report import Report
from .xml_reader import XmlElement, _error, read_xml

MESSAGES = {
    "not_drawio": N_("this is not a draw.io diagram: the document element is <{name}>; expected <mxfile> or <mxGraphModel>"),
    "no_diagram": N_("this draw.io file holds no diagram"),
    "compressed": N_("the compressed diagram does not read ({reason}); save it from draw.io again"),
    "too_large": N_("the diagram unpacks to more than the limit"),
    "missing_ref": N_("{what} `{id}` refers to `{ref}`, which is not in the diagram"),
    "no_root": N_("the diagram has no cells"),
    "no_id": N_("a cell has no id, so nothing can refer to it; every draw.io cell needs one"),
    "other_pages": N_("only the first page is imported; this page is not"),
    "dangling": N_("a connector not attached to a shape at both ends is not kept"),
    "free_text": N_("a text with no shape around it is not kept"),
    "image": N_("an image is not kept"),
    "edge_to_group": N_("a connector to a container, not to a shape, is not kept"),
}

_BREAKS = re.compile(r"<br\s*/?>|</div>\s*<div[^>]*>|</p>\s*<p[^>]*>|<div[^>]*>|</div>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
# The owner and deadline line the export puts under a label, however draw.io rewrites its tag.
_META = re.compile(r"<br\s*/?>\s*<font[^>]*" + re.escape(META_COLOUR) + r"[^>]*>.*?</font>\s*$", re.IGNORECASE | re.DOTALL)


def label_text(value: str, is_html: bool) -> str:
    """What a draw.io label shows: HTML markup read as text, lines kept."""
    if not is_html:
        return value.strip()
    text = _TAGS.sub("", _BREAKS.sub("\n", value))
    lines = [html.unescape(line).replace("\xa0", " ").strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def parse_style(style: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for part in style.split(";"):
        if not part.strip():
            continue
        key, _sep, value = part.partition("=")
        result[key.strip()] = value.strip() if _ else ""
    return result


def _unpack(diagram: XmlElement, path: str, text: str) -> bytes:
    """A compressed page: base64, then raw deflate, then URL-encoding."""
    limit = limits.INPUT_MEGABYTES.value * 1024 * 1024
    try:
        packed = base64.b64decode(diagram.text.strip(), validate=False)
        inflater = zlib.decompressobj(-15)
        data = inflater.decompress(packed, limit + 1)
        if len(data) > limit or inflater.unconsumed_tail:
            raise _error(path, text, limits.INPUT_MEGABYTES.exceeded(_(MESSAGES["too_large"])), diagram.line, diagram.column)
        return unquote(data.decode("utf-8")).encode("utf-8")
    except (ValueError, zlib.error, UnicodeDecodeError) as exc:
        raise _error(path, text, _(MESSAGES["compressed"], reason=exc), diagram.line, diagram.column) from None


class _Reader:
    def __init__(self, path: str, text: str, report: Report) -> None:
        self.path = path
        self.text = text
        self.report = report
        self.draft = Draft(direction="LR")
        self.packed_at: Optional[XmlElement] = None  # the compressed page the cells come from

    def note(self, element: XmlElement, cell_id: str, name: str, what: str) -> None:
        # Inside a compressed page, a cell's own line and column mean nothing to the reader of
        # the file: the page's place is given instead.
        where = self.packed_at or element
        self.report.add(element.name, cell_id, name, where.line, where.column, what)

    def error(self, element: XmlElement, message: str) -> ParseError:
        where = self.packed_at or element
        return _error(self.path, self.text, message, where.line, where.column)

    def read(self, root: XmlElement) -> Draft:
        if root.name == "mxfile":
            diagrams = list(root.find_all("diagram"))
            if not diagrams:
                raise _error(self.path, self.text, _(MESSAGES["no_diagram"]), root.line, root.column)
            for other in diagrams[1:]:
                self.note(other, other.get("id", ""), other.get("name", ""), _(MESSAGES["other_pages"]))
            first = diagrams[0]
            model = first.find("mxGraphModel")
            if model is None:
                model = read_xml(_unpack(first, self.path, self.text), self.path)
                self.packed_at = first
            if self.draft.title is None and first.get("name") and not first.get("name", "").startswith("Page-"):
                self.draft.title = first.get("name")
        elif root.name == "mxGraphModel":
            model = root
        else:
            raise _error(self.path, self.text, _(MESSAGES["not_drawio"], name=root.name), root.line, root.column)
        if model.name != "mxGraphModel":
            raise self.error(model, _(MESSAGES["not_drawio"], name=model.name))
        cells_root = model.find("root")
        if cells_root is None:
            raise self.error(model, _(MESSAGES["no_root"]))
        self._cells(cells_root)
        return self.draft

    def _cells(self, cells_root: XmlElement) -> None:
        cells: list[tuple[XmlElement, XmlElement, dict[str, str]]] = []  # (outer element, mxCell, data)
        for element in cells_root.children:
            if element.name == "mxCell":
                cells.append((element, element, {}))
            else:  # <object>/<UserObject>: the shape data, around its mxCell
                inner = element.find("mxCell")
                if inner is None:
                    continue
                data = {k: v for k, v in element.attributes.items() if k not in ("id", "label", "placeholders")}
                merged = dict(inner.attributes, id=element.get("id", ""), value=element.get("label", ""))
                cells.append((element, XmlElement(inner.namespace, inner.name, merged, inner.line, inner.column, inner.children), data))
        for outer, cell, _data in cells:
            if not cell.get("id"):
                raise self.error(outer, _(MESSAGES["no_id"]))
        by_id = {cell.get("id"): (outer, cell, data) for outer, cell, data in cells}
        root_ids = {cell.get("id") for _o, cell, _d in cells if not cell.get("parent")}
        layer_ids = {cell.get("id") for _o, cell, _d in cells if cell.get("parent") in root_ids and not cell.get("vertex") and not cell.get("edge")}
        for _outer, cell, data in cells:
            if cell.get("id") in root_ids and data:
                self._process_data(data)
        for outer, cell, _data in cells:
            parent = cell.get("parent")
            if parent and parent not in by_id:
                raise self.error(outer, _(MESSAGES["missing_ref"], what="cell", id=cell.get("id"), ref=parent))

        styles = {cell.get("id"): parse_style(cell.get("style", "")) for _o, cell, _d in cells}
        containers = {
            cid for cid, style in styles.items()
            if "swimlane" in style or style.get("container") == "1" or style.get("shape") in ("swimlane", "table")
            or "group" in style
        }
        edge_ids = {cell.get("id") for _o, cell, _d in cells if cell.get("edge") == "1"}
        # Which containers are lanes: swimlanes at the top; a swimlane holding swimlanes is a pool.
        def top_level(cid: Optional[str]) -> bool:
            return cid is None or cid in layer_ids or cid in root_ids

        # A pool: a swimlane drawn by hand whose children are swimlanes (salesflow's own containers
        # say what they are in their shape data).
        holds_lanes = {cid for cid in containers if "sf_kind" not in by_id[cid][2] and any(
            "swimlane" in styles[c.get("id")] and c.get("parent") == cid for _o, c, _d in cells)}
        groups: dict[str, DraftGroup] = {}
        lane_titles: dict[str, str] = {}
        for outer, cell, data in cells:
            cid = cell.get("id")
            if cid not in containers or cell.get("vertex") != "1":
                continue
            style = styles[cid]
            title = label_text(cell.get("value", ""), style.get("html") == "1") or cid
            parent = cell.get("parent")
            group_id = data.get("sf_id") or _own_id(cid, "lane")
            if "swimlane" in style and cid in holds_lanes and top_level(parent):
                lane_titles[cid] = title  # a pool: its lanes carry its name
                continue
            if "swimlane" in style and (top_level(parent) or parent in holds_lanes):
                pool = lane_titles.get(parent) if parent in holds_lanes else None
                name = f"{pool} / {title}" if pool else title
                groups[cid] = DraftGroup(group_id, name, None, data.get("sf_kind", "lane") == "lane")
            else:
                groups[cid] = DraftGroup(group_id, title, None, False)
        for cid, group in groups.items():
            data = by_id[cid][2]
            if data.get("sf_title") is not None:
                group.label, group.label_format = data["sf_title"], data.get("sf_format") or "text"
            parent = by_id[cid][1].get("parent")
            while parent is not None and parent not in groups and parent in by_id and parent not in root_ids:
                parent = by_id[parent][1].get("parent")
            group.parent = groups[parent].id if parent in groups else None
            if group.parent is not None:
                group.is_lane = False
        self.draft.groups = list(groups.values())
        if not self.draft.lane_order:
            self.draft.lane_order = [g.id for g in groups.values() if g.is_lane]
        else:
            known = {g.id for g in groups.values() if g.is_lane}
            self.draft.lane_order = [g for g in self.draft.lane_order if g in known] + [
                g.id for g in groups.values() if g.is_lane and g.id not in self.draft.lane_order
            ]
        for group in self.draft.groups:
            if group.id not in self.draft.lane_order:
                group.is_lane = False

        nodes: dict[str, DraftNode] = {}
        edge_labels: dict[str, list[str]] = {}
        for outer, cell, data in cells:
            cid = cell.get("id")
            if cell.get("vertex") != "1" or cid in containers:
                continue
            style = styles[cid]
            is_html = style.get("html") == "1"
            value = cell.get("value", "")
            if cell.get("parent") in edge_ids:  # a label standing on a connector
                edge_labels.setdefault(cell.get("parent"), []).append(label_text(value, is_html))
                continue
            if "text" in style or style.get("shape") == "text":
                self.note(outer, cid, label_text(value, is_html), _(MESSAGES["free_text"]))
                continue
            if "image" in style or style.get("shape") == "image":
                self.note(outer, cid, label_text(value, is_html), _(MESSAGES["image"]))
                continue
            nodes[cid] = self._node(cid, style, value, is_html, data, cell, groups, by_id)
        self.draft.nodes = list(nodes.values())
        for outer, cell, data in cells:
            cid = cell.get("id")
            if cell.get("edge") != "1":
                continue
            source, target = cell.get("source"), cell.get("target")
            for ref in (source, target):
                if ref and ref not in by_id:
                    raise self.error(outer, _(MESSAGES["missing_ref"], what="connector", id=cid, ref=ref))
            style = styles[cid]
            text = label_text(cell.get("value", ""), style.get("html") == "1")
            if not text and cid in edge_labels:
                text = "\n".join(t for t in edge_labels[cid] if t)
            if source in groups or target in groups:
                self.note(outer, cid, text, _(MESSAGES["edge_to_group"]))
                continue
            if source not in nodes or target not in nodes:
                self.note(outer, cid, text, _(MESSAGES["dangling"]))
                continue
            stroke = data.get("sf_stroke") or ("dotted" if style.get("dashed") == "1" else "thick" if _number(style.get("strokeWidth")) >= 2 else "normal")
            edge = DraftEdge(nodes[source].id, nodes[target].id, text or None, data.get("sf_id") if data else _own_id(cid, "edge"), data.get("rate"), data.get("note"), stroke)
            if data.get("sf_label") is not None:
                edge.label, edge.label_format = data["sf_label"], data.get("sf_format") or "text"
            if cid.startswith(CELL_PREFIX["edge"]) and not data.get("sf_id"):
                edge.id = None
            self.draft.edges.append(edge)

    def _node(self, cid, style, value, is_html, data, cell, groups, by_id) -> DraftNode:
        own = "sf_id" in data
        label_html = _META.sub("", value) if own or META_COLOUR in value else value
        text = label_text(label_html, is_html) or (data.get("sf_id") or cid)
        shape_name = style.get("shape", "")
        if "rhombus" in style or shape_name in ("rhombus", "mxgraph.flowchart.decision"):
            shape = "diamond"
        elif "ellipse" in style or shape_name in ("ellipse", "mxgraph.flowchart.terminator", "mxgraph.flowchart.start_1", "mxgraph.flowchart.start_2", "terminator"):
            shape = "stadium"
        elif style.get("rounded") == "1" and _number(style.get("arcSize")) >= 40:
            shape = "stadium"
        elif shape_name == "hexagon":
            shape = "hexagon"
        elif shape_name in ("cylinder", "cylinder3", "mxgraph.flowchart.database"):
            shape = "cylinder"
        elif shape_name in ("process", "mxgraph.flowchart.predefined_process"):
            shape = "subroutine"
        else:
            shape = "square"
        parent = cell.get("parent")
        while parent is not None and parent not in groups and parent in by_id:
            parent = by_id[parent][1].get("parent")
        node = DraftNode(data.get("sf_id") or _own_id(cid, "node"), text, shape, group=groups[parent].id if parent in groups else None)
        if own:
            from ..mermaid_vocabulary import BRACKETS, MERMAID_SHAPES, shape_kind
            from ..render.labels import plain_text

            # The exact shape and label as written, unless they were changed in draw.io since:
            # a shape redrawn as another kind of step, a label retyped.
            recorded = data.get("sf_shape") or "square"
            known = recorded in BRACKETS or recorded in MERMAID_SHAPES
            if known and shape_kind(recorded) == shape_kind(shape):
                node.shape = data.get("sf_shape") or None  # type: ignore[assignment]
            written, label_format = data.get("sf_label"), data.get("sf_format") or "text"
            if written is not None and plain_text(written, label_format) == text:
                node.label, node.label_format = written, label_format
            if data.get("sf_subgraph"):
                node.group = data["sf_subgraph"]
        node.kind = data.get("kind") or None
        node.owner = data.get("owner") or None
        node.due = data.get("due") or None
        for key in LIST_KEYS:
            setattr(node, key, [line.strip() for line in data.get(key, "").split("\n") if line.strip()])
        node.note = data.get("note") or None
        return node

    def _process_data(self, data: dict[str, str]) -> None:
        draft = self.draft
        draft.title = data.get("title")  # the page name is only a fallback for hand-made files
        draft.goals = [g for g in data.get("goals", "").split("\n") if g.strip()]
        draft.roles = [r for r in data.get("roles", "").split("\n") if r.strip()]
        draft.target = data.get("target") or None
        draft.lang = data.get("lang") or None
        draft.direction = data.get("direction") or draft.direction
        draft.lane_order = [lane for lane in data.get("lanes", "").split("\n") if lane.strip()]
        draft.regroup = False


def _own_id(cell_id: str, kind: str) -> str:
    prefix = CELL_PREFIX["lane" if kind == "lane" else kind]
    return cell_id[len(prefix):] if cell_id.startswith(prefix) else cell_id


def _number(value: Optional[str]) -> float:
    try:
        return float(value) if value else 0.0
    except ValueError:
        return 0.0


def read_drawio(data: bytes, path: str) -> tuple[Draft, Report]:
    report = Report(path)
    text = data.decode("utf-8", "replace")
    root = read_xml(data, path)
    draft = _Reader(path, text, report).read(root)
    return draft, report
