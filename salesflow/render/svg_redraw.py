"""A repaired SVG drawn from the one `dot` drew: only the links routed anew and the labels moved
are changed, in place; every other byte stays as `dot` wrote it.

The repairs (reroute.py, relabel.py) used to be drawn by a second Graphviz run: `dot -Tdot`
text with the new positions put in, drawn again whole by `neato -n2`. For an SVG that run is
most of what a repair costs (a 200-stage chart's drawing is read, laid out and written again),
and neato's picture is not quite dot's: it measures the canvas anew (up to some 100 pt wider)
and rounds positions once more. Here the few elements a repair changes are written the way
`dot` writes them:

- a link's curve (`<path d="M…C…">`): the new Bézier points, each in dot's SVG coordinates,
  which are the layout's with y turned upside down (`(x, -y)`, under the group's
  `translate`), printed as Graphviz prints numbers (two decimals at most, trailing zeros off);
- its arrowheads, drawn anew at the new ends as Graphviz 2.43 draws `normal`, `tee`, `dot`
  and `odot` (the ones the writer uses, see dot_constants._ARROWS): tip at the end point,
  length 10 pt times `arrowsize` times the shape's own factor, toward the curve's last point;
- a moved label's shapes and text, shifted by how far its `lp` or its node moved; a label's
  node that the router narrows is drawn at the size Graphviz gives it (`width` and `height`
  rounded to whole points, never smaller than its text);
- a stretched lane's box (lane_ends.py), its corners where its new `bb` puts them, and its title
  shifted with its corner.

Whenever it cannot be sure it draws what `neato -n2` would, `redraw` returns None and the
caller draws the repair with neato as before: an element missing from the SVG, an arrowhead or
a label made of shapes it does not know, a node narrowed below what its text may need, or a
new position outside the canvas (neato would grow the canvas there).
"""

from __future__ import annotations

import math

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional, Sequence

# The graph's group: Graphviz 2.43 writes its transform so for an SVG drawn at its own size.
_TRANSFORM = rb'<g id="graph0" class="graph" transform="scale\(1 1\) rotate\(0\) translate\(([-0-9.]+) ([-0-9.]+)\)">'
# A drawn element of a group (its whole tag, and a text's content), or a tag that only groups.
_ELEMENT = rb"<(path|polygon|polyline|ellipse|text|title|g|/g|a|/a|[A-Za-z/][^\s>]*)\b[^>]*>(?:[^<]*</text>)?"
_ATTRIBUTE = rb'( (?:d|points|cx|cy|rx|ry|x|y)=")([^"]*)"'
_GROUP_TAG = rb"<(/?)g\b"
_CELL_SPACING = r'CELLSPACING="([0-9.]+)"'
PATTERNS = (_TRANSFORM, _ELEMENT, _ATTRIBUTE, _GROUP_TAG, _CELL_SPACING)  # compiled ahead while dot works (picture.py)

ARROW_LENGTH = 10.0  # points at arrowsize 1 (Graphviz's ARROW_LENGTH)
_EPSILON = 0.0001  # Graphviz's nudge of an arrow's direction, kept for the same last digit
# Each known arrowhead: its length factor and the elements Graphviz draws it with.
ARROWS = {
    "normal": (1.0, (b"polygon",)),
    "tee": (0.5, (b"polygon", b"polyline")),
    "dot": (0.8, (b"ellipse",)),
    "odot": (0.8, (b"ellipse",)),
}
WIDE_PEN = 4.0  # points: a wider line makes Graphviz widen a `normal` head, which is not drawn here
# Points each side of a label node's text: its margin="0.04,0.02" (dot_waypoints.py) in whole points.
NODE_MARGIN_X, NODE_MARGIN_Y = 3.0, 1.0
LINE_HEIGHT = 1.3  # ems a line of a label's text takes at most (Graphviz gives 10 pt Noto Sans CJK 11 pt)


class NotSure(Exception):
    """The repair cannot be drawn here exactly as neato would draw it."""


# What stops a drawing in place: NotSure, or (the others) a layout or an SVG not as Graphviz 2.43 writes them.
_NOT_DRAWN = (NotSure, KeyError, ValueError, IndexError, TypeError, AttributeError)


