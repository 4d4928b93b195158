"""Where every node, cluster and link of a chart sits, from the Graphviz layout the SVG uses.

The chart's own DOT text (`render/dot.py`) is laid out by `dot -Tjson` (`render/picture.py`
runs it) and repaired as the SVG is (reroute.py, relabel.py), and the positions are read back
in the coordinates modelling tools use: pixels at 96 per inch, the origin at the top left, y
growing downwards. Each link's curve becomes the straight pieces those tools draw, from the
link's source to its target. BPMN and draw.io files written from them open laid out as the
SVG is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Optional

from ..model import Process

SCALE = 96 / 72  # Graphviz points → pixels
Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    x: float  # left
    y: float  # top
    width: float
    height: float

    @property
    def centre(self) -> Point:
        return (self.x + self.width / 2, self.y + self.height / 2)

    def around(self, centre: Point, width: float, height: float) -> "Box":
        return Box(centre[0] - width / 2, centre[1] - height / 2, width, height)


@dataclass
class Drawing:
    width: float
    height: float
    across: bool  # the flow runs across the page, so lanes are rows
    nodes: dict[str, Box] = field(default_factory=dict)  # node id → its box
    clusters: dict[str, Box] = field(default_factory=dict)  # subgraph id → its box
    routes: dict[int, list[Point]] = field(default_factory=dict)  # edge index → the line it follows
    labels: dict[int, Point] = field(default_factory=dict)  # edge index → the centre of its label
    # How Graphviz draws each node and cluster (shape, style, fillcolor, color, fontcolor), so a
    # drawing made from the layout looks like the SVG.
    looks: dict[str, dict[str, str]] = field(default_factory=dict)
    cluster_looks: dict[str, dict[str, str]] = field(default_factory=dict)


_LOOK_KEYS = ("shape", "style", "fillcolor", "color", "fontcolor", "penwidth")


_EDGE_ID = re.compile(r"sf-edge-(\d+)(-start|-label|-via-\d+)?$")
_NODE_ID = re.compile(r"sf-node-(\d+)$")
_CLUSTER_ID = re.compile(r"sf-subgraph-(\d+)$")


def lay_out(
    process: Process, timeout: Optional[float] = None, engine: str = "dot",
    direction: Optional[str] = None, wrap: Optional[int] = None,
) -> Drawing:
    """The chart laid out by Graphviz (`dot` unless `engine` says otherwise, as `render --engine`
    does for very large charts), with owners and deadlines under the labels as drawn;
    `direction` and `wrap` shape it as they shape the picture (`render --direction/--wrap`)."""
    from ..render import dot, picture

    def laid_out(text: str, origins: dict[int, str]) -> dict:
        # Repaired as the picture is (picture.repairs: links dot draws the long way round routed
        # anew, labels over stages moved), so an export's lines and labels are the SVG's.
        return json.loads(
            picture.run_graphviz(
                text, "json", engine, picture.DEFAULT_TIMEOUT if timeout is None else timeout,
                size_hint=picture.size_hint(process), source=process.path, origins=origins,
                repair=picture.repairs(process, engine, "json"),
            )
        )

    plain = dot.dot_with_origins(process, show_meta=True, engine=engine, direction=direction, wrap=wrap)
    try:
        data = laid_out(*plain)
    except picture.GraphvizFailed:
        # As `render` does (picture.draw): dot gives up on a few wrapped charts, and draws them
        # with links past stages, and past rows, taken round as `around` takes them.
        around = dot.dot_with_origins(process, show_meta=True, engine=engine, direction=direction, wrap=wrap, around=True)
        if around[0] == plain[0]:
            raise
        data = laid_out(*around)
    x0, y0, x1, y1 = (float(v) for v in str(data.get("bb", "0,0,0,0")).split(","))

    def point(x: float, y: float) -> Point:
        return (round((x - x0) * SCALE, 2), round((y1 - y) * SCALE, 2))

    across = (direction or process.direction).upper() in ("LR", "RL")
    drawing = Drawing(round((x1 - x0) * SCALE, 2), round((y1 - y0) * SCALE, 2), across)
    objects = data.get("objects", [])
    for item in objects:
        found = _NODE_ID.match(str(item.get("id", "")))
        if found and "pos" in item:
            x, y = (float(v) for v in item["pos"].split(","))
            width, height = float(item["width"]) * 72 * SCALE, float(item["height"]) * 72 * SCALE
            centre = point(x, y)
            node_id = process.nodes[int(found.group(1))].id
            drawing.nodes[node_id] = Box(0, 0, 0, 0).around(centre, round(width, 2), round(height, 2))
            drawing.looks[node_id] = {key: str(item[key]) for key in _LOOK_KEYS if key in item}
            continue
        found = _CLUSTER_ID.match(str(item.get("id", "")))
        if found and "bb" in item:
            left, bottom, right, top = (float(v) for v in item["bb"].split(","))
            top_left = point(left, top)
            subgraph_id = process.subgraphs[int(found.group(1))].id
            drawing.clusters[subgraph_id] = Box(
                top_left[0], top_left[1], round((right - left) * SCALE, 2), round((top - bottom) * SCALE, 2)
            )
            drawing.cluster_looks[subgraph_id] = {key: str(item[key]) for key in _LOOK_KEYS if key in item}
            continue
        found = _EDGE_ID.match(str(item.get("id", "")))
        if found and found.group(2) == "-label" and "pos" in item:  # a loop's label, drawn as a node
            drawing.labels[int(found.group(1))] = point(*(float(v) for v in item["pos"].split(",")))
    pieces: dict[int, dict[str, list[Point]]] = {}
    for edge in data.get("edges", []):
        found = _EDGE_ID.match(str(edge.get("id", "")))
        if not found or "pos" not in edge:
            continue
        index = int(found.group(1))
        tail = objects[edge["tail"]].get("pos") if isinstance(edge.get("tail"), int) and edge["tail"] < len(objects) else None
        route = _route(edge["pos"], tuple(float(v) for v in tail.split(",")) if tail else None)
        pieces.setdefault(index, {})[found.group(2) or ""] = [point(*p) for p in route]
        if "lp" in edge and index not in drawing.labels:
            drawing.labels[index] = point(*(float(v) for v in edge["lp"].split(",")))
    for index, parts in pieces.items():
        # A link drawn in parts: through its label, or through waypoints across lanes (`-via-1`, …).
        vias = sorted((int(key[5:]), key) for key in parts if key.startswith("-via-"))
        ordered = [parts.get("-start", [])] + [parts[key] for _n, key in vias] + [parts.get("", [])]
        drawing.routes[index] = _without_repeats(_joined([part for part in ordered if part]))
    _boxes_for_undrawn_subgraphs(process, drawing)
    ends = {edge.index: (edge.source, edge.target) for edge in process.edges}
    for index, route in drawing.routes.items():
        if index in ends:
            route = _source_first(route, *(_box_of(drawing, end) for end in ends[index]))
        drawing.routes[index] = _straightened(route)
    return drawing


def _box_of(drawing: Drawing, name: str) -> Optional[Box]:
    return drawing.nodes.get(name) or drawing.clusters.get(name)


def _source_first(route: list[Point], source: Optional[Box], target: Optional[Box]) -> list[Point]:
    """`route` running from its source to its target. dot is given some links the other way
    round (loops back, links against a lane's order: render/dot.py), and writes them from the
    stage it was given first; `dir=back` says so only for a link with an arrow at one end, so
    the ends of the line, not the attributes, tell which way it runs."""
    if source is None or target is None or source == target or len(route) < 2:
        return route
    kept = _off(route[0], source) + _off(route[-1], target)
    turned = _off(route[0], target) + _off(route[-1], source)
    return route[::-1] if turned < kept else route


def _off(p: Point, box: Box) -> float:
    """How far `p` lies outside `box` (0 on or inside it)."""
    dx = max(box.x - p[0], 0.0, p[0] - box.x - box.width)
    dy = max(box.y - p[1], 0.0, p[1] - box.y - box.height)
    return (dx * dx + dy * dy) ** 0.5


def _joined(parts: list[list[Point]]) -> list[Point]:
    """The parts of a link, in the order the link runs, as one line: a part that `dot` was given
    the other way round (links are written down the lanes, as dot ranks them) turned to meet
    the part before it."""
    route: list[Point] = []
    for number, part in enumerate(parts):
        if number == 0 and len(parts) > 1:
            following = parts[1]
            near = min(_distance(part[0], p) for p in (following[0], following[-1]))
            far = min(_distance(part[-1], p) for p in (following[0], following[-1]))
            route = part[::-1] if near < far else list(part)
            continue
        if route and _distance(part[-1], route[-1]) < _distance(part[0], route[-1]):
            part = part[::-1]
        route += part
    return route


def _distance(a: Point, b: Point) -> float:
    return ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5


def _boxes_for_undrawn_subgraphs(process: Process, drawing: Drawing, margin: float = 16.0) -> None:
    """Engines other than `dot` draw no clusters: a subgraph then gets the box around its
    stages (inner subgraphs first), so lanes and containers still hold what they hold."""
    held: dict[str, list[Box]] = {}
    for node in process.nodes:
        if node.subgraph is not None and node.id in drawing.nodes:
            held.setdefault(node.subgraph, []).append(drawing.nodes[node.id])
    for subgraph in process.subgraphs:  # the parser lists inner subgraphs before outer ones
        boxes = held.get(subgraph.id, [])
        if subgraph.id not in drawing.clusters and boxes:
            left = min(b.x for b in boxes) - margin
            top = min(b.y for b in boxes) - margin - 20  # room for the title
            right = max(b.x + b.width for b in boxes) + margin
            bottom = max(b.y + b.height for b in boxes) + margin
            drawing.clusters[subgraph.id] = Box(round(left, 2), round(top, 2), round(right - left, 2), round(bottom - top, 2))
        if subgraph.id in drawing.clusters and subgraph.parent is not None:
            held.setdefault(subgraph.parent, []).append(drawing.clusters[subgraph.id])


def _route(pos: str, tail: Optional[tuple[float, ...]] = None) -> list[tuple[float, float]]:
    """The polyline of a Graphviz spline (`_spline`).

    dot sometimes gives one link several splines, `;` between them (a labelled link between
    stages of one rank: a short piece from beside the label as well as the whole link); the
    one that starts nearest the link's tail (`tail`, the node's centre) is the whole link."""
    splines = [_spline(part) for part in pos.split(";") if part.strip()]
    if len(splines) > 1 and tail is not None:
        return min(splines, key=lambda points: (points[0][0] - tail[0]) ** 2 + (points[0][1] - tail[1]) ** 2)
    return splines[0] if splines else []


FLATNESS = 1.0  # points: how far the straight pieces of an exported line may stray from dot's curve
_MAX_HALVINGS = 12  # a Bézier segment is cut into at most 2**12 pieces (a degenerate one never gets flat)


def _spline(pos: str) -> list[tuple[float, float]]:
    """The line a Graphviz spline draws, as straight pieces within FLATNESS of its curve: BPMN
    and draw.io join their waypoints with straight lines, and the Bézier control points would
    cut the curve's corners, across the stages dot drew it round. With the arrow's tip (`e,x,y`)
    or tail (`s,x,y`) where the line stops short of the node."""
    from ..render.reroute import spline_parts

    start_tip, end_tip, controls = spline_parts(pos)
    points = [controls[0]] if controls else []
    for i in range(0, len(controls) - 3, 3):
        _flatten(*controls[i : i + 4], points, _MAX_HALVINGS)
    if start_tip is not None:
        points.insert(0, start_tip)
    if end_tip is not None:
        points.append(end_tip)
    return points


def _flatten(p0: Point, p1: Point, p2: Point, p3: Point, into: list[Point], halvings: int) -> None:
    """Append to `into` the points after `p0` of straight pieces that follow the cubic Bézier
    p0..p3 within FLATNESS: the curve lies inside its control polygon, so once both inner
    control points are that close to the chord p0-p3, so is the curve; until then it is cut in
    two at its middle (de Casteljau) and each half followed."""
    if halvings == 0 or (_off_line(p1, p0, p3) <= FLATNESS and _off_line(p2, p0, p3) <= FLATNESS):
        into.append(p3)
        return
    a, b, c = _half(p0, p1), _half(p1, p2), _half(p2, p3)
    ab, bc = _half(a, b), _half(b, c)
    middle = _half(ab, bc)
    _flatten(p0, a, ab, middle, into, halvings - 1)
    _flatten(middle, bc, c, p3, into, halvings - 1)


def _half(a: Point, b: Point) -> Point:
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


def _off_line(p: Point, a: Point, b: Point) -> float:
    """How far `p` lies from the segment a-b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length))
    return _distance(p, (a[0] + t * dx, a[1] + t * dy))


