"""`render -f dot`: the process as a Graphviz DOT graph, laid out by `dot` for svg, png and pdf.

What the picture shows, and why it is built this way:

- Department lanes (the subgraphs named in the front matter's `lanes`) are swimlanes: bands
  (rows when the flow runs left to right, columns when it runs down) in the order the front
  matter lists them, each holding its own stages in flow order. To get that from `dot`, its
  ranks are turned across the flow: each band is one rank, so the order of the lanes and their
  stages is a constraint `dot` keeps, not a preference it may trade away, and edges between
  lanes run in the space between bands, where their labels are placed too. Other subgraphs are
  drawn as labelled boxes around their nodes.
- A long flow wraps, the way printed process posters do: when the drawing would be more than
  about 5:1 (see WRAP_ASPECT), the stages are cut, in flow order, into rows (or columns) of
  even length, every second one running back, so the flow turns at the end of a row
  (`wrap` sets the stages per row, 0 never wraps). Lanes that are too long wrap inside their
  band the same way; the link at a lane's turn runs beside the rows' ends, through a point at
  the end of each row (`sf-edge-N-start`, `sf-edge-N-via-1`, `sf-edge-N`).
- A loop back along a band (rework, a retry) is drawn round the outside of the band; a labelled
  one runs through its label, a small node in the space beside the band, so the label can cover
  neither a stage nor another label. So does the second of two labelled links between the same
  two stages of a band (`是` and `否` both to the next stage), and, in a flow wrapped without
  lanes, a labelled link from a row to the next, through the space between the two rows. The
  second of two labelled links between the same two neighbouring lanes (a link down and a link
  back) runs through its label too, in the space between the lanes, so the two labels never
  land on one spot. A link between lanes that are not next to each other (or past rows of a
  flow wrapped without lanes) runs through a waypoint in each lane (or row) between, among its
  stages, not round its end.
- Mermaid's shapes become the nearest Graphviz shapes (decisions are diamonds, terminals are
  pills), edge kinds keep their stroke, ends and (along the flow) length, and `classDef`/`style`/`linkStyle`
  colours are honoured where they are plain colours.
- Under each label, a smaller line names the owner and the deadline (`销售经理 · 2个工作日`); a
  node in a lane that takes its owner from the lane shows only its deadline there.
- Lint findings, when given, colour their nodes and edges by severity and add a legend.
- Every text is escaped (see `escape.py`); labels are HTML-like labels, so no label can add
  attributes or markup. The same model always gives the same bytes.

In the SVG, elements can be found by id and class: `sf-node-N` (N: the node's position in the
model), `sf-edge-N` (the edge's index; a link drawn through its label is `sf-edge-N-start` to
the label `sf-edge-N-label`, class `sf-edge-label`, then `sf-edge-N`; a link across lanes through
waypoints is `sf-edge-N-start`, `sf-edge-N-via-1`, … and `sf-edge-N`, its waypoints
`sf-edge-N-waypoint-K`, class `sf-waypoint`), `sf-subgraph-N`; nodes have
the classes `sf-node` and one of `sf-start`, `sf-end`, `sf-decision`, `sf-step`, plus
`sf-error`/`sf-warning`/`sf-info` when highlighted; clusters have `sf-lane` or `sf-subgraph`.

This module writes the DOT text: the document, clusters, nodes, edges and jumps. The writer's
other jobs are in the modules its class inherits from: planning the bands and the drawing's
size (dot_bands.py), links drawn as parts and through waypoints (dot_waypoints.py) and placing
link labels (dot_labels.py); the measures and colours they share are in dot_constants.py, the
small pieces of markup in dot_markup.py.
"""

from __future__ import annotations

from collections import defaultdict
from ..errors import RenderError
from ..graph import ProcessGraph
from ..i18n import _, current
from ..lazy_regex import LazyRegex
from ..textwidth import display_width
from .. import limits
from ..mermaid_vocabulary import graphviz_attributes
from ..model import END_ARROW, END_NONE, Click, Edge, Node, Process, Span, Subgraph
from . import labels as label_text
from .escape import clean, dot_html, dot_quote, dot_tooltip
from .dot_constants import (
    FONT, LARGE_CHART_NODES, STREAM_LINES, WRAP_ASPECT, LABEL_COLUMNS, COMPACT_LABEL_COLUMNS, COMPACT_ASPECT,
    NARROW_SMALLEST_PT, TEXT_COLUMNS, NARROW_TEXT_COLUMNS, NARROW_LABEL_COLUMNS, BESIDE_COLUMN_TAG_COLUMNS, JUMP_SPAN,
    JUMP_NODESEP_INCHES, INK, MUTED, LINE, EDGE_INK, SEVERITY_COLOURS, LANE_FILLS, LANE_BORDERS, GROUP_FILL,
    GROUP_BORDER, _ARROWS,
)
from .dot_markup import _worst, _lines_html, _font, _bold, _stack, _plain_lines, _style_attributes, _internal
from .dot_bands import BandPlanning
from .dot_labels import LabelPlacement
from .dot_waypoints import LinkParts
from ..records import Fields

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Callable, Iterable, Iterator, Optional, Sequence, Union

    from ..findings import Finding

# Shapes whose inside is smaller than their box: their labels wrap sooner.
_NARROW_SHAPES = {"diamond", "hexagon", "circle", "doublecircle", "Mcircle", "triangle", "invtriangle", "house"}

_DECISION_COLOURS = {"fillcolor": dot_quote("#fff8e6"), "color": dot_quote("#c98a1b")}
_START_COLOURS = {"fillcolor": dot_quote("#e8f5ec"), "color": dot_quote("#3f8f55")}
_END_COLOURS = {"fillcolor": dot_quote("#e9eef4"), "color": dot_quote("#4d6178")}
# The pieces of a plain stage's line (see _Writer._plain_node_line): by graph kind, and by shape.
_PLAIN_COLOURS = {
    kind: "".join(f", {key}={value}" for key, value in colours.items())
    for kind, colours in (("decision", _DECISION_COLOURS), ("start", _START_COLOURS), ("end", _END_COLOURS))
}
_PLAIN_CLASSES = {kind: f'", class="sf-node sf-{kind}"' for kind in ("decision", "start", "end")}
_PLAIN_SHAPES: dict = {}


# Plain classes and a named tuple written as a class (salesflow.records.Fields), not
# dataclasses: a dataclass compiles its methods anew at every start, and so does a
# typing.NamedTuple each field's annotation (eleven compiles, about 10M instructions, paid by
# every `render` before drawing anything).
class Options(Fields):
    __slots__ = ()
    _fields = (
        "show_meta",  # bool
        "findings",  # Sequence[Finding]
        "font",  # str
        "title",  # bool
        "engine",  # str
        "direction",  # Optional[str]: TB, TD, BT, LR or RL: overrides the chart's own
        "wrap",  # Optional[int]: stages per row (or column); None: chosen by the chart's shape; 0: never wrap
        # bool: links forward past stages along a band go round the outside through their labels,
        # as loops do. Off by default: dot draws most of them better as arcs, but gives up on a few
        # charts (a label on such a link in a wrapped row); the picture is then drawn again with
        # this on, a labelled link past rows of a wrapped flow left as one link (see
        # _through_label_between_rows) and the groups of a wrapped row left to dot's own ordering
        # (see _groups_in_order).
        "around",
        # bool: for a picture shown across a phone: no text under NARROW_SMALLEST_PT, and narrower
        # boxes and labels (the drawing's width, not its height, decides how large its text shows there).
        "narrow",
        # bool: department lanes drawn as bands; without, each stage names its lane under its label
        # (a narrow drawing of many lanes reads better as one column than as bands side by side).
        "lanes",
        # bool: links back, and links forward past more than JUMP_SPAN bands, drawn the way printed
        # flowcharts carry a line across a page: a tag beside the stage they leave names the stage
        # they continue at and its letter, and an arrow with that letter points at that stage.
        # For a drawing one stage wide (a phone's column), where such links would otherwise run
        # side by side down the page and make it wide.
        "jumps",
    )

    def __new__(
        cls, show_meta=True, findings=(), font=FONT, title=True, engine="dot", direction=None, wrap=None,
        around=False, narrow=False, lanes=True, jumps=False,
    ):
        return tuple.__new__(cls, (show_meta, findings, font, title, engine, direction, wrap, around, narrow, lanes, jumps))


DIRECTIONS = {"TB": "TB", "TD": "TB", "BT": "BT", "LR": "LR", "RL": "RL"}


class _Marks:
    """Lint findings, gathered per node and per edge."""

    __slots__ = ("nodes", "edges", "chart", "counts")

    def __init__(self) -> None:
        self.nodes: dict[str, list[Finding]] = defaultdict(list)
        self.edges: dict[int, list[Finding]] = defaultdict(list)
        self.chart: list[Finding] = []
        self.counts: dict[str, int] = defaultdict(int)

    @classmethod
    def of(cls, process: Process, findings: Iterable[Finding]) -> "_Marks":
        marks = cls()
        edge_count = len(process.edges)
        for finding in findings:
            marks.counts[finding.severity] += 1
            placed = False
            if finding.node is not None and process.has_node(finding.node):
                marks.nodes[finding.node].append(finding)
                placed = True
            if finding.edge is not None and 0 <= finding.edge < edge_count:
                marks.edges[finding.edge].append(finding)
                placed = True
            if not placed:
                marks.chart.append(finding)
        return marks

    @property
    def any(self) -> bool:
        return bool(self.counts)


