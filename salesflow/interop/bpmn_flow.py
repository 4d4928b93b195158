"""Which BPMN element each stage and link of a chart becomes.

A chart says less than BPMN asks for, so the export adds what BPMN needs to read the chart as
its author meant it, and marks every added element so that an import drops it again:

- a stage is a user task, a decision an exclusive gateway, a start or end marker a start or end
  event (a marker that links lead into, or out of, is a user task: events cannot have them);
- a stage where the flow begins without a start marker gets a start event in front of it, and
  an end marker that links lead out of (feedback to earlier stages, which an end may have) is a
  user task followed by an end event, since BPMN ends have no way out;
- a stage that several links lead into gets a joining exclusive gateway in front of it (BPMN
  would otherwise wait for every incoming link: a "fake join"), and so does a decision;
- a stage with several links out gets a parallel gateway after it (what such a chart means:
  every link is followed);
- a link out of a decision is named by its label, which is also its condition; the one
  unlabelled link out of a decision, if any, is the gateway's default flow. Other links keep
  their label as a text annotation attached to the flow (BPMN names only conditional flows).

The plan also holds the chart as it is laid out: the same chart with the added elements as
nodes, so that Graphviz places them too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Optional

from ..graph import ProcessGraph
from ..model import TERMINAL_SHAPES, Edge, Node, Process, Span

START, END, TASK = "startEvent", "endEvent", "userTask"
DECISION, JOIN, SPLIT = "exclusiveGateway", "exclusiveGateway", "parallelGateway"

# The names of the start and end events the export adds (BPMN tools ask every event for a name).
ADDED_NAMES = {START: {"zh": "开始", "en": "Start"}, END: {"zh": "结束", "en": "End"}}

_NCNAME = re.compile(r"[^\W\d][\w.\-]*$")  # an XML name without a colon (str.isalpha letters or _ first)


@dataclass
class FlowElement:
    id: str  # the BPMN id
    element: str  # START, END, TASK, DECISION/JOIN or SPLIT
    name: str
    node: Optional[Node]  # the chart's node; None for one the export adds
    lane: Optional[str] = None  # the lane subgraph's id
    layout_id: str = ""  # the node's id in the laid-out chart
    default: Optional[str] = None  # the default flow's id
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)


@dataclass
class SequenceFlow:
    id: str
    source: str  # BPMN ids
    target: str
    edge: Optional[Edge]  # the chart's link this flow carries; None for one the export adds
    name: Optional[str] = None
    condition: Optional[str] = None
    annotation: Optional[str] = None  # a label shown as a text annotation
    layout_index: int = -1  # the edge's index in the laid-out chart


@dataclass
class Plan:
    elements: list[FlowElement]
    flows: list[SequenceFlow]
    chart: Process  # the chart with the added elements, for the layout
    lane_ids: dict[str, str]  # lane subgraph id → BPMN id
    subgraph_ids: dict[str, str]  # subgraph id → BPMN id (for groups)


class _Ids:
    """BPMN ids: XML names, unique in the file. A chart id that is one is kept as it is."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, wanted: str, prefix: str) -> str:
        base = wanted if _NCNAME.match(wanted) else prefix + "_" + re.sub(r"[^\w.\-]", "_", wanted)
        candidate, counter = base, 2
        while candidate in self.taken:
            candidate = f"{base}_{counter}"
            counter += 1
        self.taken.add(candidate)
        return candidate


