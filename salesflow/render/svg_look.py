"""A quick look over the SVG `dot` drew, for what the repairs mend (reroute.py, relabel.py).

Checking a drawing the way the repairs plan it needs `dot`'s layout as JSON: `dot` writing
`-Tjson0` beside its SVG costs 83 M instructions on the bench's 200-stage chart (its SVG alone
290 M), and reading it here builds every stage, link and lane. A large chart is instead looked
over in the SVG `dot` draws anyway, for the three things the repairs mend:

- a link whose curve may be a detour: the lines through its control points (never shorter
  than the curve) more than three times the distance between its stages' centres and more
  than 400 pt longer (reroute.py's measure, with a few points to spare for the SVG's rounding);
- a link's own label (its text in the link's group) that may lie over a stage, a lane's title,
  the chart's title or another link's label: the text's box, its width guessed as relabel.py
  guesses it and widened by `LABEL_SLACK`, meeting one of theirs.

- lanes that do not start and end in one line along the flow (lane_ends.py): the boxes of the
  groups of class `sf-lane`, stacked one band each, their ends more than `lane_ends.IN_LINE` apart.

Any is only a maybe: the layout `dot` gave after the SVG, in the same run, is then read
and planned as a small chart's is, and a drawing the plan finds nothing to mend in is still `dot`'s own. A drawing
with none is `dot`'s own at once.

Measured against the full check on 900 drawings of tests/generated_charts.py (charts 100-399,
own direction, flipped and highlighted; four need a repair): the look finds all four, and takes
120 of the other 896 for a maybe (21 with no slack round a label, but a label set a point off a
stage would then be missed where relabel.py's guess, centred on the label, reaches it).
What the look costs, in callgrind instructions of Python, both checks run in full: the bench's
200-stage chart 53 M, 1,000 stages 213 M (dot's JSON and reading it as the repairs do: 83 M in
dot and 222 M here at 200 stages, 3,800 M here at 1,000, nearly all of it relabel.py's check
of every label against every stage).
"""

from __future__ import annotations

import math

from .laid_out_labels import guessed_width
from .reroute import grid_squares  # loaded with the look all the same (picture._ready_to_look)

# reroute.py's measure of a detour, with room for the SVG's coordinates, rounded to 0.01 pt.
DETOUR_RATIO = 3.0 * 0.98
DETOUR_POINTS = 400.0 - 4.0
LABEL_SLACK = 1.0  # points round a label's guessed box: relabel.py's guess is centred on `lp`, not on the text

# An edge's group as Graphviz writes it: its id, its title (`tail->head`, each end perhaps with
# the side it is drawn to) and its curve (inside a link element when the link has a tooltip).
_EDGE = rb'<g id="([^"]*)" class="edge">\n<title>([^<]*)</title>\n(?:<g id="a_[^"]*"><a [^>]*>\n)?<path [^>]*? d="M([^"]*)"'
# A node's group: its name and its first shape (a plain-text node has none, and is passed over).
_NODE = (
    rb'class="node[^"]*">\n<title>([^<]*)</title>\n(?:<g id="a_[^"]*"><a [^>]*>\n)?'
    rb'<(?:polygon [^>]*? points="([^"]*)"|ellipse [^>]*? cx="([^"]*)" cy="([^"]*)" rx="([^"]*)" ry="([^"]*)"|path [^>]*? d="M([^"]*)")'
)
_TEXT = rb'<text text-anchor="(\w+)" x="([^"]*)" y="([^"]*)"[^>]*? font-size="([^"]*)"[^>]*>([^<]*)</text>'
# A lane's title: the first text of its group.
_CLUSTER_TITLE = rb'class="cluster[^"]*">\n<title>[^<]*</title>\n(?:<polygon [^>]*/>\n)*' + _TEXT
# The chart's title: the texts of the graph's own group, before any lane, stage or link.
_GRAPH_TITLE = rb'class="graph"[^>]*>\n<title>[^<]*</title>\n(?:<polygon [^>]*/>\n)*((?:<text [^>]*>[^<]*</text>\n)+)'
PATTERNS = (_EDGE, _NODE, _TEXT, _CLUSTER_TITLE, _GRAPH_TITLE)  # compiled ahead while dot works (picture.py)
_COMPASS = frozenset((b"n", b"ne", b"e", b"se", b"s", b"sw", b"w", b"nw", b"c", b"_"))


def needs_a_look(svg: bytes) -> bool:
    """Whether the drawing may hold a link drawn the long way round or a label set over a stage
    or another label, by its SVG as `dot` writes it."""
    import re

    boxes = _boxes(re.findall(_NODE, svg))
    return _maybe_detour(svg, boxes) or _maybe_covered(svg, boxes) or _lanes_out_of_line(svg)


def _lanes_out_of_line(svg: bytes) -> bool:
    """Whether the lanes' boxes, stacked one band each (rows, or columns), start or end apart
    along the flow (see lane_ends.plan, which finds them in the layout)."""
    from .lane_ends import IN_LINE, drawn_lanes, stacked

    boxes = [box for _lane, box in drawn_lanes(svg)]
    if len(boxes) < 2:
        return False
    for across, along in ((1, 0), (0, 1)):  # rows stacked down the page, then columns side by side
        if stacked(boxes, across):
            return any(max(box[side] for box in boxes) - min(box[side] for box in boxes) > IN_LINE for side in (along, along + 2))
    return False


