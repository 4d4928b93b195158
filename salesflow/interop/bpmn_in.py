"""`salesflow import FILE.bpmn`: a BPMN 2.0 model (Camunda Modeler, bpmn.io, Signavio, and every tool
of the BPMN Model Interchange Working Group) read into a `draft.Draft`.

How BPMN maps to a chart:

- tasks of every kind and call activities are stages; start and end events are start and end
  markers, drawn `([…])`; intermediate and boundary events are stages (a boundary event is
  reached from the activity it is attached to);
- exclusive, inclusive, event-based and complex gateways that branch are decisions; their
  outgoing flows' names (or conditions) are the branch labels. Parallel gateways and gateways
  that only join are not stages: the links run straight through them;
- lanes, and pools without lanes, are department lanes (nested lanes are flattened);
  sub-processes are subgraphs, and flows into (out of) one lead to its start (from its ends);
  a group is a subgraph around the steps drawn inside it (a BPMN group holds nothing itself);
- names are labels, documentation and attached text annotations are notes, human performers
  and potential owners are owners; a message flow is a dotted link;
- salesflow's own extension elements (`render -f bpmn`) give back the chart exactly, and what
  that export added for BPMN's sake is dropped again.

Everything else that cannot be said in a process file is listed in the import report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..i18n import N_, _
from ..errors import ParseError
from .bpmn_out import BPMN, NAMESPACE
from .draft import Draft, DraftEdge, DraftGroup, DraftNode
from .report import Report
from .xml_reader import XmlElement, read_xml

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"

TASKS = {
    "task", "userTask", "manualTask", "serviceTask", "scriptTask", "sendTask", "receiveTask", "businessRuleTask",
    "callActivity",
}
PLAIN_TASKS = {"task", "userTask", "manualTask"}
SUBPROCESSES = {"subProcess", "transaction", "adHocSubProcess"}
GATEWAYS = {"exclusiveGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway", "parallelGateway"}
EVENTS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"}
# Process contents a chart has no place for; each is listed in the report.
NOT_KEPT = {
    "dataObject", "dataObjectReference", "dataStoreReference", "dataInput", "dataOutput", "property",
    "ioSpecification", "laneSet", "sequenceFlow", "textAnnotation", "association", "group", "documentation",
    "extensionElements", "incoming", "outgoing",
}

# What a collaboration holds that the import reads (the rest is listed in the report).
COLLABORATION_KEPT = {
    "participant", "messageFlow", "group", "textAnnotation", "association", "documentation", "extensionElements",
}

MESSAGES = {
    "not_bpmn": N_("this is not a BPMN 2.0 model: the document element is <{name}> in {namespace}; expected "
    "<definitions> in {bpmn}"),
    "no_process": N_("this BPMN model holds no process: nothing to import"),
    "missing_ref": N_("{element} `{id}` refers to `{ref}`, which is not in the file"),
    "no_id": N_("{element} has no id, so nothing can refer to it; every BPMN flow element needs one"),
    "task_kind": N_("read as a stage; the chart does not say that it is a {kind}"),
    "collapsed": N_("a sub-process with nothing inside is read as one stage"),
    "into_subprocess": N_("flows into and out of the sub-process now lead to its start and from its ends"),
    "parallel": N_("a parallel gateway is not a stage: its flows are drawn as links straight from its sources to its targets"),
    "join": N_("a gateway that only joins is not a stage: its flows lead straight on"),
    "inclusive": N_("an inclusive gateway is read as a decision; in BPMN more than one of its branches may be taken"),
    "event_based": N_("an event-based gateway is read as a decision; the event that comes first decides"),
    "complex": N_("a complex gateway is read as a decision; its activation rule is not kept"),
    "event_definition": N_("its trigger ({trigger}) is not kept"),
    "intermediate": N_("an intermediate event is read as a stage{trigger}"),
    "boundary": N_("a boundary event is read as a stage that `{activity}` leads to{trigger}"),
    "message_flow": N_("a message flow is read as a dotted link"),
    "message_flow_dropped": N_("a message flow between pools, not between two steps, is not kept"),
    "nested_lane": N_("nested lanes are flattened: this lane's steps are in the lane `{title}`"),
    "not_kept": N_("a chart has no place for a {kind}; it is not kept"),
    "annotation": N_("a text annotation attached to nothing in the chart is not kept"),
    "vendor": N_("tool-specific extension elements ({name}) are not kept"),
    "group": N_("a group with no steps drawn inside it is not kept"),
    "group_across": N_("a group drawn across lanes or sub-processes is not kept: a step has one lane and one subgraph"),
    "group_read": N_("a group is read as a subgraph around the {count} steps drawn inside it"),
}


@dataclass
class _Flow:
    id: str
    source: str
    target: str
    name: Optional[str]
    order: int
    added: bool = False
    data: Optional[XmlElement] = None  # salesflow's <sf:link>
    stroke: str = "normal"
    element: Optional[XmlElement] = None


@dataclass
class _Reader:
    path: str
    root: XmlElement
    report: Report
    draft: Draft = field(default_factory=Draft)
    by_id: dict[str, XmlElement] = field(default_factory=dict)
    nodes: dict[str, DraftNode] = field(default_factory=dict)  # BPMN id → node
    node_elements: dict[str, XmlElement] = field(default_factory=dict)
    flows: list[_Flow] = field(default_factory=list)
    through: dict[str, str] = field(default_factory=dict)  # gateways links run through: id → "parallel" or "join"
    added: set[str] = field(default_factory=set)  # elements salesflow's export added
    subprocess_parts: dict[str, list[str]] = field(default_factory=dict)
    lane_of: dict[str, str] = field(default_factory=dict)  # flow node id → lane group id
    own_file: bool = False
    vendor_seen: set[str] = field(default_factory=set)

    # ------------------------------------------------------------------ helpers

    def error(self, element: XmlElement, message: str) -> ParseError:
        from .xml_reader import _error

        return _error(self.path, self._text, message, element.line, element.column)

    def note(self, element: XmlElement, what: str) -> None:
        self.report.add(f"bpmn:{element.name}" if element.namespace == BPMN else element.name, element.get("id", ""), element.get("name"), element.line, element.column, what)

    def sf(self, element: XmlElement, name: str) -> Optional[XmlElement]:
        extension = element.find("extensionElements", BPMN)
        return extension.find(name, NAMESPACE) if extension is not None else None

    def vendor_extensions(self, element: XmlElement) -> None:
        extension = element.find("extensionElements", BPMN)
        if extension is None:
            return
        for child in extension.children:
            if child.namespace != NAMESPACE:
                key = f"{child.namespace}:{child.name}"
                if key not in self.vendor_seen:
                    self.vendor_seen.add(key)
                    self.report.add("extensionElements", element.get("id", ""), element.get("name"), child.line, child.column, _(MESSAGES["vendor"], name=child.name))

    def ref(self, element: XmlElement, attribute: str) -> str:
        value = element.get(attribute)
        if value is None or value not in self.by_id:
            raise self.error(element, _(MESSAGES["missing_ref"], element=element.name, id=element.get("id", "?"), ref=value or ""))
        return value

    # ------------------------------------------------------------------ reading

    def read(self, text: str) -> Draft:
        self._text = text
        root = self.root
        if root.namespace != BPMN or root.name != "definitions":
            raise self.error(root, _(MESSAGES["not_bpmn"], name=root.name, namespace=root.namespace or "no namespace", bpmn=BPMN))
        self.flows_out: dict[str, int] = {}
        for element in root.walk():
            if "id" in element.attributes:
                self.by_id.setdefault(element.attributes["id"], element)
            if element.name == "sequenceFlow" and element.namespace == BPMN:
                source = element.get("sourceRef", "")
                self.flows_out[source] = self.flows_out.get(source, 0) + 1
        processes = [child for child in root.children if child.namespace == BPMN and child.name == "process"]
        if not processes:
            raise self.error(root, _(MESSAGES["no_process"]))
        participants = [
            p for collaboration in root.find_all("collaboration", BPMN) for p in collaboration.find_all("participant", BPMN)
        ]
        pool_of = {p.get("processRef"): p for p in participants if p.get("processRef")}
        for participant in participants:
            if participant.get("processRef") and participant.get("processRef") not in self.by_id:
                self.ref(participant, "processRef")
        for definition in root.children:
            if definition.namespace == BPMN and definition.name not in ("process", "collaboration", "category"):
                self.note(definition, _(MESSAGES["not_kept"], kind=definition.name))
        ordered = [self.by_id[p.get("processRef")] for p in participants if p.get("processRef") in self.by_id]
        ordered += [p for p in processes if p not in ordered]
        for process in ordered:
            own = self.sf(process, "process")
            if own is not None:
                self.own_file = True
                self._own_process(own)
        if self.draft.title is None and not self.own_file:
            named = [p.get("name") for p in participants if p.get("name")] or [p.get("name") for p in ordered if p.get("name")]
            self.draft.title = named[0] if len(named) == 1 else root.get("name") or (named[0] if named else None)
        pools = len(ordered) > 1
        for process in ordered:
            pool = pool_of.get(process.get("id"))
            self._lanes(process, pool, pools)
            self._contents(process, None)
        collaborations = list(root.find_all("collaboration", BPMN))
        self._groups(ordered + collaborations)
        for collaboration in root.find_all("collaboration", BPMN):
            for child in collaboration.children:
                if child.namespace != BPMN or child.name not in COLLABORATION_KEPT:
                    self.note(child, _(MESSAGES["not_kept"], kind=child.name))
            for message in collaboration.find_all("messageFlow", BPMN):
                source, target = self.ref(message, "sourceRef"), self.ref(message, "targetRef")
                if source in self.nodes and target in self.nodes:
                    self.flows.append(_Flow(message.get("id", ""), source, target, message.get("name"), len(self.flows), stroke="dotted", element=message))
                    self.note(message, _(MESSAGES["message_flow"]))
                else:
                    self.note(message, _(MESSAGES["message_flow_dropped"]))
        self._annotations(ordered + collaborations)
        self._links()
        self.draft.regroup = not self.own_file
        return self.draft

    def _own_process(self, own: XmlElement) -> None:
        draft = self.draft
        draft.title = own.get("title") or draft.title
        draft.target = own.get("target")
        draft.lang = own.get("lang")
        draft.direction = own.get("direction") or draft.direction
        draft.goals = [c.text for c in own.find_all("goal", NAMESPACE)]
        draft.roles = [c.text for c in own.find_all("role", NAMESPACE)]

    def _lanes(self, process: XmlElement, pool: Optional[XmlElement], pools: bool) -> None:
        lanes: list[tuple[XmlElement, str, Optional[XmlElement]]] = []  # (lane, title, outermost)

        def leaves(lane_set: XmlElement, prefix: str, top: Optional[XmlElement]) -> None:
            for lane in lane_set.find_all("lane", BPMN):
                name = lane.get("name") or ("" if prefix else lane.get("id", ""))
                title = " / ".join(part for part in (prefix, name) if part)
                children = lane.find("childLaneSet", BPMN)
                if children is not None and any(True for _ in children.find_all("lane", BPMN)):
                    leaves(children, title, top or lane)
                else:
                    lanes.append((lane, title, top))

        for lane_set in process.find_all("laneSet", BPMN):
            leaves(lane_set, pool.get("name", "") if pools and pool is not None else "", None)
        if not lanes and pools and pool is not None:
            group = DraftGroup(pool.get("id") or process.get("id", "pool"), pool.get("name") or pool.get("id", ""), None, True)
            self.draft.groups.append(group)
            self.draft.lane_order.append(group.id)
            for element in process.walk():
                if element is not process and element.get("id"):
                    self.lane_of.setdefault(element.get("id"), group.id)
            return
        for lane, title, top in lanes:
            own = self.sf(lane, "lane")
            group_id = own.get("subgraph") if own is not None and own.get("subgraph") else lane.get("id") or title
            name = lane.get("name") if self.own_file else title
            group = DraftGroup(group_id, name or group_id, None, True)
            if own is not None and own.get("title") is not None:
                group.label, group.label_format = own.get("title"), own.get("format") or "text"
            self.draft.groups.append(group)
            self.draft.lane_order.append(group_id)
            if top is not None:
                self.note(lane, _(MESSAGES["nested_lane"], title=title))
            for ref in lane.find_all("flowNodeRef", BPMN):
                target = ref.text.strip()
                if target not in self.by_id:
                    raise self.error(ref, _(MESSAGES["missing_ref"], element="lane", id=lane.get("id", "?"), ref=target))
                self.lane_of[target] = group_id

    def _contents(self, container: XmlElement, group: Optional[str]) -> None:
        for element in container.children:
            if element.namespace != BPMN:
                self.note(element, _(MESSAGES["not_kept"], kind=element.name))
                continue
            kind = element.name
            if kind in NOT_KEPT:
                if kind in ("dataObject", "dataObjectReference", "dataStoreReference", "dataInput", "dataOutput", "ioSpecification", "property"):
                    self.note(element, _(MESSAGES["not_kept"], kind=kind))
                continue
            if kind in TASKS | SUBPROCESSES | GATEWAYS | EVENTS and not element.get("id"):
                raise self.error(element, _(MESSAGES["no_id"], element=kind))
            if kind in SUBPROCESSES:
                self._subprocess(element, group)
            elif kind in TASKS | GATEWAYS | EVENTS:
                self._flow_node(element, group)
            else:
                self.note(element, _(MESSAGES["not_kept"], kind=kind))
        for flow in container.find_all("sequenceFlow", BPMN):
            source, target = self.ref(flow, "sourceRef"), self.ref(flow, "targetRef")
            data = self.sf(flow, "link")
            name = flow.get("name")
            if name is None:
                condition = flow.find("conditionExpression", BPMN)
                if condition is not None and condition.text.strip():
                    name = condition.text.strip()
            self.flows.append(_Flow(flow.get("id", ""), source, target, name, len(self.flows), self.sf(flow, "added") is not None, data, element=flow))

    def _subprocess(self, element: XmlElement, group: Optional[str]) -> None:
        inner = [child for child in element.children if child.namespace == BPMN and child.name in TASKS | SUBPROCESSES | GATEWAYS | EVENTS]
        if not inner:
            self._flow_node(element, group, shape="subroutine")
            self.note(element, _(MESSAGES["collapsed"]))
            return
        group_id = element.get("id")
        parent = group if group is not None else self.lane_of.get(group_id)
        self.draft.groups.append(DraftGroup(group_id, element.get("name") or group_id, parent, False))
        self.subprocess_parts[group_id] = [child.get("id") for child in inner]
        for child in inner:
            self.lane_of.setdefault(child.get("id"), self.lane_of.get(group_id, ""))
        self._contents(element, group_id)
        self.vendor_extensions(element)

    def _flow_node(self, element: XmlElement, group: Optional[str], shape: Optional[str] = None) -> None:
        kind, element_id = element.name, element.get("id")
        self.vendor_extensions(element)
        if self.sf(element, "added") is not None:
            self.added.add(element_id)
            if kind in GATEWAYS:
                self.through[element_id] = "added"
            return
        # A gateway salesflow wrote for a decision of its own (its <sf:stage>) is that stage even
        # when one link leaves it (a chart's `{{…}}` with a single way on): not a join to pass through.
        joins = kind in GATEWAYS and len(list(element.find_all("outgoing", BPMN))) <= 1 and not self._forks(element_id)
        if kind == "parallelGateway" or (joins and self.sf(element, "stage") is None):
            self.through[element_id] = "parallel" if kind == "parallelGateway" else "join"
            self.note(element, _(MESSAGES["parallel" if kind == "parallelGateway" else "join"]))
            return
        name = element.get("name") or ""
        node = DraftNode(element_id, name, group=group if group is not None else self.lane_of.get(element_id) or None)
        definitions = [c.name.replace("EventDefinition", "") for c in element.children if c.namespace == BPMN and c.name.endswith("EventDefinition")]
        trigger = f"; its trigger ({', '.join(definitions)}) is not kept" if definitions else ""
        if kind in TASKS:
            node.shape = shape or "square"
            if kind not in PLAIN_TASKS:
                self.note(element, _(MESSAGES["task_kind"], kind=kind))
        elif kind in SUBPROCESSES:
            node.shape = shape or "subroutine"
        elif kind in GATEWAYS:
            node.shape, node.kind = "diamond", None
            if kind != "exclusiveGateway":
                self.note(element, _(MESSAGES[{"inclusiveGateway": "inclusive", "eventBasedGateway": "event_based"}.get(kind, "complex")]))
        elif kind in ("startEvent", "endEvent"):
            node.shape = "stadium"
            node.text = name or ("Start" if kind == "startEvent" else "End")
            if definitions:
                self.note(element, _(MESSAGES["event_definition"], trigger=", ".join(definitions)))
        elif kind == "boundaryEvent":
            node.shape = "round"
            activity = self.ref(element, "attachedToRef")
            if node.group is None:
                node.group = self.lane_of.get(activity) or None
            self.flows.append(_Flow("", activity, element_id, None, len(self.flows)))
            self.note(element, _(MESSAGES["boundary"], activity=self.by_id[activity].get("name") or activity, trigger=trigger))
        else:
            node.shape = "round"
            self.note(element, _(MESSAGES["intermediate"], trigger=trigger))
        own = self.sf(element, "stage")
        if own is not None:
            self._own_stage(node, own)
        else:
            self._foreign_stage(node, element, kind)
        self.nodes[element_id] = node
        self.node_elements[element_id] = element
        self.draft.nodes.append(node)

    def _forks(self, element_id: str) -> bool:
        return self.flows_out.get(element_id, 0) > 1

    def _own_stage(self, node: DraftNode, own: XmlElement) -> None:
        from ..render.labels import plain_text

        node.id = own.get("node") or node.id
        written, label_format = own.get("label"), own.get("format") or "text"
        # The label as written, unless the element was renamed in a BPMN tool since.
        if written is not None and plain_text(written, label_format) == node.text:
            node.label, node.label_format = written, label_format
        node.shape = own.get("shape") or None  # type: ignore[assignment]
        node.kind = own.get("kind")
        node.owner = own.get("owner")
        node.due = own.get("due")
        node.steps = [c.text for c in own.find_all("step", NAMESPACE)]
        node.resources = [c.text for c in own.find_all("resource", NAMESPACE)]
        node.checks = [c.text for c in own.find_all("check", NAMESPACE)]
        node.kpi = [c.text for c in own.find_all("kpi", NAMESPACE)]
        notes = [c.text for c in own.find_all("note", NAMESPACE)]
        node.note = notes[0] if notes else None
        if own.get("subgraph"):
            node.group = own.get("subgraph")

    def _foreign_stage(self, node: DraftNode, element: XmlElement, kind: str) -> None:
        documentation = "\n".join(d.text.strip() for d in element.find_all("documentation", BPMN) if d.text.strip())
        node.note = documentation or None
        for role in element.children:
            if role.namespace == BPMN and role.name in ("humanPerformer", "performer", "potentialOwner"):
                owner = role.get("name")
                expression = role.find("resourceAssignmentExpression", BPMN)
                if not owner and expression is not None:
                    formal = expression.find("formalExpression", BPMN) or expression.find("expression", BPMN)
                    owner = formal.text.strip() if formal is not None else None
                resource = role.find("resourceRef", BPMN)
                if not owner and resource is not None and resource.text.strip() in self.by_id:
                    owner = self.by_id[resource.text.strip()].get("name")
                if owner:
                    node.owner = owner
                    break

    def _groups(self, processes: list[XmlElement]) -> None:
        for process in processes:
            for group in process.find_all("group", BPMN):
                own = self.sf(group, "group")
                if own is None:
                    self._drawn_group(group)
                    continue
                value = self.by_id.get(group.get("categoryValueRef", ""))
                title = value.get("value") if value is not None else own.get("subgraph")
                group = DraftGroup(own.get("subgraph"), title or own.get("subgraph"), own.get("parent"), False)
                if own.get("title") is not None:
                    group.label, group.label_format = own.get("title"), own.get("format") or "text"
                self.draft.groups.append(group)

    def _bounds(self) -> dict[str, tuple[float, float, float, float]]:
        """Each drawn element's box (x, y, width, height), from the diagram interchange."""
        if not hasattr(self, "_drawn"):
            self._drawn: dict[str, tuple[float, float, float, float]] = {}
            for shape in self.root.walk():
                if shape.name != "BPMNShape":
                    continue
                bounds = next((c for c in shape.children if c.name == "Bounds"), None)
                try:
                    box = tuple(float(bounds.get(k, "")) for k in ("x", "y", "width", "height")) if bounds else None
                except ValueError:
                    box = None
                if box is not None and shape.get("bpmnElement"):
                    self._drawn[shape.get("bpmnElement")] = box  # type: ignore[assignment]
        return self._drawn

    def _drawn_group(self, group: XmlElement) -> None:
        """A BPMN group says nothing about which steps it holds, but where it is drawn does: it is
        read as a subgraph around the steps drawn inside it, when they share a lane."""
        drawn = self._bounds()
        box = drawn.get(group.get("id", ""))
        value = self.by_id.get(group.get("categoryValueRef", ""))
        title = (value.get("value") if value is not None else None) or group.get("name") or ""
        inside = []
        if box is not None:
            x, y, width, height = box
            for node_id, node in self.nodes.items():
                if node_id in drawn:
                    nx, ny, nw, nh = drawn[node_id]
                    if x <= nx + nw / 2 <= x + width and y <= ny + nh / 2 <= y + height:
                        inside.append(node)
        holders = {node.group for node in inside}
        if not inside or len(holders) != 1:
            self.note(group, _(MESSAGES["group"]) if not inside else _(MESSAGES["group_across"]))
            return
        holder = holders.pop()
        subgraph = DraftGroup(group.get("id", ""), title or group.get("id", ""), holder, False)
        self.draft.groups.append(subgraph)
        for node in inside:
            node.group = subgraph.id
        self.note(group, _(MESSAGES["group_read"], count=len(inside)))

    def _annotations(self, processes: list[XmlElement]) -> None:
        for process in processes:
            annotations = {a.get("id"): a for a in process.walk() if a.name == "textAnnotation" and a.namespace == BPMN}
            attached = set()
            flows = {flow.id: flow for flow in self.flows}
            for association in (a for a in process.walk() if a.name == "association" and a.namespace == BPMN):
                source, target = association.get("sourceRef"), association.get("targetRef")
                if target not in annotations and source in annotations:
                    source, target = target, source
                if target not in annotations:
                    continue
                text_element = annotations[target].find("text", BPMN)
                text = text_element.text.strip() if text_element is not None else ""
                if source in self.nodes and text:
                    node = self.nodes[source]
                    node.note = f"{node.note}\n{text}" if node.note and text not in node.note else (node.note or text)
                    attached.add(target)
                elif source in flows and text:
                    flow = flows[source]
                    if flow.name is None:
                        flow.name = text
                    attached.add(target)
            for annotation_id, annotation in annotations.items():
                if annotation_id not in attached:
                    self.note(annotation, _(MESSAGES["annotation"]))

    # ------------------------------------------------------------------ links

    def _links(self) -> None:
        flows = [flow for flow in self.flows if flow.source not in self.added or flow.source in self.through]
        flows = [flow for flow in flows if flow.target not in self.added or flow.target in self.through]
        # Into a sub-process: to its start; out of one: from its ends.
        for group_id, parts in self.subprocess_parts.items():
            inside = set(parts)
            starts = [p for p in parts if p in self.nodes and not any(f.target == p and f.source in inside for f in flows)]
            ends = [p for p in parts if p in self.nodes and not any(f.source == p and f.target in inside for f in flows)]
            rewired = []
            touched = False
            for flow in flows:
                if flow.target == group_id:
                    rewired += [_Flow(flow.id, flow.source, s, flow.name, flow.order, flow.added, flow.data) for s in starts[:1] or starts]
                    touched = True
                elif flow.source == group_id:
                    rewired += [_Flow(flow.id if i == 0 else "", e, flow.target, flow.name, flow.order, flow.added, flow.data) for i, e in enumerate(ends)]
                    touched = True
                else:
                    rewired.append(flow)
            flows = rewired
            if touched:
                self.note(self.by_id[group_id], _(MESSAGES["into_subprocess"]))
        # Links run straight through gateways that are not stages.
        for gateway in self.through:
            into = [f for f in flows if f.target == gateway]
            out = [f for f in flows if f.source == gateway]
            rest = [f for f in flows if f.target != gateway and f.source != gateway]
            for a in into:
                for b in out:
                    rest.append(_merge(a, b))
            flows = rest
        flows.sort(key=lambda flow: flow.order)
        for flow in flows:
            if flow.source not in self.nodes or flow.target not in self.nodes:
                continue
            edge = DraftEdge(self.nodes[flow.source].id, self.nodes[flow.target].id, flow.name, flow.id or None, stroke=flow.stroke)
            if flow.data is not None:
                data = flow.data
                edge.id = data.get("id")
                edge.rate, edge.note = data.get("rate"), data.get("note")
                edge.stroke = data.get("stroke") or "normal"
                if data.get("text"):
                    edge.text = data.get("text")
                if data.get("label") is not None:
                    edge.label, edge.label_format = data.get("label"), data.get("format") or "text"
            elif flow.element is not None and not self.own_file:
                documentation = [d.text.strip() for d in flow.element.find_all("documentation", BPMN) if d.text.strip()]
                edge.note = "\n".join(documentation) or None
            self.draft.edges.append(edge)
        if not self.own_file:
            # An event that links lead into (out of) is still the start (end) it was drawn as.
            targets = {e.target for e in self.draft.edges}
            sources = {e.source for e in self.draft.edges}
            for node_id, node in self.nodes.items():
                kind = self.node_elements[node_id].name
                if kind == "startEvent" and node.id in targets:
                    node.kind = "start"
                elif kind == "endEvent" and node.id in sources:
                    node.kind = "end"


def _merge(a: _Flow, b: _Flow) -> _Flow:
    """The link from `a`'s source to `b`'s target, through the gateway between them."""
    if a.added and not b.added:
        return _Flow(b.id, a.source, b.target, b.name, b.order, False, b.data, b.stroke, b.element)
    if b.added and not a.added:
        return _Flow(a.id, a.source, b.target, a.name, a.order, False, a.data, a.stroke, a.element)
    name = " / ".join(n for n in (a.name, b.name) if n) or None
    return _Flow(b.id if not a.id else (a.id if not b.id else ""), a.source, b.target, name, max(a.order, b.order), a.added and b.added, b.data or a.data, b.stroke, b.element or a.element)


def read_bpmn(data: bytes, path: str) -> tuple[Draft, Report]:
    """The draft chart of a BPMN file, and the report of what it could not keep."""
    report = Report(path)
    root = read_xml(data, path)
    reader = _Reader(path, root, report)
    draft = reader.read(data.decode("utf-8", "replace"))
    return draft, report
