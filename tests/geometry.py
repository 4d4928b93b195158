"""A geometry checker for drawings: what a reader would call an unreadable chart, counted.

The DOT text is laid out by the real `dot -Tjson`; the checker then reads what Graphviz would
draw (its xdot operations) and measures:

- every text that is drawn (`_ldraw_`, `_tldraw_`, `_hldraw_` text operations: node labels, edge
  labels, lane titles, the chart title, highlight tags `⚠ rule`) as a box: the text's width as
  Graphviz measured it, and its font size for the height;
- nodes as their shapes (box, diamond, ellipse), from position, width and height;
- edges as their Bézier curves (`_draw_`), sampled;
- clusters by their bounding boxes.

Defect categories (each a count; `Report.details` says which elements):

- `label_overlap`: an edge label whose text overlaps the text of another element;
- `label_on_node`: an edge label over a node;
- `tag_over_label`: a highlight tag over another element's text;
- `edge_through_node`: an edge whose curve crosses a node that is not one of its ends;
- `lane_order`: neighbouring lanes (`lanes:`) out of the declared order or overlapping: top to
  bottom when the flow runs left to right, left to right when it runs down;
- `node_outside_lane`: a lane's node not inside its lane's band;
- `lanes_out_of_line`: lanes whose bands do not all start, or do not all end, in one line along
  the flow (more than `LANES_IN_LINE` points apart): every lane of a swimlane chart spans the
  whole flow, and a ragged stack of boxes reads as lanes of different reach;
- `aspect`: a drawing more than `MAX_ASPECT` times as wide as it is tall, or as tall as wide;
- `start_not_first`: a start of the flow that most stages of its lane (or, without lanes, of its
  row or column) come before, reading in the chart's direction: a flow drawn backwards;
- `link_through_own_label`: a link whose curve runs through the text of its own label (a
  line of a label set beside the link, drawn over by it), more than `LABEL_TOUCH` points deep;
- `detour`: a link drawn the long way round, e.g. round the far end of the lanes instead of
  close by the stages it joins: its path (through its label, when the link runs through one) is
  more than `DETOUR_RATIO` times as long as the distance between its two stages and more than
  `DETOUR_POINTS` longer.

Coordinates are Graphviz points (y grows upwards).
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

MAX_ASPECT = 5.0
CATEGORIES = (
    "label_overlap",
    "label_on_node",
    "tag_over_label",
    "edge_through_node",
    "lane_order",
    "node_outside_lane",
    "lanes_out_of_line",
    "aspect",
    "start_not_first",
    "link_through_own_label",
    "detour",
)
HELD = ("link_through_own_label", "detour")  # categories held at a reviewed count rather than at zero (tests/test_layout.py)
TAG_MARK = "⚠"
# Text boxes: from the baseline, an ascent and a descent as fractions of the font size (Noto Sans
# CJK: 0.88 / 0.12 of the em; a little less is taken, as glyphs rarely reach the full height).
ASCENT, DESCENT = 0.8, 0.2
OVERLAP = 0.5  # points two boxes must share in both directions to count as overlapping
NODE_INSET = 2.0  # points: an edge that only grazes a node's outline does not go through it
SAMPLES_PER_SEGMENT = 24
LABEL_TOUCH = 1.0  # points: a link that only grazes its label's text box does not run through it
# A detour: a path this many times the distance between its ends, and this many points longer
# (a link between neighbours bowing round a label is no detour).
DETOUR_RATIO = 3.0
DETOUR_POINTS = 400.0


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: "Box", tolerance: float = OVERLAP) -> bool:
        return (
            min(self.x1, other.x1) - max(self.x0, other.x0) > tolerance
            and min(self.y1, other.y1) - max(self.y0, other.y0) > tolerance
        )

    def contains(self, other: "Box", tolerance: float = 0.5) -> bool:
        return (
            other.x0 >= self.x0 - tolerance
            and other.y0 >= self.y0 - tolerance
            and other.x1 <= self.x1 + tolerance
            and other.y1 <= self.y1 + tolerance
        )

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Text:
    owner: tuple[str, str]  # ("node", name), ("edge", "3"), ("cluster", name), ("graph", "")
    text: str
    box: Box

    @property
    def is_tag(self) -> bool:
        return self.text.lstrip().startswith(TAG_MARK)


@dataclass(frozen=True)
class NodeShape:
    name: str
    shape: str
    x: float
    y: float
    width: float  # points
    height: float

    @property
    def box(self) -> Box:
        return Box(self.x - self.width / 2, self.y - self.height / 2, self.x + self.width / 2, self.y + self.height / 2)

    def holds(self, x: float, y: float, inset: float = NODE_INSET) -> bool:
        """Whether (x, y) lies inside the shape, `inset` points away from its outline."""
        half_w, half_h = self.width / 2 - inset, self.height / 2 - inset
        if half_w <= 0 or half_h <= 0:
            return False
        dx, dy = abs(x - self.x) / half_w, abs(y - self.y) / half_h
        if self.shape == "diamond":
            return dx + dy < 1
        if self.shape in ("ellipse", "oval", "circle", "doublecircle", "point", "Mcircle"):
            return dx * dx + dy * dy < 1
        return dx < 1 and dy < 1


@dataclass(frozen=True)
class EdgeCurve:
    key: str  # the edge's `id` attribute when it has one, else its position in the list
    tail: str
    head: str
    points: tuple[tuple[float, float], ...]  # sampled along the curves


@dataclass
class Layout:
    rankdir: str
    bb: Box
    nodes: dict[str, NodeShape]
    edges: list[EdgeCurve]
    texts: list[Text]
    clusters: dict[str, Box]  # by the cluster's `id` attribute, else its name


LANES_IN_LINE = 2.0  # points the lanes' ends may differ by and still be in line (`lanes_out_of_line`)


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=lambda: {c: 0 for c in CATEGORIES})
    details: list[str] = field(default_factory=list)
    aspect: float = 1.0
    size: tuple[float, float] = (0.0, 0.0)

    def add(self, category: str, detail: str) -> None:
        self.counts[category] += 1
        self.details.append(f"{category}: {detail}")

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def flaws(self) -> list[str]:
        """The details of every category held at zero (see HELD: those held at a reviewed count)."""
        return [detail for detail in self.details if not detail.startswith(tuple(f"{c}:" for c in HELD))]


# ---------------------------------------------------------------------------------------------
# Reading Graphviz's JSON


def run_dot(dot_text: str, timeout: float = 120) -> dict:
    """The layout `render` draws of `dot_text`, as Graphviz `-Tjson`, parsed: dot's own, with the
    links drawn the long way round routed anew and the labels set over stages moved
    (salesflow/render/reroute.py, relabel.py), by the very code `render` runs (`repair` of
    `picture.run_graphviz`)."""
    from salesflow.render import picture

    if shutil.which("dot") is None:
        raise FileNotFoundError("Graphviz `dot` is not installed")
    try:
        drawn = picture.run_graphviz(dot_text, "json", timeout=timeout, repair=repaired(dot_text))
    except picture.RenderError as exc:
        raise RuntimeError(str(exc)) from None
    return json.loads(drawn)


def repaired(dot_text: str) -> bool:
    """Whether `render` repairs a drawing of `dot_text` (`picture.repairs`, told from the text's
    stages)."""
    from salesflow.render.picture import REPAIR_MAX_NODES

    return dot_text.count('id="sf-node-') <= REPAIR_MAX_NODES


def as_drawn(dot_text: str, first_run: bytes, timeout: float = 120) -> dict:
    """The layout `render` draws, from a `dot -Tjson0 -Tjson` run of `dot_text` (`first_run`, its
    output): the repair of `picture.run_graphviz(..., repair=True)` run on it, the very code
    `render` runs after its own first run; dot's own `-Tjson` when nothing is repaired."""
    from salesflow.render import picture

    if not repaired(dot_text):
        return json.loads(picture.split_layout(first_run)[1])
    return json.loads(picture._rerouted(first_run, dot_text, "json", timeout, ()))