def severity_word(severity: str) -> str:
    """`salesflow.findings.severity_word`, loaded when a drawing shows findings (most show none)."""
    from ..findings import severity_word as word

    return word(severity)


def _finding_name(finding: Finding) -> str:
    """What a finding is called on the chart: its rule's name, or for a Chinese reader the rule's title."""
    name = finding.rule or finding.code
    if current() == "en":
        return name
    from ..lint.rules import lookup

    rule = lookup(name)
    title = getattr(rule, "TITLE", None) if rule is not None else None
    return title.get(current(), name) if isinstance(title, dict) else name


def _rules(findings: Sequence[Finding], limit: int = 2) -> str:
    names = list(dict.fromkeys(_finding_name(f) for f in findings))
    shown = _(", ").join(names[:limit])
    return shown + (f" +{len(names) - limit}" if len(names) > limit else "")


# ---------------------------------------------------------------------------------------------
# Text


_SHAPES: dict = {}


def _shape(name: Optional[str]) -> tuple[str, Optional[str], Optional[str], Optional[str], tuple[str, ...], dict[str, str]]:
    """How a node of Mermaid shape `name` is drawn: the Graphviz shape, its pill, filled and
    bar marks, its styles and its other attributes (quoted); worked out once per shape name."""
    drawn = _SHAPES.get(name)
    if drawn is None:
        base = graphviz_attributes(name)  # Mermaid's vocabulary maps every shape name
        graphviz_shape = base.pop("shape")
        pill, filled, bar = base.pop("_pill", None), base.pop("_filled", None), base.pop("_bar", None)
        styles = (base.pop("style"),) if "style" in base else ()
        drawn = _SHAPES[name] = (graphviz_shape, pill, filled, bar, styles, {k: dot_quote(v) for k, v in base.items()})
    return drawn


def _html_label(text: str) -> str:
    """An HTML-like label attribute; `""` for no text (Graphviz refuses `<>`)."""
    return f"<{text}>" if text else '""'


