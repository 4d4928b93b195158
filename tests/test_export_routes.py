"""`render -f bpmn` and `render -f drawio`: every connector follows the line the picture draws, so it
never runs through a stage that is not one of its ends, and it runs from its source to its target.

Read from the exported XML as a modelling tool reads it: BPMN DI waypoints; draw.io's edge points,
with the ends draw.io adds on the borders of the source and target cells. Over the samples, the
layout corpus (tests/layout_corpus.py) and the charts the router redraws (tests/cases/reroute/),
BPMN drawn in the chart's own direction and flipped, draw.io likewise.

Run as a script to print how many chart-variants have a connector through a stage or the wrong
way round (`-v`: which connectors); `--generated COUNT [SEED]`: over generated charts
(tests/generated_charts.py, its own seed unless SEED is given) instead:

    python tests/test_export_routes.py [-v] [--generated COUNT [SEED]]
"""

from __future__ import annotations

import dataclasses
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple, Optional

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from layout_corpus import Chart, charts as corpus_charts  # noqa: E402

REROUTED = HERE / "cases" / "reroute"
FLIPPED = {"LR": "TB", "RL": "BT", "TB": "LR", "BT": "RL"}
TOUCH = 1.5  # px a stage's box is shrunk by: a connector may graze a border, not cross into it
ON_BORDER = 2.0  # px from its stage's border a BPMN route may start or end

B = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
BPMNDI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
DC = "{http://www.omg.org/spec/DD/20100524/DC}"
DI = "{http://www.omg.org/spec/DD/20100524/DI}"

Point = tuple[float, float]


class Rect(NamedTuple):
    left: float
    top: float
    right: float
    bottom: float

    def shrunk(self, by: float) -> "Rect":
        return Rect(self.left + by, self.top + by, self.right - by, self.bottom - by)

    @property
    def centre(self) -> Point:
        return ((self.left + self.right) / 2, (self.top + self.bottom) / 2)


class Connector(NamedTuple):
    id: str
    source: str
    target: str
    points: list[Point]  # as the tool draws it, from where it leaves the source to where it meets the target


def all_charts() -> list[Chart]:
    found = list(corpus_charts())
    for path in sorted(REROUTED.glob("*.flow")):
        found.append(Chart("reroute-" + path.stem, str(path), path.read_text(encoding="utf-8")))
    return found


VARIANTS = (("bpmn", "own"), ("bpmn", "flipped"), ("drawio", "own"), ("drawio", "flipped"))


def export(chart: Chart, kind: str, way: str) -> str:
    from salesflow.parse import parse_text

    process = parse_text(chart.text, chart.path)
    if way == "flipped":
        process = dataclasses.replace(process, direction=FLIPPED.get(process.direction, "LR"))
    if kind == "bpmn":
        from salesflow.interop.bpmn_out import to_bpmn

        return to_bpmn(process)
    from salesflow.interop.drawio_out import to_drawio

    return to_drawio(process)


# --- reading the exports ---------------------------------------------------------------------


def bpmn_connectors(text: str) -> tuple[dict[str, Rect], list[Connector]]:
    root = ET.fromstring(text.encode("utf-8"))
    flow_nodes = set()
    flows = {}
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag.endswith(("Task", "Event", "Gateway")) and element.get("id"):
            flow_nodes.add(element.get("id"))
        elif tag == "sequenceFlow":
            flows[element.get("id")] = (element.get("sourceRef"), element.get("targetRef"))
    boxes = {}
    for shape in root.iter(f"{BPMNDI}BPMNShape"):
        if shape.get("bpmnElement") in flow_nodes:
            bounds = shape.find(f"{DC}Bounds")
            x, y, w, h = (float(bounds.get(k)) for k in ("x", "y", "width", "height"))
            boxes[shape.get("bpmnElement")] = Rect(x, y, x + w, y + h)
    connectors = []
    for edge in root.iter(f"{BPMNDI}BPMNEdge"):
        if edge.get("bpmnElement") in flows:
            source, target = flows[edge.get("bpmnElement")]
            points = [(float(p.get("x")), float(p.get("y"))) for p in edge.findall(f"{DI}waypoint")]
            connectors.append(Connector(edge.get("bpmnElement"), source, target, points))
    return boxes, connectors