def dots_own(dot_text: str, output: str) -> bytes:
    """Bare `dot -T<output>` of `dot_text`, nothing repaired: what `render`'s repairs are compared with."""
    return subprocess.run(["dot", f"-T{output}"], input=dot_text.encode("utf-8"), capture_output=True, check=True).stdout


def lanes_as_drawn(graph: dict) -> dict:
    """`graph`, dot's own layout (`-Tjson`), with its lanes stretched to one length as `render`'s
    repair draws them (salesflow/render/lane_ends.py, the very plan `render` makes): for checking
    dot's own layout of a drawing the other repairs are not wanted in. Changed in place."""
    from salesflow.render import lane_ends

    stretched = {stretch.lane: stretch.new for stretch in lane_ends.plan(graph)}
    for obj in graph.get("objects", [])[: int(graph.get("_subgraph_cnt", 0))]:
        if obj.get("id") in stretched:
            obj["bb"] = ",".join(f"{value:g}" for value in stretched[obj["id"]])
    return graph


def _floats(text: str) -> list[float]:
    return [float(part) for part in text.split(",")]


def _is_invisible(obj: dict) -> bool:
    return "invis" in str(obj.get("style", ""))


def _texts(owner: tuple[str, str], obj: dict) -> list[Text]:
    out = []
    for key in ("_ldraw_", "_xldraw_", "_tldraw_", "_hldraw_"):
        size = 14.0
        for op in obj.get(key) or ():
            if op.get("op") == "F":
                size = float(op["size"])
            elif op.get("op") == "T" and op.get("text", "").strip():
                x, y = op["pt"]
                width = float(op["width"])
                align = op.get("align", "c")
                x0 = x if align == "l" else x - width if align == "r" else x - width / 2
                out.append(Text(owner, op["text"], Box(x0, y - DESCENT * size, x0 + width, y + ASCENT * size)))
    return out


