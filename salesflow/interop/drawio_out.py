"""`render -f drawio`: the chart as a diagrams.net (draw.io) file, laid out as the SVG is.

A manager can open it in draw.io and polish it by hand: the department lanes are swimlane
containers holding their stages, shapes and colours are the SVG's (decisions are rhombi, starts
and ends rounded pills), owner and deadline stand in a smaller line under each label, and each
shape keeps the stage's metadata as shape data (draw.io's "Edit Data": owner, due, steps,
resources, checks, kpi, note), one item a line. `salesflow import` reads such a file back,
whatever was moved or recoloured in between. The chart's own data (title, goals, roles, target)
is the diagram's data.

The file is uncompressed XML (draw.io reads and writes both), and the same chart always gives
the same bytes.
"""

from __future__ import annotations

from typing import Optional

from ..graph import ProcessGraph
from ..model import Edge, Node, Process
from ..render.escape import clean
from .layout import Box, Drawing, clip, lay_out

META_COLOUR = "#52606d"  # the colour of the owner and deadline line, as in the SVG
LIST_KEYS = ("steps", "resources", "checks", "kpi")
LANE_HEADER = 28  # the band of a swimlane that holds its title

CELL_PREFIX = {"node": "node:", "lane": "group:", "edge": "edge:"}