def drawio_connectors(text: str) -> tuple[dict[str, Rect], list[Connector]]:
    root = ET.fromstring(text.encode("utf-8"))
    cells = {}
    for holder in root.iter():
        if holder.tag == "object":  # a cell with data: the id is the wrapper's
            cells[holder.get("id")] = holder.find("mxCell")
        elif holder.tag == "mxCell" and holder.get("id"):
            cells[holder.get("id")] = holder

    def origin(cell_id: Optional[str]) -> Point:  # where a container's children are measured from
        cell = cells.get(cell_id) if cell_id else None
        geometry = cell.find("mxGeometry") if cell is not None else None
        if geometry is None or cell.get("vertex") != "1":
            return (0.0, 0.0)
        x, y = origin(cell.get("parent"))
        return (x + float(geometry.get("x", 0)), y + float(geometry.get("y", 0)))

    boxes = {}
    connectors = []
    for cell_id, cell in cells.items():
        geometry = cell.find("mxGeometry")
        if cell.get("vertex") == "1" and cell_id.startswith("node:"):
            x, y = origin(cell_id)
            boxes[cell_id] = Rect(x, y, x + float(geometry.get("width")), y + float(geometry.get("height")))
    for cell_id, cell in cells.items():
        if cell.get("edge") != "1":
            continue
        source, target = cell.get("source"), cell.get("target")
        geometry = cell.find("mxGeometry")
        x0, y0 = origin(cell.get("parent"))
        middle = [(x0 + float(p.get("x")), y0 + float(p.get("y"))) for p in geometry.iter("mxPoint") if p.get("as") is None]
        style = dict(pair.partition("=")[::2] for pair in cell.get("style", "").split(";") if pair)
        # draw.io starts and ends the line where the style fixes it (`exitX`, `entryY`: fractions of
        # the cell's size), else on the cell's border towards the neighbouring point.
        start = _fixed(boxes[source], style, "exit") or _border(boxes[source], middle[0] if middle else boxes[target].centre)
        end = _fixed(boxes[target], style, "entry") or _border(boxes[target], middle[-1] if middle else boxes[source].centre)
        connectors.append(Connector(cell_id, source, target, [start, *middle, end]))
    return boxes, connectors


def _fixed(box: Rect, style: dict[str, str], end: str) -> Optional[Point]:
    if f"{end}X" not in style or f"{end}Y" not in style:
        return None
    x, y = float(style[f"{end}X"]), float(style[f"{end}Y"])
    return (box.left + x * (box.right - box.left), box.top + y * (box.bottom - box.top))


def _border(box: Rect, towards: Point) -> Point:
    cx, cy = box.centre
    dx, dy = towards[0] - cx, towards[1] - cy
    if dx == 0 and dy == 0:
        return (cx, cy)
    scale = min((box.right - cx) / abs(dx) if dx else float("inf"), (box.bottom - cy) / abs(dy) if dy else float("inf"), 1.0)
    return (cx + dx * scale, cy + dy * scale)


# --- the checks ------------------------------------------------------------------------------


def crosses(a: Point, b: Point, box: Rect) -> bool:
    """Whether the segment a–b passes through the inside of `box` (Liang–Barsky clipping)."""
    if box.left >= box.right or box.top >= box.bottom:
        return False
    low, high = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - box.left), (dx, box.right - a[0]), (-dy, a[1] - box.top), (dy, box.bottom - a[1])):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low >= high:
            return False
    return True


def _to_box(p: Point, box: Rect) -> float:
    dx = max(box.left - p[0], 0.0, p[0] - box.right)
    dy = max(box.top - p[1], 0.0, p[1] - box.bottom)
    return (dx * dx + dy * dy) ** 0.5


def _to_border(p: Point, box: Rect) -> float:
    outside = _to_box(p, box)
    if outside > 0:
        return outside
    return min(p[0] - box.left, box.right - p[0], p[1] - box.top, box.bottom - p[1])


def faults(boxes: dict[str, Rect], connectors: list[Connector], ends_on_borders: bool) -> list[str]:
    """What is wrong with the connectors: each one through a stage not its end, each one that
    does not run from its source to its target. `ends_on_borders`: the file gives the ends (BPMN)."""
    found = [] if connectors else ["no connectors read"]
    for connector in connectors:
        points, source, target = connector.points, boxes[connector.source], boxes[connector.target]
        if len(points) < 2:
            found.append(f"{connector.id}: {len(points)} waypoints")
            continue
        for stage, box in boxes.items():
            if stage in (connector.source, connector.target):
                continue
            inner = box.shrunk(TOUCH)
            if any(crosses(a, b, inner) for a, b in zip(points, points[1:])):
                found.append(f"{connector.id} ({connector.source} → {connector.target}) runs through {stage}")
        if ends_on_borders and (_to_border(points[0], source) > ON_BORDER or _to_border(points[-1], target) > ON_BORDER):
            found.append(f"{connector.id} ({connector.source} → {connector.target}) does not start at its source and end at its target")
        elif connector.source != connector.target and len(points) > 2:
            # A line given target first still has its ends put on the right stages (by the writer,
            # or by draw.io): its first bend then lies by the target and its last by the source.
            first, last = points[1], points[-2]
            if _to_box(first, target) < _to_box(first, source) and _to_box(last, source) < _to_box(last, target):
                found.append(f"{connector.id} ({connector.source} → {connector.target}) runs from its target to its source")
    return found