def _bezier(points: Sequence[Sequence[float]]) -> list[tuple[float, float]]:
    """Points along a B-spline as xdot gives it: p0, then (c1, c2, p) per cubic segment."""
    out = [tuple(points[0])]
    for start in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[start : start + 4]
        for step in range(1, SAMPLES_PER_SEGMENT + 1):
            t = step / SAMPLES_PER_SEGMENT
            u = 1 - t
            out.append(
                (
                    u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                    u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
                )
            )
    return out  # type: ignore[return-value]


def read_layout(graph: dict) -> Layout:
    """The geometry of a `dot -Tjson` graph."""
    subgraph_count = int(graph.get("_subgraph_cnt", 0))
    objects = graph.get("objects", [])
    by_gvid = {obj["_gvid"]: obj for obj in objects[subgraph_count:]}
    nodes: dict[str, NodeShape] = {}
    texts: list[Text] = _texts(("graph", ""), graph)
    clusters: dict[str, Box] = {}
    for obj in objects[:subgraph_count]:
        if "bb" in obj:
            key = obj.get("id") or obj["name"]
            clusters[key] = Box(*_floats(obj["bb"]))
            texts += _texts(("cluster", key), obj)
    for obj in objects[subgraph_count:]:
        if _is_invisible(obj) or "pos" not in obj:
            continue
        x, y = _floats(obj["pos"])
        shape = NodeShape(obj["name"], obj.get("shape", "ellipse"), x, y,
                          float(obj.get("width", 0.75)) * 72, float(obj.get("height", 0.5)) * 72)
        nodes[obj["name"]] = shape
        texts += _texts(("node", obj["name"]), obj)
    edges = []
    for position, edge in enumerate(graph.get("edges", [])):
        if _is_invisible(edge):
            continue
        key = edge.get("id") or str(position)
        curve: list[tuple[float, float]] = []
        for op in edge.get("_draw_") or ():
            if op.get("op") == "b" and len(op.get("points", ())) >= 4:
                curve += _bezier(op["points"])
        tail, head = by_gvid[edge["tail"]]["name"], by_gvid[edge["head"]]["name"]
        edges.append(EdgeCurve(key, tail, head, tuple(curve)))
        texts += _texts(("edge", key), edge)
    return Layout(graph.get("rankdir", "TB"), Box(*_floats(graph["bb"])), nodes, edges, texts, clusters)


