"""The process model: what a process file says, immutable and positioned.

The parser builds it; rules, renderers and the CLI only ever read it. Every element carries the
1-based source position of the text that declared it, so findings and errors can point there.

Labels and titles are kept as written (`客户说 #quot;太贵了#quot;`, `<b>报价</b>`), which is what
Mermaid receives and what `fmt` and the Mermaid renderer write back. What a reader sees — entity
codes decoded, markup applied, `<br>` as a line break — is each element's `text`, read once, on
first use, by salesflow/render/labels.py, the one place that knows Mermaid's label markup.
"""

from __future__ import annotations

from operator import attrgetter

# Shapes, and the kind of step each implies, are Mermaid's vocabulary (mermaid_vocabulary.py);
# TERMINAL_SHAPES is imported from here by the graph queries and rules that read a node's shape.
from .mermaid_vocabulary import BRACKETS, DECISION_SHAPES, TERMINAL_SHAPES, is_swimlane_header  # noqa: F401
# Frozen dataclasses that write their own __init__ (salesflow/records.py).
from .records import (
    Assignable as _Assignable, Record as _Record, assignable_twin as _assignable_twin, field, record as _record,
    set_field as _set, slot_setters as _slot_setters,
)

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Optional, Sequence

NODE_KINDS = ("start", "end", "task", "decision")

# Edge ends.
END_NONE, END_ARROW, END_CIRCLE, END_CROSS = "none", "arrow", "circle", "cross"
# Edge strokes.
STROKES = ("normal", "thick", "dotted", "invisible")


_NODE_ID, _SOURCE, _TARGET = attrgetter("id"), attrgetter("source"), attrgetter("target")


def _shown(label: str, label_format: str = "text") -> str:
    global _shown
    from .render.labels import plain_text  # imported late: most runs never look at a label's text

    # From now on the reading itself: an import statement per label costs more than the reading
    # of a plain label, and a large chart's every label is read.
    _shown = plain_text
    return plain_text(label, label_format)


@_record
class Span(_Assignable, _Record):  # made by the thousand in one step: see `new_span`
    """A stretch of source text: 1-based line and column of its start and end (end exclusive)."""

    __slots__ = ("line", "column", "end_line", "end_column")
    line: int
    column: int
    end_line: int
    end_column: int

    def __init__(self, line: int, column: int, end_line: int, end_column: int) -> None:
        _span_line(self, line)
        _span_column(self, column)
        _span_end_line(self, end_line)
        _span_end_column(self, end_column)

    @staticmethod
    def point(line: int, column: int) -> "Span":
        return Span(line, column, line, column + 1)


# Spans, nodes and edges are made by the ten thousand: their `__init__` sets each slot through
# its own setter (see records.slot_setters).
_span_line, _span_column, _span_end_line, _span_end_column = _slot_setters(Span)

# The parser makes them by the ten thousand through these functions, which assign the fields of a
# twin of the same layout and then make it the record (see records.assignable_twin): a quarter of
# the cost of `__init__`. They take every field, in order.
_blank = object.__new__
_SpanBeingMade = _assignable_twin(Span)


def new_span(line: int, column: int, end_line: int, end_column: int) -> Span:
    """`Span(line, column, end_line, end_column)`, made in one step."""
    span = _blank(_SpanBeingMade)
    span.line = line
    span.column = column
    span.end_line = end_line
    span.end_column = end_column
    span.__class__ = Span
    return span


@_record
class Duration(_Record):
    """A deadline or cycle time, as written and normalised.

    `hours` is elapsed calendar time in hours, so durations can be summed along a path:
    a minute is 1/60, an hour 1, a calendar day 24, a week 168, a working day 33.6 (five working
    days make one calendar week), a month 720 (30 days) and a quarter 2160. `unit` keeps which
    kind of unit the author wrote; `amount` is the figure that counts (a range's upper bound).
    """

    __slots__ = ("text", "amount", "unit", "hours")
    text: str
    amount: float
    unit: str  # "minute" | "hour" | "day" | "workday" | "week" | "month" | "quarter"
    hours: float

    def __init__(self, text: str, amount: float, unit: str, hours: float) -> None:
        _set(self, "text", text)
        _set(self, "amount", amount)
        _set(self, "unit", unit)
        _set(self, "hours", hours)


