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
    from typing import Sequence

IN_LINE = 0.5  # points: lanes whose ends differ by no more are in line already (dot rounds to hundredths)


class Stretch:
    """A lane's new box: the cluster's `id`, its box before and after (x0, y0, x1, y1, layout
    points, y upwards), and how far its title moves with its corner (dx, dy)."""

    __slots__ = ("lane", "old", "new", "dx", "dy")

    def __init__(
        self, lane: str, old: tuple[float, float, float, float], new: tuple[float, float, float, float], dx: float, dy: float,
    ) -> None:
        self.lane, self.old, self.new, self.dx, self.dy = lane, old, new, dx, dy


def plan(layout: dict) -> list[Stretch]:
    """The lanes of `layout` (dot's `-Tjson0`) to stretch, in the drawing's order; none when the
    lanes are in line already, or are not stacked one band each."""
    count = int(layout.get("_subgraph_cnt", 0))
    lanes = []
    for obj in layout.get("objects", [])[:count]:
        if "sf-lane" in str(obj.get("class", "")).split() and obj.get("bb") and obj.get("id"):
            x0, y0, x1, y1 = (float(part) for part in str(obj["bb"]).split(","))
            lanes.append((str(obj["id"]), (x0, y0, x1, y1)))
    if len(lanes) < 2:
        return []
    # Ranks are the lanes: rows when they run down the page (the flow runs across it), else columns.
    rows = str(layout.get("rankdir", "TB")) in ("TB", "BT")
    along = (0, 2) if rows else (1, 3)  # the box's start and end along the flow
    across = (1, 3) if rows else (0, 2)
    spans = sorted((box[across[0]], box[across[1]]) for _lane, box in lanes)
    if any(later[0] < earlier[1] - IN_LINE for earlier, later in zip(spans, spans[1:])):
        return []  # lanes side by side along the flow too: stretched, they would overlap
    start = min(box[along[0]] for _lane, box in lanes)
    end = max(box[along[1]] for _lane, box in lanes)
    stretches = []
    for lane, box in lanes:
        if box[along[0]] <= start + IN_LINE and box[along[1]] >= end - IN_LINE:
            continue
        new = list(box)
        new[along[0]], new[along[1]] = start, end
        # The title sits in the lane's corner at its start: left (a row), or top (a column,
        # whose top is its end in layout coordinates, y upwards).
        dx, dy = (start - box[0], 0.0) if rows else (0.0, end - box[3])
        stretches.append(Stretch(lane, box, (new[0], new[1], new[2], new[3]), dx, dy))
    return stretches


def changes(stretches: Sequence[Stretch], layout: dict) -> dict[tuple[str, str], dict[str, str]]:
    """The stretched lanes' `bb` and `lp`, as dot_attributes.with_attributes takes changes for
    dot's `-Tdot` text (drawn by `neato -n2`, which draws a cluster where its `bb` says)."""
    titles = {
        str(obj.get("id")): str(obj["lp"])
        for obj in layout.get("objects", [])[: int(layout.get("_subgraph_cnt", 0))] if obj.get("lp")
    }
    out: dict[tuple[str, str], dict[str, str]] = {}
    for stretch in stretches:
        wanted = {"bb": ",".join(_number(value) for value in stretch.new)}
        if stretch.lane in titles:
            x, y = (float(part) for part in titles[stretch.lane].split(","))
            wanted["lp"] = f"{_number(x + stretch.dx)},{_number(y + stretch.dy)}"
        out[("id", stretch.lane)] = wanted
    return out


def _number(value: float) -> str:
    """A coordinate as Graphviz writes one in its `-Tdot` text: at most two decimals."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
