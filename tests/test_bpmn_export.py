"""`render -f bpmn`: what a BPMN tool finds in the export of a lane chart, checked element by element
against the chart (samples/b2b-lanes.flow), read with the standard library's XML parser."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from conftest import SAMPLES
from salesflow.parse import parse_file

pytestmark = pytest.mark.graphviz

B = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
DI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
SF = "{urn:x-salesflow:bpmn:1}"


@pytest.fixture(scope="module")
def b2b(dot) -> tuple[str, ET.Element]:
    from salesflow.interop.bpmn_out import to_bpmn

    text = to_bpmn(parse_file(str(SAMPLES / "b2b-lanes.flow")))
    return text, ET.fromstring(text.encode("utf-8"))


def _by_id(root: ET.Element) -> dict[str, ET.Element]:
    return {element.get("id"): element for element in root.iter() if element.get("id")}


def test_the_same_chart_gives_the_same_bytes(b2b) -> None:
    from salesflow.interop.bpmn_out import to_bpmn

    assert to_bpmn(parse_file(str(SAMPLES / "b2b-lanes.flow"))) == b2b[0]


def test_department_lanes_become_a_lane_set_in_one_pool(b2b) -> None:
    root = b2b[1]
    participants = root.findall(f"{B}collaboration/{B}participant")
    assert [p.get("name") for p in participants] == ["B2B项目型销售流程（部门泳道）"]
    lanes = root.findall(f"{B}process/{B}laneSet/{B}lane")
    assert [lane.get("name") for lane in lanes] == ["市场部", "销售部", "财务/法务", "交付部", "售后部"]
    members = {lane.get("name"): [ref.text for ref in lane.findall(f"{B}flowNodeRef")] for lane in lanes}
    assert {"M1", "M2", "M3", "M4"} <= set(members["市场部"])
    assert {"F1", "F2", "F3"} <= set(members["财务/法务"])


def test_stages_are_user_tasks_with_their_metadata_twice(b2b) -> None:
    elements = _by_id(b2b[1])
    negotiation = elements["S4"]
    assert negotiation.tag == f"{B}userTask" and negotiation.get("name") == "商务谈判"
    # Its own owner differs from the lane's: the human performer.
    assert negotiation.find(f"{B}humanPerformer").get("name") == "销售总监"
    documentation = negotiation.find(f"{B}documentation").text
    # Headed in the chart's language: a Chinese chart's documentation reads in Chinese.
    assert "责任人：销售总监" in documentation and "时限：10个工作日" in documentation and "- 确认让步底线" in documentation
    stage = negotiation.find(f"{B}extensionElements/{SF}stage")
    assert stage.get("owner") == "销售总监" and stage.get("due") == "10个工作日"
    assert [step.text for step in stage.findall(f"{SF}step")] == ["确认让步底线", "每轮谈判后更新CRM"]
    assert [kpi.text for kpi in stage.findall(f"{SF}kpi")] == ["赢单率不低于25%"]
    # A stage owned by its lane has no performer: the lane says who.
    assert elements["S3"].find(f"{B}humanPerformer") is None


def test_markers_are_events_and_decisions_exclusive_gateways_with_named_branches(b2b) -> None:
    elements = _by_id(b2b[1])
    assert elements["M1"].tag == f"{B}startEvent"
    assert elements["F3"].tag == f"{B}endEvent" and elements["V4"].tag == f"{B}endEvent"
    assert elements["S5"].tag == f"{B}exclusiveGateway"
    flows = [f for f in b2b[1].iter(f"{B}sequenceFlow") if f.get("sourceRef") == "S5"]
    names = sorted(f.get("name") for f in flows)
    assert names == ["否，输单转培育", "是，提交合同"]
    for flow in flows:  # the label is the condition too, so a BPMN engine could tell them apart
        assert flow.find(f"{B}conditionExpression").text == flow.get("name")


def test_loops_stay_flows_and_joins_are_explicit(b2b) -> None:
    root = b2b[1]
    elements = _by_id(root)
    flows = list(root.iter(f"{B}sequenceFlow"))
    # `M4 -->|重新评分| M2`: M2 has two ways in, so a joining gateway waits in front of it.
    into_m2 = [f for f in flows if f.get("targetRef") == "M2"]
    assert len(into_m2) == 1
    join = elements[into_m2[0].get("sourceRef")]
    assert join.tag == f"{B}exclusiveGateway" and join.find(f"{B}extensionElements/{SF}added") is not None
    sources = {f.get("sourceRef") for f in flows if f.get("targetRef") == join.get("id")}
    assert {"M1", "M4", "V3"} <= sources
    # A label on a link that is no decision's branch stays readable, as a text annotation.
    loop = next(f for f in flows if f.get("sourceRef") == "M4" and f.get("targetRef") == join.get("id"))
    annotation = elements[f"Annotation_{loop.get('id')}"]
    assert annotation.find(f"{B}text").text == "重新评分"


def test_every_element_is_drawn_inside_the_pool(b2b) -> None:
    root = b2b[1]
    shapes = {s.get("bpmnElement"): s.find("{http://www.omg.org/spec/DD/20100524/DC}Bounds") for s in root.iter(f"{DI}BPMNShape")}
    pool = shapes["Participant_1"]
    left, top = float(pool.get("x")), float(pool.get("y"))
    right, bottom = left + float(pool.get("width")), top + float(pool.get("height"))
    drawn = [e.get("id") for e in root.find(f"{B}process") if e.tag.split("}")[1] in ("userTask", "startEvent", "endEvent", "exclusiveGateway", "parallelGateway")]
    assert drawn and all(element in shapes for element in drawn)
    for element in drawn:
        bounds = shapes[element]
        x, y = float(bounds.get("x")), float(bounds.get("y"))
        assert left <= x and x + float(bounds.get("width")) <= right and top <= y and y + float(bounds.get("height")) <= bottom
    edges = {e.get("bpmnElement"): e for e in root.iter(f"{DI}BPMNEdge")}
    for flow in root.iter(f"{B}sequenceFlow"):
        assert len(edges[flow.get("id")].findall("{http://www.omg.org/spec/DD/20100524/DI}waypoint")) >= 2


def test_an_english_chart_is_documented_in_english() -> None:
    from salesflow.interop.bpmn_out import to_bpmn
    from salesflow.parse import parse_text

    process = parse_text(
        "flowchart LR\n"
        "    A[Qualify lead] --> B[Send quote]\n"
        "    A@{ owner: SDR team, due: 2 days }\n"
    )
    root = ET.fromstring(to_bpmn(process))
    documentation = _by_id(root)["A"].find(f"{B}documentation").text
    assert documentation.splitlines() == ["Owner: SDR team", "Due: 2 days"]



@pytest.mark.parametrize("flow, source, target", [("Flow_k3_s1", "k3", "s1"), ("Flow_s1_k4", "s1", "k4")])
def test_a_link_across_a_lane_keeps_one_line_from_stage_to_stage(dot, flow: str, source: str, target: str) -> None:
    """In the key-account chart the links between the key account manager's lane and the
    service team's (Quarterly business review down to Service level review, and from there up
    to Growth opportunity?) are drawn in two parts each, through a waypoint in the executive
    sponsor's lane between. The export joins them into one line, the way the link runs: it
    leaves the first stage's shape, crosses the lane between, and ends on the second's."""
    from conftest import ROOT
    from salesflow.interop.bpmn_out import to_bpmn

    chart = ROOT / "tests" / "cases" / "layout" / "key-account-en.flow"
    root = ET.fromstring(to_bpmn(parse_file(str(chart))).encode("utf-8"))
    bounds = {}
    for shape in root.iter(f"{DI}BPMNShape"):
        box = shape.find("{http://www.omg.org/spec/DD/20100524/DC}Bounds")
        bounds[shape.get("bpmnElement")] = tuple(float(box.get(k)) for k in ("x", "y", "width", "height"))
    edge = next(e for e in root.iter(f"{DI}BPMNEdge") if e.get("bpmnElement") == flow)
    points = [(float(p.get("x")), float(p.get("y"))) for p in edge.findall("{http://www.omg.org/spec/DD/20100524/DI}waypoint")]

    def on_border(point, box, slack=2.0):
        x, y, width, height = box
        inside = x - slack <= point[0] <= x + width + slack and y - slack <= point[1] <= y + height + slack
        return inside and min(abs(point[0] - x), abs(point[0] - x - width), abs(point[1] - y), abs(point[1] - y - height)) <= slack

    assert on_border(points[0], bounds[source]) and on_border(points[-1], bounds[target])
    x, y, width, height = bounds["exec"]
    between = [p for p in points if y < p[1] < y + height]
    assert between and all(x < p[0] < x + width for p in between)  # across the lane, not round its end
    # One way all along (down, or up): the two parts joined end to start, neither turned back. The
    # line follows dot's curve, which swings back a little in the lane between (14 px in the first
    # link, of the 400 it falls); a part joined the wrong way round would go back the whole height
    # of the lane it crosses (213 px).
    down = points[-1][1] > points[0][1]
    along = [p[1] if down else -p[1] for p in points]
    assert all(max(along[: i + 1]) - value <= 20 for i, value in enumerate(along))


def test_a_start_that_links_lead_back_into_has_its_event_and_join_in_front(dot) -> None:
    """The retail store's morning meeting is marked as the start, and the daily review leads back
    into it: the export puts a start event and a joining gateway in front of it. Both are drawn
    before the meeting along its lane, not past the lane's end, where they were placed while the
    meeting also counted as a start for the layout."""
    from conftest import CASES
    from salesflow.interop.bpmn_out import to_bpmn

    root = ET.fromstring(to_bpmn(parse_file(str(CASES / "layout" / "retail-store-lanes.flow"))).encode("utf-8"))
    left = {
        shape.get("bpmnElement"): float(shape.find("{http://www.omg.org/spec/DD/20100524/DC}Bounds").get("x"))
        for shape in root.iter(f"{DI}BPMNShape")
    }
    assert left["M1_start"] < left["M1_join"] < left["M1"] < left["M4"] < left["M4_end"]