def check(chart: Chart, kind: str, way: str) -> list[str]:
    text = export(chart, kind, way)
    if kind == "bpmn":
        return faults(*bpmn_connectors(text), ends_on_borders=True)
    return faults(*drawio_connectors(text), ends_on_borders=True)


# --- the tests ---------------------------------------------------------------------------------

CHARTS = all_charts()


@pytest.mark.graphviz
@pytest.mark.parametrize("kind,way", VARIANTS)
@pytest.mark.parametrize("chart", CHARTS, ids=[c.name for c in CHARTS])
def test_every_connector_runs_from_its_source_to_its_target_round_the_other_stages(dot, chart, kind, way) -> None:
    assert check(chart, kind, way) == []


def test_the_check_sees_a_line_through_a_stage_and_one_drawn_backwards() -> None:
    boxes = {"A": Rect(0, 0, 100, 50), "B": Rect(300, 0, 400, 50), "C": Rect(150, 0, 250, 50)}
    straight = Connector("f", "A", "B", [(100, 25), (300, 25)])
    assert faults(boxes, [straight], ends_on_borders=True) == ["f (A → B) runs through C"]
    over = Connector("g", "A", "B", [(100, 25), (125, -20), (275, -20), (300, 25)])
    assert faults(boxes, [over], ends_on_borders=True) == []
    grazing = Connector("h", "A", "B", [(100, 25), (125, -1), (275, -1), (300, 25)])  # along C's top border
    assert faults(boxes, [grazing], ends_on_borders=True) == []
    backwards = Connector("k", "A", "B", [(100, 25), (275, -80), (125, -80), (300, 25)])
    assert faults(boxes, [backwards], ends_on_borders=True) == ["k (A → B) runs from its target to its source"]
    assert faults(boxes, [backwards], ends_on_borders=False) == ["k (A → B) runs from its target to its source"]
    reversed_ends = Connector("m", "A", "B", [(300, 25), (200, -80), (100, 25)])
    assert faults(boxes, [reversed_ends], ends_on_borders=True) == [
        "m (A → B) does not start at its source and end at its target"
    ]
    # A long straight first stretch that passes nearer the target is no turn.
    long_first = Connector("n", "A", "B", [(100, 25), (280, -100), (420, -100), (400, 25)])
    assert faults(boxes, [long_first], ends_on_borders=True) == []


# Links the picture draws anew (render/reroute.py), their labels moved with them (relabel.py).
REDRAWN = [("handover-right-to-left", None, 25), ("waypoints-and-a-label-round-the-lanes", None, 35),
           ("labelled-link-round-a-stage", "TB", 11)]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.graphviz