# ---------------------------------------------------------------------------------------------
# Measuring


@dataclass(frozen=True)
class Lane:
    title: str
    cluster: str  # the cluster's `id` attribute (salesflow: `sf-subgraph-N`)
    nodes: tuple[str, ...]


def check(
    layout: Layout, lanes: Sequence[Lane] = (), direction: Optional[str] = None, starts: Sequence[str] = ()
) -> Report:
    """Count the defects of a laid-out drawing; `lanes` in their declared order; `direction`:
    the way the flow runs (TB, BT, LR, RL), which sets the way lanes are stacked and the flow is
    read (by default, Graphviz's `rankdir`); `starts`: the nodes the flow starts from."""
    report = Report()
    direction = direction or layout.rankdir
    _labels(layout, report)
    _through_nodes(layout, report)
    _through_own_labels(layout, report)
    _lanes(layout, lanes, report, direction)
    _starts_first(layout, lanes, starts, direction, report)
    _detours(layout, report)
    width, height = layout.bb.width, layout.bb.height
    report.size = (width, height)
    if width > 0 and height > 0:
        report.aspect = max(width / height, height / width)
        if report.aspect > MAX_ASPECT:
            report.add("aspect", f"{width:.0f} × {height:.0f} pt is {report.aspect:.1f}:1")
    return report


def _name(owner: tuple[str, str]) -> str:
    return f"{owner[0]} {owner[1]}".strip()


def _labels(layout: Layout, report: Report) -> None:
    texts = layout.texts
    seen_pairs: set[tuple[str, tuple, tuple]] = set()

    def once(category: str, a: tuple, b: tuple, detail: str) -> None:
        pair = (category, *sorted([a, b]))
        if pair not in seen_pairs:
            seen_pairs.add(pair)  # type: ignore[arg-type]
            report.add(category, detail)

    for i, first in enumerate(texts):
        for second in texts[i + 1 :]:
            if first.owner == second.owner or not first.box.overlaps(second.box):
                continue
            for one, other in ((first, second), (second, first)):
                if one.is_tag:
                    once("tag_over_label", one.owner, other.owner,
                         f"tag {one.text!r} of {_name(one.owner)} over {other.text!r} of {_name(other.owner)}")
            if "edge" in (first.owner[0], second.owner[0]):
                once("label_overlap", first.owner, second.owner,
                     f"{first.text!r} of {_name(first.owner)} over {second.text!r} of {_name(second.owner)}")
    for text in texts:
        if text.owner[0] != "edge":
            continue
        for node in layout.nodes.values():
            if node.width > 2 and node.height > 2 and text.box.overlaps(node.box, OVERLAP) and _covers(node, text.box):
                once("label_on_node", text.owner, ("node", node.name),
                     f"{text.text!r} of {_name(text.owner)} over node {node.name}")


def _covers(node: NodeShape, box: Box) -> bool:
    """Whether a text box reaches into the node's shape (corners and midpoints of its sides)."""
    xs = (box.x0, (box.x0 + box.x1) / 2, box.x1)
    ys = (box.y0, (box.y0 + box.y1) / 2, box.y1)
    if any(node.holds(x, y, 0) for x in xs for y in ys):
        return True
    # The node may sit inside a wide text box: its centre is then covered.
    return box.x0 < node.x < box.x1 and box.y0 < node.y < box.y1


