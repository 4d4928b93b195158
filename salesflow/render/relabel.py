"""Link labels `dot` sets over a stage or over another label, found after its layout and moved
beside their own link.

`dot` places a link's label as it ranks the chart; on a few drawings in a thousand the label
then sits over a stage, or over another link's label or a lane's title (the measures
`label_on_node`, `label_overlap` and `tag_over_label` of tests/geometry.py). This module takes
the layout as drawn (after reroute.py's new routes), finds such labels, and sets each at the
nearest spot beside its own link that is free of stages, labels, tags and other links: the
label's centre is moved, nothing else, and the drawing is made as reroute.py's is (in an SVG,
its text shifted in place by svg_redraw.py).

Only a link's own label (its `lp`) is moved: a label drawn as a node of its own is placed by
`dot` as a node, and `dot` never sets one node over another.

A label its own link runs through (the measure `link_through_own_label`: dot sets a short `no`
beside a curve that then bends through it) is moved the same way.

A drawing without such a label is not touched; a label with no free spot beside its link is left
where `dot` set it. A label held off its line by an empty cell (dot_labels.py) is measured, and
moved, by where its text is, half the cell away from its `lp`.

A label's box is worked out from its text (`-Tjson0` does not measure edge labels, see
laid_out_labels.guessed_width): each line as wide as Graphviz draws it, with room kept round
it, so that a moved label clears what it is moved off; a label that only just touches a stage
within that room may be moved though the drawing did not need it.

What it costs, on top of reroute.py's reading of the layout: 0.6 ms on the ten-stage sample and
2.1 ms on the bench's 50-stage chart (`time.process_time`, median of 15) when nothing is moved;
measuring each label as drawn and looking for its own link in it added about 0.5 and 0.8 ms
(the fastest of 40 runs, on a busy machine: 0.5 → 1.0 ms and 1.9 → 2.6 ms);
a drawing with a label moved pays a second `dot` run for the `-Tdot` text and `neato -n2`, as a
rerouted one does.
"""

from __future__ import annotations

import math

from . import reroute
from .laid_out_labels import drawn_width, held_off, sized_lines

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional, Sequence

GAP = 3.0  # points between a moved label and its link's line
STEP = 6.0  # points between two spots tried along the link
ROOM = 2.0  # points kept free round a stage, a label or another link
SLACK = 1.0  # points two boxes must share before a label counts as over something (the measure's 0.5, guessed widths)
# dot sets a one-line label's baseline 2.2 points under its middle at 9 pt, 2.5 or 3 at 10 pt (its
# positions rounded to half points), so the text as drawn (tests/geometry.py: a fifth of the size
# under the baseline, four fifths over it) stands up to half a point above the middle. Seed 31337's
# generated-254 flipped and highlighted: a hand-off 1.2 pt inside the corner of its tag as drawn,
# 0.2 pt outside it as measured from the middle, was left there.
BASELINE_SLACK = 0.5


# Points further off the line tried, nearest first, for a label with no free spot a GAP away:
# beside a line that runs along a lane's border, a label clears the border only outside it
# (seed 123456's chart 169, `通过` under the stage its link points to, 14 pt inside the lane).
FURTHER = (6.0, 12.0, 18.0, 24.0, 30.0)
CROSSING_SAMPLES = 24  # points along each piece of a curve where it is looked for in its label (as tests/geometry.py)


class Move:
    """A label's new centre: the edge that carries it (its `id`) and the new `lp`."""

    __slots__ = ("edge", "key", "x", "y")

    def __init__(self, edge: str, key: str, x: float, y: float) -> None:
        self.edge, self.key, self.x, self.y = edge, key, x, y


def plan(
    layout_json: dict, routes: Sequence[reroute.Route] = (), routed: Optional[reroute.Layout] = None,
) -> list[Move]:
    """The labels to move in a laid-out graph, once `routes` (reroute.plan's) are drawn.
    `routed`: the layout read from `layout_json` with those routes already followed (as
    reroute.plan leaves it; it is changed here), so that it is not read again."""
    if routed is None:
        layout = reroute.Layout(layout_json)
        for route in routes:
            layout.follow(route)
    else:
        layout = routed
    carriers = _carriers(layout_json)
    labels = _label_texts(layout_json)
    _measure_as_drawn(layout, labels)
    for key, (_edge, dx, dy) in sorted(carriers.items()):
        if (dx or dy) and key in layout.edge_labels:  # measured where its text is
            old = layout.edge_labels[key]
            shifted = reroute._Box(old.x0 + dx, old.y0 + dy, old.x1 + dx, old.y1 + dy)
            layout.texts = [shifted if text is old else text for text in layout.texts]
            layout.edge_labels[key] = shifted
    moves = []
    # The stages' boxes, once, by the squares of a coarse grid they reach (reroute.grid_squares):
    # a label is moved, a stage never is, and a label is checked against the stages of its own
    # squares, not against every stage.
    stages = reroute.BoxIndex([(node, node.box) for node in _stages(layout)])
    for key in sorted(layout.edge_labels, key=_order):
        if key not in carriers or key not in layout.parts:
            continue
        box = layout.edge_labels[key]
        if not _covered(layout, stages, box) and not _crossed_by_own_link(layout, key, box, *labels.get(key, ("", 14.0))):
            continue
        spot = _free_spot(layout, key, box)
        for further in FURTHER if spot is None else ():
            spot = _free_spot(layout, key, box, further)
            if spot is not None:
                break
        if spot is None:
            continue
        x, y = spot
        width, height = box.x1 - box.x0, box.y1 - box.y0
        moved = reroute._Box(x - width / 2, y - height / 2, x + width / 2, y + height / 2)
        layout.texts = [moved if text is box else text for text in layout.texts]
        layout.edge_labels[key] = moved
        edge, dx, dy = carriers[key]
        moves.append(Move(edge, key, round(x - dx, 2), round(y - dy, 2)))
    return moves


