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
    if len(lanes) < 2:
        return []
    # Ranks are the lanes: rows when they run down the page (the flow runs across it), else columns.
    rows = str(layout.get("rankdir", "TB")) in ("TB", "BT")
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