def _through_nodes(layout: Layout, report: Report) -> None:
    for edge in layout.edges:
        if not edge.points:
            continue
        xs = [p[0] for p in edge.points]
        ys = [p[1] for p in edge.points]
        span = Box(min(xs), min(ys), max(xs), max(ys))
        for node in layout.nodes.values():
            if node.name in (edge.tail, edge.head) or not span.overlaps(node.box, 0):
                continue
            if any(node.holds(x, y) for x, y in edge.points):
                report.add("edge_through_node", f"edge {edge.key} ({edge.tail} → {edge.head}) through {node.name}")


def _through_own_labels(layout: Layout, report: Report) -> None:
    curves = {edge.key: edge for edge in layout.edges}
    for text in layout.texts:
        edge = curves.get(text.owner[1]) if text.owner[0] == "edge" else None
        if edge is None:
            continue
        inner = Box(text.box.x0 + LABEL_TOUCH, text.box.y0 + LABEL_TOUCH, text.box.x1 - LABEL_TOUCH,
                    text.box.y1 - LABEL_TOUCH)
        if any(inner.x0 < x < inner.x1 and inner.y0 < y < inner.y1 for x, y in edge.points):
            report.add("link_through_own_label",
                       f"edge {edge.key} ({edge.tail} → {edge.head}) through its label's {text.text!r}")


def _lanes(layout: Layout, lanes: Sequence[Lane], report: Report, direction: str) -> None:
    across = direction in ("LR", "RL")  # lanes are rows, first on top; else columns, first on the left
    drawn = [lane for lane in lanes if lane.cluster in layout.clusters]
    for upper, lower in zip(drawn, drawn[1:]):
        a, b = layout.clusters[upper.cluster], layout.clusters[lower.cluster]
        in_order = a.y0 >= b.y1 - 0.5 if across else a.x1 <= b.x0 + 0.5
        if not in_order:
            report.add("lane_order", f"lane {upper.title!r} is not {'above' if across else 'left of'} {lower.title!r}")
    for lane in drawn:
        band = layout.clusters[lane.cluster]
        for node_name in lane.nodes:
            node = layout.nodes.get(node_name)
            if node is not None and not band.contains(node.box):
                report.add("node_outside_lane", f"{node_name} outside lane {lane.title!r}")
    if len(drawn) > 1:
        bands = [layout.clusters[lane.cluster] for lane in drawn]
        # Along the flow: across the page when lanes are rows, down it when they are columns.
        starts = [band.x0 if across else band.y0 for band in bands]
        ends = [band.x1 if across else band.y1 for band in bands]
        apart = max(max(starts) - min(starts), max(ends) - min(ends))
        if apart > LANES_IN_LINE:
            report.add("lanes_out_of_line", f"the lanes' ends are up to {apart:.0f} pt apart along the flow")


_READING = {"LR": (1.0, 0.0), "RL": (-1.0, 0.0), "TB": (0.0, -1.0), "BT": (0.0, 1.0)}  # y grows upwards


def _starts_first(layout: Layout, lanes: Sequence[Lane], starts: Sequence[str], direction: str, report: Report) -> None:
    dx, dy = _READING.get(direction, _READING["TB"])
    lane_of = {name: lane for lane in lanes for name in lane.nodes}
    for start in starts:
        node = layout.nodes.get(start)
        if node is None:
            continue
        if start in lane_of:
            peers = [layout.nodes[n] for n in lane_of[start].nodes if n != start and n in layout.nodes]
        else:  # the stages in line with it: its row, or its column
            box = node.box
            peers = [
                other for other in layout.nodes.values()
                if other.name != start and other.name not in lane_of and (
                    (box.y0 < other.y < box.y1) if dx else (box.x0 < other.x < box.x1)
                )
            ]
        before = sum(1 for other in peers if (other.x - node.x) * dx + (other.y - node.y) * dy < -1)
        if peers and before * 2 > len(peers):
            report.add(
                "start_not_first", f"{before} of the {len(peers)} stages in line with start {start} come before it"
            )


