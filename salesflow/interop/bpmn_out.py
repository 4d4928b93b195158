"""`render -f bpmn`: the chart as a BPMN 2.0 model with diagram interchange, ready to open laid out.

What goes where (see `bpmn_flow.py` for the elements BPMN needs that a chart leaves implicit):

- the department lanes are a lane set, inside a pool (participant) named after the process;
  other subgraphs are groups around their stages;
- stages are user tasks in their lane; an owner other than the lane's is the task's human
  performer. Owner, deadline, steps, resources, checks, KPIs and notes are written twice: as
  the element's documentation, for people and for every BPMN tool (headed in the chart's
  language), and as salesflow's own
  extension elements (namespace `NAMESPACE`), which `salesflow import` reads back exactly;
- decisions are exclusive gateways whose outgoing flows are named by the branch labels, and
  links back (rework, feedback) are sequence flows like any other;
- every shape, edge and label sits where Graphviz puts it in the SVG (`layout.py`), events and
  gateways at BPMN's usual sizes.

The same chart always gives the same bytes.
"""

from __future__ import annotations

from typing import Iterable, Optional

from .. import __version__
from ..language import chart_language
from ..model import Node, Process
from ..render.escape import clean
from .bpmn_flow import DECISION, END, SPLIT, START, TASK, FlowElement, Plan, SequenceFlow, plan
from .layout import Box, Drawing, Point, clip, lay_out

NAMESPACE = "urn:x-salesflow:bpmn:1"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

EVENT_SIZE = 36
GATEWAY_SIZE = 50
HEADER = 30  # the band of a pool that holds its name
ANNOTATION = (120, 34)

# The documentation's headings, one place for the words (element documentation is plain text),
# in the chart's own language: the documentation is what people read in a BPMN tool's panel.
DOC = {
    "en": {
        "owner": "Owner: {value}",
        "due": "Due: {value}",
        "steps": "Steps:",
        "resources": "Resources:",
        "checks": "Checks:",
        "kpi": "KPIs:",
        "note": "Note: {value}",
        "goals": "Goals:",
        "target": "Target cycle time: {value}",
        "rate": "Conversion rate: {value}",
    },
    "zh": {
        "owner": "责任人：{value}",
        "due": "时限：{value}",
        "steps": "步骤：",
        "resources": "所需资源：",
        "checks": "检查项：",
        "kpi": "考核指标：",
        "note": "备注：{value}",
        "goals": "目标：",
        "target": "目标周期：{value}",
        "rate": "转化率：{value}",
    },
}
LISTS = ("steps", "resources", "checks", "kpi")
LIST_TAGS = {"steps": "step", "resources": "resource", "checks": "check", "kpi": "kpi"}


