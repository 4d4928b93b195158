"""Lanes as bands of one length: after dot's layout, each lane of a swimlane chart is stretched
along the flow to where the lanes start and end together, its title moved with its corner.

The writer ties the lanes' first and last anchors in one line (dot_bands._band_constraints),
but dot sets those anchors only as far as the nodes beside them in their ranks let it: a loop's
label ordered before a space's anchor, or the rows of a wrapped lane ending where their last
stage does, left lanes starting or ending hundreds of points apart (tests/cases/layout/six-lanes-40:
法务部 ended 646 pt before 市场部; 198 of the 1,600 drawings of tests/generated_charts.py). A
swimlane chart is read as a stack of bands, each spanning the whole flow; a ragged stack reads
as boxes of different sizes, and a stage past a short lane's end seems to belong to none.

Stretching only grows a lane along the flow, into room that no other lane takes there: the
lanes are stacked across it, one band each (a drawing whose lanes overlap across the flow, as
one drawn without bands does, is left as it is). The stretch is a repair, drawn as the other
repairs are (picture._mended): into dot's SVG in place (svg_redraw.py), or through `neato -n2`
with the lane's new `bb` and `lp` put into dot's `-Tdot` text (`changes`).

A chart too large for the other repairs (picture.REPAIR_MAX_NODES) has no layout read: its SVG's
lanes are planned from the SVG itself (`plan_drawn`), which draws each lane's box as the polygon
of its `bb`, and stretched in it the same way.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional, Sequence

IN_LINE = 0.5  # points: lanes whose ends differ by no more are in line already (dot rounds to hundredths)


class Stretch:
    """A lane's new box: the cluster's `id`, its box before and after (x0, y0, x1, y1, layout
    points, y upwards), how far its title moves with its corner (dx, dy), and the title's new
    `lp` (None for a lane without one)."""

    __slots__ = ("lane", "old", "new", "dx", "dy", "title")

    def __init__(
        self, lane: str, old: tuple[float, float, float, float], new: tuple[float, float, float, float], dx: float, dy: float,
        title: Optional[tuple[float, float]],
    ) -> None:
        self.lane, self.old, self.new, self.dx, self.dy, self.title = lane, old, new, dx, dy, title


def stacked(boxes: Sequence[Sequence[float]], across: int) -> bool:
    """Whether `boxes` (x0, y0, x1, y1) stand one after another, none overlapping another, along
    the axis `across` (0: x, 1: y): lanes stacked one band each, which stretching along the
    other axis cannot make cover each other."""
    spans = sorted((box[across], box[across + 2]) for box in boxes)
    return all(later[0] >= earlier[1] - IN_LINE for earlier, later in zip(spans, spans[1:]))


def plan(layout: dict) -> list[Stretch]:
    """The lanes of `layout` (dot's `-Tjson0`) to stretch, in the drawing's order; none when the
    lanes are in line already, or are not stacked one band each."""
    count = int(layout.get("_subgraph_cnt", 0))
    lanes = []
    for obj in layout.get("objects", [])[:count]:
        if "sf-lane" in str(obj.get("class", "")).split() and obj.get("bb") and obj.get("id"):
            x0, y0, x1, y1 = (float(part) for part in str(obj["bb"]).split(","))
            title = tuple(float(part) for part in str(obj["lp"]).split(",")) if obj.get("lp") else None
            lanes.append((str(obj["id"]), (x0, y0, x1, y1), title))
    # Ranks are the lanes: rows when they run down the page (the flow runs across it), else columns.
    return _stretches(lanes, rows=str(layout.get("rankdir", "TB")) in ("TB", "BT"))


# A lane's group in dot's SVG (Graphviz 2.43): its id (`-` written `&#45;`), then the polygon of its `bb`.
_DRAWN_LANE = rb'<g id="([^"]+)" class="cluster sf&#45;lane">\n<title>[^<]*</title>\n<polygon [^>]*? points="([^"]*)"'
_LANE_CLASS = b' class="cluster sf&#45;lane">'
PATTERNS = (_DRAWN_LANE,)  # compiled ahead while dot works (picture.py)


def drawn_lanes(svg: bytes) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The lanes of dot's SVG, in the drawing's order: each lane's id and its box (x0, y0, x1, y1,
    layout points, y upwards) where its polygon is."""
    import re

    lanes = []
    # The lanes' groups are found by their class first: a search for the pattern itself would try
    # it at each of the thousands of groups a large chart draws (2.2 ms at 2,000 stages, this 0.5).
    at = svg.find(_LANE_CLASS)
    while at >= 0:
        match = re.compile(_DRAWN_LANE).match(svg, max(svg.rfind(b"<g id=", 0, at), 0))  # (`re` caches it)
        at = svg.find(_LANE_CLASS, at + 1)
        if match is None:
            continue
        identifier, points = match.groups()
        corners = [pair.split(b",") for pair in points.split()]
        xs = [float(x) for x, _y in corners]
        ys = [-float(y) for _x, y in corners]  # layout points, y upwards
        lanes.append((identifier.replace(b"&#45;", b"-").decode("utf-8"), (min(xs), min(ys), max(xs), max(ys))))
    return lanes


def plan_drawn(svg: bytes) -> list[Stretch]:
    """`plan` of a drawing whose layout was not read: the lanes of dot's SVG of it (`drawn_lanes`).
    The SVG does not say which way the flow runs; the lanes' stacking does (rows stacked down the
    page, else columns side by side), and lanes that do not overlap either way are left as they
    are. A stretch planned here has no `title` (its `lp` is not in the SVG): it is for drawing
    into that SVG (svg_redraw.stretched_lanes), which moves the title by (dx, dy)."""
    lanes = [(lane, box, None) for lane, box in drawn_lanes(svg)]
    boxes = [box for _lane, box, _title in lanes]
    as_rows, as_columns = stacked(boxes, 1), stacked(boxes, 0)
    if as_rows == as_columns:
        return []  # stacked neither way (no bands), or both (which way the flow runs is not known)
    return _stretches(lanes, rows=as_rows)


def _stretches(lanes: list[tuple[str, tuple[float, float, float, float], Optional[tuple[float, ...]]]], rows: bool) -> list[Stretch]:
    """The stretches of `lanes` (id, box, title `lp`), stacked as rows down the page (`rows`,
    the flow across it) or as columns side by side."""
    if len(lanes) < 2:
        return []
    along = (0, 2) if rows else (1, 3)  # the box's start and end along the flow
    if not stacked([box for _lane, box, _title in lanes], 1 if rows else 0):
        return []  # lanes side by side along the flow too: stretched, they would overlap
    start = min(box[along[0]] for _lane, box, _title in lanes)
    end = max(box[along[1]] for _lane, box, _title in lanes)
    stretches = []
    for lane, box, title in lanes:
        if box[along[0]] <= start + IN_LINE and box[along[1]] >= end - IN_LINE:
            continue
        new = list(box)
        new[along[0]], new[along[1]] = start, end
        # The title sits in the lane's corner at its start: left (a row), or top (a column,
        # whose top is its end in layout coordinates, y upwards).
        dx, dy = (start - box[0], 0.0) if rows else (0.0, end - box[3])
        moved = (title[0] + dx, title[1] + dy) if title is not None else None
        stretches.append(Stretch(lane, box, (new[0], new[1], new[2], new[3]), dx, dy, moved))
    return stretches


def changes(stretches: Sequence[Stretch]) -> dict[tuple[str, str], dict[str, str]]:
    """The stretched lanes' `bb` and `lp`, as dot_attributes.with_attributes takes changes for
    dot's `-Tdot` text (drawn by `neato -n2`, which draws a cluster where its `bb` says)."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for stretch in stretches:
        wanted = {"bb": ",".join(_number(value) for value in stretch.new)}
        if stretch.title is not None:
            wanted["lp"] = ",".join(_number(value) for value in stretch.title)
        out[("id", stretch.lane)] = wanted
    return out


def _number(value: float) -> str:
    """A coordinate as Graphviz writes one in its `-Tdot` text: at most two decimals."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