def _attr(value: str) -> str:
    text = clean(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return '"' + text.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


def _html(text: str) -> str:
    """Text as draw.io's HTML label shows it."""
    escaped = clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\n", "<br>")


def _n(value: float) -> str:
    return f"{round(value, 2):g}"


def meta_line(node: Node, in_lane: bool) -> str:
    """`owner · deadline` under a label, as the SVG writes it (a lane's own owner left out)."""
    from ..render.labels import due_text

    owner = node.owner if node.owner and not (node.owner_from_lane and in_lane) else None
    return " · ".join(part for part in (owner, due_text(node)) if part)


def _style(pairs: list[tuple[str, Optional[str]]]) -> str:
    return "".join(f"{key}={value};" if value is not None else f"{key};" for key, value in pairs)


class _Writer:
    def __init__(self, process: Process, drawing: Drawing) -> None:
        self.process = process
        self.drawing = drawing
        self.graph = ProcessGraph(process)
        self.subgraphs = {s.id: s for s in process.subgraphs}
        self.out: list[str] = []

    def container(self, node: Node) -> Optional[str]:
        """The innermost drawn subgraph that holds the node."""
        holder = node.subgraph
        while holder is not None and holder not in self.drawing.clusters:
            holder = self.subgraphs[holder].parent if holder in self.subgraphs else None
        return holder

    def origin(self, subgraph_id: Optional[str]) -> tuple[float, float]:
        if subgraph_id is None:
            return (0.0, 0.0)
        box = self.drawing.clusters[subgraph_id]
        return (box.x, box.y)

    def write(self) -> str:
        process = self.process
        drawing = self.drawing
        name = process.title or process.acc_title or "process"
        out = self.out
        out.append('<mxfile host="salesflow" type="device">')
        out.append(f'  <diagram id="salesflow" name={_attr(name)}>')
        out.append(
            f'    <mxGraphModel grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="1" '
            f'pageScale="1" pageWidth="{_n(drawing.width + 40)}" pageHeight="{_n(drawing.height + 40)}" math="0" shadow="0">'
        )
        out.append("      <root>")
        target = process.target.text if process.target is not None else None
        data = [
            ("title", process.title), ("goals", "\n".join(process.goals) or None), ("roles", "\n".join(process.roles) or None),
            ("target", target), ("lang", process.lang), ("direction", process.direction),
            ("lanes", "\n".join(process.lanes) or None),
        ]
        out.append(f'        <object label="" id="0"{_data(data)}>')
        out.append("          <mxCell />")
        out.append("        </object>")
        out.append('        <mxCell id="1" parent="0" />')
        for subgraph in self._outside_in():
            self._group(subgraph.id)
        for node in process.nodes:
            self._node(node)
        for edge in process.edges:
            if process.has_node(edge.source) and process.has_node(edge.target):
                self._edge(edge)
        out.append("      </root>")
        out.append("    </mxGraphModel>")
        out.append("  </diagram>")
        out.append("</mxfile>")
        return "\n".join(out) + "\n"

    def _outside_in(self) -> list:
        """Subgraphs, each before the ones inside it (a container must come before its children)."""
        result, seen = [], set()

        def visit(subgraph, depth: int = 0) -> None:
            if subgraph.id in seen or depth > 64:
                return
            if subgraph.parent in self.subgraphs:
                visit(self.subgraphs[subgraph.parent], depth + 1)
            seen.add(subgraph.id)
            result.append(subgraph)

        for subgraph in self.process.subgraphs:
            visit(subgraph)
        return [s for s in result if s.id in self.drawing.clusters]

    def _group(self, subgraph_id: str) -> None:
        subgraph = self.subgraphs[subgraph_id]
        box = self.drawing.clusters[subgraph_id]
        look = self.drawing.cluster_looks.get(subgraph_id, {})
        parent = subgraph.parent
        while parent is not None and parent not in self.drawing.clusters:
            parent = self.subgraphs[parent].parent if parent in self.subgraphs else None
        x0, y0 = self.origin(parent)
        is_lane = subgraph.id in self.process.lanes and subgraph.parent is None
        style = _style([
            ("swimlane", None), ("shape", "swimlane"), ("html", "1"), ("startSize", str(LANE_HEADER)), ("horizontal", "1"),
            ("fillColor", look.get("fillcolor", "#f7f8fa")), ("swimlaneFillColor", look.get("fillcolor", "#f7f8fa")),
            ("strokeColor", look.get("color", "#b6c2cf")), ("fontStyle", "1"), ("align", "left"), ("spacingLeft", "8"),
            ("rounded", "0" if is_lane else "1"), ("container", "1"), ("collapsible", "0"),
        ])
        data = [
            ("kind", "lane" if is_lane else "subgraph"), ("id", subgraph.id), ("parent", subgraph.parent),
            ("title", subgraph.title if subgraph.title != subgraph.text or subgraph.title_format != "text" else None),
            ("format", subgraph.title_format if subgraph.title_format != "text" else None),
        ]
        out = self.out
        out.append(f"        <object label={_attr(_html(subgraph.text))} id={_attr(CELL_PREFIX['lane'] + subgraph.id)}{_data(data, 'sf_')}>")
        out.append(f'          <mxCell style={_attr(style)} vertex="1" parent={_attr(CELL_PREFIX["lane"] + parent if parent else "1")}>')
        out.append(f'            <mxGeometry x="{_n(box.x - x0)}" y="{_n(box.y - y0)}" width="{_n(box.width)}" height="{_n(box.height)}" as="geometry" />')
        out.append("          </mxCell>")
        out.append("        </object>")

    def _node(self, node: Node) -> None:
        box = self.drawing.nodes.get(node.id) or Box(0, 0, 120, 50)
        look = self.drawing.looks.get(node.id, {})
        holder = self.container(node)
        x0, y0 = self.origin(holder)
        in_lane = node.lane is not None and node.lane in self.drawing.clusters
        label = _html(node.text)
        meta = meta_line(node, in_lane)
        if meta:
            label += f'<br><font color="{META_COLOUR}" style="font-size:10px">{_html(meta)}</font>'
        shape = look.get("shape", "box")
        styles = look.get("style", "")
        pairs: list[tuple[str, Optional[str]]] = []
        # draw.io's named styles (`rhombus`, `ellipse`) with what they stand for spelled out, so
        # that plain mxGraph, which has no such names, draws the same shapes.
        if shape == "diamond":
            pairs += [("rhombus", None), ("shape", "rhombus"), ("perimeter", "rhombusPerimeter")]
        elif shape in ("ellipse", "circle", "doublecircle", "oval", "point"):
            pairs += [("ellipse", None), ("shape", "ellipse"), ("perimeter", "ellipsePerimeter")]
        elif shape == "hexagon":
            pairs.append(("shape", "hexagon"))
        elif shape == "cylinder":
            pairs.append(("shape", "cylinder3"))
        elif "rounded" in styles:
            kind = self.graph.kind(node)
            pairs += [("rounded", "1"), ("arcSize", "50" if kind in ("start", "end") else "20")]
        else:
            pairs.append(("rounded", "0"))
        pairs += [
            ("whiteSpace", "wrap"), ("html", "1"), ("fillColor", look.get("fillcolor", "#ffffff")),
            ("strokeColor", look.get("color", "#5b7083")), ("fontColor", look.get("fontcolor", "#1f2933")),
        ]
        unreadable = {value.key: value.text for value in node.unreadable}
        data = [
            ("owner", node.owner if node.owner and not node.owner_from_lane else None),
            ("due", node.due.text if node.due is not None else unreadable.get("due")),
            *[(key, "\n".join(getattr(node, key)) or None) for key in LIST_KEYS],
            ("note", node.note),
            ("kind", node.kind or unreadable.get("kind")),
        ]
        own = [
            ("id", node.id), ("shape", node.shape),
            ("label", node.label if node.label != node.text or node.label_format != "text" else None),
            ("format", node.label_format if node.label_format != "text" else None),
            ("subgraph", node.subgraph),
        ]
        out = self.out
        out.append(f"        <object label={_attr(label)} id={_attr(CELL_PREFIX['node'] + node.id)}{_data(data)}{_data(own, 'sf_')}>")
        out.append(f'          <mxCell style={_attr(_style(pairs))} vertex="1" parent={_attr(CELL_PREFIX["lane"] + holder if holder else "1")}>')
        out.append(f'            <mxGeometry x="{_n(box.x - x0)}" y="{_n(box.y - y0)}" width="{_n(box.width)}" height="{_n(box.height)}" as="geometry" />')
        out.append("          </mxCell>")
        out.append("        </object>")

    def _edge(self, edge: Edge) -> None:
        drawing = self.drawing
        route = drawing.routes.get(edge.index, [])
        source, target = drawing.nodes.get(edge.source), drawing.nodes.get(edge.target)
        line = clip(route, source, target) if len(route) >= 2 else []
        points = line[1:-1]
        dashed = edge.stroke == "dotted"
        pairs: list[tuple[str, Optional[str]]] = [
            ("edgeStyle", "none"), ("curved", "1"), ("html", "1"), ("rounded", "1"),
            ("strokeColor", "#4b5563"), ("fontColor", "#1f2933"), ("fontSize", "11"),
            ("endArrow", "none" if edge.end == "none" else "block"), ("endFill", "1"),
        ]
        if line and source is not None and target is not None:
            # Where the line leaves its source and meets its target, as the picture draws it:
            # draw.io would otherwise aim each end from the stage's centre at the waypoint next
            # to it, which can cut across a stage the line goes round.
            pairs += [*_fixed_end("exit", source, line[0]), *_fixed_end("entry", target, line[-1])]
        if dashed:
            pairs.append(("dashed", "1"))
        if edge.stroke == "thick":
            pairs.append(("strokeWidth", "2"))
        if edge.stroke == "invisible":
            pairs.append(("strokeColor", "none"))
        unreadable = {value.key: value.text for value in edge.unreadable}
        data = [("rate", edge.rate_text or unreadable.get("rate")), ("note", edge.note)]
        own = [
            ("id", edge.id), ("stroke", edge.stroke if edge.stroke != "normal" else None),
            ("label", edge.label if edge.label is not None and (edge.label != edge.text or edge.label_format != "text") else None),
            ("format", edge.label_format if edge.label_format != "text" else None),
        ]
        label = _html(edge.text) if edge.text else ""
        out = self.out
        out.append(f"        <object label={_attr(label)} id={_attr(CELL_PREFIX['edge'] + str(edge.index))}{_data(data)}{_data(own, 'sf_')}>")
        out.append(
            f'          <mxCell style={_attr(_style(pairs))} edge="1" parent="1" '
            f'source={_attr(CELL_PREFIX["node"] + edge.source)} target={_attr(CELL_PREFIX["node"] + edge.target)}>'
        )
        out.append('            <mxGeometry relative="1" as="geometry">')
        if points:
            out.append('              <Array as="points">')
            for x, y in points:
                out.append(f'                <mxPoint x="{_n(x)}" y="{_n(y)}" />')
            out.append("              </Array>")
        out.append("            </mxGeometry>")
        out.append("          </mxCell>")
        out.append("        </object>")


def _fixed_end(end: str, box: Box, point: tuple[float, float]) -> list[tuple[str, Optional[str]]]:
    """draw.io's `exitX`/`exitY` (or `entry…`): a point on the box's border, as fractions of its size."""

    def fraction(offset: float, size: float) -> str:
        return f"{round(offset / size, 4):g}" if size else "0.5"

    return [(f"{end}X", fraction(point[0] - box.x, box.width)), (f"{end}Y", fraction(point[1] - box.y, box.height))]


def _data(pairs: list[tuple[str, Optional[str]]], prefix: str = "") -> str:
    return "".join(f" {prefix}{key}={_attr(value)}" for key, value in pairs if value is not None and value != "")


def to_drawio(
    process: Process, timeout: Optional[float] = None, engine: str = "dot",
    direction: Optional[str] = None, wrap: Optional[int] = None,
) -> str:
    """The chart as a draw.io diagram, laid out as `lay_out` lays it out (`direction`, `wrap`: see there)."""
    return _Writer(process, lay_out(process, timeout, engine, direction, wrap)).write()


def render(process: Process, **options: object) -> str:
    """`render -f drawio`."""
    timeout = options.get("timeout")
    return to_drawio(
        process, float(timeout) if timeout else None, str(options.get("engine") or "dot"),  # type: ignore[arg-type]
        options.get("direction") or None, options.get("wrap"),  # type: ignore[arg-type]
    )