def redraw(svg: bytes, layout: dict, routes: Sequence = (), moves: Sequence = (), stretches: Sequence = ()) -> Optional[bytes]:
    """`svg` (dot's drawing of `layout`, its `-Tjson0`) with `routes` (reroute.plan's), `moves`
    (relabel.plan's) and `stretches` (lane_ends.plan's) drawn in; None when it cannot be sure to
    draw them right."""
    try:
        return _Redrawing(svg, layout).drawn(routes, moves, stretches)
    except _NOT_DRAWN:
        return None


def stretched_lanes(svg: bytes, stretches: Sequence) -> Optional[bytes]:
    """`svg` with `stretches` drawn in, planned from this very SVG (lane_ends.plan_drawn: a chart
    whose layout is not read); None when it cannot be sure to draw them right."""
    try:
        return _Redrawing(svg, None).drawn((), (), stretches)
    except _NOT_DRAWN:
        return None


class _Redrawing:
    def __init__(self, svg: bytes, layout: Optional[dict]) -> None:
        import re

        self.svg = svg
        transform = re.search(_TRANSFORM, svg)
        if layout is None:
            # Only the SVG: the canvas is its view box less the padding the translation gives,
            # the same on every side (`pad`).
            view = re.search(rb'viewBox="0\.00 0\.00 ([0-9.]+) ([0-9.]+)"', svg)
            if transform is None or view is None:
                raise NotSure("the drawing's coordinates are not dot's plain ones")
            pad, top = float(transform.group(1)), float(transform.group(2))
            layout = {"bb": f"0,0,{float(view.group(1)) - 2 * pad},{top - pad}"}
        bounds = [float(part) for part in str(layout.get("bb", "")).split(",")]
        if transform is None or len(bounds) != 4 or bounds[0] != 0 or bounds[1] != 0:
            raise NotSure("the drawing's coordinates are not dot's plain ones")
        self.width, self.height = bounds[2], bounds[3]
        count = int(layout.get("_subgraph_cnt", 0))
        self.nodes = {obj["name"]: obj for obj in layout.get("objects", [])[count:]}
        self.edges = {str(edge["id"]): edge for edge in layout.get("edges", []) if edge.get("id")}
        self.changes: list[tuple[int, int, bytes]] = []

    def drawn(self, routes: Sequence, moves: Sequence, stretches: Sequence = ()) -> bytes:
        for stretch in stretches:
            self._lane(stretch)
        label_at: dict[str, tuple[float, float]] = {}  # edge id → its label's new `lp`
        for route in routes:
            for identifier, pos in route.positions.items():
                self._link(identifier, pos)
            if route.label_position is not None:
                label_at[route.label_part] = route.label_position
            for name, centre in route.moved_nodes.items():
                self._node(name, centre, route.node_sizes.get(name))
        for move in moves:  # after the routes, as reroute.repaired_dot puts them in
            label_at[move.edge] = (move.x, move.y)
        for identifier, (x, y) in sorted(label_at.items()):
            self._label(identifier, x, y)
        out, at = [], 0
        for start, end, text in sorted(self.changes):
            if start < at:
                raise NotSure("two changes of one element")
            out += [self.svg[at:start], text]
            at = end
        out.append(self.svg[at:])
        return b"".join(out)

    # -- finding elements

    def _group(self, identifier: str, kind: bytes) -> list[tuple[bytes, int, int]]:
        """The drawn elements of the group `identifier` (`kind`: b"edge" or b"node"): each
        element's tag name, start and end in the SVG."""
        import re

        if not identifier or not all((c.isascii() and c.isalnum()) or c in "-_" for c in identifier):
            raise NotSure(f"an id Graphviz may write otherwise: {identifier!r}")
        opening = b'<g id="' + identifier.replace("-", "&#45;").encode("ascii") + b'" class="' + kind
        start = self.svg.find(opening)
        if start < 0 or self.svg.find(opening, start + 1) >= 0:
            raise NotSure(f"no single group {identifier}")
        depth, end = 0, None
        for tag in re.compile(_GROUP_TAG).finditer(self.svg, start):  # (`re` caches it)
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                end = tag.end()
                break
        if end is None:
            raise NotSure(f"group {identifier} not closed")
        elements = []
        for element in re.finditer(_ELEMENT, self.svg[start:end]):
            name = element.group(1)
            if name in (b"title", b"/title", b"g", b"/g", b"a", b"/a"):
                continue
            if name not in (b"path", b"polygon", b"polyline", b"ellipse", b"text"):
                raise NotSure(f"an element not known here in {identifier}: {name!r}")
            elements.append((name, start + element.start(), start + element.end()))
        return elements

    def _rewrite(self, start: int, end: int, values: dict[bytes, str]) -> None:
        """The element at start:end with the attributes `values` written anew."""
        import re

        element = self.svg[start:end]
        seen = set()

        def put(match: "re.Match[bytes]") -> bytes:
            name = match.group(1)[1:-2]
            if name not in values:
                return match.group(0)
            seen.add(name)
            return match.group(1) + values[name].encode("ascii") + b'"'

        rewritten = re.sub(_ATTRIBUTE, put, element)
        if seen != set(values):
            raise NotSure("an element without the attribute to change")
        self.changes.append((start, end, rewritten))

    def _shift(self, start: int, end: int, dx: float, dy: float) -> None:
        """The element at start:end moved by (dx, dy) layout points (y upwards)."""
        import re

        element = self.svg[start:end]
        name = re.match(rb"<(\w+)", element).group(1)  # type: ignore[union-attr]
        if name == b"text":
            x, y = (float(re.search(rb' %s="([^"]*)"' % axis, element).group(1)) for axis in (b"x", b"y"))  # type: ignore[union-attr]
            self._rewrite(start, end, {b"x": _number(x + dx), b"y": _number(y - dy)})
        elif name == b"ellipse":
            x, y = (float(re.search(rb' %s="([^"]*)"' % axis, element).group(1)) for axis in (b"cx", b"cy"))  # type: ignore[union-attr]
            self._rewrite(start, end, {b"cx": _number(x + dx), b"cy": _number(y - dy)})
        elif name in (b"polygon", b"polyline"):
            points = _points(re.search(rb' points="([^"]*)"', element).group(1))  # type: ignore[union-attr]
            self._rewrite(start, end, {b"points": _point_list([(x + dx, y - dy) for x, y in points], name)})
        else:
            raise NotSure(f"a label drawn with a {name!r}")

    # -- what changes

    def _link(self, identifier: str, pos: str) -> None:
        """The edge `identifier` drawn along `pos` (a Graphviz `pos`, layout coordinates)."""
        edge = self.edges[identifier]
        old_start, old_end, _old = _spline(str(edge["pos"]))
        start, end, points = _spline(pos)
        if (old_start is None) != (start is None) or (old_end is None) != (end is None):
            raise NotSure("the new course has other arrows")
        if len(points) < 4 or (len(points) - 1) % 3:
            raise NotSure("not a Bézier curve")
        for x, y in points + [p for p in (start, end) if p is not None]:
            self._inside(x, y)
        size = float(edge.get("arrowsize", 1.0))
        pen = float(edge.get("penwidth", 1.0))
        arrows = []  # drawn in this order: the tail's, then the head's
        if start is not None:
            arrows.append((str(edge.get("arrowtail", "normal")), start, points[0]))
        if end is not None:
            arrows.append((str(edge.get("arrowhead", "normal")), end, points[-1]))
        elements = self._group(identifier, b"edge")
        if not elements or elements[0][0] != b"path":
            raise NotSure(f"{identifier} has no curve first")
        first, *rest = points
        curve = "M" + _pair(first) + "C" + " ".join(_pair(point) for point in rest)
        self._rewrite(elements[0][1], elements[0][2], {b"d": curve})
        at = 1
        for kind, tip, towards in arrows:
            if kind not in ARROWS or (kind == "normal" and pen > WIDE_PEN):
                raise NotSure(f"an arrowhead not drawn here: {kind}")
            factor, shapes = ARROWS[kind]
            drawn = elements[at : at + len(shapes)]
            if tuple(name for name, _start, _end in drawn) != shapes:
                raise NotSure(f"{identifier}'s {kind} arrowhead is not drawn as expected")
            for (name, element_start, element_end), values in zip(drawn, _arrowhead(kind, tip, towards, size * factor)):
                self._rewrite(element_start, element_end, values)
            at += len(shapes)
        if elements[at:] and not edge.get("label"):
            raise NotSure(f"{identifier} has more elements than its curve and arrows")

    def _label(self, identifier: str, x: float, y: float) -> None:
        """The label of the edge `identifier` moved to `lp` (x, y)."""
        edge = self.edges[identifier]
        old_x, old_y = (float(part) for part in str(edge["lp"]).split(","))
        if any(key in edge for key in ("xlabel", "headlabel", "taillabel")):
            raise NotSure("a link with a label of another kind")
        elements = self._group(identifier, b"edge")
        drawn = elements[self._arrow_elements(edge) :]
        if not drawn or any(name == b"path" for name, _start, _end in drawn):
            raise NotSure(f"{identifier}'s label is not drawn as expected")
        from .laid_out_labels import drawn_width, sized_lines

        label, size = str(edge["label"]), float(edge.get("fontsize", 14))
        half_w = drawn_width(label, size) / 2
        half_h = sum(line_size for _line, line_size in sized_lines(label, size)) * 0.6
        for corner_x, corner_y in ((x - half_w, y - half_h), (x + half_w, y + half_h)):
            self._inside(corner_x, corner_y)
        for _name, start, end in drawn:
            self._shift(start, end, x - old_x, y - old_y)

    def _arrow_elements(self, edge: dict) -> int:
        """How many elements come before an edge's label: its curve and its arrowheads."""
        start, end, _points = _spline(str(edge["pos"]))
        count = 1
        for kind, flag in ((edge.get("arrowtail", "normal"), start), (edge.get("arrowhead", "normal"), end)):
            if flag is not None:
                if kind not in ARROWS:
                    raise NotSure(f"an arrowhead not drawn here: {kind}")
                count += len(ARROWS[str(kind)][1])
        return count

    def _node(self, name: str, centre: tuple[float, float], size: Optional[tuple[float, float]]) -> None:
        """The node `name` moved to `centre`, and given `size` (inches) when the route resized it."""
        node = self.nodes[name]
        if "invis" in str(node.get("style", "")):
            return  # not drawn
        old_x, old_y = (float(part) for part in str(node["pos"]).split(","))
        x, y = centre
        width, height = float(node.get("width", 0.75)) * 72, float(node.get("height", 0.5)) * 72
        elements = self._group(str(node.get("id", "")), b"node")
        if size is not None:
            texts = [element for element in elements if element[0] == b"text"]
            width, height = self._resized(node, texts, old_x, width, height, size)
            shapes = [element for element in elements if element[0] != b"text"]
            if len(shapes) != 1 or shapes[0][0] != b"polygon":
                raise NotSure(f"node {name} is not drawn as one box and its text")
            self._box(shapes[0], old_x, old_y, x, y, width, height)
            elements = [element for element in elements if element[0] == b"text"]
        self._inside(x - width / 2, y - height / 2)
        self._inside(x + width / 2, y + height / 2)
        for _name, start, end in elements:
            self._shift(start, end, x - old_x, y - old_y)

    def _resized(
        self, node: dict, texts: list[tuple[bytes, int, int]], old_x: float, width: float, height: float,
        size: tuple[float, float],
    ) -> tuple[float, float]:
        """The size Graphviz gives a label's node written `size` (inches) wide and high: each
        rounded to whole points, and no smaller than its text and margins. How wide its text is
        Graphviz has shown already: an HTML-like label's lines are drawn from their left end
        (`text-anchor="start"`), centred on the node, after the empty cells that hold the text
        to one side (dot_labels.py), and that width must agree with textwidth.py's. How high
        it is Graphviz does not show: a node made lower than dot made it must keep room for
        LINE_HEIGHT ems a line."""
        import re

        from .laid_out_labels import cells_beside, drawn_width, sized_lines

        label = str(node.get("label", ""))
        if node.get("shape") not in ("plaintext", "plain", "none") or str(node.get("fixedsize", "false")) != "false":
            raise NotSure("a label node of another shape")
        if not texts:  # (the layout gives an HTML-like label without its outer `<>`)
            raise NotSure("a label node whose text is not drawn from its left end")
        lefts = []
        for _name, start, end in texts:
            element = self.svg[start:end]
            if b'text-anchor="start"' not in element:
                raise NotSure("a label node whose text is not drawn from its left end")
            lefts.append(float(re.search(rb' x="([^"]*)"', element).group(1)))  # type: ignore[union-attr]
        beside = cells_beside(label)
        if beside is None:
            raise NotSure("a label node without text")
        before, after = beside
        measured = 2 * (old_x - (min(lefts) - before)) + 2 * NODE_MARGIN_X
        lines = sized_lines(label, float(node.get("fontsize", 14)))
        needed_high = sum(line_size * LINE_HEIGHT for _line, line_size in lines) + 2 * NODE_MARGIN_Y
        # Graphviz sets a table on whole points, so the width measured may be a point off, and
        # it misses the spacing round the cells of a table inside the label (a highlight's
        # note under the text). The width textwidth.py works out must agree with it, and is
        # then taken.
        guessed = drawn_width(label, float(node.get("fontsize", 14))) + before + after + 2 * NODE_MARGIN_X
        spacing = sum(2 * float(cells) for cells in re.findall(_CELL_SPACING, label)[1:])
        if not -1.01 <= guessed - measured <= 1.01 + spacing or guessed > width + 0.5:
            raise NotSure("a label node's text not measured for sure")
        wide, high = (_points_of(inches) for inches in size)
        if high < height and high < needed_high:
            raise NotSure("a label node made lower than its text may need")
        return max(wide, guessed), high

    def _box(self, shape: tuple[bytes, int, int], old_x: float, old_y: float, x: float, y: float, width: float, height: float) -> None:
        """A node's box (a polygon on its corners) drawn `width` by `height` about (x, y)."""
        import re

        _name, start, end = shape
        points = _points(re.search(rb' points="([^"]*)"', self.svg[start:end]).group(1))  # type: ignore[union-attr]
        corners = []
        for px, py in points:
            dx, dy = px - old_x, -py - old_y
            if abs(dx) < 0.5 or abs(dy) < 0.5:
                raise NotSure("a node's shape that is not a box")
            corners.append((x + math.copysign(width / 2, dx), -(y + math.copysign(height / 2, dy))))
        self._rewrite(start, end, {b"points": _point_list(corners, b"polygon")})

    def _lane(self, stretch) -> None:
        """A lane's box drawn where lane_ends.plan stretched it, its title moved with its corner."""
        import re

        elements = self._group(stretch.lane, b"cluster")
        if [name for name, _start, _end in elements] != [b"polygon", b"text"]:
            raise NotSure(f"lane {stretch.lane} is not drawn as a box and its title")
        (_box, box_start, box_end), (_title, title_start, title_end) = elements
        drawn = _points(re.search(rb' points="([^"]*)"', self.svg[box_start:box_end]).group(1))  # type: ignore[union-attr]
        # (The layout writes a box to five digits, the SVG to hundredths: 1294.5 against 1294.53.)
        if len(drawn) != 5 or any(
            abs(a - c) > 0.1 or abs(b - d) > 0.1 for (a, b), (c, d) in zip(drawn, _box_corners(stretch.old))
        ):
            raise NotSure(f"lane {stretch.lane} is not drawn where its bb says")
        x0, y0, x1, y1 = stretch.new
        for x, y in ((x0, y0), (x1, y1)):
            self._inside(x, y)
        self._rewrite(box_start, box_end, {b"points": _point_list(_box_corners(stretch.new), b"polygon")})
        self._shift(title_start, title_end, stretch.dx, stretch.dy)

    def _inside(self, x: float, y: float) -> None:
        if not (0 <= x <= self.width and 0 <= y <= self.height):
            raise NotSure("a repair outside the canvas, which neato would grow")


