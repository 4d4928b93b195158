"""What the handbook shows, worked out from the process before any template sees it.

Templates only lay out these plain objects; every decision about order, grouping and totals is
made here, in Python, where it can be tested without HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

from ..findings import SEVERITIES, Finding
from ..graph import ProcessGraph, Step
from ..handover import carried_label, is_handover
from ..model import Click, Duration, Edge, Node, Process
from .paths import SlowestPath, slowest_path
from .text import safe_url


@dataclass
class Stage:
    """A node as the handbook presents it: a card, a row in the tables, a link target."""

    node: Node
    number: int  # 1-based, in flow order
    anchor: str
    kind: str  # start | end | decision | task: `ProcessGraph.kind`
    link: Optional[str] = None  # a safe http(s) or relative URL from a `click` statement
    link_title: Optional[str] = None
    incoming: list["Connection"] = field(default_factory=list)
    outgoing: list["Connection"] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    on_slowest_path: bool = False

    @property
    def label(self) -> str:
        return self.node.label

    @property
    def title(self) -> str:
        """The label as one line of plain text (for tables, headers and the page title)."""
        return " ".join(self.node.text.split())

    @property
    def owner(self) -> Optional[str]:
        return self.node.owner

    @property
    def due(self) -> Optional[Duration]:
        return self.node.due

    @property
    def unreadable_due(self) -> Optional[str]:
        """A deadline written as something that is not a duration (`尽快`), as written."""
        unreadable = self.node.unreadable_value("due")
        return unreadable.text if unreadable is not None else None


@dataclass(frozen=True)
class Connection:
    """One step between two stages, seen from either end."""

    source: Stage
    target: Stage
    edge: Edge

    @property
    def label(self) -> Optional[str]:
        return self.edge.label

    @property
    def note(self) -> Optional[str]:
        return self.edge.note

    @property
    def rate(self) -> Optional[str]:
        """The conversion rate as written; one that does not read is marked `(?)`."""
        from ..render.labels import rate_text

        return rate_text(self.edge)

    @property
    def handed_over(self) -> Optional[str]:
        """What the label says is passed on: on a decision's branch, only what follows the answer (是/否)."""
        return carried_label(self.edge, self.source.node)

    @property
    def is_loop_back(self) -> bool:
        """Whether the link leads up the handbook's list of stages (shown ↩), not down it (↘).

        A matter of where the stages stand in the printed list, which follows the flow; whether the
        link closes a loop in the process is graph.py's `edges_leading_back`.
        """
        return self.target.number <= self.source.number


@dataclass
class Role:
    """A department or person and what the process asks of them."""

    name: Optional[str]  # None: the stages nobody owns
    anchor: str
    stages: list[Stage]
    receives: list[Connection]
    hands_over: list[Connection]
    in_roster: bool

    @property
    def hours(self) -> float:
        return round(sum(s.due.hours for s in self.stages if s.due), 6)

    @property
    def missing_deadlines(self) -> int:
        return sum(1 for s in self.stages if s.due is None)


@dataclass
class PathRow:
    stage: Stage
    cumulative: float


@dataclass
class FindingGroup:
    """All findings of one rule: a reader fixes one kind of problem at a time."""

    rule: str
    code: str
    severity: str
    findings: list[Finding]
    stages: list[Stage]  # the stages they are about, in flow order, each once


@dataclass
class Health:
    findings: list[Finding]  # sorted: severity, then position
    counts: dict[str, int]
    groups: list[FindingGroup] = field(default_factory=list)

    @property
    def passes(self) -> bool:
        return not self.findings


@dataclass
class Handbook:
    """Everything the templates need for one handbook."""

    process: Process
    stages: list[Stage]  # the stages shown (all, or one role's), in flow order
    all_stages: list[Stage]
    roles: list[Role]  # the roles shown (all, or the one asked for)
    handovers: list[Connection]
    path: Optional[SlowestPath]
    path_rows: list[PathRow]
    health: Health
    role: Optional[Role] = None  # set for a one-department handout
    unowned: int = 0  # stages without an owner, in the whole process
    stage_by_id: dict[str, Stage] = field(default_factory=dict)

    @property
    def title(self) -> Optional[str]:
        return self.process.title

    def stage(self, node_id: Optional[str]) -> Optional[Stage]:
        return self.stage_by_id.get(node_id) if node_id else None


def _first_link(clicks: Sequence[Click]) -> dict[str, Click]:
    links: dict[str, Click] = {}
    for click in clicks:
        if click.action == "link" and click.node not in links:
            links[click.node] = click
    return links


def _role_order(process: Process, owners: Sequence[Optional[str]]) -> list[str]:
    """The roster first (as the front matter lists it), then lanes that own stages, then other owners.

    `owners` are the stages' owners in flow order.
    """
    names: dict[str, None] = dict.fromkeys(process.roles)
    owning = set(owners)
    lanes = {s.id: s.title for s in process.subgraphs if s.is_lane}
    for lane_id in process.lanes:
        title = lanes.get(lane_id)
        if title and title in owning:
            names.setdefault(title, None)
    for owner in owners:
        if owner:
            names.setdefault(owner, None)
    return list(names)


def role_names(process: Process) -> list[str]:
    """Every role a handout can be made for: the roster, and every owner the stages name."""
    graph = ProcessGraph(process)
    return _role_order(process, [process.node(n).owner for n in graph.flow_order])