def _text(value: str) -> str:
    return clean(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    escaped = _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    return f'"{escaped}"'


def _n(value: float) -> str:
    return f"{round(value, 2):g}"


def node_documentation(node: Node, words: dict[str, str]) -> str:
    """A stage's metadata as plain text, headed in `words` (one language of DOC)."""
    lines = []
    if node.owner:
        lines.append(words["owner"].format(value=node.owner))
    due = node.due.text if node.due is not None else (node.unreadable_value("due").text if node.unreadable_value("due") else None)
    if due:
        lines.append(words["due"].format(value=due))
    for key in LISTS:
        values = getattr(node, key)
        if values:
            lines.append(words[key])
            lines += [f"- {value}" for value in values]
    if node.note:
        lines.append(words["note"].format(value=node.note))
    return "\n".join(lines)


class _Writer:
    def __init__(self, process: Process, the_plan: Plan, drawing: Drawing) -> None:
        self.process = process
        self.words = DOC[chart_language(process, tuple(DOC))]
        self.plan = the_plan
        self.drawing = drawing
        self.out: list[str] = []
        self.boxes: dict[str, Box] = {}
        for element in the_plan.elements:
            box = drawing.nodes.get(element.layout_id) or Box(0, 0, 100, 80)
            if element.element in (START, END):
                box = box.around(box.centre, EVENT_SIZE, EVENT_SIZE)
            elif element.element in (DECISION, SPLIT):
                box = box.around(box.centre, GATEWAY_SIZE, GATEWAY_SIZE)
            self.boxes[element.id] = box
        self.pool: Optional[Box] = self._pool_box()

    def line(self, depth: int, text: str) -> None:
        self.out.append("  " * depth + text)

    # ------------------------------------------------------------------ the model

    def write(self) -> str:
        process = self.process
        self.line(0, '<?xml version="1.0" encoding="UTF-8"?>')
        self.line(
            0,
            f'<bpmn:definitions xmlns:bpmn="{BPMN}" xmlns:bpmndi="{BPMNDI}" xmlns:dc="{DC}" xmlns:di="{DI}" '
            f'xmlns:xsi="{XSI}" xmlns:sf="{NAMESPACE}" id="Definitions_1" targetNamespace="urn:x-salesflow:process" '
            f'exporter="salesflow" exporterVersion="{_text(__version__)}">',
        )
        groups = [(s, self.plan.subgraph_ids[s.id]) for s in process.subgraphs if s.id in self.plan.subgraph_ids and s.id in self.drawing.clusters]
        for subgraph, group_id in groups:
            self.line(1, f'<bpmn:category id="Category_{group_id}">')
            self.line(2, f'<bpmn:categoryValue id="CategoryValue_{group_id}" value={_attr(subgraph.text)} />')
            self.line(1, "</bpmn:category>")
        name = process.title or process.acc_title or "process"
        if self.pool is not None:
            self.line(1, '<bpmn:collaboration id="Collaboration_1">')
            self.line(2, f'<bpmn:participant id="Participant_1" name={_attr(name)} processRef="Process_1" />')
            self.line(1, "</bpmn:collaboration>")
        self.line(1, f'<bpmn:process id="Process_1" name={_attr(name)} isExecutable="false">')
        self._process_data(2)
        if self.plan.lane_ids:
            self._lanes(2)
        for element in self.plan.elements:
            self._element(2, element)
        for flow in self.plan.flows:
            self._flow(2, flow)
        for flow in self.plan.flows:
            if flow.annotation:
                self.line(2, f'<bpmn:textAnnotation id="Annotation_{flow.id}">')
                self.line(3, f"<bpmn:text>{_text(flow.annotation)}</bpmn:text>")
                self.line(2, "</bpmn:textAnnotation>")
                self.line(2, f'<bpmn:association id="Association_{flow.id}" sourceRef="{flow.id}" targetRef="Annotation_{flow.id}" />')
        for subgraph, group_id in groups:
            self.line(2, f'<bpmn:group id="{group_id}" categoryValueRef="CategoryValue_{group_id}">')
            self.line(3, "<bpmn:extensionElements>")
            title = subgraph.title if subgraph.title != subgraph.text or subgraph.title_format != "text" else None
            title_format = subgraph.title_format if subgraph.title_format != "text" else None
            self.line(4, "<sf:group" + _attributes(("subgraph", subgraph.id), ("parent", subgraph.parent), ("title", title), ("format", title_format)) + " />")
            self.line(3, "</bpmn:extensionElements>")
            self.line(2, "</bpmn:group>")
        self.line(1, "</bpmn:process>")
        self._diagram(1, groups)
        self.line(0, "</bpmn:definitions>")
        return "\n".join(self.out) + "\n"

    def _process_data(self, depth: int) -> None:
        process = self.process
        target = process.target.text if process.target is not None else None
        lines = []
        if process.goals:
            lines += [self.words["goals"]] + [f"- {goal}" for goal in process.goals]
        if target:
            lines.append(self.words["target"].format(value=target))
        if lines:
            self.line(depth, f"<bpmn:documentation>{_text(chr(10).join(lines))}</bpmn:documentation>")
        attributes = _attributes(
            ("title", process.title), ("target", target), ("lang", process.lang), ("direction", process.direction),
        )
        children = [("goal", goal) for goal in process.goals] + [("role", role) for role in process.roles]
        self.line(depth, "<bpmn:extensionElements>")
        self._extension(depth + 1, "process", attributes, children)
        self.line(depth, "</bpmn:extensionElements>")

    def _extension(self, depth: int, tag: str, attributes: str, children: list[tuple[str, str]]) -> None:
        if not children:
            self.line(depth, f"<sf:{tag}{attributes} />")
            return
        self.line(depth, f"<sf:{tag}{attributes}>")
        for child, value in children:
            self.line(depth + 1, f"<sf:{child}>{_text(value)}</sf:{child}>")
        self.line(depth, f"</sf:{tag}>")

    def _lanes(self, depth: int) -> None:
        self.line(depth, '<bpmn:laneSet id="LaneSet_1">')
        subgraphs = {s.id: s for s in self.process.subgraphs}
        for lane_id, bpmn_id in self.plan.lane_ids.items():
            lane = subgraphs[lane_id]
            self.line(depth + 1, f'<bpmn:lane id="{bpmn_id}" name={_attr(lane.text)}>')
            title = lane.title if lane.title != lane.text or lane.title_format != "text" else None
            if bpmn_id != lane_id or title is not None:
                self.line(depth + 2, "<bpmn:extensionElements>")
                title_format = lane.title_format if lane.title_format != "text" else None
                self.line(depth + 3, f"<sf:lane{_attributes(('subgraph', lane_id), ('title', title), ('format', title_format))} />")
                self.line(depth + 2, "</bpmn:extensionElements>")
            for element in self.plan.elements:
                if element.lane == lane_id:
                    self.line(depth + 2, f"<bpmn:flowNodeRef>{element.id}</bpmn:flowNodeRef>")
            self.line(depth + 1, "</bpmn:lane>")
        self.line(depth, "</bpmn:laneSet>")

    def _element(self, depth: int, element: FlowElement) -> None:
        node = element.node
        attributes = f' id="{element.id}"'
        if element.name:
            attributes += f" name={_attr(element.name)}"
        if element.default:
            attributes += f' default="{element.default}"'
        self.line(depth, f"<bpmn:{element.element}{attributes}>")
        if node is not None:
            documentation = node_documentation(node, self.words)
            if documentation:
                self.line(depth + 1, f"<bpmn:documentation>{_text(documentation)}</bpmn:documentation>")
        self.line(depth + 1, "<bpmn:extensionElements>")
        if node is None:
            self.line(depth + 2, "<sf:added />")
        else:
            self._stage(depth + 2, element, node)
        self.line(depth + 1, "</bpmn:extensionElements>")
        for flow in element.incoming:
            self.line(depth + 1, f"<bpmn:incoming>{flow}</bpmn:incoming>")
        for flow in element.outgoing:
            self.line(depth + 1, f"<bpmn:outgoing>{flow}</bpmn:outgoing>")
        if element.element == TASK and node is not None and node.owner and not node.owner_from_lane:
            self.line(depth + 1, f"<bpmn:humanPerformer name={_attr(node.owner)}>")
            self.line(depth + 2, "<bpmn:resourceAssignmentExpression>")
            self.line(depth + 3, f"<bpmn:formalExpression>{_text(node.owner)}</bpmn:formalExpression>")
            self.line(depth + 2, "</bpmn:resourceAssignmentExpression>")
            self.line(depth + 1, "</bpmn:humanPerformer>")
        self.line(depth, f"</bpmn:{element.element}>")

    def _stage(self, depth: int, element: FlowElement, node: Node) -> None:
        due = node.due.text if node.due is not None else None
        unreadable = {value.key: value.text for value in node.unreadable}
        attributes = _attributes(
            ("node", node.id if node.id != element.id else None),
            ("label", node.label if node.label != node.text or node.label_format != "text" else None),
            ("format", node.label_format if node.label_format != "text" else None),
            ("shape", node.shape),
            ("kind", node.kind or unreadable.get("kind")),
            ("owner", node.owner if node.owner and not node.owner_from_lane else None),
            ("due", due or unreadable.get("due")),
            ("subgraph", node.subgraph if node.subgraph and node.subgraph != node.lane else None),
        )
        children = [(LIST_TAGS[key], value) for key in LISTS for value in getattr(node, key)]
        if node.note:
            children.append(("note", node.note))
        self._extension(depth, "stage", attributes, children)

    def _flow(self, depth: int, flow: SequenceFlow) -> None:
        attributes = f' id="{flow.id}" sourceRef="{flow.source}" targetRef="{flow.target}"'
        if flow.name:
            attributes += f" name={_attr(flow.name)}"
        edge = flow.edge
        self.line(depth, f"<bpmn:sequenceFlow{attributes}>")
        if edge is not None:
            notes = [line for line in (flow.annotation, self.words["rate"].format(value=edge.rate_text) if edge.rate_text else None, edge.note) if line]
            if notes:
                self.line(depth + 1, f"<bpmn:documentation>{_text(chr(10).join(notes))}</bpmn:documentation>")
        self.line(depth + 1, "<bpmn:extensionElements>")
        if edge is None:
            self.line(depth + 2, "<sf:added />")
        else:
            unreadable = {value.key: value.text for value in edge.unreadable}
            self.line(
                depth + 2,
                "<sf:link"
                + _attributes(
                    ("id", edge.id),
                    ("label", edge.label if edge.label is not None and (edge.label != edge.text or edge.label_format != "text") else None),
                    ("format", edge.label_format if edge.label_format != "text" else None),
                    ("text", edge.text if flow.annotation is None and flow.name is None and edge.text else None),
                    ("rate", edge.rate_text or unreadable.get("rate")),
                    ("note", edge.note),
                    ("stroke", edge.stroke if edge.stroke != "normal" else None),
                )
                + " />",
            )
        self.line(depth + 1, "</bpmn:extensionElements>")
        if flow.condition:
            self.line(depth + 1, f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{_text(flow.condition)}</bpmn:conditionExpression>')
        self.line(depth, "</bpmn:sequenceFlow>")

    # ------------------------------------------------------------------ the diagram

    def _pool_box(self) -> Optional[Box]:
        """The pool holds everything drawn: lanes, shapes, and links routed round their outside."""
        if not self.plan.lane_ids:
            return None
        boxes = [self.drawing.clusters[lane] for lane in self.plan.lane_ids if lane in self.drawing.clusters]
        boxes += list(self.boxes.values())
        points = [p for route in self.drawing.routes.values() for p in route] + list(self.drawing.labels.values())
        margin = 12
        left = min([b.x for b in boxes] + [p[0] - ANNOTATION[0] / 2 for p in points]) - margin
        top = min([b.y for b in boxes] + [p[1] - ANNOTATION[1] / 2 for p in points]) - margin
        right = max([b.x + b.width for b in boxes] + [p[0] + ANNOTATION[0] / 2 for p in points]) + margin
        bottom = max([b.y + b.height for b in boxes] + [p[1] + ANNOTATION[1] / 2 for p in points]) + margin
        if self.drawing.across:
            return Box(left - HEADER, top, right - left + HEADER, bottom - top)
        return Box(left, top - HEADER, right - left, bottom - top + HEADER)

    def _lane_boxes(self) -> dict[str, Box]:
        """Lanes fill their pool, edge to edge as BPMN tools draw them: each reaches halfway into
        the space Graphviz leaves between it and the next."""
        pool = self.pool
        assert pool is not None
        across = self.drawing.across
        lanes = sorted(
            self.plan.lane_ids,
            key=lambda lane: (self.drawing.clusters[lane].y if across else self.drawing.clusters[lane].x)
            if lane in self.drawing.clusters else float("inf"),
        )
        start = pool.y if across else pool.x
        end = pool.y + pool.height if across else pool.x + pool.width
        cuts = [start]
        for before, after in zip(lanes, lanes[1:]):
            a, b = self.drawing.clusters.get(before), self.drawing.clusters.get(after)
            if a is None or b is None:
                cuts.append(cuts[-1])
                continue
            cuts.append((a.y + a.height + b.y) / 2 if across else (a.x + a.width + b.x) / 2)
        cuts.append(end)
        result = {}
        for index, lane in enumerate(lanes):
            low, high = cuts[index], cuts[index + 1]
            if across:
                result[lane] = Box(pool.x + HEADER, low, pool.width - HEADER, high - low)
            else:
                result[lane] = Box(low, pool.y + HEADER, high - low, pool.height - HEADER)
        return result

    def _shape(self, depth: int, element_id: str, box: Box, extra: str = "", label: Optional[Box] = None) -> None:
        self.line(depth, f'<bpmndi:BPMNShape id="{element_id}_di" bpmnElement="{element_id}"{extra}>')
        self.line(depth + 1, _bounds(box))
        if label is not None:
            self.line(depth + 1, "<bpmndi:BPMNLabel>")
            self.line(depth + 2, _bounds(label))
            self.line(depth + 1, "</bpmndi:BPMNLabel>")
        self.line(depth, "</bpmndi:BPMNShape>")

    def _diagram(self, depth: int, groups: list) -> None:
        plane = "Collaboration_1" if self.pool is not None else "Process_1"
        self.line(depth, '<bpmndi:BPMNDiagram id="BPMNDiagram_1">')
        self.line(depth + 1, f'<bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="{plane}">')
        inner = depth + 2
        horizontal = ' isHorizontal="true"' if self.drawing.across else ' isHorizontal="false"'
        if self.pool is not None:
            self._shape(inner, "Participant_1", self.pool, horizontal)
            lane_boxes = self._lane_boxes()
            for lane_id, bpmn_id in self.plan.lane_ids.items():
                self._shape(inner, bpmn_id, lane_boxes[lane_id], horizontal)
        for element in self.plan.elements:
            box = self.boxes[element.id]
            label = None
            if element.element != TASK and element.name:
                width = max(90.0, box.width)
                label = Box(box.centre[0] - width / 2, box.y + box.height + 4, width, 14 * (1 + element.name.count("\n")))
            self._shape(inner, element.id, box, label=label)
        for subgraph, group_id in groups:
            self._shape(inner, group_id, self.drawing.clusters[subgraph.id])
        for flow in self.plan.flows:
            route = self.drawing.routes.get(flow.layout_index) or [
                self.boxes[flow.source].centre, self.boxes[flow.target].centre
            ]
            points = clip(route, self.boxes[flow.source], self.boxes[flow.target])
            if len(points) < 2:
                points = [self.boxes[flow.source].centre, self.boxes[flow.target].centre]
            label = None
            centre = self.drawing.labels.get(flow.layout_index)
            if flow.name and centre is not None:
                label = Box(centre[0] - 45, centre[1] - 7, 90, 14)
            self._edge(inner, flow.id, points, label)
        for flow in self.plan.flows:
            if flow.annotation:
                route = self.drawing.routes.get(flow.layout_index) or [self.boxes[flow.source].centre, self.boxes[flow.target].centre]
                centre = self.drawing.labels.get(flow.layout_index) or _middle(route)
                box = Box(centre[0] - ANNOTATION[0] / 2, centre[1] - ANNOTATION[1] / 2, *ANNOTATION)
                self._shape(inner, f"Annotation_{flow.id}", box)
                anchor = _middle(route)
                self._edge(inner, f"Association_{flow.id}", [anchor, (box.x, box.centre[1]) if anchor[0] < box.x else (box.x + box.width, box.centre[1])])
        self.line(depth + 1, "</bpmndi:BPMNPlane>")
        self.line(depth, "</bpmndi:BPMNDiagram>")

    def _edge(self, depth: int, element_id: str, points: Iterable[Point], label: Optional[Box] = None) -> None:
        self.line(depth, f'<bpmndi:BPMNEdge id="{element_id}_di" bpmnElement="{element_id}">')
        for x, y in points:
            self.line(depth + 1, f'<di:waypoint x="{_n(x)}" y="{_n(y)}" />')
        if label is not None:
            self.line(depth + 1, "<bpmndi:BPMNLabel>")
            self.line(depth + 2, _bounds(label))
            self.line(depth + 1, "</bpmndi:BPMNLabel>")
        self.line(depth, "</bpmndi:BPMNEdge>")


def _middle(route: list[Point]) -> Point:
    return route[len(route) // 2] if route else (0.0, 0.0)


def _bounds(box: Box) -> str:
    return f'<dc:Bounds x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.width)}" height="{_n(box.height)}" />'


def _attributes(*pairs: tuple[str, Optional[str]]) -> str:
    return "".join(f" {key}={_attr(value)}" for key, value in pairs if value is not None and value != "")


def to_bpmn(
    process: Process, timeout: Optional[float] = None, engine: str = "dot",
    direction: Optional[str] = None, wrap: Optional[int] = None,
) -> str:
    """The chart as BPMN 2.0, laid out as `lay_out` lays it out (`direction`, `wrap`: see there)."""
    the_plan = plan(process)
    return _Writer(process, the_plan, lay_out(the_plan.chart, timeout, engine, direction, wrap)).write()


def render(process: Process, **options: object) -> str:
    """`render -f bpmn`."""
    timeout = options.get("timeout")
    return to_bpmn(
        process, float(timeout) if timeout else None, str(options.get("engine") or "dot"),  # type: ignore[arg-type]
        options.get("direction") or None, options.get("wrap"),  # type: ignore[arg-type]
    )