def _spline(pos: str) -> tuple[Optional[tuple[float, float]], Optional[tuple[float, float]], list[tuple[float, float]]]:
    """A Graphviz edge `pos`: its start arrow's point, its end arrow's point and its Bézier points."""
    from .reroute import spline_parts

    splines = pos.replace("\\\n", "").split(";")
    if len(splines) != 1:
        raise NotSure("an edge drawn as several curves")
    return spline_parts(splines[0])


def _arrowhead(kind: str, tip: tuple[float, float], towards: tuple[float, float], size: float) -> list[dict[bytes, str]]:
    """The attributes of the elements of an arrowhead of `kind` with its point at `tip`, drawn
    toward `towards` (the curve's end), `size` times ARROW_LENGTH long: Graphviz 2.43's
    arrow_gen and arrow_type_normal, _tee and _dot, in layout coordinates."""
    ux, uy = towards[0] - tip[0], towards[1] - tip[1]
    scale = ARROW_LENGTH / (math.hypot(ux, uy) + _EPSILON)
    ux += _EPSILON if ux >= 0 else -_EPSILON
    uy += _EPSILON if uy >= 0 else -_EPSILON
    ux, uy = ux * scale * size, uy * scale * size
    px, py = tip
    if kind == "normal":
        vx, vy = -uy * 0.35, ux * 0.35
        qx, qy = px + ux, py + uy
        corners = [(qx - vx, qy - vy), (px, py), (qx + vx, qy + vy), (qx - vx, qy - vy)]
        return [{b"points": _point_list([(x, -y) for x, y in corners], b"polygon")}]
    if kind == "tee":
        vx, vy = -uy, ux
        mx, my = px + ux * 0.2, py + uy * 0.2
        nx, ny = px + ux * 0.6, py + uy * 0.6
        bar = [(mx + vx, my + vy), (mx - vx, my - vy), (nx - vx, ny - vy), (nx + vx, ny + vy), (mx + vx, my + vy)]
        stem = [(px, py), (px + ux, py + uy)]
        return [
            {b"points": _point_list([(x, -y) for x, y in bar], b"polygon")},
            {b"points": _point_list([(x, -y) for x, y in stem], b"polyline")},
        ]
    radius = math.hypot(ux, uy) / 2  # dot, odot: a circle on the line
    return [{b"cx": _number(px + ux / 2), b"cy": _number(-(py + uy / 2)), b"rx": _number(radius), b"ry": _number(radius)}]