# salesflow: a link through its label is `sf-edge-N-start`, then `sf-edge-N`; a link across lanes
# through waypoints is `sf-edge-N-start`, `sf-edge-N-via-1`, … and `sf-edge-N`.
_PART = re.compile(r"(.+)-(?:start|via-\d+)")


@dataclass(frozen=True)
class Path:
    key: str
    ends: tuple[str, str]
    length: float  # points along the drawn curves
    distance: float  # points between the centres of its ends


def paths(layout: Layout) -> list[Path]:
    """Each link as drawn from stage to stage: the parts of a link that runs through its label
    (a node drawn as text only, the end of one part and the start of the next) joined."""
    parts: dict[str, list[EdgeCurve]] = defaultdict(list)
    for edge in layout.edges:
        match = _PART.fullmatch(edge.key)
        parts[match.group(1) if match else edge.key].append(edge)
    out = []
    for key, curves in parts.items():
        ends = [name for curve in curves for name in (curve.tail, curve.head)]
        stages = [name for name in ends if ends.count(name) == 1]  # a label is the end of two parts
        if len(stages) != 2 or any(name not in layout.nodes for name in stages):
            continue
        a, b = (layout.nodes[name] for name in stages)
        length = sum(math.dist(p, q) for curve in curves for p, q in zip(curve.points, curve.points[1:]))
        out.append(Path(key, (stages[0], stages[1]), length, math.dist((a.x, a.y), (b.x, b.y))))
    return out


def _detours(layout: Layout, report: Report) -> None:
    for path in paths(layout):
        if path.length > DETOUR_RATIO * path.distance and path.length - path.distance > DETOUR_POINTS:
            report.add("detour", f"edge {path.key} ({path.ends[0]} → {path.ends[1]}) is {path.length:.0f} pt long for "
                                 f"{path.distance:.0f} pt between its ends")


# ---------------------------------------------------------------------------------------------
# salesflow charts


def lanes_of(process) -> list[Lane]:
    """The declared lanes of a salesflow process, as the drawing names their clusters."""
    from salesflow.graph import ProcessGraph

    graph = ProcessGraph(process)
    index = {s.id: i for i, s in enumerate(process.subgraphs)}
    parent = {s.id: s.parent for s in process.subgraphs}
    out = []
    for lane_id in process.lanes:
        if lane_id in index and parent[lane_id] is None:
            subgraph = process.subgraphs[index[lane_id]]
            out.append(Lane(subgraph.title, f"sf-subgraph-{index[lane_id]}", tuple(graph.subgraph_nodes(lane_id))))
    return out


FLIPPED = {"LR": "TB", "RL": "BT", "TB": "LR", "BT": "RL"}


def check_chart(
    process, *, flip: bool = False, direction: Optional[str] = None, findings: Optional[Iterable] = None, **dot_options
) -> Report:
    """Draw a salesflow process as `salesflow render` does and check the drawing.

    `flip`: turn left-to-right into top-down and back; `direction`: draw it this way (TB, BT, LR,
    RL). `findings`: lint findings to highlight.
    """
    from salesflow.render.dot import to_dot

    if direction:
        process = dataclasses.replace(process, direction=direction)
    if flip:
        process = dataclasses.replace(process, direction=FLIPPED.get(process.direction, "LR"))
    text = to_dot(process, findings=tuple(findings or ()), **dot_options)
    from salesflow.graph import ProcessGraph

    # The start a reader looks for: the declared ones, else the chart's first (a chart may
    # place other sources, e.g. with invisible links, anywhere).
    graph = ProcessGraph(process)
    starts = graph.declared_starts or graph.starts[:1]
    return check(read_layout(run_dot(text)), lanes_of(process), process.direction, starts)
