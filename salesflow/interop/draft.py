"""What an import found, in salesflow's terms, and the process file it becomes.

`bpmn_in.py` and `drawio_in.py` each fill a `Draft`; `to_text` turns it into a process file by
way of the model and the Mermaid renderer (the same text `render -f mermaid` and `fmt` write),
then reads that text back with salesflow's own parser, so an import never writes a file that
salesflow itself cannot read. Ids are kept when they are valid node ids and new ones are made
otherwise; labels may hold any text (the renderer escapes it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..i18n import N_, _
from ..mermaid_vocabulary import CLICK_WORDS, NODE_ID, is_reserved_id
from ..model import Duration, Edge, Node, Process, Span, Subgraph, Unreadable

NOT_A_RATE = N_("`{text}` is not a conversion rate")


@dataclass
class DraftNode:
    id: str  # as the file names it
    text: str  # the label as a reader sees it
    shape: str = "square"  # a key of mermaid_vocabulary.BRACKETS
    kind: Optional[str] = None  # "start", "end", "decision" or None (what the shape says)
    owner: Optional[str] = None
    due: Optional[str] = None
    steps: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    kpi: list[str] = field(default_factory=list)
    note: Optional[str] = None
    group: Optional[str] = None  # the innermost DraftGroup's id
    label: Optional[str] = None  # the label exactly as written in a salesflow chart, when known
    label_format: str = "text"


@dataclass
class DraftEdge:
    source: str
    target: str
    text: Optional[str] = None
    id: Optional[str] = None
    rate: Optional[str] = None
    note: Optional[str] = None
    stroke: str = "normal"
    label: Optional[str] = None  # exactly as written, when known
    label_format: str = "text"


@dataclass
class DraftGroup:
    id: str
    title: str  # as a reader sees it
    parent: Optional[str] = None
    is_lane: bool = False
    label: Optional[str] = None  # the title exactly as written in a salesflow chart, when known
    label_format: str = "text"


@dataclass
class Draft:
    title: Optional[str] = None
    direction: str = "LR"
    nodes: list[DraftNode] = field(default_factory=list)
    edges: list[DraftEdge] = field(default_factory=list)
    groups: list[DraftGroup] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    target: Optional[str] = None
    lang: Optional[str] = None
    lane_order: list[str] = field(default_factory=list)  # lane group ids, in order
    # Write the nodes group by group (a file from another tool lists them in any order); a
    # chart read back from salesflow's own export keeps the order it was written in.
    regroup: bool = True


_NOT_ID = re.compile(r"[^A-Za-z0-9_]+")


class _Ids:
    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.mapping: dict[str, str] = {}

    def of(self, wanted: str, prefix: str) -> str:
        if wanted in self.mapping:
            return self.mapping[wanted]
        good = NODE_ID.fullmatch(wanted) is not None and not is_reserved_id(wanted) and "%" not in wanted
        base = wanted if good else prefix + "_" + (_NOT_ID.sub("_", wanted).strip("_") or "x")
        candidate, counter = base, 2
        while candidate in self.taken:
            candidate = f"{base}_{counter}"
            counter += 1
        self.taken.add(candidate)
        self.mapping[wanted] = candidate
        return candidate


def _label(text: str) -> str:
    """A plain text as a label Mermaid shows as that text: markup characters and line breaks as
    Mermaid writes them (the renderer quotes the rest)."""
    text = text.replace("#", "#35;").replace("<", "#lt;").replace(">", "#gt;")
    return "<br>".join(part.strip() for part in text.splitlines()) if "\n" in text or "\r" in text else text


def _duration(text: str, span: Span) -> tuple[Optional[Duration], tuple[Unreadable, ...]]:
    from ..durations import parse_duration
    from ..errors import DurationError

    try:
        return parse_duration(text), ()
    except DurationError as exc:
        return None, (Unreadable("due", text, str(exc), span),)


def _ordered(draft: Draft) -> tuple[list[DraftGroup], list[DraftNode]]:
    """Subgraphs in the order the parser lists them (each after the ones inside it), and the nodes
    in the order they are written: those in no subgraph first, then subgraph by subgraph."""
    groups = {group.id: group for group in draft.groups}
    children: dict[Optional[str], list[str]] = {None: []}
    for group in draft.groups:
        children.setdefault(group.id, [])
        children.setdefault(group.parent if group.parent in groups else None, []).append(group.id)
    lanes = [g for g in draft.lane_order if g in children[None]]
    roots = lanes + [g for g in children[None] if g not in lanes]
    after: list[DraftGroup] = []
    before: list[str] = []

    def visit(group_id: str, depth: int = 0) -> None:
        before.append(group_id)
        for child in children[group_id] if depth < 64 else ():
            visit(child, depth + 1)
        after.append(groups[group_id])

    for root in roots:
        visit(root)
    if not draft.regroup:
        return after, list(draft.nodes)
    rank = {group_id: index for index, group_id in enumerate(before)}
    nodes = sorted(draft.nodes, key=lambda node: rank[node.group] + 1 if node.group in rank else 0)
    return after, nodes


def to_process(draft: Draft, path: str) -> Process:
    span = Span.point(1, 1)
    ordered_groups, ordered_nodes = _ordered(draft)
    node_ids, group_ids = _Ids(), _Ids()
    groups = {group.id: group for group in draft.groups}
    for group in draft.groups:
        group_ids.of(group.id, "group")
    node_ids.taken |= set(group_ids.mapping.values())  # a node and a subgraph may not share an id
    lane_of: dict[str, Optional[str]] = {}

    def lane(group_id: Optional[str]) -> Optional[str]:
        while group_id is not None and group_id in groups:
            if groups[group_id].is_lane and groups[group_id].parent is None:
                return group_id
            group_id = groups[group_id].parent
        return None

    nodes = []
    members: dict[str, list[str]] = {group.id: [] for group in draft.groups}
    for item in ordered_nodes:
        node_id = node_ids.of(item.id, "n")
        group = item.group if item.group in groups else None
        lane_id = lane(group)
        lane_of[node_id] = lane_id
        lane_title = (groups[lane_id].label if groups[lane_id].label is not None else _label(groups[lane_id].title)) if lane_id else None
        owner, from_lane = item.owner, False
        if owner is None and lane_title:
            owner, from_lane = lane_title, True
        elif owner is not None and owner == lane_title:
            from_lane = True
        due, unreadable = _duration(item.due, span) if item.due else (None, ())
        if group is not None:
            members[group].append(node_id)
        nodes.append(
            Node(
                node_id, item.label if item.label is not None else _label(item.text) or node_id, item.label_format,
                item.shape, span, owner=owner, owner_from_lane=from_lane, due=due, steps=tuple(item.steps),
                resources=tuple(item.resources), checks=tuple(item.checks), kpi=tuple(item.kpi), kind=item.kind,
                note=item.note, subgraph=group_ids.of(group, "group") if group else None,
                lane=group_ids.of(lane_id, "group") if lane_id else None, unreadable=unreadable,
            )
        )
    for group in ordered_groups:  # after a subgraph's own nodes, as they are written
        if group.parent in members:
            members[group.parent].append(group_ids.of(group.id, "group"))
    edges = []
    for index, item in enumerate(draft.edges):
        if item.source not in node_ids.mapping or item.target not in node_ids.mapping:
            continue
        rate, rate_text, unreadable = _rate(item.rate, span)
        label = item.label if item.label is not None else (_label(item.text) if item.text else None)
        edges.append(
            Edge(
                node_ids.mapping[item.source], node_ids.mapping[item.target], item.stroke, "none", "arrow", 1, label,
                span, len(edges), id=_edge_id(item.id, node_ids, node_ids.mapping[item.source]), rate=rate, rate_text=rate_text, note=item.note,
                unreadable=unreadable, label_format=item.label_format,
            )
        )
    subgraphs = tuple(
        Subgraph(
            group_ids.of(group.id, "group"), group.label if group.label is not None else _label(group.title),
            tuple(members[group.id]), None, group_ids.of(group.parent, "group") if group.parent in groups else None, span,
            is_lane=group.is_lane and group.parent is None, title_format=group.label_format,
        )
        for group in ordered_groups
    )
    lanes = tuple(group_ids.of(g, "group") for g in draft.lane_order if g in groups)
    target = None
    unreadable_target: tuple[Unreadable, ...] = ()
    if draft.target:
        target, found = _duration(draft.target, span)
        unreadable_target = tuple(Unreadable("target", u.text, u.problem, u.span) for u in found)
    return Process(
        path, draft.direction, "flowchart", tuple(nodes), tuple(edges), subgraphs, title=draft.title,
        goals=tuple(draft.goals), target=target, roles=tuple(draft.roles), lanes=lanes, lang=draft.lang,
        unreadable=unreadable_target,
    )


def _edge_id(wanted: Optional[str], node_ids: _Ids, source: str) -> Optional[str]:
    # After a source named `call` or `href` an edge id (`call e1@-->`) does not read back as one:
    # the link is kept without it.
    if not wanted or NODE_ID.fullmatch(wanted) is None or is_reserved_id(wanted) or wanted in node_ids.taken:
        return None
    if source in CLICK_WORDS:
        return None
    node_ids.taken.add(wanted)
    return wanted


def _rate(text: Optional[str], span: Span) -> tuple[Optional[float], Optional[str], tuple[Unreadable, ...]]:
    """A conversion rate as the parser reads one; one that does not read is kept as written."""
    from ..parsing.metadata import parse_rate

    if not text:
        return None, None, ()
    value = parse_rate(text)
    if value is None:
        return None, None, (Unreadable("rate", text, _(NOT_A_RATE, text=text), span),)
    return value, text, ()


def to_text(draft: Draft, path: str) -> tuple[str, Process]:
    """The process file for `draft`, and the process salesflow reads from it (`path` names it in
    messages). Raises ParseError if the text would not read, which would be salesflow's fault."""
    from ..parse import parse_text
    from ..render.mermaid import to_mermaid

    text = to_mermaid(to_process(draft, path))
    return text, parse_text(text, path)