def _number(value: float) -> str:
    """`value` as Graphviz prints an SVG coordinate: rounded to two decimals (halves away from
    zero), trailing zeros dropped, no `-0`."""
    scaled = int(value * 100 + (0.5 if value >= 0 else -0.5))
    if scaled == 0:
        return "0"
    whole, cents = divmod(abs(scaled), 100)
    sign = "-" if scaled < 0 else ""
    if cents == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{cents:02d}".rstrip("0")


def _pair(point: tuple[float, float]) -> str:
    """A layout point as an SVG one (y turned downwards)."""
    return _number(point[0]) + "," + _number(-point[1])


def _point_list(points: Sequence[tuple[float, float]], name: bytes) -> str:
    """SVG points (already turned) as Graphviz writes them: a polyline's list ends with a space."""
    text = " ".join(_number(x) + "," + _number(y) for x, y in points)
    return text + " " if name == b"polyline" else text


def _box_corners(box: Sequence[float]) -> list[tuple[float, float]]:
    """A layout box (x0, y0, x1, y1) as Graphviz draws a cluster's: its corners in SVG coordinates
    (y turned), from the lower left round and back to it."""
    x0, y0, x1, y1 = box
    return [(x0, -y0), (x0, -y1), (x1, -y1), (x1, -y0), (x0, -y0)]


def _points(text: bytes) -> list[tuple[float, float]]:
    out = []
    for pair in text.split():
        x, y = pair.split(b",")
        out.append((float(x), float(y)))
    return out


def _points_of(inches: float) -> float:
    """A node's side as Graphviz takes it from inches: whole points, halves rounded up."""
    return float(int(inches * 72 + 0.5))