@_record
class Unreadable(_Record):
    """A metadata value that does not read (`due: 尽快`, `rate: high`, `kind: 开始`), kept as written.

    The parser keeps it instead of stopping, so the rest of the chart is still read, reviewed and
    drawn; the lint rule for its key reports it at its place. The element's own field for the key
    (`due`, `rate`, `kind`, `target`) stays None.
    """

    __slots__ = ("key", "text", "problem", "span")
    key: str  # "due", "kind", "rate" or "target"
    text: str  # the value as written
    problem: str  # why it does not read and what would, e.g. "`尽快` is not a duration: …"
    span: Span  # where the value is written

    def __init__(self, key: str, text: str, problem: str, span: Span) -> None:
        _set(self, "key", key)
        _set(self, "text", text)
        _set(self, "problem", problem)
        _set(self, "span", span)


class _KeepsUnreadable:
    """What nodes, edges and the process share: the values of theirs that did not read."""

    __slots__ = ()
    unreadable: tuple[Unreadable, ...]

    def unreadable_value(self, key: str) -> Optional[Unreadable]:
        """The value given for `key` if it did not read, else None."""
        if not self.unreadable:  # nearly always: rules ask of every node
            return None
        return next((value for value in self.unreadable if value.key == key), None)


class _ShownText:
    """What nodes, edges and subgraphs share: their text as a reader sees it, read on first use and kept."""

    __slots__ = ("_text",)  # unset until first asked for; not a field: not compared, copied or pickled

    def _keep_text(self, text: Optional[str]) -> Optional[str]:
        _set(self, "_text", text)
        return text


@_record(slots=True)
class Node(_Record, _KeepsUnreadable, _ShownText):
    """A step of the process: a node of the chart with its metadata."""

    id: str
    label: str  # the text shown; the id when the node has no label of its own
    label_format: str  # "text" | "markdown" (a "`...`" label)
    shape: Optional[str]  # a key of BRACKETS, or a Mermaid `@{ shape: … }` name; None: plain id
    span: Span  # where the node was first written
    owner: Optional[str] = None  # the effective owner: the node's own, else its lane's title
    owner_from_lane: bool = False
    due: Optional[Duration] = None
    steps: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    kpi: tuple[str, ...] = ()
    crm: tuple[str, ...] = ()  # the stage's names in a CRM's stage history (`crm:`)
    kind: Optional[str] = None  # as declared in node data; see NODE_KINDS
    note: Optional[str] = None
    classes: tuple[str, ...] = ()
    subgraph: Optional[str] = None  # the innermost subgraph holding the node
    lane: Optional[str] = None  # the lane subgraph holding the node, if any
    data_span: Optional[Span] = None  # where its `@{ … }` node data was written
    # Node data keys that Mermaid itself understands (label, shape, icon, …), as written.
    mermaid_data: tuple[tuple[str, str], ...] = ()
    unreadable: tuple[Unreadable, ...] = ()  # `due` or `kind` values that did not read

    def __init__(
        self, id: str, label: str, label_format: str, shape: Optional[str], span: Span, owner: Optional[str] = None,
        owner_from_lane: bool = False, due: Optional[Duration] = None, steps: tuple[str, ...] = (),
        resources: tuple[str, ...] = (), checks: tuple[str, ...] = (), kpi: tuple[str, ...] = (),
        crm: tuple[str, ...] = (), kind: Optional[str] = None, note: Optional[str] = None, classes: tuple[str, ...] = (),
        subgraph: Optional[str] = None, lane: Optional[str] = None, data_span: Optional[Span] = None,
        mermaid_data: tuple[tuple[str, str], ...] = (), unreadable: tuple[Unreadable, ...] = (),
    ) -> None:
        _node_id(self, id)
        _node_label(self, label)
        _node_label_format(self, label_format)
        _node_shape(self, shape)
        _node_span(self, span)
        _node_owner(self, owner)
        _node_owner_from_lane(self, owner_from_lane)
        _node_due(self, due)
        _node_steps(self, steps)
        _node_resources(self, resources)
        _node_checks(self, checks)
        _node_kpi(self, kpi)
        _node_crm(self, crm)
        _node_kind(self, kind)
        _node_note(self, note)
        _node_classes(self, classes)
        _node_subgraph(self, subgraph)
        _node_lane(self, lane)
        _node_data_span(self, data_span)
        _node_mermaid_data(self, mermaid_data)
        _node_unreadable(self, unreadable)

    @property
    def is_decision(self) -> bool:
        return self.kind == "decision" or (self.kind is None and self.shape in DECISION_SHAPES)

    @property
    def text(self) -> str:
        """The label as a reader sees it: `#quot;` → `"`, markup dropped, lines joined by newlines."""
        try:
            return self._text
        except AttributeError:
            return self._keep_text(_shown(self.label, self.label_format))


