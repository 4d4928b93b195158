"""Links that `dot` draws the long way round, found after its layout and drawn anew.

`dot` routes a link that runs against the flow, or between lanes, round whatever the ranks put
in its way: on about one drawing in forty a link runs more than three times the distance between
its stages, round the far end of a lane and back (a "detour", the measure of tests/geometry.py).
A link forward (a hand-off, not a loop back) is taken the short way sooner, at half the
detour's ratio (`Layout.measure`): dot draws a hand-off to a stage in a lane further on round the
lanes' far end as readily as a loop, its label out past the lanes, where a person would draw it
straight across; a loop back is meant to go round the flow, and is left there unless it is a
detour. The writer names the links back in the DOT (`sf_loops`), which dot keeps in its layout.
This module takes `dot`'s layout as it is (the stages, the lanes, every other link), finds those
links, and routes each again through the free space between the stages: a shortest path on a
grid of cells, paying for each bend, for running inside a lane that is neither end's, for
running along another link and for passing close by a stage; then drawn as straight runs with
rounded corners, as a person draws a link by hand, and its label set beside it where it is free
(a little further off when there is no room close by; when there is none at all, the route is
looked for again a label's breadth off that course). When what a route pays for leaves it only
a way as long as dot's, the shortest way clear of stages and labels is taken.
An SVG's repair is then written into the SVG `dot` drew (svg_redraw.py); a PNG's or a PDF's, and
an SVG repair that cannot be drawn there for sure, is drawn by Graphviz from the fixed layout
(`neato -n2`: every position kept as given), so the picture comes out of the same renderer in the
same formats.

A link the writer steers through invisible waypoints (dot_waypoints.py), a chain of edges, is
routed as a whole, from stage to stage, and cut into its parts along the new route, each
waypoint moved to where one part meets the next. A link `dot` draws through a stage that is
not one of its ends is routed the same way, round it.

A drawing without such a link is not touched: it is drawn by `dot` exactly as before. A link is
redrawn only when its new route keeps clear of every stage and label and is no detour.

What it costs (picture.py asks `dot` for `-Tjson0` ahead of the drawing, in the same run): for a
chart without a detour, dot's JSON and reading it here, measured with callgrind and
`time.process_time`: ten stages +3.5 M instructions in dot and 0.4 ms here (about 1.5 ms in all);
50 stages +21 M and 2 ms (about 7 ms); 100 stages +37 M and 6 ms; 200 stages +83 M and 12 ms
(of which looking for links through a stage, 0.2 ms at ten stages and 0.5 ms at 50). So a chart
of more than `picture.REROUTE_MAX_NODES` (60) stages drawn as SVG is first looked over in the SVG
dot draws (svg_look.py), and its layout, which the same run gives after the SVG, is read only
when the look finds something that may need it (see `picture.split_drawing`). A chart with a
detour pays the routing (5 ms for one link of a 24-stage chart, 160 ms for two routed over a
whole 40-stage chart; a link whose label finds no room by its first routes, looked along
closely and routed again away from them, about 40 ms more on 20- to 30-stage charts), a second
`dot` run for the `-Tdot` text, and `neato -n2`: about 90 ms of CPU in all on the 24-stage chart.

Why a repair of a chart of up to 60 stages runs `dot` a second time rather than asking the first
run for `-Tdot` too (callgrind, `dot` alone, ten-stage sample and the bench's 50-stage chart): `-Tsvg` 109.6 M and
153.0 M instructions, `-Tjson0 -Tsvg` 113.1 M and 173.7 M, with `-Tdot` as well 115.2 M and
191.1 M; the second run, `-Tdot` alone, 108.3 M and 159.1 M. Every drawing would pay 2.1 M and
17.4 M more to spare the one in forty that is repaired a run of 108 M and 159 M (2.7 M and
4.0 M a drawing on average), and a drawing without a detour would no longer cost what it did.
Asking for `-Tdot` instead of `-Tjson0` saves `dot` 1.3 M and 3.0 M, but its text is then to
be read here: only cutting the 50-stage one into attributes with a regular expression takes
1.4 ms, against 0.6 ms for `json.loads` of the JSON.
"""

from __future__ import annotations

import heapq
import math

from .laid_out_labels import guessed_width, held_off, spacer_width, text_lines

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Mapping, Optional, Sequence

# The measure of tests/geometry.py: a path this many times the distance between its ends, and
# this many points longer.
DETOUR_RATIO = 3.0
DETOUR_POINTS = 400.0
# A link forward (not a loop back) is taken the short way sooner: drawn this many times the
# distance between its stages and this many points longer, it has run round the lanes' far end
# to come back (the hand-offs of retail-store-lanes ran round the right of all three lanes to a
# stage under where they started, their labels out past the lanes; a loop back is meant to go
# round the flow, and keeps the detour's measure). Its new route must be at most SHORTER of
# dot's length. Charts of up to FORWARD_MOST_STAGES stages: a larger chart's SVG is first looked
# over in the SVG (svg_look.py), which cannot tell a loop from a link forward, by the detour's
# measure (picture.REROUTE_MAX_NODES).
FORWARD_RATIO = 1.5
FORWARD_POINTS = 150.0
SHORTER = 0.85
FORWARD_MOST_STAGES = 60
CELL = 10.0  # points: the grid's cell
WINDOW = 240.0  # points round the two stages a route is first looked for in
MAX_CELLS = 40_000  # a route is looked for over the whole chart only when it has no more cells
CLEARANCE = 9.0  # points kept free round a stage or a label
BEND = 6.0  # cells a bend costs
FOREIGN_LANE = 1.5  # cells each cell inside a lane of neither end costs on top
ALONG_LINK = 3.0  # cells each cell on another link's line costs on top (crossing one is cheap)
NEAR = 0.6  # cells each cell next to a stage costs on top: a route keeps off the stages
BORDER = 1.0  # cells each cell on a lane's border costs on top
CORNER = 18.0  # points: the radius of a rounded corner
ARROW = 10.0  # points: Graphviz's arrow length at arrowsize 1
NEAR_GAPS = (4.0, 14.0)  # points between a route and its label
FURTHER_GAPS = (24.0, 34.0)  # points between a route and its label when there is no room nearer
SPOT_FRACTIONS = (0.5, 0.35, 0.65, 0.2, 0.8)  # where along a run of the route its label is first tried
OTHER_COURSES = 3  # courses looked for away from those with no room for the link's label
SPOT_STEP = 4.0  # points between the spots along a run tried when none of those has room
THROUGH_INSET = 1.0  # points: a link this far inside a stage that is not its end runs through it
_SAMPLES = 16
_MOVES = ((1, 0), (0, 1), (-1, 0), (0, -1))