def plan(process: Process) -> Plan:
    graph = ProcessGraph(process)
    ids = _Ids()
    subgraphs = {s.id: s for s in process.subgraphs}
    swimlanes = [subgraphs[lane] for lane in dict.fromkeys(process.lanes) if lane in subgraphs and subgraphs[lane].parent is None]
    lane_ids = {lane.id: ids.claim(lane.id, "Lane") for lane in swimlanes}
    subgraph_ids = {s.id: ids.claim(s.id, "Group") for s in process.subgraphs if s.id not in lane_ids}
    layout_names = {node.id for node in process.nodes}

    def layout_name(base: str) -> str:
        candidate, counter = base, 2
        while candidate in layout_names:
            candidate = f"{base}{counter}"
            counter += 1
        layout_names.add(candidate)
        return candidate

    elements: list[FlowElement] = []
    by_node: dict[str, FlowElement] = {}
    for node in process.nodes:
        kind = graph.kind(node)
        has_in, has_out = bool(graph.predecessors[node.id]), bool(graph.successors[node.id])
        element = {"decision": DECISION, "start": START, "end": END}.get(kind, TASK)
        if (element == START and has_in) or (element == END and has_out):
            element = TASK
        lane = node.lane if node.lane in lane_ids else None
        item = FlowElement(ids.claim(node.id, "Node"), element, node.text, node, lane, node.id)
        elements.append(item)
        by_node[node.id] = item

    added_nodes: list[Node] = []
    added_edges: list[tuple[str, str]] = []  # layout ids

    lang = (process.lang or "en").split("-")[0].lower()

    def add(element: str, near: FlowElement, suffix: str, kind: str) -> FlowElement:
        name = ADDED_NAMES[element].get(lang, ADDED_NAMES[element]["en"]) if element in ADDED_NAMES else ""
        item = FlowElement(ids.claim(f"{near.id}_{suffix}", "Node"), element, name, None, near.lane, layout_name(f"{near.layout_id}_{suffix}"))
        elements.append(item)
        base = near.node
        added_nodes.append(
            Node(
                item.layout_id, " ", "text", "circle" if kind != "decision" else "diamond", base.span if base else Span.point(1, 1),
                kind=kind, subgraph=base.subgraph if base else None, lane=base.lane if base else None,
            )
        )
        return item

    flow_edges = [edge for edge in process.edges if process.has_node(edge.source) and process.has_node(edge.target)]
    incoming: dict[str, list[Edge]] = {node.id: [] for node in process.nodes}
    outgoing: dict[str, list[Edge]] = {node.id: [] for node in process.nodes}
    for edge in flow_edges:
        outgoing[edge.source].append(edge)
        incoming[edge.target].append(edge)

    entry: dict[str, FlowElement] = {}  # where links into a node arrive
    exit_: dict[str, FlowElement] = {}  # where links out of a node leave
    flows: list[SequenceFlow] = []
    flow_ids = _Ids()
    flow_ids.taken = ids.taken

    def connect(source: FlowElement, target: FlowElement, edge: Optional[Edge] = None) -> SequenceFlow:
        wanted = edge.id if edge is not None and edge.id else f"Flow_{source.id}_{target.id}"
        flow = SequenceFlow(flow_ids.claim(wanted, "Flow"), source.id, target.id, edge)
        source.outgoing.append(flow.id)
        target.incoming.append(flow.id)
        flows.append(flow)
        return flow

    starts = set(graph.starts)
    leading_back = graph.edges_leading_back

    def ends_with_feedback(node: Node, item: FlowElement) -> bool:
        """An end marker whose links out all lead back: the process ends there, and feeds back."""
        if item.element != TASK or not outgoing[node.id]:
            return False
        if node.kind == "end":
            return True
        return node.kind is None and node.shape in TERMINAL_SHAPES and all(e.index in leading_back for e in outgoing[node.id])

    pending: list[tuple[FlowElement, FlowElement]] = []
    for node in process.nodes:
        item = by_node[node.id]
        entry[node.id] = exit_[node.id] = item
        needs_start = node.id in starts and item.element != START
        if len(incoming[node.id]) + needs_start > 1:
            join = add(JOIN, item, "join", "decision")
            pending.append((join, item))
            entry[node.id] = join
        if needs_start:
            start = add(START, item, "start", "start")
            pending.append((start, entry[node.id]))
        needs_end = ends_with_feedback(node, item)
        if item.element != DECISION and len(outgoing[node.id]) + needs_end > 1:
            split = add(SPLIT, item, "split", "decision")
            pending.append((item, split))
            exit_[node.id] = split
        if needs_end:
            end = add(END, item, "end", "end")
            pending.append((exit_[node.id], end))

    for source, target in pending:
        flow = connect(source, target)
        added_edges.append((source.layout_id, target.layout_id))
        flow.layout_index = len(process.edges) + len(added_edges) - 1
    for edge in flow_edges:
        source, target = exit_[edge.source], entry[edge.target]
        flow = connect(source, target, edge)
        flow.layout_index = edge.index
        label = edge.text
        if source.element == DECISION and source.node is not None:
            if label:
                flow.name = flow.condition = label
            elif source.default is None:
                source.default = flow.id
        elif label:
            flow.annotation = label
    order = {flow.id: position for position, flow in enumerate(flows)}
    flows.sort(key=lambda flow: (flow.edge is None, flow.edge.index if flow.edge else order[flow.id]))
    return Plan(elements, flows, _laid_out_chart(process, flows, elements, added_nodes, added_edges), lane_ids, subgraph_ids)


def _laid_out_chart(
    process: Process, flows: list[SequenceFlow], elements: list[FlowElement], added_nodes: list[Node], added_edges: list[tuple[str, str]]
) -> Process:
    """The chart with the added events and gateways as nodes, and every flow as a link."""
    layout_of = {element.id: element.layout_id for element in elements}
    edges: list[Edge] = []
    index = 0
    for flow in flows:
        source, target = layout_of[flow.source], layout_of[flow.target]
        base = flow.edge
        if base is not None:
            edges.append(replace(base, source=source, target=target, index=index))
        else:
            edges.append(Edge(source, target, "normal", "none", "arrow", 1, None, Span.point(1, 1), index))
        flow.layout_index = index
        index += 1
    members = {s.id: list(s.members) for s in process.subgraphs}
    for node in added_nodes:
        if node.subgraph in members:
            members[node.subgraph].append(node.id)
    subgraphs = tuple(replace(s, members=tuple(members[s.id])) for s in process.subgraphs)
    # A stage marked as the start that links lead back into is a task with a start event in
    # front of it: the flow now begins at that event. Left a start too, the stage would have the
    # link from its joining gateway taken for a loop back, and the gateway placed after the end
    # (in a wrapped lane, rows away: dot then gives up on the layout).
    tasks = {element.node.id for element in elements if element.node is not None and element.element == TASK}
    nodes = tuple(replace(node, kind=None) if node.kind == "start" and node.id in tasks else node for node in process.nodes)
    return replace(process, nodes=nodes + tuple(added_nodes), edges=tuple(edges), subgraphs=subgraphs)