def build(process: Process, findings: Sequence[Finding] = (), role: Optional[str] = None) -> Handbook:
    """Lay out `process` for the handbook; with `role`, for that one department's handout.

    `role` must be one of `role_names(process)` (the CLI checks and suggests).
    """
    graph = ProcessGraph(process)
    links = _first_link(process.clicks)
    stages: list[Stage] = []
    by_id: dict[str, Stage] = {}
    for number, node_id in enumerate(graph.flow_order, start=1):
        node = process.node(node_id)
        click = links.get(node_id)
        stage = Stage(
            node=node,
            number=number,
            anchor=f"stage-{number}",
            kind=graph.kind(node),
            link=safe_url(click.target) if click else None,
            link_title=(click.tooltip or None) if click else None,
        )
        stages.append(stage)
        by_id[node_id] = stage

    seen_steps: set[tuple[str, str, int]] = set()
    for step in graph.steps:
        key = (step.source, step.target, step.edge.index)
        if key in seen_steps:
            continue
        seen_steps.add(key)
        connection = _connection(step, by_id)
        connection.source.outgoing.append(connection)
        connection.target.incoming.append(connection)
    for stage in stages:
        # A reader scans branches in flow order, not in the order the author typed the edges.
        stage.outgoing.sort(key=lambda c: (c.target.number, c.edge.index))
        stage.incoming.sort(key=lambda c: (c.source.number, c.edge.index))

    sorted_findings = sorted(findings, key=_finding_order)
    for finding in sorted_findings:
        if finding.node and finding.node in by_id:
            by_id[finding.node].findings.append(finding)

    path = slowest_path(graph)
    path_rows: list[PathRow] = []
    if path is not None:
        total = 0.0
        for node_id in path.nodes:
            stage = by_id[node_id]
            stage.on_slowest_path = True
            total += stage.due.hours if stage.due else 0.0
            path_rows.append(PathRow(stage, round(total, 6)))

    handovers = [c for s in stages for c in s.outgoing if is_handover(graph, c.source.node, c.target.node)]
    names = _role_order(process, [s.owner for s in stages])
    roles = [_role(name, i, stages, process) for i, name in enumerate(names, start=1)]
    unowned = [s for s in stages if not s.owner]
    if unowned:
        roles.append(_role(None, len(roles) + 1, stages, process))

    chosen: Optional[Role] = None
    shown_stages = stages
    shown_findings = sorted_findings
    if role is not None:
        chosen = next((r for r in roles if r.name == role), None)
        if chosen is None:
            chosen = _role(role, 1, stages, process)
        roles = [chosen]
        mine = {s.node.id for s in chosen.stages}
        shown_stages = chosen.stages
        handovers = [c for c in handovers if c.source.node.id in mine or c.target.node.id in mine]
        shown_findings = [f for f in sorted_findings if _concerns(f, mine, process)]

    counts = {severity: 0 for severity in SEVERITIES}
    for finding in shown_findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    groups = _group(shown_findings, by_id)
    return Handbook(
        process=process,
        stages=shown_stages,
        all_stages=stages,
        roles=roles,
        handovers=handovers,
        path=path,
        path_rows=path_rows,
        health=Health(shown_findings, counts, groups),
        role=chosen,
        unowned=len(unowned),
        stage_by_id=by_id,
    )


def _connection(step: Step, by_id: dict[str, Stage]) -> Connection:
    return Connection(by_id[step.source], by_id[step.target], step.edge)


def _role(name: Optional[str], number: int, stages: list[Stage], process: Process) -> Role:
    mine = [s for s in stages if s.owner == name]
    ids = {s.node.id for s in mine}
    receives = [c for s in mine for c in s.incoming if c.source.node.id not in ids]
    hands_over = [c for s in mine for c in s.outgoing if c.target.node.id not in ids]
    return Role(
        name=name,
        anchor=f"role-{number}",
        stages=mine,
        receives=receives,
        hands_over=hands_over,
        in_roster=name in process.roles,
    )


def _group(findings: Sequence[Finding], by_id: dict[str, Stage]) -> list[FindingGroup]:
    """Findings grouped by rule, most severe first, then in the order the chart meets them."""
    groups: dict[tuple[str, str], FindingGroup] = {}
    for finding in findings:  # already sorted by severity and position
        key = (finding.severity, finding.rule)
        group = groups.get(key)
        if group is None:
            group = groups[key] = FindingGroup(finding.rule, finding.code, finding.severity, [], [])
        group.findings.append(finding)
        stage = by_id.get(finding.node) if finding.node else None
        if stage is not None and stage not in group.stages:
            group.stages.append(stage)
    for group in groups.values():
        group.stages.sort(key=lambda s: s.number)
    return list(groups.values())


def _finding_order(finding: Finding) -> tuple:
    rank = SEVERITIES.index(finding.severity) if finding.severity in SEVERITIES else len(SEVERITIES)
    return (rank, finding.line, finding.column, finding.code)


def _concerns(finding: Finding, node_ids: set[str], process: Process) -> bool:
    """Whether a finding is about one of `node_ids` (directly, or through an edge touching one)."""
    if finding.node is not None:
        return finding.node in node_ids
    if finding.edge is not None:
        edge = next((e for e in process.edges if e.index == finding.edge), None)
        return edge is not None and (edge.source in node_ids or edge.target in node_ids)
    return False