class _Box:
    __slots__ = ("x0", "y0", "x1", "y1")

    def __init__(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1

    def grown(self, by: float) -> "_Box":
        return _Box(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)

    def holds(self, x: float, y: float) -> bool:
        return self.x0 < x < self.x1 and self.y0 < y < self.y1

    def meets(self, other: "_Box") -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


class _Node:
    __slots__ = ("name", "x", "y", "width", "height", "shape", "visible", "label_of", "fontsize", "text")

    def __init__(self, obj: dict) -> None:
        self.name = obj["name"]
        self.x, self.y = _floats(obj["pos"])
        self.width = float(obj.get("width", 0.75)) * 72
        self.height = float(obj.get("height", 0.5)) * 72
        self.shape = obj.get("shape", "ellipse")
        self.fontsize = float(obj.get("fontsize", 14))
        self.text = str(obj.get("label", ""))
        self.visible = "invis" not in str(obj.get("style", "")) and self.shape != "point"
        identifier = str(obj.get("id", ""))
        self.label_of = identifier[: -len("-label")] if identifier.endswith("-label") else None

    @property
    def box(self) -> _Box:
        return _Box(self.x - self.width / 2, self.y - self.height / 2, self.x + self.width / 2, self.y + self.height / 2)

    def inside(self, x: float, y: float, inset: float = 0.0) -> bool:
        """Whether (x, y) lies inside the drawn shape, `inset` points in from its outline."""
        half_w, half_h = self.width / 2 - inset, self.height / 2 - inset
        if half_w <= 0 or half_h <= 0:
            return False
        dx, dy = abs(x - self.x) / half_w, abs(y - self.y) / half_h
        if self.shape == "diamond":
            return dx + dy < 1
        if self.shape in ("ellipse", "oval", "circle", "doublecircle", "Mcircle"):
            return dx * dx + dy * dy < 1
        return dx < 1 and dy < 1


class _Part:
    """One drawn edge of a link (a link through its label is two: to the label and on)."""

    __slots__ = ("key", "tail", "head", "points", "arrow_end", "arrow_start", "_span", "_sampled")

    def __init__(self, key: str, tail: str, head: str, pos: str) -> None:
        self.key, self.tail, self.head = key, tail, head
        start, end, self.points = spline_parts(pos.replace("\\\n", "").split(";")[0])
        self.arrow_start, self.arrow_end = start is not None, end is not None
        self._span: Optional[_Box] = None
        self._sampled: Optional[list[tuple[float, float]]] = None

    @property
    def span(self) -> _Box:
        """The box round its control points (`_span`), worked out once: a part's points never change."""
        if self._span is None:
            self._span = _span(self.points)
        return self._span

    @property
    def sampled(self) -> list[tuple[float, float]]:
        """Its curve sampled (`_bezier_points`), once; not to be changed by the caller. Each
        route looks at the links round it, and the routes of one chart mostly round the same ones."""
        if self._sampled is None:
            self._sampled = _bezier_points(self.points)
        return self._sampled


def spline_parts(spline: str) -> tuple[Optional[tuple[float, float]], Optional[tuple[float, float]], list[tuple[float, float]]]:
    """One Graphviz spline (a `pos`'s part between `;`): the point its start arrow touches
    (`s,x,y`), the point its end arrow touches (`e,x,y`), each None without that arrow, and its
    Bézier control points. Read here for the router, the SVG redrawing and the exports alike."""
    start = end = None
    points: list[tuple[float, float]] = []
    for token in spline.split():
        if token.startswith(("s,", "e,")):
            x, y = (float(part) for part in token[2:].split(","))
            if token[0] == "s":
                start = (x, y)
            else:
                end = (x, y)
        else:
            x, y = (float(part) for part in token.split(","))
            points.append((x, y))
    return start, end, points


def _floats(text: str) -> list[float]:
    return [float(part) for part in str(text).split(",")]


def _bezier_points(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    out = [points[0]]
    for start in range(0, len(points) - 3, 3):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = p0, p1, p2, p3 = points[start : start + 4]
        # Dense enough that no stage or label slips between two samples of a long piece.
        samples = max(_SAMPLES, int((math.dist(p0, p1) + math.dist(p1, p2) + math.dist(p2, p3)) / 6))
        out += [
            (a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3)
            for a, b, c, d in _weights(samples)
        ]
    return out


_WEIGHTS: dict[int, list[tuple[float, float, float, float]]] = {}
_WEIGHTS_KEPT = 100  # steps: the weights of longer pieces, rarer, are not kept


def _weights(samples: int) -> list[tuple[float, float, float, float]]:
    """The Bernstein weights of the points `_bezier_points` takes along a piece in `samples`
    steps, worked out once for each number of steps (a chart's pieces mostly take 16). Each is
    the product `u**3 * p0`, `3 * u * u * t * p1`... multiplies out from the left, so the points
    are the same floats as worked out in full."""
    weights = _WEIGHTS.get(samples)
    if weights is None:
        weights = []
        for step in range(1, samples + 1):
            t = step / samples
            u = 1 - t
            weights.append((u**3, 3 * u * u * t, 3 * u * t * t, t**3))
        if samples <= _WEIGHTS_KEPT:
            _WEIGHTS[samples] = weights
    return weights


def _length(points: Sequence[tuple[float, float]]) -> float:
    return sum(math.dist(p, q) for p, q in zip(points, points[1:]))


# ---------------------------------------------------------------------------------------------
# Reading the layout


class Layout:
    """What the router needs of a laid-out graph (Graphviz `-Tjson0` or `-Tjson`, parsed)."""

    def __init__(self, graph: dict) -> None:
        count = int(graph.get("_subgraph_cnt", 0))
        objects = graph.get("objects", [])
        self.bb = _Box(*_floats(graph.get("bb", "0,0,0,0")))
        self.nodes: dict[str, _Node] = {}
        by_gvid: dict[int, str] = {}
        for obj in objects[count:]:
            by_gvid[obj["_gvid"]] = obj["name"]
            if "pos" in obj:
                self.nodes[obj["name"]] = _Node(obj)
        self.lanes: list[tuple[_Box, frozenset[str]]] = []
        self.texts: list[_Box] = []  # lane titles and the links' own labels (`lp`)
        for obj in objects[:count]:
            if "bb" not in obj:
                continue
            members = frozenset(by_gvid[i] for i in obj.get("nodes", ()) if i in by_gvid)
            self.lanes.append((_Box(*_floats(obj["bb"])), members))
            if "lp" in obj and obj.get("label"):
                self.texts.append(_text_box(obj["lp"], float(obj.get("lwidth", 0)) * 72, float(obj.get("lheight", 0)) * 72))
        if "lp" in graph and graph.get("label"):
            self.texts.append(_text_box(graph["lp"], float(graph.get("lwidth", 0)) * 72, float(graph.get("lheight", 0)) * 72))
        # The links back (the writer's `sf_loops`, edge numbers) and the stages, for `measure`.
        self.loops = frozenset(f"sf-edge-{number}" for number in str(graph.get("sf_loops", "")).split())
        self.stage_count = sum(1 for obj in objects[count:] if str(obj.get("id", "")).startswith("sf-node-"))
        self.parts: dict[str, list[_Part]] = {}
        self.edge_labels: dict[str, _Box] = {}
        self.spacers: dict[str, float] = {}  # points of empty table cells in a link's label
        # Points a link's label's text lies above its `lp` (below, if less than 0): an empty row
        # under (over) the text holds it off its line (laid_out_labels.held_off).
        self.held_up: dict[str, float] = {}
        self.label_parts: dict[str, str] = {}  # link → the id of the part whose `lp` its label is
        for position, edge in enumerate(graph.get("edges", [])):
            if "invis" in str(edge.get("style", "")) or "pos" not in edge:
                continue
            key = str(edge.get("id") or position)
            part = _Part(key, by_gvid[edge["tail"]], by_gvid[edge["head"]], edge["pos"])
            if len(part.points) < 4:
                continue
            whole = key
            for marker in ("-start", "-via-"):
                if marker in key:
                    whole = key[: key.rindex(marker)]
            self.parts.setdefault(whole, []).append(part)
            if "lp" in edge and edge.get("label"):
                size = float(edge.get("fontsize", 14))
                label = str(edge["label"])
                box = _text_box(edge["lp"], guessed_width(label, size) + 4, size * 1.3 * len(text_lines(label)) + 2)
                self.edge_labels[whole] = box
                self.label_parts[whole] = key
                self.spacers[whole] = spacer_width(label)
                if "HEIGHT" in label:
                    self.held_up[whole] = held_off(label)[1]
                self.texts.append(box)

    def lines(self, near: _Box) -> list[tuple[str, list[tuple[float, float]]]]:
        """The drawn edges that come `near`, sampled, with the key of their link."""
        return [(key, part.sampled) for key, parts in self.parts.items() for part in parts if part.span.meets(near)]

    def follow(self, route: "Route") -> None:
        """Take a new route in: its parts' curves, and the nodes it moved and resized."""
        for part in self.parts[route.key]:
            if part.key in route.positions:
                self.parts[route.key][self.parts[route.key].index(part)] = _Part(
                    part.key, part.tail, part.head, route.positions[part.key],
                )
        for name, (x, y) in route.moved_nodes.items():
            node = self.nodes[name]
            node.x, node.y = x, y
            if name in route.label_sizes:
                node.width, node.height = route.label_sizes[name]
        if route.label_position is not None and route.key in self.edge_labels:
            old = self.edge_labels[route.key]
            width, height = old.x1 - old.x0, old.y1 - old.y0
            x, y = route.label_position
            moved = _Box(x - width / 2, y - height / 2, x + width / 2, y + height / 2)
            self.texts = [moved if box is old else box for box in self.texts]
            self.edge_labels[route.key] = moved

    def detours(self) -> list[str]:
        """The links drawn the long way round, by their key (the edge's `id`): detours, and links
        forward drawn round the lanes (see `measure`)."""
        out = []
        for key, parts in self.parts.items():
            ratio, points = self.measure(key)
            # A curve is never longer than the lines through its control points: most links
            # are told apart without sampling them.
            bound = sum(_length(part.points) for part in parts)
            if bound <= points:
                continue
            ends = self._ends(parts)
            if ends is None:
                continue
            a, b = (self.nodes[name] for name in ends)
            distance = math.dist((a.x, a.y), (b.x, b.y))
            if bound <= ratio * distance or bound - distance <= points:
                continue
            length = sum(_length(part.sampled) for part in parts)
            if length > ratio * distance and length - distance > points:
                out.append(key)
        return out

    def measure(self, key: str) -> tuple[float, float]:
        """How much longer than the distance between its stages the link `key` may be drawn, as a
        ratio and in points, before it is taken the short way: a loop back, or any link of a
        large chart, by the detour's measure; a link forward of a chart of up to
        FORWARD_MOST_STAGES stages by the forward one."""
        if key in self.loops or self.stage_count > FORWARD_MOST_STAGES:
            return DETOUR_RATIO, DETOUR_POINTS
        return FORWARD_RATIO, FORWARD_POINTS

    def through_stages(self) -> list[str]:
        """The links with a part drawn through a stage (or a label's node) that is neither of
        its ends, by their key. Only a part whose control points' span meets a node's box is
        sampled (a curve stays inside that span): on a 50-stage chart a handful of parts."""
        nodes = [node for node in self.nodes.values() if node.visible and node.width > 2 and node.height > 2]
        # A part is checked against the nodes in its own squares of a coarse grid, not against
        # every node (a box and a span that meet share a square).
        boxed = BoxIndex([(node, node.box.grown(-THROUGH_INSET)) for node in nodes])
        out = []
        for key, parts in self.parts.items():
            if self._ends(parts) is None:
                continue
            for part in parts:
                span = part.span
                x0, y0, x1, y1 = span.x0, span.y0, span.x1, span.y1
                near = [
                    (node, box) for node, box in boxed.near(x0, y0, x1, y1)
                    if box.x0 < x1 and x0 < box.x1 and box.y0 < y1 and y0 < box.y1
                    and node.name != part.tail and node.name != part.head
                ]
                if near and _through_any(near, part.points):
                    out.append(key)
                    break
        return out

    def _ends(self, parts: Sequence[_Part]) -> Optional[tuple[str, str]]:
        names = [name for part in parts for name in (part.tail, part.head)]
        stages = [name for name in names if names.count(name) == 1]
        if len(stages) != 2 or any(name not in self.nodes or not self.nodes[name].visible for name in stages):
            return None
        return stages[0], stages[1]


GRID_SQUARE = 200.0  # points: the side of a square of the coarse grids boxes are found by (here and in svg_look.py)


def grid_squares(x0: float, y0: float, x1: float, y1: float) -> list[tuple[int, int]]:
    """The squares of a coarse grid that the box from (x0, y0) to (x1, y1) reaches: two boxes
    that meet share a square, so each needs comparing only with the boxes of its own squares."""
    columns = range(math.floor(x0 / GRID_SQUARE), math.floor(x1 / GRID_SQUARE) + 1)
    return [(column, row) for column in columns for row in range(math.floor(y0 / GRID_SQUARE), math.floor(y1 / GRID_SQUARE) + 1)]


class BoxIndex:
    """Things with their boxes (`boxed`: pairs of a thing and its _Box), found by the squares of a
    coarse grid (grid_squares) their boxes reach."""

    def __init__(self, boxed: list[tuple[object, _Box]]) -> None:
        self.boxed = boxed
        self.squares: dict[tuple[int, int], list[int]] = {}
        for number, (_thing, box) in enumerate(boxed):
            for square in grid_squares(box.x0, box.y0, box.x1, box.y1):
                self.squares.setdefault(square, []).append(number)

    def near(self, x0: float, y0: float, x1: float, y1: float) -> list:
        """The pairs whose box shares a square with the box from (x0, y0) to (x1, y1) (every
        one that meets it does, and a few more), in the order given."""
        numbers = {number for square in grid_squares(x0, y0, x1, y1) for number in self.squares.get(square, ())}
        return [self.boxed[number] for number in sorted(numbers)]


def _through_any(nodes: Sequence[tuple[_Node, _Box]], points: Sequence[tuple[float, float]]) -> bool:
    """Whether the curve of control `points` runs inside one of `nodes`, more than
    `THROUGH_INSET` points in from its outline (a line that grazes a stage does not run through
    it); `nodes` with their boxes, drawn in by that inset. Each cubic piece is halved only where its control points reach a node's box, down to
    pieces of a few points: a loop round a chart, one piece 1,800 pt long past nine stages, is
    looked at closely only by those stages."""
    return any(_piece_through(nodes, points[start : start + 4]) for start in range(0, len(points) - 3, 3))


def _piece_through(nodes: Sequence[tuple[_Node, _Box]], piece: Sequence[tuple[float, float]]) -> bool:
    span = _span(piece)
    near = [(node, box) for node, box in nodes if box.meets(span)]
    if not near:
        return False
    p0, p1, p2, p3 = piece
    if math.dist(p0, p1) + math.dist(p1, p2) + math.dist(p2, p3) < 4:
        return any(node.inside(x, y, THROUGH_INSET) for node, _box in near for x, y in (p0, p3))
    # de Casteljau: the two halves of the piece, each a cubic piece of its own.
    a, b, c = _midpoint(p0, p1), _midpoint(p1, p2), _midpoint(p2, p3)
    d, e = _midpoint(a, b), _midpoint(b, c)
    f = _midpoint(d, e)
    return _piece_through(near, (p0, a, d, f)) or _piece_through(near, (f, e, c, p3))


def _midpoint(p: tuple[float, float], q: tuple[float, float]) -> tuple[float, float]:
    return (p[0] + q[0]) / 2, (p[1] + q[1]) / 2


def _text_box(lp: str, width: float, height: float) -> _Box:
    x, y = _floats(lp)
    return _Box(x - width / 2, y - height / 2, x + width / 2, y + height / 2)


# ---------------------------------------------------------------------------------------------
# Routing


class Route:
    """A link's new course: its parts in order from its first stage, each with its Graphviz
    `pos`, and where its label's node or text goes."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.positions: dict[str, str] = {}  # edge id → pos
        self.moved_nodes: dict[str, tuple[float, float]] = {}  # node name → centre
        self.node_sizes: dict[str, tuple[float, float]] = {}  # node name → width, height in inches
        self.label_sizes: dict[str, tuple[float, float]] = {}  # node name → the room kept for it, points
        self.label_position: Optional[tuple[float, float]] = None  # `lp` of an edge's own label
        self.label_part = key  # the id of the part that label belongs to (a middle one, through waypoints)
        self.length = 0.0


def reroute(
    layout: Layout, key: str, longest: Optional[float] = None, past_measure: bool = False,
) -> Optional[Route]:
    """A new course for the link `key` through free space, or None when none is clear (nor,
    given `longest`, one of at most that many points). A course is no detour by the measure of
    tests/geometry.py, or, `past_measure`, may be one (then `longest` bounds it)."""
    parts = layout.parts[key]
    ends = layout._ends(parts)
    if ends is None:
        return None
    chain = _chain(parts, ends)
    if chain is None:
        return None
    inner = [name for name in _chain_nodes(chain, ends[0])[1:-1]]
    label_node = next((layout.nodes[n] for n in inner if layout.nodes[n].label_of == key), None)
    if any(layout.nodes[n].visible and layout.nodes[n] is not label_node for n in inner):
        return None
    first, last = layout.nodes[ends[0]], layout.nodes[ends[1]]
    own_label = layout.edge_labels.get(key)
    obstacles = [
        node for node in layout.nodes.values()
        if node.visible and node is not label_node and node.width > 2 and node.height > 2
    ]
    texts = [box for box in layout.texts if box is not own_label]
    # First in a window round the two stages (a large chart's grid is mostly far away), then
    # over the whole chart.
    whole = layout.bb.grown(CELL * 2)
    window = _Box(
        max(whole.x0, min(first.x, last.x) - WINDOW), max(whole.y0, min(first.y, last.y) - WINDOW),
        min(whole.x1, max(first.x, last.x) + WINDOW), min(whole.y1, max(first.y, last.y) + WINDOW),
    )
    areas = [window]
    whole_cells = (whole.x1 - whole.x0) * (whole.y1 - whole.y0) / (CELL * CELL)
    if (window.x0, window.y0, window.x1, window.y1) != (whole.x0, whole.y0, whole.x1, whole.y1) and whole_cells <= MAX_CELLS:
        areas.append(whole)
    # What keeps a route off other links, other lanes and lanes' borders can leave it only a
    # way as long as dot's: the shortest route clear of stages and labels is then tried last.
    attempts = [(area, False) for area in areas] + [(areas[-1], True)]
    unlabelled = []  # courses clear of everything but with no room found for the label
    for area, plain in attempts:
        course = _course(layout, key, first, last, obstacles, texts, area, plain, longest=longest, past_measure=past_measure)
        if course is None:
            continue
        route = _routed(layout, key, chain, first, last, label_node, own_label, obstacles, texts, course)
        if route is not None:
            return route
        unlabelled.append(course)
    # A label may fit only in a slot narrower than the spots first tried leave it (between a
    # stage and a lane's border, or between two stages): each course is looked along closely.
    for course in unlabelled:
        route = _routed(layout, key, chain, first, last, label_node, own_label, obstacles, texts, course, closely=True)
        if route is not None:
            return route
    if not unlabelled:
        return None
    # Beside the shortest course there may be no room for the label at all (two stages close
    # together, a lane's border near): a course a label's breadth away from it is looked for,
    # round a stage or along the gap outside the lane, then one away from both, and so on.
    label = label_node.box if label_node is not None else own_label
    reach = max(label.x1 - label.x0, label.y1 - label.y0) / 2 + CLEARANCE
    shunned = [unlabelled[-1][0]]
    for _other in range(OTHER_COURSES):
        course = _course(
            layout, key, first, last, obstacles, texts, areas[-1], False, shunned, reach, longest, past_measure,
        )
        if course is None:
            return None
        route = _routed(layout, key, chain, first, last, label_node, own_label, obstacles, texts, course, closely=True)
        if route is not None:
            return route
        shunned.append(course[0])
    return None


def _course(
    layout, key, first, last, obstacles, texts, area, plain, shunned=(), reach=0.0, longest=None, past_measure=False,
):
    """The corners of a clear route for `key` inside `area` that is no detour (unless
    `past_measure`), nor longer than `longest` points, when given; its sampled curve and the
    lines near it (`plain`, `shunned`, `reach`: see `_search`); None when there is none."""
    lines = layout.lines(area)
    corners = _search(
        layout, key, first, last, obstacles, texts, lines, area, plain=plain, shunned=shunned, reach=reach,
    )
    if corners is None:
        return None
    curve, _start, _end = _rounded(corners)
    sampled = _bezier_points(curve)
    if not _clear(sampled, obstacles, texts, first, last):
        return None
    length = _length(sampled)
    distance = math.dist((first.x, first.y), (last.x, last.y))
    if not past_measure and length > DETOUR_RATIO * distance and length - distance > DETOUR_POINTS:
        return None
    if longest is not None and length > longest:
        return None
    return corners, sampled, lines, length


def _routed(
    layout, key, chain, first, last, label_node, own_label, obstacles, texts, course, closely=False,
) -> Optional[Route]:
    """The link `key` drawn along `course` (see `_course`), its label beside it, or None when
    the label has no room (`closely`: every spot along the route is tried, see `_label_spot`)."""
    corners, sampled, lines, length = course
    route = Route(key)
    route.length = length
    label_size = None
    if label_node is not None:
        # As high as its text: a label node is half an inch high at least, a white box much
        # taller than the text it holds, which a lane's colour shows once it is set beside a line.
        label_size = (label_node.width, _label_height(label_node))
    elif own_label is not None:
        # Its text may sit to one side of its middle, by an empty cell the writer puts beside
        # it: kept that much further from the route on either side.
        label_size = (own_label.x1 - own_label.x0 + 2 * layout.spacers.get(key, 0.0), own_label.y1 - own_label.y0)
    cut = len(corners) // 2  # where the label goes, if it has one: by the middle of the route
    spot = None
    if label_size is not None:
        others = [point for other, points in lines if other != key for point in points]
        lanes = [box for box, _members in layout.lanes]
        if closely:
            spot = _label_spot(corners, label_size, obstacles, texts, sampled + others, lanes, NEAR_GAPS + FURTHER_GAPS,
                               closely=True)
        else:
            spot = _label_spot(corners, label_size, obstacles, texts, sampled + others, lanes)
        if spot is None and not closely:
            # Beside the route there is no room (a route along the gap between two lanes has a
            # border either side of it): a little further off, inside a lane, there may be.
            spot = _label_spot(corners, label_size, obstacles, texts, sampled + others, lanes, gaps=FURTHER_GAPS)
        if spot is None:
            return None
        cut, centre = spot
        if own_label is not None:
            # The spot is where the text goes; an empty row under (or over) it in the label's
            # table sets the text that far from the label's middle, the `lp` given here.
            route.label_position = (centre[0], centre[1] - layout.held_up.get(key, 0.0))
            route.label_part = layout.label_parts.get(key, key)
    pieces = _pieces(corners, len(chain), cut)
    if pieces is None:
        # A link through waypoints (dot_waypoints.py), its label's node perhaps among them: the
        # route is drawn through them all, each moved onto it.
        inner = _chain_nodes(chain, first.name)[1:-1]
        at = inner.index(label_node.name) if label_node is not None and spot is not None else None
        pieces = _pieces_through(corners, len(chain), cut, at)
    for (part, forward), piece, joint in zip(chain, pieces, [p[-1] for p in pieces[:-1]] + [None]):
        drawn, arrow_start, arrow_end = _rounded(
            piece if forward else piece[::-1], trim_end=part.arrow_end, trim_start=part.arrow_start,
        )
        pos = " ".join(f"{x:.2f},{y:.2f}" for x, y in drawn)
        if arrow_start:
            pos = f"s,{arrow_start[0]:.2f},{arrow_start[1]:.2f} " + pos
        if arrow_end:
            pos = f"e,{arrow_end[0]:.2f},{arrow_end[1]:.2f} " + pos
        route.positions[part.key] = pos
        if joint is not None:
            following = part.head if forward else part.tail
            route.moved_nodes[following] = joint
    if label_node is not None and spot is not None:
        route.moved_nodes[label_node.name] = spot[1]
        # Written a little narrower than dot made it (at least 0.75 in): Graphviz widens a node
        # to its text again, and the room checked above is dot's width.
        width = min(label_node.width, guessed_width(label_node.text, label_node.fontsize) + 8)
        route.node_sizes[label_node.name] = (width / 72, label_size[1] / 72)
        route.label_sizes[label_node.name] = label_size
    return route


def _label_height(node: _Node) -> float:
    """The height of a label node's text: dot makes a node half an inch high at least. A label
    of several lines, or a table (which may hold spacer rows), keeps the height dot gave it."""
    if node.height > 36.5 or "<" in node.text or "\n" in node.text:
        return node.height
    return min(node.height, node.fontsize * 1.25 + 4)


def _chain(parts: Sequence[_Part], ends: tuple[str, str]) -> Optional[list[tuple[_Part, bool]]]:
    """The parts in order from the first stage, each with whether it runs that way."""
    out, at, left = [], ends[0], list(parts)
    while left:
        step = next(((p, p.tail == at) for p in left if at in (p.tail, p.head)), None)
        if step is None:
            return None
        left.remove(step[0])
        out.append(step)
        at = step[0].head if step[1] else step[0].tail
    return out if at == ends[1] else None


def _chain_nodes(chain: Sequence[tuple[_Part, bool]], start: str) -> list[str]:
    out = [start]
    for part, forward in chain:
        out.append(part.head if forward else part.tail)
    return out


def _search(
    layout: Layout, key: str, first: _Node, last: _Node, obstacles, texts, lines, bb: _Box, plain: bool = False,
    shunned: Sequence[Sequence[tuple[float, float]]] = (), reach: float = 0.0,
) -> Optional[list[tuple[float, float]]]:
    """The route's corners, from a point on `first`'s outline to one on `last`'s, inside `bb`:
    A* over grid cells, a state being a cell and the way it was entered. `plain`: only its
    length and bends count, not what it runs along or through. `shunned`: courses (their
    corners) the route keeps more than `reach` points off, beside their runs (see `_beside`)."""
    near, foreign, border, along = (0.0, 0.0, 0.0, 0.0) if plain else (NEAR, FOREIGN_LANE, BORDER, ALONG_LINK)
    columns = int((bb.x1 - bb.x0) / CELL) + 1
    rows = int((bb.y1 - bb.y0) / CELL) + 1

    def centre(cell: int) -> tuple[float, float]:
        return bb.x0 + (cell % columns + 0.5) * CELL, bb.y0 + (cell // columns + 0.5) * CELL

    def cells_of(box: _Box):
        c0, c1 = max(0, int((box.x0 - bb.x0) / CELL)), min(columns - 1, int((box.x1 - bb.x0) / CELL))
        r0, r1 = max(0, int((box.y0 - bb.y0) / CELL)), min(rows - 1, int((box.y1 - bb.y0) / CELL))
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                yield r * columns + c

    def spans(box: _Box) -> tuple[range, range]:
        """The columns and rows of `cells_of(box)`."""
        c0, c1 = max(0, int((box.x0 - bb.x0) / CELL)), min(columns - 1, int((box.x1 - bb.x0) / CELL))
        r0, r1 = max(0, int((box.y0 - bb.y0) / CELL)), min(rows - 1, int((box.y1 - bb.y0) / CELL))
        return range(c0, c1 + 1), range(r0, r1 + 1)

    def add(box: _Box, cost: float) -> None:
        """`cost` added to every cell of `cells_of(box)`, a row's run at a time (each cell's
        costs are added in the same order as cell by cell, so they sum to the same float)."""
        across, down = spans(box)
        if not across:
            return
        for r in down:
            start = r * columns + across.start
            end = start + len(across)
            extra[start:end] = [value + cost for value in extra[start:end]]

    blocked = bytearray(columns * rows)
    extra = [0.0] * (columns * rows)
    reach = CLEARANCE + 2 * CELL
    for box in [node.box for node in _near(obstacles, bb, reach)] + _near_boxes(texts, bb, reach):
        grown = box.grown(CLEARANCE)
        if not grown.grown(2 * CELL).meets(bb):
            continue
        # The cells whose centre lies inside `grown`: a run of columns by a run of rows.
        across, down = spans(grown)
        inside_x = [c for c in across if grown.x0 < bb.x0 + (c + 0.5) * CELL < grown.x1]
        inside_y = [r for r in down if grown.y0 < bb.y0 + (r + 0.5) * CELL < grown.y1]
        if inside_x:
            for r in inside_y:
                blocked[r * columns + inside_x[0] : r * columns + inside_x[-1] + 1] = b"\x01" * len(inside_x)
        add(box.grown(CLEARANCE + 2 * CELL), near)
    ends_lanes = [box for box, members in layout.lanes if first.name in members or last.name in members]
    for box, members in layout.lanes:
        if any(box is own for own in ends_lanes) or any(box.meets(own) and _inside(box, own) for own in ends_lanes):
            continue
        add(box, foreign)
    for box, _members in layout.lanes:
        # A line along a lane's border reads as the border: keep a cell or two off it.
        for edge in (_Box(box.x0 - CELL, box.y0, box.x0 + CELL, box.y1), _Box(box.x1 - CELL, box.y0, box.x1 + CELL, box.y1),
                     _Box(box.x0, box.y0 - CELL, box.x1, box.y0 + CELL), _Box(box.x0, box.y1 - CELL, box.x1, box.y1 + CELL)):
            add(edge, border)
    for other, points in lines:
        if other == key:
            continue
        # Each cell a line runs through costs once for that line: crossing a link costs a cell
        # or two, running along it (or on top of it) every cell of the way.
        crossed = {
            int((y - bb.y0) / CELL) * columns + int((x - bb.x0) / CELL) for x, y in points if bb.holds(x, y)
        }
        for cell in crossed:
            extra[cell] += along

    for course in shunned:
        for p, q in zip(course, course[1:]):
            for cell in cells_of(_Box(min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1])).grown(reach)):
                if _beside(centre(cell), p, q) <= reach:
                    blocked[cell] = 1

    starts = _ring(first, centre, cells_of, outward=True)
    ends = _ring(last, centre, cells_of, outward=False)
    goals = {cell: direction for cell, direction, _side in ends}
    goal_sides = {cell: side for cell, _direction, side in ends}
    start_sides = {}
    gx, gy = last.x, last.y
    frontier: list = []
    # A state (a cell and the way it was entered) is numbered cell * 4 + way: its best cost is
    # kept in a list and where it was reached from in a dict by that number, not by a tuple
    # made and hashed at every step.
    best = [math.inf] * (4 * columns * rows)
    came: dict[int, int] = {}
    for cell, direction, side in starts:
        if blocked[cell]:
            continue
        best[4 * cell + direction] = 0.0
        start_sides[cell] = side
        x, y = centre(cell)
        heapq.heappush(frontier, ((abs(x - gx) + abs(y - gy)) / CELL, 0.0, cell, direction))
    found = None
    goal_states = {4 * cell + direction for cell, direction in goals.items()}
    # The loop below is the router's busiest: what it looks up is bound to local names, and the
    # distance left to the goal is added up from its column's and its row's, worked out once
    # (as `centre` works out a cell's centre, so the sums are the same floats).
    pop, push = heapq.heappop, heapq.heappush
    x0, y0 = bb.x0, bb.y0
    across = [abs(x0 + (c + 0.5) * CELL - gx) for c in range(columns)]
    down = [abs(y0 + (r + 0.5) * CELL - gy) for r in range(rows)]
    moves = [(turn, dc, dr, (turn + 2) % 4) for turn, (dc, dr) in enumerate(_MOVES)]
    while frontier:
        _, cost, cell, direction = pop(frontier)
        state = 4 * cell + direction
        if cost > best[state]:
            continue
        if state in goal_states:
            found = state
            break
        row, column = divmod(cell, columns)
        for turn, dc, dr, back in moves:
            if back == direction:
                continue
            c, r = column + dc, row + dr
            if not (0 <= c < columns and 0 <= r < rows):
                continue
            following = r * columns + c
            if blocked[following] and following not in goals:
                continue
            step = cost + 1.0 + extra[following] + (BEND if turn != direction else 0.0)
            reached = 4 * following + turn
            if step < best[reached]:
                best[reached] = step
                came[reached] = state
                push(frontier, (step + (across[c] + down[r]) / CELL, step, following, turn))
    if found is None:
        return None
    states = [found]
    while states[-1] in came:
        states.append(came[states[-1]])
    states.reverse()
    start, goal = states[0] // 4, found // 4
    points = (
        [_ring_point(first, *centre(start), start_sides[start])] + [centre(state // 4) for state in states]
        + [_ring_point(last, *centre(goal), goal_sides[goal])]
    )
    return _corners(points)


def _beside(point: tuple[float, float], p: tuple[float, float], q: tuple[float, float]) -> float:
    """How far `point` lies from the run from `p` to `q`, straight out from it; infinite when it
    lies past either end (the way into a stage at the end of a shunned course stays open)."""
    dx, dy = q[0] - p[0], q[1] - p[1]
    squared = dx * dx + dy * dy
    t = ((point[0] - p[0]) * dx + (point[1] - p[1]) * dy) / squared if squared else -1.0
    if not 0.0 <= t <= 1.0:
        return math.inf
    return math.dist(point, (p[0] + t * dx, p[1] + t * dy))


def _inside(box: _Box, other: _Box) -> bool:
    return other.x0 <= box.x0 and box.x1 <= other.x1 and other.y0 <= box.y0 and box.y1 <= other.y1


def _ring(node: _Node, centre, cells_of, outward: bool):
    """The cells a route may leave `node` from (or reach it at): just outside its clearance,
    along the middle of each side, with the direction away from it (or towards it) and the
    side it is on (the point on the outline straight in from the cell, `_ring_point`, is
    worked out only for the cell a route takes: a search of the 200-stage chart's router had
    spent a sixth of its time on the others')."""
    box = node.box
    span_x = node.width / 2 * (0.5 if node.shape != "box" and node.shape != "rect" else 0.8)
    span_y = node.height / 2 * (0.5 if node.shape != "box" and node.shape != "rect" else 0.8)
    out = []
    ring = box.grown(CLEARANCE + CELL)
    inner = box.grown(CLEARANCE)
    for cell in cells_of(ring):
        x, y = centre(cell)
        if inner.holds(x, y) or not ring.holds(x, y):
            continue
        if abs(x - node.x) <= span_x and y > inner.y1:
            side = 1  # above: leave upwards
        elif abs(x - node.x) <= span_x and y < inner.y0:
            side = 3
        elif abs(y - node.y) <= span_y and x > inner.x1:
            side = 0
        elif abs(y - node.y) <= span_y and x < inner.x0:
            side = 2
        else:
            continue
        out.append((cell, side if outward else (side + 2) % 4, side))
    return out


def _ring_point(node: _Node, x: float, y: float, side: int) -> tuple[float, float]:
    """The point of `node`'s outline straight in from its ring's cell at (x, y), on `side`."""
    dx, dy = _MOVES[side]
    return _outline(node, x, y, -dx, -dy)


def _outline(node: _Node, x: float, y: float, dx: float, dy: float) -> tuple[float, float]:
    """The point of `node`'s outline met going from (x, y) in direction (dx, dy)."""
    # From just outside the node's box to its centre line: outside, then inside from the
    # outline on (the point lies within the middle of the side, see `_ring`).
    if dx:
        x = node.x + (node.width / 2 + 2) * (-dx)
        high = node.width / 2 + 2
    else:
        y = node.y + (node.height / 2 + 2) * (-dy)
        high = node.height / 2 + 2
    low = 0.0
    for _ in range(30):
        middle = (low + high) / 2
        if node.inside(x + dx * middle, y + dy * middle):
            high = middle
        else:
            low = middle
    return x + dx * low, y + dy * low


def _corners(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    out = [points[0]]
    for p, q in zip(points[1:-1], points[2:]):
        o = out[-1]
        if abs((p[0] - o[0]) * (q[1] - p[1]) - (p[1] - o[1]) * (q[0] - p[0])) > 1e-6:
            out.append(p)
    out.append(points[-1])
    return out


def _rounded(corners: Sequence[tuple[float, float]], trim_end: bool = False, trim_start: bool = False):
    """Graphviz `pos` points (cubic Bézier pieces) of a polyline with rounded corners; with an
    arrow at an end, the line stops an arrow's length short of it (Graphviz draws the arrow to
    the end point): (points, the arrow's point at the start, at the end)."""
    corners = list(corners)
    start = end = None
    arrow = ARROW * 0.8
    if trim_end:
        end = corners[-1]
        corners[-1] = _toward(corners[-1], corners[-2], arrow)
    if trim_start:
        start = corners[0]
        corners[0] = _toward(corners[0], corners[1], arrow)
    points = [corners[0]]
    at = corners[0]
    for i in range(1, len(corners) - 1):
        before, corner, after = corners[i - 1], corners[i], corners[i + 1]
        radius = min(CORNER, math.dist(before, corner) / 2, math.dist(corner, after) / 2)
        a = _toward(corner, before, radius)
        b = _toward(corner, after, radius)
        points += _straight(at, a)
        k = 0.5523
        points += [_toward(a, corner, radius * k), _toward(b, corner, radius * k), b]
        at = b
    points += _straight(at, corners[-1])
    return points, start, end


def _straight(p: tuple[float, float], q: tuple[float, float]) -> list[tuple[float, float]]:
    return [(p[0] + (q[0] - p[0]) / 3, p[1] + (q[1] - p[1]) / 3), (p[0] + 2 * (q[0] - p[0]) / 3, p[1] + 2 * (q[1] - p[1]) / 3), q]


def _toward(p: tuple[float, float], q: tuple[float, float], by: float) -> tuple[float, float]:
    d = math.dist(p, q)
    if d == 0:
        return p
    return p[0] + (q[0] - p[0]) * by / d, p[1] + (q[1] - p[1]) * by / d


def _clear(points, obstacles, texts, first: _Node, last: _Node) -> bool:
    """Whether the sampled route keeps out of every stage (but deep inside its own two) and
    every label."""
    span = _span(points)
    boxes = [
        box for box in (node.box.grown(2) for node in _near(obstacles, span, 2) if node is not first and node is not last)
        if box.meets(span)
    ]
    boxes += [box for box in texts if box.meets(span)]
    for x, y in points:
        for box in boxes:
            if box.holds(x, y):
                return False
        for node in (first, last):
            if node.inside(x, y) and math.dist((x, y), (node.x, node.y)) < min(node.width, node.height) / 2 - 3:
                return False
    return True


def _near(nodes: Sequence[_Node], area: _Box, by: float) -> list[_Node]:
    """The nodes whose box, grown by `by` points, may meet `area`, in order: a few more than do
    (a point to spare for the rounding of a grown box's sides), for the caller's own check,
    while the boxes of the others are never made. A route's window, or a label's
    neighbourhood, holds a few of a large chart's 200 stages."""
    x0, y0, x1, y1 = area.x0 - by - 1, area.y0 - by - 1, area.x1 + by + 1, area.y1 + by + 1
    return [
        node for node in nodes
        if node.x - node.width / 2 < x1 and x0 < node.x + node.width / 2
        and node.y - node.height / 2 < y1 and y0 < node.y + node.height / 2
    ]


def _near_boxes(boxes: Sequence[_Box], area: _Box, by: float) -> list[_Box]:
    """The boxes that, grown by `by` points, may meet `area`, in order (as `_near`)."""
    x0, y0, x1, y1 = area.x0 - by - 1, area.y0 - by - 1, area.x1 + by + 1, area.y1 + by + 1
    return [box for box in boxes if box.x0 < x1 and x0 < box.x1 and box.y0 < y1 and y0 < box.y1]


def _span(points) -> _Box:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return _Box(min(xs) - 1, min(ys) - 1, max(xs) + 1, max(ys) + 1)


def _label_spot(corners, size, obstacles, texts, lines, lanes, gaps=NEAR_GAPS, closely=False):
    """Where the label goes: beside a straight run of the route, as near its middle as is free
    of stages, labels and lines (`lines`: points of the route and of the other links); (index of the run's end corner, the label's centre).
    A few spots along each run are tried; `closely`: every `SPOT_STEP` points of it, from its
    middle out to its ends."""
    width, height = size
    near = _span(corners).grown(max(width, height) + 20)
    obstacles = [box for box in (node.box.grown(2) for node in _near(obstacles, near, 2)) if box.meets(near)]
    texts = [box for box in texts if box.meets(near)]
    lines = [(x, y) for x, y in lines if near.holds(x, y)]
    runs = sorted(range(1, len(corners)), key=lambda i: abs(i - len(corners) / 2))
    for i, gap in [(i, gap) for gap in gaps for i in runs]:
        p, q = corners[i - 1], corners[i]
        run = math.dist(p, q)
        if run < 2 * CELL:
            continue
        for fraction in _fractions(run) if closely else SPOT_FRACTIONS:
            mx, my = p[0] + (q[0] - p[0]) * fraction, p[1] + (q[1] - p[1]) * fraction
            vertical = abs(q[0] - p[0]) < abs(q[1] - p[1])
            for side in (1, -1):
                if vertical:
                    cx, cy = mx + side * (width / 2 + gap), my
                else:
                    cx, cy = mx, my + side * (height / 2 + gap)
                box = _Box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
                if any(other.meets(box) for other in obstacles):
                    continue
                if any(text.meets(box) for text in texts):
                    continue
                # Inside a lane or outside it, not across its border (a label's white ground
                # would cut the border line).
                if any(lane.grown(4).meets(box) and not _inside(box, lane.grown(-4)) for lane in lanes):
                    continue
                if any(box.grown(1).holds(x, y) for x, y in lines):
                    continue
                return i, (cx, cy)
    return None


def _fractions(run: float) -> list[float]:
    """The spots along a run of `run` points every `SPOT_STEP` points, as fractions of it, the
    middle first and then out to both ends in turn."""
    steps = int(run / 2 / SPOT_STEP)
    out = [0.5]
    for step in range(1, steps + 1):
        out += [0.5 - step * SPOT_STEP / run, 0.5 + step * SPOT_STEP / run]
    return out


def _pieces(corners, count: int, cut: int):
    """The route cut into `count` pieces (one per part of the link): at the middle of the run
    that ends at corner `cut` for two; into equal runs of corners for more."""
    if count == 1:
        return [list(corners)]
    if count == 2:
        p, q = corners[cut - 1], corners[cut]
        middle = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
        return [list(corners[:cut]) + [middle], [middle] + list(corners[cut:])]
    return None


def _pieces_through(corners, count: int, cut: int, label_at: Optional[int]):
    """The route cut into `count` pieces for a link of several parts: the joint `label_at` (its
    label's node) at the middle of the run that ends at corner `cut`, the other joints spread
    evenly along the route on either side of it."""
    if label_at is None:
        return _split(list(corners), count - 1)
    p, q = corners[cut - 1], corners[cut]
    middle = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
    before = _split(list(corners[:cut]) + [middle], label_at)
    after = _split([middle] + list(corners[cut:]), count - 2 - label_at)
    return before + after


def _split(line, joints: int):
    """`line` cut into `joints` + 1 pieces of about the same length. A cut keeps a corner's
    radius off the corners where its run is long enough, so that each corner is still drawn
    round within one piece."""
    if joints == 0:
        return [line]
    runs = [math.dist(p, q) for p, q in zip(line, line[1:])]
    total = sum(runs)
    pieces, piece, run, done, last = [], [line[0]], 0, 0.0, -1.0
    for number in range(1, joints + 1):
        at = total * number / (joints + 1)
        while run < len(runs) - 1 and done + runs[run] < at:
            done += runs[run]
            run += 1
            piece.append(line[run])
        length = runs[run]
        offset = at - done
        kept = min(max(offset, min(CORNER, length / 2)), max(length - CORNER, length / 2))
        if done + kept > last:
            offset = kept
        last = done + offset
        p, q = line[run], line[run + 1]
        point = _toward(p, q, offset) if length else p
        pieces.append(piece + [point])
        piece = [point]
    pieces.append(piece + line[run + 1 :])
    return pieces


# ---------------------------------------------------------------------------------------------
# The drawing


def repaired_dot(
    laid_out_dot: str, routes: Sequence[Route], more: Optional[Mapping[tuple[str, str], Mapping[str, str]]] = None,
) -> str:
    """`dot -Tdot` text (every position written) with the routes' positions put in, and `more`
    changes after theirs (relabel.label_changes: the text is read once for both repairs, a
    tenth of a 200-stage chart's repair when it was read for each)."""
    from .dot_attributes import with_attributes

    changes: dict[tuple[str, str], dict[str, str]] = {}
    for route in routes:
        for identifier, pos in route.positions.items():
            changes.setdefault(("id", identifier), {})["pos"] = pos
            if route.label_position is not None and identifier == route.label_part:
                changes[("id", identifier)]["lp"] = "{:.2f},{:.2f}".format(*route.label_position)
        for name, (x, y) in route.moved_nodes.items():
            changes.setdefault(("node", name), {})["pos"] = f"{x:.2f},{y:.2f}"
        for name, (width, height) in route.node_sizes.items():
            changes.setdefault(("node", name), {}).update(height=f"{height:.4f}", width=f"{width:.4f}")
    for element, attributes in (more or {}).items():
        changes.setdefault(element, {}).update(attributes)
    return _keeping_bounds(with_attributes(laid_out_dot, changes))


def _keeping_bounds(text: str) -> str:
    """`text` with two invisible points on the corners of dot's bounding box.

    `neato -n2` measures the drawing again from its stages, links and lanes, and finds it a few
    points smaller than `dot` made it (8 pt narrower and 4 pt lower on a 26-stage chart, more
    where the link routed anew was the one that widened it): the picture would lose part of its
    outer margin, and differ in size from the one a fit measured. The points, which Graphviz
    does not draw, hold the box where `dot` put it."""
    start = text.find('bb="')
    if start < 0:
        return text
    start += 4
    x0, y0, x1, y1 = _floats(text[start:text.index('"', start)])
    end = text.rstrip().rindex("}")
    corners = "".join(
        f'\t"sf corner-{index}"\t[height=0,label="",pos="{x:g},{y:g}",shape=point,style=invis,width=0];\n'
        for index, (x, y) in enumerate(((x0, y0), (x1, y1)))
    )
    return text[:end] + corners + text[end:]


def plan(
    layout_json: dict, most: Optional[int] = None, cells: Optional[float] = None, routed: Optional[Layout] = None,
) -> list[Route]:
    """The new courses of the detours of a laid-out graph, then of the links drawn through a
    stage (none when it has none, or none can be routed clear). A large chart can have dozens,
    each a search: given `most`, only the first `most` of them are routed, and given `cells`,
    none whose stages' window holds more grid cells (on the bench's 1,000-stage chart one link's
    window of 64,000 cells took 1.3 s and found no route, where a window of 4,000 takes 20-40 ms).
    `routed`: the layout as read from `layout_json`, to be read no more; each route found is
    followed in it (relabel.plan takes it so)."""
    layout = Layout(layout_json) if routed is None else routed
    routes = []
    detours = layout.detours()
    if cells is not None:
        detours = [key for key in detours if _window_cells(layout, key) <= cells]
    for key in detours[:most]:
        # A link forward taken the short way sooner than a detour is (Layout.measure) takes a
        # new route only when it is really shorter than dot's.
        forward = layout.measure(key)[0] < DETOUR_RATIO
        drawn = sum(_length(part.sampled) for part in layout.parts[key])
        route = reroute(layout, key, SHORTER * drawn if forward else None)
        if route is None:
            # No clear course is short enough to be no detour (a link across a row of a wrapped
            # flow: any clear course goes round that row's end): one really shorter than dot's
            # is still the better way round.
            route = reroute(layout, key, SHORTER * drawn, past_measure=True)
        if route is not None:
            routes.append(route)
            layout.follow(route)  # the next link is routed round this one as it is now drawn
    routed = {route.key for route in routes}
    through = [key for key in layout.through_stages() if key not in routed]
    if cells is not None:
        through = [key for key in through if _window_cells(layout, key) <= cells]
    if most is not None:
        through = through[: max(0, most - len(routes))]
    for key in through:
        # A link through a stage is routed round it the same way (it is no detour: any clear
        # route will do); `most` and `cells` bound these searches as they bound the detours'.
        route = reroute(layout, key)
        if route is not None:
            routes.append(route)
            layout.follow(route)
    return routes


def _window_cells(layout: Layout, key: str) -> float:
    """The grid cells of the window a route of `key` is first looked for in (see `reroute`)."""
    ends = layout._ends(layout.parts[key])
    if ends is None:
        return 0.0
    first, last = (layout.nodes[name] for name in ends)
    return (abs(first.x - last.x) + 2 * WINDOW) * (abs(first.y - last.y) + 2 * WINDOW) / (CELL * CELL)