def _letter(number: int) -> str:
    """A jump's letter: A to Z, then AA, AB, …"""
    return (_letter(number // 26 - 1) if number >= 26 else "") + chr(ord("A") + number % 26)


def _meta_lines(node: Node, in_drawn_lane: bool, width: int, lane: Optional[str] = None) -> list[label_text.Line]:
    """`owner · deadline` under a label, or the two on lines of their own when that is too wide.

    An owner inherited from a drawn lane is left out: the lane already says it. `lane`: the
    title of the node's lane when the lane is not drawn, named before an owner of the node's
    own (`销售部 / 销售经理`). A deadline is never broken (`2个 / 工作日` would read wrongly)."""
    owner = node.owner if node.owner and not (node.owner_from_lane and in_drawn_lane) else None
    if lane and lane != owner:
        owner = f"{lane} / {owner}" if owner else lane
    due = label_text.due_text(node)
    if owner and due:
        together = f"{owner} · {due}"
        if display_width(together) <= width:
            return [(label_text.Run(clean(together)),)]
        return _plain_lines(owner, width) + [(label_text.Run(clean(due)),)]
    if owner:
        return _plain_lines(owner, width)
    if due:
        return [(label_text.Run(clean(due)),)]
    return []


# Compiled when a chart first has a style or a link: most drawings have neither, and `re` (with
# the enum module it loads) is otherwise not imported to draw one.
_STYLE_SEPARATOR = LazyRegex(r"[,;]")
_WEB_ADDRESS = LazyRegex(r"(?i)(https?://|mailto:)[^\s\"<>\\]+$")


def _css(style: str) -> dict[str, str]:
    """`fill:#f9f,stroke:#333,stroke-width:2px` → {'fill': '#f9f', …} (Mermaid separates with commas)."""
    out = {}
    for part in _STYLE_SEPARATOR.split(style):
        if ":" in part:
            key, value = part.split(":", 1)
            out[key.strip().lower()] = value.strip()
    return out


# ---------------------------------------------------------------------------------------------
# The graph


# The chart element a DOT line draws: (kind, name, span), the name a link's ends for a link.
Origin = tuple


def origin_text(path: str, origin: Origin) -> str:
    """`file:line:column: node `A`` — an element as messages name it."""
    kind, name, span = origin
    where = path + (f":{span.line}:{span.column}" if span is not None else "")
    if name is None:
        return f"{where}: the chart's {kind}"
    if type(name) is tuple:
        name = f"{name[0]} → {name[1]}"
    shown = name if len(name) <= 40 else name[:37] + "…"
    return f"{where}: {kind} `{shown}`"


class Origins:
    """DOT line number → the chart element it draws, as messages name it (`flow.flow:3:5: node
    `A``): read only when Graphviz fails, so each is put in words only then."""

    __slots__ = ("path", "_by_line")

    def __init__(self, path: str, by_line: dict[int, Origin]) -> None:
        self.path = path
        self._by_line = by_line

    def __contains__(self, number: object) -> bool:
        return number in self._by_line

    def __getitem__(self, number: int) -> str:
        return origin_text(self.path, self._by_line[number])

    def get(self, number: int, default: Optional[str] = None) -> Optional[str]:
        return self[number] if number in self._by_line else default

    def __iter__(self) -> Iterator[int]:
        return iter(self._by_line)

    def __len__(self) -> int:
        return len(self._by_line)

    def items(self) -> list[tuple[int, str]]:
        return [(number, self[number]) for number in self._by_line]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Origins):
            return self.path == other.path and self._by_line == other._by_line
        return isinstance(other, dict) and dict(self.items()) == other

    __hash__ = None  # type: ignore[assignment]


# The writer's jobs besides writing DOT text live in the classes it inherits from, one module
# each; they are parts of one writer, not standalone classes: their methods share its state
# (self.process, self.options, self.bands, …) and call each other through self.
class _Writer(BandPlanning, LinkParts, LabelPlacement):
    def __init__(self, process: Process, options: Options) -> None:
        self.process = process
        self.options = options
        self.string_bytes = limits.DOT_STRING_BYTES.value
        self.graph = ProcessGraph(process)
        self.marks = _Marks.of(process, options.findings)
        self.out: list[str] = []
        self.origins: dict[int, Origin] = {}  # DOT line number → the chart element it draws
        self.large = len(process.nodes) > LARGE_CHART_NODES
        self.layered = options.engine == "dot"  # other engines know no ranks, only distances
        self.direction = DIRECTIONS.get((options.direction or "").upper(), process.direction)
        if self.direction not in ("TB", "BT", "LR", "RL"):
            self.direction = "TB"
        self.across = self.direction in ("LR", "RL")  # the flow runs across the page
        self.subgraphs = {s.id: s for s in process.subgraphs}
        self.every_subgraph = dict(self.subgraphs)  # drawn or not (self.subgraphs: those drawn)
        self.cluster_names = {s.id: f"cluster_{index}" for index, s in enumerate(process.subgraphs)}
        # Declared lanes that sit at the top level are drawn as swimlanes, in the declared order.
        self.swimlanes = [
            self.subgraphs[lane_id]
            for lane_id in process.lanes
            if lane_id in self.subgraphs and self.subgraphs[lane_id].parent is None
        ]
        self.swimlane_ids = {lane.id for lane in self.swimlanes}
        self.hidden_lanes: set[str] = set()
        # Groups not drawn as boxes: in a narrow drawing, a subgraph inside a lane (its box, set
        # to one side of the lane, widened every row of a drawing for a phone: a store's chart
        # with `VIP 接待室` inside 门店 read at 10.8 px where it reads at 12.3 without it). Its
        # stages stay in the lane and name it under their label instead (see _hidden_lane_title).
        self.hidden_groups: set[str] = set()
        if options.narrow:
            self.hidden_groups = {
                subgraph.id for subgraph in process.subgraphs
                if subgraph.id not in self.swimlane_ids and self._inside_lane(subgraph)
            }
        if not options.lanes:
            self.hidden_lanes = set(self.swimlane_ids)
            self.swimlanes, self.swimlane_ids = [], set()
        hidden = self.hidden_lanes | self.hidden_groups
        if hidden:
            self.subgraphs = {key: value for key, value in self.subgraphs.items() if key not in hidden}
        self.children: dict[Optional[str], list[str]] = defaultdict(list)
        for subgraph in process.subgraphs:
            if subgraph.id in hidden:
                continue
            self.children[self._drawn_holder(subgraph.parent)].append(subgraph.id)
        self.members: dict[Optional[str], list[Node]] = defaultdict(list)
        for node in process.nodes:
            holder = node.subgraph
            if holder is not None and holder not in self.subgraphs:
                holder = self._drawn_holder(holder)
            self.members[holder].append(node)
        self.node_index = {node.id: index for index, node in enumerate(process.nodes)}
        # Each stage as the end of a link (see _endpoint); not a name a subgraph takes, whose
        # end is the subgraph's border, or a lane's or a group's not drawn.
        self.stage_ends: dict[str, tuple[Optional[str], Optional[str]]] = {
            node.id: (dot_quote(node.id), None)
            for node in process.nodes
            if node.id not in self.subgraphs and node.id not in hidden
        }
        self.placeholders: dict[str, str] = {}
        self.wrapped_labels: dict[tuple[str, str, int], list[label_text.Line]] = {}  # see _wrapped
        self.widest_labels: dict[str, int] = {}  # see _label_width
        self.drawn_nodes: list[str] = []  # DOT names of the nodes and stand-ins, in order
        self.node_styles = self._node_css()
        self.edge_styles = self._edge_css()
        self.label_columns = LABEL_COLUMNS
        self.wrap_aspect = WRAP_ASPECT
        self.columns = NARROW_TEXT_COLUMNS if options.narrow else TEXT_COLUMNS
        if options.narrow:
            self.label_columns = NARROW_LABEL_COLUMNS
        elif self.layered and not self.large and self._short_strip():
            # Narrower boxes first; a flow that the estimate still finds long then wraps at the
            # lower bar, as the estimate's margin is a larger part of a short flow.
            self.label_columns = COMPACT_LABEL_COLUMNS
            self.wrap_aspect = COMPACT_ASPECT
        self.bands = self._plan_bands() if self.layered else []
        self.jumps = self._plan_jumps() if options.jumps and self.bands else {}
        self.loop_labels: list[tuple[int, str]] = []  # (space before band N, label node) of loops along a band
        self.spaces_with_loop_label: set[int] = set()  # spaces before band N holding a loop's own label
        self.pulled_to_source: dict[str, str] = {}  # label node: the stage it is pulled to (see _pull_label_to_source)
        self.written_chains: dict[int, list[str]] = {}  # band: its chain as the DOT text writes it
        self.band_of = {name: band.index for band in self.bands for name in band.nodes}
        self.place_in_band = {name: place for band in self.bands for place, name in enumerate(band.nodes)}

    def _inside_lane(self, subgraph: Subgraph) -> bool:
        """Whether a subgraph sits inside a declared lane (at any depth)."""
        every = self.every_subgraph
        holder, guard = subgraph.parent, 0
        while holder is not None and holder in every and guard < 64:
            if holder in self.swimlane_ids:
                return True
            holder, guard = every[holder].parent, guard + 1
        return False

    def _drawn_holder(self, subgraph_id: Optional[str]) -> Optional[str]:
        """The innermost drawn subgraph that holds `subgraph_id` or is it (None: the top level):
        the stages and subgraphs of a lane or group not drawn go to the one around it."""
        every = self.every_subgraph
        guard = 0
        while subgraph_id is not None and subgraph_id not in self.subgraphs and guard < 64:
            found = every.get(subgraph_id)
            subgraph_id, guard = (found.parent if found is not None else None), guard + 1
        return subgraph_id if guard < 64 else None

    # -------------------------------------------------------------- styles from the chart

    def _node_css(self) -> dict[str, dict[str, str]]:
        class_css: dict[str, dict[str, str]] = {}
        for class_def in self.process.class_defs:
            class_css.setdefault(class_def.name, {}).update(_css(class_def.style))
        result: dict[str, dict[str, str]] = {}
        for node in self.process.nodes:
            css: dict[str, str] = {}
            if not node.classes and "default" in class_css:
                css.update(class_css["default"])
            for name in node.classes:
                css.update(class_css.get(name, {}))
            result[node.id] = css
        for style in self.process.styles:
            if not style.is_link and style.target in result:
                result[style.target].update(_css(style.style))
        return result

    def _edge_css(self) -> dict[int, dict[str, str]]:
        result: dict[int, dict[str, str]] = {edge.index: {} for edge in self.process.edges}
        for style in self.process.styles:
            if not style.is_link:
                continue
            css = _css(style.style)
            if style.target.strip() == "default":
                targets = list(result)
            else:
                targets = [int(t) for t in style.target.split(",") if t.strip().isdigit()]
            for index in targets:
                if index in result:
                    result[index].update(css)
        return result

    # -------------------------------------------------------------- output helpers

    def pt(self, size: float) -> float:
        """A font size, raised to NARROW_SMALLEST_PT in a narrow drawing."""
        return max(size, NARROW_SMALLEST_PT) if self.options.narrow else size

    def _tag_lines(self, findings: Sequence[Finding], width: int, hyphens: bool = False) -> list[label_text.Line]:
        """A highlight tag (`⚠ handoff-without-note`) wrapped to `width`; in a narrow drawing
        (or with `hyphens`) a rule name too long for a line breaks after a hyphen, else it
        alone would set the width of its box, and the drawing's."""
        return _plain_lines("⚠\u00a0" + _rules(findings), width, hyphens=hyphens or self.options.narrow)

    def _beside_column(self) -> dict[str, int]:
        """The columns of a label set beside a column of stages down the page, a loop's beside its
        lane or a hand-off's between two lanes: its highlight tag wrapped narrower, after the
        rule name's hyphen (BESIDE_COLUMN_TAG_COLUMNS). Drawn on one line, such a tag left the
        label no room beside the course reroute.py found for its link, and dot's own course, out
        to where it set the label and back, was kept: seed 14142135's generated-248 highlighted,
        `退回 ⚠ handoff-without-note` from 试用？ back to 发货 just above it, 801 pt for 110 pt;
        its generated-280 drawn top to bottom and highlighted, 607 pt for 199 pt; seed 4242's
        generated-189 highlighted, a hand-off 1,796 pt for 510 pt. Over the layout corpus, the
        default seed's 400 charts and six other seeds' 300 each, every way (9,040 drawings),
        these three detours went and nothing else was drawn worse; and two repairs of the corpus
        that svg_redraw.py could not be sure of, a loop's narrowed label node each, are now drawn
        into dot's SVG instead of by neato."""
        return dict(self.columns, tag=min(self.columns["tag"], BESIDE_COLUMN_TAG_COLUMNS))

    # Where the text goes as it is written (see stream_dot), and how many lines have gone there.
    sink: Optional[Callable[[str], None]] = None
    sent = 0

    def line(self, depth: int, text: str, origin: Optional[Origin] = None) -> None:
        """Add a DOT line; `origin` names the chart element it draws, for Graphviz's errors."""
        self.out.append("  " * depth + text)
        if origin is not None:
            self.origins[len(self.out)] = origin
        if self.sink is not None and len(self.out) - self.sent >= STREAM_LINES:
            self._send()

    def _send(self) -> None:
        """Pass the lines written since the last time on to `sink`."""
        assert self.sink is not None
        self.sink("\n".join(self.out[self.sent :]) + "\n")
        self.sent = len(self.out)

    @staticmethod
    def _origin(kind: str, name: Union[str, tuple[str, str], None], span: Optional[Span]) -> Origin:
        """The chart element a DOT line draws, as `Origins` names it in a message (`name`: a
        link's ends, for a link). Only named when Graphviz fails, which few drawings do: a
        2,000-stage chart has some 4,000 of them."""
        return (kind, name, span)

    def _fits(self, origin: Origin, values: Iterable[str]) -> None:
        """Stop before `dot` does: it reads no string over 16 KB, and fails only after laying out
        everything else (see limits.DOT_STRING_BYTES)."""
        limit = limits.DOT_STRING_BYTES
        values = list(values)
        if max(map(len, values), default=0) * 4 <= self.string_bytes:
            return  # a character is at most 4 bytes in UTF-8: no need to count them
        largest = max((len(value.encode("utf-8")) for value in values), default=0)
        if largest > self.string_bytes:
            found = _(
                "{origin} is too long to draw: one of its texts takes {size} bytes in the DOT graph",
                origin=origin_text(self.process.path, origin), size=f"{largest:,}",
            )
            raise RenderError(_("{problem}; shorten its label, title or note", problem=limit.exceeded(found)))

    @staticmethod
    def attributes(pairs: dict[str, str]) -> str:
        """`[key=value, …]`; values are already quoted or HTML-like (`<…>`)."""
        if not pairs:
            return ""
        return " [" + ", ".join(map("=".join, pairs.items())) + "]"

    # -------------------------------------------------------------- document

    def write(self) -> str:
        process = self.process
        options = self.options
        name = process.acc_title or process.title or "process"
        self.line(0, f"digraph {dot_quote(name)} {{")
        font = dot_quote(options.font)
        graph_attributes = {
            "rankdir": self._rankdir(),
            "newrank": "true",
            "compound": "true",
            "fontname": font,
            "fontsize": "12",
            "fontcolor": dot_quote(INK),
            "bgcolor": '"white"',
            # A narrow drawing keeps less white around it and between stages side by side.
            "pad": '"0.05"' if options.narrow else '"0.3"',
            "nodesep": (f'"{JUMP_NODESEP_INCHES:g}"' if self.jumps else '"0.05"') if options.narrow else '"0.35"',
            "ranksep": '"0.45"',
            "outputorder": "edgesfirst",
        }
        if options.narrow and self.bands:
            # dot 2.43's last crossing pass over the whole drawing, after each cluster's own,
            # looks a lane's order (its invisible chain) up by the places the cluster's pass gave
            # its nodes in the whole drawing's table: it may swap a stage with its band's anchor
            # of no size. The invisible link from that stage to its neighbour then has to pass
            # the anchor in the little room a narrow drawing leaves, and dot warns or fails
            # ("triangulation failed", "lost D5 D4 edge"). Without that pass bands keep their order.
            graph_attributes["remincross"] = "false"
        if any(holders - {None} for holders in self._band_holders()) and not options.around:
            # The same last pass also reorders the stages of a group in a wrapped row against
            # the band's chain, crossings deciding (see _groups_in_order for the groups' order).
            graph_attributes["remincross"] = "false"
        if self._loop_along_lane_crossed_by_labelled_link():
            # So would it a loop's label beside a lane of one row, past another link's label.
            graph_attributes["remincross"] = "false"
        if self._turns() or self._turns_to_lone_stages():
            # So would it the stages of a lane's row against the turning points (see _turns).
            graph_attributes["remincross"] = "false"
        if not self.layered:
            graph_attributes.update({"overlap": "scale", "sep": '"+6"'})
        elif self.large and not self.bands:
            graph_attributes.update({"nslimit": "1", "nslimit1": "1", "mclimit": '"0.3"', "searchsize": "20"})
        if self.layered and self._back_edges():
            # Which links lead back, for the repair after dot's layout (reroute.py): it takes a
            # link forward the short way when dot drew it round the lanes, but leaves a loop back
            # round the flow, where it belongs. dot keeps the attribute in its layout (-Tjson0)
            # and draws nothing of it.
            graph_attributes["sf_loops"] = dot_quote(" ".join(map(str, sorted(self._back_edges()))))
        graph_label = self._graph_label()
        self._fits(self._origin("title", None, None), [dot_quote(name), graph_label or ""])
        if graph_label:
            graph_attributes.update({"label": graph_label, "labelloc": "t", "labeljust": "c"})
        for key, value in graph_attributes.items():
            self.line(1, f"{key}={value}", self._origin("title", None, None) if key == "label" else None)
        self.line(1, "node" + self.attributes({
            "fontname": font, "fontsize": "12", "fontcolor": dot_quote(INK), "color": dot_quote(LINE),
            "fillcolor": '"white"', "style": '"filled"', "margin": '"0.14,0.07"', "penwidth": "1.2",
        }))
        edge_defaults = {
            "fontname": font, "fontsize": f"{self.pt(10):g}", "fontcolor": dot_quote(INK), "color": dot_quote(EDGE_INK),
            "arrowsize": '"0.8"', "penwidth": "1.1",
        }
        self.line(1, "edge" + self.attributes(edge_defaults))
        self._block(None, 1)
        for band in self.bands:
            if band.lane is None:
                self._band_anchors(band, 1)
                for name in self._waypoints_in(band.index):
                    self._waypoint(name, 1)
        for edge in process.edges:
            self._edge(edge)
        if self.jumps:
            self._jump_column()
        self._band_constraints()
        self.line(0, "}")
        if self.sink is not None:
            if len(self.out) > self.sent:  # a text of a whole number of pieces is already sent
                self._send()
            return ""
        return "\n".join(self.out) + "\n"

    def _legend_texts(self) -> tuple[list[tuple[str, str]], Optional[str]]:
        """The highlight legend's words: (severity, `warning (3)`) of each severity found, and the
        whole chart's findings (None when there are none)."""
        counts = [(severity, _("{severity} ({count})", severity=severity_word(severity), count=self.marks.counts[severity]))
                  for severity in ("error", "warning", "info") if self.marks.counts.get(severity, 0)]
        text = _("whole chart: {rules}", rules=_rules(self.marks.chart, 4)) if self.marks.chart else None
        return counts, text

    def _graph_label(self) -> Optional[str]:
        rows = []
        if self.options.title and self.process.title:
            title = _lines_html(_plain_lines(self.process.title, self.columns["title"]))
            rows.append(f'<TR><TD COLSPAN="8">{_font(_bold(title), 16)}</TD></TR>')
        if self.marks.any:
            counts, text = self._legend_texts()
            cells = []
            for severity, counted in counts:
                line, fill = SEVERITY_COLOURS[severity]
                cells.append(
                    f'<TD BGCOLOR="{fill}" COLOR="{line}" BORDER="1" WIDTH="14" HEIGHT="10" FIXEDSIZE="TRUE"></TD>'
                    f'<TD ALIGN="LEFT">{_font(dot_html(counted), self.pt(10), MUTED)}</TD>'
                )
            rows.append(f"<TR>{''.join(cells)}</TR>")
            if text is not None:
                colour = SEVERITY_COLOURS.get(_worst(self.marks.chart), SEVERITY_COLOURS["info"])[0]
                rows.append(f'<TR><TD COLSPAN="8">{_font(dot_html(text), self.pt(10), colour)}</TD></TR>')
        if not rows:
            return None
        return f'<<TABLE BORDER="0" CELLSPACING="4" CELLPADDING="1">{"".join(rows)}</TABLE>>'

    # -------------------------------------------------------------- clusters and nodes

    def _block(self, holder: Optional[str], depth: int, seen: Optional[set[str]] = None) -> None:
        """The nodes and nested subgraphs of `holder` (None: the top level), in model order (a
        lane's stages in the order they are drawn: see _lane_items_as_drawn)."""
        seen = set() if seen is None else seen
        order = self._ordered_items(holder)
        if holder in self.swimlane_ids:
            order = self._lane_items_as_drawn(holder, order)
        for kind, item in order:
            if kind == "node":
                self._node(item, depth)
            elif item not in seen:
                seen.add(item)
                self._cluster(self.subgraphs[item], depth, seen)

    def _ordered_items(self, holder: Optional[str]) -> list[tuple[str, str]]:
        """Nodes and subgraphs of one block, ordered by where each first appears in the model;
        at the top level, swimlanes come in the order the front matter lists them."""
        position = self.node_index
        items: list[tuple[int, int, str, str]] = []
        for node in self.members.get(holder, []):
            items.append((position[node.id], 0, "node", node.id))
        lanes = [s for s in self.children.get(holder, []) if holder is None and s in self.swimlane_ids]
        others = [s for s in self.children.get(holder, []) if s not in lanes]
        for order, subgraph_id in enumerate(others):
            items.append((self._first_place(subgraph_id), 1 + order, "subgraph", subgraph_id))
        items.sort()
        lane_order = sorted(lanes, key=lambda s: [lane.id for lane in self.swimlanes].index(s))
        return [(kind, item) for _key, _sub, kind, item in items] + [("subgraph", s) for s in lane_order]

    def _first_place(self, subgraph_id: str, guard: int = 0) -> int:
        """Where the first node of a subgraph, or of one inside it, comes in the model. A method,
        not a closure calling itself: that would be a reference cycle, holding the whole writer
        until the garbage collector finds it instead of freeing it at once."""
        values = [self.node_index[n.id] for n in self.members.get(subgraph_id, [])]
        if guard < 64:
            values += [self._first_place(child, guard + 1) for child in self.children.get(subgraph_id, [])]
        return min(values, default=len(self.node_index))

    def _cluster(self, subgraph: Subgraph, depth: int, seen: set[str]) -> None:
        index = self.process.subgraphs.index(subgraph)
        self.line(depth, f"subgraph {self.cluster_names[subgraph.id]} {{")
        is_lane = subgraph.id in self.swimlane_ids
        if is_lane:
            lane_number = [lane.id for lane in self.swimlanes].index(subgraph.id)
            fill = LANE_FILLS[lane_number % len(LANE_FILLS)]
            border = LANE_BORDERS[lane_number % len(LANE_BORDERS)]
            title = _font(_bold(_lines_html(_plain_lines(subgraph.text, self.columns["lane"]))), 13)
            attributes = {
                "label": _html_label(title), "style": '"filled"', "fillcolor": dot_quote(fill),
                "color": dot_quote(border), "penwidth": "1.2", "margin": '"5"' if self.options.narrow else '"14"',
                "labeljust": "l", "labelloc": "t", "fontcolor": dot_quote(INK),
            }
        else:
            title = _font(_lines_html(_plain_lines(subgraph.text, self.columns["lane"])), 11)
            attributes = {
                "label": _html_label(title), "style": '"rounded,filled"', "fillcolor": dot_quote(GROUP_FILL),
                "color": dot_quote(GROUP_BORDER), "penwidth": "1", "margin": '"10"',
                "labeljust": "l", "labelloc": "t", "fontcolor": dot_quote(MUTED),
            }
        attributes["id"] = dot_quote(f"sf-subgraph-{index}")
        attributes["class"] = dot_quote("sf-lane" if is_lane else "sf-subgraph")
        self._fits(self._origin("subgraph", subgraph.id, subgraph.span), attributes.values())
        for key, value in attributes.items():
            self.line(depth + 1, f"{key}={value}", self._origin("subgraph", subgraph.id, subgraph.span) if key == "label" else None)
        lane_bands = [band for band in self.bands if band.lane == subgraph.id]
        # The last anchor written after the stages: dot's first ordering then sets out from the
        # stages, and a link between neighbouring lanes takes the short way, not past the lane's
        # end. (Two labelled links between the same two lanes then needed labels of their own:
        # see _repeated_links_between_lanes.) In a lane wrapped into several rows, only the last
        # row's (dot failed on some with every row's: "trouble in init_rank").
        late = lane_bands[-1:]
        for index, number, name in self._turns_in(subgraph.id) if lane_bands else ():
            self._waypoint(name, depth + 1, (index, number))
        for index, name in self._turns_to_lone_stages().items() if lane_bands else ():
            if self.bands[self._turn_row(index)].lane == subgraph.id:
                self._waypoint(name, depth + 1, (index, 0))
        for band in lane_bands:
            self._band_anchors(band, depth + 1, ("first",) if band in late else ("first", "last"))
        self._block(subgraph.id, depth + 1, seen)
        for band in lane_bands:
            for name in self._waypoints_in(band.index):
                self._waypoint(name, depth + 1)
        for band in late:
            self._band_anchors(band, depth + 1, ("last",))
        for index, number, name in self._turns_in(subgraph.id, late=True) if lane_bands else ():
            self._waypoint(name, depth + 1, (index, number))
        if not self.members.get(subgraph.id) and not self.children.get(subgraph.id):
            # Graphviz draws no empty cluster; a blank stand-in keeps the subgraph visible.
            stand_in = _internal(f"empty-{index}")
            self.placeholders[subgraph.id] = stand_in
            self.drawn_nodes.append(stand_in)
            if self.bands:
                lane_band = next((b for b in self.bands if b.lane == subgraph.id), self.bands[-1])
                lane_band.extra.append(stand_in)
            self.line(depth + 1, f"{stand_in} [shape=box, style=invis, label=\"\", width=1.2, height=0.4]")
        self.line(depth, "}")

    def _node(self, node_id: str, depth: int) -> None:
        node = self.process.node(node_id)
        options = self.options
        kind = self.graph.kind(node)  # start, end, decision or task: what the handbook says too
        is_start, is_end = kind == "start", kind == "end"
        shape_name = node.shape
        if shape_name is None and node.kind == "decision":
            shape_name = "diamond"
        elif shape_name is None and node.kind in ("start", "end"):
            shape_name = "stadium"
        graphviz_shape, pill, filled, bar, shape_styles, shape_attributes = _shape(shape_name)
        narrow = graphviz_shape in _NARROW_SHAPES
        width = self.label_columns[1] if narrow else self.label_columns[0]

        lines = self._wrapped(node.label, width, node.label_format)
        body = _lines_html(lines)
        extra = []
        in_drawn_lane = self._in_drawn_lane(node)
        if options.show_meta:
            meta = self._meta_lines(node, in_drawn_lane, max(width, self.label_columns[2]), self._hidden_lane_title(node))
            if meta:
                extra.append(_font(_lines_html(meta), self.pt(9.5), MUTED))
        findings = self.marks.nodes.get(node.id)
        colour_line = colour_fill = None
        if findings:
            colour_line, colour_fill = SEVERITY_COLOURS.get(_worst(findings), SEVERITY_COLOURS["info"])
            tag = self._tag_lines(findings, max(width, self.columns["tag"] - 2))
            extra.append(_font(_lines_html(tag), self.pt(9), colour_line))
        label = _stack([body] + extra)
        if graphviz_shape == "point":
            label = ""
        css = self.node_styles.get(node.id)
        if not (pill or filled or bar or css or findings or self.process.clicks) and self._plain_node_line(
                node, kind, shape_name, f"<{label}>" if label else '""', depth):
            return
        attributes: dict[str, str] = {"shape": graphviz_shape, **shape_attributes}
        styles = ["filled", *shape_styles]
        attributes["label"] = f"<{label}>" if label else '""'

        is_decision = kind == "decision"  # Node.is_decision, as graph.kind tells it first
        if is_decision:
            attributes.update(_DECISION_COLOURS)
        elif is_start:
            attributes.update(_START_COLOURS)
        elif is_end:
            attributes.update(_END_COLOURS)
        if pill:
            # A pill: rounded ends as wide as the box is high.
            attributes["margin"] = dot_quote("0.2,0.07")
        if filled:
            attributes.update({"fillcolor": dot_quote(INK), "width": '"0.25"', "fixedsize": "true", "label": '""'})
        if bar:
            attributes.update({"fillcolor": dot_quote(INK), "height": '"0.08"', "width": '"1.2"', "fixedsize": "true", "label": '""'})
        if css:  # most nodes: no classDef or style
            css = _style_attributes(css)
            if css.pop("_dashed", None):
                styles.append("dashed")
            for key, value in css.items():
                attributes[key] = dot_quote(value)
        if findings:
            attributes.update({"color": dot_quote(colour_line), "fillcolor": dot_quote(colour_fill), "penwidth": "2.4"})
        # Most stages are only filled: nothing to join or quote.
        attributes["style"] = '"filled"' if len(styles) == 1 else dot_quote(",".join(styles))
        # Digits and words of our own: nothing in them to escape.
        attributes["id"] = f'"sf-node-{self.node_index[node.id]}"'
        kind = "decision" if is_decision else "start" if is_start else "end" if is_end else "step"
        attributes["class"] = (
            dot_quote(f"sf-node sf-{kind} sf-{_worst(findings)}") if findings else f'"sf-node sf-{kind}"')
        tooltip = self._node_tooltip(node, findings)
        if tooltip:
            attributes["tooltip"] = dot_tooltip(tooltip)
        link = self._link(node.id) if self.process.clicks else None
        if link:
            attributes["URL"] = dot_quote(link[0])
            if link[1]:
                attributes["target"] = dot_quote(link[1])
        found = self.stage_ends.get(node.id)
        name = found[0] if found is not None else dot_quote(node.id)  # quoted once, in stage_ends
        self.drawn_nodes.append(name)
        origin = self._origin("node", node.id, node.span)
        text = name + self.attributes(attributes)
        if len(text) * 4 > self.string_bytes:  # else no text in the line can be too long (see _fits)
            self._fits(origin, [name, *attributes.values()])
        self.line(depth, text, origin)
        if self.jumps:
            self._jump_marks(node.id, depth)

    def _plain_node_line(self, node: Node, kind: str, shape_name: Optional[str], label: str, depth: int) -> bool:
        """Write the line of a stage with no finding, style, link or mark of its shape (nearly
        every stage) from pieces worked out once per shape and kind, as _node would write it;
        False, writing nothing, when its text could be too long (_node then says which)."""
        pieces = _PLAIN_SHAPES.get(shape_name)
        if pieces is None:
            graphviz_shape, _pill, _filled, _bar, shape_styles, shape_attributes = _shape(shape_name)
            # _node sets these keys later: a shape setting one of them first puts it earlier.
            clash = not shape_attributes.keys().isdisjoint(
                ("label", "style", "id", "class", "tooltip", *_DECISION_COLOURS, *_START_COLOURS, *_END_COLOURS))
            start = "".join(f", {key}={value}" for key, value in shape_attributes.items())
            pieces = _PLAIN_SHAPES[shape_name] = (
                None if clash else f" [shape={graphviz_shape}{start}, label=",
                ", style=" + dot_quote(",".join(("filled", *shape_styles))) + ', id="sf-node-')
        start, style = pieces
        if start is None:
            return False
        found = self.stage_ends.get(node.id)
        name = found[0] if found is not None else dot_quote(node.id)
        tooltip = self._node_tooltip(node, None)
        text = (name + start + label + _PLAIN_COLOURS.get(kind, "") + style + str(self.node_index[node.id])
                + _PLAIN_CLASSES.get(kind, '", class="sf-node sf-step"')
                + (", tooltip=" + dot_tooltip(tooltip) + "]" if tooltip else "]"))
        if len(text) * 4 > self.string_bytes:
            return False
        self.drawn_nodes.append(name)
        self.line(depth, text, self._origin("node", node.id, node.span))
        if self.jumps:
            self._jump_marks(node.id, depth)
        return True

    def _meta_lines(self, node: Node, in_drawn_lane: bool, width: int, lane: Optional[str]) -> list[label_text.Line]:
        """`_meta_lines` of a node, worked out once: each node's are measured (see _extents)
        before they are drawn. Shared lists: read them, never change them."""
        try:
            known = self._meta_by_node
        except AttributeError:
            known = self._meta_by_node = {}
        key = (node.id, in_drawn_lane, width, lane)
        lines = known.get(key)
        if lines is None:
            lines = known[key] = _meta_lines(node, in_drawn_lane, width, lane)
        return lines

    def _node_tooltip(self, node: Node, findings: Optional[list[Finding]]) -> str:
        parts = [label_text.plain_text(node.label, node.label_format).replace("\n", " ")]
        if node.owner and self.options.show_meta:
            parts.append(f"owner: {node.owner}")
        due = label_text.due_text(node)
        if due is not None and self.options.show_meta:
            parts.append(f"due: {due}")
        for finding in findings or ():
            parts.append(f"{severity_word(finding.severity)} {finding.code} {finding.rule}: {finding.message}")
        if self.process.clicks:
            click = next((c for c in self._clicks(node.id) if c.tooltip), None)
            if click is not None:
                parts.insert(1, click.tooltip or "")
        return "\n".join(parts)

    def _clicks(self, node_id: str) -> list[Click]:
        """The `click` statements of one node, in the chart's order (gathered once, not searched
        for each node)."""
        if not hasattr(self, "_clicks_by_node"):
            self._clicks_by_node: dict[str, list[Click]] = defaultdict(list)
            for click in self.process.clicks:
                self._clicks_by_node[click.node].append(click)
        return self._clicks_by_node.get(node_id, [])

    def _link(self, node_id: str) -> Optional[tuple[str, Optional[str]]]:
        """A node's `click` link, if it is a web or mail address (never a script)."""
        for click in self._clicks(node_id):
            if click.action == "link":
                url = click.target.strip()
                if _WEB_ADDRESS.match(url):
                    window = click.window if click.window in ("_blank", "_self", "_parent", "_top") else None
                    return url, window
        return None

    # -------------------------------------------------------------- edges

    def _in_drawn_lane(self, node: Node) -> bool:
        return node.lane is not None and node.lane not in self.hidden_lanes

    def _hidden_lane_title(self, node: Node) -> Optional[str]:
        """What the node's stage names of the subgraphs around it that are not drawn: its lane's
        title when lanes are not drawn (see Options.lanes), then the groups inside the lane that
        hold it in a narrow drawing (see hidden_groups), outermost first (`门店 / VIP 接待室`)."""
        titles = []
        if node.lane is not None and node.lane in self.hidden_lanes:
            titles.append(self.every_subgraph[node.lane].text if node.lane in self.every_subgraph else "")
        if self.hidden_groups and node.subgraph in self.hidden_groups:
            groups, holder, guard = [], node.subgraph, 0
            while holder in self.hidden_groups and guard < 64:
                groups.append(self.every_subgraph[holder].text)
                holder, guard = self.every_subgraph[holder].parent, guard + 1
            titles += groups[::-1]
        return " / ".join(title for title in titles if title) or None

    def _endpoint(self, end_id: str, edge: Edge, source: bool) -> tuple[Optional[str], Optional[str]]:
        """(DOT node, cluster to clip at) for one end of an edge; an edge to a subgraph meets its border.
        A stage's ends are worked out once, in one look-up (see stage_ends): the plans of the links
        ask for each link's ends several times, tens of thousands of times in a large chart.
        (A subgraph's end is looked for each time: its stand-in is made as the subgraph is written.)"""
        found = self.stage_ends.get(end_id)
        if found is None:
            return self._find_endpoint(end_id, edge, source)
        return found

    def _link_ends(self, labelled: bool = False) -> list[tuple[Edge, tuple[Optional[str], Optional[str]]]]:
        """Every link with the DOT names of its two ends (see _endpoint), in the chart's order;
        `labelled`: only the links the drawing writes text beside (see _is_labelled).

        The plans of the links (repeated links, waypoints, turns, held labels, …) each go over
        every link once; the ends of the links between stages, and which links are labelled, are
        looked up once for all of them. A link to or from a subgraph is looked up again at each
        call, as _endpoint does: its end may be a stand-in, made as the subgraph is written.
        Shared lists: never change them."""
        try:
            every, with_text, to_subgraphs = self._ends_of_links
        except AttributeError:
            stage_ends = self.stage_ends
            every, to_subgraphs = [], False
            for edge in self.process.edges:
                tail, head = stage_ends.get(edge.source), stage_ends.get(edge.target)
                if tail is None or head is None:
                    to_subgraphs = True
                    every.append((edge, (None, None)))
                else:
                    every.append((edge, (tail[0], head[0])))
            with_text = [link for link in every if self._is_labelled(link[0])]
            self._ends_of_links = every, with_text, to_subgraphs
        links = with_text if labelled else every
        if not to_subgraphs:
            return links
        stage_ends = self.stage_ends
        return [
            (edge, (self._endpoint(edge.source, edge, True)[0], self._endpoint(edge.target, edge, False)[0]))
            if edge.source not in stage_ends or edge.target not in stage_ends else (edge, ends)
            for edge, ends in links
        ]

    def _find_endpoint(self, end_id: str, edge: Edge, source: bool) -> tuple[Optional[str], Optional[str]]:
        if end_id in self.hidden_lanes or end_id in self.hidden_groups:  # not drawn: the link meets the stage it leads to
            steps = self._steps_of(edge)
            node_id = (steps[0].source if source else steps[0].target) if steps else None
            return (dot_quote(node_id), None) if node_id is not None and self.process.has_node(node_id) else (None, None)
        if end_id in self.subgraphs:
            steps = self._steps_of(edge)
            node_id = (steps[0].source if source else steps[0].target) if steps else None
            if node_id is not None and self.process.has_node(node_id):
                return dot_quote(node_id), self.cluster_names[end_id]
            if end_id in self.placeholders:
                return self.placeholders[end_id], self.cluster_names[end_id]
            return None, None
        if self.process.has_node(end_id):
            return dot_quote(end_id), None
        return None, None

    def _back_edges(self) -> frozenset[int]:
        """Edges that lead back to an earlier stage (`ProcessGraph.edges_leading_back`).

        These edges do not rank their ends, so the main flow keeps running in the chart's
        direction, an earlier stage stays near the stages it belongs with, and each loop is drawn
        as a curve beside the flow.
        """
        return self.graph.edges_leading_back

    def _steps_of(self, edge: Edge) -> list:
        if not hasattr(self, "_steps_by_edge"):
            self._steps_by_edge: dict[int, list] = defaultdict(list)
            for step in self.graph.steps:
                self._steps_by_edge[step.edge.index].append(step)
        return self._steps_by_edge.get(edge.index, [])

    def _rows_of_lane(self, lane: Optional[str]) -> list:
        """The bands of `lane` in order (none for no lane), gathered once for every loop along a band."""
        try:
            rows = self._lane_rows
        except AttributeError:
            rows = self._lane_rows = defaultdict(list)
            for band in self.bands:
                if band.lane is not None:
                    rows[band.lane].append(band)
        return rows.get(lane, [])

    def _labelled_next_against_rank_order(self, edge: Edge, tail: str, head: str) -> bool:
        """Whether a labelled link runs forward to the next stage of a row that dot sets out from
        right to left (a row drawn right to left, every second row of a wrapped flow): written
        so, the link runs against dot's order of the rank, and dot 2.43 sets such a link's label
        on the stages rather than in the space above them (generated-053 of charts(300,
        20261203), drawn right to left: `yes` from Qualify the inbound lead…? on Negotiate, the
        next stage, under its text and its highlight tag). Written the other way round, with
        its arrow turned, the label sits above the link as along a row drawn left to right.
        Only in the drawing with links past stages round the outside (Options.around): in the
        first drawing, dot set these labels between their stages, and writing them the other
        way round there sent other links out and back (charts(300, 20261203): detours 40 -> 43)."""
        if not self.options.around or not self.across or tail not in self.band_of or self.band_of.get(head) != self.band_of[tail]:
            return False
        if self.place_in_band[head] - self.place_in_band[tail] != 1 or not self._is_labelled(edge):
            return False
        return self._runs_backwards(self.bands[self.band_of[tail]])

    def _edge(self, edge: Edge) -> None:
        if edge.index in self.jumps:
            self._jump(edge)
            return
        tail, ltail = self._endpoint(edge.source, edge, True)
        head, lhead = self._endpoint(edge.target, edge, False)
        if tail is None or head is None:
            return
        # Within a band the order of the stages is fixed (see _band_constraints); an edge back
        # against it is written the other way round and drawn with its arrow reversed, so that
        # dot meets no contradiction (which it would settle by moving stages out of order).
        reverse = (
            tail in self.band_of and head in self.band_of and self.band_of[tail] == self.band_of[head]
            and self.place_in_band[head] < self.place_in_band[tail]
        )
        # Between the rows of a flow wrapped without lanes, a link is written from the earlier
        # row to the later (its arrow turned when it runs back), as the twin that guides an
        # unlabelled one must be (see _guide_between_rows).
        guided = self._between_rows(tail, head)
        upward = ((guided and self.band_of[head] < self.band_of[tail]) or self._up_between_lanes(edge, tail, head)
                  or self._unlabelled_up_between_lanes(edge, tail, head))
        if reverse or upward:
            tail, head, ltail, lhead = head, tail, lhead, ltail
        # A link forward along a band past stages between: in a wrapped flow (a row that is no
        # lane), or with `around`, it goes round the outside like a loop. dot would draw it as
        # an arc over the stages between, with room for its label made in the middle of the
        # row, which stretches the rows of a wrapped flow into strips again.
        skip = (
            not reverse and tail in self.band_of and head in self.band_of
            and self.band_of[tail] == self.band_of[head] and self.place_in_band[head] - self.place_in_band[tail] > 1
            and (self.options.around or self.bands[self.band_of[tail]].lane is None)
        )
        repeated = not reverse and edge.index in self._repeated_labelled_links()
        # (A labelled link past stages along a row of a wrapped lane goes round too: see
        # _past_stages_of_wrapped_lane.)
        arc_round = not reverse and self._past_stages_of_wrapped_lane(edge, tail, head)
        skip = skip or repeated or arc_round
        leftward = not (reverse or upward or skip) and self._labelled_next_against_rank_order(edge, tail, head)
        if leftward:
            tail, head, ltail, lhead = head, tail, lhead, ltail
        attributes: dict[str, str] = {}
        if ltail and ltail != lhead:
            attributes["ltail"] = ltail
        if lhead and ltail != lhead:
            attributes["lhead"] = lhead
        styles = []
        if edge.stroke == "dotted":
            styles.append("dashed")
        elif edge.stroke == "invisible":
            styles.append("invis")
        elif edge.stroke == "thick":
            attributes["penwidth"] = '"2.6"'
        loop_side: Optional[str] = None
        if self.bands:
            if tail != head:
                attributes["constraint"] = "false"  # the bands rank the nodes
            if reverse or skip:
                # Back along its band: around the outside (below a row, right of a column), so
                # it neither crosses the stages between nor meets the forward edge's label.
                band = self.bands[self.band_of[tail]]
                # In a lane wrapped into several rows, a loop in the first row goes round above
                # it rather than into the lane's next row.
                lane_rows = self._rows_of_lane(band.lane)
                first_of_several = len(lane_rows) > 1 and lane_rows[0] is band
                # A link forward past stages takes the other side than loops back, clear of them.
                before = first_of_several != skip
                labelled = self._is_labelled(edge)
                if first_of_several and (self._loop_after_first_band(band.index, reverse, labelled)
                                         or self._loop_after_lanes_first_row(band.index, reverse, labelled)):
                    before = False
                flipped = False
                if not self._is_labelled(edge) and self._round_the_other_side(
                        band.index, self.place_in_band[tail], self.place_in_band[head], after=not before):
                    before, flipped = not before, True
                elif skip and self._is_labelled(edge) and self._below_the_last_row(band.index):
                    before = False
                elif repeated and self._repeated_round_after_last_lane(band.index):
                    before = False
                elif arc_round:
                    before = False
                if self.across:
                    loop_side = "n" if before else "s"
                else:
                    loop_side = "w" if before else "e"
                attributes["tailport"] = loop_side
                # A link past stages is pinned at its tail only: with both ends pinned, dot
                # 2.43's corridor over the row collapses on some layouts ("Unable to reclaim box
                # space") and the link runs straight along the stages' tops.
                # Nor a loop taken round the other side of its row (see _round_the_other_side):
                # pinned at both ends above a row between two others, dot 2.43 could not route
                # it ("Unable to reclaim box space", channel-partner-en drawn left to right).
                if (reverse or not skip) and not flipped:
                    attributes["headport"] = loop_side
        else:
            if edge.length > 1:
                attributes["minlen"] = str(edge.length)
            if self.layered and edge.index in self._back_edges():
                attributes["constraint"] = "false"
                if self.direction in ("TB", "BT"):
                    # Loops (rework, retries, feedback) leave and enter on the right, so they bow
                    # out beside the main flow and their labels keep clear of the forward edges'.
                    # (Left to right, dot already draws them as arcs above or below the flow.)
                    attributes["tailport"] = "e"
                    attributes["headport"] = "e"
        has_start = edge.start != END_NONE
        has_end = edge.end != END_NONE
        if reverse or upward or leftward:
            has_start, has_end = has_end, has_start
            start_kind, end_kind = edge.end, edge.start
        else:
            start_kind, end_kind = edge.start, edge.end
        if has_start and has_end:
            attributes["dir"] = "both"
        elif has_start:
            attributes["dir"] = "back"
        elif not has_end:
            attributes["dir"] = "none"
        if has_end and end_kind != END_ARROW:
            attributes["arrowhead"] = _ARROWS[end_kind]
        if has_start:
            attributes["arrowtail"] = _ARROWS[start_kind]

        parts = self._edge_label_parts(edge)
        findings = self.marks.edges.get(edge.index)
        if findings:
            colour, _fill = SEVERITY_COLOURS.get(_worst(findings), SEVERITY_COLOURS["info"])
        loop_label = None
        if parts and edge.stroke != "invisible":
            if loop_side is None:
                along_band = tail in self.band_of and self.band_of.get(tail) == self.band_of.get(head)
                beside_link = not along_band or self._next_along_column(tail, head)
                between_columns = (beside_link and not self.across and not along_band
                                   and tail in self.band_of and head in self.band_of)
                if findings and between_columns:
                    parts = self._edge_label_parts(edge, self._beside_column())
                label = _stack(parts)
                if beside_link:
                    shallow_between_rows = (self.across and not along_band
                                            and tail in self.band_of and head in self.band_of
                                            and self._shallow_between_rows(tail, head))
                    column = self.band_of[tail] if along_band else None
                    label = self._clear_of_link(label, edge, column, between_columns, shallow_between_rows)
                elif not self.across:
                    label = self._clear_of_arc(label, edge)  # an arc past stages of a column
                elif abs(self.place_in_band[tail] - self.place_in_band[head]) > 1:
                    label = self._clear_over_arc(label)  # an arc past stages of a row
                attributes["label"] = _html_label(label)
            else:
                # dot cannot label an edge along a rank well (its label needs a rank of its own,
                # and dot fails on some): the loop runs through its label instead, a small node
                # in the space beside the band.
                if findings and not self.across:
                    parts = self._edge_label_parts(edge, self._beside_column())
                loop_label = _html_label(_stack(parts))

        css = self.edge_styles.get(edge.index)
        if css:  # most links: no linkStyle
            css = _style_attributes(css, edge=True)
            if css.pop("_dashed", None) and "dashed" not in styles:
                styles.append("dashed")
            for key, value in css.items():
                attributes[key] = dot_quote(value)
        if findings:
            attributes.update({"color": dot_quote(colour), "penwidth": '"2.4"'})
        if styles:
            attributes["style"] = dot_quote(",".join(styles))
        attributes["id"] = f'"sf-edge-{edge.index}"'  # digits and words of our own: nothing to escape
        tooltip = []
        if edge.note and self.options.show_meta:
            tooltip.append(edge.note)
        for finding in findings or ():
            tooltip.append(f"{severity_word(finding.severity)} {finding.code} {finding.rule}: {finding.message}")
        if tooltip:
            attributes["tooltip"] = dot_tooltip("\n".join(tooltip))
        origin = self._origin("edge", (edge.source, edge.target), edge.span)
        if max(map(len, attributes.values())) * 4 > self.string_bytes:  # else none too long (see _fits)
            self._fits(origin, attributes.values())
        if loop_label is not None and loop_side is not None:
            self._fits(origin, [loop_label])
            source, target = (head, tail) if reverse else (tail, head)
            # A loop's label is pulled in too, unless a labelled link runs along the stretch it
            # spans (dot places that link's label after the layout, and it would land on a stage)
            # or the pull would unsettle the band's order (see _pull_unsettles_band). Round after
            # a row of a flow wrapped without lanes, that link's label is set on the row's other
            # side, clear of the loop's: left where dot put it, the loop's label was often at the
            # row's far end, with long wires to it (measured on the corpus and the generated
            # charts: detours 51 → 44 and 462 → 373, nothing else drawn worse).
            band_number, start, end = self.band_of[tail], self.place_in_band[tail], self.place_in_band[head]
            before = loop_side in ("n", "w")
            other_side = not before and self.bands[band_number].lane is None
            pull = (skip and not repeated) or not (
                (self._labelled_links_within(band_number, start, end) and not other_side)
                or self._pull_unsettles_band(band_number, start, end, before=before))
            pulled = (source, target) if pull else self._half_pull(band_number, before, source, target, start, end)
            lightly = () if pull or pulled else self._light_pull(band_number, before, source, target, start, end)
            after_first = None if before or not reverse else self._pull_after_first_band(band_number, source, target)
            if after_first is not None:
                pulled, lightly = (), after_first
            if repeated and not (pull or pulled or lightly):
                lightly = self._light_pull_of_twin(band_number, source, target, start, end)
            elif repeated and self._twin_pulled_in_lane_drawn_backwards(band_number):
                lightly = self._light_pull_of_twin(band_number, source, target, start, end)
            self._loop_through_label(
                edge, source, target, attributes, loop_label, loop_side, origin, pulled=pulled, lightly=lightly)
            return
        if edge.index in self._turns_to_lone_stages():
            self._round_the_turn_to_lone_stage(edge, tail, head, attributes, origin)
            return
        if "label" in attributes and self._back_a_row_of_lane(tail, head):
            self._back_a_row_through_label(edge, tail, head, attributes, origin)
            return
        if "label" in attributes and self._forward_a_row_of_lane(edge, tail, head):
            self._forward_a_row_through_label(edge, tail, head, attributes, origin)
            return
        if "label" in attributes and edge.index in self._labelled_past_rows():
            self._past_rows_through_label(edge, attributes, origin)
            return
        if "label" in attributes and edge.index in self._along_line_links():
            self._along_line_through_label(edge, attributes, origin)
            return
        if "label" in attributes and edge.index in self._past_turns_links():
            self._past_turns_through_label(edge, attributes, origin)
            return
        if edge.index in self._waypoints():
            self._through_lanes(edge, tail, head, attributes, origin)
            return
        if edge.index in self._links_past_spacers():
            self._past_spacers(edge, tail, head, attributes, origin)
            return
        if "label" in attributes and edge.index in self._links_past_labelled_spacers():
            self._past_labelled_spacer(edge, tail, head, attributes, origin)
            return
        # The link at a wrapped lane's turn keeps its turning points even when another labelled
        # link joins the same two rows before it: through a label of its own, it ran out to that
        # label past the lane's end, and its points stood unused by the rows' ends (generated-064
        # flipped: 同意, 1,610 pt for 139 pt; detours over the generated charts 99 -> 95).
        if ("label" in attributes and edge.index in self._repeated_links_between_lanes()
                and edge.index not in self._turns()):
            self._between_lanes_through_label(edge, tail, head, attributes, origin)
            if self._labelled_up_from_mid_row(edge):
                self._pull_repeated_label_to_source(edge)
            else:
                self._pull_second_label(edge, tail, head)
            return
        if edge.index in self._turns():
            self._round_the_turn(edge, tail, head, attributes, origin)
            return
        if "label" in attributes and edge.index in self._first_of_repeated_links_between_lanes():
            self._first_of_repeated_through_label(edge, tail, head, attributes, origin)
            return
        if "label" in attributes and self._sole_labelled_up_to_the_lane_before(edge):
            self._sole_up_to_the_lane_before_through_label(edge, tail, head, attributes, upward, origin)
            return
        if guided and "label" in attributes and self._through_label_between_rows(tail, head):
            self._across_through_label(edge, tail, head, attributes, upward, origin)
            return
        if "label" in attributes and self._handoff_at_rows_end(edge, tail, head):
            self._handoff_at_rows_end_through_label(edge, tail, head, attributes, origin)
            return
        self.line(1, f"{tail} -> {head}" + self.attributes(attributes), origin)
        if guided and "label" not in attributes:
            self._guide_between_rows(tail, head)

    # -------------------------------------------------------------- jumps (Options.jumps)

    def _plan_jumps(self) -> dict[int, str]:
        """The links drawn as jumps (see Options.jumps), each with the letter of the stage it
        continues at, by edge index. A stage's marks share its band, outside the band's anchors
        (see _jump), so the stages keep one straight line: the arrow of the jumps that continue
        at it before, the tag of the jumps that leave it after."""
        band_of = {name: band.index for band in self.bands for name in band.nodes}
        place = {name: number for number, name in enumerate(n for band in self.bands for n in band.nodes)}
        targets: dict[int, str] = {}
        for edge in self.process.edges:
            source, target = dot_quote(edge.source), dot_quote(edge.target)
            if edge.stroke == "invisible" or source not in band_of or target not in band_of:
                continue
            span = band_of[target] - band_of[source]
            if span < 0 or span > JUMP_SPAN:  # within a band, a link keeps its line
                targets[edge.index] = edge.target
        self.jump_letters: dict[str, str] = {}
        for target in sorted(set(targets.values()), key=lambda node_id: place[dot_quote(node_id)]):
            self.jump_letters[target] = _letter(len(self.jump_letters))
        self.edge_by_index = {edge.index: edge for edge in self.process.edges}
        self.jumps_from: dict[str, list[int]] = defaultdict(list)
        for index in targets:
            self.jumps_from[self.edge_by_index[index].source].append(index)
        for node_id in [*self.jump_letters, *self.jumps_from]:
            band = self.bands[band_of[dot_quote(node_id)]]
            band.extra += [name for name in self._jump_names(node_id) if name not in band.extra]
        return {index: self.jump_letters[target] for index, target in targets.items()}

    def _jump_names(self, node_id: str) -> list[str]:
        """The DOT names of a stage's arrow mark and tag, those it has."""
        number = self.node_index[node_id]
        return ([_internal(f"jump-to-{number}")] if node_id in self.jump_letters else []) + (
            [_internal(f"jump-from-{number}")] if node_id in self.jumps_from else [])

    def _jump_marks(self, node_id: str, depth: int) -> None:
        """A stage's marks, declared with it so that they share its lane: an arrow with its
        letter pointing at it, and one tag that says, for each jump leaving it, what the link
        says and where it continues (`→ B 线索培育`)."""
        number = self.node_index[node_id]
        if node_id in self.jump_letters:
            self.line(depth, _internal(f"jump-to-{number}") + self.attributes({
                "shape": "rarrow", "width": '"0.4"', "height": '"0.3"',
                "label": _html_label(_bold(dot_html(self.jump_letters[node_id]))),
                "fontsize": f"{self.pt(10):g}", "margin": '"0.04,0.02"', "fillcolor": '"white"',
                "style": '"filled"', "id": dot_quote(f"sf-jump-to-{number}"), "class": '"sf-jump"',
            }))
        if node_id in self.jumps_from:
            rows = []
            for index in self.jumps_from[node_id]:
                target = self.process.node(self.edge_by_index[index].target)
                name = label_text.plain_text(target.label, target.label_format).replace("\n", " ")
                where = _plain_lines(f"→ {self.jumps[index]} {name}", self.label_columns[0])
                rows += self._edge_label_parts(self.edge_by_index[index]) + [_bold(_lines_html(where))]
            self.line(depth, _internal(f"jump-from-{number}") + self.attributes({
                "shape": "box", "style": '"rounded,dashed"', "label": _html_label(_stack(rows)),
                "fontsize": f"{self.pt(10):g}", "margin": '"0.06,0.03"', "color": dot_quote(EDGE_INK),
                "id": dot_quote(f"sf-jump-from-{number}"), "class": '"sf-jump"',
            }))

    def _jump(self, edge: Edge) -> None:
        """A link drawn as a jump: the first jump leaving a stage draws the line to its tag
        (the arrow mark before the stage it continues at points there without one); each mark
        is held outside its band's anchors, the arrow before the first, the tag after the last."""
        origin = self._origin("edge", (edge.source, edge.target), edge.span)
        for node_id, leaving in ((edge.source, True), (edge.target, False)):
            indexes = self.jumps_from[node_id] if leaving else [
                i for i in self.jumps if self.edge_by_index[i].target == node_id]
            if edge.index != min(indexes):
                continue
            number = self.node_index[node_id]
            band = self.bands[self.band_of[dot_quote(node_id)]]
            kind = f"jump-from-{number}" if leaving else f"jump-to-{number}"
            mark = _internal(kind)
            # Out of the stage's side: the line hooks over the band's last anchor to the tag. Where
            # the link to the next row turns at a point just right of the stage, out of its upper
            # right instead: from the side both lines left the same spot, a decision's tip, one
            # bowing up over the other.
            side = "ne" if leaving and self._turns_right_beside(dot_quote(node_id)) else "e"
            attributes = {"constraint": "false", "tailport": side, "id": dot_quote(f"sf-{kind}-edge")}
            findings = [f for i in indexes for f in self.marks.edges.get(i, ())]
            if findings:
                attributes.update({"color": dot_quote(SEVERITY_COLOURS[_worst(findings)][0]), "penwidth": '"2.4"'})
            if leaving:
                self.line(1, f"{dot_quote(node_id)} -> {mark}" + self.attributes(attributes), origin)
            order = [band.last, mark] if leaving else [mark, band.first]
            if band.lane is not None and not self.across:
                order.reverse()  # as in _band_constraints: inside a lane, dot orders this way round
            self.line(1, " -> ".join(order) + " [style=invis]")

    def _jump_column(self) -> None:
        """Stages one after another in bands outside lanes, tied in one straight line: nothing
        else holds them in line once their links are jumps (a lane's box does, and ties across
        lanes would only unsettle them)."""
        column = [band.nodes[0] for band in self.bands if band.lane is None and len(band.nodes) == 1]
        for upper, lower in zip(column, column[1:]):
            if self.band_of[lower] == self.band_of[upper] + 1:
                self.line(1, f"{upper} -> {lower} [style=invis, weight=5]")


def to_dot(
    process: Process,
    *,
    show_meta: bool = True,
    findings: Optional[Sequence[Finding]] = None,
    font: str = FONT,
    title: bool = True,
    engine: str = "dot",
    direction: Optional[str] = None,
    wrap: Optional[int] = None,
    around: bool = False,
    narrow: bool = False,
    lanes: bool = True,
    jumps: bool = False,
) -> str:
    """The DOT text for `process` (deterministic: the same model gives the same text).

    `show_meta`: owner and deadline under each label, notes on edges. `findings`: lint findings
    to highlight. `engine`: the Graphviz layout the text is meant for; only `dot` has ranks, so
    only it gets swimlanes that span the flow. `direction` (TB, TD, BT, LR, RL) overrides the
    chart's own; `wrap`: stages per row (or column) of a long flow, 0 for none, None to wrap
    only a chart that would otherwise be more than about 5:1; `around`, `narrow`, `lanes`, `jumps`: see Options.
    """
    return dot_with_origins(
        process, show_meta=show_meta, findings=findings, font=font, title=title, engine=engine,
        direction=direction, wrap=wrap, around=around, narrow=narrow, lanes=lanes, jumps=jumps,
    )[0]


def dot_with_origins(
    process: Process,
    *,
    show_meta: bool = True,
    findings: Optional[Sequence[Finding]] = None,
    font: str = FONT,
    title: bool = True,
    engine: str = "dot",
    direction: Optional[str] = None,
    wrap: Optional[int] = None,
    around: bool = False,
    narrow: bool = False,
    lanes: bool = True,
    jumps: bool = False,
) -> tuple[str, Origins]:
    """`to_dot`, and for the DOT lines that draw a chart element, that element as messages name
    it (`flow.flow:3:5: node `A``), so a Graphviz error can point into the chart."""
    options = Options(
        show_meta=show_meta, findings=tuple(findings or ()), font=font, title=title, engine=engine,
        direction=direction, wrap=wrap, around=around, narrow=narrow, lanes=lanes, jumps=jumps,
    )
    writer = _Writer(process, options)
    text = writer.write()
    return text, Origins(process.path, writer.origins)


def stream_dot(
    process: Process, sink: Callable[[str], None], *, findings: Optional[Sequence[Finding]] = None, **options: object,
) -> Origins:
    """`dot_with_origins` (the same options), its text passed to `sink` a few hundred lines at a
    time as it is written; returns the origins."""
    writer = _Writer(process, Options(findings=tuple(findings or ()), **options))  # type: ignore[arg-type]
    writer.sink = sink
    writer.write()
    return Origins(process.path, writer.origins)


def render(process: Process, **options: object) -> str:
    """`render -f dot`."""
    return to_dot(
        process,
        show_meta=bool(options.get("show_meta", True)),
        findings=options.get("findings") or (),  # type: ignore[arg-type]
        font=str(options.get("font") or FONT),
        engine=str(options.get("engine") or "dot"),
        direction=options.get("direction") or None,  # type: ignore[arg-type]
        wrap=options.get("wrap"),  # type: ignore[arg-type]
    )