(
    _node_id, _node_label, _node_label_format, _node_shape, _node_span, _node_owner, _node_owner_from_lane,
    _node_due, _node_steps, _node_resources, _node_checks, _node_kpi, _node_crm, _node_kind, _node_note,
    _node_classes, _node_subgraph, _node_lane, _node_data_span, _node_mermaid_data, _node_unreadable
) = _slot_setters(Node)
_NodeBeingMade = _assignable_twin(Node)


def new_node(
    id: str, label: str, label_format: str, shape: Optional[str], span: Span, owner: Optional[str],
    owner_from_lane: bool, due: Optional[Duration], steps: tuple[str, ...], resources: tuple[str, ...],
    checks: tuple[str, ...], kpi: tuple[str, ...], crm: tuple[str, ...], kind: Optional[str], note: Optional[str],
    classes: tuple[str, ...], subgraph: Optional[str], lane: Optional[str], data_span: Optional[Span],
    mermaid_data: tuple[tuple[str, str], ...], unreadable: tuple[Unreadable, ...],
) -> Node:
    """`Node(…)` with every field given in order, made in one step (see `new_span`)."""
    node = _blank(_NodeBeingMade)
    node.id = id
    node.label = label
    node.label_format = label_format
    node.shape = shape
    node.span = span
    node.owner = owner
    node.owner_from_lane = owner_from_lane
    node.due = due
    node.steps = steps
    node.resources = resources
    node.checks = checks
    node.kpi = kpi
    node.crm = crm
    node.kind = kind
    node.note = note
    node.classes = classes
    node.subgraph = subgraph
    node.lane = lane
    node.data_span = data_span
    node.mermaid_data = mermaid_data
    node.unreadable = unreadable
    node.__class__ = Node
    return node


@_record(slots=True)
class Edge(_Record, _KeepsUnreadable, _ShownText):
    """A link between two nodes, with its label and metadata."""

    source: str
    target: str
    stroke: str  # see STROKES
    start: str  # end marker at the source: see END_*
    end: str  # end marker at the target
    length: int  # 1 for `-->`, more for longer links such as `---->`
    label: Optional[str]
    span: Span  # the link itself
    index: int  # the edge's number in declaration order, as `linkStyle` counts
    id: Optional[str] = None  # the author's edge id (`A e1@--> B`)
    rate: Optional[float] = None  # conversion rate 0..1, from edge data
    rate_text: Optional[str] = None
    note: Optional[str] = None
    data_span: Optional[Span] = None
    unreadable: tuple[Unreadable, ...] = ()  # a `rate` that did not read
    label_format: str = "text"  # "text" | "markdown" (a "`...`" label)

    def __init__(
        self, source: str, target: str, stroke: str, start: str, end: str, length: int, label: Optional[str], span: Span,
        index: int, id: Optional[str] = None, rate: Optional[float] = None, rate_text: Optional[str] = None,
        note: Optional[str] = None, data_span: Optional[Span] = None, unreadable: tuple[Unreadable, ...] = (),
        label_format: str = "text",
    ) -> None:
        _edge_source(self, source)
        _edge_target(self, target)
        _edge_stroke(self, stroke)
        _edge_start(self, start)
        _edge_end(self, end)
        _edge_length(self, length)
        _edge_label(self, label)
        _edge_span(self, span)
        _edge_index(self, index)
        _edge_id(self, id)
        _edge_rate(self, rate)
        _edge_rate_text(self, rate_text)
        _edge_note(self, note)
        _edge_data_span(self, data_span)
        _edge_unreadable(self, unreadable)
        _edge_label_format(self, label_format)

    @property
    def text(self) -> Optional[str]:
        """The label as a reader sees it (see `Node.text`); None without a label."""
        try:
            return self._text
        except AttributeError:
            return self._keep_text(None if self.label is None else _shown(self.label, self.label_format))


(
    _edge_source, _edge_target, _edge_stroke, _edge_start, _edge_end, _edge_length, _edge_label, _edge_span,
    _edge_index, _edge_id, _edge_rate, _edge_rate_text, _edge_note, _edge_data_span, _edge_unreadable,
    _edge_label_format
) = _slot_setters(Edge)
_EdgeBeingMade = _assignable_twin(Edge)