COLLINEAR = 0.25  # px: a waypoint this close to the line past it says nothing and is left out


def _straightened(points: list[Point]) -> list[Point]:
    """`points` without the ones on a straight stretch between their neighbours, so a file
    holds one waypoint where the line bends, not one for every piece of a straight run."""
    result: list[Point] = []
    skipped: list[Point] = []  # left out since the last point kept: all must lie near its line to the next
    for i, p in enumerate(points):
        if 0 < i < len(points) - 1 and all(_off_line(q, result[-1], points[i + 1]) <= COLLINEAR for q in (*skipped, p)):
            skipped.append(p)
            continue
        result.append(p)
        skipped = []
    return result


def _without_repeats(points: list[Point]) -> list[Point]:
    result: list[Point] = []
    for p in points:
        if not result or abs(result[-1][0] - p[0]) > 0.5 or abs(result[-1][1] - p[1]) > 0.5:
            result.append(p)
    return result


def clip(route: list[Point], start: Optional[Box], end: Optional[Box]) -> list[Point]:
    """`route` with its ends on the borders of `start` and `end` (boxes that may differ from the
    ones Graphviz drew, such as BPMN's standard event and gateway sizes): cut where the line
    crosses a box's border, or, where it stops short of a smaller box, carried on to it."""
    points = list(route)
    if len(points) < 2:
        return points
    if start is not None:
        points = _from_border(points, start)
    if end is not None:
        points = _from_border(points[::-1], end)[::-1]
    return points