def _maybe_detour(svg: bytes, boxes: dict[bytes, tuple[float, float, float, float]]) -> bool:
    import re
    from itertools import accumulate

    edges = re.findall(_EDGE, svg)
    curves = [curve for _identifier, _title, curve in edges]
    # Every curve's points read at once, and the lines between them measured at once: a chart of
    # 2,000 stages has some 25,000 points.
    numbers = list(map(float, b" ".join(curves).replace(b"C", b" ").replace(b",", b" ").split()))
    points = list(zip(numbers[0::2], numbers[1::2]))
    walked = list(accumulate(map(math.dist, points, points[1:]), initial=0.0))
    bounds: dict[str, float] = {}
    ends: dict[str, list[bytes]] = {}
    first = 0
    for (identifier, title, curve) in edges:
        last = first + curve.count(b",") - 1
        key = _key(identifier)
        bounds[key] = bounds.get(key, 0.0) + walked[last] - walked[first]
        ends.setdefault(key, []).extend(title.split(b"&#45;&gt;", 1))
        first = last + 1
    long = [key for key, bound in bounds.items() if bound > DETOUR_POINTS]
    if not long:
        return False
    for key in long:
        names = [_node_name(end) for end in ends[key]]
        stages = [name for name in names if names.count(name) == 1]
        if len(stages) != 2 or any(name not in boxes for name in stages):
            continue  # reroute.py leaves such a link as it is
        (a0, b0, a1, b1), (c0, d0, c1, d1) = (boxes[name] for name in stages)
        distance = math.dist(((a0 + a1) / 2, (b0 + b1) / 2), ((c0 + c1) / 2, (d0 + d1) / 2))
        if bounds[key] > DETOUR_RATIO * distance and bounds[key] - distance > DETOUR_POINTS:
            return True
    return False


def _key(identifier: bytes) -> str:
    """The link's key of an edge's `id` (as reroute.Layout keys its parts)."""
    key = identifier.decode("utf-8").replace("&#45;", "-")
    for marker in ("-start", "-via-"):
        if marker in key:
            key = key[: key.rindex(marker)]
    return key


def _node_name(end: bytes) -> bytes:
    """A link's end in an edge's title, without the side of the node it is drawn to (`n74:s`)."""
    name, _colon, side = end.rpartition(b":")
    return name if name and side in _COMPASS else end


def _boxes(nodes: list) -> dict[bytes, tuple[float, float, float, float]]:
    """Each node's box by its name as the SVG writes it: nodes drawn with a shape, but not the
    dots a link turns at."""
    from itertools import accumulate

    out = {}
    outlines = [(name, points or path) for name, points, cx, _cy, _rx, _ry, path in nodes if not cx]
    # The outlines' points read at once, as the curves' are.
    numbers = list(map(float, b" ".join(outline for _name, outline in outlines).replace(b"C", b" ").replace(b",", b" ").split()))
    xs, ys = numbers[0::2], numbers[1::2]
    starts = list(accumulate((outline.count(b",") for _name, outline in outlines), initial=0))
    for (name, _outline), start, end in zip(outlines, starts, starts[1:]):
        out[name] = (min(xs[start:end]), min(ys[start:end]), max(xs[start:end]), max(ys[start:end]))
    for name, _points, cx, cy, rx, ry, _path in nodes:
        if cx:
            x, y, half_w, half_h = float(cx), float(cy), float(rx), float(ry)
            out[name] = (x - half_w, y - half_h, x + half_w, y + half_h)
    return {name: box for name, box in out.items() if box[2] - box[0] > 3 and box[3] - box[1] > 3}


def _maybe_covered(svg: bytes, boxes: dict[bytes, tuple[float, float, float, float]]) -> bool:
    import re

    text = re.compile(_TEXT)
    labels: list[tuple[float, float, float, float]] = []
    at = svg.find(b'class="edge">')
    while at >= 0:
        end = svg.find(b"<!--", at)
        end = len(svg) if end < 0 else end
        group = svg[at:end]
        if b"<text" in group:
            labels.append(_texts_box(text.findall(group)))
        at = svg.find(b'class="edge">', end)
    others = [_text_box(*found) for found in re.findall(_CLUSTER_TITLE, svg)]
    title = re.search(_GRAPH_TITLE, svg)
    if title is not None:
        others.append(_texts_box(text.findall(title.group(1))))
    if not labels:
        return False
    index: dict[tuple[int, int], list] = {}
    for box in [*boxes.values(), *others]:
        for square in grid_squares(*box):
            index.setdefault(square, []).append(box)
    grown = [(x0 - LABEL_SLACK, y0 - LABEL_SLACK, x1 + LABEL_SLACK, y1 + LABEL_SLACK) for x0, y0, x1, y1 in labels]
    for label in grown:
        near = {id(box): box for square in grid_squares(*label) for box in index.get(square, ())}
        if any(_meet(label, box) for box in near.values()):
            return True
        for square in grid_squares(*label):
            index.setdefault(square, []).append(label)
    return False


def _texts_box(found: list) -> tuple[float, float, float, float]:
    """One box round the texts of a label of several lines (or a table), or of the chart's title."""
    lines = [_text_box(*one) for one in found]
    return min(b[0] for b in lines), min(b[1] for b in lines), max(b[2] for b in lines), max(b[3] for b in lines)


def _text_box(anchor: bytes, x: bytes, y: bytes, size: bytes, words: bytes) -> tuple[float, float, float, float]:
    """A text's box, its width guessed as reroute.py guesses a label's."""
    import html

    x, y, size = float(x), float(y), float(size)  # type: ignore[assignment]
    width = guessed_width(html.unescape(words.decode("utf-8")), size) + 4
    x0 = x if anchor == b"start" else x - width if anchor == b"end" else x - width / 2
    return x0, y - size, x0 + width, y + size * 0.3


def _meet(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