def new_edge(
    source: str, target: str, stroke: str, start: str, end: str, length: int, label: Optional[str], span: Span,
    index: int, id: Optional[str], rate: Optional[float], rate_text: Optional[str], note: Optional[str],
    data_span: Optional[Span], unreadable: tuple[Unreadable, ...], label_format: str,
) -> Edge:
    """`Edge(…)` with every field given in order, made in one step (see `new_span`)."""
    edge = _blank(_EdgeBeingMade)
    edge.source = source
    edge.target = target
    edge.stroke = stroke
    edge.start = start
    edge.end = end
    edge.length = length
    edge.label = label
    edge.span = span
    edge.index = index
    edge.id = id
    edge.rate = rate
    edge.rate_text = rate_text
    edge.note = note
    edge.data_span = data_span
    edge.unreadable = unreadable
    edge.label_format = label_format
    edge.__class__ = Edge
    return edge


@_record(slots=True)
class Subgraph(_Record, _ShownText):
    """A `subgraph … end` block: a lane when the front matter or the diagram says so."""

    id: str
    title: str
    members: tuple[str, ...]  # node ids and nested subgraph ids, in order of appearance
    direction: Optional[str]
    parent: Optional[str]
    span: Span
    is_lane: bool = False
    title_format: str = "text"  # "text" | "markdown" (a "`...`" title)

    def __init__(
        self, id: str, title: str, members: tuple[str, ...], direction: Optional[str], parent: Optional[str], span: Span,
        is_lane: bool = False, title_format: str = "text",
    ) -> None:
        _set(self, 'id', id)
        _set(self, 'title', title)
        _set(self, 'members', members)
        _set(self, 'direction', direction)
        _set(self, 'parent', parent)
        _set(self, 'span', span)
        _set(self, 'is_lane', is_lane)
        _set(self, 'title_format', title_format)

    @property
    def text(self) -> str:
        """The title as a reader sees it (see `Node.text`)."""
        try:
            return self._text
        except AttributeError:
            return self._keep_text(_shown(self.title, self.title_format))


@_record(slots=True)
class Comment(_Record):
    """A whole-line `%%` comment (directive lines `%%{…}%%` included), kept for fmt and suppressions."""

    text: str  # everything after the `%%`
    span: Span

    def __init__(self, text: str, span: Span) -> None:
        _set(self, "text", text)
        _set(self, "span", span)


@_record(slots=True)
class ClassDef(_Record):
    """A `classDef NAME style` statement."""

    name: str
    style: str
    span: Span

    def __init__(self, name: str, style: str, span: Span) -> None:
        _set(self, "name", name)
        _set(self, "style", style)
        _set(self, "span", span)


@_record(slots=True)
class Click(_Record):
    """A `click ID …` statement: a link or a callback on a node."""

    node: str
    action: str  # "link" | "callback"
    target: str  # a URL or a callback name
    tooltip: Optional[str]
    window: Optional[str]  # _self, _blank, …
    span: Span

    def __init__(
        self, node: str, action: str, target: str, tooltip: Optional[str], window: Optional[str], span: Span
    ) -> None:
        _set(self, "node", node)
        _set(self, "action", action)
        _set(self, "target", target)
        _set(self, "tooltip", tooltip)
        _set(self, "window", window)
        _set(self, "span", span)


@_record(slots=True)
class Style(_Record):
    """A `style ID …` or `linkStyle …` statement."""

    target: str  # node id, or comma-separated edge numbers / "default" for linkStyle
    style: str
    is_link: bool
    span: Span

    def __init__(self, target: str, style: str, is_link: bool, span: Span) -> None:
        _set(self, "target", target)
        _set(self, "style", style)
        _set(self, "is_link", is_link)
        _set(self, "span", span)