def _from_border(points: list[Point], box: Box) -> list[Point]:
    """`points`, a line that starts at `box`, from where it leaves the box's border."""
    inside = 0
    while inside < len(points) and _inside(points[inside], box):
        inside += 1
    if inside == len(points):  # the line never leaves the box: it is aimed from the centre
        return [_border(box, points[-1]), points[-1]] if len(points) > 1 else points
    if inside == 0:  # it stops short of the box
        return [_border(box, points[0]), *points]
    return [_leaving(points[inside - 1], points[inside], box), *points[inside:]]


def _leaving(a: Point, b: Point, box: Box) -> Point:
    """Where the segment from `a`, inside `box`, to `b`, outside it, crosses the border."""
    t = 1.0
    for low, high, p, q in ((box.x, box.x + box.width, a[0], b[0]), (box.y, box.y + box.height, a[1], b[1])):
        if q > high:
            t = min(t, (high - p) / (q - p))
        elif q < low:
            t = min(t, (low - p) / (q - p))
    t = max(t, 0.0)
    return (round(a[0] + (b[0] - a[0]) * t, 2), round(a[1] + (b[1] - a[1]) * t, 2))


def _inside(p: Point, box: Box, slack: float = 0.01) -> bool:  # `slack`: rounding of the two
    return box.x - slack <= p[0] <= box.x + box.width + slack and box.y - slack <= p[1] <= box.y + box.height + slack


def _border(box: Box, towards: Point) -> Point:
    """Where the line from the box's centre towards `towards` leaves the box."""
    cx, cy = box.centre
    dx, dy = towards[0] - cx, towards[1] - cy
    if dx == 0 and dy == 0:
        return (cx, cy)
    scale = min(
        (box.width / 2) / abs(dx) if dx else float("inf"),
        (box.height / 2) / abs(dy) if dy else float("inf"),
    )
    scale = min(scale, 1.0)
    return (round(cx + dx * scale, 2), round(cy + dy * scale, 2))