def _order(key: str) -> tuple:
    """Links in the order they were written (`sf-edge-N`), others after them by name."""
    tail = key.rsplit("-", 1)[-1]
    return (0, int(tail), key) if tail.isdigit() else (1, 0, key)


def _carriers(layout_json: dict) -> dict[str, tuple[str, float, float]]:
    """The `id` of the edge that carries each link's label, by the link's key (as reroute.Layout
    keys its labels), and how far the label's text lies from its `lp` (see laid_out_labels.held_off)."""
    out: dict[str, tuple[str, float, float]] = {}
    for position, edge in enumerate(layout_json.get("edges", [])):
        if "lp" not in edge or not edge.get("label") or "invis" in str(edge.get("style", "")):
            continue
        identifier = str(edge.get("id") or position)
        whole = identifier
        for marker in ("-start", "-via-"):
            if marker in identifier:
                whole = identifier[: identifier.rindex(marker)]
        if edge.get("id"):  # an edge without one cannot be found again in the `-Tdot` text
            out[whole] = (identifier, *held_off(str(edge["label"])))
    return out


def _label_texts(layout_json: dict) -> dict[str, tuple[str, float]]:
    """Each link's label as the DOT text writes it and its font size, by the link's key (as
    _carriers keys them)."""
    out: dict[str, tuple[str, float]] = {}
    for edge in layout_json.get("edges", []):
        identifier = str(edge.get("id") or "")
        if identifier and edge.get("label") and "lp" in edge:
            for marker in ("-start", "-via-"):
                if marker in identifier:
                    identifier = identifier[: identifier.rindex(marker)]
            out[identifier] = (str(edge["label"]), float(edge.get("fontsize", 14)))
    return out


def _measure_as_drawn(layout: reroute.Layout, labels: dict[str, tuple[str, float]]) -> None:
    """Each link label's box as wide as Graphviz draws its text (laid_out_labels.drawn_width),
    with the room reroute.Layout keeps round it, about the same centre. The router keeps off the
    guessed boxes (see laid_out_labels.guessed_width); a label is moved by the box it draws: a
    9 pt highlight tag guessed at 10 pt left seed 123456's chart 169 no free spot for its `82%`."""
    measured: dict[int, reroute._Box] = {}  # by the guessed box's id
    for key, (label, size) in sorted(labels.items()):
        old = layout.edge_labels.get(key)
        if old is None:
            continue
        half = (drawn_width(label, size) + 4) / 2
        middle = (old.x0 + old.x1) / 2
        measured[id(old)] = layout.edge_labels[key] = reroute._Box(middle - half, old.y0, middle + half, old.y1)
    layout.texts = [measured.get(id(text), text) for text in layout.texts]


def _stages(layout: reroute.Layout) -> list:
    return [node for node in layout.nodes.values() if node.visible and node.width > 2 and node.height > 2]


def _covered(layout: reroute.Layout, stages: reroute.BoxIndex, box: reroute._Box) -> bool:
    """Whether the label sits over a stage or a label node (`stages`) or another text."""
    inner = box.grown(-SLACK)
    x0, y0, x1, y1 = inner.x0, inner.y0, inner.x1, inner.y1
    # A label too small to have a box left inside its slack may, as the comparisons below take
    # it, meet any stage.
    near = stages.near(x0, y0, x1, y1) if x0 < x1 and y0 < y1 else stages.boxed
    for node, node_box in near:
        if node_box.x0 < x1 and x0 < node_box.x1 and node_box.y0 < y1 and y0 < node_box.y1 and _reaches(node, inner):
            return True
    return any(text is not box and text.x0 < x1 and x0 < text.x1 and text.y0 < y1 and y0 < text.y1 for text in layout.texts)