@_record(slots=True)
class Process(_Record, _KeepsUnreadable):
    """A whole chart: its nodes, edges, subgraphs, statements and front matter."""

    path: str  # as given by the user; "<stdin>" for standard input
    direction: str  # TB, BT, LR or RL (TD and the arrow aliases are normalised)
    header: str  # "graph", "flowchart" (or "flowchart-elk"); "swimlane-beta" or "swimlane": a swimlane diagram
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    subgraphs: tuple[Subgraph, ...]
    title: Optional[str] = None
    goals: tuple[str, ...] = ()
    target: Optional[Duration] = None
    roles: tuple[str, ...] = ()
    lanes: tuple[str, ...] = ()  # the lane subgraphs, in drawing order: `lanes:`, or a swimlane diagram's top level
    lang: Optional[str] = None
    class_defs: tuple[ClassDef, ...] = ()
    styles: tuple[Style, ...] = ()
    clicks: tuple[Click, ...] = ()
    comments: tuple[Comment, ...] = ()
    acc_title: Optional[str] = None
    acc_descr: Optional[str] = None
    front_matter_span: Optional[Span] = None
    # Front matter keys that Mermaid itself understands (config, displayMode), as parsed.
    mermaid_front_matter: tuple[tuple[str, object], ...] = ()
    unreadable: tuple[Unreadable, ...] = ()  # a front matter `target` that did not read
    # For a chart inside Markdown: the lines before its code block. Spans already count them.
    line_offset: int = 0
    _index: dict = field(default=None, compare=False, repr=False, hash=False)  # type: ignore[assignment]
    # Each edge's ends by node number, when the reader of the chart gave them (see `link_numbers`).
    _links: Optional[tuple] = field(default=None, compare=False, repr=False, hash=False)

    def __init__(
        self, path: str, direction: str, header: str, nodes: tuple[Node, ...], edges: tuple[Edge, ...],
        subgraphs: tuple[Subgraph, ...], title: Optional[str] = None, goals: tuple[str, ...] = (),
        target: Optional[Duration] = None, roles: tuple[str, ...] = (), lanes: tuple[str, ...] = (),
        lang: Optional[str] = None, class_defs: tuple[ClassDef, ...] = (), styles: tuple[Style, ...] = (),
        clicks: tuple[Click, ...] = (), comments: tuple[Comment, ...] = (), acc_title: Optional[str] = None,
        acc_descr: Optional[str] = None, front_matter_span: Optional[Span] = None,
        mermaid_front_matter: tuple[tuple[str, object], ...] = (), unreadable: tuple[Unreadable, ...] = (),
        line_offset: int = 0, _index: Optional[dict] = None, _links: Optional[tuple] = None,
    ) -> None:
        # `_index` is accepted, as the dataclass accepted it, and always made anew from the nodes.
        # `_links` is (nodes, edges, sources, targets): kept only with the very nodes and edges it
        # numbers, so that a copy with other nodes or edges (`dataclasses.replace`) numbers its own.
        _set(self, 'path', path)
        _set(self, 'direction', direction)
        _set(self, 'header', header)
        _set(self, 'nodes', nodes)
        _set(self, 'edges', edges)
        _set(self, 'subgraphs', subgraphs)
        _set(self, 'title', title)
        _set(self, 'goals', goals)
        _set(self, 'target', target)
        _set(self, 'roles', roles)
        _set(self, 'lanes', lanes)
        _set(self, 'lang', lang)
        _set(self, 'class_defs', class_defs)
        _set(self, 'styles', styles)
        _set(self, 'clicks', clicks)
        _set(self, 'comments', comments)
        _set(self, 'acc_title', acc_title)
        _set(self, 'acc_descr', acc_descr)
        _set(self, 'front_matter_span', front_matter_span)
        _set(self, 'mermaid_front_matter', mermaid_front_matter)
        _set(self, 'unreadable', unreadable)
        _set(self, 'line_offset', line_offset)
        # Each node's number, its place in `nodes`: ids are looked up once, here, and the graph
        # and the rules work on lists indexed by number.
        _set(self, "_index", dict(zip(map(_NODE_ID, nodes), range(len(nodes)))))
        if _links is not None and not (_links[0] is nodes and _links[1] is edges):
            _links = None
        _set(self, "_links", _links)

    @property
    def is_swimlane(self) -> bool:
        """Whether the chart is a Mermaid swimlane diagram, whose top-level subgraphs are its lanes."""
        return is_swimlane_header(self.header)

    def node(self, node_id: str) -> Node:
        return self.nodes[self._index[node_id]]

    def has_node(self, node_id: str) -> bool:
        return node_id in self._index

    @property
    def node_numbers(self) -> dict[str, int]:
        """Each node's number: its place in `nodes` (the last node of an id, should two share it)."""
        return self._index

    def link_numbers(self) -> tuple[Sequence[Optional[int]], Sequence[Optional[int]]]:
        """Each edge's source and target by node number (see `node_numbers`), in the order of
        `edges`; None for an end that is no node (a subgraph's id).

        The parser numbers the ends as it reads the links; a process made otherwise has them
        looked up by id, once."""
        links = self._links
        if links is None:
            number = self._index.get
            links = (self.nodes, self.edges, tuple(map(number, map(_SOURCE, self.edges))),
                     tuple(map(number, map(_TARGET, self.edges))))
            _set(self, "_links", links)
        return links[2], links[3]