@pytest.mark.parametrize("name, direction, index", REDRAWN, ids=[case[0] for case in REDRAWN])
def test_a_link_the_picture_draws_anew_is_exported_as_the_picture_draws_it(dot, name, direction, index) -> None:
    """The export's line is the SVG's, not dot's first one: every point of the picture's curve lies
    on the draw.io connector and every bend of the connector on the curve; the label is set where
    the picture sets it."""
    import re

    from salesflow.interop.drawio_out import to_drawio
    from salesflow.interop.layout import lay_out
    from salesflow.parse import parse_file
    from salesflow.render import picture

    process = parse_file(str(REROUTED / f"{name}.flow"))
    if direction:
        process = dataclasses.replace(process, direction=direction)
    svg = ET.fromstring(picture.render(process, output="svg", encoded=True))
    graph = svg.find(f"{SVG}g")
    pad, top = (float(v) for v in re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", graph.get("transform")).groups())

    def px(x: float, y: float) -> Point:  # SVG points (y up, drawn negative) → the exports' pixels
        return (x * 96 / 72, (top - pad + y) * 96 / 72)

    curve: list[Point] = []
    label = None
    for group in graph.iter(f"{SVG}g"):
        if re.fullmatch(rf"sf-edge-{index}(-start|-via-\d+)?", group.get("id", "")):
            numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", group.find(f"{SVG}path").get("d"))]
            controls = [px(x, y) for x, y in zip(numbers[::2], numbers[1::2])]
            for i in range(0, len(controls) - 3, 3):
                curve += [_cubic(controls[i : i + 4], step / 40) for step in range(41)]
        elif group.get("id") == f"sf-edge-{index}-label":
            corners = [px(*map(float, pair.split(","))) for pair in group.find(f"{SVG}polygon").get("points").split()]
            label = (sum(x for x, _ in corners[:4]) / 4, sum(y for _, y in corners[:4]) / 4)
    assert curve and label is not None

    boxes, connectors = drawio_connectors(to_drawio(process))
    connector = next(c for c in connectors if c.id == f"edge:{index}")
    line = connector.points
    # Inside its stages' boxes the picture's line runs on to the shape; the export stops at the box.
    outside = [p for p in curve if all(_to_box(p, boxes[end]) > 0 for end in (connector.source, connector.target))]
    assert len(outside) > len(curve) / 2
    assert max(min(_segment_distance(p, a, b) for a, b in zip(line, line[1:])) for p in outside) <= 2.0
    assert max(min(_segment_distance(p, a, b) for a, b in zip(curve, curve[1:])) for p in line[1:-1]) <= 2.0

    # Where both exports set the link's label (BPMN's label bounds are centred on it).
    centre = lay_out(process).labels[index]
    assert abs(centre[0] - label[0]) <= 1.0 and abs(centre[1] - label[1]) <= 1.0


def _cubic(p: list[Point], t: float) -> Point:
    u = 1 - t
    return tuple(u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d for a, b, c, d in zip(*p))  # type: ignore[return-value]


def test_a_curve_is_followed_within_a_point_by_few_straight_pieces() -> None:
    from salesflow.interop.layout import FLATNESS, _spline

    def on_curve(t: float) -> Point:  # the arch 0,0 0,100 100,100 100,0
        return (3 * (1 - t) * t * t * 100 + t**3 * 100, 3 * (1 - t) ** 2 * t * 100 + 3 * (1 - t) * t * t * 100)

    # Its start, middle and end alone, joined straight, would stray 18 points from it.
    line = _spline("0,0 0,100 100,100 100,0")
    assert line[0] == (0, 0) and line[-1] == (100, 0) and 8 <= len(line) <= 40
    for step in range(201):
        p = on_curve(step / 200)
        assert min(_segment_distance(p, a, b) for a, b in zip(line, line[1:])) <= FLATNESS
    # A straight segment, and an arrow's tip after it, are one piece.
    assert _spline("e,40,0 0,0 10,0 20,0 30,0") == [(0, 0), (30, 0), (40, 0)]


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length))
    return ((p[0] - a[0] - t * dx) ** 2 + (p[1] - a[1] - t * dy) ** 2) ** 0.5


def test_a_straight_run_keeps_only_its_ends_and_bends() -> None:
    from salesflow.interop.layout import _straightened

    assert _straightened([(0, 0), (10, 0.1), (20, 0), (30, 0), (30, 10), (30, 20)]) == [(0, 0), (30, 0), (30, 20)]
    # Points that each lie near the line to the next, on a slow bend, are not all dropped.
    arc = [(x, (x / 10) ** 2 * 0.2) for x in range(0, 101, 10)]
    kept = _straightened(arc)
    assert kept[0] == arc[0] and kept[-1] == arc[-1] and len(kept) > 3


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    chosen = all_charts()
    if "--generated" in argv:
        import generated_charts

        numbers = [int(a) for a in argv[argv.index("--generated") + 1 :] if a.isdigit()]
        seed = numbers[1] if len(numbers) > 1 else generated_charts.SEED
        chosen = [Chart(g.name, g.name + ".flow", g.text) for g in generated_charts.charts(numbers[0], seed)]
    jobs = [(chart, kind, way) for chart in chosen for kind, way in VARIANTS]
    failing = through = backwards = 0
    with ThreadPoolExecutor(2) as pool:
        for (chart, kind, way), found in zip(jobs, pool.map(lambda job: check(*job), jobs)):
            through += sum(" runs through " in line for line in found)
            backwards += sum(" runs through " not in line for line in found)
            if found:
                failing += 1
                print(f"{chart.name} [{kind}, {way}]: {len(found)}")
                if verbose:
                    for line in found:
                        print("    " + line)
    print(f"{failing} of {len(jobs)} chart-variants have a connector through a stage or the wrong way round")
    print(f"  {through} times a connector through a stage, {backwards} connectors the wrong way round or off their ends")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