def _crossed_by_own_link(layout: reroute.Layout, key: str, box: reroute._Box, label: str, size: float) -> bool:
    """Whether the label's own link runs through its text (the measure `link_through_own_label`
    of tests/geometry.py). The text is measured as Graphviz draws it (laid_out_labels.sized_lines),
    set where every empty cell beside it holds it, even one too narrow to be counted in `box`;
    the link must pass more than SLACK inside it, so a line that only grazes a letter does not
    move the label."""
    from ..textwidth import drawn_points

    lines = sized_lines(label, size)
    width = max(drawn_points(line, line_size) for line, line_size in lines)
    height = sum(line_size for _line, line_size in lines)
    dx, dy = (whole - counted for whole, counted in zip(held_off(label, beyond=0.0), held_off(label)))
    x, y = (box.x0 + box.x1) / 2 + dx, (box.y0 + box.y1) / 2 + dy
    # Up to BASELINE_SLACK higher where dot rounds the line's baseline down.
    text = reroute._Box(x - width / 2, y - height / 2, x + width / 2, y + height / 2 + BASELINE_SLACK).grown(-SLACK)
    # Each piece of a curve stays within its control points: only the pieces that come near
    # the text are sampled, at the measure's 24 points a piece.
    for part in layout.parts[key]:
        for start in range(0, len(part.points) - 3, 3):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = piece = part.points[start : start + 4]
            if not reroute._span(piece).meets(text):
                continue
            for step in range(1, CROSSING_SAMPLES + 1):
                t = step / CROSSING_SAMPLES
                u = 1 - t
                a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
                if text.holds(a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3):
                    return True
    return False


def _reaches(node, box: reroute._Box) -> bool:
    """Whether a box reaches into the node's drawn shape (its corners and the middles of its sides,
    or the node's centre inside it)."""
    xs = (box.x0, (box.x0 + box.x1) / 2, box.x1)
    ys = (box.y0, (box.y0 + box.y1) / 2, box.y1)
    if any(node.inside(x, y) for x in xs for y in ys):
        return True
    return box.holds(node.x, node.y)


def _free_spot(layout: reroute.Layout, key: str, box: reroute._Box, further: float = 0.0) -> Optional[tuple[float, float]]:
    """The free spot beside the link `key` nearest the label's place, `further` points off the
    line than GAP, or None."""
    width, height = box.x1 - box.x0, box.y1 - box.y0
    here = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
    own = [point for part in layout.parts[key] for point in part.sampled]
    if not own:
        return None
    # Spots beside the line: left, right, above and below each point along it, a label's half
    # width or height and a gap away.
    spots = []
    walked = -STEP
    for index, (x, y) in enumerate(own):
        if index and walked + math.dist(own[index - 1], (x, y)) < STEP and index != len(own) - 1:
            walked += math.dist(own[index - 1], (x, y))
            continue
        walked = 0.0
        off_x, off_y = width / 2 + GAP + further, height / 2 + GAP + further
        for dx, dy in ((off_x, 0.0), (-off_x, 0.0), (0.0, off_y), (0.0, -off_y)):
            spot = (round(x + dx, 2), round(y + dy, 2))
            spots.append((math.dist(spot, here), len(spots), spot))
    spots.sort()
    area = _reach(own, width, height)
    stages = [node.box.grown(ROOM) for node in reroute._near(_stages(layout), area, 0.0) if node.box.meets(area)]
    texts = [text.grown(ROOM) for text in layout.texts if text is not box and text.meets(area)]
    lines = [point for other, points in layout.lines(area) if other != key for point in points]
    lanes = [lane for lane, _ in layout.lanes if lane.meets(area)]
    bounds = layout.bb
    for _, _, (cx, cy) in spots:
        spot = reroute._Box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
        if not reroute._inside(spot, bounds):
            continue
        if any(other.meets(spot) for other in stages) or any(other.meets(spot) for other in texts):
            continue
        # Inside a lane or outside it, not across its border (a label's white ground would cut it).
        if any(lane.grown(4).meets(spot) and not reroute._inside(spot, lane.grown(-4)) for lane in lanes):
            continue
        room = spot.grown(ROOM)
        if any(room.holds(x, y) for x, y in lines):
            continue
        inner = spot.grown(-1)
        if any(inner.holds(x, y) for x, y in own):
            continue
        return cx, cy
    return None


def _reach(points, width: float, height: float) -> reroute._Box:
    return reroute._span(points).grown(max(width, height) + GAP + ROOM + 2)


def moved_dot(laid_out_dot: str, moves: Sequence[Move]) -> str:
    """`dot -Tdot` text (every position written) with the moved labels' `lp` put in."""
    from .dot_attributes import with_attributes

    return with_attributes(laid_out_dot, label_changes(moves))


def label_changes(moves: Sequence[Move]) -> dict[tuple[str, str], dict[str, str]]:
    """The moved labels' `lp`, as dot_attributes.with_attributes takes changes."""
    return {("id", move.edge): {"lp": f"{move.x:.2f},{move.y:.2f}"} for move in moves}
